//! Sharpen: an unsharp mask. The picture's detail (itself minus a Gaussian blur of it) is cored by
//! `threshold` (differences smaller than it are left alone, so grain and noise are not sharpened) and
//! added back `amount` times: `out = in + amount × core(in − blur(in))`, per channel
//! (`shaders/gaussian.wgsl` twice, then `shaders/sharpen.wgsl`).

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
use crate::media::Frame;

/// Name of the shader file (`shaders/sharpen.wgsl`).
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

/// Sharpen composite parameters, laid out as `struct Sharpen` in `shaders/sharpen.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct SharpenUniform {
    /// Detail gain.
    pub amount: f32,
    /// Coring threshold.
    pub threshold: f32,
    /// Node mix.
    pub mix: f32,
    /// Padding.
    pub _pad: u32,
}

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

    /// True when the picture comes out as it went in.
    pub fn is_neutral(&self, width: u32) -> bool {
        self.amount == 0.0 || self.passes(width).is_empty()
    }

    /// The blur's line passes for a frame `width` pixels wide.
    pub fn passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.radius, width))
    }

    /// The composite's parameters at `mix`.
    pub fn uniform(&self, mix: f32) -> SharpenUniform {
        SharpenUniform { amount: self.amount, threshold: self.threshold, mix, _pad: 0 }
    }

    /// CPU reference of the whole op at `mix`.
    pub fn apply(&self, frame: &Frame, mix: f32) -> Frame {
        let blurred = gaussian::apply(&self.passes(frame.width), frame);
        let u = self.uniform(mix);
        Frame {
            pixels: frame.pixels.iter().zip(&blurred.pixels).map(|(s, b)| composite(&u, *s, *b)).collect(),
            ..*frame
        }
    }
}

/// Detail `d` cored: shrunk towards 0 by `threshold` (soft thresholding).
fn core(d: f32, threshold: f32) -> f32 {
    d.signum() * (d.abs() - threshold).max(0.0)
}

/// CPU reference of `sharpen.wgsl` for one pixel and its blurred value.
pub fn composite(u: &SharpenUniform, src: [f32; 4], blurred: [f32; 4]) -> [f32; 4] {
    let out = |c: usize| {
        let sharp = src[c] + u.amount * core(src[c] - blurred[c], u.threshold);
        if u.mix >= 1.0 { sharp } else { src[c] * (1.0 - u.mix) + sharp * u.mix }
    };
    [out(0), out(1), out(2), src[3]]
}
