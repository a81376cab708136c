//! The viewer: the GPU display textures drawn by egui, fit/100%/zoom/pan, wipe, side by side and
//! difference, and the pixel probe. The picture is always drawn untinted on neutral grey.

use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2, pos2, vec2};

use super::app::{CinegradeApp, CompareMode, Zoom};
use super::theme;
use crate::gpu::viewer::DisplayKind;

const FULL_UV: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));

/// Draws the toolbar and the picture.
pub fn show(app: &mut CinegradeApp, ui: &mut egui::Ui) {
    egui::Frame::new().fill(theme::PANEL).inner_margin(egui::Margin::symmetric(8, 4)).show(ui, |ui| toolbar(app, ui));
    // Never wider than what is visible, whatever the toolbar needed.
    let rect = ui.available_rect_before_wrap().intersect(ui.clip_rect());
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, theme::VIEWER_BACKGROUND);
    let Some(view) = app.view.as_ref() else {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "No shot selected",
            egui::FontId::proportional(16.0),
            theme::MUTED,
        );
        return;
    };
    let (w, h) = view.viewer.size();
    let frame_size = vec2(w as f32, h as f32);
    let side_by_side = app.compare == CompareMode::SideBySide && !app.bypass;
    let area = if side_by_side { Rect::from_min_size(rect.min, vec2(rect.width() / 2.0, rect.height())) } else { rect };
    let fit = (area.width() / frame_size.x).min(area.height() / frame_size.y) * 0.96;
    let scale = match app.zoom {
        Zoom::Fit => fit,
        Zoom::Scale(s) => s / ui.ctx().pixels_per_point(),
    };

    // Zoom around the cursor with the wheel; double-click returns to fit.
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0
            && let Some(cursor) = response.hover_pos()
        {
            let new_scale = (scale * (scroll * 0.002).exp()).clamp(0.02, 32.0);
            let center = area.center() + app.pan;
            app.pan += (cursor - center) * (1.0 - new_scale / scale);
            app.zoom = Zoom::Scale(new_scale * ui.ctx().pixels_per_point());
        }
    }
    if response.double_clicked() {
        app.zoom = Zoom::Fit;
        app.pan = Vec2::ZERO;
    }
    let image_rect = Rect::from_center_size(area.center() + app.pan, frame_size * scale);

    // Dragging near the wipe line moves it; dragging elsewhere pans.
    let wipe_vertical = app.compare == CompareMode::WipeVertical && !app.bypass;
    let wipe_horizontal = app.compare == CompareMode::WipeHorizontal && !app.bypass;
    let wipe_x = image_rect.left() + app.wipe * image_rect.width();
    let wipe_y = image_rect.top() + app.wipe * image_rect.height();
    let wipe_id = ui.scope_id().with("dragging wipe");
    if response.drag_started()
        && let Some(p) = response.interact_pointer_pos()
    {
        let near = (wipe_vertical && (p.x - wipe_x).abs() < 10.0) || (wipe_horizontal && (p.y - wipe_y).abs() < 10.0);
        ui.ctx().data_mut(|d| d.insert_temp(wipe_id, near));
    }
    if response.dragged() {
        let on_wipe = ui.ctx().data(|d| d.get_temp::<bool>(wipe_id)).unwrap_or(false);
        if on_wipe && let Some(p) = response.interact_pointer_pos() {
            app.wipe = if wipe_vertical {
                ((p.x - image_rect.left()) / image_rect.width()).clamp(0.0, 1.0)
            } else {
                ((p.y - image_rect.top()) / image_rect.height()).clamp(0.0, 1.0)
            };
        } else {
            app.pan += response.drag_delta();
        }
    }

    let Some(after) = app.texture(app.shown()) else {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "Preview needs the wgpu renderer",
            egui::FontId::proportional(14.0),
            theme::MUTED,
        );
        probe(app, &response, image_rect, frame_size);
        return;
    };
    let reference = app.texture(DisplayKind::Reference).unwrap_or(after);
    let white = Color32::WHITE;
    if side_by_side {
        let right = image_rect.translate(vec2(area.width(), 0.0));
        painter.image(reference, image_rect, FULL_UV, white);
        painter.image(after, right, FULL_UV, white);
        caption(&painter, image_rect, "reference");
        caption(&painter, right, "graded");
    } else if wipe_vertical {
        let split = wipe_x.clamp(image_rect.left(), image_rect.right());
        let left = Rect::from_min_max(image_rect.min, pos2(split, image_rect.bottom()));
        let right = Rect::from_min_max(pos2(split, image_rect.top()), image_rect.max);
        painter.image(reference, left, Rect::from_min_max(pos2(0.0, 0.0), pos2(app.wipe, 1.0)), white);
        painter.image(after, right, Rect::from_min_max(pos2(app.wipe, 0.0), pos2(1.0, 1.0)), white);
        painter.line_segment(
            [pos2(split, image_rect.top()), pos2(split, image_rect.bottom())],
            Stroke::new(1.0, Color32::from_gray(200)),
        );
    } else if wipe_horizontal {
        let split = wipe_y.clamp(image_rect.top(), image_rect.bottom());
        let top = Rect::from_min_max(image_rect.min, pos2(image_rect.right(), split));
        let bottom = Rect::from_min_max(pos2(image_rect.left(), split), image_rect.max);
        painter.image(reference, top, Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, app.wipe)), white);
        painter.image(after, bottom, Rect::from_min_max(pos2(0.0, app.wipe), pos2(1.0, 1.0)), white);
        painter.line_segment(
            [pos2(image_rect.left(), split), pos2(image_rect.right(), split)],
            Stroke::new(1.0, Color32::from_gray(200)),
        );
    } else {
        painter.image(after, image_rect, FULL_UV, white);
    }
    probe(app, &response, image_rect, frame_size);
}

fn caption(painter: &egui::Painter, rect: Rect, text: &str) {
    painter.text(
        rect.center_bottom() + vec2(0.0, 4.0),
        egui::Align2::CENTER_TOP,
        text,
        egui::FontId::proportional(12.0),
        theme::MUTED,
    );
}

/// Reads the pixel under the cursor (a 1-pixel GPU readback, only when the cursor is on the picture).
fn probe(app: &mut CinegradeApp, response: &egui::Response, image_rect: Rect, frame_size: Vec2) {
    let Some(pos) = response.hover_pos().filter(|p| image_rect.contains(*p)) else {
        return;
    };
    let Some(view) = app.view.as_ref() else {
        return;
    };
    let uv: Pos2 = ((pos - image_rect.min) / image_rect.size()).to_pos2();
    let (x, y) = ((uv.x * frame_size.x) as u32, (uv.y * frame_size.y) as u32);
    if app.probe.is_some_and(|p| (p.x, p.y) == (x, y)) {
        return;
    }
    match view.viewer.probe(&app.gpu, x.min(frame_size.x as u32 - 1), y.min(frame_size.y as u32 - 1)) {
        Ok(p) => app.probe = Some(p),
        Err(e) => app.report_error(e.to_string()),
    }
}

fn toolbar(app: &mut CinegradeApp, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.toggle_value(&mut app.bypass, "Bypass").on_hover_text("Show the ungraded source (Ctrl+D)");
        let compare_label = ui.label("Compare");
        egui::ComboBox::from_id_salt("compare")
            .selected_text(app.compare.label())
            .show_ui(ui, |ui| {
                for mode in CompareMode::ALL {
                    ui.selectable_value(&mut app.compare, mode, mode.label());
                }
            })
            .response
            .labelled_by(compare_label.id);
        let has_still = app.view.as_ref().is_some_and(|v| v.viewer.has_still());
        if ui.button("Grab still").on_hover_text("Compare against the graded frame as it is now (Ctrl+Alt+G)").clicked()
        {
            app.grab_still();
        }
        if ui
            .add_enabled(has_still, egui::Button::new("vs source"))
            .on_hover_text("Compare against the ungraded source")
            .clicked()
        {
            app.clear_still();
        }
        ui.separator();
        if ui.selectable_label(app.zoom == Zoom::Fit, "Fit").clicked() {
            app.zoom = Zoom::Fit;
            app.pan = Vec2::ZERO;
        }
        if ui.selectable_label(app.zoom == Zoom::Scale(1.0), "100%").clicked() {
            app.zoom = Zoom::Scale(1.0);
        }
        if let Zoom::Scale(s) = app.zoom {
            ui.label(egui::RichText::new(format!("{:.0}%", s * 100.0)).color(theme::MUTED));
        }
    });
}

/// The pixel probe readout for the status line: position, graded and source working values, and the
/// 8-bit value on screen.
pub fn probe_text(app: &CinegradeApp) -> Option<String> {
    let p = app.probe?;
    let f = |v: [f32; 4]| format!("{:.4} {:.4} {:.4}", v[0], v[1], v[2]);
    Some(format!(
        "x {} y {}  graded {}  source {}  display {} {} {}",
        p.x,
        p.y,
        f(p.graded),
        f(p.source),
        p.display[0],
        p.display[1],
        p.display[2]
    ))
}
