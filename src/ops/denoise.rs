//! Noise reduction: an edge-preserving guided filter (He, Sun & Tang, "Guided Image Filtering",
//! ECCV 2010 / TPAMI 2013), each of Rec.709 Y, Cb and Cr guiding itself, with its own strength for
//! luma and for chroma. In a window where a channel varies much more than the noise (an edge) it is
//! kept; where it varies about as much as the noise (flat, noisy areas) it is smoothed to the
//! window's mean. Its cost does not depend on the radius: box means, separable, in workgroup memory.
//!
//! Passes (`shaders/denoise_*.wgsl`): horizontal box means of YCbCr and its squares (stats), vertical
//! ones and the per-pixel coefficients a = var / (var + σ²), b = mean × (1 − a) (coeffs), horizontal
//! then vertical box means of a and b (smooth, apply), and out = mean(a) × in + mean(b) back in RGB.
//! Edges clamp. A strength of 0 leaves its channels exactly as they are.

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

use super::gaussian;
use crate::media::Frame;

/// Shader of the horizontal statistics pass.
pub const STATS_SHADER: &str = "denoise_stats";
/// Shader of the vertical statistics and coefficients pass.
pub const COEFFS_SHADER: &str = "denoise_coeffs";
/// Shader of the horizontal coefficient smoothing pass.
pub const SMOOTH_SHADER: &str = "denoise_smooth";
/// Shader of the vertical smoothing and output pass.
pub const APPLY_SHADER: &str = "denoise_apply";

/// Largest window radius in pixels (the shaders' apron).
pub const MAX_RADIUS_PX: u32 = 64;

/// Largest radius a grade may ask for (pixels at the reference width).
pub const MAX_RADIUS: f32 = 32.0;

/// Noise reduction parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Denoise {
    /// Window radius, pixels at the reference width (at least 1 pixel, at most 64).
    pub radius: f32,
    /// Luma noise to remove: its standard deviation in working values (0 = leave luma alone).
    pub luma: f32,
    /// Chroma noise to remove (Cb/Cr standard deviation; 0 = leave chroma alone).
    pub chroma: f32,
}

impl Default for Denoise {
    fn default() -> Self {
        Self { radius: 3.0, luma: 0.0, chroma: 0.0 }
    }
}

/// Parameters of every denoise pass, laid out as `struct Denoise` in the shaders.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct DenoiseUniform {
    /// Box radius in pixels.
    pub radius: u32,
    /// Node mix.
    pub mix: f32,
    /// Padding.
    pub _pad: [u32; 2],
    /// σ² for Y, Cb, Cr (0: leave the channel alone), unused.
    pub eps: [f32; 4],
}

impl Denoise {
    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=MAX_RADIUS).contains(&self.radius) {
            return Err(format!("noise reduction radius must be 0 to {MAX_RADIUS}, got {}", self.radius));
        }
        if !(0.0..=1.0).contains(&self.luma) || !(0.0..=1.0).contains(&self.chroma) {
            return Err(format!("noise reduction luma and chroma must be 0 to 1, got {} {}", self.luma, self.chroma));
        }
        Ok(())
    }

    /// True when the picture comes out as it went in.
    pub fn is_neutral(&self) -> bool {
        self.luma == 0.0 && self.chroma == 0.0
    }

    /// The numbers every pass reads, for a frame `width` pixels wide at `mix`.
    pub fn uniform(&self, width: u32, mix: f32) -> DenoiseUniform {
        let radius = (gaussian::pixels(self.radius, width).round() as u32).clamp(1, MAX_RADIUS_PX);
        let (l, c) = (self.luma * self.luma, self.chroma * self.chroma);
        DenoiseUniform { radius, mix, _pad: [0; 2], eps: [l, c, c, 0.0] }
    }

    /// CPU reference of the four passes at `mix`.
    pub fn apply(&self, frame: &Frame, mix: f32) -> Frame {
        let u = self.uniform(frame.width, mix);
        let r = u.radius as i64;
        let ycc = map(frame, |p| {
            let v = to_ycc([p[0], p[1], p[2]]);
            [v[0], v[1], v[2], 0.0]
        });
        let squares = map(&ycc, |p| [p[0] * p[0], p[1] * p[1], p[2] * p[2], 0.0]);
        // denoise_stats (horizontal) then denoise_coeffs (vertical).
        let mean = box_mean(&box_mean(&ycc, false, r), true, r);
        let mean_sq = box_mean(&box_mean(&squares, false, r), true, r);
        let mut a = mean.clone();
        let mut b = mean.clone();
        for i in 0..mean.pixels.len() {
            for c in 0..3 {
                let (ac, bc) = coefficients(mean.pixels[i][c], mean_sq.pixels[i][c], u.eps[c]);
                a.pixels[i][c] = ac;
                b.pixels[i][c] = bc;
            }
        }
        // denoise_smooth (horizontal) then denoise_apply (vertical).
        let a = box_mean(&box_mean(&a, false, r), true, r);
        let b = box_mean(&box_mean(&b, false, r), true, r);
        Frame::from_fn(frame.width, frame.height, |x, y| {
            let i = (y * frame.width + x) as usize;
            let px = frame.pixels[i];
            let v = ycc.pixels[i];
            let q = [0, 1, 2].map(|c| a.pixels[i][c] * v[c] + b.pixels[i][c]);
            let rgb = from_ycc(q);
            let out = |c: usize| if u.mix >= 1.0 { rgb[c] } else { px[c] * (1.0 - u.mix) + rgb[c] * u.mix };
            [out(0), out(1), out(2), px[3]]
        })
    }
}

/// Rec.709 RGB to Y, Cb, Cr (ITU-R BT.709-6, unscaled, no offsets), as `to_ycc` in the shaders.
pub fn to_ycc(rgb: [f32; 3]) -> [f32; 3] {
    let y = rgb[0] * 0.2126 + rgb[1] * 0.7152 + rgb[2] * 0.0722;
    [y, (rgb[2] - y) / 1.8556, (rgb[0] - y) / 1.5748]
}

/// The inverse of [`to_ycc`].
pub fn from_ycc(v: [f32; 3]) -> [f32; 3] {
    let r = v[0] + 1.5748 * v[2];
    let b = v[0] + 1.8556 * v[1];
    let g = (v[0] - 0.2126 * r - 0.0722 * b) / 0.7152;
    [r, g, b]
}

/// The guided filter's a and b from a window's mean and mean square (`coefficients` in
/// `denoise_coeffs.wgsl`); eps 0 keeps the channel (a = 1, b = 0).
fn coefficients(mean: f32, mean_sq: f32, eps: f32) -> (f32, f32) {
    if eps <= 0.0 {
        return (1.0, 0.0);
    }
    let var = (mean_sq - mean * mean).max(0.0);
    let a = var / (var + eps);
    (a, mean - a * mean)
}

fn map(frame: &Frame, f: impl Fn([f32; 4]) -> [f32; 4]) -> Frame {
    Frame { pixels: frame.pixels.iter().map(|p| f(*p)).collect(), ..*frame }
}

/// Mean of the 2r + 1 values around each pixel along rows (or columns), edges clamped, summed left
/// to right (top to bottom) as the shaders sum.
fn box_mean(frame: &Frame, vertical: bool, r: i64) -> Frame {
    let (w, h) = (frame.width as i64, frame.height as i64);
    let n = (2 * r + 1) as f32;
    Frame::from_fn(frame.width, frame.height, |x, y| {
        let mut sum = [0.0f32; 4];
        for k in -r..=r {
            let (sx, sy) = if vertical {
                (x as i64, (y as i64 + k).clamp(0, h - 1))
            } else {
                ((x as i64 + k).clamp(0, w - 1), y as i64)
            };
            let p = frame.pixels[(sy * w + sx) as usize];
            for c in 0..4 {
                sum[c] += p[c];
            }
        }
        sum.map(|s| s / n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ycc_round_trips_and_zero_strength_is_identity() {
        let rgb = [0.7, 0.2, 0.05];
        let back = from_ycc(to_ycc(rgb));
        assert!(rgb.iter().zip(back).all(|(a, b)| (a - b).abs() < 1e-6), "{back:?}");
        assert_eq!(coefficients(0.3, 0.2, 0.0), (1.0, 0.0));
    }

    #[test]
    fn flat_noise_is_smoothed_and_a_strong_edge_survives() {
        let noisy = Frame::from_fn(40, 20, |x, y| {
            let n = ((x * 7 + y * 13) % 5) as f32 * 0.004 - 0.008;
            let base = if x < 20 { 0.2 } else { 0.8 };
            [base + n, base + n, base + n, 1.0]
        });
        // 144 reference pixels are 3 pixels on a 40-pixel-wide frame.
        let out = Denoise { radius: 144.0, luma: 0.05, chroma: 0.05 }.apply(&noisy, 1.0);
        let spread = |f: &Frame, x0: u32| {
            let v: Vec<f32> =
                (x0..x0 + 8).flat_map(|x| (0..20).map(move |y| (x, y))).map(|(x, y)| f.pixel(x, y)[1]).collect();
            v.iter().cloned().fold(f32::MIN, f32::max) - v.iter().cloned().fold(f32::MAX, f32::min)
        };
        assert!(spread(&out, 4) < spread(&noisy, 4) * 0.5, "noise is reduced");
        assert!(out.pixel(17, 10)[1] < 0.25 && out.pixel(22, 10)[1] > 0.75, "the edge is kept");
    }
}
