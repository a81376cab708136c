//! Keyframes and tracks: values between keys computed by hand from the interpolation formulas,
//! grade files that store them (and version 1 files that migrate), and the GPU render of a
//! keyframed, tracked window on a middle frame against a static grade built by hand with the
//! interpolated numbers.

mod common;

use std::path::Path;

use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Interpolation, Keyframe, Node, Op, Track, TrackSample};
use cinegrade::media::{self, Frame};
use cinegrade::ops::key::{Key, Shape, Window};
use cinegrade::ops::lut::Lut;
use cinegrade::ops::primaries::Primaries;

fn exposure(e: f32) -> Op {
    Op::Primaries(Primaries { exposure: e, ..Primaries::default() })
}

fn exposure_of(node: &Node) -> f32 {
    match &node.op {
        Op::Primaries(p) => p.exposure,
        other => panic!("not primaries: {other:?}"),
    }
}

/// A primaries node keyed from exposure 0 at frame 10 to 1 at frame 20 with `interpolation`, and
/// back to 0.5 at frame 30.
fn keyed(interpolation: Interpolation) -> Node {
    let mut node = Node::new(exposure(0.0));
    let key = |frame, e: f32, mix| Keyframe { frame, interpolation, mix, op: exposure(e), key: None };
    node.keyframes = vec![key(10, 0.0, 1.0), key(20, 1.0, 0.5), key(30, 0.5, 0.5)];
    node
}

#[test]
fn values_between_keys_follow_linear_smooth_and_hold() {
    let linear = keyed(Interpolation::Linear);
    // Before the first key and after the last the node holds it.
    assert_eq!(exposure_of(&linear.at_frame(0)), 0.0);
    assert_eq!(exposure_of(&linear.at_frame(99)), 0.5);
    // On a key, exactly its values.
    assert_eq!(exposure_of(&linear.at_frame(20)), 1.0);
    assert_eq!(linear.at_frame(20).mix, 0.5);
    // Linear: frame 12 is 2/10 of the way, frame 25 half way down from 1 to 0.5.
    assert!((exposure_of(&linear.at_frame(12)) - 0.2).abs() < 1e-6);
    assert!((linear.at_frame(12).mix - 0.9).abs() < 1e-6, "mix interpolates too");
    assert!((exposure_of(&linear.at_frame(25)) - 0.75).abs() < 1e-6);
    // Smooth: 3t² − 2t³ of the fraction; at t = 0.2, 0.104; at t = 0.5 the same as linear.
    let smooth = keyed(Interpolation::Smooth);
    assert!((exposure_of(&smooth.at_frame(12)) - 0.104).abs() < 1e-6);
    assert!((exposure_of(&smooth.at_frame(15)) - 0.5).abs() < 1e-6);
    assert!((exposure_of(&smooth.at_frame(18)) - 0.896).abs() < 1e-6);
    // Hold: the key's value until the next key, then that one at once.
    let hold = keyed(Interpolation::Hold);
    assert_eq!(exposure_of(&hold.at_frame(19)), 0.0);
    assert_eq!(exposure_of(&hold.at_frame(20)), 1.0);
    // The node's keyframes travel with it.
    assert_eq!(linear.at_frame(12).keyframes.len(), 3);
}

#[test]
fn what_is_not_a_number_holds_until_the_next_key() {
    let mut node = Node::new(Op::Lut(Lut::new("a.cube")));
    let key = |frame, path: &str| Keyframe {
        frame,
        interpolation: Interpolation::Linear,
        mix: 1.0,
        op: Op::Lut(Lut::new(path)),
        key: None,
    };
    node.keyframes = vec![key(0, "a.cube"), key(10, "b.cube")];
    let path = |n: &Node| match &n.op {
        Op::Lut(l) => l.path.clone(),
        _ => unreachable!(),
    };
    assert_eq!(path(&node.at_frame(9)), Path::new("a.cube"));
    assert_eq!(path(&node.at_frame(10)), Path::new("b.cube"));
}

#[test]
fn keys_are_set_moved_and_removed_as_the_strip_asks() {
    let mut node = Node::new(exposure(0.0));
    node.set_keyframe(10);
    node.op = exposure(2.0);
    node.set_keyframe(20);
    assert_eq!(node.keyframes.iter().map(|k| k.frame).collect::<Vec<_>>(), [10, 20]);
    node.show_keyframes_at(15);
    assert!((exposure_of(&node) - 1.0).abs() < 1e-6, "the panel shows the value between the keys");
    // Editing at frame 15 and storing it makes a key there, between the others.
    node.op = exposure(-1.0);
    node.set_keyframe(15);
    assert_eq!(node.keyframes.iter().map(|k| k.frame).collect::<Vec<_>>(), [10, 15, 20]);
    assert!(!node.move_keyframe(15, 20), "a key cannot land on another");
    assert!(node.move_keyframe(15, 25));
    assert_eq!(node.keyframes.iter().map(|k| k.frame).collect::<Vec<_>>(), [10, 20, 25]);
    assert!(node.remove_keyframe(20) && !node.remove_keyframe(20));
    assert_eq!(exposure_of(&node.at_frame(30)), -1.0);
    // Saved and read back, the keys are the same.
    let grade = Grade { nodes: vec![node], ..Grade::default() };
    assert_eq!(Grade::from_json(&grade.to_json(), Path::new("k.json")).unwrap(), grade);
}

#[test]
fn a_track_moves_scales_and_turns_its_window_between_samples() {
    let mut node = Node::new(exposure(1.0));
    node.key = Some(Key { windows: vec![Window::default()], ..Key::default() });
    let sample = |frame, dx, s, r| TrackSample { frame, offset: [dx, 0.0], scale: s, rotation: r, confidence: 1.0 };
    node.tracks = vec![Track { window: 0, samples: vec![sample(0, 0.0, 1.0, 0.0), sample(4, 0.2, 2.0, 10.0)] }];
    let at = |f| node.at_frame(f).key.unwrap().windows[0].clone();
    let w = at(1);
    assert!((w.center[0] - 0.55).abs() < 1e-6 && w.center[1] == 0.5, "{w:?}");
    assert!((w.size[0] - 0.6 * 1.25).abs() < 1e-6 && (w.rotation - 2.5).abs() < 1e-6, "{w:?}");
    assert!((at(9).center[0] - 0.7).abs() < 1e-6, "after the last sample the window holds");
    // A track naming a window the key lacks is refused.
    node.tracks[0].window = 3;
    let grade = Grade { nodes: vec![node], ..Grade::default() };
    let err = grade.validate(Path::new("t.json")).unwrap_err().to_string();
    assert!(err.contains("drives window 4 but the key has 1"), "{err}");
}

#[test]
fn bad_keyframes_are_refused_naming_the_frame() {
    let refused = |keyframes: &str| {
        let text = format!(r#"{{"version":2,"nodes":[{{"op":{{"primaries":{{}}}},"keyframes":{keyframes}}}]}}"#);
        Grade::from_json(&text, Path::new("bad.json")).unwrap_err().to_string()
    };
    let k = |frame: u32, op: &str| format!(r#"{{"frame":{frame},"mix":1,"op":{op}}}"#);
    let p = r#"{"primaries":{}}"#;
    let err = refused(&format!("[{},{}]", k(10, p), k(5, p)));
    assert!(err.contains("keyframe at frame 5: frames must increase"), "{err}");
    let err = refused(&format!("[{}]", k(3, r#"{"blur":{"radius":2}}"#)));
    assert!(err.contains("keyframe at frame 3: holds a blur op in a primaries node"), "{err}");
    let err = refused(&format!("[{}]", k(3, r#"{"primaries":{"temperature":100}}"#)));
    assert!(err.contains("keyframe at frame 3: temperature must be"), "{err}");
}

/// A version 1 grade with a feathered ellipse and a polygon in frame coordinates.
const V1: &str = r#"{"version":1,"nodes":[{"op":{"primaries":{"exposure":1}},"key":{"windows":[
  {"shape":"ellipse","center":[0.4,0.5],"size":[0.5,0.4],"rotation":20,"feather":0.12},
  {"shape":"polygon","points":[[0.6,0.2],[0.9,0.25],[0.8,0.7]],"feather":0.04}
]}}]}"#;

#[test]
fn version_1_windows_migrate_to_the_same_matte() {
    let grade = Grade::from_json(V1, Path::new("v1.json")).unwrap();
    assert_eq!(grade.version, 2);
    let windows = &grade.nodes[0].key.as_ref().unwrap().windows;
    // A feather of 0.12 centred on the edge is 0.06 inside and 0.06 outside.
    assert_eq!((windows[0].softness_inside, windows[0].softness_outside), (0.06, 0.06));
    // The polygon is centred on its corners' mean, drawn at scale 1, unturned; its corners are
    // where version 1 put them.
    let poly = &windows[1];
    assert!((poly.center[0] - 0.766_666_7).abs() < 1e-6 && (poly.center[1] - 0.383_333_3).abs() < 1e-6);
    assert_eq!((poly.size, poly.rotation), ([1.0, 1.0], 0.0));
    let aspect = 2.0;
    let corners = poly.outline(aspect);
    for (got, want) in corners.iter().zip([[0.6, 0.2], [0.9, 0.25], [0.8, 0.7]]) {
        assert!((got[0] - want[0] * aspect).abs() < 1e-6 && (got[1] - want[1]).abs() < 1e-6, "{got:?} {want:?}");
    }
    // A project holding the version 1 grade migrates it too.
    let project = format!(
        r#"{{"version":3,"name":"p","scenes":[{{"name":"s","shots":[{{"name":"a","media":{{"still":"a.png"}},"versions":[{{"name":"v1","grade":{V1}}}]}}]}}]}}"#
    );
    let p = cinegrade::project::Project::from_json(&project, Path::new("p.cgproj")).unwrap();
    let shot = p.shots().next().unwrap().1;
    assert_eq!(shot.grade(), &grade);
}

/// A version 1 file's window, rendered on the GPU, is its version 1 matte: `feather` f centred on
/// the edge is smoothstep(−f/2, f/2) of the signed distance, computed here by hand for a circle.
#[test]
fn a_migrated_feathered_circle_renders_as_version_1_did() {
    let Some(ctx) = common::gpu() else { return };
    let text = r#"{"version":1,"nodes":[{"op":{"primaries":{"offset":{"rgb":[0.5,0.5,0.5],"master":0}}},"key":{"windows":[
      {"center":[0.5,0.5],"size":[0.5,0.5],"feather":0.2}]}}]}"#;
    let grade = Grade::from_json(text, Path::new("v1.json")).unwrap();
    let (w, h) = (120u32, 100u32);
    let source = Frame::from_fn(w, h, |_, _| [0.1, 0.1, 0.1, 1.0]);
    let out =
        executor::apply_grade(&ctx, &grade, &GpuFrame::upload(&ctx, &source).unwrap()).unwrap().download(&ctx).unwrap();
    let mut worst = 0.0f32;
    for y in 0..h {
        for x in 0..w {
            // Frame heights from the top-left corner.
            let p = [(x as f32 + 0.5) / h as f32, (y as f32 + 0.5) / h as f32];
            let d = ((p[0] - 0.6).powi(2) + (p[1] - 0.5).powi(2)).sqrt() - 0.25;
            let t = ((d + 0.1) / 0.2).clamp(0.0, 1.0);
            let matte = 1.0 - t * t * (3.0 - 2.0 * t);
            let want = 0.1 + 0.5 * matte;
            worst = worst.max((out.pixel(x, y)[0] - want).abs());
        }
    }
    eprintln!("migrated feathered circle: worst error {worst:e}");
    assert!(worst < 1e-5, "worst error {worst}");
}

/// A window keyed from the left to the right and tracked down, rendered on the GPU on a frame
/// between keys, equals the static grade with the numbers interpolated by hand.
#[test]
fn a_keyframed_tracked_window_renders_its_interpolated_self_on_every_frame() {
    let Some(ctx) = common::gpu() else { return };
    let photo = media::load(&common::data("frames/chelsea.png")).unwrap().frame.crop(100, 40, 160, 96);
    let window = |x: f32| Window { center: [x, 0.5], size: [0.4, 0.4], ..Window::new(Shape::Ellipse) };
    let lift = Op::Primaries(Primaries { exposure: 1.5, ..Primaries::default() });
    let mut node = Node::new(lift.clone());
    let key = |frame, x| Keyframe {
        frame,
        interpolation: Interpolation::Linear,
        mix: 1.0,
        op: lift.clone(),
        key: Some(Key { windows: vec![window(x)], ..Key::default() }),
    };
    node.keyframes = vec![key(100, 0.2), key(110, 0.8)];
    node.key = node.keyframes[0].key.clone();
    let sample = |frame, dy| TrackSample { frame, offset: [0.0, dy], scale: 1.0, rotation: 0.0, confidence: 1.0 };
    node.tracks = vec![Track { window: 0, samples: vec![sample(100, 0.0), sample(110, 0.1)] }];
    let animated = Grade { nodes: vec![node], ..Grade::default() };
    let source = GpuFrame::upload(&ctx, &photo).unwrap();
    let render = |g: &Grade, f| executor::apply_grade_frame(&ctx, g, f, &source).unwrap().download(&ctx).unwrap();
    // Frame 103: x = 0.2 + 0.3 · 0.6 = 0.38, y = 0.5 + 0.3 · 0.1 = 0.53.
    let mut by_hand = Node::new(lift.clone());
    by_hand.key = Some(Key { windows: vec![Window { center: [0.38, 0.53], ..window(0.0) }], ..Key::default() });
    let by_hand = Grade { nodes: vec![by_hand], ..Grade::default() };
    let (got, want) = (render(&animated, 103), render(&by_hand, 0));
    common::assert_close(&got.pixels, &want.pixels, 1e-5, "frame 103");
    assert!(got.pixels != render(&animated, 100).pixels, "the window moved between frames");
    // The CPU reference agrees on the same frame.
    let cpu = cinegrade::gpu::cpu::apply_grade(&animated, 103, &photo).unwrap();
    common::assert_close(&got.pixels, &cpu.pixels, 1e-5, "frame 103, CPU");
}

/// The corpus example of a version 2 grade (bezier and polygon windows, keyframes, a track) reads.
#[test]
fn the_animated_grade_example_reads() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/grade/animated.json");
    let grade = Grade::load(&path).unwrap();
    assert!(grade.is_animated());
    let node = &grade.nodes[0];
    assert_eq!((node.keyframes.len(), node.tracks[0].samples.len()), (2, 2));
    // Frame 1002: smooth from 1001 to 1010, t = 1/9.
    let t: f32 = 1.0 / 9.0;
    assert!((exposure_of(&node.at_frame(1002)) - t * t * (3.0 - 2.0 * t)).abs() < 1e-6);
}

/// `cinegrade render` of a sequence evaluates a keyframed grade on each frame: a CDL slope keyed
/// from 1 on frame 1001 to 2 on frame 1003 is 1.5 on 1002.
#[test]
fn a_rendered_sequence_follows_the_keyframes_frame_by_frame() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("keyed-render");
    let source = Frame::from_fn(40, 24, |x, y| {
        let v = 0.1 + 0.3 * (x + 40 * y) as f32 / 960.0;
        [v, v * 0.9, v * 0.8, 1.0]
    });
    let options = media::SaveOptions { exr_depth: media::ExrDepth::Float, ..media::SaveOptions::default() };
    std::fs::create_dir_all(dir.join("in")).unwrap();
    for f in 1001..=1003 {
        media::save(&source, &dir.join(format!("in/plate.{f}.exr")), &options).unwrap();
    }
    let key = |frame: u32, s: f32| {
        format!(r#"{{"frame":{frame},"mix":1,"op":{{"primaries":{{"cdl":{{"slope":[{s},{s},{s}]}}}}}}}}"#)
    };
    let grade = format!(
        r#"{{"version":2,"nodes":[{{"op":{{"primaries":{{}}}},"keyframes":[{},{}]}}]}}"#,
        key(1001, 1.0),
        key(1003, 2.0)
    );
    std::fs::write(dir.join("keyed.json"), grade).unwrap();
    let out = common::cinegrade(&[
        "render",
        dir.join("in").to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
        "--format",
        "exr",
        "--depth",
        "float",
        "--grade",
        dir.join("keyed.json").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    for (f, slope) in [(1001, 1.0f32), (1002, 1.5), (1003, 2.0)] {
        let got = media::load(&dir.join(format!("out/plate.{f}.exr"))).unwrap().frame;
        for (g, s) in got.pixels.iter().zip(&source.pixels) {
            for c in 0..3 {
                assert!((g[c] - s[c] * slope).abs() < 1e-6, "frame {f}: {} against {} × {slope}", g[c], s[c]);
            }
        }
    }
}
