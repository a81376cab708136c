//! The keyframe strip under the viewer for a sequence or clip shot: the selected node's keys as
//! diamonds over the shot's frames (tracked frames as a band), the current frame as a line. Click
//! the strip to go to a frame, drag a key to move it; buttons add and delete the key at the current
//! frame, set its interpolation, step between keys, and track the selected window forward or back.

use egui::{Color32, Pos2, Rect, Sense, Stroke, pos2, vec2};

use super::theme;
use crate::grade::Interpolation;
use crate::workspace::{TrackDirection, Workspace};

/// Draws the strip; it edits the workspace's selected node.
pub fn show(ui: &mut egui::Ui, ws: &mut Workspace) {
    let Some(range) = ws.session.selected.and_then(|r| ws.session.project.shot(r)).and_then(|s| s.media.range()) else {
        return;
    };
    let now = ws.current_frame();
    let keys = ws.keyframes();
    let tracked = ws.tracked_frames();
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Keys").strong());
        if ui.small_button("Prev").on_hover_text("Previous keyframe ([)").clicked() {
            ws.step_keyframe(false);
        }
        if ui.small_button("Next").on_hover_text("Next keyframe (])").clicked() {
            ws.step_keyframe(true);
        }
        let on_key = keys.iter().find(|k| k.frame == now).copied();
        if ui.button("Add key").on_hover_text("Key the selected node's state at this frame (Ctrl+K)").clicked() {
            ws.add_keyframe();
        }
        if ui
            .add_enabled(on_key.is_some(), egui::Button::new("Delete key"))
            .on_hover_text("Delete the key at this frame (Ctrl+Shift+K)")
            .clicked()
        {
            ws.remove_keyframe();
        }
        if let Some(key) = on_key {
            let mut interpolation = key.interpolation;
            egui::ComboBox::from_id_salt("interpolation")
                .width(80.0)
                .selected_text(label(interpolation))
                .show_ui(ui, |ui| {
                    for i in [Interpolation::Linear, Interpolation::Smooth, Interpolation::Hold] {
                        ui.selectable_value(&mut interpolation, i, label(i));
                    }
                })
                .response
                .on_hover_text("How this key travels to the next");
            if interpolation != key.interpolation {
                ws.set_interpolation(key.frame, interpolation);
            }
        }
        ui.separator();
        track_controls(ui, ws);
    });
    let height = 22.0;
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "Keyframes"));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, theme::PANEL);
    let span = (range.last - range.first).max(1) as f32;
    let x_of = |f: u32| rect.left() + 8.0 + (f.saturating_sub(range.first)) as f32 / span * (rect.width() - 16.0);
    let frame_at = |p: Pos2| {
        let t = ((p.x - rect.left() - 8.0) / (rect.width() - 16.0)).clamp(0.0, 1.0);
        range.first + (t * span).round() as u32
    };
    for f in &tracked {
        let x = x_of(*f);
        painter
            .line_segment([pos2(x, rect.bottom() - 5.0), pos2(x, rect.bottom() - 2.0)], Stroke::new(2.0, theme::MUTED));
    }
    // A key being dragged is drawn where it would land.
    let drag_id = ui.scope_id().with("dragging key");
    let dragging: Option<u32> = ui.data(|d| d.get_temp(drag_id));
    if response.drag_started()
        && let Some(p) = ui.input(|i| i.pointer.press_origin())
    {
        let hit = keys.iter().find(|k| (x_of(k.frame) - p.x).abs() <= 6.0).map(|k| k.frame);
        ui.data_mut(|d| match hit {
            Some(f) => {
                d.insert_temp(drag_id, f);
            }
            None => d.remove::<u32>(drag_id),
        });
    }
    let pointer = response.interact_pointer_pos();
    for k in &keys {
        let at = match (dragging, pointer) {
            (Some(f), Some(p)) if f == k.frame => frame_at(p),
            _ => k.frame,
        };
        diamond(
            &painter,
            pos2(x_of(at), rect.center().y),
            if k.frame == now { theme::ACCENT } else { Color32::from_gray(210) },
        );
    }
    let x = x_of(now);
    painter.line_segment([pos2(x, rect.top()), pos2(x, rect.bottom())], Stroke::new(1.5, theme::ACCENT));
    if response.drag_stopped() {
        if let (Some(from), Some(p)) = (dragging, pointer) {
            let to = frame_at(p);
            if ws.move_keyframe(from, to) {
                ws.go_to_frame(to);
            }
        }
        ui.data_mut(|d| d.remove::<u32>(drag_id));
    } else if dragging.is_none() && (response.clicked() || response.dragged()) {
        // Scrub: clicking or dragging on the strip (not on a key) goes to that frame.
        if let Some(p) = pointer {
            ws.go_to_frame(frame_at(p));
        }
    }
}

fn label(i: Interpolation) -> &'static str {
    match i {
        Interpolation::Linear => "Linear",
        Interpolation::Smooth => "Smooth",
        Interpolation::Hold => "Hold",
    }
}

fn diamond(painter: &egui::Painter, c: Pos2, colour: Color32) {
    let r = Rect::from_center_size(c, vec2(10.0, 10.0));
    painter.add(egui::Shape::convex_polygon(
        vec![pos2(c.x, r.top()), pos2(r.right(), c.y), pos2(c.x, r.bottom()), pos2(r.left(), c.y)],
        colour,
        Stroke::new(1.0, Color32::BLACK),
    ));
}

/// Track the selected window from this frame: backward, forward, scale and rotation, progress and
/// stop.
fn track_controls(ui: &mut egui::Ui, ws: &mut Workspace) {
    let has_window = ws.shown_windows().is_some_and(|w| ws.viewing.window < w.len());
    ui.label(egui::RichText::new("Track").strong());
    if let Some((done, total)) = ws.track_progress() {
        ui.add(
            egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                .desired_width(140.0)
                .text(format!("{done}/{total}")),
        );
        if ui.button("Stop").clicked() {
            ws.cancel_track();
        }
        return;
    }
    let id = ui.scope_id().with("track options");
    let (mut scale, mut rotation): (bool, bool) = ui.data(|d| d.get_temp(id)).unwrap_or((true, false));
    ui.checkbox(&mut scale, "Scale");
    ui.checkbox(&mut rotation, "Rotation");
    ui.data_mut(|d| d.insert_temp(id, (scale, rotation)));
    let window = ws.viewing.window;
    let hint = "Track the selected window from this frame: its region is what it covers now";
    if ui.add_enabled(has_window, egui::Button::new("Track back")).on_hover_text(hint).clicked() {
        ws.start_track(window, TrackDirection::Backward, scale, rotation);
    }
    if ui.add_enabled(has_window, egui::Button::new("Track forward")).on_hover_text(hint).clicked() {
        ws.start_track(window, TrackDirection::Forward, scale, rotation);
    }
}
