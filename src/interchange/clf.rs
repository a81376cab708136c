//! Academy / SMPTE ST 2136-1 Common LUT Format (`.clf`): a process list of Matrix, LUT1D, LUT3D, Range,
//! Log, Exponent and ASC_CDL operators, read into normalised float ops ([`ClfOp`]) and written from a
//! baked LUT ([`write_clf`]).
//!
//! Every value is brought to normalised floats at read time, as OpenColorIO does: a Matrix's
//! coefficients scale by the op's input over output bit-depth range, its offsets and every LUT and
//! Range output value by the output range, Range inputs by the input range; Log, Exponent and ASC_CDL
//! parameters are normalised already. Adjacent ops' bit depths must agree. What the file breaks is
//! reported with the file and the line: unknown elements and operators, missing or malformed
//! attributes and values, array sizes, versions (CLF 1.0 to 3.0 and the ST 2136-1:2024 namespace),
//! IndexMap (not valid since CLF 3), non-compliant `<Id>` values.
//!
//! Evaluation is `clf_program` (a flat program the GPU and its CPU twin both run); reading is
//! `clf_read`, writing `clf_write`.

use super::cube::{Interpolation, Lut3d};

pub use super::clf_read::{parse_clf, read_clf};

/// The ST 2136-1:2024 namespace.
pub const SMPTE_NAMESPACE: &str = "http://www.smpte-ra.org/ns/2136-1/2024";

/// A normalised CLF operator.
#[derive(Clone, Debug, PartialEq)]
pub enum ClfOp {
    /// `out = m · in + offset`: three rows of three coefficients and an offset.
    Matrix(
        /// Rows `[m0, m1, m2, offset]`.
        [[f64; 4]; 3],
    ),
    /// A 1D table per channel, linearly interpolated over 0..1, or over the half-float domain.
    Lut1d {
        /// Entries (R, G, B), normalised.
        table: Vec<[f32; 3]>,
        /// The table has 65536 entries indexed by the input's half-float bit pattern.
        half_domain: bool,
    },
    /// A 3D table over 0..1 (red fastest, as [`Lut3d`]).
    Lut3d {
        /// The lattice, normalised.
        lut: Lut3d,
        /// Trilinear (the CLF default) or tetrahedral.
        interpolation: Interpolation,
    },
    /// `out = in × scale + offset`, clamped to `low..high` where given.
    Range {
        /// Scale.
        scale: f64,
        /// Offset.
        offset: f64,
        /// Lower clamp.
        low: Option<f64>,
        /// Upper clamp.
        high: Option<f64>,
    },
    /// A logarithm or its inverse.
    Log {
        /// Which function.
        style: LogStyle,
        /// Base of the logarithm.
        base: f64,
        /// Per channel: log side slope, log side offset, lin side slope, lin side offset, lin side
        /// break and linear slope (NaN: not given).
        params: [[f64; 6]; 3],
    },
    /// A power function.
    Exponent {
        /// Which function.
        style: ExponentStyle,
        /// Per channel: exponent and offset.
        params: [[f64; 2]; 3],
    },
    /// Not a CLF operator: the ACES 2.0 Output Transform's rendering (OpenColorIO's
    /// `ACES_OUTPUT_TRANSFORM_20` fixed function), which OCIO configs flatten to. CLF files never
    /// hold it; [`super::to_clf_string`] refuses it.
    Aces2 {
        /// Display → scene.
        inverse: bool,
        /// Peak luminance, nits.
        peak: f32,
        /// The display's limiting primaries.
        limiting: crate::color::spaces::Chromaticities,
    },
    /// Not a CLF operator: BT.2100's surround correction, RGB scaled by Y^(γ−1) (OpenColorIO's
    /// `REC2100_SURROUND` fixed function), from OCIO configs' HLG displays.
    Rec2100Surround {
        /// The exponent γ.
        gamma: f64,
        /// Apply the inverse (γ → 1/γ).
        inverse: bool,
    },
    /// An ASC CDL (v1.2), forward or reverse, clamping or not.
    Cdl {
        /// Slope.
        slope: [f64; 3],
        /// Offset.
        offset: [f64; 3],
        /// Power.
        power: [f64; 3],
        /// Saturation.
        saturation: f64,
        /// Direction and clamping.
        style: CdlStyle,
    },
}

/// The Log operator's styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogStyle {
    /// log10.
    Log10,
    /// 10^x.
    AntiLog10,
    /// log2.
    Log2,
    /// 2^x.
    AntiLog2,
    /// `logSideSlope · log_base(linSideSlope · x + linSideOffset) + logSideOffset`.
    LinToLog,
    /// Its inverse.
    LogToLin,
    /// [`LogStyle::LinToLog`] with a linear segment below `linSideBreak`.
    CameraLinToLog,
    /// Its inverse.
    CameraLogToLin,
}

impl LogStyle {
    pub(crate) const NAMES: [(&'static str, LogStyle); 8] = [
        ("log10", LogStyle::Log10),
        ("antiLog10", LogStyle::AntiLog10),
        ("log2", LogStyle::Log2),
        ("antiLog2", LogStyle::AntiLog2),
        ("linToLog", LogStyle::LinToLog),
        ("logToLin", LogStyle::LogToLin),
        ("cameraLinToLog", LogStyle::CameraLinToLog),
        ("cameraLogToLin", LogStyle::CameraLogToLin),
    ];

    pub(crate) fn takes_params(self) -> bool {
        !matches!(self, LogStyle::Log10 | LogStyle::AntiLog10 | LogStyle::Log2 | LogStyle::AntiLog2)
    }

    pub(super) fn is_camera(self) -> bool {
        matches!(self, LogStyle::CameraLinToLog | LogStyle::CameraLogToLin)
    }
}

/// The Exponent operator's styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExponentStyle {
    /// `max(0, x)^g`.
    BasicFwd,
    /// `max(0, x)^(1/g)`.
    BasicRev,
    /// `sign(x) |x|^g`.
    BasicMirrorFwd,
    /// `sign(x) |x|^(1/g)`.
    BasicMirrorRev,
    /// `x^g` for positive x, negatives pass through.
    BasicPassThruFwd,
    /// `x^(1/g)` for positive x, negatives pass through.
    BasicPassThruRev,
    /// The "monitor curve": a power with an offset and a linear segment near black (sRGB-like).
    MonCurveFwd,
    /// Its inverse.
    MonCurveRev,
    /// [`ExponentStyle::MonCurveFwd`] mirrored around 0.
    MonCurveMirrorFwd,
    /// [`ExponentStyle::MonCurveRev`] mirrored around 0.
    MonCurveMirrorRev,
}

impl ExponentStyle {
    pub(crate) const NAMES: [(&'static str, ExponentStyle); 10] = [
        ("basicFwd", ExponentStyle::BasicFwd),
        ("basicRev", ExponentStyle::BasicRev),
        ("basicMirrorFwd", ExponentStyle::BasicMirrorFwd),
        ("basicMirrorRev", ExponentStyle::BasicMirrorRev),
        ("basicPassThruFwd", ExponentStyle::BasicPassThruFwd),
        ("basicPassThruRev", ExponentStyle::BasicPassThruRev),
        ("monCurveFwd", ExponentStyle::MonCurveFwd),
        ("monCurveRev", ExponentStyle::MonCurveRev),
        ("monCurveMirrorFwd", ExponentStyle::MonCurveMirrorFwd),
        ("monCurveMirrorRev", ExponentStyle::MonCurveMirrorRev),
    ];

    /// The monitor-curve styles take an offset.
    pub fn is_moncurve(self) -> bool {
        matches!(
            self,
            ExponentStyle::MonCurveFwd
                | ExponentStyle::MonCurveRev
                | ExponentStyle::MonCurveMirrorFwd
                | ExponentStyle::MonCurveMirrorRev
        )
    }
}

/// ASC_CDL styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CdlStyle {
    /// ASC CDL v1.2, clamping to 0..1 (the CLF default).
    Fwd,
    /// Its inverse.
    Rev,
    /// No clamping; negatives bypass the power.
    FwdNoClamp,
    /// Its inverse.
    RevNoClamp,
}

/// A whole process list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClfFile {
    /// The `id` attribute (or, in an ST 2136-1 file without it, the `<Id>` element's URN).
    pub id: Option<String>,
    /// The `name` attribute.
    pub name: Option<String>,
    /// The process list's descriptions.
    pub descriptions: Vec<String>,
    /// What the input is (`<InputDescriptor>`), free text.
    pub input_descriptor: Option<String>,
    /// What the output is (`<OutputDescriptor>`), free text.
    pub output_descriptor: Option<String>,
    /// The operators, in order.
    pub ops: Vec<ClfOp>,
}
