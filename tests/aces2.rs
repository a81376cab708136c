//! The ACES 2.0 Output Transform against OpenColorIO 2.6 (`tests/data/color/aces2_reference.json`,
//! written by `make_aces2_reference.py` from OCIO's built-in transforms), on a synthetic sweep (greys
//! past the forward limit, primaries and secondaries of AP0, AP1 and Rec.709 from 1e-3 to 1000, very
//! saturated and slightly negative colours, random values) and on real pixels of three EXR frames.

mod common;

use cinegrade::color::aces2::Aces2;
use cinegrade::color::space::{ColorSpace, Conversion};
use cinegrade::color::spaces::{self, Chromaticities};
use serde_json::Value;

use common::{frame_of_values as frame_of, rgb_rows as rows, worst_relative as worst};

fn reference() -> Value {
    common::json("color/aces2_reference.json")
}

fn variant(key: &str) -> (f32, Chromaticities) {
    let mut parts = key.split('-');
    let _ = parts.next();
    let peak: f32 = parts.next().unwrap().parse().unwrap();
    let prims = match parts.next().unwrap() {
        "rec709" => spaces::REC709,
        "p3d65" => spaces::P3_D65,
        "rec2020" => spaces::REC2020,
        other => panic!("{other}"),
    };
    (peak, prims)
}

/// The rendering itself (display-linear light in the limiting primaries, 1.0 = 100 nits) against
/// OCIO's `ACES2065-1_to_CIE-XYZ-D65` built-ins taken back to those primaries. Tolerance 2e-4
/// relative to max(1, value): measured at most 1.2e-4 (sweep: at the gamut corners just below the
/// display clamp, where the cusp tables' interpolation matters most; real frames: 1.5e-5).
#[test]
fn rendering_matches_opencolorio_for_every_peak_and_gamut() {
    let r = reference();
    for (key, outputs) in r["core"].as_object().unwrap() {
        if key == "hdr-225-p3d65" {
            // The 108-nit cinema variant scales its output by 0.48 (a cinema encoding); not offered.
            continue;
        }
        let (peak, prims) = variant(key);
        let t = Aces2::new(peak, &prims);
        let to_rgb = spaces::xyz_to_rgb_matrix(&prims);
        for set in ["sweep", "frames"] {
            let inputs = rows(&r["inputs"][set]);
            let want: Vec<[f32; 3]> = rows(&outputs[set])
                .iter()
                .map(|xyz| spaces::mul3_vec(&to_rgb, xyz.map(f64::from)).map(|v| v as f32))
                .collect();
            let got: Vec<[f32; 3]> = inputs.iter().map(|v| t.forward(*v)).collect();
            let (err, i) = worst(&got, &want);
            println!("{key:<18} {set:<7} {err:.1e}");
            assert!(err <= 2e-4, "{key} {set}: {err:e} at {:?}: {:?} against {:?}", inputs[i], got[i], want[i]);
        }
    }
}

fn display(name: &str) -> ColorSpace {
    name.parse().unwrap()
}

/// What a display receives: `Conversion::aces2(aces2065-1 → display)` against OCIO's output
/// transform followed by its display encoding, in code values. Tolerance 2e-4 (code values 0..1):
/// measured at most 6.7e-5 (PQ: its steep low end magnifies the rendering's 1e-5; SDR 3.7e-5).
#[test]
fn every_display_matches_opencolorio_in_code_values() {
    let r = reference();
    for (name, outputs) in r["display"].as_object().unwrap() {
        let conv = Conversion::aces2(ColorSpace::Aces2065_1, display(name), None);
        for set in ["sweep", "frames"] {
            let inputs = rows(&r["inputs"][set]);
            let want = rows(&outputs[set]);
            let got: Vec<[f32; 3]> = inputs.iter().map(|v| conv.apply(*v)).collect();
            let (err, i) = worst(&got, &want);
            println!("{name:<14} {set:<7} {err:.1e}");
            assert!(err <= 2e-4, "{name} {set}: {err:e} at {:?}: {:?} against {:?}", inputs[i], got[i], want[i]);
        }
    }
}

/// Display code values back to the scene: `Conversion::aces2(display → aces2065-1)` against OCIO's
/// inverse of the same chain, on the code values the forward chain produced (so every value is one
/// the display can show). Within 1% of the display's peak code the inverse tone scale is singular
/// (a code step of 1e-4 there is a scene step of tens of stops' worth), so two correct f32
/// implementations disagree arbitrarily: those codes are held instead to the round trip below.
/// Elsewhere scene values span decades: tolerance 5e-4 relative to max(1, value), measured at most
/// 2.3e-4 (at codes near 0.97 of peak, where the inverse is already steep).
#[test]
fn every_display_inverts_as_opencolorio_does() {
    let r = reference();
    for (name, outputs) in r["inverse"].as_object().unwrap() {
        let space = display(name);
        let conv = Conversion::aces2(space, ColorSpace::Aces2065_1, None);
        let peak_code = space.transfer().encode([1.0; 3].map(|v| v * space.display_peak_nits().unwrap() / 100.0))[0];
        for set in ["sweep", "frames"] {
            let codes = rows(&r["display"][name.as_str()][set]);
            let want = rows(&outputs[set]);
            let keep: Vec<usize> =
                (0..codes.len()).filter(|&k| codes[k].iter().all(|v| *v < 0.99 * peak_code)).collect();
            // The sweep's bright half renders at the peak; most frame pixels do not.
            assert!(keep.len() >= 250, "{name} {set}: only {} of {} codes kept", keep.len(), codes.len());
            let got: Vec<[f32; 3]> = keep.iter().map(|&k| conv.apply(codes[k])).collect();
            let want: Vec<[f32; 3]> = keep.iter().map(|&k| want[k]).collect();
            let (err, i) = worst(&got, &want);
            println!("{name:<14} {set:<7} inverse {err:.1e} ({} codes)", keep.len());
            assert!(
                err <= 5e-4,
                "{name} {set}: {err:e} at code {:?}: {:?} against {:?}",
                codes[keep[i]],
                got[i],
                want[i]
            );
        }
    }
}

/// Every code a display can receive goes to the scene and back to the same light, up to the peak:
/// the inverse is the forward's inverse everywhere, its singular top end included. Compared in
/// display light as a fraction of the peak (code values would weigh PQ's near-black steps, 1e-7 of
/// the peak, like highlights), on OCIO's codes limited to the display's range (its forward puts a
/// few a hair above the peak, 1.0000067, which the inverse would clamp first). Tolerance 1e-3 of
/// the peak: ACES 2.0's gamut decompression is analytic only below the cusp's threshold, an
/// approximation above it, so codes on the gamut's top edge come back slightly moved, measured at
/// most 5.8e-4, exactly as in OpenColorIO (its own round trip of display-p3 code (1.0, 0.745274,
/// 0.998180) lands on (0.999965, 0.744888, 0.998167), ours on (0.999965, 0.744899, 0.998161)).
#[test]
fn display_to_scene_and_back_round_trips() {
    let r = reference();
    for name in r["display"].as_object().unwrap().keys() {
        let space = display(name);
        let peak = space.display_peak_nits().unwrap() / 100.0;
        let back = Conversion::aces2(space, ColorSpace::Aces2065_1, None);
        let forth = Conversion::aces2(ColorSpace::Aces2065_1, space, None);
        let light = |c: [f32; 3]| space.transfer().decode(c).map(|v| v / peak);
        let peak_code = space.transfer().encode([peak; 3])[0];
        for set in ["sweep", "frames"] {
            let codes: Vec<[f32; 3]> =
                rows(&r["display"][name.as_str()][set]).iter().map(|c| c.map(|v| v.clamp(0.0, peak_code))).collect();
            let again: Vec<[f32; 3]> = codes.iter().map(|c| light(forth.apply(back.apply(*c)))).collect();
            let want: Vec<[f32; 3]> = codes.iter().map(|c| light(*c)).collect();
            let (err, i) = worst(&again, &want);
            println!("{name:<14} {set:<7} round trip {err:.1e}");
            assert!(
                err <= 1e-3,
                "{name} {set}: {err:e}: {:?} came back as {:?}",
                codes[i],
                forth.apply(back.apply(codes[i]))
            );
        }
    }
}

fn aces2_node(from: ColorSpace, to: ColorSpace, peak: Option<u16>) -> cinegrade::grade::Grade {
    use cinegrade::grade::{Grade, Node, Op};
    use cinegrade::ops::color_transform::{ColorTransform, ToneMapping};
    let t = ColorTransform { from, to, tone_map: ToneMapping::Aces2, peak_nits: peak };
    Grade { nodes: vec![Node::new(Op::ColorTransform(t))], ..Grade::default() }
}

/// The WGSL (`shaders/ops/color_aces2.wgsl`) on a real wgpu device against the CPU twin, both ways,
/// for every display, on the sweep and the real pixels (and, for HDR, at every offered peak); the
/// inverse on the codes below 99% of the peak code.
/// Tolerance 5e-4 in code values (half a 10-bit code), relative to max(1, the pixel's largest
/// channel): the GPU's pow, atan2, cos and sin are not correctly rounded, and the rendering passes
/// through about forty of them. Measured on lavapipe at most 8e-5 (SDR 2.2e-5), except 3.3e-4 for
/// one extremely saturated cyan (AP0 0.92, 66.9, 50.7) at 4000 nits in P3-D65, where PQ's steep low
/// end magnifies a difference of 1e-6 of the peak in its dim red channel.
#[test]
fn the_shader_matches_its_cpu_twin_both_ways() {
    use cinegrade::gpu::{GpuFrame, executor};
    let Some(ctx) = common::gpu() else { return };
    let r = reference();
    let mut scene = rows(&r["inputs"]["sweep"]);
    scene.extend(rows(&r["inputs"]["frames"]));
    let scene_frame = frame_of(&scene);
    let run = |grade: &cinegrade::grade::Grade, frame: &cinegrade::media::Frame, what: &str| {
        let source = GpuFrame::upload(&ctx, frame).unwrap();
        let gpu = executor::apply_grade(&ctx, grade, &source).unwrap().download(&ctx).unwrap();
        let cpu = common::cpu_apply(grade, frame);
        let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
        println!("{what:<28} {err:.1e}");
        assert!(
            err <= 5e-4,
            "{what}: {err:e} at {:?}: gpu {:?} cpu {:?}",
            frame.pixels[at],
            gpu.pixels[at],
            cpu.pixels[at]
        );
    };
    for name in r["display"].as_object().unwrap().keys() {
        let space = display(name);
        let peaks: Vec<Option<u16>> = if space.display_peak_nits() == Some(100.0) {
            vec![None]
        } else {
            cinegrade::ops::color_transform::ACES2_HDR_PEAKS.iter().map(|p| Some(*p)).collect()
        };
        for peak in peaks {
            let forward = aces2_node(ColorSpace::Aces2065_1, space, peak);
            run(&forward, &scene_frame, &format!("{name} {peak:?}"));
        }
        // Below 99% of the peak code: above it the inverse is singular (see the OCIO test).
        let peak_code = space.transfer().encode([space.display_peak_nits().unwrap() / 100.0; 3])[0];
        let mut codes = rows(&r["display"][name.as_str()]["sweep"]);
        codes.extend(rows(&r["display"][name.as_str()]["frames"]));
        codes.retain(|c| c.iter().all(|v| *v < 0.99 * peak_code));
        run(&aces2_node(space, ColorSpace::Aces2065_1, None), &frame_of(&codes), &format!("{name} inverse"));
    }
}

/// End to end through the CLI on the GPU: the sweep and the real pixels as an ACES2065-1 EXR,
/// `render --input-space aces2065-1 --output-space <display> --tone-map aces2`, against OCIO's
/// display chains. The pipeline runs the grade in ACEScct between the two transforms, as a
/// colorist's render does. Tolerance 2e-4 in code values, measured at most 8.4e-5 (P3-D65 PQ).
#[test]
fn render_with_aces2_matches_opencolorio() {
    if common::gpu().is_none() {
        return;
    }
    let r = reference();
    let dir = common::temp_dir("aces2-render");
    let mut inputs = rows(&r["inputs"]["sweep"]);
    inputs.extend(rows(&r["inputs"]["frames"]));
    let frame = frame_of(&inputs);
    let input = dir.join("aces.exr");
    let options = cinegrade::media::SaveOptions {
        exr_depth: cinegrade::media::ExrDepth::Float,
        ..cinegrade::media::SaveOptions::default()
    };
    cinegrade::media::save(&frame, &input, &options).unwrap();
    for name in ["rec709-display", "srgb-display", "display-p3", "rec2100-pq", "p3d65-pq"] {
        let out = dir.join(format!("{name}.exr"));
        let args = [
            "render",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--depth",
            "float",
            "--input-space",
            "aces2065-1",
            "--output-space",
            name,
            "--tone-map",
            "aces2",
        ];
        let run = common::cinegrade(&args);
        assert!(run.status.success(), "{name}: {}", common::stderr(&run));
        let rendered = cinegrade::media::load(&out).unwrap().frame;
        let got: Vec<[f32; 3]> = rendered.pixels[..inputs.len()].iter().map(|p| [p[0], p[1], p[2]]).collect();
        let mut want = rows(&r["display"][name]["sweep"]);
        want.extend(rows(&r["display"][name]["frames"]));
        let (err, i) = worst(&got, &want);
        println!("{name:<14} {err:.1e}");
        assert!(err <= 2e-4, "{name}: {err:e} at {:?}: {:?} against {:?}", inputs[i], got[i], want[i]);
    }
    // A peak only HDR takes is refused, naming the flag.
    let out = dir.join("bad.exr");
    let bad = common::cinegrade(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--input-space",
        "aces2065-1",
        "--output-space",
        "rec709-display",
        "--tone-map",
        "aces2",
        "--peak-nits",
        "1000",
    ]);
    assert!(!bad.status.success());
    assert!(common::stderr(&bad).contains("--peak-nits"), "{}", common::stderr(&bad));
}

/// A grade between an inverse and a forward ACES 2.0 transform (a display-referred source graded in
/// ACEScct and delivered through ACES 2.0): each transform is a pass of its own, the grade's nodes
/// fuse between them, and the GPU matches the CPU. Inlined into one pass with two primaries nodes the
/// transform crashed lavapipe's compiler (Mesa 22.3); this is that grade.
#[test]
fn aces2_transforms_run_in_their_own_passes_around_a_fused_grade() {
    use cinegrade::gpu::graph::{FuseLimits, record};
    use cinegrade::gpu::{GpuFrame, executor};
    use cinegrade::grade::Grade;
    use cinegrade::grade::pipeline::Pipeline;
    use cinegrade::ops::color_transform::ToneMapping;
    let grade: Grade = serde_json::from_str(
        r#"{"version": 1, "nodes": [
            {"op": {"primaries": {"exposure": -0.2, "temperature": 5200, "contrast": 1.15, "pivot": 0.4}}},
            {"op": {"primaries": {"lift": {"rgb": [0.0, 0.005, 0.025], "master": 0.0}, "gain": {"rgb": [1.06, 1.0, 0.9], "master": 1.0}, "saturation": 1.15}}}
        ]}"#,
    )
    .unwrap();
    let pipeline = Pipeline {
        input: Some(ColorSpace::SrgbDisplay),
        output: Some(ColorSpace::Rec709Display),
        tone_map: ToneMapping::Aces2,
        ..Pipeline::default()
    };
    let full = pipeline.build(&grade);
    let graph = record(&full, 64, 32, 0, FuseLimits::default()).unwrap();
    assert_eq!(graph.passes.len(), 3, "inverse ACES 2.0 | two primaries fused | forward ACES 2.0");
    let Some(ctx) = common::gpu() else { return };
    let photo = cinegrade::media::load(&common::data("frames/chelsea.png")).unwrap().frame.crop(100, 60, 64, 32);
    let source = GpuFrame::upload(&ctx, &photo).unwrap();
    let gpu = executor::apply_grade(&ctx, &full, &source).unwrap().download(&ctx).unwrap();
    let cpu = common::cpu_apply(&full, &photo);
    let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
    println!("sRGB in, ACES 2.0 both ways around a grade: {err:.1e}");
    assert!(err <= 5e-4, "{err:e} at {:?}: gpu {:?} cpu {:?}", photo.pixels[at], gpu.pixels[at], cpu.pixels[at]);
}
