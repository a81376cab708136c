//! GPU scopes: waveform (luma and RGB overlay), RGB parade, vectorscope and histogram.
//!
//! Scopes read the frame as the display shows it: **display-encoded** code values (after the grade and
//! the output transform; 0..1 nominal, values outside are kept and shown in the head- and footroom).
//! Luma and colour difference use the luma weights of the output space ([`LumaWeights`]): ITU-R BT.709
//! for Rec.709/sRGB/P3 deliveries, ITU-R BT.2020 for Rec.2020/Rec.2100. They are applied to the
//! non-linear (encoded) R'G'B', as a broadcast scope reads Y'CbCr.
//!
//! Every scope is computed in two GPU steps that never leave the device: compute shaders quantise each
//! sample exactly ([`quantize`]) and `atomicAdd` it into integer bins, then a render pass turns the bins
//! into an `rgba8unorm` image with a perceptual intensity curve and a graticule. [`ScopeEngine`] owns the
//! pipelines, bins and images and records both steps into the caller's encoder. [`counts_cpu`] is the
//! CPU reference: the tests demand the GPU's integer counts equal it exactly.

mod engine;
pub mod histogram;
mod legend;
pub mod quantize;
mod readback;
pub mod render;
pub mod vectorscope;
pub mod waveform;

use serde::{Deserialize, Serialize};

use crate::gpu::GpuError;
use crate::media::Frame;

pub use engine::{IMAGE_FORMAT, ScopeEngine, ScopeImage, ScopeUniform};
pub use histogram::HistogramCounts;
pub use vectorscope::VectorscopeCounts;
pub use waveform::WaveformCounts;

/// Which luma weights (and so which Y'CbCr) the scopes read; follow the output (display) space.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LumaWeights {
    /// ITU-R BT.709 (Kr 0.2126, Kb 0.0722): Rec.709, sRGB and Display P3 outputs.
    #[default]
    Rec709,
    /// ITU-R BT.2020 non-constant luminance (Kr 0.2627, Kb 0.0593): Rec.2020 and Rec.2100 PQ/HLG outputs.
    Rec2020,
}

impl LumaWeights {
    /// Kr, Kg, Kb ×10000, exactly as the standards give them (they sum to 10000).
    pub fn integer(self) -> [i32; 3] {
        match self {
            // ITU-R BT.709-6 item 3.2: E'Y = 0.2126 E'R + 0.7152 E'G + 0.0722 E'B.
            LumaWeights::Rec709 => [2126, 7152, 722],
            // ITU-R BT.2020-2 table 4: Y' = 0.2627 R' + 0.6780 G' + 0.0593 B'.
            LumaWeights::Rec2020 => [2627, 6780, 593],
        }
    }

    /// Kr, Kg, Kb as fractions.
    pub fn fractions(self) -> [f64; 3] {
        self.integer().map(|w| f64::from(w) / 10000.0)
    }

    /// Human name with the standard, for legends and `--json`.
    pub fn name(self) -> &'static str {
        match self {
            LumaWeights::Rec709 => "Rec.709 (ITU-R BT.709)",
            LumaWeights::Rec2020 => "Rec.2020 (ITU-R BT.2020)",
        }
    }
}

/// Graticule of the waveform and parade.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaveformScale {
    /// 0–100 IRE (percent of full range), lines every 25.
    #[default]
    Ire,
    /// Full-range 10-bit code values 0–1023, lines every 256 (0, 256, 512, 768, 1023).
    #[serde(rename = "code-values-10-bit")]
    CodeValues10Bit,
}

/// What the waveform image shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaveformMode {
    /// Luma only.
    #[default]
    Luma,
    /// R, G and B traces overlaid in their colours (white where they agree).
    Rgb,
}

/// How the histogram maps counts to bar height.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountScale {
    /// Height proportional to the count.
    #[default]
    Linear,
    /// Height proportional to log(1 + count): small populations stay visible.
    Log,
}

/// The four scopes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeKind {
    /// Waveform: level against horizontal position (luma, or RGB overlaid).
    Waveform,
    /// RGB parade: the R, G and B waveforms side by side.
    Parade,
    /// Vectorscope: Cb horizontally, Cr vertically.
    Vectorscope,
    /// Histogram of R, G, B and luma.
    Histogram,
}

impl ScopeKind {
    /// All four, in the order the `all` tile shows them.
    pub const ALL: [ScopeKind; 4] =
        [ScopeKind::Waveform, ScopeKind::Parade, ScopeKind::Vectorscope, ScopeKind::Histogram];

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            ScopeKind::Waveform => "waveform",
            ScopeKind::Parade => "parade",
            ScopeKind::Vectorscope => "vectorscope",
            ScopeKind::Histogram => "histogram",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Everything a colorist can set on the scopes (serde, so the app can keep it in a project).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScopeSettings {
    /// Luma weights and Y'CbCr of the output space.
    pub luma: LumaWeights,
    /// Luma or RGB overlay.
    pub waveform_mode: WaveformMode,
    /// IRE or 10-bit code value graticule.
    pub waveform_scale: WaveformScale,
    /// Horizontal resolution of the waveform bins: frame columns are grouped into this many (or
    /// into one per frame column when the frame is narrower, see [`Self::columns_for`]).
    pub waveform_columns: u32,
    /// Vectorscope magnification: 1, 2, 4, 8 or 16 (Cb/Cr ±0.5 at zoom 1 fills 8/9 of the radius).
    pub vectorscope_zoom: u32,
    /// Vectorscope bins per side.
    pub vectorscope_size: u32,
    /// Histogram count scale.
    pub histogram_scale: CountScale,
    /// Width of each scope image in pixels.
    pub image_width: u32,
    /// Height of each scope image in pixels.
    pub image_height: u32,
    /// Trace brightness (1 = default; higher shows sparse samples brighter).
    pub intensity: f32,
}

impl Default for ScopeSettings {
    fn default() -> Self {
        Self {
            luma: LumaWeights::Rec709,
            waveform_mode: WaveformMode::Luma,
            waveform_scale: WaveformScale::Ire,
            waveform_columns: 768,
            vectorscope_zoom: 1,
            vectorscope_size: 512,
            histogram_scale: CountScale::Linear,
            image_width: 768,
            image_height: 432,
            intensity: 1.0,
        }
    }
}

/// Largest `waveform_columns` (the bins then take 4 × 2048 × 1192 × 4 bytes = 39 MB).
pub const MAX_WAVEFORM_COLUMNS: u32 = 2048;
/// Largest `vectorscope_size`; with zoom 16 it keeps the integer bin arithmetic below 2^31.
pub const MAX_VECTORSCOPE_SIZE: u32 = 1024;
/// Largest scope image side.
pub const MAX_IMAGE_SIZE: u32 = 4096;

impl ScopeSettings {
    /// Problems that must be fixed before the scopes can run (each names the setting).
    pub fn validate(&self) -> Result<(), ScopeError> {
        let bad = |m: String| Err(ScopeError::Settings(m));
        if !(1..=MAX_WAVEFORM_COLUMNS).contains(&self.waveform_columns) {
            return bad(format!("waveform_columns must be 1-{MAX_WAVEFORM_COLUMNS}, got {}", self.waveform_columns));
        }
        if ![1, 2, 4, 8, 16].contains(&self.vectorscope_zoom) {
            return bad(format!("vectorscope zoom must be 1, 2, 4, 8 or 16, got {}", self.vectorscope_zoom));
        }
        if !(16..=MAX_VECTORSCOPE_SIZE).contains(&self.vectorscope_size) || !self.vectorscope_size.is_multiple_of(2) {
            return bad(format!(
                "vectorscope_size must be even and 16-{MAX_VECTORSCOPE_SIZE}, got {}",
                self.vectorscope_size
            ));
        }
        for (name, v) in [("image_width", self.image_width), ("image_height", self.image_height)] {
            if !(48..=MAX_IMAGE_SIZE).contains(&v) {
                return bad(format!("{name} must be 48-{MAX_IMAGE_SIZE}, got {v}"));
            }
        }
        if !(self.intensity.is_finite() && self.intensity > 0.0) {
            return bad(format!("intensity must be above 0, got {}", self.intensity));
        }
        Ok(())
    }

    /// Waveform column groups for a frame `width` pixels wide: never more than its columns, so a
    /// small frame leaves no empty gaps in the trace.
    pub fn columns_for(&self, width: u32) -> u32 {
        self.waveform_columns.min(width).max(1)
    }

    /// One line saying what `kind` shows and how to read it (the legend of its image).
    pub fn legend(&self, kind: ScopeKind) -> String {
        let luma = match self.luma {
            LumaWeights::Rec709 => "REC.709",
            LumaWeights::Rec2020 => "REC.2020",
        };
        let scale = match self.waveform_scale {
            WaveformScale::Ire => "0-100 IRE",
            WaveformScale::CodeValues10Bit => "0-1023 CV",
        };
        match kind {
            ScopeKind::Waveform => match self.waveform_mode {
                WaveformMode::Luma => format!("WAVEFORM LUMA {luma} {scale}"),
                WaveformMode::Rgb => format!("WAVEFORM RGB {scale}"),
            },
            ScopeKind::Parade => format!("PARADE R G B {scale}"),
            ScopeKind::Vectorscope => {
                format!("VECTORSCOPE CBCR {luma} X{}", self.vectorscope_zoom)
            }
            ScopeKind::Histogram => format!(
                "HISTOGRAM RGB+Y {luma} {}",
                match self.histogram_scale {
                    CountScale::Linear => "LINEAR",
                    CountScale::Log => "LOG",
                }
            ),
        }
    }
}

/// Why the scopes could not run.
#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    /// A setting is out of range.
    #[error("scope settings: {0}")]
    Settings(String),
    /// The GPU failed.
    #[error(transparent)]
    Gpu(#[from] GpuError),
}

/// Raw integer bin counts of the scopes (what `--json` writes and what the tests compare).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeCounts {
    /// Waveform and parade bins, when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waveform: Option<WaveformCounts>,
    /// Vectorscope bins, when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vectorscope: Option<VectorscopeCounts>,
    /// Histogram bins, when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<HistogramCounts>,
}

/// CPU reference of every scope's bins over a display-encoded frame.
pub fn counts_cpu(frame: &Frame, settings: &ScopeSettings) -> ScopeCounts {
    ScopeCounts {
        waveform: Some(waveform::counts_cpu(frame, settings)),
        vectorscope: Some(vectorscope::counts_cpu(frame, settings)),
        histogram: Some(histogram::counts_cpu(frame, settings)),
    }
}

/// Quantised R', G', B' of a pixel and its luma sum: the first step every scope shares.
fn pixel_codes(px: [f32; 4], weights: [i32; 3]) -> ([i32; 3], i32) {
    let q = [quantize::quantize(px[0]), quantize::quantize(px[1]), quantize::quantize(px[2])];
    (q, quantize::luma_sum(q, weights))
}
