//! Vignette: a pointwise radial falloff (`shaders/ops/vignette.wgsl`). The radius is measured so that 1
//! reaches the frame's corners whatever its shape; `roundness` 1 makes the falloff a circle, 0 an
//! ellipse with the frame's proportions. Positive `amount` darkens towards the edges, negative
//! brightens: `out = in × (1 − amount × smoothstep(size, size + feather, r))`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::hsl::smoothstep;
use super::{OpContext, Param, ParamKind, ParamValue, Pointwise, Site};
use crate::interchange::InterchangeError;

/// Name of the shader file (`shaders/ops/vignette.wgsl`).
pub const SHADER: &str = "vignette";

/// Vignette parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Vignette {
    /// −1..1: how much the edges darken (negative: brighten).
    pub amount: f32,
    /// Radius where the falloff starts (1 = the corners).
    pub size: f32,
    /// Width of the falloff.
    pub feather: f32,
    /// 1 = circular, 0 = the frame's own proportions.
    pub roundness: f32,
    /// Centre, normalised frame coordinates (0..1, y down).
    pub center: [f32; 2],
}

impl Default for Vignette {
    fn default() -> Self {
        Self { amount: 0.0, size: 0.6, feather: 0.5, roundness: 1.0, center: [0.5, 0.5] }
    }
}

crate::gpu_struct! {
    /// Vignette parameters, laid out as `struct Vignette` in `shaders/ops/vignette.wgsl`.
    pub struct VignetteUniform {
        /// Centre in normalised coordinates, then 1/width and 1/height.
        pub center: [f32; 4],
        /// Per-axis scale from normalised offsets to radius, unused, unused.
        pub scale: [f32; 4],
        /// Amount.
        pub amount: f32,
        /// Size.
        pub size: f32,
        /// Feather.
        pub feather: f32,
        /// Padding.
        pub _pad0: u32,
    }
}

const PARAMS: &[Param<Vignette>] = &[
    crate::number_param!(Vignette, amount, "Vignette amount", -1.0, 1.0, 0.0, ""),
    crate::number_param!(Vignette, size, "Vignette size", 0.0, 1.5, 0.6, ""),
    crate::number_param!(Vignette, feather, "Vignette feather", 0.0, 1.5, 0.5, ""),
    crate::number_param!(Vignette, roundness, "Vignette roundness", 0.0, 1.0, 1.0, ""),
    Param {
        label: "Vignette centre",
        unit: "",
        kind: ParamKind::Point { neutral: [0.5, 0.5] },
        get: |v| ParamValue::Point(v.center),
        set: |v, p| v.center = p.point(),
    },
];

impl Pointwise for Vignette {
    const NAME: &'static str = "vignette";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../shaders/ops/vignette.wgsl");
    const STRUCT: &'static str = "Vignette";
    type Uniform = VignetteUniform;
    type Data = ();

    fn validate(&self) -> Result<(), String> {
        Vignette::validate(self)
    }

    fn is_neutral(&self) -> bool {
        Vignette::is_neutral(self)
    }

    fn load(&self) -> Result<(), InterchangeError> {
        Ok(())
    }

    fn uniform(&self, _: &(), cx: &OpContext) -> VignetteUniform {
        Vignette::uniform(self, cx.width, cx.height)
    }

    fn cpu(u: &VignetteUniform, rgb: [f32; 3], site: &Site) -> [f32; 3] {
        let [r, g, b, _] = apply_pixel(u, [rgb[0], rgb[1], rgb[2], 0.0], site.pos[0], site.pos[1]);
        [r, g, b]
    }

    fn menu() -> Option<(&'static str, Self)> {
        Some(("Vignette", Vignette::default()))
    }

    fn params() -> &'static [Param<Self>] {
        PARAMS
    }

    fn example(_: &Path) -> Self {
        Vignette { amount: 0.5, size: 0.3, feather: 0.6, roundness: 0.4, center: [0.45, 0.55] }
    }
}

impl Vignette {
    /// Problems a colorist must fix before this can render.
    pub fn validate(&self) -> Result<(), String> {
        if !(-1.0..=1.0).contains(&self.amount) {
            return Err(format!("vignette amount must be -1 to 1, got {}", self.amount));
        }
        if !(self.size >= 0.0 && self.feather >= 0.0 && self.size.is_finite() && self.feather.is_finite()) {
            return Err(format!("vignette size and feather must not be negative, got {} {}", self.size, self.feather));
        }
        if !(0.0..=1.0).contains(&self.roundness) {
            return Err(format!("vignette roundness must be 0 to 1, got {}", self.roundness));
        }
        if !self.center.iter().all(|c| c.is_finite()) {
            return Err("vignette center must be a number".into());
        }
        Ok(())
    }

    /// True when the picture comes out as it went in.
    pub fn is_neutral(&self) -> bool {
        self.amount == 0.0
    }

    /// The numbers the shader and [`apply_pixel`] read, for a frame of the given size.
    pub fn uniform(&self, width: u32, height: u32) -> VignetteUniform {
        let aspect = width as f32 / height as f32;
        let axis = [1.0 + (aspect - 1.0) * self.roundness, 1.0];
        let norm = (axis[0] * axis[0] + axis[1] * axis[1]).sqrt();
        VignetteUniform {
            center: [self.center[0], self.center[1], 1.0 / width as f32, 1.0 / height as f32],
            scale: [2.0 * axis[0] / norm, 2.0 * axis[1] / norm, 0.0, 0.0],
            amount: self.amount,
            size: self.size,
            feather: self.feather,
            _pad0: 0,
        }
    }
}

/// CPU twin of `vignette.wgsl` for the pixel at (x, y), at full strength.
pub fn apply_pixel(u: &VignetteUniform, px: [f32; 4], x: u32, y: u32) -> [f32; 4] {
    let d = [(x as f32 + 0.5) * u.center[2] - u.center[0], (y as f32 + 0.5) * u.center[3] - u.center[1]];
    let q = [d[0] * u.scale[0], d[1] * u.scale[1]];
    let r = (q[0] * q[0] + q[1] * q[1]).sqrt();
    let falloff = if u.feather > 0.0 {
        smoothstep(u.size, u.size + u.feather, r)
    } else if r >= u.size {
        1.0
    } else {
        0.0
    };
    let gain = 1.0 - u.amount * falloff;
    [px[0] * gain, px[1] * gain, px[2] * gain, px[3]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centre_is_untouched_and_corners_darken() {
        let v = Vignette { amount: 0.5, size: 0.5, feather: 0.3, ..Vignette::default() };
        let u = v.uniform(160, 90);
        assert_eq!(apply_pixel(&u, [1.0; 4], 80, 45), [1.0; 4]);
        let corner = apply_pixel(&u, [1.0; 4], 0, 0);
        assert!((corner[0] - 0.5).abs() < 0.02 && corner[3] == 1.0, "{corner:?}");
        assert!(Vignette { amount: 2.0, ..v }.validate().is_err());
        assert!(Vignette { feather: -0.1, ..v }.validate().is_err());
    }
}
