//! Image sequences: numbered frames such as `A001_C002.1001.exr` … `A001_C002.1100.exr`.
//!
//! A [`SequencePattern`] is a folder, a file-name prefix, a zero-padding width and a suffix; it is
//! written `name.####.ext` (one `#` per digit, the form Nuke and Resolve show) and also read from the
//! printf form `name.%04d.ext`. Given one frame of a sequence ([`SequencePattern::from_frame_file`] or
//! [`detect`]) the sequence is found on disk. Frame numbers wider than the padding are written in full
//! (`####` with frame 12345 is `12345`), as every tool that reads these names does.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why a sequence pattern, frame range or sequence on disk could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SequenceError {
    /// The text is not a sequence pattern.
    #[error("{0}: not a frame sequence pattern (expected name.####.ext, name.%04d.ext or one numbered frame)")]
    NotAPattern(PathBuf),
    /// The frame range text is malformed.
    #[error("bad frame range `{0}` (expected FIRST-LAST, e.g. 1001-1100, or one frame number)")]
    BadRange(String),
    /// The sequence's folder could not be listed.
    #[error("{path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// No frame of the sequence exists.
    #[error("{0}: no frames of this sequence exist")]
    Empty(PathBuf),
    /// A part of a frame list is malformed.
    #[error(
        "bad frame list `{text}`: `{part}` {why} (write 1001-1100, 1001-1100:4 for every 4th frame, or a list such as 1001,1005,1010-1020)"
    )]
    BadFrames {
        /// The whole text.
        text: String,
        /// The part at fault.
        part: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A frame list names more frames than any render takes.
    #[error("frame list `{text}` names {count} frames; at most {max} at once", max = FrameSet::MAX_FRAMES)]
    TooManyFrames {
        /// The text.
        text: String,
        /// Frames it names.
        count: u64,
    },
}

/// Frames as render farm engines hand them to a task: `1001-1100`, `1001-1100:4` (every 4th frame
/// from 1001), `1001,1005,1010-1020` (a list), in any mix, the syntax of Open Job Description's
/// range expressions and of Slurm's `--array`. Also `1001..1100`. Frames are kept in increasing
/// order, each once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FrameSet {
    frames: Vec<u32>,
}

impl FrameSet {
    /// Most frames one list may name (a feature film at 24 fps is about 200 000): checked before
    /// anything is allocated.
    pub const MAX_FRAMES: u64 = 10_000_000;

    /// Parses a frame list; the error names the part at fault.
    pub fn parse(text: &str) -> Result<Self, SequenceError> {
        let bad = |part: &str, why| SequenceError::BadFrames { text: text.to_string(), part: part.to_string(), why };
        let number = |part: &str, s: &str| -> Result<u32, SequenceError> {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad(
                    part,
                    if s.starts_with('-') {
                        "is negative: frames are numbered from 0"
                    } else {
                        "is not a frame number"
                    },
                ));
            }
            s.parse::<u32>().map_err(|_| bad(part, "is larger than any frame number (4294967295)"))
        };
        let mut runs: Vec<(u32, u32, u32)> = Vec::new();
        let mut count: u64 = 0;
        for part in text.split(',') {
            let item = part.trim();
            if item.is_empty() {
                return Err(bad(part, "is empty"));
            }
            let (range, step) = match item.split_once(':') {
                Some((r, s)) => (r, Some(s)),
                None => (item, None),
            };
            let (first, last) = match range.split_once("..").or_else(|| range.split_once('-')) {
                Some((a, b)) if !a.trim().is_empty() => (number(item, a)?, number(item, b)?),
                Some(_) => return Err(bad(item, "is negative: frames are numbered from 0")),
                None if step.is_some() => return Err(bad(item, "has a step but no range (FIRST-LAST:STEP)")),
                None => {
                    let f = number(item, range)?;
                    (f, f)
                }
            };
            if last < first {
                return Err(bad(item, "ends before it starts"));
            }
            let step = match step {
                Some(s) => number(item, s)?,
                None => 1,
            };
            if step == 0 {
                return Err(bad(item, "has a step of 0"));
            }
            count += u64::from(last - first) / u64::from(step) + 1;
            if count > Self::MAX_FRAMES {
                return Err(SequenceError::TooManyFrames { text: text.to_string(), count });
            }
            runs.push((first, last, step));
        }
        let mut frames: Vec<u32> = Vec::with_capacity(count as usize);
        for (first, last, step) in runs {
            frames.extend((first..=last).step_by(step as usize));
        }
        frames.sort_unstable();
        frames.dedup();
        Ok(Self { frames })
    }

    /// Every frame of `range`.
    pub fn from_range(range: FrameRange) -> Self {
        Self { frames: range.frames().collect() }
    }

    /// The frames, in increasing order.
    pub fn frames(&self) -> &[u32] {
        &self.frames
    }

    /// Number of frames (at least 1).
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Always false: a list names at least one frame.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// True when `frame` is in the list.
    pub fn contains(&self, frame: u32) -> bool {
        self.frames.binary_search(&frame).is_ok()
    }

    /// The first and last frames.
    pub fn bounds(&self) -> FrameRange {
        FrameRange { first: self.frames[0], last: self.frames[self.frames.len() - 1] }
    }

    /// The list as one range, when it has no gaps.
    pub fn as_range(&self) -> Option<FrameRange> {
        let b = self.bounds();
        (b.len() == self.frames.len() as u64).then_some(b)
    }
}

impl fmt::Display for FrameSet {
    /// Written compactly, as [`describe_frames`] does but never shortened: `1001-1004, 1010`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut i = 0;
        while i < self.frames.len() {
            let start = self.frames[i];
            let mut end = start;
            while i + 1 < self.frames.len() && end.checked_add(1) == Some(self.frames[i + 1]) {
                i += 1;
                end = self.frames[i];
            }
            i += 1;
            if !first {
                f.write_str(",")?;
            }
            first = false;
            if start == end { write!(f, "{start}")? } else { write!(f, "{start}-{end}")? }
        }
        Ok(())
    }
}

/// An inclusive range of frame numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct FrameRange {
    /// First frame.
    pub first: u32,
    /// Last frame (inclusive).
    pub last: u32,
}

impl FrameRange {
    /// The range `first..=last`; `None` when `last < first`.
    pub fn new(first: u32, last: u32) -> Option<Self> {
        (first <= last).then_some(Self { first, last })
    }

    /// Parses `1001-1100`, `1001..1100`, `1001:1100` or a single frame `1001`.
    pub fn parse(text: &str) -> Result<Self, SequenceError> {
        let bad = || SequenceError::BadRange(text.to_string());
        let t = text.trim();
        let (a, b) = match t.split_once("..").or_else(|| t.split_once('-')).or_else(|| t.split_once(':')) {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (t, t),
        };
        let number = |s: &str| s.parse::<u32>().ok().filter(|_| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()));
        let (first, last) = (number(a).ok_or_else(bad)?, number(b).ok_or_else(bad)?);
        Self::new(first, last).ok_or_else(bad)
    }

    /// Number of frames.
    pub fn len(&self) -> u64 {
        u64::from(self.last) - u64::from(self.first) + 1
    }

    /// Always false: a range holds at least one frame.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// True when `frame` is inside.
    pub fn contains(&self, frame: u32) -> bool {
        (self.first..=self.last).contains(&frame)
    }

    /// The frames in order.
    pub fn frames(&self) -> std::ops::RangeInclusive<u32> {
        self.first..=self.last
    }
}

impl fmt::Display for FrameRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last { write!(f, "{}", self.first) } else { write!(f, "{}-{}", self.first, self.last) }
    }
}

/// Frame numbers written compactly: `1003, 1010-1012`. Long lists end with "… (N frames)".
pub fn describe_frames(frames: &[u32]) -> String {
    let mut runs: Vec<FrameRange> = Vec::new();
    for &f in frames {
        match runs.last_mut() {
            Some(r) if r.last.checked_add(1) == Some(f) => r.last = f,
            _ => runs.push(FrameRange { first: f, last: f }),
        }
    }
    const SHOWN: usize = 8;
    let mut text: Vec<String> = runs.iter().take(SHOWN).map(ToString::to_string).collect();
    if runs.len() > SHOWN {
        text.push(format!("… ({} frames)", frames.len()));
    }
    text.join(", ")
}

/// A numbered-frame file naming scheme.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SequencePattern {
    /// Folder holding the frames (may be relative or empty).
    pub dir: PathBuf,
    /// File name before the frame number (`A001_C002.`).
    pub prefix: String,
    /// Minimum digits; numbers are zero-padded to it (0: no padding).
    pub padding: usize,
    /// File name after the frame number (`.exr`).
    pub suffix: String,
}

impl SequencePattern {
    /// Parses a pattern path: `dir/name.####.ext` or `dir/name.%04d.ext` (`%d` is unpadded).
    pub fn parse(path: &Path) -> Result<Self, SequenceError> {
        let not = || SequenceError::NotAPattern(path.to_path_buf());
        let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(not)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(start) = name.rfind('#') {
            let start = name[..=start].trim_end_matches('#').len();
            let end = name[start..].find(|c| c != '#').map_or(name.len(), |e| start + e);
            let (prefix, suffix) = (&name[..start], &name[end..]);
            if prefix.contains(['#', '%']) || suffix.contains(['#', '%']) {
                return Err(not());
            }
            return Ok(Self { dir, prefix: prefix.into(), padding: end - start, suffix: suffix.into() });
        }
        if let Some(start) = name.rfind('%') {
            let rest = &name[start + 1..];
            let digits = rest.find('d').ok_or_else(not)?;
            let width = &rest[..digits];
            let padding = match width {
                "" => 0,
                w if w.starts_with('0') && w.bytes().all(|b| b.is_ascii_digit()) => w.parse().map_err(|_| not())?,
                _ => return Err(not()),
            };
            let (prefix, suffix) = (&name[..start], &rest[digits + 1..]);
            if prefix.contains(['#', '%']) || suffix.contains(['#', '%']) {
                return Err(not());
            }
            return Ok(Self { dir, prefix: prefix.into(), padding, suffix: suffix.into() });
        }
        Err(not())
    }

    /// True when `path` is written as a pattern (`#` or `%d`), not as one frame.
    pub fn is_pattern(path: &Path) -> bool {
        Self::parse(path).is_ok()
    }

    /// Splits a frame file name (`dir/A001.1001.exr`) into its pattern and frame number: the last run of
    /// digits before the extension is the frame. `None` when the name has no such number.
    pub fn from_frame_file(path: &Path) -> Option<(Self, u32)> {
        let name = path.file_name()?.to_str()?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        // The extension starts at the last dot; the frame number ends right before it.
        let stem_end = name.rfind('.').filter(|&i| i > 0).unwrap_or(name.len());
        let stem = &name[..stem_end];
        let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 9 {
            return None;
        }
        let start = stem_end - digits;
        let frame = name[start..stem_end].parse().ok()?;
        let prefix = &name[..start];
        Some((Self { dir, prefix: prefix.into(), padding: digits, suffix: name[stem_end..].into() }, frame))
    }

    /// The file name of frame `frame`.
    pub fn file_name(&self, frame: u32) -> String {
        format!("{}{:0width$}{}", self.prefix, frame, self.suffix, width = self.padding)
    }

    /// The path of frame `frame`.
    pub fn frame_path(&self, frame: u32) -> PathBuf {
        self.dir.join(self.file_name(frame))
    }

    /// The pattern written with `#` (`dir/name.####.ext`; `%d` for an unpadded pattern).
    pub fn to_path(&self) -> PathBuf {
        let digits = if self.padding == 0 { "%d".to_string() } else { "#".repeat(self.padding) };
        self.dir.join(format!("{}{digits}{}", self.prefix, self.suffix))
    }

    /// The frame number in `file_name` if it belongs to this sequence.
    pub fn match_file_name(&self, file_name: &str) -> Option<u32> {
        let digits = file_name.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Exactly the padding, or wider without a leading zero (the number outgrew the padding).
        let fits = digits.len() == self.padding.max(1) || (digits.len() > self.padding && !digits.starts_with('0'));
        fits.then(|| digits.parse().ok()).flatten()
    }

    fn match_any_padding(&self, file_name: &str) -> Option<u32> {
        let digits = file_name.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        let valid = !digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit());
        valid.then(|| digits.parse().ok()).flatten()
    }

    /// The frames of this sequence that exist on disk, in order.
    pub fn scan(&self) -> Result<Vec<u32>, SequenceError> {
        let mut frames: Vec<u32> = self.scan_names(false)?.into_iter().map(|(frame, _)| frame).collect();
        frames.sort_unstable();
        frames.dedup();
        Ok(frames)
    }

    /// Frame numbers and digit counts of the files in the folder that match, in no particular order;
    /// `any_padding` accepts every width of number.
    fn scan_names(&self, any_padding: bool) -> Result<Vec<(u32, usize)>, SequenceError> {
        let dir = if self.dir.as_os_str().is_empty() { Path::new(".") } else { &self.dir };
        let io = |source| SequenceError::Io { path: dir.to_path_buf(), source };
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let frame = if any_padding { self.match_any_padding(name) } else { self.match_file_name(name) };
            if let Some(frame) = frame
                && entry.path().is_file()
            {
                found.push((frame, name.len() - self.prefix.len() - self.suffix.len()));
            }
        }
        Ok(found)
    }

    /// The frames of `range` that do not exist on disk.
    pub fn missing(&self, range: FrameRange) -> Vec<u32> {
        range.frames().filter(|f| !self.frame_path(*f).is_file()).collect()
    }
}

impl fmt::Display for SequencePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_path().display())
    }
}

/// A sequence found on disk: its pattern, the span from its first to its last frame, and the holes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundSequence {
    /// The naming scheme.
    pub pattern: SequencePattern,
    /// First to last frame present.
    pub range: FrameRange,
    /// Frames inside the range that are absent.
    pub missing: Vec<u32>,
}

/// Finds a sequence on disk from a pattern (`name.####.exr`, `name.%04d.exr`) or from any one of its
/// frames (`name.1001.exr`). Returns `Ok(None)` for a path that is neither (a plain still).
pub fn detect(path: &Path) -> Result<Option<FoundSequence>, SequenceError> {
    let pattern = match SequencePattern::parse(path) {
        Ok(p) => p,
        Err(_) => match SequencePattern::from_frame_file(path) {
            // Given one frame, the padding is the narrowest number among its siblings: `####` frames
            // 1000 and 12345 both belong to it.
            Some((mut p, _)) => {
                if let Some(narrowest) = p.scan_names(true)?.iter().map(|(_, digits)| *digits).min() {
                    p.padding = narrowest;
                }
                p
            }
            None => return Ok(None),
        },
    };
    let frames = pattern.scan()?;
    let (Some(&first), Some(&last)) = (frames.first(), frames.last()) else {
        return Err(SequenceError::Empty(pattern.to_path()));
    };
    let range = FrameRange { first, last };
    let present: std::collections::HashSet<u32> = frames.into_iter().collect();
    let missing = range.frames().filter(|f| !present.contains(f)).collect();
    Ok(Some(FoundSequence { pattern, range, missing }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_lists_as_farm_engines_write_them() {
        let frames = |t: &str| FrameSet::parse(t).unwrap().frames().to_vec();
        assert_eq!(frames("1001-1004"), [1001, 1002, 1003, 1004]);
        assert_eq!(frames("1001-1010:4"), [1001, 1005, 1009]);
        assert_eq!(frames("1001,1005,1010-1012"), [1001, 1005, 1010, 1011, 1012]);
        assert_eq!(frames(" 7 "), [7]);
        assert_eq!(frames("5-6, 1-2, 6-8:2"), [1, 2, 5, 6, 8], "sorted, each once");
        assert_eq!(frames("0..3"), [0, 1, 2, 3]);
        assert_eq!(frames("10-10:3"), [10]);
        let set = FrameSet::parse("1001-1003,1010").unwrap();
        assert_eq!(set.to_string(), "1001-1003,1010");
        assert_eq!(FrameSet::parse(&set.to_string()).unwrap(), set);
        assert_eq!(set.bounds(), FrameRange { first: 1001, last: 1010 });
        assert!(set.as_range().is_none() && set.contains(1010) && !set.contains(1004));
        assert_eq!(FrameSet::parse("3-5").unwrap().as_range(), FrameRange::new(3, 5));
    }

    #[test]
    fn a_bad_frame_list_names_its_part() {
        let err = |t: &str| FrameSet::parse(t).unwrap_err().to_string();
        let e = err("1001,10x5,1010");
        assert!(e.starts_with("bad frame list `1001,10x5,1010`: `10x5` is not a frame number"), "{e}");
        assert!(err("1001-1100:0").contains("`1001-1100:0` has a step of 0"));
        assert!(err("1100-1001").contains("`1100-1001` ends before it starts"));
        assert!(err("1001,,1003").contains("`` is empty"));
        assert!(err("1001,").contains("is empty"));
        assert!(err("-5").contains("negative"));
        assert!(err("1001:4").contains("has a step but no range"));
        assert!(err("99999999999").contains("larger than any frame number"));
        assert!(err("a-b").contains("`a-b` is not a frame number"));
        // Counted before anything is allocated.
        assert!(err("0-4294967295").contains("names 4294967296 frames; at most 10000000"));
        assert!(FrameSet::parse("0-4294967295:1000").is_ok());
    }

    #[test]
    fn patterns_parse_in_both_forms_and_write_frame_names() {
        let p = SequencePattern::parse(Path::new("plates/A001.####.exr")).unwrap();
        assert_eq!((p.prefix.as_str(), p.padding, p.suffix.as_str()), ("A001.", 4, ".exr"));
        assert_eq!(p.frame_path(1001), Path::new("plates/A001.1001.exr"));
        assert_eq!(p.frame_path(7), Path::new("plates/A001.0007.exr"));
        assert_eq!(p.frame_path(12345), Path::new("plates/A001.12345.exr"));
        let q = SequencePattern::parse(Path::new("plates/A001.%04d.exr")).unwrap();
        assert_eq!(p, q);
        assert_eq!(q.to_path(), Path::new("plates/A001.####.exr"));
        let u = SequencePattern::parse(Path::new("f_%d.png")).unwrap();
        assert_eq!((u.padding, u.file_name(12)), (0, "f_12.png".to_string()));
        assert_eq!(u.to_path(), Path::new("f_%d.png"));
        for bad in ["a.png", "a.%4d.png", "a.%0xd.png", "a.##.#.png", "a.%04d.%d.png"] {
            assert!(SequencePattern::parse(Path::new(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_frame_file_names_its_sequence() {
        let (p, f) = SequencePattern::from_frame_file(Path::new("/x/A001_C002.1001.exr")).unwrap();
        assert_eq!((p.prefix.as_str(), p.padding, p.suffix.as_str(), f), ("A001_C002.", 4, ".exr", 1001));
        let (p, f) = SequencePattern::from_frame_file(Path::new("shot_0042.tif")).unwrap();
        assert_eq!((p.prefix.as_str(), p.padding, f), ("shot_", 4, 42));
        assert!(SequencePattern::from_frame_file(Path::new("chelsea.png")).is_none());
        let (p, f) = SequencePattern::from_frame_file(Path::new("0100")).unwrap();
        assert_eq!((p.prefix.as_str(), p.suffix.as_str(), f), ("", "", 100));
    }

    #[test]
    fn matching_respects_padding() {
        let p = SequencePattern::parse(Path::new("a.####.exr")).unwrap();
        assert_eq!(p.match_file_name("a.1001.exr"), Some(1001));
        assert_eq!(p.match_file_name("a.0007.exr"), Some(7));
        assert_eq!(p.match_file_name("a.12345.exr"), Some(12345));
        assert_eq!(p.match_file_name("a.007.exr"), None);
        assert_eq!(p.match_file_name("a.01001.exr"), None);
        assert_eq!(p.match_file_name("a.1001.exr.tmp"), None);
        assert_eq!(p.match_file_name("b.1001.exr"), None);
        assert_eq!(p.match_file_name("a.10x1.exr"), None);
    }

    #[test]
    fn ranges_parse_and_print() {
        assert_eq!(FrameRange::parse("1001-1100").unwrap(), FrameRange { first: 1001, last: 1100 });
        assert_eq!(FrameRange::parse(" 1001..1003 ").unwrap().len(), 3);
        assert_eq!(FrameRange::parse("1001").unwrap().to_string(), "1001");
        assert_eq!(FrameRange::parse("5:7").unwrap().to_string(), "5-7");
        for bad in ["", "a-b", "1100-1001", "-5", "1-", "1-2-3", "+1-2"] {
            assert!(FrameRange::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(describe_frames(&[1003, 1010, 1011, 1012, 1020]), "1003, 1010-1012, 1020");
        let many: Vec<u32> = (0..40).map(|i| i * 2).collect();
        assert!(describe_frames(&many).ends_with("… (40 frames)"));
    }
}
