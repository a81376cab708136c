//! The CLF reader: XML to normalised [`ClfOp`]s, every value brought to normalised floats as
//! OpenColorIO does, and everything the file breaks reported with the file and the line (see
//! [`super::clf`]).

use std::path::Path;

use roxmltree::{Document, Node};

use super::cdl::xml_error;
use super::clf::*;
use super::cube::{Interpolation, Lut3d};
use super::error::read_text;
use super::{InterchangeError, Result, strip_bom};

/// A bit depth's full-range code value (the scale normalised values are multiplied by in the file).
fn bit_depth_scale(name: &str) -> Option<f64> {
    Some(match name {
        "8i" => 255.0,
        "10i" => 1023.0,
        "12i" => 4095.0,
        "16i" => 65535.0,
        "16f" | "32f" => 1.0,
        _ => return None,
    })
}

/// Reads a `.clf` file.
pub fn read_clf(path: &Path) -> Result<ClfFile> {
    let (text, name) = read_text(path)?;
    parse_clf(&text, &name)
}

/// Parses CLF XML; `source_name` names it in errors.
pub fn parse_clf(text: &str, source_name: &str) -> Result<ClfFile> {
    let text = strip_bom(text);
    let doc = Document::parse(text).map_err(|e| xml_error(text, source_name, e))?;
    let r = Reader { doc: &doc, file: source_name };
    let root = doc.root_element();
    if root.tag_name().name() != "ProcessList" {
        return Err(r.error(
            root,
            format!("not a CLF file: the root element is <{}>, not <ProcessList>", root.tag_name().name()),
        ));
    }
    let version = r.version(root)?;
    let smpte = root.tag_name().namespace() == Some(SMPTE_NAMESPACE);
    match root.attribute("id") {
        Some("") => return Err(r.error(root, "the ProcessList's 'id' attribute is empty".into())),
        None if !smpte && version < (3, 1) => {
            return Err(r.error(root, "the ProcessList has no 'id' attribute (required before ST 2136-1)".into()));
        }
        _ => {}
    }
    let mut file = ClfFile {
        id: root.attribute("id").map(str::to_string),
        name: root.attribute("name").map(str::to_string),
        ..ClfFile::default()
    };
    let mut depth: Option<(&str, Node)> = None;
    for node in root.children().filter(Node::is_element) {
        match node.tag_name().name() {
            "Description" => file.descriptions.push(all_text(node).trim().to_string()),
            "InputDescriptor" => file.input_descriptor = Some(all_text(node).trim().to_string()),
            "OutputDescriptor" => file.output_descriptor = Some(all_text(node).trim().to_string()),
            "Info" => {}
            "Id" => {
                r.smpte_id(node)?;
                // ST 2136-1 moves the id into an element; the attribute, where both exist, wins.
                if file.id.is_none() {
                    file.id = node.text().map(|t| t.trim().to_string());
                }
            }
            op if !["Matrix", "LUT1D", "LUT3D", "Range", "Log", "Exponent", "ASC_CDL"].contains(&op) => {
                return Err(r.error(node, format!("unknown element <{op}> in the ProcessList")));
            }
            op => {
                let (in_depth, out_depth) = (r.bit_depth(node, "inBitDepth")?, r.bit_depth(node, "outBitDepth")?);
                if let Some((previous, _)) = depth
                    && previous != in_depth
                {
                    return Err(r.error(
                        node,
                        format!("bit-depth mismatch between ops: the previous op's outBitDepth is '{previous}', this op's inBitDepth is '{in_depth}'"),
                    ));
                }
                depth = Some((out_depth, node));
                let scales = (bit_depth_scale(in_depth).unwrap_or(1.0), bit_depth_scale(out_depth).unwrap_or(1.0));
                let parsed = match op {
                    "Matrix" => r.matrix(node, scales)?,
                    "LUT1D" => r.lut1d(node, scales)?,
                    "LUT3D" => r.lut3d(node, scales)?,
                    "Range" => r.range(node, scales)?,
                    "Log" if version >= (3, 0) => r.log(node)?,
                    "Exponent" if version >= (3, 0) => r.exponent(node)?,
                    "Log" | "Exponent" => {
                        return Err(r.error(
                            node,
                            format!("CLF version {}.{} does not have the {op} operator", version.0, version.1),
                        ));
                    }
                    "ASC_CDL" => r.cdl(node)?,
                    other => return Err(r.error(node, format!("unknown element <{other}> in the ProcessList"))),
                };
                file.ops.push(parsed);
            }
        }
    }
    if file.ops.is_empty() {
        return Err(r.error(root, "the ProcessList holds no operator".into()));
    }
    Ok(file)
}

/// Parsing context: the document (for line numbers) and the file name.
struct Reader<'a, 'i> {
    doc: &'a Document<'i>,
    file: &'a str,
}

/// All the text inside `node`, comments left out (an array's values may be split by comments).
fn all_text(node: Node) -> String {
    node.descendants().filter(Node::is_text).filter_map(|n| n.text()).collect::<Vec<_>>().join(" ")
}

/// Element children of `node` (comments and text skipped).
fn elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

impl<'i> Reader<'_, 'i> {
    fn error(&self, node: Node, message: String) -> InterchangeError {
        let line = self.doc.text_pos_at(node.range().start).row as usize;
        InterchangeError::parse(self.file, line, message)
    }

    /// (major, minor) of the file's CLF version.
    fn version(&self, root: Node) -> Result<(u32, u32)> {
        let ns = root.tag_name().namespace();
        let version = match root.attribute("compCLFversion") {
            Some("ST2136-1:2024") => return Ok((3, 0)),
            Some(v) => {
                let parts: Vec<&str> = v.trim().split('.').collect();
                let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
                match numbers {
                    Some(n) if (1..=3).contains(&n.len()) => (n[0], n.get(1).copied().unwrap_or(0)),
                    _ => {
                        return Err(self.error(
                            root,
                            format!("'{v}' is not a valid compCLFversion (expected 'ST2136-1:2024' or MAJOR[.MINOR[.REVISION]])"),
                        ));
                    }
                }
            }
            None if ns == Some(SMPTE_NAMESPACE) => return Ok((3, 0)),
            None => {
                return Err(self.error(
                    root,
                    "no compCLFversion attribute and no ST 2136-1 xmlns: not a CLF version this reader knows".into(),
                ));
            }
        };
        if version > (3, 0) {
            return Err(self.error(
                root,
                format!("CLF version {}.{} is newer than this reader (up to 3.0)", version.0, version.1),
            ));
        }
        Ok(version)
    }

    /// An `<Id>` element must be `urn:uuid:` and a UUID (ST 2136-1).
    fn smpte_id(&self, node: Node) -> Result<()> {
        let text = node.text().unwrap_or_default().trim();
        let uuid = text.strip_prefix("urn:uuid:").unwrap_or("");
        let groups: Vec<&str> = uuid.split('-').collect();
        let lengths = [8, 4, 4, 4, 12];
        let valid = groups.len() == 5
            && groups.iter().zip(lengths).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
        if valid { Ok(()) } else { Err(self.error(node, format!("'{text}' is not an ST 2136-1 Id (urn:uuid:<UUID>)"))) }
    }

    fn bit_depth<'n>(&self, node: Node<'n, 'i>, attribute: &str) -> Result<&'n str> {
        let Some(value) = node.attribute(attribute) else {
            return Err(self.error(node, format!("<{}> has no {attribute}", node.tag_name().name())));
        };
        if bit_depth_scale(value).is_none() {
            return Err(self.error(node, format!("{attribute} '{value}' is not one of 8i, 10i, 12i, 16i, 16f, 32f")));
        }
        Ok(value)
    }

    /// The op's children other than Description, each name checked against `allowed`.
    fn children<'n>(&self, node: Node<'n, 'i>, allowed: &[&str]) -> Result<Vec<Node<'n, 'i>>> {
        let mut out = Vec::new();
        for child in elements(node) {
            let name = child.tag_name().name();
            if name == "Description" {
                continue;
            }
            if name == "IndexMap" {
                return Err(self.error(child, "<IndexMap> is not valid since CLF 3".into()));
            }
            if !allowed.contains(&name) {
                return Err(self.error(child, format!("unknown element <{name}> in <{}>", node.tag_name().name())));
            }
            out.push(child);
        }
        Ok(out)
    }

    fn numbers(&self, node: Node, text: &str, what: &str) -> Result<Vec<f64>> {
        text.split_whitespace()
            .map(|t| t.parse::<f64>().map_err(|_| self.error(node, format!("'{t}' is not a number in the {what}"))))
            .collect()
    }

    fn one_array<'n>(&self, node: Node<'n, 'i>) -> Result<(Vec<usize>, Vec<f64>, Node<'n, 'i>)> {
        let arrays: Vec<Node> = self.children(node, &["Array"])?;
        let op = node.tag_name().name();
        let [array] = arrays[..] else {
            return Err(self.error(node, format!("<{op}> needs one <Array>, found {}", arrays.len())));
        };
        let dim =
            array.attribute("dim").ok_or_else(|| self.error(array, format!("the <Array> of <{op}> has no 'dim'")))?;
        let dims: Option<Vec<usize>> = dim.split_whitespace().map(|d| d.parse().ok()).collect();
        let dims = dims.ok_or_else(|| self.error(array, format!("'{dim}' is not a list of array dimensions")))?;
        let values = self.numbers(array, &all_text(array), &format!("array of <{op}>"))?;
        Ok((dims, values, array))
    }

    fn matrix(&self, node: Node, (in_scale, out_scale): (f64, f64)) -> Result<ClfOp> {
        let (dims, values, array) = self.one_array(node)?;
        let (rows, cols) = match dims[..] {
            [r, c] | [r, c, 3] | [r, c, 4] if (r == 3 || r == 4) && (3..=5).contains(&c) && c >= r => (r, c),
            _ => return Err(self.error(array, format!("illegal Matrix dimensions {}", dim_text(&dims)))),
        };
        if values.len() != rows * cols {
            return Err(self
                .error(array, format!("a {rows}x{cols} Matrix needs {} values, found {}", rows * cols, values.len())));
        }
        let offset_col = if cols == rows + 1 { Some(rows) } else { None };
        let mut m = [[0.0; 4]; 3];
        for (r, row) in m.iter_mut().enumerate() {
            for c in 0..3 {
                row[c] = values[r * cols + c] * in_scale / out_scale;
            }
            row[3] = offset_col.map_or(0.0, |c| values[r * cols + c] / out_scale);
        }
        Ok(ClfOp::Matrix(m))
    }

    fn lut1d(&self, node: Node, (_, out_scale): (f64, f64)) -> Result<ClfOp> {
        let flag =
            |name: &str| -> Result<bool> {
                match node.attribute(name) {
                    None => Ok(false),
                    Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
                    Some(v) => Err(self
                        .error(node, format!("illegal '{name}' value '{v}' in <LUT1D> (only \"true\" may be given)"))),
                }
            };
        let (half_domain, raw_halfs) = (flag("halfDomain")?, flag("rawHalfs")?);
        if let Some(h) = node.attribute("hueAdjust") {
            return Err(self.error(node, format!("<LUT1D> hueAdjust '{h}' is not supported")));
        }
        let (dims, values, array) = self.one_array(node)?;
        let (n, channels) = match dims[..] {
            [n, c] if n >= 2 && (c == 1 || c == 3) => (n, c),
            _ => return Err(self.error(array, format!("illegal LUT1D dimensions {}", dim_text(&dims)))),
        };
        if values.len() != n * channels {
            return Err(
                self.error(array, format!("a {n}-entry LUT1D needs {} values, found {}", n * channels, values.len()))
            );
        }
        if half_domain && n != 65536 {
            return Err(self.error(array, format!("a halfDomain LUT1D needs 65536 entries, found {n}")));
        }
        let value = |v: f64| -> Result<f32> {
            if raw_halfs {
                if !((0.0..=65535.0).contains(&v) && v.fract() == 0.0) {
                    return Err(self.error(array, format!("{v} is not a half-float bit pattern (rawHalfs)")));
                }
                Ok(half::f16::from_bits(v as u16).to_f32() / out_scale as f32)
            } else {
                Ok((v / out_scale) as f32)
            }
        };
        let mut table = Vec::with_capacity(n);
        for i in 0..n {
            let entry = if channels == 1 {
                [value(values[i])?; 3]
            } else {
                [value(values[3 * i])?, value(values[3 * i + 1])?, value(values[3 * i + 2])?]
            };
            table.push(entry);
        }
        Ok(ClfOp::Lut1d { table, half_domain })
    }

    fn lut3d(&self, node: Node, (_, out_scale): (f64, f64)) -> Result<ClfOp> {
        let interpolation = match node.attribute("interpolation") {
            None | Some("trilinear") => Interpolation::Trilinear,
            Some("tetrahedral") => Interpolation::Tetrahedral,
            Some(other) => {
                return Err(
                    self.error(node, format!("<LUT3D> interpolation '{other}' is not trilinear or tetrahedral"))
                );
            }
        };
        let (dims, values, array) = self.one_array(node)?;
        let n = match dims[..] {
            [a, b, c, 3] if a == b && b == c && (2..=256).contains(&a) => a,
            _ => return Err(self.error(array, format!("illegal LUT3D dimensions {}", dim_text(&dims)))),
        };
        if values.len() != n * n * n * 3 {
            return Err(
                self.error(array, format!("a {n}³ LUT3D needs {} values, found {}", n * n * n * 3, values.len()))
            );
        }
        // The file runs blue fastest, red slowest; `Lut3d` is red fastest.
        let mut table = vec![[0.0f32; 3]; n * n * n];
        for r in 0..n {
            for g in 0..n {
                for b in 0..n {
                    let at = 3 * ((r * n + g) * n + b);
                    table[r + n * (g + n * b)] = [0, 1, 2].map(|c| (values[at + c] / out_scale) as f32);
                }
            }
        }
        let lut = Lut3d { size: n, domain_min: [0.0; 3], domain_max: [1.0; 3], table };
        Ok(ClfOp::Lut3d { lut, interpolation })
    }

    fn range(&self, node: Node, (in_scale, out_scale): (f64, f64)) -> Result<ClfOp> {
        let clamp = match node.attribute("style") {
            None => true,
            Some(s) if s.eq_ignore_ascii_case("clamp") => true,
            Some(s) if s.eq_ignore_ascii_case("noClamp") => false,
            Some(s) => return Err(self.error(node, format!("<Range> style '{s}' is not Clamp or noClamp"))),
        };
        let mut bounds = [None; 4];
        let names = ["minInValue", "maxInValue", "minOutValue", "maxOutValue"];
        for child in self.children(node, &names)? {
            let i = names.iter().position(|n| *n == child.tag_name().name()).unwrap_or(0);
            let v = self.numbers(child, &all_text(child), child.tag_name().name())?;
            let [v] = v[..] else { return Err(self.error(child, format!("<{}> needs one number", names[i]))) };
            bounds[i] = Some(v / if i < 2 { in_scale } else { out_scale });
        }
        let [min_in, max_in, min_out, max_out] = bounds;
        let bad = |m: &str| Err(self.error(node, m.to_string()));
        if min_in.is_some() != min_out.is_some() || max_in.is_some() != max_out.is_some() {
            return bad("<Range> in and out limits must both be given or both be missing");
        }
        if min_in.is_none() && max_in.is_none() {
            return bad("<Range> needs a minimum or a maximum");
        }
        if !clamp && (min_in.is_none() || max_in.is_none()) {
            return bad("a noClamp <Range> needs both minimum and maximum values");
        }
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
        let (scale, offset) = match (min_in, max_in, min_out, max_out) {
            (Some(a), Some(b), Some(c), Some(d)) => {
                if a > b || c > d {
                    return bad("<Range> maximum values must not be below the minimum ones");
                }
                if (b - a).abs() < 1e-6 {
                    return bad("<Range> maxInValue is too close to minInValue");
                }
                let scale = (d - c) / (b - a);
                (scale, c - scale * a)
            }
            (Some(a), None, Some(c), None) if !close(a, c) => {
                return bad("<Range> with only minimum values needs equal minInValue and minOutValue");
            }
            (None, Some(b), None, Some(d)) if !close(b, d) => {
                return bad("<Range> with only maximum values needs equal maxInValue and maxOutValue");
            }
            _ => (1.0, 0.0),
        };
        let (low, high) = if clamp { (min_out, max_out) } else { (None, None) };
        Ok(ClfOp::Range { scale, offset, low, high })
    }

    fn log(&self, node: Node) -> Result<ClfOp> {
        let style_name = node.attribute("style").ok_or_else(|| self.error(node, "<Log> has no style".into()))?;
        let Some((_, style)) = LogStyle::NAMES.iter().find(|(n, _)| *n == style_name) else {
            return Err(self.error(node, format!("<Log> style '{style_name}' is not one of log10, antiLog10, log2, antiLog2, linToLog, logToLin, cameraLinToLog, cameraLogToLin")));
        };
        let style = *style;
        let default_base = match style {
            LogStyle::Log10 | LogStyle::AntiLog10 => 10.0,
            _ => 2.0,
        };
        // log side slope, log side offset, lin side slope, lin side offset, lin side break, linear slope.
        let defaults = [1.0, 0.0, 1.0, 0.0, f64::NAN, f64::NAN];
        let mut params = [defaults; 3];
        let mut base = default_base;
        let children = self.children(node, &["LogParams"])?;
        if !style.takes_params() && !children.is_empty() {
            return Err(self.error(children[0], format!("<Log> style '{style_name}' takes no <LogParams>")));
        }
        let names = ["logSideSlope", "logSideOffset", "linSideSlope", "linSideOffset", "linSideBreak", "linearSlope"];
        for p in &children {
            let channels: &[usize] = match p.attribute("channel") {
                None => &[0, 1, 2],
                Some("R") => &[0],
                Some("G") => &[1],
                Some("B") => &[2],
                Some(c) => return Err(self.error(*p, format!("<LogParams> channel '{c}' is not R, G or B"))),
            };
            let mut values = defaults;
            for attr in p.attributes() {
                let value = || -> Result<f64> {
                    attr.value().trim().parse().map_err(|_| {
                        self.error(*p, format!("<LogParams> {} '{}' is not a number", attr.name(), attr.value()))
                    })
                };
                match attr.name() {
                    "channel" => {}
                    "base" => base = value()?,
                    name => match names.iter().position(|n| *n == name) {
                        Some(4 | 5) if !style.is_camera() => {
                            return Err(self.error(
                                *p,
                                format!("<LogParams> {name} is only for the cameraLinToLog and cameraLogToLin styles"),
                            ));
                        }
                        Some(i) => values[i] = value()?,
                        None => return Err(self.error(*p, format!("unknown <LogParams> attribute '{name}'"))),
                    },
                }
            }
            if style.is_camera() && values[4].is_nan() {
                return Err(self.error(*p, format!("<LogParams> needs linSideBreak for the style {style_name}")));
            }
            for c in channels {
                params[*c] = values;
            }
        }
        if style.is_camera() && (children.is_empty() || params.iter().any(|p| p[4].is_nan())) {
            return Err(self
                .error(node, format!("the style {style_name} needs <LogParams> with linSideBreak for every channel")));
        }
        if !(base > 0.0 && base != 1.0) {
            return Err(self.error(node, format!("<Log> base {base} must be above 0 and not 1")));
        }
        if params.iter().any(|p| p[0] == 0.0 || p[2] == 0.0) {
            return Err(self.error(node, "<LogParams> logSideSlope and linSideSlope must not be 0".into()));
        }
        Ok(ClfOp::Log { style, base, params })
    }

    fn exponent(&self, node: Node) -> Result<ClfOp> {
        let style_name = node.attribute("style").ok_or_else(|| self.error(node, "<Exponent> has no style".into()))?;
        let Some((_, style)) = ExponentStyle::NAMES.iter().find(|(n, _)| *n == style_name) else {
            return Err(self.error(node, format!("<Exponent> style '{style_name}' is not a CLF exponent style")));
        };
        let style = *style;
        let mut params = [[1.0, 0.0]; 3];
        let children = self.children(node, &["ExponentParams"])?;
        if children.is_empty() {
            return Err(self.error(node, "<Exponent> needs <ExponentParams>".into()));
        }
        for p in &children {
            let channels: &[usize] = match p.attribute("channel") {
                None => &[0, 1, 2],
                Some("R") => &[0],
                Some("G") => &[1],
                Some("B") => &[2],
                Some(c) => return Err(self.error(*p, format!("<ExponentParams> channel '{c}' is not R, G or B"))),
            };
            let number = |name: &str| -> Result<Option<f64>> {
                p.attribute(name)
                    .map(|v| {
                        v.trim()
                            .parse()
                            .map_err(|_| self.error(*p, format!("<ExponentParams> {name} '{v}' is not a number")))
                    })
                    .transpose()
            };
            let exponent =
                number("exponent")?.ok_or_else(|| self.error(*p, "<ExponentParams> has no exponent".into()))?;
            let offset = number("offset")?;
            if offset.is_some() && !style.is_moncurve() {
                return Err(self
                    .error(*p, format!("<ExponentParams> offset is only for the monCurve styles, not {style_name}")));
            }
            let (lo, hi) = if style.is_moncurve() { (1.0, 10.0) } else { (0.01, 100.0) };
            if !(lo..=hi).contains(&exponent) {
                return Err(self.error(*p, format!("<ExponentParams> exponent {exponent} is outside {lo}..{hi}")));
            }
            let offset = offset.unwrap_or(0.0);
            if style.is_moncurve() && !(0.0..=0.9).contains(&offset) {
                return Err(self.error(*p, format!("<ExponentParams> offset {offset} is outside 0..0.9")));
            }
            for c in channels {
                params[*c] = [exponent, offset];
            }
        }
        Ok(ClfOp::Exponent { style, params })
    }

    fn cdl(&self, node: Node) -> Result<ClfOp> {
        let style = match node.attribute("style") {
            // CLF's default (OpenColorIO's own default is no-clamp).
            None | Some("Fwd") => CdlStyle::Fwd,
            Some("Rev") => CdlStyle::Rev,
            Some("FwdNoClamp") => CdlStyle::FwdNoClamp,
            Some("RevNoClamp") => CdlStyle::RevNoClamp,
            Some(s) => {
                return Err(
                    self.error(node, format!("<ASC_CDL> style '{s}' is not Fwd, Rev, FwdNoClamp or RevNoClamp"))
                );
            }
        };
        let (mut slope, mut offset, mut power, mut saturation) = ([1.0; 3], [0.0; 3], [1.0; 3], 1.0);
        for child in self.children(node, &["SOPNode", "SatNode"])? {
            if child.tag_name().name() == "SOPNode" {
                let mut found = [false; 3];
                for part in self.children(child, &["Slope", "Offset", "Power"])? {
                    let name = part.tag_name().name();
                    let v = self.numbers(part, &all_text(part), name)?;
                    let [a, b, c] = v[..] else { return Err(self.error(part, format!("<{name}> needs 3 values"))) };
                    let i = ["Slope", "Offset", "Power"].iter().position(|n| *n == name).unwrap_or(0);
                    *[&mut slope, &mut offset, &mut power][i] = [a, b, c];
                    found[i] = true;
                }
                if let Some(i) = found.iter().position(|f| !f) {
                    let name = ["Slope", "Offset", "Power"][i];
                    return Err(self.error(child, format!("<SOPNode> has no <{name}>")));
                }
            } else {
                let sat: Vec<Node> = self.children(child, &["Saturation"])?;
                let [s] = sat[..] else { return Err(self.error(child, "<SatNode> needs one <Saturation>".into())) };
                let v = self.numbers(s, &all_text(s), "Saturation")?;
                let [v] = v[..] else { return Err(self.error(s, "<Saturation> needs one value".into())) };
                saturation = v;
            }
        }
        if slope.iter().any(|v| *v < 0.0) {
            return Err(self.error(node, format!("<ASC_CDL> slope {slope:?} must not be negative")));
        }
        if power.iter().any(|v| *v <= 0.0) {
            return Err(self.error(node, format!("<ASC_CDL> power {power:?} must be above 0")));
        }
        if saturation < 0.0 {
            return Err(self.error(node, format!("<ASC_CDL> saturation {saturation} must not be negative")));
        }
        Ok(ClfOp::Cdl { slope, offset, power, saturation, style })
    }
}

fn dim_text(dims: &[usize]) -> String {
    dims.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" ")
}
