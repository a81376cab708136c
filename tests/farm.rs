//! The render farm contract: frame lists as farm engines write them, restartable chunks
//! (`--skip-existing`, atomic writes), exit codes and summary lines, QC chunks joined by
//! `qc merge`, and the templates in farm/ checked and run offline (OpenJD's own tools, the
//! Kubernetes models, bash with a stub Slurm environment).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame, SaveOptions};
use cinegrade::ops::primaries::Primaries;
use cinegrade::project::{Media, Project, Scene, SequenceMedia, Shot};

use common::{cinegrade, stderr};

const FIRST: u32 = 1001;
const LAST: u32 = 1009;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A plate of frames FIRST..=LAST: a gradient with a bright square that moves, different on every
/// frame, as 16-bit PNGs (fast to write and read, so the test is about the contract, not codecs).
fn plate(dir: &Path) -> PathBuf {
    let plates = dir.join("plates");
    std::fs::create_dir_all(&plates).unwrap();
    let (w, h) = (48u32, 32u32);
    for f in FIRST..=LAST {
        let k = (f - FIRST) as f32;
        let pixels = (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                let square = (x - 2.0 - 4.0 * k).abs() < 4.0 && (y - 16.0).abs() < 4.0;
                let v = if square { 0.9 } else { 0.1 + 0.5 * x / w as f32 };
                [v, 0.3 + 0.02 * k, 0.5 * y / h as f32, 1.0]
            })
            .collect();
        let frame = Frame { width: w, height: h, pixels };
        media::save(&frame, &plates.join(format!("A001.{f}.png")), &SaveOptions::default()).unwrap();
    }
    plates.join("A001.####.png")
}

/// A project with one sequence shot "A001" over the plate, graded with a CDL.
fn project(dir: &Path) -> PathBuf {
    plate(dir);
    let mut shot = Shot::new(
        "A001",
        Media::Sequence(SequenceMedia { pattern: "plates/A001.####.png".into(), first: FIRST, last: LAST }),
    );
    let mut look = Primaries::default();
    look.cdl.slope = [1.2, 1.0, 0.8];
    look.cdl.power = [1.1, 1.0, 0.9];
    look.saturation = 1.2;
    *shot.grade_mut() = Grade { nodes: vec![Node::new(Op::Primaries(look))], ..Grade::default() };
    let mut project = Project::new("farm test");
    project.scenes.push(Scene { name: "reel 1".into(), shots: vec![shot] });
    let path = dir.join("show.cgproj");
    project.save(&path).unwrap();
    path
}

fn render_project(project: &Path, frames: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["render", "--project", s(project), "--shot", "A001", "--frames", frames, "-o", s(out)];
    args.extend_from_slice(extra);
    cinegrade(&args)
}

/// Every frame file in `dir` (names and bytes), hidden files apart.
fn frames_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_str().unwrap().starts_with('.'))
        .map(|p| (p.file_name().unwrap().to_str().unwrap().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn names(frames: &[(String, Vec<u8>)]) -> Vec<&str> {
    frames.iter().map(|(n, _)| n.as_str()).collect()
}

/// The whole range rendered once: what every chunked or restarted render must equal, byte for byte.
fn reference(dir: &Path, project: &Path) -> Vec<(String, Vec<u8>)> {
    let out = dir.join("reference");
    let run = render_project(project, &format!("{FIRST}-{LAST}"), &out.join("A001.####.exr"), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    frames_in(&out)
}

#[test]
fn frame_lists_with_steps_and_lists_render_exactly_those_frames() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("farm-lists");
    let project = project(&dir);
    let whole = reference(&dir, &project);
    let out = dir.join("picked");
    let run = render_project(&project, "1001-1009:4,1006", &out.join("A001.####.exr"), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let picked = frames_in(&out);
    assert_eq!(names(&picked), ["A001.1001.exr", "A001.1005.exr", "A001.1006.exr", "A001.1009.exr"]);
    for (name, bytes) in &picked {
        assert!(whole.iter().any(|(n, b)| n == name && b == bytes), "{name} equals the whole render's");
    }
    // The summary line names the frames, as a farm log shows it.
    let log = stderr(&run);
    assert!(log.contains("A001: frames 1001, 1005-1006, 1009: rendered 4 frame(s) in"), "{log}");
    // A bad part is named, and nothing is rendered (exit 2).
    let bad = render_project(&project, "1001-1004,10x6", &dir.join("bad/A001.####.exr"), &[]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("`10x6` is not a frame number"), "{}", stderr(&bad));
    assert!(!dir.join("bad").exists());
    // Frames outside the shot: named, exit 2.
    let outside = render_project(&project, "1008-1012", &dir.join("outside/A001.####.exr"), &[]);
    assert_eq!(outside.status.code(), Some(2));
    assert!(stderr(&outside).contains("3 of 5 frame(s) missing: 1010-1012"), "{}", stderr(&outside));
}

#[test]
fn a_killed_chunk_rerun_with_skip_existing_ends_identical_to_a_clean_render() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("farm-restart");
    let project = project(&dir);
    let whole = reference(&dir, &project);
    let out = dir.join("chunk");
    let pattern = out.join("A001.####.exr");
    // The task is killed after its third frame is written (the test-only fault point aborts the
    // process there, as SIGKILL would, with later frames in flight).
    let killed = Command::new(env!("CARGO_BIN_EXE_cinegrade"))
        .args(["render", "--project", s(&project), "--shot", "A001", "--frames", "1001-1009", "-o", s(&pattern)])
        .env("CINEGRADE_TEST_KILL_AFTER_FRAMES", "3")
        .output()
        .unwrap();
    assert!(!killed.status.success(), "the task was killed");
    let left = frames_in(&out);
    assert!(left.len() >= 3 && left.len() < 9, "killed midway: {:?}", names(&left));
    for (name, bytes) in &left {
        assert!(whole.iter().any(|(n, b)| n == name && b == bytes), "{name}: a frame left behind is whole");
    }
    // A corrupt leftover (a copy cut short by another tool) and a frame that is garbage.
    let (name, bytes) = &whole[7];
    std::fs::write(out.join(name), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(out.join(&whole[8].0), b"not an exr").unwrap();
    // What a writer killed between write and rename leaves: a hidden temporary of a dead process.
    let mut gone = Command::new("true").spawn().unwrap();
    let dead_pid = gone.id();
    gone.wait().unwrap();
    std::fs::write(out.join(format!(".A001.1005.exr.{dead_pid}.7.tmp")), b"half a frame").unwrap();
    // Without --skip-existing (or --overwrite) the re-run refuses to touch anything (exit 2).
    let refused = render_project(&project, "1001-1009", &pattern, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--skip-existing"), "{}", stderr(&refused));
    let rerun = render_project(&project, "1001-1009", &pattern, &["--skip-existing"]);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let log = stderr(&rerun);
    assert!(log.contains("rendering again") && log.contains(name.as_str()), "{log}");
    let skipped = left.iter().filter(|(n, _)| n != name && *n != whole[8].0).count();
    assert!(log.contains(&format!("; {skipped} skipped, already complete")), "{log}");
    assert_eq!(frames_in(&out), whole, "every frame complete and identical to a clean render");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "the killed task's temporaries are cleared: {leftovers:?}");
    // Run again: everything is skipped, nothing rewritten.
    let again = render_project(&project, "1001-1009", &pattern, &["--skip-existing"]);
    assert!(again.status.success() && stderr(&again).contains("rendered 0 frame(s)"), "{}", stderr(&again));
    assert!(stderr(&again).contains("9 skipped, already complete (1001-1009)"), "{}", stderr(&again));
}

#[test]
fn frames_that_fail_are_listed_and_the_others_rendered_with_exit_status_1() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("farm-failed");
    let project = project(&dir);
    std::fs::write(dir.join("plates/A001.1004.png"), b"\x89PNG\r\n\x1a\n cut short").unwrap();
    std::fs::write(dir.join("plates/A001.1007.png"), b"garbage").unwrap();
    let out = dir.join("out");
    let run = render_project(&project, "1001-1009", &out.join("A001.####.exr"), &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let log = stderr(&run);
    assert!(log.contains("rendered 7 frame(s)") && log.contains("; 2 FAILED: 1004, 1007"), "{log}");
    assert!(log.contains("cinegrade: frame 1004: ") && log.contains("A001.1004.png"), "{log}");
    assert!(log.contains("cinegrade: frame 1007: "), "{log}");
    let written = frames_in(&out);
    assert_eq!(written.len(), 7);
    assert!(!names(&written).contains(&"A001.1004.exr") && !names(&written).contains(&"A001.1007.exr"));
}

#[test]
fn the_completeness_check_reads_headers_and_lengths_of_every_output_format() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("farm-complete");
    let project = project(&dir);
    for ext in ["exr", "dpx", "png", "tif", "jpg"] {
        let out = dir.join(ext);
        let run = render_project(&project, "1001", &out.join(format!("A001.####.{ext}")), &[]);
        assert!(run.status.success(), "{ext}: {}", stderr(&run));
        let path = out.join(format!("A001.1001.{ext}"));
        media::check_complete(&path).unwrap_or_else(|e| panic!("{ext}: {e}"));
        let bytes = std::fs::read(&path).unwrap();
        for cut in [bytes.len() - 1, bytes.len() / 2, 10] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let err = media::check_complete(&path);
            assert!(err.is_err(), "{ext} cut to {cut} of {} bytes passed", bytes.len());
        }
        std::fs::write(&path, &bytes).unwrap();
    }
    // An EXR whose offset table has an entry never filled in (a writer stopped before that chunk).
    let exr = dir.join("exr/A001.1001.exr");
    let bytes = std::fs::read(&exr).unwrap();
    let meta = exr::meta::MetaData::read_from_buffered(std::io::Cursor::new(&bytes), false).unwrap();
    let chunks = meta.headers[0].chunk_count;
    // The table is the last 8 * chunks bytes before the first chunk; find it by its first entry.
    let table = (0..bytes.len() - 8)
        .find(|&i| {
            let first = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap()) as usize;
            first == i + 8 * chunks
        })
        .expect("offset table");
    let mut holed = bytes.clone();
    holed[table + 8..table + 16].fill(0);
    std::fs::write(&exr, &holed).unwrap();
    let err = media::check_complete(&exr).unwrap_err().to_string();
    assert!(err.contains("chunk 1 of") && err.contains("never written"), "{err}");
    // Real files from other writers pass, and fail cut short by one byte: OpenEXR's own (scanline in
    // every compression, tiled with mip levels, subsampled luma/chroma), OpenImageIO's and FFmpeg's DPX.
    let files = |folder: &str, ext: &str| -> Vec<PathBuf> {
        std::fs::read_dir(common::data(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect()
    };
    let mut real = files("frames", "exr");
    real.extend(files("dpx", "dpx"));
    real.extend(["frames/chelsea.png", "frames/rocket.jpg"].map(common::data));
    assert!(real.len() >= 20, "{real:?}");
    for path in real {
        media::check_complete(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let bytes = std::fs::read(&path).unwrap();
        let cut = dir.join(format!("cut-{}", path.file_name().unwrap().to_str().unwrap()));
        std::fs::write(&cut, &bytes[..bytes.len() - 1]).unwrap();
        assert!(media::check_complete(&cut).is_err(), "{} cut by a byte passed", path.display());
    }
}

/// `qc` over three chunks (each with the frame before it graded unmeasured) and `qc merge` give
/// the report of one run over the whole range: the same frames and findings, runs across chunk
/// edges joined.
#[test]
fn qc_chunks_merge_into_the_whole_programmes_report() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("farm-qc");
    let plates = dir.join("plates");
    std::fs::create_dir_all(&plates).unwrap();
    // 12 frames: black 1003-1006 (across the 1001-1004 / 1005-1008 edge), frozen 1007-1012, out of
    // range (above 100 %) on 1001.
    let (w, h) = (32u32, 24u32);
    for f in 1001..=1012u32 {
        let value = match f {
            1001 => 1.5,
            1003..=1006 => 0.0,
            1007..=1012 => 0.5,
            _ => 0.1 + 0.05 * (f - 1000) as f32,
        };
        let pixels = (0..w * h).map(|i| [value * (0.5 + (i % w) as f32 / w as f32 / 2.0), value, value, 1.0]).collect();
        let save = SaveOptions { exr_depth: media::ExrDepth::Float, ..SaveOptions::default() };
        media::save(&Frame { width: w, height: h, pixels }, &plates.join(format!("p.{f}.exr")), &save).unwrap();
    }
    let input = plates.join("p.####.exr");
    // Short runs count here: frozen from 0.1 s, black from 2 frames.
    let profile = dir.join("farm-test.json");
    std::fs::write(&profile, r#"{"freeze_min_seconds": 0.1, "black_min_frames": 2}"#).unwrap();
    let qc = |frames: Option<&str>, json: &Path| {
        let mut args = vec![
            "qc",
            s(&input),
            "--input-space",
            "linear-rec709",
            "--output-space",
            "rec709-display",
            "--tone-map",
            "none",
            "--profile",
            s(&profile),
            "--json",
            s(json),
        ];
        if let Some(f) = frames {
            args.extend(["--frames", f]);
        }
        cinegrade(&args)
    };
    let whole_path = dir.join("whole.json");
    let whole_run = qc(None, &whole_path);
    assert_eq!(whole_run.status.code(), Some(1), "{}", stderr(&whole_run));
    let mut chunks = Vec::new();
    for (i, frames) in ["1001-1004", "1005-1008", "1009-1012"].iter().enumerate() {
        let path = dir.join(format!("qc-{i}.json"));
        let run = qc(Some(frames), &path);
        assert!(run.status.code().is_some_and(|c| c <= 1), "{}", stderr(&run));
        chunks.push(path);
    }
    let merged_path = dir.join("merged.json");
    let html = dir.join("merged.html");
    let mut args = vec!["qc", "merge", s(&chunks[2]), s(&chunks[0]), s(&chunks[1]), "-o", s(&merged_path)];
    args.extend(["--html", s(&html), "--frames", "1001-1012"]);
    let merge = cinegrade(&args);
    assert_eq!(merge.status.code(), Some(1), "a failing programme fails merged: {}", stderr(&merge));
    let read = |p: &Path| -> serde_json::Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    let (whole, merged) = (read(&whole_path), read(&merged_path));
    assert_eq!(merged["frames"], whole["frames"], "every frame's measures, the chunk starts' differences too");
    assert_eq!(merged["findings"], whole["findings"]);
    assert_eq!(merged["pass"], whole["pass"]);
    let findings = whole["findings"].as_array().unwrap();
    let black = findings.iter().find(|f| f["check"] == "black-frame").expect("black frames found");
    assert_eq!((black["first_frame"].as_u64(), black["last_frame"].as_u64()), (Some(1003), Some(1006)));
    // Frozen: the black run (its frames repeat too) and 1007-1012, which spans two chunk edges.
    let frozen: Vec<(Option<u64>, Option<u64>)> = findings
        .iter()
        .filter(|f| f["check"] == "frozen-frame")
        .map(|f| (f["first_frame"].as_u64(), f["last_frame"].as_u64()))
        .collect();
    assert_eq!(frozen, [(Some(1003), Some(1006)), (Some(1007), Some(1012))], "{findings:?}");
    assert!(std::fs::read_to_string(&html).unwrap().contains("1003"));
    // A chunk that never ran is named when the range is given.
    let short = cinegrade(&["qc", "merge", s(&chunks[0]), s(&chunks[2]), "-o", s(&dir.join("short.json"))]);
    assert_eq!(short.status.code(), Some(1), "without --frames, a shorter programme");
    let short = cinegrade(&[
        "qc",
        "merge",
        s(&chunks[0]),
        s(&chunks[2]),
        "--frames",
        "1001-1012",
        "-o",
        s(&dir.join("s2.json")),
    ]);
    assert_eq!(short.status.code(), Some(2));
    assert!(stderr(&short).contains("4 frame(s) are in no report: 1005-1008"), "{}", stderr(&short));
    // Chunks of different programmes, or overlapping ones, are refused (exit 2).
    let overlap = dir.join("overlap.json");
    let run = qc(Some("1004-1005"), &overlap);
    assert!(run.status.code().is_some_and(|c| c <= 1));
    let bad = cinegrade(&["qc", "merge", s(&chunks[0]), s(&overlap), "-o", s(&dir.join("x.json"))]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("frame 1004 is in both"), "{}", stderr(&bad));
    let other = dir.join("other.json");
    let run = cinegrade(&["qc", s(&input), "--frames", "1009-1012", "--json", s(&other)]);
    assert!(run.status.code().is_some_and(|c| c <= 1));
    let bad = cinegrade(&["qc", "merge", s(&chunks[0]), s(&other), "-o", s(&dir.join("x.json"))]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("uses profile ebu-r103"), "{}", stderr(&bad));
}

/// A tool the farm tests run, found on PATH; under CI its absence fails the test.
fn tool(name: &str, install: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()));
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "{name} not found under CI; install it with {install}");
        eprintln!("skipping: {name} not found (install it with {install})");
    }
    found
}

fn farm(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("farm").join(rel)
}

#[test]
fn openjd_templates_pass_openjd_check() {
    let Some(openjd) = tool("openjd", "pip install openjd-cli") else { return };
    for template in ["openjd/render.yaml", "openjd/qc.yaml"] {
        let out = Command::new(&openjd).args(["check", s(&farm(template))]).output().unwrap();
        assert!(out.status.success(), "{template}: {}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    }
}

/// `openjd run` executes the render template locally in three chunks of three frames; the frames
/// equal one `cinegrade render` of the whole range. Then the QC template: per-chunk reports and the
/// merge step.
#[test]
fn openjd_runs_the_render_and_qc_templates_in_chunks() {
    let Some(openjd) = tool("openjd", "pip install openjd-cli") else { return };
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("farm-openjd");
    let project = project(&dir);
    let whole = reference(&dir, &project);
    let out = dir.join("openjd");
    let run = Command::new(&openjd)
        .arg("run")
        .arg(farm("openjd/render.yaml"))
        .args(["-p", &format!("Project={}", s(&project)), "-p", "Shot=A001", "-p", "Frames=1001-1009"])
        .args(["-p", &format!("Output={}", s(&out.join("A001.####.exr"))), "-p", "ChunkSize=3"])
        .args(["-p", &format!("Cinegrade={}", env!("CARGO_BIN_EXE_cinegrade"))])
        .output()
        .unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&run.stdout), stderr(&run));
    assert!(run.status.success(), "{log}");
    for chunk in ["frames 1001-1003: rendered 3", "frames 1004-1006: rendered 3", "frames 1007-1009: rendered 3"] {
        assert!(log.contains(chunk), "three tasks of three frames: {log}");
    }
    assert_eq!(frames_in(&out), whole, "the chunks' frames equal one render of the range");

    let reports = dir.join("qc");
    let run = Command::new(&openjd)
        .arg("run")
        .arg(farm("openjd/qc.yaml"))
        .args(["-p", &format!("Project={}", s(&project)), "-p", "Shot=A001", "-p", "Frames=1001-1009"])
        .args(["-p", &format!("Reports={}", s(&reports)), "-p", "ChunkSize=4", "-p", "Profile=ebu-r103"])
        .args(["-p", &format!("Cinegrade={}", env!("CARGO_BIN_EXE_cinegrade"))])
        .output()
        .unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&run.stdout), stderr(&run));
    assert!(run.status.success(), "{log}");
    let merged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("qc.json")).unwrap()).unwrap();
    let frames: Vec<u64> = merged["frames"].as_array().unwrap().iter().map(|f| f["frame"].as_u64().unwrap()).collect();
    assert_eq!(frames, (1001..=1009).collect::<Vec<u64>>(), "{log}");
    assert!(reports.join("qc.html").is_file());
}

/// The Slurm scripts parse, and run on one machine with the variables Slurm sets for an array
/// task and a stub `srun` that runs its command: task 1 of chunks of 4 renders 1005-1008.
#[test]
fn slurm_scripts_parse_and_run_an_array_task_with_a_stub_srun() {
    let dir = common::temp_dir("farm-slurm");
    for script in ["slurm/render.sbatch", "slurm/qc.sbatch", "slurm/qc-merge.sbatch", "slurm/submit.sh"] {
        let out = Command::new("bash").args(["-n", s(&farm(script))]).output().unwrap();
        assert!(out.status.success(), "{script}: {}", stderr(&out));
    }
    if common::gpu().is_none() {
        return;
    }
    let project = project(&dir);
    let whole = reference(&dir, &project);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let srun = bin.join("srun");
    std::fs::write(&srun, "#!/usr/bin/env bash\nexec \"$@\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&srun, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", s(&bin), std::env::var("PATH").unwrap_or_default());
    let out = dir.join("slurm");
    let run_task = |task: &str| {
        Command::new("bash")
            .arg(farm("slurm/render.sbatch"))
            .env("PATH", &path)
            .env("SLURM_ARRAY_TASK_ID", task)
            .env("CINEGRADE", env!("CARGO_BIN_EXE_cinegrade"))
            .env("PROJECT", &project)
            .env("SHOT", "A001")
            .env("FIRST", "1001")
            .env("LAST", "1009")
            .env("CHUNK", "4")
            .env("OUTPUT", out.join("A001.####.exr"))
            .output()
            .unwrap()
    };
    let task = run_task("1");
    assert!(task.status.success(), "{}", stderr(&task));
    assert!(stderr(&task).contains("frames 1005-1008: rendered 4"), "{}", stderr(&task));
    for t in ["0", "2"] {
        let task = run_task(t);
        assert!(task.status.success(), "{}", stderr(&task));
    }
    assert_eq!(frames_in(&out), whole);
    // A task past the last chunk has nothing to do and says so.
    let past = run_task("3");
    assert!(!past.status.success() && stderr(&past).contains("no frames"), "{}", stderr(&past));

    // submit.sh sizes the arrays from the range and makes the merge wait for every QC task: a stub
    // sbatch records what it is asked and answers job ids.
    let log = dir.join("sbatch.log");
    let sbatch = bin.join("sbatch");
    std::fs::write(
        &sbatch,
        format!("#!/usr/bin/env bash\necho \"CHUNK=${{CHUNK:-}} $*\" >> {}\necho $((RANDOM + 100))\n", s(&log)),
    )
    .unwrap();
    std::fs::set_permissions(&sbatch, std::fs::Permissions::from_mode(0o755)).unwrap();
    let submit = Command::new("bash")
        .arg(farm("slurm/submit.sh"))
        .args([s(&project), "A001", "1001", "1100", "/renders/A001.####.exr", "/qc/A001"])
        .env("PATH", &path)
        .env("CHUNK", "8")
        .output()
        .unwrap();
    assert!(submit.status.success(), "{}", stderr(&submit));
    let calls = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = calls.lines().collect();
    assert!(
        lines[0].starts_with("CHUNK=8 --parsable --export=ALL --array=0-12 ") && lines[0].ends_with("render.sbatch"),
        "{calls}"
    );
    assert!(
        lines[1].starts_with("CHUNK=48 --parsable --export=ALL --array=0-2 ") && lines[1].ends_with("qc.sbatch"),
        "{calls}"
    );
    let qc_id =
        String::from_utf8_lossy(&submit.stdout).split("qc job ").nth(1).unwrap().split(' ').next().unwrap().to_string();
    assert!(
        lines[2].contains(&format!("--dependency=afterok:{qc_id} ")) && lines[2].ends_with("qc-merge.sbatch"),
        "{calls}"
    );
}

/// The Kubernetes Indexed Job validates against the Kubernetes API models (every field known, of
/// its type, the required ones present), and its chunk arithmetic picks the frames per index.
#[test]
fn the_kubernetes_job_validates_against_the_api_models() {
    let Some(python) = tool("python3", "apt-get install python3") else { return };
    let out = Command::new(python)
        .arg(farm("kubernetes/validate.py"))
        .arg(farm("kubernetes/render-job.yaml"))
        .output()
        .unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    if log.contains("No module named 'kubernetes'") || log.contains("No module named 'yaml'") {
        assert!(std::env::var_os("CI").is_none(), "the kubernetes Python package is needed under CI: {log}");
        eprintln!("skipping: pip install kubernetes");
        return;
    }
    assert!(out.status.success(), "{log}");
    assert!(log.contains("render-job.yaml: a valid batch/v1 Job"), "{log}");
    // The check can fail: a misspelt field, and a completion count that leaves frames out.
    let dir = common::temp_dir("farm-k8s");
    let text = std::fs::read_to_string(farm("kubernetes/render-job.yaml")).unwrap();
    for (name, bad, needle) in [
        ("typo.yaml", text.replace("  parallelism: 4", "  parallelizm: 4"), "parallelizm: not a field of V1JobSpec"),
        ("short.yaml", text.replace("completions: 13", "completions: 12"), "make 13 chunks"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bad).unwrap();
        let out = Command::new("python3").arg(farm("kubernetes/validate.py")).arg(&path).output().unwrap();
        assert!(!out.status.success() && stderr(&out).contains(needle), "{name}: {}", stderr(&out));
    }
}
