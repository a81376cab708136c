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
mod tests;
