//! Blur: a Gaussian blur of the picture (`shaders/ops/gaussian.wgsl`, one horizontal and one vertical
//! line pass per [`gaussian::MAX_PASS_SIGMA`]); edges clamp, alpha stays.

use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
use super::{Kernel, OpContext, Param, Spatial};
use crate::gpu::graph::{Img, PassGraph};
use crate::media::Frame;

/// Largest radius a grade may ask for (pixels at the reference width).
pub const MAX_RADIUS: f32 = 100.0;

/// Blur parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Blur {
    /// Standard deviation of the Gaussian, pixels at the reference width (1920); 0 = no blur.
    pub radius: f32,
}

const PARAMS: &[Param<Blur>] = &[crate::number_param!(Blur, radius, "Blur radius", 0.0, MAX_RADIUS, 0.0, "px")];

impl Blur {
    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=MAX_RADIUS).contains(&self.radius) {
            return Err(format!("blur radius must be 0 to {MAX_RADIUS}, got {}", self.radius));
        }
        Ok(())
    }

    /// The line passes for a frame `width` pixels wide (empty: nothing to blur).
    pub fn passes(&self, width: u32) -> Vec<GaussianUniform> {
        gaussian::passes(gaussian::pixels(self.radius, width))
    }

    /// CPU reference: the blurred frame.
    pub fn apply(&self, frame: &Frame) -> Frame {
        gaussian::apply(&self.passes(frame.width), frame)
    }
}

impl Spatial for Blur {
    const NAME: &'static str = "blur";
    // The Gaussian line pass is the executor's own kernel (`gaussian::KERNELS`).
    const KERNELS: &'static [Kernel] = &[];

    fn validate(&self) -> Result<(), String> {
        Blur::validate(self)
    }

    fn is_neutral(&self) -> bool {
        self.radius == 0.0
    }

    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img {
        gaussian::record(g, &self.passes(cx.width), input)
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Blur", Blur::default()))
    }

    fn params() -> &'static [Param<Self>] {
        PARAMS
    }

    fn example() -> Self {
        Blur { radius: 30.0 }
    }
}
