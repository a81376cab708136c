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

mod build;
mod cam;
#[cfg(test)]
mod tests;

pub use build::{Aces2, shared};
use cam::*;

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
