//! Film grain: deterministic noise, shaped and laid over the picture.
//!
//! 1. `shaders/grain_noise.wgsl` hashes (x, y, frame, seed) with PCG3D (Jarzynski & Olano 2020,
//!    "Hash Functions for GPU Rendering", JCGT 9(3)) into three uniform values of unit variance per
//!    pixel: the same frame number gives the same grain, the next frame new grain.
//! 2. A Gaussian blur of `size` gives the grain its size; the result is rescaled to unit variance.
//! 3. `shaders/grain.wgsl` mixes mono and colour grain, shapes it (`softness` 0 pushes it through a
//!    steep tanh, clumped like developed silver; 1 leaves it Gaussian; both rescaled to unit variance),
//!    weights it by the picture's luma (film grain shows most in the mids) and adds `amount` of it.

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
use super::hsl::{LUMA_WEIGHTS, luma};
use crate::media::Frame;

/// Name of the noise shader (`shaders/grain_noise.wgsl`).
pub const NOISE_SHADER: &str = "grain_noise";

/// Name of the composite shader (`shaders/grain.wgsl`).
pub const SHADER: &str = "grain";

/// Largest grain size (pixels at the reference width).
pub const MAX_SIZE: f32 = 10.0;

/// Steepness of the tanh at softness 0.
const MAX_HARDNESS: f32 = 3.0;

/// Film grain parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Grain {
    /// Standard deviation of the added grain in working values, in the mids (0 = none).
    pub amount: f32,
    /// Grain size: standard deviation of its blur, pixels at the reference width (0 = one pixel).
    pub size: f32,
    /// 0 = hard, clumped grain; 1 = soft Gaussian grain.
    pub softness: f32,
    /// 0 = monochrome grain, 1 = independent grain per channel.
    pub colour: f32,
    /// 0 = the same grain everywhere; 1 = grain fading to none in pure black and white.
    pub response: f32,
    /// Varies the pattern between nodes and shots.
    pub seed: u32,
}

impl Default for Grain {
    fn default() -> Self {
        Self { amount: 0.0, size: 1.0, softness: 0.5, colour: 0.0, response: 0.5, seed: 0 }
    }
}

/// Noise parameters, laid out as `struct Noise` in `shaders/grain_noise.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct GrainNoiseUniform {
    /// Frame number and seed, hashed together.
    pub key: u32,
    /// Padding.
    pub _pad: [u32; 3],
}

/// Composite parameters, laid out as `struct Grain` in `shaders/grain.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct GrainUniform {
    /// Grain standard deviation.
    pub amount: f32,
    /// Rescales the blurred noise to unit variance.
    pub noise_scale: f32,
    /// Mono (0) to colour (1).
    pub colour: f32,
    /// Luma response weight.
    pub response: f32,
    /// tanh steepness (0: linear).
    pub hardness: f32,
    /// Rescales the tanh to unit variance.
    pub shape_scale: f32,
    /// Node mix.
    pub mix: f32,
    /// Padding.
    pub _pad: u32,
    /// Luma weights (w unused).
    pub luma: [f32; 4],
}

impl Grain {
    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.amount) {
            return Err(format!("grain amount must be 0 to 1, got {}", self.amount));
        }
        if !(0.0..=MAX_SIZE).contains(&self.size) {
            return Err(format!("grain size must be 0 to {MAX_SIZE}, got {}", self.size));
        }
        for (name, v) in [("softness", self.softness), ("colour", self.colour), ("response", self.response)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("grain {name} must be 0 to 1, got {v}"));
            }
        }
        Ok(())
    }

    /// True when the picture comes out as it went in.
    pub fn is_neutral(&self) -> bool {
        self.amount == 0.0
    }

    /// The noise pass's parameters for frame `frame_number`.
    pub fn noise_uniform(&self, frame_number: u32) -> GrainNoiseUniform {
        GrainNoiseUniform { key: frame_number.wrapping_mul(0x9E37_79B9) ^ self.seed, _pad: [0; 3] }
    }

    /// The grain blur's line passes for a frame `width` pixels wide.
    pub fn passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.size, width))
    }

    /// The composite's parameters at `mix`, for the blur `passes`.
    pub fn uniform(&self, passes: &[GaussianUniform], mix: f32) -> GrainUniform {
        let noise_scale = if passes.is_empty() { 1.0 } else { 1.0 / gaussian::noise_gain(passes) };
        let hardness = MAX_HARDNESS * (1.0 - self.softness);
        let l = LUMA_WEIGHTS;
        GrainUniform {
            amount: self.amount,
            noise_scale,
            colour: self.colour,
            response: self.response,
            hardness,
            shape_scale: shape_scale(hardness),
            mix,
            _pad: 0,
            luma: [l[0], l[1], l[2], 0.0],
        }
    }

    /// CPU reference of the whole op at `mix` for frame `frame_number`.
    pub fn apply(&self, frame: &Frame, frame_number: u32, mix: f32) -> Frame {
        let n = self.noise_uniform(frame_number);
        let noise = Frame::from_fn(frame.width, frame.height, |x, y| noise_pixel(&n, x, y));
        let passes = self.passes(frame.width);
        let noise = gaussian::apply(&passes, &noise);
        let u = self.uniform(&passes, mix);
        Frame { pixels: frame.pixels.iter().zip(&noise.pixels).map(|(s, g)| composite(&u, *s, *g)).collect(), ..*frame }
    }
}

/// 1 / sqrt(E[tanh(k Z)²]) for a standard normal Z (midpoint rule over ±8σ), so shaped grain keeps
/// unit variance; 1 for k = 0.
fn shape_scale(k: f32) -> f32 {
    if k <= 0.0 {
        return 1.0;
    }
    let (n, span) = (4000, 8.0f64);
    let dz = 2.0 * span / f64::from(n);
    let mut second_moment = 0.0;
    for i in 0..n {
        let z = -span + (f64::from(i) + 0.5) * dz;
        let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
        second_moment += (f64::from(k) * z).tanh().powi(2) * density * dz;
    }
    (1.0 / second_moment.sqrt()) as f32
}

/// PCG3D (Jarzynski & Olano 2020), as `pcg3d` in `grain_noise.wgsl`.
pub fn pcg3d(v: [u32; 3]) -> [u32; 3] {
    let mut v = v.map(|x| x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223));
    v[0] = v[0].wrapping_add(v[1].wrapping_mul(v[2]));
    v[1] = v[1].wrapping_add(v[2].wrapping_mul(v[0]));
    v[2] = v[2].wrapping_add(v[0].wrapping_mul(v[1]));
    v = v.map(|x| x ^ (x >> 16));
    v[0] = v[0].wrapping_add(v[1].wrapping_mul(v[2]));
    v[1] = v[1].wrapping_add(v[2].wrapping_mul(v[0]));
    v[2] = v[2].wrapping_add(v[0].wrapping_mul(v[1]));
    v
}

/// CPU reference of `grain_noise.wgsl`: three zero-mean, unit-variance uniform values at (x, y).
pub fn noise_pixel(u: &GrainNoiseUniform, x: u32, y: u32) -> [f32; 4] {
    let h = pcg3d([x, y, u.key]);
    let n = h.map(|v| ((v >> 8) as f32 * (1.0 / 16_777_216.0) - 0.5) * 12f32.sqrt());
    [n[0], n[1], n[2], 1.0]
}

/// CPU reference of `grain.wgsl` for one pixel and its (blurred) noise.
pub fn composite(u: &GrainUniform, src: [f32; 4], noise: [f32; 4]) -> [f32; 4] {
    let n = [noise[0], noise[1], noise[2]].map(|v| v * u.noise_scale);
    let mono = (n[0] + n[1] + n[2]) * (1.0 / 3f32.sqrt());
    let l = luma([src[0], src[1], src[2]]).clamp(0.0, 1.0);
    let weight = 1.0 - u.response + u.response * 4.0 * l * (1.0 - l);
    let out = |c: usize| {
        let mut g = mono + u.colour * (n[c] - mono);
        if u.hardness > 0.0 {
            g = (u.hardness * g).tanh() * u.shape_scale;
        }
        let grained = src[c] + u.amount * weight * g;
        if u.mix >= 1.0 { grained } else { src[c] * (1.0 - u.mix) + grained * u.mix }
    };
    [out(0), out(1), out(2), src[3]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_has_unit_variance_and_changes_per_frame() {
        let g = Grain::default();
        let stats = |frame: u32| {
            let u = g.noise_uniform(frame);
            let v: Vec<f32> = (0..4096).map(|i| noise_pixel(&u, i % 64, i / 64)[1]).collect();
            let mean = v.iter().sum::<f32>() / v.len() as f32;
            let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f32>() / v.len() as f32;
            (mean, var, v)
        };
        let (mean, var, a) = stats(7);
        assert!(mean.abs() < 0.05 && (var - 1.0).abs() < 0.05, "{mean} {var}");
        assert_eq!(a, stats(7).2, "the same frame gives the same grain");
        assert_ne!(a, stats(8).2, "the next frame new grain");
        assert!((shape_scale(2.0) - 1.0).abs() > 0.1 && shape_scale(0.0) == 1.0);
    }
}
