//! Blur: a Gaussian blur of the picture (`shaders/gaussian.wgsl`, one horizontal and one vertical line
//! pass per [`gaussian::MAX_PASS_SIGMA`]); edges clamp, alpha stays.

use serde::{Deserialize, Serialize};

use super::gaussian::{self, GaussianUniform};
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

    /// CPU reference: the blurred frame (mix not applied).
    pub fn apply(&self, frame: &Frame) -> Frame {
        gaussian::apply(&self.passes(frame.width), frame)
    }
}
