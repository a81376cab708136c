//! Tracker accuracy against known motion: a synthetic textured patch on a sub-pixel path with noise,
//! a real photograph panned and zoomed by a known transform, and a subject that leaves the frame.

use super::*;
use crate::media::Frame;

/// A deterministic generator (SplitMix64) for textures and noise.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
    }

    /// A standard normal deviate (Box–Muller).
    fn normal(&mut self) -> f32 {
        let (u, v) = (self.next().max(1e-7), self.next());
        (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
    }
}

/// A texture defined everywhere: a sum of sinusoids of random direction, frequency and phase, so a
/// sub-pixel move is exact.
struct Texture(Vec<[f32; 4]>);

impl Texture {
    fn new(seed: u64, waves: usize) -> Self {
        let mut r = Rng(seed);
        Self(
            (0..waves)
                .map(|_| {
                    let angle = r.next() * std::f32::consts::TAU;
                    let freq = 0.04 + r.next() * 0.25;
                    [angle.cos() * freq, angle.sin() * freq, r.next() * std::f32::consts::TAU, 0.5 + r.next()]
                })
                .collect(),
        )
    }

    fn at(&self, x: f32, y: f32) -> f32 {
        let sum: f32 = self.0.iter().map(|w| w[3] * (w[0] * x + w[1] * y + w[2]).sin()).sum();
        0.5 + 0.5 * sum / self.0.len() as f32
    }
}

fn grey(width: u32, height: u32, mut value: impl FnMut(f32, f32) -> f32) -> Frame {
    let mut pixels = Vec::with_capacity((width * height) as usize);
    for y in 0..height {
        for x in 0..width {
            let v = value(x as f32 + 0.5, y as f32 + 0.5);
            pixels.push([v, v, v, 1.0]);
        }
    }
    Frame { width, height, pixels }
}

/// A 48-pixel textured square centred at `c` over a different static texture, edges smooth over a
/// pixel, plus Gaussian noise of standard deviation `noise`.
fn patch_frame(c: [f32; 2], noise: f32, seed: u64) -> Frame {
    let (background, patch) = (Texture::new(7, 12), Texture::new(11, 16));
    let mut rng = Rng(seed);
    let half = 24.0;
    grey(320, 240, |x, y| {
        let (dx, dy) = (x - c[0], y - c[1]);
        let inside = ((half - dx.abs()).clamp(-0.5, 0.5) + 0.5) * ((half - dy.abs()).clamp(-0.5, 0.5) + 0.5);
        let v = background.at(x, y) * (1.0 - inside) + patch.at(dx, dy) * inside;
        v + noise * rng.normal()
    })
}

fn settings(region: [f32; 4], scale: bool) -> TrackSettings {
    TrackSettings { region, scale, rotation: false, search: None }
}

#[test]
fn a_patch_on_a_sub_pixel_path_with_noise_is_followed_within_half_a_pixel() {
    // A curved path with steps of 0.3 to 3.5 pixels and fractional positions throughout.
    let path: Vec<[f32; 2]> = (0..30)
        .map(|i| {
            let t = i as f32;
            [100.0 + 3.1 * t + 6.0 * (t * 0.3).sin(), 90.0 + 1.7 * t - 4.0 * (t * 0.21).cos() + 4.0]
        })
        .collect();
    let first = patch_frame(path[0], 0.03, 1);
    let region = [path[0][0] - 24.0, path[0][1] - 24.0, 48.0, 48.0];
    let (mut tracker, start) = Tracker::new(&first, 0, settings(region, false)).unwrap();
    assert_eq!((start.x, start.y, start.confidence), (path[0][0], path[0][1], 1.0));
    let mut total = 0.0;
    for (i, p) in path.iter().enumerate().skip(1) {
        let f = tracker.track(&patch_frame(*p, 0.03, i as u64 + 1), i as u32).unwrap();
        let error = ((f.x - p[0]).powi(2) + (f.y - p[1]).powi(2)).sqrt();
        assert!(f.confidence > 0.9, "frame {i}: confidence {}", f.confidence);
        assert!(error < 1.0, "frame {i}: {error} px off ({f:?} against {p:?})");
        total += error;
    }
    let mean = total / (path.len() - 1) as f32;
    eprintln!("synthetic patch: mean error {mean} px");
    assert!(mean <= 0.5, "mean error {mean} px");
    // Measured: 0.11 px. A tracker that found whole pixels only would be about 0.38 px off on
    // average (the mean distance to the nearest pixel of a uniform sub-pixel position) and pass the
    // issue's 0.5 px bound, so hold it to 0.2 px as well.
    assert!(mean <= 0.2, "mean error {mean} px: sub-pixel refinement is not working");
}

#[test]
fn a_real_frame_panned_and_zoomed_is_followed_within_one_and_a_half_pixels() {
    let photo =
        crate::media::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo/frames/coffee.png"))
            .unwrap()
            .frame;
    let (w, h) = (320u32, 200u32);
    // Frame t shows the photo panned by `pan(t)` and zoomed by `zoom(t)` about the output's centre:
    // output position q shows photo position centre_src + (q - centre_out) / zoom.
    let pan = |t: f32| [120.0 + 2.3 * t, 90.0 + 1.1 * t];
    let zoom = |t: f32| 1.0 + 0.012 * t;
    let render = |t: f32| {
        let (p, z) = (pan(t), zoom(t));
        let mut pixels = Vec::with_capacity((w * h) as usize);
        for y in 0..h {
            for x in 0..w {
                let sx = p[0] + (x as f32 + 0.5 - w as f32 / 2.0) / z + w as f32 / 2.0;
                let sy = p[1] + (y as f32 + 0.5 - h as f32 / 2.0) / z + h as f32 / 2.0;
                pixels.push(photo.sample_bilinear(sx, sy));
            }
        }
        Frame { width: w, height: h, pixels }
    };
    // A photo point s appears at centre_out + (s - pan - centre_out) · zoom.
    let project = |s: [f32; 2], t: f32| {
        let (p, z) = (pan(t), zoom(t));
        [w as f32 / 2.0 + (s[0] - p[0] - w as f32 / 2.0) * z, h as f32 / 2.0 + (s[1] - p[1] - h as f32 / 2.0) * z]
    };
    let region = [130.0, 60.0, 64.0, 64.0];
    let centre0 = [region[0] + 32.0, region[1] + 32.0];
    let subject = [centre0[0] + pan(0.0)[0], centre0[1] + pan(0.0)[1]];
    let (mut tracker, _) = Tracker::new(&render(0.0), 0, settings(region, true)).unwrap();
    let mut total = 0.0;
    for t in 1..24 {
        let f = tracker.track(&render(t as f32), t).unwrap();
        let want = project(subject, t as f32);
        let error = ((f.x - want[0]).powi(2) + (f.y - want[1]).powi(2)).sqrt();
        assert!(error < 3.0, "frame {t}: {error} px off ({f:?} against {want:?})");
        assert!((f.scale - zoom(t as f32)).abs() < 0.02, "frame {t}: scale {} against {}", f.scale, zoom(t as f32));
        total += error;
    }
    let mean = total / 23.0;
    eprintln!("panned and zoomed photo: mean error {mean} px");
    assert!(mean <= 1.5, "mean error {mean} px");
}

#[test]
fn a_subject_that_leaves_is_reported_lost_and_the_window_holds() {
    let region = [76.0, 76.0, 48.0, 48.0];
    let (mut tracker, _) = Tracker::new(&patch_frame([100.0, 100.0], 0.01, 1), 0, settings(region, false)).unwrap();
    let seen = tracker.track(&patch_frame([103.0, 101.0], 0.01, 2), 1).unwrap();
    assert!(seen.confidence > 0.9);
    // The patch is gone (background only, a different texture).
    let background = Texture::new(7, 12);
    let empty = grey(320, 240, |x, y| background.at(x, y));
    let lost = tracker.track(&empty, 2).unwrap();
    assert!(lost.confidence < LOST_CONFIDENCE, "confidence {}", lost.confidence);
    assert_eq!((lost.x, lost.y), (seen.x, seen.y), "a lost frame holds the last position, nothing invented");
    // It comes back near where it was lost and is picked up again.
    let back = tracker.track(&patch_frame([108.0, 104.0], 0.01, 4), 3).unwrap();
    assert!(back.confidence > 0.9, "{back:?}");
    assert!((back.x - 108.0).abs() < 0.3 && (back.y - 104.0).abs() < 0.3, "{back:?}");
}

#[test]
fn bad_regions_and_sizes_are_refused() {
    let frame = patch_frame([100.0, 100.0], 0.0, 1);
    for region in
        [[-1.0, 0.0, 20.0, 20.0], [310.0, 0.0, 20.0, 20.0], [0.0, 0.0, 4.0, 20.0], [f32::NAN, 0.0, 20.0, 20.0]]
    {
        assert!(
            matches!(Tracker::new(&frame, 0, settings(region, false)), Err(TrackError::Region { .. })),
            "{region:?}"
        );
    }
    let (mut tracker, _) = Tracker::new(&frame, 0, settings([50.0, 50.0, 40.0, 40.0], false)).unwrap();
    let small = grey(100, 100, |_, _| 0.5);
    assert!(matches!(tracker.track(&small, 1), Err(TrackError::Size { frame: 1, .. })));
}

#[test]
fn a_report_becomes_window_offsets_from_the_frame_it_was_drawn_on() {
    let report = TrackReport {
        frames: vec![
            TrackedFrame { frame: 10, x: 100.0, y: 50.0, scale: 1.0, rotation: 0.0, confidence: 1.0 },
            TrackedFrame { frame: 11, x: 120.0, y: 40.0, scale: 1.1, rotation: 2.0, confidence: 0.8 },
        ],
    };
    let s = report.samples(10, 200, 100);
    assert_eq!(s[0].offset, [0.0, 0.0]);
    assert_eq!(s[1].offset, [0.1, -0.1]);
    assert!((s[1].scale - 1.1).abs() < 1e-6 && s[1].rotation == 2.0 && s[1].confidence == 0.8);
}

#[test]
fn a_turning_zooming_subject_is_followed_with_its_rotation_and_scale() {
    let photo =
        crate::media::load(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo/frames/coffee.png"))
            .unwrap()
            .frame;
    let (w, h) = (240u32, 200u32);
    // Frame t shows the photo turned by `angle(t)` and zoomed by `zoom(t)` about photo point (300, 200),
    // which sits at `at(t)` on the frame.
    let angle = |t: f32| (1.2 * t).to_radians();
    let zoom = |t: f32| 1.0 + 0.01 * t;
    let at = |t: f32| [110.0 + 1.7 * t, 95.0 + 0.9 * t];
    let render = |t: f32| {
        let (a, z, c) = (angle(t), zoom(t), at(t));
        let (sin, cos) = a.sin_cos();
        let mut pixels = Vec::with_capacity((w * h) as usize);
        for y in 0..h {
            for x in 0..w {
                // Inverse of: frame = c + z·R(a)·(photo − (300, 200)).
                let (dx, dy) = ((x as f32 + 0.5 - c[0]) / z, (y as f32 + 0.5 - c[1]) / z);
                let (px, py) = (cos * dx + sin * dy + 300.0, -sin * dx + cos * dy + 200.0);
                pixels.push(photo.sample_bilinear(px, py));
            }
        }
        Frame { width: w, height: h, pixels }
    };
    let region = [110.0 - 36.0, 95.0 - 36.0, 72.0, 72.0];
    let settings = TrackSettings { region, scale: true, rotation: true, search: None };
    let (mut tracker, _) = Tracker::new(&render(0.0), 0, settings).unwrap();
    for t in 1..16 {
        let f = tracker.track(&render(t as f32), t).unwrap();
        let want = at(t as f32);
        let error = ((f.x - want[0]).powi(2) + (f.y - want[1]).powi(2)).sqrt();
        assert!(error < 0.5, "frame {t}: {error} px off ({f:?} against {want:?})");
        assert!(
            (f.rotation - 1.2 * t as f32).abs() < 0.3,
            "frame {t}: {} degrees against {}",
            f.rotation,
            1.2 * t as f32
        );
        assert!((f.scale - zoom(t as f32)).abs() < 0.01, "frame {t}: scale {}", f.scale);
    }
}

#[test]
fn a_region_as_large_as_the_frame_tracks_within_the_frame() {
    // The search crop is clipped to the frame, so a frame-sized region costs one frame, not six.
    let frame = patch_frame([160.0, 120.0], 0.0, 1);
    let settings = TrackSettings { region: [0.0, 0.0, 320.0, 240.0], scale: false, rotation: false, search: Some(8.0) };
    let (mut tracker, _) = Tracker::new(&frame, 0, settings).unwrap();
    let pyramid = Pyramid::around(&frame, [160.0, 120.0], 400.0, 2);
    assert!(pyramid.levels[0].width <= 320 + 8 && pyramid.levels[0].height <= 240 + 8);
    let again = tracker.track(&frame, 1).unwrap();
    assert!((again.x - 160.0).abs() < 0.05 && (again.y - 120.0).abs() < 0.05 && again.confidence > 0.99, "{again:?}");
}
