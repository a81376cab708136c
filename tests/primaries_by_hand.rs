//! Every primaries control rendered on the GPU against its published formula written out here by
//! hand, never through `Primaries::uniform()`: exposure (a gain of 2^stops), the ASC CDL v1.2
//! (slope, offset, power, saturation), the lift/gamma/gain/offset wheels with their masters,
//! contrast around the pivot, saturation around Rec.709 luma, the node's mix and its enable switch.
//! A control dropped or mis-scaled on the way to the shader (the bug class the twin tests cannot
//! see: both twins read the same uniform) fails here. White balance (temperature, tint) is checked
//! against colour-science in tests/color_reference.rs.

mod common;

use cinegrade::color::cdl::Cdl;
use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::Frame;
use cinegrade::ops::primaries::{Primaries, Wheel};

/// BT.709 luma weights (ITU-R BT.709-6 item 3.2).
const LUMA: [f32; 3] = [0.2126, 0.7152, 0.0722];

fn luma(c: [f64; 3]) -> f64 {
    c[0] * f64::from(LUMA[0]) + c[1] * f64::from(LUMA[1]) + c[2] * f64::from(LUMA[2])
}

/// The controls of one node, in the order the README documents.
struct Controls {
    exposure: f64,
    slope: [f64; 3],
    offset: [f64; 3],
    power: [f64; 3],
    cdl_saturation: f64,
    lift: ([f64; 3], f64),
    gamma: ([f64; 3], f64),
    gain: ([f64; 3], f64),
    wheel_offset: ([f64; 3], f64),
    contrast: f64,
    pivot: f64,
    saturation: f64,
}

/// The README's formula, step by step, in f64.
// Per channel, reading several parameter arrays in step, as the formulas are written.
#[allow(clippy::needless_range_loop)]
fn by_hand(k: &Controls, x: [f64; 3]) -> [f64; 3] {
    // 1. Exposure: a gain of 2^stops (no working space: the values are taken as linear light).
    let mut v = x.map(|c| c * 2f64.powf(k.exposure));
    // 2. CDL: (in × slope + offset) ^ power (no clamp: a negative passes the power by), then
    //    saturation around luma.
    for c in 0..3 {
        let t = v[c] * k.slope[c] + k.offset[c];
        v[c] = if t > 0.0 { t.powf(k.power[c]) } else { t };
    }
    let l = luma(v);
    v = v.map(|c| l + (c - l) * k.cdl_saturation);
    // 3. Wheels: lift and offset add their master, gamma and gain multiply by theirs;
    //    v = lift + x (gain − lift), then v^(1/gamma) where positive, then + offset.
    for c in 0..3 {
        let lift = k.lift.0[c] + k.lift.1;
        let gain = k.gain.0[c] * k.gain.1;
        let gamma = k.gamma.0[c] * k.gamma.1;
        let offset = k.wheel_offset.0[c] + k.wheel_offset.1;
        let mut t = lift + v[c] * (gain - lift);
        if t > 0.0 {
            t = t.powf(1.0 / gamma);
        }
        v[c] = t + offset;
    }
    // 4. Contrast around the pivot, then saturation around luma.
    v = v.map(|c| (c - k.pivot) * k.contrast + k.pivot);
    let l = luma(v);
    v.map(|c| l + (c - l) * k.saturation)
}

fn primaries(k: &Controls) -> Primaries {
    let f = |a: [f64; 3]| a.map(|v| v as f32);
    let wheel = |(rgb, master): ([f64; 3], f64)| Wheel { rgb: f(rgb), master: master as f32 };
    Primaries {
        exposure: k.exposure as f32,
        cdl: Cdl { slope: f(k.slope), offset: f(k.offset), power: f(k.power), saturation: k.cdl_saturation as f32 },
        lift: wheel(k.lift),
        gamma: wheel(k.gamma),
        gain: wheel(k.gain),
        offset: wheel(k.wheel_offset),
        contrast: k.contrast as f32,
        pivot: k.pivot as f32,
        saturation: k.saturation as f32,
        ..Primaries::default()
    }
}

fn neutral() -> Controls {
    Controls {
        exposure: 0.0,
        slope: [1.0; 3],
        offset: [0.0; 3],
        power: [1.0; 3],
        cdl_saturation: 1.0,
        lift: ([0.0; 3], 0.0),
        gamma: ([1.0; 3], 1.0),
        gain: ([1.0; 3], 1.0),
        wheel_offset: ([0.0; 3], 0.0),
        contrast: 1.0,
        pivot: 0.435,
        saturation: 1.0,
    }
}

/// Colours from deep shadow to above 1, saturated and not, a negative among them.
fn swatches() -> Frame {
    let values = [0.0, 0.02, 0.1, 0.18, 0.35, 0.5, 0.8, 1.0, 1.6, 3.0];
    Frame::from_fn(30, 10, |x, y| {
        let v = values[(x % 10) as usize];
        let t = values[y as usize];
        match x / 10 {
            0 => [v, v, v, 1.0],
            1 => [v, t * 0.5, (v - t * 0.3).max(-0.05), 1.0],
            _ => [t, v * 0.7, v, 1.0],
        }
    })
}

/// Renders a node of `k` at `mix` on the GPU and checks every pixel against the formula: within
/// 5e-6 relative (f32 powers and a 3x3 matrix on the GPU against f64 here; measured on llvmpipe up
/// to 7.2e-7, every control at once).
fn check(name: &str, k: &Controls, mix: f32) {
    let Some(ctx) = common::gpu() else { return };
    let mut node = Node::new(Op::Primaries(primaries(k)));
    node.mix = mix;
    let grade = Grade { nodes: vec![node], ..Grade::default() };
    let frame = swatches();
    let out =
        executor::apply_grade(&ctx, &grade, &GpuFrame::upload(&ctx, &frame).unwrap()).unwrap().download(&ctx).unwrap();
    let mut worst = 0.0f64;
    let mut changed = false;
    for (got, src) in out.pixels.iter().zip(&frame.pixels) {
        let x = [src[0], src[1], src[2]].map(f64::from);
        let graded = by_hand(k, x);
        for c in 0..3 {
            let want = x[c] * (1.0 - f64::from(mix)) + graded[c] * f64::from(mix);
            let err = (f64::from(got[c]) - want).abs() / want.abs().max(1.0);
            worst = worst.max(err);
            changed |= (want - x[c]).abs() > 1e-4;
        }
        assert_eq!(got[3], src[3], "{name}: alpha untouched");
    }
    eprintln!("{name}: worst relative error {worst:e}");
    assert!(changed, "{name}: the control changes nothing, so checks nothing");
    assert!(worst <= 5e-6, "{name}: worst relative error {worst}");
}

#[test]
fn each_control_alone_follows_its_formula() {
    let n = neutral;
    check("exposure +1.5", &Controls { exposure: 1.5, ..n() }, 1.0);
    check("exposure -2", &Controls { exposure: -2.0, ..n() }, 1.0);
    check("cdl slope", &Controls { slope: [1.2, 0.9, 1.05], ..n() }, 1.0);
    check("cdl offset", &Controls { offset: [0.02, -0.03, 0.01], ..n() }, 1.0);
    check("cdl power", &Controls { power: [1.2, 0.8, 1.0], ..n() }, 1.0);
    check("cdl saturation", &Controls { cdl_saturation: 0.6, ..n() }, 1.0);
    check("lift", &Controls { lift: ([0.05, 0.0, -0.02], 0.0), ..n() }, 1.0);
    check("lift master", &Controls { lift: ([0.0; 3], 0.04), ..n() }, 1.0);
    check("gamma", &Controls { gamma: ([1.3, 1.0, 0.8], 1.0), ..n() }, 1.0);
    check("gamma master", &Controls { gamma: ([1.0; 3], 1.25), ..n() }, 1.0);
    check("gain", &Controls { gain: ([1.1, 0.95, 1.2], 1.0), ..n() }, 1.0);
    check("gain master", &Controls { gain: ([1.0; 3], 0.8), ..n() }, 1.0);
    check("offset wheel", &Controls { wheel_offset: ([0.01, -0.02, 0.03], 0.0), ..n() }, 1.0);
    check("offset master", &Controls { wheel_offset: ([0.0; 3], -0.015), ..n() }, 1.0);
    check("contrast and pivot", &Controls { contrast: 1.4, pivot: 0.3, ..n() }, 1.0);
    check("saturation", &Controls { saturation: 1.6, ..n() }, 1.0);
}

#[test]
fn every_control_at_once_at_a_partial_mix() {
    let k = Controls {
        exposure: 0.4,
        slope: [1.1, 0.97, 1.02],
        offset: [0.01, 0.0, -0.01],
        power: [1.05, 0.95, 1.1],
        cdl_saturation: 0.9,
        lift: ([0.01, 0.0, 0.02], -0.01),
        gamma: ([1.1, 1.0, 0.95], 1.05),
        gain: ([1.02, 1.0, 0.96], 1.1),
        wheel_offset: ([0.0, 0.005, -0.005], 0.01),
        contrast: 1.2,
        pivot: 0.4,
        saturation: 1.15,
    };
    check("every control, mix 1", &k, 1.0);
    check("every control, mix 0.6", &k, 0.6);
}

#[test]
fn a_disabled_node_renders_as_no_node() {
    let Some(ctx) = common::gpu() else { return };
    let frame = swatches();
    let mut node = Node::new(Op::Primaries(primaries(&Controls { exposure: 1.0, ..neutral() })));
    node.enabled = false;
    let grade = Grade { nodes: vec![node], ..Grade::default() };
    let out =
        executor::apply_grade(&ctx, &grade, &GpuFrame::upload(&ctx, &frame).unwrap()).unwrap().download(&ctx).unwrap();
    assert_eq!(out.pixels, frame.pixels, "bit for bit the source");
}
