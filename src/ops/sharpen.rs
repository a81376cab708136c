//! Sharpen: an unsharp mask. The picture's detail (itself minus a Gaussian blur of it) is cored by
//! `threshold` (differences smaller than it are left alone, so grain and noise are not sharpened) and
//! added back `amount` times: `out = in + amount × core(in − blur(in))`, per channel
//! (`shaders/ops/gaussian.wgsl` twice, then `shaders/ops/sharpen.wgsl`).

use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
use super::{Kernel, OpContext, Param, Spatial};
use crate::gpu::graph::{CpuPass, Img, PassGraph};
use crate::gpu::layout::GpuStruct;

/// Name of the shader file (`shaders/ops/sharpen.wgsl`).
pub const SHADER: &str = "sharpen";

/// Largest radius (pixels at the reference width).
pub const MAX_RADIUS: f32 = 20.0;

/// Unsharp mask parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Sharpen {
    /// Standard deviation of the blur that defines "detail", pixels at the reference width.
    pub radius: f32,
    /// How much detail is added back (0 = none; 1 doubles it).
    pub amount: f32,
    /// Detail smaller than this (in working values) is not sharpened.
    pub threshold: f32,
}

impl Default for Sharpen {
    fn default() -> Self {
        Self { radius: 1.0, amount: 0.0, threshold: 0.0 }
    }
}

crate::gpu_struct! {
    /// Sharpen composite parameters, laid out as `struct Sharpen` in `shaders/ops/sharpen.wgsl`.
    pub struct SharpenUniform {
        /// Detail gain.
        pub amount: f32,
        /// Coring threshold.
        pub threshold: f32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
    }
}

const PARAMS: &[Param<Sharpen>] = &[
    crate::number_param!(Sharpen, radius, "Sharpen radius", 0.0, MAX_RADIUS, 1.0, "px"),
    crate::number_param!(Sharpen, amount, "Sharpen amount", 0.0, 3.0, 0.0, ""),
    crate::number_param!(Sharpen, threshold, "Sharpen threshold", 0.0, 0.1, 0.0, ""),
];

impl Sharpen {
    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=MAX_RADIUS).contains(&self.radius) {
            return Err(format!("sharpen radius must be 0 to {MAX_RADIUS}, got {}", self.radius));
        }
        if !(0.0..=10.0).contains(&self.amount) {
            return Err(format!("sharpen amount must be 0 to 10, got {}", self.amount));
        }
        if !(self.threshold >= 0.0 && self.threshold.is_finite()) {
            return Err(format!("sharpen threshold must not be negative, got {}", self.threshold));
        }
        Ok(())
    }

    /// The blur's line passes for a frame `width` pixels wide.
    pub fn passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.radius, width))
    }

    /// The composite's parameters.
    pub fn uniform(&self) -> SharpenUniform {
        SharpenUniform { amount: self.amount, threshold: self.threshold, _pad0: 0, _pad1: 0 }
    }
}

impl Spatial for Sharpen {
    const NAME: &'static str = "sharpen";
    const KERNELS: &'static [Kernel] = &[Kernel {
        name: SHADER,
        wgsl: include_str!("../../shaders/ops/sharpen.wgsl"),
        cpu: |pass: &CpuPass| {
            let u: SharpenUniform = pass.uniform(0);
            let (src, blurred) = (pass.inputs[0], pass.inputs[1]);
            vec![pass.map(|x, y| composite(&u, src.pixel(x, y), blurred.pixel(x, y)))]
        },
        uniform: Some(("Sharpen", SharpenUniform::LAYOUT)),
    }];

    fn validate(&self) -> Result<(), String> {
        Sharpen::validate(self)
    }

    fn is_neutral(&self) -> bool {
        self.amount == 0.0
    }

    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img {
        let passes = self.passes(cx.width);
        if passes.is_empty() {
            return input;
        }
        let blurred = gaussian::record(g, &passes, input);
        g.pointwise(SHADER, &[input, blurred], bytemuck::bytes_of(&self.uniform()))
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Sharpen", Sharpen::default()))
    }

    fn params() -> &'static [Param<Self>] {
        PARAMS
    }

    fn example() -> Self {
        Sharpen { radius: 12.0, amount: 1.5, threshold: 0.01 }
    }
}

/// Detail `d` cored: shrunk towards 0 by `threshold` (soft thresholding).
fn core(d: f32, threshold: f32) -> f32 {
    d.signum() * (d.abs() - threshold).max(0.0)
}

/// CPU twin of `sharpen.wgsl` for one pixel and its blurred value, at full strength.
pub fn composite(u: &SharpenUniform, src: [f32; 4], blurred: [f32; 4]) -> [f32; 4] {
    let out = |c: usize| src[c] + u.amount * core(src[c] - blurred[c], u.threshold);
    [out(0), out(1), out(2), src[3]]
}
