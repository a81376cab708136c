//! The real binary in a real window: start `cinegrade` (no arguments: the demo project) under Xvfb,
//! take a screenshot with ImageMagick's `import`, find the picture in the viewer and check it holds the
//! graded frame, not a blank area and not the ungraded source.
//!
//! Needs `Xvfb` and `import` (apt: xvfb imagemagick). Without them the test skips, except under `CI`.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::media::Frame;
use cinegrade::project::{Project, demo_project_path};

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

/// The viewer background (theme::VIEWER_BACKGROUND).
const BACKGROUND: u8 = 22;

fn is_background(p: &image::Rgb<u8>) -> bool {
    p.0.iter().all(|v| v.abs_diff(BACKGROUND) <= 2)
}

/// The picture's rectangle: going down the viewer's middle column, the first run of non-background
/// pixels after the viewer's background starts; then, on that run's middle row, out to the background.
fn find_picture(shot: &image::RgbImage, viewer_x: (u32, u32)) -> Option<(u32, u32, u32, u32)> {
    let xm = (viewer_x.0 + viewer_x.1) / 2;
    let column: Vec<bool> = (0..shot.height()).map(|y| is_background(shot.get_pixel(xm, y))).collect();
    let bg_start = column.iter().position(|b| *b)?;
    let top = bg_start + column[bg_start..].iter().position(|b| !*b)?;
    let bottom = top + column[top..].iter().position(|b| *b)? - 1;
    let y = ((top + bottom) / 2) as u32;
    // Out from the middle both ways until the viewer's background: the picture's width.
    let inside = |x: u32| !is_background(shot.get_pixel(x, y));
    if !inside(xm) {
        return None;
    }
    let x0 = (viewer_x.0..=xm).rev().take_while(|x| inside(*x)).last()?;
    let x1 = (xm..viewer_x.1).take_while(|x| inside(*x)).last()?;
    let (y0, y1) = (top as u32, bottom as u32);
    (x1 - x0 > 100 && y1 - y0 > 60).then_some((x0, y0, x1 - x0 + 1, y1 - y0 + 1))
}

/// Bilinear sample of `frame` at continuous pixel coordinates, as the GPU's linear filter does.
fn sample(frame: &Frame, x: f32, y: f32) -> [f32; 4] {
    let (fx, fy) = ((x - 0.5).max(0.0), (y - 0.5).max(0.0));
    let (x0, y0) = (fx.floor() as u32, fy.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(frame.width - 1), (y0 + 1).min(frame.height - 1));
    let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
    let (a, b, c, d) = (frame.pixel(x0, y0), frame.pixel(x1, y0), frame.pixel(x0, y1), frame.pixel(x1, y1));
    [0, 1, 2, 3].map(|i| {
        let top = a[i] + (b[i] - a[i]) * tx;
        let bottom = c[i] + (d[i] - c[i]) * tx;
        top + (bottom - top) * ty
    })
}

/// Mean absolute difference (8-bit levels) between the screenshot's picture and `expected` resampled
/// to the picture's size; a border of 3 pixels is left out for edge filtering.
fn mean_abs_diff(shot: &image::RgbImage, rect: (u32, u32, u32, u32), expected: &Frame) -> f32 {
    let (x0, y0, w, h) = rect;
    let (sx, sy) = (expected.width as f32 / w as f32, expected.height as f32 / h as f32);
    let mut sum = 0.0f64;
    let mut n = 0u64;
    for y in 3..h.saturating_sub(3) {
        for x in 3..w.saturating_sub(3) {
            let e = sample(expected, (x as f32 + 0.5) * sx, (y as f32 + 0.5) * sy);
            let s = shot.get_pixel(x0 + x, y0 + y).0;
            for c in 0..3 {
                sum += f64::from((f32::from(s[c]) - e[c].clamp(0.0, 1.0) * 255.0).abs());
                n += 1;
            }
        }
    }
    (sum / n.max(1) as f64) as f32
}

#[test]
fn app_window_shows_the_graded_demo_frame() {
    if !have("Xvfb") || !have("import") {
        assert!(std::env::var_os("CI").is_none(), "CI is set but Xvfb or ImageMagick's import is missing");
        eprintln!("skipping: Xvfb or import not installed");
        return;
    }
    let Some(gpu) = common::gpu() else { return };
    let home = common::temp_dir("app-window-home");
    // Xvfb picks a free display itself and writes its number on stdout once it accepts clients: no
    // guessing a free number, no fixed wait.
    let mut xvfb = KillOnDrop(
        Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb"),
    );
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(xvfb.0.stdout.take().unwrap()), &mut line)
        .expect("Xvfb names its display");
    let display = format!(":{}", line.trim());
    assert!(line.trim().parse::<u32>().is_ok(), "Xvfb wrote {line:?} for its display");
    let _app = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_cinegrade"))
            .env("DISPLAY", &display)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", &home)
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start cinegrade"),
    );

    // The expected pictures: the demo's first shot, graded and ungraded, through the same GPU path.
    let project_path = demo_project_path().unwrap();
    let project = Project::load(&project_path).unwrap();
    let (_, shot) = project.shots().next().unwrap();
    let source = cinegrade::media::load(&shot.media_path(project_path.parent().unwrap())).unwrap().frame;
    let graded = executor::apply_grade(&gpu, shot.grade(), &GpuFrame::upload(&gpu, &source).unwrap())
        .unwrap()
        .download(&gpu)
        .unwrap();

    let shot_path = home.join("screen.png");
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut last = String::from("no screenshot taken");
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_secs(2));
        let ok = Command::new("import")
            .args(["-display", &display, "-window", "root", shot_path.to_str().unwrap()])
            .status()
            .is_ok_and(|s| s.success());
        if !ok || !Path::new(&shot_path).exists() {
            continue;
        }
        let Ok(screen) = image::open(&shot_path).map(|i| i.to_rgb8()) else { continue };
        // The window opens at the top left, 1480x900: project panel left, grade panel right.
        let Some(rect) = find_picture(&screen, (260, 1100)) else {
            last = "no picture found in the viewer yet".into();
            continue;
        };
        let to_graded = mean_abs_diff(&screen, rect, &graded);
        let to_source = mean_abs_diff(&screen, rect, &source);
        last = format!("picture {rect:?}: mean difference {to_graded:.1} to graded, {to_source:.1} to source");
        if to_graded < 6.0 && to_source > to_graded * 1.5 {
            eprintln!("{last}");
            let _ = std::fs::copy(&shot_path, std::env::temp_dir().join("cinegrade-app-window.png"));
            return;
        }
    }
    panic!("the window never showed the graded frame: {last}");
}
