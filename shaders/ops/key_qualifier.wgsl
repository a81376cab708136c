// The HSL qualifier's matte (hue, saturation and luma soft ranges multiplied, then clean black/white),
// packed four pixels to a texel: texel (t, y) holds the mattes of pixels 4t..4t+3 of row y in x, y,
// z, w (past the frame's right edge, the edge pixel's). The matte blur and the key mix read it so.
// CPU twins: src/ops/key/mod.rs `qualifier_pixel`, src/ops/key/matte.rs `qualify_packed`.

#import common

struct Qualifier {
    hue: vec4<f32>,
    saturation: vec4<f32>,
    luma: vec4<f32>,
    clean: vec4<f32>,
    luma_weights: vec4<f32>,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> q: Qualifier;

fn band(v: f32, low: f32, high: f32, softness: f32) -> f32 {
    if (softness <= 0.0) {
        return select(0.0, 1.0, v >= low && v <= high);
    }
    return smooth_ramp(low - softness, low, v) * (1.0 - smooth_ramp(high, high + softness, v));
}

// The ranges that may be enabled (bit 0 hue, 1 saturation, 2 luma), set by the pass graph from the
// uniform (src/ops/key/mod.rs `qualifier_constants`) so the compiler drops the others' code: on a
// software adapter a branch on a uniform costs both sides. The default takes all three.
override QUALIFY_RANGES: u32 = 7u;

fn qualify(rgb: vec3<f32>) -> f32 {
    let hs = hue_saturation(rgb);
    var m = 1.0;
    if ((QUALIFY_RANGES & 1u) != 0u && q.hue.x != 0.0) {
        let d = abs(fract(hs.x - q.hue.y + 0.5) - 0.5);
        m *= band(d, -1.0, q.hue.z, q.hue.w);
    }
    if ((QUALIFY_RANGES & 2u) != 0u && q.saturation.x != 0.0) {
        m *= band(hs.y, q.saturation.y, q.saturation.z, q.saturation.w);
    }
    if ((QUALIFY_RANGES & 4u) != 0u && q.luma.x != 0.0) {
        m *= band(dot(rgb, q.luma_weights.xyz), q.luma.y, q.luma.z, q.luma.w);
    }
    return clamp((m - q.clean.x) / max(1.0 - q.clean.x - q.clean.y, 1e-6), 0.0, 1.0);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(dst);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let last = i32(textureDimensions(src).x) - 1;
    let x = 4 * i32(id.x);
    let y = i32(id.y);
    var m: vec4<f32>;
    for (var c = 0; c < 4; c++) {
        m[c] = qualify(textureLoad(src, vec2<i32>(min(x + c, last), y), 0).rgb);
    }
    textureStore(dst, vec2<i32>(id.xy), m);
}
