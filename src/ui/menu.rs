//! The menus, the keyboard shortcuts and drag-and-drop: each runs the same workspace action (a menu
//! item and its shortcut are one call), and file dialogs (rfd) pick the paths those actions take.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::app::CinegradeApp;
use super::files::FileAction;
use crate::playback::Direction;
use crate::workspace::CompareMode;

impl CinegradeApp {
    /// Saves to the project's file, or asks where when it has none (a new project, the demo).
    pub fn save(&mut self) {
        if !self.ws.save() {
            self.save_as();
        }
    }

    /// Asks for a file and saves there.
    pub fn save_as(&mut self) {
        self.request_file(FileAction::SaveProjectAs);
    }

    /// Asks for a project and opens it.
    pub fn open_dialog(&mut self) {
        self.request_file(FileAction::OpenProject);
    }

    /// Asks where, and writes the graded frame of the selected shot there.
    pub fn export_still_dialog(&mut self) {
        if self.ws.view().is_none() {
            self.ws.report_error("Export graded still: no shot is shown".to_string());
            return;
        }
        self.request_file(FileAction::ExportStill);
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        if !dropped.is_empty() {
            self.ws.open_dropped(dropped);
        }
    }

    pub(super) fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let text_focus = ctx.memory(|m| m.focused().is_some());
        let shortcut = |m: Modifiers, k: Key| ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(m, k)));
        if shortcut(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z) || shortcut(Modifiers::COMMAND, Key::Y) {
            self.ws.redo();
        }
        if shortcut(Modifiers::COMMAND, Key::Z) {
            self.ws.undo();
        }
        if shortcut(Modifiers::COMMAND, Key::D) {
            self.ws.viewing.bypass = !self.ws.viewing.bypass;
        }
        if shortcut(Modifiers::COMMAND, Key::S) {
            self.save();
        }
        if shortcut(Modifiers::COMMAND, Key::O) {
            self.open_dialog();
        }
        if shortcut(Modifiers::COMMAND, Key::W) {
            let v = &mut self.ws.viewing;
            v.compare = if v.compare == CompareMode::Off { CompareMode::WipeVertical } else { CompareMode::Off };
        }
        if shortcut(Modifiers::COMMAND | Modifiers::ALT, Key::G) {
            self.ws.grab_still();
        }
        // Keyframes of the selected node: Ctrl+K keys this frame, Ctrl+Shift+K deletes its key.
        if shortcut(Modifiers::COMMAND | Modifiers::SHIFT, Key::K) {
            self.ws.remove_keyframe();
        }
        if shortcut(Modifiers::COMMAND, Key::K) {
            self.ws.add_keyframe();
        }
        if text_focus {
            return;
        }
        // Up/down walk the shots like Resolve's clip navigation; left/right step the frames of a
        // sequence (a still has one frame, so there they move between shots too).
        if shortcut(Modifiers::NONE, Key::ArrowDown) {
            self.ws.session.step_shot(1);
        }
        if shortcut(Modifiers::NONE, Key::ArrowUp) {
            self.ws.session.step_shot(-1);
        }
        if shortcut(Modifiers::NONE, Key::ArrowRight) {
            self.ws.step_frame(1);
        }
        if shortcut(Modifiers::NONE, Key::ArrowLeft) {
            self.ws.step_frame(-1);
        }
        // [ and ] step to the previous and next keyframe of the selected node.
        if shortcut(Modifiers::NONE, Key::OpenBracket) {
            self.ws.step_keyframe(false);
        }
        if shortcut(Modifiers::NONE, Key::CloseBracket) {
            self.ws.step_keyframe(true);
        }
        // Space plays and stops; J, K, L play backwards, stop, play forwards (as in most editors).
        if shortcut(Modifiers::NONE, Key::Space) {
            self.ws.toggle_play();
        }
        if shortcut(Modifiers::NONE, Key::J) {
            self.ws.play(Direction::Reverse);
        }
        if shortcut(Modifiers::NONE, Key::K) {
            self.ws.stop();
        }
        if shortcut(Modifiers::NONE, Key::L) {
            self.ws.play(Direction::Forward);
        }
        // egui turns Ctrl+C / Ctrl+V into copy/paste events (and may send either as a key press
        // instead, depending on the platform); outside text fields they move grades.
        let (copy, paste) = ctx.input(|i| {
            let key = |k: Key| {
                i.events.iter().any(|e| {
                    matches!(e, egui::Event::Key { key, pressed: true, modifiers, .. } if *key == k && modifiers.command)
                })
            };
            (
                i.events.iter().any(|e| matches!(e, egui::Event::Copy)) || key(Key::C),
                i.events.iter().any(|e| matches!(e, egui::Event::Paste(_))) || key(Key::V),
            )
        });
        if copy {
            self.ws.copy_grade();
        }
        if paste {
            self.ws.paste_grade();
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| self.file_menu(ui));
            ui.menu_button("Edit", |ui| self.edit_menu(ui));
            ui.menu_button("View", |ui| self.view_menu(ui));
            ui.separator();
            let name = &self.ws.session.project.name;
            let dirty = if self.ws.session.is_dirty() { " •" } else { "" };
            ui.label(egui::RichText::new(format!("{name}{dirty}")).color(super::theme::MUTED));
        });
    }

    fn file_menu(&mut self, ui: &mut egui::Ui) {
        if ui.button("Open project…  Ctrl+O").clicked() {
            self.open_dialog();
        }
        ui.menu_button("Recent projects", |ui| {
            if self.ws.recent.is_empty() {
                ui.label("None yet");
            }
            for path in self.ws.recent.clone() {
                if ui.button(path.display().to_string()).clicked()
                    && let Err(e) = self.ws.open_project(&path)
                {
                    self.ws.report_error(e.to_string());
                }
            }
        });
        if ui.button("Open demo project").clicked() {
            self.ws.open_demo();
        }
        ui.separator();
        if ui.button("Save  Ctrl+S").clicked() {
            self.save();
        }
        if ui.button("Save as…").clicked() {
            self.save_as();
        }
        ui.separator();
        if ui.button("Import frames…").clicked() {
            self.request_file(FileAction::ImportFrames);
        }
        if ui.button("Apply CDL…").clicked() {
            self.request_file(FileAction::ApplyCdl);
        }
        if ui.button("Export graded still…").clicked() {
            self.export_still_dialog();
        }
    }

    fn edit_menu(&mut self, ui: &mut egui::Ui) {
        let (undo, redo) = self.ws.session.undo_redo_names();
        let (undo, redo) = (undo.map(str::to_string), redo.map(str::to_string));
        let undo_item = egui::Button::new(format!("Undo {}  Ctrl+Z", undo.clone().unwrap_or_default()));
        if ui.add_enabled(undo.is_some(), undo_item).clicked() {
            self.ws.undo();
        }
        let redo_item = egui::Button::new(format!("Redo {}  Ctrl+Shift+Z", redo.clone().unwrap_or_default()));
        if ui.add_enabled(redo.is_some(), redo_item).clicked() {
            self.ws.redo();
        }
        ui.separator();
        if ui.button("Copy grade  Ctrl+C").clicked() {
            self.ws.copy_grade();
        }
        if ui.button("Paste grade  Ctrl+V").clicked() {
            self.ws.paste_grade();
        }
    }

    fn view_menu(&mut self, ui: &mut egui::Ui) {
        ui.checkbox(&mut self.ws.viewing.bypass, "Bypass grade  Ctrl+D");
        ui.separator();
        for mode in CompareMode::ALL {
            ui.radio_value(&mut self.ws.viewing.compare, mode, mode.label());
        }
        ui.separator();
        if ui.button("Grab still  Ctrl+Alt+G").clicked() {
            self.ws.grab_still();
        }
        if ui.button("Compare with source").clicked() {
            self.ws.clear_still();
        }
        ui.separator();
        if ui.button("Fit").clicked() {
            self.ws.viewing.fit();
        }
        if ui.button("100%").clicked() {
            self.ws.viewing.zoom = crate::workspace::Zoom::Scale(1.0);
        }
    }
}
