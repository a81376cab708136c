//! Exposure and white balance act in linear light whatever the working space (issue: primaries in a
//! log working space multiplied linear values by ~590 for one stop). Checked against values computed
//! without the primaries' own uniform: the working space's transfer and gamut (held to OpenColorIO
//! 2.6 in `src/color`), a factor of 2 per stop, and colour-science's Bradford white balance matrices
//! (`tests/data/reference/white_balance_reference.json`, `make_white_balance_reference.py`).

mod common;

use cinegrade::color::space::ColorSpace;
use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::pipeline::Pipeline;
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::Frame;
use cinegrade::ops::primaries::{Primaries, apply_pixel};

/// Linear light, darks to highlights, every channel different.
fn linear_samples() -> Vec<[f32; 3]> {
    (0..40)
        .map(|i| {
            let v = 0.002 * 1.28f32.powi(i);
            [v, v * 0.7 + 0.001, v * 1.3]
        })
        .collect()
}

fn matrix(m: [[f64; 3]; 3], v: [f32; 3]) -> [f32; 3] {
    let v = v.map(f64::from);
    [0, 1, 2].map(|r| (m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2]) as f32)
}

fn relative(a: [f32; 3], b: [f32; 3]) -> f32 {
    let scale = b.iter().fold(1e-6f32, |m, v| m.max(v.abs()));
    (0..3).map(|c| (a[c] - b[c]).abs() / scale).fold(0.0, f32::max)
}

#[test]
fn one_stop_doubles_linear_light_in_every_scene_working_space() {
    let p = Primaries { exposure: 1.0, ..Primaries::default() };
    for space in ColorSpace::ALL.into_iter().filter(|s| s.is_scene_referred()) {
        let u = p.uniform_in(Some(space));
        let mut worst = 0.0f32;
        // Within the range the curve encodes (Canon Log 3 clips its code values to 0..1, as OCIO's
        // built-in does: linear light beyond about 16 saturates).
        let t = space.transfer();
        let round_trips = |v: [f32; 3]| relative(t.decode(t.encode(v)), v) < 1e-6;
        for linear in linear_samples().into_iter().filter(|l| round_trips(l.map(|v| v * 2.0))) {
            let encoded = space.transfer().encode(linear);
            let out = space.transfer().decode(apply_pixel(&u, encoded));
            worst = worst.max(relative(out, linear.map(|v| v * 2.0)));
        }
        println!("{space}: worst relative error {worst:.1e}");
        // f32 log curves decoded and re-encoded: measured at most 2.4e-6.
        assert!(worst <= 1e-5, "{space}: +1 stop is not x2 in linear light (error {worst})");
    }
}

#[test]
fn white_balance_is_bradford_in_linear_light_in_every_working_space() {
    let text = std::fs::read_to_string(common::data("reference/white_balance_reference.json")).unwrap();
    let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
    for case in reference["cases"].as_array().unwrap() {
        let kelvin = case["kelvin"].as_f64().unwrap() as f32;
        let m = case["matrix"].as_array().unwrap();
        let wb709: [[f64; 3]; 3] =
            std::array::from_fn(|r| std::array::from_fn(|c| m[r].as_array().unwrap()[c].as_f64().unwrap()));
        let p = Primaries { temperature: kelvin, ..Primaries::default() };
        for space in ColorSpace::ALL {
            let u = p.uniform_in(Some(space));
            let (to709, from709) =
                (space.matrix_to(ColorSpace::LinearRec709), ColorSpace::LinearRec709.matrix_to(space));
            let (mut worst, mut checked) = (0.0f32, 0);
            let t = space.transfer();
            let round_trips = |v: [f32; 3]| relative(t.decode(t.encode(v)), v) < 1e-6;
            // Where the balanced light is inside what the working encoding holds (display encodings
            // clamp negatives; Canon Log 3 clips above code 1).
            // Greyish samples and warm ones, as light of a low temperature makes them.
            let warm = linear_samples().into_iter().map(|[v, _, _]| [v, 0.5 * v, 0.12 * v]);
            for linear in linear_samples().into_iter().step_by(4).chain(warm.step_by(4)) {
                let expected = matrix(from709, matrix(wb709, matrix(to709, linear)));
                if !round_trips(expected) {
                    continue;
                }
                let out = space.transfer().decode(apply_pixel(&u, space.transfer().encode(linear)));
                worst = worst.max(relative(out, expected));
                checked += 1;
            }
            assert!(checked >= 3, "{kelvin} K in {space}: only {checked} samples inside its encoding");
            // colour-science's matrices and ours agree to 1e-5 per element (color_reference.rs).
            assert!(worst <= 3e-5, "{kelvin} K in {space}: error {worst}");
        }
    }
}

#[test]
fn the_other_controls_keep_acting_on_working_values() {
    // Offset in ACEScct shifts code values: +0.057 is (about) one stop, as in Resolve.
    let p =
        Primaries { offset: cinegrade::ops::primaries::Wheel { rgb: [0.0; 3], master: 0.05 }, ..Default::default() };
    let u = p.uniform_in(Some(ColorSpace::Acescct));
    assert_eq!(u.linear_transfer, 0, "no decode when exposure and white balance are neutral");
    assert_eq!(apply_pixel(&u, [0.4, 0.5, 0.6]), [0.4f32 + 0.05, 0.5 + 0.05, 0.6 + 0.05]);
    // No working space known: the values are taken as linear, as before.
    let e = Primaries { exposure: 1.0, ..Primaries::default() }.uniform();
    assert_eq!(apply_pixel(&e, [0.25, 1.0, 3.0]), [0.5, 2.0, 6.0]);
}

#[test]
fn the_gpu_renders_exposure_in_linear_light_through_a_log_working_space() {
    let Some(ctx) = common::gpu() else { return };
    let frame = Frame::from_fn(64, 8, |x, y| {
        let v = 0.001 * 1.15f32.powi(x as i32) + 0.01 * y as f32;
        [v, v * 0.5, v * 1.5, 1.0]
    });
    for working in [ColorSpace::Acescct, ColorSpace::ArriLogC3Ei800, ColorSpace::SonySlog3SGamut3Cine] {
        let grade = Grade::with_primaries(Primaries { exposure: 1.0, temperature: 5600.0, ..Primaries::default() });
        let pipeline = Pipeline {
            input: Some(ColorSpace::LinearRec709),
            working,
            output: Some(ColorSpace::LinearRec709),
            ..Pipeline::default()
        };
        let grade = pipeline.build(&grade);
        let source = GpuFrame::upload(&ctx, &frame).unwrap();
        let gpu = executor::apply_grade(&ctx, &grade, &source).unwrap().download(&ctx).unwrap();
        let cpu = common::cpu_apply(&grade, &frame);
        let (err, _) = common::max_error(&gpu.pixels, &cpu.pixels);
        assert!(err <= 1e-5, "{working}: GPU vs CPU {err}");
        // Against linear Rec.709 x2 through colour-science's-equivalent white balance: the ratio of
        // output to input luminance is 2 within the white balance's own change of luminance.
        let wb = cinegrade::color::white_balance::white_balance_matrix(5600.0, 0.0);
        for (o, i) in gpu.pixels.iter().zip(&frame.pixels) {
            let expected = [0, 1, 2].map(|r| 2.0 * (wb[r][0] * i[0] + wb[r][1] * i[1] + wb[r][2] * i[2]));
            let e = relative([o[0], o[1], o[2]], expected);
            assert!(e <= 5e-5, "{working}: {o:?} vs {expected:?} ({e})");
        }
    }
    let _ = Op::Primaries(Primaries::default());
    let _ = Node::new(Op::Primaries(Primaries::default()));
}

#[test]
fn the_cli_doubles_linear_light_for_one_stop_in_the_default_acescct_working_space() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("exposure-cli");
    let grade = dir.join("stop.json");
    std::fs::write(&grade, r#"{"version": 1, "nodes": [{"op": {"primaries": {"exposure": 1.0}}}]}"#).unwrap();
    let input = common::data("frames/Desk_zip.exr");
    let out = dir.join("out.exr");
    let args = [
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--grade",
        grade.to_str().unwrap(),
        "--input-space",
        "linear-rec709",
        "--output-space",
        "linear-rec709",
        "--depth",
        "float",
    ];
    let run = common::cinegrade(&args);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let (a, b) = (cinegrade::media::load(&input).unwrap().frame, cinegrade::media::load(&out).unwrap().frame);
    let mut ratios: Vec<f32> = a
        .pixels
        .iter()
        .zip(&b.pixels)
        .flat_map(|(i, o)| (0..3).filter(|c| i[*c] > 0.01).map(move |c| o[c] / i[c]))
        .collect();
    ratios.sort_by(f32::total_cmp);
    let (lo, median, hi) = (ratios[ratios.len() / 100], ratios[ratios.len() / 2], ratios[ratios.len() * 99 / 100]);
    // The frame is half float: input and output each round to 11 bits.
    assert!((median - 2.0).abs() < 1e-3 && lo > 1.998 && hi < 2.002, "ratios {lo} {median} {hi}");
}
