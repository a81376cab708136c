//! OpenColorIO configs: the ACES studio and CG configs as OpenColorIO 2.6 writes them
//! (`tests/data/ocio/*.ocio`, by `make_ocio_reference.py`), every colour space both ways and every
//! display/view, evaluated by Cinegrade's own operators against PyOpenColorIO 2.6
//! (`ocio_reference.json`), on the CPU and on a real wgpu device; and the errors a studio's broken
//! config gets.

mod common;

use cinegrade::color::ocio::{OcioConfig, OcioRequest};
use cinegrade::interchange::clf_program;
use serde_json::Value;

use common::{frame_of_values as frame_of, rgb_rows as rows, worst_relative as worst};

fn reference() -> Value {
    common::json("ocio/ocio_reference.json")
}

/// One conversion of the reference: (config file, request, inputs, expected outputs).
type Case = (String, OcioRequest, Vec<[f32; 3]>, Vec<[f32; 3]>);

/// Every conversion of the reference.
fn cases(r: &Value) -> Vec<Case> {
    let mut out = Vec::new();
    let aces = rows(&r["inputs"]["aces"]);
    for (file, entry) in r["configs"].as_object().unwrap() {
        for (name, s) in entry["spaces"].as_object().unwrap() {
            let inputs = rows(&r["inputs"][s["inputs"].as_str().unwrap()]);
            let to = OcioRequest::Spaces { from: name.clone(), to: "ACES2065-1".into() };
            out.push((file.clone(), to, inputs, rows(&s["to_aces"])));
            let from = OcioRequest::Spaces { from: "ACES2065-1".into(), to: name.clone() };
            out.push((file.clone(), from, aces.clone(), rows(&s["from_aces"])));
        }
        for (key, values) in entry["views"].as_object().unwrap() {
            let (display, view) = key.split_once(" / ").unwrap();
            let request = OcioRequest::DisplayView {
                space: "ACES2065-1".into(),
                display: display.into(),
                view: view.into(),
                inverse: false,
            };
            out.push((file.clone(), request, aces.clone(), rows(values)));
        }
    }
    out
}

/// Every colour space (to and from ACES2065-1) and every display/view of both configs, through
/// our operators on the CPU, against PyOpenColorIO. Tolerance 2e-4 relative to max(1, value).
#[test]
fn every_space_and_view_of_the_aces_configs_matches_opencolorio() {
    let r = reference();
    let mut configs = std::collections::HashMap::new();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut overall = 0.0f32;
    for (file, request, inputs, want) in cases(&r) {
        let config = configs
            .entry(file.clone())
            .or_insert_with(|| OcioConfig::load(common::data(&format!("ocio/{file}")).to_str().unwrap()).unwrap());
        let ops = config.ops(&request).unwrap_or_else(|e| panic!("{e}"));
        let program = clf_program::compile(&cinegrade::interchange::ClfFile { ops, ..Default::default() });
        let got: Vec<[f32; 3]> = inputs.iter().map(|v| clf_program::run(&program, *v)).collect();
        let (err, i) = worst(&got, &want);
        overall = overall.max(err);
        if err > 2e-4 {
            failures
                .push(format!("{file} {request}: {err:.1e} at {:?}: {:?} against {:?}", inputs[i], got[i], want[i]));
        }
        checked += 1;
    }
    println!("{checked} conversions, worst {overall:.1e}");
    assert!(checked > 250, "{checked}");
    assert!(failures.is_empty(), "{} of {checked} off:\n{}", failures.len(), failures.join("\n"));
}

fn write_config(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cinegrade-ocio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const SMALL: &str = r#"ocio_profile_version: 2

roles:
  default: lin
  scene_linear: lin

displays:
  sRGB:
    - !<View> {name: Raw, colorspace: lin}

colorspaces:
  - !<ColorSpace>
    name: lin
    isdata: false

  - !<ColorSpace>
    name: brighter
    to_scene_reference: !<ExposureContrastTransform> {exposure: 1}

  - !<ColorSpace>
    name: gamma
    from_scene_reference: !<ExponentTransform> {value: [2.2, 2.2, 2.2, 1], direction: inverse}
"#;

/// A colour space whose transform Cinegrade has no operator for is refused with the file, the line
/// of that colour space and the transform's name; a name the config lacks is named; malformed YAML
/// gives its line; a working conversion in the same file still works.
#[test]
fn a_broken_config_is_refused_with_file_and_line() {
    let path = write_config("small.ocio", SMALL);
    let config = OcioConfig::load(path.to_str().unwrap()).unwrap();
    let e = config.ops(&OcioRequest::Spaces { from: "brighter".into(), to: "lin".into() }).unwrap_err();
    assert_eq!(e.line, Some(17), "{e}");
    assert!(e.to_string().contains("ExposureContrast"), "{e}");
    assert!(e.to_string().starts_with(&path.display().to_string()), "{e}");

    let e = config.ops(&OcioRequest::Spaces { from: "lin".into(), to: "nowhere".into() }).unwrap_err();
    assert!(e.to_string().contains("nowhere"), "{e}");

    let ops = config.ops(&OcioRequest::Spaces { from: "lin".into(), to: "gamma".into() }).unwrap();
    let program = clf_program::compile(&cinegrade::interchange::ClfFile { ops, ..Default::default() });
    let got = clf_program::run(&program, [0.5, 0.25, 1.0]);
    for (g, x) in got.iter().zip([0.5f32, 0.25, 1.0]) {
        assert!((g - x.powf(1.0 / 2.2)).abs() < 1e-6, "{got:?}");
    }

    let bad = write_config("bad.ocio", &SMALL.replace("  default: lin\n", "  default: [lin\n"));
    let e = OcioConfig::load(bad.to_str().unwrap()).unwrap_err();
    assert!(e.line.is_some_and(|l| (4..=6).contains(&l)), "{e}");
}

/// Every conversion of both configs as an `ocio-transform` node on a real wgpu device: against
/// PyOpenColorIO within 2e-4 (relative to max(1, value)), and against the CPU twin within 5e-4 (the
/// GPU's pow, log, atan2 and trigonometry are not correctly rounded; the ACES 2.0 views pass
/// through about forty of them).
#[test]
fn every_space_and_view_matches_opencolorio_on_the_gpu() {
    use cinegrade::gpu::{GpuFrame, executor};
    use cinegrade::grade::{Grade, Node, Op};
    use cinegrade::ops::ocio::OcioTransform;
    let Some(ctx) = common::gpu() else { return };
    let r = reference();
    let (mut failures, mut checked, mut worst_ref, mut worst_twin) = (Vec::new(), 0, 0.0f32, 0.0f32);
    for (file, request, inputs, want) in cases(&r) {
        let config = common::data(&format!("ocio/{file}"));
        let node = match &request {
            OcioRequest::Spaces { from, to } => OcioTransform::spaces(&config, from, to),
            OcioRequest::DisplayView { space, display, view, .. } => {
                OcioTransform::display_view(&config, space, display, view)
            }
        };
        let grade = Grade { nodes: vec![Node::new(Op::OcioTransform(node))], ..Grade::default() };
        let frame = frame_of(&inputs);
        let source = GpuFrame::upload(&ctx, &frame).unwrap();
        let gpu = executor::apply_grade(&ctx, &grade, &source).unwrap().download(&ctx).unwrap();
        let got: Vec<[f32; 3]> = gpu.pixels[..inputs.len()].iter().map(|p| [p[0], p[1], p[2]]).collect();
        let (err, i) = worst(&got, &want);
        let cpu = common::cpu_apply(&grade, &frame);
        let twin: Vec<[f32; 3]> = cpu.pixels[..inputs.len()].iter().map(|p| [p[0], p[1], p[2]]).collect();
        let (twin_err, _) = worst(&got, &twin);
        worst_ref = worst_ref.max(err);
        worst_twin = worst_twin.max(twin_err);
        if err > 2e-4 || twin_err > 5e-4 {
            failures.push(format!(
                "{file} {request}: {err:.1e} (twin {twin_err:.1e}) at {:?}: {:?} against {:?}",
                inputs[i], got[i], want[i]
            ));
        }
        checked += 1;
    }
    println!(
        "{checked} conversions on the GPU, worst {worst_ref:.1e} against OpenColorIO, {worst_twin:.1e} against the twin"
    );
    assert!(checked > 250, "{checked}");
    assert!(failures.is_empty(), "{} of {checked} off:\n{}", failures.len(), failures.join("\n"));
}

/// `render --ocio-config F --input-space ACES2065-1 --display D --view V` end to end (through the
/// config's default working space, ACEScct, as a colorist's render goes), against PyOpenColorIO's
/// view, for an SDR and an HDR ACES 2.0 view and a colorimetric one; and `--output-space` to a
/// camera space. Tolerance 2e-4.
#[test]
fn render_with_an_ocio_config_matches_opencolorio() {
    if common::gpu().is_none() {
        return;
    }
    let r = reference();
    let dir = common::temp_dir("ocio-render");
    let inputs = rows(&r["inputs"]["aces"]);
    let input = dir.join("aces.exr");
    let options = cinegrade::media::SaveOptions {
        exr_depth: cinegrade::media::ExrDepth::Float,
        ..cinegrade::media::SaveOptions::default()
    };
    cinegrade::media::save(&frame_of(&inputs), &input, &options).unwrap();
    let config = common::data("ocio/studio-config.ocio");
    let entry = &r["configs"]["studio-config.ocio"];
    let cases: [(&[&str], &Value); 4] = [
        (&["--display", "sRGB - Display"], &entry["views"]["sRGB - Display / ACES 2.0 - SDR 100 nits (Rec.709)"]),
        (
            &["--display", "Rec.2100-PQ - Display", "--view", "ACES 2.0 - HDR 1000 nits (P3 D65)"],
            &entry["views"]["Rec.2100-PQ - Display / ACES 2.0 - HDR 1000 nits (P3 D65)"],
        ),
        (
            &["--display", "Display P3 - Display", "--view", "Video (colorimetric)"],
            &entry["views"]["Display P3 - Display / Video (colorimetric)"],
        ),
        (&["--output-space", "ARRI LogC4"], &entry["spaces"]["ARRI LogC4"]["from_aces"]),
    ];
    for (i, (flags, want)) in cases.iter().enumerate() {
        let out = dir.join(format!("out{i}.exr"));
        let mut args = vec!["render", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--depth", "float"];
        args.extend(["--ocio-config", config.to_str().unwrap(), "--input-space", "ACES2065-1"]);
        args.extend(flags.iter());
        let run = common::cinegrade(&args);
        assert!(run.status.success(), "{flags:?}: {}", common::stderr(&run));
        let rendered = cinegrade::media::load(&out).unwrap().frame;
        let got: Vec<[f32; 3]> = rendered.pixels[..inputs.len()].iter().map(|p| [p[0], p[1], p[2]]).collect();
        let want = rows(want);
        let (err, at) = worst(&got, &want);
        println!("{flags:?}: {err:.1e}");
        assert!(err <= 2e-4, "{flags:?}: {err:e} at {:?}: {:?} against {:?}", inputs[at], got[at], want[at]);
    }
}

/// What a colorist gets wrong on the command line is named, before any GPU work: a colour space
/// or display the config lacks, a view of another display, --display without a config, tone flags
/// with a config, an unsupported transform (file and line); and `spaces` lists the config.
#[test]
fn the_command_line_names_what_is_wrong_with_a_config() {
    let config = common::data("ocio/studio-config.ocio");
    let config = config.to_str().unwrap();
    let dir = common::temp_dir("ocio-cli");
    let input = common::data("frames/chelsea.png");
    let out = dir.join("out.png");
    let render = |flags: &[&str]| {
        let mut args = vec!["render", input.to_str().unwrap(), "-o", out.to_str().unwrap()];
        args.extend(flags);
        common::cinegrade(&args)
    };
    let expect = |flags: &[&str], needle: &str| {
        let run = render(flags);
        assert!(!run.status.success(), "{flags:?} should fail");
        let err = common::stderr(&run);
        assert!(err.contains(needle), "{flags:?}: expected {needle:?} in: {err}");
        assert!(!out.exists(), "{flags:?} wrote an output");
    };
    expect(&["--ocio-config", config, "--input-space", "ACES 2065"], "has no colour space or role \"ACES 2065\"");
    expect(&["--ocio-config", config, "--display", "sRGB"], "has no display \"sRGB\" (its displays: sRGB - Display");
    expect(
        &["--ocio-config", config, "--display", "sRGB - Display", "--view", "ACES 2.0 - HDR 1000 nits (P3 D65)"],
        "has no view",
    );
    expect(&["--display", "sRGB - Display"], "give --ocio-config");
    expect(&["--ocio-config", config, "--output-space", "ACEScg", "--tone-map", "aces2"], "--tone-map");
    expect(&["--ocio-config", "/nowhere/show.ocio", "--output-space", "ACEScg"], "/nowhere/show.ocio");
    let small = write_config("cli.ocio", SMALL);
    let small = small.to_str().unwrap();
    expect(&["--ocio-config", small, "--input-space", "brighter"], &format!("{small}:17:"));
    expect(&["--ocio-config", small, "--input-space", "brighter"], "ExposureContrastTransform is not supported");

    let listed = common::cinegrade(&["spaces", "--ocio-config", config]);
    assert!(listed.status.success(), "{}", common::stderr(&listed));
    let text = String::from_utf8_lossy(&listed.stdout);
    for needle in [
        "ARRI LogC4",
        "color_timing             ACEScct",
        "Rec.2100-PQ - Display",
        "*ACES 2.0 - SDR 100 nits (Rec.709)",
    ] {
        assert!(text.contains(needle), "spaces lacks {needle:?}:\n{text}");
    }
}

/// `render --project` on a project colour managed by a config (relative to the project's folder)
/// renders what `render --ocio-config` renders with the same names, pixel for pixel; naming spaces on
/// the command line for such a project is refused.
#[test]
fn render_project_uses_the_project_config() {
    use cinegrade::project::{Project, ProjectColor, Scene, Shot, ShotOcio};
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("ocio-project");
    std::fs::copy(common::data("ocio/studio-config.ocio"), dir.join("show.ocio")).unwrap();
    std::fs::copy(common::data("frames/chelsea.png"), dir.join("chelsea.png")).unwrap();
    let mut shot = Shot::new("010", "chelsea.png");
    shot.ocio = ShotOcio { input: Some("sRGB Encoded Rec.709 (sRGB)".into()), ..ShotOcio::default() };
    let mut project = Project::new("show");
    project.scenes.push(Scene { name: "reel 1".into(), shots: vec![shot] });
    project.color = ProjectColor {
        ocio_config: Some("show.ocio".into()),
        display: Some("Display P3 - Display".into()),
        ..ProjectColor::default()
    };
    let path = dir.join("show.cgproj");
    project.save(&path).unwrap();
    let (from_project, direct) = (dir.join("project.exr"), dir.join("direct.exr"));
    let run = common::cinegrade(&[
        "render",
        "--project",
        path.to_str().unwrap(),
        "--shot",
        "010",
        "-o",
        from_project.to_str().unwrap(),
        "--depth",
        "float",
    ]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let config = dir.join("show.ocio");
    let run = common::cinegrade(&[
        "render",
        dir.join("chelsea.png").to_str().unwrap(),
        "-o",
        direct.to_str().unwrap(),
        "--depth",
        "float",
        "--ocio-config",
        config.to_str().unwrap(),
        "--input-space",
        "sRGB Encoded Rec.709 (sRGB)",
        "--display",
        "Display P3 - Display",
    ]);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let a = cinegrade::media::load(&from_project).unwrap().frame;
    let b = cinegrade::media::load(&direct).unwrap().frame;
    assert_eq!(a.pixels, b.pixels);
    let refused = common::cinegrade(&[
        "render",
        "--project",
        path.to_str().unwrap(),
        "--shot",
        "010",
        "-o",
        dir.join("x.exr").to_str().unwrap(),
        "--output-space",
        "rec709-display",
    ]);
    assert!(!refused.status.success());
    assert!(common::stderr(&refused).contains("OCIO config"), "{}", common::stderr(&refused));
}

/// `bake-lut` and `scopes` take the config's names too: a look baked from ACEScct through an
/// ACES 2.0 view reproduces `render` with the same flags at its lattice points (a 17-point cube
/// over ACEScct codes 0..1, tolerance 1e-5); a scene-linear OCIO input is refused (no shaper);
/// `scopes` measures the picture through the view (its counts differ from the untransformed ones).
#[test]
fn bake_lut_and_scopes_take_config_names() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("ocio-bake");
    let config = common::data("ocio/studio-config.ocio");
    let config = config.to_str().unwrap();
    let view = ["--ocio-config", config, "--input-space", "ACEScct", "--display", "sRGB - Display"];
    let cube_path = dir.join("look.cube");
    let mut args = vec!["bake-lut", "-o", cube_path.to_str().unwrap(), "--size", "17"];
    args.extend(view);
    let run = common::cinegrade(&args);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let cube = cinegrade::interchange::read_cube(&cube_path).unwrap();
    // The lattice points as an EXR, rendered with the same flags.
    let n = 17usize;
    let code = |i: usize| i as f32 / (n - 1) as f32;
    let lattice = cinegrade::media::Frame::from_fn((n * n) as u32, n as u32, |x, y| {
        [code(x as usize % n), code(x as usize / n), code(y as usize), 1.0]
    });
    let (input, output) = (dir.join("lattice.exr"), dir.join("rendered.exr"));
    let float = cinegrade::media::SaveOptions {
        exr_depth: cinegrade::media::ExrDepth::Float,
        ..cinegrade::media::SaveOptions::default()
    };
    cinegrade::media::save(&lattice, &input, &float).unwrap();
    let mut args = vec!["render", input.to_str().unwrap(), "-o", output.to_str().unwrap(), "--depth", "float"];
    args.extend(view);
    let run = common::cinegrade(&args);
    assert!(run.status.success(), "{}", common::stderr(&run));
    let rendered = cinegrade::media::load(&output).unwrap().frame;
    let mut worst_err = 0.0f32;
    for (p, r) in lattice.pixels.iter().zip(&rendered.pixels) {
        let baked = cube.apply([p[0], p[1], p[2]], cinegrade::interchange::Interpolation::Tetrahedral);
        for c in 0..3 {
            worst_err = worst_err.max((baked[c] - r[c]).abs());
        }
    }
    assert!(worst_err <= 1e-5, "the baked cube is {worst_err:e} from the render at its lattice points");

    let linear = dir.join("linear.cube");
    let refused = common::cinegrade(&[
        "bake-lut",
        "-o",
        linear.to_str().unwrap(),
        "--ocio-config",
        config,
        "--input-space",
        "ACEScg",
        "--display",
        "sRGB - Display",
    ]);
    assert!(
        !refused.status.success() && common::stderr(&refused).contains("scene-linear"),
        "{}",
        common::stderr(&refused)
    );
    assert!(!linear.exists());

    let photo = common::data("frames/chelsea.png");
    let scopes = |name: &str, flags: &[&str]| {
        let (png, json) = (dir.join(format!("{name}.png")), dir.join(format!("{name}.json")));
        let mut args =
            vec!["scopes", photo.to_str().unwrap(), "-o", png.to_str().unwrap(), "--json", json.to_str().unwrap()];
        args.extend(flags);
        let run = common::cinegrade(&args);
        assert!(run.status.success(), "{name}: {}", common::stderr(&run));
        std::fs::read_to_string(json).unwrap()
    };
    let plain = scopes("plain", &[]);
    let through = scopes(
        "view",
        &["--ocio-config", config, "--input-space", "sRGB Encoded Rec.709 (sRGB)", "--display", "sRGB - Display"],
    );
    assert_ne!(plain, through, "the scopes did not see the view");
}
