//! Transfer functions: `encode` maps linear light to code values, `decode` maps code values back.
//!
//! Every curve is defined over the whole float range the way the white paper or OpenColorIO 2.x's
//! built-in transform defines it, because scene-referred pixels go below 0 and above 1: log curves
//! keep their linear toe segment below the break and their log segment above 1, display curves clamp
//! or mirror negatives exactly as the OCIO display built-in named in their doc comment does. The
//! tests in `space.rs` compare these against OpenColorIO over that full range.
//!
//! Conventions: scene-linear 0.18 is mid grey; display-linear 1.0 is display white, i.e. 100 nits
//! (the OCIO convention "nits/100" for PQ and HLG).

/// A transfer function (encoding) between linear light and code values.
///
/// The explicit discriminant is the id used in shaders (`TRANSFER_*` constants in `color.wgsl`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Transfer {
    /// No encoding: code = linear.
    Linear = 0,
    /// sRGB piecewise curve (IEC 61966-2-1); the linear toe continues below 0 (OCIO sRGB display).
    Srgb = 1,
    /// sRGB piecewise curve mirrored around 0 (Apple extended sRGB; OCIO DisplayP3 display).
    SrgbMirrored = 2,
    /// ITU-R BT.1886 reference EOTF for a zero-black display: pure 2.4 power, negatives clamp to 0.
    Bt1886 = 3,
    /// ITU-R BT.709 camera OETF (4.5x toe, 0.45 power); the toe continues below 0.
    Rec709 = 4,
    /// SMPTE ST 2084 (PQ) with linear 1.0 = 100 nits, mirrored below 0 (OCIO `CURVE - LINEAR_to_ST-2084`).
    Pq = 5,
    /// ITU-R BT.2100 HLG signal for a 1000-nit display: inverse OOTF (γ 1.2) then OETF; 1.0 = 100 nits.
    HlgDisplay = 6,
    /// ITU-R BT.2100 HLG OETF alone on scene light E in [0, 1] (no OOTF), mirrored below 0.
    Hlg = 7,
    /// ACEScct (Academy S-2016-001).
    Acescct = 8,
    /// ACEScc (Academy S-2014-003).
    Acescc = 9,
    /// ARRI LogC3 at EI 800 (ARRI "ALEXA LogC Curve - Usage in VFX").
    LogC3 = 10,
    /// ARRI LogC4 (ARRI "LogC4 Logarithmic Color Space Specification", 2022).
    LogC4 = 11,
    /// Sony S-Log3 (Sony "Technical Summary for S-Gamut3.Cine/S-Log3 and S-Gamut3/S-Log3").
    SLog3 = 12,
    /// Panasonic V-Log (Panasonic "V-Log/V-Gamut Reference Manual").
    VLog = 13,
    /// Canon Log 3 as in OCIO's `CANON_CLOG3-CGAMUT_to_ACES2065-1`, including its 0.9 scale and clamp.
    CanonLog3 = 14,
    /// RED Log3G10 v3 with its -0.01 black offset (RED "REDWideGamutRGB and Log3G10" white paper).
    Log3G10 = 15,
    /// DaVinci Intermediate (Blackmagic "DaVinci Wide Gamut Intermediate", 2020).
    DavinciIntermediate = 16,
}

impl Transfer {
    /// Every transfer function, in id order.
    pub const ALL: [Transfer; 17] = [
        Transfer::Linear,
        Transfer::Srgb,
        Transfer::SrgbMirrored,
        Transfer::Bt1886,
        Transfer::Rec709,
        Transfer::Pq,
        Transfer::HlgDisplay,
        Transfer::Hlg,
        Transfer::Acescct,
        Transfer::Acescc,
        Transfer::LogC3,
        Transfer::LogC4,
        Transfer::SLog3,
        Transfer::VLog,
        Transfer::CanonLog3,
        Transfer::Log3G10,
        Transfer::DavinciIntermediate,
    ];

    /// The id shaders switch on (`TRANSFER_*` in `color.wgsl`).
    pub fn id(self) -> u32 {
        self as u32
    }

    /// The transfer function with the given shader id, if any.
    pub fn from_id(id: u32) -> Option<Self> {
        Self::ALL.get(usize::try_from(id).ok()?).copied()
    }

    /// Short lower-case name (as in the `TRANSFER_*` WGSL constants, lower-cased).
    pub fn name(self) -> &'static str {
        match self {
            Transfer::Linear => "linear",
            Transfer::Srgb => "srgb",
            Transfer::SrgbMirrored => "srgb_mirrored",
            Transfer::Bt1886 => "bt1886",
            Transfer::Rec709 => "rec709",
            Transfer::Pq => "pq",
            Transfer::HlgDisplay => "hlg_display",
            Transfer::Hlg => "hlg",
            Transfer::Acescct => "acescct",
            Transfer::Acescc => "acescc",
            Transfer::LogC3 => "logc3",
            Transfer::LogC4 => "logc4",
            Transfer::SLog3 => "slog3",
            Transfer::VLog => "vlog",
            Transfer::CanonLog3 => "clog3",
            Transfer::Log3G10 => "log3g10",
            Transfer::DavinciIntermediate => "davinci_intermediate",
        }
    }

    /// Linear RGB → code values.
    pub fn encode(self, rgb: [f32; 3]) -> [f32; 3] {
        match self {
            Transfer::HlgDisplay => hlg_display_encode(rgb),
            _ => rgb.map(|v| self.encode_channel(v)),
        }
    }

    /// Code values → linear RGB.
    pub fn decode(self, rgb: [f32; 3]) -> [f32; 3] {
        match self {
            Transfer::HlgDisplay => hlg_display_decode(rgb),
            _ => rgb.map(|v| self.decode_channel(v)),
        }
    }

    /// Per-channel encode; [`Transfer::HlgDisplay`] is not per-channel and uses its OETF part here.
    fn encode_channel(self, x: f32) -> f32 {
        match self {
            Transfer::Linear => x,
            Transfer::Srgb => srgb_encode(x),
            Transfer::SrgbMirrored => srgb_mirrored_encode(x),
            Transfer::Bt1886 => bt1886_encode(x),
            Transfer::Rec709 => rec709_encode(x),
            Transfer::Pq => pq_encode(x),
            Transfer::HlgDisplay | Transfer::Hlg => hlg_encode(x),
            Transfer::Acescct => acescct_encode(x),
            Transfer::Acescc => acescc_encode(x),
            Transfer::LogC3 => logc3_encode(x),
            Transfer::LogC4 => logc4_encode(x),
            Transfer::SLog3 => slog3_encode(x),
            Transfer::VLog => vlog_encode(x),
            Transfer::CanonLog3 => clog3_encode(x),
            Transfer::Log3G10 => log3g10_encode(x),
            Transfer::DavinciIntermediate => davinci_intermediate_encode(x),
        }
    }

    /// Per-channel decode; [`Transfer::HlgDisplay`] is not per-channel and uses its OETF part here.
    fn decode_channel(self, y: f32) -> f32 {
        match self {
            Transfer::Linear => y,
            Transfer::Srgb => srgb_decode(y),
            Transfer::SrgbMirrored => srgb_mirrored_decode(y),
            Transfer::Bt1886 => bt1886_decode(y),
            Transfer::Rec709 => rec709_decode(y),
            Transfer::Pq => pq_decode(y),
            Transfer::HlgDisplay | Transfer::Hlg => hlg_decode(y),
            Transfer::Acescct => acescct_decode(y),
            Transfer::Acescc => acescc_decode(y),
            Transfer::LogC3 => logc3_decode(y),
            Transfer::LogC4 => logc4_decode(y),
            Transfer::SLog3 => slog3_decode(y),
            Transfer::VLog => vlog_decode(y),
            Transfer::CanonLog3 => clog3_decode(y),
            Transfer::Log3G10 => log3g10_decode(y),
            Transfer::DavinciIntermediate => davinci_intermediate_decode(y),
        }
    }
}

/// `sign(x) · f(|x|)`: the odd extension of a curve defined for x ≥ 0.
fn mirrored(x: f32, f: impl Fn(f32) -> f32) -> f32 {
    f(x.abs()).copysign(x)
}

// --- sRGB, IEC 61966-2-1 -------------------------------------------------------------------------
// The power segment is the standard's 1.055·L^(1/2.4) − 0.055. The standard's toe (12.92, 0.0031308)
// rounds the tangent point; like OCIO's MONCURVE (gamma 2.4, offset 0.055) we use the exact tangent,
// which differs by < 1e-5 in [0, 1] but by 2.5e-4 relative far below 0, where OCIO is the reference.

/// Code value where the sRGB toe meets the power segment: offset / (gamma − 1).
const SRGB_CODE_BREAK: f32 = 0.039_285_714;
/// Slope of the sRGB linear toe (code per linear), the exact tangent of the power segment.
const SRGB_SLOPE: f32 = 12.923_21;

/// sRGB encode (IEC 61966-2-1); the linear toe continues below 0.
pub fn srgb_encode(x: f32) -> f32 {
    if x <= SRGB_CODE_BREAK / SRGB_SLOPE { x * SRGB_SLOPE } else { 1.055 * x.powf(1.0 / 2.4) - 0.055 }
}

/// sRGB decode (IEC 61966-2-1); the linear toe continues below 0.
pub fn srgb_decode(y: f32) -> f32 {
    if y <= SRGB_CODE_BREAK { y / SRGB_SLOPE } else { ((y + 0.055) / 1.055).powf(2.4) }
}

/// sRGB encode mirrored around 0 (Apple extended sRGB, OCIO `MONCURVE_MIRROR`).
pub fn srgb_mirrored_encode(x: f32) -> f32 {
    mirrored(x, srgb_encode)
}

/// sRGB decode mirrored around 0.
pub fn srgb_mirrored_decode(y: f32) -> f32 {
    mirrored(y, srgb_decode)
}

// --- BT.1886 and BT.709 ----------------------------------------------------------------------------

/// Inverse of the BT.1886 EOTF with zero black (pure 1/2.4 power); negatives clamp to 0 as in OCIO.
pub fn bt1886_encode(x: f32) -> f32 {
    x.max(0.0).powf(1.0 / 2.4)
}

/// BT.1886 EOTF with zero black (ITU-R BT.1886 Annex 1, Lb = 0): 2.4 power, negatives clamp to 0.
pub fn bt1886_decode(y: f32) -> f32 {
    y.max(0.0).powf(2.4)
}

/// ITU-R BT.709-6 camera OETF: 4.5·L below 0.018, 1.099·L^0.45 − 0.099 above; toe continues below 0.
pub fn rec709_encode(x: f32) -> f32 {
    if x < 0.018 { 4.5 * x } else { 1.099 * x.powf(0.45) - 0.099 }
}

/// Inverse of the BT.709 camera OETF.
pub fn rec709_decode(y: f32) -> f32 {
    if y < 0.081 { y / 4.5 } else { ((y + 0.099) / 1.099).powf(1.0 / 0.45) }
}

// --- SMPTE ST 2084 (PQ) ------------------------------------------------------------------------------
// Constants from ST 2084:2014 section 5. Linear 1.0 = 100 nits (OCIO's "nits/100"), so 100.0 is the
// 10000-nit peak. Mirrored below 0, not clamped above, as OCIO's `LINEAR_to_ST-2084` half-float LUT.
// Evaluated in f64: above code 1 the EOTF's denominator c2 − c3·N^(1/m2) cancels and f32 loses
// ~1e-4 relative (the shader lives with that; the reference should not).

const PQ_M1: f64 = 2610.0 / 16384.0;
const PQ_M2: f64 = 2523.0 / 4096.0 * 128.0;
const PQ_C1: f64 = 3424.0 / 4096.0;
const PQ_C2: f64 = 2413.0 / 4096.0 * 32.0;
const PQ_C3: f64 = 2392.0 / 4096.0 * 32.0;

/// ST 2084 inverse EOTF: linear (1.0 = 100 nits) → PQ code; mirrored below 0.
pub fn pq_encode(x: f32) -> f32 {
    mirrored(x, |x| {
        let y = (f64::from(x) * 0.01).powf(PQ_M1);
        ((PQ_C1 + PQ_C2 * y) / (1.0 + PQ_C3 * y)).powf(PQ_M2) as f32
    })
}

/// ST 2084 EOTF: PQ code → linear (1.0 = 100 nits); mirrored below 0.
///
/// Past code (c2/c3)^m2 ≈ 1.992 the EOTF has a pole and no real value; like OCIO this returns 0 there.
pub fn pq_decode(y: f32) -> f32 {
    mirrored(y, |n| {
        let p = f64::from(n).powf(1.0 / PQ_M2);
        let den = PQ_C2 - PQ_C3 * p;
        if den <= 0.0 {
            return 0.0;
        }
        (((p - PQ_C1).max(0.0) / den).powf(1.0 / PQ_M1) * 100.0) as f32
    })
}

// --- HLG, ITU-R BT.2100 Table 5 -------------------------------------------------------------------
// `hlg_encode` / `hlg_decode` are the OETF and its inverse on normalised scene light E in [0, 1]
// (1.0 = the camera's peak), mirrored below 0 and unclamped above 1 like OCIO's `CURVE - HLG-OETF`.
// `hlg_display_*` is the display-referred signal of OCIO's `DISPLAY - CIE-XYZ-D65_to_REC.2100-HLG-
// 1000nit`: display light (Rec.2020, 1.0 = 100 nits) through the inverse OOTF for a 1000-nit display
// (γ = 1.2, BT.2100 Table 5 note 5f) and then the OETF.

const HLG_A: f32 = 0.178_832_77;
const HLG_B: f32 = 0.284_668_92; // 1 - 4a
const HLG_C: f32 = 0.559_910_7; // 0.5 - a ln(4a)

/// BT.2100 HLG OETF: scene light E (1.0 = peak) → signal E'; mirrored below 0.
pub fn hlg_encode(x: f32) -> f32 {
    mirrored(x, |e| if e <= 1.0 / 12.0 { (3.0 * e).sqrt() } else { HLG_A * (12.0 * e - HLG_B).ln() + HLG_C })
}

/// BT.2100 HLG inverse OETF: signal E' → scene light E; mirrored below 0.
pub fn hlg_decode(y: f32) -> f32 {
    mirrored(y, |s| if s <= 0.5 { s * s / 3.0 } else { (((s - HLG_C) / HLG_A).exp() + HLG_B) / 12.0 })
}

/// Display light in nits/100 → OCIO's internal HLG scale: 100 · 3^γ / Lw with Lw = 1000, γ = 1.2.
const HLG_DISPLAY_SCALE: f32 = 0.373_719_28;
/// Luminance floor of OCIO's REC2100_Surround op in the forward (inverse-OOTF) direction.
const HLG_MIN_LUM: f32 = 1e-4;
/// Luminance floor in the OOTF direction: 1e-4^(1/γ).
const HLG_MIN_LUM_INV: f32 = 4.641_589e-4;

/// Rec.2020 luminance weights (ITU-R BT.2100 Table 6), used by the HLG OOTF.
fn rec2100_luminance(rgb: [f32; 3]) -> f32 {
    0.2627 * rgb[0] + 0.6780 * rgb[1] + 0.0593 * rgb[2]
}

/// HLG signal for a 1000-nit display from display light (Rec.2020, 1.0 = 100 nits).
///
/// Inverse OOTF `E = F/Lw · (Y/Lw)^(1/γ − 1)` (BT.2100 Table 5) computed in OCIO's scaling, where
/// E is carried as 3E and |Y| is floored at 1e-4 so that near-black colours are not gained up.
pub fn hlg_display_encode(rgb: [f32; 3]) -> [f32; 3] {
    let s = rgb.map(|v| v * HLG_DISPLAY_SCALE);
    let y = rec2100_luminance(s).abs().max(HLG_MIN_LUM);
    let gain = y.powf(1.0 / 1.2 - 1.0);
    s.map(|v| hlg_encode(v * gain / 3.0))
}

/// Display light (Rec.2020, 1.0 = 100 nits) from an HLG signal for a 1000-nit display (OOTF, γ 1.2).
pub fn hlg_display_decode(rgb: [f32; 3]) -> [f32; 3] {
    let e = rgb.map(|v| 3.0 * hlg_decode(v));
    let y = rec2100_luminance(e).abs().max(HLG_MIN_LUM_INV);
    let gain = y.powf(1.2 - 1.0);
    e.map(|v| v * gain / HLG_DISPLAY_SCALE)
}

// --- ACES --------------------------------------------------------------------------------------------
// ACEScct: Academy S-2016-001 section 4. The spec clamps decode at 65504; OCIO's LogCameraTransform
// does not, and neither do we.

const ACESCCT_A: f32 = 10.540_237; // 10.5402377416545
const ACESCCT_B: f32 = 0.072_905_53; // 0.0729055341958355
const ACESCCT_CODE_BREAK: f32 = 0.155_251_15; // 0.155251141552511

/// ACEScct encode: linear AP1 → ACEScct code.
pub fn acescct_encode(x: f32) -> f32 {
    if x <= 0.007_812_5 { ACESCCT_A * x + ACESCCT_B } else { (x.log2() + 9.72) / 17.52 }
}

/// ACEScct decode: ACEScct code → linear AP1.
pub fn acescct_decode(y: f32) -> f32 {
    if y <= ACESCCT_CODE_BREAK { (y - ACESCCT_B) / ACESCCT_A } else { (y * 17.52 - 9.72).exp2() }
}

/// ACEScc encode (Academy S-2014-003 section 4.4): pure log2 with a half-slope toe below 2^-15.
pub fn acescc_encode(x: f32) -> f32 {
    if x <= 0.0 {
        (-16.0 + 9.72) / 17.52
    } else if x < 2.0_f32.powi(-15) {
        ((2.0_f32.powi(-16) + x * 0.5).log2() + 9.72) / 17.52
    } else {
        (x.log2() + 9.72) / 17.52
    }
}

/// ACEScc decode (Academy S-2014-003 section 4.5), clamped at the half-float maximum as the spec does.
pub fn acescc_decode(y: f32) -> f32 {
    if y < (9.72 - 15.0) / 17.52 {
        ((y * 17.52 - 9.72).exp2() - 2.0_f32.powi(-16)) * 2.0
    } else {
        (y * 17.52 - 9.72).exp2().min(65504.0)
    }
}

// --- ARRI --------------------------------------------------------------------------------------------
// LogC3, EI 800 row of the ARRI "ALEXA LogC Curve - Usage in VFX" table (scene-linear, not "film").

const LOGC3_CUT: f32 = 0.010_591;
const LOGC3_A: f32 = 5.555_556;
const LOGC3_B: f32 = 0.052_272;
const LOGC3_C: f32 = 0.247_19;
const LOGC3_D: f32 = 0.385_537;
const LOGC3_E: f32 = 5.367_655;
const LOGC3_F: f32 = 0.092_809;

/// ARRI LogC3 (EI 800) encode: `c·log10(a·x + b) + d` above the cut, `e·x + f` below.
pub fn logc3_encode(x: f32) -> f32 {
    if x > LOGC3_CUT { LOGC3_C * (LOGC3_A * x + LOGC3_B).log10() + LOGC3_D } else { LOGC3_E * x + LOGC3_F }
}

/// ARRI LogC3 (EI 800) decode.
pub fn logc3_decode(y: f32) -> f32 {
    if y > LOGC3_E * LOGC3_CUT + LOGC3_F {
        (10.0_f32.powf((y - LOGC3_D) / LOGC3_C) - LOGC3_B) / LOGC3_A
    } else {
        (y - LOGC3_F) / LOGC3_E
    }
}

// LogC4, ARRI "LogC4 Logarithmic Color Space Specification" (2022) section 4:
// a = (2^18 − 16) / 117.45, b = (1023 − 95) / 1023, c = 95 / 1023,
// s = 7·ln2·2^(7 − 14c/b) / (a·b), t = (2^(14·(−c/b) + 6) − 64) / a.
const LOGC4_A: f32 = 2_231.826_3;
const LOGC4_B: f32 = 0.907_135_87;
const LOGC4_C: f32 = 0.092_864_125;
const LOGC4_S: f32 = 0.113_597_21;
const LOGC4_T: f32 = -0.018_056_996;

/// ARRI LogC4 encode: `(log2(a·x + 64) − 6) / 14 · b + c` above t, `(x − t) / s` below.
pub fn logc4_encode(x: f32) -> f32 {
    if x >= LOGC4_T { ((LOGC4_A * x + 64.0).log2() - 6.0) / 14.0 * LOGC4_B + LOGC4_C } else { (x - LOGC4_T) / LOGC4_S }
}

/// ARRI LogC4 decode.
pub fn logc4_decode(y: f32) -> f32 {
    if y >= 0.0 { ((14.0 * (y - LOGC4_C) / LOGC4_B + 6.0).exp2() - 64.0) / LOGC4_A } else { y * LOGC4_S + LOGC4_T }
}

// --- Sony S-Log3, Sony technical summary (2016), "S-Log3 formula" ----------------------------------

/// Sony S-Log3 encode (reflection 0.18 → 420/1023).
pub fn slog3_encode(x: f32) -> f32 {
    if x >= 0.011_25 {
        (420.0 + ((x + 0.01) / (0.18 + 0.01)).log10() * 261.5) / 1023.0
    } else {
        (x * (171.210_3 - 95.0) / 0.011_25 + 95.0) / 1023.0
    }
}

/// Sony S-Log3 decode.
pub fn slog3_decode(y: f32) -> f32 {
    if y >= 171.210_3 / 1023.0 {
        10.0_f32.powf((y * 1023.0 - 420.0) / 261.5) * (0.18 + 0.01) - 0.01
    } else {
        (y * 1023.0 - 95.0) * 0.011_25 / (171.210_3 - 95.0)
    }
}

// --- Panasonic V-Log, V-Log/V-Gamut Reference Manual (2014) section 3 ------------------------------

const VLOG_B: f32 = 0.008_73;
const VLOG_C: f32 = 0.241_514;
const VLOG_D: f32 = 0.598_206;

/// Panasonic V-Log encode: `5.6·x + 0.125` below 0.01, `c·log10(x + b) + d` above.
pub fn vlog_encode(x: f32) -> f32 {
    if x < 0.01 { 5.6 * x + 0.125 } else { VLOG_C * (x + VLOG_B).log10() + VLOG_D }
}

/// Panasonic V-Log decode.
pub fn vlog_decode(y: f32) -> f32 {
    if y < 0.181 { (y - 0.125) / 5.6 } else { 10.0_f32.powf((y - VLOG_D) / VLOG_C) - VLOG_B }
}

// --- Canon Log 3 -------------------------------------------------------------------------------------
// Canon "Canon Log 3" formulas (Canon white paper / ACES IDT), times 0.9 as OpenColorIO 2.x's
// `CANON_CLOG3-CGAMUT_to_ACES2065-1` and `CURVE - CANON_CLOG3_to_LINEAR` apply it (that scale puts
// 18% grey at Canon's published 34.3%). OCIO 2.6 evaluates the curve as a 4096-entry LUT over
// code [0, 1], so code outside [0, 1] is clamped there, and its inverse clamps code to [0, 1]; we
// match both clamps (a 10/12-bit Canon file cannot hold other values anyway).

const CLOG3_SCALE: f32 = 0.9;

/// Canon Log 3 encode (linear, OCIO scaling) → code in [0, 1].
pub fn clog3_encode(x: f32) -> f32 {
    let x = x / CLOG3_SCALE;
    let y = if x < -0.014 {
        -0.367_268_45 * (1.0 - 14.983_25 * x).log10() + 0.127_839_01
    } else if x <= 0.014 {
        1.975_479_8 * x + 0.125_122_19
    } else {
        0.367_268_45 * (14.983_25 * x + 1.0).log10() + 0.122_405_37
    };
    y.clamp(0.0, 1.0)
}

/// Canon Log 3 decode: code (clamped to [0, 1]) → linear, OCIO scaling.
pub fn clog3_decode(y: f32) -> f32 {
    let y = y.clamp(0.0, 1.0);
    let x = if y < 0.097_465_47 {
        -(10.0_f32.powf((0.127_839_01 - y) / 0.367_268_45) - 1.0) / 14.983_25
    } else if y <= 0.152_778_91 {
        (y - 0.125_122_19) / 1.975_479_8
    } else {
        (10.0_f32.powf((y - 0.122_405_37) / 0.367_268_45) - 1.0) / 14.983_25
    };
    x * CLOG3_SCALE
}

// --- RED Log3G10 v3, RED "REDWideGamutRGB and Log3G10" white paper (2017) ------------------------

const LOG3G10_A: f32 = 0.224_282;
const LOG3G10_B: f32 = 155.975_33;
const LOG3G10_C: f32 = 0.01;
const LOG3G10_G: f32 = 15.1927;

/// RED Log3G10 encode: `a·log10((x + 0.01)·b + 1)`, linear `g·(x + 0.01)` below −0.01.
pub fn log3g10_encode(x: f32) -> f32 {
    let x = x + LOG3G10_C;
    if x < 0.0 { x * LOG3G10_G } else { LOG3G10_A * (x * LOG3G10_B + 1.0).log10() }
}

/// RED Log3G10 decode.
pub fn log3g10_decode(y: f32) -> f32 {
    if y < 0.0 { y / LOG3G10_G - LOG3G10_C } else { (10.0_f32.powf(y / LOG3G10_A) - 1.0) / LOG3G10_B - LOG3G10_C }
}

// --- DaVinci Intermediate, Blackmagic "DaVinci Wide Gamut Intermediate" (2020) ---------------------

const DI_A: f32 = 0.0075;
const DI_B: f32 = 7.0;
const DI_C: f32 = 0.073_292_48;
const DI_M: f32 = 10.444_268; // 10.44426855
const DI_LIN_CUT: f32 = 0.002_624_09;
const DI_LOG_CUT: f32 = 0.027_406_68;

/// DaVinci Intermediate encode: `(log2(x + A) + B)·C` above the cut, `x·M` below.
pub fn davinci_intermediate_encode(x: f32) -> f32 {
    if x <= DI_LIN_CUT { x * DI_M } else { ((x + DI_A).log2() + DI_B) * DI_C }
}

/// DaVinci Intermediate decode.
pub fn davinci_intermediate_decode(y: f32) -> f32 {
    if y <= DI_LOG_CUT { y / DI_M } else { (y / DI_C - DI_B).exp2() - DI_A }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32, tol: f32) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn ids_round_trip_and_are_dense() {
        for (i, t) in Transfer::ALL.iter().enumerate() {
            assert_eq!(t.id() as usize, i);
            assert_eq!(Transfer::from_id(t.id()), Some(*t));
        }
        assert_eq!(Transfer::from_id(17), None);
    }

    #[test]
    fn published_anchor_values() {
        let cases: [(&str, f32, f32, f32); 12] = [
            ("sRGB 18%", srgb_encode(0.18), 0.461_356, 1e-5),
            ("BT.1886 18%", bt1886_encode(0.18), 0.489_437_1, 1e-6),
            ("BT.709 1.0", rec709_encode(1.0), 1.0, 1e-6),
            ("PQ 100 nits", pq_encode(1.0), 0.508_078_4, 1e-6),
            ("PQ 10000 nits", pq_encode(100.0), 1.0, 1e-6),
            ("HLG 1/12", hlg_encode(1.0 / 12.0), 0.5, 1e-6),
            // ARRI: EI 800 18% grey is 10-bit code 400; Sony: 420; RED: 1/3; Panasonic: 433;
            // Blackmagic: 0.336; ACES S-2016-001: 0.4135884; Canon Log 3: 34.3%; ARRI LogC4: 0.2784.
            ("LogC3 18%", logc3_encode(0.18), 0.391_007, 1e-5),
            ("S-Log3 18%", slog3_encode(0.18), 420.0 / 1023.0, 1e-6),
            ("Log3G10 18%", log3g10_encode(0.18), 1.0 / 3.0, 1e-5),
            ("V-Log 18%", vlog_encode(0.18), 433.0 / 1023.0, 1e-3),
            ("DI 18%", davinci_intermediate_encode(0.18), 0.336_043, 1e-5),
            ("ACEScct 18%", acescct_encode(0.18), 0.413_588_4, 1e-6),
        ];
        for (what, got, want, tol) in cases {
            assert!(close(got, want, tol), "{what}: {got} vs {want}");
        }
        assert!((clog3_encode(0.18) - 0.343).abs() < 5e-4, "{}", clog3_encode(0.18));
        assert!((logc4_encode(0.18) - 0.278_396).abs() < 1e-5, "{}", logc4_encode(0.18));
    }

    #[test]
    fn every_curve_round_trips_over_the_full_range() {
        for t in Transfer::ALL {
            for i in 0..=400 {
                let code = -0.3 + 1.6 * i as f32 / 400.0;
                let (code, tol) = match t {
                    // Clamped to [0, 1] like OCIO; BT.1886 clamps negatives.
                    Transfer::CanonLog3 => (code.clamp(0.0, 1.0), 1e-5),
                    Transfer::Bt1886 => (code.max(0.0), 1e-5),
                    // ACEScc's toe is flat below its minimum code and clamps above 65504.
                    Transfer::Acescc => (code.clamp(-0.35, 1.1), 1e-5),
                    _ => (code, 1e-5),
                };
                let rgb = [code, code * 0.5, code * 0.9];
                let back = t.encode(t.decode(rgb));
                for c in 0..3 {
                    assert!(close(back[c], rgb[c], tol), "{t:?} code {}: {}", rgb[c], back[c]);
                }
            }
        }
    }

    #[test]
    fn curves_are_continuous_at_their_breaks() {
        type Curve = fn(f32) -> f32;
        let breaks: [(Curve, f32); 9] = [
            (srgb_encode, SRGB_CODE_BREAK / SRGB_SLOPE),
            (acescct_encode, 0.007_812_5),
            (logc3_encode, LOGC3_CUT),
            (logc4_encode, LOGC4_T),
            (slog3_encode, 0.011_25),
            (vlog_encode, 0.01),
            (log3g10_encode, -0.01),
            (davinci_intermediate_encode, DI_LIN_CUT),
            (hlg_encode, 1.0 / 12.0),
        ];
        for (f, x) in breaks {
            let (lo, hi) = (f(x * (1.0 - 1e-5) - 1e-7), f(x * (1.0 + 1e-5) + 1e-7));
            assert!((hi - lo).abs() < 5e-5, "jump at {x}: {lo} → {hi}");
        }
        // BT.709's rounded constants leave a published 2.4e-4 step at 0.018; OCIO has it too.
        assert!((rec709_encode(0.018_001) - rec709_encode(0.017_999) - 2.4e-4).abs() < 2e-5);
        assert!((clog3_encode(-0.014 * 0.9 - 1e-7) - clog3_encode(-0.014 * 0.9 + 1e-7)).abs() < 5e-5);
        assert!((clog3_encode(0.014 * 0.9 - 1e-7) - clog3_encode(0.014 * 0.9 + 1e-7)).abs() < 5e-5);
    }

    #[test]
    fn special_behaviour_matches_ocio() {
        assert_eq!(bt1886_encode(-0.5), 0.0);
        assert_eq!(srgb_encode(-0.5), -0.5 * SRGB_SLOPE);
        assert_eq!(srgb_mirrored_encode(-0.5), -srgb_encode(0.5));
        assert_eq!(pq_encode(-2.0), -pq_encode(2.0));
        assert_eq!(pq_decode(2.5), 0.0);
        assert_eq!(clog3_decode(1.5), clog3_decode(1.0));
        assert_eq!(clog3_encode(100.0), 1.0);
        assert_eq!(hlg_decode(-0.7), -hlg_decode(0.7));
        // The HLG display signal of 1000 nits white is 1.0 and of 0 is 0.
        let white = hlg_display_encode([10.0; 3]);
        assert!(white.iter().all(|v| (v - 1.0).abs() < 1e-5), "{white:?}");
        assert_eq!(hlg_display_encode([0.0; 3]), [0.0; 3]);
    }
}
