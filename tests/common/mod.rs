//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use cinegrade::gpu::GpuContext;

/// A test data file under tests/data.
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

/// The shared GPU context. With `CI` set a missing adapter fails the test; elsewhere GPU tests skip
/// with a message (returning `None`).
pub fn gpu() -> Option<Arc<GpuContext>> {
    static CTX: OnceLock<Result<Arc<GpuContext>, String>> = OnceLock::new();
    let ctx = CTX.get_or_init(|| GpuContext::headless().map(Arc::new).map_err(|e| e.to_string()));
    match ctx {
        Ok(ctx) => Some(ctx.clone()),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI is set and no GPU adapter was found: {e}")
        }
        Err(e) => {
            eprintln!("skipping GPU test: {e}");
            None
        }
    }
}

/// A fresh empty directory for a test's outputs, unique per call (tests run at once and may share a
/// helper that asks for the same name).
pub fn temp_dir(name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("cinegrade-test-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Asserts |a - b| <= rel * max(1, |b|) for every finite sample, naming the first offender.
pub fn assert_close(gpu: &[[f32; 4]], cpu: &[[f32; 4]], rel: f32, what: &str) {
    assert_eq!(gpu.len(), cpu.len(), "{what}: pixel count");
    let mut worst = (0.0f32, 0usize);
    for (i, (g, c)) in gpu.iter().zip(cpu).enumerate() {
        for ch in 0..4 {
            let err = (g[ch] - c[ch]).abs() / c[ch].abs().max(1.0);
            if err > worst.0 || err.is_nan() {
                worst = (if err.is_nan() { f32::INFINITY } else { err }, i);
            }
        }
    }
    assert!(
        worst.0 <= rel,
        "{what}: relative error {} > {rel} at pixel {}: gpu {:?} cpu {:?}",
        worst.0,
        worst.1,
        gpu[worst.1],
        cpu[worst.1]
    );
}

/// Applies `grade` on the CPU: its pass graph run by the CPU twins (alpha untouched).
pub fn cpu_apply(grade: &cinegrade::grade::Grade, frame: &cinegrade::media::Frame) -> cinegrade::media::Frame {
    cinegrade::gpu::cpu::apply_grade(grade, 0, frame).expect("CPU reference")
}

/// Largest |a − b| / max(1, largest |b| of the pixel) over the RGB channels, and where.
///
/// Relative to the pixel's largest channel, because a 3x3 matrix mixes channels: a rounding error in
/// a channel of 300 lands in a neighbour of 2 too. NaN on one side only counts as infinite.
pub fn max_error(gpu: &[[f32; 4]], cpu: &[[f32; 4]]) -> (f32, usize) {
    assert_eq!(gpu.len(), cpu.len(), "pixel count");
    let mut worst = (0.0f32, 0usize);
    for (i, (g, c)) in gpu.iter().zip(cpu).enumerate() {
        let scale = c[..3].iter().filter(|v| v.is_finite()).fold(1.0f32, |m, v| m.max(v.abs()));
        for ch in 0..3 {
            // Equal values (same infinities included) and NaN on both sides agree.
            let err =
                if g[ch] == c[ch] || (g[ch].is_nan() && c[ch].is_nan()) { 0.0 } else { (g[ch] - c[ch]).abs() / scale };
            let err = if err.is_nan() { f32::INFINITY } else { err };
            if err > worst.0 {
                worst = (err, i);
            }
        }
    }
    worst
}

/// Runs the `cinegrade` binary of this build with `args`.
pub fn cinegrade(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cinegrade")).args(args).output().expect("run cinegrade")
}

/// A command's standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A JSON reference file under tests/data.
pub fn json(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(data(rel)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A JSON array of [r, g, b] rows (reference scripts' samples).
pub fn rgb_rows(v: &serde_json::Value) -> Vec<[f32; 3]> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let a = r.as_array().unwrap();
            [0, 1, 2].map(|i| a[i].as_f64().unwrap() as f32)
        })
        .collect()
}

/// Largest error of `got` against `want`, relative to max(1, |want|) per channel (equal values,
/// NaN for NaN included, count 0; any other NaN is infinite), and where.
pub fn worst_relative(got: &[[f32; 3]], want: &[[f32; 3]]) -> (f32, usize) {
    let mut worst = (0.0f32, 0);
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        for c in 0..3 {
            let same = g[c] == w[c] || (g[c].is_nan() && w[c].is_nan());
            let err = if same { 0.0 } else { (g[c] - w[c]).abs() / w[c].abs().max(1.0) };
            let err = if err.is_nan() { f32::INFINITY } else { err };
            if err > worst.0 {
                worst = (err, i);
            }
        }
    }
    worst
}

/// `values` as the first pixels of a 64-wide frame (the rest mid grey), alpha 1.
pub fn frame_of_values(values: &[[f32; 3]]) -> cinegrade::media::Frame {
    let width = 64usize;
    let height = values.len().div_ceil(width);
    cinegrade::media::Frame::from_fn(width as u32, height as u32, |x, y| {
        let v = values.get(x as usize + y as usize * width).copied().unwrap_or([0.18; 3]);
        [v[0], v[1], v[2], 1.0]
    })
}

/// `inputs` through the LUT file at `path` as OpenColorIO applies it (`tests/tools/ocio_apply.py`,
/// a `FileTransform` with `interpolation`: "tetrahedral" or "trilinear"), or None when Python or
/// PyOpenColorIO is missing outside CI (under CI both must be there: `.ci/run` installs them).
/// Panics with OCIO's message when OCIO refuses the file.
pub fn ocio_apply(path: &Path, interpolation: &str, inputs: &[[f32; 3]]) -> Option<Vec<[f32; 3]>> {
    use std::io::Write;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/ocio_apply.py");
    let child = Command::new("python3")
        .arg(&script)
        .arg(path)
        .arg(interpolation)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let missing = |why: String| {
        assert!(std::env::var_os("CI").is_none(), "OpenColorIO is needed under CI: {why}");
        eprintln!("skipping the OpenColorIO check: {why} (pip install opencolorio)");
        None
    };
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return missing(format!("python3: {e}")),
    };
    let input = serde_json::to_string(inputs).unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(3) {
        return missing(stderr(&out));
    }
    assert!(out.status.success(), "OpenColorIO on {}: {}", path.display(), stderr(&out));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Some(rgb_rows(&value))
}
