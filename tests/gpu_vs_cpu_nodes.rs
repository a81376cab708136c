//! Curves, keys (qualifier, windows, matte blur) and the spatial passes (blur, sharpen, noise
//! reduction, glow, grain, vignette) run as WGSL on a real wgpu device and compared with the CPU
//! reference of the whole executor (`ops::reference`), on a crop of a real photograph whose size is
//! not a multiple of any workgroup, so every frame edge and partial workgroup is checked.
//!
//! Tolerances (relative, absolute below 1; see `common::assert_close`):
//! - pointwise ops (curves, vignette, key mixing): 1e-5, as primaries;
//! - spatial ops: 2e-5 (sums of up to 385 taps in f32 in the same order on both sides; GPUs may fuse
//!   multiply-adds, which moves the last bits);
//! - noise reduction: 1e-4 (its variance is a difference of two means, which cancels digits);
//! - film grain: 1e-4 (tanh differs between GPU drivers and Rust's libm by a few ulp, then is scaled).

mod common;

use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame};
use cinegrade::ops::blur::Blur;
use cinegrade::ops::curves::{Curve, Curves};
use cinegrade::ops::denoise::Denoise;
use cinegrade::ops::gaussian;
use cinegrade::ops::glow::{Glow, GlowMode, HALATION_TINT};
use cinegrade::ops::grain::Grain;
use cinegrade::ops::key::{Combine, HueRange, Key, Qualifier, Range, Shape, Window};
use cinegrade::ops::primaries::Primaries;
use cinegrade::ops::sharpen::Sharpen;
use cinegrade::ops::vignette::Vignette;

const POINTWISE: f32 = 1e-5;
const SPATIAL: f32 = 2e-5;
const DENOISE: f32 = 1e-4;
const GRAIN: f32 = 1e-4;

/// A 161x97 crop of a real photograph (display-referred), with a varying alpha. Radii in grades are
/// pixels of a 1920-wide frame, so on this crop they shrink 12-fold: some tests use radii beyond what
/// a grade file may hold (the executor does not care) to reach kernels wider than the frame.
fn photo() -> Frame {
    let photo = media::load(&common::data("frames/chelsea.png")).expect("load chelsea").frame.crop(140, 40, 161, 97);
    Frame::from_fn(photo.width, photo.height, |x, y| {
        let p = photo.pixel(x, y);
        [p[0], p[1], p[2], 0.5 + (x % 7) as f32 * 0.05]
    })
}

/// The photograph above a strip of ramps from -0.5 to 8 (negatives and HDR values for pointwise ops).
fn photo_and_ramps() -> Frame {
    let photo = photo();
    let (w, h) = (photo.width, photo.height + 16);
    Frame::from_fn(w, h, |x, y| {
        if y < photo.height {
            photo.pixel(x, y)
        } else {
            let t = (x as f32 + (y - photo.height) as f32 * w as f32) / (w * 16) as f32;
            [-0.5 + 8.5 * t, -0.5 + 8.5 * (1.0 - t), -0.5 + 8.5 * ((t * 7.0) % 1.0), 1.0]
        }
    })
}

fn gpu_grade(grade: &Grade, frame: &Frame, frame_number: u32) -> Option<Frame> {
    let ctx = common::gpu()?;
    let source = GpuFrame::upload(&ctx, frame).expect("upload");
    let out = executor::apply_grade_frame(&ctx, grade, frame_number, &source).expect("grade");
    Some(out.download(&ctx).expect("download"))
}

/// Applies `grade` on the GPU and with the CPU reference and compares; returns the GPU result.
fn check_on(grade: &Grade, frame: &Frame, frame_number: u32, tolerance: f32, what: &str) -> Option<Frame> {
    let gpu = gpu_grade(grade, frame, frame_number)?;
    let cpu = cinegrade::gpu::cpu::apply_grade(grade, frame_number, frame).expect("CPU reference");
    assert!(cpu.pixels != frame.pixels, "{what}: the grade changes nothing, so checks nothing");
    eprintln!("{what}: worst relative error {:e}", worst(&gpu.pixels, &cpu.pixels));
    common::assert_close(&gpu.pixels, &cpu.pixels, tolerance, what);
    assert!(gpu.pixels.iter().zip(&frame.pixels).all(|(g, f)| g[3] == f[3]), "{what}: alpha changed");
    Some(gpu)
}

fn worst(gpu: &[[f32; 4]], cpu: &[[f32; 4]]) -> f32 {
    gpu.iter()
        .zip(cpu)
        .flat_map(|(g, c)| (0..4).map(move |i| (g[i] - c[i]).abs() / c[i].abs().max(1.0)))
        .fold(0.0, f32::max)
}

fn node(op: Op) -> Grade {
    Grade { nodes: vec![Node::new(op)], ..Grade::default() }
}

fn keyed(op: Op, key: Key) -> Grade {
    let mut grade = node(op);
    grade.nodes[0].key = Some(key);
    grade
}

fn curve(points: &[[f32; 2]]) -> Curve {
    Curve { points: points.to_vec() }
}

#[test]
fn custom_curves_master_and_rgb() {
    let frame = photo_and_ramps();
    let c = Curves {
        master: curve(&[[0.0, 0.02], [0.25, 0.2], [0.75, 0.85], [1.0, 1.0]]),
        red: curve(&[[0.0, 0.0], [0.5, 0.55], [1.0, 1.0]]),
        blue: curve(&[[0.1, 0.0], [0.6, 0.5], [0.9, 1.1]]),
        ..Curves::default()
    };
    check_on(&node(Op::Curves(c.clone())), &frame, 0, POINTWISE, "master + red + blue curves");
    let mut mixed = node(Op::Curves(c));
    mixed.nodes[0].mix = 0.4;
    check_on(&mixed, &frame, 0, POINTWISE, "curves at mix 0.4");
}

#[test]
fn hue_and_saturation_curves() {
    let frame = photo_and_ramps();
    let c = Curves {
        hue_vs_hue: curve(&[[0.0, 0.05], [0.3, -0.1], [0.7, 0.0]]),
        hue_vs_saturation: curve(&[[0.05, 0.6], [0.5, -0.5], [0.9, 0.2]]),
        hue_vs_luma: curve(&[[0.1, -0.3], [0.6, 0.4]]),
        luma_vs_saturation: curve(&[[0.0, -0.5], [0.5, 0.3], [1.0, -0.8]]),
        saturation_vs_saturation: curve(&[[0.0, 0.0], [0.4, 0.5], [1.0, -0.2]]),
        ..Curves::default()
    };
    check_on(&node(Op::Curves(c)), &frame, 0, POINTWISE, "every vs curve");
}

#[test]
fn gaussian_blur_narrow_wide_and_split_into_several_passes() {
    let frame = photo();
    for radius in [3.0, 40.0, 300.0] {
        // 300 reference pixels are 25 pixels here; edges clamp on all four sides.
        check_on(&node(Op::Blur(Blur { radius })), &frame, 0, SPATIAL, &format!("blur radius {radius}"));
    }
    let mut mixed = node(Op::Blur(Blur { radius: 60.0 }));
    mixed.nodes[0].mix = 0.3;
    check_on(&mixed, &frame, 0, SPATIAL, "blur at mix 0.3");
    // σ 90 pixels: two pass pairs, kernels wider than the frame.
    let Some(ctx) = common::gpu() else { return };
    let passes = gaussian::passes(90.0);
    assert_eq!(passes.len(), 4);
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let out = GpuFrame::new(&ctx, frame.width, frame.height).unwrap();
    let mut graph = cinegrade::gpu::graph::PassGraph::new(frame.width, frame.height);
    graph.output = gaussian::record(&mut graph, &passes, cinegrade::gpu::graph::SOURCE);
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    cinegrade::gpu::runner::encode(&ctx, &mut encoder, &graph, &source, &out).unwrap();
    ctx.queue.submit([encoder.finish()]);
    let gpu = out.download(&ctx).unwrap();
    common::assert_close(&gpu.pixels, &gaussian::apply(&passes, &frame).pixels, SPATIAL, "σ 90 px in two pass pairs");
}

#[test]
fn unsharp_mask_with_threshold() {
    let frame = photo();
    let s = Sharpen { radius: 30.0, amount: 1.5, threshold: 0.0 };
    check_on(&node(Op::Sharpen(s)), &frame, 0, SPATIAL, "sharpen");
    check_on(&node(Op::Sharpen(Sharpen { threshold: 0.02, ..s })), &frame, 0, SPATIAL, "sharpen with threshold");
}

#[test]
fn noise_reduction_guided_filter() {
    let frame = photo();
    for (radius, luma, chroma) in [(40.0, 0.03, 0.06), (60.0, 0.0, 0.1), (12.0, 0.08, 0.0)] {
        let d = Denoise { radius, luma, chroma };
        let out = check_on(&node(Op::Denoise(d)), &frame, 0, DENOISE, &format!("denoise {radius} {luma} {chroma}"));
        if let Some(out) = out
            && luma == 0.0
        {
            // Chroma alone leaves luma where it was.
            let y = |p: [f32; 4]| 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
            assert!(out.pixels.iter().zip(&frame.pixels).all(|(a, b)| (y(*a) - y(*b)).abs() < 1e-5));
        }
    }
}

#[test]
fn glow_and_halation() {
    let frame = photo_and_ramps();
    let glow = Glow { threshold: 0.6, softness: 0.2, radius: 80.0, amount: 0.8, ..Glow::default() };
    check_on(&node(Op::Glow(glow)), &frame, 0, SPATIAL, "glow (screen)");
    let halation = Glow { tint: HALATION_TINT, mode: GlowMode::Add, threshold: 1.0, softness: 0.0, ..glow };
    check_on(&node(Op::Glow(halation)), &frame, 0, SPATIAL, "halation (add, hard threshold)");
}

#[test]
fn film_grain_is_deterministic_per_frame() {
    let frame = photo();
    let g = Grain { amount: 0.05, size: 20.0, softness: 0.3, colour: 0.4, response: 0.7, seed: 11 };
    let a = check_on(&node(Op::Grain(g)), &frame, 0, GRAIN, "grain frame 0");
    let b = check_on(&node(Op::Grain(g)), &frame, 1, GRAIN, "grain frame 1");
    check_on(&node(Op::Grain(Grain { size: 0.0, softness: 1.0, ..g })), &frame, 3, GRAIN, "per-pixel soft grain");
    if let (Some(a), Some(b)) = (a, b) {
        assert_ne!(a.pixels, b.pixels, "the next frame has new grain");
        assert_eq!(
            gpu_grade(&node(Op::Grain(g)), &frame, 0).unwrap().pixels,
            a.pixels,
            "the same frame the same grain"
        );
    }
}

#[test]
fn vignette_round_and_frame_shaped() {
    let frame = photo_and_ramps();
    let v = Vignette { amount: 0.6, size: 0.4, feather: 0.5, roundness: 1.0, center: [0.45, 0.55] };
    check_on(&node(Op::Vignette(v)), &frame, 0, POINTWISE, "round vignette");
    check_on(
        &node(Op::Vignette(Vignette { amount: -0.3, roundness: 0.0, feather: 0.0, ..v })),
        &frame,
        0,
        POINTWISE,
        "hard frame-shaped brightening vignette",
    );
}

fn warm() -> Op {
    Op::Primaries(Primaries { exposure: 0.7, temperature: 4000.0, saturation: 1.4, ..Primaries::default() })
}

#[test]
fn qualifier_with_clean_and_blur_through_a_primaries_node() {
    let frame = photo_and_ramps();
    let q = Qualifier {
        hue: HueRange { enabled: true, center: 0.08, width: 0.1, softness: 0.08 },
        saturation: Range { enabled: true, low: 0.15, high: 1.0, softness: 0.1 },
        luma: Range { enabled: true, low: 0.1, high: 0.9, softness: 0.2 },
        clean_black: 0.1,
        clean_white: 0.2,
        blur: 0.0,
    };
    let key = Key { qualifier: Some(q), ..Key::default() };
    check_on(&keyed(warm(), key.clone()), &frame, 0, POINTWISE, "hsl qualifier");
    let blurred = Key { qualifier: Some(Qualifier { blur: 50.0, ..q }), ..key.clone() };
    check_on(&keyed(warm(), blurred.clone()), &frame, 0, SPATIAL, "qualifier with matte blur");
    let matte = Key { show_matte: true, invert: true, ..blurred };
    let shown = check_on(&keyed(warm(), matte), &frame, 0, SPATIAL, "inverted matte shown");
    if let Some(shown) = shown {
        assert!(shown.pixels.iter().all(|p| p[0] == p[1] && p[1] == p[2] && (0.0..=1.0).contains(&p[0])), "grey matte");
    }
}

/// The key's matte runs packed four pixels to a texel (`ops::key::matte`); shown, it must be the
/// Gaussian of each pixel's qualifier matte as the plain blur computes it, on a frame 161 wide (the
/// last texel holds one pixel) and with kernels narrower and wider than the frame.
#[test]
fn the_packed_matte_blur_is_the_gaussian_of_the_qualifier_matte() {
    let frame = photo_and_ramps();
    let q = Qualifier {
        hue: HueRange { enabled: true, center: 0.08, width: 0.1, softness: 0.08 },
        saturation: Range { enabled: true, low: 0.15, high: 1.0, softness: 0.1 },
        ..Qualifier::default()
    };
    let raw = Frame::from_fn(frame.width, frame.height, |x, y| {
        let p = frame.pixel(x, y);
        let m = cinegrade::ops::key::qualifier_pixel(&q.uniform(), [p[0], p[1], p[2]]);
        [m, m, m, 1.0]
    });
    for blur in [0.0, 12.0, 30.0, 2000.0] {
        let q = Qualifier { blur, ..q };
        let want = gaussian::apply(&q.blur_passes(frame.width), &raw);
        let grade = keyed(warm(), Key { qualifier: Some(q), show_matte: true, ..Key::default() });
        let cpu = cinegrade::gpu::cpu::apply_grade(&grade, 0, &frame).expect("CPU reference");
        let grey = |f: &Frame| f.pixels.iter().map(|p| [p[0], p[0], p[0], 1.0]).collect::<Vec<_>>();
        // The same taps summed in another order, through up to 14 passes (blur 2000): 1.8e-6 measured.
        common::assert_close(&grey(&cpu), &want.pixels, 1e-5, &format!("CPU twins, blur {blur}"));
        let Some(gpu) = gpu_grade(&grade, &frame, 0) else { return };
        eprintln!("matte blur {blur}: worst error {:e}", worst(&grey(&gpu), &want.pixels));
        common::assert_close(&grey(&gpu), &want.pixels, SPATIAL, &format!("GPU, blur {blur}"));
    }
}

#[test]
fn windows_of_every_shape_with_softness_rotation_and_invert() {
    let frame = photo();
    let windows = vec![
        Window {
            shape: Shape::Ellipse,
            center: [0.3, 0.4],
            size: [0.5, 0.3],
            rotation: 30.0,
            softness_inside: 0.08,
            softness_outside: 0.02,
            ..Window::default()
        },
        Window {
            shape: Shape::Rectangle,
            center: [0.7, 0.7],
            size: [0.3, 0.2],
            rotation: -15.0,
            softness_inside: 0.0,
            softness_outside: 0.05,
            ..Window::default()
        },
        Window {
            shape: Shape::Gradient,
            center: [0.5, 0.1],
            rotation: 90.0,
            softness_inside: 0.15,
            softness_outside: 0.05,
            invert: true,
            ..Window::default()
        },
        Window {
            shape: Shape::Polygon,
            center: [0.25, 0.85],
            size: [1.2, 0.8],
            rotation: 20.0,
            points: vec![[-0.2, 0.05], [0.05, -0.25], [0.2, 0.1], [-0.05, 0.14]],
            softness_inside: 0.01,
            softness_outside: 0.03,
            ..Window::default()
        },
        Window { center: [0.6, 0.35], size: [1.3, 1.0], rotation: -35.0, ..Window::new_for(Shape::Bezier, 1.5) },
    ];
    for (i, w) in windows.iter().enumerate() {
        let key = Key { windows: vec![w.clone()], ..Key::default() };
        check_on(&keyed(warm(), key), &frame, 0, POINTWISE, &format!("window {i} ({:?})", w.shape));
    }
    let all = Key { windows: windows.clone(), invert: true, ..Key::default() };
    check_on(&keyed(warm(), all), &frame, 0, POINTWISE, "every window united, inverted");
    let q = Qualifier { luma: Range { enabled: true, low: 0.3, high: 0.7, softness: 0.1 }, ..Qualifier::default() };
    for combine in [Combine::Intersect, Combine::Union] {
        let key = Key { qualifier: Some(q), windows: windows[..2].to_vec(), combine, ..Key::default() };
        let mut grade = keyed(warm(), key);
        grade.nodes[0].mix = 0.7;
        check_on(&grade, &frame, 0, POINTWISE, &format!("qualifier {combine:?} windows at mix 0.7"));
    }
}

#[test]
fn keyed_spatial_nodes_in_a_chain() {
    let frame = photo();
    let window = Window {
        center: [0.5, 0.5],
        size: [0.6, 0.6],
        softness_inside: 0.1,
        softness_outside: 0.1,
        ..Window::default()
    };
    let mut grade = Grade::default();
    grade.nodes.push(Node::new(Op::Denoise(Denoise { radius: 30.0, luma: 0.02, chroma: 0.05 })));
    let mut sharpen = Node::new(Op::Sharpen(Sharpen { radius: 20.0, amount: 2.0, threshold: 0.01 }));
    sharpen.key = Some(Key { windows: vec![window.clone()], ..Key::default() });
    grade.nodes.push(sharpen);
    let mut disabled = Node::new(Op::Blur(Blur { radius: 50.0 }));
    disabled.enabled = false;
    grade.nodes.push(disabled);
    let mut glow = Node::new(Op::Glow(Glow { threshold: 0.5, amount: 0.5, radius: 60.0, ..Glow::default() }));
    glow.key = Some(Key { windows: vec![window], invert: true, ..Key::default() });
    glow.mix = 0.5;
    grade.nodes.push(glow);
    grade.nodes.push(Node::new(Op::Vignette(Vignette { amount: 0.4, ..Vignette::default() })));
    let q = Qualifier {
        saturation: Range { enabled: true, low: 0.3, high: 1.0, softness: 0.1 },
        blur: 20.0,
        ..Qualifier::default()
    };
    let mut blur = Node::new(Op::Blur(Blur { radius: 40.0 }));
    blur.key = Some(Key { qualifier: Some(q), ..Key::default() });
    grade.nodes.push(blur);
    check_on(
        &grade,
        &frame,
        0,
        DENOISE,
        "denoise, keyed sharpen, disabled blur, keyed glow at mix, vignette, keyed blur",
    );
}

#[test]
fn neutral_nodes_and_keys_are_exact_passthrough() {
    let frame = photo_and_ramps();
    let neutral = [
        Op::Curves(Curves::default()),
        Op::Blur(Blur::default()),
        Op::Sharpen(Sharpen::default()),
        Op::Denoise(Denoise::default()),
        Op::Glow(Glow::default()),
        Op::Grain(Grain::default()),
        Op::Vignette(Vignette::default()),
    ];
    for op in neutral {
        let name = op.name();
        let mut grade = keyed(op, Key::default());
        grade.nodes.push(Node::new(Op::Curves(Curves {
            master: curve(&[[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]]),
            ..Curves::default()
        })));
        let Some(out) = gpu_grade(&grade, &frame, 0) else { return };
        assert!(out.pixels == frame.pixels, "a neutral {name} node must not change a single bit");
    }
}

#[test]
fn scratch_frames_are_reused_per_size() {
    let Some(ctx) = common::gpu() else { return };
    let a = ctx.passes.scratch(&ctx, 33, 17, 1).unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &ctx.passes.scratch(&ctx, 33, 17, 1).unwrap()), "the same slot, the same frame");
    assert!(!std::sync::Arc::ptr_eq(&a, &ctx.passes.scratch(&ctx, 33, 17, 0).unwrap()), "another slot, another frame");
    let b = ctx.passes.scratch(&ctx, 17, 33, 1).unwrap();
    assert_eq!((b.width, b.height), (17, 33));
}
