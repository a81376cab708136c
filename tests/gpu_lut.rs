//! The LUT node as WGSL (`lut.wgsl`: 3D texture + 1D storage buffer, hand-written tetrahedral and
//! trilinear interpolation) on a real wgpu device against `CubeFile::apply`, which is itself checked
//! against OpenColorIO 2.6 (`interchange::cube_tests`), on the real LUTs in tests/data/interchange.
//!
//! Tolerance 1e-5 (error relative to max(1, the pixel's largest channel), i.e. absolute for these
//! 0..1 LUTs); measured 0 (bit-exact) on lavapipe for every file and both interpolations.

mod common;

use std::path::PathBuf;

use cinegrade::gpu::{GpuContext, GpuError, GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::interchange::Interpolation;
use cinegrade::media::{self, Frame};
use cinegrade::ops::lut::Lut;

const TOLERANCE: f32 = 1e-5;

/// A real photograph plus ramps from −0.5 to 2.5, beyond every fixture's domain on both sides.
fn test_frame() -> Frame {
    let photo = media::load(&common::data("frames/chelsea.png")).expect("load chelsea").frame.crop(120, 60, 64, 40);
    let rows = 8;
    let (w, h) = (photo.width, photo.height + rows);
    Frame::from_fn(w, h, |x, y| {
        if y < photo.height {
            return photo.pixel(x, y);
        }
        let t = (x + (y - photo.height) * w) as f32 / (w * rows - 1) as f32;
        let ramp = |t: f32| -0.5 + 3.0 * t;
        [ramp(t), ramp(1.0 - t), ramp((t * 7.0) % 1.0), 1.0]
    })
}

fn fixture(name: &str) -> PathBuf {
    common::data(&format!("interchange/{name}"))
}

fn lut_grade(path: PathBuf, interpolation: Interpolation, mix: f32) -> Grade {
    let mut node = Node::new(Op::Lut(Lut { path, interpolation }));
    node.mix = mix;
    Grade { nodes: vec![node], ..Grade::default() }
}

fn run(ctx: &GpuContext, grade: &Grade, frame: &Frame) -> Result<Frame, GpuError> {
    let source = GpuFrame::upload(ctx, frame)?;
    executor::apply_grade(ctx, grade, &source)?.download(ctx)
}

fn check(ctx: &GpuContext, grade: &Grade, frame: &Frame, what: &str) -> f32 {
    let gpu = run(ctx, grade, frame).expect("render");
    let cpu = common::cpu_apply(grade, frame);
    let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
    println!("{what:<50} {err:.1e}");
    assert!(
        err <= TOLERANCE,
        "{what}: error {err:e} at {:?}: gpu {:?} cpu {:?}",
        frame.pixels[at],
        gpu.pixels[at],
        cpu.pixels[at]
    );
    assert!(gpu.pixels.iter().zip(&frame.pixels).all(|(g, f)| g[3] == f[3]), "{what}: alpha changed");
    err
}

#[test]
fn real_luts_match_the_cpu_reference_both_interpolations() {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    for name in [
        "classic_film.cube",
        "teal_and_orange_cinema.cube",
        "resolve_combined.cube",
        "iridas_3d.cube",
        "iridas_1d.cube",
    ] {
        for interp in Interpolation::ALL {
            let grade = lut_grade(fixture(name), interp, 1.0);
            check(&ctx, &grade, &frame, &format!("{name} {interp}"));
        }
    }
}

#[test]
fn mix_and_a_chain_with_other_nodes() {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let mut grade = lut_grade(fixture("teal_and_orange_cinema.cube"), Interpolation::Tetrahedral, 0.4);
    grade
        .nodes
        .push(Node::new(Op::Primaries(cinegrade::ops::primaries::Primaries { saturation: 1.2, ..Default::default() })));
    grade.nodes.push(Node::new(Op::Lut(Lut::new(fixture("classic_film.cube")))));
    check(&ctx, &grade, &frame, "lut mix 0.4 + primaries + lut");
}

#[test]
fn uploads_are_cached_until_the_file_changes() {
    // A context of its own, so other tests' uploads do not count.
    let Some(shared) = common::gpu() else { return };
    let ctx = GpuContext::from_device(shared.adapter_info.clone(), shared.device.clone(), shared.queue.clone());
    let dir = common::temp_dir("lut-cache");
    let path = dir.join("look.cube");
    std::fs::copy(fixture("teal_and_orange_cinema.cube"), &path).unwrap();
    let frame = test_frame();
    let grade = lut_grade(path.clone(), Interpolation::Tetrahedral, 1.0);
    let first = run(&ctx, &grade, &frame).unwrap();
    let again = run(&ctx, &grade, &frame).unwrap();
    assert_eq!(ctx.lattices.uploads(), 1, "a re-render re-uses the uploaded tables");
    assert!(first.pixels == again.pixels);
    // A different LUT written to the same path is picked up on the next render.
    std::fs::copy(fixture("classic_film.cube"), &path).unwrap();
    let changed = run(&ctx, &grade, &frame).unwrap();
    assert_eq!(ctx.lattices.uploads(), 2);
    assert!(changed.pixels != first.pixels);
    let cpu = common::cpu_apply(&grade, &frame);
    assert!(common::max_error(&changed.pixels, &cpu.pixels).0 <= TOLERANCE);
    // Same length, other contents, a later modification time: the time alone tells the cache.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = lines.iter().rposition(|l| l.contains('0') && l.starts_with(|c: char| c.is_ascii_digit())).unwrap();
    let swapped: String = lines[row]
        .chars()
        .map(|c| {
            if c == '0' {
                '1'
            } else if c == '1' {
                '0'
            } else {
                c
            }
        })
        .collect();
    assert_ne!(swapped, lines[row]);
    lines[row] = swapped;
    let edited = lines.join("\n") + if text.ends_with('\n') { "\n" } else { "" };
    assert_eq!(edited.len(), text.len());
    std::fs::write(&path, edited).unwrap();
    let later = std::fs::metadata(&path).unwrap().modified().unwrap() + std::time::Duration::from_secs(10);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
    let edited = run(&ctx, &grade, &frame).unwrap();
    assert_eq!(ctx.lattices.uploads(), 3, "a same-size file with a new modification time is read again");
    assert!(edited.pixels != changed.pixels);
}

#[test]
fn a_missing_or_broken_lut_is_an_error_naming_the_file() {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let missing = lut_grade(PathBuf::from("/no/such/look.cube"), Interpolation::Tetrahedral, 1.0);
    let err = run(&ctx, &missing, &frame).expect_err("missing file");
    assert!(err.to_string().starts_with("/no/such/look.cube: "), "{err}");
    let dir = common::temp_dir("lut-broken");
    let bad = dir.join("bad.cube");
    std::fs::write(&bad, "LUT_3D_SIZE 2\n0 0 0\n1 0\n").unwrap();
    let err = run(&ctx, &lut_grade(bad, Interpolation::Tetrahedral, 1.0), &frame).expect_err("broken file");
    assert!(err.to_string().contains("bad.cube:3: "), "{err}");
}
