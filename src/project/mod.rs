//! Projects: scenes of shots, each shot with its media (a still or a frame sequence), colour spaces,
//! grade versions, notes and review status, plus a gallery of stills.
//!
//! Plain versioned serde data like the grade. Media paths are stored relative to the project file where
//! possible; saves are atomic (temporary file, fsync, rename) so a crash never leaves a half project.
//! Older format versions are migrated on load ([`migrate`]); newer ones are refused.

mod autosave;
mod edl_import;
mod media;
mod migrate;
pub mod qc;
mod session;
mod stills;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::color::space::ColorSpace;
use crate::grade::pipeline::DEFAULT_WORKING_SPACE;
use crate::grade::{Grade, GradeError};
use crate::ops::color_transform::{ColorTransform, ToneMapping};

pub use autosave::{AUTOSAVE_INTERVAL, autosave_path, recovery_candidate, remove_autosave};
pub use edl_import::{EDL_VERSION_NAME, EdlImport, default_project_name, import_edl};
pub use media::{
    ClipMedia, Media, MediaProblem, RELINK_SEARCH_DEPTH, RelinkReport, SequenceMedia, ShotMediaProblem, relative_to,
    resolve,
};
pub use session::{EditSession, ShotRef};
pub use stills::{STILLS_DIR, Still};

/// The project file format version this build writes and the newest it reads.
///
/// 1: a shot's `media` is a path. 2: `media` is `{"still": path}` or `{"sequence": {pattern, first,
/// last}}`, shots may name `input_space`/`output_space`, and the project keeps `stills`. A shot's
/// optional `frame_rate` came later without a new version: it defaults to 24 and is only written when
/// it differs, so files without it are unchanged.
pub const PROJECT_FORMAT_VERSION: u32 = 3;

/// A grading project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// File format version ([`PROJECT_FORMAT_VERSION`]).
    pub version: u32,
    /// Display name.
    pub name: String,
    /// Scenes in order.
    #[serde(default)]
    pub scenes: Vec<Scene>,
    /// The stills gallery, oldest first.
    #[serde(default)]
    pub stills: Vec<Still>,
    /// The show's OpenColorIO config and its working space and display/view, when the project uses
    /// one (its shots then name the config's colour spaces, see [`ShotOcio`]).
    #[serde(default, skip_serializing_if = "ProjectColor::is_unset")]
    pub color: ProjectColor,
}

/// A project's OpenColorIO setting. With a config, every shot is converted from its media's colour
/// space in the config ([`ShotOcio::input`]) to the working space, graded there, and shown and
/// delivered through the display and view (the shot's own, else the project's, else the config's
/// default); the shots' Cinegrade spaces are kept but not used.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectColor {
    /// The config: a `.ocio` file (relative to the project's folder) or an `ocio://` built-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocio_config: Option<PathBuf>,
    /// The grading space (`None`: the config's `color_timing` role, else `scene_linear`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working: Option<String>,
    /// The display (`None`: the config's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// The view (`None`: the display's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    /// The display and view each device preview renders through, where the colorist chose them
    /// (a device not listed, or a name left out, is found in the config:
    /// [`crate::ops::device_preview::ocio_display_view`]).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub devices: std::collections::BTreeMap<crate::ops::device_preview::Device, crate::ops::device_preview::DeviceOcio>,
}

impl ProjectColor {
    /// True when the project uses no config (nothing is written).
    pub fn is_unset(&self) -> bool {
        *self == ProjectColor::default()
    }

    /// The config, read (`root`: the project's folder); `None` without one.
    pub fn config(&self, root: &Path) -> Option<Result<std::sync::Arc<crate::color::ocio::OcioConfig>, String>> {
        let path = self.ocio_config.as_ref()?;
        let path = crate::ops::ocio::resolve_config(path, root);
        Some(crate::ops::ocio::config(&path).map_err(|e| e.to_string()))
    }

    /// What is wrong with it: a config that cannot be read, or a working space, display or view the
    /// config does not have. Names only make sense with a config.
    pub fn validate(&self, root: &Path) -> Result<(), String> {
        let Some(config) = self.config(root) else {
            let names = self.working.is_some() || self.display.is_some() || self.view.is_some();
            return match names || !self.devices.is_empty() {
                true => Err("a working space, display, view or device display needs an OCIO config".into()),
                false => Ok(()),
            };
        };
        let config = config?;
        check_ocio_names(&config, None, self.working.as_deref(), self.display.as_deref(), self.view.as_deref())?;
        // A device's display and view, where named, must be the config's (found ones are checked
        // when the preview is asked for).
        for (device, chosen) in self.devices.iter().filter(|(_, c)| !c.is_unset()) {
            crate::ops::device_preview::ocio_display_view(&config, *device, Some(chosen), None)
                .map_err(|e| format!("{}: {e}", device.label()))?;
        }
        Ok(())
    }
}

/// Checks that `config` has the colour spaces and the display/view named (a view is checked
/// against the display named, else the config's default display).
fn check_ocio_names(
    config: &crate::color::ocio::OcioConfig,
    input: Option<&str>,
    working: Option<&str>,
    display: Option<&str>,
    view: Option<&str>,
) -> Result<(), String> {
    for space in [input, working].into_iter().flatten() {
        config.check_space(space)?;
    }
    if display.is_none() && config.default_display_view().is_none() {
        // A config without displays: nothing to check a view against.
        return Ok(());
    }
    config.check_display_view(display, view).map(drop)
}

/// A shot's colour spaces in the project's OpenColorIO config.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShotOcio {
    /// The media's colour space (`None`: the working space, nothing converted on the way in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// This shot's display instead of the project's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// This shot's view instead of the project's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
}

impl ShotOcio {
    fn is_unset(&self) -> bool {
        *self == ShotOcio::default()
    }

    /// What is wrong with it in a project with `color`: names its config lacks.
    pub fn validate(&self, color: &ProjectColor, root: &Path) -> Result<(), String> {
        let Some(config) = color.config(root) else {
            return match self.is_unset() {
                true => Ok(()),
                false => Err("the project has no OCIO config".into()),
            };
        };
        let config = config?;
        let display = self.display.as_deref().or(color.display.as_deref());
        let view = self.view.as_deref().or(if self.display.is_some() { None } else { color.view.as_deref() });
        check_ocio_names(&config, self.input.as_deref(), None, display, view)
    }
}

/// A group of shots (a scene, a reel, a sequence of the edit).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// Scene name.
    pub name: String,
    /// Shots in edit order.
    #[serde(default)]
    pub shots: Vec<Shot>,
}

/// Where a shot is in review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShotStatus {
    /// Not graded yet.
    #[default]
    NotStarted,
    /// Being graded.
    InProgress,
    /// Waiting for the supervisor.
    ForReview,
    /// Signed off.
    Approved,
}

impl ShotStatus {
    /// Every status in workflow order.
    pub const ALL: [ShotStatus; 4] = [Self::NotStarted, Self::InProgress, Self::ForReview, Self::Approved];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::InProgress => "In progress",
            Self::ForReview => "For review",
            Self::Approved => "Approved",
        }
    }
}

/// A named grade of a shot; a shot keeps several and one is current.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeVersion {
    /// Version name ("v1", "warm", "client pass 2").
    pub name: String,
    /// The grade.
    pub grade: Grade,
}

/// One shot: a still or a frame sequence with its colour spaces and grades.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shot {
    /// Shot name.
    pub name: String,
    /// The still or sequence; paths relative to the project file when below it.
    pub media: Media,
    /// The colour space the media is encoded in (camera log, display), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_space: Option<ColorSpace>,
    /// The colour space renders of this shot are delivered in, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_space: Option<ColorSpace>,
    /// The space the grade's nodes run in when converting (`None`: ACEScct).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_space: Option<ColorSpace>,
    /// Display rendering between the scene and display spaces (`auto`, Cinegrade's curve, when absent).
    #[serde(default, skip_serializing_if = "is_default_tone_map")]
    pub tone_map: ToneMapping,
    /// The HDR peak an `aces2` rendering is for (`None`: the display's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_nits: Option<u16>,
    /// Its colour spaces in the project's OpenColorIO config (used when the project has one).
    #[serde(default, skip_serializing_if = "ShotOcio::is_unset")]
    pub ocio: ShotOcio,
    /// Review status.
    #[serde(default)]
    pub status: ShotStatus,
    /// Grade versions (at least one).
    pub versions: Vec<GradeVersion>,
    /// Index of the current version.
    #[serde(default)]
    pub current_version: usize,
    /// Notes from the colorist or the supervisor.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The shot's last QC run and its waived findings.
    #[serde(default, skip_serializing_if = "qc::ShotQc::is_empty")]
    pub qc: qc::ShotQc,
    /// Frames per second a sequence plays at. Optional in the file (24 when absent, and not written
    /// when 24, so projects without it read and write exactly as before).
    #[serde(default = "default_frame_rate", skip_serializing_if = "is_default_frame_rate")]
    pub frame_rate: f64,
}

/// The frame rate of a shot whose project does not name one.
pub const DEFAULT_FRAME_RATE: f64 = 24.0;
/// The highest frame rate a shot may have.
pub const MAX_FRAME_RATE: f64 = 1000.0;

fn default_frame_rate() -> f64 {
    DEFAULT_FRAME_RATE
}

fn is_default_frame_rate(fps: &f64) -> bool {
    *fps == DEFAULT_FRAME_RATE
}

fn is_default_tone_map(t: &ToneMapping) -> bool {
    *t == ToneMapping::default()
}

/// How a shot's colour is managed: the spaces its media is in, is graded in and is delivered in,
/// and the display rendering between scene and display. One value so the app changes it as one
/// undo step and validates it whole.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShotColor {
    /// The media's space (`None`: not converted).
    pub input: Option<ColorSpace>,
    /// The grading space (`None`: ACEScct).
    pub working: Option<ColorSpace>,
    /// The delivery space (`None`: not converted).
    pub output: Option<ColorSpace>,
    /// Display rendering.
    pub tone_map: ToneMapping,
    /// HDR peak for `aces2`.
    pub peak_nits: Option<u16>,
}

impl ShotColor {
    /// The working space in effect.
    pub fn working_space(&self) -> ColorSpace {
        self.working.unwrap_or(DEFAULT_WORKING_SPACE)
    }

    /// What is wrong with it: a peak without an ACES 2.0 HDR rendering to take it.
    pub fn validate(&self) -> Result<(), String> {
        if self.peak_nits.is_none() {
            return Ok(());
        }
        let display = [self.input, self.output].into_iter().flatten().find(|s| !s.is_scene_referred());
        let t = ColorTransform {
            from: self.working_space(),
            to: display.unwrap_or(self.working_space()),
            tone_map: self.tone_map,
            peak_nits: self.peak_nits,
        };
        t.validate()
    }

    /// One line for the viewer's corner: `input -> working -> output · rendering`.
    pub fn caption(&self) -> String {
        let name = |s: Option<ColorSpace>| s.map_or("as stored", ColorSpace::name);
        let mut text = match (self.input, self.output) {
            (None, None) => "no colour conversion".to_string(),
            _ => format!("{} -> {} -> {}", name(self.input), self.working_space().name(), name(self.output)),
        };
        let renders = [self.input, self.output].into_iter().flatten().any(|s| !s.is_scene_referred());
        if renders {
            text.push_str(&format!(" · {}", self.tone_map.name()));
            if let Some(p) = self.peak_nits {
                text.push_str(&format!(" {p} nits"));
            }
        }
        text
    }
}

impl Shot {
    /// A new shot with one neutral version.
    pub fn new(name: impl Into<String>, media: impl Into<Media>) -> Self {
        Self {
            name: name.into(),
            media: media.into(),
            input_space: None,
            output_space: None,
            working_space: None,
            tone_map: ToneMapping::Auto,
            peak_nits: None,
            ocio: ShotOcio::default(),
            status: ShotStatus::NotStarted,
            versions: vec![GradeVersion { name: "v1".into(), grade: Grade::default() }],
            current_version: 0,
            notes: Vec::new(),
            qc: qc::ShotQc::default(),
            frame_rate: DEFAULT_FRAME_RATE,
        }
    }

    /// The shot's colour management.
    pub fn color(&self) -> ShotColor {
        ShotColor {
            input: self.input_space,
            working: self.working_space,
            output: self.output_space,
            tone_map: self.tone_map,
            peak_nits: self.peak_nits,
        }
    }

    /// The colour space transform node the app adds to this shot's grade: an identity in the space
    /// the grade's nodes see (the working space when the shot converts; values as stored, taken as
    /// linear Rec.709, when it does not), with the shot's rendering, so it changes nothing until the
    /// colorist picks a destination, and never assumes a camera the footage is not from.
    pub fn new_color_transform(&self) -> ColorTransform {
        let c = self.color();
        let converts = c.input.is_some() || c.output.is_some();
        let space = if converts { c.working_space() } else { ColorSpace::LinearRec709 };
        ColorTransform { from: space, to: space, tone_map: c.tone_map, peak_nits: None }
    }

    /// Sets the shot's colour management (checked first: an invalid one changes nothing).
    pub fn set_color(&mut self, c: ShotColor) -> Result<(), String> {
        c.validate()?;
        self.input_space = c.input;
        self.working_space = c.working;
        self.output_space = c.output;
        self.tone_map = c.tone_map;
        self.peak_nits = c.peak_nits;
        Ok(())
    }

    /// The current grade.
    pub fn grade(&self) -> &Grade {
        &self.versions[self.current_version.min(self.versions.len() - 1)].grade
    }

    /// The current grade, mutable.
    pub fn grade_mut(&mut self) -> &mut Grade {
        let i = self.current_version.min(self.versions.len() - 1);
        &mut self.versions[i].grade
    }

    /// The name of the current version.
    pub fn version_name(&self) -> &str {
        &self.versions[self.current_version.min(self.versions.len() - 1)].name
    }

    /// The file that stands for the shot, resolved against the project's folder: the still, or the
    /// first frame of a sequence (thumbnails, the viewer).
    pub fn media_path(&self, project_dir: &Path) -> PathBuf {
        self.media.poster_path(project_dir)
    }

    /// The file of frame `frame` (the still itself for a still shot), resolved against the project's
    /// folder.
    pub fn frame_path(&self, project_dir: &Path, frame: u32) -> PathBuf {
        self.media.frame_path(project_dir, frame)
    }
}

/// Why a project could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Malformed JSON or not a project.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A version this build does not read.
    #[error(
        "{path}: project format version {found} is not supported (this build reads 1 to {PROJECT_FORMAT_VERSION}){hint}"
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// Version found.
        found: u64,
        /// Advice.
        hint: &'static str,
    },
    /// Something inside is invalid (a shot without versions, a bad grade).
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl Project {
    /// An empty project.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            version: PROJECT_FORMAT_VERSION,
            name: name.into(),
            scenes: Vec::new(),
            stills: Vec::new(),
            color: ProjectColor::default(),
        }
    }

    /// Parses project JSON; `path` names the source in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, ProjectError> {
        let parse = |e: serde_json::Error| ProjectError::Parse {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string().split(" at line ").next().unwrap_or_default().to_string(),
        };
        let value: serde_json::Value = serde_json::from_str(text).map_err(parse)?;
        let found = value.get("version").and_then(|v| v.as_u64()).ok_or_else(|| ProjectError::Invalid {
            path: path.to_path_buf(),
            message: "missing or non-numeric \"version\": not a Cinegrade project".into(),
        })?;
        if found == 0 || found > u64::from(PROJECT_FORMAT_VERSION) {
            let hint = if found > u64::from(PROJECT_FORMAT_VERSION) {
                "; it was written by a newer Cinegrade: update to open it"
            } else {
                ""
            };
            return Err(ProjectError::Version { path: path.to_path_buf(), found, hint });
        }
        let mut value = value;
        // The grades inside (shots' versions, stills) carry their own format version.
        let grades_migrated = migrate::grades_to_current(&mut value)
            .map_err(|message| ProjectError::Invalid { path: path.to_path_buf(), message })?;
        let project: Project = if found < u64::from(PROJECT_FORMAT_VERSION) || grades_migrated {
            // Line and column refer to the file as written; a migrated value has none, so report 1:1.
            let migrated = migrate::to_current(value, found)
                .map_err(|message| ProjectError::Invalid { path: path.to_path_buf(), message })?;
            serde_json::from_value(migrated).map_err(|e| ProjectError::Parse {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: format!("(format version {found}, migrated) {e}"),
            })?
        } else {
            serde_json::from_str(text).map_err(parse)?
        };
        project.validate(path)?;
        Ok(project)
    }

    fn validate(&self, path: &Path) -> Result<(), ProjectError> {
        for scene in &self.scenes {
            for shot in &scene.shots {
                let invalid = |message: String| ProjectError::Invalid {
                    path: path.to_path_buf(),
                    message: format!("scene {:?}, shot {:?}: {message}", scene.name, shot.name),
                };
                if shot.versions.is_empty() {
                    return Err(invalid("has no grade version".into()));
                }
                if !(shot.frame_rate > 0.0 && shot.frame_rate <= MAX_FRAME_RATE) {
                    return Err(invalid(format!(
                        "frame rate {} is not a number of frames per second above 0 and at most {MAX_FRAME_RATE}",
                        shot.frame_rate
                    )));
                }
                if shot.current_version >= shot.versions.len() {
                    return Err(invalid(format!("current version {} does not exist", shot.current_version)));
                }
                for v in &shot.versions {
                    v.grade.validate(path).map_err(|e: GradeError| invalid(format!("version {:?}: {e}", v.name)))?;
                }
                if let Media::Sequence(seq) = &shot.media {
                    if seq.first > seq.last {
                        return Err(invalid(format!("sequence first frame {} is after last {}", seq.first, seq.last)));
                    }
                    if shot.media.pattern(Path::new("")).is_none() {
                        return Err(invalid(format!(
                            "{}: not a frame sequence pattern (expected name.####.ext)",
                            seq.pattern.display()
                        )));
                    }
                }
            }
        }
        for still in &self.stills {
            still.grade.validate(path).map_err(|e| ProjectError::Invalid {
                path: path.to_path_buf(),
                message: format!("still {:?}: {e}", still.name),
            })?;
        }
        Ok(())
    }

    /// Reads a project file.
    pub fn load(path: &Path) -> Result<Self, ProjectError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ProjectError::Io { path: path.to_path_buf(), source })?;
        Self::from_json(&text, path)
    }

    /// Writes the project atomically: a temporary file beside it, fsync, then rename over the old one.
    /// Always writes the current format version.
    pub fn save(&self, path: &Path) -> Result<(), ProjectError> {
        let io = |source| ProjectError::Io { path: path.to_path_buf(), source };
        let json = if self.version == PROJECT_FORMAT_VERSION {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string_pretty(&Project { version: PROJECT_FORMAT_VERSION, ..self.clone() })
        }
        .expect("a project always serialises");
        crate::media::write_bytes_atomically(path, json.as_bytes()).map_err(io)
    }

    /// Every shot with its (scene, shot) indices, in order.
    pub fn shots(&self) -> impl Iterator<Item = (ShotRef, &Shot)> {
        self.scenes.iter().enumerate().flat_map(|(s, scene)| {
            scene.shots.iter().enumerate().map(move |(i, shot)| (ShotRef { scene: s, shot: i }, shot))
        })
    }

    /// The shot at `r`, if it exists.
    pub fn shot(&self, r: ShotRef) -> Option<&Shot> {
        self.scenes.get(r.scene)?.shots.get(r.shot)
    }

    /// The shot at `r`, mutable.
    pub fn shot_mut(&mut self, r: ShotRef) -> Option<&mut Shot> {
        self.scenes.get_mut(r.scene)?.shots.get_mut(r.shot)
    }
}

/// Where the bundled demo project lives: `$CINEGRADE_ASSETS/demo`, `assets/demo` beside the
/// executable, or the source tree's `assets/demo` (for `cargo run`).
pub fn demo_project_path() -> Option<PathBuf> {
    let mut roots = Vec::new();
    if let Some(dir) = std::env::var_os("CINEGRADE_ASSETS") {
        roots.push(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        roots.push(dir.join("assets"));
    }
    roots.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets"));
    roots.into_iter().map(|r| r.join("demo/demo.cgproj")).find(|p| p.is_file())
}

/// The next free "vN" version name after the ones given.
pub fn next_version_name<'a>(existing: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = existing.collect();
    (names.len() + 1..)
        .map(|n| format!("v{n}"))
        .find(|n| !names.iter().any(|e| e.split_whitespace().next() == Some(n)))
        .unwrap_or_default()
}
