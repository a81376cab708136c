//! The ACES 2.0 Output Transform (Academy ACES 2.0 display rendering transform, as OpenColorIO 2.4+
//! builds it in): ACES2065-1 → display-linear light in a display's limiting primaries, for a peak
//! luminance, and its inverse.
//!
//! The model: scene colours go into a CAM16-derived JMh space (lightness J, colourfulness M, hue h)
//! under fixed viewing conditions; J is tone-scaled (the Daniele curve, through luminance); M is
//! compressed towards the achromatic axis as J falls (chroma compression, hue dependent through a
//! third-order trigonometric norm); colours still outside the display gamut are then compressed
//! along hue-dependent lines towards a focus point, against the gamut boundary as the display's cusp
//! (most colourful colour per hue) and two hull gammas describe it, and against a "reach" boundary
//! (AP1 at the display's maximum J). The result goes back to RGB in the limiting primaries.
//!
//! Everything hue dependent is tabulated once per (peak, limiting primaries): the reach M per degree,
//! a hue table sampled so that the gamut's and the reach's corners fall on entries, and the display
//! cusp (J, M) plus the upper hull gamma per entry. Those tables and every constant travel in one
//! flat `f32` block ([`Aces2::block`]) that the shader (`shaders/ops/color_aces2.wgsl`) and the CPU
//! twin here ([`forward`], [`inverse`]) read at the same offsets with the same arithmetic.
//!
//! The maths follows the ACES 2.0 reference (aces-core CTL) as OpenColorIO implements it in
//! `ops/fixedfunction/ACES2` (learnt from, not copied); the results are held to PyOpenColorIO 2.6's
//! built-in `ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - …_2.0` transforms in tests/aces2.rs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::spaces::{self, Cat, Chromaticities, Mat3};

/// A row-major 3x3 matrix in f32: `out[r] = Σ v[c] · m[3r + c]`.
type M33 = [f32; 9];

const PI: f32 = std::f32::consts::PI;
const HUE_LIMIT: f32 = 360.0;

// Viewing conditions and model constants (ACES 2.0).
const REFERENCE_LUMINANCE: f32 = 100.0;
const L_A: f32 = 100.0;
const Y_B: f32 = 20.0;
const SURROUND: [f32; 3] = [0.9, 0.59, 0.9];
const J_SCALE: f32 = 100.0;
const CAM_NL_OFFSET: f32 = 0.2713 * 100.0;
const CAM_NL_SCALE: f32 = 4.0 * 100.0;

// Chroma compression.
const CHROMA_COMPRESS: f32 = 2.4;
const CHROMA_COMPRESS_FACT: f32 = 3.3;
const CHROMA_EXPAND: f32 = 1.3;
const CHROMA_EXPAND_FACT: f32 = 0.69;
const CHROMA_EXPAND_THR: f32 = 0.5;

// Gamut compression.
const SMOOTH_CUSPS: f32 = 0.12;
const SMOOTH_M: f32 = 0.27;
const CUSP_MID_BLEND: f32 = 1.3;
const FOCUS_GAIN_BLEND: f32 = 0.3;
const FOCUS_DISTANCE: f32 = 1.35;
const FOCUS_DISTANCE_SCALING: f32 = 1.75;
const COMPRESSION_THRESHOLD: f32 = 0.75;

/// CAM16's primaries as the model uses them (an RGB basis for its cone space).
const CAM16: Chromaticities =
    Chromaticities { red: [0.8336, 0.1735], green: [2.3854, -1.4659], blue: [0.087, -0.125], white: [0.333, 0.333] };

/// Entries of a hue table: one below 0°, 360 nominal, two above.
pub const TABLE_SIZE: usize = 363;
const FIRST_NOMINAL: usize = 1;
const UPPER_WRAP: usize = 361;
const LAST_NOMINAL: usize = 360;

// Offsets in the block (f32 words). A JMh parameter set: four matrices, then F_L_n, cz, 1/cz,
// A_w_J, 1/A_w_J.
const JMH_RGB_TO_CAM: usize = 0;
const JMH_CAM_TO_RGB: usize = 9;
const JMH_CONE_TO_AAB: usize = 18;
const JMH_AAB_TO_CONE: usize = 27;
const JMH_F_L_N: usize = 36;
const JMH_CZ: usize = 37;
const JMH_INV_CZ: usize = 38;
const JMH_A_W_J: usize = 39;
const JMH_INV_A_W_J: usize = 40;
const JMH_SIZE: usize = 41;

/// The scene side's (AP0) JMh parameters.
pub const OFF_IN: usize = 0;
/// The display side's (limiting primaries) JMh parameters.
pub const OFF_OUT: usize = OFF_IN + JMH_SIZE;
/// Tone scale: n, n_r, g, t_1, c_t, s_2, u_2, m_2, forward limit, inverse limit, log10 peak.
pub const OFF_TONE: usize = OFF_OUT + JMH_SIZE;
/// J of the peak (limit J max), then 1 / model gamma.
pub const OFF_SHARED: usize = OFF_TONE + 11;
/// Chroma compression: sat, sat threshold, compr, scale.
pub const OFF_CHROMA: usize = OFF_SHARED + 2;
/// Gamut compression: mid J, focus distance, 1 / lower hull gamma, hue search range (low, high).
pub const OFF_GAMUT: usize = OFF_CHROMA + 4;
/// Clamps: the AP1 upper bound before the rendering, the display-linear peak after it.
pub const OFF_CLAMP: usize = OFF_GAMUT + 5;
/// AP0 → AP1 (no adaptation).
pub const OFF_AP0_TO_AP1: usize = OFF_CLAMP + 2;
/// AP1 → AP0.
pub const OFF_AP1_TO_AP0: usize = OFF_AP0_TO_AP1 + 9;
/// Reach M per degree.
pub const OFF_REACH_TABLE: usize = OFF_AP1_TO_AP0 + 9;
/// Hues of the cusp table's entries.
pub const OFF_HUE_TABLE: usize = OFF_REACH_TABLE + TABLE_SIZE;
/// Per hue entry: cusp J, cusp M, 1 / upper hull gamma.
pub const OFF_CUSP_TABLE: usize = OFF_HUE_TABLE + TABLE_SIZE;
/// Words in a block.
pub const BLOCK_SIZE: usize = OFF_CUSP_TABLE + 3 * TABLE_SIZE;

fn m33(m: &Mat3) -> M33 {
    [0, 1, 2, 3, 4, 5, 6, 7, 8].map(|i| m[i / 3][i % 3] as f32)
}

fn mat3(m: &M33) -> Mat3 {
    [0, 1, 2].map(|r| [0, 1, 2].map(|c| f64::from(m[3 * r + c])))
}

fn mul_v(v: [f32; 3], m: &[f32]) -> [f32; 3] {
    [
        v[0] * m[0] + v[1] * m[1] + v[2] * m[2],
        v[0] * m[3] + v[1] * m[4] + v[2] * m[5],
        v[0] * m[6] + v[1] * m[7] + v[2] * m[8],
    ]
}

fn mul_m(a: &M33, b: &M33) -> M33 {
    [0, 1, 2, 3, 4, 5, 6, 7, 8].map(|i| {
        let (r, c) = (i / 3, i % 3);
        a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c]
    })
}

fn diag(v: [f32; 3]) -> M33 {
    [v[0], 0.0, 0.0, 0.0, v[1], 0.0, 0.0, 0.0, v[2]]
}

/// Inverse computed in f64 and rounded, as OpenColorIO inverts its f32 matrices.
fn invert(m: &M33) -> M33 {
    m33(&spaces::invert3(&mat3(m)).unwrap_or([[f64::NAN; 3]; 3]))
}

fn rgb_to_xyz(c: &Chromaticities) -> M33 {
    m33(&spaces::rgb_to_xyz_matrix(c))
}

fn xyz_to_rgb(c: &Chromaticities) -> M33 {
    m33(&spaces::xyz_to_rgb_matrix(c))
}

/// `(b − a) · t + a`.
fn lerpf(a: f32, b: f32, t: f32) -> f32 {
    (b - a) * t + a
}

/// `x^e`, 0 for x = 0 whatever e (the shader's `pow` is exp2(e·log2 x), undefined at 0).
fn pow(x: f32, e: f32) -> f32 {
    if x == 0.0 { 0.0 } else { x.powf(e) }
}

fn to_radians(h: f32) -> f32 {
    PI * h / 180.0
}

/// Degrees in [0, 360) of an angle from atan2 (−π..π).
fn from_radians(v: f32) -> f32 {
    let y = 180.0 * v / PI;
    if y < 0.0 { y + HUE_LIMIT } else { y }
}

// --- the colour appearance model --------------------------------------------------------------

fn compress_cone(rc: f32) -> f32 {
    let f = pow(rc, 0.42);
    f / (CAM_NL_OFFSET + f)
}

fn expand_cone(ra: f32) -> f32 {
    let ra = ra.min(0.99);
    pow(CAM_NL_OFFSET * ra / (1.0 - ra), 1.0 / 0.42)
}

fn compress_cone_signed(v: f32) -> f32 {
    compress_cone(v.abs()).copysign(v)
}

fn expand_cone_signed(v: f32) -> f32 {
    expand_cone(v.abs()).copysign(v)
}

/// A block's view: every reader takes the block and an offset, as the shader does.
#[derive(Clone, Copy)]
struct Jmh<'a>(&'a [f32]);

impl Jmh<'_> {
    fn m(&self, off: usize) -> &[f32] {
        &self.0[off..off + 9]
    }

    fn achromatic_to_j(&self, a: f32) -> f32 {
        J_SCALE * pow(a, self.0[JMH_CZ])
    }

    fn j_to_achromatic(&self, j: f32) -> f32 {
        pow(j * (1.0 / J_SCALE), self.0[JMH_INV_CZ])
    }

    fn a_to_y(&self, a: f32) -> f32 {
        expand_cone(self.0[JMH_A_W_J] * a) / self.0[JMH_F_L_N]
    }

    fn j_to_y(&self, abs_j: f32) -> f32 {
        self.a_to_y(self.j_to_achromatic(abs_j))
    }

    fn y_to_j(&self, abs_y: f32) -> f32 {
        let ra = compress_cone(abs_y * self.0[JMH_F_L_N]);
        self.achromatic_to_j(ra * self.0[JMH_INV_A_W_J])
    }

    fn rgb_to_aab(&self, rgb: [f32; 3]) -> [f32; 3] {
        let m = mul_v(rgb, self.m(JMH_RGB_TO_CAM));
        mul_v(m.map(compress_cone_signed), self.m(JMH_CONE_TO_AAB))
    }

    fn aab_to_jmh(&self, aab: [f32; 3]) -> [f32; 3] {
        if aab[0].is_nan() || aab[0] <= 0.0 {
            return [0.0; 3];
        }
        let j = self.achromatic_to_j(aab[0]);
        let m = (aab[1] * aab[1] + aab[2] * aab[2]).sqrt();
        [j, m, from_radians(aab[2].atan2(aab[1]))]
    }

    fn rgb_to_jmh(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.aab_to_jmh(self.rgb_to_aab(rgb))
    }

    fn jmh_to_aab(&self, jmh: [f32; 3], cos_h: f32, sin_h: f32) -> [f32; 3] {
        [self.j_to_achromatic(jmh[0]), jmh[1] * cos_h, jmh[1] * sin_h]
    }

    fn aab_to_rgb(&self, aab: [f32; 3]) -> [f32; 3] {
        let a = mul_v(aab, self.m(JMH_AAB_TO_CONE));
        mul_v(a.map(expand_cone_signed), self.m(JMH_CAM_TO_RGB))
    }

    fn jmh_to_rgb(&self, jmh: [f32; 3]) -> [f32; 3] {
        let h = to_radians(jmh[2]);
        self.aab_to_rgb(self.jmh_to_aab(jmh, h.cos(), h.sin()))
    }
}

/// 0.59 · (1.48 + √(Y_b / 100)): the model's c·z exponent.
fn model_gamma() -> f32 {
    SURROUND[1] * (1.48 + (Y_B / REFERENCE_LUMINANCE).sqrt())
}

/// The JMh parameters for RGB in `prims` (41 words).
fn jmh_params(prims: &Chromaticities) -> Vec<f32> {
    let base_cone_to_aab: M33 = [2.0, 1.0, 1.0 / 20.0, 1.0, -12.0 / 11.0, 1.0 / 11.0, 1.0 / 9.0, 1.0 / 9.0, -2.0 / 9.0];
    let cam16_from_xyz = xyz_to_rgb(&CAM16);
    let to_xyz = rgb_to_xyz(prims);
    let xyz_w = mul_v([REFERENCE_LUMINANCE; 3], &to_xyz);
    let y_w = xyz_w[1];
    let rgb_w = mul_v(xyz_w, &cam16_from_xyz);

    let k = 1.0 / (5.0 * L_A + 1.0);
    let k4 = k * k * k * k;
    let f_l = 0.2 * k4 * (5.0 * L_A) + 0.1 * (1.0 - k4).powf(2.0) * (5.0 * L_A).powf(1.0 / 3.0);
    let f_l_n = f_l / REFERENCE_LUMINANCE;
    let cz = model_gamma();

    let d_rgb = [0, 1, 2].map(|i| f_l_n * y_w / rgb_w[i]);
    let rgb_aw = [0, 1, 2].map(|i| compress_cone_signed(d_rgb[i] * rgb_w[i]));
    let cone_to_aab = mul_m(&diag([CAM_NL_SCALE; 3]), &base_cone_to_aab);
    let a_w = cone_to_aab[0] * rgb_aw[0] + cone_to_aab[1] * rgb_aw[1] + cone_to_aab[2] * rgb_aw[2];
    let a_w_j = compress_cone(f_l);

    let rgb_to_cam16 = mul_m(&mul_m(&cam16_from_xyz, &to_xyz), &diag([REFERENCE_LUMINANCE; 3]));
    let rgb_to_cam16_c = mul_m(&diag(d_rgb), &rgb_to_cam16);
    let cam16_c_to_rgb = invert(&rgb_to_cam16_c);
    let s = 43.0 * SURROUND[2];
    let c = &cone_to_aab;
    let cone_response_to_aab: M33 =
        [c[0] / a_w, c[1] / a_w, c[2] / a_w, c[3] * s, c[4] * s, c[5] * s, c[6] * s, c[7] * s, c[8] * s];
    let aab_to_cone = invert(&cone_response_to_aab);

    let mut p = Vec::with_capacity(JMH_SIZE);
    p.extend(rgb_to_cam16_c);
    p.extend(cam16_c_to_rgb);
    p.extend(cone_response_to_aab);
    p.extend(aab_to_cone);
    p.extend([f_l_n, cz, 1.0 / cz, a_w_j, 1.0 / a_w_j]);
    p
}

// --- tone scale and chroma compression --------------------------------------------------------

/// The tone scale constants for a peak luminance (nits).
fn tone_params(peak: f32) -> [f32; 11] {
    let n = peak;
    let n_r = 100.0f32;
    let g = 1.15f32;
    let c = 0.18f32;
    let c_d = 10.013f32;
    let w_g = 0.14f32;
    let t_1 = 0.04f32;
    let (r_hit_min, r_hit_max) = (128.0f32, 896.0f32);
    let r_hit = r_hit_min + (r_hit_max - r_hit_min) * ((n / n_r).ln() / (10000.0f32 / 100.0).ln());
    let m_0 = n / n_r;
    let m_1 = 0.5 * (m_0 + (m_0 * (m_0 + 4.0 * t_1)).sqrt());
    let u = ((r_hit / m_1) / ((r_hit / m_1) + 1.0)).powf(g);
    let m = m_1 / u;
    let w_i = (n / 100.0).ln() / 2.0f32.ln();
    let c_t = c_d / n_r * (1.0 + w_i * w_g);
    let g_ip = 0.5 * (c_t + (c_t * (c_t + 4.0 * t_1)).sqrt());
    let g_ipp2 = -(m_1 * (g_ip / m).powf(1.0 / g)) / ((g_ip / m).powf(1.0 / g) - 1.0);
    let w_2 = c / g_ipp2;
    let s_2 = w_2 * m_1 * REFERENCE_LUMINANCE;
    let u_2 = ((r_hit / m_1) / ((r_hit / m_1) + w_2)).powf(g);
    let m_2 = m_1 / u_2;
    let inverse_limit = n / (u_2 * n_r);
    let forward_limit = 8.0 * r_hit;
    let log_peak = (n / n_r).log10();
    [n, n_r, g, t_1, c_t, s_2, u_2, m_2, forward_limit, inverse_limit, log_peak]
}

const T_N_R: usize = 1;
const T_G: usize = 2;
const T_T1: usize = 3;
const T_C_T: usize = 4;
const T_S2: usize = 5;
const T_M2: usize = 7;
const T_FORWARD_LIMIT: usize = 8;
const T_INVERSE_LIMIT: usize = 9;
const T_LOG_PEAK: usize = 10;

fn tonescale_fwd(y: f32, t: &[f32]) -> f32 {
    let f = t[T_M2] * pow(y / (y + t[T_S2]), t[T_G]);
    (f * f / (f + t[T_T1])).max(0.0) * t[T_N_R]
}

fn tonescale_inv(y: f32, t: &[f32]) -> f32 {
    let z = (y / REFERENCE_LUMINANCE).min(t[T_INVERSE_LIMIT]).max(0.0);
    let f = (z + (z * (4.0 * t[T_T1] + z)).sqrt()) / 2.0;
    t[T_S2] / (pow(t[T_M2] / f, 1.0 / t[T_G]) - 1.0)
}

/// The hue-dependent norm chroma compression scales M by (a third-order Fourier series in h).
fn chroma_compress_norm(cos_h: f32, sin_h: f32, scale: f32) -> f32 {
    let cos2 = 2.0 * cos_h * cos_h - 1.0;
    let sin2 = 2.0 * cos_h * sin_h;
    let cos3 = 4.0 * cos_h * cos_h * cos_h - 3.0 * cos_h;
    let sin3 = 3.0 * sin_h - 4.0 * sin_h * sin_h * sin_h;
    let m = 11.34072 * cos_h
        + 16.46899 * cos2
        + 7.88380 * cos3
        + 14.66441 * sin_h
        + -6.37224 * sin2
        + 9.19364 * sin3
        + 77.12896;
    m * scale
}

fn toe_fwd(x: f32, limit: f32, k1_in: f32, k2_in: f32) -> f32 {
    if x > limit {
        return x;
    }
    let k2 = k2_in.max(0.001);
    let k1 = (k1_in * k1_in + k2 * k2).sqrt();
    let k3 = (limit + k1) / (limit + k2);
    let minus_b = k3 * x - k1;
    let minus_ac = k2 * k3 * x;
    0.5 * (minus_b + (minus_b * minus_b + 4.0 * minus_ac).sqrt())
}

fn toe_inv(x: f32, limit: f32, k1_in: f32, k2_in: f32) -> f32 {
    if x > limit {
        return x;
    }
    let k2 = k2_in.max(0.001);
    let k1 = (k1_in * k1_in + k2 * k2).sqrt();
    let k3 = (limit + k1) / (limit + k2);
    (x * x + k1 * x) / (k3 * (x + k2))
}

// --- the block's tables -----------------------------------------------------------------------

/// The reach M of hue `h` (degrees, [0, 360)) from the per-degree table at `reach`.
fn reach_m(reach: &[f32], h: f32) -> f32 {
    let base = (h as usize).min(359);
    let t = h - base as f32;
    lerpf(reach[base + FIRST_NOMINAL], reach[base + FIRST_NOMINAL + 1], t)
}

/// The upper index of the hue table interval holding `h`, searched from `h`'s nominal position
/// within the block's search range.
fn hue_interval(hues: &[f32], h: f32, range: [i32; 2]) -> usize {
    let mut i = FIRST_NOMINAL as i32 + (h as i32).clamp(0, 359);
    let mut lo = (i + range[0]).max(0);
    let mut hi = (i + range[1]).min(UPPER_WRAP as i32);
    while lo + 1 < hi {
        if h > hues[i as usize] {
            lo = i;
        } else {
            hi = i;
        }
        i = (lo + hi) / 2;
    }
    hi.max(1) as usize
}

/// A hue's gamut description: cusp J and M, 1 / upper hull gamma, focus J, analytical threshold.
struct HueGamut {
    cusp: [f32; 2],
    gamma_top_inv: f32,
    focus_j: f32,
    threshold: f32,
}

fn focus_j(cusp_j: f32, mid_j: f32, limit_j_max: f32) -> f32 {
    lerpf(cusp_j, mid_j, (CUSP_MID_BLEND - cusp_j / limit_j_max).min(1.0))
}

fn focus_gain(j: f32, threshold: f32, limit_j_max: f32, focus_dist: f32) -> f32 {
    let gain = limit_j_max * focus_dist;
    if j > threshold {
        // Approximate inverse above the threshold, where J enters the computation.
        let adjust = ((limit_j_max - threshold) / (limit_j_max - j).max(0.0001)).log10();
        return gain * (adjust * adjust + 1.0);
    }
    gain
}

fn solve_j_intersect(j: f32, m: f32, focus_j: f32, max_j: f32, slope_gain: f32) -> f32 {
    let m_scaled = m / slope_gain;
    let a = m_scaled / focus_j;
    if j < focus_j {
        let b = 1.0 - m_scaled;
        let c = -j;
        let root = (b * b - 4.0 * a * c).sqrt();
        -2.0 * c / (b + root)
    } else {
        let b = -(1.0 + m_scaled + max_j * a);
        let c = max_j * m_scaled + j;
        let root = (b * b - 4.0 * a * c).sqrt();
        -2.0 * c / (b - root)
    }
}

fn smin_scaled(a: f32, b: f32, scale_reference: f32) -> f32 {
    let s = SMOOTH_CUSPS * scale_reference;
    let h = (s - (a - b).abs()).max(0.0) / s;
    a.min(b) - h * h * h * s * (1.0 / 6.0)
}

fn compression_vector_slope(intersect_j: f32, focus_j: f32, limit_j_max: f32, slope_gain: f32) -> f32 {
    let direction = if intersect_j < focus_j { intersect_j } else { limit_j_max - intersect_j };
    direction * (intersect_j - focus_j) / (focus_j * slope_gain)
}

/// Where the line `J = slope·M + J_axis_intersect` meets the boundary `J = J_max (M / M_max)^(1/γ)`,
/// approximately (the intersection shifted through the boundary's exponent).
fn line_boundary_m(j_axis: f32, slope: f32, inv_gamma: f32, j_max: f32, m_max: f32, j_reference: f32) -> f32 {
    let shifted = j_reference * pow(j_axis / j_reference, inv_gamma);
    shifted * m_max / (j_max - slope * m_max)
}

fn gamut_boundary_m(
    cusp: [f32; 2],
    j_max: f32,
    gamma_top_inv: f32,
    gamma_bottom_inv: f32,
    j_source: f32,
    slope: f32,
    j_cusp: f32,
) -> f32 {
    let lower = line_boundary_m(j_source, slope, gamma_bottom_inv, cusp[0], cusp[1], j_cusp);
    // The upper hull, flipped so that it starts at J max.
    let upper = line_boundary_m(j_max - j_source, -slope, gamma_top_inv, j_max - cusp[0], cusp[1], j_max - j_cusp);
    smin_scaled(lower, upper, cusp[1])
}

fn remap_m(m: f32, gamut_m: f32, reach_m: f32, invert: bool) -> f32 {
    let proportion = (gamut_m / reach_m).max(COMPRESSION_THRESHOLD);
    let threshold = proportion * gamut_m;
    if m <= threshold || proportion >= 1.0 {
        return m;
    }
    let m_offset = m - threshold;
    let gamut_offset = gamut_m - threshold;
    let reach_offset = reach_m - threshold;
    let scale = reach_offset / ((reach_offset / gamut_offset) - 1.0);
    let nd = m_offset / scale;
    let remapped =
        if invert { if nd >= 1.0 { scale } else { scale * -(nd / (nd - 1.0)) } } else { scale * nd / (1.0 + nd) };
    threshold + remapped
}

/// The block, read at its offsets.
#[derive(Clone, Copy)]
struct Block<'a>(&'a [f32]);

impl<'a> Block<'a> {
    fn jmh_in(&self) -> Jmh<'a> {
        Jmh(&self.0[OFF_IN..OFF_IN + JMH_SIZE])
    }

    fn jmh_out(&self) -> Jmh<'a> {
        Jmh(&self.0[OFF_OUT..OFF_OUT + JMH_SIZE])
    }

    fn tone(&self) -> &'a [f32] {
        &self.0[OFF_TONE..OFF_TONE + 11]
    }

    fn limit_j_max(&self) -> f32 {
        self.0[OFF_SHARED]
    }

    fn model_gamma_inv(&self) -> f32 {
        self.0[OFF_SHARED + 1]
    }

    fn hue_gamut(&self, h: f32) -> HueGamut {
        let g = &self.0[OFF_GAMUT..OFF_GAMUT + 5];
        let hues = &self.0[OFF_HUE_TABLE..OFF_HUE_TABLE + TABLE_SIZE];
        let i = hue_interval(hues, h, [g[3] as i32, g[4] as i32]);
        let t = (h - hues[i - 1]) / (hues[i] - hues[i - 1]);
        let cusp_at = |k: usize, c: usize| self.0[OFF_CUSP_TABLE + 3 * k + c];
        let cusp = [0, 1, 2].map(|c| lerpf(cusp_at(i - 1, c), cusp_at(i, c), t));
        let limit = self.limit_j_max();
        HueGamut {
            cusp: [cusp[0], cusp[1]],
            gamma_top_inv: cusp[2],
            focus_j: focus_j(cusp[0], g[0], limit),
            threshold: lerpf(cusp[0], limit, FOCUS_GAIN_BLEND),
        }
    }

    fn compress_gamut(&self, jmh: [f32; 3], jx: f32, reach: f32, hg: &HueGamut, invert: bool) -> [f32; 3] {
        let [j, m, h] = jmh;
        let limit = self.limit_j_max();
        let focus_dist = self.0[OFF_GAMUT + 1];
        let gamma_bottom_inv = self.0[OFF_GAMUT + 2];
        let slope_gain = focus_gain(jx, hg.threshold, limit, focus_dist);
        let j_source = solve_j_intersect(j, m, hg.focus_j, limit, slope_gain);
        let slope = compression_vector_slope(j_source, hg.focus_j, limit, slope_gain);
        let j_cusp = solve_j_intersect(hg.cusp[0], hg.cusp[1], hg.focus_j, limit, slope_gain);
        let boundary = gamut_boundary_m(hg.cusp, limit, hg.gamma_top_inv, gamma_bottom_inv, j_source, slope, j_cusp);
        if boundary <= 0.0 {
            return [j, 0.0, h];
        }
        let reach_boundary = line_boundary_m(j_source, slope, self.model_gamma_inv(), limit, reach, limit);
        let remapped = remap_m(m, boundary, reach_boundary, invert);
        [j_source + remapped * slope, remapped, h]
    }

    fn reach(&self, h: f32) -> f32 {
        reach_m(&self.0[OFF_REACH_TABLE..OFF_REACH_TABLE + TABLE_SIZE], h)
    }

    fn chroma_norm(&self, cos_h: f32, sin_h: f32) -> f32 {
        chroma_compress_norm(cos_h, sin_h, self.0[OFF_CHROMA + 3])
    }

    /// Chroma compression limits: (limit, sat, threshold, compr) for tone-mapped J.
    fn chroma_terms(&self, j_ts: f32, reach: f32, m_norm: f32) -> (f32, f32, f32, f32) {
        let c = &self.0[OFF_CHROMA..OFF_CHROMA + 4];
        let nj = j_ts / self.limit_j_max();
        let snj = (1.0 - nj).max(0.0);
        let limit = pow(nj, self.model_gamma_inv()) * reach / m_norm;
        (limit, snj, (nj * nj + c[1]).sqrt(), nj * c[2])
    }
}

/// ACES2065-1 → display-linear RGB in the block's limiting primaries (1.0 = 100 nits), clamped to
/// 0..peak as OpenColorIO's built-in does (the AP1 clamp before, the display range after).
pub fn forward(block: &[f32], aces: [f32; 3]) -> [f32; 3] {
    let rgb = ap1_clamp(block, aces);
    let out = forward_core(block, rgb);
    let peak = block[OFF_CLAMP + 1];
    out.map(|v| v.max(0.0).min(peak))
}

/// The AP1 clamp around the rendering: ACES2065-1 limited to AP1 0..upper bound.
fn ap1_clamp(block: &[f32], aces: [f32; 3]) -> [f32; 3] {
    let upper = block[OFF_CLAMP];
    let ap1 = mul_v(aces, &block[OFF_AP0_TO_AP1..OFF_AP0_TO_AP1 + 9]).map(|v| v.max(0.0).min(upper));
    mul_v(ap1, &block[OFF_AP1_TO_AP0..OFF_AP1_TO_AP0 + 9])
}

/// The rendering alone (OpenColorIO's `ACES_OUTPUT_TRANSFORM_20` fixed function), without the
/// clamps its built-ins put around it.
pub fn forward_core(block: &[f32], rgb: [f32; 3]) -> [f32; 3] {
    let b = Block(block);

    let (jin, jout) = (b.jmh_in(), b.jmh_out());
    let aab = jin.rgb_to_aab(rgb);
    let [j, m, h] = jin.aab_to_jmh(aab);
    let reach = b.reach(h);
    let hr = to_radians(h);
    let (cos_h, sin_h) = (hr.cos(), hr.sin());
    let m_norm = b.chroma_norm(cos_h, sin_h);

    // Tone scale through luminance, from the achromatic response.
    let j_ts = jin.y_to_j(tonescale_fwd(jin.a_to_y(aab[0]), b.tone())).copysign(aab[0]);

    // Chroma compression.
    let mut m_cp = m;
    if m != 0.0 {
        let (limit, snj, thr, compr) = b.chroma_terms(j_ts, reach, m_norm);
        let sat = block[OFF_CHROMA];
        m_cp = m * pow(j_ts / j, b.model_gamma_inv()) / m_norm;
        m_cp = limit - toe_fwd(limit - m_cp, limit - 0.001, snj * sat, thr);
        m_cp = toe_fwd(m_cp, limit, compr, snj) * m_norm;
    }

    // Gamut compression.
    // NaN lands on black, as in the shader.
    let compressed = if j_ts.is_nan() || j_ts <= 0.0 {
        [0.0, 0.0, h]
    } else if m_cp.is_nan() || m_cp <= 0.0 || j_ts > b.limit_j_max() {
        [j_ts, 0.0, h]
    } else {
        let hg = b.hue_gamut(h);
        b.compress_gamut([j_ts, m_cp, h], j_ts, reach, &hg, false)
    };

    jout.aab_to_rgb(jout.jmh_to_aab(compressed, cos_h, sin_h))
}

/// Display-linear RGB in the limiting primaries → ACES2065-1: the inverse of [`forward`] for
/// values the forward transform can produce (0..peak; outside it the display clamp comes first).
pub fn inverse(block: &[f32], rgb: [f32; 3]) -> [f32; 3] {
    let peak = block[OFF_CLAMP + 1];
    let aces = inverse_core(block, rgb.map(|v| v.max(0.0).min(peak)));
    // The AP1 clamp's inverse: the same clamp.
    ap1_clamp(block, aces)
}

/// The inverse rendering alone (without the clamps), as [`forward_core`].
pub fn inverse_core(block: &[f32], rgb: [f32; 3]) -> [f32; 3] {
    let b = Block(block);
    let (jin, jout) = (b.jmh_in(), b.jmh_out());
    let [jc, mc, h] = jout.rgb_to_jmh(rgb);
    let reach = b.reach(h);
    let hr = to_radians(h);
    let (cos_h, sin_h) = (hr.cos(), hr.sin());
    let m_norm = b.chroma_norm(cos_h, sin_h);

    // Gamut decompression.
    let [j_ts, m_cp, _] = if jc.is_nan() || jc <= 0.0 {
        [0.0, 0.0, h]
    } else if mc.is_nan() || mc <= 0.0 || jc > b.limit_j_max() {
        [jc, 0.0, h]
    } else {
        let hg = b.hue_gamut(h);
        let mut jx = jc;
        if jx > hg.threshold {
            jx = b.compress_gamut([jc, mc, h], jx, reach, &hg, true)[0];
        }
        b.compress_gamut([jc, mc, h], jx, reach, &hg, true)
    };

    // Inverse tone scale.
    let j = jin.y_to_j(tonescale_inv(jin.j_to_y(j_ts.abs()), b.tone())).copysign(j_ts);

    // Chroma decompression.
    let mut m = m_cp;
    if m_cp != 0.0 {
        let (limit, snj, thr, compr) = b.chroma_terms(j_ts, reach, m_norm);
        let sat = block[OFF_CHROMA];
        m = toe_inv(m_cp / m_norm, limit, compr, snj);
        m = limit - toe_inv(limit - m, limit - 0.001, snj * sat, thr);
        m = m * m_norm * pow(j_ts / j, -b.model_gamma_inv());
    }

    jin.aab_to_rgb(jin.jmh_to_aab([j, m, h], cos_h, sin_h))
}

// --- building the block -----------------------------------------------------------------------

/// The unit cube's corners in hue order: R, Y, G, C, B, M.
fn cube_corner(i: usize) -> [f32; 3] {
    [((i + 1) % 6 < 3), ((i + 5) % 6 < 3), ((i + 3) % 6 < 3)].map(f32::from)
}

/// Six corners rotated so the lowest hue is at 1, with wrapped copies at 0 and 7.
fn cycle<T: Copy>(items: [T; 6], hues: [f32; 6]) -> ([T; 8], [f32; 8]) {
    let mut min = 0;
    for i in 0..6 {
        if hues[i] < hues[min] {
            min = i;
        }
    }
    let mut out = [items[0]; 8];
    let mut h = [0.0; 8];
    for i in 0..6 {
        out[i + 1] = items[(i + min) % 6];
        h[i + 1] = hues[(i + min) % 6];
    }
    (out[0], out[7]) = (out[6], out[1]);
    (h[0], h[7]) = (h[6] - HUE_LIMIT, h[1] + HUE_LIMIT);
    (out, h)
}

/// The reach gamut's (AP1) corners at J = limit J max, found through the achromatic response.
fn reach_corners(reach: Jmh, limit_j: f32, maximum: f32) -> [[f32; 3]; 8] {
    let limit_a = reach.j_to_achromatic(limit_j);
    let jmh: [[f32; 3]; 6] = [0, 1, 2, 3, 4, 5].map(|i| {
        let v = cube_corner(i);
        let (mut lower, mut upper) = (0.0f32, maximum);
        while upper - lower > 1e-3 {
            let test = (lower + upper) / 2.0;
            let a = reach.rgb_to_aab(v.map(|c| c * test))[0];
            if a < limit_a {
                lower = test;
            } else {
                upper = test;
            }
            if a == limit_a {
                break;
            }
        }
        reach.rgb_to_jmh(v.map(|c| c * upper))
    });
    let (mut out, hues) = cycle(jmh, jmh.map(|c| c[2]));
    for (o, h) in out.iter_mut().zip(hues) {
        o[2] = h;
    }
    out
}

/// The display gamut's corners at the peak: RGB and JMh.
fn display_corners(display: Jmh, peak: f32) -> ([[f32; 3]; 8], [[f32; 3]; 8]) {
    let rgb = [0, 1, 2, 3, 4, 5].map(|i| cube_corner(i).map(|c| c * (peak / REFERENCE_LUMINANCE)));
    let jmh = rgb.map(|c| display.rgb_to_jmh(c));
    let (rgb_c, _) = cycle(rgb, jmh.map(|c| c[2]));
    let (mut jmh_c, hues) = cycle(jmh, jmh.map(|c| c[2]));
    for (o, h) in jmh_c.iter_mut().zip(hues) {
        o[2] = h;
    }
    (rgb_c, jmh_c)
}

/// Reach M per degree at J = limit J max: the largest M whose AP1 RGB has no negative component.
fn reach_table(reach: Jmh, limit_j_max: f32) -> Vec<f32> {
    let mut table = vec![0.0f32; TABLE_SIZE];
    for i in 0..360 {
        let hue = i as f32;
        let outside = |m: f32| reach.jmh_to_rgb([limit_j_max, m, hue]).iter().any(|v| *v < 0.0);
        let (mut low, mut high) = (0.0f32, 50.0f32);
        let mut out = false;
        while !out && high < 1300.0 {
            out = outside(high);
            if !out {
                low = high;
                high += 50.0;
            }
        }
        while high - low > 1e-2 {
            let mid = (high + low) / 2.0;
            if outside(mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        table[i + FIRST_NOMINAL] = high;
    }
    table[0] = table[LAST_NOMINAL];
    table[UPPER_WRAP] = table[FIRST_NOMINAL];
    table[UPPER_WRAP + 1] = table[FIRST_NOMINAL + 1];
    table
}

/// The unique hues of both corner sets, merged in order.
fn sorted_corner_hues(reach: &[[f32; 3]; 8], display: &[[f32; 3]; 8]) -> Vec<f32> {
    let (mut r, mut d) = (1, 1);
    let mut out = Vec::with_capacity(12);
    while r < 7 || d < 7 {
        let (rh, dh) = (reach[r][2], display[d][2]);
        if rh == dh {
            out.push(rh);
            r += 1;
            d += 1;
        } else if rh < dh {
            out.push(rh);
            r += 1;
        } else {
            out.push(dh);
            d += 1;
        }
    }
    out
}

/// A hue table as uniform as possible with every corner hue on an entry.
fn hue_table(sorted: &[f32]) -> Vec<f32> {
    let mut counts = vec![0usize; sorted.len()];
    let mut last = usize::MAX;
    let mut min_index = if sorted[0] == 0.0 { 0 } else { 1 };
    for k in 0..sorted.len() {
        let mut nominal = ((sorted[k].round().max(0.0) as usize).max(min_index)).min(359);
        if last == nominal {
            // Two hues on one entry: move the previous one down if there is room, else this one up.
            if k > 1 && counts[k - 2] != counts[k - 1].wrapping_sub(1) {
                counts[k - 1] -= 1;
            } else {
                nominal += 1;
            }
        }
        counts[k] = nominal.min(359);
        last = nominal;
        min_index = nominal;
    }
    let mut table = vec![0.0f32; TABLE_SIZE];
    let mut fill = |samples: usize, lower: f32, upper: f32, base: usize| {
        let delta = (upper - lower) / samples as f32;
        for i in 0..samples {
            if let Some(slot) = table.get_mut(base + i) {
                *slot = lower + i as f32 * delta;
            }
        }
    };
    let mut total = 0;
    fill(counts[0], 0.0, sorted[0], total + 1);
    total += counts[0];
    for k in 1..sorted.len() {
        let samples = counts[k].saturating_sub(counts[k - 1]);
        fill(samples, sorted[k - 1], sorted[k], total + 1);
        total += samples;
    }
    fill(360usize.saturating_sub(total), sorted[sorted.len() - 1], HUE_LIMIT, total + 1);
    table[0] = table[LAST_NOMINAL] - HUE_LIMIT;
    table[UPPER_WRAP] = table[FIRST_NOMINAL] + HUE_LIMIT;
    table[UPPER_WRAP + 1] = table[FIRST_NOMINAL + 1] + HUE_LIMIT;
    table
}

/// The display's cusp (J, M) at `hue`: a bisection along the gamut edge between two corners.
fn display_cusp(
    hue: f32,
    rgb: &[[f32; 3]; 8],
    jmh: &[[f32; 3]; 8],
    display: Jmh,
    previous: &mut (usize, f32),
) -> [f32; 2] {
    let upper = (1..8).find(|&i| jmh[i][2] > hue).unwrap_or(1);
    let lower = upper - 1;
    if jmh[lower][2] == hue {
        return [jmh[lower][0], jmh[lower][1]];
    }
    let lerp3 = |t: f32| [0, 1, 2].map(|c| lerpf(rgb[lower][c], rgb[upper][c], t));
    let mut lo = if upper == previous.0 { previous.1 } else { 0.0 };
    let mut hi = 1.0f32;
    while hi - lo > 1e-7 {
        let t = (lo + hi) / 2.0;
        let h = display.rgb_to_jmh(lerp3(t))[2];
        if h < jmh[lower][2] {
            hi = t;
        } else if h >= jmh[upper][2] || h <= hue {
            lo = t;
        } else {
            hi = t;
        }
    }
    let t = (lo + hi) / 2.0;
    let s = display.rgb_to_jmh(lerp3(t));
    *previous = (upper, t);
    [s[0], s[1]]
}

/// Whether an upper hull gamma keeps the boundary outside the display gamut at five test points.
#[allow(clippy::too_many_arguments)]
fn gamma_fits(
    cusp: [f32; 2],
    hue: f32,
    gamma_top_inv: f32,
    peak: f32,
    limit: f32,
    mid_j: f32,
    focus_dist: f32,
    gamma_bottom_inv: f32,
    display: Jmh,
) -> bool {
    let threshold = lerpf(cusp[0], limit, FOCUS_GAIN_BLEND);
    let fj = focus_j(cusp[0], mid_j, limit);
    [0.01f32, 0.1, 0.5, 0.8, 0.99].iter().all(|&pos| {
        let test_j = lerpf(cusp[0], limit, pos);
        let gain = focus_gain(test_j, threshold, limit, focus_dist);
        let j_source = solve_j_intersect(test_j, cusp[1], fj, limit, gain);
        let slope = compression_vector_slope(j_source, fj, limit, gain);
        let j_cusp = solve_j_intersect(cusp[0], cusp[1], fj, limit, gain);
        let m = gamut_boundary_m(cusp, limit, gamma_top_inv, gamma_bottom_inv, j_source, slope, j_cusp);
        let rgb = display.jmh_to_rgb([j_source + slope * m, m, hue]);
        rgb.iter().any(|v| *v > peak / REFERENCE_LUMINANCE)
    })
}

/// The ACES 2.0 Output Transform for one peak luminance and one set of limiting primaries.
#[derive(Clone, Debug, PartialEq)]
pub struct Aces2 {
    /// The block the shader and [`forward`] / [`inverse`] read ([`BLOCK_SIZE`] words).
    pub block: Vec<f32>,
}

impl Aces2 {
    /// Builds the tables for `peak` nits (100 for SDR; 108 (as 225) to 4000 for HDR) and the display
    /// gamut `limiting`. Takes a few milliseconds: see [`shared`] for a cached one.
    pub fn new(peak: f32, limiting: &Chromaticities) -> Aces2 {
        let jmh_in = jmh_params(&spaces::ACES_AP0);
        let jmh_out = jmh_params(limiting);
        let jmh_reach = jmh_params(&spaces::ACES_AP1);
        let (jin, jout, jreach) = (Jmh(&jmh_in), Jmh(&jmh_out), Jmh(&jmh_reach));
        let tone = tone_params(peak);
        let limit_j_max = jin.y_to_j(peak);
        let model_gamma_inv = 1.0 / model_gamma();
        let log_peak = tone[T_LOG_PEAK];

        let compr = CHROMA_COMPRESS + (CHROMA_COMPRESS * CHROMA_COMPRESS_FACT) * log_peak;
        let sat = (CHROMA_EXPAND - (CHROMA_EXPAND * CHROMA_EXPAND_FACT) * log_peak).max(0.2);
        let sat_thr = CHROMA_EXPAND_THR / peak;
        let chroma_scale = (0.03379 * peak).powf(0.30596) - 0.45135;

        let mid_j = jin.y_to_j(tone[T_C_T] * REFERENCE_LUMINANCE);
        let focus_dist = FOCUS_DISTANCE + FOCUS_DISTANCE * FOCUS_DISTANCE_SCALING * log_peak;
        let gamma_bottom_inv = 1.0 / (1.14 + 0.07 * log_peak);

        let reach = reach_table(jreach, limit_j_max);
        let reach_c = reach_corners(jreach, limit_j_max, tone[T_FORWARD_LIMIT]);
        let (display_rgb, display_jmh) = display_corners(jout, peak);
        let hues = hue_table(&sorted_corner_hues(&reach_c, &display_jmh));

        let mut cusp = vec![0.0f32; 3 * TABLE_SIZE];
        let mut previous = (0usize, 0.0f32);
        for i in FIRST_NOMINAL..UPPER_WRAP {
            let jm = display_cusp(hues[i], &display_rgb, &display_jmh, jout, &mut previous);
            cusp[3 * i] = jm[0];
            cusp[3 * i + 1] = jm[1] * (1.0 + SMOOTH_M * SMOOTH_CUSPS);
        }
        for (dst, src) in [(0, LAST_NOMINAL), (UPPER_WRAP, FIRST_NOMINAL), (UPPER_WRAP + 1, FIRST_NOMINAL + 1)] {
            cusp[3 * dst] = cusp[3 * src];
            cusp[3 * dst + 1] = cusp[3 * src + 1];
        }

        // How far entries sit from their nominal (uniform) position bounds the per-pixel search.
        let mut range = [0i32, 1i32];
        for (i, h) in hues.iter().enumerate().take(UPPER_WRAP).skip(FIRST_NOMINAL) {
            let nominal = FIRST_NOMINAL as i32 + *h as i32;
            let delta = i as i32 - nominal;
            range = [range[0].min(delta), range[1].max(delta + 1)];
        }

        // The upper hull gamma per entry: the smallest that keeps the test points outside.
        for i in FIRST_NOMINAL..UPPER_WRAP {
            let c = [cusp[3 * i], cusp[3 * i + 1]];
            let fits = |gamma: f32| {
                gamma_fits(c, hues[i], 1.0 / gamma, peak, limit_j_max, mid_j, focus_dist, gamma_bottom_inv, jout)
            };
            let (mut low, mut high) = (0.0f32, 0.4f32);
            let mut found = false;
            while !found && high < 5.0 {
                found = fits(high);
                if !found {
                    low = high;
                    high += 0.4;
                }
            }
            while high - low > 1e-5 {
                let test = (high + low) / 2.0;
                if fits(test) {
                    high = test;
                } else {
                    low = test;
                }
            }
            cusp[3 * i + 2] = 1.0 / high;
        }
        for (dst, src) in [(0, LAST_NOMINAL), (UPPER_WRAP, FIRST_NOMINAL), (UPPER_WRAP + 1, FIRST_NOMINAL + 1)] {
            cusp[3 * dst + 2] = cusp[3 * src + 2];
        }

        let ap1_upper = 8.0 * (128.0 + 768.0 * ((peak / 100.0).ln() / (10000.0f32 / 100.0).ln()));
        let ap0_to_ap1 = m33(&spaces::rgb_to_rgb_matrix_f64(&spaces::ACES_AP0, &spaces::ACES_AP1, Cat::None));
        let ap1_to_ap0 = m33(&spaces::rgb_to_rgb_matrix_f64(&spaces::ACES_AP1, &spaces::ACES_AP0, Cat::None));

        let mut block = Vec::with_capacity(BLOCK_SIZE);
        block.extend(&jmh_in);
        block.extend(&jmh_out);
        block.extend(tone);
        block.extend([limit_j_max, model_gamma_inv]);
        block.extend([sat, sat_thr, compr, chroma_scale]);
        block.extend([mid_j, focus_dist, gamma_bottom_inv, range[0] as f32, range[1] as f32]);
        block.extend([ap1_upper, peak / REFERENCE_LUMINANCE]);
        block.extend(ap0_to_ap1);
        block.extend(ap1_to_ap0);
        block.extend(&reach);
        block.extend(&hues);
        block.extend(&cusp);
        debug_assert_eq!(block.len(), BLOCK_SIZE);
        Aces2 { block }
    }

    /// ACES2065-1 → display-linear limiting RGB (see [`forward`]).
    pub fn forward(&self, aces: [f32; 3]) -> [f32; 3] {
        forward(&self.block, aces)
    }

    /// Display-linear limiting RGB → ACES2065-1 (see [`inverse`]).
    pub fn inverse(&self, rgb: [f32; 3]) -> [f32; 3] {
        inverse(&self.block, rgb)
    }
}

/// The transform for (`peak`, `limiting`), built once per process and shared.
pub fn shared(peak: f32, limiting: &Chromaticities) -> Arc<Aces2> {
    type Key = (u32, [u64; 8]);
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Aces2>>>> = OnceLock::new();
    let c = limiting;
    let key = (
        peak.to_bits(),
        [c.red[0], c.red[1], c.green[0], c.green[1], c.blue[0], c.blue[1], c.white[0], c.white[1]].map(f64::to_bits),
    );
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    cache.entry(key).or_insert_with(|| Arc::new(Aces2::new(peak, limiting))).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shader's offsets are these.
    #[test]
    fn wgsl_offsets_are_the_blocks() {
        let wgsl = include_str!("../../shaders/ops/color_aces2.wgsl");
        let value = |name: &str| -> usize {
            let line = wgsl
                .lines()
                .find(|l| l.starts_with(&format!("const {name}: u32 = ")))
                .unwrap_or_else(|| panic!("{name}"));
            line.rsplit('=').next().unwrap().trim().trim_end_matches(';').trim_end_matches('u').parse().unwrap()
        };
        for (name, off) in [
            ("ACES2_OFF_IN", OFF_IN),
            ("ACES2_OFF_OUT", OFF_OUT),
            ("ACES2_OFF_TONE", OFF_TONE),
            ("ACES2_OFF_SHARED", OFF_SHARED),
            ("ACES2_OFF_CHROMA", OFF_CHROMA),
            ("ACES2_OFF_GAMUT", OFF_GAMUT),
            ("ACES2_OFF_CLAMP", OFF_CLAMP),
            ("ACES2_OFF_AP0_TO_AP1", OFF_AP0_TO_AP1),
            ("ACES2_OFF_AP1_TO_AP0", OFF_AP1_TO_AP0),
            ("ACES2_OFF_REACH_TABLE", OFF_REACH_TABLE),
            ("ACES2_OFF_HUE_TABLE", OFF_HUE_TABLE),
            ("ACES2_OFF_CUSP_TABLE", OFF_CUSP_TABLE),
            ("ACES2_RGB_TO_CAM", JMH_RGB_TO_CAM),
            ("ACES2_CAM_TO_RGB", JMH_CAM_TO_RGB),
            ("ACES2_CONE_TO_AAB", JMH_CONE_TO_AAB),
            ("ACES2_AAB_TO_CONE", JMH_AAB_TO_CONE),
            ("ACES2_F_L_N", JMH_F_L_N),
            ("ACES2_CZ", JMH_CZ),
            ("ACES2_INV_CZ", JMH_INV_CZ),
            ("ACES2_A_W_J", JMH_A_W_J),
            ("ACES2_INV_A_W_J", JMH_INV_A_W_J),
        ] {
            assert_eq!(value(name), off, "{name}");
        }
    }

    #[test]
    fn block_layout_and_grey() {
        let t = Aces2::new(100.0, &spaces::REC709);
        assert_eq!(t.block.len(), BLOCK_SIZE);
        // The hue table rises through 0..360 with its wrapped ends.
        let hues = &t.block[OFF_HUE_TABLE..OFF_HUE_TABLE + TABLE_SIZE];
        assert!(hues.windows(2).all(|w| w[0] < w[1]), "{hues:?}");
        assert!(hues[0] < 0.0 && hues[UPPER_WRAP] >= 360.0);
        // Black stays black; grey stays neutral and lands near the ACES 2.0 SDR grey (≈ 0.1 of peak).
        assert_eq!(t.forward([0.0; 3]), [0.0; 3]);
        let g = t.forward([0.18; 3]);
        assert!((g[0] - g[1]).abs() < 1e-4 && (g[1] - g[2]).abs() < 1e-4, "{g:?}");
        assert!(g[1] > 0.08 && g[1] < 0.12, "{g:?}");
        // And the inverse brings it back.
        let back = t.inverse(g);
        assert!(back.iter().all(|v| (v - 0.18).abs() < 1e-3), "{back:?}");
    }
}
