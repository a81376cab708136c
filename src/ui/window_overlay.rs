//! The selected node's windows drawn over the viewer: each window's edge (and its soft edge's limits),
//! and the selected window's handles. Drag a handle to move, size, turn or soften; drag inside a
//! window to move it (and select it); double-click an edge of a polygon or bezier to add a point,
//! right-click a point to delete it. The geometry is `workspace::windows`; this file only maps it to
//! the screen and turns the pointer into edits.

use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};

use crate::ops::key::Window;
use crate::workspace::windows::{self, Handle};

/// An edit the viewer asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum WindowEdit {
    /// Window `index`, drawn as `before`, dragged into `after`; `what` names the undo step.
    Drag {
        /// Which window.
        index: usize,
        /// As drawn.
        before: Window,
        /// As dragged.
        after: Window,
        /// The undo step's name.
        what: &'static str,
    },
    /// A point added to window `index` after point `after`, at `at` (frame heights).
    AddPoint {
        /// Which window.
        index: usize,
        /// The point it follows.
        after: usize,
        /// Where, frame heights.
        at: [f32; 2],
    },
    /// Point `point` of window `index` deleted.
    RemovePoint {
        /// Which window.
        index: usize,
        /// Which point.
        point: usize,
    },
    /// Window `index` selected.
    Select(usize),
}

/// How near the pointer must be to a handle or an edge, points.
const REACH: f32 = 8.0;

/// A drag in progress: the window and handle grabbed, the window then and where the pointer went
/// down (frame heights).
#[derive(Clone)]
struct Grab {
    index: usize,
    handle: Handle,
    start: Window,
    from: [f32; 2],
}

fn to_screen(rect: Rect, p: [f32; 2]) -> Pos2 {
    rect.min + vec2(p[0], p[1]) * rect.height()
}

fn to_frame(rect: Rect, p: Pos2) -> [f32; 2] {
    let d = (p - rect.min) / rect.height();
    [d.x, d.y]
}

fn what(handle: Handle) -> &'static str {
    match handle {
        Handle::Centre => "move window",
        Handle::Width | Handle::Height | Handle::Corner => "size window",
        Handle::Rotation => "turn window",
        Handle::SoftInside | Handle::SoftOutside => "window softness",
        Handle::Point(_) | Handle::TangentIn(_) | Handle::TangentOut(_) => "move window point",
    }
}

/// Handles the pointer over the picture; true when it grabbed a window (so the viewer neither pans
/// nor moves the wipe nor fits on this gesture).
pub fn interact(
    ui: &egui::Ui,
    response: &egui::Response,
    image: Rect,
    shown: &[Window],
    selected: usize,
    edits: &mut Vec<WindowEdit>,
) -> bool {
    let aspect = image.width() / image.height();
    let grab_id = ui.scope_id().with("window grab");
    let reach = REACH / image.height();
    let pointer = ui.input(|i| i.pointer.latest_pos());
    let nearest_handle = |p: [f32; 2]| -> Option<Handle> {
        let w = shown.get(selected)?;
        windows::handles(w, aspect)
            .into_iter()
            .map(|(h, at)| (h, ((at[0] - p[0]).powi(2) + (at[1] - p[1]).powi(2)).sqrt()))
            .filter(|(_, d)| *d <= reach)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(h, _)| h)
    };
    if response.drag_started()
        && let Some(origin) = ui.input(|i| i.pointer.press_origin())
    {
        let p = to_frame(image, origin);
        let grab = match nearest_handle(p) {
            Some(handle) => Some(Grab { index: selected, handle, start: shown[selected].clone(), from: p }),
            // Inside a window: select it and move it (the selected one first when they overlap).
            None => std::iter::once(selected)
                .chain(0..shown.len())
                .find(|i| shown.get(*i).is_some_and(|w| windows::distance(w, p, aspect) < 0.0))
                .map(|i| Grab { index: i, handle: Handle::Centre, start: shown[i].clone(), from: p }),
        };
        if let Some(g) = &grab
            && g.index != selected
        {
            edits.push(WindowEdit::Select(g.index));
        }
        ui.ctx().data_mut(|d| match grab {
            Some(g) => {
                d.insert_temp(grab_id, g);
            }
            None => d.remove::<Grab>(grab_id),
        });
    }
    let grab: Option<Grab> = ui.ctx().data(|d| d.get_temp(grab_id));
    if let Some(g) = &grab {
        if response.dragged()
            && let (Some(p), Some(now)) = (pointer, shown.get(g.index))
        {
            let after = windows::drag(&g.start, g.handle, g.from, to_frame(image, p), aspect);
            if after != *now {
                edits.push(WindowEdit::Drag { index: g.index, before: now.clone(), after, what: what(g.handle) });
            }
        }
        if response.drag_stopped() {
            ui.ctx().data_mut(|d| d.remove::<Grab>(grab_id));
        }
        return true;
    }
    let Some(p) = response.interact_pointer_pos().map(|p| to_frame(image, p)) else { return false };
    if response.secondary_clicked()
        && let Some(Handle::Point(i)) = nearest_handle(p)
    {
        edits.push(WindowEdit::RemovePoint { index: selected, point: i });
        return true;
    }
    if response.double_clicked()
        && let Some(after) = shown.get(selected).and_then(|w| windows::nearest_edge(w, p, aspect, reach))
    {
        edits.push(WindowEdit::AddPoint { index: selected, after, at: p });
        return true;
    }
    // A click selects the window under it, unless it is on (or in) the selected one.
    let on_selected = shown.get(selected).is_some_and(|w| windows::distance(w, p, aspect) < reach);
    if response.clicked()
        && !on_selected
        && let Some(i) = (0..shown.len()).find(|i| windows::distance(&shown[*i], p, aspect) < 0.0)
    {
        edits.push(WindowEdit::Select(i));
    }
    false
}

/// Draws every window's edge (the selected one brighter, with its soft limits and handles).
pub fn draw(painter: &egui::Painter, image: Rect, shown: &[Window], selected: usize) {
    let aspect = image.width() / image.height();
    let accent = super::theme::ACCENT;
    let shadow = Stroke::new(3.0, Color32::from_black_alpha(140));
    for (i, w) in shown.iter().enumerate() {
        let is_selected = i == selected;
        let colour = if is_selected { accent } else { Color32::from_gray(200) };
        for (k, line) in windows::outlines(w, aspect).into_iter().enumerate() {
            let points: Vec<Pos2> = line.iter().map(|p| to_screen(image, *p)).collect();
            // The edge solid; the soft edge's limits dashed, on the selected window only.
            if k == 0 {
                let closed = points.len() > 2;
                for stroke in [shadow, Stroke::new(1.5, colour)] {
                    if closed {
                        painter.add(egui::Shape::closed_line(points.clone(), stroke));
                    } else {
                        painter.add(egui::Shape::line(points.clone(), stroke));
                    }
                }
            } else if is_selected {
                let mut loop_points = points.clone();
                loop_points.push(points[0]);
                painter.extend(egui::Shape::dashed_line(
                    &loop_points,
                    Stroke::new(1.0, colour.gamma_multiply(0.7)),
                    6.0,
                    4.0,
                ));
            }
        }
        if !is_selected {
            continue;
        }
        let hs = windows::handles(w, aspect);
        let centre = to_screen(image, windows::centre(w, aspect));
        for (h, at) in &hs {
            let at = to_screen(image, *at);
            match h {
                Handle::Rotation => {
                    painter.line_segment([centre, at], Stroke::new(1.0, colour.gamma_multiply(0.6)));
                    painter.circle(at, 5.0, Color32::from_black_alpha(160), Stroke::new(1.5, colour));
                }
                Handle::TangentIn(p) | Handle::TangentOut(p) => {
                    let anchor = hs.iter().find(|(k, _)| *k == Handle::Point(*p)).map(|(_, a)| to_screen(image, *a));
                    if let Some(anchor) = anchor {
                        painter.line_segment([anchor, at], Stroke::new(1.0, colour.gamma_multiply(0.6)));
                    }
                    painter.circle_filled(at, 3.5, colour);
                }
                Handle::SoftInside | Handle::SoftOutside => {
                    let r = Rect::from_center_size(at, vec2(7.0, 7.0));
                    painter.add(egui::Shape::convex_polygon(
                        vec![
                            pos2(r.center().x, r.top()),
                            pos2(r.right(), r.center().y),
                            pos2(r.center().x, r.bottom()),
                            pos2(r.left(), r.center().y),
                        ],
                        Color32::from_black_alpha(160),
                        Stroke::new(1.5, colour),
                    ));
                }
                Handle::Centre => {
                    painter.circle(at, 5.0, colour, Stroke::new(1.0, Color32::BLACK));
                }
                _ => {
                    painter.rect(
                        Rect::from_center_size(at, vec2(8.0, 8.0)),
                        1.0,
                        Color32::from_black_alpha(160),
                        Stroke::new(1.5, colour),
                        egui::StrokeKind::Middle,
                    );
                }
            }
        }
    }
}
