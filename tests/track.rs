//! `cinegrade track` end to end: a photograph panned along a known sub-pixel path, written as an EXR
//! sequence, tracked forward and backward from the command line.

mod common;

use cinegrade::media::{self, Frame, SaveOptions};

/// The camera's offset into the photo on frame `f`: a sub-pixel pan.
fn pan(f: u32) -> [f32; 2] {
    let t = f as f32;
    [100.0 + 2.37 * t, 80.0 + 1.13 * t + 0.8 * (t * 0.5).sin()]
}

/// Writes frames 1001-1012 of the pan as float EXRs; returns the folder.
fn panned_sequence() -> std::path::PathBuf {
    let photo =
        media::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo/frames/astronaut.png"))
            .unwrap()
            .frame;
    let dir = common::temp_dir("track");
    let (w, h) = (256u32, 192u32);
    for f in 0..12 {
        let p = pan(f);
        let mut pixels = Vec::with_capacity((w * h) as usize);
        for y in 0..h {
            for x in 0..w {
                pixels.push(photo.sample_bilinear(x as f32 + 0.5 + p[0], y as f32 + 0.5 + p[1]));
            }
        }
        let options = SaveOptions { exr_depth: media::ExrDepth::Float, ..SaveOptions::default() };
        media::save(&Frame { width: w, height: h, pixels }, &dir.join(format!("pan.{:04}.exr", 1001 + f)), &options)
            .unwrap();
    }
    dir
}

/// `cinegrade track` of the sequence in `dir` over `frames` from `region`, writing `json`.
fn track(dir: &std::path::Path, region: &str, frames: &str, json: &std::path::Path) -> std::process::Output {
    common::cinegrade(&[
        "track",
        dir.to_str().unwrap(),
        "--region",
        region,
        "--frames",
        frames,
        "--json",
        json.to_str().unwrap(),
    ])
}

#[test]
fn track_follows_a_panned_sequence_forward_and_backward() {
    let dir = panned_sequence();
    let json = dir.join("track.json");
    let region = "90,60,56,48";
    let out = track(&dir, region, "1001-1012", &json);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(common::stderr(&out).contains("tracked 12 frame(s); lowest confidence"), "{}", common::stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let frames = report["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 12);
    // The region's centre on frame 1001 is (118, 84); the content moves by minus the pan.
    let mut total = 0.0;
    for (i, f) in frames.iter().enumerate() {
        assert_eq!(f["frame"], 1001 + i as u64);
        for key in ["x", "y", "scale", "rotation", "confidence"] {
            assert!(f[key].is_number(), "{key} in {f}");
        }
        let (p0, p) = (pan(0), pan(i as u32));
        let want = [118.0 - (p[0] - p0[0]), 84.0 - (p[1] - p0[1])];
        let got = [f["x"].as_f64().unwrap() as f32, f["y"].as_f64().unwrap() as f32];
        let error = ((got[0] - want[0]).powi(2) + (got[1] - want[1]).powi(2)).sqrt();
        assert!(error < 0.5, "frame {}: {got:?} against {want:?}", 1001 + i);
        total += error;
    }
    eprintln!("forward: mean error {} px", total / 12.0);
    // Backward from 1012, the region drawn there.
    let p = [pan(11)[0] - pan(0)[0], pan(11)[1] - pan(0)[1]];
    let (x, y) = (90.0 - p[0], 60.0 - p[1]);
    let back = dir.join("back.json");
    let region = format!("{x},{y},56,48");
    let args = ["track", dir.to_str().unwrap(), "--region", &region, "--backward", "--json", back.to_str().unwrap()];
    let out = common::cinegrade(&args);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    let first = &report["frames"][0];
    assert_eq!(first["frame"], 1001, "frames are listed in frame order");
    assert!((first["x"].as_f64().unwrap() - 118.0).abs() < 0.5 && (first["y"].as_f64().unwrap() - 84.0).abs() < 0.5);
}

#[test]
fn track_refuses_bad_regions_and_ranges() {
    let dir = panned_sequence();
    let json = dir.join("t.json");
    let run = |region: &str, frames: &str| {
        let out = track(&dir, region, frames, &json);
        assert!(!out.status.success());
        common::stderr(&out)
    };
    assert!(run("250,10,40,40", "1001-1003").contains("must lie inside the 256x192 frame"));
    assert!(run("10,10,40", "1001-1003").contains("four numbers"));
    assert!(run("10,10,40,40", "1001-1020").contains("are not in the source"));
    assert!(run("10,10,40,40", "1001").contains("at least two frames"));
    assert!(!json.exists(), "nothing is written for a refused track");
}

/// The app's tracker: a window over the astronaut's face, tracked forward through the panned
/// sequence from a middle frame, follows the face; the track is one undo step, and a stopped track
/// changes nothing.
#[test]
fn the_app_tracks_a_window_and_writes_its_track() {
    let Some(gpu) = common::gpu() else { return };
    let dir = panned_sequence();
    let project = r#"{"version": 3, "name": "track", "scenes": [{"name": "s", "shots": [
        {"name": "plate", "media": {"sequence": {"pattern": "pan.####.exr", "first": 1001, "last": 1012}},
         "versions": [{"name": "v1", "grade": {"version": 2, "nodes": [
           {"op": {"primaries": {"exposure": 0.5}},
            "key": {"windows": [{"center": [0.5, 0.45], "size": [0.3, 0.3]}]}}]}}]}]}]}"#;
    let path = dir.join("track.cgproj");
    std::fs::write(&path, project).unwrap();
    let mut ws = cinegrade::workspace::Workspace::new(gpu, Vec::new());
    ws.open_project(&path).unwrap();
    ws.update();
    ws.go_to_frame(1003);
    ws.update();
    let wait = |ws: &mut cinegrade::workspace::Workspace| {
        while ws.track_progress().is_some() {
            std::thread::sleep(std::time::Duration::from_millis(20));
            ws.update();
        }
    };
    // Stopped at once: nothing changes.
    ws.start_track(0, cinegrade::workspace::TrackDirection::Forward, false, false);
    ws.cancel_track();
    wait(&mut ws);
    assert!(ws.session.grade().unwrap().nodes[0].tracks.is_empty());
    ws.start_track(0, cinegrade::workspace::TrackDirection::Forward, false, false);
    assert!(ws.track_progress().is_some());
    wait(&mut ws);
    let node = &ws.session.grade().unwrap().nodes[0];
    let samples = &node.tracks[0].samples;
    assert_eq!(samples.first().map(|s| s.frame), Some(1003));
    assert_eq!(samples.last().map(|s| s.frame), Some(1012));
    // On frame 1012 the window has moved with the picture: minus the pan since 1003.
    let (p3, p12) = (pan(2), pan(11));
    let want = [0.5 - (p12[0] - p3[0]) / 256.0, 0.45 - (p12[1] - p3[1]) / 192.0];
    ws.go_to_frame(1012);
    ws.update();
    let shown = &ws.shown_windows().unwrap()[0];
    assert!((shown.center[0] - want[0]).abs() * 256.0 < 0.5, "{:?} against {want:?}", shown.center);
    assert!((shown.center[1] - want[1]).abs() * 192.0 < 0.5, "{:?} against {want:?}", shown.center);
    // Before the track starts the window is where it was drawn.
    ws.go_to_frame(1001);
    ws.update();
    assert_eq!(ws.shown_windows().unwrap()[0].center, [0.5, 0.45]);
    ws.undo();
    assert!(ws.session.grade().unwrap().nodes[0].tracks.is_empty(), "one undo step");
}
