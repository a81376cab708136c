//! ASC Color Decision List (CDL) math, ASC CDL v1.2 (2009), section "Transfer function".
//!
//! Slope, offset, power per channel, then saturation with Rec.709 luma weights. Two styles, named as
//! OpenColorIO names them: [`CdlStyle::Asc`] clamps to [0, 1] after SOP and after saturation, exactly as
//! the v1.2 spec; [`CdlStyle::NoClamp`] keeps scene-referred data (negatives pass the power untouched,
//! nothing is clamped), matching OpenColorIO's `CDL_NO_CLAMP`.

use serde::{Deserialize, Serialize};

/// Rec.709 luma weights used by the ASC CDL saturation operator (ASC CDL v1.2, "Saturation").
pub const ASC_LUMA_WEIGHTS: [f32; 3] = [0.2126, 0.7152, 0.0722];

/// One ASC CDL correction: slope, offset and power per channel (R, G, B) and a saturation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cdl {
    /// Multiplier per channel (neutral 1).
    pub slope: [f32; 3],
    /// Added after the slope (neutral 0).
    pub offset: [f32; 3],
    /// Exponent applied after slope and offset (neutral 1).
    pub power: [f32; 3],
    /// Saturation around Rec.709 luma (neutral 1).
    pub saturation: f32,
}

impl Default for Cdl {
    fn default() -> Self {
        Self { slope: [1.0; 3], offset: [0.0; 3], power: [1.0; 3], saturation: 1.0 }
    }
}

/// How out-of-range values are handled by a CDL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CdlStyle {
    /// ASC CDL v1.2 exactly: clamp to [0, 1] after SOP and after saturation (display-referred data).
    Asc,
    /// No clamping: values below 0 bypass the power, values above 1 are kept (scene-referred data).
    #[default]
    NoClamp,
}

impl CdlStyle {
    /// The style's name as used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            CdlStyle::Asc => "asc",
            CdlStyle::NoClamp => "no-clamp",
        }
    }
}

impl Cdl {
    /// True when this CDL leaves every pixel unchanged.
    pub fn is_identity(&self) -> bool {
        *self == Cdl::default()
    }

    /// Applies the CDL to one RGB triple (the CPU reference for the shader).
    pub fn apply(&self, rgb: [f32; 3], style: CdlStyle) -> [f32; 3] {
        let mut out = [0.0f32; 3];
        for c in 0..3 {
            let mut v = rgb[c] * self.slope[c] + self.offset[c];
            if style == CdlStyle::Asc {
                v = v.clamp(0.0, 1.0);
            }
            if v > 0.0 {
                v = v.powf(self.power[c]);
            }
            out[c] = v;
        }
        let luma = dot(out, ASC_LUMA_WEIGHTS);
        for v in &mut out {
            *v = luma + self.saturation * (*v - luma);
            if style == CdlStyle::Asc {
                *v = v.clamp(0.0, 1.0);
            }
        }
        out
    }
}

fn dot(a: [f32; 3], b: [f32; 3]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
