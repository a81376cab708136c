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
