// Shared by every scope shader (accumulation and render). Exact binning: mirrors
// src/scopes/quantize.rs line for line; see its module comment for why each step is exact.

const Q_SCALE: f32 = 4096.0;
const Q_LIMIT: f32 = 16.0;
const WEIGHT_SCALE: i32 = 10000;
const LEVEL_MIN: i32 = -72;
const LEVEL_MAX: i32 = 1119;
const LEVELS: u32 = 1192u;

// Mirror of `ScopeUniform` in src/scopes/engine.rs (48 bytes).
struct ScopeParams {
    // Kr, Kg, Kb ×10000 (ITU-R BT.709 or BT.2020), w unused.
    luma: vec4<i32>,
    frame_size: vec2<u32>,
    waveform_columns: u32,
    vectorscope_size: u32,
    vectorscope_zoom: u32,
    // Bit 0: accumulate the waveform bins, bit 1: the vectorscope bins (scope_accumulate.wgsl).
    accumulate: u32,
    _pad0: u32,
    _pad1: u32,
}

// Mirror of `RenderUniform` in src/scopes/render.rs (160 bytes).
struct RenderParams {
    image_size: vec2<u32>,
    // Waveform: 0 luma, 1 RGB overlay, 2 parade. Histogram: 0 linear, 1 log.
    mode: u32,
    // Graticule: 0 IRE, 1 10-bit code values.
    scale: u32,
    // Waveform (columns, levels); vectorscope (size, size); histogram (levels, 1).
    bins_size: vec2<u32>,
    // Pixels in the frame: what the counts are normalised by.
    samples: u32,
    zoom: f32,
    intensity: f32,
    // Skin-tone line, radians counter-clockwise from +Cb.
    skin_angle: f32,
    _pad0: u32,
    _pad1: u32,
    // Kr, Kg, Kb as fractions, w unused.
    luma: vec4<f32>,
    // Colour-bar targets R, Mg, B, Cy, G, Yl: (Cb, Cr) at 100 % in xy, at 75 % in zw.
    targets: array<vec4<f32>, 6>,
}

// The 12-bit internal code of one display-encoded sample. Non-finite values are caught by their
// bits because WGSL lets compilers assume there are none: NaN reads as 0, infinities as +/-16.
fn quantize(v: f32) -> i32 {
    let bits = bitcast<u32>(v);
    var c: f32;
    if ((bits & 0x7f800000u) == 0x7f800000u) {
        if ((bits & 0x007fffffu) != 0u) {
            c = 0.0;
        } else {
            c = select(Q_LIMIT, -Q_LIMIT, (bits & 0x80000000u) != 0u);
        }
    } else {
        c = clamp(v, -Q_LIMIT, Q_LIMIT);
    }
    // The product is exact (power of two): one rounding, whether or not it is fused into an FMA.
    return i32(floor(c * Q_SCALE + 0.5));
}

fn quantize3(rgb: vec3<f32>) -> vec3<i32> {
    return vec3<i32>(quantize(rgb.r), quantize(rgb.g), quantize(rgb.b));
}

// floor(a / b) for b > 0 (WGSL's `/` truncates towards zero).
fn floor_div(a: i32, b: i32) -> i32 {
    let q = a / b;
    return select(q, q - 1, (a % b) != 0 && a < 0);
}

// Bin index of a full-range 10-bit level, clipped into the end bins.
fn level_index(q: i32) -> u32 {
    return u32(clamp((q * 1023 + 2048) >> 12u, LEVEL_MIN, LEVEL_MAX) - LEVEL_MIN);
}

// Kr R' + Kg G' + Kb B' in units of 1/(4096 · 10000), exact integer arithmetic.
fn luma_sum(q: vec3<i32>, w: vec4<i32>) -> i32 {
    return w.x * q.x + w.y * q.y + w.z * q.z;
}

fn luma_q(sum: i32) -> i32 {
    return floor_div(sum + WEIGHT_SCALE / 2, WEIGHT_SCALE);
}

// Cb (channel B, weight Kb) or Cr (channel R, weight Kr) ×8192, clamped to ±1.
fn chroma_fp(q_channel: i32, sum: i32, weight: i32) -> i32 {
    return clamp(floor_div(WEIGHT_SCALE * q_channel - sum, WEIGHT_SCALE - weight), -8192, 8192);
}

// --- Rendering helpers ---

const BACKGROUND: vec3<f32> = vec3<f32>(0.055, 0.058, 0.062);
const GRATICULE: vec3<f32> = vec3<f32>(0.34, 0.34, 0.34);

// Perceptual intensity of `count` samples where `reference` is what an even spread would give:
// 1 - exp(-k x) rises fast for sparse traces and saturates gently, like phosphor.
fn trace(count: f32, reference: f32, intensity: f32) -> f32 {
    return 1.0 - exp(-intensity * count / max(reference, 1e-6));
}

// Screen blend: a trace brightens the background and graticule without hiding them.
fn screen(base: vec3<f32>, light: vec3<f32>) -> vec3<f32> {
    return vec3<f32>(1.0) - (vec3<f32>(1.0) - base) * (vec3<f32>(1.0) - clamp(light, vec3<f32>(0.0), vec3<f32>(1.0)));
}

// Full-range 10-bit code of the graticule line `i` (0..4) for the scale: 0/25/50/75/100 IRE
// (rounded to the nearest code) or 0/256/512/768/1023.
fn graticule_code(i: u32, scale: u32) -> i32 {
    if (scale == 0u) {
        return i32(floor(f32(i) * 1023.0 / 4.0 + 0.5));
    }
    return min(i32(i) * 256, 1023);
}
