//! Film grain: deterministic noise, shaped and laid over the picture.
//!
//! 1. `shaders/ops/grain_noise.wgsl` hashes (x, y, frame, seed) with PCG3D (Jarzynski & Olano 2020,
//!    "Hash Functions for GPU Rendering", JCGT 9(3)) into three uniform values of unit variance per
//!    pixel: the same frame number gives the same grain, the next frame new grain.
//! 2. A Gaussian blur of `size` gives the grain its size; the result is rescaled to unit variance.
//! 3. `shaders/ops/grain.wgsl` mixes mono and colour grain, shapes it (`softness` 0 pushes it through a
//!    steep tanh, clumped like developed silver; 1 leaves it Gaussian; both rescaled to unit variance),
//!    weights it by the picture's luma (film grain shows most in the mids) and adds `amount` of it.

use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
use super::hsl::{LUMA_WEIGHTS, luma};
use super::{Kernel, OpContext, Param, ParamKind, ParamValue, Spatial};
use crate::gpu::graph::{CpuPass, Img, PassGraph};
use crate::gpu::layout::GpuStruct;

/// Name of the noise shader (`shaders/ops/grain_noise.wgsl`).
pub const NOISE_SHADER: &str = "grain_noise";

/// Name of the composite shader (`shaders/ops/grain.wgsl`).
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

crate::gpu_struct! {
    /// Noise parameters, laid out as `struct Noise` in `shaders/ops/grain_noise.wgsl`.
    pub struct GrainNoiseUniform {
        /// Frame number and seed, hashed together.
        pub key: u32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Padding.
        pub _pad2: u32,
    }
}

crate::gpu_struct! {
    /// Composite parameters, laid out as `struct Grain` in `shaders/ops/grain.wgsl`.
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
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Luma weights (w unused).
        pub luma: [f32; 4],
    }
}

const PARAMS: &[Param<Grain>] = &[
    crate::number_param!(Grain, amount, "Grain amount", 0.0, 0.2, 0.0, ""),
    crate::number_param!(Grain, size, "Grain size", 0.0, MAX_SIZE, 1.0, "px"),
    crate::number_param!(Grain, softness, "Grain softness", 0.0, 1.0, 0.5, ""),
    crate::number_param!(Grain, colour, "Grain colour", 0.0, 1.0, 0.0, ""),
    crate::number_param!(Grain, response, "Grain luma response", 0.0, 1.0, 0.5, ""),
    Param {
        label: "Grain seed",
        unit: "",
        kind: ParamKind::Integer { neutral: 0 },
        get: |g| ParamValue::Integer(g.seed),
        set: |g, v| g.seed = v.integer(),
    },
];

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
        GrainNoiseUniform { key: frame_number.wrapping_mul(0x9E37_79B9) ^ self.seed, _pad0: 0, _pad1: 0, _pad2: 0 }
    }

    /// The grain blur's line passes for a frame `width` pixels wide.
    pub fn passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.size, width))
    }

    /// The composite's parameters, for the blur `passes`.
    pub fn uniform(&self, passes: &[GaussianUniform]) -> GrainUniform {
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
            _pad0: 0,
            _pad1: 0,
            luma: [l[0], l[1], l[2], 0.0],
        }
    }

}

impl Spatial for Grain {
    const NAME: &'static str = "grain";
    const KERNELS: &'static [Kernel] = &[
        Kernel {
            name: NOISE_SHADER,
            wgsl: include_str!("../../shaders/ops/grain_noise.wgsl"),
            cpu: |pass: &CpuPass| {
                let u: GrainNoiseUniform = pass.uniform(0);
                vec![pass.map(|x, y| noise_pixel(&u, x, y))]
            },
            uniform: Some(("Noise", GrainNoiseUniform::LAYOUT)),
        },
        Kernel {
            name: SHADER,
            wgsl: include_str!("../../shaders/ops/grain.wgsl"),
            cpu: |pass: &CpuPass| {
                let u: GrainUniform = pass.uniform(0);
                vec![pass.map(|x, y| composite(&u, pass.inputs[0].pixel(x, y), pass.inputs[1].pixel(x, y)))]
            },
            uniform: Some(("Grain", GrainUniform::LAYOUT)),
        },
    ];

    fn validate(&self) -> Result<(), String> {
        Grain::validate(self)
    }

    fn is_neutral(&self) -> bool {
        self.amount == 0.0
    }

    /// Noise for the context's frame number, blurred to size, composited.
    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img {
        let noise = g.pointwise(NOISE_SHADER, &[input], bytemuck::bytes_of(&self.noise_uniform(cx.frame)));
        let passes = self.passes(cx.width);
        let noise = gaussian::record(g, &passes, noise);
        g.pointwise(SHADER, &[input, noise], bytemuck::bytes_of(&self.uniform(&passes)))
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Film grain", Grain::default()))
    }

    fn params() -> &'static [Param<Self>] {
        PARAMS
    }

    fn example() -> Self {
        Grain { amount: 0.08, size: 6.0, softness: 0.2, colour: 0.6, response: 0.7, seed: 11 }
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

/// CPU twin of `grain_noise.wgsl`: three zero-mean, unit-variance uniform values at (x, y).
pub fn noise_pixel(u: &GrainNoiseUniform, x: u32, y: u32) -> [f32; 4] {
    let h = pcg3d([x, y, u.key]);
    let n = h.map(|v| ((v >> 8) as f32 * (1.0 / 16_777_216.0) - 0.5) * 12f32.sqrt());
    [n[0], n[1], n[2], 1.0]
}

/// CPU twin of `grain.wgsl` for one pixel and its (blurred) noise, at full strength.
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
        src[c] + u.amount * weight * g
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
