//! The project panel: scenes and their shots with graded thumbnails, status and version; click to
//! grade a shot, right-click to copy/paste grades or set the status; the stills gallery; the selected
//! shot's notes. It reads the edit session and returns what the colorist asked for.

use std::collections::HashMap;

use super::theme;
use crate::project::{EditSession, ShotRef, ShotStatus};

/// What the colorist asked for in the panel.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Grade this shot.
    Select(ShotRef),
    /// Copy this shot's grade.
    CopyGrade(ShotRef),
    /// Paste the copied grade onto this shot.
    PasteGrade(ShotRef),
    /// Set this shot's status.
    SetStatus(ShotRef, ShotStatus),
    /// Compare with still `i`.
    CompareStill(usize),
    /// Apply still `i`'s grade to the selected shot.
    ApplyStill(usize),
    /// Delete still `i`.
    RemoveStill(usize),
    /// Replace this shot's notes with these lines.
    SetNotes(ShotRef, String),
    /// Run QC on the selected shot against this profile.
    RunQc(&'static str),
    /// Stop the QC run.
    StopQc,
    /// Show finding `i` of the selected shot's last QC run: its frame, with its overlay.
    GoToFinding(usize),
    /// Waive finding `i` of the selected shot's last QC run, with this note.
    Waive(usize, String),
    /// Remove the waiver of finding `i`.
    Unwaive(usize),
}

/// What the panel shows of QC: every shot's state, and the selected shot's panel.
pub struct QcView {
    /// Each shot's QC state.
    pub states: HashMap<ShotRef, crate::project::qc::QcState>,
    /// The selected shot's QC.
    pub panel: Option<crate::workspace::qc::QcPanel>,
}

fn qc_color(state: crate::project::qc::QcState) -> egui::Color32 {
    use crate::project::qc::QcState;
    match state {
        QcState::NotChecked => egui::Color32::from_gray(110),
        QcState::Stale => egui::Color32::from_rgb(200, 170, 90),
        QcState::Pass { .. } => egui::Color32::from_rgb(120, 190, 120),
        QcState::Fail { .. } => theme::ERROR,
    }
}

fn status_color(status: ShotStatus) -> egui::Color32 {
    match status {
        ShotStatus::NotStarted => egui::Color32::from_gray(120),
        ShotStatus::InProgress => egui::Color32::from_rgb(200, 170, 90),
        ShotStatus::ForReview => egui::Color32::from_rgb(120, 160, 220),
        ShotStatus::Approved => egui::Color32::from_rgb(120, 190, 120),
    }
}

/// Draws the project panel with `thumbnails` of the shots (those whose media reads).
/// `stills` holds each gallery still's thumbnail, where its image reads.
pub fn show(
    ui: &mut egui::Ui,
    session: &EditSession,
    thumbnails: &HashMap<ShotRef, egui::TextureId>,
    stills: &[Option<egui::TextureId>],
    qc: &QcView,
) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.add_space(4.0);
    ui.heading(session.project.name.clone());
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        let scenes: Vec<(String, Vec<ShotRef>)> = session
            .project
            .scenes
            .iter()
            .enumerate()
            .map(|(s, scene)| {
                (scene.name.clone(), (0..scene.shots.len()).map(|i| ShotRef { scene: s, shot: i }).collect())
            })
            .collect();
        for (name, shots) in scenes {
            egui::CollapsingHeader::new(egui::RichText::new(name).strong()).default_open(true).show(ui, |ui| {
                for r in shots {
                    shot_row(ui, session, thumbnails.get(&r).copied(), qc.states.get(&r).copied(), r, &mut actions);
                }
            });
        }
        if session.project.scenes.is_empty() {
            ui.label(egui::RichText::new("Drop frames here or use File > Import frames").color(theme::MUTED));
        }
    });
    still_gallery(ui, session, stills, &mut actions);
    if let Some(r) = session.selected
        && let Some(shot) = session.project.shot(r)
    {
        ui.separator();
        notes(ui, r, &shot.notes, &mut actions);
        if let Some(panel) = &qc.panel {
            ui.separator();
            qc_panel(ui, panel, &mut actions);
        }
    }
    actions
}

/// The selected shot's notes, one per line, edited in place: the text is kept while the field has
/// focus and becomes one undo step when it loses it.
fn notes(ui: &mut egui::Ui, r: ShotRef, notes: &[String], actions: &mut Vec<Action>) {
    let label = ui.label(egui::RichText::new("Notes").strong());
    let id = egui::Id::unique(("notes", r.scene, r.shot));
    let saved = notes.join("\n");
    let mut text = ui.data_mut(|d| d.get_temp::<String>(id)).unwrap_or_else(|| saved.clone());
    let response = ui.add(
        egui::TextEdit::multiline(&mut text)
            .desired_rows(3)
            .desired_width(f32::INFINITY)
            .hint_text("Notes for this shot, one per line"),
    );
    let response = response.labelled_by(label.id);
    if response.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, text.clone()));
    } else {
        ui.data_mut(|d| d.remove::<String>(id));
    }
    if response.lost_focus() && text != saved {
        actions.push(Action::SetNotes(r, text));
    }
}

/// The selected shot's QC: run it against a profile, its state, and each finding with a button to
/// jump to it and to waive it (or take the waiver back).
fn qc_panel(ui: &mut egui::Ui, panel: &crate::workspace::qc::QcPanel, actions: &mut Vec<Action>) {
    use crate::workspace::qc::PROFILES;
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Quality control").strong());
        ui.label(egui::RichText::new(panel.state.label()).small().color(qc_color(panel.state)));
    });
    let profile_id = ui.scope_id().with("qc profile");
    let mut profile: usize = ui.data(|d| d.get_temp(profile_id)).unwrap_or(0);
    ui.horizontal(|ui| {
        let label = ui.label(egui::RichText::new("Profile").small());
        egui::ComboBox::from_id_salt("qc profile")
            .width(90.0)
            .selected_text(PROFILES[profile])
            .show_ui(ui, |ui| {
                for (i, name) in PROFILES.iter().enumerate() {
                    ui.selectable_value(&mut profile, i, *name);
                }
            })
            .response
            .labelled_by(label.id);
        match panel.progress {
            Some((done, total)) => {
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                        .desired_width(60.0)
                        .text(format!("{done}/{total}")),
                );
                if ui.button("Stop").clicked() {
                    actions.push(Action::StopQc);
                }
            }
            None => {
                if ui
                    .button("Run QC")
                    .on_hover_text("Grade and measure every frame of the shot on the GPU, as cinegrade qc does")
                    .clicked()
                {
                    actions.push(Action::RunQc(PROFILES[profile]));
                }
            }
        }
    });
    ui.data_mut(|d| d.insert_temp(profile_id, profile));
    if let Some(run) = &panel.run {
        ui.label(egui::RichText::new(run).small().color(theme::MUTED));
    }
    if let Some(light) = &panel.light {
        ui.label(egui::RichText::new(light).small().color(theme::MUTED));
    }
    if panel.run.is_some() && panel.rows.is_empty() {
        ui.label(egui::RichText::new("No findings").small().color(theme::MUTED));
    }
    let note_id = ui.scope_id().with("qc waiver note");
    let mut note: String = ui.data(|d| d.get_temp(note_id)).unwrap_or_default();
    if !panel.rows.is_empty() {
        ui.add(
            egui::TextEdit::singleline(&mut note)
                .hint_text("Waiver note (why it is accepted)")
                .desired_width(f32::INFINITY),
        );
    }
    for (i, row) in panel.rows.iter().enumerate() {
        let colour = match (&row.waived, row.error) {
            (Some(_), _) => theme::MUTED,
            (None, true) => theme::ERROR,
            (None, false) => egui::Color32::from_rgb(200, 170, 90),
        };
        ui.horizontal_wrapped(|ui| {
            if ui.small_button("Go").on_hover_text(format!("Show frame {} with its overlay", row.frame)).clicked() {
                actions.push(Action::GoToFinding(i));
            }
            match &row.waived {
                Some(_) => {
                    if ui.small_button("Unwaive").clicked() {
                        actions.push(Action::Unwaive(i));
                    }
                }
                None => {
                    if ui.small_button("Waive").on_hover_text("Accept this finding, with the note above").clicked() {
                        actions.push(Action::Waive(i, note.clone()));
                    }
                }
            }
            ui.label(egui::RichText::new(&row.summary).small().color(colour));
            if let Some(why) = &row.waived {
                ui.label(egui::RichText::new(format!("waived: {why}")).small().italics().color(theme::MUTED));
            }
        });
    }
    ui.data_mut(|d| d.insert_temp(note_id, note));
}

fn shot_row(
    ui: &mut egui::Ui,
    session: &EditSession,
    thumb: Option<egui::TextureId>,
    qc: Option<crate::project::qc::QcState>,
    r: ShotRef,
    actions: &mut Vec<Action>,
) {
    let Some(shot) = session.project.shot(r) else {
        return;
    };
    let selected = session.selected == Some(r);
    let response = ui
        .scope(|ui| {
            let frame = egui::Frame::new()
                .inner_margin(4)
                .corner_radius(3)
                .fill(if selected { egui::Color32::from_gray(52) } else { egui::Color32::TRANSPARENT })
                .stroke(if selected { egui::Stroke::new(1.0, theme::ACCENT) } else { egui::Stroke::NONE });
            frame
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        match thumb {
                            Some(id) => {
                                ui.add(
                                    egui::Image::new((id, egui::vec2(88.0, 50.0)))
                                        .maintain_aspect_ratio(true)
                                        .max_size(egui::vec2(88.0, 50.0)),
                                );
                            }
                            None => {
                                ui.add_sized(
                                    [88.0, 50.0],
                                    egui::Label::new(
                                        egui::RichText::new("missing").color(egui::Color32::from_rgb(220, 110, 100)),
                                    ),
                                );
                            }
                        }
                        ui.vertical(|ui| {
                            ui.label(egui::RichText::new(&shot.name).strong());
                            ui.label(egui::RichText::new(shot.status.label()).small().color(status_color(shot.status)));
                            let version = &shot.versions[shot.current_version.min(shot.versions.len() - 1)].name;
                            ui.label(egui::RichText::new(version).small().color(theme::MUTED));
                            if let Some(state) = qc.filter(|s| *s != crate::project::qc::QcState::NotChecked) {
                                ui.label(egui::RichText::new(state.label()).small().color(qc_color(state)));
                            }
                        });
                    });
                })
                .response
        })
        .inner
        .interact(egui::Sense::click());
    if response.clicked() {
        actions.push(Action::Select(r));
    }
    response.context_menu(|ui| {
        if ui.button("Copy grade").clicked() {
            actions.push(Action::CopyGrade(r));
            ui.close();
        }
        if ui.button("Paste grade").clicked() {
            actions.push(Action::PasteGrade(r));
            ui.close();
        }
        ui.separator();
        for status in ShotStatus::ALL {
            if ui.button(status.label()).clicked() {
                actions.push(Action::SetStatus(r, status));
                ui.close();
            }
        }
    });
}

/// The stills gallery: each still with its shot; compare against it, apply its grade, delete it.
/// The stills gallery: each still's image, its name and where it was grabbed, and its actions.
fn still_gallery(
    ui: &mut egui::Ui,
    session: &EditSession,
    thumbs: &[Option<egui::TextureId>],
    actions: &mut Vec<Action>,
) {
    if session.project.stills.is_empty() {
        return;
    }
    ui.separator();
    ui.label(egui::RichText::new("Stills").strong());
    for (i, still) in session.project.stills.iter().enumerate() {
        let from = match still.frame {
            Some(f) => format!("{} {} · frame {f}", still.shot, still.version),
            None => format!("{} {}", still.shot, still.version),
        };
        ui.horizontal(|ui| {
            match thumbs.get(i).copied().flatten() {
                Some(id) => {
                    ui.image((id, egui::vec2(64.0, 36.0)));
                }
                None => {
                    ui.add_sized(
                        [64.0, 36.0],
                        egui::Label::new(egui::RichText::new("no image").small().color(theme::MUTED)),
                    );
                }
            }
            ui.vertical(|ui| {
                ui.label(egui::RichText::new(&still.name).strong());
                ui.label(egui::RichText::new(&from).small().color(theme::MUTED));
            });
        });
        ui.horizontal(|ui| {
            if ui.small_button("Compare").on_hover_text("Use as the viewer's reference").clicked() {
                actions.push(Action::CompareStill(i));
            }
            if ui.small_button("Apply").on_hover_text("Apply its grade to the selected shot").clicked() {
                actions.push(Action::ApplyStill(i));
            }
            if ui.small_button("Delete").on_hover_text("Delete the still").clicked() {
                actions.push(Action::RemoveStill(i));
            }
        });
    }
}
