//! Colour math checked against published implementations: OpenColorIO's CDLTransform for the ASC CDL
//! (both styles) and colour-science for white balance. Generators live beside the fixtures.

mod common;

use cinegrade::color::cdl::{Cdl, CdlStyle};
use cinegrade::color::white_balance::white_balance_matrix;
use cinegrade::ops::primaries::{Primaries, apply_pixel};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(common::data(&format!("reference/{name}"))).expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

fn triple(v: &Value) -> [f32; 3] {
    let a = v.as_array().expect("array");
    [0, 1, 2].map(|i| a[i].as_f64().expect("number") as f32)
}

/// OCIO's float CPU path for the CDL; 1e-5 absolute (or relative above 1) covers its fast pow.
const CDL_TOLERANCE: f32 = 2e-5;

#[test]
fn cdl_matches_opencolorio_in_both_styles() {
    let reference = fixture("cdl_reference.json");
    let inputs: Vec<[f32; 3]> = reference["inputs"].as_array().unwrap().iter().map(triple).collect();
    let cases = reference["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for case in cases {
        let cdl = Cdl {
            slope: triple(&case["slope"]),
            offset: triple(&case["offset"]),
            power: triple(&case["power"]),
            saturation: case["saturation"].as_f64().unwrap() as f32,
        };
        let style = match case["style"].as_str().unwrap() {
            "asc" => CdlStyle::Asc,
            _ => CdlStyle::NoClamp,
        };
        // Both the standalone CDL and the primaries op (CDL only) must agree with OCIO.
        let primaries = Primaries { cdl, cdl_style: style, ..Primaries::default() }.uniform();
        for (input, expected) in inputs.iter().zip(case["outputs"].as_array().unwrap()) {
            let expected = triple(expected);
            for got in [cdl.apply(*input, style), apply_pixel(&primaries, *input)] {
                for c in 0..3 {
                    let err = (got[c] - expected[c]).abs() / expected[c].abs().max(1.0);
                    assert!(
                        err <= CDL_TOLERANCE,
                        "{} {}: {input:?} -> {got:?}, OCIO {expected:?}",
                        case["name"],
                        style.name()
                    );
                }
            }
        }
    }
}

#[test]
fn white_balance_matches_colour_science() {
    let reference = fixture("white_balance_reference.json");
    for case in reference["cases"].as_array().unwrap() {
        let kelvin = case["kelvin"].as_f64().unwrap() as f32;
        let m = white_balance_matrix(kelvin, 0.0);
        let expected: Vec<[f32; 3]> = case["matrix"].as_array().unwrap().iter().map(triple).collect();
        for r in 0..3 {
            for c in 0..3 {
                assert!(
                    (m[r][c] - expected[r][c]).abs() < 1e-5,
                    "{kelvin} K [{r}][{c}]: {} vs colour-science {}",
                    m[r][c],
                    expected[r][c]
                );
            }
        }
    }
}

#[test]
fn lift_gamma_gain_follow_their_definitions() {
    use cinegrade::ops::primaries::Wheel;
    // Lift moves black and keeps white; gain moves white and keeps black; gamma 2 maps 0.25 to 0.5.
    let lift = Primaries { lift: Wheel { rgb: [0.1; 3], master: 0.0 }, ..Primaries::default() }.uniform();
    let close = |a: [f32; 3], b: [f32; 3]| (0..3).all(|c| (a[c] - b[c]).abs() < 1e-6);
    assert!(close(apply_pixel(&lift, [0.0; 3]), [0.1; 3]));
    assert!(close(apply_pixel(&lift, [1.0; 3]), [1.0; 3]));
    assert!(close(apply_pixel(&lift, [0.5; 3]), [0.55; 3]));
    let gain = Primaries { gain: Wheel { rgb: [1.0; 3], master: 2.0 }, ..Primaries::default() }.uniform();
    assert_eq!(apply_pixel(&gain, [0.0; 3]), [0.0; 3]);
    assert_eq!(apply_pixel(&gain, [0.5; 3]), [1.0; 3]);
    let gamma = Primaries { gamma: Wheel { rgb: [2.0, 1.0, 1.0], master: 1.0 }, ..Primaries::default() }.uniform();
    assert_eq!(apply_pixel(&gamma, [0.25; 3]), [0.5, 0.25, 0.25]);
    // One stop of exposure doubles; contrast 2 around pivot 0.5 maps 0.75 to 1.
    let exposure = Primaries { exposure: 1.0, ..Primaries::default() }.uniform();
    assert_eq!(apply_pixel(&exposure, [0.2, 0.3, 4.0]), [0.4, 0.6, 8.0]);
    let contrast = Primaries { contrast: 2.0, pivot: 0.5, ..Primaries::default() }.uniform();
    assert_eq!(apply_pixel(&contrast, [0.75; 3]), [1.0; 3]);
    // Saturation 0 gives Rec.709 luma on every channel.
    let mono = Primaries { saturation: 0.0, ..Primaries::default() }.uniform();
    let y = apply_pixel(&mono, [1.0, 0.0, 0.0]);
    assert!((y[0] - 0.2126).abs() < 1e-7 && y[0] == y[1] && y[1] == y[2]);
}
