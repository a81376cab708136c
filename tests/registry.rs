//! The op registry as a whole: every registered op, pointwise or spatial, runs on a real wgpu device
//! against its CPU twin on a real photograph, alone, mixed and through a key; so a new op gets its
//! twin test by being registered. Tolerance: 1e-5 relative to the pixel's largest channel, for both
//! kinds: the GPU runs the same f32 arithmetic as the twins, and only pow/exp/log/tanh differ in their
//! last bits (measured on llvmpipe: at most 8.5e-7 for one op, 1.9e-6 for every op chained; the
//! spatial ops alone are bit-exact there). Other adapters round transcendental functions their own way.

mod common;

use std::collections::HashSet;

use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame};
use cinegrade::ops::key::{Key, Window};
use cinegrade::ops::{self, POINTWISE, SPATIAL};

const POINTWISE_TOLERANCE: f32 = 1e-5;
const SPATIAL_TOLERANCE: f32 = 1e-5;

/// A 161x97 crop of a real photograph with varying alpha, above a strip of ramps from -0.5 to 8.
fn frame() -> Frame {
    let photo = media::load(&common::data("frames/chelsea.png")).expect("load chelsea").frame.crop(140, 40, 161, 97);
    let (w, h) = (photo.width, photo.height + 12);
    Frame::from_fn(w, h, |x, y| {
        if y < photo.height {
            let p = photo.pixel(x, y);
            [p[0], p[1], p[2], 0.5 + (x % 7) as f32 * 0.05]
        } else {
            let t = (x as f32 + (y - photo.height) as f32 * w as f32) / (w * 12) as f32;
            [-0.5 + 8.5 * t, -0.5 + 8.5 * (1.0 - t), -0.5 + 8.5 * ((t * 7.0) % 1.0), 1.0]
        }
    })
}

/// Every registered op's example, with the tolerance of its kind.
fn examples() -> Vec<(Op, f32)> {
    // One folder per test thread: tests run at once, and `temp_dir` empties the folder it is given
    // (a shared one raced: one test removed the LUT file another was writing).
    let thread = format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let scratch = common::temp_dir(&format!("registry-examples-{thread}"));
    let mut ops: Vec<(Op, f32)> = POINTWISE.iter().map(|e| ((e.example)(&scratch), POINTWISE_TOLERANCE)).collect();
    ops.extend(SPATIAL.iter().map(|e| ((e.example)(), SPATIAL_TOLERANCE)));
    ops
}

fn check(grade: &Grade, frame: &Frame, tolerance: f32, what: &str) {
    let Some(ctx) = common::gpu() else { return };
    let source = GpuFrame::upload(&ctx, frame).unwrap();
    let gpu = executor::apply_grade_frame(&ctx, grade, 3, &source).unwrap().download(&ctx).unwrap();
    let cpu = cinegrade::gpu::cpu::apply_grade(grade, 3, frame).unwrap();
    let (changed, _) = common::max_error(&cpu.pixels, &frame.pixels);
    assert!(changed > 1e-3, "{what}: the grade changes nothing ({changed}), so checks nothing");
    let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
    println!("{what}: worst error {err:.1e}");
    assert!(err <= tolerance, "{what}: error {err:e} at pixel {at}: gpu {:?} cpu {:?}", gpu.pixels[at], cpu.pixels[at]);
    assert!(gpu.pixels.iter().zip(&frame.pixels).all(|(g, f)| g[3] == f[3]), "{what}: alpha changed");
}

#[test]
fn every_registered_op_matches_its_cpu_twin_alone_mixed_and_keyed() {
    let frame = frame();
    for (op, tolerance) in examples() {
        let name = op.name();
        assert!(op.validate().is_ok(), "{name}: its example must be valid: {:?}", op.validate());
        assert!(!op.is_neutral(), "{name}: its example must do something");
        let alone = Grade { nodes: vec![Node::new(op.clone())], ..Grade::default() };
        check(&alone, &frame, tolerance, &format!("{name} alone"));
        let mixed = Grade { nodes: vec![Node { mix: 0.4, ..Node::new(op.clone()) }], ..Grade::default() };
        check(&mixed, &frame, tolerance, &format!("{name} at mix 0.4"));
        let mut keyed = Node { mix: 0.8, ..Node::new(op.clone()) };
        keyed.key = Some(Key {
            windows: vec![Window { softness_inside: 0.1, softness_outside: 0.1, ..Window::default() }],
            ..Key::default()
        });
        let keyed = Grade { nodes: vec![keyed], ..Grade::default() };
        check(&keyed, &frame, tolerance, &format!("{name} through a window at mix 0.8"));
    }
}

#[test]
fn every_registered_op_in_one_grade() {
    // All of them chained: pointwise runs fuse around the spatial passes. On the photograph alone:
    // through the examples' primaries the ramps' extremes become LogC3 codes near 11, which the
    // colour transform decodes beyond f32's range on the GPU (inf, then NaN in the matrix) while the
    // CPU's f64 curve stays finite; no camera writes such codes.
    let frame = frame().crop(0, 0, 161, 97);
    let nodes = examples().into_iter().map(|(op, _)| Node::new(op)).collect();
    check(&Grade { nodes, ..Grade::default() }, &frame, SPATIAL_TOLERANCE, "every op in one grade");
}

#[test]
fn names_are_the_grade_file_names_and_unique() {
    let mut names = HashSet::new();
    for (op, _) in examples() {
        // The name an op reports is the key serde writes it under.
        let json = serde_json::to_value(&op).unwrap();
        let key = json.as_object().and_then(|o| o.keys().next().cloned()).unwrap();
        assert_eq!(key, op.name());
        assert!(names.insert(op.name()), "{} registered twice", op.name());
        // And it reads back.
        let back: Op = serde_json::from_value(json).unwrap();
        assert_eq!(back, op);
    }
    let mut shaders = HashSet::new();
    for k in ops::kernels() {
        assert!(shaders.insert(k.name), "kernel {} registered twice", k.name);
        assert!(k.wgsl.contains("fn main("), "{}: a kernel is an entry-point shader", k.name);
    }
    for e in POINTWISE {
        assert!(shaders.insert(e.shader), "{} is both an op library and a kernel", e.shader);
        assert!(e.wgsl.contains(&format!("fn {}_node(", e.shader)), "{}: no {}_node function", e.name, e.shader);
    }
}

#[test]
fn the_add_node_menu_and_parameter_schema_come_from_the_registry() {
    let menu = Op::menu();
    let labels: Vec<&str> = menu.iter().map(|(l, _)| *l).collect();
    for label in
        ["Primaries", "Curves", "Blur", "Sharpen", "Noise reduction", "Glow / halation", "Film grain", "Vignette"]
    {
        assert!(labels.contains(&label), "{label} missing from {labels:?}");
    }
    for (label, op) in &menu {
        assert!(op.validate().is_ok(), "{label}: a new node must be valid");
        // Every generic parameter starts at its neutral value in a new node except where the op's
        // default is not neutral (a sharpen radius is 1 with amount 0), and setting it sticks.
        let mut edited = op.clone();
        for (i, p) in op.params().iter().enumerate() {
            assert!(edited.set_param(i, p.kind.neutral()), "{label}: {}", p.label);
            assert_eq!(edited.params()[i].value, p.kind.neutral(), "{label}: {}", p.label);
        }
        assert!(!edited.set_param(op.params().len(), ops::ParamValue::Number(1.0)));
    }
    let blur = menu.iter().find(|(l, _)| *l == "Blur").unwrap().1.clone();
    let p = &blur.params()[0];
    assert_eq!((p.label, p.unit), ("Blur radius", "px"));
}
