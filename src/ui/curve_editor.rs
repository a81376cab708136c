//! The curve editor: the curve drawn with its points (drag to move, click to add, double-click or
//! right-click to delete), the curve chooser, and the points as numbers.

use egui::{Color32, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2, vec2};

use super::widgets::named as number;
use crate::ops::curves::{Curve, CurveKind, Curves};
use crate::ops::hsl::hue_swatch;

fn curve_label(kind: CurveKind) -> &'static str {
    ["Master", "Red", "Green", "Blue", "Hue vs Hue", "Hue vs Sat", "Hue vs Luma", "Luma vs Sat", "Sat vs Sat"]
        [kind as usize]
}

/// Draws a curves node's editor.
pub fn curves(ui: &mut egui::Ui, c: &mut Curves, what: &mut Option<&'static str>) {
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
