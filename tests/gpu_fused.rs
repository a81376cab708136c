//! Fused pointwise passes (src/gpu/fused.rs): a whole colour pipeline in one pass, held to the CPU
//! reference of the same nodes run one by one; edits that change only parameters reuse the compiled
//! program and the bind groups; two recordings in one submission each read their own parameters.
//!
//! Tolerance: 1e-4 relative to the pixel's largest channel (`common::max_error`). A fused chain is
//! the same f32 arithmetic as the nodes one by one, but the compiler sees across node boundaries
//! (multiply-adds may fuse), and a log encode, two LUTs and a tone curve in a row magnify the last
//! bits (measured on llvmpipe: 1.1e-6); the single-op tests keep their own tighter tolerances.

mod common;

use cinegrade::color::cdl::{Cdl, CdlStyle};
use cinegrade::color::space::ColorSpace;
use cinegrade::gpu::executor;
use cinegrade::gpu::fused;
use cinegrade::gpu::graph::{self, FuseLimits, PassGraph, Program, StageKey};
use cinegrade::gpu::{GpuContext, GpuFrame, shaders};
use cinegrade::grade::pipeline::Pipeline;
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame};
use cinegrade::ops::POINTWISE;
use cinegrade::ops::blur::Blur;
use cinegrade::ops::curves::{Curve, Curves};
use cinegrade::ops::key::{Key, Window};
use cinegrade::ops::lut::Lut;
use cinegrade::ops::primaries::{Primaries, Wheel};
use cinegrade::ops::vignette::Vignette;

/// Measured (2026-12-01, llvmpipe): at most 2.5e-6 over every case here ("edit 0"); a factor 4 above
/// it, so a stage that drifts shows.
const TOLERANCE: f32 = 1e-5;

/// A crop of a real photograph (display-referred) as scene-linear light, with HDR highlights, a few
/// negatives and a varying alpha; 83x51 so partial workgroups are covered.
fn scene() -> Frame {
    let photo = media::load(&common::data("frames/chelsea.png")).expect("load chelsea").frame.crop(150, 50, 83, 51);
    Frame::from_fn(photo.width, photo.height, |x, y| {
        let p = photo.pixel(x, y);
        let lin = |v: f32| v.powf(2.2) * if x > 70 { 6.0 } else { 1.0 } - if y == 0 { 0.01 } else { 0.0 };
        [lin(p[0]), lin(p[1]), lin(p[2]), 0.25 + (x % 5) as f32 * 0.1]
    })
}

fn lut(name: &str) -> Op {
    Op::Lut(Lut::new(common::data(&format!("interchange/{name}"))))
}

fn look(exposure: f32, gain: f32) -> Primaries {
    Primaries {
        exposure,
        temperature: 5600.0,
        lift: Wheel { rgb: [0.01, 0.0, -0.01], master: 0.0 },
        gamma: Wheel { rgb: [1.0, 1.02, 0.98], master: 0.95 },
        gain: Wheel { rgb: [1.0, 1.0, 1.05], master: gain },
        contrast: 1.15,
        saturation: 1.1,
        ..Primaries::default()
    }
}

fn curves(lift: f32) -> Curves {
    Curves { master: Curve { points: vec![[0.0, 0.0], [0.3, 0.3 + lift], [1.0, 1.0]] }, ..Curves::default() }
}

/// Log camera input, a CDL, primaries, curves, two LUTs (one with a 1D shaper), a vignette at half
/// mix and a display output: what a colorist's grade looks like on the way to the viewer.
fn full_grade(exposure: f32, lift: f32) -> Grade {
    let mut grade = Grade::default();
    grade.nodes.push(Node::new(Op::Primaries(look(exposure, 1.05))));
    grade.nodes.push(Node::new(Op::Curves(curves(lift))));
    grade.nodes.push(Node::new(lut("teal_and_orange_cinema.cube")));
    grade.nodes.push(Node { mix: 0.7, ..Node::new(lut("resolve_combined.cube")) });
    grade.nodes.push(Node { mix: 0.5, ..Node::new(Op::Vignette(Vignette { amount: 0.4, ..Vignette::default() })) });
    let cdl = Cdl { slope: [1.1, 1.0, 0.95], offset: [0.01, 0.0, -0.01], power: [1.0, 1.05, 1.0], saturation: 0.9 };
    let pipeline = Pipeline {
        input: Some(ColorSpace::ArriLogC3Ei800),
        output: Some(ColorSpace::Rec709Display),
        cdl: Some((cdl, CdlStyle::NoClamp)),
        ..Pipeline::default()
    };
    pipeline.build(&grade)
}

fn check(gpu: &Frame, grade: &Grade, frame: &Frame, what: &str) {
    let cpu = common::cpu_apply(grade, frame);
    let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
    println!("{what}: worst error {err:.1e}");
    assert!(err <= TOLERANCE, "{what}: error {err:e} at pixel {at}: gpu {:?} cpu {:?}", gpu.pixels[at], cpu.pixels[at]);
    assert!(gpu.pixels.iter().zip(&frame.pixels).all(|(g, f)| g[3] == f[3]), "{what}: alpha changed");
}

/// A context of its own (sharing the device), so other tests' programs and bind groups don't count.
fn own_context(shared: &GpuContext) -> GpuContext {
    GpuContext::from_device(shared.adapter_info.clone(), shared.device.clone(), shared.queue.clone())
}

#[test]
fn every_stage_combination_generates_valid_wgsl() {
    let all: Vec<StageKey> = POINTWISE.iter().map(|e| StageKey { shader: e.shader, spec: None }).collect();
    let mut cases: Vec<Vec<StageKey>> = all.iter().map(|k| vec![*k]).collect();
    cases.push(all.clone());
    // Every kind twice (two LUTs and two curves share the tables buffer).
    cases.push(all.iter().chain(all.iter()).copied().collect());
    // Colour transforms written out: every decode and encode curve, each tone mode.
    let cst = |decode, encode, tone| StageKey { shader: "color_transform", spec: Some([decode, encode, tone, 0]) };
    cases.push((0..=16).map(|id| cst(id, 16 - id, id % 3)).collect());
    // Primaries written out for every working space's curve; LUTs for each of their parts.
    cases.push((0..=16).map(|id| StageKey { shader: "primaries", spec: Some([id, 0, 0, 0]) }).collect());
    let lut = |program, one, three, interp| StageKey { shader: "lut", spec: Some([program, one, three, interp]) };
    cases.push(vec![lut(1, 0, 0, 0), lut(0, 1, 1, 0), lut(0, 1, 0, 0), lut(0, 0, 1, 1), lut(0, 1, 1, 1)]);
    for stages in cases {
        let source = fused::source(&stages);
        let module = naga::front::wgsl::parse_str(&source)
            .unwrap_or_else(|e| panic!("{stages:?}: {}", e.emit_to_string(&source)));
        naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
            .validate(&module)
            .unwrap_or_else(|e| panic!("{stages:?} does not validate: {e:?}"));
    }
    // An op's own name still gives its single-stage pass.
    assert_eq!(shaders::source("lut"), Some(fused::source(&[StageKey { shader: "lut", spec: None }])));
}

/// A `.cube` LUT's stage calls neither the CLF interpreter nor the interpolation it does not use,
/// and primaries call their working space's curve directly: on llvmpipe a branch no pixel takes
/// still costs its whole body, which made the graded render about 5x slower (BENCHMARKS.md).
#[test]
fn specialised_stages_leave_out_the_code_they_never_run() {
    let body = |stage: StageKey| {
        let source = fused::source(&[stage]);
        source[source.find("fn main(").unwrap()..].to_string()
    };
    let key = |shader, spec| StageKey { shader, spec: Some(spec) };
    let cube = body(key("lut", [0, 1, 1, 0]));
    assert!(cube.contains("apply_3d_tetrahedral") && cube.contains("apply_1d"), "{cube}");
    assert!(!cube.contains("run_clf_program") && !cube.contains("trilinear"), "{cube}");
    let clf = body(key("lut", [1, 0, 0, 0]));
    assert!(clf.contains("run_clf_program") && !clf.contains("apply_3d"), "{clf}");
    let acescct = cinegrade::color::transfer::Transfer::Acescct.id();
    let primaries = body(key("primaries", [acescct, 0, 0, 0]));
    assert!(primaries.contains("acescct_decode(") && primaries.contains("acescct_encode("), "{primaries}");
    assert!(!primaries.contains("transfer_decode") && !primaries.contains("primaries("), "{primaries}");
    let linear = body(key("primaries", [cinegrade::color::transfer::Transfer::Linear.id(), 0, 0, 0]));
    assert!(!linear.contains("_decode") && !linear.contains("_encode"), "{linear}");
    // Primaries call the CDL clamp, the CDL power and the gamma only where they are set.
    use cinegrade::ops::primaries::{STEP_CLAMP, STEP_GAMMA, STEP_POWER};
    let steps = ["primaries_cdl_clamp(", "primaries_cdl_power(", "primaries_gamma("];
    assert!(steps.iter().all(|s| !linear.contains(s)), "{linear}");
    let all = body(key("primaries", [acescct, STEP_CLAMP | STEP_POWER | STEP_GAMMA, 0, 0]));
    assert!(steps.iter().all(|s| all.contains(s)), "{all}");
    let gamma = body(key("primaries", [acescct, STEP_GAMMA, 0, 0]));
    assert!(gamma.contains(steps[2]) && !gamma.contains(steps[0]) && !gamma.contains(steps[1]), "{gamma}");
    // And the registry specialises a node to the steps its controls use.
    let spec = |p: Primaries| <Primaries as cinegrade::ops::Pointwise>::specialise(&p.uniform_in(None)).unwrap()[1];
    assert_eq!(spec(Primaries::default()), 0);
    let graded = Primaries { gamma: Wheel { master: 1.1, ..Wheel::multiplicative() }, ..Primaries::default() };
    assert_eq!(spec(graded), STEP_GAMMA);
}

/// Each pass of a graph in a word: "fused N" (N stages), "keyed N" (N stages and a key) or its
/// shader.
fn shape(g: &PassGraph) -> Vec<String> {
    g.passes
        .iter()
        .map(|p| match &p.program {
            Program::Fused(stages) | Program::FusedDisplay(stages) => format!("fused {}", stages.len()),
            Program::FusedKeyed(stages, _) => format!("keyed {}", stages.len()),
            Program::Shader(name) | Program::Overridden(name, _) => name.to_string(),
        })
        .collect()
}

#[test]
fn a_colour_pipeline_records_as_one_pass_and_spatial_or_keyed_nodes_split_it() {
    let grade = full_grade(0.3, 0.02);
    // Recorded (not run) at 1920 wide, where a blur of radius 2 is 2 pixels.
    let g = graph::record(&grade, 1920, 1080, 0, FuseLimits { max_stages: 12, max_lattices: 15 }).unwrap();
    assert_eq!(shape(&g), ["fused 8"]);

    let mut split = grade.clone();
    split.nodes.insert(3, Node::new(Op::Blur(Blur { radius: 2.0 })));
    let mut keyed = Node::new(Op::Primaries(look(0.0, 1.2)));
    keyed.key = Some(Key { windows: vec![Window::default()], ..Key::default() });
    split.nodes.insert(5, keyed);
    let g = graph::record(&split, 1920, 1080, 0, FuseLimits::default()).unwrap();
    assert_eq!(
        shape(&g),
        ["fused 3", "gaussian", "gaussian", "fused 1", "keyed 1", "fused 4"],
        "input+cdl+primaries | blur | curves | keyed primaries and its key in one pass | luts+vignette+output"
    );

    // The device's limits split long runs: at most 3 stages and 1 LUT a pass here.
    let g = graph::record(&grade, 1920, 1080, 0, FuseLimits { max_stages: 3, max_lattices: 1 }).unwrap();
    assert_eq!(shape(&g), ["fused 3", "fused 2", "fused 3"], "input+cdl+primaries | curves+lut | lut+vignette+output");
}

#[test]
fn the_fused_pipeline_matches_the_nodes_one_by_one() {
    let Some(shared) = common::gpu() else { return };
    let ctx = own_context(&shared);
    let frame = scene();
    let grade = full_grade(0.3, 0.02);
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let out = executor::apply_grade(&ctx, &grade, &source).unwrap().download(&ctx).unwrap();
    check(&out, &grade, &frame, "log -> cdl -> primaries -> curves -> 2 luts -> vignette -> rec709");
    assert_eq!(ctx.pipelines.fused_built(), 1, "one program for the whole grade");
}

#[test]
fn edits_reuse_the_program_and_bind_groups_and_see_new_parameters() {
    let Some(shared) = common::gpu() else { return };
    let ctx = own_context(&shared);
    let frame = scene();
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let out = GpuFrame::new(&ctx, frame.width, frame.height).unwrap();
    let render = |grade: &Grade| {
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        executor::encode_grade(&ctx, &mut encoder, grade, 0, &source, &out).unwrap();
        ctx.queue.submit([encoder.finish()]);
        out.download(&ctx).unwrap()
    };
    // (A curve point off the diagonal from the start: a neutral node is skipped, so moving one off
    // the diagonal changes the grade's shape, and compiles that shape's program once.)
    let first = render(&full_grade(0.0, 0.005));
    let (programs, bindings) = (ctx.pipelines.built(), ctx.passes.bindings_built());
    // A colorist drags the exposure and a curve point: parameters only.
    for (i, exposure) in [0.1, 0.5, -0.7].into_iter().enumerate() {
        let grade = full_grade(exposure, 0.01 * (i + 1) as f32);
        let graded = render(&grade);
        assert!(graded.pixels != first.pixels, "the edit shows");
        check(&graded, &grade, &frame, &format!("edit {i}"));
    }
    assert_eq!(ctx.pipelines.built(), programs, "no pipeline rebuilt by a parameter edit");
    assert_eq!(ctx.passes.bindings_built(), bindings, "no bind group rebuilt by a parameter edit");
    // Frames that are dropped release their bind groups at the next encode.
    assert!(ctx.passes.cached_bindings() >= 1);
    drop((out, source));
    let other = GpuFrame::upload(&ctx, &frame).unwrap();
    executor::apply_grade(&ctx, &Grade::with_primaries(look(0.1, 1.0)), &other).unwrap();
    assert_eq!(ctx.passes.cached_bindings(), 1, "only the live frames' bind group is kept");
}

#[test]
fn two_recordings_in_one_submission_read_their_own_parameters() {
    let Some(ctx) = common::gpu() else { return };
    let frame = scene();
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let out = GpuFrame::new(&ctx, frame.width, frame.height).unwrap();
    let kept = GpuFrame::new(&ctx, frame.width, frame.height).unwrap();
    let (a, b) = (full_grade(0.4, 0.0), full_grade(-0.4, 0.03));
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    executor::encode_grade(&ctx, &mut encoder, &a, 0, &source, &out).unwrap();
    encoder.copy_texture_to_texture(out.texture.as_image_copy(), kept.texture.as_image_copy(), out.extent());
    executor::encode_grade(&ctx, &mut encoder, &b, 0, &source, &out).unwrap();
    ctx.queue.submit([encoder.finish()]);
    check(&kept.download(&ctx).unwrap(), &a, &frame, "first recording");
    check(&out.download(&ctx).unwrap(), &b, &frame, "second recording");
}
