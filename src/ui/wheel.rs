//! The colour wheel widget: drag the puck to push the balance (Shift fine, Alt coarse), double-click
//! to reset, master and per-channel numbers below (drag or type). The wheel only moves numbers; what
//! they mean is `ops::primaries::Wheel`'s business.

use egui::{Color32, Sense, Stroke, Vec2, vec2};

use crate::ops::primaries::Wheel;

/// How a wheel's numbers behave.
#[derive(Clone)]
pub struct WheelSpec {
    /// Title under the wheel.
    pub name: &'static str,
    /// Value of a channel at rest (0 additive, 1 multiplicative).
    pub neutral: f32,
    /// Channel offset at the wheel's rim.
    pub range: f32,
    /// Master slider range.
    pub master: std::ops::RangeInclusive<f32>,
}

/// How far the balance moves for a drag across the wheel's radius, as a fraction of the wheel's
/// range: normally a quarter (a 36 px pull on a 130 px gain wheel moves gain by about 0.07), a
/// fortieth with Shift, the whole range (the puck under the mouse) with Alt.
pub fn drag_rate(modifiers: egui::Modifiers) -> f32 {
    if modifiers.shift {
        0.025
    } else if modifiers.alt {
        1.0
    } else {
        0.25
    }
}

/// Draws a wheel; returns true when it changed the values.
pub fn wheel(ui: &mut egui::Ui, wheel: &mut Wheel, spec: &WheelSpec, diameter: f32) -> bool {
    let mut changed = false;
    ui.vertical(|ui| {
        ui.set_width(diameter);
        // A fixed id, not one counted from the widgets above: the first edit of an ungraded shot
        // changes what is above (its placeholder node becomes real), and a counted id ended that
        // first drag after its first frame.
        let (rect, _) = ui.allocate_exact_size(Vec2::splat(diameter), Sense::hover());
        let response = ui.interact(rect, egui::Id::unique(("colour wheel", spec.name)), Sense::click_and_drag());
        let enabled = ui.is_enabled();
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, enabled, format!("{} wheel", spec.name)));
        let center = rect.center();
        let radius = diameter * 0.5 - 4.0;
        if response.dragged() {
            let rate = drag_rate(ui.input(|i| i.modifiers));
            let delta = response.drag_delta() * rate / radius * spec.range;
            let [x, y] = wheel.balance();
            // Screen y grows downwards; the wheel's y grows upwards.
            let (mut nx, mut ny) = (x + delta.x, y - delta.y);
            let len = (nx * nx + ny * ny).sqrt();
            if len > spec.range {
                nx *= spec.range / len;
                ny *= spec.range / len;
            }
            wheel.set_balance([nx, ny], spec.neutral);
            changed = true;
        }
        if response.double_clicked() {
            wheel.rgb = [spec.neutral; 3];
            wheel.master = spec.neutral;
            changed = true;
        }
        let painter = ui.painter_at(rect.expand(2.0));
        painter.circle_filled(center, radius, Color32::from_gray(26));
        // A thin hue ring, placed so that each hue sits where the puck pushes it.
        let segments = 72;
        for i in 0..segments {
            let a0 = i as f32 / segments as f32 * std::f32::consts::TAU;
            let a1 = (i + 1) as f32 / segments as f32 * std::f32::consts::TAU;
            let hue = ((a0.to_degrees() - Wheel::CHANNEL_ANGLES[0]) / 360.0).rem_euclid(1.0);
            let color: Color32 = egui::ecolor::Hsva::new(hue, 0.55, 0.6, 1.0).into();
            let p = |a: f32| center + vec2(a.cos(), -a.sin()) * radius;
            painter.line_segment([p(a0), p(a1)], Stroke::new(3.0, color));
        }
        let grid = Stroke::new(1.0, Color32::from_gray(55));
        painter.line_segment([center - vec2(radius, 0.0), center + vec2(radius, 0.0)], grid);
        painter.line_segment([center - vec2(0.0, radius), center + vec2(0.0, radius)], grid);
        let [x, y] = wheel.balance();
        let puck = center + vec2(x, -y) / spec.range * radius;
        painter.line_segment([center, puck], Stroke::new(1.0, Color32::from_gray(120)));
        painter.circle(puck, 5.0, Color32::from_gray(220), Stroke::new(1.0, Color32::BLACK));
        // No tooltip while dragging: it would cover the numbers the colorist is watching.
        if !response.dragged() {
            response.on_hover_text("Drag to balance (Shift: fine, Alt: coarse), double-click to reset");
        }
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(spec.name).strong());
            let master =
                egui::DragValue::new(&mut wheel.master).speed(0.002).range(spec.master.clone()).max_decimals(3);
            let response = ui.add(master).on_hover_text("Master");
            let enabled = ui.is_enabled();
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::SpinButton, enabled, format!("{} master", spec.name))
            });
            if response.changed() {
                changed = true;
            }
        });
        // The channels, each dragged or typed (click to type).
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            let enabled = ui.is_enabled();
            for (value, channel) in wheel.rgb.iter_mut().zip(["R", "G", "B"]) {
                let field = egui::DragValue::new(value).speed(0.001).max_decimals(3).min_decimals(3);
                let response = ui.add_sized([diameter / 3.0 - 2.0, 16.0], field);
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::SpinButton, enabled, format!("{} {channel}", spec.name))
                });
                if response.changed() {
                    changed = true;
                }
            }
        });
    });
    changed
}
