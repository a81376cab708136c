//! The app driven through egui_kittest on a real GPU device: open the demo project, move a control,
//! the grade and the picture change; undo restores them; bypass shows the source.

mod common;

use cinegrade::gpu::viewer::DisplayKind;
use cinegrade::grade::Op;
use cinegrade::ui::{CinegradeApp, CompareMode};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness() -> Option<Harness<'static, CinegradeApp>> {
    let gpu = common::gpu()?;
    let mut app = CinegradeApp::new(gpu, None, Vec::new());
    app.open_demo();
    let mut harness =
        Harness::builder().with_size([1480.0, 900.0]).build_ui_state(|ui, app: &mut CinegradeApp| app.ui_root(ui), app);
    harness.run_steps(3);
    Some(harness)
}

fn exposure(app: &CinegradeApp, node: usize) -> f32 {
    let Op::Primaries(p) = &app.session.grade().unwrap().nodes[node].op else { panic!("node {node} is not primaries") };
    p.exposure
}

fn shown_pixels(app: &CinegradeApp, kind: DisplayKind) -> Vec<u8> {
    app.view().expect("a shot is on the GPU").read_display(&app.gpu, kind).expect("readback")
}

#[test]
fn demo_project_opens_on_a_graded_shot() {
    let Some(harness) = harness() else { return };
    let app = harness.state();
    assert_eq!(app.session.project.name, "Cinegrade demo");
    assert!(app.session.selected.is_some());
    assert_eq!(harness.query_all_by_label("010 rocket").count(), 2, "in the project panel and as the grade heading");
    harness.get_by_label("040 cat");
    // The first shot's current version is graded, so the viewer differs from the source.
    assert_ne!(shown_pixels(app, DisplayKind::After), shown_pixels(app, DisplayKind::Source));
}

#[test]
fn moving_a_control_changes_the_grade_and_the_picture_and_undo_restores_both() {
    let Some(mut harness) = harness() else { return };
    let before_exposure = exposure(harness.state(), 0);
    let before_pixels = shown_pixels(harness.state(), DisplayKind::After);

    harness.get_by_role_and_label(Role::Slider, "Exposure (stops)").set_value_accesskit(1.5);
    harness.run_steps(3);
    assert_eq!(exposure(harness.state(), 0), 1.5);
    let after_pixels = shown_pixels(harness.state(), DisplayKind::After);
    assert_ne!(after_pixels, before_pixels, "the viewer shows the new grade");
    let mean = |p: &[u8]| p.iter().map(|v| *v as u64).sum::<u64>();
    assert!(mean(&after_pixels) > mean(&before_pixels), "more exposure is brighter");
    assert!(harness.state().session.is_dirty());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(exposure(harness.state(), 0), before_exposure, "Ctrl+Z restores the grade");
    assert_eq!(shown_pixels(harness.state(), DisplayKind::After), before_pixels, "and the picture");

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(3);
    assert_eq!(exposure(harness.state(), 0), 1.5, "Ctrl+Shift+Z redoes");
}

#[test]
fn bypass_shows_the_untouched_source() {
    let Some(mut harness) = harness() else { return };
    harness.key_press_modifiers(Modifiers::COMMAND, Key::D);
    harness.run_steps(2);
    let app = harness.state();
    assert!(app.bypass);
    assert_eq!(app.shown(), DisplayKind::Source);
    // The source display holds exactly the decoded frame, quantised for the screen.
    let shot = app.session.project.shot(app.session.selected.unwrap()).unwrap();
    let frame = cinegrade::media::load(&shot.media_path(&app.session.media_root)).unwrap().frame;
    assert_eq!(shown_pixels(app, DisplayKind::Source), frame.to_rgba8());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::D);
    harness.run_steps(2);
    assert_eq!(harness.state().shown(), DisplayKind::After);
}

#[test]
fn selecting_shots_copy_paste_and_compare_modes() {
    let Some(mut harness) = harness() else { return };
    harness.get_by_label("040 cat").click();
    harness.run_steps(2);
    let cat = harness.state().session.selected.unwrap();
    assert_eq!(harness.state().session.project.shot(cat).unwrap().name, "040 cat");
    assert!(harness.state().session.grade().unwrap().nodes.is_empty(), "the cat is ungraded");

    // Copy the rocket's grade, paste it on the cat.
    harness.key_press(Key::ArrowUp);
    harness.key_press(Key::ArrowUp);
    harness.key_press(Key::ArrowUp);
    harness.run_steps(2);
    assert_eq!(
        harness.state().session.project.shot(harness.state().session.selected.unwrap()).unwrap().name,
        "010 rocket"
    );
    let rocket_grade = harness.state().session.grade().unwrap().clone();
    harness.event(egui::Event::Copy);
    harness.run_steps(1);
    harness.get_by_label("040 cat").click();
    harness.run_steps(2);
    harness.event(egui::Event::Paste(String::new()));
    harness.run_steps(2);
    assert_eq!(harness.state().session.grade(), Some(&rocket_grade));

    // Ctrl+W toggles the wipe; a still can be grabbed as the reference.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::W);
    harness.run_steps(1);
    assert_eq!(harness.state().compare, CompareMode::WipeVertical);
    harness.get_by_label("Grab still").click();
    harness.run_steps(2);
    assert!(harness.state().view().unwrap().has_still());
    // The still equals the graded frame, so the reference display now matches the graded one.
    let app = harness.state();
    assert_eq!(shown_pixels(app, DisplayKind::Reference), shown_pixels(app, DisplayKind::After));
}

#[test]
fn a_broken_project_is_an_error_in_the_status_line_not_a_crash() {
    let Some(mut harness) = harness() else { return };
    let dir = common::temp_dir("ui-broken");
    let path = dir.join("broken.cgproj");
    std::fs::write(&path, "{\"version\": 1, \"name\": \"x\", \"scenes\": [ {").unwrap();
    let err = harness.state_mut().open_project(&path).unwrap_err().to_string();
    assert!(err.contains("broken.cgproj"), "{err}");
    // The demo stays open and usable.
    harness.run_steps(2);
    assert_eq!(harness.state().session.project.name, "Cinegrade demo");
}
