//! Windows drawn on the viewer and keyframes in the strip, driven through egui_kittest: drag a
//! window's handles on the picture, add points, key a node on two frames and see the frame between
//! them interpolate; each drag is one undo step.

mod common;

use cinegrade::ops::key::{Shape, Window};
use cinegrade::ui::CinegradeApp;
use cinegrade::workspace::windows::{self, Handle};
use egui::{Key, Modifiers, Pos2, Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn window(app: CinegradeApp) -> Harness<'static, CinegradeApp> {
    // Frames a sixtieth of a second apart, so two clicks make a double-click.
    Harness::builder()
        .with_size([1480.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut CinegradeApp| app.ui_root(ui), app)
}

/// The picture's rectangle on screen (fit, not panned), as the viewer lays it out.
fn picture(h: &Harness<'static, CinegradeApp>) -> Rect {
    let area = h.get_by_label("Viewer").rect();
    let (w, fh) = h.state().ws.view().expect("a shot is shown").size();
    let size = vec2(w as f32, fh as f32);
    let fit = (area.width() / size.x).min(area.height() / size.y) * 0.96;
    Rect::from_center_size(area.center(), size * fit)
}

fn on_screen(rect: Rect, p: [f32; 2]) -> Pos2 {
    rect.min + vec2(p[0], p[1]) * rect.height()
}

/// The selected node's window `i` as the viewer draws it.
fn shown(h: &Harness<'static, CinegradeApp>, i: usize) -> Window {
    h.state().ws.shown_windows().expect("a node is selected")[i].clone()
}

fn handle_at(h: &Harness<'static, CinegradeApp>, i: usize, handle: Handle) -> Pos2 {
    let rect = picture(h);
    let w = shown(h, i);
    let at = windows::handles(&w, rect.width() / rect.height()).into_iter().find(|(k, _)| *k == handle).unwrap().1;
    on_screen(rect, at)
}

/// Presses and releases `button` at `at` (`clicks` times, a frame apart: two make a double-click).
fn click(h: &mut Harness<'static, CinegradeApp>, at: Pos2, button: egui::PointerButton, clicks: usize) {
    h.hover_at(at);
    h.run_steps(1);
    for _ in 0..clicks {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton { pos: at, button, pressed, modifiers: Modifiers::NONE });
            h.run_steps(1);
        }
    }
    h.run_steps(1);
}

/// A drag from `from` to `to` in a few steps, as a hand would.
fn drag(h: &mut Harness<'static, CinegradeApp>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for t in [0.25, 0.5, 0.75, 1.0] {
        h.hover_at(from + (to - from) * t);
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(3);
}

/// The demo's astronaut shot (its current version has a windowed "face light" node), that node
/// selected.
fn astronaut() -> Option<Harness<'static, CinegradeApp>> {
    let gpu = common::gpu()?;
    let mut app = CinegradeApp::new(gpu, None, Vec::new());
    app.ws.open_demo();
    let r = app.ws.session.project.shots().nth(1).unwrap().0;
    app.ws.session.select(r);
    app.ws.node = 1;
    let mut h = window(app);
    h.run_steps(4);
    Some(h)
}

#[test]
fn dragging_a_window_on_the_picture_moves_sizes_and_softens_it_one_undo_step_each() {
    let Some(mut h) = astronaut() else { return };
    let before = shown(&h, 0);
    let pixels_before = h
        .state()
        .ws
        .view()
        .unwrap()
        .read_display(&h.state().ws.gpu, cinegrade::gpu::viewer::DisplayKind::After)
        .unwrap();
    // The centre, 40 points right and 20 down.
    let rect = picture(&h);
    let from = handle_at(&h, 0, Handle::Centre);
    drag(&mut h, from, from + vec2(40.0, 20.0));
    let moved = shown(&h, 0);
    let (dx, dy) = (40.0 / rect.width(), 20.0 / rect.height());
    assert!((moved.center[0] - before.center[0] - dx).abs() < 2e-3, "{:?} -> {:?}", before.center, moved.center);
    assert!((moved.center[1] - before.center[1] - dy).abs() < 2e-3, "{:?} -> {:?}", before.center, moved.center);
    assert_eq!(moved.size, before.size, "a move does not resize");
    // The picture follows the window.
    h.run_steps(2);
    let pixels_after = h
        .state()
        .ws
        .view()
        .unwrap()
        .read_display(&h.state().ws.gpu, cinegrade::gpu::viewer::DisplayKind::After)
        .unwrap();
    assert_ne!(pixels_before, pixels_after);
    // The width handle, 30 points further out.
    let from = handle_at(&h, 0, Handle::Width);
    drag(&mut h, from, from + vec2(30.0, 0.0));
    let wider = shown(&h, 0);
    assert!((wider.size[0] - moved.size[0] - 2.0 * 30.0 / rect.height()).abs() < 4e-3, "{:?}", wider.size);
    // The outer softness handle, 15 points further out (to the left of the window).
    let from = handle_at(&h, 0, Handle::SoftOutside);
    drag(&mut h, from, from - vec2(15.0, 0.0));
    let soft = shown(&h, 0);
    assert!((soft.softness_outside - wider.softness_outside - 15.0 / rect.height()).abs() < 3e-3);
    // Three drags, three undo steps, back to where it began.
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run_steps(1);
    }
    assert_eq!(shown(&h, 0), before);
}

#[test]
fn polygon_points_are_added_by_double_click_and_deleted_by_right_click() {
    let Some(mut h) = astronaut() else { return };
    h.state_mut().ws.add_window(Shape::Polygon);
    h.run_steps(2);
    assert_eq!(h.state().ws.viewing.window, 1, "the new window is selected");
    let w = shown(&h, 1);
    assert_eq!(w.points.len(), 3);
    // Double-click halfway along the first edge.
    let rect = picture(&h);
    let aspect = rect.width() / rect.height();
    let (a, b) = (w.place(w.points[0], aspect), w.place(w.points[1], aspect));
    let mid = on_screen(rect, [(a[0] + b[0]) * 0.5, (a[1] + b[1]) * 0.5]);
    click(&mut h, mid, egui::PointerButton::Primary, 2);
    h.run_steps(1);
    assert_eq!(shown(&h, 1).points.len(), 4, "a point was added on the edge");
    // Right-click the new point.
    let p = handle_at(&h, 1, Handle::Point(1));
    click(&mut h, p, egui::PointerButton::Secondary, 1);
    assert_eq!(shown(&h, 1).points.len(), 3, "right-click deletes the point");
    // Dragging a corner puts it under the pointer.
    let from = handle_at(&h, 1, Handle::Point(2));
    let to = from + vec2(-25.0, 10.0);
    drag(&mut h, from, to);
    let got = handle_at(&h, 1, Handle::Point(2));
    assert!((got - to).length() < 1.0, "{got:?} against {to:?}");
}

/// A three-frame sequence of the demo's astronaut with a windowed node.
fn sequence() -> Option<Harness<'static, CinegradeApp>> {
    let gpu = common::gpu()?;
    let dir = common::temp_dir("ui-keys");
    let frame = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo/frames/astronaut.png");
    for i in 0..3 {
        std::fs::copy(&frame, dir.join(format!("plate.{}.png", 1001 + i))).unwrap();
    }
    let project = r#"{"version": 3, "name": "keys", "scenes": [{"name": "s", "shots": [
        {"name": "plate", "media": {"sequence": {"pattern": "plate.####.png", "first": 1001, "last": 1003}},
         "versions": [{"name": "v1", "grade": {"version": 2, "nodes": [
           {"op": {"primaries": {"exposure": 0.5}}, "key": {"windows": [{"center": [0.3, 0.5], "size": [0.3, 0.3]}]}}
         ]}}]}]}]}"#;
    let path = dir.join("keys.cgproj");
    std::fs::write(&path, project).unwrap();
    let mut app = CinegradeApp::new(gpu, None, Vec::new());
    app.ws.open_project(&path).unwrap();
    let mut h = window(app);
    h.run_steps(4);
    Some(h)
}

#[test]
fn keys_made_in_the_strip_and_by_dragging_interpolate_between_frames() {
    let Some(mut h) = sequence() else { return };
    assert_eq!(h.state().ws.current_frame(), 1001);
    h.get_by_label("Add key").click();
    h.run_steps(2);
    assert_eq!(h.state().ws.keyframes().iter().map(|k| k.frame).collect::<Vec<_>>(), [1001]);
    // Two frames on, drag the window right: the node has keys, so the drag keys frame 1003.
    h.key_press(Key::ArrowRight);
    h.key_press(Key::ArrowRight);
    h.run_steps(3);
    assert_eq!(h.state().ws.current_frame(), 1003);
    let rect = picture(&h);
    let from = handle_at(&h, 0, Handle::Centre);
    drag(&mut h, from, from + vec2(60.0, 0.0));
    assert_eq!(h.state().ws.keyframes().iter().map(|k| k.frame).collect::<Vec<_>>(), [1001, 1003]);
    let end = shown(&h, 0).center[0];
    assert!((end - 0.3 - 60.0 / rect.width()).abs() < 3e-3, "{end}");
    // Frame 1002 is half way.
    h.key_press(Key::ArrowLeft);
    h.run_steps(3);
    let middle = shown(&h, 0).center[0];
    assert!((middle - (0.3 + end) * 0.5).abs() < 1e-5, "{middle} between 0.3 and {end}");
    // Ctrl+K keys 1002 as it is; Ctrl+Shift+K deletes that key again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    assert_eq!(h.state().ws.keyframes().len(), 3);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::K);
    h.run_steps(2);
    assert_eq!(h.state().ws.keyframes().len(), 2);
    // [ and ] step between keys.
    h.key_press(Key::CloseBracket);
    h.run_steps(2);
    assert_eq!(h.state().ws.current_frame(), 1003);
    h.key_press(Key::OpenBracket);
    h.run_steps(2);
    assert_eq!(h.state().ws.current_frame(), 1001);
    // The strip is drawn under the viewer.
    h.get_by_label("Keyframes");
}

/// The node graph: Parallel makes the selected node a branch, a drag from the source box onto the
/// mixer wires in another input, a click selects a node.
#[test]
fn the_node_graph_adds_a_parallel_branch_and_wires_by_dragging() {
    let Some(gpu) = common::gpu() else { return };
    let mut app = CinegradeApp::new(gpu, None, Vec::new());
    app.ws.open_demo();
    app.ws.node = 0;
    let mut h = window(app);
    h.run_steps(3);
    h.get_by_label("Node graph").click();
    h.run_steps(2);
    h.get_by_label("Parallel").click();
    h.run_steps(3);
    let grade = h.state().ws.session.grade().unwrap().clone();
    assert_eq!(grade.nodes.len(), 4);
    assert_eq!(grade.nodes[2].mixer, Some(cinegrade::grade::Mixer::Parallel));
    assert_eq!(h.state().ws.node, 1, "the new branch is selected");
    // Boxes as the graph lays them out: 64 x 24 with gaps of 26 x 8 from the canvas corner.
    let canvas = h.get_by_label("Node graph canvas").rect();
    let box_at = |col: f32, row: f32| canvas.min + vec2(26.0 + col * 90.0 + 32.0, 8.0 + row * 32.0 + 12.0);
    let (source, mixer) = (box_at(0.0, 0.0), box_at(2.0, 0.0));
    drag(&mut h, source, mixer);
    let inputs = h.state().ws.session.grade().unwrap().nodes[2].inputs.clone();
    assert_eq!(inputs.len(), 3, "the source wired into the mixer: {inputs:?}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().ws.session.grade().unwrap().nodes[2].inputs.len(), 2, "one undo step");
    // A click on the mixer selects it.
    click(&mut h, mixer, egui::PointerButton::Primary, 1);
    assert_eq!(h.state().ws.node, 2);
}

/// Under a device preview the scopes say they read the preview, not the grade's output.
#[test]
fn the_scopes_say_when_they_read_a_device_preview() {
    let Some(gpu) = common::gpu() else { return };
    let mut app = CinegradeApp::new(gpu, None, Vec::new());
    app.ws.open_demo();
    let mut h = window(app);
    h.run_steps(3);
    assert_eq!(h.query_all_by_label_contains("reads the").count(), 0);
    h.state_mut().ws.viewing.device = Some(cinegrade::ops::device_preview::Device::Phone);
    h.run_steps(3);
    let label = cinegrade::ops::device_preview::Device::Phone.label();
    // Under every scope shown (waveform and vectorscope by default).
    assert!(h.query_all_by_label_contains(&format!("reads the {label} preview")).count() >= 2);
}

/// In an OCIO-managed project the Colour rows say which display and view each device previews
/// through, and choosing another view for a device there is one undo step the viewer follows.
#[test]
fn the_colour_rows_show_and_choose_each_devices_display() {
    let Some(gpu) = common::gpu() else { return };
    let mut app = CinegradeApp::new(gpu, None, Vec::new());
    app.ws.open_demo();
    app.ws.set_ocio_config(&common::data("ocio/studio-config.ocio"));
    let input =
        cinegrade::project::ShotOcio { input: Some("sRGB Encoded Rec.709 (sRGB)".into()), ..Default::default() };
    app.ws.session.set_shot_ocio("input space", input).unwrap();
    let mut h = window(app);
    h.run_steps(3);
    h.get_by_label("Device previews").click();
    h.run_steps(3);
    assert_eq!(
        h.query_all_by_label("Rec.2100-PQ - Display / ACES 2.0 - HDR 1000 nits (P3 D65)").count(),
        2,
        "the master and the TV"
    );
    h.get_by_label("Rec.1886 Rec.709 - Display / ACES 2.0 - SDR 100 nits (Rec.709)");
    h.get_by_label("Display P3 - Display / ACES 2.0 - SDR 100 nits (P3 D65)");
    // The PQ master's view: its combo is the first "View" of the rows.
    h.query_all_by_role_and_label(egui::accesskit::Role::ComboBox, "  View").next().expect("the master's view").click();
    h.run_steps(2);
    h.get_by_label("ACES 2.0 - HDR 1000 nits (Rec.2020)").click();
    h.run_steps(3);
    let chosen =
        h.state().ws.session.project.color.devices.get(&cinegrade::ops::device_preview::Device::PqMaster).cloned();
    assert_eq!(chosen.and_then(|c| c.view).as_deref(), Some("ACES 2.0 - HDR 1000 nits (Rec.2020)"));
    h.get_by_label("Rec.2100-PQ - Display / ACES 2.0 - HDR 1000 nits (Rec.2020)");
    h.state_mut().ws.undo();
    h.run_steps(2);
    assert!(h.state().ws.session.project.color.devices.is_empty());
}
