//! ASC CDL XML files: `.cc` (ColorCorrection), `.ccc` (ColorCorrectionCollection) and `.cdl`
//! (ColorDecisionList of ColorDecision elements), ASC CDL v1.2 (2009), "XML Formats".
//!
//! Reading is namespace-agnostic (`urn:ASC:CDL:v1.01`, `urn:ASC:CDL:v1.2` or none) and picks the kind
//! by the root element, not the extension. Besides `SOPNode`/`SatNode` it accepts the spellings
//! `SATNode` (common in the wild) and `ASC_SOP`/`ASC_SAT` (accepted by OpenColorIO). Writing produces
//! v1.2 XML in the `urn:ASC:CDL:v1.2` namespace.

use std::fmt::Write as _;
use std::path::Path;

use roxmltree::{Document, Node};
use serde::{Deserialize, Serialize};

use super::error::{InterchangeError, Result, read_text};
use super::strip_bom;
use crate::color::cdl::Cdl;

/// The namespace the writers use (ASC CDL v1.2).
pub const ASC_CDL_NAMESPACE: &str = "urn:ASC:CDL:v1.2";

/// One `ColorCorrection` element: its id, its descriptions and its ten numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ColorCorrection {
    /// The `id` attribute; an empty id counts as none.
    pub id: Option<String>,
    /// `Description` texts in document order: the ColorCorrection's own, then SOPNode's, then SatNode's.
    pub description: Vec<String>,
    /// Slope, offset, power and saturation (neutral where the file leaves a node out).
    pub cdl: Cdl,
}

/// Checks the ASC CDL v1.2 value rules: slope >= 0, power > 0, saturation >= 0, all finite.
pub(crate) fn check_cdl_values(cdl: &Cdl) -> std::result::Result<(), String> {
    let all = cdl.slope.iter().chain(&cdl.offset).chain(&cdl.power).chain([&cdl.saturation]);
    if all.into_iter().any(|v| !v.is_finite()) {
        return Err("values must be finite".into());
    }
    if let Some(s) = cdl.slope.iter().find(|s| **s < 0.0) {
        return Err(format!("slope must be >= 0 (ASC CDL v1.2), found {s}"));
    }
    if let Some(p) = cdl.power.iter().find(|p| **p <= 0.0) {
        return Err(format!("power must be > 0 (ASC CDL v1.2), found {p}"));
    }
    if cdl.saturation < 0.0 {
        return Err(format!("saturation must be >= 0 (ASC CDL v1.2), found {}", cdl.saturation));
    }
    Ok(())
}

/// Reads a `.cc`, `.ccc` or `.cdl` file; the root element decides which.
pub fn read_cdl_file(path: &Path) -> Result<Vec<ColorCorrection>> {
    let (text, name) = read_text(path)?;
    parse_cdl(&text, &name)
}

/// Parses ASC CDL XML text holding one or more ColorCorrections; `source_name` names it in errors.
pub fn parse_cdl(text: &str, source_name: &str) -> Result<Vec<ColorCorrection>> {
    // roxmltree refuses DTDs by default, so entity expansion bombs never get parsed.
    let text = strip_bom(text);
    let doc = Document::parse(text).map_err(|e| xml_error(text, source_name, e))?;
    let reader = Reader { doc: &doc, file: source_name };
    let root = doc.root_element();
    match root.tag_name().name() {
        "ColorCorrection" => Ok(vec![reader.correction(root)?]),
        "ColorCorrectionCollection" => {
            let ccs = children(root, "ColorCorrection").map(|n| reader.correction(n));
            reader.non_empty(root, ccs.collect::<Result<Vec<_>>>()?)
        }
        "ColorDecisionList" => {
            let ccs = children(root, "ColorDecision").map(|n| reader.decision(n));
            reader.non_empty(root, ccs.collect::<Result<Vec<_>>>()?)
        }
        other => Err(reader.error(
            root,
            format!("expected <ColorCorrection>, <ColorCorrectionCollection> or <ColorDecisionList>, found <{other}>"),
        )),
    }
}

/// Turns a roxmltree error into ours, locating the DOCTYPE itself since roxmltree reports 1:1 for it.
pub(crate) fn xml_error(text: &str, file: &str, e: roxmltree::Error) -> InterchangeError {
    let line = match e {
        roxmltree::Error::DtdDetected => {
            let at = text.find("<!DOCTYPE").unwrap_or(0);
            1 + text[..at].matches('\n').count()
        }
        _ => e.pos().row as usize,
    };
    InterchangeError::parse(file, line, format!("not valid XML: {e}"))
}

/// Finds the ColorCorrection with `id`; the error lists the ids that do exist.
pub fn find_by_id<'a>(corrections: &'a [ColorCorrection], id: &str) -> Result<&'a ColorCorrection> {
    corrections.iter().find(|cc| cc.id.as_deref() == Some(id)).ok_or_else(|| InterchangeError::IdNotFound {
        id: id.to_owned(),
        available: corrections.iter().filter_map(|cc| cc.id.clone()).collect(),
    })
}

/// Element children of `node` with local name `name` (namespaces ignored).
fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// Parsing context: the document (for line numbers) and the file name.
struct Reader<'a, 'i> {
    doc: &'a Document<'i>,
    file: &'a str,
}

impl Reader<'_, '_> {
    /// A parse error located at the start of `node`.
    fn error(&self, node: Node, message: String) -> InterchangeError {
        let line = self.doc.text_pos_at(node.range().start).row as usize;
        InterchangeError::parse(self.file, line, message)
    }

    fn non_empty(&self, root: Node, ccs: Vec<ColorCorrection>) -> Result<Vec<ColorCorrection>> {
        if ccs.is_empty() {
            let name = root.tag_name().name();
            return Err(self.error(root, format!("<{name}> holds no ColorCorrection")));
        }
        Ok(ccs)
    }

    /// A `ColorDecision`: its one `ColorCorrection` (MediaRef and descriptions are ignored).
    fn decision(&self, node: Node) -> Result<ColorCorrection> {
        if let Some(cc) = children(node, "ColorCorrection").next() {
            return self.correction(cc);
        }
        if let Some(reference) = children(node, "ColorCorrectionRef").next() {
            let msg = "<ColorCorrectionRef> (a correction kept in another file) is not supported";
            return Err(self.error(reference, msg.into()));
        }
        Err(self.error(node, "<ColorDecision> has no <ColorCorrection>".into()))
    }

    /// A `ColorCorrection` element.
    fn correction(&self, node: Node) -> Result<ColorCorrection> {
        let id = node.attribute("id").filter(|id| !id.is_empty()).map(str::to_owned);
        let mut cc = ColorCorrection { id, ..ColorCorrection::default() };
        let (mut sop, mut sat) = (None, None);
        for child in node.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "Description" => cc.description.push(text(child).to_owned()),
                "SOPNode" | "ASC_SOP" => self.once(&mut sop, child)?,
                "SatNode" | "SATNode" | "ASC_SAT" => self.once(&mut sat, child)?,
                _ => {} // InputDescription, ViewingDescription and vendor elements.
            }
        }
        if sop.is_none() && sat.is_none() {
            return Err(self.error(node, "<ColorCorrection> has neither <SOPNode> nor <SatNode>".into()));
        }
        if let Some(sop) = sop {
            cc.description.extend(children(sop, "Description").map(|d| text(d).to_owned()));
            cc.cdl.slope = self.numbers(self.required(sop, "Slope")?)?;
            cc.cdl.offset = self.numbers(self.required(sop, "Offset")?)?;
            cc.cdl.power = self.numbers(self.required(sop, "Power")?)?;
        }
        if let Some(sat) = sat {
            cc.description.extend(children(sat, "Description").map(|d| text(d).to_owned()));
            let [s] = self.numbers(self.required(sat, "Saturation")?)?;
            cc.cdl.saturation = s;
        }
        Ok(cc)
    }

    /// Stores `node` in `slot`, refusing a second node of the same kind.
    fn once<'a, 'i>(&self, slot: &mut Option<Node<'a, 'i>>, node: Node<'a, 'i>) -> Result<()> {
        if slot.replace(node).is_some() {
            return Err(self.error(node, format!("second <{}> in one ColorCorrection", node.tag_name().name())));
        }
        Ok(())
    }

    /// The one child element `name` of `parent`.
    fn required<'a, 'i>(&self, parent: Node<'a, 'i>, name: &str) -> Result<Node<'a, 'i>> {
        let mut found = parent.children().filter(|n| n.is_element() && n.tag_name().name() == name);
        let parent_name = parent.tag_name().name();
        match (found.next(), found.next()) {
            (Some(node), None) => Ok(node),
            (Some(_), Some(second)) => Err(self.error(second, format!("second <{name}> in <{parent_name}>"))),
            (None, _) => Err(self.error(parent, format!("<{parent_name}> is missing <{name}>"))),
        }
    }

    /// The N numbers in `node`'s text, checked against the ASC value rules for its kind.
    fn numbers<const N: usize>(&self, node: Node) -> Result<[f32; N]> {
        let name = node.tag_name().name();
        let mut out = [0.0f32; N];
        let tokens: Vec<&str> = text(node).split_whitespace().collect();
        if tokens.len() != N {
            return Err(self.error(node, format!("<{name}> needs {N} numbers, found {}", tokens.len())));
        }
        for (slot, token) in out.iter_mut().zip(tokens) {
            *slot = match token.parse::<f32>() {
                Ok(v) if v.is_finite() => v,
                _ => {
                    return Err(self.error(node, format!("<{name}>: `{token}` is not a finite number")));
                }
            };
        }
        // ASC CDL v1.2 value ranges; offsets may be any number.
        let refused = match name {
            "Slope" | "Saturation" => out.iter().find(|v| **v < 0.0).map(|v| (">= 0", v)),
            "Power" => out.iter().find(|v| **v <= 0.0).map(|v| ("> 0", v)),
            _ => None,
        };
        if let Some((range, v)) = refused {
            let what = name.to_ascii_lowercase();
            let msg = format!("<{name}>: {what} must be {range} (ASC CDL v1.2), found {v}");
            return Err(self.error(node, msg));
        }
        Ok(out)
    }
}

/// The trimmed text content of an element.
fn text<'a>(node: Node<'a, '_>) -> &'a str {
    node.text().unwrap_or_default().trim()
}

/// Writes one ColorCorrection as a standalone `.cc` document.
pub fn write_cc(cc: &ColorCorrection) -> Result<String> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    write_correction(&mut out, cc, 0, true)?;
    Ok(out)
}

/// Writes a `.ccc` ColorCorrectionCollection.
pub fn write_ccc(corrections: &[ColorCorrection]) -> Result<String> {
    write_list(corrections, "ColorCorrectionCollection", None)
}

/// Writes a `.cdl` ColorDecisionList, one ColorDecision per correction.
pub fn write_cdl(corrections: &[ColorCorrection]) -> Result<String> {
    write_list(corrections, "ColorDecisionList", Some("ColorDecision"))
}

fn write_list(corrections: &[ColorCorrection], root: &str, wrapper: Option<&str>) -> Result<String> {
    if corrections.is_empty() {
        let reason = "an ASC CDL collection needs at least one ColorCorrection".into();
        return Err(InterchangeError::Unwritable { what: "ASC CDL", reason });
    }
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{ASC_CDL_NAMESPACE}\">\n");
    for cc in corrections {
        match wrapper {
            Some(w) => {
                let _ = writeln!(out, "    <{w}>");
                write_correction(&mut out, cc, 2, false)?;
                let _ = writeln!(out, "    </{w}>");
            }
            None => write_correction(&mut out, cc, 1, false)?,
        }
    }
    let _ = writeln!(out, "</{root}>");
    Ok(out)
}

/// Appends one ColorCorrection element indented by `depth` levels.
fn write_correction(out: &mut String, cc: &ColorCorrection, depth: usize, namespace: bool) -> Result<()> {
    check_cdl_values(&cc.cdl).map_err(|reason| InterchangeError::Unwritable { what: "ColorCorrection", reason })?;
    let pad = "    ".repeat(depth);
    let id = match &cc.id {
        Some(id) => format!(" id=\"{}\"", escape(id)?),
        None => String::new(),
    };
    let ns = if namespace { format!(" xmlns=\"{ASC_CDL_NAMESPACE}\"") } else { String::new() };
    let _ = writeln!(out, "{pad}<ColorCorrection{id}{ns}>");
    for d in &cc.description {
        let _ = writeln!(out, "{pad}    <Description>{}</Description>", escape(d)?);
    }
    let [s, o, p] = [cc.cdl.slope, cc.cdl.offset, cc.cdl.power].map(|v| format!("{} {} {}", v[0], v[1], v[2]));
    let _ = writeln!(out, "{pad}    <SOPNode>\n{pad}        <Slope>{s}</Slope>\n{pad}        <Offset>{o}</Offset>");
    let _ = writeln!(out, "{pad}        <Power>{p}</Power>\n{pad}    </SOPNode>");
    let _ = writeln!(out, "{pad}    <SatNode>\n{pad}        <Saturation>{}</Saturation>", cc.cdl.saturation);
    let _ = writeln!(out, "{pad}    </SatNode>\n{pad}</ColorCorrection>");
    Ok(())
}

/// Escapes text for an XML attribute or element; refuses characters XML 1.0 cannot hold.
pub(crate) fn escape(text: &str) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Keep line breaks and tabs literal-safe inside attributes too.
            '\n' | '\r' | '\t' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let reason = format!("control character U+{:04X} cannot appear in XML 1.0", c as u32);
                return Err(InterchangeError::Unwritable { what: "XML text", reason });
            }
            c => out.push(c),
        }
    }
    Ok(out)
}
