//! `cinegrade scopes` end to end: the PNG, the JSON counts (equal to the CPU reference), the options,
//! and one-line errors with a non-zero exit.

mod common;

use common::cinegrade;

use std::process::Output;

use cinegrade::scopes::{LumaWeights, ScopeSettings, counts_cpu};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_one_line_error(out: &Output, needle: &str) {
    assert!(!out.status.success(), "expected failure, got success");
    let err = text(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn counts(value: &serde_json::Value) -> Vec<u32> {
    serde_json::from_value(value.clone()).unwrap()
}

#[test]
fn all_scopes_tile_into_one_png_and_json_counts_match_the_cpu_reference() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-scopes-all");
    let input = common::data("frames/chelsea.png");
    let png = dir.join("scopes.png");
    let counts_path = dir.join("counts.json");
    let out = cinegrade(&[
        "scopes",
        input.to_str().unwrap(),
        "-o",
        png.to_str().unwrap(),
        "--json",
        counts_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Rec.709 (ITU-R BT.709)"), "weights stated: {stdout}");
    assert!(stdout.contains("0-100 IRE"), "{stdout}");
    // 2 x 2 tiles of 768 x (432 + 16 caption), 2 px apart.
    let image = image::open(&png).unwrap();
    assert_eq!((image.width(), image.height()), (1538, 898));

    let doc = json(&counts_path);
    assert_eq!(doc["settings"]["luma"], "rec709");
    assert_eq!(doc["luma_weights"]["kr"], 0.2126);
    assert_eq!(doc["frame"]["width"], 451);
    let frame = cinegrade::media::load(&input).unwrap().frame;
    let cpu = counts_cpu(&frame, &ScopeSettings::default());
    let c = &doc["counts"];
    assert_eq!(counts(&c["histogram"]["red"]), cpu.histogram.unwrap().red);
    assert_eq!(counts(&c["waveform"]["luma"]), cpu.waveform.unwrap().luma);
    assert_eq!(counts(&c["vectorscope"]["counts"]), cpu.vectorscope.unwrap().counts);
}

#[test]
fn one_kind_with_options_and_a_grade() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("cli-scopes-one");
    let input = common::data("frames/rocket.jpg");
    let grade = dir.join("grade.json");
    std::fs::write(&grade, r#"{"version":1,"nodes":[{"op":{"primaries":{"exposure":1.0,"saturation":1.5}}}]}"#)
        .unwrap();
    let run = |kind: &str, extra: &[&str]| {
        let png = dir.join(format!("{kind}.png"));
        let counts = dir.join(format!("{kind}.json"));
        let mut args = vec![
            "scopes",
            input.to_str().unwrap(),
            "-o",
            png.to_str().unwrap(),
            "--kind",
            kind,
            "--json",
            counts.to_str().unwrap(),
            "--size",
            "320x180",
        ];
        args.extend(extra);
        let out = cinegrade(&args);
        assert!(out.status.success(), "{kind}: {}", text(&out.stderr));
        let image = image::open(&png).unwrap();
        assert_eq!((image.width(), image.height()), (320, 196), "{kind}");
        (json(&counts), text(&out.stdout))
    };
    let (doc, stdout) = run("vectorscope", &["--luma", "rec2020", "--zoom", "2"]);
    assert!(stdout.contains("Rec.2020 (ITU-R BT.2020)"), "{stdout}");
    assert_eq!(doc["luma_weights"]["name"], LumaWeights::Rec2020.name());
    assert_eq!(doc["counts"]["vectorscope"]["zoom"], 2);
    assert!(doc["counts"].get("histogram").is_none(), "only what was asked");

    let (doc, stdout) = run("waveform", &["--scale", "cv10", "--waveform", "rgb"]);
    assert!(stdout.contains("0-1023 CV"), "{stdout}");
    assert_eq!(doc["settings"]["waveform_scale"], "code-values-10-bit");

    let (plain, _) = run("histogram", &["--histogram", "log"]);
    let (graded, stdout) = run("parade", &["--grade", grade.to_str().unwrap(), "--overwrite"]);
    assert!(stdout.contains("graded"), "{stdout}");
    assert_eq!(graded["graded"], true);
    // +1 stop: more samples above 100 % than before, still one count per pixel.
    let before = counts(&plain["counts"]["histogram"]["luma"]);
    let after = counts(&graded["counts"]["waveform"]["luma"]);
    let pixels = 640 * 427;
    assert_eq!(after.iter().sum::<u32>(), pixels);
    let level_min = graded["counts"]["waveform"]["level_min"].as_i64().unwrap();
    let above = |bins: &[u32], levels: usize| -> u32 {
        bins.chunks(levels).map(|col| col[(1024 - level_min) as usize..].iter().sum::<u32>()).sum()
    };
    assert!(above(&after, 1192) > above(&before, 1192) + 1000);
}

#[test]
fn bad_inputs_exit_non_zero_with_one_line() {
    let dir = common::temp_dir("cli-scopes-bad");
    let input = common::data("frames/chelsea.png");
    let input = input.to_str().unwrap();
    let out = dir.join("o.png");
    let out = out.to_str().unwrap();
    assert_one_line_error(&cinegrade(&["scopes", "/no/such/frame.png", "-o", out]), "/no/such/frame.png");
    assert_one_line_error(&cinegrade(&["scopes", input, "-o", "x.exr"]), "PNG");
    assert_one_line_error(&cinegrade(&["scopes", input, "-o", out, "--zoom", "3"]), "zoom");
    assert_one_line_error(&cinegrade(&["scopes", input, "-o", out, "--size", "big"]), "--size");
    let existing = dir.join("existing.png");
    std::fs::write(&existing, b"keep me").unwrap();
    assert_one_line_error(&cinegrade(&["scopes", input, "-o", existing.to_str().unwrap()]), "already exists");
    assert_one_line_error(
        &cinegrade(&["scopes", input, "-o", out, "--json", existing.to_str().unwrap()]),
        "already exists",
    );
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
    let source = dir.join("source.png");
    std::fs::copy(input, &source).unwrap();
    let s = source.to_str().unwrap();
    assert_one_line_error(&cinegrade(&["scopes", s, "-o", s, "--overwrite"]), "refusing to write over the source");
    let bad_grade = dir.join("bad.json");
    std::fs::write(&bad_grade, "{\"version\": 99}").unwrap();
    assert_one_line_error(
        &cinegrade(&["scopes", input, "-o", out, "--grade", bad_grade.to_str().unwrap()]),
        "bad.json",
    );
    assert!(!std::path::Path::new(out).exists());
}
