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
                    shot_row(ui, session, thumbnails.get(&r).copied(), r, &mut actions);
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

fn shot_row(
    ui: &mut egui::Ui,
    session: &EditSession,
    thumb: Option<egui::TextureId>,
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
