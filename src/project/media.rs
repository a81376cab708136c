//! A shot's media: one still, a numbered frame sequence or a video clip, stored relative to the project file where
//! possible; finding what is missing and relinking media that moved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Project, ShotRef};
use crate::media::FrameSource;
use crate::media::sequence::{self, FrameRange, SequenceError, SequencePattern};

/// What a shot shows: one frame file or a range of numbered frames.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Media {
    /// One frame file.
    Still(PathBuf),
    /// Numbered frames `pattern` (`plates/A001.####.exr`) from `first` to `last`.
    Sequence(SequenceMedia),
    /// Frames `first` to `last` (from 0) of a video clip.
    Clip(ClipMedia),
}

/// A video clip as a project stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClipMedia {
    /// The clip file (`.mov`, `.mp4`, `.mxf`).
    pub path: PathBuf,
    /// First frame of the shot (the clip's frames count from 0).
    pub first: u32,
    /// Last frame of the shot (inclusive).
    pub last: u32,
}

/// A frame sequence as a project stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceMedia {
    /// `name.####.ext` (one `#` per digit of padding); `%d` when unpadded.
    pub pattern: PathBuf,
    /// First frame of the shot.
    pub first: u32,
    /// Last frame of the shot (inclusive).
    pub last: u32,
}

impl From<PathBuf> for Media {
    fn from(path: PathBuf) -> Self {
        Media::Still(path)
    }
}

impl From<&Path> for Media {
    fn from(path: &Path) -> Self {
        Media::Still(path.to_path_buf())
    }
}

impl From<String> for Media {
    fn from(path: String) -> Self {
        Media::Still(path.into())
    }
}

impl From<&str> for Media {
    fn from(path: &str) -> Self {
        Media::Still(path.into())
    }
}

impl Media {
    /// Media for a file or a pattern on disk: a pattern (`####`, `%04d`) or a numbered frame whose
    /// siblings exist becomes the whole sequence found on disk; anything else is a still.
    pub fn detect(path: &Path) -> Result<Media, SequenceError> {
        if crate::media::FileFormat::from_path(path).is_ok_and(|f| f.is_video()) {
            // Its frames are counted when the shot is made (see [`Media::clip`]); here its file.
            return Ok(Media::Clip(ClipMedia { path: path.to_path_buf(), first: 0, last: 0 }));
        }
        let numbered_still = path.is_file() && SequencePattern::from_frame_file(path).is_none();
        if numbered_still {
            return Ok(Media::Still(path.to_path_buf()));
        }
        match sequence::detect(path)? {
            Some(found) if found.range.len() > 1 || SequencePattern::is_pattern(path) => {
                Ok(Media::Sequence(SequenceMedia {
                    pattern: found.pattern.to_path(),
                    first: found.range.first,
                    last: found.range.last,
                }))
            }
            _ => Ok(Media::Still(path.to_path_buf())),
        }
    }

    /// A clip's whole length as media (its frames read from the file).
    #[cfg(feature = "video")]
    pub fn clip(path: &Path) -> Result<Media, crate::media::MediaError> {
        let info = crate::media::video::probe(path)?;
        Ok(Media::Clip(ClipMedia { path: path.to_path_buf(), first: 0, last: info.frames.saturating_sub(1) }))
    }

    /// The stored path: the still's file, the sequence's pattern or the clip's file.
    pub fn path(&self) -> &Path {
        match self {
            Media::Still(p) => p,
            Media::Sequence(s) => &s.pattern,
            Media::Clip(c) => &c.path,
        }
    }

    /// Replaces the stored path (file or pattern), keeping the frame range.
    pub fn set_path(&mut self, path: PathBuf) {
        match self {
            Media::Still(p) => *p = path,
            Media::Sequence(s) => s.pattern = path,
            Media::Clip(c) => c.path = path,
        }
    }

    /// The frame range of a sequence or clip; `None` for a still.
    pub fn range(&self) -> Option<FrameRange> {
        match self {
            Media::Still(_) => None,
            Media::Sequence(s) => FrameRange::new(s.first, s.last),
            Media::Clip(c) => FrameRange::new(c.first, c.last),
        }
    }

    /// Where frame `frame` comes from (the still itself for a still), resolved against `root`.
    pub fn frame_source(&self, root: &Path, frame: u32) -> FrameSource {
        match self {
            Media::Clip(c) => FrameSource::Clip { path: resolve(root, &c.path), frame },
            _ => FrameSource::File(self.frame_path(root, frame)),
        }
    }

    /// Every frame of the media in order, with its number (a still: its one frame, numbered 0).
    pub fn frame_sources(&self, root: &Path) -> Vec<(u32, FrameSource)> {
        match self.range() {
            Some(range) => range.frames().map(|f| (f, self.frame_source(root, f))).collect(),
            None => vec![(0, self.poster_source(root))],
        }
    }

    /// Where the frame that stands for the shot comes from (thumbnails, the viewer).
    pub fn poster_source(&self, root: &Path) -> FrameSource {
        match self {
            Media::Clip(c) => self.frame_source(root, c.first),
            _ => FrameSource::File(self.poster_path(root)),
        }
    }

    /// The sequence's naming scheme with its folder resolved against `root`; `None` for a still or a
    /// clip.
    pub fn pattern(&self, root: &Path) -> Option<SequencePattern> {
        match self {
            Media::Still(_) | Media::Clip(_) => None,
            Media::Sequence(s) => SequencePattern::parse(&resolve(root, &s.pattern)).ok(),
        }
    }

    /// The file of `frame` (the still itself for a still), resolved against `root`.
    pub fn frame_path(&self, root: &Path, frame: u32) -> PathBuf {
        match self.pattern(root) {
            Some(p) => p.frame_path(frame),
            None => resolve(root, self.path()),
        }
    }

    /// The file that stands for the shot (thumbnails, the viewer): the still, or the first frame.
    pub fn poster_path(&self, root: &Path) -> PathBuf {
        match self {
            Media::Still(p) | Media::Clip(ClipMedia { path: p, .. }) => resolve(root, p),
            Media::Sequence(s) => self.frame_path(root, s.first),
        }
    }

    /// Short description: `plates/A.####.exr [1001-1100]` or the still's path.
    pub fn describe(&self) -> String {
        match self.range() {
            Some(r) => format!("{} [{r}]", self.path().display()),
            None => self.path().display().to_string(),
        }
    }

    /// What is missing on disk, if anything.
    pub fn check(&self, root: &Path) -> Option<MediaProblem> {
        match self {
            Media::Still(p) | Media::Clip(ClipMedia { path: p, .. }) => {
                let path = resolve(root, p);
                (!path.is_file()).then_some(MediaProblem::Missing(path))
            }
            Media::Sequence(s) => {
                let Some(pattern) = self.pattern(root) else {
                    return Some(MediaProblem::Missing(resolve(root, &s.pattern)));
                };
                let range = FrameRange::new(s.first, s.last)?;
                let missing = pattern.missing(range);
                if missing.len() as u64 == range.len() {
                    Some(MediaProblem::Missing(pattern.to_path()))
                } else if missing.is_empty() {
                    None
                } else {
                    Some(MediaProblem::MissingFrames { pattern: pattern.to_path(), frames: missing })
                }
            }
        }
    }

    /// The same media, its path made to resolve from `new_root` instead of `old_root`: relative when it
    /// lies below `new_root`, absolute otherwise.
    pub fn rebased(&self, old_root: &Path, new_root: &Path) -> Media {
        let mut out = self.clone();
        out.set_path(relative_to(&resolve(old_root, self.path()), new_root));
        out
    }
}

/// `path` resolved against `root` unless it is absolute.
pub fn resolve(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_path_buf() } else { root.join(path) }
}

/// `path` relative to `dir` when it lies below it, else absolute. Patterns (`a.####.exr`) work too:
/// their folder is what gets compared.
pub fn relative_to(path: &Path, dir: &Path) -> PathBuf {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| absolute(p));
    let (file_dir, name) = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => (canonical(parent), name.to_os_string()),
        _ => return canonical(path),
    };
    let full = file_dir.join(name);
    full.strip_prefix(canonical(dir)).map(Path::to_path_buf).unwrap_or(full)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Something a shot needs that is not on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaProblem {
    /// The still, or every frame of the sequence, is missing.
    Missing(PathBuf),
    /// Some frames of the sequence are missing.
    MissingFrames {
        /// The sequence.
        pattern: PathBuf,
        /// The absent frame numbers.
        frames: Vec<u32>,
    },
}

impl std::fmt::Display for MediaProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MediaProblem::Missing(p) => write!(f, "{}: missing", p.display()),
            MediaProblem::MissingFrames { pattern, frames } => write!(
                f,
                "{}: {} frame(s) missing: {}",
                pattern.display(),
                frames.len(),
                sequence::describe_frames(frames)
            ),
        }
    }
}

/// A shot whose media is not (all) there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShotMediaProblem {
    /// Which shot.
    pub shot: ShotRef,
    /// Its name.
    pub name: String,
    /// What is wrong.
    pub problem: MediaProblem,
}

/// What [`Project::relink_search`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelinkReport {
    /// Shots relinked: name, old path, new path (as stored).
    pub relinked: Vec<(String, PathBuf, PathBuf)>,
    /// Shots whose media is missing and was not found.
    pub not_found: Vec<String>,
}

/// How deep relinking searches below the folder it is given.
pub const RELINK_SEARCH_DEPTH: usize = 12;

impl Project {
    /// Every shot whose media is missing or has missing frames; `root` is the project's folder.
    pub fn media_problems(&self, root: &Path) -> Vec<ShotMediaProblem> {
        self.shots()
            .filter_map(|(r, shot)| {
                shot.media.check(root).map(|problem| ShotMediaProblem { shot: r, name: shot.name.clone(), problem })
            })
            .collect()
    }

    /// Makes every media path resolve from `new_root` (the folder a project is about to be saved in)
    /// instead of `old_root`: relative below it, absolute elsewhere. Still images, and the files the
    /// grades name (LUTs, in every version and every still), are rebased too.
    pub fn rebase_media(&mut self, old_root: &Path, new_root: &Path) {
        let rebase = |p: &mut PathBuf| *p = relative_to(&resolve(old_root, p), new_root);
        for scene in &mut self.scenes {
            for shot in &mut scene.shots {
                shot.media = shot.media.rebased(old_root, new_root);
                for v in &mut shot.versions {
                    v.grade.for_each_file_mut(rebase);
                }
            }
        }
        for still in &mut self.stills {
            still.image = relative_to(&resolve(old_root, &still.image), new_root);
            still.grade.for_each_file_mut(rebase);
        }
        if let Some(config) = &mut self.color.ocio_config
            && !crate::ops::ocio::is_builtin_config(config)
        {
            rebase(config);
        }
    }

    /// Every file a shot's current grade names that is not there (a LUT), as "shot: path"; `root`
    /// is the project's folder, which relative paths are relative to.
    pub fn missing_files(&self, root: &Path) -> Vec<String> {
        let mut missing = Vec::new();
        if let Some(config) = &self.color.ocio_config
            && !crate::ops::ocio::is_builtin_config(config)
            && !resolve(root, config).is_file()
        {
            missing.push(format!("OCIO config: {}", config.display()));
        }
        for (_, shot) in self.shots() {
            let mut grade = shot.grade().clone();
            grade.for_each_file_mut(|p| {
                if !resolve(root, p).is_file() {
                    missing.push(format!("{}: {}", shot.name, p.display()));
                }
            });
        }
        missing
    }

    /// Media that lived under `from` now lives under `to`: rewrites every shot whose resolved path
    /// starts with `from`. Returns how many shots changed. `root` is the project's folder.
    pub fn relink(&mut self, root: &Path, from: &Path, to: &Path) -> usize {
        let from_abs = absolute(&resolve(root, from));
        let mut changed = 0;
        for scene in &mut self.scenes {
            for shot in &mut scene.shots {
                let old = absolute(&resolve(root, shot.media.path()));
                if let Ok(rest) = old.strip_prefix(&from_abs) {
                    let new = resolve(root, &to.join(rest));
                    shot.media.set_path(relative_to(&new, root));
                    changed += 1;
                }
            }
        }
        changed
    }

    /// Looks for every shot whose media is wholly missing in `search` (recursively): a still or a clip
    /// by its file name, a sequence by the folder holding the most of its frames. `root` is the project's
    /// folder. Frame ranges are kept.
    pub fn relink_search(&mut self, root: &Path, search: &Path) -> std::io::Result<RelinkReport> {
        let mut report = RelinkReport::default();
        let missing: Vec<ShotRef> = self
            .media_problems(root)
            .into_iter()
            .filter(|p| matches!(p.problem, MediaProblem::Missing(_)))
            .map(|p| p.shot)
            .collect();
        if missing.is_empty() {
            return Ok(report);
        }
        let index = index_files(search)?;
        for r in missing {
            let shot = self.shot_mut(r).expect("shot from media_problems");
            let found = match &shot.media {
                Media::Still(p) | Media::Clip(ClipMedia { path: p, .. }) => p
                    .file_name()
                    .and_then(|n| index.get(n.to_str()?))
                    .and_then(|dirs| dirs.first())
                    .map(|dir| dir.join(p.file_name().expect("has a file name"))),
                Media::Sequence(s) => find_sequence(&index, s),
            };
            match found {
                Some(new) => {
                    let old = shot.media.path().to_path_buf();
                    shot.media.set_path(relative_to(&new, root));
                    report.relinked.push((shot.name.clone(), old, shot.media.path().to_path_buf()));
                }
                None => report.not_found.push(shot.name.clone()),
            }
        }
        Ok(report)
    }
}

/// The folder in `index` holding the most frames of `s`'s range, as the pattern's new path.
fn find_sequence(index: &HashMap<String, Vec<PathBuf>>, s: &SequenceMedia) -> Option<PathBuf> {
    let pattern = SequencePattern::parse(&s.pattern).ok()?;
    let mut counts: HashMap<&Path, u64> = HashMap::new();
    for (name, dirs) in index {
        if pattern.match_file_name(name).is_some_and(|f| (s.first..=s.last).contains(&f)) {
            for dir in dirs {
                *counts.entry(dir.as_path()).or_default() += 1;
            }
        }
    }
    let best = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))?.0;
    Some(best.join(pattern.to_path().file_name()?))
}

/// File name → folders holding a file of that name, below `dir` (hidden folders skipped).
pub(super) fn index_files(dir: &Path) -> std::io::Result<HashMap<String, Vec<PathBuf>>> {
    let mut index: HashMap<String, Vec<PathBuf>> = HashMap::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    // The folder given must be readable; unreadable folders below it are skipped.
    let mut first = true;
    while let Some((folder, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(e) => e,
            Err(e) if first => return Err(e),
            Err(_) => continue,
        };
        first = false;
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind.is_dir() {
                if depth < RELINK_SEARCH_DEPTH && !name.starts_with('.') {
                    stack.push((entry.path(), depth + 1));
                }
            } else {
                index.entry(name).or_default().push(folder.clone());
            }
        }
    }
    for dirs in index.values_mut() {
        dirs.sort();
    }
    Ok(index)
}
