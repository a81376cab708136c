//! The viewer as the workspace holds it: how the picture is compared and framed ([`ViewState`]), and
//! the selected shot on the GPU ([`ShotView`]): its [`Viewer`], what it shows and the grade last
//! rendered, so edits re-render only when the grade changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Workspace;
use crate::gpu::viewer::{DisplayKind, Viewer};
use crate::gpu::{GpuContext, GpuError, executor};
use crate::grade::Grade;
use crate::media::{self, Frame};
use crate::project::ShotRef;

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

/// The QC overlay the viewer paints over the graded picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OverlayChoice {
    /// None.
    #[default]
    Off,
    /// Outside the legal range (EBU R103 levels), solid.
    Levels,
    /// Outside the legal range, as a zebra.
    LevelsZebra,
    /// Outside the target gamut (P3-D65 in a Rec.2020 container, Rec.709 otherwise), solid.
    Gamut,
    /// Outside the target gamut, as a zebra.
    GamutZebra,
    /// False colour: IRE for SDR output, nits for PQ.
    FalseColor,
}

impl OverlayChoice {
    /// Every choice, for menus.
    pub const ALL: [OverlayChoice; 6] =
        [Self::Off, Self::Levels, Self::LevelsZebra, Self::Gamut, Self::GamutZebra, Self::FalseColor];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "No overlay",
            Self::Levels => "Legal range",
            Self::LevelsZebra => "Legal range (zebra)",
            Self::Gamut => "Gamut",
            Self::GamutZebra => "Gamut (zebra)",
            Self::FalseColor => "False colour",
        }
    }

    /// The overlay for a shot delivered in `output` (none: values as they are, an SDR signal). A
    /// gamut warning needs an output space (its container); without one it shows nothing.
    pub fn overlay(self, output: Option<crate::color::space::ColorSpace>) -> Option<crate::qc::overlay::Overlay> {
        use crate::color::spaces;
        use crate::qc::overlay::{Overlay, Palette, Style};
        let levels = |style| {
            let p = crate::qc::QcProfile::ebu_r103();
            Some(Overlay::Levels { low: p.level_low, high: p.level_high, style })
        };
        let gamut = |style| {
            let space = output?;
            let wide = *space.gamut() == spaces::REC2020;
            Some(Overlay::Gamut { space, target: if wide { &spaces::P3_D65 } else { &spaces::REC709 }, style })
        };
        match self {
            Self::Off => None,
            Self::Levels => levels(Style::Solid),
            Self::LevelsZebra => levels(Style::Zebra),
            Self::Gamut => gamut(Style::Solid),
            Self::GamutZebra => gamut(Style::Zebra),
            Self::FalseColor => Some(Overlay::FalseColor(Palette::for_space(output))),
        }
    }
}

/// Viewer zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zoom {
    /// Fit the frame in the viewer.
    Fit,
    /// Screen pixels per frame pixel (1.0 = 100%).
    Scale(f32),
}

/// How the viewer shows the shot: bypass, comparison, wipe, zoom and pan.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewState {
    /// Bypass: show the ungraded source.
    pub bypass: bool,
    /// Comparison mode.
    pub compare: CompareMode,
    /// Wipe position, 0..1 across (or down) the frame.
    pub wipe: f32,
    /// Zoom.
    pub zoom: Zoom,
    /// Pan offset in screen points.
    pub pan: [f32; 2],
    /// Show the matte of the selected node's key, in neutral grey, instead of the picture.
    pub matte: bool,
    /// The next drag on the viewer samples a region for the selected node's qualifier (the
    /// eyedropper) instead of panning.
    pub picking: bool,
    /// The QC overlay over the graded picture.
    pub overlay: OverlayChoice,
    /// Preview the grade as this target display shows it (`None`: the grade's own output).
    pub device: Option<crate::ops::device_preview::Device>,
    /// Show the grade on every target display at once, 2×2 ([`Device::ALL`], each cell the
    /// device's preview of the source decimated to the cell), instead of the viewer's picture.
    ///
    /// [`Device::ALL`]: crate::ops::device_preview::Device::ALL
    pub device_grid: bool,
    /// Draw the selected node's windows over the picture, with handles to edit them.
    pub show_windows: bool,
    /// The selected node's window whose handles are shown.
    pub window: usize,
    /// How many pixels across the viewer shows the picture in (set by the UI; `None`: grade the
    /// full frame always). While a control moves or playback runs, a source wider than twice this
    /// is graded decimated (the proxy).
    pub proxy_width: Option<u32>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            bypass: false,
            compare: CompareMode::Off,
            wipe: 0.5,
            zoom: Zoom::Fit,
            pan: [0.0; 2],
            matte: false,
            picking: false,
            overlay: OverlayChoice::Off,
            device: None,
            device_grid: false,
            show_windows: true,
            window: 0,
            proxy_width: None,
        }
    }
}

impl ViewState {
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

    /// The displays beside the graded one that must be kept up to date for what is shown: each is a
    /// pass per edit (and per frame in playback).
    pub fn displays_needed(&self) -> &'static [DisplayKind] {
        match (self.bypass, self.compare) {
            (true, _) => &[DisplayKind::Source],
            (false, CompareMode::Off) => &[],
            (false, CompareMode::Difference) => &[DisplayKind::Difference],
            (false, CompareMode::WipeVertical | CompareMode::WipeHorizontal | CompareMode::SideBySide) => {
                &[DisplayKind::Reference]
            }
        }
    }

    /// Fit the frame and centre it.
    pub fn fit(&mut self) {
        self.zoom = Zoom::Fit;
        self.pan = [0.0; 2];
    }
}

/// A viewer that frames are shown in: written in place when the size matches (playback allocates
/// nothing per frame), else a new viewer. The app and `cinegrade play` both show frames through it.
#[derive(Default)]
pub struct Monitor {
    viewer: Option<Viewer>,
    generation: u64,
}

impl Monitor {
    /// Puts `frame` on the GPU.
    pub fn show(&mut self, ctx: &GpuContext, frame: &Frame) -> Result<(), GpuError> {
        match self.viewer.as_mut() {
            Some(v) if v.size() == (frame.width, frame.height) => v.replace_source(ctx, frame),
            _ => {
                self.viewer = None;
                self.viewer = Some(Viewer::new(ctx, frame)?);
                // Unique across monitors: the app keeps the textures it registered for a
                // generation, and a new shot's monitor counting from 1 again showed the previous
                // shot's picture.
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
                self.generation = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }
        }
    }

    /// The viewer, once a frame was shown.
    pub fn viewer(&self) -> Option<&Viewer> {
        self.viewer.as_ref()
    }

    /// The viewer, to change its reference.
    pub fn viewer_mut(&mut self) -> Option<&mut Viewer> {
        self.viewer.as_mut()
    }

    /// Changes whenever a new viewer (new textures) is made, never the same for two viewers:
    /// re-register its display textures then.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

/// The selected shot on the GPU.
pub struct ShotView {
    /// Where its frames are shown.
    pub monitor: Monitor,
    /// The shot.
    pub shot: ShotRef,
    /// The file shown.
    pub media: PathBuf,
    /// The grade (with the shot's colour pipeline) last rendered; `None`: render on the next sync.
    pub rendered: Option<Grade>,
    /// The grade last rendered on the proxy (while a control moves or playback runs).
    pub rendered_proxy: Option<Grade>,
    /// The device grid's grades, decimation and source version last rendered.
    pub rendered_grid: Option<(Vec<Grade>, u32, u64)>,
    /// What the shown file holds (status line).
    pub info: media::ImageInfo,
}

impl ShotView {
    /// The viewer (a shot view always has shown a frame).
    pub fn viewer(&self) -> &Viewer {
        self.monitor.viewer().expect("a shot view holds a frame")
    }

    /// The viewer, to change its reference.
    pub fn viewer_mut(&mut self) -> &mut Viewer {
        self.monitor.viewer_mut().expect("a shot view holds a frame")
    }
}

impl Workspace {
    /// The selected shot's GPU viewer, once the shot is loaded.
    pub fn view(&self) -> Option<&Viewer> {
        self.shot_view.as_ref().map(ShotView::viewer)
    }

    /// The selected shot on the GPU, with what it shows.
    pub fn shot_view(&self) -> Option<&ShotView> {
        self.shot_view.as_ref()
    }

    /// The display kind the viewer shows now (bypass wins over comparison).
    pub fn shown(&self) -> DisplayKind {
        self.viewing.shown()
    }

    pub(super) fn drop_view(&mut self) {
        self.shot_view = None;
        self.probe = None;
    }

    /// Loads (once) the frame of a media path.
    pub(super) fn frame(&mut self, path: &Path) -> Result<Arc<media::LoadedImage>, media::MediaError> {
        if let Some(f) = self.frames.get(path) {
            return Ok(f.clone());
        }
        let loaded = Arc::new(media::load(path)?);
        self.frames.insert(path.to_path_buf(), loaded.clone());
        Ok(loaded)
    }

    /// One line describing the selected shot's file: name, format, size, samples, channels.
    pub fn frame_info(&self) -> Option<String> {
        let view = self.shot_view.as_ref()?;
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
    /// changed.
    pub(super) fn sync_viewer(&mut self) {
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
        let grade = match self.viewer_grade(shot) {
            Ok(g) => g,
            Err(e) => {
                self.viewing.device = None;
                self.report_error(e);
                return;
            }
        };
        // The device grid: the shot's grade on each target display.
        let grid_grades = self.viewing.device_grid.then(|| {
            let (color, root) = (&self.session.project.color, &self.session.media_root);
            crate::ops::device_preview::Device::ALL
                .iter()
                .map(|d| crate::export::device_grade(color, shot, root, *d))
                .collect::<Result<Vec<_>, String>>()
        });
        self.scopes.follow_output_space(shot.output_space);
        let shot_output = shot.output_space;
        let range = shot.media.range();
        let media = shot.media_path(&self.session.media_root);
        let grid_grades = match grid_grades {
            Some(Err(e)) => {
                self.viewing.device_grid = false;
                self.report_error(e);
                None
            }
            other => other.and_then(Result::ok),
        };
        if range.is_some() {
            self.sync_sequence(sel);
        } else {
            self.playback = None;
            if self.shot_view.as_ref().is_none_or(|v| v.shot != sel || v.media != media) {
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
        // The frame number the grade sees (keyframes, tracks, grain): the shown frame of a sequence.
        let frame_number = self.current_frame();
        let needed = self.viewing.displays_needed();
        let busy = self.session.in_interaction() || self.is_playing();
        let Some(view) = self.shot_view.as_mut() else {
            return;
        };
        if view.viewer().show_only(needed) {
            view.rendered = None;
        }
        let overlay = self.viewing.overlay.overlay(shot_output);
        if view.viewer().overlay() != overlay {
            if let Err(e) = view.viewer_mut().set_overlay(&self.gpu, overlay) {
                self.report_error(e.to_string());
                return;
            }
            view.rendered = None;
        }
        let width = view.viewer().size().0;
        match grid_grades {
            Some(grades) => {
                // Each cell decimated as far as keeps it at least as wide as it is shown (half the
                // viewer's width when not told).
                let shown = self.viewing.proxy_width.unwrap_or(width / 2).max(1);
                let factor = (width / shown).max(1);
                let key = (grades, factor, view.viewer().source_version());
                if view.rendered_grid.as_ref() != Some(&key) {
                    if let Err(e) = view.viewer_mut().render_grid(&self.gpu, &key.0, frame_number, factor) {
                        self.report_error(e.to_string());
                        return;
                    }
                    view.rendered_grid = Some(key);
                }
                // The grid has no probe: its cells are decimated previews of four pipelines.
                self.probe = None;
            }
            None if view.rendered_grid.is_some() => {
                view.rendered_grid = None;
                view.viewer_mut().drop_grid();
            }
            None => {}
        }
        // While a control moves or playback runs, and the picture is shown to fit, the viewer grades
        // the proxy: the source decimated to the viewer's width. The full frame when it stops.
        let factor = self
            .viewing
            .proxy_width
            .filter(|_| {
                busy && self.viewing.zoom == Zoom::Fit
                    && overlay.is_none()
                    && self.viewing.compare != CompareMode::Difference
            })
            .map(|w| crate::gpu::proxy::factor_for(width, w))
            .filter(|f| *f >= 2);
        if let Some(factor) = factor {
            let stale = view.rendered_proxy.as_ref() != Some(&grade) || view.viewer().proxy_factor() != Some(factor);
            if stale {
                if let Err(e) = view.viewer_mut().render_proxy(&self.gpu, &grade, frame_number, factor) {
                    self.report_error(e.to_string());
                    return;
                }
                view.rendered_proxy = Some(grade);
                view.rendered = None;
                self.scopes.invalidate();
                // The probe follows the picture on screen while the control moves.
                if let Some(p) = self.probe.take() {
                    self.probe_at(p.x, p.y);
                }
            }
            return;
        }
        if view.rendered.as_ref() != Some(&grade) {
            view.rendered_proxy = None;
            if let Err(e) = view.viewer().render(&self.gpu, &grade, frame_number) {
                self.report_error(e.to_string());
                return;
            }
            view.rendered = Some(grade);
            self.scopes.invalidate();
            // The probe reads the new picture at once, not when the mouse next moves.
            if let Some(p) = self.probe.take() {
                self.probe_at(p.x, p.y);
            }
        }
    }

    /// The grade the viewer renders for `shot`: its own (as renders and exports apply it), or its
    /// preview on the chosen device, as the matte view when that is on.
    pub(super) fn viewer_grade(&self, shot: &crate::project::Shot) -> Result<Grade, String> {
        let (color, root) = (&self.session.project.color, &self.session.media_root);
        let mut grade = match self.viewing.device {
            Some(device) => crate::export::device_grade(color, shot, root, device)?,
            None => crate::export::shot_grade(color, shot, root),
        };
        if self.viewing.matte {
            let leading = crate::export::shot_pipeline(color, shot, root).leading_nodes();
            grade = matte_view(shot, grade, leading, self.node);
        }
        Ok(grade)
    }

    /// Puts a decoded frame on the GPU: written in place into the shot's viewer when the size matches
    /// (playback allocates nothing per frame), else into a new viewer.
    pub(super) fn show_frame(&mut self, sel: ShotRef, media: PathBuf, image: &media::LoadedImage) {
        let mut view = match self.shot_view.take() {
            Some(v) if v.shot == sel => v,
            _ => {
                self.viewing.pan = [0.0; 2];
                ShotView {
                    monitor: Monitor::default(),
                    shot: sel,
                    media: media.clone(),
                    rendered: None,
                    rendered_proxy: None,
                    rendered_grid: None,
                    info: image.info.clone(),
                }
            }
        };
        match view.monitor.show(&self.gpu, &image.frame) {
            Ok(()) => {
                view.media = media;
                view.info = image.info.clone();
                view.rendered = None;
                view.rendered_proxy = None;
                self.shot_view = Some(view);
            }
            Err(e) => {
                // A frame of another size was refused by the old viewer: nothing is shown.
                self.probe = None;
                self.report_error(format!("{}: {e}", media.display()))
            }
        }
    }

    /// Reads the pixel probe at (x, y) of the frame (a 1-pixel GPU readback), unless it is there
    /// already.
    pub fn probe_at(&mut self, x: u32, y: u32) {
        let Some(view) = self.shot_view.as_ref() else { return };
        let (w, h) = view.viewer().size();
        let (x, y) = (x.min(w - 1), y.min(h - 1));
        if self.probe.is_some_and(|p| (p.x, p.y) == (x, y)) {
            return;
        }
        match view.viewer().probe(&self.gpu, x, y) {
            Ok(p) => self.probe = Some(p),
            Err(e) => self.report_error(e.to_string()),
        }
    }

    /// The eyedropper: samples the frame region between corners `a` and `b` (frame pixels) of the
    /// selected node's *input* (the shot's pipeline up to that node, the values its qualifier reads)
    /// and starts that node's qualifier from them ([`Qualifier::from_samples`]), keeping its clean
    /// and blur settings; one undo step. A shot without nodes gets a primaries node to hold the key.
    ///
    /// [`Qualifier::from_samples`]: crate::ops::key::Qualifier::from_samples
    pub fn pick_qualifier(&mut self, a: [u32; 2], b: [u32; 2]) {
        let Some(sel) = self.session.selected else { return };
        let (Some(shot), Some(view)) = (self.session.project.shot(sel), self.shot_view.as_ref()) else { return };
        let (color, root) = (&self.session.project.color, &self.session.media_root);
        let leading = crate::export::shot_pipeline(color, shot, root).leading_nodes();
        let mut grade = shot.grade().clone();
        if grade.nodes.is_empty() {
            grade.nodes.push(crate::grade::Node::new(crate::grade::Op::Primaries(Default::default())));
        }
        let node = self.node.min(grade.nodes.len() - 1);
        let mut input = crate::export::shot_grade(color, shot, root);
        input.nodes.truncate(leading + node);
        let frame = match executor::apply_grade(&self.gpu, &input, view.viewer().source())
            .and_then(|f| f.download(&self.gpu))
        {
            Ok(f) => f,
            Err(e) => return self.report_error(e.to_string()),
        };
        let (x0, x1) = (a[0].min(b[0]).min(frame.width - 1), a[0].max(b[0]).min(frame.width - 1));
        let (y0, y1) = (a[1].min(b[1]).min(frame.height - 1), a[1].max(b[1]).min(frame.height - 1));
        let samples: Vec<[f32; 3]> = (y0..=y1)
            .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
            .map(|(x, y)| {
                let p = frame.pixels[(y * frame.width + x) as usize];
                [p[0], p[1], p[2]]
            })
            .collect();
        let Some(mut q) = crate::ops::key::Qualifier::from_samples(&samples) else {
            return self.report_error("the picked region holds no usable pixels".into());
        };
        let key = grade.nodes[node].key.get_or_insert_with(Default::default);
        if let Some(old) = key.qualifier {
            (q.clean_black, q.clean_white, q.blur) = (old.clean_black, old.clean_white, old.blur);
        }
        key.qualifier = Some(q);
        self.session.end_interaction();
        self.session.set_grade("pick qualifier", grade);
        self.session.end_interaction();
        let hue = if q.hue.enabled {
            format!("hue {:.3} ± {:.3}, ", q.hue.center, q.hue.width / 2.0)
        } else {
            String::new()
        };
        self.info(&format!(
            "Qualifier of node {} picked from {} pixels: {hue}saturation {:.2}..{:.2}, luma {:.2}..{:.2}",
            node + 1,
            samples.len(),
            q.saturation.low,
            q.saturation.high,
            q.luma.low,
            q.luma.high
        ));
    }

    /// The pixel probe readout for the status line: position, the graded value in the shot's output
    /// space, the source value in its input space (each named: "as stored" when the shot converts
    /// nothing), and the 8-bit value on screen.
    pub fn probe_text(&self) -> Option<String> {
        let p = self.probe?;
        let shot = self.session.selected.and_then(|r| self.session.project.shot(r));
        // The spaces as the shot's pipeline names them: Cinegrade's, or its OCIO config's.
        let (input, output) = match shot {
            Some(shot) => {
                let pipeline =
                    crate::export::shot_pipeline(&self.session.project.color, shot, &self.session.media_root);
                if pipeline.converts() {
                    let [input, _, output] = pipeline.describe_spaces();
                    (input, output)
                } else {
                    ("as stored".to_string(), "as stored".to_string())
                }
            }
            None => ("as stored".to_string(), "as stored".to_string()),
        };
        // A device preview shows that device's light on this screen: the probe reads that, not the
        // grade's output.
        let output = match self.viewing.device {
            Some(d) => format!("preview: {}, as this screen shows it", d.label()),
            None => output,
        };
        let f = |v: [f32; 4]| format!("{:.4} {:.4} {:.4}", v[0], v[1], v[2]);
        // While a control moves the graded and screen values are the proxy's (the exact ones come
        // when the control is released and the full frame is graded).
        let proxy = p.proxy_factor.map(|f| format!("  (1/{f} proxy while the control moves)")).unwrap_or_default();
        Some(format!(
            "x {} y {}  graded ({output}) {}  source ({input}) {}  screen 8-bit {} {} {}{proxy}",
            p.x,
            p.y,
            f(p.graded),
            f(p.source),
            p.display[0],
            p.display[1],
            p.display[2]
        ))
    }
}

/// The grade the matte view renders: the shot's pipeline up to the node `node` of its grade, whose
/// key is shown as its matte (neutral grey: no later node and no output transform tints it). A node
/// without a key shows white (it applies everywhere).
/// `leading` is how many pipeline nodes come before the grade's ([`Pipeline::leading_nodes`]).
///
/// [`Pipeline::leading_nodes`]: crate::grade::pipeline::Pipeline::leading_nodes
pub fn matte_view(
    shot: &crate::project::Shot,
    mut full: crate::grade::Grade,
    leading: usize,
    node: usize,
) -> crate::grade::Grade {
    let prefix = leading;
    let grade_nodes = shot.grade().nodes.len();
    if grade_nodes == 0 {
        return full;
    }
    let i = prefix + node.min(grade_nodes - 1);
    full.nodes.truncate(i + 1);
    // Shown even while the node is bypassed: the colorist is looking at its key.
    full.nodes[i].enabled = true;
    let key = full.nodes[i].key.get_or_insert_with(Default::default);
    key.show_matte = true;
    full
}
