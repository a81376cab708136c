//! A node's key: the HSL qualifier's ranges, the windows as numbers, how they combine, invert and
//! the matte view.

use super::widgets::{named as number, numbers, slider};
use crate::ops::key::{self, Combine, HueRange, Key, Qualifier, Range, Shape, Window};

/// Draws the key of a node: qualifier, windows, how they combine, invert and the matte view.
pub fn show_key(ui: &mut egui::Ui, key: &mut Option<Key>, what: &mut Option<&'static str>) {
    let k = key.get_or_insert_with(Key::default);
    ui.label(egui::RichText::new("Key").strong());
    let mut qualify = k.qualifier.is_some();
    if ui.checkbox(&mut qualify, "HSL qualifier").changed() {
        k.qualifier = qualify
            .then(|| Qualifier { hue: HueRange { enabled: true, ..HueRange::default() }, ..Qualifier::default() });
        *what = Some("Qualifier");
    }
    if let Some(q) = &mut k.qualifier {
        qualifier(ui, q, what);
    }
    ui.separator();
    windows(ui, &mut k.windows, what);
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

fn range(ui: &mut egui::Ui, r: &mut Range, names: [&'static str; 4], what: &mut Option<&'static str>) {
    if ui.checkbox(&mut r.enabled, names[0]).changed() {
        *what = Some(names[0]);
    }
    if r.enabled {
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
        slider(ui, &mut q.hue.center, 0.0..=1.0, "Hue centre", 0.0, what);
        slider(ui, &mut q.hue.width, 0.0..=1.0, "Hue width", 0.1, what);
        slider(ui, &mut q.hue.softness, 0.0..=0.5, "Hue softness", 0.05, what);
    }
    range(ui, &mut q.saturation, ["Saturation", "Sat low", "Sat high", "Sat softness"], what);
    range(ui, &mut q.luma, ["Luma", "Luma low", "Luma high", "Luma softness"], what);
    slider(ui, &mut q.clean_black, 0.0..=0.9, "Clean black", 0.0, what);
    slider(ui, &mut q.clean_white, 0.0..=0.9, "Clean white", 0.0, what);
    slider(ui, &mut q.blur, 0.0..=key::MAX_MATTE_BLUR, "Matte blur", 0.0, what);
    q.clean_white = q.clean_white.min(0.99 - q.clean_black).max(0.0);
}

const SHAPES: [(Shape, &str); 4] = [
    (Shape::Ellipse, "Ellipse"),
    (Shape::Rectangle, "Rectangle"),
    (Shape::Gradient, "Gradient"),
    (Shape::Polygon, "Polygon"),
];

fn windows(ui: &mut egui::Ui, windows: &mut Vec<Window>, what: &mut Option<&'static str>) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Windows").strong());
        if windows.len() < key::MAX_WINDOWS {
            ui.menu_button("+ Window", |ui| {
                for (shape, name) in SHAPES {
                    if ui.button(name).clicked() {
                        windows.push(Window::new(shape));
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
                if w.shape == Shape::Polygon {
                    polygon_points(ui, &mut w.points, what);
                } else {
                    numbers(ui, "Centre", &mut w.center, 0.002, "Window position", what);
                    if w.shape != Shape::Gradient {
                        numbers(ui, "Size", &mut w.size, 0.002, "Window size", what);
                        w.size = w.size.map(|s| s.max(1e-3));
                    }
                    slider(ui, &mut w.rotation, -180.0..=180.0, "Rotation", 0.0, what);
                }
                slider(ui, &mut w.feather, 0.0..=0.5, "Feather", 0.1, what);
                w.feather = w.feather.max(0.0);
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

fn polygon_points(ui: &mut egui::Ui, points: &mut Vec<[f32; 2]>, what: &mut Option<&'static str>) {
    let mut remove = None;
    let can_remove = points.len() > 3;
    for (i, p) in points.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}", i + 1));
            for (axis, v) in ["x", "y"].into_iter().zip(p.iter_mut()) {
                let drag = egui::DragValue::new(v).speed(0.002).max_decimals(4);
                if number(ui, drag, &format!("Corner {} {axis}", i + 1)) {
                    *what = Some("Polygon point");
                }
            }
            if can_remove && ui.small_button("Del").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        points.remove(i);
        *what = Some("Delete polygon point");
    }
    if points.len() < key::MAX_POLYGON_POINTS && ui.small_button("+ Point").clicked() {
        let (a, b) = (points[points.len() - 1], points[0]);
        points.push([(a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5]);
        *what = Some("Add polygon point");
    }
}
