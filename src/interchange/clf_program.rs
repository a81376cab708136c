//! A CLF process list as a flat program of 32-bit words, and its evaluator: the CPU twin of
//! `run_clf_program` in `shaders/ops/lut_clf.wgsl`, which runs the same words from a LUT stage's
//! `tables`. Each operator's constants are computed here once, with the very conversions
//! OpenColorIO's CPU renderers make (which values are rounded to f32, and where), so the evaluation
//! is the same arithmetic as OpenColorIO's, in f32.
//!
//! Layout: `[op count]`, then per op `[code, n]` and `n` words of parameters. Counts, codes, sizes,
//! flags and styles are whole numbers held as f32 (exact below 2²⁴, far above any table this reads):
//! bit patterns would be subnormal floats, which a GPU may flush to zero on the way.

use super::clf::{CdlStyle, ClfFile, ClfOp, ExponentStyle, LogStyle};
use super::cube::{Interpolation, Lattice};

/// `out = m · in + offset`: 12 words.
pub const MATRIX: u32 = 1;
/// `[n, half domain]` then 3n entries.
pub const LUT1D: u32 = 2;
/// `[n, tetrahedral]` then 3n³ entries, red fastest.
pub const LUT3D: u32 = 3;
/// `[scale, offset, low, high, flags]` (flags: 1 low clamps, 2 high clamps).
pub const RANGE: u32 = 4;
/// `[style]` then 8 constants per channel.
pub const LOG: u32 = 5;
/// `[style]` then 5 constants per channel.
pub const EXPONENT: u32 = 6;
/// `[clamp, reverse]` then slope, offset, power (3 each) and saturation.
pub const CDL: u32 = 7;
/// `[inverse]` then the ACES 2.0 block (`color::aces2`, [`crate::color::aces2::BLOCK_SIZE`] words).
pub const ACES2: u32 = 8;
/// `[exponent, minimum luminance]`: RGB × max(|Y|, min)^exponent.
pub const SURROUND: u32 = 9;

/// The evaluator's log renderers (`LOG_*` in lut_clf.wgsl).
const LOG_LOG: u32 = 0;
const LOG_ANTILOG: u32 = 1;
const LOG_LIN_TO_LOG: u32 = 2;
const LOG_LOG_TO_LIN: u32 = 3;
const LOG_CAMERA_LIN_TO_LOG: u32 = 4;
const LOG_CAMERA_LOG_TO_LIN: u32 = 5;

/// The evaluator's exponent renderers (`EXP_*` in lut_clf.wgsl).
const EXP_BASIC: u32 = 0;
const EXP_BASIC_MIRROR: u32 = 1;
const EXP_BASIC_PASS_THRU: u32 = 2;
const EXP_MONCURVE_FWD: u32 = 3;
const EXP_MONCURVE_REV: u32 = 4;
const EXP_MONCURVE_MIRROR_FWD: u32 = 5;
const EXP_MONCURVE_MIRROR_REV: u32 = 6;

fn word(v: u32) -> f32 {
    v as f32
}

/// The program of `file`.
pub fn compile(file: &ClfFile) -> Vec<f32> {
    let mut p = vec![word(file.ops.len() as u32)];
    for op in &file.ops {
        let (code, params) = compile_op(op);
        p.push(word(code));
        p.push(word(params.len() as u32));
        p.extend(params);
    }
    p
}

fn compile_op(op: &ClfOp) -> (u32, Vec<f32>) {
    match op {
        ClfOp::Matrix(m) => (MATRIX, m.iter().flat_map(|row| row.map(|v| v as f32)).collect()),
        ClfOp::Lut1d { table, half_domain } => {
            let mut p = vec![word(table.len() as u32), word(u32::from(*half_domain))];
            p.extend(table.iter().flatten());
            (LUT1D, p)
        }
        ClfOp::Lut3d { lut, interpolation } => {
            let mut p = vec![word(lut.size as u32), word(u32::from(*interpolation == Interpolation::Tetrahedral))];
            p.extend(lut.table.iter().flatten());
            (LUT3D, p)
        }
        ClfOp::Range { scale, offset, low, high } => {
            let flags = u32::from(low.is_some()) | u32::from(high.is_some()) << 1;
            let p =
                vec![*scale as f32, *offset as f32, low.unwrap_or(0.0) as f32, high.unwrap_or(0.0) as f32, word(flags)];
            (RANGE, p)
        }
        ClfOp::Log { style, base, params } => log_constants(*style, *base, params),
        ClfOp::Exponent { style, params } => exponent_constants(*style, params),
        ClfOp::Aces2 { inverse, peak, limiting } => {
            let mut p = vec![word(u32::from(*inverse))];
            p.extend(&crate::color::aces2::shared(*peak, limiting).block);
            (ACES2, p)
        }
        ClfOp::Rec2100Surround { gamma, inverse } => {
            // OpenColorIO's renderer: the minimum taken before the power, raised for the inverse.
            let g = *gamma as f32;
            let (min_lum, exponent) = if *inverse { (1e-4f32.powf(g), 1.0 / g - 1.0) } else { (1e-4, g - 1.0) };
            (SURROUND, vec![exponent, min_lum])
        }
        ClfOp::Cdl { slope, offset, power, saturation, style } => {
            let reverse = matches!(style, CdlStyle::Rev | CdlStyle::RevNoClamp);
            let clamp = matches!(style, CdlStyle::Fwd | CdlStyle::Rev);
            // OpenColorIO's reverse renderer: reciprocals of values clamped to at least 0.01.
            let rcp = |v: f64| 1.0 / (v as f32).max(1e-2);
            let mut p = vec![word(u32::from(clamp)), word(u32::from(reverse))];
            if reverse {
                p.extend(slope.map(rcp));
                p.extend(offset.map(|v| -(v as f32)));
                p.extend(power.map(rcp));
                p.push(rcp(*saturation));
            } else {
                p.extend(slope.map(|v| v as f32));
                p.extend(offset.map(|v| v as f32));
                p.extend(power.map(|v| v as f32));
                p.push(*saturation as f32);
            }
            (CDL, p)
        }
    }
}

/// The constants of OpenColorIO's log renderers (`LogOpCPU.cpp`), 8 per channel.
fn log_constants(style: LogStyle, base: f64, params: &[[f64; 6]; 3]) -> (u32, Vec<f32>) {
    let base_f = base as f32;
    let log2_base_f = base_f.log2();
    let renderer = match style {
        LogStyle::Log10 | LogStyle::Log2 => LOG_LOG,
        LogStyle::AntiLog10 | LogStyle::AntiLog2 => LOG_ANTILOG,
        LogStyle::LinToLog => LOG_LIN_TO_LOG,
        LogStyle::LogToLin => LOG_LOG_TO_LIN,
        LogStyle::CameraLinToLog => LOG_CAMERA_LIN_TO_LOG,
        LogStyle::CameraLogToLin => LOG_CAMERA_LOG_TO_LIN,
    };
    let mut p = vec![word(renderer)];
    for [log_slope, log_offset, lin_slope, lin_offset, lin_break, linear_slope] in params.iter().copied() {
        let c: [f32; 8] = match style {
            LogStyle::Log10 | LogStyle::Log2 => [1.0 / log2_base_f, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            LogStyle::AntiLog10 | LogStyle::AntiLog2 => [log2_base_f, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            // m, b, klog, kb.
            LogStyle::LinToLog => [
                lin_slope as f32,
                lin_offset as f32,
                (log_slope / base.log2()) as f32,
                log_offset as f32,
                0.0,
                0.0,
                0.0,
                0.0,
            ],
            // -kb, kinv, -b, 1/m.
            LogStyle::LogToLin => [
                -(log_offset as f32),
                log2_base_f / log_slope as f32,
                -(lin_offset as f32),
                1.0 / lin_slope as f32,
                0.0,
                0.0,
                0.0,
                0.0,
            ],
            LogStyle::CameraLinToLog | LogStyle::CameraLogToLin => {
                // LogUtils.cpp: the linear segment's slope (given or matching the log's at the
                // break), the log side break, and the segment's offset, in f32 as OpenColorIO keeps them.
                let slope = if linear_slope.is_nan() {
                    (log_slope * lin_slope / ((lin_slope * lin_break + lin_offset) * base.ln())) as f32
                } else {
                    linear_slope as f32
                };
                let log_break = ((lin_slope * lin_break + lin_offset) as f32).log2() * (log_slope as f32 / log2_base_f)
                    + log_offset as f32;
                let linear_offset = log_break - slope * lin_break as f32;
                if style == LogStyle::CameraLinToLog {
                    // m, b, klog, kb, lin break, linear slope, linear offset.
                    [
                        lin_slope as f32,
                        lin_offset as f32,
                        (log_slope / f64::from(log2_base_f)) as f32,
                        log_offset as f32,
                        lin_break as f32,
                        slope,
                        linear_offset,
                        0.0,
                    ]
                } else {
                    // -kb, kinv, -b, 1/m, log break, 1/linear slope, -linear offset.
                    [
                        -(log_offset as f32),
                        log2_base_f / log_slope as f32,
                        -(lin_offset as f32),
                        1.0 / lin_slope as f32,
                        log_break,
                        1.0 / slope,
                        -linear_offset,
                        0.0,
                    ]
                }
            }
        };
        p.extend(c);
    }
    (LOG, p)
}

/// The constants of OpenColorIO's gamma renderers (`GammaOpCPU.cpp`, `GammaOpUtils.cpp`), 5 per
/// channel: the power (basic styles), or scale, offset, gamma, break and slope (monitor curves).
fn exponent_constants(style: ExponentStyle, params: &[[f64; 2]; 3]) -> (u32, Vec<f32>) {
    use ExponentStyle::*;
    let renderer = match style {
        BasicFwd | BasicRev => EXP_BASIC,
        BasicMirrorFwd | BasicMirrorRev => EXP_BASIC_MIRROR,
        BasicPassThruFwd | BasicPassThruRev => EXP_BASIC_PASS_THRU,
        MonCurveFwd => EXP_MONCURVE_FWD,
        MonCurveRev => EXP_MONCURVE_REV,
        MonCurveMirrorFwd => EXP_MONCURVE_MIRROR_FWD,
        MonCurveMirrorRev => EXP_MONCURVE_MIRROR_REV,
    };
    let forward = matches!(style, BasicFwd | BasicMirrorFwd | BasicPassThruFwd | MonCurveFwd | MonCurveMirrorFwd);
    const EPS: f64 = 1e-6;
    let mut p = vec![word(renderer)];
    for [exponent, offset] in params.iter().copied() {
        let c: [f32; 5] = if !style.is_moncurve() {
            [(if forward { exponent } else { 1.0 / exponent }) as f32, 0.0, 0.0, 0.0, 0.0]
        } else {
            let g = exponent.max(1.0 + EPS);
            let o = offset.max(EPS);
            if forward {
                let a = (g - 1.0) / o;
                let b = o * g / ((g - 1.0) * (1.0 + o));
                [
                    (1.0 / (1.0 + o)) as f32,
                    (o / (1.0 + o)) as f32,
                    g as f32,
                    (o / (g - 1.0)) as f32,
                    (a * b.powf(g)) as f32,
                ]
            } else {
                let brk = (o * g / ((g - 1.0) * (1.0 + o))).powf(g);
                let slope = ((g - 1.0) / o).powf(g - 1.0) * ((1.0 + o) / g).powf(g);
                [(1.0 + o) as f32, o as f32, (1.0 / g) as f32, brk as f32, slope as f32]
            }
        };
        p.extend(c);
    }
    (EXPONENT, p)
}

fn bits(v: f32) -> u32 {
    v as u32
}

/// `(b − a) · t + a`, OpenColorIO's `lerpf`.
fn lerpf(a: f32, b: f32, t: f32) -> f32 {
    (b - a) * t + a
}

/// True when the program holds an operator too large to fuse with others in one GPU pass (the ACES
/// 2.0 rendering, see `Pointwise::fuses`).
pub fn is_heavy(program: &[f32]) -> bool {
    let Some(count) = program.first() else { return false };
    let mut pc = 1usize;
    for _ in 0..bits(*count) {
        let (Some(code), Some(n)) = (program.get(pc), program.get(pc + 1)) else { return false };
        if bits(*code) == ACES2 {
            return true;
        }
        pc += 2 + bits(*n) as usize;
    }
    false
}

/// Runs `program` (from [`compile`]) on one RGB value.
pub fn run(program: &[f32], rgb: [f32; 3]) -> [f32; 3] {
    let Some(count) = program.first() else { return rgb };
    let mut v = rgb;
    let mut pc = 1usize;
    for _ in 0..bits(*count) {
        let (code, n) = (bits(program[pc]), bits(program[pc + 1]) as usize);
        let p = &program[pc + 2..pc + 2 + n];
        v = match code {
            MATRIX => [0, 1, 2].map(|r| {
                let m = &p[4 * r..4 * r + 4];
                m[0] * v[0] + m[1] * v[1] + m[2] * v[2] + m[3]
            }),
            LUT1D => lut1d(p, v),
            LUT3D => {
                let lattice = TableLattice { size: bits(p[0]) as usize, nodes: &p[2..] };
                let interp = if bits(p[1]) == 1 { Interpolation::Tetrahedral } else { Interpolation::Trilinear };
                lattice.interpolate(v, interp)
            }
            RANGE => v.map(|x| {
                let mut y = x * p[0] + p[1];
                if bits(p[4]) & 1 != 0 {
                    y = y.max(p[2]);
                }
                if bits(p[4]) & 2 != 0 {
                    y = y.min(p[3]);
                }
                y
            }),
            LOG => [0, 1, 2].map(|c| log(bits(p[0]), &p[1 + 8 * c..9 + 8 * c], v[c])),
            EXPONENT => [0, 1, 2].map(|c| exponent(bits(p[0]), &p[1 + 5 * c..6 + 5 * c], v[c])),
            CDL => cdl(p, v),
            ACES2 => {
                let block = &p[1..];
                if bits(p[0]) == 1 {
                    crate::color::aces2::inverse_core(block, v)
                } else {
                    crate::color::aces2::forward_core(block, v)
                }
            }
            SURROUND => {
                let y = (0.2627 * v[0] + 0.6780 * v[1] + 0.0593 * v[2]).abs().max(p[1]);
                let gain = y.powf(p[0]);
                v.map(|c| c * gain)
            }
            _ => v,
        };
        pc += 2 + n;
    }
    v
}

/// A program's LUT3D: `size`³ nodes of three words, red fastest.
struct TableLattice<'a> {
    size: usize,
    nodes: &'a [f32],
}

impl Lattice for TableLattice<'_> {
    fn size(&self) -> usize {
        self.size
    }

    fn domain(&self) -> ([f32; 3], [f32; 3]) {
        ([0.0; 3], [1.0; 3])
    }

    fn node(&self, r: usize, g: usize, b: usize) -> [f32; 3] {
        let at = 3 * (r + self.size * (g + self.size * b));
        [self.nodes[at], self.nodes[at + 1], self.nodes[at + 2]]
    }
}

/// OpenColorIO's `Lut1DRenderer` (over 0..1) and `Lut1DRendererHalfCode` (over the half domain).
fn lut1d(p: &[f32], v: [f32; 3]) -> [f32; 3] {
    let n = bits(p[0]) as usize;
    let entry = |i: usize, c: usize| p[2 + 3 * i + c];
    if bits(p[1]) == 1 {
        return [0, 1, 2].map(|c| {
            let (a, b, f) = half_edges(v[c]);
            lerpf(entry(b, c), entry(a, c), 1.0 - f)
        });
    }
    let last = (n - 1) as f32;
    [0, 1, 2].map(|c| {
        // NaN becomes 0, as max(0, NaN) in C++ returns 0.
        let x = last * v[c];
        let idx = if x > 0.0 { x.min(last) } else { 0.0 };
        let (lo, hi) = (idx.floor() as usize, idx.ceil() as usize);
        lerpf(entry(hi, c), entry(lo, c), hi as f32 - idx)
    })
}

/// The two half floats around `x` (as bit patterns) and where `x` lies between them
/// (`IndexPair::GetEdgeFloatValues` in OpenColorIO's `Lut1DOpCPU.cpp`): the half with `x`'s sign
/// nearest zero that does not pass it, and the next one away from zero. Inputs beyond the largest
/// half (and NaN) read its entry. Integer arithmetic on the bit patterns, as `half_edges` in
/// lut_clf.wgsl: no float to half conversion (whose rounding a GPU may choose) and no subnormal floats.
fn half_edges(x: f32) -> (usize, usize, f32) {
    const MAX_HALF: u32 = 0x7bff;
    let u = x.to_bits();
    let sign = (u >> 16) & 0x8000;
    let mag = u & 0x7fff_ffff;
    // 65504.0, the largest half: at or beyond it (and for NaN), its entry alone.
    if mag >= 0x477f_e000 {
        let at = (sign | MAX_HALF) as usize;
        return (at, at, 0.0);
    }
    let e = (mag >> 23) as i32 - 127;
    let m = (mag & 0x7f_ffff) | 0x80_0000;
    let a = if e < -24 {
        0
    } else if e < -14 {
        m >> (-e - 1) as u32
    } else {
        (((e + 15) as u32) << 10) | ((mag & 0x7f_ffff) >> 13)
    };
    let b = a + 1;
    let (fa, fb) = (half_magnitude(a), half_magnitude(b));
    let f = (f32::from_bits(mag) - fa) / (fb - fa);
    ((sign | a) as usize, (sign | b) as usize, f)
}

/// The value of a half float's magnitude bits (`h` below 0x7c00), exactly.
fn half_magnitude(h: u32) -> f32 {
    if h < 0x400 {
        // Subnormal halves are h · 2⁻²⁴: normal f32 values, an exact product.
        h as f32 * 5.960_464_5e-8
    } else {
        f32::from_bits((((h >> 10) + 112) << 23) | ((h & 0x3ff) << 13))
    }
}

fn log(renderer: u32, k: &[f32], x: f32) -> f32 {
    let min = f32::MIN_POSITIVE;
    match renderer {
        LOG_LOG => x.max(min).log2() * k[0],
        LOG_ANTILOG => (x * k[0]).exp2(),
        LOG_LIN_TO_LOG => (x * k[0] + k[1]).max(min).log2() * k[2] + k[3],
        LOG_LOG_TO_LIN => (((x + k[0]) * k[1]).exp2() + k[2]) * k[3],
        LOG_CAMERA_LIN_TO_LOG => {
            if x < k[4] {
                k[5] * x + k[6]
            } else {
                (x * k[0] + k[1]).max(min).log2() * k[2] + k[3]
            }
        }
        LOG_CAMERA_LOG_TO_LIN => {
            if x < k[4] {
                k[5] * (x + k[6])
            } else {
                (((x + k[0]) * k[1]).exp2() + k[2]) * k[3]
            }
        }
        _ => x,
    }
}

/// `x^e`, exactly `x` for `e = 1` (as C's pow; the GPU's exp2(log2) would not be).
fn power(x: f32, e: f32) -> f32 {
    if e == 1.0 { x } else { x.powf(e) }
}

fn exponent(renderer: u32, k: &[f32], x: f32) -> f32 {
    let moncurve_fwd = |x: f32| if x <= k[3] { x * k[4] } else { power(x * k[0] + k[1], k[2]) };
    let moncurve_rev = |x: f32| if x <= k[3] { x * k[4] } else { power(x, k[2]) * k[0] - k[1] };
    let sign = 1.0f32.copysign(x);
    match renderer {
        EXP_BASIC => power(x.max(0.0), k[0]),
        EXP_BASIC_MIRROR => sign * power(x.abs(), k[0]),
        EXP_BASIC_PASS_THRU => {
            if x > 0.0 {
                power(x, k[0])
            } else {
                x
            }
        }
        EXP_MONCURVE_FWD => moncurve_fwd(x),
        EXP_MONCURVE_REV => moncurve_rev(x),
        EXP_MONCURVE_MIRROR_FWD => sign * moncurve_fwd(x.abs()),
        EXP_MONCURVE_MIRROR_REV => sign * moncurve_rev(x.abs()),
        _ => x,
    }
}

/// OpenColorIO's `CDLRendererFwd` / `CDLRendererRev`.
fn cdl(p: &[f32], v: [f32; 3]) -> [f32; 3] {
    let (clamp, reverse) = (bits(p[0]) == 1, bits(p[1]) == 1);
    let (slope, offset, power3, sat) = (&p[2..5], &p[5..8], &p[8..11], p[11]);
    let clamp01 = |v: [f32; 3]| if clamp { v.map(|x| if x > 0.0 { x.min(1.0) } else { 0.0 }) } else { v };
    // Power with the clamp (NaN to 0 first), or without it (negatives pass, NaN becomes 0).
    let pow = |v: [f32; 3]| {
        [0, 1, 2].map(|c| {
            let x = v[c];
            if clamp {
                (if x > 0.0 { x.min(1.0) } else { 0.0 }).powf(power3[c])
            } else if x.is_nan() {
                0.0
            } else if x < 0.0 {
                x
            } else {
                x.powf(power3[c])
            }
        })
    };
    let saturate = |v: [f32; 3]| {
        let luma = v[0] * 0.2126 + v[1] * 0.7152 + v[2] * 0.0722;
        v.map(|x| luma + sat * (x - luma))
    };
    if reverse {
        let v = saturate(clamp01(v));
        let v = pow(v);
        clamp01([0, 1, 2].map(|c| (v[c] + offset[c]) * slope[c]))
    } else {
        let v = [0, 1, 2].map(|c| v[c] * slope[c] + offset[c]);
        clamp01(saturate(pow(v)))
    }
}
