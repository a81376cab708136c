//! Windows drawn on the viewer, without egui: where each window's handles are, what dragging one
//! does, and the edits the viewer sends back (applied to the selected node of the shot's grade, on
//! its keyframe at the current frame when it has keyframes, beneath its track when it is tracked).
//!
//! Positions here are in frame heights from the frame's top-left corner (x 0..aspect, y 0..1, y
//! down), the space the key's shader works in; the viewer maps them to the screen.

use crate::ops::key::{self, Key, Shape, Window};

use super::Workspace;

/// A window's handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handle {
    /// The centre: moves the window.
    Centre,
    /// The right edge (ellipse, rectangle): width.
    Width,
    /// The lower edge (ellipse, rectangle): height.
    Height,
    /// The corner: width and height (ellipse, rectangle), or scale (polygon, bezier).
    Corner,
    /// Turns the window.
    Rotation,
    /// The soft edge's inner limit.
    SoftInside,
    /// The soft edge's outer limit.
    SoftOutside,
    /// A polygon corner or bezier point.
    Point(usize),
    /// A bezier point's incoming tangent.
    TangentIn(usize),
    /// A bezier point's outgoing tangent.
    TangentOut(usize),
}

/// How far the rotation handle stands off the window, frame heights.
const ROTATION_REACH: f32 = 0.06;

fn rotate(v: [f32; 2], degrees: f32) -> [f32; 2] {
    let (sin, cos) = degrees.to_radians().sin_cos();
    [v[0] * cos - v[1] * sin, v[0] * sin + v[1] * cos]
}

fn sub(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] - b[0], a[1] - b[1]]
}

fn add(a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
    [a[0] + b[0], a[1] + b[1]]
}

fn scaled(a: [f32; 2], s: f32) -> [f32; 2] {
    [a[0] * s, a[1] * s]
}

fn length(a: [f32; 2]) -> f32 {
    (a[0] * a[0] + a[1] * a[1]).sqrt()
}

/// The window's centre in frame heights.
pub fn centre(w: &Window, aspect: f32) -> [f32; 2] {
    [w.center[0] * aspect, w.center[1]]
}

/// `p` (frame heights) in the window's own axes: unturned, relative to its centre.
fn local(w: &Window, p: [f32; 2], aspect: f32) -> [f32; 2] {
    rotate(sub(p, centre(w, aspect)), -w.rotation)
}

/// A point in the window's own axes, in frame heights.
fn world(w: &Window, l: [f32; 2], aspect: f32) -> [f32; 2] {
    add(centre(w, aspect), rotate(l, w.rotation))
}

/// The inverse of [`Window::place`]: the offset (normalised frame coordinates, before size and
/// rotation) that lands on `p`.
fn offset_of(w: &Window, p: [f32; 2], aspect: f32) -> [f32; 2] {
    let l = local(w, p, aspect);
    [l[0] / (aspect * w.size[0]), l[1] / w.size[1]]
}

/// The largest offsets of a shape's points across and down (frame heights, before rotation).
fn extent(w: &Window, aspect: f32) -> [f32; 2] {
    let m = w.points.iter().fold([0.0f32; 2], |m, p| [m[0].max(p[0].abs()), m[1].max(p[1].abs())]);
    [(m[0] * aspect * w.size[0]).max(1e-3), (m[1] * w.size[1]).max(1e-3)]
}

/// Where the soft-edge handles sit and which way is outward: a point on the edge and the unit
/// outward normal there.
fn soft_anchor(w: &Window, aspect: f32) -> ([f32; 2], [f32; 2]) {
    match w.shape {
        Shape::Ellipse | Shape::Rectangle => {
            (world(w, [-w.size[0] * 0.5, 0.0], aspect), rotate([-1.0, 0.0], w.rotation))
        }
        // The gradient selects the side it points to: outward is the other way.
        Shape::Gradient => (centre(w, aspect), rotate([-1.0, 0.0], w.rotation)),
        Shape::Polygon | Shape::Bezier => {
            let c = centre(w, aspect);
            let e = w.points.first().map_or(c, |p| w.place(*p, aspect));
            let d = sub(e, c);
            let n = length(d);
            (e, if n > 1e-6 { scaled(d, 1.0 / n) } else { [1.0, 0.0] })
        }
    }
}

/// Every handle of `w` and where it is (frame heights), in drawing order.
pub fn handles(w: &Window, aspect: f32) -> Vec<(Handle, [f32; 2])> {
    let mut out = vec![(Handle::Centre, centre(w, aspect))];
    let (hx, hy) = (w.size[0] * 0.5, w.size[1] * 0.5);
    match w.shape {
        Shape::Ellipse | Shape::Rectangle => {
            out.push((Handle::Width, world(w, [hx, 0.0], aspect)));
            out.push((Handle::Height, world(w, [0.0, hy], aspect)));
            out.push((Handle::Corner, world(w, [hx, hy], aspect)));
            out.push((Handle::Rotation, world(w, [0.0, -hy - ROTATION_REACH], aspect)));
        }
        Shape::Gradient => {
            out.push((Handle::Rotation, world(w, [0.12, 0.0], aspect)));
        }
        Shape::Polygon | Shape::Bezier => {
            let e = extent(w, aspect);
            out.push((Handle::Corner, world(w, [e[0] + 0.02, e[1] + 0.02], aspect)));
            out.push((Handle::Rotation, world(w, [0.0, -e[1] - ROTATION_REACH], aspect)));
            for (i, p) in w.points.iter().enumerate() {
                out.push((Handle::Point(i), w.place(*p, aspect)));
                if w.shape == Shape::Bezier
                    && let Some(h) = w.handles.get(i)
                {
                    out.push((Handle::TangentIn(i), w.place([p[0] + h[0], p[1] + h[1]], aspect)));
                    out.push((Handle::TangentOut(i), w.place([p[0] + h[2], p[1] + h[3]], aspect)));
                }
            }
        }
    }
    let (e, n) = soft_anchor(w, aspect);
    out.push((Handle::SoftOutside, add(e, scaled(n, w.softness_outside))));
    out.push((Handle::SoftInside, sub(e, scaled(n, w.softness_inside))));
    out
}

/// The lines to draw for `w` (frame heights): its edge, and for ellipses and rectangles the inner
/// and outer limits of its soft edge. Each is a closed loop but the gradient's, a line across.
pub fn outlines(w: &Window, aspect: f32) -> Vec<Vec<[f32; 2]>> {
    let ring = |hx: f32, hy: f32| -> Vec<[f32; 2]> {
        match w.shape {
            Shape::Rectangle => [[hx, hy], [-hx, hy], [-hx, -hy], [hx, -hy]].map(|l| world(w, l, aspect)).to_vec(),
            _ => (0..72)
                .map(|i| {
                    let a = i as f32 / 72.0 * std::f32::consts::TAU;
                    world(w, [hx * a.cos(), hy * a.sin()], aspect)
                })
                .collect(),
        }
    };
    let (hx, hy) = (w.size[0] * 0.5, w.size[1] * 0.5);
    match w.shape {
        Shape::Ellipse | Shape::Rectangle => {
            let mut out = vec![ring(hx, hy)];
            if w.softness_outside > 0.0 {
                out.push(ring(hx + w.softness_outside, hy + w.softness_outside));
            }
            if w.softness_inside > 0.0 && w.softness_inside < hx.min(hy) {
                out.push(ring(hx - w.softness_inside, hy - w.softness_inside));
            }
            out
        }
        Shape::Gradient => vec![vec![world(w, [0.0, -2.0], aspect), world(w, [0.0, 2.0], aspect)]],
        Shape::Polygon | Shape::Bezier => vec![w.outline(aspect)],
    }
}

/// `w` after dragging `handle` from `from` to `to` (frame heights).
pub fn drag(w: &Window, handle: Handle, from: [f32; 2], to: [f32; 2], aspect: f32) -> Window {
    let mut out = w.clone();
    let l = local(w, to, aspect);
    let min = 1e-3;
    match handle {
        Handle::Centre => {
            let d = sub(to, from);
            out.center = [w.center[0] + d[0] / aspect, w.center[1] + d[1]];
        }
        Handle::Width => out.size[0] = (2.0 * l[0].abs()).max(min),
        Handle::Height => out.size[1] = (2.0 * l[1].abs()).max(min),
        Handle::Corner => match w.shape {
            Shape::Polygon | Shape::Bezier => {
                // Scale so the corner handle follows the pointer.
                let before = local(w, from, aspect);
                for k in 0..2 {
                    if before[k].abs() > 1e-6 {
                        out.size[k] = (w.size[k] * l[k].abs() / before[k].abs()).max(min);
                    }
                }
            }
            _ => out.size = [(2.0 * l[0].abs()).max(min), (2.0 * l[1].abs()).max(min)],
        },
        Handle::Rotation => {
            let d = sub(to, centre(w, aspect));
            let angle = d[1].atan2(d[0]).to_degrees();
            // The gradient's handle points along its direction; the others' stand above the centre.
            let turned = if w.shape == Shape::Gradient { angle } else { angle + 90.0 };
            out.rotation = (turned + 180.0).rem_euclid(360.0) - 180.0;
        }
        Handle::SoftInside | Handle::SoftOutside => {
            let (e, n) = soft_anchor(w, aspect);
            let along = {
                let d = sub(to, e);
                d[0] * n[0] + d[1] * n[1]
            };
            if handle == Handle::SoftOutside {
                out.softness_outside = along.max(0.0);
            } else {
                out.softness_inside = (-along).max(0.0);
            }
        }
        Handle::Point(i) => {
            if let Some(p) = out.points.get_mut(i) {
                *p = offset_of(w, to, aspect);
            }
        }
        Handle::TangentIn(i) | Handle::TangentOut(i) => {
            let (Some(p), Some(h)) = (w.points.get(i), out.handles.get_mut(i)) else { return out };
            let t = sub(offset_of(w, to, aspect), *p);
            // The opposite tangent stays in line (a smooth point) and keeps its length.
            let (mine, other) = if matches!(handle, Handle::TangentIn(_)) { (0, 2) } else { (2, 0) };
            let other_len = length([h[other], h[other + 1]]);
            let len = length(t);
            h[mine] = t[0];
            h[mine + 1] = t[1];
            if len > 1e-6 {
                h[other] = -t[0] / len * other_len;
                h[other + 1] = -t[1] / len * other_len;
            }
        }
    }
    out
}

/// The edit made to a tracked (or otherwise moved) window, carried over to the window it is drawn
/// from: `base` shown as `before`, edited into `after`.
pub fn carry_over(base: &Window, before: &Window, after: &Window) -> Window {
    let mut out = after.clone();
    out.center =
        [base.center[0] + after.center[0] - before.center[0], base.center[1] + after.center[1] - before.center[1]];
    out.size = [0, 1].map(|k| base.size[k] * after.size[k] / before.size[k].max(1e-9));
    out.rotation = base.rotation + after.rotation - before.rotation;
    out
}

/// The edge of a polygon or bezier nearest `p` (frame heights) within `reach`: the point index to
/// insert after.
pub fn nearest_edge(w: &Window, p: [f32; 2], aspect: f32, reach: f32) -> Option<usize> {
    if !matches!(w.shape, Shape::Polygon | Shape::Bezier) || w.points.is_empty() {
        return None;
    }
    let outline = w.outline(aspect);
    let per_point = outline.len() / w.points.len();
    let mut best: Option<(f32, usize)> = None;
    for i in 0..outline.len() {
        let (a, b) = (outline[i], outline[(i + 1) % outline.len()]);
        let e = sub(b, a);
        let t =
            (((p[0] - a[0]) * e[0] + (p[1] - a[1]) * e[1]) / (e[0] * e[0] + e[1] * e[1]).max(1e-12)).clamp(0.0, 1.0);
        let d = length(sub(p, add(a, scaled(e, t))));
        if d <= reach && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, i / per_point.max(1)));
        }
    }
    best.map(|(_, i)| i)
}

/// Adds a point to a polygon or bezier on its edge after point `after`, at `p` (frame heights).
pub fn insert_point_at(w: &mut Window, after: usize, p: [f32; 2], aspect: f32) {
    let n = w.points.len();
    key::insert_point(w, after);
    if w.points.len() > n {
        w.points[after + 1] = offset_of(w, p, aspect);
    }
}

/// The signed distance from `p` (frame heights) to the window's edge, negative inside (before its
/// own invert).
pub fn distance(w: &Window, p: [f32; 2], aspect: f32) -> f32 {
    key::window_distance(&w.uniform(aspect), p)
}

impl Workspace {
    /// The frame the grade is shown at: the shown frame of a sequence or clip, else its first (0
    /// for a still).
    pub fn current_frame(&self) -> u32 {
        let range = self.session.selected.and_then(|r| self.session.project.shot(r)).and_then(|s| s.media.range());
        self.frame.or(range.map(|r| r.first)).unwrap_or(0)
    }

    /// The frame's width over its height (16:9 before a frame is shown).
    pub fn frame_aspect(&self) -> f32 {
        self.view().map(|v| v.size()).map_or(16.0 / 9.0, |(w, h)| w as f32 / h.max(1) as f32)
    }

    /// The selected node's windows as they are on the current frame (keyframes and tracks applied):
    /// what the viewer draws. `None` without a shot or node.
    pub fn shown_windows(&self) -> Option<Vec<Window>> {
        let grade = self.session.grade()?;
        let node = grade.nodes.get(self.node)?;
        Some(node.at_frame(self.current_frame()).key.map(|k| k.windows).unwrap_or_default())
    }

    /// Applies an edit of window `index` drawn as `before` and dragged into `after` to the selected
    /// node: on its keyframe at the current frame when it has keyframes, beneath its track when
    /// tracked. Edits with the same `what` within one drag are one undo step.
    pub fn edit_window(&mut self, index: usize, before: &Window, after: &Window, what: &str) {
        let frame = self.current_frame();
        let Some(mut grade) = self.session.grade().cloned() else { return };
        let Some(node) = grade.nodes.get_mut(self.node) else { return };
        node.show_keyframes_at(frame);
        let Some(base) = node.key.as_mut().and_then(|k| k.windows.get_mut(index)) else { return };
        *base = carry_over(base, before, after);
        if !node.keyframes.is_empty() {
            node.set_keyframe(frame);
        }
        self.session.set_grade(what, grade);
    }

    /// Adds a window of `shape` to the selected node, fitted to the frame's aspect.
    pub fn add_window(&mut self, shape: Shape) {
        let (frame, aspect) = (self.current_frame(), self.frame_aspect());
        let Some(mut grade) = self.session.grade().cloned() else { return };
        let Some(node) = grade.nodes.get_mut(self.node) else { return };
        node.show_keyframes_at(frame);
        let key = node.key.get_or_insert_with(Key::default);
        if key.windows.len() >= key::MAX_WINDOWS {
            self.report_error(format!("a node holds at most {} windows", key::MAX_WINDOWS));
            return;
        }
        key.windows.push(Window::new_for(shape, aspect));
        self.viewing.window = key.windows.len() - 1;
        if !node.keyframes.is_empty() {
            node.set_keyframe(frame);
        }
        self.session.set_grade("add window", grade);
        self.session.end_interaction();
    }

    /// Changes the selected node's window `index` with `f` (adding or deleting a point), as one
    /// undo step named `what`.
    pub fn change_window(&mut self, index: usize, what: &str, f: impl FnOnce(&mut Window, f32)) {
        let (frame, aspect) = (self.current_frame(), self.frame_aspect());
        let Some(mut grade) = self.session.grade().cloned() else { return };
        let Some(node) = grade.nodes.get_mut(self.node) else { return };
        node.show_keyframes_at(frame);
        let Some(w) = node.key.as_mut().and_then(|k| k.windows.get_mut(index)) else { return };
        f(w, aspect);
        if !node.keyframes.is_empty() {
            node.set_keyframe(frame);
        }
        self.session.set_grade(what, grade);
        self.session.end_interaction();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: [f32; 2], b: [f32; 2]) -> bool {
        (a[0] - b[0]).abs() < 1e-5 && (a[1] - b[1]).abs() < 1e-5
    }

    fn at(w: &Window, h: Handle, aspect: f32) -> [f32; 2] {
        handles(w, aspect).into_iter().find(|(k, _)| *k == h).unwrap().1
    }

    #[test]
    fn every_handle_dragged_onto_itself_changes_nothing() {
        let aspect = 1.6;
        for shape in [Shape::Ellipse, Shape::Rectangle, Shape::Gradient, Shape::Polygon, Shape::Bezier] {
            let w = Window { rotation: 25.0, center: [0.4, 0.6], ..Window::new_for(shape, aspect) };
            for (h, p) in handles(&w, aspect) {
                let d = drag(&w, h, p, p, aspect);
                let again = at(&d, h, aspect);
                assert!(close(again, p), "{shape:?} {h:?}: {again:?} against {p:?}");
            }
        }
    }

    #[test]
    fn handles_move_what_they_name() {
        let aspect = 2.0;
        let w = Window { center: [0.5, 0.5], size: [0.4, 0.2], rotation: 0.0, ..Window::default() };
        // Centre: by the pointer's movement, in normalised coordinates.
        let moved = drag(&w, Handle::Centre, [1.0, 0.5], [1.2, 0.6], aspect);
        assert!(close(moved.center, [0.6, 0.6]), "{:?}", moved.center);
        // Width: the right edge follows the pointer.
        let wider = drag(&w, Handle::Width, [1.2, 0.5], [1.3, 0.5], aspect);
        assert!((wider.size[0] - 0.6).abs() < 1e-6);
        // Rotation: the handle above the centre dragged to its right is a quarter turn clockwise.
        let turned = drag(&w, Handle::Rotation, [1.0, 0.3], [1.5, 0.5], aspect);
        assert!((turned.rotation - 90.0).abs() < 1e-4, "{}", turned.rotation);
        // Soft edges: 0.05 outside the left edge, 0.03 inside it.
        let soft = drag(&w, Handle::SoftOutside, [0.0, 0.0], [0.75, 0.5], aspect);
        assert!((soft.softness_outside - 0.05).abs() < 1e-6, "{}", soft.softness_outside);
        let soft = drag(&w, Handle::SoftInside, [0.0, 0.0], [0.83, 0.5], aspect);
        assert!((soft.softness_inside - 0.03).abs() < 1e-6, "{}", soft.softness_inside);
        // A polygon point lands under the pointer, whatever the window's scale and rotation.
        let poly = Window { size: [1.5, 0.7], rotation: 30.0, ..Window::new_for(Shape::Polygon, aspect) };
        let dragged = drag(&poly, Handle::Point(1), [0.0, 0.0], [1.4, 0.3], aspect);
        assert!(close(dragged.place(dragged.points[1], aspect), [1.4, 0.3]));
        // A bezier tangent moves and its twin stays in line.
        let bez = Window::new_for(Shape::Bezier, aspect);
        let p0 = bez.place(bez.points[0], aspect);
        let b = drag(&bez, Handle::TangentOut(0), [0.0, 0.0], [p0[0] + 0.1, p0[1] + 0.05], aspect);
        let h = b.handles[0];
        assert!((h[0] * h[3] - h[1] * h[2]).abs() < 1e-6 && h[0] * h[2] < 0.0, "{h:?}");
    }

    #[test]
    fn an_edit_of_a_tracked_window_moves_the_window_beneath_the_track() {
        let base = Window { center: [0.3, 0.3], size: [0.4, 0.4], rotation: 5.0, ..Window::default() };
        let shown = Window { center: [0.5, 0.4], size: [0.8, 0.8], rotation: 15.0, ..base.clone() };
        let after = Window { center: [0.55, 0.4], size: [1.0, 0.8], rotation: 20.0, ..shown.clone() };
        let edited = carry_over(&base, &shown, &after);
        assert!(close(edited.center, [0.35, 0.3]));
        assert!((edited.size[0] - 0.5).abs() < 1e-6 && (edited.size[1] - 0.4).abs() < 1e-6);
        assert!((edited.rotation - 10.0).abs() < 1e-6);
    }

    #[test]
    fn points_are_added_on_the_edge_clicked_and_a_click_inside_is_inside() {
        let aspect = 1.0;
        let mut poly = Window {
            shape: Shape::Polygon,
            center: [0.5, 0.5],
            size: [1.0, 1.0],
            points: vec![[-0.2, -0.2], [0.2, -0.2], [0.2, 0.2], [-0.2, 0.2]],
            ..Window::default()
        };
        let on_right = [0.7, 0.55];
        let edge = nearest_edge(&poly, on_right, aspect, 0.01).unwrap();
        assert_eq!(edge, 1);
        insert_point_at(&mut poly, edge, on_right, aspect);
        assert_eq!(poly.points.len(), 5);
        assert!(close(poly.place(poly.points[2], aspect), on_right));
        assert!(nearest_edge(&poly, [0.5, 0.5], aspect, 0.01).is_none());
        assert!(distance(&poly, [0.5, 0.5], aspect) < 0.0 && distance(&poly, [0.9, 0.9], aspect) > 0.0);
    }
}
