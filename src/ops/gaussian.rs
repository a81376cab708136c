//! Separable Gaussian blur, the building block of blur, sharpen, glow, grain and matte softening:
//! a horizontal then a vertical line pass (`shaders/ops/gaussian.wgsl`), each workgroup reading its run of
//! 256 pixels plus an apron of `radius` on either side into workgroup memory once.
//!
//! Edges clamp: a pixel outside the frame reads the nearest edge pixel, in both passes and in the CPU
//! reference. Alpha is never blurred: each pass writes the centre pixel's alpha.
//!
//! Radii in grade files are in pixels of a frame [`REFERENCE_WIDTH`] wide and scale with the frame's
//! width ([`pixels`]), so a grade looks the same on a proxy and on the 4K original. A Gaussian wider
//! than [`MAX_PASS_SIGMA`] pixels runs as several narrower ones (variances add).

use super::Kernel;
use crate::gpu::graph::{CpuPass, Dispatch, Img, PassGraph};
use crate::gpu::layout::GpuStruct;
use crate::media::Frame;

/// Name of the shader file (`shaders/ops/gaussian.wgsl`).
pub const SHADER: &str = "gaussian";

/// Name of the direct variant (`shaders/ops/gaussian_direct.wgsl`): each thread blurs four pixels,
/// reading its taps from the texture (each texel once, through a sliding window) instead of from
/// workgroup memory. The pass graph always names [`SHADER`]; the GPU
/// runner picks the variant per adapter ([`crate::gpu::GpuContext::variant_for`], with its dispatch).
pub const DIRECT_SHADER: &str = "gaussian_direct";

/// The line pass (both variants) and its CPU twin.
pub const KERNELS: &[Kernel] = &[
    Kernel {
        name: SHADER,
        wgsl: include_str!("../../shaders/ops/gaussian.wgsl"),
        cpu: |pass: &CpuPass| vec![apply_pass(&pass.uniform(0), pass.inputs[0])],
        uniform: Some(("Gaussian", GaussianUniform::LAYOUT)),
    },
    Kernel {
        name: DIRECT_SHADER,
        wgsl: include_str!("../../shaders/ops/gaussian_direct.wgsl"),
        cpu: |pass: &CpuPass| vec![apply_pass(&pass.uniform(0), pass.inputs[0])],
        uniform: Some(("Gaussian", GaussianUniform::LAYOUT)),
    },
];

/// Frame width at which a radius in a grade file is in pixels; other widths scale it.
pub const REFERENCE_WIDTH: f32 = 1920.0;

/// Widest kernel radius (taps each side) one pass holds: the shader's apron.
pub const MAX_RADIUS: u32 = 192;

/// Widest standard deviation one pass blurs with (its kernel reaches 3σ = [`MAX_RADIUS`]).
pub const MAX_PASS_SIGMA: f32 = 64.0;

/// Widest standard deviation in pixels at all (16 passes); wider ones are clamped to it.
pub const MAX_SIGMA: f32 = 256.0;

/// Weights held by a uniform: 4 per vec4, radius 192 needs 193.
const WEIGHT_VEC4S: usize = 49;

/// A radius from a grade file (pixels at [`REFERENCE_WIDTH`]) in pixels of a frame `width` wide.
pub fn pixels(radius: f32, width: u32) -> f32 {
    radius * width as f32 / REFERENCE_WIDTH
}

crate::gpu_struct! {
    /// One line pass, laid out as `struct Gaussian` in `shaders/ops/gaussian.wgsl`.
    pub struct GaussianUniform {
        /// 0 = along rows (horizontal), 1 = along columns (vertical).
        pub direction: u32,
        /// Taps on each side of the centre.
        pub radius: u32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Normalised weights of taps 0..=radius (weights[k / 4][k % 4]), symmetric.
        pub weights: [[f32; 4]; WEIGHT_VEC4S],
    }
}

impl GaussianUniform {
    /// Weight of tap `k` (0 = centre).
    pub fn weight(&self, k: u32) -> f32 {
        self.weights[k as usize / 4][k as usize % 4]
    }
}

/// The uniforms of one horizontal + vertical pass pair for a Gaussian of standard deviation `sigma`
/// pixels (at most [`MAX_PASS_SIGMA`]).
fn kernel(sigma: f32) -> [GaussianUniform; 2] {
    let radius = ((3.0 * sigma).ceil() as u32).clamp(1, MAX_RADIUS);
    let s = f64::from(sigma);
    let raw: Vec<f64> = (0..=radius).map(|k| (-(f64::from(k) * f64::from(k)) / (2.0 * s * s)).exp()).collect();
    let total = raw[0] + 2.0 * raw[1..].iter().sum::<f64>();
    let mut weights = [[0.0f32; 4]; WEIGHT_VEC4S];
    for (k, w) in raw.iter().enumerate() {
        weights[k / 4][k % 4] = (w / total) as f32;
    }
    let horizontal = GaussianUniform { direction: 0, radius, _pad0: 0, _pad1: 0, weights };
    [horizontal, GaussianUniform { direction: 1, ..horizontal }]
}

/// The line passes, in order, of a Gaussian blur of standard deviation `sigma` pixels; empty when
/// `sigma` is too small to move a value (below 0.1 px).
pub fn passes(sigma: f32) -> Vec<GaussianUniform> {
    if sigma.is_nan() || sigma < 0.1 {
        return Vec::new();
    }
    let sigma = sigma.min(MAX_SIGMA);
    let n = ((sigma / MAX_PASS_SIGMA).powi(2)).ceil().max(1.0) as usize;
    let per_pass = sigma / (n as f32).sqrt();
    (0..n).flat_map(|_| kernel(per_pass)).collect()
}

/// Sum of the squared taps of the whole chain's 1D kernel (the passes of one direction convolved),
/// ignoring edges: white noise of variance v comes out of the 2D blur with variance v × this².
pub fn noise_gain(passes: &[GaussianUniform]) -> f32 {
    let mut kernel = vec![1.0f64];
    for pass in passes.iter().filter(|p| p.direction == 0) {
        let r = pass.radius as usize;
        let taps: Vec<f64> =
            (0..=2 * r).map(|i| f64::from(pass.weight((i as i64 - r as i64).unsigned_abs() as u32))).collect();
        let mut out = vec![0.0; kernel.len() + taps.len() - 1];
        for (i, a) in kernel.iter().enumerate() {
            for (j, b) in taps.iter().enumerate() {
                out[i + j] += a * b;
            }
        }
        kernel = out;
    }
    kernel.iter().map(|v| v * v).sum::<f64>() as f32
}

/// CPU reference of one `gaussian.wgsl` line pass.
pub fn apply_pass(u: &GaussianUniform, frame: &Frame) -> Frame {
    let (w, h) = (frame.width as i64, frame.height as i64);
    let vertical = u.direction == 1;
    let length = if vertical { h } else { w };
    let at = |along: i64, across: i64| {
        let along = along.clamp(0, length - 1);
        let (x, y) = if vertical { (across, along) } else { (along, across) };
        frame.pixels[(y * w + x) as usize]
    };
    Frame::from_fn(frame.width, frame.height, |x, y| {
        let (along, across) = if vertical { (y as i64, x as i64) } else { (x as i64, y as i64) };
        let centre = at(along, across);
        let w0 = u.weight(0);
        let mut sum = [centre[0] * w0, centre[1] * w0, centre[2] * w0];
        for k in 1..=u.radius {
            let (l, r) = (at(along - k as i64, across), at(along + k as i64, across));
            let wk = u.weight(k);
            for c in 0..3 {
                sum[c] += (l[c] + r[c]) * wk;
            }
        }
        [sum[0], sum[1], sum[2], centre[3]]
    })
}

/// CPU reference of a chain of line passes.
pub fn apply(passes: &[GaussianUniform], frame: &Frame) -> Frame {
    passes.iter().fold(frame.clone(), |f, u| apply_pass(u, &f))
}

/// Records the line `passes` from `input`; returns the blurred image (`input` when there are none).
pub fn record(g: &mut PassGraph, passes: &[GaussianUniform], input: Img) -> Img {
    passes.iter().fold(input, |img, u| {
        let along = if u.direction == 1 { Dispatch::Columns } else { Dispatch::Rows };
        g.pass(SHADER, &[img], 1, bytemuck::bytes_of(u), along)[0]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_are_normalised_and_wide_blurs_split() {
        for sigma in [0.5, 2.0, 30.0, 64.0] {
            let p = passes(sigma);
            assert_eq!(p.len(), 2, "sigma {sigma}");
            let u = &p[0];
            let sum: f32 = u.weight(0) + 2.0 * (1..=u.radius).map(|k| u.weight(k)).sum::<f32>();
            assert!((sum - 1.0).abs() < 1e-5, "sigma {sigma}: {sum}");
        }
        assert_eq!(passes(100.0).len(), 6, "σ 100 = three passes of σ 57.7 each way");
        assert!(passes(0.0).is_empty() && passes(-1.0).is_empty() && passes(f32::NAN).is_empty());
        // Blurred white noise keeps 1/(2√π σ) of its standard deviation per axis.
        let g = noise_gain(&passes(4.0));
        assert!((g - 1.0 / (2.0 * std::f32::consts::PI.sqrt() * 4.0)).abs() < 1e-3, "{g}");
    }

    #[test]
    fn flat_frames_stay_flat_and_edges_clamp() {
        let flat = Frame::filled(9, 5, [0.25, 2.0, -1.0, 0.5]);
        let out = apply(&passes(3.0), &flat);
        assert!(out.pixels.iter().all(|p| (p[0] - 0.25).abs() < 1e-6 && (p[1] - 2.0).abs() < 1e-5 && p[3] == 0.5));
        // A step at the left edge: clamping means the edge pixel sees only its own value leftwards.
        let step = Frame::from_fn(20, 1, |x, _| [if x < 10 { 1.0 } else { 0.0 }, 0.0, 0.0, 1.0]);
        let out = apply(&passes(2.0), &step);
        assert!((out.pixel(0, 0)[0] - 1.0).abs() < 1e-6);
        assert!((out.pixel(9, 0)[0] + out.pixel(10, 0)[0] - 1.0).abs() < 1e-5, "symmetric around the step");
    }
}
