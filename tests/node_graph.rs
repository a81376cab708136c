//! The node graph: parallel and layer mixers and outside nodes, rendered on the GPU and by the CPU
//! reference, each against values worked out by hand from what the mixer means (CDL slopes on a
//! ramp, so every branch's output is a known multiple of its input); the graph's editing helpers;
//! grade files that store it.

mod common;

use std::path::Path;

use cinegrade::color::cdl::Cdl;
use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Composite, Grade, Input, Mixer, Node, Op};
use cinegrade::media::Frame;
use cinegrade::ops::key::{Key, Shape, Window};
use cinegrade::ops::primaries::Primaries;

/// A node multiplying by `slope` (an ASC CDL slope; offset 0, power 1, so exactly `slope × x`).
fn slope(s: f32) -> Node {
    Node::new(Op::Primaries(Primaries { cdl: Cdl { slope: [s; 3], ..Cdl::default() }, ..Primaries::default() }))
}

/// A 64 x 32 ramp from 0.05 to 0.45 (inside 0..1, so no CDL clamp or power matters).
fn ramp() -> Frame {
    Frame::from_fn(64, 32, |x, y| {
        let v = 0.05 + 0.4 * (x + 64 * y) as f32 / (64.0 * 32.0);
        [v, v * 0.8, v * 0.6, 1.0]
    })
}

/// The grade on the GPU, checked against the CPU reference (1e-6 relative: a handful of f32
/// multiplies and adds per pixel, the same on both sides).
fn render(grade: &Grade, frame: &Frame) -> Option<Frame> {
    grade.validate(Path::new("<test>")).expect("a valid grade");
    let ctx = common::gpu()?;
    let source = GpuFrame::upload(&ctx, frame).unwrap();
    let gpu = executor::apply_grade(&ctx, grade, &source).unwrap().download(&ctx).unwrap();
    let cpu = common::cpu_apply(grade, frame);
    common::assert_close(&gpu.pixels, &cpu.pixels, 1e-6, "GPU against the CPU reference");
    Some(gpu)
}

fn check(got: &Frame, source: &Frame, what: &str, want: impl Fn(u32, u32, f32) -> f32) {
    for y in 0..source.height {
        for x in 0..source.width {
            for c in 0..3 {
                let (g, w) = (got.pixel(x, y)[c], want(x, y, source.pixel(x, y)[c]));
                assert!((g - w).abs() <= 2e-6 * w.abs().max(1.0), "{what} at {x},{y}[{c}]: {g} against {w}");
            }
        }
    }
}

/// Common node ×0.5, then two parallel branches ×2 and ×3 of it, mixed.
fn parallel() -> Grade {
    let mut grade = Grade { nodes: vec![slope(0.5), slope(2.0)], ..Grade::default() };
    let branch = grade.add_beside(1, Mixer::Parallel).unwrap();
    grade.nodes[branch] = Node { inputs: grade.nodes[branch].inputs.clone(), ..slope(3.0) };
    grade
}

#[test]
fn a_parallel_mixer_adds_each_branchs_difference_from_the_common_input() {
    let grade = parallel();
    assert_eq!(grade.nodes.len(), 4);
    assert_eq!(grade.nodes[3].mixer, Some(Mixer::Parallel));
    let frame = ramp();
    let Some(got) = render(&grade, &frame) else { return };
    // c = 0.5 x; c + (2c − c) + (3c − c) = 4c = 2x (serially it would be 6c = 3x).
    check(&got, &frame, "parallel", |_, _, x| 2.0 * x);
    // A disabled branch adds nothing: c + (2c − c) = 2c = x.
    let mut off = grade.clone();
    off.nodes[2].enabled = false;
    let got = render(&off, &frame).unwrap();
    check(&got, &frame, "a disabled branch", |_, _, x| x);
    // The mixer's own op applies to the mix: ×1.5 after it.
    let mut after = grade.clone();
    after.nodes[3].op = slope(1.5).op;
    let got = render(&after, &frame).unwrap();
    check(&got, &frame, "the mixer's own op", |_, _, x| 3.0 * x);
}

/// A window over the left half of the 64 x 32 frame (hard edged), rectangle 1 frame height wide.
fn left_half() -> Key {
    let w = Window {
        shape: Shape::Rectangle,
        center: [0.25, 0.5],
        size: [1.0, 1.2],
        softness_inside: 0.0,
        softness_outside: 0.0,
        ..Window::default()
    };
    Key { windows: vec![w], ..Key::default() }
}

#[test]
fn a_layer_mixer_puts_a_keyed_layer_over_the_one_below_by_its_mode() {
    // Input 1: ×2 everywhere; input 2: ×3 keyed to the left half; both from the source.
    let mut keyed = slope(3.0);
    keyed.key = Some(left_half());
    keyed.inputs = vec![Input::SOURCE];
    let layer = |composite, opacity| {
        let mixer = Node::mixer(Mixer::Layer { composite, opacity }, vec![Input::Node(0), Input::Node(1)]);
        Grade { nodes: vec![slope(2.0), keyed.clone(), mixer], ..Grade::default() }
    };
    let frame = ramp();
    let inside = |x: u32| x < 32;
    let Some(got) = render(&layer(Composite::Normal, 1.0), &frame) else { return };
    // The higher input wins inside its key; the lower shows elsewhere.
    check(&got, &frame, "normal", |px, _, x| if inside(px) { 3.0 * x } else { 2.0 * x });
    let got = render(&layer(Composite::Add, 0.5), &frame).unwrap();
    // Inside: 2x·(1 − 0.5) + (2x + 3x)·0.5 = 3.5x.
    check(&got, &frame, "add at 0.5", |px, _, x| if inside(px) { 3.5 * x } else { 2.0 * x });
    let got = render(&layer(Composite::Multiply, 1.0), &frame).unwrap();
    check(&got, &frame, "multiply", |px, _, x| if inside(px) { 6.0 * x * x } else { 2.0 * x });
    let got = render(&layer(Composite::Screen, 1.0), &frame).unwrap();
    check(
        &got,
        &frame,
        "screen",
        |px, _, x| if inside(px) { 1.0 - (1.0 - 2.0 * x) * (1.0 - 3.0 * x) } else { 2.0 * x },
    );
    // Layers without keys: the last one wins at opacity 1, blends at less.
    let mut plain = layer(Composite::Normal, 0.25);
    plain.nodes[1].key = None;
    let got = render(&plain, &frame).unwrap();
    check(&got, &frame, "an unkeyed layer at 0.25", |_, _, x| 2.0 * x * 0.75 + 3.0 * x * 0.25);
}

#[test]
fn an_outside_node_corrects_where_the_other_nodes_key_does_not() {
    let mut inside = slope(2.0);
    inside.key = Some(left_half());
    let mut grade = Grade { nodes: vec![inside], ..Grade::default() };
    let outside = grade.add_outside(0).unwrap();
    grade.nodes[outside].op = slope(3.0).op;
    let frame = ramp();
    let Some(got) = render(&grade, &frame) else { return };
    check(&got, &frame, "outside", |px, _, x| if px < 32 { 2.0 * x } else { 3.0 * x });
    // The outside node's matte view shows the inverted key: black inside, white outside.
    let mut matte = grade.clone();
    matte.nodes[1].key = Some(Key { show_matte: true, ..Key::default() });
    let got = render(&matte, &frame).unwrap();
    check(&got, &frame, "the outside node's matte", |px, _, _| if px < 32 { 0.0 } else { 1.0 });
}

#[test]
fn the_graph_helpers_keep_every_input_before_its_node() {
    // Serial a → b → c; b made parallel with a new node; c now reads the mixer.
    let mut grade = Grade { nodes: vec![slope(1.1), slope(1.2), slope(1.3)], ..Grade::default() };
    let new = grade.add_beside(1, Mixer::Parallel).unwrap();
    assert_eq!(new, 2);
    assert_eq!(grade.nodes[2].inputs, [Input::Node(0)], "the new branch reads what b reads");
    assert_eq!(grade.nodes[3].inputs, [Input::Node(1), Input::Node(2)]);
    assert!(grade.nodes[4].inputs.is_empty(), "c reads the mixer before it, the serial default");
    assert_eq!(grade.layout(), [(1, 0), (2, 0), (2, 1), (3, 0), (4, 0)]);
    assert!(!grade.swap_nodes(1), "wired nodes do not move by Up/Down");
    // Removing the branch: the mixer reads what the branch read in its place.
    let mut removed = grade.clone();
    removed.remove_node(2);
    assert_eq!(removed.nodes[2].inputs, [Input::Node(1), Input::Node(0)]);
    removed.validate(Path::new("<test>")).unwrap();
    // Rewiring: a node can read only earlier nodes.
    assert!(!grade.connect(1, 0, Input::Node(3)));
    assert!(grade.connect(3, 2, Input::SOURCE), "a mixer takes another input");
    assert_eq!(grade.nodes[3].inputs.len(), 3);
    assert!(!grade.connect(4, 1, Input::Node(0)), "a plain node takes one input");
    // A serial grade stays a plain list on disk.
    let serial = Grade { nodes: vec![slope(1.1), slope(1.2)], ..Grade::default() };
    assert!(!serial.to_json().contains("inputs"));
    let mut serial = serial;
    serial.insert_node(1, slope(1.5));
    assert!(!serial.is_graph());
}

#[test]
fn graph_grades_round_trip_and_bad_wiring_is_refused() {
    let grade = parallel();
    let json = grade.to_json();
    assert!(json.contains("\"mixer\": \"parallel\"") && json.contains("\"inputs\""), "{json}");
    assert_eq!(Grade::from_json(&json, Path::new("g.json")).unwrap(), grade);
    let refused = |nodes: &str| {
        Grade::from_json(&format!(r#"{{"version":2,"nodes":{nodes}}}"#), Path::new("bad.json")).unwrap_err().to_string()
    };
    let p = r#""op":{"primaries":{}}"#;
    let err = refused(&format!(r#"[{{{p},"inputs":[1]}},{{{p}}}]"#));
    assert!(err.contains("node 1") && err.contains("not before it"), "{err}");
    let err = refused(&format!(r#"[{{{p}}},{{{p},"inputs":["source",0]}}]"#));
    assert!(err.contains("only a mixer takes more than one input"), "{err}");
    let err = refused(&format!(r#"[{{{p}}},{{{p},"mixer":"parallel","inputs":[0]}}]"#));
    assert!(err.contains("a mixer needs 2 to 8 inputs"), "{err}");
    let err = refused(&format!(r#"[{{{p}}},{{{p},"outside":0}}]"#));
    assert!(err.contains("outside of node 1, which has no key"), "{err}");
    let err = refused(&format!(r#"[{{{p}}},{{{p},"mixer":{{"layer":{{"opacity":2}}}},"inputs":["source",0]}}]"#));
    assert!(err.contains("layer opacity"), "{err}");
}

#[test]
fn a_pipelines_transforms_shift_the_wiring_with_the_grade() {
    use cinegrade::color::space::ColorSpace;
    let pipeline =
        cinegrade::grade::pipeline::Pipeline { input: Some(ColorSpace::ArriLogC3Ei800), ..Default::default() };
    let mut grade = parallel();
    grade.nodes[0].inputs = vec![Input::SOURCE];
    let built = pipeline.build(&grade);
    let leading = pipeline.leading_nodes();
    assert_eq!(leading, 1);
    assert_eq!(built.nodes[1].inputs, [Input::Node(0)], "the grade's source is the input transform's output");
    assert_eq!(built.nodes[4].inputs, [Input::Node(2), Input::Node(3)]);
    built.validate(Path::new("<built>")).unwrap();
}

/// The corpus example of a graph grade (parallel, layer and outside nodes) reads and renders.
#[test]
fn the_graph_grade_example_reads_and_renders() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/grade/graph.json");
    let grade = Grade::load(&path).unwrap();
    assert!(grade.is_graph());
    let frame = ramp();
    if let Some(got) = render(&grade, &frame) {
        assert!(got.pixels != frame.pixels);
    }
}
