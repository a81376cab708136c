//! Every primaries control run as WGSL on a real wgpu device and compared with the Rust reference.
//!
//! Tolerance: 1e-5 relative (absolute below 1), f32 on both sides; pow() differs by a few ulp between
//! GPU drivers and Rust's libm, well inside it.

mod common;

use cinegrade::color::cdl::{Cdl, CdlStyle};
use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame};
use cinegrade::ops::primaries::{Primaries, Wheel};

const TOLERANCE: f32 = 1e-5;

/// A real photograph (display-referred, 0..1) beside a synthetic strip with negatives and HDR values.
fn test_frame() -> Frame {
    let photo = media::load(&common::data("frames/chelsea.png")).expect("load chelsea").frame.crop(100, 60, 96, 64);
    let (w, h) = (photo.width, photo.height + 16);
    Frame::from_fn(w, h, |x, y| {
        if y < photo.height {
            photo.pixel(x, y)
        } else {
            // Ramps from -0.5 to 8 with per-channel phase, so every branch of every op is visited.
            let t = (x as f32 + (y - photo.height) as f32 * w as f32) / (w * 16) as f32;
            [-0.5 + 8.5 * t, -0.5 + 8.5 * (1.0 - t), -0.5 + 8.5 * ((t * 7.0) % 1.0), 1.0]
        }
    })
}

/// Applies `grade` on the GPU and, node by node, on the CPU, and compares.
fn check(grade: &Grade, what: &str) {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let source = GpuFrame::upload(&ctx, &frame).expect("upload");
    let gpu = executor::apply_grade(&ctx, grade, &source).expect("grade").download(&ctx).expect("download");
    let cpu = common::cpu_apply(grade, &frame);
    common::assert_close(&gpu.pixels, &cpu.pixels, TOLERANCE, what);
    // Both sides read the same uniform: a control dropped before the shader would pass the
    // comparison above, so the case must at least change the picture.
    let changed = gpu.pixels.iter().zip(&frame.pixels).filter(|(g, f)| g[..3] != f[..3]).count();
    assert!(changed > frame.pixels.len() / 2, "{what}: only {changed} pixels changed: the case tests nothing");
    // The alpha channel and the source frame are never touched.
    assert!(gpu.pixels.iter().zip(&frame.pixels).all(|(g, f)| g[3] == f[3]), "{what}: alpha changed");
    assert!(source.download(&ctx).expect("download source").pixels == frame.pixels, "{what}: source changed");
}

fn primaries(f: impl FnOnce(&mut Primaries)) -> Grade {
    let mut p = Primaries::default();
    f(&mut p);
    Grade::with_primaries(p)
}

#[test]
fn neutral_grade_is_exact_passthrough() {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    for grade in [Grade::default(), Grade::with_primaries(Primaries::default())] {
        let out = executor::apply_grade(&ctx, &grade, &source).unwrap().download(&ctx).unwrap();
        assert!(out.pixels == frame.pixels, "a neutral grade must not change a single bit");
    }
}

#[test]
fn exposure() {
    check(&primaries(|p| p.exposure = 1.5), "exposure +1.5");
    check(&primaries(|p| p.exposure = -2.25), "exposure -2.25");
}

#[test]
fn white_balance_temperature_and_tint() {
    check(&primaries(|p| p.temperature = 3200.0), "tungsten 3200 K");
    check(&primaries(|p| p.temperature = 9000.0), "shade 9000 K");
    check(&primaries(|p| p.tint = 15.0), "tint +15");
    check(&primaries(|p| p.tint = -20.0), "tint -20");
}

#[test]
fn cdl_slope_offset_power_saturation_no_clamp() {
    check(&primaries(|p| p.cdl.slope = [1.2, 0.9, 1.05]), "cdl slope");
    check(&primaries(|p| p.cdl.offset = [0.02, -0.03, 0.01]), "cdl offset");
    check(&primaries(|p| p.cdl.power = [1.3, 0.8, 1.1]), "cdl power");
    check(&primaries(|p| p.cdl.saturation = 1.4), "cdl saturation");
}

#[test]
fn cdl_asc_clamping_style() {
    check(
        &primaries(|p| {
            p.cdl = Cdl { slope: [1.5, 1.0, 0.7], offset: [-0.1, 0.05, 0.0], power: [0.9, 1.2, 1.0], saturation: 1.3 };
            p.cdl_style = CdlStyle::Asc;
        }),
        "cdl asc",
    );
}

#[test]
fn lift_gamma_gain_offset_wheels() {
    check(&primaries(|p| p.lift = Wheel { rgb: [0.05, -0.02, 0.0], master: 0.03 }), "lift");
    check(&primaries(|p| p.gamma = Wheel { rgb: [1.2, 0.9, 1.0], master: 1.1 }), "gamma");
    check(&primaries(|p| p.gain = Wheel { rgb: [1.1, 1.0, 0.85], master: 1.2 }), "gain");
    check(&primaries(|p| p.offset = Wheel { rgb: [0.01, 0.0, -0.02], master: 0.05 }), "offset");
}

#[test]
fn contrast_pivot_and_saturation() {
    check(&primaries(|p| p.contrast = 1.35), "contrast");
    check(
        &primaries(|p| {
            p.contrast = 0.7;
            p.pivot = 0.18
        }),
        "contrast with pivot 0.18",
    );
    check(&primaries(|p| p.saturation = 0.0), "monochrome");
    check(&primaries(|p| p.saturation = 1.8), "saturation 1.8");
}

#[test]
fn every_control_at_once_with_mix_and_a_node_chain() {
    let everything = Primaries {
        exposure: 0.4,
        temperature: 4800.0,
        tint: 5.0,
        cdl: Cdl { slope: [1.1, 1.0, 0.95], offset: [0.01, 0.0, -0.01], power: [1.05, 1.0, 0.95], saturation: 1.1 },
        lift: Wheel { rgb: [0.01, 0.0, 0.02], master: 0.0 },
        gamma: Wheel { rgb: [1.0, 1.05, 1.0], master: 0.95 },
        gain: Wheel { rgb: [1.0, 1.0, 1.1], master: 1.05 },
        offset: Wheel { rgb: [0.0, 0.0, 0.0], master: -0.01 },
        contrast: 1.2,
        pivot: 0.4,
        saturation: 0.9,
        ..Primaries::default()
    };
    check(&Grade::with_primaries(everything), "every control");
    let mut chain = Grade::with_primaries(everything);
    chain.nodes[0].mix = 0.6;
    chain.nodes.push(Node::new(Op::Primaries(Primaries { exposure: -0.5, saturation: 1.3, ..Primaries::default() })));
    let mut disabled = Node::new(Op::Primaries(Primaries { exposure: 5.0, ..Primaries::default() }));
    disabled.enabled = false;
    chain.nodes.push(disabled);
    chain.nodes.push(Node::new(Op::Primaries(Primaries { contrast: 1.1, ..Primaries::default() })));
    check(&chain, "three-node chain with mix and a disabled node");
    // Independently of the skipping both sides share: a disabled node renders exactly as its
    // absence does, and a grade of only disabled nodes leaves the pixels as they are.
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let render = |g: &Grade| executor::apply_grade(&ctx, g, &source).unwrap().download(&ctx).unwrap();
    let mut without = chain.clone();
    without.nodes.remove(2);
    assert_eq!(render(&chain), render(&without), "the disabled node is skipped");
    let mut all_off = chain.clone();
    for n in &mut all_off.nodes {
        n.enabled = false;
    }
    assert_eq!(render(&all_off).pixels, frame.pixels, "nothing enabled: the pixels pass through");
}

#[test]
fn reading_a_region_returns_exactly_those_pixels() {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let gpu = GpuFrame::upload(&ctx, &frame).unwrap();
    for (x, y, w, h) in [(0, 0, 1, 1), (5, 7, 1, 1), (10, 3, 17, 9), (90, 70, 50, 50)] {
        let region = gpu.read_region(&ctx, x, y, w, h).unwrap();
        let expected = frame.crop(x, y, w, h);
        assert_eq!((region.width, region.height), (expected.width, expected.height));
        assert!(region.pixels == expected.pixels, "region {x},{y} {w}x{h}");
    }
    assert!(gpu.read_region(&ctx, frame.width, 0, 1, 1).is_err());
}
