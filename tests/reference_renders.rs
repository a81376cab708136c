//! Behaviour must not drift: renders of every example grade and of every demo shot, made through the
//! CLI by the code as it was before the op-registry redesign (commit 873b3c4 + the example grades),
//! are committed as float EXRs in `tests/data/reference_renders/`; today's code must reproduce them.
//!
//! Tolerance: 1e-5 relative to the pixel's largest channel (`common::max_error`), the GPU-vs-CPU
//! tolerance of the op tests. The redesign applies every node's mix once, in the executor, with
//! `blend` (exact at mix 1) where the primaries shader used WGSL's `mix()`, and a fused pass is free
//! to contract multiply-adds differently, so the last bit or two of a sample may move; and adapters
//! other than the llvmpipe that made the references evaluate pow/exp/log to their own last bits.
//! Measured on llvmpipe after the redesign: every render identical to its reference, bit for bit.
//!
//! `CINEGRADE_WRITE_REFERENCE_RENDERS=1 cargo test --test reference_renders` rewrites the files
//! (only when a change of behaviour is intended, and said so in the commit).

mod common;

use std::path::{Path, PathBuf};

use cinegrade::media;

const TOLERANCE: f32 = 1e-5;

/// One render: a name, and the `cinegrade render` arguments after the input/output pair.
struct Case {
    name: &'static str,
    args: Vec<String>,
}

fn root(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel).display().to_string()
}

fn still(name: &'static str, input: &str, grade: &str, extra: &[&str]) -> Case {
    let mut args = vec![root(input), "--grade".into(), root(grade)];
    args.extend(extra.iter().map(|a| a.to_string()));
    Case { name, args }
}

fn shot(name: &'static str, shot: &str) -> Case {
    Case { name, args: vec!["--project".into(), root("assets/demo/demo.cgproj"), "--shot".into(), shot.into()] }
}

fn cases() -> Vec<Case> {
    let lut = root("tests/data/interchange/classic_film.cube");
    let ccc = root("tests/data/interchange/cdl_test1.ccc");
    vec![
        still("example_warm", "tests/data/frames/chelsea.png", "examples/warm.json", &[]),
        // The README's log pipeline: a scene-linear EXR through ACEScct, a CDL, the look, a LUT and
        // the display rendering to Rec.709.
        still(
            "example_acescct_look",
            "tests/data/frames/Desk_zip.exr",
            "examples/acescct_look.json",
            &[
                "--input-space",
                "linear-rec709",
                "--output-space",
                "rec709-display",
                "--cdl",
                &ccc,
                "--cc-id",
                "cc0002",
                "--lut",
                &lut,
            ],
        ),
        still("example_finishing", "tests/data/frames/chelsea_crop_16bit.png", "examples/finishing.json", &[]),
        still(
            "example_secondaries",
            "tests/data/frames/chelsea_crop_16bit.png",
            "examples/secondaries.json",
            &["--input-space", "srgb-display", "--working-space", "acescct"],
        ),
        shot("demo_010_rocket", "010 rocket"),
        // Pinned to the version the reference was made from (the demo now opens on v2, with a window).
        Case {
            args: [shot("", "020 astronaut").args, vec!["--grade-version".into(), "v1".into()]].concat(),
            name: "demo_020_astronaut",
        },
        shot("demo_030_coffee", "030 coffee"),
        shot("demo_040_cat", "040 cat"),
    ]
}

fn reference(name: &str) -> PathBuf {
    common::data(&format!("reference_renders/{name}.exr"))
}

fn render(case: &Case, out: &Path) {
    let mut args: Vec<String> = vec!["render".into()];
    args.extend(case.args.iter().cloned());
    args.extend(["-o".into(), out.display().to_string(), "--depth".into(), "float".into(), "--overwrite".into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = common::cinegrade(&refs);
    assert!(run.status.success(), "{}: {}", case.name, common::stderr(&run));
}

#[test]
fn renders_match_the_committed_references() {
    if common::gpu().is_none() {
        return;
    }
    let write = std::env::var_os("CINEGRADE_WRITE_REFERENCE_RENDERS").is_some();
    let dir = common::temp_dir("reference-renders");
    for case in cases() {
        let out = dir.join(format!("{}.exr", case.name));
        render(&case, &out);
        let expected = reference(case.name);
        if write {
            std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
            std::fs::copy(&out, &expected).unwrap();
            println!("wrote {}", expected.display());
            continue;
        }
        let now = media::load(&out).expect("load render").frame;
        let then = media::load(&expected).unwrap_or_else(|e| panic!("{}: {e}", case.name)).frame;
        assert_eq!((now.width, now.height), (then.width, then.height), "{}: size", case.name);
        let (err, at) = common::max_error(&now.pixels, &then.pixels);
        println!("{}: worst error {err:.1e}", case.name);
        assert!(
            err <= TOLERANCE,
            "{}: error {err:e} at pixel {at}: now {:?} reference {:?}",
            case.name,
            now.pixels[at],
            then.pixels[at]
        );
        assert!(now.pixels.iter().zip(&then.pixels).all(|(a, b)| a[3] == b[3]), "{}: alpha changed", case.name);
    }
}

/// The references really differ from their sources: a render that passed pixels through would not
/// catch anything (the neutral demo shot excepted, which must stay its source exactly).
#[test]
fn references_are_graded() {
    for case in cases() {
        let graded = media::load(&reference(case.name)).unwrap_or_else(|e| panic!("{}: {e}", case.name)).frame;
        let source = match case.args[0].as_str() {
            "--project" => {
                let project = cinegrade::project::Project::load(Path::new(&case.args[1])).unwrap();
                let root = Path::new(&case.args[1]).parent().unwrap().to_path_buf();
                let (_, shot) = project.shots().find(|(_, s)| s.name == case.args[3]).unwrap();
                media::load(&shot.media_path(&root)).unwrap().frame
            }
            input => media::load(Path::new(input)).unwrap().frame,
        };
        let (err, _) = common::max_error(&graded.pixels, &source.pixels);
        if case.name == "demo_040_cat" {
            assert_eq!(err, 0.0, "{}: a neutral grade passes the source through", case.name);
        } else {
            assert!(err > 0.01, "{}: the grade changed almost nothing ({err})", case.name);
        }
    }
}
