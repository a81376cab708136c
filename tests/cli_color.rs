//! `cinegrade` end to end for colour management and interchange: `spaces`, `render` with
//! `--input-space/--output-space`, `--lut`, `--cdl`, malformed files, and `bake-lut` round trips.

mod common;

use common::{cinegrade, stderr};

use std::path::{Path, PathBuf};
use std::process::Output;

use cinegrade::color::cdl::CdlStyle;
use cinegrade::color::space::ColorSpace;
use cinegrade::grade::Grade;
use cinegrade::grade::pipeline::Pipeline;
use cinegrade::interchange::{self, Interpolation, read_cube};
use cinegrade::media::{self, Frame};

fn assert_one_line_error(out: &Output, needles: &[&str]) {
    // `render` exits 2 on bad input (nothing rendered), the other commands 1.
    assert!(matches!(out.status.code(), Some(1 | 2)), "exit status: {}", stderr(out));
    let err = stderr(out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} not in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

fn data(rel: &str) -> String {
    common::data(rel).to_string_lossy().into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Renders `input` with `args` to a float EXR in `dir` and loads the result.
fn render(dir: &Path, name: &str, input: &str, args: &[&str]) -> Frame {
    let out_path = dir.join(format!("{name}.exr"));
    let mut all = vec!["render", input, "-o", s(&out_path), "--depth", "float"];
    all.extend_from_slice(args);
    let out = cinegrade(&all);
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    media::load(&out_path).expect("load render").frame
}

fn load(rel: &str) -> Frame {
    media::load(&common::data(rel)).expect("load frame").frame
}

/// Writes `frame` as a float EXR in `dir` and returns its path.
fn save_exr(dir: &Path, name: &str, frame: &Frame) -> String {
    let path = dir.join(name);
    let options = media::SaveOptions { exr_depth: media::ExrDepth::Float, ..media::SaveOptions::default() };
    media::save(frame, &path, &options).expect("save EXR");
    s(&path).to_string()
}

/// A 192x160 crop of a real EXR frame (half float, 0..1, saturated colour patches and greys),
/// written to `dir`, so each render stays small on a software GPU.
fn exr_crop(dir: &Path) -> (String, Frame) {
    let frame = load("frames/MultiResolution_ColorCodedLevels.exr").crop(160, 176, 192, 160);
    (save_exr(dir, "crop.exr", &frame), frame)
}

/// `frame` as a display shows it, and an 8- or 16-bit file stores it: clamped to 0..1.
fn displayed(frame: &Frame) -> Frame {
    let mut out = frame.clone();
    for p in &mut out.pixels {
        *p = p.map(|v| v.clamp(0.0, 1.0));
    }
    out
}

/// A baked LUT against the GPU pipeline: the 99th percentile and the largest per-pixel error
/// (largest channel, absolute; display code values), each with its tolerance.
fn assert_bake_close(baked: &Frame, rendered: &Frame, p99_tol: f32, max_tol: f32, what: &str) {
    let mut errors: Vec<f32> = baked
        .pixels
        .iter()
        .zip(&rendered.pixels)
        .map(|(b, r)| (0..3).map(|c| (b[c] - r[c]).abs()).fold(0.0, f32::max))
        .collect();
    errors.sort_by(f32::total_cmp);
    let p99 = errors[(errors.len() - 1) * 99 / 100];
    let max = errors[errors.len() - 1];
    println!("{what:<45} p99 {p99:.1e} (tolerance {p99_tol:.0e}), max {max:.1e} ({max_tol:.0e})");
    assert!(p99 <= p99_tol && max <= max_tol, "{what}: p99 {p99:e}, max {max:e}");
}

/// The largest error of `got` against `want` (see `common::max_error`), with a message.
fn assert_within(got: &Frame, want: &Frame, tol: f32, what: &str) -> f32 {
    let (err, at) = common::max_error(&got.pixels, &want.pixels);
    println!("{what:<55} {err:.1e} (tolerance {tol:.0e})");
    assert!(err <= tol, "{what}: {err:e} > {tol:e}: got {:?} want {:?}", got.pixels[at], want.pixels[at]);
    err
}

#[test]
fn spaces_lists_every_name_once_with_its_kind() {
    let out = cinegrade(&["spaces"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), ColorSpace::ALL.len());
    for (line, space) in lines.iter().zip(ColorSpace::ALL) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[0], space.name());
        let kind = if space.is_scene_referred() { "scene" } else { "display" };
        assert_eq!(fields[1], kind, "{line}");
        assert!(line.contains(space.description()), "{line}");
    }
    for name in [
        "arri-logc3-ei800",
        "sony-slog3-sgamut3cine",
        "acescct",
        "aces2065-1",
        "rec709-display",
        "srgb-display",
        "rec2100-pq",
    ] {
        assert!(text.contains(name), "{name}");
    }
}

#[test]
fn render_converts_an_exr_between_spaces_as_the_cpu_reference() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-spaces");
    let (input, frame) = exr_crop(&dir);
    for (from, to, tone) in [
        ("acescg", "rec709-display", "auto"),
        ("linear-rec709", "aces2065-1", "none"),
        ("arri-logc3-ei800", "rec2100-pq", "auto"),
    ] {
        let got = render(
            &dir,
            &format!("{from}-{to}"),
            &input,
            &["--input-space", from, "--output-space", to, "--tone-map", tone],
        );
        let pipeline = Pipeline {
            input: Some(from.parse().unwrap()),
            output: Some(to.parse().unwrap()),
            tone_map: if tone == "none" {
                cinegrade::ops::color_transform::ToneMapping::None
            } else {
                cinegrade::ops::color_transform::ToneMapping::Auto
            },
            ..Pipeline::default()
        };
        let want = common::cpu_apply(&pipeline.build(&Grade::default()), &frame);
        // Two transforms through ACEScct, each within 1e-5 (PQ encode 5e-5) of the reference.
        assert_within(&got, &want, 1e-4, &format!("{from} -> {to} ({tone})"));
    }
}

#[test]
fn without_input_or_output_space_nothing_is_converted() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-working-only");
    let (input, frame) = exr_crop(&dir);
    // A working space alone converts nothing: the values pass through bit for bit.
    let got = render(&dir, "same", &input, &["--working-space", "acescg"]);
    assert!(got == frame);
}

#[test]
fn render_applies_real_luts_with_either_interpolation() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-lut");
    let input = "frames/chelsea.png";
    let frame = load(input);
    for (lut, interp) in [
        ("classic_film.cube", Interpolation::Tetrahedral),
        ("teal_and_orange_cinema.cube", Interpolation::Trilinear),
        ("resolve_combined.cube", Interpolation::Tetrahedral),
    ] {
        let path = data(&format!("interchange/{lut}"));
        let got = render(&dir, lut, &data(input), &["--lut", &path, "--interp", interp.name()]);
        let cube = read_cube(Path::new(&path)).unwrap();
        let mut want = frame.clone();
        for p in &mut want.pixels {
            let rgb = cube.apply([p[0], p[1], p[2]], interp);
            *p = [rgb[0], rgb[1], rgb[2], p[3]];
        }
        assert_within(&got, &want, 1e-5, &format!("--lut {lut} --interp {interp}"));
    }
}

#[test]
fn render_applies_a_cdl_by_id_in_either_style() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-cdl");
    let input = "frames/chelsea.png";
    let frame = load(input);
    let ccc = data("interchange/cdl_test1.ccc");
    let corrections = interchange::read_cdl_file(Path::new(&ccc)).unwrap();
    for (id, style) in [("cc0002", CdlStyle::Asc), ("cc0003", CdlStyle::NoClamp)] {
        let got = render(&dir, id, &data(input), &["--cdl", &ccc, "--cc-id", id, "--cdl-style", style.name()]);
        let cdl = interchange::find_by_id(&corrections, id).unwrap().cdl;
        let mut want = frame.clone();
        for p in &mut want.pixels {
            let rgb = cdl.apply([p[0], p[1], p[2]], style);
            *p = [rgb[0], rgb[1], rgb[2], p[3]];
        }
        assert_within(&got, &want, 1e-5, &format!("--cdl {id} {}", style.name()));
    }
    // A collection of several needs an id, and the error lists them.
    let out_path = dir.join("x.png");
    assert_one_line_error(
        &cinegrade(&["render", &data(input), "-o", s(&out_path), "--cdl", &ccc]),
        &["cdl_test1.ccc", "--cc-id", "cc0001, cc0002, cc0003"],
    );
    assert_one_line_error(
        &cinegrade(&["render", &data(input), "-o", s(&out_path), "--cdl", &ccc, "--cc-id", "nope"]),
        &["cdl_test1.ccc", "\"nope\"", "\"cc0001\""],
    );
    assert!(!out_path.exists());
}

#[test]
fn malformed_luts_and_cdls_are_one_line_errors_naming_file_and_line() {
    let dir = common::temp_dir("cli-bad-files");
    let input = data("frames/chelsea.png");
    let out_path = dir.join("o.png");
    let bad_cube = dir.join("bad.cube");
    std::fs::write(&bad_cube, "LUT_3D_SIZE 2\n0 0 0\n1 x 0\n").unwrap();
    assert_one_line_error(&cinegrade(&["render", &input, "-o", s(&out_path), "--lut", s(&bad_cube)]), &["bad.cube:3:"]);
    let huge = dir.join("huge.cube");
    std::fs::write(&huge, "LUT_3D_SIZE 256\n0 0 0\n").unwrap();
    assert_one_line_error(&cinegrade(&["render", &input, "-o", s(&out_path), "--lut", s(&huge)]), &["huge.cube:2:"]);
    let bad_cc = dir.join("bad.cc");
    std::fs::write(
        &bad_cc,
        "<ColorCorrection id=\"a\">\n<SOPNode>\n<Slope>1 1</Slope>\n<Offset>0 0 0</Offset>\n\
         <Power>1 1 1</Power>\n</SOPNode>\n</ColorCorrection>\n",
    )
    .unwrap();
    assert_one_line_error(
        &cinegrade(&["render", &input, "-o", s(&out_path), "--cdl", s(&bad_cc)]),
        &["bad.cc:3:", "<Slope> needs 3 numbers"],
    );
    assert_one_line_error(
        &cinegrade(&["render", &input, "-o", s(&out_path), "--lut", "/no/such.cube"]),
        &["/no/such.cube"],
    );
    // A grade naming a broken LUT (relative to the grade file) names grade, node, LUT and line.
    let grade = dir.join("g.json");
    std::fs::write(&grade, r#"{"version":1,"nodes":[{"op":{"lut":{"path":"bad.cube"}}}]}"#).unwrap();
    assert_one_line_error(
        &cinegrade(&["render", &input, "-o", s(&out_path), "--grade", s(&grade)]),
        &["g.json: node 1 (lut):", "bad.cube:3:"],
    );
    let cube_out = dir.join("o.cube");
    assert_one_line_error(&cinegrade(&["bake-lut", "-o", s(&cube_out), "--lut", s(&bad_cube)]), &["bad.cube:3:"]);
    assert!(!cube_out.exists());
    assert!(!out_path.exists());
}

/// Bakes with `args`, returns the file's path and text.
fn bake(dir: &Path, name: &str, args: &[&str]) -> (PathBuf, String) {
    let path = dir.join(name);
    let mut all = vec!["bake-lut", "-o", s(&path)];
    all.extend_from_slice(args);
    let out = cinegrade(&all);
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// What OpenColorIO 2.6's `.cube` readers need: `#` comments, the size and range keywords before the
/// rows and no TITLE when a 1D shaper precedes the 3D table (its Resolve reader refuses TITLE; its
/// Iridas reader refuses a 1D + 3D file). [`assert_opencolorio_agrees`] then has OCIO read the file.
fn assert_opencolorio_readable(text: &str, shaper: bool, size: usize) {
    let mut keywords = Vec::new();
    let mut rows = 0;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            assert!(rows == 0 || t.is_empty(), "comment inside the table: {t}");
            continue;
        }
        let first = t.split_whitespace().next().unwrap();
        if first.chars().next().unwrap().is_ascii_alphabetic() {
            assert_eq!(rows, 0, "keyword after the rows: {t}");
            keywords.push(first.to_string());
        } else {
            let numbers: Vec<f32> = t.split_whitespace().map(|v| v.parse().expect("a number")).collect();
            assert_eq!(numbers.len(), 3, "{t}");
            assert!(numbers.iter().all(|v| v.is_finite()), "{t}");
            rows += 1;
        }
    }
    let expected: &[&str] = if shaper {
        &["LUT_1D_SIZE", "LUT_1D_INPUT_RANGE", "LUT_3D_SIZE", "LUT_3D_INPUT_RANGE"]
    } else {
        &["LUT_3D_SIZE"]
    };
    assert_eq!(keywords, expected);
    let shaper_rows = if shaper { cinegrade::gpu::bake::SHAPER_SIZE } else { 0 };
    assert_eq!(rows, shaper_rows + size * size * size);
}

/// OpenColorIO reads the baked file at `path` and applies it (tetrahedral) to every 7th pixel of
/// `input` within `tol` of `ours` (Cinegrade's application of the same file), relative to
/// max(1, value).
fn assert_opencolorio_agrees(path: &Path, input: &Frame, ours: &Frame, tol: f32, what: &str) {
    let picked: Vec<usize> = (0..input.pixels.len()).step_by(7).collect();
    let inputs: Vec<[f32; 3]> = picked.iter().map(|&i| input.pixels[i]).map(|p| [p[0], p[1], p[2]]).collect();
    let Some(ocio) = common::ocio_apply(path, "tetrahedral", &inputs) else { return };
    let want: Vec<[f32; 3]> = picked.iter().map(|&i| ours.pixels[i]).map(|p| [p[0], p[1], p[2]]).collect();
    let (err, i) = common::worst_relative(&ocio, &want);
    println!("{what}: OpenColorIO against Cinegrade {err:.1e}");
    assert!(err <= tol, "{what}: OpenColorIO {:?} against {:?} at input {:?} ({err:e})", ocio[i], want[i], inputs[i]);
}

#[test]
fn bake_lut_reproduces_the_gpu_pipeline_for_display_input() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-bake-display");
    let grade = common::data("../../examples/acescct_look.json");
    let flags = ["--grade", s(&grade), "--input-space", "arri-logc3-ei800", "--output-space", "rec709-display"];
    let mut args = flags.to_vec();
    args.extend(["--size", "33"]);
    let (path, text) = bake(&dir, "look.cube", &args);
    assert!(text.starts_with("# Baked by Cinegrade"), "{text:.200}");
    assert!(!text.contains("TITLE"));
    assert!(text.contains("# Input domain: arri-logc3-ei800 code values 0..1."));
    assert_opencolorio_readable(&text, false, 33);
    let cube = read_cube(&path).unwrap();
    assert!(cube.lut1d.is_none());

    // The baked LUT on the CPU against the very pipeline rendered on the GPU, on a real photo
    // re-encoded as a LogC3 frame (its sRGB light as scene light, as a camera would record it).
    let (input, frame) = logc3_photo(&dir);
    let rendered = render(&dir, "look", &input, &flags);
    let mut baked = frame.clone();
    for p in &mut baked.pixels {
        let rgb = cube.apply([p[0], p[1], p[2]], Interpolation::Tetrahedral);
        *p = [rgb[0], rgb[1], rgb[2], p[3]];
    }
    // Measured 1.2e-7: the same tetrahedral weights, summed in another order.
    assert_opencolorio_agrees(&path, &frame, &baked, 1e-6, "33³ bake");
    let (baked, rendered) = (displayed(&baked), displayed(&rendered));
    // Worst near black, where BT.1886's 1/2.4 power is steepest: measured p99 6.6e-3, max 2.2e-2.
    assert_bake_close(&baked, &rendered, 1e-2, 3e-2, "33³ bake, LogC3 in, Rec.709 out");

    // Refuses to replace a file unless asked.
    let out = cinegrade(&["bake-lut", "-o", s(&path)]);
    assert_one_line_error(&out, &["look.cube", "already exists"]);
}

/// chelsea.png's light (sRGB decoded, as scene-linear Rec.709) encoded as ARRI LogC3 / AWG3,
/// written as a float EXR: a natural picture with LogC3 code values.
fn logc3_photo(dir: &Path) -> (String, Frame) {
    let to_logc3 =
        cinegrade::color::space::Conversion::colorimetric(ColorSpace::SrgbDisplay, ColorSpace::ArriLogC3Ei800);
    let mut frame = load("frames/chelsea.png");
    for p in &mut frame.pixels {
        let rgb = to_logc3.apply([p[0], p[1], p[2]]);
        *p = [rgb[0], rgb[1], rgb[2], p[3]];
    }
    (save_exr(dir, "chelsea_logc3.exr", &frame), frame)
}

#[test]
fn bake_lut_adds_a_shaper_for_scene_linear_input() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-bake-linear");
    let grade = common::data("../../examples/acescct_look.json");
    let flags = ["--grade", s(&grade), "--input-space", "acescg", "--output-space", "srgb-display"];
    let mut a = flags.to_vec();
    a.extend(["--size", "33"]);
    let (path, text) = bake(&dir, "linear.cube", &a);
    assert!(text.contains("# Input is scene-linear (acescg): a 65536-entry 1D shaper"), "{text:.400}");
    assert_opencolorio_readable(&text, true, 33);
    let cube = read_cube(&path).unwrap();
    let shaper = cube.lut1d.as_ref().expect("a shaper");
    assert_eq!(shaper.domain_max, [cinegrade::gpu::bake::SHAPER_MAX; 3]);

    // Scene-linear EXR pixels (0..1, treated as ACEScg).
    let (input, frame) = exr_crop(&dir);
    let rendered = render(&dir, "linear", &input, &flags);
    let mut baked = frame.clone();
    for p in &mut baked.pixels {
        let rgb = cube.apply([p[0], p[1], p[2]], Interpolation::Tetrahedral);
        *p = [rgb[0], rgb[1], rgb[2], p[3]];
    }
    // Measured 6e-8.
    assert_opencolorio_agrees(&path, &frame, &baked, 1e-6, "shaper + 33³ bake");
    let (baked, rendered) = (displayed(&baked), displayed(&rendered));
    // Measured max 9.2e-4 on this crop, 1.9e-3 over the whole frame (sRGB's linear toe keeps
    // black well behaved, unlike BT.1886's pure power).
    assert_bake_close(&baked, &rendered, 2e-3, 3e-3, "shaper + 33³ bake, ACEScg in, sRGB out");
}

/// The same bake written as CLF (`-o look.clf`) and applied back through `render --lut`: the file
/// runs on the GPU through the CLF interpreter and reproduces the pipeline at least as closely as
/// the `.cube` (its shaper is the ACEScct curve itself, not 65536 samples of it).
#[test]
fn bake_lut_writes_clf_that_render_applies_back() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-bake-clf");
    let grade = common::data("../../examples/acescct_look.json");
    let flags = ["--grade", s(&grade), "--input-space", "acescg", "--output-space", "srgb-display"];
    let mut a = flags.to_vec();
    a.extend(["--size", "33"]);
    let (path, text) = bake(&dir, "linear.clf", &a);
    assert!(text.starts_with("<?xml") && text.contains("<ProcessList compCLFversion=\"3.0\""), "{text:.300}");
    let clf = cinegrade::interchange::read_clf(&path).unwrap();
    assert_eq!(clf.ops.len(), 3, "Log, Range, LUT3D");

    let (input, frame) = exr_crop(&dir);
    let rendered = render(&dir, "pipeline", &input, &flags);
    let through_clf = render(&dir, "through_clf", &input, &["--lut", s(&path)]);
    // OpenColorIO reads the CLF and runs it as Cinegrade's interpreter on the GPU does (measured
    // 1.9e-6: the GPU's log and the lattice in f32).
    assert_opencolorio_agrees(&path, &frame, &through_clf, 1e-5, "CLF bake");
    let (through_clf, rendered) = (displayed(&through_clf), displayed(&rendered));
    // Measured max 9.2e-4 (as the .cube: the 33³ lattice's interpolation error dominates).
    assert_bake_close(&through_clf, &rendered, 2e-3, 3e-3, "CLF bake through render --lut");

    // Only .cube and .clf are written.
    let out = cinegrade(&["bake-lut", "-o", s(&dir.join("look.3dl"))]);
    assert_one_line_error(&out, &["look.3dl", "writes .cube or .clf"]);
}

/// A LUT holds one state of a grade: an animated grade bakes on the frame asked for (`--frame`), the
/// same table as the still grade of that frame, and without `--frame` it is a one-line error.
#[test]
fn bake_lut_bakes_an_animated_grade_on_the_frame_asked_for() {
    use cinegrade::grade::keyframes::{Interpolation as Easing, Keyframe};
    use cinegrade::grade::{Node, Op};
    use cinegrade::ops::primaries::Primaries;
    let dir = common::temp_dir("bake-animated");
    let at = |exposure: f32| Primaries { exposure, ..Primaries::default() };
    let mut node = Node::new(Op::Primaries(at(0.3)));
    node.keyframes = vec![
        Keyframe::of(&Node::new(Op::Primaries(at(-0.5))), 1001, Easing::Linear),
        Keyframe::of(&Node::new(Op::Primaries(at(1.0))), 1011, Easing::Linear),
    ];
    let animated = Grade { nodes: vec![node], ..Grade::default() };
    let write = |name: &str, grade: &Grade| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string(grade).unwrap()).unwrap();
        path
    };
    let animated_path = write("animated.json", &animated);
    let still_path = write("still.json", &Grade::with_primaries(at(-0.5)));
    fn table(text: &str) -> Vec<&str> {
        text.lines().filter(|l| !l.starts_with('#') && !l.starts_with("TITLE")).collect()
    }
    let refused = cinegrade(&["bake-lut", "-o", s(&dir.join("no-frame.cube")), "--grade", s(&animated_path)]);
    assert_one_line_error(&refused, &["animated.json", "--frame"]);
    assert!(!dir.join("no-frame.cube").exists());
    let (_, first) = bake(&dir, "first.cube", &["--grade", s(&animated_path), "--frame", "1001", "--size", "9"]);
    let (_, last) = bake(&dir, "last.cube", &["--grade", s(&animated_path), "--frame", "1011", "--size", "9"]);
    let (_, still) = bake(&dir, "still.cube", &["--grade", s(&still_path), "--size", "9"]);
    assert_eq!(table(&first), table(&still), "frame 1001 is the first keyframe's grade");
    assert_ne!(table(&first), table(&last));
    // A still grade has one state: --frame is refused rather than ignored.
    let pointless = cinegrade(&["bake-lut", "-o", s(&dir.join("x.cube")), "--grade", s(&still_path), "--frame", "3"]);
    assert_one_line_error(&pointless, &["--frame"]);
}
