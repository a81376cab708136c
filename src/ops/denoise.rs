//! Noise reduction: an edge-preserving guided filter (He, Sun & Tang, "Guided Image Filtering",
//! ECCV 2010 / TPAMI 2013), each of Rec.709 Y, Cb and Cr guiding itself, with its own strength for
//! luma and for chroma. In a window where a channel varies much more than the noise (an edge) it is
//! kept; where it varies about as much as the noise (flat, noisy areas) it is smoothed to the
//! window's mean. Its cost does not depend on the radius: box means, separable, in workgroup memory.
//!
//! Passes (`shaders/ops/denoise_*.wgsl`): horizontal box means of YCbCr and its squares (stats), vertical
//! ones and the per-pixel coefficients a = var / (var + σ²), b = mean × (1 − a) (coeffs), horizontal
//! then vertical box means of a and b (smooth, apply), and out = mean(a) × in + mean(b) back in RGB.
//! Edges clamp. A strength of 0 leaves its channels exactly as they are.

use serde::{Deserialize, Serialize};

use super::{Kernel, OpContext, Param, Spatial, gaussian};
use crate::gpu::graph::{CpuPass, Dispatch, Img, PassGraph};
use crate::gpu::layout::GpuStruct;
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

crate::gpu_struct! {
    /// Parameters of every denoise pass, laid out as `struct Denoise` in
    /// `shaders/lib/denoise_common.wgsl`.
    pub struct DenoiseUniform {
        /// Box radius in pixels.
        pub radius: u32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Padding.
        pub _pad2: u32,
        /// σ² for Y, Cb, Cr (0: leave the channel alone), unused.
        pub eps: [f32; 4],
    }
}

const PARAMS: &[Param<Denoise>] = &[
    crate::number_param!(Denoise, radius, "NR radius", 0.0, MAX_RADIUS, 3.0, "px"),
    crate::number_param!(Denoise, luma, "NR luma", 0.0, 0.2, 0.0, ""),
    crate::number_param!(Denoise, chroma, "NR chroma", 0.0, 0.2, 0.0, ""),
];

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

    /// The numbers every pass reads, for a frame `width` pixels wide.
    pub fn uniform(&self, width: u32) -> DenoiseUniform {
        let radius = (gaussian::pixels(self.radius, width).round() as u32).clamp(1, MAX_RADIUS_PX);
        let (l, c) = (self.luma * self.luma, self.chroma * self.chroma);
        DenoiseUniform { radius, _pad0: 0, _pad1: 0, _pad2: 0, eps: [l, c, c, 0.0] }
    }
}

/// The kernel of pass `name` in `shaders/ops/<name>.wgsl` with its twin.
const fn pass(name: &'static str, wgsl: &'static str, cpu: fn(&CpuPass) -> Vec<Frame>) -> Kernel {
    Kernel { name, wgsl, cpu, uniform: Some(("Denoise", DenoiseUniform::LAYOUT)) }
}

impl Spatial for Denoise {
    const NAME: &'static str = "denoise";
    const KERNELS: &'static [Kernel] = &[
        pass(STATS_SHADER, include_str!("../../shaders/ops/denoise_stats.wgsl"), stats_pass),
        pass(COEFFS_SHADER, include_str!("../../shaders/ops/denoise_coeffs.wgsl"), coeffs_pass),
        pass(SMOOTH_SHADER, include_str!("../../shaders/ops/denoise_smooth.wgsl"), smooth_pass),
        pass(APPLY_SHADER, include_str!("../../shaders/ops/denoise_apply.wgsl"), apply_pass),
    ];

    fn validate(&self) -> Result<(), String> {
        Denoise::validate(self)
    }

    fn is_neutral(&self) -> bool {
        Denoise::is_neutral(self)
    }

    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img {
        let u = self.uniform(cx.width);
        let u = bytemuck::bytes_of(&u);
        let stats = g.pass(STATS_SHADER, &[input], 2, u, Dispatch::Rows);
        let coeffs = g.pass(COEFFS_SHADER, &stats, 2, u, Dispatch::Columns);
        let smooth = g.pass(SMOOTH_SHADER, &coeffs, 2, u, Dispatch::Rows);
        g.pass(APPLY_SHADER, &[input, smooth[0], smooth[1]], 1, u, Dispatch::Columns)[0]
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Noise reduction", Denoise::default()))
    }

    fn params() -> &'static [Param<Self>] {
        PARAMS
    }

    fn example() -> Self {
        Denoise { radius: 32.0, luma: 0.08, chroma: 0.12 }
    }
}

/// The sums of the 2r + 1 values of `frame` around (x, y) along rows (or columns), edges clamped,
/// summed from the first tap to the last as the shaders sum them.
fn box_sum(frame: &Frame, vertical: bool, r: i64, x: u32, y: u32) -> [f32; 4] {
    let (w, h) = (frame.width as i64, frame.height as i64);
    let mut sum = [0.0f32; 4];
    for k in -r..=r {
        let (sx, sy) =
            if vertical { (x as i64, (y as i64 + k).clamp(0, h - 1)) } else { ((x as i64 + k).clamp(0, w - 1), y as i64) };
        let p = frame.pixels[(sy * w + sx) as usize];
        for c in 0..4 {
            sum[c] += p[c];
        }
    }
    sum
}

fn window(pass: &CpuPass) -> (i64, f32) {
    let u: DenoiseUniform = pass.uniform(0);
    let r = u.radius.min(MAX_RADIUS_PX);
    (i64::from(r), (2 * r + 1) as f32)
}

/// CPU twin of `denoise_stats.wgsl`: horizontal box means of Y, Cb, Cr (rgb) and of Y² (a); of Cb²
/// and Cr² (rg of the second output).
fn stats_pass(pass: &CpuPass) -> Vec<Frame> {
    let (r, n) = window(pass);
    let ycc = pass.map(|x, y| {
        let p = pass.inputs[0].pixel(x, y);
        let v = to_ycc([p[0], p[1], p[2]]);
        [v[0], v[1], v[2], 0.0]
    });
    let squares = Frame { pixels: ycc.pixels.iter().map(|p| [p[0] * p[0], p[1] * p[1], p[2] * p[2], 0.0]).collect(), ..ycc };
    let means = pass.map(|x, y| {
        let (s, q) = (box_sum(&ycc, false, r, x, y), box_sum(&squares, false, r, x, y));
        [s[0] / n, s[1] / n, s[2] / n, q[0] / n]
    });
    let rest = pass.map(|x, y| {
        let q = box_sum(&squares, false, r, x, y);
        [q[1] / n, q[2] / n, 0.0, 0.0]
    });
    vec![means, rest]
}

/// CPU twin of `denoise_coeffs.wgsl`: vertical box means finished, then the guided filter's a and b.
fn coeffs_pass(pass: &CpuPass) -> Vec<Frame> {
    let (r, n) = window(pass);
    let u: DenoiseUniform = pass.uniform(0);
    let (means, squares) = (pass.inputs[0], pass.inputs[1]);
    let ab = |x, y| {
        let (s, q) = (box_sum(means, true, r, x, y), box_sum(squares, true, r, x, y));
        let mean = [s[0] / n, s[1] / n, s[2] / n];
        let mean_sq = [s[3] / n, q[0] / n, q[1] / n];
        [0, 1, 2].map(|c| coefficients(mean[c], mean_sq[c], u.eps[c]))
    };
    let a = pass.map(|x, y| {
        let k = ab(x, y);
        [k[0].0, k[1].0, k[2].0, 0.0]
    });
    let b = pass.map(|x, y| {
        let k = ab(x, y);
        [k[0].1, k[1].1, k[2].1, 0.0]
    });
    vec![a, b]
}

/// CPU twin of `denoise_smooth.wgsl`: horizontal box means of a and b.
fn smooth_pass(pass: &CpuPass) -> Vec<Frame> {
    let (r, n) = window(pass);
    let mean = |f: &Frame| {
        pass.map(|x, y| {
            let s = box_sum(f, false, r, x, y);
            [s[0] / n, s[1] / n, s[2] / n, 0.0]
        })
    };
    vec![mean(pass.inputs[0]), mean(pass.inputs[1])]
}

/// CPU twin of `denoise_apply.wgsl`: vertical box means of a and b, out = mean(a) × in + mean(b) in
/// Y, Cb, Cr, back to RGB; alpha kept.
fn apply_pass(pass: &CpuPass) -> Vec<Frame> {
    let (r, n) = window(pass);
    vec![pass.map(|x, y| {
        let px = pass.inputs[0].pixel(x, y);
        let (a, b) = (box_sum(pass.inputs[1], true, r, x, y), box_sum(pass.inputs[2], true, r, x, y));
        let v = to_ycc([px[0], px[1], px[2]]);
        let rgb = from_ycc([0, 1, 2].map(|c| (a[c] / n) * v[c] + b[c] / n));
        [rgb[0], rgb[1], rgb[2], px[3]]
    })]
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
        let node = crate::grade::Node::new(crate::grade::Op::Denoise(Denoise { radius: 144.0, luma: 0.05, chroma: 0.05 }));
        let grade = crate::grade::Grade { nodes: vec![node], ..Default::default() };
        let out = crate::gpu::cpu::apply_grade(&grade, 0, &noisy).unwrap();
        let spread = |f: &Frame, x0: u32| {
            let v: Vec<f32> =
                (x0..x0 + 8).flat_map(|x| (0..20).map(move |y| (x, y))).map(|(x, y)| f.pixel(x, y)[1]).collect();
            v.iter().cloned().fold(f32::MIN, f32::max) - v.iter().cloned().fold(f32::MAX, f32::min)
        };
        assert!(spread(&out, 4) < spread(&noisy, 4) * 0.5, "noise is reduced");
        assert!(out.pixel(17, 10)[1] < 0.25 && out.pixel(22, 10)[1] > 0.75, "the edge is kept");
    }
}
