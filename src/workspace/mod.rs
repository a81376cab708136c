//! The app's model without egui: the open project and its edit session, the selected shot on the GPU
//! and how it is viewed, sequence playback, scopes, thumbnails, stills and the status line. The
//! desktop app (`ui/`), `cinegrade play` ([`headless`]) and the tests all drive this; the UI only
//! draws it and turns clicks and keys into the calls below.

mod animation;
pub mod headless;
mod playback;
pub mod qc;
mod scopes;
mod stills;
mod thumbnails;
mod view;
pub mod windows;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

pub use animation::{StripKey, TrackDirection, TrackJob};
pub use scopes::Scopes;
pub use thumbnails::Thumbnail;
pub use view::{CompareMode, Monitor, OverlayChoice, ShotView, ViewState, Zoom};

use crate::gpu::GpuContext;
use crate::gpu::viewer::Probe;
use crate::media;
use crate::project::{EditSession, Project, Scene, Shot, ShotRef, demo_project_path};

/// Most recent projects remembered.
const RECENT_MAX: usize = 8;

/// A message in the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// Text.
    pub text: String,
    /// Shown in the error colour.
    pub is_error: bool,
}

/// How many status messages the messages window keeps.
pub const MESSAGE_LOG: usize = 200;

/// Everything the app shows and edits.
pub struct Workspace {
    /// The GPU context (eframe's device in the app).
    pub gpu: Arc<GpuContext>,
    /// The project being edited.
    pub session: EditSession,
    /// Bypass, comparison, wipe, zoom and pan.
    pub viewing: ViewState,
    /// Index of the node the grade panel edits.
    pub node: usize,
    /// Last status message.
    pub status: Option<Status>,
    /// Every status message of the session, oldest first (the last [`MESSAGE_LOG`]), for the
    /// messages window: the status line shows one line of the latest.
    pub messages: Vec<Status>,
    /// Recent project files, newest first.
    pub recent: Vec<PathBuf>,
    /// Last pixel probe.
    pub probe: Option<Probe>,
    /// A project whose autosave is newer than its file: the app asks whether to recover it.
    pub pending_recovery: Option<PathBuf>,
    /// The frame shown of the selected shot when it is a sequence (`None`: its first frame).
    pub frame: Option<u32>,
    /// The scopes shown and their settings.
    pub scopes: Scopes,
    shot_view: Option<ShotView>,
    frames: HashMap<PathBuf, Arc<media::LoadedImage>>,
    thumbnails: thumbnails::Thumbnails,
    frame_shot: Option<ShotRef>,
    playback: Option<playback::ShotPlayback>,
    last_autosave: Instant,
    qc_job: Option<qc::QcJob>,
    track_job: Option<TrackJob>,
}

/// The project's OpenColorIO names for the colour panel: colour spaces, and displays with their
/// views; `None` without a config, an error when it cannot be read.
pub fn ocio_names(session: &crate::project::EditSession) -> Option<Result<OcioNames, String>> {
    let config = session.project.color.config(&session.media_root)?;
    Some(config.map(|c| OcioNames {
        spaces: c.color_spaces().into_iter().map(|(name, ..)| name).collect(),
        displays: c.displays(),
        default_display: c.default_display_view().map(|(d, _)| d),
    }))
}

/// A device and the (display, view) of the config it previews through, or why it cannot.
pub type DeviceOutput = (crate::ops::device_preview::Device, Result<(String, String), String>);

/// The display and view each device previews `shot` through in the project's OpenColorIO config
/// (or why it cannot), for the colour panel; `None` without a config.
pub fn device_outputs(session: &crate::project::EditSession, shot: &crate::project::Shot) -> Option<Vec<DeviceOutput>> {
    let color = &session.project.color;
    let config = color.config(&session.media_root)?;
    let used = crate::ops::device_preview::Device::ALL.map(|device| {
        let used = config.as_ref().map_err(Clone::clone);
        (device, used.and_then(|c| crate::export::device_display_view(color, shot, c, device)))
    });
    Some(used.to_vec())
}

/// An OpenColorIO config's names, as the colour panel lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OcioNames {
    /// Colour spaces in file order.
    pub spaces: Vec<String>,
    /// Displays in file order, each with its views.
    pub displays: Vec<(String, Vec<String>)>,
    /// The config's default display.
    pub default_display: Option<String>,
}

impl OcioNames {
    /// The views of `display` (or of the default display).
    pub fn views(&self, display: Option<&str>) -> Vec<String> {
        let display = display.or(self.default_display.as_deref());
        self.displays.iter().find(|(d, _)| Some(d.as_str()) == display).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The display names.
    pub fn display_names(&self) -> Vec<String> {
        self.displays.iter().map(|(d, _)| d.clone()).collect()
    }
}

impl Workspace {
    /// A workspace on an empty project.
    pub fn new(gpu: Arc<GpuContext>, recent: Vec<PathBuf>) -> Self {
        Self {
            gpu,
            session: EditSession::new(Project::new("Untitled"), None, PathBuf::from(".")),
            viewing: ViewState::default(),
            node: 0,
            status: None,
            messages: Vec::new(),
            recent,
            probe: None,
            pending_recovery: None,
            frame: None,
            scopes: Scopes::default(),
            shot_view: None,
            frames: HashMap::new(),
            thumbnails: Default::default(),
            frame_shot: None,
            playback: None,
            last_autosave: Instant::now(),
            qc_job: None,
            track_job: None,
        }
    }

    /// The selected shot's colour pipeline, for the viewer's corner.
    pub fn color_caption(&self) -> Option<String> {
        let r = self.session.selected?;
        let shot = self.session.project.shot(r)?;
        let color = &self.session.project.color;
        if color.ocio_config.is_none() {
            return Some(shot.color().caption());
        }
        // `input -> working -> display / view (OCIO)`, with the config's defaults filled in.
        let pipeline = crate::export::shot_pipeline(color, shot, &self.session.media_root);
        let [input, working, output] = pipeline.describe_spaces();
        Some(format!("{input} -> {working} -> {output} (OCIO)"))
    }

    /// Shows an informational message in the status line.
    pub fn info(&mut self, text: &str) {
        self.set_status(Status { text: text.to_string(), is_error: false });
    }

    /// Shows an error in the status line (errors never end the app).
    pub fn report_error(&mut self, text: String) {
        self.set_status(Status { text, is_error: true });
    }

    fn set_status(&mut self, status: Status) {
        if self.messages.len() == MESSAGE_LOG {
            self.messages.remove(0);
        }
        self.messages.push(status.clone());
        self.status = Some(status);
    }

    /// Keeps the viewer, playback, scopes and autosave up to date; call once per UI frame (cheap when
    /// nothing changed).
    pub fn update(&mut self) {
        self.poll_qc();
        self.poll_track();
        self.sync_viewer();
        self.sync_scopes();
        if self.last_autosave.elapsed() >= crate::project::AUTOSAVE_INTERVAL {
            self.autosave_now();
        }
    }

    /// True when the next UI frame must come soon: an edit not on screen yet, stale scopes, playback.
    pub fn needs_repaint(&self) -> bool {
        let wanted =
            self.session.selected.and_then(|r| self.session.project.shot(r)).and_then(|s| self.viewer_grade(s).ok());
        self.shot_view.as_ref().is_some_and(|v| v.rendered != wanted)
            || self.scopes.is_stale()
            || self.is_playing()
            || self.qc_job.is_some()
            || self.track_job.is_some()
    }

    // --- projects -------------------------------------------------------------------------------

    /// Opens the bundled demo project (saving it asks for a new location, so the bundle stays intact).
    pub fn open_demo(&mut self) {
        match demo_project_path() {
            Some(path) => match Project::load(&path) {
                Ok(project) => {
                    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    self.set_session(EditSession::new(project, None, root));
                    self.info("Demo project: grade a shot, compare with Ctrl+W, save a copy with Ctrl+S");
                }
                Err(e) => self.report_error(e.to_string()),
            },
            None => {
                self.report_error("the demo project (assets/demo) was not found; open a project with Ctrl+O".into())
            }
        }
    }

    /// Opens a project file.
    pub fn open_project(&mut self, path: &Path) -> Result<(), crate::project::ProjectError> {
        let project = Project::load(path)?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let missing = project.missing_files(&root);
        self.set_session(EditSession::new(project, Some(path.to_path_buf()), root));
        self.remember_recent(path);
        self.info(&format!("Opened {}", path.display()));
        if !missing.is_empty() {
            let more = if missing.len() > 3 { format!(" and {} more", missing.len() - 3) } else { String::new() };
            self.report_error(format!("Missing LUT {}{more}", missing[..missing.len().min(3)].join(", ")));
        }
        // A newer autosave means the last session ended without saving (a crash): offer it.
        self.pending_recovery = crate::project::recovery_candidate(path).map(|_| path.to_path_buf());
        Ok(())
    }

    /// Replaces the open project with its autosave (the user accepted recovery); unsaved until saved.
    pub fn recover_autosave(&mut self) {
        let Some(path) = self.pending_recovery.take() else { return };
        match Project::recover(&path) {
            Ok(recovered) => {
                self.session.edit("recover autosave", |p| *p = recovered);
                self.info("Recovered the autosave: save (Ctrl+S) to keep it");
            }
            Err(e) => self.report_error(e.to_string()),
        }
    }

    /// Declines recovery: the autosave is removed and the project stays as saved.
    pub fn discard_autosave(&mut self) {
        if let Some(path) = self.pending_recovery.take()
            && let Err(e) = crate::project::remove_autosave(&path)
        {
            self.report_error(e.to_string());
        }
    }

    /// Writes the autosave beside the project when there are unsaved changes (projects that were
    /// never saved have no place for one yet).
    pub fn autosave_now(&mut self) {
        self.last_autosave = Instant::now();
        if let (Some(path), true) = (self.session.path.clone(), self.session.is_dirty())
            && let Err(e) = self.session.project.autosave(&path)
        {
            self.report_error(format!("autosave failed: {e}"));
        }
    }

    fn set_session(&mut self, session: EditSession) {
        self.session = session;
        self.drop_view();
        self.thumbnails.clear();
        self.frames.clear();
        self.playback = None;
        self.node = 0;
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_MAX);
    }

    /// Saves to the project's file; `false` when it has none yet (the app then asks where).
    pub fn save(&mut self) -> bool {
        match self.session.path.clone() {
            Some(path) => {
                self.save_to(&path);
                true
            }
            None => false,
        }
    }

    /// Saves to `path`. Relative media paths are rewritten so they still resolve from the new place.
    pub fn save_to(&mut self, path: &Path) {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut project = self.session.project.clone();
        project.rebase_media(&self.session.media_root, &dir);
        match project.save(path) {
            Ok(()) => {
                self.session.project = project;
                self.session.media_root = dir;
                self.session.mark_saved(path.to_path_buf());
                // The saved file supersedes any autosave; a stale one must not be offered later.
                let _ = crate::project::remove_autosave(path);
                self.remember_recent(path);
                self.info(&format!("Saved {}", path.display()));
            }
            Err(e) => self.report_error(e.to_string()),
        }
    }

    // --- edits ----------------------------------------------------------------------------------

    /// Undoes the last edit.
    pub fn undo(&mut self) {
        match self.session.undo() {
            Some(what) => self.info(&format!("Undo {what}")),
            None => self.info("Nothing to undo"),
        }
    }

    /// Redoes the last undone edit.
    pub fn redo(&mut self) {
        match self.session.redo() {
            Some(what) => self.info(&format!("Redo {what}")),
            None => self.info("Nothing to redo"),
        }
    }

    /// Copies the selected shot's grade (the shortcut, the menu and the shot's context menu alike),
    /// saying so in the status line.
    pub fn copy_grade(&mut self) {
        let name = self.selected_name();
        if self.session.copy_grade() {
            self.info(&format!("Copied the grade of {name}"));
        } else {
            self.info("Select a shot to copy its grade");
        }
    }

    /// Pastes the copied grade onto the selected shot (one undo step), saying so in the status line.
    pub fn paste_grade(&mut self) {
        let name = self.selected_name();
        if self.session.paste_grade() {
            self.info(&format!("Pasted the grade onto {name}"));
        } else {
            self.info("Nothing to paste: copy a shot's grade first");
        }
    }

    fn selected_name(&self) -> String {
        self.session.selected.and_then(|r| self.session.project.shot(r)).map(|s| s.name.clone()).unwrap_or_default()
    }

    /// A DPX header's transfer and colorimetric codes as the new shot's colour spaces: a display
    /// encoding (BT.709, PQ, HLG) becomes its input and output space, so the picture looks as it did
    /// and grades in the working space; a scene-linear one is only reported (its display is the
    /// colorist's choice).
    fn apply_space_hint(&mut self, shot: &mut Shot, path: &Path) {
        let Ok(header) = media::dpx::read_header(path) else { return };
        let Some(space) = header.input_space_hint().and_then(|n| n.parse::<crate::color::space::ColorSpace>().ok())
        else {
            return;
        };
        if space.is_scene_referred() {
            self.info(&format!(
                "{}: the DPX header says {}; set it as the input space in Colour",
                shot.name,
                space.name()
            ));
        } else {
            shot.input_space = Some(space);
            shot.output_space = Some(space);
        }
    }

    /// Adds frames as new shots in an "Imported" scene and selects the first.
    pub fn import_frames(&mut self, paths: &[PathBuf]) {
        let mut first = None;
        for path in paths {
            if let Err(e) = media::load(path) {
                self.report_error(e.to_string());
                continue;
            }
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let media = path.canonicalize().unwrap_or_else(|_| path.clone());
            let mut shot = match clip_shot(&name, &media) {
                Some(Ok(shot)) => shot,
                Some(Err(e)) => {
                    self.report_error(e.to_string());
                    continue;
                }
                None => Shot::new(name, media),
            };
            self.apply_space_hint(&mut shot, path);
            self.session.edit("import frame", |p| {
                if p.scenes.last().is_none_or(|s| s.name != "Imported") {
                    p.scenes.push(Scene { name: "Imported".into(), shots: Vec::new() });
                }
                let scene = p.scenes.len() - 1;
                p.scenes[scene].shots.push(shot);
            });
            let scene = self.session.project.scenes.len() - 1;
            let shot = self.session.project.scenes[scene].shots.len() - 1;
            first.get_or_insert(ShotRef { scene, shot });
        }
        if let Some(r) = first {
            self.session.select(r);
            self.info(&format!("Imported {} frame(s)", paths.len()));
        }
    }

    /// Applies the first (or only) correction of a CDL file to the selected node's CDL.
    pub fn import_cdl(&mut self, path: &Path) {
        match crate::interchange::read_cdl_file(path) {
            Ok(corrections) => match corrections.first() {
                Some(cc) => {
                    let cdl = cc.cdl;
                    if self.edit_primaries("import CDL", |p| p.cdl = cdl) {
                        let id = cc.id.clone().unwrap_or_else(|| "(no id)".into());
                        self.info(&format!("Applied CDL {id} from {}", path.display()));
                    }
                }
                None => self.report_error(format!("{}: no ColorCorrection in file", path.display())),
            },
            Err(e) => self.report_error(e.to_string()),
        }
    }

    /// Appends a LUT node for `path` to the selected shot's grade (the file is read first, so a
    /// malformed LUT is reported with its line and never lands in the grade).
    pub fn add_lut(&mut self, path: &Path) {
        if let Err(e) = crate::ops::lut::load_data(path) {
            self.report_error(e.to_string());
            return;
        }
        let Some(mut grade) = self.session.grade().cloned() else { return };
        // Relative to the project's folder when below it, so the project can move with its looks.
        let stored = crate::project::relative_to(path, &self.session.media_root);
        grade.nodes.push(crate::grade::Node::new(crate::grade::Op::Lut(crate::ops::lut::Lut::new(stored))));
        self.node = grade.nodes.len() - 1;
        self.session.end_interaction();
        self.session.set_grade("add LUT", grade);
        self.session.end_interaction();
        self.info(&format!("Added LUT {}", path.display()));
    }

    /// Makes `path` (a `.ocio` file, or an `ocio://` name) the project's OpenColorIO config, as one
    /// undo step: stored relative to the project's folder when below it; the working space and
    /// display/view start at the config's defaults. A config that cannot be read changes nothing and
    /// is reported.
    pub fn set_ocio_config(&mut self, path: &Path) {
        let stored = if crate::ops::ocio::is_builtin_config(path) {
            path.to_path_buf()
        } else {
            crate::project::relative_to(path, &self.session.media_root)
        };
        let color = crate::project::ProjectColor { ocio_config: Some(stored), ..Default::default() };
        match self.session.set_project_color("OCIO config", color) {
            Ok(()) => self.info(&format!("Colour managed by the OCIO config {}", path.display())),
            Err(e) => self.report_error(e),
        }
    }

    /// Edits the primaries of the node the grade panel shows (adding one if the grade has none).
    /// Returns false, reporting why, when the selected node is not a primaries node.
    pub fn edit_primaries(&mut self, what: &str, f: impl FnOnce(&mut crate::ops::primaries::Primaries)) -> bool {
        let Some(mut grade) = self.session.grade().cloned() else {
            return false;
        };
        if grade.nodes.is_empty() {
            grade.nodes.push(crate::grade::Node::new(crate::grade::Op::Primaries(Default::default())));
        }
        let index = self.node.min(grade.nodes.len() - 1);
        let node = &mut grade.nodes[index];
        let name = node.op.name();
        let crate::grade::Op::Primaries(p) = &mut node.op else {
            self.report_error(format!("node {} is a {name} node: select a primaries node to {what}", index + 1));
            return false;
        };
        f(p);
        self.session.end_interaction();
        self.session.set_grade(what, grade);
        self.session.end_interaction();
        true
    }

    /// What a dropped file is, by its extension.
    pub fn open_dropped(&mut self, dropped: Vec<PathBuf>) {
        let (mut frames, mut other) = (Vec::new(), Vec::new());
        let ext = |p: &Path| p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        for path in dropped {
            match ext(&path).as_str() {
                "png" | "jpg" | "jpeg" | "tif" | "tiff" | "exr" | "dpx" | "mov" | "mp4" | "m4v" | "mxf" | "mkv" => {
                    frames.push(path)
                }
                "cgproj" => {
                    if let Err(e) = self.open_project(&path) {
                        self.report_error(e.to_string());
                    }
                }
                _ => other.push(path),
            }
        }
        self.import_frames(&frames);
        for path in other {
            match ext(&path).as_str() {
                "cdl" | "cc" | "ccc" => self.import_cdl(&path),
                "cube" | "clf" => self.add_lut(&path),
                _ => self.report_error(format!("{}: not a frame, project, CDL or LUT", path.display())),
            }
        }
    }

    // --- thumbnails -----------------------------------------------------------------------------

    /// A small image of still `index` of the gallery (`None` when it cannot be read).
    pub fn still_thumbnail(&mut self, index: usize) -> Option<&Thumbnail> {
        let path = self.session.project.stills.get(index)?.image_path(&self.stills_root());
        self.thumbnails.still(&path)
    }

    /// A graded thumbnail of a shot (rendered on the GPU, cached until its grade or media changes);
    /// `None` when its media cannot be read.
    pub fn thumbnail(&mut self, r: ShotRef) -> Option<&Thumbnail> {
        let shot = self.session.project.shot(r)?;
        // The shot's colour pipeline frames its grade, as in the viewer, renders and exports.
        let grade = crate::export::shot_grade(&self.session.project.color, shot, &self.session.media_root);
        let media = shot.media_path(&self.session.media_root);
        let poster = shot.media.poster_source(&self.session.media_root);
        let sequence = shot.media.range().is_some();
        // A still's full frame is kept for the viewer anyway; a sequence's or clip's frames live in
        // the playback cache, so only its poster (the shot's first frame) is decoded here.
        let full = if sequence { None } else { self.frame(&media).ok() };
        self.thumbnails.get(&self.gpu, r, &grade, &poster, full.as_deref())
    }
}

/// A shot of a whole video clip at its frame rate; `None` when `path` is not a clip.
fn clip_shot(name: &str, path: &Path) -> Option<Result<Shot, media::MediaError>> {
    if !media::FileFormat::from_path(path).is_ok_and(media::FileFormat::is_video) {
        return None;
    }
    #[cfg(feature = "video")]
    return Some(media::video::probe(path).map(|info| {
        let mut shot = Shot::new(
            name,
            crate::project::Media::Clip(crate::project::ClipMedia {
                path: path.to_path_buf(),
                first: 0,
                last: info.frames - 1,
            }),
        );
        shot.frame_rate = info.fps();
        shot
    }));
    #[cfg(not(feature = "video"))]
    {
        let _ = name;
        Some(Err(media::MediaError::NoVideo(path.to_path_buf())))
    }
}
