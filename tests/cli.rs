//! The `cinegrade` binary end to end: render, info, and one-line errors with a non-zero exit.

mod common;

use common::{cinegrade, stderr};

use std::path::Path;
use std::process::{Command, Output};

fn assert_one_line_error(out: &Output, needle: &str) {
    assert!(!out.status.success(), "expected failure, got success");
    let err = stderr(out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn write_grade(dir: &Path) -> String {
    let path = dir.join("warm.json");
    std::fs::write(
        &path,
        r#"{"version":1,"nodes":[{"label":"warm","op":{"primaries":{"exposure":0.5,"temperature":5000,"saturation":1.2}}}]}"#,
    )
    .unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn render_applies_the_grade_on_the_gpu_and_writes_each_format() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-render");
    let input = common::data("frames/chelsea.png");
    let grade = write_grade(&dir);
    for (name, depth) in
        [("out.png", Some("8")), ("out16.png", None), ("out.tif", None), ("out.exr", Some("float")), ("out.jpg", None)]
    {
        let out_path = dir.join(name);
        let mut args =
            vec!["render", input.to_str().unwrap(), "-o", out_path.to_str().unwrap(), "--grade", &grade, "--verbose"];
        if let Some(d) = depth {
            args.extend(["--depth", d]);
        }
        let out = cinegrade(&args);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains("adapter:"), "--verbose names the adapter: {}", stderr(&out));
        let graded = cinegrade::media::load(&out_path).unwrap();
        let source = cinegrade::media::load(&input).unwrap();
        assert_eq!((graded.info.width, graded.info.height), (451, 300));
        // +0.5 stop and a warmer-to-neutral balance brighten the picture overall.
        let mean = |f: &cinegrade::media::Frame| f.pixels.iter().map(|p| p[0] + p[1] + p[2]).sum::<f32>();
        assert!(mean(&graded.frame) > mean(&source.frame) * 1.1, "{name} is brighter");
    }
    // By hand, independently of the shader's uniform: one stop of exposure on values taken as linear
    // light (no spaces given) doubles every channel; measured equal to 2x the source (x2 is exact in
    // float), so the bound is the f32 ulp of the largest value.
    let one_stop = dir.join("stop.json");
    std::fs::write(&one_stop, r#"{"version":1,"nodes":[{"op":{"primaries":{"exposure":1.0}}}]}"#).unwrap();
    let doubled = dir.join("doubled.exr");
    let out = cinegrade(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        doubled.to_str().unwrap(),
        "--grade",
        one_stop.to_str().unwrap(),
        "--depth",
        "float",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doubled = cinegrade::media::load(&doubled).unwrap().frame;
    let source = cinegrade::media::load(&input).unwrap().frame;
    for (d, s) in doubled.pixels.iter().zip(&source.pixels) {
        for c in 0..3 {
            assert!((d[c] - 2.0 * s[c]).abs() <= 2.5e-7, "{} is not 2 x {}", d[c], s[c]);
        }
        assert_eq!(d[3], s[3]);
    }
    // EXR float keeps the unclamped values above 1 that the grade produced.
    let exr = cinegrade::media::load(&dir.join("out.exr")).unwrap();
    assert_eq!(exr.info.sample_type, cinegrade::media::SampleType::F32);
    assert!(exr.frame.value_range().1[0] > 1.0, "no clamping before export");
}

#[test]
fn render_without_a_grade_passes_pixels_through() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-pass");
    let input = common::data("frames/TestImages_WideFloatRange.exr");
    let out_path = dir.join("same.exr");
    let out = cinegrade(&["render", input.to_str().unwrap(), "-o", out_path.to_str().unwrap(), "--depth", "float"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let a = cinegrade::media::load(&input).unwrap().frame;
    let b = cinegrade::media::load(&out_path).unwrap().frame;
    assert_eq!(a, b);
}

#[test]
fn render_refuses_to_overwrite_unless_asked_and_never_the_source() {
    let dir = common::temp_dir("cli-overwrite");
    let source = dir.join("source.png");
    std::fs::copy(common::data("frames/chelsea.png"), &source).unwrap();
    let before = std::fs::read(&source).unwrap();
    let s = source.to_str().unwrap();
    assert_one_line_error(&cinegrade(&["render", s, "-o", s, "--overwrite"]), "refusing to write over the source");
    let existing = dir.join("existing.png");
    std::fs::write(&existing, b"keep me").unwrap();
    assert_one_line_error(&cinegrade(&["render", s, "-o", existing.to_str().unwrap()]), "already exists");
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    assert_eq!(std::fs::read(&source).unwrap(), before);
}

#[test]
fn info_describes_files() {
    let out = cinegrade(&["info", common::data("frames/TestImages_AllHalfValues.exr").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("OpenEXR") && text.contains("256x256") && text.contains("half float"), "{text}");
    assert!(text.contains("non-finite"), "{text}");
    let out = cinegrade(&["info", common::data("frames/chelsea.png").to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("451x300") && text.contains("8-bit") && text.contains("R, G, B"), "{text}");
}

#[test]
fn bad_inputs_exit_non_zero_with_one_line() {
    let dir = common::temp_dir("cli-bad");
    let garbage = dir.join("garbage.exr");
    std::fs::write(&garbage, b"not an exr").unwrap();
    assert_one_line_error(&cinegrade(&["info", garbage.to_str().unwrap()]), "garbage.exr");
    assert_one_line_error(&cinegrade(&["info", "/no/such/file.png"]), "/no/such/file.png");
    assert_one_line_error(&cinegrade(&["info", "notes.txt"]), "unknown image format");
    let bad_grade = dir.join("bad.json");
    std::fs::write(&bad_grade, "{\"version\": 99}").unwrap();
    let input = common::data("frames/chelsea.png");
    let out = dir.join("o.png");
    assert_one_line_error(
        &cinegrade(&[
            "render",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--grade",
            bad_grade.to_str().unwrap(),
        ]),
        "bad.json",
    );
    assert_one_line_error(
        &cinegrade(&["render", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--depth", "half"]),
        "--depth",
    );
    assert!(!out.exists());
}

#[test]
fn an_error_after_the_gpu_started_is_still_one_line_on_a_headless_machine() {
    if common::gpu().is_none() {
        return;
    }
    // No XDG_RUNTIME_DIR (as on CI and render nodes), and an output folder that does not exist, so the
    // failure comes after the GPU has graded the frame.
    let input = common::data("frames/chelsea.png");
    let out = Command::new(env!("CARGO_BIN_EXE_cinegrade"))
        .args(["render", input.to_str().unwrap(), "-o", "/nonexistent-folder/out.png"])
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .unwrap();
    assert_one_line_error(&out, "/nonexistent-folder");
}

#[test]
fn bench_reports_every_figure_against_the_copy_pass() {
    if common::gpu().is_none() {
        return;
    }
    let out = cinegrade(&["bench", "--size", "96x54", "--runs", "1", "--batch", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in [
        cinegrade::bench::names::COPY,
        cinegrade::bench::names::GRADE,
        cinegrade::bench::names::GRADE_UNFUSED,
        cinegrade::bench::names::SCOPES,
        cinegrade::bench::names::EDIT,
        cinegrade::bench::names::EDIT_SCOPES,
    ] {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no {name:?} in\n{text}"));
        assert!(line.contains(" ms "), "{line}");
    }
    assert!(text.contains("adapter: "), "{text}");
    // GPU times from timestamp queries, where the adapter has them and they bracket the work: on
    // the throughput figures, never longer than the wall clock around the same work; latency
    // figures are wall clock only. llvmpipe's bracket single-dispatch passes (the copy, the fused
    // grade), so there they are checked with the override; its multi-threaded line passes are not.
    let ms = |line: &str| -> Vec<f64> {
        let words: Vec<&str> = line.split_whitespace().collect();
        words.windows(2).filter(|w| w[1] == "ms").filter_map(|w| w[0].parse().ok()).collect()
    };
    let timed = std::process::Command::new(env!("CARGO_BIN_EXE_cinegrade"))
        .args(["bench", "--size", "96x54", "--runs", "1", "--batch", "1"])
        .env("CINEGRADE_BENCH_TIMESTAMPS", "1")
        .output()
        .unwrap();
    let timed = String::from_utf8_lossy(&timed.stdout).into_owned();
    if timed.contains("no GPU times") {
        assert!(!timed.contains("llvmpipe"), "llvmpipe has timestamp queries: {timed}");
    } else {
        for name in [cinegrade::bench::names::COPY, cinegrade::bench::names::GRADE] {
            let line = timed.lines().find(|l| l.starts_with(name)).unwrap();
            let times = ms(line);
            assert_eq!(times.len(), 2, "wall and GPU time: {line}");
            assert!(times[1] > 0.0 && times[1] <= times[0] * 1.05 + 0.05, "GPU time within the wall time: {line}");
        }
        let edit = timed.lines().find(|l| l.starts_with(cinegrade::bench::names::EDIT)).unwrap();
        assert_eq!(ms(edit).len(), 1, "{edit}");
    }
    if text.contains("llvmpipe") {
        assert!(text.contains("no GPU times"), "no GPU times on a CPU adapter unless asked: {text}");
    }
    let bad = cinegrade(&["bench", "--size", "0x10"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("WIDTHxHEIGHT"));
}
