//! Colour space transform node (like Resolve's CST): decode the source transfer function, convert
//! the gamut with one 3x3 matrix (chromatic adaptation included where the whites differ), apply the
//! display rendering if asked, encode the destination transfer function. One pointwise stage,
//! `shaders/ops/color_transform.wgsl`, which imports the colour library `shaders/lib/color.wgsl`.
//!
//! The maths is `color::space::Conversion`; the CPU twin reads the very uniform the shader reads
//! ([`ConversionUniform::apply`]). In a fused pass the conversion is written out for its own decode
//! curve, encode curve and tone mode ([`ColorTransform::specialised_wgsl`]), so the pass calls only
//! the curves it uses instead of switching over all of them per pixel.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{OpContext, Pointwise, Site};
use crate::color::space::{ColorSpace, Conversion, ConversionUniform, TONE_FORWARD, TONE_INVERSE};
use crate::color::transfer::Transfer;
use crate::interchange::InterchangeError;

/// Name of the shader (`shaders/ops/color_transform.wgsl`) that executes this op.
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

    /// The numbers the shader and the CPU twin read.
    pub fn uniform(&self) -> ConversionUniform {
        self.conversion().uniform()
    }
}

impl Pointwise for ColorTransform {
    const NAME: &'static str = "color-transform";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../shaders/ops/color_transform.wgsl");
    const STRUCT: &'static str = "ConversionUniform";
    type Uniform = ConversionUniform;
    type Data = ();

    fn validate(&self) -> Result<(), String> {
        Ok(())
    }

    fn is_neutral(&self) -> bool {
        self.is_identity()
    }

    fn load(&self) -> Result<(), InterchangeError> {
        Ok(())
    }

    fn uniform(&self, _: &(), _: &OpContext) -> ConversionUniform {
        ColorTransform::uniform(self)
    }

    fn cpu(u: &ConversionUniform, rgb: [f32; 3], _: &Site) -> [f32; 3] {
        u.apply(rgb)
    }

    fn specialise(u: &ConversionUniform) -> Option<[u32; 4]> {
        Some([u.decode, u.encode, u.tone_mode, 0])
    }

    /// `apply_conversion` (color.wgsl) written out for one decode curve, encode curve and tone mode.
    fn specialised_wgsl([decode, encode, tone_mode, _]: [u32; 4], i: usize) -> String {
        // The WGSL curve functions are named after `Transfer::name`: `<name>_encode`, `<name>_decode`.
        let curve = |id: u32, way: &str, v: &str| match Transfer::from_id(id) {
            Some(Transfer::Linear) => v.to_string(),
            // HLG with its system gamma works on the whole pixel, not per channel.
            Some(Transfer::HlgDisplay) => format!("hlg_display_{way}({v})"),
            Some(t) => {
                let f = t.name();
                format!("vec3<f32>({f}_{way}({v}.x), {f}_{way}({v}.y), {f}_{way}({v}.z))")
            }
            None => format!("transfer_{way}({id}u, {v})"),
        };
        let tone = |mode: u32, f: &str| {
            if tone_mode == mode { format!("    v{i} = tone_{f}3(v{i}, p{i}.tone);\n") } else { String::new() }
        };
        format!(
            "    var v{i} = {decode};
{inverse}    v{i} = apply_matrix(p{i}.matrix, v{i});
{forward}    let o{i} = {encode};
",
            decode = curve(decode, "decode", "rgb"),
            inverse = tone(TONE_INVERSE, "inverse"),
            forward = tone(TONE_FORWARD, "forward"),
            encode = curve(encode, "encode", &format!("v{i}")),
        )
    }

    fn example(_: &Path) -> Self {
        ColorTransform::new(ColorSpace::ArriLogC3Ei800, ColorSpace::Rec709Display)
    }
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
    fn the_twin_is_the_conversion() {
        let t = ColorTransform::new(ColorSpace::Acescg, ColorSpace::SrgbDisplay);
        let rgb = [0.18, 2.0, -0.01];
        let site = Site { pos: [0, 0], tables: &[], lattice: None };
        assert_eq!(ColorTransform::cpu(&t.uniform(), rgb, &site), t.conversion().apply(rgb));
        assert_eq!(super::super::blend(rgb, ColorTransform::cpu(&t.uniform(), rgb, &site), 0.0), rgb);
    }
}
