//! Writing a [`ClfFile`] as Academy CLF 3.0 XML (which OpenColorIO 2, Resolve and every ST 2136-1
//! reader take): every op at 32-bit float depth, numbers printed so that they read back as the same
//! f32 (or f64) value, 3D tables blue fastest as the format orders them.
//!
//! Ops whose value has more than one spelling are written in the plainest: a Range that scales
//! without clamping is a Matrix (a `noClamp` Range would need both ends), one that scales and clamps
//! at only one end is a Matrix and a clamping Range; a half-domain LUT1D whose entries are all half
//! floats is written with `rawHalfs`, as such files usually are.

use std::fmt::Write as _;

use super::cdl::escape;
use super::clf::{CdlStyle, ClfFile, ClfOp, ExponentStyle, LogStyle};
use super::cube::Interpolation;
use super::{InterchangeError, Result};

/// The file's CLF 3.0 text. Fails only on text XML cannot hold (control characters in names).
pub fn to_clf_string(file: &ClfFile) -> Result<String> {
    if file.ops.is_empty() {
        return Err(InterchangeError::Unwritable { what: "CLF", reason: "a ProcessList needs an operator".into() });
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let id = escape(file.id.as_deref().unwrap_or("cinegrade"))?;
    let _ = write!(out, "<ProcessList compCLFversion=\"3.0\" id=\"{id}\"");
    if let Some(name) = &file.name {
        let _ = write!(out, " name=\"{}\"", escape(name)?);
    }
    out.push_str(">\n");
    for d in &file.descriptions {
        let _ = writeln!(out, "    <Description>{}</Description>", escape(d)?);
    }
    if let Some(d) = &file.input_descriptor {
        let _ = writeln!(out, "    <InputDescriptor>{}</InputDescriptor>", escape(d)?);
    }
    if let Some(d) = &file.output_descriptor {
        let _ = writeln!(out, "    <OutputDescriptor>{}</OutputDescriptor>", escape(d)?);
    }
    for op in &file.ops {
        if let ClfOp::Aces2 { .. } | ClfOp::Rec2100Surround { .. } = op {
            return Err(InterchangeError::Unwritable {
                what: "CLF",
                reason: "the ACES 2.0 rendering and the Rec.2100 surround correction are not CLF operators".into(),
            });
        }
        write_op(&mut out, op);
    }
    out.push_str("</ProcessList>\n");
    Ok(out)
}

const DEPTHS: &str = "inBitDepth=\"32f\" outBitDepth=\"32f\"";

fn write_op(out: &mut String, op: &ClfOp) {
    match op {
        // Refused by `to_clf_string` before writing.
        ClfOp::Aces2 { .. } | ClfOp::Rec2100Surround { .. } => {}
        ClfOp::Matrix(m) => write_matrix(out, m),
        ClfOp::Lut1d { table, half_domain } => {
            let raw = *half_domain && table.iter().flatten().all(|v| is_half(*v));
            let flags = match (*half_domain, raw) {
                (true, true) => " halfDomain=\"true\" rawHalfs=\"true\"",
                (true, false) => " halfDomain=\"true\"",
                _ => "",
            };
            let _ = writeln!(out, "    <LUT1D {DEPTHS}{flags}>\n        <Array dim=\"{} 3\">", table.len());
            for e in table {
                if raw {
                    let [r, g, b] = e.map(|v| half::f16::from_f32(v).to_bits());
                    let _ = writeln!(out, "{r} {g} {b}");
                } else {
                    let _ = writeln!(out, "{} {} {}", e[0], e[1], e[2]);
                }
            }
            out.push_str("        </Array>\n    </LUT1D>\n");
        }
        ClfOp::Lut3d { lut, interpolation } => {
            let interp = match interpolation {
                Interpolation::Tetrahedral => "tetrahedral",
                Interpolation::Trilinear => "trilinear",
            };
            let n = lut.size;
            let _ =
                writeln!(out, "    <LUT3D {DEPTHS} interpolation=\"{interp}\">\n        <Array dim=\"{n} {n} {n} 3\">");
            for r in 0..n {
                for g in 0..n {
                    for b in 0..n {
                        let e = lut.table[r + n * (g + n * b)];
                        let _ = writeln!(out, "{} {} {}", e[0], e[1], e[2]);
                    }
                }
            }
            out.push_str("        </Array>\n    </LUT3D>\n");
        }
        ClfOp::Range { scale, offset, low, high } => write_range(out, *scale, *offset, *low, *high),
        ClfOp::Log { style, base, params } => {
            let name = LogStyle::NAMES.iter().find(|(_, s)| s == style).map_or("log10", |(n, _)| n);
            let _ = writeln!(out, "    <Log {DEPTHS} style=\"{name}\">");
            if style.takes_params() {
                let names =
                    ["logSideSlope", "logSideOffset", "linSideSlope", "linSideOffset", "linSideBreak", "linearSlope"];
                for (channel, p) in channels(params) {
                    let _ = write!(out, "        <LogParams{channel} base=\"{base}\"");
                    for (name, v) in names.iter().zip(p) {
                        if !v.is_nan() {
                            let _ = write!(out, " {name}=\"{v}\"");
                        }
                    }
                    out.push_str("/>\n");
                }
            }
            out.push_str("    </Log>\n");
        }
        ClfOp::Exponent { style, params } => {
            let name = ExponentStyle::NAMES.iter().find(|(_, s)| s == style).map_or("basicFwd", |(n, _)| n);
            let _ = writeln!(out, "    <Exponent {DEPTHS} style=\"{name}\">");
            for (channel, [exponent, offset]) in channels(params) {
                let _ = write!(out, "        <ExponentParams{channel} exponent=\"{exponent}\"");
                if style.is_moncurve() {
                    let _ = write!(out, " offset=\"{offset}\"");
                }
                out.push_str("/>\n");
            }
            out.push_str("    </Exponent>\n");
        }
        ClfOp::Cdl { slope, offset, power, saturation, style } => {
            let style = match style {
                CdlStyle::Fwd => "Fwd",
                CdlStyle::Rev => "Rev",
                CdlStyle::FwdNoClamp => "FwdNoClamp",
                CdlStyle::RevNoClamp => "RevNoClamp",
            };
            let three = |v: &[f64; 3]| format!("{} {} {}", v[0], v[1], v[2]);
            let _ = writeln!(out, "    <ASC_CDL {DEPTHS} style=\"{style}\">");
            let _ = writeln!(
                out,
                "        <SOPNode>\n            <Slope>{}</Slope>\n            <Offset>{}</Offset>\n            <Power>{}</Power>\n        </SOPNode>",
                three(slope),
                three(offset),
                three(power)
            );
            let _ = writeln!(
                out,
                "        <SatNode>\n            <Saturation>{saturation}</Saturation>\n        </SatNode>"
            );
            out.push_str("    </ASC_CDL>\n");
        }
    }
}

/// One set of parameters for all channels when they agree, else one per channel.
fn channels<T: PartialEq + Copy + std::fmt::Debug>(params: &[T; 3]) -> Vec<(&'static str, T)> {
    // NaN (a parameter not given) compares unequal to itself: compare the debug text instead.
    let same = |a: &T, b: &T| a == b || format!("{a:?}") == format!("{b:?}");
    if same(&params[0], &params[1]) && same(&params[1], &params[2]) {
        vec![("", params[0])]
    } else {
        vec![(" channel=\"R\"", params[0]), (" channel=\"G\"", params[1]), (" channel=\"B\"", params[2])]
    }
}

fn is_half(v: f32) -> bool {
    let h = half::f16::from_f32(v);
    h.to_f32().to_bits() == v.to_bits() || (v.is_nan() && h.is_nan())
}

fn write_matrix(out: &mut String, m: &[[f64; 4]; 3]) {
    let _ = writeln!(out, "    <Matrix {DEPTHS}>\n        <Array dim=\"3 4\">");
    for row in m {
        let _ = writeln!(out, "{} {} {} {}", row[0], row[1], row[2], row[3]);
    }
    out.push_str("        </Array>\n    </Matrix>\n");
}

fn write_range(out: &mut String, scale: f64, offset: f64, low: Option<f64>, high: Option<f64>) {
    let clamp_only = |out: &mut String, low: Option<f64>, high: Option<f64>| {
        let _ = writeln!(out, "    <Range {DEPTHS}>");
        if let Some(l) = low {
            let _ = writeln!(out, "        <minInValue>{l}</minInValue>\n        <minOutValue>{l}</minOutValue>");
        }
        if let Some(h) = high {
            let _ = writeln!(out, "        <maxInValue>{h}</maxInValue>\n        <maxOutValue>{h}</maxOutValue>");
        }
        out.push_str("    </Range>\n");
    };
    let identity = scale == 1.0 && offset == 0.0;
    match (low, high) {
        (Some(l), Some(h)) if scale > 0.0 && l < h => {
            // out = in · scale + offset over [min in, max in] → [low, high].
            let (min_in, max_in) = ((l - offset) / scale, (h - offset) / scale);
            let _ = writeln!(
                out,
                "    <Range {DEPTHS}>\n        <minInValue>{min_in}</minInValue>\n        <maxInValue>{max_in}</maxInValue>\n        <minOutValue>{l}</minOutValue>\n        <maxOutValue>{h}</maxOutValue>\n    </Range>"
            );
        }
        (Some(l), Some(h)) if l == h => {
            write_matrix(out, &[[0.0, 0.0, 0.0, l], [0.0, 0.0, 0.0, l], [0.0, 0.0, 0.0, l]]);
        }
        _ => {
            if !identity || (low.is_none() && high.is_none()) {
                write_matrix(out, &[[scale, 0.0, 0.0, offset], [0.0, scale, 0.0, offset], [0.0, 0.0, scale, offset]]);
            }
            if low.is_some() || high.is_some() {
                clamp_only(out, low, high);
            }
        }
    }
}
