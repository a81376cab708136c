//! CMX3600 edit decision lists, with the ASC CDL comments of ASC CDL v1.2 ("CMX EDL" section):
//! `*ASC_SOP (s s s)(o o o)(p p p)` and `*ASC_SAT s` after an event line.
//!
//! An event line is `NNN REEL TRACK TRANSITION [DURATION] SRC_IN SRC_OUT REC_IN REC_OUT`. Lines starting
//! with `*` and lines such as `M2` (motion) belong to the event above them; `* FROM CLIP NAME:` and the
//! ASC comments are decoded, the rest are kept verbatim in [`EdlEvent::comments`]. Comments before the
//! first event are ignored, except ASC values, which would otherwise be lost silently and are refused.
//! Accepted ASC variants: `*ASC_SOP:`, extra spaces, commas between numbers, no spaces between groups,
//! lower case. ASC values are kept as written (only finiteness is checked): EDLs in the wild carry
//! values the XML formats forbid, such as OpenTimelineIO's sample with a power of 0.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{InterchangeError, Result, read_text};
use super::strip_bom;
use super::timecode::Timecode;
use crate::color::cdl::Cdl;

/// A whole EDL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Edl {
    /// The `TITLE:` line.
    pub title: Option<String>,
    /// The first `FCM:` line (later ones only affect the events after them).
    pub fcm: Option<FrameCountMode>,
    /// Events in file order; a dissolve's two lines are two events with the same number.
    pub events: Vec<EdlEvent>,
}

/// Frame count mode from an `FCM:` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FrameCountMode {
    /// `FCM: DROP FRAME` (29.97 / 59.94 drop-frame timecode).
    DropFrame,
    /// `FCM: NON-DROP FRAME`.
    NonDropFrame,
}

/// How an event begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transition {
    /// `C`: a cut.
    Cut,
    /// `D nnn`: a dissolve lasting this many frames.
    Dissolve(u32),
    /// `Wccc nnn`: an SMPTE wipe with pattern code `ccc`, lasting this many frames.
    Wipe(u32, u32),
}

/// One event line and the comments under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdlEvent {
    /// Event number (the first column).
    pub number: u32,
    /// Source reel or tape name (`BL` is black, `AX` an auxiliary source).
    pub reel: String,
    /// Track: `V`, `A`, `A2`, `AA`, `B` (video and audio), ...
    pub track: String,
    /// Cut, dissolve or wipe.
    pub transition: Transition,
    /// First source frame.
    pub source_in: Timecode,
    /// Source frame after the last one used.
    pub source_out: Timecode,
    /// Where the event starts on the record side.
    pub record_in: Timecode,
    /// Where the event ends on the record side (exclusive).
    pub record_out: Timecode,
    /// From `* FROM CLIP NAME:`.
    pub clip_name: Option<String>,
    /// From `*ASC_SOP` and `*ASC_SAT` (a missing half stays neutral), values as written.
    pub cdl: Option<Cdl>,
    /// Other comment and note lines under the event (`* ...`, `M2 ...`), trimmed, verbatim.
    pub comments: Vec<String>,
}

/// Reads and parses an EDL file.
pub fn read_edl(path: &Path) -> Result<Edl> {
    let (text, name) = read_text(path)?;
    parse_edl(&text, &name)
}

/// Parses CMX3600 EDL text; `source_name` names the file in errors.
pub fn parse_edl(text: &str, source_name: &str) -> Result<Edl> {
    let mut edl = Edl::default();
    let mut drop_frame = false;
    // The event being read, with the lines its ASC_SOP and ASC_SAT came from.
    let mut current: Option<(EdlEvent, Option<usize>, Option<usize>)> = None;
    for (index, raw) in strip_bom(text).lines().enumerate() {
        let line = index + 1;
        let err = |message: String| InterchangeError::parse(source_name, line, message);
        let content = raw.trim();
        let upper = content.to_ascii_uppercase();
        if content.is_empty() {
            continue;
        } else if let Some(rest) = upper.strip_prefix("TITLE:") {
            if edl.title.is_some() {
                return Err(err("second TITLE: line".into()));
            }
            edl.title = Some(content[content.len() - rest.len()..].trim().to_owned());
        } else if let Some(rest) = upper.strip_prefix("FCM:") {
            let mode = match rest.replace(['-', ' ', '\t'], "").as_str() {
                "DROPFRAME" => FrameCountMode::DropFrame,
                "NONDROPFRAME" => FrameCountMode::NonDropFrame,
                _ => return Err(err(format!("unknown frame count mode `{}`", rest.trim()))),
            };
            drop_frame = mode == FrameCountMode::DropFrame;
            edl.fcm.get_or_insert(mode);
        } else if content.split_whitespace().next().is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit())) {
            edl.events.extend(current.take().map(|c| c.0));
            let event = parse_event(content, drop_frame).map_err(err)?;
            current = Some((event, None, None));
        } else if let Some(body) = content.strip_prefix('*') {
            let body = body.trim();
            let upper = body.to_ascii_uppercase();
            let asc = upper.starts_with("ASC_SOP") || upper.starts_with("ASC_SAT");
            let Some((event, sop_line, sat_line)) = current.as_mut() else {
                if asc {
                    return Err(err(format!("{} before the first event", &upper[..7])));
                }
                continue;
            };
            if let Some(rest) = upper.strip_prefix("FROM CLIP NAME").filter(|_| event.clip_name.is_none()) {
                let name = body[body.len() - rest.len()..].trim_start();
                event.clip_name = Some(name.strip_prefix(':').unwrap_or(name).trim().to_owned());
            } else if asc {
                let is_sop = upper.starts_with("ASC_SOP");
                let seen = if is_sop { sop_line } else { sat_line };
                if let Some(first) = seen.replace(line) {
                    return Err(err(format!(
                        "second {} for event {} (first on line {first})",
                        &upper[..7],
                        event.number
                    )));
                }
                let cdl = event.cdl.get_or_insert_with(Cdl::default);
                let values = body[7..].trim_start();
                let values = values.strip_prefix(':').unwrap_or(values);
                if is_sop {
                    [cdl.slope, cdl.offset, cdl.power] = parse_sop(values).map_err(err)?;
                } else {
                    cdl.saturation = parse_number(values.trim()).map_err(|m| err(format!("ASC_SAT: {m}")))?;
                }
            } else {
                event.comments.push(content.to_owned());
            }
        } else if let Some((event, ..)) = current.as_mut() {
            // Motion (`M2`), split and other note lines belong to the event above.
            event.comments.push(content.to_owned());
        }
    }
    edl.events.extend(current.map(|c| c.0));
    Ok(edl)
}

/// Parses one event line; `drop_frame` is the frame count mode in force.
fn parse_event(line: &str, drop_frame: bool) -> std::result::Result<EdlEvent, String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let [number, reel, track, transition, rest @ ..] = tokens.as_slice() else {
        return Err(format!(
            "event line needs number, reel, track, transition and 4 timecodes; found {} fields",
            tokens.len()
        ));
    };
    let number = number.parse::<u32>().map_err(|_| format!("event number {number} is too large"))?;
    if !track.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/') {
        return Err(format!("bad track `{track}`"));
    }
    let upper = transition.to_ascii_uppercase();
    let (transition, timecodes) = match (upper.as_str(), rest) {
        ("C", _) => (Transition::Cut, rest),
        ("D", [frames, tail @ ..]) => (Transition::Dissolve(duration(frames)?), tail),
        (w, [frames, tail @ ..]) if w.starts_with('W') && w.len() > 1 && w[1..].bytes().all(|b| b.is_ascii_digit()) => {
            let code = w[1..].parse::<u32>().map_err(|_| format!("wipe code {w} is too large"))?;
            (Transition::Wipe(code, duration(frames)?), tail)
        }
        ("D", []) => return Err("dissolve D needs a duration in frames".into()),
        (w, []) if w.starts_with('W') => {
            return Err(format!("wipe {transition} needs a duration in frames"));
        }
        _ => {
            return Err(format!("unknown transition `{transition}` (expected C, D or Wnnn)"));
        }
    };
    let [source_in, source_out, record_in, record_out] = timecodes else {
        return Err(format!("event line needs 4 timecodes after the transition, found {} fields", timecodes.len()));
    };
    let tc = |text: &str| Timecode::parse(text, drop_frame);
    Ok(EdlEvent {
        number,
        reel: (*reel).to_owned(),
        track: (*track).to_owned(),
        transition,
        source_in: tc(source_in)?,
        source_out: tc(source_out)?,
        record_in: tc(record_in)?,
        record_out: tc(record_out)?,
        clip_name: None,
        cdl: None,
        comments: Vec::new(),
    })
}

/// A transition duration in frames.
fn duration(text: &str) -> std::result::Result<u32, String> {
    match text.parse::<u32>() {
        Ok(frames) if text.bytes().all(|b| b.is_ascii_digit()) => Ok(frames),
        _ => Err(format!("bad transition duration `{text}` (expected whole frames)")),
    }
}

/// One finite number.
fn parse_number(text: &str) -> std::result::Result<f32, String> {
    match text.parse::<f32>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("`{text}` is not a finite number")),
    }
}

/// The nine numbers of an ASC_SOP comment: `(s s s)(o o o)(p p p)`, or nine bare numbers.
fn parse_sop(text: &str) -> std::result::Result<[[f32; 3]; 3], String> {
    let groups: Vec<&str> = if text.contains(['(', ')']) {
        let mut groups = Vec::new();
        let mut rest = text.trim();
        while !rest.is_empty() {
            let Some(inner) = rest.strip_prefix('(') else {
                return Err(format!("ASC_SOP: unexpected `{rest}` (expected (slope)(offset)(power))"));
            };
            let Some((group, tail)) = inner.split_once(')') else {
                return Err("ASC_SOP: unclosed parenthesis".into());
            };
            groups.push(group);
            rest = tail.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        }
        groups
    } else {
        vec![text]
    };
    let numbers = |group: &str| {
        group
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
            .map(|t| parse_number(t).map_err(|m| format!("ASC_SOP: {m}")))
            .collect::<std::result::Result<Vec<f32>, String>>()
    };
    let values: Vec<f32> = match groups.as_slice() {
        [one] => numbers(one)?,
        [_, _, _] => {
            let mut all = Vec::with_capacity(9);
            for (i, group) in groups.iter().enumerate() {
                let n = numbers(group)?;
                if n.len() != 3 {
                    let name = ["slope", "offset", "power"][i];
                    return Err(format!("ASC_SOP: {name} needs 3 numbers, found {}", n.len()));
                }
                all.extend(n);
            }
            all
        }
        _ => {
            return Err(format!("ASC_SOP needs 3 groups (slope)(offset)(power), found {}", groups.len()));
        }
    };
    match values.as_slice() {
        [s0, s1, s2, o0, o1, o2, p0, p1, p2] => Ok([[*s0, *s1, *s2], [*o0, *o1, *o2], [*p0, *p1, *p2]]),
        _ => Err(format!("ASC_SOP needs 9 numbers, found {}", values.len())),
    }
}
