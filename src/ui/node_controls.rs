//! Controls for the ops beyond primaries and for a node's key: a curve editor with draggable points,
//! qualifier ranges, windows as numbers, and sliders for the enhancement passes; plus the node stack's
//! add / move / duplicate buttons. Every value and range comes from `crate::ops`; this file only lays
//! out widgets and reports what changed in `what` (the undo step's name).

use egui::{Color32, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2, vec2};

use crate::grade::{Node, Op};
use crate::ops::blur::{self, Blur};
use crate::ops::curves::{Curve, CurveKind, Curves};
use crate::ops::denoise::{self, Denoise};
use crate::ops::glow::{self, Glow, GlowMode};
use crate::ops::grain::{self, Grain};
use crate::ops::hsl::hue_swatch;
use crate::ops::key::{self, Combine, HueRange, Key, Qualifier, Range, Shape, Window};
use crate::ops::primaries::Primaries;
use crate::ops::sharpen::{self, Sharpen};
use crate::ops::vignette::Vignette;

/// Makes a new node's op.
pub type MakeOp = fn() -> Op;

/// Every op a node can be created with, by its menu label.
pub const NEW_NODES: [(&str, MakeOp); 8] = [
    ("Primaries", || Op::Primaries(Primaries::default())),
    ("Curves", || Op::Curves(Curves::default())),
    ("Blur", || Op::Blur(Blur::default())),
    ("Sharpen", || Op::Sharpen(Sharpen::default())),
    ("Noise reduction", || Op::Denoise(Denoise::default())),
    ("Glow / halation", || Op::Glow(Glow::default())),
    ("Film grain", || Op::Grain(Grain::default())),
    ("Vignette", || Op::Vignette(Vignette::default())),
];

/// Draws the controls of `op` (primaries have their own panel). Sets `what` when a value changes.
pub fn show(ui: &mut egui::Ui, op: &mut Op, what: &mut Option<&'static str>) {
    match op {
        Op::Primaries(_) => {
            ui.label("Primaries: see the wheels and sliders.");
        }
        // Drawn by the grade panel itself.
        Op::ColorTransform(_) | Op::Lut(_) => {}
        Op::Curves(c) => curves(ui, c, what),
        Op::Blur(b) => {
            slider(ui, &mut b.radius, 0.0..=blur::MAX_RADIUS, "Blur radius", 0.0, what);
        }
        Op::Sharpen(s) => {
            slider(ui, &mut s.radius, 0.0..=sharpen::MAX_RADIUS, "Sharpen radius", 1.0, what);
            slider(ui, &mut s.amount, 0.0..=3.0, "Sharpen amount", 0.0, what);
            slider(ui, &mut s.threshold, 0.0..=0.1, "Sharpen threshold", 0.0, what);
        }
        Op::Denoise(d) => {
            slider(ui, &mut d.radius, 0.0..=denoise::MAX_RADIUS, "NR radius", 3.0, what);
            slider(ui, &mut d.luma, 0.0..=0.2, "NR luma", 0.0, what);
            slider(ui, &mut d.chroma, 0.0..=0.2, "NR chroma", 0.0, what);
        }
        Op::Glow(g) => glow_controls(ui, g, what),
        Op::Grain(g) => {
            slider(ui, &mut g.amount, 0.0..=0.2, "Grain amount", 0.0, what);
            slider(ui, &mut g.size, 0.0..=grain::MAX_SIZE, "Grain size", 1.0, what);
            slider(ui, &mut g.softness, 0.0..=1.0, "Grain softness", 0.5, what);
            slider(ui, &mut g.colour, 0.0..=1.0, "Grain colour", 0.0, what);
            slider(ui, &mut g.response, 0.0..=1.0, "Grain luma response", 0.5, what);
            ui.horizontal(|ui| {
                ui.label("Seed");
                if number(ui, egui::DragValue::new(&mut g.seed), "Grain seed") {
                    *what = Some("Grain seed");
                }
            });
        }
        Op::Vignette(v) => {
            slider(ui, &mut v.amount, -1.0..=1.0, "Vignette amount", 0.0, what);
            slider(ui, &mut v.size, 0.0..=1.5, "Vignette size", 0.6, what);
            slider(ui, &mut v.feather, 0.0..=1.5, "Vignette feather", 0.5, what);
            slider(ui, &mut v.roundness, 0.0..=1.0, "Vignette roundness", 1.0, what);
            numbers(ui, "Centre", &mut v.center, 0.005, "Vignette centre", what);
        }
    }
}

/// A slider that never clamps typed values and resets to `neutral` on double-click.
fn slider(
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
fn number(ui: &mut egui::Ui, drag: egui::DragValue, name: &str) -> bool {
    let response = ui.add(drag);
    let enabled = ui.is_enabled();
    let name = name.to_string();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, enabled, &name));
    response.changed()
}

/// A row of dragged numbers, e.g. a position.
fn numbers(
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
            if number(ui, egui::DragValue::new(v).speed(speed).max_decimals(4), &format!("{label} {}", i + 1)) {
                *what = Some(name);
            }
        }
    });
}

fn glow_controls(ui: &mut egui::Ui, g: &mut Glow, what: &mut Option<&'static str>) {
    slider(ui, &mut g.threshold, 0.0..=2.0, "Glow threshold", 0.8, what);
    slider(ui, &mut g.softness, 0.0..=1.0, "Glow softness", 0.2, what);
    slider(ui, &mut g.radius, 0.0..=glow::MAX_RADIUS, "Glow radius", 20.0, what);
    slider(ui, &mut g.amount, 0.0..=2.0, "Glow amount", 0.0, what);
    ui.horizontal(|ui| {
        ui.label("Tint");
        let mut tint = g.tint;
        if ui.color_edit_button_rgb(&mut tint).changed() {
            g.tint = tint;
            *what = Some("Glow tint");
        }
        if ui.button("Halation").on_hover_text("Film halation: a red-orange tint").clicked() {
            g.tint = glow::HALATION_TINT;
            *what = Some("Glow tint");
        }
        if ui.button("White").clicked() {
            g.tint = [1.0; 3];
            *what = Some("Glow tint");
        }
    });
    ui.horizontal(|ui| {
        for (mode, name) in [(GlowMode::Screen, "Screen"), (GlowMode::Add, "Add")] {
            if ui.radio_value(&mut g.mode, mode, name).changed() {
                *what = Some("Glow mode");
            }
        }
    });
}

fn curve_label(kind: CurveKind) -> &'static str {
    ["Master", "Red", "Green", "Blue", "Hue vs Hue", "Hue vs Sat", "Hue vs Luma", "Luma vs Sat", "Sat vs Sat"]
        [kind as usize]
}

fn curves(ui: &mut egui::Ui, c: &mut Curves, what: &mut Option<&'static str>) {
    let id = ui.scope_id().with("curve kind");
    let mut index = ui.data(|d| d.get_temp::<usize>(id)).unwrap_or(0).min(CurveKind::ALL.len() - 1);
    egui::ComboBox::from_label("Curve").selected_text(curve_label(CurveKind::ALL[index])).show_ui(ui, |ui| {
        for (i, kind) in CurveKind::ALL.iter().enumerate() {
            ui.selectable_value(&mut index, i, curve_label(*kind));
        }
    });
    ui.data_mut(|d| d.insert_temp(id, index));
    let kind = CurveKind::ALL[index];
    curve_editor(ui, kind, c.curve_mut(kind), what);
    ui.horizontal(|ui| {
        if ui.button("Reset curve").clicked() && *c.curve(kind) != kind.neutral() {
            *c.curve_mut(kind) = kind.neutral();
            *what = Some("Reset curve");
        }
        if ui.button("Reset all").clicked() && *c != Curves::default() {
            *c = Curves::default();
            *what = Some("Reset curves");
        }
    });
    point_numbers(ui, kind, c.curve_mut(kind), what);
}

/// Screen mapping of a curve plot.
struct Plot {
    rect: Rect,
    lo: f32,
    hi: f32,
}

impl Plot {
    fn to_screen(&self, p: [f32; 2]) -> Pos2 {
        let t = (p[1] - self.lo) / (self.hi - self.lo);
        pos2(self.rect.left() + p[0] * self.rect.width(), self.rect.bottom() - t * self.rect.height())
    }

    fn to_curve(&self, pos: Pos2) -> [f32; 2] {
        let x = ((pos.x - self.rect.left()) / self.rect.width()).clamp(0.0, 1.0);
        let t = ((self.rect.bottom() - pos.y) / self.rect.height()).clamp(0.0, 1.0);
        [x, self.lo + t * (self.hi - self.lo)]
    }
}

/// The curve drawn with its points: drag a point to move it, click empty space to add one,
/// double-click or right-click a point to delete it.
fn curve_editor(ui: &mut egui::Ui, kind: CurveKind, curve: &mut Curve, what: &mut Option<&'static str>) {
    let width = ui.available_width().clamp(160.0, 320.0);
    let (response, painter) = ui.allocate_painter(vec2(width, width * 0.75), Sense::click());
    let (lo, hi) = kind.value_range();
    let plot = Plot { rect: response.rect.shrink(6.0), lo, hi };
    painter.rect_filled(response.rect, 2.0, Color32::from_gray(24));
    if kind.is_periodic() {
        let strip = 24;
        for i in 0..strip {
            let x0 = plot.rect.left() + plot.rect.width() * i as f32 / strip as f32;
            let r = Rect::from_min_max(
                pos2(x0, plot.rect.bottom() - 6.0),
                pos2(x0 + plot.rect.width() / strip as f32 + 0.5, plot.rect.bottom()),
            );
            let [red, green, blue] = hue_swatch((i as f32 + 0.5) / strip as f32);
            painter.rect_filled(r, 0.0, Color32::from_rgb(red, green, blue));
        }
    }
    let grid = Stroke::new(1.0, Color32::from_gray(50));
    for i in 1..4 {
        let f = i as f32 / 4.0;
        let x = plot.rect.left() + f * plot.rect.width();
        let y = plot.rect.top() + f * plot.rect.height();
        painter.line_segment([pos2(x, plot.rect.top()), pos2(x, plot.rect.bottom())], grid);
        painter.line_segment([pos2(plot.rect.left(), y), pos2(plot.rect.right(), y)], grid);
    }
    painter.rect_stroke(plot.rect, 0.0, grid, StrokeKind::Inside);
    let colour = match kind {
        CurveKind::Red => Color32::from_rgb(230, 90, 80),
        CurveKind::Green => Color32::from_rgb(100, 210, 100),
        CurveKind::Blue => Color32::from_rgb(100, 140, 240),
        _ => Color32::from_gray(220),
    };
    let samples: Vec<Pos2> = (0..=160)
        .map(|i| {
            let x = i as f32 / 160.0;
            let y = curve.evaluate(f64::from(x), kind.is_periodic(), kind.is_custom()) as f32;
            plot.to_screen([x, y.clamp(lo, hi)])
        })
        .collect();
    painter.line(samples, Stroke::new(1.5, colour));
    let mut remove = None;
    let mut touched = false;
    let count = curve.points.len();
    for i in 0..count {
        let p = curve.points[i];
        let handle = Rect::from_center_size(plot.to_screen(p), Vec2::splat(14.0));
        let r = ui.interact(handle, response.id.with(i), Sense::click_and_drag());
        if r.dragged()
            && let Some(pos) = r.interact_pointer_pos()
        {
            let [x, y] = plot.to_curve(pos);
            let min = if i > 0 { curve.points[i - 1][0] + 1e-3 } else { 0.0 };
            let top = if kind.is_periodic() { 0.999 } else { 1.0 };
            let max = if i + 1 < count { curve.points[i + 1][0] - 1e-3 } else { top };
            curve.points[i] = [x.clamp(min, max.max(min)), y];
            touched = true;
        }
        if r.double_clicked() || r.secondary_clicked() {
            remove = Some(i);
        }
        let fill = if r.hovered() || r.dragged() { colour } else { Color32::from_gray(30) };
        painter.circle(plot.to_screen(curve.points[i]), 4.5, fill, Stroke::new(1.5, colour));
    }
    if touched {
        *what = Some("Curve point");
    }
    if let Some(i) = remove {
        curve.points.remove(i);
        *what = Some("Delete curve point");
    } else if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let mut p = plot.to_curve(pos);
        if kind.is_periodic() {
            p[0] = p[0].min(0.999);
        }
        curve.insert(p);
        *what = Some("Add curve point");
    }
}

/// The points as numbers, for precise values (and screen readers).
fn point_numbers(ui: &mut egui::Ui, kind: CurveKind, curve: &mut Curve, what: &mut Option<&'static str>) {
    egui::CollapsingHeader::new("Points").id_salt(("points", kind as usize)).show(ui, |ui| {
        let mut remove = None;
        let count = curve.points.len();
        for i in 0..count {
            ui.horizontal(|ui| {
                let min = if i > 0 { curve.points[i - 1][0] + 1e-3 } else { 0.0 };
                let top = if kind.is_periodic() { 0.999 } else { 1.0 };
                let max = if i + 1 < count { curve.points[i + 1][0] - 1e-3 } else { top };
                let p = &mut curve.points[i];
                ui.label(format!("{}", i + 1));
                let x = egui::DragValue::new(&mut p[0]).speed(0.002).range(min..=max.max(min)).max_decimals(4);
                if number(ui, x, &format!("Point {} x", i + 1)) {
                    *what = Some("Curve point");
                }
                let y = egui::DragValue::new(&mut p[1]).speed(0.002).max_decimals(4);
                if number(ui, y, &format!("Point {} y", i + 1)) {
                    *what = Some("Curve point");
                }
                if ui.small_button("Del").on_hover_text("Delete point").clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            curve.points.remove(i);
            *what = Some("Delete curve point");
        }
    });
}

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
    if ui.checkbox(&mut k.show_matte, "Show matte").changed() {
        *what = Some("Show matte");
    }
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

/// The node stack's buttons: add any op after the selected node, move it up or down, duplicate it.
/// `selected` follows the node it names.
pub fn stack_buttons(ui: &mut egui::Ui, nodes: &mut Vec<Node>, selected: &mut usize, what: &mut Option<&'static str>) {
    ui.horizontal(|ui| {
        ui.menu_button("+ Node", |ui| {
            for (name, make) in NEW_NODES {
                if ui.button(name).clicked() {
                    let at = if nodes.is_empty() { 0 } else { (*selected).min(nodes.len() - 1) + 1 };
                    nodes.insert(at, Node::new(make()));
                    *selected = at;
                    *what = Some("Add node");
                    ui.close();
                }
            }
        });
        if nodes.is_empty() {
            return;
        }
        let i = (*selected).min(nodes.len() - 1);
        if ui.add_enabled(i > 0, egui::Button::new("Up")).on_hover_text("Move node up").clicked() {
            nodes.swap(i, i - 1);
            *selected = i - 1;
            *what = Some("Move node");
        }
        if ui.add_enabled(i + 1 < nodes.len(), egui::Button::new("Down")).on_hover_text("Move node down").clicked() {
            nodes.swap(i, i + 1);
            *selected = i + 1;
            *what = Some("Move node");
        }
        if ui.button("Duplicate").clicked() {
            nodes.insert(i + 1, nodes[i].clone());
            *selected = i + 1;
            *what = Some("Duplicate node");
        }
    });
}

#[cfg(test)]
mod tests {
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    struct State {
        op: Op,
        key: Option<Key>,
        what: Option<&'static str>,
    }

    fn harness(op: Op) -> Harness<'static, State> {
        let state = State { op, key: None, what: None };
        Harness::builder().with_size([420.0, 900.0]).build_ui_state(
            |ui, s: &mut State| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    show(ui, &mut s.op, &mut s.what);
                    show_key(ui, &mut s.key, &mut s.what);
                });
            },
            state,
        )
    }

    #[test]
    fn pass_sliders_edit_the_op() {
        let mut h = harness(Op::Sharpen(Sharpen::default()));
        h.get_by_role_and_label(Role::Slider, "Sharpen amount").set_value_accesskit(0.75);
        h.run_steps(2);
        assert_eq!(h.state().op, Op::Sharpen(Sharpen { amount: 0.75, ..Sharpen::default() }));
        assert_eq!(h.state().what, Some("Sharpen amount"));
        let mut h = harness(Op::Glow(Glow::default()));
        h.get_by_label("Halation").click();
        h.run_steps(2);
        let Op::Glow(g) = h.state().op else { panic!() };
        assert_eq!(g.tint, glow::HALATION_TINT);
    }

    #[test]
    fn clicking_the_curve_adds_a_point_and_dragging_moves_it() {
        let mut h = harness(Op::Curves(Curves::default()));
        h.run_steps(2);
        // The plot (320 x 240) sits under the combo box; click its middle, on the diagonal.
        let combo = h.get_by_label("Curve").rect();
        let centre = egui::pos2(combo.left() + 160.0, combo.bottom() + 124.0);
        let press = |h: &mut Harness<'static, State>, at: egui::Pos2| {
            h.hover_at(at);
            h.run_steps(1);
            h.drag_at(at);
            h.run_steps(1);
        };
        press(&mut h, centre);
        h.drop_at(centre);
        h.run_steps(2);
        let Op::Curves(c) = h.state().op.clone() else { panic!() };
        assert_eq!(c.master.points.len(), 3, "{:?}", c.master.points);
        assert_eq!(h.state().what, Some("Add curve point"));
        let added = c.master.points[1];
        assert!((added[0] - 0.5).abs() < 0.05 && (added[1] - 0.5).abs() < 0.05, "{added:?}");
        // Drag the new point up: the mids brighten.
        press(&mut h, centre);
        for dy in [10.0, 20.0, 30.0] {
            h.hover_at(centre - egui::vec2(0.0, dy));
            h.run_steps(1);
        }
        h.drop_at(centre - egui::vec2(0.0, 30.0));
        h.run_steps(2);
        let Op::Curves(c) = &h.state().op else { panic!() };
        assert_eq!(c.master.points.len(), 3, "{:?}", c.master.points);
        assert!(c.master.points[1][1] > added[1] + 0.08, "{:?}", c.master.points);
        assert_eq!(h.state().what, Some("Curve point"));
        assert!(c.validate().is_ok());
    }

    #[test]
    fn key_controls_build_a_valid_key_and_drop_an_empty_one() {
        let mut h = harness(Op::Blur(Blur::default()));
        h.get_by_label("HSL qualifier").click();
        h.run_steps(2);
        assert!(h.state().key.as_ref().is_some_and(|k| k.qualifier.is_some()));
        h.get_by_role_and_label(Role::Slider, "Matte blur").set_value_accesskit(4.0);
        h.get_by_label("Invert key").click();
        h.run_steps(2);
        let k = h.state().key.clone().unwrap();
        assert!(k.invert && k.qualifier.unwrap().blur == 4.0 && k.validate().is_ok());
        h.get_by_label("Invert key").click();
        h.get_by_label("HSL qualifier").click();
        h.run_steps(2);
        assert_eq!(h.state().key, None, "an empty key is no key");
    }

    #[test]
    fn stack_buttons_add_move_and_duplicate() {
        type Stack = (Vec<Node>, usize, Option<&'static str>);
        let stack: Stack = (vec![Node::new(Op::Primaries(Primaries::default()))], 0, None);
        let mut h = Harness::builder()
            .with_size([420.0, 400.0])
            .build_ui_state(|ui, s: &mut Stack| stack_buttons(ui, &mut s.0, &mut s.1, &mut s.2), stack);
        h.get_by_label("+ Node").click();
        h.run_steps(2);
        h.get_by_label("Film grain").click();
        h.run_steps(2);
        let names = |h: &Harness<'static, Stack>| h.state().0.iter().map(|n| n.op.name()).collect::<Vec<_>>();
        assert_eq!((names(&h), h.state().1, h.state().2), (vec!["primaries", "grain"], 1, Some("Add node")));
        h.get_by_label("Up").click();
        h.run_steps(2);
        assert_eq!((names(&h), h.state().1), (vec!["grain", "primaries"], 0));
        h.get_by_label("Duplicate").click();
        h.run_steps(2);
        assert_eq!((names(&h), h.state().1), (vec!["grain", "grain", "primaries"], 1));
        // Every op the menu offers starts valid (and neutral, bar primaries' defaults).
        assert!(NEW_NODES.iter().all(|(_, make)| {
            let grade = crate::grade::Grade { nodes: vec![Node::new(make())], ..Default::default() };
            grade.validate(std::path::Path::new("new")).is_ok()
        }));
    }

    #[test]
    fn every_control_draws() {
        for (name, make) in NEW_NODES {
            let mut h = harness(make());
            h.state_mut().key = Some(Key {
                qualifier: Some(Qualifier {
                    saturation: Range { enabled: true, ..Range::default() },
                    luma: Range { enabled: true, ..Range::default() },
                    hue: HueRange { enabled: true, ..HueRange::default() },
                    ..Qualifier::default()
                }),
                windows: SHAPES.iter().map(|(shape, _)| Window::new(*shape)).collect(),
                ..Key::default()
            });
            h.run_steps(2);
            assert_eq!(h.state().what, None, "{name}: drawing changes nothing");
        }
        let mut h = harness(Op::Curves(Curves::default()));
        h.get_by_label("Curve").click();
        h.run_steps(2);
        h.get_by_label("Hue vs Sat").click();
        h.run_steps(2);
        h.get_by_label("Reset curve");
        assert_eq!(h.state().what, None);
    }
}
