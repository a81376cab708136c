//! Grade JSON for curves, keys and the enhancement passes: round trips, files from before these
//! existed still load unchanged, and bad parameters are refused naming the node and op.

use std::path::Path;

use cinegrade::grade::{Grade, GradeError, Node, Op};
use cinegrade::ops::blur::Blur;
use cinegrade::ops::curves::{Curve, Curves};
use cinegrade::ops::denoise::Denoise;
use cinegrade::ops::glow::{Glow, GlowMode, HALATION_TINT};
use cinegrade::ops::grain::Grain;
use cinegrade::ops::key::{Combine, HueRange, Key, Qualifier, Range, Shape, Window};
use cinegrade::ops::primaries::Primaries;
use cinegrade::ops::sharpen::Sharpen;
use cinegrade::ops::vignette::Vignette;
use cinegrade::project::Project;

fn every_new_op() -> Grade {
    let curves = Curves {
        master: Curve { points: vec![[0.0, 0.05], [0.5, 0.55], [1.0, 0.95]] },
        hue_vs_saturation: Curve { points: vec![[0.1, 0.3], [0.6, -0.2]] },
        ..Curves::default()
    };
    let key = Key {
        qualifier: Some(Qualifier {
            hue: HueRange { enabled: true, center: 0.6, width: 0.1, softness: 0.05 },
            luma: Range { enabled: true, low: 0.2, high: 0.8, softness: 0.1 },
            clean_black: 0.1,
            blur: 4.0,
            ..Qualifier::default()
        }),
        windows: vec![
            Window { shape: Shape::Rectangle, rotation: 12.0, ..Window::default() },
            Window { shape: Shape::Polygon, points: vec![[0.1, 0.1], [0.5, 0.2], [0.3, 0.6]], ..Window::default() },
        ],
        combine: Combine::Union,
        invert: true,
        show_matte: false,
    };
    let mut keyed = Node::new(Op::Primaries(Primaries { saturation: 1.3, ..Primaries::default() }));
    keyed.key = Some(key);
    let mut grade = Grade { nodes: vec![Node::new(Op::Curves(curves)), keyed], ..Grade::default() };
    for op in [
        Op::Blur(Blur { radius: 3.0 }),
        Op::Sharpen(Sharpen { radius: 1.2, amount: 0.8, threshold: 0.01 }),
        Op::Denoise(Denoise { radius: 4.0, luma: 0.02, chroma: 0.05 }),
        Op::Glow(Glow { amount: 0.4, tint: HALATION_TINT, mode: GlowMode::Add, ..Glow::default() }),
        Op::Grain(Grain { amount: 0.03, seed: 9, ..Grain::default() }),
        Op::Vignette(Vignette { amount: 0.3, ..Vignette::default() }),
    ] {
        grade.nodes.push(Node::new(op));
    }
    grade
}

#[test]
fn every_new_op_and_key_round_trips() {
    let grade = every_new_op();
    grade.validate(Path::new("mem")).expect("valid");
    let json = grade.to_json();
    for name in
        ["curves", "key", "qualifier", "polygon", "union", "blur", "sharpen", "denoise", "glow", "grain", "vignette"]
    {
        assert!(json.contains(name), "{name} missing from {json}");
    }
    assert_eq!(Grade::from_json(&json, Path::new("mem")).unwrap(), grade);
    // Curves are plain lists of points; nodes without a key write no key.
    assert!(json.contains("\"master\": [\n"), "{json}");
    assert_eq!(json.matches("\"key\"").count(), 1);
}

#[test]
fn grades_from_before_load_unchanged() {
    let warm = Grade::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/warm.json")).unwrap();
    assert!(warm.nodes.iter().all(|n| n.key.is_none()));
    let json = warm.to_json();
    assert!(!json.contains("key"), "an unkeyed grade is written as before: {json}");
    let demo = Project::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/demo.cgproj")).unwrap();
    assert!(demo.shots().count() > 0);
    // Omitted parameters are neutral, a key with nothing in it selects everything.
    let text = r#"{"version":1,"nodes":[{"op":{"curves":{}},"key":{}},{"op":{"grain":{"amount":0.1}}}]}"#;
    let grade = Grade::from_json(text, Path::new("g.json")).unwrap();
    assert_eq!(grade.nodes[0].op, Op::Curves(Curves::default()));
    assert!(!grade.nodes[0].key.as_ref().unwrap().is_active());
    assert_eq!(grade.nodes[1].op, Op::Grain(Grain { amount: 0.1, ..Grain::default() }));
}

fn refused(json_op: &str, key: Option<&str>) -> String {
    let key = key.map(|k| format!(",\"key\":{k}")).unwrap_or_default();
    let text = format!(r#"{{"version":1,"nodes":[{{"op":{{"primaries":{{}}}}}},{{"op":{json_op}{key}}}]}}"#);
    match Grade::from_json(&text, Path::new("bad.json")) {
        Err(e @ GradeError::Invalid { node: 2, .. }) => e.to_string(),
        other => panic!("{json_op} {key}: expected an invalid node 2, got {other:?}"),
    }
}

#[test]
fn bad_parameters_are_refused_naming_node_and_op() {
    let cases = [
        (r#"{"blur":{"radius":-1}}"#, "blur radius"),
        (r#"{"sharpen":{"radius":-0.5}}"#, "sharpen radius"),
        (r#"{"sharpen":{"threshold":-0.1}}"#, "threshold"),
        (r#"{"denoise":{"luma":-0.1}}"#, "luma and chroma"),
        (r#"{"denoise":{"radius":500}}"#, "radius"),
        (r#"{"glow":{"radius":-3}}"#, "glow radius"),
        (r#"{"glow":{"tint":[1,-1,0]}}"#, "tint"),
        (r#"{"grain":{"amount":2}}"#, "grain amount"),
        (r#"{"grain":{"softness":1.5}}"#, "softness"),
        (r#"{"vignette":{"amount":3}}"#, "vignette amount"),
        (r#"{"curves":{"red":[[0.5,0],[0.2,1]]}}"#, "increasing x"),
        (r#"{"curves":{"hue_vs_hue":[[1.0,0.1]]}}"#, "below 1"),
        (r#"{"curves":{"master":[[-0.1,0]]}}"#, "master point 1"),
    ];
    for (op, needle) in cases {
        let msg = refused(op, None);
        assert!(msg.contains("bad.json: node 2") && msg.contains(needle), "{op}: {msg}");
    }
    let keys = [
        (r#"{"windows":[{"feather":-0.1}]}"#, "softness must not be negative"),
        (r#"{"windows":[{"shape":"polygon","points":[[0,0],[1,1]]}]}"#, "3 to 16 points"),
        (r#"{"windows":[{"size":[0,1]}]}"#, "size"),
        (r#"{"qualifier":{"blur":-2}}"#, "blur"),
        (r#"{"qualifier":{"clean_black":0.7,"clean_white":0.4}}"#, "clean"),
        (r#"{"qualifier":{"saturation":{"enabled":true,"low":0.9,"high":0.1}}}"#, "saturation"),
    ];
    for (key, needle) in keys {
        let msg = refused(r#"{"curves":{}}"#, Some(key));
        assert!(msg.contains("(curves): key: ") && msg.contains(needle), "{key}: {msg}");
    }
    // Typos in the new structures are refused too.
    let err = Grade::from_json(r#"{"version":1,"nodes":[{"op":{"blur":{"radus":2}}}]}"#, Path::new("t.json"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("radus"), "{err}");
    let err =
        Grade::from_json(r#"{"version":1,"nodes":[{"op":{"blur":{}},"key":{"windoes":[]}}]}"#, Path::new("t.json"))
            .unwrap_err()
            .to_string();
    assert!(err.contains("windoes"), "{err}");
}
