//! The app's QC panel, driven through the workspace: a run of the selected shot on a worker thread,
//! its findings (the same as `cinegrade qc`'s), jumping to a finding's frame, waivers as undoable
//! edits saved with the project, the state going stale after an edit, and overlays in the viewer.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cinegrade::gpu::viewer::DisplayKind;
use cinegrade::media::{self, Frame, SaveOptions};
use cinegrade::project::qc::QcState;
use cinegrade::project::{Media, Project, Scene, SequenceMedia, Shot};
use cinegrade::workspace::{OverlayChoice, Workspace};

/// A project with one sequence shot of five float EXR frames; frame 1003 has a bright square above
/// 105 % (values as they are: the shot converts nothing).
fn project(dir: &Path) -> PathBuf {
    let plates = dir.join("plates");
    std::fs::create_dir_all(&plates).unwrap();
    let (w, h) = (40u32, 30u32);
    for f in 1001..=1005u32 {
        let pixels = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let hot = f == 1003 && (10..20).contains(&x) && (10..20).contains(&y);
                let v = if hot { 1.3 } else { 0.2 + 0.5 * x as f32 / w as f32 + 0.01 * f as f32 - 10.0 };
                [v.max(0.05), 0.4, 0.3, 1.0]
            })
            .collect();
        let save = SaveOptions { exr_depth: media::ExrDepth::Float, ..SaveOptions::default() };
        media::save(&Frame { width: w, height: h, pixels }, &plates.join(format!("A.{f}.exr")), &save).unwrap();
    }
    let shot =
        Shot::new("A", Media::Sequence(SequenceMedia { pattern: "plates/A.####.exr".into(), first: 1001, last: 1005 }));
    let mut p = Project::new("qc panel");
    p.scenes.push(Scene { name: "reel".into(), shots: vec![shot] });
    let path = dir.join("qc.cgproj");
    p.save(&path).unwrap();
    path
}

fn run_qc(ws: &mut Workspace, profile: &str) {
    ws.start_qc(profile);
    let start = Instant::now();
    while ws.qc_job().is_some() {
        assert!(start.elapsed() < Duration::from_secs(120), "QC did not finish");
        std::thread::sleep(Duration::from_millis(20));
        ws.update();
    }
}

#[test]
fn qc_in_the_app_finds_waives_and_goes_stale() {
    let Some(gpu) = common::gpu() else { return };
    let dir = common::temp_dir("ws-qc");
    let path = project(&dir);
    let mut ws = Workspace::new(gpu, Vec::new());
    ws.open_project(&path).unwrap();
    ws.update();
    let r = ws.session.selected.expect("the first shot is selected");
    assert_eq!(ws.qc_state(r), Some(QcState::NotChecked));

    run_qc(&mut ws, "ebu-r103");
    assert_eq!(ws.qc_state(r), Some(QcState::Fail { errors: 1 }), "{:?}", ws.qc_panel());
    let panel = ws.qc_panel().unwrap();
    assert_eq!(panel.run.as_deref(), Some("ebu-r103 · v1 · 5 frame(s)"));
    let error = panel.rows.iter().position(|row| row.error).expect("an error row");
    assert_eq!(panel.rows[error].frame, 1003);
    assert!(panel.rows[error].summary.starts_with("error signal-level 1003-1003"), "{}", panel.rows[error].summary);

    // The app's findings are the command line's, over the same project and shot.
    let json = dir.join("cli.json");
    let out = common::cinegrade(&[
        "qc",
        "--project",
        path.to_str().unwrap(),
        "--shot",
        "A",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let cli: cinegrade::qc::QcReport = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let recorded = ws.session.project.shot(r).unwrap().qc.last.clone().unwrap();
    assert_eq!(recorded.findings, cli.findings);

    // Jump to the finding: the viewer shows frame 1003 with the legal-range overlay on.
    ws.go_to_finding(error);
    ws.update();
    assert_eq!(ws.frame, Some(1003));
    assert_eq!(ws.viewing.overlay, cinegrade::workspace::OverlayChoice::Levels);
    assert!(ws.view().unwrap().overlay().is_some());
    assert!(ws.frame_info().unwrap().contains("A.1003.exr"), "{:?}", ws.frame_info());

    // Waive it: the shot passes; undo and redo move the waiver.
    ws.waive_finding(error, "practical lamp, approved by the supervisor");
    assert_eq!(ws.qc_state(r), Some(QcState::Pass { waived: 1 }));
    assert_eq!(
        ws.qc_panel().unwrap().rows[error].waived.as_deref(),
        Some("practical lamp, approved by the supervisor")
    );
    ws.undo();
    assert_eq!(ws.qc_state(r), Some(QcState::Fail { errors: 1 }));
    ws.redo();
    assert_eq!(ws.qc_state(r), Some(QcState::Pass { waived: 1 }));

    // Saved with the project, and read back.
    ws.save_to(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"version\": 3") && text.contains("practical lamp"), "{text}");
    let reloaded = Project::load(&path).unwrap();
    assert_eq!(reloaded.scenes[0].shots[0].qc, ws.session.project.shot(r).unwrap().qc);

    // An edit of the grade makes the run stale; running again keeps the waiver.
    assert!(ws.edit_primaries("exposure", |p| p.exposure = -0.5));
    assert_eq!(ws.qc_state(r), Some(QcState::Stale));
    run_qc(&mut ws, "ebu-r103");
    assert_eq!(ws.qc_state(r), Some(QcState::Pass { waived: 0 }), "darker: nothing above 105 % now");
    assert_eq!(ws.session.project.shot(r).unwrap().qc.waivers.len(), 1, "the waiver outlives the run");

    // Unwaiving a finding that no longer exists is a no-op; a stopped run records nothing.
    ws.start_qc("netflix");
    ws.cancel_qc();
    assert!(ws.qc_job().is_none());
}

#[test]
fn the_viewer_paints_the_overlay_chosen_and_its_legend() {
    let Some(gpu) = common::gpu() else { return };
    let dir = common::temp_dir("ws-overlay");
    let path = project(&dir);
    let mut ws = Workspace::new(gpu, Vec::new());
    ws.open_project(&path).unwrap();
    ws.update();
    ws.go_to_frame(1003);
    ws.update();
    let plain = ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap();
    ws.viewing.overlay = OverlayChoice::Levels;
    ws.update();
    let view = ws.view().unwrap();
    let painted = view.read_display(&ws.gpu, DisplayKind::After).unwrap();
    let (w, _) = view.size();
    // The hot square is red, the rest unchanged.
    let at = |x: u32, y: u32, px: &[u8]| px[((y * w + x) * 4) as usize..][..3].to_vec();
    assert_eq!(at(15, 15, &painted), [255, 0, 0]);
    assert_eq!(at(2, 2, &painted), at(2, 2, &plain));
    let (title, entries) = view.overlay().unwrap().legend();
    assert_eq!(title, "Legal range");
    assert_eq!(entries[0].label, "above 105 %");
    // The source display and the probe stay the grade's.
    let probe = ws.view().unwrap().probe(&ws.gpu, 15, 15).unwrap();
    assert!((probe.graded[0] - 1.3).abs() < 1e-6, "{probe:?}");
    ws.viewing.overlay = OverlayChoice::Off;
    ws.update();
    assert_eq!(ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap(), plain);
}
