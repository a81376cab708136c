//! The app's frame loop: the [`Workspace`] (everything shown and edited, no egui) drawn as panels
//! around the viewer, plus what only a window has: egui textures for the GPU images, dialogs,
//! shortcuts and drag-and-drop (`menu.rs`). Panels take the narrow state they draw.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::gpu::GpuContext;
use crate::gpu::viewer::DisplayKind;
use crate::project::ShotRef;
use crate::scopes::ScopeKind;
use crate::workspace::Workspace;

pub use crate::workspace::{CompareMode, Zoom};

/// Storage key of the recent projects list.
pub const RECENT_KEY: &str = "recent_projects";
/// Storage key of the scopes shown and their settings, kept per user across sessions.
pub const SCOPES_KEY: &str = "scopes";

/// The Cinegrade app: the workspace and the egui side of its GPU images.
pub struct CinegradeApp {
    /// Everything the app shows and edits.
    pub ws: Workspace,
    render_state: Option<eframe::egui_wgpu::RenderState>,
    /// The viewer's display textures, for the viewer generation they were registered for.
    displays: Option<(u64, Vec<egui::TextureId>)>,
    /// The proxy's graded display, for the proxy it was registered for (its address and factor).
    proxy_display: Option<((usize, u32), egui::TextureId)>,
    /// The device grid's cell displays, keyed by the cells they were registered from.
    grid_displays: Option<(u64, Vec<egui::TextureId>)>,
    /// The scope images, for the engine generation they were registered for.
    scope_images: Option<(u64, Vec<(ScopeKind, egui::TextureId)>)>,
    /// Shot thumbnails, with the thumbnail version each was uploaded from.
    thumbnails: HashMap<ShotRef, (u64, egui::TextureHandle)>,
    /// Still thumbnails, with the version each was uploaded from.
    still_thumbnails: HashMap<usize, (u64, egui::TextureHandle)>,
    /// Use the system's file dialogs (false: always the path field, as where there are none).
    pub file_dialogs: bool,
    /// The path field open in place of a dialog.
    pub prompt: Option<super::files::PathPrompt>,
    /// The messages window is open (click the status line).
    pub show_messages: bool,
}

impl CinegradeApp {
    /// A new app on an empty project. `render_state` is eframe's (None in UI tests).
    pub fn new(
        gpu: Arc<GpuContext>,
        render_state: Option<eframe::egui_wgpu::RenderState>,
        recent: Vec<PathBuf>,
    ) -> Self {
        Self {
            ws: Workspace::new(gpu, recent),
            render_state,
            displays: None,
            proxy_display: None,
            grid_displays: None,
            scope_images: None,
            thumbnails: HashMap::new(),
            still_thumbnails: HashMap::new(),
            file_dialogs: std::env::var_os("CINEGRADE_NO_FILE_DIALOGS").is_none(),
            prompt: None,
            show_messages: false,
        }
    }

    /// Registers the viewer's and the scopes' GPU textures with egui's renderer when they are new,
    /// freeing the ones they replace.
    fn sync_textures(&mut self) {
        let Some(rs) = &self.render_state else { return };
        let mut renderer = rs.renderer.write();
        let generation = self.ws.shot_view().map(|v| v.monitor.generation());
        if self.displays.as_ref().map(|(g, _)| *g) != generation {
            for id in self.displays.take().into_iter().flat_map(|(_, ids)| ids) {
                renderer.free_texture(&id);
            }
            if let (Some(g), Some(viewer)) = (generation, self.ws.view()) {
                let ids = DisplayKind::ALL
                    .iter()
                    .map(|k| {
                        renderer.register_native_texture(&rs.device, viewer.display_view(*k), wgpu::FilterMode::Linear)
                    })
                    .collect();
                self.displays = Some((g, ids));
            }
        }
        // The proxy's graded display while it is shown (a texture of its own, smaller).
        let proxy = self.ws.view().and_then(|v| v.shown_proxy().zip(v.proxy_factor()));
        let key = proxy.map(|(p, f)| (std::ptr::from_ref(p) as usize, f));
        if self.proxy_display.as_ref().map(|(k, _)| *k) != key {
            if let Some((_, id)) = self.proxy_display.take() {
                renderer.free_texture(&id);
            }
            if let (Some(key), Some((p, _))) = (key, proxy) {
                let view = p.display_view(DisplayKind::After);
                self.proxy_display =
                    Some((key, renderer.register_native_texture(&rs.device, view, wgpu::FilterMode::Linear)));
            }
        }
        // The device grid's cells (textures of their own, smaller).
        let cells = self.ws.view().and_then(|v| v.grid());
        let key = cells.map(|(_, _, id)| id);
        if self.grid_displays.as_ref().map(|(k, _)| *k) != key {
            for id in self.grid_displays.take().into_iter().flat_map(|(_, ids)| ids) {
                renderer.free_texture(&id);
            }
            if let (Some(key), Some((cells, _, _))) = (key, cells) {
                let ids = cells
                    .iter()
                    .map(|c| {
                        let view = c.display_view(DisplayKind::After);
                        renderer.register_native_texture(&rs.device, view, wgpu::FilterMode::Linear)
                    })
                    .collect();
                self.grid_displays = Some((key, ids));
            }
        }
        let generation = self.ws.scopes.generation();
        if self.scope_images.as_ref().map(|(g, _)| *g) != generation {
            for (_, id) in self.scope_images.take().into_iter().flat_map(|(_, ids)| ids) {
                renderer.free_texture(&id);
            }
            if let (Some(g), Some(engine)) = (generation, self.ws.scopes.engine()) {
                let ids = ScopeKind::ALL
                    .iter()
                    .filter_map(|k| {
                        let image = engine.image(*k)?;
                        Some((*k, renderer.register_native_texture(&rs.device, &image.view, wgpu::FilterMode::Linear)))
                    })
                    .collect();
                self.scope_images = Some((g, ids));
            }
        }
    }

    /// The egui texture of a display kind, when running with a renderer: the proxy's graded
    /// display while the proxy is shown.
    pub(crate) fn texture(&self, kind: DisplayKind) -> Option<egui::TextureId> {
        if kind == DisplayKind::After
            && self.ws.view().is_some_and(|v| v.shown_proxy().is_some())
            && let Some((_, id)) = &self.proxy_display
        {
            return Some(*id);
        }
        self.displays.as_ref().map(|(_, ids)| ids[kind as usize])
    }

    /// The egui texture of a scope image, when running with a renderer.
    pub(crate) fn scope_texture(&self, kind: ScopeKind) -> Option<egui::TextureId> {
        self.scope_images.as_ref()?.1.iter().find(|(k, _)| *k == kind).map(|(_, id)| *id)
    }

    /// The egui texture of a shot's graded thumbnail, uploaded again when the thumbnail changed.
    fn thumbnail(&mut self, ctx: &egui::Context, r: ShotRef) -> Option<egui::TextureId> {
        let thumb = self.ws.thumbnail(r)?;
        Some(uploaded(ctx, &mut self.thumbnails, r, &format!("thumb-{}-{}", r.scene, r.shot), thumb))
    }

    /// The egui texture of still `i`'s thumbnail, uploaded again when it changed.
    fn still_thumbnail(&mut self, ctx: &egui::Context, i: usize) -> Option<egui::TextureId> {
        let thumb = self.ws.still_thumbnail(i)?;
        Some(uploaded(ctx, &mut self.still_thumbnails, i, &format!("still-{i}"), thumb))
    }

    /// Draws the whole app into `ui` (the root of the window, or a test harness).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.handle_dropped_files(&ctx);
        self.handle_shortcuts(&ctx);
        // An interaction ends when nothing is held and no field is being typed into.
        if !ctx.input(|i| i.pointer.any_down()) && ctx.memory(|m| m.focused().is_none()) {
            self.ws.session.end_interaction();
        }
        self.ws.update();
        self.sync_textures();
        self.recovery_prompt(&ctx);
        self.path_prompt(&ctx);
        self.messages_window(&ctx);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_line(ui));
        egui::Panel::left("project").resizable(true).default_size(250.0).show(ui, |ui| self.project_panel(ui));
        let mut wants = None;
        egui::Panel::right("grade").resizable(true).default_size(360.0).show(ui, |ui| {
            let (frame, aspect) = (self.ws.current_frame(), self.ws.frame_aspect());
            wants = super::grade_panel::show(ui, &mut self.ws.session, &mut self.ws.node, frame, aspect);
        });
        if let Some(action) = wants {
            self.request_file(action);
        }
        egui::Panel::bottom("scopes").resizable(true).default_size(260.0).show(ui, |ui| {
            let images: Vec<(ScopeKind, Option<egui::TextureId>)> =
                ScopeKind::ALL.iter().map(|k| (*k, self.scope_texture(*k))).collect();
            // Under a device preview the scopes read the preview's screen values: say so.
            let reading = self.ws.viewing.device.map(|d| format!("the {} preview", d.label()));
            super::scopes_panel::show(ui, &mut self.ws.scopes, &images, reading.as_deref());
        });
        if self.ws.player().is_some() {
            egui::Panel::bottom("transport").show(ui, |ui| super::transport::show(ui, &mut self.ws));
            egui::Panel::bottom("keyframes").show(ui, |ui| super::keyframe_strip::show(ui, &mut self.ws));
        }
        egui::CentralPanel::no_frame().show(ui, |ui| self.viewer_panel(ui));
        // Edits made by the panels this frame are on screen next frame; ask for it now.
        if self.ws.needs_repaint() {
            ctx.request_repaint();
        }
    }

    fn project_panel(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let refs: Vec<ShotRef> = self.ws.session.project.shots().map(|(r, _)| r).collect();
        let thumbs: HashMap<ShotRef, egui::TextureId> =
            refs.into_iter().filter_map(|r| self.thumbnail(&ctx, r).map(|t| (r, t))).collect();
        let stills: Vec<Option<egui::TextureId>> =
            (0..self.ws.session.project.stills.len()).map(|i| self.still_thumbnail(&ctx, i)).collect();
        let qc = super::project_panel::QcView {
            states: self.ws.session.project.shots().filter_map(|(r, _)| self.ws.qc_state(r).map(|s| (r, s))).collect(),
            panel: self.ws.qc_panel(),
        };
        let actions = super::project_panel::show(ui, &self.ws.session, &thumbs, &stills, &qc);
        for action in actions {
            self.apply(action);
        }
    }

    fn apply(&mut self, action: super::project_panel::Action) {
        use super::project_panel::Action;
        match action {
            Action::Select(r) => self.ws.session.select(r),
            Action::CopyGrade(r) => {
                self.ws.session.select(r);
                self.ws.copy_grade();
            }
            Action::PasteGrade(r) => {
                self.ws.session.select(r);
                self.ws.paste_grade();
            }
            Action::SetStatus(r, status) => self.ws.session.edit("status", |p| {
                if let Some(s) = p.shot_mut(r) {
                    s.status = status;
                }
            }),
            Action::SetNotes(r, text) => self.ws.session.set_notes(r, &text),
            Action::CompareStill(i) => self.ws.compare_with_still(i),
            Action::ApplyStill(i) => {
                let name = self.ws.session.project.stills.get(i).map(|s| s.name.clone()).unwrap_or_default();
                if self.ws.session.apply_still(i) {
                    self.ws.info(&format!("Applied the grade of {name}"));
                }
            }
            Action::RemoveStill(i) => self.ws.session.remove_still(i),
            Action::RunQc(profile) => self.ws.start_qc(profile),
            Action::StopQc => self.ws.cancel_qc(),
            Action::GoToFinding(i) => self.ws.go_to_finding(i),
            Action::Waive(i, note) => self.ws.waive_finding(i, &note),
            Action::Unwaive(i) => self.ws.unwaive_finding(i),
        }
    }

    fn viewer_panel(&mut self, ui: &mut egui::Ui) {
        let (shown, reference) = (self.texture(self.ws.shown()), self.texture(DisplayKind::Reference));
        let (frame_size, has_still) = (self.ws.view().map(|v| v.size()), self.ws.view().is_some_and(|v| v.has_still()));
        let caption = match (self.ws.color_caption(), self.ws.viewing.device) {
            (Some(c), Some(d)) => Some(format!("{c} · preview: {}", d.label())),
            (None, Some(d)) => Some(format!("preview: {}", d.label())),
            (c, None) => c,
        };
        let legend = self.ws.view().and_then(|v| v.overlay()).map(|o| o.legend());
        let windows =
            if self.ws.viewing.show_windows { self.ws.shown_windows().unwrap_or_default() } else { Vec::new() };
        let devices = crate::ops::device_preview::Device::ALL;
        let grid = match &self.grid_displays {
            Some((_, ids)) if self.ws.viewing.device_grid => {
                ids.iter().zip(devices).map(|(t, d)| (*t, d.label())).collect()
            }
            _ => Vec::new(),
        };
        let mut panel = super::viewer_panel::Panel {
            viewing: &mut self.ws.viewing,
            frame_size,
            has_still,
            shown,
            reference,
            caption,
            legend,
            windows,
            grid,
        };
        let actions = super::viewer_panel::show(ui, &mut panel);
        for edit in actions.window_edits {
            use super::window_overlay::WindowEdit;
            match edit {
                WindowEdit::Drag { index, before, after, what } => self.ws.edit_window(index, &before, &after, what),
                WindowEdit::AddPoint { index, after, at } => {
                    self.ws.change_window(index, "add window point", |w, aspect| {
                        crate::workspace::windows::insert_point_at(w, after, at, aspect);
                    });
                }
                WindowEdit::RemovePoint { index, point } => {
                    self.ws.change_window(index, "delete window point", |w, _| crate::ops::key::remove_point(w, point));
                }
                WindowEdit::Select(i) => self.ws.viewing.window = i,
            }
        }
        if let Some(shape) = actions.add_window {
            self.ws.add_window(shape);
        }
        if let Some((x, y)) = actions.probe {
            self.ws.probe_at(x, y);
        }
        if let Some((a, b)) = actions.pick {
            self.ws.pick_qualifier(a, b);
        }
        if actions.grab_still {
            self.ws.grab_still();
        }
        if actions.clear_still {
            self.ws.clear_still();
        }
    }

    fn recovery_prompt(&mut self, ctx: &egui::Context) {
        let Some(path) = self.ws.pending_recovery.clone() else { return };
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
            Some(true) => self.ws.recover_autosave(),
            Some(false) => self.ws.discard_autosave(),
            None => {}
        }
    }

    /// Every status message of the session, newest first, whole.
    fn messages_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_messages;
        egui::Window::new("Messages").open(&mut open).default_width(520.0).show(ctx, |ui| {
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                for message in self.ws.messages.iter().rev() {
                    let color = if message.is_error { super::theme::ERROR } else { super::theme::MUTED };
                    ui.add(egui::Label::new(egui::RichText::new(&message.text).color(color)).wrap());
                }
                if self.ws.messages.is_empty() {
                    ui.label("No messages yet.");
                }
            });
        });
        self.show_messages = open;
    }

    fn status_line(&mut self, ui: &mut egui::Ui) {
        // Right-hand facts first, so the message takes what is left and is cut rather than overlapping.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let muted = super::theme::MUTED;
            ui.label(egui::RichText::new(&self.ws.gpu.adapter_info.name).color(muted));
            if let Some(info) = self.ws.frame_info() {
                ui.label(egui::RichText::new(info).color(muted));
            }
            if self.ws.viewing.bypass {
                ui.label(egui::RichText::new("BYPASS").color(super::theme::ACCENT).strong());
            }
            if let Some(text) = self.ws.probe_text() {
                ui.label(egui::RichText::new(text).monospace().color(muted));
            }
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                if let Some(status) = &self.ws.status {
                    let color = if status.is_error { super::theme::ERROR } else { muted };
                    let label = egui::Label::new(egui::RichText::new(&status.text).color(color))
                        .truncate()
                        .sense(egui::Sense::click());
                    let clicked = ui
                        .add(label)
                        .on_hover_text(format!("{}\n\n(click: every message of this session)", status.text))
                        .clicked();
                    if clicked {
                        self.show_messages = !self.show_messages;
                    }
                }
            });
        });
    }
}

/// The texture of `thumb` kept under `key` in `cache`, uploaded (as `name`) when its version is new.
fn uploaded<K: std::hash::Hash + Eq>(
    ctx: &egui::Context,
    cache: &mut HashMap<K, (u64, egui::TextureHandle)>,
    key: K,
    name: &str,
    thumb: &crate::workspace::Thumbnail,
) -> egui::TextureId {
    if let Some((version, tex)) = cache.get(&key)
        && *version == thumb.version
    {
        return tex.id();
    }
    let image = egui::ColorImage::from_rgba_unmultiplied([thumb.width as usize, thumb.height as usize], &thumb.rgba);
    let tex = ctx.load_texture(name, image, egui::TextureOptions::LINEAR);
    let id = tex.id();
    cache.insert(key, (thumb.version, tex));
    id
}

impl eframe::App for CinegradeApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.ws.recent);
        eframe::set_value(storage, SCOPES_KEY, &(&self.ws.scopes.kinds, &self.ws.scopes.settings));
    }

    fn on_exit(&mut self) {
        // Quitting with unsaved changes keeps them in the autosave; the next open offers them back.
        self.ws.autosave_now();
    }
}
