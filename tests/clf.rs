//! CLF (SMPTE ST 2136-1) against OpenColorIO 2.6 on OpenColorIO's own CLF test files
//! (`tests/data/clf`, BSD-3-Clause, `LICENSE.OpenColorIO`): every legal file reads and evaluates as
//! OpenColorIO's CPU processor does (`clf_reference.json`, written by `make_clf_reference.py`), every
//! file in an `illegal/` folder is refused with its line.
//!
//! Tolerance: 1e-5 relative to the largest of 1 and the value for files of Matrix, LUT1D, LUT3D and
//! Range ops (the same f32 arithmetic as OpenColorIO's renderers; measured at most 5.4e-7); 2e-4
//! where a Log, Exponent or CDL power is involved: OpenColorIO's SSE2 build evaluates log2, exp2 and
//! pow with fast approximations (`pow(0.9, 2.4)` is off by 7.9e-6 relative, `pow(4, 2.4)` by 2.2e-5),
//! Rust with the correctly rounded functions; twelve exponent ops in a row reach 1.1e-4, four CDLs
//! 3.1e-5.

mod common;

use std::path::Path;

use cinegrade::interchange::clf::ClfOp;
use cinegrade::interchange::{clf_program, read_clf};
use serde_json::Value;

fn reference() -> Value {
    let text = std::fs::read_to_string(common::data("clf/clf_reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn triple(v: &Value) -> [f32; 3] {
    let a = v.as_array().unwrap();
    [0, 1, 2].map(|i| a[i].as_f64().unwrap() as f32)
}

fn is_illegal(name: &str) -> bool {
    name.split('/').any(|part| part == "illegal")
}

#[test]
fn every_legal_file_evaluates_as_opencolorio_does() {
    let reference = reference();
    let inputs: Vec<[f32; 3]> = reference["inputs"].as_array().unwrap().iter().map(triple).collect();
    let mut checked = 0;
    let mut worst_overall = (0.0f32, String::new());
    for (name, entry) in reference["files"].as_object().unwrap() {
        if is_illegal(name) {
            continue;
        }
        let path = common::data(&format!("clf/{name}"));
        let file = read_clf(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let program = clf_program::compile(&file);
        let exact_ops = file
            .ops
            .iter()
            .all(|op| matches!(op, ClfOp::Matrix(_) | ClfOp::Lut1d { .. } | ClfOp::Lut3d { .. } | ClfOp::Range { .. }));
        let tolerance = if exact_ops { 1e-5 } else { 2e-4 };
        let outputs: Vec<[f32; 3]> =
            entry["outputs"].as_array().unwrap_or_else(|| panic!("{name}")).iter().map(triple).collect();
        let mut worst = (0.0f32, 0usize);
        for (i, (input, expected)) in inputs.iter().zip(&outputs).enumerate() {
            let got = clf_program::run(&program, *input);
            for c in 0..3 {
                let (g, e) = (got[c], expected[c]);
                let err = if g == e || (g.is_nan() && e.is_nan()) { 0.0 } else { (g - e).abs() / e.abs().max(1.0) };
                let err = if err.is_nan() { f32::INFINITY } else { err };
                if err > worst.0 {
                    worst = (err, i);
                }
            }
        }
        let (err, at) = worst;
        println!("{name}: worst error {err:.1e}");
        assert!(
            err <= tolerance,
            "{name}: error {err:e} at {:?}: cinegrade {:?}, OpenColorIO {:?}",
            inputs[at],
            clf_program::run(&program, inputs[at]),
            outputs[at]
        );
        if err > worst_overall.0 {
            worst_overall = (err, name.clone());
        }
        checked += 1;
    }
    println!("worst of all: {:.1e} ({})", worst_overall.0, worst_overall.1);
    assert!(checked >= 35, "only {checked} legal files");
}

#[test]
fn every_illegal_file_is_refused_naming_the_file_and_line() {
    let reference = reference();
    let mut refused = 0;
    for name in reference["files"].as_object().unwrap().keys().filter(|n| is_illegal(n)) {
        let path = common::data(&format!("clf/{name}"));
        let err = read_clf(&path).map(|_| ()).expect_err(name);
        let text = err.to_string();
        let shown = path.display().to_string();
        assert!(text.starts_with(&format!("{shown}:")), "{name}: {text}");
        assert!(err.line().is_some_and(|l| l >= 1), "{name}: no line in {text}");
        println!("{name}: {}", text.strip_prefix(&shown).unwrap_or(&text));
        refused += 1;
    }
    assert!(refused >= 40, "only {refused} illegal files");
}

#[test]
fn bit_depths_scale_matrix_range_and_lut_values() {
    // A 10-bit in, 12-bit out matrix of 2: normalised it is 2 x 1023 / 4095.
    let text = r#"<ProcessList id="t" compCLFversion="3.0">
        <Matrix inBitDepth="10i" outBitDepth="12i"><Array dim="3 4">2 0 0 409.5  0 2 0 0  0 0 2 0</Array></Matrix>
        </ProcessList>"#;
    let file = cinegrade::interchange::parse_clf(text, "mem.clf").unwrap();
    let ClfOp::Matrix(m) = &file.ops[0] else { panic!() };
    assert!((m[0][0] - 2.0 * 1023.0 / 4095.0).abs() < 1e-12 && (m[0][3] - 0.1).abs() < 1e-12, "{m:?}");
    let bad = cinegrade::interchange::parse_clf(
        "<ProcessList id=\"t\" compCLFversion=\"3.0\">\n<Range inBitDepth=\"32f\" outBitDepth=\"32f\">\n<minInValue>x</minInValue></Range></ProcessList>",
        "bad.clf",
    )
    .unwrap_err();
    assert_eq!(bad.to_string(), "bad.clf:3: 'x' is not a number in the minInValue");
    assert!(Path::new(&common::data("clf/LICENSE.OpenColorIO")).exists());
}

/// The reference inputs, a real photograph, ramps from −0.5 to 2.5 and values out to beyond the
/// largest half float, as one frame.
fn gpu_test_frame(inputs: &[[f32; 3]]) -> cinegrade::media::Frame {
    let photo =
        cinegrade::media::load(&common::data("frames/chelsea.png")).expect("load chelsea").frame.crop(120, 60, 32, 8);
    let mut pixels: Vec<[f32; 4]> = photo.pixels.clone();
    pixels.extend(inputs.iter().map(|v| [v[0], v[1], v[2], 1.0]));
    for i in 0..256 {
        let t = i as f32 / 255.0;
        pixels.push([-0.5 + 3.0 * t, 2.5 - 3.0 * t, (t * 7.0) % 1.0, 1.0]);
    }
    for v in [1e-7f32, 6.1e-5, 0.001, 17.3, 1000.0, 65504.0, 65519.0, 70000.0, -1e-6, -3.0, -70000.0, 1e30] {
        pixels.push([v, -v, v * 0.5, 1.0]);
    }
    let width = 32;
    pixels.resize(pixels.len().div_ceil(width) * width, [0.18, 0.18, 0.18, 1.0]);
    let height = pixels.len() / width;
    cinegrade::media::Frame::from_fn(width as u32, height as u32, |x, y| pixels[x as usize + y as usize * width])
}

/// Every legal CLF file through a LUT node: the WGSL interpreter (`shaders/ops/lut_clf.wgsl`) on a real
/// wgpu device against the CPU twin (`clf_program::run`, checked against OpenColorIO above), alone
/// and at mix 0.4. Tolerance 2e-5 relative to max(1, the pixel's largest channel): the GPU's log2,
/// exp2 and pow are not correctly rounded (WGSL allows a few ulp), and a few ulp through twelve
/// chained exponent ops stay below it; LUT, matrix and range files measure 0 on lavapipe.
#[test]
fn every_legal_file_runs_on_the_gpu_as_its_cpu_twin() {
    use cinegrade::gpu::{GpuFrame, executor};
    use cinegrade::grade::{Grade, Node, Op};
    use cinegrade::ops::lut::Lut;

    let Some(ctx) = common::gpu() else { return };
    let reference = reference();
    let inputs: Vec<[f32; 3]> = reference["inputs"].as_array().unwrap().iter().map(triple).collect();
    let frame = gpu_test_frame(&inputs);
    let source = GpuFrame::upload(&ctx, &frame).expect("upload");
    let mut checked = 0;
    for name in reference["files"].as_object().unwrap().keys().filter(|n| !is_illegal(n)) {
        for mix in [1.0, 0.4] {
            let mut node = Node::new(Op::Lut(Lut::new(common::data(&format!("clf/{name}")))));
            node.mix = mix;
            let grade = Grade { nodes: vec![node], ..Grade::default() };
            let gpu = executor::apply_grade(&ctx, &grade, &source).and_then(|f| f.download(&ctx)).expect("render");
            let cpu = common::cpu_apply(&grade, &frame);
            let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
            println!("{name:<50} mix {mix}: {err:.1e}");
            assert!(
                err <= 2e-5,
                "{name} mix {mix}: error {err:e} at {:?}: gpu {:?} cpu {:?}",
                frame.pixels[at],
                gpu.pixels[at],
                cpu.pixels[at]
            );
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} files");
}

/// Range operators no file spells but a program can hold (a negative or zero scale with both
/// clamps, a constant) are written as a matrix and a clamp, or a constant matrix, and read back as
/// the same arithmetic: `out = clamp(in × scale + offset, low, high)`, worked out here.
#[test]
fn range_ops_of_any_scale_write_back_as_the_same_arithmetic() {
    use cinegrade::interchange::{ClfFile, ClfOp, parse_clf, to_clf_string};
    for (scale, offset, low, high) in
        [(-1.0, 1.0, 0.0, 1.0), (0.0, 0.3, 0.1, 0.9), (2.0, -0.5, 0.4, 0.4), (0.5, 0.1, 0.0, 1.0)]
    {
        let file = ClfFile {
            id: Some("range".into()),
            ops: vec![ClfOp::Range { scale, offset, low: Some(low), high: Some(high) }],
            ..ClfFile::default()
        };
        let text = to_clf_string(&file).unwrap();
        let again = parse_clf(&text, "range.clf").unwrap_or_else(|e| panic!("{e}\n{text}"));
        let program = clf_program::compile(&again);
        for v in [-0.5f32, 0.0, 0.25, 0.6, 1.0, 2.0] {
            let want = (f64::from(v) * scale + offset).clamp(low, high) as f32;
            let got = clf_program::run(&program, [v; 3]);
            assert!(
                (got[0] - want).abs() <= 1e-6,
                "scale {scale} offset {offset} [{low}, {high}] at {v}: {got:?} against {want}\n{text}"
            );
        }
    }
}

/// Every legal file written back as CLF 3.0 (`to_clf_string`) reads again and evaluates as the
/// original: exactly for LUTs, matrices, logs, exponents and CDLs (every number is printed so it
/// reads back as the same value); within 1e-6 where a Range's scale is recomputed from its limits.
#[test]
fn every_legal_file_writes_back_as_clf_that_evaluates_the_same() {
    use cinegrade::interchange::{parse_clf, to_clf_string};
    let reference = reference();
    let inputs: Vec<[f32; 3]> = reference["inputs"].as_array().unwrap().iter().map(triple).collect();
    for name in reference["files"].as_object().unwrap().keys().filter(|n| !is_illegal(n)) {
        let file = read_clf(&common::data(&format!("clf/{name}"))).unwrap();
        let text = to_clf_string(&file).unwrap();
        let again = parse_clf(&text, "written.clf").unwrap_or_else(|e| panic!("{name} as written: {e}\n{text}"));
        let id = file.id.clone().or(Some("cinegrade".into()));
        assert_eq!((&again.id, &again.descriptions), (&id, &file.descriptions), "{name}");
        let (a, b) = (clf_program::compile(&file), clf_program::compile(&again));
        for input in &inputs {
            let (x, y) = (clf_program::run(&a, *input), clf_program::run(&b, *input));
            for c in 0..3 {
                let err = if x[c] == y[c] || (x[c].is_nan() && y[c].is_nan()) {
                    0.0
                } else {
                    (x[c] - y[c]).abs() / x[c].abs().max(1.0)
                };
                assert!(err <= 1e-6, "{name}: {input:?} gives {x:?} read, {y:?} written and read again");
            }
        }
    }
}

/// Files in `tests/data/clf/written/` are what `to_clf_string` writes for the OpenColorIO test file
/// of the same name: they are in `clf_reference.json` too, so the first test holds what this writer
/// writes to what OpenColorIO reads from it. Byte for byte here, so a writer change must be
/// regenerated (`CINEGRADE_BLESS=1 cargo test --test clf`) and re-run through
/// `make_clf_reference.py`.
#[test]
fn written_files_are_what_the_writer_writes_today() {
    use cinegrade::interchange::to_clf_string;
    let dir = common::data("clf/written");
    let bless = std::env::var_os("CINEGRADE_BLESS").is_some();
    let mut checked = 0;
    for name in WRITTEN {
        let file = read_clf(&common::data(&format!("clf/{name}"))).unwrap();
        let text = to_clf_string(&file).unwrap();
        let path = dir.join(name);
        if bless {
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(committed == text, "{name}: the writer's output changed (see this test's comment)");
        checked += 1;
    }
    assert_eq!(checked, WRITTEN.len());
    // And OpenColorIO's answers for them are in the reference.
    let reference = reference();
    for name in WRITTEN {
        assert!(reference["files"][format!("written/{name}")]["outputs"].is_array(), "{name} not in the reference");
    }
}

/// The OpenColorIO test files whose rewrites are committed: every op and style the writer writes.
const WRITTEN: &[&str] = &[
    "multiple_ops.clf",
    "log_all_styles.clf",
    "exponent_all_styles.clf",
    "cdl_all_styles.clf",
    "range.clf",
    "range_test1_noclamp.clf",
    "lut1d_half_domain_raw_half_set.clf",
    "lut3d_bizarre.clf",
    "xyz_to_rgb.clf",
];
