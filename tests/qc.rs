//! Quality control: the GPU measures against their CPU twin (exact counts), light levels and levels
//! against numpy/colour-science (tests/data/qc/make_reference.py), black and frozen frames against
//! FFmpeg's blackdetect and freezedetect on the same frames, and the command's report and exit codes.

mod common;

use std::path::Path;
use std::process::Command;

use cinegrade::color::spaces::{self, Cat};
use cinegrade::color::transfer::Transfer;
use cinegrade::gpu::GpuFrame;
use cinegrade::media::{self, Frame, SaveOptions};
use cinegrade::qc::analysis::{FrameMeasures, measure_cpu, measure_gpu};
use cinegrade::qc::{QcReport, QcSettings};

fn settings(pq: bool, gamut: bool) -> QcSettings {
    QcSettings {
        level_low: -0.05,
        level_high: 1.05,
        black_pixel: 0.1,
        luma: [0.2627, 0.6780, 0.0593],
        gamut: gamut
            .then(|| (Transfer::Pq, spaces::rgb_to_rgb_matrix(&spaces::REC2020, &spaces::P3_D65, Cat::Bradford))),
        gamut_tolerance: 1e-4,
        pq,
        display: Some(if pq { (Transfer::Pq, 100.0) } else { (Transfer::Bt1886, 200.0) }),
        red_ratio: 0.8,
    }
}

fn assert_same(gpu: &FrameMeasures, cpu: &FrameMeasures, what: &str) {
    let exact = |m: &FrameMeasures| {
        (
            m.pixels,
            m.below,
            m.above,
            m.out_of_range_box,
            m.lowest,
            m.highest,
            m.non_finite,
            m.negative,
            m.black,
            m.min_luma,
            m.out_of_gamut,
        )
    };
    assert_eq!(exact(gpu), exact(cpu), "{what}: counts and extremes");
    // Sums are added in another order; the PQ decode is f32 in WGSL and f64 inside the Rust twin
    // (measured 3e-7 relative on the brightest pixel): 1e-5.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-5 * b.abs().max(1.0);
    if let (Some(a), Some(b)) = (gpu.max_nits, cpu.max_nits) {
        assert!(close(a.into(), b.into()), "{what}: max nits {a} vs {b}");
    }
    assert_eq!(gpu.max_nits.is_some(), cpu.max_nits.is_some());
    assert!(close(gpu.mean_luma, cpu.mean_luma), "{what}: mean luma {} vs {}", gpu.mean_luma, cpu.mean_luma);
    assert_eq!(gpu.average_nits.is_some(), cpu.average_nits.is_some());
    if let (Some(a), Some(b)) = (gpu.average_nits, cpu.average_nits) {
        assert!(close(a, b), "{what}: average nits {a} vs {b}");
    }
    if let (Some(a), Some(b)) = (gpu.pq_code, cpu.pq_code) {
        assert!(a.iter().zip(&b).all(|(x, y)| close(*x, *y)), "{what}: PQ codes {a:?} vs {b:?}");
    }
    let (a, b) = (gpu.luminance.unwrap(), cpu.luminance.unwrap());
    assert!(close(a, b), "{what}: luminance {a} vs {b}");
    match (gpu.difference, cpu.difference) {
        (Some(a), Some(b)) => assert!(close(a, b), "{what}: difference {a} vs {b}"),
        (a, b) => assert_eq!(a.is_some(), b.is_some(), "{what}: difference"),
    }
}

#[test]
fn gpu_measures_equal_the_cpu_twin() {
    let Some(ctx) = common::gpu() else { return };
    // Values across and beyond the legal range, black areas, saturated colours outside P3, a few
    // NaN and infinite samples; 37x23 so workgroups are partly outside.
    let frame = Frame::from_fn(37, 23, |x, y| {
        let t = (x as f32 + 0.37 * y as f32) / 40.0;
        match (x * 7 + y * 3) % 29 {
            0 => [f32::NAN, 0.2, 0.3, 1.0],
            1 => [f32::INFINITY, 0.2, 0.3, 1.0],
            2..=5 => [0.02, 0.03, 0.01, 1.0],
            6 => [0.9, 0.05, 0.02, 1.0],
            _ => [1.3 * t - 0.12, t, (1.0 - t) * 1.1, 1.0],
        }
    });
    let previous = Frame::from_fn(37, 23, |x, y| frame.pixel((x + 1) % 37, y));
    let (gpu, gpu_prev) = (GpuFrame::upload(&ctx, &frame).unwrap(), GpuFrame::upload(&ctx, &previous).unwrap());
    // A tall frame too: a workgroup covers 16 columns and 128 rows, so rows fall to several groups
    // and to the last one's partial run, each to be counted once.
    let tall = Frame::from_fn(29, 301, |x, y| frame.pixel(x % 37, y % 23));
    let tall_prev = Frame::from_fn(29, 301, |x, y| previous.pixel(x % 37, y % 23));
    let s = settings(true, true);
    let g = measure_gpu(
        &ctx,
        &GpuFrame::upload(&ctx, &tall).unwrap(),
        Some(&GpuFrame::upload(&ctx, &tall_prev).unwrap()),
        &s,
        7,
    )
    .unwrap();
    assert_same(&g, &measure_cpu(&tall, Some(&tall_prev), &s, 7), "29x301");
    for (pq, gamut) in [(false, false), (true, true)] {
        let s = settings(pq, gamut);
        let g = measure_gpu(&ctx, &gpu, Some(&gpu_prev), &s, 7).unwrap();
        let c = measure_cpu(&frame, Some(&previous), &s, 7);
        assert_same(&g, &c, &format!("pq {pq} gamut {gamut}"));
        // The picture exercises every measure.
        assert!(c.below > 0 && c.above > 0 && c.non_finite > 0 && c.negative > 0 && c.black > 0, "{c:?}");
        assert!(c.red.unwrap() > 0 && c.luminance.unwrap() > 1.0, "{c:?}");
        if gamut {
            assert!(c.out_of_gamut.unwrap() > 0 && c.max_nits.unwrap() > 1000.0, "{c:?}");
        }
        let first = measure_gpu(&ctx, &gpu, None, &s, 7).unwrap();
        assert_eq!(first.difference, None);
    }
}

#[test]
fn light_levels_and_levels_match_numpy_and_colour_science() {
    let Some(_) = common::gpu() else { return };
    let dir = common::temp_dir("qc-pq");
    let report_path = dir.join("report.json");
    let pattern = common::data("qc/desk_pq.####.exr");
    let out = common::cinegrade(&[
        "qc",
        pattern.to_str().unwrap(),
        "--encoded-as",
        "rec2100-pq",
        "--json",
        report_path.to_str().unwrap(),
    ]);
    // Frame 1002 is 20 times too bright: 7432 pixels above 105 %, a signal-level error: exit 1.
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let report: QcReport = serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let reference = common::json("qc/reference.json");
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
    for (got, want) in report.frames.iter().zip(reference["frames"].as_array().unwrap()) {
        assert_eq!(u64::from(got.frame), want["frame"].as_u64().unwrap());
        assert_eq!(got.below, want["below"].as_u64().unwrap(), "frame {}", got.frame);
        assert_eq!(got.above, want["above"].as_u64().unwrap(), "frame {}", got.frame);
        // PQ decoded in f32 from float32 codes against numpy in f64: measured 2e-6 relative.
        let (max, avg) = (f64::from(got.max_nits.unwrap()), got.average_nits.unwrap());
        assert!(rel(max, want["max_nits"].as_f64().unwrap()) < 2e-5, "frame {}: max {max} nits", got.frame);
        assert!(rel(avg, want["average_nits"].as_f64().unwrap()) < 2e-5, "frame {}: mean {avg} nits", got.frame);
    }
    let light = report.light_level.unwrap();
    assert!(rel(light.max_cll, reference["max_cll"].as_f64().unwrap()) < 2e-5, "MaxCLL {}", light.max_cll);
    assert!(rel(light.max_fall, reference["max_fall"].as_f64().unwrap()) < 2e-5, "MaxFALL {}", light.max_fall);
    assert!(!report.pass);
    let level: Vec<_> = report.findings.iter().filter(|f| f.check == cinegrade::qc::Check::SignalLevel).collect();
    assert_eq!((level.len(), level[0].first_frame, level[0].last_frame), (1, 1002, 1002), "{:?}", report.findings);
    // Real frames, graded to PQ by the shot pipeline: ScanLines_Desk peaks at 233 in linear light,
    // which the colorimetric transform puts past the 10000-nit top of PQ (codes above 1).
    let out = common::cinegrade(&[
        "qc",
        common::data("frames/Desk_zip.exr").to_str().unwrap(),
        "--input-space",
        "linear-rec709",
        "--output-space",
        "rec2100-pq",
        "--tone-map",
        "none",
        "--gamut",
        "rec709",
    ]);
    let text = common::stderr(&out);
    assert!(text.contains("MaxCLL") && out.status.code().is_some(), "{text}");
}

/// FFmpeg's filter report lines `key:value` (blackdetect) or `lavfi.freezedetect.key: value`.
fn ffmpeg_detect(pattern: &Path, filter: &str) -> Option<String> {
    let run = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-framerate", "24", "-i"])
        .arg(pattern)
        .args(["-vf", filter, "-f", "null", "-"])
        .output();
    match run {
        Ok(out) => Some(String::from_utf8_lossy(&out.stderr).into_owned()),
        Err(_) if std::env::var_os("CI").is_none() => None,
        Err(e) => panic!("CI is set and ffmpeg cannot run: {e}"),
    }
}

fn seconds_after(text: &str, key: &str) -> Vec<f64> {
    text.match_indices(key)
        .filter_map(|(i, _)| {
            let rest = text[i + key.len()..].trim_start();
            rest.split(|c: char| !(c.is_ascii_digit() || c == '.')).next()?.parse().ok()
        })
        .collect()
}

#[test]
fn black_and_frozen_frames_agree_with_ffmpeg_blackdetect_and_freezedetect() {
    let Some(_) = common::gpu() else { return };
    let dir = common::temp_dir("qc-detect");
    let photo = media::load(&common::data("frames/chelsea.png")).unwrap().frame;
    // 48 frames at 24 fps: moving crops, black 10..=19, then frame 20 held through 44, moving again.
    for n in 0..48u32 {
        let frame = match n {
            10..=19 => Frame::filled(160, 96, [0.0, 0.0, 0.0, 1.0]),
            20..=44 => photo.crop(40 + 20 * 2, 60, 160, 96),
            _ => photo.crop(40 + n * 2, 60 + n, 160, 96),
        };
        media::save(&frame, &dir.join(format!("f.{n:04}.png")), &SaveOptions { png_bits: 8, ..SaveOptions::default() })
            .unwrap();
    }
    let report_path = dir.join("qc.json");
    let pattern = dir.join("f.####.png");
    let out = common::cinegrade(&[
        "qc",
        pattern.to_str().unwrap(),
        "--profile",
        "netflix",
        "--json",
        report_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "warnings only: {}", common::stderr(&out));
    let report: QcReport = serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    let of = |check| {
        report.findings.iter().filter(|f| f.check == check).map(|f| (f.first_frame, f.last_frame)).collect::<Vec<_>>()
    };
    assert_eq!(of(cinegrade::qc::Check::BlackFrame), vec![(10, 19)], "{:?}", report.findings);
    assert_eq!(of(cinegrade::qc::Check::FrozenFrame), vec![(20, 44)], "{:?}", report.findings);
    let ffmpeg_pattern = dir.join("f.%04d.png");
    let Some(black) = ffmpeg_detect(&ffmpeg_pattern, "blackdetect=d=0:pix_th=0.10:pic_th=0.98") else { return };
    // FFmpeg's black run: start at frame 10's time, end at frame 20's (exclusive), as our in/out.
    let (start, end) = (seconds_after(&black, "black_start:"), seconds_after(&black, "black_end:"));
    assert_eq!((start.len(), end.len()), (1, 1), "{black}");
    assert_eq!(((start[0] * 24.0).round(), (end[0] * 24.0).round()), (10.0, 20.0), "{black}");
    let freeze = ffmpeg_detect(&ffmpeg_pattern, "freezedetect=n=0.001:d=1").unwrap();
    let (start, end) = (seconds_after(&freeze, "freeze_start:"), seconds_after(&freeze, "freeze_end:"));
    assert_eq!((start.len(), end.len()), (1, 1), "{freeze}");
    assert_eq!(((start[0] * 24.0).round(), (end[0] * 24.0).round()), (20.0, 45.0), "{freeze}");
}

#[test]
fn bad_input_exits_2_and_an_existing_report_is_kept() {
    let dir = common::temp_dir("qc-bad");
    let out = common::cinegrade(&["qc", dir.join("missing.exr").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", common::stderr(&out));
    let out =
        common::cinegrade(&["qc", common::data("frames/chelsea.png").to_str().unwrap(), "--profile", "nonesuch.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("nonesuch.json"), "{}", common::stderr(&out));
    let existing = dir.join("r.json");
    std::fs::write(&existing, "keep").unwrap();
    let out = common::cinegrade(&[
        "qc",
        common::data("frames/chelsea.png").to_str().unwrap(),
        "--json",
        existing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep");
}

/// Chromium renders the HTML report: a screenshot of it, or `None` without chromium (a failure
/// under CI, which installs it).
fn chromium_screenshot(page: &Path, png: &Path) -> Option<Frame> {
    let browser =
        ["chromium", "chromium-browser"].into_iter().find(|b| Command::new(b).arg("--version").output().is_ok());
    let Some(browser) = browser else {
        assert!(std::env::var_os("CI").is_none(), "CI is set and no chromium is installed");
        eprintln!("skipping the browser check: no chromium");
        return None;
    };
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=1280,1000",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(png.is_file(), "chromium wrote no screenshot: {}", String::from_utf8_lossy(&out.stderr));
    Some(media::load(png).unwrap().frame)
}

#[test]
fn the_html_report_renders_in_a_browser_with_its_verdict_findings_and_plots() {
    let Some(_) = common::gpu() else { return };
    let dir = common::temp_dir("qc-html");
    let page = dir.join("report.html");
    let pattern = common::data("qc/desk_pq.####.exr");
    let out = common::cinegrade(&[
        "qc",
        pattern.to_str().unwrap(),
        "--encoded-as",
        "rec2100-pq",
        "--html",
        page.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    for want in ["FAIL", "signal-level", "black-level-shift", "00:00:41:18", "MaxCLL", "<svg", "data:image/png;base64,"]
    {
        assert!(html.contains(want), "the page lacks {want:?}");
    }
    let Some(shot) = chromium_screenshot(&page, &dir.join("report.png")) else { return };
    assert_eq!((shot.width, shot.height), (1280, 1000));
    // What a person sees: the red FAIL badge, the red out-of-range line, the orange light-level line.
    let near = |rgb: [u8; 3]| {
        let c = rgb.map(|v| f32::from(v) / 255.0);
        shot.pixels.iter().filter(|p| (0..3).all(|i| (p[i] - c[i]).abs() < 0.03)).count()
    };
    assert!(near([0xb0, 0x3a, 0x3a]) > 500, "the FAIL badge is on screen");
    assert!(near([0xe0, 0x5d, 0x5d]) > 200, "the out-of-range plot is drawn");
    assert!(near([0xe8, 0xa3, 0x3d]) > 200, "the light-level plot is drawn");
}

#[test]
fn fast_flashes_are_flagged_and_a_slow_fade_is_not() {
    let Some(_) = common::gpu() else { return };
    let dir = common::temp_dir("qc-flash");
    // 48 frames at 24 fps: a grey that flips between 10 % and 80 % every second frame (6 flashes a
    // second at about 2 and 120 cd/m2 on a 200 cd/m2 display), then a slow fade; and a red field
    // blinking on a grey one three frames on, three off (4 red flashes a second).
    for n in 0..48u32 {
        let v = if n < 24 { if (n / 2) % 2 == 0 { 0.1 } else { 0.8 } } else { 0.2 + 0.01 * (n - 24) as f32 };
        let frame = Frame::filled(64, 36, [v, v, v, 1.0]);
        media::save(
            &frame,
            &dir.join(format!("f.{n:04}.png")),
            &SaveOptions { png_bits: 16, ..SaveOptions::default() },
        )
        .unwrap();
        let red = if (n / 3) % 2 == 0 { [0.9, 0.0, 0.0, 1.0] } else { [0.3, 0.3, 0.3, 1.0] };
        let frame = Frame::from_fn(64, 36, |x, _| if x < 32 { red } else { [0.3, 0.3, 0.3, 1.0] });
        media::save(
            &frame,
            &dir.join(format!("r.{n:04}.png")),
            &SaveOptions { png_bits: 16, ..SaveOptions::default() },
        )
        .unwrap();
    }
    let flashes = |name: &str| {
        let json = dir.join(format!("{name}.json"));
        let pattern = dir.join(format!("{name}.####.png"));
        let out = common::cinegrade(&["qc", pattern.to_str().unwrap(), "--json", json.to_str().unwrap()]);
        assert!(out.status.success(), "flashes are warnings: {}", common::stderr(&out));
        let report: QcReport = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        report.findings.into_iter().filter(|f| f.check == cinegrade::qc::Check::Flash).collect::<Vec<_>>()
    };
    let grey = flashes("f");
    assert_eq!(grey.len(), 1, "{grey:?}");
    // The last flash ends where the fade begins (0.8 to 0.2 at frame 24); the fade itself flashes none.
    assert!(grey[0].first_frame < 8 && (20..=25).contains(&grey[0].last_frame), "{grey:?}");
    assert!(grey[0].note.contains("luminance") && grey[0].note.contains("indicative"), "{}", grey[0].note);
    let red = flashes("r");
    assert_eq!(red.len(), 1, "{red:?}");
    assert!(red[0].note.contains("saturated-red"), "{}", red[0].note);
}

/// Frames of a moving photo with two planted pixels that never change (one white, one black) and a
/// flat grey corner that never changes either (its neighbours do not move: not a finding).
fn stuck_frames(photo: &Frame, n: u32) -> Vec<Frame> {
    (0..n)
        .map(|i| {
            let mut f = photo.crop(40 + i * 3, 60 + i * 2, 120, 80);
            for y in 0..10 {
                for x in 0..10 {
                    f.pixels[(y * 120 + x) as usize] = [0.5, 0.5, 0.5, 1.0];
                }
            }
            f.pixels[(40 * 120 + 50) as usize] = [1.0, 1.0, 1.0, 1.0];
            f.pixels[(20 * 120 + 90) as usize] = [0.0, 0.0, 0.0, 1.0];
            f
        })
        .collect()
}

#[test]
fn stuck_pixels_on_the_gpu_equal_the_cpu_twin_and_are_reported() {
    use cinegrade::qc::pixels::{StuckCpu, StuckLimits, StuckTracker};
    let Some(ctx) = common::gpu() else { return };
    let photo = media::load(&common::data("frames/chelsea.png")).unwrap().frame;
    let frames = stuck_frames(&photo, 8);
    let mut gpu = StuckTracker::new(&ctx, 120, 80).unwrap();
    let mut cpu = StuckCpu::default();
    for f in &frames {
        gpu.add(&ctx, &GpuFrame::upload(&ctx, f).unwrap()).unwrap();
        cpu.add(f);
    }
    let (g, c) = (gpu.finish(&ctx, StuckLimits::default()).unwrap(), cpu.finish(StuckLimits::default()));
    assert_eq!(g, c, "GPU and CPU twin");
    assert_eq!(c.positions, vec![[90, 20], [50, 40]], "the two planted pixels, not the flat corner");
    // Through the command: an error finding naming them.
    let dir = common::temp_dir("qc-stuck");
    for (i, f) in frames.iter().enumerate() {
        media::save(
            f,
            &dir.join(format!("s.{:04}.png", i + 1)),
            &SaveOptions { png_bits: 16, ..SaveOptions::default() },
        )
        .unwrap();
    }
    let json = dir.join("qc.json");
    let out = common::cinegrade(&["qc", dir.join("s.####.png").to_str().unwrap(), "--json", json.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let report: QcReport = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let dead: Vec<_> = report.findings.iter().filter(|f| f.check == cinegrade::qc::Check::DeadPixel).collect();
    assert_eq!(dead.len(), 1, "{:?}", report.findings);
    assert!(dead[0].note.contains("(90, 20)") && dead[0].note.contains("(50, 40)"), "{}", dead[0].note);
    assert_eq!((dead[0].first_frame, dead[0].last_frame, dead[0].value), (1, 8, 2.0));
}

/// `qc --project P` without `--shot`: every shot, each with its own pipeline; the JSON holds each
/// shot's report (equal to a run of that shot alone) and the page a section with a thumbnail each.
#[test]
fn a_whole_project_is_checked_shot_by_shot() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("qc-project");
    let demo = cinegrade::project::demo_project_path().unwrap();
    let (json, html) = (dir.join("project.json"), dir.join("project.html"));
    let out = common::cinegrade(&[
        "qc",
        "--project",
        demo.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    let report: cinegrade::qc::ProjectQcReport =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let names: Vec<&str> = report.shots.iter().map(|s| s.shot.as_str()).collect();
    assert_eq!(names, ["010 rocket", "020 astronaut", "030 coffee", "040 cat"]);
    assert_eq!(report.pass, report.shots.iter().all(|s| s.report.pass));
    assert_eq!(out.status.code(), Some(if report.pass { 0 } else { 1 }), "{}", common::stderr(&out));
    let one = dir.join("one.json");
    let single = common::cinegrade(&[
        "qc",
        "--project",
        demo.to_str().unwrap(),
        "--shot",
        "020 astronaut",
        "--json",
        one.to_str().unwrap(),
    ]);
    assert!(single.status.code().is_some_and(|c| c <= 1));
    let single: QcReport = serde_json::from_str(&std::fs::read_to_string(&one).unwrap()).unwrap();
    assert_eq!(report.shots[1].report, single);
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<img class=\"thumb\"").count(), 4);
    for name in names {
        assert!(page.contains(&format!("<h2>{name}</h2>")), "{name}");
    }
    // --frames is per shot.
    let bad = common::cinegrade(&["qc", "--project", demo.to_str().unwrap(), "--frames", "1-2"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// The level counts against FFmpeg's signalstats BRNG (pixels outside the broadcast range) on the same
/// file: a lossless FFV1 clip of greys at every 8-bit luma code 0..255 (chroma neutral, limited range),
/// decoded by Cinegrade and measured as a Rec.709 display signal with limits just outside 0 and 100 %
/// (codes 16 and 235 are legal, 15 and 236 not). For greys the two definitions coincide, so the
/// ratios must be equal: 36 of 256 codes.
#[test]
fn level_counts_agree_with_ffmpeg_signalstats_brng() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("qc-brng");
    let clip = dir.join("greys.mkv");
    let make = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i"])
        .arg("nullsrc=s=256x16:d=0.12:r=25,geq=lum='X':cb=128:cr=128,format=yuv444p")
        .args(["-c:v", "ffv1"])
        .arg(&clip)
        .output();
    match make {
        Ok(out) if out.status.success() => {}
        _ if std::env::var_os("CI").is_none() => return eprintln!("skipping: ffmpeg cannot make the clip"),
        other => panic!("CI is set and ffmpeg cannot make the clip: {other:?}"),
    }
    let stats = Command::new("ffmpeg")
        .args(["-hide_banner", "-i"])
        .arg(&clip)
        .args(["-vf", "signalstats=stat=brng,metadata=print", "-f", "null", "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&stats.stderr);
    let brng: Vec<f64> = text
        .lines()
        .filter_map(|l| l.split("lavfi.signalstats.BRNG=").nth(1))
        .map(|v| v.trim().parse().unwrap())
        .collect();
    assert!(!brng.is_empty(), "{text}");
    let profile = dir.join("edges.json");
    std::fs::write(&profile, r#"{"level_low": -0.002, "level_high": 1.002}"#).unwrap();
    let json = dir.join("brng.json");
    let out = common::cinegrade(&[
        "qc",
        clip.to_str().unwrap(),
        "--encoded-as",
        "rec709-display",
        "--profile",
        profile.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{}", common::stderr(&out));
    let report: QcReport = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report.frames.len(), brng.len());
    for (f, want) in report.frames.iter().zip(&brng) {
        let got = (f.below + f.above) as f64 / f.pixels as f64;
        assert_eq!(got, *want, "frame {}: {} below, {} above of {}", f.frame, f.below, f.above, f.pixels);
        assert_eq!((f.below, f.above), (16 * 16, 20 * 16), "codes 0-15 below, 236-255 above");
    }
}
