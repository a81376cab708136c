//! The scopes in the workspace: which are shown, their settings (luma weights follow the shot's
//! output space), and the GPU engine that recomputes them from the graded frame whenever it changes
//! (no readback). The UI registers [`ScopeEngine::image`] views; [`Scopes::generation`] says when.

use std::time::{Duration, Instant};

use super::Workspace;
use crate::color::space::ColorSpace;
use crate::scopes::{LumaWeights, ScopeEngine, ScopeKind, ScopeSettings};

/// While playing, the scopes follow the picture at most this often.
const SCOPES_WHILE_PLAYING: Duration = Duration::from_millis(250);

/// The scopes shown and their engine.
pub struct Scopes {
    /// Scope settings.
    pub settings: ScopeSettings,
    /// Scopes shown, in panel order.
    pub kinds: Vec<ScopeKind>,
    engine: Option<ScopeEngine>,
    stale: bool,
    at: Instant,
}

impl Default for Scopes {
    fn default() -> Self {
        Self {
            settings: ScopeSettings::default(),
            kinds: vec![ScopeKind::Waveform, ScopeKind::Vectorscope],
            engine: None,
            stale: true,
            at: Instant::now(),
        }
    }
}

impl Scopes {
    /// Marks the scopes for recomputation (the picture or the settings changed).
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    /// True until the scopes show the current picture and settings.
    pub fn is_stale(&self) -> bool {
        self.stale && !self.kinds.is_empty()
    }

    /// The engine, once a scope has been computed (tests read its counts; the UI its images).
    pub fn engine(&self) -> Option<&ScopeEngine> {
        self.engine.as_ref()
    }

    /// Changes whenever the scope images are reallocated: re-register their views then.
    pub fn generation(&self) -> Option<u64> {
        self.engine.as_ref().map(ScopeEngine::generation)
    }

    /// Luma weights of the shot's output space: Rec.2020 for the Rec.2100 outputs, Rec.709 otherwise.
    pub(super) fn follow_output_space(&mut self, output: Option<ColorSpace>) {
        let luma = match output {
            Some(ColorSpace::Rec2100Pq | ColorSpace::Rec2100Hlg) => LumaWeights::Rec2020,
            _ => LumaWeights::Rec709,
        };
        if self.settings.luma != luma {
            self.settings.luma = luma;
            self.stale = true;
        }
    }
}

impl Workspace {
    /// Recomputes the shown scopes from the graded frame on the GPU when the picture or the scope
    /// settings changed.
    pub(super) fn sync_scopes(&mut self) {
        let Some(view) = self.shot_view.as_ref() else { return };
        if !self.scopes.is_stale() {
            return;
        }
        // Scopes cost as much as the grade: while playing they follow a few times a second.
        if self.is_playing() && self.scopes.at.elapsed() < SCOPES_WHILE_PLAYING {
            return;
        }
        self.scopes.at = Instant::now();
        if self.scopes.engine.is_none() {
            match ScopeEngine::new(&self.gpu) {
                Ok(engine) => self.scopes.engine = Some(engine),
                Err(e) => {
                    self.scopes.kinds.clear();
                    self.report_error(e.to_string());
                    return;
                }
            }
        }
        let Some(engine) = self.scopes.engine.as_mut() else { return };
        // The picture shown: the proxy's while it is up (scopes of a decimated frame are a close
        // reading, and cost a fraction).
        let viewer = view.viewer();
        let graded = viewer.shown_proxy().map_or(viewer.graded(), |p| p.graded());
        let result = engine.run(&self.gpu, graded, &self.scopes.settings, &self.scopes.kinds);
        match result {
            Ok(()) => self.scopes.stale = false,
            Err(e) => self.report_error(e.to_string()),
        }
    }
}
