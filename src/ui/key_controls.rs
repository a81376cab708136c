//! A node's key: the HSL qualifier's ranges, the windows as numbers, how they combine, invert and
//! the matte view.

use super::widgets::{named as number, numbers, slider};
use crate::ops::key::{self, Combine, Key, Qualifier, Range, Shape, Window};

/// Draws the key of a node: qualifier, windows, how they combine, invert and the matte view. New
/// windows fit a frame `aspect` (width / height) wide.
pub fn show_key(ui: &mut egui::Ui, key: &mut Option<Key>, what: &mut Option<&'static str>, aspect: f32) {
    let k = key.get_or_insert_with(Key::default);
    ui.label(egui::RichText::new("Key").strong());
    let mut qualify = k.qualifier.is_some();
    if ui.checkbox(&mut qualify, "HSL qualifier").changed() {
        // Nothing selected out yet: every range starts off until one is set or picked, so ticking
        // the box does not suddenly key reds.
        k.qualifier = qualify.then(Qualifier::default);
        *what = Some("Qualifier");
    }
    if k.qualifier.is_some() {
        ui.label(
            egui::RichText::new("Pick key (viewer toolbar): drag over a colour to start the ranges from it")
                .small()
                .color(super::theme::MUTED),
        );
    }
    if let Some(q) = &mut k.qualifier {
        qualifier(ui, q, what);
    }
    ui.separator();
    windows(ui, &mut k.windows, what, aspect);
    ui.separator();
    ui.horizontal(|ui| {
        for (combine, name) in [(Combine::Intersect, "Intersect"), (Combine::Union, "Union")] {
            if ui.radio_value(&mut k.combine, combine, name).on_hover_text("Qualifier and windows").changed() {
                *what = Some("Key combine");
            }
        }
    });
    if ui.checkbox(&mut k.invert, "Invert key").changed() {
        *what = Some("Invert key");
    }
    ui.label(egui::RichText::new("See the matte: Matte in the viewer's toolbar").small().color(super::theme::MUTED));
    if *k == Key::default() {
        *key = None;
    }
}

/// What a range bar shows under its handles.
#[derive(Clone, Copy)]
enum Ramp {
    Hue,
    Saturation,
    Luma,
}

/// A bar of the quantity (hue around the circle, saturation, luma) with the selected span bright,
/// its soft edges half-lit and the rest dimmed. Dragging near an end of the span moves that end,
/// elsewhere moves the whole span; returns the new (low, high) when it changed. Hue spans may wrap.
fn range_bar(ui: &mut egui::Ui, ramp: Ramp, name: &str, low: f32, high: f32, soft: f32) -> Option<(f32, f32)> {
    let width = ui.available_width().min(300.0);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 14.0), egui::Sense::click_and_drag());
    let enabled = ui.is_enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, enabled, format!("{name} bar")));
    let painter = ui.painter_at(rect);
    let steps = 60;
    let at = |t: f32| rect.left() + t * rect.width();
    // How much of the bar at t is selected: 1 inside, falling over the soft edges (wrapping for hue).
    let weight = |t: f32| {
        let distance = |x: f32| match ramp {
            Ramp::Hue => {
                let d = (x - t).rem_euclid(1.0);
                d.min(1.0 - d)
            }
            _ => (x - t).abs(),
        };
        let inside = match ramp {
            Ramp::Hue => {
                let (c, w) = (((low + high) * 0.5).rem_euclid(1.0), (high - low) * 0.5);
                distance(c) <= w
            }
            _ => (low..=high).contains(&t),
        };
        if inside {
            1.0
        } else {
            let edge = distance(low).min(distance(high));
            (1.0 - edge / soft.max(1e-3)).clamp(0.0, 1.0) * 0.6
        }
    };
    for i in 0..steps {
        let t = (i as f32 + 0.5) / steps as f32;
        let [r, g, b] = match ramp {
            Ramp::Hue => crate::ops::hsl::hue_swatch(t),
            Ramp::Saturation => crate::ops::hsl::saturation_swatch(t),
            Ramp::Luma => [(t * 255.0) as u8; 3],
        };
        let lit = 0.25 + 0.75 * weight(t);
        let color = egui::Color32::from_rgb((r as f32 * lit) as u8, (g as f32 * lit) as u8, (b as f32 * lit) as u8);
        let cell = egui::Rect::from_min_max(
            egui::pos2(at(i as f32 / steps as f32), rect.top()),
            egui::pos2(at((i + 1) as f32 / steps as f32), rect.bottom()),
        );
        painter.rect_filled(cell, 0.0, color);
    }
    for end in [low, high] {
        let x = at(end.rem_euclid(1.0 + f32::EPSILON).min(1.0));
        painter.line_segment(
            [egui::pos2(x, rect.top()), egui::pos2(x, rect.bottom())],
            egui::Stroke::new(2.0, egui::Color32::WHITE),
        );
    }
    let grab_id = response.id.with("end");
    if response.drag_started()
        && let Some(p) = ui.input(|i| i.pointer.press_origin())
    {
        // 0: the low end, 1: the high end, 2: the whole span.
        let near = |end: f32| (p.x - at(end.rem_euclid(1.0 + f32::EPSILON).min(1.0))).abs() < 6.0;
        let grab = if near(low) {
            0u8
        } else if near(high) {
            1
        } else {
            2
        };
        ui.data_mut(|d| d.insert_temp(grab_id, grab));
    }
    if response.dragged() {
        let delta = response.drag_delta().x / rect.width();
        let (mut lo, mut hi) = (low, high);
        match ui.data(|d| d.get_temp::<u8>(grab_id)).unwrap_or(2) {
            0 => lo = (lo + delta).min(hi),
            1 => hi = (hi + delta).max(lo),
            _ => {
                lo += delta;
                hi += delta;
            }
        }
        if !matches!(ramp, Ramp::Hue) {
            // Saturation and luma bars span 0..1 of the qualifier's scale.
            let shift = (-lo).max(0.0) - (hi - 1.0).max(0.0);
            (lo, hi) = (lo + shift, hi + shift);
        }
        return (delta != 0.0).then_some((lo, hi));
    }
    None
}

fn range(ui: &mut egui::Ui, r: &mut Range, names: [&'static str; 4], what: &mut Option<&'static str>, ramp: Ramp) {
    if ui.checkbox(&mut r.enabled, names[0]).changed() {
        *what = Some(names[0]);
    }
    if r.enabled {
        if let Some((low, high)) = range_bar(ui, ramp, names[0], r.low, r.high, r.softness) {
            (r.low, r.high) = (low, high);
            *what = Some(names[0]);
        }
        slider(ui, &mut r.low, 0.0..=1.0, names[1], 0.0, what);
        slider(ui, &mut r.high, 0.0..=1.0, names[2], 1.0, what);
        slider(ui, &mut r.softness, 0.0..=0.5, names[3], 0.1, what);
        r.high = r.high.max(r.low);
    }
}

fn qualifier(ui: &mut egui::Ui, q: &mut Qualifier, what: &mut Option<&'static str>) {
    if ui.checkbox(&mut q.hue.enabled, "Hue").changed() {
        *what = Some("Hue");
    }
    if q.hue.enabled {
        let half = q.hue.width * 0.5;
        let (low, high) = (q.hue.center - half, q.hue.center + half);
        if let Some((low, high)) = range_bar(ui, Ramp::Hue, "Hue", low, high, q.hue.softness) {
            q.hue.center = ((low + high) * 0.5).rem_euclid(1.0);
            q.hue.width = (high - low).clamp(0.0, 1.0);
            *what = Some("Hue");
        }
        slider(ui, &mut q.hue.center, 0.0..=1.0, "Hue centre", 0.0, what);
        slider(ui, &mut q.hue.width, 0.0..=1.0, "Hue width", 0.1, what);
        slider(ui, &mut q.hue.softness, 0.0..=0.5, "Hue softness", 0.05, what);
    }
    range(ui, &mut q.saturation, ["Saturation", "Sat low", "Sat high", "Sat softness"], what, Ramp::Saturation);
    range(ui, &mut q.luma, ["Luma", "Luma low", "Luma high", "Luma softness"], what, Ramp::Luma);
    slider(ui, &mut q.clean_black, 0.0..=0.9, "Clean black", 0.0, what);
    slider(ui, &mut q.clean_white, 0.0..=0.9, "Clean white", 0.0, what);
    slider(ui, &mut q.blur, 0.0..=key::MAX_MATTE_BLUR, "Matte blur", 0.0, what);
    q.clean_white = q.clean_white.min(0.99 - q.clean_black).max(0.0);
}

/// Window shapes and their names in the panel.
pub const SHAPES: [(Shape, &str); 5] = [
    (Shape::Ellipse, "Ellipse"),
    (Shape::Rectangle, "Rectangle"),
    (Shape::Gradient, "Linear"),
    (Shape::Polygon, "Polygon"),
    (Shape::Bezier, "Bezier"),
];

fn windows(ui: &mut egui::Ui, windows: &mut Vec<Window>, what: &mut Option<&'static str>, aspect: f32) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Windows").strong());
        if windows.len() < key::MAX_WINDOWS {
            ui.menu_button("+ Window", |ui| {
                for (shape, name) in SHAPES {
                    if ui.button(name).clicked() {
                        windows.push(Window::new_for(shape, aspect));
                        *what = Some("Add window");
                        ui.close();
                    }
                }
            });
        }
    });
    let mut remove = None;
    for (i, w) in windows.iter_mut().enumerate() {
        let name = SHAPES.iter().find(|(s, _)| *s == w.shape).map_or("Window", |(_, n)| n);
        egui::CollapsingHeader::new(format!("{} {name}", i + 1)).id_salt(("window", i)).default_open(true).show(
            ui,
            |ui| {
                numbers(ui, "Centre", &mut w.center, 0.002, "Window position", what);
                if w.shape != Shape::Gradient {
                    let label = if matches!(w.shape, Shape::Polygon | Shape::Bezier) { "Scale" } else { "Size" };
                    numbers(ui, label, &mut w.size, 0.002, "Window size", what);
                    w.size = w.size.map(|s| s.max(1e-3));
                }
                slider(ui, &mut w.rotation, -180.0..=180.0, "Rotation", 0.0, what);
                if matches!(w.shape, Shape::Polygon | Shape::Bezier) {
                    polygon_points(ui, w, what);
                }
                slider(ui, &mut w.softness_inside, 0.0..=0.5, "Soft inside", 0.05, what);
                slider(ui, &mut w.softness_outside, 0.0..=0.5, "Soft outside", 0.05, what);
                w.softness_inside = w.softness_inside.max(0.0);
                w.softness_outside = w.softness_outside.max(0.0);
                ui.horizontal(|ui| {
                    if ui.checkbox(&mut w.invert, "Invert").changed() {
                        *what = Some("Invert window");
                    }
                    if ui.button("Delete").clicked() {
                        remove = Some(i);
                    }
                });
            },
        );
    }
    if let Some(i) = remove {
        windows.remove(i);
        *what = Some("Delete window");
    }
}

fn polygon_points(ui: &mut egui::Ui, w: &mut Window, what: &mut Option<&'static str>) {
    let mut remove = None;
    let can_remove = w.points.len() > 3;
    ui.label(egui::RichText::new("Points (offsets from the centre)").small().color(super::theme::MUTED));
    for (i, p) in w.points.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}", i + 1));
            for (axis, v) in ["x", "y"].into_iter().zip(p.iter_mut()) {
                let drag = egui::DragValue::new(v).speed(0.002).max_decimals(4);
                if number(ui, drag, &format!("Corner {} {axis}", i + 1)) {
                    *what = Some("Window point");
                }
            }
            if can_remove && ui.small_button("Del").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        key::remove_point(w, i);
        *what = Some("Delete window point");
    }
    let most = if w.shape == Shape::Bezier { key::MAX_BEZIER_POINTS } else { key::MAX_POLYGON_POINTS };
    if w.points.len() < most && ui.small_button("+ Point").clicked() {
        key::insert_point(w, w.points.len() - 1);
        *what = Some("Add window point");
    }
}
