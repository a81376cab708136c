//! Glow and halation: the highlights above a soft threshold (`shaders/ops/glow_extract.wgsl`), tinted,
//! blurred wide (`shaders/ops/gaussian.wgsl`) and laid back over the picture (`shaders/ops/glow.wgsl`) by
//! adding or by a screen that never darkens values above 1. Halation, the red-orange fringe film
//! gets from light scattered back through its red layer, is the same op with [`HALATION_TINT`].
//!
//! The threshold's soft knee is the quadratic one of the common bloom prefilter (e.g. Unity's
//! post-processing stack): below `threshold − softness` nothing, above `threshold + softness` all of
//! luma − threshold, a parabola between.

use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
use super::hsl::{LUMA_WEIGHTS, luma};
use super::{Kernel, OpContext, Param, ParamKind, ParamValue, Spatial};
use crate::gpu::graph::{CpuPass, Img, PassGraph};
use crate::gpu::layout::GpuStruct;

/// Name of the highlight extraction shader (`shaders/ops/glow_extract.wgsl`).
pub const EXTRACT_SHADER: &str = "glow_extract";

/// Name of the composite shader (`shaders/ops/glow.wgsl`).
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

crate::gpu_struct! {
    /// Extraction parameters, laid out as `struct Extract` in `shaders/ops/glow_extract.wgsl`.
    pub struct GlowExtractUniform {
        /// Threshold.
        pub threshold: f32,
        /// Knee half-width.
        pub knee: f32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Tint (w unused).
        pub tint: [f32; 4],
        /// Luma weights (w unused).
        pub luma: [f32; 4],
    }
}

crate::gpu_struct! {
    /// Composite parameters, laid out as `struct Glow` in `shaders/ops/glow.wgsl`.
    pub struct GlowUniform {
        /// Strength.
        pub amount: f32,
        /// 0 = screen, 1 = add.
        pub mode: u32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
    }
}

const PARAMS: &[Param<Glow>] = &[
    crate::number_param!(Glow, threshold, "Glow threshold", 0.0, 2.0, 0.8, ""),
    crate::number_param!(Glow, softness, "Glow softness", 0.0, 1.0, 0.2, ""),
    crate::number_param!(Glow, radius, "Glow radius", 0.0, MAX_RADIUS, 20.0, "px"),
    crate::number_param!(Glow, amount, "Glow amount", 0.0, 2.0, 0.0, ""),
    Param {
        label: "Glow tint",
        unit: "",
        kind: ParamKind::Colour { neutral: [1.0; 3], presets: &[("Halation", HALATION_TINT), ("White", [1.0; 3])] },
        get: |g| ParamValue::Colour(g.tint),
        set: |g, v| g.tint = v.colour(),
    },
    Param {
        label: "Glow mode",
        unit: "",
        kind: ParamKind::Choice { options: &["Screen", "Add"], neutral: 0 },
        get: |g| ParamValue::Choice(g.mode as usize),
        set: |g, v| g.mode = if v.choice() == 1 { GlowMode::Add } else { GlowMode::Screen },
    },
];

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
            _pad0: 0,
            _pad1: 0,
            tint: [t[0], t[1], t[2], 0.0],
            luma: [l[0], l[1], l[2], 0.0],
        }
    }

    /// The blur's line passes for a frame `width` pixels wide.
    pub fn passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.radius, width))
    }

    /// The composite's parameters.
    pub fn uniform(&self) -> GlowUniform {
        GlowUniform { amount: self.amount, mode: self.mode as u32, _pad0: 0, _pad1: 0 }
    }
}

impl Spatial for Glow {
    const NAME: &'static str = "glow";
    const KERNELS: &'static [Kernel] = &[
        Kernel {
            name: EXTRACT_SHADER,
            wgsl: include_str!("../../shaders/ops/glow_extract.wgsl"),
            cpu: |pass: &CpuPass| {
                let u: GlowExtractUniform = pass.uniform(0);
                vec![pass.map(|x, y| extract(&u, pass.inputs[0].pixel(x, y)))]
            },
            uniform: Some(("Extract", GlowExtractUniform::LAYOUT)),
        },
        Kernel {
            name: SHADER,
            wgsl: include_str!("../../shaders/ops/glow.wgsl"),
            cpu: |pass: &CpuPass| {
                let u: GlowUniform = pass.uniform(0);
                vec![pass.map(|x, y| composite(&u, pass.inputs[0].pixel(x, y), pass.inputs[1].pixel(x, y)))]
            },
            uniform: Some(("Glow", GlowUniform::LAYOUT)),
        },
    ];

    fn validate(&self) -> Result<(), String> {
        Glow::validate(self)
    }

    fn is_neutral(&self) -> bool {
        self.amount == 0.0
    }

    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img {
        let bright = g.pointwise(EXTRACT_SHADER, &[input], bytemuck::bytes_of(&self.extract_uniform()));
        let blurred = gaussian::record(g, &self.passes(cx.width), bright);
        g.pointwise(SHADER, &[input, blurred], bytemuck::bytes_of(&self.uniform()))
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Glow / halation", Glow::default()))
    }

    fn params() -> &'static [Param<Self>] {
        PARAMS
    }

    fn example() -> Self {
        Glow { threshold: 0.5, softness: 0.3, radius: 60.0, amount: 0.8, tint: HALATION_TINT, mode: GlowMode::Screen }
    }
}

/// CPU twin of `glow_extract.wgsl`: the tinted part of a pixel above the soft threshold.
pub fn extract(u: &GlowExtractUniform, px: [f32; 4]) -> [f32; 4] {
    let l = luma([px[0], px[1], px[2]]);
    let soft = (l - u.threshold + u.knee).clamp(0.0, 2.0 * u.knee);
    let soft = soft * soft / (4.0 * u.knee + 1e-5);
    let share = soft.max(l - u.threshold) / l.max(1e-5);
    let share = share.max(0.0);
    let c = |i: usize| px[i].max(0.0) * share * u.tint[i];
    [c(0), c(1), c(2), px[3]]
}

/// CPU twin of `glow.wgsl` for one pixel and its blurred highlights, at full strength.
pub fn composite(u: &GlowUniform, src: [f32; 4], glow: [f32; 4]) -> [f32; 4] {
    let out = |c: usize| {
        let g = u.amount * glow[c];
        if u.mode == 1 { src[c] + g } else { src[c] + g * (1.0 - src[c].clamp(0.0, 1.0)) }
    };
    [out(0), out(1), out(2), src[3]]
}
