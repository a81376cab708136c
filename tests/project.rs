//! Project files: format version 2, migration from version 1, refusal of newer files, sequences and
//! colour spaces, missing media and frames, relinking, stills.

mod common;

use std::path::{Path, PathBuf};

use cinegrade::color::space::ColorSpace;
use cinegrade::grade::Grade;
use cinegrade::media::Frame;
use cinegrade::ops::primaries::Primaries;
use cinegrade::project::{
    Media, MediaProblem, PROJECT_FORMAT_VERSION, Project, Scene, SequenceMedia, Shot, ShotRef, ShotStatus,
};

fn fixture(name: &str) -> PathBuf {
    common::data("projects").join(name)
}

/// Copies a real frame to `dir/name.NNNN.exr` for each frame.
fn make_frames(dir: &Path, name: &str, frames: impl IntoIterator<Item = u32>) {
    std::fs::create_dir_all(dir).unwrap();
    for f in frames {
        std::fs::copy(common::data("frames/TestImages_AllHalfValues.exr"), dir.join(format!("{name}.{f:04}.exr")))
            .unwrap();
    }
}

fn sequence(pattern: &str, first: u32, last: u32) -> Media {
    Media::Sequence(SequenceMedia { pattern: pattern.into(), first, last })
}

#[test]
fn a_version_1_file_migrates_and_saves_as_the_current_version() {
    let p = Project::load(&fixture("v1.cgproj")).unwrap();
    assert_eq!(p.version, PROJECT_FORMAT_VERSION);
    let shot = &p.scenes[0].shots[0];
    assert_eq!(shot.media, Media::Still("../frames/chelsea.png".into()));
    assert_eq!((shot.status, shot.version_name()), (ShotStatus::Approved, "v2 warm"));
    assert_eq!(shot.notes, ["Supervisor: approved as is."]);
    assert_eq!(shot.input_space, None);
    assert!(p.stills.is_empty());
    assert_eq!(p.scenes[0].shots[1].media.path(), Path::new("/nonexistent/plates/shot020.exr"));
    // The still resolves against the project's folder exactly as version 1 did.
    let root = fixture("");
    assert!(shot.media_path(&root).is_file());

    let dir = common::temp_dir("project-migrate");
    let out = dir.join("migrated.cgproj");
    p.save(&out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"version\": 3") && text.contains("\"still\": \"../frames/chelsea.png\""), "{text}");
    assert_eq!(Project::load(&out).unwrap(), p);
}

#[test]
fn the_bundled_demo_project_still_opens() {
    let path = cinegrade::project::demo_project_path().unwrap();
    let p = Project::load(&path).unwrap();
    assert!(p.media_problems(path.parent().unwrap()).is_empty(), "demo media all present");
}

#[test]
fn newer_unknown_and_broken_versions_are_refused_clearly() {
    let dir = common::temp_dir("project-versions");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        Project::load(&path).unwrap_err().to_string()
    };
    let err = write("newer.cgproj", r#"{"version": 4, "name": "x", "future_field": true}"#);
    assert!(err.contains("newer.cgproj") && err.contains("version 4") && err.contains("newer Cinegrade"), "{err}");
    let err = write("zero.cgproj", r#"{"version": 0, "name": "x"}"#);
    assert!(err.contains("version 0 is not supported"), "{err}");
    let err = write("none.cgproj", r#"{"name": "x"}"#);
    assert!(err.contains("not a Cinegrade project"), "{err}");
    let err = write(
        "bad-v1.cgproj",
        r#"{"version": 1, "name": "x", "scenes": [{"name": "s", "shots": [{"name": "a", "media": {"still": "a.png"}, "versions": []}]}]}"#,
    );
    assert!(err.contains("version 1 media must be a path"), "{err}");
    let err = write(
        "space.cgproj",
        r#"{"version": 2, "name": "x", "scenes": [{"name": "s", "shots": [{"name": "a", "media": {"still": "a.png"}, "input_space": "rec709", "versions": [{"name": "v1", "grade": {"version": 1}}]}]}]}"#,
    );
    assert!(err.contains("space.cgproj:") && err.contains("unknown color space 'rec709'"), "{err}");
    let err = write(
        "seq.cgproj",
        r#"{"version": 2, "name": "x", "scenes": [{"name": "s", "shots": [{"name": "a", "media": {"sequence": {"pattern": "a.exr", "first": 1, "last": 2}}, "versions": [{"name": "v1", "grade": {"version": 1}}]}]}]}"#,
    );
    assert!(err.contains("not a frame sequence pattern"), "{err}");
}

#[test]
fn sequences_colour_spaces_and_stills_round_trip() {
    let dir = common::temp_dir("project-v2");
    let mut shot = Shot::new("010", sequence("plates/A001.####.exr", 1001, 1010));
    shot.input_space = Some(ColorSpace::ArriLogC4);
    shot.output_space = Some(ColorSpace::Rec709Display);
    let mut p = Project::new("v2");
    p.scenes.push(Scene { name: "a".into(), shots: vec![shot, Shot::new("020", "still.png")] });
    let path = dir.join("p.cgproj");
    p.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for needle in ["\"pattern\": \"plates/A001.####.exr\"", "\"input_space\": \"arri-logc4\"", "\"rec709-display\""] {
        assert!(text.contains(needle), "{needle} in {text}");
    }
    assert_eq!(Project::load(&path).unwrap(), p);
    let seq = &p.scenes[0].shots[0];
    assert_eq!(seq.media_path(&dir), dir.join("plates/A001.1001.exr"));
    assert_eq!(seq.frame_path(&dir, 1005), dir.join("plates/A001.1005.exr"));
    assert_eq!(seq.media.describe(), "plates/A001.####.exr [1001-1010]");
}

#[test]
fn missing_media_and_frames_are_reported_and_moved_media_relinked() {
    let dir = common::temp_dir("project-relink");
    let project_dir = dir.join("project");
    std::fs::create_dir_all(&project_dir).unwrap();
    make_frames(&project_dir.join("plates"), "A001", (1001..=1005).filter(|f| *f != 1003));
    std::fs::copy(common::data("frames/chelsea.png"), project_dir.join("chelsea.png")).unwrap();
    let mut p = Project::new("relink");
    p.scenes.push(Scene {
        name: "a".into(),
        shots: vec![
            Shot::new("seq", sequence("plates/A001.####.exr", 1001, 1005)),
            Shot::new("still", "chelsea.png"),
            Shot::new("gone", "nowhere/gone.png"),
        ],
    });
    let problems = p.media_problems(&project_dir);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(
        problems[0].problem,
        MediaProblem::MissingFrames { pattern: project_dir.join("plates/A001.####.exr"), frames: vec![1003] }
    );
    assert!(problems[0].problem.to_string().contains("1 frame(s) missing: 1003"));
    assert_eq!(
        (problems[1].name.as_str(), &problems[1].problem),
        ("gone", &MediaProblem::Missing(project_dir.join("nowhere/gone.png")))
    );

    // The media moves to another disk: everything but the already-missing shot goes missing.
    let moved = dir.join("moved");
    std::fs::rename(project_dir.join("plates"), dir.join("plates-tmp")).unwrap();
    std::fs::create_dir_all(moved.join("deep/er")).unwrap();
    std::fs::rename(dir.join("plates-tmp"), moved.join("deep/er/plates")).unwrap();
    std::fs::rename(project_dir.join("chelsea.png"), moved.join("chelsea.png")).unwrap();
    assert_eq!(p.media_problems(&project_dir).len(), 3);

    let report = p.relink_search(&project_dir, &moved).unwrap();
    assert_eq!(report.relinked.len(), 2, "{report:?}");
    assert_eq!(report.not_found, ["gone"]);
    let shots = &p.scenes[0].shots;
    assert_eq!(shots[0].media.path(), moved.canonicalize().unwrap().join("deep/er/plates/A001.####.exr"));
    assert_eq!(shots[0].media.range().unwrap().len(), 5, "the range is kept");
    assert!(shots[1].media_path(&project_dir).is_file());
    let problems = p.media_problems(&project_dir);
    assert_eq!(problems.len(), 2, "the hole at 1003 and the lost shot remain: {problems:?}");

    // Relinking by folder: media under `moved` now lives below the project again, stored relative.
    std::fs::rename(&moved, project_dir.join("media")).unwrap();
    let changed = p.relink(&project_dir, &moved.canonicalize().unwrap_or(moved.clone()), &project_dir.join("media"));
    assert_eq!(changed, 2);
    assert_eq!(p.scenes[0].shots[1].media.path(), Path::new("media/chelsea.png"));
    assert_eq!(p.scenes[0].shots[0].media.path(), Path::new("media/deep/er/plates/A001.####.exr"));
    assert_eq!(p.media_problems(&project_dir).len(), 2);
}

#[test]
fn media_is_detected_as_still_or_sequence() {
    let dir = common::temp_dir("project-detect");
    make_frames(&dir, "B", 1..=3);
    make_frames(&dir, "single", [7]);
    assert_eq!(
        Media::detect(&dir.join("B.0002.exr")).unwrap(),
        sequence(dir.join("B.####.exr").to_str().unwrap(), 1, 3)
    );
    assert_eq!(Media::detect(&dir.join("B.%04d.exr")).unwrap().range().unwrap().len(), 3);
    assert_eq!(Media::detect(&dir.join("single.0007.exr")).unwrap(), Media::Still(dir.join("single.0007.exr")));
    let still = common::data("frames/chelsea.png");
    assert_eq!(Media::detect(&still).unwrap(), Media::Still(still));
}

#[test]
fn save_as_elsewhere_rebases_relative_media() {
    let dir = common::temp_dir("project-rebase");
    std::fs::create_dir_all(dir.join("a/frames")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    let mut p = Project::new("rebase");
    p.scenes.push(Scene { name: "s".into(), shots: vec![Shot::new("x", "frames/x.png")] });
    p.rebase_media(&dir.join("a"), &dir);
    assert_eq!(p.scenes[0].shots[0].media.path(), Path::new("a/frames/x.png"));
    p.rebase_media(&dir, &dir.join("b"));
    assert_eq!(p.scenes[0].shots[0].media.path(), dir.canonicalize().unwrap().join("a/frames/x.png"));
}

#[test]
fn a_grabbed_still_keeps_the_graded_image_and_its_grade() {
    let dir = common::temp_dir("project-stills");
    let mut p = Project::new("stills");
    p.scenes.push(Scene { name: "s".into(), shots: vec![Shot::new("one", "1.png"), Shot::new("two", "2.png")] });
    let warm = Grade::with_primaries(Primaries { exposure: 0.5, ..Primaries::default() });
    *p.scenes[0].shots[0].grade_mut() = warm.clone();
    let graded = Frame::from_fn(8, 4, |x, y| [x as f32 * 0.5, y as f32, -0.25, 1.0]);
    let one = ShotRef { scene: 0, shot: 0 };
    let still = p.grab_still(&dir, one, Some(1001), &graded).unwrap();
    assert_eq!((still.name.as_str(), still.shot.as_str(), still.frame), ("Still 1", "one", Some(1001)));
    assert_eq!(still.grade, warm);
    assert!(still.image.is_relative());
    p.stills.push(still.clone());
    // A second grab never overwrites the first image.
    let second = p.grab_still(&dir, one, None, &Frame::filled(8, 4, [0.0; 4])).unwrap();
    assert_ne!(second.image, still.image);
    assert_eq!(second.name, "Still 2");
    // The image holds the graded values, negatives and all (half precision).
    let image = still.load_image(&dir).unwrap().frame;
    cinegrade_assert_frames(&image, &graded);
    assert!(p.apply_still(0, ShotRef { scene: 0, shot: 1 }));
    assert_eq!(p.scenes[0].shots[1].grade(), &warm);
    let path = dir.join("p.cgproj");
    p.save(&path).unwrap();
    assert_eq!(Project::load(&path).unwrap().stills, vec![still]);
}

/// The still's pixels (0, 0.5, 1, 1.5 ... and −0.25: every one a half float exactly) come back
/// exactly from its half-float EXR.
fn cinegrade_assert_frames(a: &Frame, b: &Frame) {
    assert_eq!((a.width, a.height), (b.width, b.height));
    assert_eq!(a.pixels, b.pixels, "still image");
}

#[test]
fn a_shot_frame_rate_defaults_to_24_round_trips_and_must_be_positive() {
    let dir = common::temp_dir("project-fps");
    let shot_json = |fps: &str| {
        format!(
            r#"{{"version": 2, "name": "fps", "scenes": [{{"name": "s", "shots": [{{"name": "a",
            "media": {{"sequence": {{"pattern": "a.####.exr", "first": 1, "last": 2}}}}{fps},
            "versions": [{{"name": "v1", "grade": {{"version": 1, "nodes": []}}}}]}}]}}]}}"#
        )
    };
    let path = dir.join("p.cgproj");
    // Older files have no frame rate: 24, and saving writes none (the file stays as it was).
    let p = Project::from_json(&shot_json(""), &path).unwrap();
    assert_eq!(p.scenes[0].shots[0].frame_rate, 24.0);
    p.save(&path).unwrap();
    assert!(!std::fs::read_to_string(&path).unwrap().contains("frame_rate"));
    let mut p = Project::from_json(&shot_json(r#", "frame_rate": 23.976"#), &path).unwrap();
    assert_eq!(p.scenes[0].shots[0].frame_rate, 23.976);
    p.scenes[0].shots[0].frame_rate = 25.0;
    p.save(&path).unwrap();
    assert_eq!(Project::load(&path).unwrap().scenes[0].shots[0].frame_rate, 25.0);
    for bad in ["0", "-24", "100000"] {
        let err = Project::from_json(&shot_json(&format!(r#", "frame_rate": {bad}"#)), &path).unwrap_err();
        assert!(err.to_string().contains("frame rate"), "{bad}: {err}");
    }
}

/// A shot's colour management (working space, ACES 2.0 rendering, HDR peak) survives saving and
/// reopening, renders through `shot_grade`, and projects without it read as before.
#[test]
fn shot_colour_management_round_trips_and_defaults() {
    use cinegrade::color::space::ColorSpace;
    use cinegrade::ops::color_transform::ToneMapping;
    use cinegrade::project::{Project, Shot, ShotColor};
    let mut shot = Shot::new("010", "plates/a.exr");
    let color = ShotColor {
        input: Some(ColorSpace::ArriLogC4),
        working: Some(ColorSpace::DavinciIntermediateDwg),
        output: Some(ColorSpace::P3d65Pq),
        tone_map: ToneMapping::Aces2,
        peak_nits: Some(4000),
    };
    shot.set_color(color).unwrap();
    let mut project = Project::new("p");
    project.scenes.push(cinegrade::project::Scene { name: "s".into(), shots: vec![shot.clone()] });
    let json = serde_json::to_string(&project).unwrap();
    assert!(
        json.contains("\"working_space\":\"davinci-intermediate-dwg\"") && json.contains("\"peak_nits\":4000"),
        "{json}"
    );
    let back = Project::from_json(&json, std::path::Path::new("p.cgproj")).unwrap();
    assert_eq!(back.scenes[0].shots[0].color(), color);
    let grade = cinegrade::export::shot_grade(&back.color, &back.scenes[0].shots[0], std::path::Path::new("."));
    let transforms: Vec<_> = grade
        .nodes
        .iter()
        .filter_map(|n| match &n.op {
            cinegrade::grade::Op::ColorTransform(t) => Some((t.from, t.to, t.tone_map, t.peak_nits)),
            _ => None,
        })
        .collect();
    assert_eq!(
        transforms,
        [
            (ColorSpace::ArriLogC4, ColorSpace::DavinciIntermediateDwg, ToneMapping::Aces2, Some(4000)),
            (ColorSpace::DavinciIntermediateDwg, ColorSpace::P3d65Pq, ToneMapping::Aces2, Some(4000)),
        ]
    );
    // Without the new fields a shot writes exactly as before, and reads with the defaults.
    let plain = serde_json::to_string(&Shot::new("020", "b.exr")).unwrap();
    assert!(!plain.contains("tone_map") && !plain.contains("working_space") && !plain.contains("peak_nits"), "{plain}");
    let v1 = Project::load(&common::data("projects/v1.cgproj")).unwrap();
    for s in v1.scenes.iter().flat_map(|s| &s.shots) {
        assert_eq!((s.working_space, s.tone_map, s.peak_nits), (None, ToneMapping::Auto, None));
    }
    // An invalid combination is refused by the model.
    let mut sdr = color;
    sdr.output = Some(ColorSpace::Rec709Display);
    assert!(Shot::new("030", "c.exr").set_color(sdr).is_err());
}

/// A project's OCIO config path moves with *Save as* like its media and LUTs, a missing config is
/// named when the project opens, a built-in one is left alone, and a project without one writes no
/// `color` key (older files read unchanged).
#[test]
fn the_ocio_config_is_rebased_and_reported_missing() {
    use cinegrade::project::{Project, ProjectColor};
    let dir = common::temp_dir("project-ocio");
    let mut p = Project::new("show");
    assert!(!serde_json::to_string(&p).unwrap().contains("\"color\""));
    p.color = ProjectColor { ocio_config: Some("config/show.ocio".into()), ..ProjectColor::default() };
    assert_eq!(p.missing_files(&dir), ["OCIO config: config/show.ocio"]);
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::copy(common::data("ocio/cg-config.ocio"), dir.join("config/show.ocio")).unwrap();
    assert!(p.missing_files(&dir).is_empty());
    assert!(p.color.validate(&dir).is_ok());
    // Saved into another folder, it still names the same file (absolute when not below the new
    // folder, as media and LUTs are); saved back, relative again.
    p.rebase_media(&dir, &dir.join("deliveries"));
    assert_eq!(p.color.ocio_config, Some(dir.join("config/show.ocio")));
    p.rebase_media(&dir.join("deliveries"), &dir);
    assert_eq!(p.color.ocio_config.as_deref(), Some(std::path::Path::new("config/show.ocio")));
    let mut builtin =
        ProjectColor { ocio_config: Some("ocio://studio-config-latest".into()), ..ProjectColor::default() };
    p.color = builtin.clone();
    p.rebase_media(&dir, &dir.join("deliveries"));
    assert_eq!(p.color, builtin);
    assert!(p.missing_files(&dir).is_empty());
    builtin.view = Some("no such view".into());
    assert!(builtin.validate(&dir).unwrap_err().contains("has no view"));
    assert!(ProjectColor { working: Some("ACEScct".into()), ..ProjectColor::default() }.validate(&dir).is_err());
}
