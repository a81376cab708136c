//! The app's state and frame loop: menus, shortcuts, drag-and-drop, and the panels laid out around the
//! viewer. Every edit goes through the [`EditSession`] (undo, dirty flag); every picture comes from the
//! GPU [`Viewer`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::color::space::ColorSpace;
use crate::gpu::viewer::{DisplayKind, Probe, Viewer};
use crate::gpu::{GpuContext, GpuFrame, executor};
use crate::grade::Grade;
use crate::media;
use crate::playback::{CacheConfig, Direction, FrameCache, Player, PlayerStats, file_decoder};
use crate::project::{EditSession, Media, Project, Scene, Shot, ShotRef, demo_project_path};
use crate::scopes::{LumaWeights, ScopeEngine, ScopeKind, ScopeSettings};
use std::time::Instant;

/// Storage key of the recent projects list.
pub const RECENT_KEY: &str = "recent_projects";
const RECENT_MAX: usize = 8;
const THUMBNAIL_WIDTH: u32 = 160;
/// How long stepping to a frame that is not decoded yet may hold the UI (playback never waits).
const STEP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// While playing, the scopes follow the picture at most this often.
const SCOPES_WHILE_PLAYING: std::time::Duration = std::time::Duration::from_millis(250);

/// How the viewer compares the graded frame with its reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareMode {
    /// The graded frame alone.
    Off,
    /// Reference left of the line, graded right.
    WipeVertical,
    /// Reference above the line, graded below.
    WipeHorizontal,
    /// Reference and graded next to each other.
    SideBySide,
    /// |graded − reference| amplified.
    Difference,
}

impl CompareMode {
    /// Every mode, for menus.
    pub const ALL: [CompareMode; 5] =
        [Self::Off, Self::WipeVertical, Self::WipeHorizontal, Self::SideBySide, Self::Difference];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "Graded only",
            Self::WipeVertical => "Wipe (vertical)",
            Self::WipeHorizontal => "Wipe (horizontal)",
            Self::SideBySide => "Side by side",
            Self::Difference => "Difference",
        }
    }
}

/// Viewer zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    /// Fit the frame in the viewer.
    Fit,
    /// Screen points per frame pixel (1.0 = 100%).
    Scale(f32),
}

/// The current shot on the GPU.
pub(crate) struct ShotView {
    pub viewer: Viewer,
    pub shot: ShotRef,
    pub media: PathBuf,
    pub rendered: Option<Grade>,
    pub textures: Option<Vec<egui::TextureId>>,
    /// What the shown file holds (status line).
    pub info: media::ImageInfo,
}

/// The selected sequence's player, with what it was made for.
struct ShotPlayback {
    shot: ShotRef,
    media: Media,
    root: PathBuf,
    player: Player,
}

/// A message in the status line.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// Text.
    pub text: String,
    /// Shown in the error colour.
    pub is_error: bool,
}

/// The Cinegrade app.
pub struct CinegradeApp {
    /// The GPU context shared with eframe.
    pub gpu: Arc<GpuContext>,
    render_state: Option<eframe::egui_wgpu::RenderState>,
    /// The project being edited.
    pub session: EditSession,
    /// Bypass: show the ungraded source.
    pub bypass: bool,
    /// Comparison mode.
    pub compare: CompareMode,
    /// Wipe position, 0..1 across the frame.
    pub wipe: f32,
    /// Zoom.
    pub zoom: Zoom,
    /// Pan offset in points.
    pub pan: egui::Vec2,
    /// Index of the node the grade panel edits.
    pub node: usize,
    /// Last status message.
    pub status: Option<Status>,
    /// Recent project files, newest first.
    pub recent: Vec<PathBuf>,
    /// Last pixel probe.
    pub probe: Option<Probe>,
    pub(crate) view: Option<ShotView>,
    frames: HashMap<PathBuf, Arc<media::LoadedImage>>,
    thumbnails: HashMap<ShotRef, (egui::TextureHandle, Grade, PathBuf)>,
    posters: HashMap<PathBuf, Arc<media::Frame>>,
    /// Scope settings (luma weights follow the shot's output space).
    pub scope_settings: ScopeSettings,
    /// Scopes shown, in panel order.
    pub scope_kinds: Vec<ScopeKind>,
    scopes: Option<ScopeEngine>,
    scope_textures: Option<(u64, Vec<(ScopeKind, egui::TextureId)>)>,
    scopes_stale: bool,
    last_autosave: Instant,
    /// A project whose autosave is newer than its file: the app asks whether to recover it.
    pub pending_recovery: Option<PathBuf>,
    /// The frame shown of the selected shot when it is a sequence (`None`: its first frame).
    pub frame: Option<u32>,
    frame_shot: Option<ShotRef>,
    playback: Option<ShotPlayback>,
    scopes_at: Instant,
}

impl CinegradeApp {
    /// A new app on an empty project. `render_state` is eframe's (None in UI tests).
    pub fn new(
        gpu: Arc<GpuContext>,
        render_state: Option<eframe::egui_wgpu::RenderState>,
        recent: Vec<PathBuf>,
    ) -> Self {
        Self {
            gpu,
            render_state,
            session: EditSession::new(Project::new("Untitled"), None, PathBuf::from(".")),
            bypass: false,
            compare: CompareMode::Off,
            wipe: 0.5,
            zoom: Zoom::Fit,
            pan: egui::Vec2::ZERO,
            node: 0,
            status: None,
            recent,
            probe: None,
            view: None,
            frames: HashMap::new(),
            thumbnails: HashMap::new(),
            posters: HashMap::new(),
            scope_settings: ScopeSettings::default(),
            scope_kinds: vec![ScopeKind::Waveform, ScopeKind::Vectorscope],
            scopes: None,
            scope_textures: None,
            scopes_stale: true,
            last_autosave: Instant::now(),
            pending_recovery: None,
            frame: None,
            frame_shot: None,
            playback: None,
            scopes_at: Instant::now(),
        }
    }

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
        self.set_session(EditSession::new(project, Some(path.to_path_buf()), root));
        self.remember_recent(path);
        self.info(&format!("Opened {}", path.display()));
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

    fn autosave_tick(&mut self) {
        if self.last_autosave.elapsed() >= crate::project::AUTOSAVE_INTERVAL {
            self.autosave_now();
        }
    }

    fn set_session(&mut self, session: EditSession) {
        self.session = session;
        self.drop_view();
        self.thumbnails.clear();
        self.posters.clear();
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

    /// Shows an informational message in the status line.
    pub fn info(&mut self, text: &str) {
        self.status = Some(Status { text: text.to_string(), is_error: false });
    }

    /// Shows an error in the status line (errors never end the app).
    pub fn report_error(&mut self, text: String) {
        self.status = Some(Status { text, is_error: true });
    }

    fn drop_view(&mut self) {
        if let (Some(view), Some(rs)) = (self.view.take(), &self.render_state)
            && let Some(ids) = view.textures
        {
            let mut renderer = rs.renderer.write();
            for id in ids {
                renderer.free_texture(&id);
            }
        }
        self.probe = None;
    }

    /// Loads (once) the frame of a media path.
    fn frame(&mut self, path: &Path) -> Result<Arc<media::LoadedImage>, media::MediaError> {
        if let Some(f) = self.frames.get(path) {
            return Ok(f.clone());
        }
        let loaded = Arc::new(media::load(path)?);
        self.frames.insert(path.to_path_buf(), loaded.clone());
        Ok(loaded)
    }

    /// One line describing the selected shot's file: name, format, size, samples, channels.
    pub fn frame_info(&self) -> Option<String> {
        let view = self.view.as_ref()?;
        let info = &view.info;
        let mut name = view.media.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(range) = self.session.project.shot(view.shot).and_then(|s| s.media.range()) {
            let frame = self.frame.unwrap_or(range.first);
            name = format!("frame {frame} ({}-{})  {name}", range.first, range.last);
        }
        Some(format!(
            "{name}  {} {}x{} {} {}",
            info.format.name(),
            info.width,
            info.height,
            info.sample_type.describe(),
            info.channels.join("")
        ))
    }

    /// Makes the GPU viewer match the selected shot and its grade; re-renders only when the grade
    /// changed. Called every frame, cheap when nothing changed.
    pub fn sync_viewer(&mut self) {
        let Some(sel) = self.session.selected else {
            self.drop_view();
            return;
        };
        let Some(shot) = self.session.project.shot(sel) else {
            return;
        };
        if self.frame_shot != Some(sel) {
            self.frame_shot = Some(sel);
            self.frame = None;
        }
        // The shot's own colour spaces frame its grade, exactly as renders and exports do.
        let grade = crate::export::shot_grade(shot);
        self.scope_settings.luma = match shot.output_space {
            Some(ColorSpace::Rec2100Pq | ColorSpace::Rec2100Hlg) => LumaWeights::Rec2020,
            _ => LumaWeights::Rec709,
        };
        let range = shot.media.range();
        let media = shot.media_path(&self.session.media_root);
        if range.is_some() {
            self.sync_sequence(sel);
        } else {
            self.playback = None;
            if self.view.as_ref().is_none_or(|v| v.shot != sel || v.media != media) {
                let frame = match self.frame(&media) {
                    Ok(f) => f,
                    Err(e) => {
                        self.drop_view();
                        self.report_error(e.to_string());
                        return;
                    }
                };
                self.show_frame(sel, media, &frame);
            }
        }
        // The frame number the grade sees (grain changes per frame): the shown frame of a sequence.
        let frame_number = self.frame.or(range.map(|r| r.first)).unwrap_or(0);
        let Some(view) = self.view.as_mut() else {
            return;
        };
        // Each display costs a pass per edit (and per frame in playback): only those shown are drawn.
        let shown: &[DisplayKind] = match (self.bypass, self.compare) {
            (true, _) => &[DisplayKind::Source],
            (false, CompareMode::Off) => &[],
            (false, CompareMode::Difference) => &[DisplayKind::Difference],
            (false, CompareMode::WipeVertical | CompareMode::WipeHorizontal | CompareMode::SideBySide) => {
                &[DisplayKind::Reference]
            }
        };
        if view.viewer.show_only(shown) {
            view.rendered = None;
        }
        if view.rendered.as_ref() != Some(&grade) {
            if let Err(e) = view.viewer.render(&self.gpu, &grade, frame_number) {
                self.status = Some(Status { text: e.to_string(), is_error: true });
                return;
            }
            view.rendered = Some(grade);
            self.scopes_stale = true;
        }
        if view.textures.is_none()
            && let Some(rs) = &self.render_state
        {
            let mut renderer = rs.renderer.write();
            view.textures = Some(
                DisplayKind::ALL
                    .iter()
                    .map(|k| {
                        renderer.register_native_texture(
                            &rs.device,
                            view.viewer.display_view(*k),
                            wgpu::FilterMode::Linear,
                        )
                    })
                    .collect(),
            );
        }
    }

    /// Makes the selected sequence's player match the shot, advances its clock and puts the frame it
    /// wants on the GPU. Playing never waits for a decode; a paused step to a frame not decoded yet
    /// waits for it (up to [`STEP_TIMEOUT`]), as stepping always showed the exact frame asked for.
    fn sync_sequence(&mut self, sel: ShotRef) {
        let Some(shot) = self.session.project.shot(sel) else { return };
        let (media, fps, root) = (shot.media.clone(), shot.frame_rate, self.session.media_root.clone());
        let now = Instant::now();
        if !self.playback.as_ref().is_some_and(|p| p.shot == sel && p.media == media && p.root == root) {
            let Some(range) = media.range() else { return };
            let (decode_media, decode_root) = (media.clone(), root.clone());
            let decode = file_decoder(move |f| decode_media.frame_path(&decode_root, f));
            let mut player = Player::new(FrameCache::new(range, decode, CacheConfig::default()), fps, now);
            // The same shot with its media relinked keeps its frame.
            if let Some(frame) = self.frame {
                player.seek(frame);
            }
            self.playback = Some(ShotPlayback { shot: sel, media: media.clone(), root: root.clone(), player });
        }
        let Some(playback) = self.playback.as_mut() else { return };
        let player = &mut playback.player;
        if player.fps() != fps {
            player.set_fps(fps, now);
        }
        let mut present = player.tick(now);
        let mut error = player.take_error();
        if present.is_none() && !player.is_playing() && player.shown() != Some(player.target()) {
            match player.present_wait(STEP_TIMEOUT, now) {
                Ok(p) => present = p,
                Err(e) => error = Some(e.to_string()),
            }
        }
        if let Some(e) = error {
            self.report_error(e);
        }
        match present {
            Some(p) => {
                self.frame = Some(p.frame);
                self.show_frame(sel, media.frame_path(&root, p.frame), &p.image);
            }
            // Never leave the previous shot's picture up when this one's frame could not be shown.
            None if self.view.as_ref().is_some_and(|v| v.shot != sel) => self.drop_view(),
            None => {}
        }
    }

    /// Puts a decoded frame on the GPU: written in place into the shot's viewer when the size matches
    /// (playback allocates nothing per frame), else into a new viewer.
    fn show_frame(&mut self, sel: ShotRef, media: PathBuf, image: &media::LoadedImage) {
        let frame = &image.frame;
        if let Some(view) =
            self.view.as_mut().filter(|v| v.shot == sel && v.viewer.size() == (frame.width, frame.height))
        {
            match view.viewer.replace_source(&self.gpu, frame) {
                Ok(()) => {
                    view.media = media;
                    view.info = image.info.clone();
                    view.rendered = None;
                }
                Err(e) => self.report_error(format!("{}: {e}", media.display())),
            }
            return;
        }
        self.drop_view();
        match Viewer::new(&self.gpu, frame) {
            Ok(viewer) => {
                let info = image.info.clone();
                self.view = Some(ShotView { viewer, shot: sel, media, rendered: None, textures: None, info });
                self.pan = egui::Vec2::ZERO;
            }
            Err(e) => self.report_error(format!("{}: {e}", media.display())),
        }
    }

    /// The selected sequence's player (`None` for a still, or before the shot is loaded).
    pub fn player(&self) -> Option<&Player> {
        self.playback.as_ref().filter(|p| Some(p.shot) == self.session.selected).map(|p| &p.player)
    }

    fn player_mut(&mut self) -> Option<&mut Player> {
        let selected = self.session.selected;
        self.playback.as_mut().filter(|p| Some(p.shot) == selected).map(|p| &mut p.player)
    }

    /// True while the selected sequence plays.
    pub fn is_playing(&self) -> bool {
        self.player().is_some_and(Player::is_playing)
    }

    /// Plays the selected sequence in `direction` at its frame rate (nothing for a still).
    pub fn play(&mut self, direction: Direction) {
        if let Some(player) = self.player_mut() {
            player.play(direction, Instant::now());
        }
    }

    /// Stops playback; the frame on screen stays.
    pub fn stop(&mut self) {
        if let Some(player) = self.player_mut() {
            player.pause();
        }
    }

    /// Play forward when stopped, stop when playing.
    pub fn toggle_play(&mut self) {
        if let Some(player) = self.player_mut() {
            player.toggle(Instant::now());
        }
    }

    /// Whether playback loops over the shot's range.
    pub fn set_looping(&mut self, looping: bool) {
        if let Some(player) = self.player_mut() {
            player.set_looping(looping, Instant::now());
        }
    }

    /// Achieved frame rate, dropped frames and cache counters of the selected sequence.
    pub fn playback_stats(&mut self) -> Option<PlayerStats> {
        self.player_mut().map(|p| p.stats(Instant::now()))
    }

    /// Sets the selected shot's frame rate (one undo step).
    pub fn set_frame_rate(&mut self, fps: f64) {
        let Some(sel) = self.session.selected else { return };
        if !(fps > 0.0 && fps <= crate::project::MAX_FRAME_RATE) {
            self.report_error(format!("frame rate {fps} is not between 0 and {}", crate::project::MAX_FRAME_RATE));
            return;
        }
        if self.session.project.shot(sel).is_some_and(|s| s.frame_rate != fps) {
            self.session.edit("frame rate", |p| {
                if let Some(shot) = p.shot_mut(sel) {
                    shot.frame_rate = fps;
                }
            });
        }
    }

    /// Recomputes the shown scopes from the graded frame on the GPU (no readback) when the picture or
    /// the scope settings changed.
    pub fn sync_scopes(&mut self) {
        let Some(view) = self.view.as_ref() else { return };
        if !self.scopes_stale || self.scope_kinds.is_empty() {
            return;
        }
        // Scopes cost as much as the grade: while playing they follow a few times a second.
        if self.is_playing() && self.scopes_at.elapsed() < SCOPES_WHILE_PLAYING {
            return;
        }
        self.scopes_at = Instant::now();
        if self.scopes.is_none() {
            match ScopeEngine::new(&self.gpu) {
                Ok(engine) => self.scopes = Some(engine),
                Err(e) => {
                    self.report_error(e.to_string());
                    self.scope_kinds.clear();
                    return;
                }
            }
        }
        let Some(engine) = self.scopes.as_mut() else { return };
        if let Err(e) = engine.run(&self.gpu, view.viewer.graded(), &self.scope_settings, &self.scope_kinds) {
            self.status = Some(Status { text: e.to_string(), is_error: true });
            return;
        }
        self.scopes_stale = false;
        let generation = engine.generation();
        if let Some(rs) = &self.render_state
            && self.scope_textures.as_ref().is_none_or(|(g, _)| *g != generation)
        {
            let mut renderer = rs.renderer.write();
            if let Some((_, old)) = self.scope_textures.take() {
                for (_, id) in old {
                    renderer.free_texture(&id);
                }
            }
            let ids = ScopeKind::ALL
                .iter()
                .filter_map(|k| {
                    let image = engine.image(*k)?;
                    Some((*k, renderer.register_native_texture(&rs.device, &image.view, wgpu::FilterMode::Linear)))
                })
                .collect();
            self.scope_textures = Some((generation, ids));
        }
    }

    /// Marks the scopes for recomputation (after a settings change).
    pub fn invalidate_scopes(&mut self) {
        self.scopes_stale = true;
    }

    /// The scope engine, once a scope has been computed (tests read its counts).
    pub fn scope_engine(&self) -> Option<&ScopeEngine> {
        self.scopes.as_ref()
    }

    /// The egui texture of a scope image, when running with a renderer.
    pub(crate) fn scope_texture(&self, kind: ScopeKind) -> Option<egui::TextureId> {
        self.scope_textures.as_ref()?.1.iter().find(|(k, _)| *k == kind).map(|(_, id)| *id)
    }

    /// The selected shot's GPU viewer, once the shot is loaded.
    pub fn view(&self) -> Option<&Viewer> {
        self.view.as_ref().map(|v| &v.viewer)
    }

    /// The egui texture of a display kind, when running with a renderer.
    pub(crate) fn texture(&self, kind: DisplayKind) -> Option<egui::TextureId> {
        self.view.as_ref()?.textures.as_ref().map(|t| t[kind as usize])
    }

    /// The display kind the viewer shows now (bypass wins over comparison).
    pub fn shown(&self) -> DisplayKind {
        if self.bypass {
            DisplayKind::Source
        } else if self.compare == CompareMode::Difference {
            DisplayKind::Difference
        } else {
            DisplayKind::After
        }
    }

    /// A graded thumbnail for a shot (rendered on the GPU, cached until its grade changes).
    pub(crate) fn thumbnail(&mut self, ctx: &egui::Context, r: ShotRef) -> Option<egui::TextureId> {
        let shot = self.session.project.shot(r)?;
        let grade = shot.grade().clone();
        let media = shot.media_path(&self.session.media_root);
        let is_sequence = shot.media.range().is_some();
        if let Some((tex, g, m)) = self.thumbnails.get(&r)
            && *g == grade
            && *m == media
        {
            return Some(tex.id());
        }
        // Thumbnails keep only the small poster; a sequence's full frames live in the playback cache.
        let small = match self.posters.get(&media) {
            Some(small) => small.clone(),
            None => {
                let full = if is_sequence { Arc::new(media::load(&media).ok()?) } else { self.frame(&media).ok()? };
                let small = Arc::new(full.frame.downscale(THUMBNAIL_WIDTH));
                self.posters.insert(media.clone(), small.clone());
                small
            }
        };
        let graded = GpuFrame::upload(&self.gpu, &small)
            .and_then(|f| executor::apply_grade(&self.gpu, &grade, &f))
            .and_then(|f| f.download(&self.gpu))
            .ok()?;
        let image = egui::ColorImage::from_rgba_unmultiplied(
            [graded.width as usize, graded.height as usize],
            &graded.to_rgba8(),
        );
        let tex = ctx.load_texture(format!("thumb-{}-{}", r.scene, r.shot), image, egui::TextureOptions::LINEAR);
        let id = tex.id();
        self.thumbnails.insert(r, (tex, grade, media));
        Some(id)
    }

    /// Where stills are written: beside the project, or a temporary folder for a project that was
    /// never saved (the bundled demo's folder is never written to).
    pub fn stills_root(&self) -> PathBuf {
        match &self.session.path {
            Some(_) => self.session.media_root.clone(),
            None => std::env::temp_dir().join(format!("cinegrade-unsaved-{}", std::process::id())),
        }
    }

    /// Grabs the graded frame as a still with its grade (into the project's stills gallery, its image
    /// written as EXR) and makes it the comparison reference.
    pub fn grab_still(&mut self) {
        let (Some(view), Some(sel)) = (self.view.as_mut(), self.session.selected) else { return };
        if let Err(e) = view.viewer.grab_still(&self.gpu) {
            self.report_error(e.to_string());
            return;
        }
        view.rendered = None;
        let graded = match view.viewer.graded().download(&self.gpu) {
            Ok(f) => f,
            Err(e) => {
                self.report_error(e.to_string());
                return;
            }
        };
        let root = self.stills_root();
        match self.session.project.grab_still(&root, sel, None, &graded) {
            Ok(still) => {
                let name = still.name.clone();
                self.session.add_still(still);
                if self.compare == CompareMode::Off {
                    self.compare = CompareMode::WipeVertical;
                }
                self.info(&format!("{name} grabbed: comparisons now show it as the reference"));
            }
            Err(e) => self.report_error(e.to_string()),
        }
    }

    /// Makes still `index` of the gallery the comparison reference.
    pub fn compare_with_still(&mut self, index: usize) {
        let root = self.stills_root();
        let Some(still) = self.session.project.stills.get(index) else { return };
        let result = still.load_image(&root).map_err(|e| e.to_string()).and_then(|img| {
            let view = self.view.as_mut().ok_or("no shot is loaded")?;
            view.viewer.set_still_frame(&self.gpu, &img.frame).map_err(|_| {
                format!("{} is {}x{}, not this shot's size", still.name, img.info.width, img.info.height)
            })?;
            view.rendered = None;
            Ok(())
        });
        match result {
            Ok(()) => {
                if self.compare == CompareMode::Off {
                    self.compare = CompareMode::WipeVertical;
                }
            }
            Err(e) => self.report_error(e),
        }
    }

    /// Compares with the ungraded source again.
    pub fn clear_still(&mut self) {
        if let Some(view) = self.view.as_mut() {
            if let Err(e) = view.viewer.clear_still(&self.gpu) {
                self.status = Some(Status { text: e.to_string(), is_error: true });
            }
            view.rendered = None;
        }
    }

    /// Saves to the project's file, or asks where when it has none.
    pub fn save(&mut self) {
        match self.session.path.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    /// Asks for a file and saves there.
    pub fn save_as(&mut self) {
        let dialog =
            rfd::FileDialog::new().add_filter("Cinegrade project", &["cgproj"]).set_file_name("project.cgproj");
        if let Some(path) = dialog.save_file() {
            self.save_to(&path);
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

    /// Asks for a project and opens it.
    pub fn open_dialog(&mut self) {
        if let Some(path) = rfd::FileDialog::new().add_filter("Cinegrade project", &["cgproj"]).pick_file()
            && let Err(e) = self.open_project(&path)
        {
            self.report_error(e.to_string());
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
            self.session.edit("import frame", |p| {
                if p.scenes.last().is_none_or(|s| s.name != "Imported") {
                    p.scenes.push(Scene { name: "Imported".into(), shots: Vec::new() });
                }
                let scene = p.scenes.len() - 1;
                p.scenes[scene].shots.push(Shot::new(name, media));
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
        if let Err(e) = crate::interchange::read_cube(path) {
            self.report_error(e.to_string());
            return;
        }
        let Some(mut grade) = self.session.grade().cloned() else { return };
        grade.nodes.push(crate::grade::Node::new(crate::grade::Op::Lut(crate::ops::lut::Lut::new(path))));
        self.node = grade.nodes.len() - 1;
        self.session.end_interaction();
        self.session.set_grade("add LUT", grade);
        self.session.end_interaction();
        self.info(&format!("Added LUT {}", path.display()));
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

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (mut frames, mut other) = (Vec::new(), Vec::new());
        for path in dropped {
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
            match ext.as_str() {
                "png" | "jpg" | "jpeg" | "tif" | "tiff" | "exr" => frames.push(path),
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
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
            match ext.as_str() {
                "cdl" | "cc" | "ccc" => self.import_cdl(&path),
                "cube" => self.add_lut(&path),
                _ => self.report_error(format!("{}: not a frame, project, CDL or LUT", path.display())),
            }
        }
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let text_focus = ctx.memory(|m| m.focused().is_some());
        let shortcut = |m: Modifiers, k: Key| ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(m, k)));
        if shortcut(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z) || shortcut(Modifiers::COMMAND, Key::Y) {
            self.redo();
        }
        if shortcut(Modifiers::COMMAND, Key::Z) {
            self.undo();
        }
        if shortcut(Modifiers::COMMAND, Key::D) {
            self.bypass = !self.bypass;
        }
        if shortcut(Modifiers::COMMAND, Key::S) {
            self.save();
        }
        if shortcut(Modifiers::COMMAND, Key::O) {
            self.open_dialog();
        }
        if shortcut(Modifiers::COMMAND, Key::W) {
            self.compare = if self.compare == CompareMode::Off { CompareMode::WipeVertical } else { CompareMode::Off };
        }
        if shortcut(Modifiers::COMMAND | Modifiers::ALT, Key::G) {
            self.grab_still();
        }
        if !text_focus {
            // Up/down walk the shots like Resolve's clip navigation; left/right step the frames of a
            // sequence (a still has one frame, so there they move between shots too).
            if shortcut(Modifiers::NONE, Key::ArrowDown) {
                self.session.step_shot(1);
            }
            if shortcut(Modifiers::NONE, Key::ArrowUp) {
                self.session.step_shot(-1);
            }
            if shortcut(Modifiers::NONE, Key::ArrowRight) {
                self.step_frame(1);
            }
            if shortcut(Modifiers::NONE, Key::ArrowLeft) {
                self.step_frame(-1);
            }
            // Space plays and stops; J, K, L play backwards, stop, play forwards (as in most editors).
            if shortcut(Modifiers::NONE, Key::Space) {
                self.toggle_play();
            }
            if shortcut(Modifiers::NONE, Key::J) {
                self.play(Direction::Reverse);
            }
            if shortcut(Modifiers::NONE, Key::K) {
                self.stop();
            }
            if shortcut(Modifiers::NONE, Key::L) {
                self.play(Direction::Forward);
            }
            // egui turns Ctrl+C / Ctrl+V into copy/paste events; outside text fields they move grades.
            let (copy, paste) = ctx.input(|i| {
                (
                    i.events.iter().any(|e| matches!(e, egui::Event::Copy)),
                    i.events.iter().any(|e| matches!(e, egui::Event::Paste(_))),
                )
            });
            if copy && self.session.copy_grade() {
                self.info("Grade copied");
            }
            if paste && self.session.paste_grade() {
                self.info("Grade pasted");
            }
        }
    }

    /// Steps `delta` frames through the selected sequence (clamped to its range), or `delta` shots
    /// when the shot is a still.
    pub fn step_frame(&mut self, delta: i64) {
        if let Some(player) = self.player_mut() {
            player.step(delta);
            return;
        }
        let range = self.session.selected.and_then(|r| self.session.project.shot(r)).and_then(|s| s.media.range());
        match range {
            Some(range) => {
                let at = i64::from(self.frame.unwrap_or(range.first));
                self.frame = Some((at + delta).clamp(i64::from(range.first), i64::from(range.last)) as u32);
            }
            None => self.session.step_shot(delta as isize),
        }
    }

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

    /// Draws the whole app into `ui` (the root of the window, or a test harness).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.handle_dropped_files(&ctx);
        self.handle_shortcuts(&ctx);
        // An interaction ends when nothing is held and no field is being typed into.
        if !ctx.input(|i| i.pointer.any_down()) && ctx.memory(|m| m.focused().is_none()) {
            self.session.end_interaction();
        }
        self.sync_viewer();
        self.sync_scopes();
        self.autosave_tick();
        self.recovery_prompt(&ctx);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_line(ui));
        egui::Panel::left("project").resizable(true).default_size(250.0).show(ui, |ui| {
            super::project_panel::show(self, ui);
        });
        egui::Panel::right("grade").resizable(true).default_size(360.0).show(ui, |ui| {
            super::grade_panel::show(self, ui);
        });
        egui::Panel::bottom("scopes").resizable(true).default_size(260.0).show(ui, |ui| {
            super::scopes_panel::show(self, ui);
        });
        if self.player().is_some() {
            egui::Panel::bottom("transport").show(ui, |ui| super::transport::show(self, ui));
        }
        egui::CentralPanel::no_frame().show(ui, |ui| super::viewer_panel::show(self, ui));
        // Edits made by the panels this frame are on screen next frame; ask for it now.
        let wanted = self.session.selected.and_then(|r| self.session.project.shot(r)).map(crate::export::shot_grade);
        if self.view.as_ref().is_some_and(|v| v.rendered != wanted) || self.scopes_stale || self.is_playing() {
            ctx.request_repaint();
        }
    }

    fn recovery_prompt(&mut self, ctx: &egui::Context) {
        let Some(path) = self.pending_recovery.clone() else { return };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
            ui.heading("Recover unsaved changes?");
            ui.label(format!(
                "{} has an autosave newer than the file: Cinegrade did not close cleanly last time.",
                path.display()
            ));
            ui.horizontal(|ui| {
                if ui.button("Recover").clicked() {
                    choice = Some(true);
                }
                if ui.button("Discard autosave").clicked() {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => self.recover_autosave(),
            Some(false) => self.discard_autosave(),
            None => {}
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("Open project…  Ctrl+O").clicked() {
                    self.open_dialog();
                }
                ui.menu_button("Recent projects", |ui| {
                    if self.recent.is_empty() {
                        ui.label("None yet");
                    }
                    for path in self.recent.clone() {
                        if ui.button(path.display().to_string()).clicked()
                            && let Err(e) = self.open_project(&path)
                        {
                            self.report_error(e.to_string());
                        }
                    }
                });
                if ui.button("Open demo project").clicked() {
                    self.open_demo();
                }
                ui.separator();
                if ui.button("Save  Ctrl+S").clicked() {
                    self.save();
                }
                if ui.button("Save as…").clicked() {
                    self.save_as();
                }
                ui.separator();
                if ui.button("Import frames…").clicked()
                    && let Some(paths) = rfd::FileDialog::new()
                        .add_filter("Frames", &["png", "jpg", "jpeg", "tif", "tiff", "exr"])
                        .pick_files()
                {
                    self.import_frames(&paths);
                }
                if ui.button("Apply CDL…").clicked()
                    && let Some(path) = rfd::FileDialog::new().add_filter("ASC CDL", &["cdl", "cc", "ccc"]).pick_file()
                {
                    self.import_cdl(&path);
                }
                if ui.button("Export graded still…").clicked() {
                    self.export_still();
                }
            });
            ui.menu_button("Edit", |ui| {
                let (undo, redo) = self.session.undo_redo_names();
                let (undo, redo) = (undo.map(str::to_string), redo.map(str::to_string));
                if ui
                    .add_enabled(
                        undo.is_some(),
                        egui::Button::new(format!("Undo {}  Ctrl+Z", undo.unwrap_or_default())),
                    )
                    .clicked()
                {
                    self.undo();
                }
                if ui
                    .add_enabled(
                        redo.is_some(),
                        egui::Button::new(format!("Redo {}  Ctrl+Shift+Z", redo.unwrap_or_default())),
                    )
                    .clicked()
                {
                    self.redo();
                }
                ui.separator();
                if ui.button("Copy grade  Ctrl+C").clicked() {
                    self.session.copy_grade();
                }
                if ui.button("Paste grade  Ctrl+V").clicked() {
                    self.session.paste_grade();
                }
            });
            ui.menu_button("View", |ui| {
                ui.checkbox(&mut self.bypass, "Bypass grade  Ctrl+D");
                ui.separator();
                for mode in CompareMode::ALL {
                    ui.radio_value(&mut self.compare, mode, mode.label());
                }
                ui.separator();
                if ui.button("Grab still  Ctrl+Alt+G").clicked() {
                    self.grab_still();
                }
                if ui.button("Compare with source").clicked() {
                    self.clear_still();
                }
                ui.separator();
                if ui.button("Fit").clicked() {
                    self.zoom = Zoom::Fit;
                    self.pan = egui::Vec2::ZERO;
                }
                if ui.button("100%").clicked() {
                    self.zoom = Zoom::Scale(1.0);
                }
            });
            ui.separator();
            let name = &self.session.project.name;
            let dirty = if self.session.is_dirty() { " •" } else { "" };
            ui.label(egui::RichText::new(format!("{name}{dirty}")).color(super::theme::MUTED));
        });
    }

    /// Writes the graded frame of the selected shot to a file the user picks.
    pub fn export_still(&mut self) {
        let Some(view) = self.view.as_ref() else {
            return;
        };
        let Some(path) = rfd::FileDialog::new()
            .add_filter("Still", &["png", "tif", "exr", "jpg"])
            .set_file_name("still.png")
            .save_file()
        else {
            return;
        };
        let options = media::SaveOptions { overwrite: true, ..Default::default() };
        let result = view.viewer.graded().download(&self.gpu).map_err(|e| e.to_string()).and_then(|f| {
            if path == view.media {
                return Err("refusing to write over the source frame".into());
            }
            media::save(&f, &path, &options).map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => self.info(&format!("Exported {}", path.display())),
            Err(e) => self.report_error(e),
        }
    }

    fn status_line(&mut self, ui: &mut egui::Ui) {
        // Right-hand facts first, so the message takes what is left and is cut rather than overlapping.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let muted = super::theme::MUTED;
            ui.label(egui::RichText::new(&self.gpu.adapter_info.name).color(muted));
            if let Some(info) = self.frame_info() {
                ui.label(egui::RichText::new(info).color(muted));
            }
            if self.bypass {
                ui.label(egui::RichText::new("BYPASS").color(super::theme::ACCENT).strong());
            }
            if let Some(text) = super::viewer_panel::probe_text(self) {
                ui.label(egui::RichText::new(text).monospace().color(muted));
            }
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                if let Some(status) = &self.status {
                    let color = if status.is_error { egui::Color32::from_rgb(230, 110, 100) } else { muted };
                    ui.add(egui::Label::new(egui::RichText::new(&status.text).color(color)).truncate())
                        .on_hover_text(&status.text);
                }
            });
        });
    }
}

impl eframe::App for CinegradeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
    }

    fn on_exit(&mut self) {
        // Quitting with unsaved changes keeps them in the autosave; the next open offers them back.
        self.autosave_now();
    }
}
