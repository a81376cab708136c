// The ACES 2.0 Output Transform, read from a colour-transform stage's `tables`: the block
// `color::aces2::Aces2` builds (constants and hue tables at the offsets below). Mirrors
// `aces2::forward` and `aces2::inverse` (src/color/aces2/), the CPU twin, function for function.
// Imported by the colour-transform op (shaders/ops/color_transform.wgsl), whose pass declares
// `tables: array<f32>`. The offsets are checked against the Rust constants by a unit test.
//
// A stage running this gets a pass of its own (`ColorTransform::fuses`): inlined into a fused pass
// with two primaries nodes it crashed Mesa 22.3's lavapipe compiler. Functions are written with a
// single exit where that costs nothing (`select` over both branches), as color.wgsl's tone curve.

const ACES2_OFF_IN: u32 = 0u;
const ACES2_OFF_OUT: u32 = 41u;
const ACES2_OFF_TONE: u32 = 82u;
const ACES2_OFF_SHARED: u32 = 93u;
const ACES2_OFF_CHROMA: u32 = 95u;
const ACES2_OFF_GAMUT: u32 = 99u;
const ACES2_OFF_CLAMP: u32 = 104u;
const ACES2_OFF_AP0_TO_AP1: u32 = 106u;
const ACES2_OFF_AP1_TO_AP0: u32 = 115u;
const ACES2_OFF_REACH_TABLE: u32 = 124u;
const ACES2_OFF_HUE_TABLE: u32 = 487u;
const ACES2_OFF_CUSP_TABLE: u32 = 850u;

// Within a JMh parameter set.
const ACES2_RGB_TO_CAM: u32 = 0u;
const ACES2_CAM_TO_RGB: u32 = 9u;
const ACES2_CONE_TO_AAB: u32 = 18u;
const ACES2_AAB_TO_CONE: u32 = 27u;
const ACES2_F_L_N: u32 = 36u;
const ACES2_CZ: u32 = 37u;
const ACES2_INV_CZ: u32 = 38u;
const ACES2_A_W_J: u32 = 39u;
const ACES2_INV_A_W_J: u32 = 40u;

const ACES2_PI: f32 = 3.14159265;
const ACES2_CAM_NL_OFFSET: f32 = 27.13;
const ACES2_SMOOTH_CUSPS: f32 = 0.12;
const ACES2_CUSP_MID_BLEND: f32 = 1.3;
const ACES2_FOCUS_GAIN_BLEND: f32 = 0.3;
const ACES2_COMPRESSION_THRESHOLD: f32 = 0.75;

// Where the block starts in `tables`: set by `aces2_forward` / `aces2_inverse` (a fused pass may
// hold several colour-transform stages, each with its own block).
var<private> aces2_base: u32 = 0u;

fn aces2_t(i: u32) -> f32 {
    return tables[aces2_base + i];
}

fn aces2_lerpf(a: f32, b: f32, t: f32) -> f32 {
    return (b - a) * t + a;
}

// x^e, 0 at x = 0 (exp2(e * log2(0)) is not defined to be 0).
fn aces2_pow(x: f32, e: f32) -> f32 {
    return select(pow(x, e), 0.0, x == 0.0);
}

fn aces2_mul(v: vec3<f32>, m: u32) -> vec3<f32> {
    return vec3<f32>(
        v.x * aces2_t(m) + v.y * aces2_t(m + 1u) + v.z * aces2_t(m + 2u),
        v.x * aces2_t(m + 3u) + v.y * aces2_t(m + 4u) + v.z * aces2_t(m + 5u),
        v.x * aces2_t(m + 6u) + v.y * aces2_t(m + 7u) + v.z * aces2_t(m + 8u),
    );
}

fn aces2_compress_cone(rc: f32) -> f32 {
    let f = aces2_pow(rc, 0.42);
    return f / (ACES2_CAM_NL_OFFSET + f);
}

fn aces2_expand_cone(ra_in: f32) -> f32 {
    let ra = min(ra_in, 0.99);
    return aces2_pow(ACES2_CAM_NL_OFFSET * ra / (1.0 - ra), 1.0 / 0.42);
}

// |v| with the sign bit of x (Rust's `copysign`).
fn aces2_sign_of(v: f32, x: f32) -> f32 {
    return bitcast<f32>((bitcast<u32>(v) & 0x7fffffffu) | (bitcast<u32>(x) & 0x80000000u));
}

fn aces2_compress_cone3(v: vec3<f32>) -> vec3<f32> {
    return vec3<f32>(
        aces2_sign_of(aces2_compress_cone(abs(v.x)), v.x),
        aces2_sign_of(aces2_compress_cone(abs(v.y)), v.y),
        aces2_sign_of(aces2_compress_cone(abs(v.z)), v.z),
    );
}

fn aces2_expand_cone3(v: vec3<f32>) -> vec3<f32> {
    return vec3<f32>(
        aces2_sign_of(aces2_expand_cone(abs(v.x)), v.x),
        aces2_sign_of(aces2_expand_cone(abs(v.y)), v.y),
        aces2_sign_of(aces2_expand_cone(abs(v.z)), v.z),
    );
}

fn aces2_achromatic_to_j(p: u32, a: f32) -> f32 {
    return 100.0 * aces2_pow(a, aces2_t(p + ACES2_CZ));
}

fn aces2_j_to_achromatic(p: u32, j: f32) -> f32 {
    return aces2_pow(j * (1.0 / 100.0), aces2_t(p + ACES2_INV_CZ));
}

fn aces2_a_to_y(p: u32, a: f32) -> f32 {
    return aces2_expand_cone(aces2_t(p + ACES2_A_W_J) * a) / aces2_t(p + ACES2_F_L_N);
}

fn aces2_y_to_j(p: u32, abs_y: f32) -> f32 {
    let ra = aces2_compress_cone(abs_y * aces2_t(p + ACES2_F_L_N));
    return aces2_achromatic_to_j(p, ra * aces2_t(p + ACES2_INV_A_W_J));
}

fn aces2_rgb_to_aab(p: u32, rgb: vec3<f32>) -> vec3<f32> {
    let m = aces2_mul(rgb, p + ACES2_RGB_TO_CAM);
    return aces2_mul(aces2_compress_cone3(m), p + ACES2_CONE_TO_AAB);
}

fn aces2_from_radians(v: f32) -> f32 {
    let y = 180.0 * v / ACES2_PI;
    return select(y, y + 360.0, y < 0.0);
}

fn aces2_aab_to_jmh(p: u32, aab: vec3<f32>) -> vec3<f32> {
    let j = aces2_achromatic_to_j(p, aab.x);
    let m = sqrt(aab.y * aab.y + aab.z * aab.z);
    return select(vec3<f32>(0.0), vec3<f32>(j, m, aces2_from_radians(atan2(aab.z, aab.y))), aab.x > 0.0);
}

fn aces2_aab_to_rgb(p: u32, aab: vec3<f32>) -> vec3<f32> {
    let a = aces2_mul(aab, p + ACES2_AAB_TO_CONE);
    return aces2_mul(aces2_expand_cone3(a), p + ACES2_CAM_TO_RGB);
}

fn aces2_jmh_to_aab(p: u32, jmh: vec3<f32>, cos_h: f32, sin_h: f32) -> vec3<f32> {
    return vec3<f32>(aces2_j_to_achromatic(p, jmh.x), jmh.y * cos_h, jmh.y * sin_h);
}

fn aces2_tonescale_fwd(y: f32) -> f32 {
    let t = ACES2_OFF_TONE;
    let f = aces2_t(t + 7u) * aces2_pow(y / (y + aces2_t(t + 5u)), aces2_t(t + 2u));
    return max(f * f / (f + aces2_t(t + 3u)), 0.0) * aces2_t(t + 1u);
}

fn aces2_tonescale_inv(y: f32) -> f32 {
    let t = ACES2_OFF_TONE;
    let z = max(min(y / 100.0, aces2_t(t + 9u)), 0.0);
    let f = (z + sqrt(z * (4.0 * aces2_t(t + 3u) + z))) / 2.0;
    return aces2_t(t + 5u) / (aces2_pow(aces2_t(t + 7u) / f, 1.0 / aces2_t(t + 2u)) - 1.0);
}

fn aces2_chroma_norm(cos_h: f32, sin_h: f32) -> f32 {
    let cos2 = 2.0 * cos_h * cos_h - 1.0;
    let sin2 = 2.0 * cos_h * sin_h;
    let cos3 = 4.0 * cos_h * cos_h * cos_h - 3.0 * cos_h;
    let sin3 = 3.0 * sin_h - 4.0 * sin_h * sin_h * sin_h;
    let m = 11.34072 * cos_h + 16.46899 * cos2 + 7.88380 * cos3 + 14.66441 * sin_h + -6.37224 * sin2 + 9.19364 * sin3 + 77.12896;
    return m * aces2_t(ACES2_OFF_CHROMA + 3u);
}

fn aces2_toe_fwd(x: f32, limit: f32, k1_in: f32, k2_in: f32) -> f32 {
    let k2 = max(k2_in, 0.001);
    let k1 = sqrt(k1_in * k1_in + k2 * k2);
    let k3 = (limit + k1) / (limit + k2);
    let minus_b = k3 * x - k1;
    let minus_ac = k2 * k3 * x;
    return select(0.5 * (minus_b + sqrt(minus_b * minus_b + 4.0 * minus_ac)), x, x > limit);
}

fn aces2_toe_inv(x: f32, limit: f32, k1_in: f32, k2_in: f32) -> f32 {
    let k2 = max(k2_in, 0.001);
    let k1 = sqrt(k1_in * k1_in + k2 * k2);
    let k3 = (limit + k1) / (limit + k2);
    return select((x * x + k1 * x) / (k3 * (x + k2)), x, x > limit);
}

fn aces2_reach(h: f32) -> f32 {
    let base = min(u32(max(h, 0.0)), 359u);
    let t = h - f32(base);
    let r = ACES2_OFF_REACH_TABLE + base + 1u;
    return aces2_lerpf(aces2_t(r), aces2_t(r + 1u), t);
}

struct Aces2HueGamut {
    cusp: vec2<f32>,
    gamma_top_inv: f32,
    focus_j: f32,
    threshold: f32,
}

fn aces2_focus_j(cusp_j: f32, mid_j: f32, limit_j_max: f32) -> f32 {
    return aces2_lerpf(cusp_j, mid_j, min(ACES2_CUSP_MID_BLEND - cusp_j / limit_j_max, 1.0));
}

fn aces2_hue_gamut(h: f32) -> Aces2HueGamut {
    let hues = ACES2_OFF_HUE_TABLE;
    let lo_range = i32(aces2_t(ACES2_OFF_GAMUT + 3u));
    let hi_range = i32(aces2_t(ACES2_OFF_GAMUT + 4u));
    var i = 1 + clamp(i32(max(h, 0.0)), 0, 359);
    var lo = max(i + lo_range, 0);
    var hi = min(i + hi_range, 361);
    // At most ceil(log2(363)) steps: bounded even for a corrupt range.
    for (var step = 0; step < 16 && lo + 1 < hi; step++) {
        if h > aces2_t(hues + u32(i)) {
            lo = i;
        } else {
            hi = i;
        }
        i = (lo + hi) / 2;
    }
    let k = u32(max(hi, 1));
    let t = (h - aces2_t(hues + k - 1u)) / (aces2_t(hues + k) - aces2_t(hues + k - 1u));
    let c0 = ACES2_OFF_CUSP_TABLE + 3u * (k - 1u);
    let c1 = ACES2_OFF_CUSP_TABLE + 3u * k;
    let cusp = vec3<f32>(
        aces2_lerpf(aces2_t(c0), aces2_t(c1), t),
        aces2_lerpf(aces2_t(c0 + 1u), aces2_t(c1 + 1u), t),
        aces2_lerpf(aces2_t(c0 + 2u), aces2_t(c1 + 2u), t),
    );
    let limit = aces2_t(ACES2_OFF_SHARED);
    return Aces2HueGamut(cusp.xy, cusp.z, aces2_focus_j(cusp.x, aces2_t(ACES2_OFF_GAMUT), limit), aces2_lerpf(cusp.x, limit, ACES2_FOCUS_GAIN_BLEND));
}

fn aces2_focus_gain(j: f32, threshold: f32, limit_j_max: f32, focus_dist: f32) -> f32 {
    let gain = limit_j_max * focus_dist;
    let adjust = log2((limit_j_max - threshold) / max(limit_j_max - j, 0.0001)) * 0.30102999566;
    return select(gain, gain * (adjust * adjust + 1.0), j > threshold);
}

fn aces2_solve_j_intersect(j: f32, m: f32, focus_j: f32, max_j: f32, slope_gain: f32) -> f32 {
    let m_scaled = m / slope_gain;
    let a = m_scaled / focus_j;
    let below = j < focus_j;
    let b = select(-(1.0 + m_scaled + max_j * a), 1.0 - m_scaled, below);
    let c = select(max_j * m_scaled + j, -j, below);
    let root = sqrt(b * b - 4.0 * a * c);
    return -2.0 * c / select(b - root, b + root, below);
}

fn aces2_smin_scaled(a: f32, b: f32, scale_reference: f32) -> f32 {
    let s = ACES2_SMOOTH_CUSPS * scale_reference;
    let h = max(s - abs(a - b), 0.0) / s;
    return min(a, b) - h * h * h * s * (1.0 / 6.0);
}

fn aces2_slope(intersect_j: f32, focus_j: f32, limit_j_max: f32, slope_gain: f32) -> f32 {
    let direction = select(limit_j_max - intersect_j, intersect_j, intersect_j < focus_j);
    return direction * (intersect_j - focus_j) / (focus_j * slope_gain);
}

fn aces2_line_boundary_m(j_axis: f32, slope: f32, inv_gamma: f32, j_max: f32, m_max: f32, j_reference: f32) -> f32 {
    let shifted = j_reference * aces2_pow(j_axis / j_reference, inv_gamma);
    return shifted * m_max / (j_max - slope * m_max);
}

fn aces2_gamut_boundary_m(cusp: vec2<f32>, j_max: f32, gamma_top_inv: f32, gamma_bottom_inv: f32, j_source: f32, slope: f32, j_cusp: f32) -> f32 {
    let lower = aces2_line_boundary_m(j_source, slope, gamma_bottom_inv, cusp.x, cusp.y, j_cusp);
    let upper = aces2_line_boundary_m(j_max - j_source, -slope, gamma_top_inv, j_max - cusp.x, cusp.y, j_max - j_cusp);
    return aces2_smin_scaled(lower, upper, cusp.y);
}

fn aces2_remap_m(m: f32, gamut_m: f32, reach_m: f32, invert: bool) -> f32 {
    let proportion = max(gamut_m / reach_m, ACES2_COMPRESSION_THRESHOLD);
    let threshold = proportion * gamut_m;
    let m_offset = m - threshold;
    let gamut_offset = gamut_m - threshold;
    let reach_offset = reach_m - threshold;
    let scale = reach_offset / ((reach_offset / gamut_offset) - 1.0);
    let nd = m_offset / scale;
    var remapped = scale * nd / (1.0 + nd);
    if invert {
        remapped = select(scale * -(nd / (nd - 1.0)), scale, nd >= 1.0);
    }
    return select(threshold + remapped, m, m <= threshold || proportion >= 1.0);
}

fn aces2_compress_gamut(jmh: vec3<f32>, jx: f32, reach: f32, hg: Aces2HueGamut, invert: bool) -> vec3<f32> {
    let limit = aces2_t(ACES2_OFF_SHARED);
    let focus_dist = aces2_t(ACES2_OFF_GAMUT + 1u);
    let gamma_bottom_inv = aces2_t(ACES2_OFF_GAMUT + 2u);
    let slope_gain = aces2_focus_gain(jx, hg.threshold, limit, focus_dist);
    let j_source = aces2_solve_j_intersect(jmh.x, jmh.y, hg.focus_j, limit, slope_gain);
    let slope = aces2_slope(j_source, hg.focus_j, limit, slope_gain);
    let j_cusp = aces2_solve_j_intersect(hg.cusp.x, hg.cusp.y, hg.focus_j, limit, slope_gain);
    let boundary = aces2_gamut_boundary_m(hg.cusp, limit, hg.gamma_top_inv, gamma_bottom_inv, j_source, slope, j_cusp);
    let reach_boundary = aces2_line_boundary_m(j_source, slope, aces2_t(ACES2_OFF_SHARED + 1u), limit, reach, limit);
    let remapped = aces2_remap_m(jmh.y, boundary, reach_boundary, invert);
    return select(vec3<f32>(jmh.x, 0.0, jmh.z), vec3<f32>(j_source + remapped * slope, remapped, jmh.z), boundary > 0.0);
}

// (limit, snJ, threshold, compr) of chroma compression for tone-mapped J.
fn aces2_chroma_terms(j_ts: f32, reach: f32, m_norm: f32) -> vec4<f32> {
    let nj = j_ts / aces2_t(ACES2_OFF_SHARED);
    let snj = max(1.0 - nj, 0.0);
    let limit = aces2_pow(nj, aces2_t(ACES2_OFF_SHARED + 1u)) * reach / m_norm;
    return vec4<f32>(limit, snj, sqrt(nj * nj + aces2_t(ACES2_OFF_CHROMA + 1u)), nj * aces2_t(ACES2_OFF_CHROMA + 2u));
}

fn aces2_ap1_clamp(aces: vec3<f32>) -> vec3<f32> {
    let upper = aces2_t(ACES2_OFF_CLAMP);
    let ap1 = min(max(aces2_mul(aces, ACES2_OFF_AP0_TO_AP1), vec3<f32>(0.0)), vec3<f32>(upper));
    return aces2_mul(ap1, ACES2_OFF_AP1_TO_AP0);
}

// ACES2065-1 → display-linear RGB in the limiting primaries (`aces2::forward`), the block at `base`.
fn aces2_forward(aces: vec3<f32>, base: u32) -> vec3<f32> {
    aces2_base = base;
    let out = aces2_forward_core(aces2_ap1_clamp(aces), base);
    return min(max(out, vec3<f32>(0.0)), vec3<f32>(aces2_t(ACES2_OFF_CLAMP + 1u)));
}

// The rendering alone, without the clamps around it (`aces2::forward_core`).
fn aces2_forward_core(rgb: vec3<f32>, base: u32) -> vec3<f32> {
    aces2_base = base;
    let pin = ACES2_OFF_IN;
    let pout = ACES2_OFF_OUT;
    let aab = aces2_rgb_to_aab(pin, rgb);
    let jmh = aces2_aab_to_jmh(pin, aab);
    let h = jmh.z;
    let reach = aces2_reach(h);
    let hr = ACES2_PI * h / 180.0;
    let cos_h = cos(hr);
    let sin_h = sin(hr);
    let m_norm = aces2_chroma_norm(cos_h, sin_h);
    let j_ts = aces2_sign_of(aces2_y_to_j(pin, aces2_tonescale_fwd(aces2_a_to_y(pin, aab.x))), aab.x);

    var m_cp = jmh.y;
    if jmh.y != 0.0 {
        let k = aces2_chroma_terms(j_ts, reach, m_norm);
        let sat = aces2_t(ACES2_OFF_CHROMA);
        m_cp = jmh.y * aces2_pow(j_ts / jmh.x, aces2_t(ACES2_OFF_SHARED + 1u)) / m_norm;
        m_cp = k.x - aces2_toe_fwd(k.x - m_cp, k.x - 0.001, k.y * sat, k.z);
        m_cp = aces2_toe_fwd(m_cp, k.x, k.w, k.y) * m_norm;
    }

    var compressed = vec3<f32>(j_ts, 0.0, h);
    if !(j_ts > 0.0) {
        compressed = vec3<f32>(0.0, 0.0, h);
    } else if m_cp > 0.0 && j_ts <= aces2_t(ACES2_OFF_SHARED) {
        compressed = aces2_compress_gamut(vec3<f32>(j_ts, m_cp, h), j_ts, reach, aces2_hue_gamut(h), false);
    }
    return aces2_aab_to_rgb(pout, aces2_jmh_to_aab(pout, compressed, cos_h, sin_h));
}

// Display-linear RGB in the limiting primaries → ACES2065-1 (`aces2::inverse`), the block at `base`.
fn aces2_inverse(display: vec3<f32>, base: u32) -> vec3<f32> {
    aces2_base = base;
    let rgb = min(max(display, vec3<f32>(0.0)), vec3<f32>(aces2_t(ACES2_OFF_CLAMP + 1u)));
    let aces = aces2_inverse_core(rgb, base);
    aces2_base = base;
    return aces2_ap1_clamp(aces);
}

// The inverse rendering alone (`aces2::inverse_core`).
fn aces2_inverse_core(rgb: vec3<f32>, base: u32) -> vec3<f32> {
    aces2_base = base;
    let pin = ACES2_OFF_IN;
    let pout = ACES2_OFF_OUT;
    let c = aces2_aab_to_jmh(pout, aces2_rgb_to_aab(pout, rgb));
    let h = c.z;
    let reach = aces2_reach(h);
    let hr = ACES2_PI * h / 180.0;
    let cos_h = cos(hr);
    let sin_h = sin(hr);
    let m_norm = aces2_chroma_norm(cos_h, sin_h);

    var tm = vec3<f32>(c.x, 0.0, h);
    if !(c.x > 0.0) {
        tm = vec3<f32>(0.0, 0.0, h);
    } else if c.y > 0.0 && c.x <= aces2_t(ACES2_OFF_SHARED) {
        let hg = aces2_hue_gamut(h);
        var jx = c.x;
        if jx > hg.threshold {
            jx = aces2_compress_gamut(c, jx, reach, hg, true).x;
        }
        tm = aces2_compress_gamut(c, jx, reach, hg, true);
    }
    let j_ts = tm.x;
    let j = aces2_sign_of(aces2_y_to_j(pin, aces2_tonescale_inv(aces2_a_to_y(pin, aces2_j_to_achromatic(pin, abs(j_ts))))), j_ts);

    var m = tm.y;
    if tm.y != 0.0 {
        let k = aces2_chroma_terms(j_ts, reach, m_norm);
        let sat = aces2_t(ACES2_OFF_CHROMA);
        m = aces2_toe_inv(tm.y / m_norm, k.x, k.w, k.y);
        m = k.x - aces2_toe_inv(k.x - m, k.x - 0.001, k.y * sat, k.z);
        m = m * m_norm * aces2_pow(j_ts / j, -aces2_t(ACES2_OFF_SHARED + 1u));
    }
    return aces2_aab_to_rgb(pin, aces2_jmh_to_aab(pin, vec3<f32>(j, m, h), cos_h, sin_h));
}
