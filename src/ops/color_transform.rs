//! Colour space transform node (like Resolve's CST): decode the source transfer function, convert
//! the gamut with one 3x3 matrix (chromatic adaptation included where the whites differ), apply the
//! display rendering if asked (Cinegrade's tone curve or the ACES 2.0 Output Transform), encode the
//! destination transfer function. One pointwise stage, `shaders/ops/color_transform.wgsl`, which
//! imports the colour library `shaders/lib/color.wgsl` and the ACES 2.0 transform
//! `shaders/ops/color_aces2.wgsl` (its tables travel in the stage's `tables`).
//!
//! The maths is `color::space::Conversion`; the CPU twin reads the very uniform and tables the
//! shader reads ([`ConversionUniform::apply_with`]). In a fused pass the conversion is written out for its own decode
//! curve, encode curve and tone mode ([`ColorTransform::specialised_wgsl`]), so the pass calls only
//! the curves it uses instead of switching over all of them per pixel.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{OpContext, Pointwise, Site};
use std::sync::Arc;

use crate::color::aces2::Aces2;
use crate::color::space::{
    ColorSpace, Conversion, ConversionUniform, TONE_ACES2_FORWARD, TONE_ACES2_INVERSE, TONE_FORWARD, TONE_INVERSE,
};
use crate::color::transfer::Transfer;
use crate::interchange::InterchangeError;

/// Name of the shader (`shaders/ops/color_transform.wgsl`) that executes this op.
pub const SHADER: &str = "color_transform";

/// The display rendering a colour space transform applies between scene and display spaces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToneMapping {
    /// Cinegrade's own curve (`color::tonemap`, per channel in the display's gamut, for its peak):
    /// scene → display applies it, display → scene its inverse, so a pair of transforms there and
    /// back round-trips; anything else is colorimetric. Written `auto` in grade files (the name
    /// earlier versions read); `cinegrade` is read too.
    #[default]
    #[serde(rename = "auto", alias = "cinegrade")]
    Auto,
    /// The ACES 2.0 Output Transform (`color::aces2`), as OpenColorIO 2.4+ builds it in: scene →
    /// display renders for the display's peak (or the node's `peak_nits`) into its primaries,
    /// display → scene inverts it.
    Aces2,
    /// Purely colorimetric, as OpenColorIO's built-in transforms: no tone curve either way.
    None,
}

impl ToneMapping {
    /// Every choice, in the order the CLI lists them.
    pub const ALL: [ToneMapping; 3] = [ToneMapping::Auto, ToneMapping::Aces2, ToneMapping::None];

    /// The name used on the command line and in the app.
    pub fn name(self) -> &'static str {
        match self {
            ToneMapping::Auto => "cinegrade",
            ToneMapping::Aces2 => "aces2",
            ToneMapping::None => "none",
        }
    }

    /// The mode called `name` (`auto` is `cinegrade`).
    pub fn from_name(name: &str) -> Option<ToneMapping> {
        match name {
            "auto" => Some(ToneMapping::Auto),
            _ => Self::ALL.into_iter().find(|t| t.name() == name),
        }
    }
}

/// Peaks (nits) the ACES 2.0 Output Transform renders HDR for: those OpenColorIO ships views for.
pub const ACES2_HDR_PEAKS: [u16; 4] = [500, 1000, 2000, 4000];

/// A colour space transform: `from` → `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColorTransform {
    /// The space the node's input is in.
    pub from: ColorSpace,
    /// The space the node's output is in.
    pub to: ColorSpace,
    /// Display rendering (default `auto`, Cinegrade's curve).
    #[serde(default)]
    pub tone_map: ToneMapping,
    /// With `aces2` and an HDR display: the peak luminance to render for (one of
    /// [`ACES2_HDR_PEAKS`]; default the display's 1000 nits). SDR displays render for 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_nits: Option<u16>,
}

impl ColorTransform {
    /// A transform with automatic tone mapping.
    pub fn new(from: ColorSpace, to: ColorSpace) -> Self {
        Self { from, to, tone_map: ToneMapping::Auto, peak_nits: None }
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
            ToneMapping::Aces2 => Conversion::aces2(self.from, self.to, self.peak_nits.map(f32::from)),
            ToneMapping::None => Conversion::colorimetric(self.from, self.to),
        }
    }

    /// The numbers the shader and the CPU twin read.
    pub fn uniform(&self) -> ConversionUniform {
        self.conversion().uniform()
    }

    /// Problems with the node's settings: a peak that only an ACES 2.0 HDR render takes.
    pub fn validate(&self) -> Result<(), String> {
        let Some(peak) = self.peak_nits else { return Ok(()) };
        if self.tone_map != ToneMapping::Aces2 {
            return Err(format!("peak_nits {peak} is only for the aces2 tone mapping"));
        }
        let display = [self.from, self.to].into_iter().find(|s| !s.is_scene_referred());
        match display.and_then(ColorSpace::display_peak_nits) {
            Some(n) if n > 100.0 && ACES2_HDR_PEAKS.contains(&peak) => Ok(()),
            Some(n) if n > 100.0 => Err(format!(
                "peak_nits {peak}: the ACES 2.0 HDR transforms are for {} nits",
                ACES2_HDR_PEAKS.map(|p| p.to_string()).join(", ")
            )),
            _ => Err(format!("peak_nits {peak} needs an HDR display space (rec2100-pq, rec2100-hlg, p3d65-pq)")),
        }
    }
}

impl Pointwise for ColorTransform {
    const NAME: &'static str = "color-transform";
    const SHADER: &'static str = SHADER;
    const WGSL: &'static str = include_str!("../../shaders/ops/color_transform.wgsl");
    const STRUCT: &'static str = "ConversionUniform";
    const TABLES: bool = true;
    type Uniform = ConversionUniform;
    type Data = Option<Arc<Aces2>>;

    fn validate(&self) -> Result<(), String> {
        ColorTransform::validate(self)
    }

    fn is_neutral(&self) -> bool {
        self.is_identity()
    }

    /// The ACES 2.0 tables, built once per peak and display gamut and shared.
    fn load(&self) -> Result<Option<Arc<Aces2>>, InterchangeError> {
        Ok(self.conversion().aces2_transform())
    }

    fn uniform(&self, _: &Option<Arc<Aces2>>, _: &OpContext) -> ConversionUniform {
        ColorTransform::uniform(self)
    }

    /// The ACES 2.0 block, or one unused entry.
    fn tables(&self, data: &Option<Arc<Aces2>>) -> Vec<f32> {
        data.as_ref().map_or_else(|| vec![0.0; 4], |t| t.block.clone())
    }

    fn cpu(u: &ConversionUniform, rgb: [f32; 3], site: &Site) -> [f32; 3] {
        u.apply_with(rgb, site.tables)
    }

    /// The ACES 2.0 Output Transform runs in a pass of its own (see [`Pointwise::fuses`]).
    fn fuses(u: &ConversionUniform) -> bool {
        !matches!(u.tone_mode, TONE_ACES2_FORWARD | TONE_ACES2_INVERSE)
    }

    fn specialise(u: &ConversionUniform) -> Option<[u32; 4]> {
        Some([u.decode, u.encode, u.tone_mode, 0])
    }

    /// `apply_conversion` (color.wgsl) written out for one decode curve, encode curve and tone mode.
    fn specialised_wgsl([decode, encode, tone_mode, _]: [u32; 4], i: usize) -> String {
        let curve = curve_wgsl;
        let tone = |mode: u32, f: &str| {
            if tone_mode == mode { format!("    v{i} = tone_{f}3(v{i}, p{i}.tone);\n") } else { String::new() }
        };
        let aces2 = |mode: u32, f: &str| {
            if tone_mode == mode { format!("    v{i} = aces2_{f}(v{i}, site{i}.tables);\n") } else { String::new() }
        };
        format!(
            "    var v{i} = {decode};
{inverse}    v{i} = apply_matrix(p{i}.matrix, v{i});
{forward}    let o{i} = {encode};
",
            decode = curve(decode, "decode", "rgb"),
            inverse = tone(TONE_INVERSE, "inverse") + &aces2(TONE_ACES2_INVERSE, "inverse"),
            forward = tone(TONE_FORWARD, "forward") + &aces2(TONE_ACES2_FORWARD, "forward"),
            encode = curve(encode, "encode", &format!("v{i}")),
        )
    }

    fn example(_: &Path) -> Self {
        ColorTransform::new(ColorSpace::ArriLogC3Ei800, ColorSpace::Rec709Display)
    }
}

/// A WGSL expression applying the transfer curve `id` (a [`Transfer::id`]) to the `vec3<f32>`
/// expression `v`, `way` "decode" or "encode": a direct call of that curve's function
/// (color.wgsl names them after [`Transfer::name`]: `<name>_encode`, `<name>_decode`) instead of
/// `transfer_<way>`'s switch over every curve.
pub(crate) fn curve_wgsl(id: u32, way: &str, v: &str) -> String {
    match Transfer::from_id(id) {
        Some(Transfer::Linear) => v.to_string(),
        // HLG with its system gamma works on the whole pixel, not per channel.
        Some(Transfer::HlgDisplay) => format!("hlg_display_{way}({v})"),
        Some(t) => {
            let f = t.name();
            format!("vec3<f32>({f}_{way}({v}.x), {f}_{way}({v}.y), {f}_{way}({v}.z))")
        }
        None => format!("transfer_{way}({id}u, {v})"),
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
