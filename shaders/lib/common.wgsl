// Shared by the op shaders (`#import common`).

// Where a fused stage runs: the pixel, and where its part of the pass's `tables` buffer starts.
// Mirrors `Site` in src/ops/mod.rs.
struct Site {
    pos: vec2<u32>,
    tables: u32,
}

// Hexcone hue (0..1: red 0, yellow 1/6, green 1/3, cyan 1/2, blue 2/3, magenta 5/6) and saturation
// (max - min) / max clamped to 0..1, of any RGB value; greys have hue and saturation 0. Mirrors
// `hue_saturation` in src/ops/hsl.rs: curves and qualifiers read the same numbers on CPU and GPU.
fn hue_saturation(rgb: vec3<f32>) -> vec2<f32> {
    let hi = max(rgb.r, max(rgb.g, rgb.b));
    let lo = min(rgb.r, min(rgb.g, rgb.b));
    let chroma = hi - lo;
    if (chroma <= 0.0) {
        return vec2<f32>(0.0, 0.0);
    }
    var h: f32;
    if (hi == rgb.r) {
        h = (rgb.g - rgb.b) / chroma;
        if (h < 0.0) {
            h = h + 6.0;
        }
    } else if (hi == rgb.g) {
        h = (rgb.b - rgb.r) / chroma + 2.0;
    } else {
        h = (rgb.r - rgb.g) / chroma + 4.0;
    }
    let s = clamp(chroma / max(hi, 1e-6), 0.0, 1.0);
    return vec2<f32>(h / 6.0, s);
}

// smoothstep(e0, e1, x) for e0 < e1, written out so that it is the same arithmetic as `smoothstep` in
// src/ops/hsl.rs (the builtin's precision is up to the driver).
fn smooth_ramp(e0: f32, e1: f32, x: f32) -> f32 {
    let t = clamp((x - e0) / (e1 - e0), 0.0, 1.0);
    return t * t * (3.0 - 2.0 * t);
}

// The RGB value with hexcone hue `h` (any real; wraps) whose largest and smallest channels are `hi`
// and `lo`: the inverse of `hue_saturation` for a given max and min. Mirrors `from_hue` in hsl.rs.
fn from_hue(h: f32, hi: f32, lo: f32) -> vec3<f32> {
    let h6 = fract(h) * 6.0;
    let shape = vec3<f32>(
        clamp(abs(h6 - 3.0) - 1.0, 0.0, 1.0),
        clamp(2.0 - abs(h6 - 2.0), 0.0, 1.0),
        clamp(2.0 - abs(h6 - 4.0), 0.0, 1.0),
    );
    return vec3<f32>(lo) + (hi - lo) * shape;
}

// x^e for positive x; zero and negatives pass through unchanged (no clamping). Mirrors
// `pow_positive` in src/ops/primaries.rs.
// An exponent of exactly 1 returns x bit for bit (GPU pow is exp2(log2) and would not).
fn pow_positive(x: vec3<f32>, e: vec3<f32>) -> vec3<f32> {
    // Exponents come from uniforms: the same branch for every pixel, and it skips three pow() (each a
    // log2 and an exp2) where the control is untouched.
    if (all(e == vec3<f32>(1.0))) {
        return x;
    }
    let raised = select(pow(max(x, vec3<f32>(1e-30)), e), x, e == vec3<f32>(1.0));
    return select(x, raised, x > vec3<f32>(0.0));
}

// Saturation around a weighted luma, written as a blend so that amount 1 is exact.
fn saturate_around_luma(rgb: vec3<f32>, weights: vec3<f32>, amount: f32) -> vec3<f32> {
    let luma = dot(rgb, weights);
    return rgb * amount + vec3<f32>(luma * (1.0 - amount));
}

// A node's input blended with its output; mix 1 returns the output bit for bit. Mirrors `blend` in
// src/ops/mod.rs (WGSL's mix() may be a + t (b - a), not exact at t = 1).
fn blend(input: vec3<f32>, output: vec3<f32>, amount: f32) -> vec3<f32> {
    if (amount >= 1.0) {
        return output;
    }
    return input * (1.0 - amount) + output * amount;
}
