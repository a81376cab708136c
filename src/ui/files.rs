//! Every file the app asks for goes through here: the system dialog (rfd) when there is one, and a
//! path field when there is none, so no action is ever lost to a missing dialog service (a bare
//! window manager, a container, a remote session: rfd then returns at once with nothing).
//!
//! A dialog that returns nothing within [`DIALOG_GONE`] was never shown (nobody cancels that fast):
//! the app says so in the status line and opens the path field for the same action.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::app::CinegradeApp;

/// Faster than a person can cancel a dialog.
const DIALOG_GONE: Duration = Duration::from_millis(250);

const PROJECT_FILTER: (&str, &[&str]) = ("Cinegrade project", &["cgproj"]);
const FRAME_EXTENSIONS: &[&str] =
    &["png", "jpg", "jpeg", "tif", "tiff", "exr", "dpx", "mov", "mp4", "m4v", "mxf", "mkv"];
const CDL_EXTENSIONS: &[&str] = &["cdl", "cc", "ccc"];
const STILL_EXTENSIONS: &[&str] = &["png", "tif", "exr", "dpx", "jpg"];

/// What a chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAction {
    /// Open a project.
    OpenProject,
    /// Save the project under a new name.
    SaveProjectAs,
    /// Import frames as shots (several paths, one per line in the field).
    ImportFrames,
    /// Apply a CDL file to the selected node.
    ApplyCdl,
    /// Write the graded frame as a still.
    ExportStill,
    /// Append a LUT node.
    AddLut,
    /// Choose the project's OpenColorIO config.
    ChooseOcioConfig,
}

impl FileAction {
    fn title(self) -> &'static str {
        match self {
            FileAction::OpenProject => "Open project",
            FileAction::SaveProjectAs => "Save project as",
            FileAction::ImportFrames => "Import frames",
            FileAction::ApplyCdl => "Apply CDL",
            FileAction::ExportStill => "Export graded still",
            FileAction::AddLut => "Add LUT",
            FileAction::ChooseOcioConfig => "OCIO config (a .ocio file or ocio://studio-config-latest)",
        }
    }

    fn dialog(self) -> rfd::FileDialog {
        let d = rfd::FileDialog::new();
        match self {
            FileAction::OpenProject | FileAction::SaveProjectAs => d.add_filter(PROJECT_FILTER.0, PROJECT_FILTER.1),
            FileAction::ImportFrames => d.add_filter("Frames", FRAME_EXTENSIONS),
            FileAction::ApplyCdl => d.add_filter("ASC CDL", CDL_EXTENSIONS),
            FileAction::ExportStill => d.add_filter("Still", STILL_EXTENSIONS).set_file_name("still.png"),
            FileAction::AddLut => d.add_filter("LUT (.cube, .clf)", crate::interchange::LUT_EXTENSIONS),
            FileAction::ChooseOcioConfig => d.add_filter("OpenColorIO config", &["ocio"]),
        }
    }

    fn saves(self) -> bool {
        matches!(self, FileAction::SaveProjectAs | FileAction::ExportStill)
    }
}

/// The path field shown instead of a dialog.
#[derive(Clone, Debug)]
pub struct PathPrompt {
    /// What the path is for.
    pub action: FileAction,
    /// The path typed so far (one per line for several).
    pub text: String,
}

impl CinegradeApp {
    /// Asks for the file(s) `action` needs and runs it with them.
    pub fn request_file(&mut self, action: FileAction) {
        if !self.file_dialogs {
            self.prompt = Some(PathPrompt { action, text: String::new() });
            return;
        }
        let started = Instant::now();
        let dialog = action.dialog();
        let picked: Option<Vec<PathBuf>> = if action == FileAction::ImportFrames {
            dialog.pick_files()
        } else if action.saves() {
            dialog.save_file().map(|p| vec![p])
        } else {
            dialog.pick_file().map(|p| vec![p])
        };
        match picked {
            Some(paths) => self.run_file_action(action, &paths),
            None if started.elapsed() < DIALOG_GONE => {
                self.ws.report_error(format!(
                    "{}: no file dialog is available here; type the path instead",
                    action.title()
                ));
                self.prompt = Some(PathPrompt { action, text: String::new() });
            }
            None => {}
        }
    }

    /// Runs `action` on `paths`.
    pub fn run_file_action(&mut self, action: FileAction, paths: &[PathBuf]) {
        let Some(first) = paths.first() else { return };
        match action {
            FileAction::OpenProject => {
                if let Err(e) = self.ws.open_project(first) {
                    self.ws.report_error(e.to_string());
                }
            }
            FileAction::SaveProjectAs => self.ws.save_to(first),
            FileAction::ImportFrames => self.ws.import_frames(paths),
            FileAction::ApplyCdl => self.ws.import_cdl(first),
            FileAction::ExportStill => self.ws.export_still(first),
            FileAction::AddLut => self.ws.add_lut(first),
            FileAction::ChooseOcioConfig => self.ws.set_ocio_config(first),
        }
    }

    /// Draws the path field, when one is open.
    pub(super) fn path_prompt(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.prompt else { return };
        let mut done: Option<bool> = None;
        let several = prompt.action == FileAction::ImportFrames;
        egui::Modal::new(egui::Id::unique("path prompt")).show(ctx, |ui| {
            ui.heading(prompt.action.title());
            ui.label(if several { "Paths of the frames, one per line:" } else { "Path of the file:" });
            let field = if several {
                egui::TextEdit::multiline(&mut prompt.text).desired_rows(3)
            } else {
                egui::TextEdit::singleline(&mut prompt.text)
            };
            let response = ui.add(field.desired_width(420.0).hint_text("/path/to/file"));
            if !several && response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                done = Some(true);
            }
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    done = Some(false);
                }
            });
        });
        match done {
            Some(true) => {
                let action = prompt.action;
                let paths: Vec<PathBuf> =
                    prompt.text.lines().map(str::trim).filter(|l| !l.is_empty()).map(PathBuf::from).collect();
                self.prompt = None;
                self.run_file_action(action, &paths);
            }
            Some(false) => self.prompt = None,
            None => {}
        }
    }
}
