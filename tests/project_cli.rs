//! `cinegrade project ...` and `cinegrade render --project ...` end to end, on real frames laid out
//! as an editor would hand them over: an EDL and a folder of stills and sequences.

mod common;

use common::cinegrade;

use std::path::{Path, PathBuf};
use std::process::Output;

use cinegrade::interchange::read_cdl_file;
use cinegrade::project::{EDL_VERSION_NAME, Media, Project};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

fn one_line_error(out: &Output, needle: &str) {
    assert!(!out.status.success(), "expected failure: {}", text(&out.stdout));
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("cinegrade:")).collect();
    assert_eq!(lines.len(), 1, "one error line expected: {err}");
    assert!(lines[0].contains(needle), "{needle:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const EDL: &str = "TITLE: Review reel 1
FCM: NON-DROP FRAME

001  A001C002 V     C        01:00:00:00 01:00:00:05 00:00:00:00 00:00:00:05
* FROM CLIP NAME:  A001_C002
* SOURCE FILE: A001_C002.1001.exr
*ASC_SOP (1.1 1.0 0.9)(0.01 0.0 -0.01)(1.0 1.0 1.1)
*ASC_SAT 0.8

002  ROCKET   V     C        02:00:00:00 02:00:01:00 00:00:00:05 00:00:01:05
* FROM CLIP NAME:  rocket

003  BL       V     C        00:00:00:00 00:00:01:00 00:00:01:05 00:00:02:05

004  LOST01   V     C        03:00:00:00 03:00:01:00 00:00:02:05 00:00:03:05
* FROM CLIP NAME:  lost_plate
";

/// An editor's hand-over: `edl`, `media/plates/A001_C002.1001-1005.exr` and `media/rocket.jpg`.
fn handover(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = common::temp_dir(name);
    let plates = dir.join("media/plates");
    std::fs::create_dir_all(&plates).unwrap();
    // A real photograph as a float EXR plate.
    let photo = cinegrade::media::load(&common::data("frames/chelsea_crop_16bit.png")).unwrap().frame;
    let float = cinegrade::media::SaveOptions { exr_depth: cinegrade::media::ExrDepth::Float, ..Default::default() };
    let first = plates.join("A001_C002.1001.exr");
    cinegrade::media::save(&photo, &first, &float).unwrap();
    for f in 1002..=1005 {
        std::fs::copy(&first, plates.join(format!("A001_C002.{f}.exr"))).unwrap();
    }
    std::fs::copy(common::data("frames/rocket.jpg"), dir.join("media/rocket.jpg")).unwrap();
    let edl = dir.join("reel1.edl");
    std::fs::write(&edl, EDL).unwrap();
    (dir.clone(), edl, dir.join("media"))
}

fn import(dir: &Path, edl: &Path, media: &Path) -> PathBuf {
    let project = dir.join("reel1.cgproj");
    let out = cinegrade(&["project", "import-edl", s(edl), "--media", s(media), "-o", s(&project)]);
    let stdout = ok(&out);
    assert!(stdout.contains("3 shot(s) from 4 event(s), 1 with a CDL, 1 sequence(s)"), "{stdout}");
    assert!(stdout.contains("skipped event 003: black"), "{stdout}");
    let err = text(&out.stderr);
    assert!(err.contains("004 lost_plate: no media found") && err.contains("LOST01"), "{err}");
    project
}

#[test]
fn import_edl_makes_one_shot_per_event_with_its_cdl_and_media() {
    let (dir, edl, media) = handover("cli-import");
    let path = import(&dir, &edl, &media);
    let project = Project::load(&path).unwrap();
    assert_eq!(project.scenes[0].name, "Review reel 1");
    let shots: Vec<_> = project.shots().map(|(_, s)| s).collect();
    let names: Vec<&str> = shots.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["001 A001_C002", "002 rocket", "004 lost_plate"]);
    // The sequence, stored relative to the project, with its whole range on disk.
    assert_eq!(
        shots[0].media,
        Media::Sequence(cinegrade::project::SequenceMedia {
            pattern: "media/plates/A001_C002.####.exr".into(),
            first: 1001,
            last: 1005
        })
    );
    assert_eq!(shots[1].media, Media::Still("media/rocket.jpg".into()));
    // The CDL is the first grade version's primaries node.
    assert_eq!(shots[0].version_name(), EDL_VERSION_NAME);
    let cinegrade::grade::Op::Primaries(p) = &shots[0].grade().nodes[0].op else {
        panic!("the EDL's CDL is a primaries node")
    };
    assert_eq!(
        (p.cdl.slope, p.cdl.offset, p.cdl.power, p.cdl.saturation),
        ([1.1, 1.0, 0.9], [0.01, 0.0, -0.01], [1.0, 1.0, 1.1], 0.8)
    );
    assert!(shots[1].grade().nodes.is_empty(), "no CDL: neutral");
    assert!(shots[0].notes[0].contains("EDL event 001") && shots[0].notes[0].contains("01:00:00:00"));
    // Media found missing are still shots, and reported.
    let problems = project.media_problems(&dir);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].name, "004 lost_plate");

    // Never over an existing project without --overwrite.
    let again = cinegrade(&["project", "import-edl", s(&edl), "--media", s(&media), "-o", s(&path)]);
    one_line_error(&again, "already exists");
    let again = cinegrade(&["project", "import-edl", s(&edl), "--media", s(&media), "-o", s(&path), "--overwrite"]);
    ok(&again);
    // A broken EDL is one line naming the file and line.
    let bad = dir.join("bad.edl");
    std::fs::write(&bad, "001  A V C 01:00:00:00\n").unwrap();
    one_line_error(
        &cinegrade(&["project", "import-edl", s(&bad), "--media", s(&media), "-o", s(&dir.join("b.cgproj"))]),
        "bad.edl:1",
    );
}

#[test]
fn info_and_relink_report_and_fix_moved_media() {
    let (dir, edl, media) = handover("cli-relink");
    let path = import(&dir, &edl, &media);
    let info = ok(&cinegrade(&["project", "info", s(&path)]));
    for needle in [
        "Review reel 1",
        "001 A001_C002",
        "media/plates/A001_C002.####.exr [1001-1005]",
        "*v1 EDL",
        "3 not started",
        "1 shot(s) with missing media",
        "lost_plate",
    ] {
        assert!(info.contains(needle), "{needle:?} in {info}");
    }
    // A frame goes missing: info names it.
    std::fs::remove_file(media.join("plates/A001_C002.1003.exr")).unwrap();
    let info = ok(&cinegrade(&["project", "info", s(&path)]));
    assert!(info.contains("1 frame(s) missing: 1003"), "{info}");

    // The media move to another disk; a search finds them by name.
    let moved = dir.join("archive/2026");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&media, &moved).unwrap();
    let out = ok(&cinegrade(&["project", "relink", s(&path), "--search", s(&dir.join("archive"))]));
    assert!(out.contains("001 A001_C002") && out.contains("002 rocket") && out.contains("saved"), "{out}");
    let p = Project::load(&path).unwrap();
    assert_eq!(p.scenes[0].shots[1].media, Media::Still("archive/2026/rocket.jpg".into()));
    assert_eq!(p.media_problems(&dir).len(), 2, "the hole and the lost plate remain");

    // Or the folder is named: everything under the old place now lives under the new one.
    std::fs::rename(&moved, dir.join("media")).unwrap();
    let out = ok(&cinegrade(&["project", "relink", s(&path), "--from", s(&moved), "--to", s(&dir.join("media"))]));
    assert!(out.contains("2 shot(s) moved"), "{out}");
    let p = Project::load(&path).unwrap();
    assert_eq!(p.scenes[0].shots[1].media, Media::Still("media/rocket.jpg".into()));
    one_line_error(&cinegrade(&["project", "info", s(&dir.join("none.cgproj"))]), "none.cgproj");
}

#[test]
fn render_a_shot_frame_range_with_its_grade() {
    if common::gpu().is_none() {
        return;
    }
    let (dir, edl, media) = handover("cli-render-range");
    let path = import(&dir, &edl, &media);
    let out_pattern = dir.join("out/A001_C002.####.exr");
    let out = cinegrade(&[
        "render",
        "--project",
        s(&path),
        "--shot",
        "001 A001_C002",
        "--frames",
        "1002-1004",
        "-o",
        s(&out_pattern),
        "--depth",
        "float",
    ]);
    ok(&out);
    let written: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(dir.join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(written, ["A001_C002.1002.exr", "A001_C002.1003.exr", "A001_C002.1004.exr"]);
    // Each output is exactly the single-frame render of that frame with the shot's grade.
    let project = Project::load(&path).unwrap();
    let grade_path = dir.join("grade.json");
    std::fs::write(&grade_path, project.scenes[0].shots[0].grade().to_json()).unwrap();
    let single = dir.join("single.exr");
    let src = media.join("plates/A001_C002.1003.exr");
    ok(&cinegrade(&["render", s(&src), "-o", s(&single), "--grade", s(&grade_path), "--depth", "float"]));
    let a = cinegrade::media::load(&dir.join("out/A001_C002.1003.exr")).unwrap().frame;
    let b = cinegrade::media::load(&single).unwrap().frame;
    assert_eq!(a, b);
    assert_ne!(a, cinegrade::media::load(&src).unwrap().frame, "the CDL changed the picture");

    // Existing outputs are refused without --overwrite; with it they are replaced.
    let again =
        ["render", "--project", s(&path), "--shot", "001 A001_C002", "--frames", "1003-1005", "-o", s(&out_pattern)];
    one_line_error(&cinegrade(&again), "A001_C002.1003.exr: already exists (and 1 more)");
    assert!(!dir.join("out/A001_C002.1005.exr").exists(), "nothing written when refusing");
    let mut with = again.to_vec();
    with.push("--overwrite");
    ok(&cinegrade(&with));
    assert!(dir.join("out/A001_C002.1005.exr").exists());
    // A still shot renders to one file.
    let still_out = dir.join("rocket.png");
    ok(&cinegrade(&["render", "--project", s(&path), "--shot", "002 rocket", "-o", s(&still_out)]));
    assert!(still_out.is_file());
}

#[test]
fn render_refuses_missing_frames_source_media_and_bad_requests() {
    let (dir, edl, media) = handover("cli-render-refuse");
    let path = import(&dir, &edl, &media);
    std::fs::remove_file(media.join("plates/A001_C002.1002.exr")).unwrap();
    std::fs::remove_file(media.join("plates/A001_C002.1003.exr")).unwrap();
    let out_pattern = dir.join("out/x.####.exr");
    let render = |extra: &[&str]| {
        let mut args = vec!["render", "--project", s(&path), "--shot", "001 A001_C002", "-o", s(&out_pattern)];
        args.extend_from_slice(extra);
        cinegrade(&args)
    };
    one_line_error(&render(&[]), "2 of 5 frame(s) missing: 1002-1003");
    one_line_error(&render(&["--frames", "1004-1010"]), "missing: 1006-1010");
    assert!(!dir.join("out").exists(), "nothing written");
    one_line_error(&render(&["--frames", "10-1"]), "bad frame list");
    // Never over the source frames, not even with --overwrite.
    let src = media.join("plates/A001_C002.####.exr");
    let out = cinegrade(&[
        "render",
        "--project",
        s(&path),
        "--shot",
        "001 A001_C002",
        "--frames",
        "1004-1005",
        "-o",
        s(&src),
        "--overwrite",
    ]);
    one_line_error(&out, "refusing to write over the source");
    // More than one frame needs a pattern; names must pick one shot and one version.
    let out = cinegrade(&[
        "render",
        "--project",
        s(&path),
        "--shot",
        "001 A001_C002",
        "--frames",
        "1004-1005",
        "-o",
        s(&dir.join("one.exr")),
    ]);
    one_line_error(&out, "need an output pattern");
    one_line_error(
        &cinegrade(&["render", "--project", s(&path), "--shot", "nope", "-o", s(&out_pattern)]),
        "no shot named \"nope\"",
    );
    let out = cinegrade(&[
        "render",
        "--project",
        s(&path),
        "--shot",
        "002 rocket",
        "--grade-version",
        "v9",
        "-o",
        s(&dir.join("r.png")),
    ]);
    one_line_error(&out, "no version \"v9\"");
    let out = cinegrade(&[
        "render",
        "--project",
        s(&path),
        "--shot",
        "002 rocket",
        "--frames",
        "1-2",
        "-o",
        s(&dir.join("r.png")),
    ]);
    one_line_error(&out, "is a still");
}

#[test]
fn export_stills_contact_sheet_and_cdls_for_review() {
    if common::gpu().is_none() {
        return;
    }
    let (dir, edl, media) = handover("cli-export");
    let path = import(&dir, &edl, &media);
    let stills = dir.join("review");
    let sheet = dir.join("sheet.png");
    let ccc = dir.join("reel1.ccc");
    let cc_dir = dir.join("cc");
    let out = cinegrade(&[
        "project",
        "export",
        s(&path),
        "--stills",
        s(&stills),
        "--burn-in",
        "--format",
        "tif",
        "--contact-sheet",
        s(&sheet),
        "--ccc",
        s(&ccc),
        "--cdl-dir",
        s(&cc_dir),
    ]);
    // The lost plate cannot export a still: reported, the others written, non-zero exit.
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("stills: 004 lost_plate") && err.contains("1 export(s) failed"), "{err}");
    assert!(err.contains("contact sheet: 004 lost_plate"), "{err}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("2 still(s)") && stdout.contains("3 correction(s)") && stdout.contains("3 .cc file(s)"),
        "{stdout}"
    );

    let still = cinegrade::media::load(&stills.join("001_A001_C002_v1_EDL.tif")).unwrap();
    let plain = cinegrade::media::load(&media.join("plates/A001_C002.1001.exr")).unwrap().frame;
    let (w, h) = (plain.width, plain.height);
    assert_eq!((still.info.width, still.info.height), (w, h));
    // The burn-in is in the exported still only: the top of the picture is the graded frame.
    let top = (w * h / 2) as usize;
    assert!(still.frame.pixels[..top].iter().zip(&plain.pixels).any(|(a, b)| a != b), "graded");
    let bottom = still.frame.crop(0, h - 16, w, 16);
    assert!(bottom.pixels.iter().any(|p| p[0] > 0.8 && p[1] > 0.8 && p[2] > 0.8), "white caption text");
    assert_eq!(
        cinegrade::media::load(&media.join("plates/A001_C002.1001.exr")).unwrap().frame,
        plain,
        "source untouched"
    );

    let sheet_img = cinegrade::media::load(&sheet).unwrap();
    assert!(sheet_img.info.width > 3 * w && sheet_img.info.height > h, "{:?}", sheet_img.info);

    let corrections = read_cdl_file(&ccc).unwrap();
    let ids: Vec<&str> = corrections.iter().map(|c| c.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["001 A001_C002", "002 rocket", "004 lost_plate"]);
    assert_eq!(corrections[0].cdl.slope, [1.1, 1.0, 0.9]);
    assert_eq!(corrections[0].cdl.saturation, 0.8);
    let cc = read_cdl_file(&cc_dir.join("001_A001_C002.cc")).unwrap();
    assert_eq!(cc[0].cdl, corrections[0].cdl);

    // A second export refuses to replace anything, and never writes over source media.
    one_line_error(&cinegrade(&["project", "export", s(&path), "--ccc", s(&ccc)]), "already exists");
    let out =
        cinegrade(&["project", "export", s(&path), "--contact-sheet", s(&media.join("rocket.jpg")), "--overwrite"]);
    one_line_error(&out, "refusing to write over source media");
    ok(&cinegrade(&["project", "export", s(&path), "--ccc", s(&ccc), "--overwrite"]));
}

#[test]
fn shot_colour_spaces_drive_renders_and_exports() {
    if common::gpu().is_none() {
        return;
    }
    let (dir, edl, media) = handover("cli-spaces");
    let path = import(&dir, &edl, &media);
    let mut project = Project::load(&path).unwrap();
    let shot = &mut project.scenes[0].shots[0];
    shot.input_space = Some(cinegrade::color::space::ColorSpace::ArriLogC3Ei800);
    shot.output_space = Some(cinegrade::color::space::ColorSpace::Rec709Display);
    project.save(&path).unwrap();
    let grade_path = dir.join("grade.json");
    std::fs::write(&grade_path, project.scenes[0].shots[0].grade().to_json()).unwrap();

    // render --project converts from the shot's input space to its output space around the grade,
    // exactly as `render` with the same spaces given as flags.
    let out = dir.join("out/a.####.exr");
    ok(&cinegrade(&[
        "render",
        "--project",
        s(&path),
        "--shot",
        "001 A001_C002",
        "--frames",
        "1001",
        "-o",
        s(&out),
        "--depth",
        "float",
    ]));
    let single = dir.join("single.exr");
    let src = media.join("plates/A001_C002.1001.exr");
    ok(&cinegrade(&[
        "render",
        s(&src),
        "-o",
        s(&single),
        "--grade",
        s(&grade_path),
        "--input-space",
        "arri-logc3-ei800",
        "--output-space",
        "rec709-display",
        "--depth",
        "float",
    ]));
    let converted = cinegrade::media::load(&dir.join("out/a.1001.exr")).unwrap().frame;
    assert_eq!(converted, cinegrade::media::load(&single).unwrap().frame);
    // A flag overrides the shot's space.
    let linear = dir.join("lin/a.####.exr");
    ok(&cinegrade(&[
        "render",
        "--project",
        s(&path),
        "--shot",
        "001 A001_C002",
        "--frames",
        "1001",
        "-o",
        s(&linear),
        "--depth",
        "float",
        "--output-space",
        "linear-rec709",
    ]));
    assert_ne!(cinegrade::media::load(&dir.join("lin/a.1001.exr")).unwrap().frame, converted);

    // Review stills go through the same pipeline; each shot's look bakes to a .cube that parses.
    let stills = dir.join("stills");
    let cubes = dir.join("cubes");
    let out = cinegrade(&[
        "project",
        "export",
        s(&path),
        "--stills",
        s(&stills),
        "--format",
        "exr",
        "--cube-dir",
        s(&cubes),
        "--cube-size",
        "17",
    ]);
    assert!(text(&out.stdout).contains("3 .cube file(s)"), "{}{}", text(&out.stdout), text(&out.stderr));
    let still = cinegrade::media::load(&stills.join("001_A001_C002_v1_EDL.exr")).unwrap().frame;
    cinegrade_close(&still, &converted);
    let cube_path = cubes.join("001_A001_C002.cube");
    let cube = cinegrade::interchange::read_cube(&cube_path).unwrap();
    assert_eq!(cube.lut3d.as_ref().map(|l| l.size), Some(17));
    // OpenColorIO reads the exported look and gives what Cinegrade's reading of it gives (measured
    // 1.2e-7), and it approximates the shot's render (measured median 1.2e-3, p99 6.9e-2).
    let plate = cinegrade::media::load(&src).unwrap().frame;
    let inputs: Vec<[f32; 3]> = plate.pixels.iter().step_by(5).map(|p| [p[0], p[1], p[2]]).collect();
    if let Some(ocio) = common::ocio_apply(&cube_path, "tetrahedral", &inputs) {
        let ours: Vec<[f32; 3]> =
            inputs.iter().map(|&p| cube.apply(p, cinegrade::interchange::Interpolation::Tetrahedral)).collect();
        let (err, i) = common::worst_relative(&ocio, &ours);
        assert!(err <= 1e-6, "OpenColorIO {:?} against Cinegrade {:?} ({err:e})", ocio[i], ours[i]);
        let rendered: Vec<[f32; 3]> =
            converted.pixels.iter().step_by(5).map(|p| [p[0], p[1], p[2]].map(|v| v.clamp(0.0, 1.0))).collect();
        let clamped: Vec<[f32; 3]> = ocio.iter().map(|p| p.map(|v| v.clamp(0.0, 1.0))).collect();
        let mut errors: Vec<f32> =
            clamped.iter().zip(&rendered).flat_map(|(a, b)| (0..3).map(move |c| (a[c] - b[c]).abs())).collect();
        errors.sort_by(f32::total_cmp);
        let p99 = errors[errors.len() * 99 / 100];
        let median = errors[errors.len() / 2];
        println!(
            "exported .cube through OpenColorIO against the render: median {median:.1e}, p99 {p99:.1e}, max {:.1e}",
            errors[errors.len() - 1]
        );
        // A 17³ lattice over LogC3 codes cannot follow the display's clip of saturated reds (the
        // worst: green 0.14 where the render clips it to 0), so the bound is on the bulk.
        assert!(median <= 5e-3 && p99 <= 0.1, "median {median}, p99 {p99}");
    }
    assert!(cinegrade::interchange::read_cube(&cubes.join("004_lost_plate.cube")).is_ok(), "a look needs no media");
}

/// Half-float stills against a float render.
fn cinegrade_close(a: &cinegrade::media::Frame, b: &cinegrade::media::Frame) {
    assert_eq!((a.width, a.height), (b.width, b.height));
    common::assert_close(&a.pixels, &b.pixels, 2e-3, "still vs render");
}
