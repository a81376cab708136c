//! The fuzz targets' bodies, shared by the cargo-fuzz binaries (`fuzz/fuzz_targets/*.rs`) and the
//! corpus replay in `tests/fuzz_corpus.rs`, so `cargo test` runs exactly what the fuzzer runs.
//!
//! Each feeds arbitrary bytes to one reader of user files. A reader may refuse the input (an error
//! value is the right answer); it must never panic, hang or allocate from a size the input merely
//! declares. What it accepts must also be usable: the parsed LUTs are applied, a CLF program is
//! compiled and run, CDLs and grades are written back, so a file that parses into something the
//! rest of the code cannot handle is a finding too.

use std::path::Path;

/// A target: its name (the corpus folder under `fuzz/corpus/`) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target.
pub const TARGETS: &[Target] = &[
    ("cube", cube),
    ("clf", clf),
    ("cdl", cdl),
    ("edl", edl),
    ("grade", grade),
    ("project", project),
    ("exr", exr),
    ("ocio", ocio),
    ("dpx", dpx),
    ("qc_profile", qc_profile),
    ("frame_list", frame_list),
    ("qc_report", qc_report),
];

const PROBES: [[f32; 3]; 5] = [[0.0; 3], [0.18, 0.5, 0.9], [-0.5, 1.5, 70000.0], [1.0; 3], [f32::NAN, 0.3, -0.0]];

fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// `.cube`: parse, apply both interpolations, write back.
pub fn cube(data: &[u8]) {
    use cinegrade::interchange::{Interpolation, parse_cube};
    if let Ok(file) = parse_cube(&text(data), "fuzz.cube") {
        for p in PROBES {
            for interp in Interpolation::ALL {
                let _ = file.apply(p, interp);
            }
        }
        let _ = file.to_cube_string();
    }
}

/// CLF: parse, compile, run, write back and read the rewrite.
pub fn clf(data: &[u8]) {
    use cinegrade::interchange::{clf_program, parse_clf, to_clf_string};
    if let Ok(file) = parse_clf(&text(data), "fuzz.clf") {
        let program = clf_program::compile(&file);
        for p in PROBES {
            let _ = clf_program::run(&program, p);
        }
        let written = to_clf_string(&file).expect("a parsed CLF file can be written");
        if let Err(e) = parse_clf(&written, "rewritten.clf") {
            panic!("a CLF file written from a parsed one does not read back: {e}\n{written}");
        }
    }
}

/// ASC CDL (`.cc`, `.ccc`, `.cdl`): parse, write back.
pub fn cdl(data: &[u8]) {
    use cinegrade::interchange::{parse_cdl, write_ccc};
    if let Ok(corrections) = parse_cdl(&text(data), "fuzz.ccc") {
        let _ = write_ccc(&corrections);
    }
}

/// CMX3600 EDL.
pub fn edl(data: &[u8]) {
    let _ = cinegrade::interchange::parse_edl(&text(data), "fuzz.edl");
}

/// A grade file (JSON, any version, migrated): parse, validate, serialise.
pub fn grade(data: &[u8]) {
    if let Ok(g) = cinegrade::grade::Grade::from_json(&text(data), Path::new("fuzz.json")) {
        let _ = serde_json::to_string(&g);
    }
}

/// A project file (`.cgproj`).
pub fn project(data: &[u8]) {
    if let Ok(p) = cinegrade::project::Project::from_json(&text(data), Path::new("fuzz.cgproj")) {
        let _ = serde_json::to_string(&p);
    }
}

/// OpenEXR, through the same entry point as every frame the app opens (from a scratch file: the
/// readers take paths).
pub fn exr(data: &[u8]) {
    thread_local! {
        static PATH: std::path::PathBuf = std::env::temp_dir().join(format!(
            "cinegrade-fuzz-{}-{:?}.exr",
            std::process::id(),
            std::thread::current().id()
        ));
    }
    PATH.with(|path| {
        if std::fs::write(path, data).is_ok() {
            let _ = cinegrade::media::load(path);
        }
    });
}

/// DPX: decode from memory; what decodes has every pixel its header declares, and writes back.
pub fn dpx(data: &[u8]) {
    use cinegrade::media::dpx;
    if let Ok(image) = dpx::decode(Path::new("fuzz.dpx"), data) {
        let f = &image.frame;
        assert_eq!(f.pixels.len(), f.width as usize * f.height as usize, "pixel count matches the header");
        let _ = dpx::encode(f, image.info.has_alpha(), dpx::DpxDepth::Ten, dpx::DpxTags::default());
    }
}

/// QC profile (JSON): parse, then raise the findings of a few frames under it.
pub fn qc_profile(data: &[u8]) {
    use cinegrade::qc::{FrameMeasures, QcProfile, findings};
    if let Ok(profile) = QcProfile::from_json(&text(data), "fuzz.json", "fuzz") {
        let frames: Vec<FrameMeasures> = (0..30u32)
            .map(|n| FrameMeasures {
                frame: 1000 + n,
                pixels: 100,
                below: u64::from(n % 3),
                black: if n % 7 == 0 { 100 } else { 0 },
                min_luma: Some(n as f32 / 30.0),
                difference: Some(if n % 5 == 0 { 0.0 } else { 0.5 }),
                luminance: Some(if n % 2 == 0 { 5.0 } else { 150.0 }),
                red: Some(u64::from(n % 4 == 0) * 50),
                ..FrameMeasures::default()
            })
            .collect();
        for fps in [24.0, 0.5, 1000.0] {
            let _ = findings(&frames, &profile, fps, true);
        }
    }
}

/// OpenColorIO config: parse, then build and run every colour space's conversion to the first one
/// and every display/view (at most a few dozen, so a mutated studio config stays quick).
pub fn ocio(data: &[u8]) {
    use cinegrade::color::ocio::{OcioConfig, OcioRequest};
    use cinegrade::interchange::{ClfFile, clf_program};
    let Ok(config) = OcioConfig::from_text(&text(data), "fuzz.ocio") else { return };
    let spaces: Vec<String> = config.color_spaces().into_iter().map(|(name, ..)| name).take(24).collect();
    let mut requests: Vec<OcioRequest> = spaces
        .iter()
        .flat_map(|s| [s, &spaces[0]].map(|t| OcioRequest::Spaces { from: s.clone(), to: t.clone() }))
        .collect();
    for (display, views) in config.displays().into_iter().take(4) {
        for view in views.into_iter().take(4) {
            for inverse in [false, true] {
                let space = spaces.first().cloned().unwrap_or_default();
                requests.push(OcioRequest::DisplayView {
                    space,
                    display: display.clone(),
                    view: view.clone(),
                    inverse,
                });
            }
        }
    }
    for request in requests {
        if let Ok(ops) = config.ops(&request) {
            let program = clf_program::compile(&ClfFile { ops, ..ClfFile::default() });
            for p in PROBES {
                let _ = clf_program::run(&program, p);
            }
        }
    }
}

/// `--frames` lists: parse, then write back and parse again to the same frames.
pub fn frame_list(data: &[u8]) {
    use cinegrade::media::sequence::FrameSet;
    if let Ok(set) = FrameSet::parse(&text(data)) {
        assert!(!set.is_empty());
        let again = FrameSet::parse(&set.to_string()).expect("a written list parses");
        assert_eq!(again, set);
        let _ = (set.bounds(), set.as_range(), set.contains(1001));
    }
}

/// A chunk's QC report (JSON, what `qc merge` reads): parse, then merge it with a copy of itself
/// moved past its last frame.
pub fn qc_report(data: &[u8]) {
    use cinegrade::qc::{QcReport, merge};
    if let Ok(report) = serde_json::from_str::<QcReport>(&text(data)) {
        let shift = report.frames.iter().map(|f| f.frame).max().map_or(0, |m| m.saturating_add(1));
        let mut later = report.clone();
        for f in &mut later.frames {
            f.frame = f.frame.saturating_add(shift);
        }
        let _ = merge(vec![("a.json".into(), report.clone())]);
        let _ = merge(vec![("a.json".into(), report), ("b.json".into(), later)]);
    }
}
