//! The viewer: the GPU display textures drawn by egui, fit/100%/zoom/pan, wipe, side by side and
//! difference, and the pixel probe. The picture is always drawn untinted on neutral grey.

use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2, pos2, vec2};

use super::theme;
use crate::qc::overlay::LegendEntry;
use crate::workspace::{CompareMode, OverlayChoice, ViewState, Zoom};

const FULL_UV: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));

/// The device menu's entry for the grid.
const GRID_LABEL: &str = "All devices, 2×2";

/// What the device menu picks.
#[derive(Clone, Copy, PartialEq)]
enum DeviceChoice {
    One(Option<crate::ops::device_preview::Device>),
    Grid,
}

/// What the viewer draws: how it is viewed (edited here) and the shot's picture.
pub struct Panel<'a> {
    /// Bypass, comparison, wipe, zoom and pan.
    pub viewing: &'a mut ViewState,
    /// The shot's frame size (`None`: no shot).
    pub frame_size: Option<(u32, u32)>,
    /// A still is the comparison reference.
    pub has_still: bool,
    /// The texture of the display shown (graded, source or difference).
    pub shown: Option<egui::TextureId>,
    /// The texture of the comparison reference.
    pub reference: Option<egui::TextureId>,
    /// The colour pipeline in use (spaces and display rendering), drawn in the corner.
    pub caption: Option<String>,
    /// The QC overlay's legend (title, entries), drawn in the lower corner while it is on.
    pub legend: Option<(String, Vec<LegendEntry>)>,
    /// The selected node's windows as they are on the shown frame (drawn and edited when the
    /// viewer shows windows).
    pub windows: Vec<crate::ops::key::Window>,
    /// The device grid's cells, each its texture and its device's name, while the grid is shown.
    pub grid: Vec<(egui::TextureId, &'static str)>,
}

/// What the colorist asked for that the viewer cannot do itself.
#[derive(Default)]
pub struct Actions {
    /// Read the pixel at this frame position.
    pub probe: Option<(u32, u32)>,
    /// Grab the graded frame as a still.
    pub grab_still: bool,
    /// Compare against the source again.
    pub clear_still: bool,
    /// The eyedropper's region (frame pixels, two corners): start the selected node's qualifier
    /// from it.
    pub pick: Option<([u32; 2], [u32; 2])>,
    /// Edits of the selected node's windows, in order.
    pub window_edits: Vec<super::window_overlay::WindowEdit>,
    /// Add a window of this shape to the selected node.
    pub add_window: Option<crate::ops::key::Shape>,
}

/// Draws the toolbar and the picture.
pub fn show(ui: &mut egui::Ui, app: &mut Panel) -> Actions {
    let mut actions = Actions::default();
    egui::Frame::new()
        .fill(theme::PANEL)
        .inner_margin(egui::Margin::symmetric(8, 4))
        .show(ui, |ui| toolbar(ui, app, &mut actions));
    // Never wider than what is visible, whatever the toolbar needed.
    let rect = ui.available_rect_before_wrap().intersect(ui.clip_rect());
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Viewer"));
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, theme::VIEWER_BACKGROUND);
    let Some((w, h)) = app.frame_size else {
        centred_message(&painter, rect, "No shot selected");
        return actions;
    };
    let frame_size = vec2(w as f32, h as f32);
    if app.viewing.device_grid {
        grid(ui, app, rect, frame_size);
        return actions;
    }
    let side_by_side = app.viewing.compare == CompareMode::SideBySide && !app.viewing.bypass;
    let area = if side_by_side { Rect::from_min_size(rect.min, vec2(rect.width() / 2.0, rect.height())) } else { rect };
    let fit = (area.width() / frame_size.x).min(area.height() / frame_size.y) * 0.96;
    let scale = match app.viewing.zoom {
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
            let center = area.center() + pan(app.viewing);
            set_pan(app.viewing, pan(app.viewing) + (cursor - center) * (1.0 - new_scale / scale));
            app.viewing.zoom = Zoom::Scale(new_scale * ui.ctx().pixels_per_point());
        }
    }
    let image_rect = Rect::from_center_size(area.center() + pan(app.viewing), frame_size * scale);
    // How many pixels across the picture is shown in: what a proxy need not exceed.
    app.viewing.proxy_width =
        (app.viewing.zoom == Zoom::Fit).then(|| (image_rect.width() * ui.ctx().pixels_per_point()).ceil() as u32);
    // Windows first: a gesture that grabs one neither pans, nor moves the wipe, nor fits.
    let on_windows = app.viewing.show_windows && !app.viewing.picking && !side_by_side;
    let grabbed = on_windows
        && super::window_overlay::interact(
            ui,
            &response,
            image_rect,
            &app.windows,
            app.viewing.window,
            &mut actions.window_edits,
        );
    if response.double_clicked() && !grabbed {
        app.viewing.fit();
    }

    // The eyedropper: a drag (or a click) on the picture samples a region for the qualifier, and the
    // drag neither pans nor moves the wipe.
    if app.viewing.picking {
        let to_frame = |p: Pos2| {
            let uv = ((p - image_rect.min) / image_rect.size()).to_pos2();
            [
                (uv.x * frame_size.x).clamp(0.0, frame_size.x - 1.0) as u32,
                (uv.y * frame_size.y).clamp(0.0, frame_size.y - 1.0) as u32,
            ]
        };
        // Where the drag began, kept for its end (egui forgets the press once the button is up).
        let origin_id = ui.scope_id().with("pick origin");
        if response.drag_started()
            && let Some(p) = ui.input(|i| i.pointer.press_origin())
        {
            ui.data_mut(|d| d.insert_temp(origin_id, p));
        }
        let origin: Option<Pos2> = ui.data(|d| d.get_temp(origin_id));
        let pointer = ui.input(|i| i.pointer.latest_pos());
        if response.dragged()
            && let (Some(a), Some(b)) = (origin, pointer)
        {
            let layer = egui::LayerId::new(egui::Order::Foreground, ui.scope_id().with("pick region"));
            ui.ctx().layer_painter(layer).rect_stroke(
                Rect::from_two_pos(a, b),
                0.0,
                egui::Stroke::new(1.5, theme::ACCENT),
                egui::StrokeKind::Middle,
            );
        }
        let released = if response.drag_stopped() {
            ui.data_mut(|d| d.remove::<Pos2>(origin_id));
            origin.zip(pointer)
        } else if response.clicked() {
            // A click samples the 5 x 5 pixels around it.
            response.interact_pointer_pos().map(|p| (p - vec2(2.0, 2.0) * scale, p + vec2(2.0, 2.0) * scale))
        } else {
            None
        };
        if let Some((a, b)) = released {
            actions.pick = Some((to_frame(a), to_frame(b)));
            app.viewing.picking = false;
        }
    }
    // Dragging near the wipe line moves it; dragging elsewhere pans.
    let wipe_vertical = app.viewing.compare == CompareMode::WipeVertical && !app.viewing.bypass;
    let wipe_horizontal = app.viewing.compare == CompareMode::WipeHorizontal && !app.viewing.bypass;
    let wipe_x = image_rect.left() + app.viewing.wipe * image_rect.width();
    let wipe_y = image_rect.top() + app.viewing.wipe * image_rect.height();
    let wipe_id = ui.scope_id().with("dragging wipe");
    // Where the button went down, not where the pointer is once it has moved far enough to count
    // as a drag: a quick press-and-pull on the line starts several pixels away from it.
    if response.drag_started()
        && !app.viewing.picking
        && !grabbed
        && let Some(p) = ui.input(|i| i.pointer.press_origin()).or(response.interact_pointer_pos())
    {
        let near = (wipe_vertical && (p.x - wipe_x).abs() < 10.0) || (wipe_horizontal && (p.y - wipe_y).abs() < 10.0);
        ui.ctx().data_mut(|d| d.insert_temp(wipe_id, near));
    }
    if response.dragged() && !app.viewing.picking && actions.pick.is_none() && !grabbed {
        let on_wipe = ui.ctx().data(|d| d.get_temp::<bool>(wipe_id)).unwrap_or(false);
        if on_wipe && let Some(p) = response.interact_pointer_pos() {
            app.viewing.wipe = if wipe_vertical {
                ((p.x - image_rect.left()) / image_rect.width()).clamp(0.0, 1.0)
            } else {
                ((p.y - image_rect.top()) / image_rect.height()).clamp(0.0, 1.0)
            };
        } else {
            set_pan(app.viewing, pan(app.viewing) + response.drag_delta());
        }
    }

    let Some(after) = app.shown else {
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "Preview needs the wgpu renderer",
            egui::FontId::proportional(14.0),
            theme::MUTED,
        );
        actions.probe = probe(&response, image_rect, frame_size);
        return actions;
    };
    let reference = app.reference.unwrap_or(after);
    let white = Color32::WHITE;
    if side_by_side {
        let right = image_rect.translate(vec2(area.width(), 0.0));
        painter.image(reference, image_rect, FULL_UV, white);
        painter.image(after, right, FULL_UV, white);
        // Named as the toolbar names it: the ungraded source, or the grabbed still.
        caption(&painter, image_rect, if app.has_still { "still" } else { "source" });
        caption(&painter, right, "graded");
    } else if wipe_vertical {
        let split = wipe_x.clamp(image_rect.left(), image_rect.right());
        let left = Rect::from_min_max(image_rect.min, pos2(split, image_rect.bottom()));
        let right = Rect::from_min_max(pos2(split, image_rect.top()), image_rect.max);
        painter.image(reference, left, Rect::from_min_max(pos2(0.0, 0.0), pos2(app.viewing.wipe, 1.0)), white);
        painter.image(after, right, Rect::from_min_max(pos2(app.viewing.wipe, 0.0), pos2(1.0, 1.0)), white);
        painter.line_segment(
            [pos2(split, image_rect.top()), pos2(split, image_rect.bottom())],
            Stroke::new(1.0, Color32::from_gray(200)),
        );
    } else if wipe_horizontal {
        let split = wipe_y.clamp(image_rect.top(), image_rect.bottom());
        let top = Rect::from_min_max(image_rect.min, pos2(image_rect.right(), split));
        let bottom = Rect::from_min_max(pos2(image_rect.left(), split), image_rect.max);
        painter.image(reference, top, Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, app.viewing.wipe)), white);
        painter.image(after, bottom, Rect::from_min_max(pos2(0.0, app.viewing.wipe), pos2(1.0, 1.0)), white);
        painter.line_segment(
            [pos2(image_rect.left(), split), pos2(image_rect.right(), split)],
            Stroke::new(1.0, Color32::from_gray(200)),
        );
    } else {
        painter.image(after, image_rect, FULL_UV, white);
    }
    if on_windows {
        super::window_overlay::draw(&painter, image_rect, &app.windows, app.viewing.window);
    }
    if let Some(text) = &app.caption {
        // The spaces and rendering the picture is shown with, over a dark backing so it reads on
        // any picture.
        let galley = painter.layout_no_wrap(text.clone(), egui::FontId::proportional(12.0), theme::MUTED);
        let at = rect.left_top() + vec2(8.0, 6.0);
        painter.rect_filled(
            Rect::from_min_size(at - vec2(4.0, 2.0), galley.size() + vec2(8.0, 4.0)),
            3.0,
            theme::PANEL,
        );
        painter.galley(at, galley, theme::MUTED);
    }
    if let Some((title, entries)) = &app.legend {
        legend(&painter, rect, title, entries);
    }
    actions.probe = probe(&response, image_rect, frame_size);
    actions
}

/// The overlay's legend in the viewer's lower left corner: a swatch per entry (the picture's own
/// grey where an entry has none) and its label.
fn legend(painter: &egui::Painter, rect: Rect, title: &str, entries: &[LegendEntry]) {
    let font = egui::FontId::proportional(12.0);
    let row = 16.0;
    let width = entries
        .iter()
        .map(|e| painter.layout_no_wrap(e.label.clone(), font.clone(), Color32::from_gray(220)).size().x)
        .chain(std::iter::once(
            painter.layout_no_wrap(title.to_string(), font.clone(), Color32::from_gray(220)).size().x - 18.0,
        ))
        .fold(0.0, f32::max)
        + 34.0;
    let height = row * (entries.len() as f32 + 1.0) + 8.0;
    let at = rect.left_bottom() + vec2(8.0, -8.0 - height);
    painter.rect_filled(Rect::from_min_size(at, vec2(width, height)), 3.0, theme::PANEL);
    painter.text(at + vec2(6.0, 4.0), egui::Align2::LEFT_TOP, title, font.clone(), Color32::from_gray(220));
    for (i, e) in entries.iter().enumerate() {
        let y = at.y + 4.0 + row * (i as f32 + 1.0);
        let swatch = Rect::from_min_size(pos2(at.x + 6.0, y + 2.0), vec2(16.0, 11.0));
        match e.colour {
            Some([r, g, b]) => {
                painter.rect_filled(swatch, 1.0, Color32::from_rgb(r, g, b));
            }
            None => {
                painter.rect_stroke(swatch, 1.0, Stroke::new(1.0, theme::MUTED), egui::StrokeKind::Inside);
            }
        }
        painter.text(pos2(at.x + 28.0, y), egui::Align2::LEFT_TOP, &e.label, font.clone(), theme::MUTED);
    }
}

fn pan(v: &ViewState) -> Vec2 {
    vec2(v.pan[0], v.pan[1])
}

fn set_pan(v: &mut ViewState, pan: Vec2) {
    v.pan = [pan.x, pan.y];
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

/// The frame pixel under the cursor, when it is on the picture.
fn probe(response: &egui::Response, image_rect: Rect, frame_size: Vec2) -> Option<(u32, u32)> {
    let pos = response.hover_pos().filter(|p| image_rect.contains(*p))?;
    let uv: Pos2 = ((pos - image_rect.min) / image_rect.size()).to_pos2();
    Some(((uv.x * frame_size.x) as u32, (uv.y * frame_size.y) as u32))
}

fn toolbar(ui: &mut egui::Ui, app: &mut Panel, actions: &mut Actions) {
    // Wraps onto a second row when the viewer is narrow, so no control is cut off.
    ui.horizontal_wrapped(|ui| {
        ui.toggle_value(&mut app.viewing.bypass, "Bypass").on_hover_text("Show the ungraded source (Ctrl+D)");
        ui.toggle_value(&mut app.viewing.matte, "Matte")
            .on_hover_text("Show the selected node's key as a grey matte (a view only: never saved, never rendered)");
        ui.toggle_value(&mut app.viewing.show_windows, "Windows").on_hover_text(
            "Draw the selected node's windows on the picture, with handles: drag to move, size, turn and soften; drag inside to move; double-click an edge to add a point, right-click a point to delete it",
        );
        ui.menu_button("+ Window", |ui| {
            for (shape, name) in super::key_controls::SHAPES {
                if ui.button(name).clicked() {
                    actions.add_window = Some(shape);
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text("Add a window to the selected node, drawn on the picture");
        ui.toggle_value(&mut app.viewing.picking, "Pick key").on_hover_text(
            "Eyedropper: drag a region on the picture (or click a point) and the selected node's qualifier starts from its colours",
        );
        let compare_label = ui.label("Compare");
        // A fixed width, so the buttons after it stay where they are whatever the mode.
        egui::ComboBox::from_id_salt("compare")
            .width(120.0)
            .selected_text(app.viewing.compare.label())
            .show_ui(ui, |ui| {
                for mode in CompareMode::ALL {
                    ui.selectable_value(&mut app.viewing.compare, mode, mode.label());
                }
            })
            .response
            .labelled_by(compare_label.id);
        let overlay_label = ui.label("Overlay");
        egui::ComboBox::from_id_salt("overlay")
            .width(130.0)
            .selected_text(app.viewing.overlay.label())
            .show_ui(ui, |ui| {
                for choice in OverlayChoice::ALL {
                    ui.selectable_value(&mut app.viewing.overlay, choice, choice.label());
                }
            })
            .response
            .labelled_by(overlay_label.id)
            .on_hover_text("QC overlay over the graded picture: legal range, gamut or false colour (as the QC report judges them)");
        let device_label = ui.label("Device");
        let devices = crate::ops::device_preview::Device::ALL;
        // One choice: the grade's output, one device, or all four at once (the grid).
        let mut choice = if app.viewing.device_grid { DeviceChoice::Grid } else { DeviceChoice::One(app.viewing.device) };
        let text = match choice {
            DeviceChoice::Grid => GRID_LABEL,
            DeviceChoice::One(d) => d.map_or("Grade's output", |d| d.label()),
        };
        egui::ComboBox::from_id_salt("device")
            .width(150.0)
            .selected_text(text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut choice, DeviceChoice::One(None), "Grade's output");
                for d in devices {
                    ui.selectable_value(&mut choice, DeviceChoice::One(Some(d)), d.label());
                }
                ui.selectable_value(&mut choice, DeviceChoice::Grid, GRID_LABEL);
            })
            .response
            .labelled_by(device_label.id)
            .on_hover_text(
                "Preview the grade as a target display shows it, on this screen, or every display at once, 2×2 (or grab a still under one device and compare side by side with another)",
            );
        match choice {
            DeviceChoice::Grid => {
                app.viewing.device_grid = true;
                app.viewing.device = None;
            }
            DeviceChoice::One(d) => {
                app.viewing.device_grid = false;
                app.viewing.device = d;
            }
        }
        let has_still = app.has_still;
        if ui.button("Grab still").on_hover_text("Compare against the graded frame as it is now (Ctrl+Alt+G)").clicked()
        {
            actions.grab_still = true;
        }
        if ui
            .add_enabled(has_still, egui::Button::new("vs source"))
            .on_hover_text("Compare against the ungraded source")
            .clicked()
        {
            actions.clear_still = true;
        }
        ui.separator();
        if ui.selectable_label(app.viewing.zoom == Zoom::Fit, "Fit").clicked() {
            app.viewing.fit();
        }
        if ui.selectable_label(app.viewing.zoom == Zoom::Scale(1.0), "100%").clicked() {
            app.viewing.zoom = Zoom::Scale(1.0);
        }
        if let Zoom::Scale(s) = app.viewing.zoom {
            ui.label(egui::RichText::new(format!("{:.0}%", s * 100.0)).color(theme::MUTED));
        }
    });
}

/// The device grid: two by two cells, each device's preview fit to its cell and named in its corner.
/// The cells show the whole frame (no zoom, pan, wipe or probe).
fn grid(ui: &egui::Ui, app: &mut Panel, rect: Rect, frame_size: Vec2) {
    let painter = ui.painter_at(rect);
    let cell_size = vec2(rect.width() / 2.0, rect.height() / 2.0);
    let fit = (cell_size.x / frame_size.x).min(cell_size.y / frame_size.y) * 0.96;
    // Each cell is graded at the width it is shown in.
    app.viewing.proxy_width = Some((frame_size.x * fit * ui.ctx().pixels_per_point()).ceil() as u32);
    for (i, (texture, label)) in app.grid.iter().enumerate() {
        let cell = Rect::from_min_size(rect.min + vec2((i % 2) as f32, (i / 2) as f32) * cell_size, cell_size);
        let image = Rect::from_center_size(cell.center(), frame_size * fit);
        painter.image(*texture, image, FULL_UV, Color32::WHITE);
        let at = image.left_top() + vec2(6.0, 6.0);
        let galley =
            painter.layout_no_wrap(label.to_string(), egui::FontId::proportional(13.0), Color32::from_gray(225));
        painter.rect_filled(Rect::from_min_size(at, galley.size()).expand(3.0), 3.0, theme::PANEL);
        painter.galley(at, galley, Color32::from_gray(225));
    }
    if app.grid.is_empty() {
        centred_message(&painter, rect, "Rendering the devices…");
    }
}

/// A line of muted text in the middle of the viewer, where there is no picture to show.
fn centred_message(painter: &egui::Painter, rect: Rect, text: &str) {
    painter.text(rect.center(), egui::Align2::CENTER_CENTER, text, egui::FontId::proportional(16.0), theme::MUTED);
}
