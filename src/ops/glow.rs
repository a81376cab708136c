//! Glow and halation: the highlights above a soft threshold (`shaders/glow_extract.wgsl`), tinted,
//! blurred wide (`shaders/gaussian.wgsl`) and laid back over the picture (`shaders/glow.wgsl`) by
//! adding or by a screen that never darkens values above 1. Halation, the red-orange fringe film
//! gets from light scattered back through its red layer, is the same op with [`HALATION_TINT`].
//!
//! The threshold's soft knee is the quadratic one of the common bloom prefilter (e.g. Unity's
//! post-processing stack): below `threshold − softness` nothing, above `threshold + softness` all of
//! luma − threshold, a parabola between.

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
use super::hsl::{LUMA_WEIGHTS, luma};
use crate::media::Frame;

/// Name of the highlight extraction shader (`shaders/glow_extract.wgsl`).
pub const EXTRACT_SHADER: &str = "glow_extract";

/// Name of the composite shader (`shaders/glow.wgsl`).
pub const SHADER: &str = "glow";

/// Largest radius (pixels at the reference width).
pub const MAX_RADIUS: f32 = 100.0;

/// Film halation's tint: red, some orange.
pub const HALATION_TINT: [f32; 3] = [1.0, 0.3, 0.1];

/// How the glow is laid over the picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GlowMode {
    /// `in + glow × (1 − clamp(in, 0, 1))`: a screen that leaves values above 1 alone.
    #[default]
    Screen,
    /// `in + glow`: light added, as an optical glow.
    Add,
}

/// Glow / halation parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Glow {
    /// Luma from which highlights glow (working values).
    pub threshold: f32,
    /// Half-width of the soft knee around the threshold.
    pub softness: f32,
    /// Standard deviation of the glow's blur, pixels at the reference width.
    pub radius: f32,
    /// Strength (0 = none).
    pub amount: f32,
    /// Colour of the glow ([`HALATION_TINT`] for halation).
    pub tint: [f32; 3],
    /// Screen or add.
    pub mode: GlowMode,
}

impl Default for Glow {
    fn default() -> Self {
        Self { threshold: 0.8, softness: 0.2, radius: 20.0, amount: 0.0, tint: [1.0; 3], mode: GlowMode::Screen }
    }
}

/// Extraction parameters, laid out as `struct Extract` in `shaders/glow_extract.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct GlowExtractUniform {
    /// Threshold.
    pub threshold: f32,
    /// Knee half-width.
    pub knee: f32,
    /// Padding.
    pub _pad: [u32; 2],
    /// Tint (w unused).
    pub tint: [f32; 4],
    /// Luma weights (w unused).
    pub luma: [f32; 4],
}

/// Composite parameters, laid out as `struct Glow` in `shaders/glow.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct GlowUniform {
    /// Strength.
    pub amount: f32,
    /// 0 = screen, 1 = add.
    pub mode: u32,
    /// Node mix.
    pub mix: f32,
    /// Padding.
    pub _pad: u32,
}

impl Glow {
    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=MAX_RADIUS).contains(&self.radius) {
            return Err(format!("glow radius must be 0 to {MAX_RADIUS}, got {}", self.radius));
        }
        if !(self.softness >= 0.0 && self.threshold.is_finite() && self.softness.is_finite()) {
            return Err(format!("glow softness must not be negative, got {}", self.softness));
        }
        if !(0.0..=10.0).contains(&self.amount) {
            return Err(format!("glow amount must be 0 to 10, got {}", self.amount));
        }
        if self.tint.iter().any(|t| !(*t >= 0.0 && t.is_finite())) {
            return Err(format!("glow tint must not be negative, got {:?}", self.tint));
        }
        Ok(())
    }

    /// True when the picture comes out as it went in.
    pub fn is_neutral(&self) -> bool {
        self.amount == 0.0
    }

    /// The extraction's parameters.
    pub fn extract_uniform(&self) -> GlowExtractUniform {
        let (t, l) = (self.tint, LUMA_WEIGHTS);
        GlowExtractUniform {
            threshold: self.threshold,
            knee: self.softness,
            _pad: [0; 2],
            tint: [t[0], t[1], t[2], 0.0],
            luma: [l[0], l[1], l[2], 0.0],
        }
    }

    /// The blur's line passes for a frame `width` pixels wide.
    pub fn passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.radius, width))
    }

    /// The composite's parameters at `mix`.
    pub fn uniform(&self, mix: f32) -> GlowUniform {
        GlowUniform { amount: self.amount, mode: self.mode as u32, mix, _pad: 0 }
    }

    /// CPU reference of the whole op at `mix`.
    pub fn apply(&self, frame: &Frame, mix: f32) -> Frame {
        let e = self.extract_uniform();
        let bright = Frame { pixels: frame.pixels.iter().map(|p| extract(&e, *p)).collect(), ..*frame };
        let glow = gaussian::apply(&self.passes(frame.width), &bright);
        let u = self.uniform(mix);
        Frame { pixels: frame.pixels.iter().zip(&glow.pixels).map(|(s, g)| composite(&u, *s, *g)).collect(), ..*frame }
    }
}

/// CPU reference of `glow_extract.wgsl`: the tinted part of a pixel above the soft threshold.
pub fn extract(u: &GlowExtractUniform, px: [f32; 4]) -> [f32; 4] {
    let l = luma([px[0], px[1], px[2]]);
    let soft = (l - u.threshold + u.knee).clamp(0.0, 2.0 * u.knee);
    let soft = soft * soft / (4.0 * u.knee + 1e-5);
    let share = soft.max(l - u.threshold) / l.max(1e-5);
    let share = share.max(0.0);
    let c = |i: usize| px[i].max(0.0) * share * u.tint[i];
    [c(0), c(1), c(2), px[3]]
}

/// CPU reference of `glow.wgsl` for one pixel and its blurred highlights.
pub fn composite(u: &GlowUniform, src: [f32; 4], glow: [f32; 4]) -> [f32; 4] {
    let out = |c: usize| {
        let g = u.amount * glow[c];
        let lit = if u.mode == 1 { src[c] + g } else { src[c] + g * (1.0 - src[c].clamp(0.0, 1.0)) };
        if u.mix >= 1.0 { lit } else { src[c] * (1.0 - u.mix) + lit * u.mix }
    };
    [out(0), out(1), out(2), src[3]]
}
