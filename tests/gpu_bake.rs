//! `gpu::bake`: the baked table holds the pipeline's output at the lattice points (domain, axis
//! order and shaper are right), checked by applying the `.cube`, and the same bake written as CLF
//! (exact ACEScct shaper, Range, 3D table blue fastest), at those very inputs.

mod common;

use cinegrade::color::space::ColorSpace;
use cinegrade::color::transfer::{acescct_decode, acescct_encode};
use cinegrade::gpu::bake::{self, SHAPER_MAX, SHAPER_MIN};
use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::Grade;
use cinegrade::grade::pipeline::Pipeline;
use cinegrade::interchange::{Interpolation, clf_program, parse_clf, parse_cube, to_clf_string};
use cinegrade::media::Frame;

const SIZE: usize = 9;

/// Every lattice point's input (`value(code)` per channel) as a frame, red fastest.
fn lattice_frame(lo: f32, hi: f32, value: impl Fn(f32) -> f32) -> Frame {
    let n = SIZE;
    let code = |i: usize| lo + (hi - lo) * i as f32 / (n - 1) as f32;
    Frame::from_fn((n * n) as u32, n as u32, |x, y| {
        let (r, g, b) = (x as usize % n, x as usize / n, y as usize);
        [value(code(r)), value(code(g)), value(code(b)), 1.0]
    })
}

fn check(pipeline: &Pipeline, frame: &Frame, tol: f32, clf_tol: f32, what: &str) {
    let Some(ctx) = common::gpu() else { return };
    let grade = Grade::load(&common::data("../../examples/acescct_look.json")).unwrap();
    let grade = pipeline.build(&grade);
    let baked = bake::bake(&ctx, &grade, pipeline.input_space(), SIZE, what).unwrap();
    // Through text and back, as a reader would see it.
    let cube = parse_cube(&baked.to_cube_string().unwrap(), "bake.cube").unwrap();
    let source = GpuFrame::upload(&ctx, frame).unwrap();
    let gpu = executor::apply_grade(&ctx, &grade, &source).unwrap().download(&ctx).unwrap();
    let mut lut = frame.clone();
    for p in &mut lut.pixels {
        let rgb = cube.apply([p[0], p[1], p[2]], Interpolation::Tetrahedral);
        *p = [rgb[0], rgb[1], rgb[2], p[3]];
    }
    let (err, at) = common::max_error(&lut.pixels, &gpu.pixels);
    println!("{what:<40} {err:.1e} (tolerance {tol:.0e})");
    assert!(
        err <= tol,
        "{what}: {err:e} at input {:?}: lut {:?} gpu {:?}",
        frame.pixels[at],
        lut.pixels[at],
        gpu.pixels[at]
    );
    let clf = parse_clf(&to_clf_string(&baked.to_clf()).unwrap(), "bake.clf").unwrap();
    let program = clf_program::compile(&clf);
    let mut via_clf = frame.clone();
    for p in &mut via_clf.pixels {
        let rgb = clf_program::run(&program, [p[0], p[1], p[2]]);
        *p = [rgb[0], rgb[1], rgb[2], p[3]];
    }
    let (err, at) = common::max_error(&via_clf.pixels, &gpu.pixels);
    println!("{what:<40} as CLF {err:.1e} (tolerance {clf_tol:.0e})");
    assert!(
        err <= clf_tol,
        "{what} as CLF: {err:e} at input {:?}: clf {:?} gpu {:?}",
        frame.pixels[at],
        via_clf.pixels[at],
        gpu.pixels[at]
    );
}

#[test]
fn code_value_input_is_sampled_over_zero_to_one() {
    let pipeline = Pipeline {
        input: Some(ColorSpace::ArriLogC3Ei800),
        output: Some(ColorSpace::Rec709Display),
        ..Pipeline::default()
    };
    // At the lattice points the LUT is the pipeline, up to the rounding of the lattice coordinate.
    check(&pipeline, &lattice_frame(0.0, 1.0, |c| c), 1e-6, 1e-6, "LogC3 lattice points");
}

#[test]
fn scene_linear_input_goes_through_the_shaper() {
    let pipeline =
        Pipeline { input: Some(ColorSpace::Acescg), output: Some(ColorSpace::SrgbDisplay), ..Pipeline::default() };
    assert!(bake::needs_shaper(pipeline.input_space()));
    let hi = acescct_encode(SHAPER_MAX);
    assert_eq!(acescct_decode(0.0), SHAPER_MIN);
    // Linear inputs at the lattice's ACEScct codes: the shaper's linear interpolation of the
    // ACEScct curve (65536 entries) lands within ~1e-4 code of the node; measured 8.2e-5. The CLF
    // file's Log op is the curve itself: only f32 rounding of the code (and of the Range onto 0..1).
    let frame = lattice_frame(0.0, hi, acescct_decode);
    check(&pipeline, &frame, 2e-4, 1e-5, "ACEScg lattice points via the shaper");
}

#[test]
fn without_an_input_space_the_domain_is_zero_to_one_and_says_so() {
    let Some(ctx) = common::gpu() else { return };
    let baked = bake::bake(&ctx, &Grade::default(), None, 2, "identity").unwrap();
    let text = baked.to_cube_string().unwrap();
    assert!(text.contains("# Input domain: 0..1 (code values of the input named above"), "{text}");
    // An empty pipeline bakes the identity.
    let cube = parse_cube(&text, "id.cube").unwrap();
    assert_eq!(cube.apply([0.25, 0.5, 0.75], Interpolation::Trilinear), [0.25, 0.5, 0.75]);
    assert!(cube.lut1d.is_none());
}
