//! `cinegrade render` on a folder or pattern of numbered frames: every frame matches a single-still
//! render with the same flags, frames keep their names, and missing, broken or existing frames stop
//! the render before anything is overwritten, naming the frame.

mod common;

use common::{cinegrade, stderr};

use std::path::{Path, PathBuf};
use std::process::Output;

use cinegrade::media::{self, ExrDepth, Frame, SaveOptions};

fn assert_one_line_error(out: &Output, needle: &str) {
    assert!(!out.status.success(), "expected failure, got success");
    let err = stderr(out);
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected: {err}");
    assert!(err.contains(needle), "{needle:?} not in {err}");
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small frame that differs per frame number (a ramp shifted by the frame), with values above 1.
fn frame(n: u32) -> Frame {
    let (width, height) = (24, 16);
    let pixels = (0..width * height)
        .map(|i| {
            let (x, y) = ((i % width) as f32 / width as f32, (i / width) as f32 / height as f32);
            let t = (n % 7) as f32 * 0.1;
            [x * 1.5 + t, y, (x + y) * 0.5 - 0.05, 1.0]
        })
        .collect();
    Frame { width, height, pixels }
}

/// Writes frames `first..=last` as `dir/plate.####.<ext>`.
fn write_sequence(dir: &Path, ext: &str, first: u32, last: u32) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let options = SaveOptions { exr_depth: ExrDepth::Half, ..SaveOptions::default() };
    (first..=last)
        .map(|n| {
            let path = dir.join(format!("plate.{n:04}.{ext}"));
            media::save(&frame(n), &path, &options).unwrap();
            path
        })
        .collect()
}

fn colour_flags() -> Vec<String> {
    let cdl = common::data("interchange/cdl_test_ASC_SAT.cc");
    let lut = common::data("interchange/teal_and_orange_cinema.cube");
    vec!["--cdl".into(), s(&cdl).into(), "--lut".into(), s(&lut).into()]
}

/// Renders `input` as one still with `flags` and returns the decoded result.
fn single_still(input: &Path, output: &Path, flags: &[String]) -> Frame {
    let mut args = vec!["render", s(input), "-o", s(output)];
    args.extend(flags.iter().map(String::as_str));
    let out = cinegrade(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    media::load(output).unwrap().frame
}

#[test]
fn a_folder_of_frames_renders_like_each_still() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("seq-folder");
    let sources = write_sequence(&dir.join("in"), "exr", 1001, 1006);
    let before: Vec<Vec<u8>> = sources.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let (in_dir, out_dir) = (dir.join("in"), dir.join("out"));
    let flags = colour_flags();
    let mut args = vec!["render", s(&in_dir), "-o", s(&out_dir), "--depth", "float"];
    args.extend(flags.iter().map(String::as_str));
    let out = cinegrade(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "stdout stays clean");
    assert!(stderr(&out).contains("rendered 6 frame(s) in") && stderr(&out).contains("frames/s"), "{}", stderr(&out));
    let mut still_flags = flags.clone();
    still_flags.extend(["--depth".into(), "float".into()]);
    for (n, source) in (1001..=1006).zip(&sources) {
        let rendered = out_dir.join(format!("plate.{n}.exr"));
        assert!(rendered.is_file(), "{} exists", rendered.display());
        let expected = single_still(source, &dir.join(format!("still.{n}.exr")), &still_flags);
        assert_eq!(media::load(&rendered).unwrap().frame, expected, "frame {n}");
    }
    let after: Vec<Vec<u8>> = sources.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert_eq!(before, after, "sources untouched");

    // Rendering again is refused without --overwrite, naming an existing output; with it, it works.
    let again = cinegrade(&args);
    assert_one_line_error(&again, "already exists (and 5 more)");
    args.push("--overwrite");
    assert!(cinegrade(&args).status.success());

    // Into the source folder in the same format: every output is a source, refused.
    let same = cinegrade(&["render", s(&in_dir), "-o", s(&in_dir), "--overwrite"]);
    assert_one_line_error(&same, "refusing to write over the source frame");
    let after: Vec<Vec<u8>> = sources.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert_eq!(before, after, "sources untouched");
}

#[test]
fn a_pattern_with_a_frame_range_renders_to_an_output_pattern_or_format() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("seq-pattern");
    let sources = write_sequence(&dir.join("in"), "png", 1, 5);
    let flags = colour_flags();
    let input = dir.join("in/plate.%04d.png");
    let pattern_out = dir.join("graded/look_####.png");
    let mut args = vec!["render", s(&input), "--frames", "2-4", "-o", s(&pattern_out)];
    args.extend(flags.iter().map(String::as_str));
    let out = cinegrade(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    for n in 1..=5 {
        let rendered = dir.join(format!("graded/look_{n:04}.png"));
        assert_eq!(rendered.exists(), (2..=4).contains(&n), "frame {n} only inside --frames");
        if rendered.exists() {
            let expected = single_still(&sources[n as usize - 1], &dir.join(format!("still{n}.png")), &flags);
            assert_eq!(media::load(&rendered).unwrap().frame, expected, "frame {n}");
        }
    }
    // A folder output with --format keeps the names and changes the extension.
    let out = cinegrade(&["render", s(&dir.join("in/plate.####.png")), "-o", s(&dir.join("exr")), "--format", "exr"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for n in 1..=5 {
        assert!(dir.join(format!("exr/plate.{n:04}.exr")).is_file(), "frame {n}");
    }
}

#[test]
fn a_missing_or_broken_frame_is_named() {
    let dir = common::temp_dir("seq-broken");
    let sources = write_sequence(&dir.join("in"), "exr", 1001, 1005);
    std::fs::remove_file(&sources[2]).unwrap();
    let out = cinegrade(&["render", s(&dir.join("in")), "-o", s(&dir.join("out"))]);
    assert_one_line_error(&out, "frame(s) missing: 1003");
    assert!(!dir.join("out").exists(), "nothing written");
    // Outside --frames the hole does not matter.
    if common::gpu().is_none() {
        return;
    }
    let out = cinegrade(&["render", s(&dir.join("in")), "--frames", "1001-1002", "-o", s(&dir.join("out"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A corrupt frame fails alone, named with its file; the others are rendered; exit status 1.
    std::fs::write(&sources[2], b"v/1\x01 not an exr").unwrap();
    let out = cinegrade(&["render", s(&dir.join("in")), "-o", s(&dir.join("out2"))]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.trim_end().lines().collect();
    assert_eq!(lines.len(), 2, "the summary and the failure: {err}");
    assert!(lines[0].starts_with("plate: frames 1001-1005: rendered 4 frame(s) in"), "{err}");
    assert!(lines[0].ends_with("; 1 FAILED: 1003"), "{err}");
    assert!(lines[1].starts_with("cinegrade: frame 1003: ") && lines[1].contains("plate.1003.exr"), "{err}");
    for f in [1001, 1002, 1004, 1005] {
        assert!(dir.join(format!("out2/plate.{f}.exr")).is_file(), "frame {f} written");
    }
    assert!(!dir.join("out2/plate.1003.exr").exists());
}

/// `render -v` says where the time went: every stage of the pipeline, its busy seconds, per frame and
/// as a share of the cores (no figure asserted: tests never time).
#[test]
fn verbose_render_prints_a_per_stage_profile() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("seq-profile");
    write_sequence(&dir.join("in"), "exr", 1, 4);
    let out = cinegrade(&["render", s(&dir.join("in")), "-o", s(&dir.join("out")), "-v"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("profile (4 frame(s), "), "{err}");
    for stage in ["decode", "upload", "grade (GPU wait)", "readback", "encode + write"] {
        let line = err.lines().find(|l| l.trim_start().starts_with(stage)).unwrap_or_else(|| panic!("{stage}: {err}"));
        assert!(line.contains(" ms/frame") && line.contains("% of the cores"), "{line}");
    }
}

#[test]
fn sequence_only_flags_and_ambiguous_folders_are_refused() {
    let dir = common::temp_dir("seq-flags");
    let still = common::data("frames/chelsea.png");
    let out = dir.join("o.png");
    assert_one_line_error(&cinegrade(&["render", s(&still), "-o", s(&out), "--frames", "1-2"]), "--frames");
    assert_one_line_error(&cinegrade(&["render", s(&still), "-o", s(&out), "--format", "exr"]), "--format");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    assert_one_line_error(&cinegrade(&["render", s(&dir.join("empty")), "-o", s(&out)]), "no numbered frames");
    write_sequence(&dir.join("two"), "exr", 1, 2);
    write_sequence(&dir.join("two"), "png", 1, 2);
    assert_one_line_error(&cinegrade(&["render", s(&dir.join("two")), "-o", s(&out)]), "holds 2 sequences");
}
