// Cinegrade colour science library: transfer functions, gamut matrix and display tone curve.
//
// GPU mirror of src/color/transfer.rs, src/color/tonemap.rs and `Conversion::apply` in
// src/color/space/mod.rs; every formula, constant and out-of-range rule (clamp, mirror, linear
// extension) is the Rust reference's, which cites the spec it comes from. No entry points: shaders
// include this file and call `apply_conversion` or its curve functions (`<name>_encode`,
// `<name>_decode`, named after `Transfer::name`).

// Transfer ids (`Transfer::id` in transfer.rs).
const TRANSFER_LINEAR: u32 = 0u;
const TRANSFER_SRGB: u32 = 1u;
const TRANSFER_SRGB_MIRRORED: u32 = 2u;
const TRANSFER_BT1886: u32 = 3u;
const TRANSFER_REC709: u32 = 4u;
const TRANSFER_PQ: u32 = 5u;
const TRANSFER_HLG_DISPLAY: u32 = 6u;
const TRANSFER_HLG: u32 = 7u;
const TRANSFER_ACESCCT: u32 = 8u;
const TRANSFER_ACESCC: u32 = 9u;
const TRANSFER_LOGC3: u32 = 10u;
const TRANSFER_LOGC4: u32 = 11u;
const TRANSFER_SLOG3: u32 = 12u;
const TRANSFER_VLOG: u32 = 13u;
const TRANSFER_CLOG3: u32 = 14u;
const TRANSFER_LOG3G10: u32 = 15u;
const TRANSFER_DAVINCI_INTERMEDIATE: u32 = 16u;

// Tone stage ids (`TONE_*` in space/mod.rs).
const TONE_NONE: u32 = 0u;
const TONE_FORWARD: u32 = 1u;
const TONE_INVERSE: u32 = 2u;

// Mirror of `ConversionUniform` in space/mod.rs (80 bytes).
struct ConversionUniform {
    matrix: array<vec4<f32>, 3>,
    decode: u32,
    encode: u32,
    tone_mode: u32,
    pad: u32,
    // m, s, contrast, toe
    tone: vec4<f32>,
}

const LOG2_10: f32 = 3.321928094887362;
const LOG10_2: f32 = 0.3010299956639812;

fn log10_(x: f32) -> f32 {
    return log2(x) * LOG10_2;
}

fn pow10_(x: f32) -> f32 {
    return exp2(x * LOG2_10);
}

// sign(x) * |v| without sign(0) = 0 surprises: v carries the magnitude, x the sign.
fn with_sign_of(v: f32, x: f32) -> f32 {
    return select(v, -v, x < 0.0);
}

// --- sRGB (IEC 61966-2-1, exact tangent toe as OCIO's MONCURVE) ---
const SRGB_CODE_BREAK: f32 = 0.039285714;
const SRGB_SLOPE: f32 = 12.92321;

fn srgb_encode(x: f32) -> f32 {
    if x <= SRGB_CODE_BREAK / SRGB_SLOPE {
        return x * SRGB_SLOPE;
    }
    return 1.055 * pow(x, 1.0 / 2.4) - 0.055;
}

fn srgb_decode(y: f32) -> f32 {
    if y <= SRGB_CODE_BREAK {
        return y / SRGB_SLOPE;
    }
    return pow((y + 0.055) / 1.055, 2.4);
}

fn srgb_mirrored_encode(x: f32) -> f32 {
    return with_sign_of(srgb_encode(abs(x)), x);
}

fn srgb_mirrored_decode(y: f32) -> f32 {
    return with_sign_of(srgb_decode(abs(y)), y);
}

// --- BT.1886 (zero black, negatives clamp) and BT.709 camera OETF ---
fn bt1886_encode(x: f32) -> f32 {
    return pow(max(x, 0.0), 1.0 / 2.4);
}

fn bt1886_decode(y: f32) -> f32 {
    return pow(max(y, 0.0), 2.4);
}

fn rec709_encode(x: f32) -> f32 {
    if x < 0.018 {
        return 4.5 * x;
    }
    return 1.099 * pow(x, 0.45) - 0.099;
}

fn rec709_decode(y: f32) -> f32 {
    if y < 0.081 {
        return y / 4.5;
    }
    return pow((y + 0.099) / 1.099, 1.0 / 0.45);
}

// --- SMPTE ST 2084 (PQ), linear 1.0 = 100 nits, mirrored ---
const PQ_M1: f32 = 0.1593017578125;
const PQ_M2: f32 = 78.84375;
const PQ_C1: f32 = 0.8359375;
const PQ_C2: f32 = 18.8515625;
const PQ_C3: f32 = 18.6875;

fn pq_encode(x: f32) -> f32 {
    let y = pow(abs(x) * 0.01, PQ_M1);
    return with_sign_of(pow((PQ_C1 + PQ_C2 * y) / (1.0 + PQ_C3 * y), PQ_M2), x);
}

// exp(x) - 1 for the small |x| pq_decode needs (|x| <= 0.12 for codes 1e-4..2): Taylor to x^7,
// relative error < 1e-9 there, without the cancellation of exp(x) - 1.0 in f32.
fn expm1_small(x: f32) -> f32 {
    return x * (1.0 + x * (1.0 / 2.0 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0 + x / 5040.0))))));
}

// The EOTF's denominator c2 - c3 p cancels for codes near 1 (c2 - c3 = 0.1640625), which costs f32
// ~1e-4 relative there. Written with d = p - 1 = expm1(ln(N) / m2): c2 - c3 p = (c2 - c3) - c3 d and
// p - c1 = (1 - c1) + d, both exact constants, so only the genuine pole past code 1.99 remains.
fn pq_decode(y: f32) -> f32 {
    let n = abs(y);
    if n <= 0.0 {
        return 0.0;
    }
    let x = log2(n) * (0.6931471805599453 / PQ_M2);
    var d: f32;
    if abs(x) < 0.125 {
        d = expm1_small(x);
    } else {
        d = exp(x) - 1.0;
    }
    let den = (PQ_C2 - PQ_C3) - PQ_C3 * d;
    if den <= 0.0 {
        return 0.0;
    }
    return with_sign_of(pow(max((1.0 - PQ_C1) + d, 0.0) / den, 1.0 / PQ_M1) * 100.0, y);
}

// --- HLG (BT.2100): OETF on scene light, and the 1000-nit display signal with its OOTF ---
const HLG_A: f32 = 0.17883277;
const HLG_B: f32 = 0.28466892;
const HLG_C: f32 = 0.5599107;
const HLG_DISPLAY_SCALE: f32 = 0.37371928;
const HLG_MIN_LUM: f32 = 1e-4;
const HLG_MIN_LUM_INV: f32 = 4.6415888e-4;

fn hlg_encode(x: f32) -> f32 {
    let e = abs(x);
    var v: f32;
    if e <= 1.0 / 12.0 {
        v = sqrt(3.0 * e);
    } else {
        v = HLG_A * log(12.0 * e - HLG_B) + HLG_C;
    }
    return with_sign_of(v, x);
}

fn hlg_decode(y: f32) -> f32 {
    let s = abs(y);
    var v: f32;
    if s <= 0.5 {
        v = s * s / 3.0;
    } else {
        v = (exp((s - HLG_C) / HLG_A) + HLG_B) / 12.0;
    }
    return with_sign_of(v, y);
}

fn rec2100_luminance(rgb: vec3<f32>) -> f32 {
    return dot(rgb, vec3<f32>(0.2627, 0.6780, 0.0593));
}

fn hlg_display_encode(rgb: vec3<f32>) -> vec3<f32> {
    let s = rgb * HLG_DISPLAY_SCALE;
    let y = max(abs(rec2100_luminance(s)), HLG_MIN_LUM);
    let e = s * pow(y, 1.0 / 1.2 - 1.0) / 3.0;
    return vec3<f32>(hlg_encode(e.x), hlg_encode(e.y), hlg_encode(e.z));
}

fn hlg_display_decode(rgb: vec3<f32>) -> vec3<f32> {
    let e = 3.0 * vec3<f32>(hlg_decode(rgb.x), hlg_decode(rgb.y), hlg_decode(rgb.z));
    let y = max(abs(rec2100_luminance(e)), HLG_MIN_LUM_INV);
    return e * pow(y, 0.2) / HLG_DISPLAY_SCALE;
}

// --- ACES ---
const ACESCCT_A: f32 = 10.5402377416545;
const ACESCCT_B: f32 = 0.0729055341958355;
const ACESCCT_CODE_BREAK: f32 = 0.155251141552511;

fn acescct_encode(x: f32) -> f32 {
    if x <= 0.0078125 {
        return ACESCCT_A * x + ACESCCT_B;
    }
    return (log2(x) + 9.72) / 17.52;
}

fn acescct_decode(y: f32) -> f32 {
    if y <= ACESCCT_CODE_BREAK {
        return (y - ACESCCT_B) / ACESCCT_A;
    }
    return exp2(y * 17.52 - 9.72);
}

fn acescc_encode(x: f32) -> f32 {
    if x <= 0.0 {
        return (-16.0 + 9.72) / 17.52;
    }
    if x < exp2(-15.0) {
        return (log2(exp2(-16.0) + x * 0.5) + 9.72) / 17.52;
    }
    return (log2(x) + 9.72) / 17.52;
}

fn acescc_decode(y: f32) -> f32 {
    if y < (9.72 - 15.0) / 17.52 {
        return (exp2(y * 17.52 - 9.72) - exp2(-16.0)) * 2.0;
    }
    return min(exp2(y * 17.52 - 9.72), 65504.0);
}

// --- ARRI LogC3 (EI 800) and LogC4 ---
const LOGC3_CUT: f32 = 0.010591;
const LOGC3_A: f32 = 5.555556;
const LOGC3_B: f32 = 0.052272;
const LOGC3_C: f32 = 0.24719;
const LOGC3_D: f32 = 0.385537;
const LOGC3_E: f32 = 5.367655;
const LOGC3_F: f32 = 0.092809;

fn logc3_encode(x: f32) -> f32 {
    if x > LOGC3_CUT {
        return LOGC3_C * log10_(LOGC3_A * x + LOGC3_B) + LOGC3_D;
    }
    return LOGC3_E * x + LOGC3_F;
}

fn logc3_decode(y: f32) -> f32 {
    if y > LOGC3_E * LOGC3_CUT + LOGC3_F {
        return (pow10_((y - LOGC3_D) / LOGC3_C) - LOGC3_B) / LOGC3_A;
    }
    return (y - LOGC3_F) / LOGC3_E;
}

const LOGC4_A: f32 = 2231.8263;
const LOGC4_B: f32 = 0.90713587;
const LOGC4_C: f32 = 0.092864125;
const LOGC4_S: f32 = 0.11359721;
const LOGC4_T: f32 = -0.018056996;

fn logc4_encode(x: f32) -> f32 {
    if x >= LOGC4_T {
        return (log2(LOGC4_A * x + 64.0) - 6.0) / 14.0 * LOGC4_B + LOGC4_C;
    }
    return (x - LOGC4_T) / LOGC4_S;
}

fn logc4_decode(y: f32) -> f32 {
    if y >= 0.0 {
        return (exp2(14.0 * (y - LOGC4_C) / LOGC4_B + 6.0) - 64.0) / LOGC4_A;
    }
    return y * LOGC4_S + LOGC4_T;
}

// --- Sony S-Log3 ---
fn slog3_encode(x: f32) -> f32 {
    if x >= 0.01125 {
        return (420.0 + log10_((x + 0.01) / (0.18 + 0.01)) * 261.5) / 1023.0;
    }
    return (x * (171.2103 - 95.0) / 0.01125 + 95.0) / 1023.0;
}

fn slog3_decode(y: f32) -> f32 {
    if y >= 171.2103 / 1023.0 {
        return pow10_((y * 1023.0 - 420.0) / 261.5) * (0.18 + 0.01) - 0.01;
    }
    return (y * 1023.0 - 95.0) * 0.01125 / (171.2103 - 95.0);
}

// --- Panasonic V-Log ---
const VLOG_B: f32 = 0.00873;
const VLOG_C: f32 = 0.241514;
const VLOG_D: f32 = 0.598206;

fn vlog_encode(x: f32) -> f32 {
    if x < 0.01 {
        return 5.6 * x + 0.125;
    }
    return VLOG_C * log10_(x + VLOG_B) + VLOG_D;
}

fn vlog_decode(y: f32) -> f32 {
    if y < 0.181 {
        return (y - 0.125) / 5.6;
    }
    return pow10_((y - VLOG_D) / VLOG_C) - VLOG_B;
}

// --- Canon Log 3 (OCIO scaling 0.9, code clamped to [0, 1]) ---
const CLOG3_SCALE: f32 = 0.9;

fn clog3_encode(x_in: f32) -> f32 {
    let x = x_in / CLOG3_SCALE;
    var y: f32;
    if x < -0.014 {
        y = -0.36726845 * log10_(1.0 - 14.98325 * x) + 0.12783901;
    } else if x <= 0.014 {
        y = 1.9754798 * x + 0.12512219;
    } else {
        y = 0.36726845 * log10_(14.98325 * x + 1.0) + 0.12240537;
    }
    return clamp(y, 0.0, 1.0);
}

fn clog3_decode(y_in: f32) -> f32 {
    let y = clamp(y_in, 0.0, 1.0);
    var x: f32;
    if y < 0.097465473 {
        x = -(pow10_((0.12783901 - y) / 0.36726845) - 1.0) / 14.98325;
    } else if y <= 0.15277891 {
        x = (y - 0.12512219) / 1.9754798;
    } else {
        x = (pow10_((y - 0.12240537) / 0.36726845) - 1.0) / 14.98325;
    }
    return x * CLOG3_SCALE;
}

// --- RED Log3G10 v3 ---
const LOG3G10_A: f32 = 0.224282;
const LOG3G10_B: f32 = 155.97533;
const LOG3G10_C: f32 = 0.01;
const LOG3G10_G: f32 = 15.1927;

fn log3g10_encode(x_in: f32) -> f32 {
    let x = x_in + LOG3G10_C;
    if x < 0.0 {
        return x * LOG3G10_G;
    }
    return LOG3G10_A * log10_(x * LOG3G10_B + 1.0);
}

fn log3g10_decode(y: f32) -> f32 {
    if y < 0.0 {
        return y / LOG3G10_G - LOG3G10_C;
    }
    return (pow10_(y / LOG3G10_A) - 1.0) / LOG3G10_B - LOG3G10_C;
}

// --- DaVinci Intermediate ---
const DI_A: f32 = 0.0075;
const DI_B: f32 = 7.0;
const DI_C: f32 = 0.07329248;
const DI_M: f32 = 10.44426855;
const DI_LIN_CUT: f32 = 0.00262409;
const DI_LOG_CUT: f32 = 0.02740668;

fn davinci_intermediate_encode(x: f32) -> f32 {
    if x <= DI_LIN_CUT {
        return x * DI_M;
    }
    return (log2(x + DI_A) + DI_B) * DI_C;
}

fn davinci_intermediate_decode(y: f32) -> f32 {
    if y <= DI_LOG_CUT {
        return y / DI_M;
    }
    return exp2(y / DI_C - DI_B) - DI_A;
}

// --- Dispatch on transfer id ---
fn transfer_encode_channel(id: u32, x: f32) -> f32 {
    switch id {
        case TRANSFER_SRGB: { return srgb_encode(x); }
        case TRANSFER_SRGB_MIRRORED: { return srgb_mirrored_encode(x); }
        case TRANSFER_BT1886: { return bt1886_encode(x); }
        case TRANSFER_REC709: { return rec709_encode(x); }
        case TRANSFER_PQ: { return pq_encode(x); }
        case TRANSFER_HLG_DISPLAY, TRANSFER_HLG: { return hlg_encode(x); }
        case TRANSFER_ACESCCT: { return acescct_encode(x); }
        case TRANSFER_ACESCC: { return acescc_encode(x); }
        case TRANSFER_LOGC3: { return logc3_encode(x); }
        case TRANSFER_LOGC4: { return logc4_encode(x); }
        case TRANSFER_SLOG3: { return slog3_encode(x); }
        case TRANSFER_VLOG: { return vlog_encode(x); }
        case TRANSFER_CLOG3: { return clog3_encode(x); }
        case TRANSFER_LOG3G10: { return log3g10_encode(x); }
        case TRANSFER_DAVINCI_INTERMEDIATE: { return davinci_intermediate_encode(x); }
        default: { return x; }
    }
}

fn transfer_decode_channel(id: u32, y: f32) -> f32 {
    switch id {
        case TRANSFER_SRGB: { return srgb_decode(y); }
        case TRANSFER_SRGB_MIRRORED: { return srgb_mirrored_decode(y); }
        case TRANSFER_BT1886: { return bt1886_decode(y); }
        case TRANSFER_REC709: { return rec709_decode(y); }
        case TRANSFER_PQ: { return pq_decode(y); }
        case TRANSFER_HLG_DISPLAY, TRANSFER_HLG: { return hlg_decode(y); }
        case TRANSFER_ACESCCT: { return acescct_decode(y); }
        case TRANSFER_ACESCC: { return acescc_decode(y); }
        case TRANSFER_LOGC3: { return logc3_decode(y); }
        case TRANSFER_LOGC4: { return logc4_decode(y); }
        case TRANSFER_SLOG3: { return slog3_decode(y); }
        case TRANSFER_VLOG: { return vlog_decode(y); }
        case TRANSFER_CLOG3: { return clog3_decode(y); }
        case TRANSFER_LOG3G10: { return log3g10_decode(y); }
        case TRANSFER_DAVINCI_INTERMEDIATE: { return davinci_intermediate_decode(y); }
        default: { return y; }
    }
}

fn transfer_encode(id: u32, rgb: vec3<f32>) -> vec3<f32> {
    if id == TRANSFER_LINEAR {
        return rgb;
    }
    if id == TRANSFER_HLG_DISPLAY {
        return hlg_display_encode(rgb);
    }
    return vec3<f32>(transfer_encode_channel(id, rgb.x), transfer_encode_channel(id, rgb.y), transfer_encode_channel(id, rgb.z));
}

fn transfer_decode(id: u32, rgb: vec3<f32>) -> vec3<f32> {
    if id == TRANSFER_LINEAR {
        return rgb;
    }
    if id == TRANSFER_HLG_DISPLAY {
        return hlg_display_decode(rgb);
    }
    return vec3<f32>(transfer_decode_channel(id, rgb.x), transfer_decode_channel(id, rgb.y), transfer_decode_channel(id, rgb.z));
}

// --- Tone curve (tonemap.rs): h(f(x)) with f = m (x / (x + s))^c, h = f² / (f + t), odd ---
const SCENE_MAX: f32 = 65504.0;

// Without an early return: straight-line code inlines better (and one early return here, inlined
// into a large fused pass, crashed Mesa 22.3's lavapipe compiler).
fn tone_forward(x: f32, k: vec4<f32>) -> f32 {
    let a = abs(x);
    let f = k.x * pow(a / (a + k.y), k.z);
    return select(with_sign_of(f * f / (f + k.w), x), 0.0, a <= 0.0);
}

fn tone_inverse(y: f32, k: vec4<f32>) -> f32 {
    let b = abs(y);
    let peak = k.x * k.x / (k.x + k.w);
    let f = 0.5 * (b + sqrt(b * (b + 4.0 * k.w)));
    let q = pow(f / k.x, 1.0 / k.z);
    let scene = select(min(k.y * q / (1.0 - q), SCENE_MAX), SCENE_MAX, b >= peak);
    return select(with_sign_of(scene, y), 0.0, b <= 0.0);
}

fn tone_forward3(rgb: vec3<f32>, k: vec4<f32>) -> vec3<f32> {
    return vec3<f32>(tone_forward(rgb.x, k), tone_forward(rgb.y, k), tone_forward(rgb.z, k));
}

fn tone_inverse3(rgb: vec3<f32>, k: vec4<f32>) -> vec3<f32> {
    return vec3<f32>(tone_inverse(rgb.x, k), tone_inverse(rgb.y, k), tone_inverse(rgb.z, k));
}

fn apply_matrix(m: array<vec4<f32>, 3>, v: vec3<f32>) -> vec3<f32> {
    return vec3<f32>(dot(m[0].xyz, v), dot(m[1].xyz, v), dot(m[2].xyz, v));
}

// `Conversion::apply`: decode, [inverse tone], matrix, [forward tone], encode. Fused passes
// (src/gpu/fused.rs) write these steps out per conversion, calling only the curves it uses.
fn apply_conversion(rgb: vec3<f32>, conv: ConversionUniform) -> vec3<f32> {
    var v = transfer_decode(conv.decode, rgb);
    if conv.tone_mode == TONE_INVERSE {
        v = tone_inverse3(v, conv.tone);
    }
    v = apply_matrix(conv.matrix, v);
    if conv.tone_mode == TONE_FORWARD {
        v = tone_forward3(v, conv.tone);
    }
    return transfer_encode(conv.encode, v);
}
