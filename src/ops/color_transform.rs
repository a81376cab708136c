//! Colour space transform node (like Resolve's CST): decode the source transfer function, convert
//! the gamut with one 3x3 matrix (chromatic adaptation included where the whites differ), apply the
//! display rendering if asked, encode the destination transfer function. One pointwise pass,
//! `shaders/color_transform.wgsl`, which includes the colour library `shaders/color.wgsl`.
//!
//! The maths is `color::space::Conversion`; the CPU reference ([`apply_pixel`]) reads the very
//! uniform the shader reads ([`ConversionUniform::apply`]).

use bytemuck::{Pod, Zeroable};
use serde::{Deserialize, Serialize};

use super::blend;
use crate::color::space::{ColorSpace, Conversion, ConversionUniform};

/// Name of the shader (`shaders/color_transform.wgsl`) that executes this op.
pub const SHADER: &str = "color_transform";

/// Whether a colour space transform applies the display rendering (tone curve, `color::tonemap`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToneMapping {
    /// Scene → display applies the tone curve for the display's peak; display → scene applies its
    /// inverse, so a pair of transforms there and back round-trips; anything else is colorimetric.
    #[default]
    Auto,
    /// Purely colorimetric, as OpenColorIO's built-in transforms: no tone curve either way.
    None,
}

impl ToneMapping {
    /// Every choice, in the order the CLI lists them.
    pub const ALL: [ToneMapping; 2] = [ToneMapping::Auto, ToneMapping::None];

    /// The name used on the command line and in grade files.
    pub fn name(self) -> &'static str {
        match self {
            ToneMapping::Auto => "auto",
            ToneMapping::None => "none",
        }
    }
}

/// A colour space transform: `from` → `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColorTransform {
    /// The space the node's input is in.
    pub from: ColorSpace,
    /// The space the node's output is in.
    pub to: ColorSpace,
    /// Display rendering (default `auto`).
    #[serde(default)]
    pub tone_map: ToneMapping,
}

impl ColorTransform {
    /// A transform with automatic tone mapping.
    pub fn new(from: ColorSpace, to: ColorSpace) -> Self {
        Self { from, to, tone_map: ToneMapping::Auto }
    }

    /// True when the transform changes nothing (`from == to`); such a node is skipped rather than
    /// decoded and re-encoded, which would not be bit-exact.
    pub fn is_identity(&self) -> bool {
        self.from == self.to
    }

    /// The conversion this node computes.
    pub fn conversion(&self) -> Conversion {
        match self.tone_map {
            ToneMapping::Auto => Conversion::round_trip(self.from, self.to),
            ToneMapping::None => Conversion::colorimetric(self.from, self.to),
        }
    }

    /// The numbers the shader and the CPU reference read, for a node blended in at `mix`.
    pub fn uniform(&self, mix: f32) -> ColorTransformUniform {
        ColorTransformUniform { conversion: self.conversion().uniform(), mix, _pad: [0; 3] }
    }
}

/// Laid out exactly as `struct ColorTransform` in `shaders/color_transform.wgsl`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct ColorTransformUniform {
    /// The conversion (`ConversionUniform` in `shaders/color.wgsl`).
    pub conversion: ConversionUniform,
    /// Node mix: 0 = input, 1 = fully converted.
    pub mix: f32,
    /// Padding to a 16-byte multiple.
    pub _pad: [u32; 3],
}

/// CPU reference of `color_transform.wgsl` for one RGB value (alpha is never touched).
pub fn apply_pixel(u: &ColorTransformUniform, input: [f32; 3]) -> [f32; 3] {
    blend(input, u.conversion.apply(input), u.mix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_and_defaults() {
        let t: ColorTransform = serde_json::from_str(r#"{"from": "arri-logc3-ei800", "to": "acescct"}"#).unwrap();
        assert_eq!(t, ColorTransform::new(ColorSpace::ArriLogC3Ei800, ColorSpace::Acescct));
        let json = serde_json::to_string(&ColorTransform { tone_map: ToneMapping::None, ..t }).unwrap();
        assert_eq!(json, r#"{"from":"arri-logc3-ei800","to":"acescct","tone_map":"none"}"#);
        assert!(serde_json::from_str::<ColorTransform>(r#"{"from":"acescct"}"#).is_err());
        assert!(ColorTransform::new(ColorSpace::Acescg, ColorSpace::Acescg).is_identity());
    }

    #[test]
    fn mix_one_is_the_conversion_and_zero_the_input() {
        let t = ColorTransform::new(ColorSpace::Acescg, ColorSpace::SrgbDisplay);
        let rgb = [0.18, 2.0, -0.01];
        assert_eq!(apply_pixel(&t.uniform(1.0), rgb), t.conversion().apply(rgb));
        assert_eq!(apply_pixel(&t.uniform(0.0), rgb), rgb);
    }
}
