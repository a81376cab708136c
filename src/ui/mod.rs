//! The desktop app (eframe/egui): a thin layer over the engine. Panels edit the grade data in an
//! [`EditSession`](crate::project::EditSession); the GPU [`Viewer`](crate::gpu::viewer::Viewer) renders
//! it. No colour math lives here.

mod app;
mod curve_editor;
mod files;
mod grade_panel;
mod key_controls;
mod keyframe_strip;
mod menu;
mod node_controls;
mod node_graph;
mod project_panel;
mod scopes_panel;
mod theme;
mod transport;
mod viewer_panel;
mod wheel;
mod widgets;
mod window_overlay;

use std::path::PathBuf;
use std::sync::Arc;

pub use app::{CinegradeApp, CompareMode, Zoom};

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The window (or its GPU surface) could not be opened.
    #[error("cannot open the window: {0}")]
    Window(String),
}

use crate::gpu::GpuContext;

/// Opens the app window on `project`, or on the bundled demo project when `None`.
pub fn run(project: Option<PathBuf>) -> Result<(), AppError> {
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Wgpu,
        viewport: egui::ViewportBuilder::default()
            .with_title("Cinegrade")
            .with_inner_size([1480.0, 900.0])
            .with_min_inner_size([900.0, 560.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Cinegrade",
        options,
        Box::new(move |cc| {
            let render_state =
                cc.wgpu_render_state.clone().ok_or("Cinegrade needs the wgpu renderer; no GPU adapter was found")?;
            let gpu = Arc::new(GpuContext::from_device(
                render_state.adapter.get_info(),
                render_state.device.clone(),
                render_state.queue.clone(),
            ));
            theme::apply(&cc.egui_ctx);
            let recent: Vec<PathBuf> =
                cc.storage.and_then(|s| eframe::get_value(s, app::RECENT_KEY)).unwrap_or_default();
            let mut app = CinegradeApp::new(gpu, Some(render_state), recent);
            // The scopes the colorist chose last time (their panel's height is in egui's memory,
            // which eframe keeps too).
            if let Some((kinds, settings)) = cc.storage.and_then(|s| {
                eframe::get_value::<(Vec<crate::scopes::ScopeKind>, crate::scopes::ScopeSettings)>(s, app::SCOPES_KEY)
            }) {
                app.ws.scopes.kinds = kinds;
                app.ws.scopes.settings = settings;
                app.ws.scopes.invalidate();
            }
            match project {
                Some(path) => {
                    if let Err(e) = app.ws.open_project(&path) {
                        app.ws.open_demo();
                        app.ws.report_error(format!("{e}"));
                    }
                }
                None => app.ws.open_demo(),
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| AppError::Window(e.to_string()))
}
