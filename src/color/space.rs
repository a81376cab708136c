//! Named colour spaces and the conversion between any two of them.
//!
//! Every space is a gamut (chromaticities) plus a transfer function, and is either scene-referred
//! (camera and working spaces) or display-referred (display encodings, 1.0 = 100 nits). The hub is
//! ACES2065-1, and each space's matrix to it is built the way OpenColorIO 2.x's built-in transform
//! (or, where there is none, the ACES studio config) builds it, including which chromatic adaptation
//! it uses between D65 and the ACES white: CAT02 for ARRI, Sony, Canon and DaVinci; Bradford for
//! Panasonic, RED, Rec.709/Rec.2020 and all displays. Spaces sharing a white convert directly.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::color::spaces::{
    ACES_AP0, ACES_AP1, ARRI_WIDE_GAMUT_3, ARRI_WIDE_GAMUT_4, CINEMA_GAMUT, Cat, Chromaticities, DAVINCI_WIDE_GAMUT,
    IDENTITY, Mat3, P3_D65, REC709, REC2020, RED_WIDE_GAMUT_RGB, S_GAMUT3_CINE, V_GAMUT, mul3, rgb_to_rgb_matrix_f64,
    to_f32,
};
use crate::color::tonemap::ToneCurve;
use crate::color::transfer::Transfer;

/// A named colour space: gamut + transfer function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColorSpace {
    /// Scene-linear Rec.709 primaries, D65.
    LinearRec709,
    /// Scene-linear Rec.2020 primaries, D65.
    LinearRec2020,
    /// ACES2065-1: scene-linear AP0, ACES white (SMPTE ST 2065-1).
    Aces2065_1,
    /// ACEScg: scene-linear AP1 (S-2014-004).
    Acescg,
    /// ACEScct: AP1 with the ACEScct log curve (S-2016-001).
    Acescct,
    /// ARRI LogC3 (EI 800) / ARRI Wide Gamut 3.
    ArriLogC3Ei800,
    /// ARRI LogC4 / ARRI Wide Gamut 4.
    ArriLogC4,
    /// Sony S-Log3 / S-Gamut3.Cine.
    SonySlog3SGamut3Cine,
    /// Panasonic V-Log / V-Gamut.
    PanasonicVlogVGamut,
    /// Canon Log 3 / Cinema Gamut.
    CanonClog3CinemaGamut,
    /// RED Log3G10 / REDWideGamutRGB.
    RedLog3G10Rwg,
    /// DaVinci Intermediate / DaVinci Wide Gamut.
    DavinciIntermediateDwg,
    /// sRGB display: Rec.709 primaries, piecewise sRGB EOTF.
    SrgbDisplay,
    /// Rec.709 display: Rec.709 primaries, BT.1886 (2.4 power) EOTF.
    Rec709Display,
    /// Apple Display P3: P3 primaries, D65, sRGB EOTF mirrored below 0.
    DisplayP3,
    /// Rec.2100 PQ display: Rec.2020 primaries, ST 2084 (1.0 = 100 nits).
    Rec2100Pq,
    /// Rec.2100 HLG display for a 1000-nit monitor: Rec.2020 primaries, HLG with its OOTF.
    Rec2100Hlg,
    /// P3-D65 PQ display (ST 2084 in P3-D65 primaries, 1.0 = 100 nits): the HDR master most
    /// streaming platforms ask for.
    P3d65Pq,
}

/// Whether a space holds scene light or light meant for a display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Referred {
    /// Scene-referred: linear in scene light, unbounded (camera log, ACES, linear working spaces).
    Scene,
    /// Display-referred: encodes what a display emits (1.0 = 100 nits).
    Display,
}

/// Error for an unknown colour-space name; its message lists the valid names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown color space '{name}'; valid names: {}", valid_names())]
pub struct ParseColorSpaceError {
    /// The name that was given.
    pub name: String,
}

fn valid_names() -> String {
    ColorSpace::ALL.map(ColorSpace::name).join(", ")
}

impl ColorSpace {
    /// Every colour space, scene-referred first.
    pub const ALL: [ColorSpace; 18] = [
        ColorSpace::LinearRec709,
        ColorSpace::LinearRec2020,
        ColorSpace::Aces2065_1,
        ColorSpace::Acescg,
        ColorSpace::Acescct,
        ColorSpace::ArriLogC3Ei800,
        ColorSpace::ArriLogC4,
        ColorSpace::SonySlog3SGamut3Cine,
        ColorSpace::PanasonicVlogVGamut,
        ColorSpace::CanonClog3CinemaGamut,
        ColorSpace::RedLog3G10Rwg,
        ColorSpace::DavinciIntermediateDwg,
        ColorSpace::SrgbDisplay,
        ColorSpace::Rec709Display,
        ColorSpace::DisplayP3,
        ColorSpace::Rec2100Pq,
        ColorSpace::Rec2100Hlg,
        ColorSpace::P3d65Pq,
    ];

    /// The lower-case hyphenated name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            ColorSpace::LinearRec709 => "linear-rec709",
            ColorSpace::LinearRec2020 => "linear-rec2020",
            ColorSpace::Aces2065_1 => "aces2065-1",
            ColorSpace::Acescg => "acescg",
            ColorSpace::Acescct => "acescct",
            ColorSpace::ArriLogC3Ei800 => "arri-logc3-ei800",
            ColorSpace::ArriLogC4 => "arri-logc4",
            ColorSpace::SonySlog3SGamut3Cine => "sony-slog3-sgamut3cine",
            ColorSpace::PanasonicVlogVGamut => "panasonic-vlog-vgamut",
            ColorSpace::CanonClog3CinemaGamut => "canon-clog3-cinemagamut",
            ColorSpace::RedLog3G10Rwg => "red-log3g10-rwg",
            ColorSpace::DavinciIntermediateDwg => "davinci-intermediate-dwg",
            ColorSpace::SrgbDisplay => "srgb-display",
            ColorSpace::Rec709Display => "rec709-display",
            ColorSpace::DisplayP3 => "display-p3",
            ColorSpace::Rec2100Pq => "rec2100-pq",
            ColorSpace::Rec2100Hlg => "rec2100-hlg",
            ColorSpace::P3d65Pq => "p3d65-pq",
        }
    }

    /// A one-line description for `--help` and the UI.
    pub fn description(self) -> &'static str {
        match self {
            ColorSpace::LinearRec709 => "Scene-linear, Rec.709/sRGB primaries, D65",
            ColorSpace::LinearRec2020 => "Scene-linear, Rec.2020 primaries, D65",
            ColorSpace::Aces2065_1 => "ACES2065-1: scene-linear AP0 primaries, ACES white (interchange)",
            ColorSpace::Acescg => "ACEScg: scene-linear AP1 primaries (CG and compositing)",
            ColorSpace::Acescct => "ACEScct: AP1 primaries, log with a toe (grading)",
            ColorSpace::ArriLogC3Ei800 => "ARRI LogC3 (EI 800), ARRI Wide Gamut 3 (ALEXA classic, Mini, LF)",
            ColorSpace::ArriLogC4 => "ARRI LogC4, ARRI Wide Gamut 4 (ALEXA 35)",
            ColorSpace::SonySlog3SGamut3Cine => "Sony S-Log3, S-Gamut3.Cine (VENICE, FX, Alpha)",
            ColorSpace::PanasonicVlogVGamut => "Panasonic V-Log, V-Gamut (VariCam, Lumix)",
            ColorSpace::CanonClog3CinemaGamut => "Canon Log 3, Cinema Gamut (Cinema EOS)",
            ColorSpace::RedLog3G10Rwg => "RED Log3G10, REDWideGamutRGB (IPP2)",
            ColorSpace::DavinciIntermediateDwg => "DaVinci Intermediate, DaVinci Wide Gamut (Resolve)",
            ColorSpace::SrgbDisplay => "sRGB display (piecewise sRGB EOTF, Rec.709 primaries)",
            ColorSpace::Rec709Display => "Rec.709 display (BT.1886 2.4 gamma, Rec.709 primaries)",
            ColorSpace::DisplayP3 => "Apple Display P3 (sRGB EOTF, P3 primaries, D65)",
            ColorSpace::Rec2100Pq => "Rec.2100 PQ HDR display (ST 2084, Rec.2020 primaries)",
            ColorSpace::Rec2100Hlg => "Rec.2100 HLG HDR display, 1000 nits (Rec.2020 primaries)",
            ColorSpace::P3d65Pq => "P3-D65 PQ HDR display (ST 2084, P3 primaries, D65): the HDR master",
        }
    }

    /// The space's primaries and white.
    pub fn gamut(self) -> &'static Chromaticities {
        match self {
            ColorSpace::LinearRec709 | ColorSpace::SrgbDisplay | ColorSpace::Rec709Display => &REC709,
            ColorSpace::LinearRec2020 | ColorSpace::Rec2100Pq | ColorSpace::Rec2100Hlg => &REC2020,
            ColorSpace::Aces2065_1 => &ACES_AP0,
            ColorSpace::Acescg | ColorSpace::Acescct => &ACES_AP1,
            ColorSpace::ArriLogC3Ei800 => &ARRI_WIDE_GAMUT_3,
            ColorSpace::ArriLogC4 => &ARRI_WIDE_GAMUT_4,
            ColorSpace::SonySlog3SGamut3Cine => &S_GAMUT3_CINE,
            ColorSpace::PanasonicVlogVGamut => &V_GAMUT,
            ColorSpace::CanonClog3CinemaGamut => &CINEMA_GAMUT,
            ColorSpace::RedLog3G10Rwg => &RED_WIDE_GAMUT_RGB,
            ColorSpace::DavinciIntermediateDwg => &DAVINCI_WIDE_GAMUT,
            ColorSpace::DisplayP3 | ColorSpace::P3d65Pq => &P3_D65,
        }
    }

    /// The space's transfer function.
    pub fn transfer(self) -> Transfer {
        match self {
            ColorSpace::LinearRec709 | ColorSpace::LinearRec2020 => Transfer::Linear,
            ColorSpace::Aces2065_1 | ColorSpace::Acescg => Transfer::Linear,
            ColorSpace::Acescct => Transfer::Acescct,
            ColorSpace::ArriLogC3Ei800 => Transfer::LogC3,
            ColorSpace::ArriLogC4 => Transfer::LogC4,
            ColorSpace::SonySlog3SGamut3Cine => Transfer::SLog3,
            ColorSpace::PanasonicVlogVGamut => Transfer::VLog,
            ColorSpace::CanonClog3CinemaGamut => Transfer::CanonLog3,
            ColorSpace::RedLog3G10Rwg => Transfer::Log3G10,
            ColorSpace::DavinciIntermediateDwg => Transfer::DavinciIntermediate,
            ColorSpace::SrgbDisplay => Transfer::Srgb,
            ColorSpace::Rec709Display => Transfer::Bt1886,
            ColorSpace::DisplayP3 => Transfer::SrgbMirrored,
            ColorSpace::Rec2100Pq | ColorSpace::P3d65Pq => Transfer::Pq,
            ColorSpace::Rec2100Hlg => Transfer::HlgDisplay,
        }
    }

    /// Scene- or display-referred.
    pub fn referred(self) -> Referred {
        match self {
            ColorSpace::SrgbDisplay
            | ColorSpace::Rec709Display
            | ColorSpace::DisplayP3
            | ColorSpace::Rec2100Pq
            | ColorSpace::Rec2100Hlg
            | ColorSpace::P3d65Pq => Referred::Display,
            _ => Referred::Scene,
        }
    }

    /// True for scene-referred spaces.
    pub fn is_scene_referred(self) -> bool {
        self.referred() == Referred::Scene
    }

    /// Peak luminance in nits a display space is rendered for (None for scene spaces).
    pub fn display_peak_nits(self) -> Option<f32> {
        match self {
            ColorSpace::Rec2100Pq | ColorSpace::Rec2100Hlg | ColorSpace::P3d65Pq => Some(1000.0),
            _ if self.is_scene_referred() => None,
            _ => Some(100.0),
        }
    }

    /// The adaptation OCIO uses between this space's white and the ACES white.
    ///
    /// From OCIO's builtins (`ArriCameras.cpp`, `SonyCameras.cpp`, `CanonCameras.cpp`,
    /// `PanasonicCameras.cpp`, `RedCameras.cpp`, `Displays.cpp` with `ACES-AP0_to_CIE-XYZ-D65_BFD`)
    /// and the ACES studio config for DaVinci Wide Gamut and the linear Rec.709/Rec.2020 spaces.
    pub fn aces_cat(self) -> Cat {
        match self {
            ColorSpace::ArriLogC3Ei800
            | ColorSpace::ArriLogC4
            | ColorSpace::SonySlog3SGamut3Cine
            | ColorSpace::CanonClog3CinemaGamut
            | ColorSpace::DavinciIntermediateDwg => Cat::Cat02,
            ColorSpace::Aces2065_1 | ColorSpace::Acescg | ColorSpace::Acescct => Cat::None,
            _ => Cat::Bradford,
        }
    }

    /// Linear RGB of this space → ACES2065-1, in f64.
    pub fn to_aces2065_1_matrix(self) -> Mat3 {
        rgb_to_rgb_matrix_f64(self.gamut(), &ACES_AP0, self.aces_cat())
    }

    /// ACES2065-1 → linear RGB of this space, in f64.
    pub fn from_aces2065_1_matrix(self) -> Mat3 {
        rgb_to_rgb_matrix_f64(&ACES_AP0, self.gamut(), self.aces_cat())
    }

    /// Linear RGB of `self` → linear RGB of `dst`: direct when the whites agree, else via ACES2065-1.
    pub fn matrix_to(self, dst: ColorSpace) -> Mat3 {
        if self.gamut() == dst.gamut() {
            IDENTITY
        } else if self.gamut().white == dst.gamut().white {
            rgb_to_rgb_matrix_f64(self.gamut(), dst.gamut(), Cat::None)
        } else {
            mul3(&dst.from_aces2065_1_matrix(), &self.to_aces2065_1_matrix())
        }
    }
}

impl fmt::Display for ColorSpace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Serialised as its [`ColorSpace::name`].
impl Serialize for ColorSpace {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Deserialised from its [`ColorSpace::name`]; an unknown name is an error listing the valid ones.
impl<'de> Deserialize<'de> for ColorSpace {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl FromStr for ColorSpace {
    type Err = ParseColorSpaceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        ColorSpace::ALL
            .into_iter()
            .find(|c| c.name() == wanted)
            .ok_or_else(|| ParseColorSpaceError { name: s.to_string() })
    }
}

/// Shader id of "no tone mapping" (`TONE_NONE` in `color.wgsl`).
pub const TONE_NONE: u32 = 0;
/// Shader id of the forward tone curve after the matrix (`TONE_FORWARD`).
pub const TONE_FORWARD: u32 = 1;
/// Shader id of the inverse tone curve before the matrix (`TONE_INVERSE`).
pub const TONE_INVERSE: u32 = 2;
/// Shader id of the ACES 2.0 Output Transform after the matrix (`TONE_ACES2_FORWARD`).
pub const TONE_ACES2_FORWARD: u32 = 3;
/// Shader id of the inverse ACES 2.0 Output Transform before the matrix (`TONE_ACES2_INVERSE`).
pub const TONE_ACES2_INVERSE: u32 = 4;

/// The tone-mapping step of a [`Conversion`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ToneStage {
    /// Colorimetric: no tone mapping.
    None,
    /// Scene → display: the curve runs per channel after the matrix, in the display's gamut.
    Forward(ToneCurve),
    /// Display → scene: the inverse curve runs per channel before the matrix, in the display's gamut.
    Inverse(ToneCurve),
    /// Scene → display by the ACES 2.0 Output Transform for this peak (nits): the matrix takes the
    /// source to ACES2065-1, the transform renders into the display's primaries (`color::aces2`).
    Aces2Forward(f32),
    /// Display → scene by the inverse ACES 2.0 Output Transform for this peak: from the display's
    /// primaries to ACES2065-1, then the matrix to the destination.
    Aces2Inverse(f32),
}

/// A complete `src → dst` conversion: decode, 3x3 matrix, optional tone map, encode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Conversion {
    /// Source space.
    pub src: ColorSpace,
    /// Destination space.
    pub dst: ColorSpace,
    /// Transfer decoded first (the source's).
    pub decode: Transfer,
    /// Linear src RGB → linear dst RGB.
    pub matrix: [[f32; 3]; 3],
    /// Tone mapping, if any.
    pub tone: ToneStage,
    /// Transfer encoded last (the destination's).
    pub encode: Transfer,
}

crate::gpu_struct! {
    /// GPU form of a [`Conversion`], mirrored by `struct ConversionUniform` in `shaders/lib/color.wgsl`.
    pub struct ConversionUniform {
        /// Matrix rows padded to vec4 (WGSL `array<vec4<f32>, 3>`).
        pub matrix: [[f32; 4]; 3],
        /// [`Transfer::id`] of the decode step.
        pub decode: u32,
        /// [`Transfer::id`] of the encode step.
        pub encode: u32,
        /// [`TONE_NONE`], [`TONE_FORWARD`], [`TONE_INVERSE`], [`TONE_ACES2_FORWARD`] or
        /// [`TONE_ACES2_INVERSE`].
        pub tone_mode: u32,
        /// Padding to 16 bytes; keep 0.
        pub pad: u32,
        /// Tone curve constants (m, s, contrast, toe), see [`ToneCurve::to_array`]; for ACES 2.0,
        /// the peak in nits (the transform's tables travel in the stage's `tables`).
        pub tone: [f32; 4],
    }
}

impl ConversionUniform {
    /// CPU reference of `apply_conversion` in `shaders/lib/color.wgsl`: decode, [inverse tone], matrix,
    /// [forward tone], encode, reading exactly the numbers the shader reads. An unknown transfer id
    /// is linear and an unknown tone mode is none, as in the shader's `default` cases. The ACES 2.0
    /// modes need their tables: see [`ConversionUniform::apply_with`].
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        self.apply_with(rgb, &[])
    }

    /// [`ConversionUniform::apply`] with the stage's tables, which hold the ACES 2.0 block
    /// (`color::aces2`) for the ACES 2.0 modes, as `color_transform_node` reads them; with a
    /// shorter table those modes are skipped.
    pub fn apply_with(&self, rgb: [f32; 3], tables: &[f32]) -> [f32; 3] {
        let transfer = |id| Transfer::from_id(id).unwrap_or(Transfer::Linear);
        let curve = ToneCurve::from_array(self.tone);
        let block = (tables.len() >= crate::color::aces2::BLOCK_SIZE).then_some(tables);
        let mut v = transfer(self.decode).decode(rgb);
        match (self.tone_mode, block) {
            (TONE_INVERSE, _) => v = v.map(|c| curve.inverse(c)),
            (TONE_ACES2_INVERSE, Some(b)) => v = crate::color::aces2::inverse(b, v),
            _ => {}
        }
        let m = &self.matrix;
        v = [0, 1, 2].map(|r| m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2]);
        match (self.tone_mode, block) {
            (TONE_FORWARD, _) => v = v.map(|c| curve.forward(c)),
            (TONE_ACES2_FORWARD, Some(b)) => v = crate::color::aces2::forward(b, v),
            _ => {}
        }
        transfer(self.encode).encode(v)
    }
}

impl Conversion {
    /// The default conversion: tone-mapped (for the destination's peak) when going scene → display,
    /// colorimetric otherwise (display → scene only undoes the display encoding).
    pub fn new(src: ColorSpace, dst: ColorSpace) -> Conversion {
        let tone = match (src.is_scene_referred(), dst.display_peak_nits()) {
            (true, Some(nits)) => ToneStage::Forward(ToneCurve::for_peak_nits(nits)),
            _ => ToneStage::None,
        };
        Self::with_tone(src, dst, tone)
    }

    /// Tone-mapped both ways: the forward curve scene → display (for the destination's peak) and
    /// its inverse display → scene (for the source's peak), colorimetric otherwise. A display →
    /// scene conversion followed by the scene → display one back thus round-trips (below the peak).
    pub fn round_trip(src: ColorSpace, dst: ColorSpace) -> Conversion {
        let tone = match (src.display_peak_nits(), dst.display_peak_nits()) {
            (None, Some(nits)) => ToneStage::Forward(ToneCurve::for_peak_nits(nits)),
            (Some(nits), None) => ToneStage::Inverse(ToneCurve::for_peak_nits(nits)),
            _ => ToneStage::None,
        };
        Self::with_tone(src, dst, tone)
    }

    /// The ACES 2.0 Output Transform between a scene space and a display space (for `peak` nits, or
    /// the display's own peak: 100 SDR, 1000 HDR), either way; colorimetric between two scene or two
    /// display spaces. The display's primaries are the transform's limiting primaries, as in
    /// OpenColorIO's `ACES 2.0 - SDR 100 nits (Rec.709)`, `(P3 D65)`, `HDR 1000 nits (Rec.2020)`
    /// and `(P3 D65)` views.
    pub fn aces2(src: ColorSpace, dst: ColorSpace, peak: Option<f32>) -> Conversion {
        match (src.display_peak_nits(), dst.display_peak_nits()) {
            (None, Some(nits)) => Conversion {
                src,
                dst,
                decode: src.transfer(),
                matrix: to_f32(&src.to_aces2065_1_matrix()),
                tone: ToneStage::Aces2Forward(peak.unwrap_or(nits)),
                encode: dst.transfer(),
            },
            (Some(nits), None) => Conversion {
                src,
                dst,
                decode: src.transfer(),
                matrix: to_f32(&dst.from_aces2065_1_matrix()),
                tone: ToneStage::Aces2Inverse(peak.unwrap_or(nits)),
                encode: dst.transfer(),
            },
            _ => Self::colorimetric(src, dst),
        }
    }

    /// The ACES 2.0 Output Transform this conversion runs (built once per peak and display gamut).
    pub fn aces2_transform(&self) -> Option<std::sync::Arc<crate::color::aces2::Aces2>> {
        match self.tone {
            ToneStage::Aces2Forward(peak) => Some(crate::color::aces2::shared(peak, self.dst.gamut())),
            ToneStage::Aces2Inverse(peak) => Some(crate::color::aces2::shared(peak, self.src.gamut())),
            _ => None,
        }
    }

    /// A purely colorimetric conversion (what OCIO's built-ins compute): no tone mapping.
    pub fn colorimetric(src: ColorSpace, dst: ColorSpace) -> Conversion {
        Self::with_tone(src, dst, ToneStage::None)
    }

    /// A conversion with an explicit tone stage (e.g. `Inverse` to bring display graphics in).
    pub fn with_tone(src: ColorSpace, dst: ColorSpace, tone: ToneStage) -> Conversion {
        if let ToneStage::Aces2Forward(peak) | ToneStage::Aces2Inverse(peak) = tone {
            return Self::aces2(src, dst, Some(peak));
        }
        Conversion {
            src,
            dst,
            decode: src.transfer(),
            matrix: to_f32(&src.matrix_to(dst)),
            tone,
            encode: dst.transfer(),
        }
    }

    /// CPU reference: converts one pixel (through [`ConversionUniform::apply_with`], the numbers
    /// the shader reads).
    pub fn apply(&self, rgb: [f32; 3]) -> [f32; 3] {
        match self.aces2_transform() {
            Some(t) => self.uniform().apply_with(rgb, &t.block),
            None => self.uniform().apply(rgb),
        }
    }

    /// The matrix with rows padded to four floats (for `#[repr(C)]` uniforms).
    pub fn matrix_padded(&self) -> [[f32; 4]; 3] {
        self.matrix.map(|r| [r[0], r[1], r[2], 0.0])
    }

    /// The uniform the shader's `apply_conversion` reads.
    pub fn uniform(&self) -> ConversionUniform {
        let (tone_mode, tone) = match self.tone {
            ToneStage::None => (TONE_NONE, [0.0; 4]),
            ToneStage::Forward(c) => (TONE_FORWARD, c.to_array()),
            ToneStage::Inverse(c) => (TONE_INVERSE, c.to_array()),
            ToneStage::Aces2Forward(peak) => (TONE_ACES2_FORWARD, [peak, 0.0, 0.0, 0.0]),
            ToneStage::Aces2Inverse(peak) => (TONE_ACES2_INVERSE, [peak, 0.0, 0.0, 0.0]),
        };
        ConversionUniform {
            matrix: self.matrix_padded(),
            decode: self.decode.id(),
            encode: self.encode.id(),
            tone_mode,
            pad: 0,
            tone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn names_round_trip_and_errors_list_them() {
        for space in ColorSpace::ALL {
            assert_eq!(space.name().parse::<ColorSpace>(), Ok(space));
            assert_eq!(space.to_string(), space.name());
            assert!(!space.description().is_empty());
        }
        assert_eq!(" ACEScct ".parse::<ColorSpace>(), Ok(ColorSpace::Acescct));
        let err = "logc".parse::<ColorSpace>().unwrap_err().to_string();
        assert!(err.contains("'logc'") && err.contains("arri-logc3-ei800, arri-logc4"), "{err}");
        let json = serde_json::to_string(&ColorSpace::RedLog3G10Rwg).unwrap();
        assert_eq!(json, "\"red-log3g10-rwg\"");
        assert_eq!(serde_json::from_str::<ColorSpace>(&json).unwrap(), ColorSpace::RedLog3G10Rwg);
        let bad = serde_json::from_str::<ColorSpace>("\"rec709\"").unwrap_err().to_string();
        assert!(bad.contains("valid names: linear-rec709"), "{bad}");
        let displays = ColorSpace::ALL.iter().filter(|c| !c.is_scene_referred()).count();
        assert_eq!(displays, 6);
    }

    #[test]
    fn same_white_conversions_are_direct() {
        let m = Conversion::colorimetric(ColorSpace::LinearRec709, ColorSpace::SrgbDisplay).matrix;
        assert_eq!(m, to_f32(&IDENTITY));
        let white = Conversion::colorimetric(ColorSpace::ArriLogC4, ColorSpace::Rec2100Pq).apply([logc4_of(1.0); 3]);
        let pq_white = crate::color::transfer::pq_encode(1.0);
        assert!(white.iter().all(|v| (v - pq_white).abs() < 1e-5), "{white:?}");
    }

    fn logc4_of(x: f32) -> f32 {
        crate::color::transfer::logc4_encode(x)
    }

    #[test]
    fn scene_to_display_is_tone_mapped_by_default() {
        let conv = Conversion::new(ColorSpace::Acescct, ColorSpace::Rec709Display);
        assert!(matches!(conv.tone, ToneStage::Forward(_)));
        let grey = crate::color::transfer::acescct_encode(0.18);
        let out = conv.apply([grey; 3]);
        assert!(out.iter().all(|v| (v - 0.40).abs() < 0.01), "{out:?}");
        // Bright highlights roll off below display white without clipping.
        let hot = conv.apply([crate::color::transfer::acescct_encode(50.0); 3]);
        assert!(hot.iter().all(|v| *v > 0.97 && *v < 1.0), "{hot:?}");
        assert_eq!(Conversion::new(ColorSpace::SrgbDisplay, ColorSpace::Acescg).tone, ToneStage::None);
        assert_eq!(Conversion::new(ColorSpace::Acescg, ColorSpace::ArriLogC3Ei800).tone, ToneStage::None);
        match Conversion::new(ColorSpace::Acescg, ColorSpace::Rec2100Pq).tone {
            ToneStage::Forward(c) => assert!((c.peak() - 10.0).abs() < 1e-4),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn inverse_tone_stage_undoes_the_forward_one() {
        let fwd = Conversion::new(ColorSpace::Acescg, ColorSpace::SrgbDisplay);
        let ToneStage::Forward(curve) = fwd.tone else { panic!("no tone") };
        let inv = Conversion::with_tone(ColorSpace::SrgbDisplay, ColorSpace::Acescg, ToneStage::Inverse(curve));
        for rgb in [[0.18, 0.18, 0.18], [0.02, 0.5, 3.0], [1.0, 0.3, 0.05]] {
            let back = inv.apply(fwd.apply(rgb));
            for c in 0..3 {
                assert!((back[c] - rgb[c]).abs() < 2e-4 * rgb[c].max(1.0), "{rgb:?} → {back:?}");
            }
        }
    }

    #[test]
    fn round_trip_conversions_invert_each_other() {
        for (display, scene) in [
            (ColorSpace::SrgbDisplay, ColorSpace::Acescct),
            (ColorSpace::Rec709Display, ColorSpace::ArriLogC3Ei800),
            (ColorSpace::Rec2100Pq, ColorSpace::Acescg),
        ] {
            let into = Conversion::round_trip(display, scene);
            let back = Conversion::round_trip(scene, display);
            assert!(matches!(into.tone, ToneStage::Inverse(_)), "{display}");
            assert!(matches!(back.tone, ToneStage::Forward(_)), "{display}");
            // Codes below the display peak (PQ 0.75 is 1000 nits); the tone curve inverts to 2e-4.
            for rgb in [[0.1, 0.4, 0.7], [0.5, 0.5, 0.5], [0.02, 0.3, 0.74]] {
                let out = back.apply(into.apply(rgb));
                for c in 0..3 {
                    assert!((out[c] - rgb[c]).abs() < 2e-4, "{display}: {rgb:?} → {out:?}");
                }
            }
        }
        assert_eq!(Conversion::round_trip(ColorSpace::Acescg, ColorSpace::ArriLogC4).tone, ToneStage::None);
        assert_eq!(Conversion::round_trip(ColorSpace::SrgbDisplay, ColorSpace::Rec2100Pq).tone, ToneStage::None);
    }

    #[test]
    fn uniform_mirrors_the_conversion() {
        let conv = Conversion::new(ColorSpace::ArriLogC3Ei800, ColorSpace::Rec2100Hlg);
        let u = conv.uniform();
        assert_eq!(std::mem::size_of::<ConversionUniform>(), 80);
        assert_eq!(u.decode, Transfer::LogC3.id());
        assert_eq!(u.encode, Transfer::HlgDisplay.id());
        assert_eq!(u.tone_mode, TONE_FORWARD);
        assert_eq!(u.matrix[1][3], 0.0);
        assert_eq!(u.matrix[2][..3], conv.matrix[2]);
        assert_eq!(Conversion::colorimetric(ColorSpace::Acescg, ColorSpace::Acescct).uniform().tone_mode, TONE_NONE);
    }

    #[derive(serde::Deserialize)]
    struct Samples {
        input: Vec<[f32; 3]>,
        output: Vec<[f32; 3]>,
    }

    #[derive(serde::Deserialize)]
    struct SpaceReference {
        ocio: String,
        to_aces: Samples,
        from_aces: Samples,
    }

    #[derive(serde::Deserialize)]
    struct Reference {
        generator: String,
        spaces: BTreeMap<String, SpaceReference>,
    }

    /// |a − b|, relative to |b| when |b| > 1.
    fn error(got: f32, want: f32) -> f32 {
        (got - want).abs() / want.abs().max(1.0)
    }

    fn max_error(conv: &Conversion, samples: &Samples) -> (f32, [f32; 3]) {
        assert_eq!(samples.input.len(), samples.output.len());
        let mut worst = (0.0, [0.0; 3]);
        for (input, want) in samples.input.iter().zip(&samples.output) {
            let got = conv.apply(*input);
            for c in 0..3 {
                let e = error(got[c], want[c]);
                assert!(!e.is_nan(), "{:?}: {input:?} gave {got:?}, want {want:?}", conv.src);
                if e > worst.0 {
                    worst = (e, *input);
                }
            }
        }
        worst
    }

    /// Every space against OpenColorIO (tests/data/color/make_reference.py), over the full range.
    #[test]
    fn matches_opencolorio_over_the_full_range() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/color/reference.json");
        let text = std::fs::read_to_string(path).expect("reference.json");
        let reference: Reference = serde_json::from_str(&text).expect("valid reference.json");
        println!("{}", reference.generator);
        let mut failures = Vec::new();
        for space in ColorSpace::ALL {
            if space == ColorSpace::Aces2065_1 {
                continue;
            }
            let Some(r) = reference.spaces.get(space.name()) else {
                failures.push(format!("{space}: missing from reference.json"));
                continue;
            };
            let aces = ColorSpace::Aces2065_1;
            let (fwd, fwd_at) = max_error(&Conversion::colorimetric(space, aces), &r.to_aces);
            let (inv, inv_at) = max_error(&Conversion::colorimetric(aces, space), &r.from_aces);
            let name = space.name();
            println!("{name:<26} to ACES {fwd:.1e}, from ACES {inv:.1e} ({})", r.ocio);
            if fwd > 1e-4 {
                failures.push(format!("{space} → ACES: error {fwd:e} at {fwd_at:?}"));
            }
            if inv > 1e-4 {
                failures.push(format!("ACES → {space}: error {inv:e} at {inv_at:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn shader_module() -> naga::Module {
        let source = crate::gpu::shaders::library("color").expect("shaders/lib/color.wgsl");
        let module = naga::front::wgsl::parse_str(source).unwrap_or_else(|e| panic!("{}", e.emit_to_string(source)));
        naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
            .validate(&module)
            .unwrap_or_else(|e| panic!("{}", e.emit_to_string(source)));
        module
    }

    fn shader_u32_constant(module: &naga::Module, name: &str) -> Option<u32> {
        let (_, constant) = module.constants.iter().find(|(_, c)| c.name.as_deref() == Some(name))?;
        match module.global_expressions[constant.init] {
            naga::Expression::Literal(naga::Literal::U32(v)) => Some(v),
            _ => None,
        }
    }

    #[test]
    fn shader_validates_and_mirrors_the_rust_ids_and_layout() {
        let module = shader_module();
        for t in Transfer::ALL {
            let name = format!("TRANSFER_{}", t.name().to_ascii_uppercase());
            assert_eq!(shader_u32_constant(&module, &name), Some(t.id()), "{name}");
        }
        for (name, id) in [("TONE_NONE", TONE_NONE), ("TONE_FORWARD", TONE_FORWARD), ("TONE_INVERSE", TONE_INVERSE)] {
            assert_eq!(shader_u32_constant(&module, name), Some(id), "{name}");
        }
        let (_, ty) = module
            .types
            .iter()
            .find(|(_, t)| t.name.as_deref() == Some("ConversionUniform"))
            .expect("struct ConversionUniform");
        let naga::TypeInner::Struct { members, span } = &ty.inner else { panic!("not a struct") };
        assert_eq!(*span as usize, std::mem::size_of::<ConversionUniform>());
        let offsets: Vec<(String, u32)> =
            members.iter().map(|m| (m.name.clone().unwrap_or_default(), m.offset)).collect();
        use crate::gpu::layout::GpuStruct;
        let expected: Vec<(String, u32)> =
            ConversionUniform::LAYOUT.fields.iter().map(|(n, o)| (n.to_string(), *o as u32)).collect();
        assert_eq!(expected.len(), 6);
        assert_eq!(offsets, expected);
        for f in ["apply_conversion", "srgb_encode", "logc3_decode", "tone_forward", "tone_inverse"] {
            assert!(module.functions.iter().any(|(_, x)| x.name.as_deref() == Some(f)), "missing fn {f}");
        }
        assert!(module.entry_points.is_empty(), "color.wgsl is a library");
    }
}
