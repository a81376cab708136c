//! The grade controls: shot version and status, the node list, and the primaries of the selected node
//! (wheels, sliders, CDL numbers); other nodes show their op and parameters read-only. Every change
//! previews live and is one undo step per interaction.

use super::wheel::{WheelSpec, wheel};
use super::widgets::slider as plain_slider;
use crate::color::cdl::CdlStyle;
use crate::color::space::ColorSpace;
use crate::grade::{Node, Op};
use crate::interchange::Interpolation;
use crate::ops::color_transform::{ColorTransform, ToneMapping};
use crate::ops::lut::Lut;
use crate::ops::primaries::{Primaries, Wheel};
use crate::project::{EditSession, GradeVersion, ShotStatus, next_version_name};

use super::files::FileAction;
use super::theme::ERROR;

const LIFT: WheelSpec = WheelSpec { name: "Lift", neutral: 0.0, range: 0.2, master: -0.5..=0.5 };
const GAMMA: WheelSpec = WheelSpec { name: "Gamma", neutral: 1.0, range: 0.5, master: 0.2..=4.0 };
const GAIN: WheelSpec = WheelSpec { name: "Gain", neutral: 1.0, range: 0.5, master: 0.0..=4.0 };
const OFFSET: WheelSpec = WheelSpec { name: "Offset", neutral: 0.0, range: 0.2, master: -0.5..=0.5 };

/// The panel's state: the edit session and the node it edits.
struct Panel<'a> {
    session: &'a mut EditSession,
    node: &'a mut usize,
    /// A file the colorist asked for (the app opens the dialog or the path field).
    wants: Option<FileAction>,
}

/// Draws the grade panel for the session's selected shot at frame `frame` (keyframed nodes show and
/// edit their values there) of a picture `aspect` wide (new windows fit it); `node` is the node it
/// edits. Returns the file the colorist asked for,
/// if any.
pub fn show(
    ui: &mut egui::Ui,
    session: &mut EditSession,
    node: &mut usize,
    frame: u32,
    aspect: f32,
) -> Option<FileAction> {
    let app = &mut Panel { session, node, wants: None };
    let Some(sel) = app.session.selected else {
        ui.label("Select a shot to grade it.");
        return None;
    };
    let shot = app.session.project.shot(sel).cloned()?;
    // The shot, its colour and the node list stay in place; the selected node's controls scroll
    // under them, so the node being edited never leaves view.
    ui.heading(&shot.name);
    shot_header(app, ui, &shot);
    ui.separator();
    let mut grade = shot.grade().clone();
    for n in &mut grade.nodes {
        n.show_keyframes_at(frame);
    }
    let mut what: Option<&'static str> = None;
    nodes(app, ui, &mut grade, &mut what);
    egui::CollapsingHeader::new("Node graph").id_salt("node graph section").default_open(grade.is_graph()).show(
        ui,
        |ui| {
            super::node_graph::show(ui, &mut grade, app.node, &mut what);
        },
    );
    ui.separator();
    egui::ScrollArea::vertical().id_salt("node controls").show(ui, |ui| {
        if !grade.nodes.is_empty() {
            let index = (*app.node).min(grade.nodes.len() - 1);
            // The controls' ids come from the node they edit rather than from the widgets above.
            ui.push_id(("node controls", index), |ui| {
                match &mut grade.nodes[index].op {
                    Op::Primaries(p) => primaries(ui, p, &mut what),
                    Op::ColorTransform(t) => color_transform(ui, t, &mut what),
                    Op::Lut(l) => lut(ui, l, &mut what),
                    other => super::node_controls::show(ui, other, &mut what),
                }
                ui.separator();
                match grade.nodes[index].outside {
                    Some(o) => {
                        ui.label(format!("Key: outside of node {:02} (the inverse of its key)", o + 1));
                    }
                    None => super::node_controls::show_key(ui, &mut grade.nodes[index].key, &mut what, aspect),
                }
            });
        }
    });
    if let Some(what) = what {
        // An edit of a keyframed node is its key at this frame (made where there is none).
        for n in &mut grade.nodes {
            n.keep_edit_at(frame);
        }
        app.session.set_grade(what, grade);
    }
    app.wants
}

fn shot_header(app: &mut Panel, ui: &mut egui::Ui, shot: &crate::project::Shot) {
    let Some(sel) = app.session.selected else {
        return;
    };
    egui::Grid::new("shot header").num_columns(2).show(ui, |ui| {
        let version_label = ui.label("Version");
        ui.horizontal(|ui| {
            let mut current = shot.current_version;
            egui::ComboBox::from_id_salt("version")
                .selected_text(shot.versions[current.min(shot.versions.len() - 1)].name.clone())
                .show_ui(ui, |ui| {
                    for (i, v) in shot.versions.iter().enumerate() {
                        ui.selectable_value(&mut current, i, &v.name);
                    }
                })
                .response
                .labelled_by(version_label.id);
            if current != shot.current_version {
                app.session.edit("switch version", |p| {
                    if let Some(s) = p.shot_mut(sel) {
                        s.current_version = current;
                    }
                });
            }
            rename_version(app, ui, sel, shot);
            if ui.button("New").on_hover_text("Duplicate this version as a new one").clicked() {
                app.session.edit("new version", |p| {
                    if let Some(s) = p.shot_mut(sel) {
                        let grade = s.grade().clone();
                        let name = next_version_name(s.versions.iter().map(|v| v.name.as_str()));
                        s.versions.push(GradeVersion { name, grade });
                        s.current_version = s.versions.len() - 1;
                    }
                });
            }
        });
        ui.end_row();
        let status_label = ui.label("Status");
        let mut status = shot.status;
        egui::ComboBox::from_id_salt("status")
            .selected_text(status.label())
            .show_ui(ui, |ui| {
                for s in ShotStatus::ALL {
                    ui.selectable_value(&mut status, s, s.label());
                }
            })
            .response
            .labelled_by(status_label.id);
        if status != shot.status {
            app.session.edit("status", |p| {
                if let Some(s) = p.shot_mut(sel) {
                    s.status = status;
                }
            });
        }
        ui.end_row();
    });
    shot_color(app, ui, shot);
}

/// Renames the current version in place: Rename opens a field on its name; Enter (or clicking
/// away) renames it as one undo step, Escape leaves it; a refused name keeps the field open and says why.
fn rename_version(app: &mut Panel, ui: &mut egui::Ui, sel: crate::project::ShotRef, shot: &crate::project::Shot) {
    let id = egui::Id::unique(("rename version", sel.scene, sel.shot));
    let current = shot.current_version.min(shot.versions.len() - 1);
    let Some((mut name, error)) = ui.data(|d| d.get_temp::<(String, String)>(id)) else {
        if ui.button("Rename").on_hover_text("Rename this version").clicked() {
            ui.data_mut(|d| d.insert_temp(id, (shot.versions[current].name.clone(), String::new())));
        }
        return;
    };
    let field = ui.add(egui::TextEdit::singleline(&mut name).desired_width(110.0));
    if !field.has_focus() && !field.lost_focus() && error.is_empty() {
        field.request_focus();
    }
    let field = field.on_hover_text("New name; Enter renames, Escape leaves it");
    let mut state = Some((name.clone(), error.clone()));
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        state = None;
    } else if field.lost_focus() {
        state = match app.session.rename_version(sel, current, &name) {
            Ok(()) => None,
            Err(e) => Some((name, e)),
        };
    }
    if let Some((_, e)) = &state
        && !e.is_empty()
    {
        ui.colored_label(ERROR, e);
    }
    ui.data_mut(|d| {
        if let Some(s) = state {
            d.insert_temp(id, s);
        } else {
            d.remove::<(String, String)>(id);
        }
    });
}

/// The shot's colour management: input, working and output spaces and the display rendering, each
/// change one undo step (an invalid combination is refused in the status line by the model).
fn shot_color(app: &mut Panel, ui: &mut egui::Ui, shot: &crate::project::Shot) {
    let before = shot.color();
    let mut c = before;
    ui.label(egui::RichText::new("Colour").strong()).on_hover_text(
        "Spaces the media is in, is graded in and is delivered in; used by the viewer and by every render of the shot",
    );
    ocio_config_row(app, ui);
    if app.session.project.color.ocio_config.is_some() {
        ocio_color(app, ui, shot);
        return;
    }
    egui::Grid::new("shot colour").num_columns(2).show(ui, |ui| {
        space_choice(ui, "Input", "input space", &mut c.input, "as stored");
        space_choice(ui, "Working", "working space", &mut c.working, "acescct (default)");
        space_choice(ui, "Output", "output space", &mut c.output, "as stored");
        let renders = [c.input, c.output].into_iter().flatten().any(|s| !s.is_scene_referred());
        if renders {
            ui.label("Rendering").on_hover_text(
                "How scene light becomes display light: cinegrade (Cinegrade's curve), aces2 (ACES 2.0 Output Transform) or none (colorimetric)",
            );
            ui.horizontal(|ui| {
                for tone in ToneMapping::ALL {
                    ui.radio_value(&mut c.tone_map, tone, tone.name());
                }
            });
            ui.end_row();
            let hdr = [c.input, c.output].into_iter().flatten().any(|s| s.display_peak_nits().is_some_and(|n| n > 100.0));
            if hdr && c.tone_map == ToneMapping::Aces2 {
                let label = ui.label("Peak");
                let mut peak = c.peak_nits.unwrap_or(1000);
                egui::ComboBox::from_id_salt("peak nits")
                    .selected_text(format!("{peak} nits"))
                    .show_ui(ui, |ui| {
                        for p in crate::ops::color_transform::ACES2_HDR_PEAKS {
                            ui.selectable_value(&mut peak, p, format!("{p} nits"));
                        }
                    })
                    .response
                    .labelled_by(label.id);
                c.peak_nits = (peak != 1000).then_some(peak);
                ui.end_row();
            }
        }
    });
    // A peak belongs to an ACES 2.0 HDR rendering only: leaving one drops it.
    let hdr_aces2 = c.tone_map == ToneMapping::Aces2
        && [c.input, c.output].into_iter().flatten().any(|s| s.display_peak_nits().is_some_and(|n| n > 100.0));
    if !hdr_aces2 {
        c.peak_nits = None;
    }
    if c != before {
        let what = if c.input != before.input {
            "input space"
        } else if c.working != before.working {
            "working space"
        } else if c.output != before.output {
            "output space"
        } else {
            "display rendering"
        };
        if let Err(e) = app.session.set_shot_color(what, c) {
            ui.colored_label(ERROR, e);
        }
    }
}

/// The project's OpenColorIO config: which one, and buttons to choose one, take OpenColorIO's
/// built-in ACES studio config, or go back to Cinegrade's own spaces (each one undo step).
fn ocio_config_row(app: &mut Panel, ui: &mut egui::Ui) {
    let current = app.session.project.color.ocio_config.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label("OCIO").on_hover_text(
            "The project's OpenColorIO config (saved with the project); without one, Cinegrade's own spaces",
        );
        let text = current.as_ref().map_or("none: Cinegrade's spaces".to_string(), |p| p.display().to_string());
        ui.label(egui::RichText::new(text).color(super::theme::MUTED));
        if ui.small_button("Choose…").on_hover_text("Use a show's .ocio config").clicked() {
            app.wants = Some(FileAction::ChooseOcioConfig);
        }
        if ui
            .small_button("ACES studio")
            .on_hover_text("OpenColorIO's built-in ACES studio config (ocio://studio-config-latest)")
            .clicked()
        {
            let color = crate::project::ProjectColor {
                ocio_config: Some("ocio://studio-config-latest".into()),
                ..Default::default()
            };
            if let Err(e) = app.session.set_project_color("OCIO config", color) {
                ui.colored_label(ERROR, e);
            }
        }
        if current.is_some() && ui.small_button("None").on_hover_text("Back to Cinegrade's own spaces").clicked() {
            let _ = app.session.set_project_color("no OCIO config", crate::project::ProjectColor::default());
        }
    });
}

/// Colour through the project's OpenColorIO config: the shot's input space, the project's working
/// space, display and view, and the shot's own display/view if it differs; every change one undo
/// step, checked against the config by the model.
fn ocio_color(app: &mut Panel, ui: &mut egui::Ui, shot: &crate::project::Shot) {
    let names = match crate::workspace::ocio_names(app.session) {
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            ui.colored_label(ERROR, e);
            return;
        }
        None => return,
    };
    let project_before = app.session.project.color.clone();
    let mut project = project_before.clone();
    let shot_before = shot.ocio.clone();
    let mut own = shot_before.clone();
    let displays = names.display_names();
    egui::Grid::new("ocio colour").num_columns(2).show(ui, |ui| {
        name_choice(ui, "Input", "ocio input", &mut own.input, "as stored (working space)", &names.spaces);
        name_choice(ui, "Working", "ocio working", &mut project.working, "config's color_timing", &names.spaces);
        name_choice(ui, "Display", "ocio display", &mut project.display, "config's default", &displays);
        let views = names.views(project.display.as_deref());
        name_choice(ui, "View", "ocio view", &mut project.view, "display's default", &views);
        name_choice(ui, "Shot display", "ocio shot display", &mut own.display, "the project's", &displays);
        if own.display.is_some() {
            let views = names.views(own.display.as_deref());
            name_choice(ui, "Shot view", "ocio shot view", &mut own.view, "display's default", &views);
        }
    });
    // A view belongs to its display: choosing another display starts at its default view.
    if project.display != project_before.display {
        project.view = None;
    }
    if own.display != shot_before.display {
        own.view = None;
    }
    if project != project_before {
        let what = if project.working != project_before.working { "working space" } else { "display / view" };
        if let Err(e) = app.session.set_project_color(what, project) {
            ui.colored_label(ERROR, e);
        }
    } else if own != shot_before {
        let what = if own.input != shot_before.input { "input space" } else { "shot display / view" };
        if let Err(e) = app.session.set_shot_ocio(what, own) {
            ui.colored_label(ERROR, e);
        }
    }
    device_rows(app, ui, &names, shot);
}

/// Which display and view of the config each device preview renders through (shown beside the
/// device): found in the config unless the colorist chooses; every change one undo step, checked
/// against the config by the model.
fn device_rows(app: &mut Panel, ui: &mut egui::Ui, names: &crate::workspace::OcioNames, shot: &crate::project::Shot) {
    let Some(used) = crate::workspace::device_outputs(app.session, shot) else {
        return;
    };
    let before = app.session.project.color.clone();
    let mut color = before.clone();
    egui::CollapsingHeader::new("Device previews").id_salt("ocio devices").show(ui, |ui| {
        egui::Grid::new("ocio device rows").num_columns(2).show(ui, |ui| {
            for (device, used) in &used {
                let was = color.devices.get(device).cloned().unwrap_or_default();
                let mut chosen = was.clone();
                ui.label(egui::RichText::new(device.label()).strong());
                match used {
                    Ok((d, v)) => ui.label(egui::RichText::new(format!("{d} / {v}")).color(super::theme::MUTED)),
                    Err(e) => ui.colored_label(ERROR, e),
                };
                ui.end_row();
                let id = format!("{device:?}");
                let displays = names.display_names();
                name_choice(
                    ui,
                    "  Display",
                    &format!("{id} display"),
                    &mut chosen.display,
                    "found in the config",
                    &displays,
                );
                let shown = chosen.display.clone().or_else(|| used.as_ref().ok().map(|(d, _)| d.clone()));
                let views = names.views(shown.as_deref());
                name_choice(ui, "  View", &format!("{id} view"), &mut chosen.view, "found on the display", &views);
                // A view belongs to its display: another display starts at the view found on it.
                if chosen.display != was.display {
                    chosen.view = None;
                }
                if chosen != was {
                    match chosen.is_unset() {
                        true => color.devices.remove(device),
                        false => color.devices.insert(*device, chosen),
                    };
                }
            }
        });
    });
    if color != before
        && let Err(e) = app.session.set_project_color("device display / view", color)
    {
        ui.colored_label(ERROR, e);
    }
}

fn name_choice(ui: &mut egui::Ui, label: &str, id: &str, value: &mut Option<String>, none: &str, names: &[String]) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(value.clone().unwrap_or_else(|| none.to_string()))
        .width(190.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, none);
            for name in names {
                ui.selectable_value(value, Some(name.clone()), name);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn space_choice(ui: &mut egui::Ui, label: &str, id: &str, value: &mut Option<ColorSpace>, none: &str) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(value.map_or(none.to_string(), |s| s.name().to_string()))
        .width(190.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, none);
            for s in ColorSpace::ALL {
                ui.selectable_value(value, Some(s), s.name()).on_hover_text(s.description());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn nodes(app: &mut Panel, ui: &mut egui::Ui, grade: &mut crate::grade::Grade, what: &mut Option<&'static str>) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Nodes").strong());
        super::node_controls::stack_buttons(ui, grade, app.node, what);
        if ui
            .small_button("+ CST")
            .on_hover_text("Colour space transform (starts as an identity in the grade's space)")
            .clicked()
        {
            let t = app.session.selected.and_then(|r| app.session.project.shot(r)).map_or_else(
                || ColorTransform::new(ColorSpace::LinearRec709, ColorSpace::LinearRec709),
                |s| s.new_color_transform(),
            );
            grade.nodes.push(Node::new(Op::ColorTransform(t)));
            *app.node = grade.nodes.len() - 1;
            *what = Some("add node");
        }
        if ui.small_button("+ LUT").on_hover_text("Apply a .cube or CLF LUT").clicked() {
            app.wants = Some(FileAction::AddLut);
        }
        if !grade.nodes.is_empty() && ui.small_button("Delete").clicked() {
            let i = (*app.node).min(grade.nodes.len() - 1);
            grade.remove_node(i);
            *app.node = i.saturating_sub(1);
            *what = Some("delete node");
        }
    });
    // The placeholder node only lands in the grade if a control moves. It says so on its own row, so
    // nothing above the controls moves when it becomes real (a row vanishing under a drag in progress
    // cut the first drag on an ungraded shot short).
    let placeholder = grade.nodes.is_empty();
    if placeholder {
        grade.nodes.push(Node::new(Op::Primaries(Primaries::default())));
    }
    let count = grade.nodes.len();
    for (i, node) in grade.nodes.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            if placeholder {
                ui.label(
                    egui::RichText::new("No correction yet: move any control to start one.").color(super::theme::MUTED),
                );
                return;
            }
            if ui.checkbox(&mut node.enabled, "").on_hover_text("Enable node").changed() {
                *what = Some("enable node");
            }
            let name = if node.label.is_empty() {
                format!("{:02} {}", i + 1, node.op.name())
            } else {
                format!("{:02} {}", i + 1, node.label)
            };
            if ui.selectable_label((*app.node).min(count - 1) == i, name).clicked() {
                *app.node = i;
            }
            if ui.add(egui::Slider::new(&mut node.mix, 0.0..=1.0).text("mix")).changed() {
                *what = Some("node mix");
            }
        });
    }
}

/// A node the panel has no controls for: its op name and parameters as they are saved.
fn space_combo(ui: &mut egui::Ui, label: &str, space: &mut ColorSpace) -> bool {
    let label = ui.label(label);
    let before = *space;
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(space.name())
        .width(220.0)
        .show_ui(ui, |ui| {
            for s in ColorSpace::ALL {
                ui.selectable_value(space, s, s.name()).on_hover_text(s.description());
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
    *space != before
}

fn color_transform(ui: &mut egui::Ui, t: &mut ColorTransform, what: &mut Option<&'static str>) {
    ui.label(egui::RichText::new("Colour space transform").strong());
    egui::Grid::new("cst").num_columns(2).show(ui, |ui| {
        if space_combo(ui, "From", &mut t.from) | space_combo(ui, "To", &mut t.to) {
            *what = Some("colour space");
        }
        ui.label("Tone mapping");
        ui.horizontal(|ui| {
            for tone in ToneMapping::ALL {
                if ui.radio_value(&mut t.tone_map, tone, tone.name()).changed() {
                    *what = Some("tone mapping");
                }
            }
        });
        ui.end_row();
    });
    ui.label(
        egui::RichText::new(format!("{}  ->  {}", t.from.description(), t.to.description()))
            .small()
            .color(super::theme::MUTED),
    );
}

fn lut(ui: &mut egui::Ui, l: &mut Lut, what: &mut Option<&'static str>) {
    ui.label(egui::RichText::new("LUT").strong());
    ui.horizontal(|ui| {
        // The path can always be typed (Enter or leaving the field applies it), so a missing file
        // dialog never blocks choosing one.
        let id = ui.scope_id().with("lut path");
        let mut text = ui.data_mut(|d| d.get_temp::<String>(id)).unwrap_or_else(|| l.path.display().to_string());
        let response =
            ui.add(egui::TextEdit::singleline(&mut text).desired_width(230.0).font(egui::TextStyle::Monospace));
        if response.changed() {
            ui.data_mut(|d| d.insert_temp(id, text.clone()));
        }
        if response.lost_focus() {
            ui.data_mut(|d| d.remove::<String>(id));
            if std::path::Path::new(&text) != l.path.as_path() && !text.trim().is_empty() {
                l.path = text.trim().into();
                *what = Some("LUT file");
            }
        }
        if ui.button("Choose…").clicked()
            && let Some(path) =
                rfd::FileDialog::new().add_filter("LUT (.cube, .clf)", crate::interchange::LUT_EXTENSIONS).pick_file()
        {
            l.path = path;
            *what = Some("LUT file");
        }
    });
    ui.horizontal(|ui| {
        ui.label("Interpolation");
        for interp in Interpolation::ALL {
            if ui.radio_value(&mut l.interpolation, interp, interp.name()).changed() {
                *what = Some("LUT interpolation");
            }
        }
    });
}

fn slider(
    ui: &mut egui::Ui,
    value: &mut f32,
    range: std::ops::RangeInclusive<f32>,
    label: &'static str,
    neutral: f32,
    what: &mut Option<&'static str>,
) {
    ui.horizontal(|ui| plain_slider(ui, value, range, label, neutral, what));
}

fn primaries(ui: &mut egui::Ui, p: &mut Primaries, what: &mut Option<&'static str>) {
    let diameter = ((ui.available_width() - 24.0) / 2.0).clamp(90.0, 150.0);
    for pair in [[(&LIFT, 0), (&GAMMA, 1)], [(&GAIN, 2), (&OFFSET, 3)]] {
        ui.horizontal(|ui| {
            for (spec, i) in pair {
                let w: &mut Wheel = match i {
                    0 => &mut p.lift,
                    1 => &mut p.gamma,
                    2 => &mut p.gain,
                    _ => &mut p.offset,
                };
                if wheel(ui, w, spec, diameter) {
                    *what = Some(spec.name);
                }
            }
        });
    }
    ui.separator();
    let caption = |ui: &mut egui::Ui, text: &str| {
        ui.label(egui::RichText::new(text).small().color(super::theme::MUTED));
    };
    caption(ui, "In linear light (decoded from the working space):");
    slider(ui, &mut p.exposure, -6.0..=6.0, "Exposure (stops)", 0.0, what);
    slider(ui, &mut p.temperature, 2000.0..=15000.0, "Temperature (K)", 6500.0, what);
    slider(ui, &mut p.tint, -50.0..=50.0, "Tint", 0.0, what);
    caption(ui, "On working-space values (as the wheels and the CDL):");
    slider(ui, &mut p.contrast, 0.0..=3.0, "Contrast", 1.0, what);
    slider(ui, &mut p.pivot, 0.0..=1.0, "Pivot", crate::ops::primaries::DEFAULT_PIVOT, what);
    slider(ui, &mut p.saturation, 0.0..=3.0, "Saturation", 1.0, what);
    p.temperature = p.temperature.clamp(1000.0, 15000.0);
    ui.separator();
    ui.label(egui::RichText::new("ASC CDL").strong());
    egui::Grid::new("cdl").num_columns(4).show(ui, |ui| {
        let rows: [(&str, &mut [f32; 3], f64, f32); 3] = [
            ("Slope", &mut p.cdl.slope, 0.002, 0.0),
            ("Offset", &mut p.cdl.offset, 0.001, f32::NEG_INFINITY),
            ("Power", &mut p.cdl.power, 0.002, 0.01),
        ];
        for (label, values, speed, min) in rows {
            ui.label(label);
            for (v, channel) in values.iter_mut().zip(["R", "G", "B"]) {
                if number(ui, v, speed, min, &format!("CDL {label} {channel}")) {
                    *what = Some("CDL");
                }
            }
            ui.end_row();
        }
        ui.label("Saturation");
        if number(ui, &mut p.cdl.saturation, 0.002, 0.0, "CDL Saturation") {
            *what = Some("CDL");
        }
        ui.end_row();
    });
    ui.horizontal(|ui| {
        ui.label("CDL style");
        for style in [CdlStyle::NoClamp, CdlStyle::Asc] {
            if ui.radio_value(&mut p.cdl_style, style, style.name()).changed() {
                *what = Some("CDL style");
            }
        }
    });
    ui.separator();
    if ui.button("Reset node").clicked() && *p != Primaries::default() {
        *p = Primaries::default();
        *what = Some("reset node");
    }
}

/// A number typed or dragged, named for screen readers and tests; true when it changed.
fn number(ui: &mut egui::Ui, value: &mut f32, speed: f64, min: f32, name: &str) -> bool {
    let response = ui.add(egui::DragValue::new(value).speed(speed).range(min..=f32::INFINITY).max_decimals(5));
    let enabled = ui.is_enabled();
    let name = name.to_string();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, enabled, &name));
    response.changed()
}
