//! Small widgets every panel uses: sliders that reset on double-click, named numbers, and the
//! generic editor of an op's parameter schema (`crate::ops::Param`).

use crate::ops::{ParamInfo, ParamKind, ParamValue};

/// A slider that never clamps typed values and resets to `neutral` on double-click; sets `what` (the
/// undo step's name) to `label` when it changes.
pub fn slider(
    ui: &mut egui::Ui,
    value: &mut f32,
    range: std::ops::RangeInclusive<f32>,
    label: &'static str,
    neutral: f32,
    what: &mut Option<&'static str>,
) {
    let response = ui.add(egui::Slider::new(value, range).text(label).clamping(egui::SliderClamping::Never));
    if response.changed() {
        *what = Some(label);
    }
    if response.double_clicked() {
        *value = neutral;
        *what = Some(label);
    }
}

/// A dragged number named for screen readers and tests; true when it changed.
pub fn named(ui: &mut egui::Ui, drag: egui::DragValue, name: &str) -> bool {
    let response = ui.add(drag);
    let enabled = ui.is_enabled();
    let name = name.to_string();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, enabled, &name));
    response.changed()
}

/// A row of dragged numbers, e.g. a position.
pub fn numbers(
    ui: &mut egui::Ui,
    label: &str,
    values: &mut [f32],
    speed: f64,
    name: &'static str,
    what: &mut Option<&'static str>,
) {
    ui.horizontal(|ui| {
        ui.label(label);
        for (i, v) in values.iter_mut().enumerate() {
            if named(ui, egui::DragValue::new(v).speed(speed).max_decimals(4), &format!("{label} {}", i + 1)) {
                *what = Some(name);
            }
        }
    });
}

/// The widget of one schema parameter; returns its new value when the colorist changed it.
pub fn param(ui: &mut egui::Ui, p: &ParamInfo) -> Option<ParamValue> {
    let mut changed = None;
    match (p.kind, p.value) {
        (ParamKind::Number { min, max, neutral }, ParamValue::Number(mut v)) => {
            let mut what = None;
            ui.horizontal(|ui| {
                slider(ui, &mut v, min..=max, p.label, neutral, &mut what);
                if !p.unit.is_empty() {
                    ui.label(egui::RichText::new(p.unit).small().color(super::theme::MUTED));
                }
            });
            changed = what.map(|_| ParamValue::Number(v));
        }
        (ParamKind::Integer { .. }, ParamValue::Integer(mut v)) => {
            ui.horizontal(|ui| {
                ui.label(p.label);
                if named(ui, egui::DragValue::new(&mut v), p.label) {
                    changed = Some(ParamValue::Integer(v));
                }
            });
        }
        (ParamKind::Choice { options, .. }, ParamValue::Choice(mut v)) => {
            ui.horizontal(|ui| {
                for (i, option) in options.iter().enumerate() {
                    if ui.radio_value(&mut v, i, *option).changed() {
                        changed = Some(ParamValue::Choice(v));
                    }
                }
            });
        }
        (ParamKind::Colour { presets, .. }, ParamValue::Colour(mut rgb)) => {
            ui.horizontal(|ui| {
                ui.label(p.label);
                if ui.color_edit_button_rgb(&mut rgb).changed() {
                    changed = Some(ParamValue::Colour(rgb));
                }
                for (name, preset) in presets {
                    if ui.button(*name).clicked() {
                        changed = Some(ParamValue::Colour(*preset));
                    }
                }
            });
        }
        (ParamKind::Point { .. }, ParamValue::Point(mut xy)) => {
            let mut what = None;
            numbers(ui, p.label, &mut xy, 0.005, p.label, &mut what);
            changed = what.map(|_| ParamValue::Point(xy));
        }
        _ => {
            ui.label(format!("{}: {:?}", p.label, p.value));
        }
    }
    changed
}
