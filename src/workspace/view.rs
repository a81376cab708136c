//! The viewer as the workspace holds it: how the picture is compared and framed ([`ViewState`]), and
//! the selected shot on the GPU ([`ShotView`]): its [`Viewer`], what it shows and the grade last
//! rendered, so edits re-render only when the grade changed.

use std::path::PathBuf;

use crate::gpu::viewer::{DisplayKind, Viewer};
use crate::gpu::{GpuContext, GpuError};
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
}

impl Default for ViewState {
    fn default() -> Self {
        Self { bypass: false, compare: CompareMode::Off, wipe: 0.5, zoom: Zoom::Fit, pan: [0.0; 2] }
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
                self.generation += 1;
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

    /// Changes whenever a new viewer (new textures) is made: re-register its display textures then.
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
