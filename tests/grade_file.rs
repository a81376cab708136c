//! Grade JSON: round-trips, versioning, and clear errors for bad files.

mod common;

use std::path::Path;

use cinegrade::color::cdl::CdlStyle;
use cinegrade::grade::{GRADE_FORMAT_VERSION, Grade, GradeError, Node, Op};
use cinegrade::ops::primaries::{Primaries, Wheel};

fn sample_grade() -> Grade {
    let mut p = Primaries { exposure: 0.75, temperature: 4300.0, tint: -3.0, contrast: 1.15, ..Primaries::default() };
    p.cdl.slope = [1.1, 1.0, 0.9];
    p.cdl_style = CdlStyle::Asc;
    p.lift = Wheel { rgb: [0.01, 0.0, -0.01], master: 0.02 };
    let mut grade = Grade::with_primaries(p);
    let mut second = Node::new(Op::Primaries(Primaries { saturation: 1.2, ..Primaries::default() }));
    second.label = "Look".into();
    second.mix = 0.5;
    second.enabled = false;
    grade.nodes.push(second);
    grade
}

#[test]
fn grade_round_trips_through_json_and_disk() {
    let grade = sample_grade();
    let json = grade.to_json();
    assert!(json.contains("\"version\": 2") && json.contains("\"primaries\""), "{json}");
    assert_eq!(Grade::from_json(&json, Path::new("mem")).unwrap(), grade);
    let dir = common::temp_dir("grade");
    let path = dir.join("g.json");
    std::fs::write(&path, &json).unwrap();
    assert_eq!(Grade::load(&path).unwrap(), grade);
}

#[test]
fn omitted_parameters_default_to_neutral() {
    let grade =
        Grade::from_json(r#"{"version":1,"nodes":[{"op":{"primaries":{"exposure":1.0}}}]}"#, Path::new("g.json"))
            .unwrap();
    let node = &grade.nodes[0];
    assert!(node.enabled && node.mix == 1.0);
    assert_eq!(node.op, Op::Primaries(Primaries { exposure: 1.0, ..Primaries::default() }));
}

#[test]
fn newer_and_unknown_versions_are_refused_clearly() {
    let err = Grade::from_json(r#"{"version": 7, "nodes": []}"#, Path::new("future.json")).unwrap_err();
    assert!(matches!(err, GradeError::Version { found: 7, .. }));
    let msg = err.to_string();
    assert!(msg.contains("future.json") && msg.contains("version 7") && msg.contains("newer"), "{msg}");
    assert!(msg.contains(&GRADE_FORMAT_VERSION.to_string()));
    let err = Grade::from_json(r#"{"version": 0}"#, Path::new("zero.json")).unwrap_err();
    assert!(matches!(err, GradeError::Version { found: 0, .. }), "{err}");
    let err = Grade::from_json(r#"{"nodes": []}"#, Path::new("noversion.json")).unwrap_err();
    assert!(err.to_string().contains("missing \"version\""), "{err}");
    let err = Grade::from_json(r#"{"version": "one"}"#, Path::new("v.json")).unwrap_err();
    assert!(err.to_string().contains("whole number"), "{err}");
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let text = "{\n  \"version\": 1,\n  \"nodes\": [\n    {\"op\": {\"primaries\": {\"exposure\": 1.0,}}}\n  ]\n}";
    let err = Grade::from_json(text, Path::new("broken.json")).unwrap_err();
    match &err {
        GradeError::Parse { line, .. } => assert_eq!(*line, 4, "{err}"),
        other => panic!("expected a parse error, got {other}"),
    }
    assert!(err.to_string().starts_with("broken.json:4:"), "{err}");
}

#[test]
fn typos_unknown_ops_and_bad_values_are_refused() {
    let typo = r#"{"version":1,"nodes":[{"op":{"primaries":{"expsoure":1.0}}}]}"#;
    let err = Grade::from_json(typo, Path::new("t.json")).unwrap_err().to_string();
    assert!(err.contains("expsoure"), "{err}");
    let unknown = r#"{"version":1,"nodes":[{"op":{"teleport":{}}}]}"#;
    let err = Grade::from_json(unknown, Path::new("u.json")).unwrap_err().to_string();
    assert!(err.contains("teleport"), "{err}");
    let bad_gamma = r#"{"version":1,"nodes":[{"op":{"primaries":{"gamma":{"rgb":[1,0,1],"master":1}}}}]}"#;
    let err = Grade::from_json(bad_gamma, Path::new("g.json")).unwrap_err().to_string();
    assert!(err.contains("node 1") && err.contains("gamma"), "{err}");
    let bad_mix = r#"{"version":1,"nodes":[{"mix":1.5,"op":{"primaries":{}}}]}"#;
    let err = Grade::from_json(bad_mix, Path::new("m.json")).unwrap_err().to_string();
    assert!(err.contains("mix"), "{err}");
    let missing = Grade::load(Path::new("/nonexistent/grade.json")).unwrap_err().to_string();
    assert!(missing.contains("/nonexistent/grade.json"), "{missing}");
}

#[test]
fn bundled_demo_project_loads_with_every_frame_present() {
    use cinegrade::project::{Project, demo_project_path};
    let path = demo_project_path().expect("assets/demo/demo.cgproj");
    let project = Project::load(&path).unwrap();
    let dir = path.parent().unwrap();
    assert!(project.shots().count() >= 4);
    for (_, shot) in project.shots() {
        cinegrade::media::load(&shot.media_path(dir)).unwrap_or_else(|e| panic!("{}: {e}", shot.name));
    }
}

#[test]
fn color_transform_nodes_read_and_write_by_space_name() {
    use cinegrade::color::space::ColorSpace;
    use cinegrade::ops::color_transform::{ColorTransform, ToneMapping};
    let text = r#"{"version":1,"nodes":[
        {"op":{"color-transform":{"from":"arri-logc3-ei800","to":"acescct"}}},
        {"op":{"color-transform":{"from":"acescct","to":"rec709-display","tone_map":"none"}}}
    ]}"#;
    let grade = Grade::from_json(text, Path::new("cst.json")).unwrap();
    assert_eq!(
        grade.nodes[0].op,
        Op::ColorTransform(ColorTransform::new(ColorSpace::ArriLogC3Ei800, ColorSpace::Acescct))
    );
    let Op::ColorTransform(t) = &grade.nodes[1].op else { panic!("not a colour transform") };
    assert_eq!(t.tone_map, ToneMapping::None);
    assert_eq!(Grade::from_json(&grade.to_json(), Path::new("mem")).unwrap(), grade);
    // Adding an op did not change the format version (version 2 came with keyframes and windows).
    assert_eq!(GRADE_FORMAT_VERSION, 2);
    let bad = r#"{"version":1,"nodes":[{"op":{"color-transform":{"from":"logc","to":"acescct"}}}]}"#;
    let err = Grade::from_json(bad, Path::new("bad.json")).unwrap_err().to_string();
    assert!(err.starts_with("bad.json:1:") && err.contains("unknown color space 'logc'"), "{err}");
}

#[test]
fn lut_paths_resolve_against_the_grade_file_and_bad_luts_name_file_and_line() {
    use cinegrade::ops::lut::Lut;
    let dir = common::temp_dir("grade-lut");
    std::fs::create_dir_all(dir.join("looks")).unwrap();
    std::fs::copy(common::data("interchange/teal_and_orange_cinema.cube"), dir.join("looks/teal.cube")).unwrap();
    let text = r#"{"version":1,"nodes":[{"op":{"lut":{"path":"looks/teal.cube"}}}]}"#;
    let path = dir.join("g.json");
    std::fs::write(&path, text).unwrap();
    let grade = Grade::load(&path).unwrap();
    assert_eq!(grade.nodes[0].op, Op::Lut(Lut::new(dir.join("looks/teal.cube"))));
    // In memory nothing is resolved or read: the JSON keeps the path as written.
    let parsed = Grade::from_json(text, Path::new("mem")).unwrap();
    assert!(parsed.to_json().contains("\"path\": \"looks/teal.cube\""));

    std::fs::write(dir.join("looks/teal.cube"), "LUT_3D_SIZE 2\n0 0 0\n0 0\n").unwrap();
    let err = Grade::load(&path).unwrap_err().to_string();
    assert!(err.contains("g.json: node 1 (lut): ") && err.contains("teal.cube:3: "), "{err}");
    std::fs::remove_file(dir.join("looks/teal.cube")).unwrap();
    let err = Grade::load(&path).unwrap_err().to_string();
    assert!(err.contains("node 1 (lut): ") && err.contains("looks/teal.cube"), "{err}");
    let empty = r#"{"version":1,"nodes":[{"op":{"lut":{"path":""}}}]}"#;
    let err = Grade::from_json(empty, Path::new("e.json")).unwrap_err();
    assert!(err.to_string().contains("LUT path is empty"), "{err}");
}
