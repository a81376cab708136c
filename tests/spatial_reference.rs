//! Blur, sharpen, glow, grain and vignette on the GPU against closed forms worked out here, not
//! against their CPU twins: a blurred impulse is the sampled Gaussian of the radius (truncated at 3σ
//! and normalised) and its width scales with the frame's width; a sharpened impulse is the unsharp
//! mask of that Gaussian, cored by the threshold; a glowing line is its highlight share (above and
//! inside the soft knee) spread by the Gaussian, added or screened; the grain added to mid grey has
//! the standard deviation the README promises; the vignette's gain at known radii is its documented
//! smoothstep.

mod common;

use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::Frame;
use cinegrade::ops::blur::Blur;
use cinegrade::ops::glow::{Glow, GlowMode};
use cinegrade::ops::grain::Grain;
use cinegrade::ops::sharpen::Sharpen;
use cinegrade::ops::vignette::Vignette;

fn render(op: Op, frame: &Frame, number: u32) -> Option<Frame> {
    let ctx = common::gpu()?;
    let grade = Grade { nodes: vec![Node::new(op)], ..Grade::default() };
    let source = GpuFrame::upload(&ctx, frame).unwrap();
    Some(executor::apply_grade_frame(&ctx, &grade, number, &source).unwrap().download(&ctx).unwrap())
}

/// A vertical line of 1 at column `at` on black, `width` x 8.
fn impulse(width: u32, at: u32) -> Frame {
    Frame::from_fn(width, 8, |x, _| if x == at { [1.0, 1.0, 1.0, 1.0] } else { [0.0, 0.0, 0.0, 1.0] })
}

#[test]
fn a_blurred_impulse_is_the_gaussian_of_the_radius_at_any_width() {
    // Radius 12 is σ = 12 pixels at 1920 wide and σ = 6 at 960 wide (radii scale with the width).
    for (width, sigma) in [(1920u32, 12.0f64), (960, 6.0)] {
        let at = width / 2;
        let Some(out) = render(Op::Blur(Blur { radius: 12.0 }), &impulse(width, at), 0) else { return };
        // The sampled Gaussian, cut at ±ceil(3σ) and normalised to sum 1.
        let reach = (3.0 * sigma).ceil() as i64;
        let g = |k: i64| (-((k * k) as f64) / (2.0 * sigma * sigma)).exp();
        let total: f64 = (-reach..=reach).map(g).sum();
        let row = 4;
        let mut energy = 0.0f64;
        for x in 0..width {
            let k = i64::from(x) - i64::from(at);
            let want = if k.abs() <= reach { g(k) / total } else { 0.0 };
            let got = f64::from(out.pixel(x, row)[0]);
            energy += got;
            assert!((got - want).abs() < 1e-6, "width {width}, tap {k}: {got} against {want}");
        }
        assert!((energy - 1.0).abs() < 1e-5, "width {width}: the blur keeps the energy, {energy}");
        // Its variance is that of a Gaussian of σ cut at 3σ: 0.9733 σ² (truncated normal, ±3σ).
        let variance: f64 =
            (0..width).map(|x| (f64::from(x) - f64::from(at)).powi(2) * f64::from(out.pixel(x, row)[0])).sum();
        assert!((variance / (sigma * sigma) - 0.9733).abs() < 0.01, "width {width}: variance {variance}");
    }
}

/// The sampled Gaussian of `sigma` pixels, cut at ±ceil(3σ) and normalised to sum 1, at tap `k`.
fn gaussian(sigma: f64, k: i64) -> f64 {
    let reach = (3.0 * sigma).ceil() as i64;
    let g = |k: i64| (-((k * k) as f64) / (2.0 * sigma * sigma)).exp();
    if k.abs() > reach { 0.0 } else { g(k) / (-reach..=reach).map(g).sum::<f64>() }
}

/// out = in + amount × core(in − blur(in)), core(d) = sign(d)·max(|d| − threshold, 0): a line of 0.5
/// on 0.25 grey, radius 6 at 960 wide (σ = 3 px). Taps where the detail is below the threshold come
/// out exactly as they went in. Measured worst 6e-8; bound 1e-6.
#[test]
fn a_sharpened_impulse_is_the_cored_unsharp_mask_of_the_gaussian() {
    let (width, at, sigma) = (960u32, 480i64, 3.0f64);
    let (base, peak, amount, threshold) = (0.25f64, 0.5f64, 0.8f64, 0.01f64);
    let frame = Frame::from_fn(width, 8, |x, _| {
        let v = if i64::from(x) == at { peak } else { base } as f32;
        [v, v, v, 1.0]
    });
    let op = Op::Sharpen(Sharpen { radius: 6.0, amount: amount as f32, threshold: threshold as f32 });
    let Some(out) = render(op, &frame, 0) else { return };
    let (mut cored, mut sharpened, mut worst) = (0, 0, 0.0f64);
    for x in 0..width {
        let k = i64::from(x) - at;
        let input = if k == 0 { peak } else { base };
        let blurred = base + (peak - base) * gaussian(sigma, k);
        let d = input - blurred;
        let core = d.signum() * (d.abs() - threshold).max(0.0);
        let want = input + amount * core;
        let got = f64::from(out.pixel(x, 4)[1]);
        assert!((got - want).abs() < 1e-6, "tap {k}: {got} against {want}");
        worst = worst.max((got - want).abs());
        if core == 0.0 {
            assert_eq!(got as f32, input as f32, "tap {k}: detail below the threshold is left alone");
            cored += usize::from(k.abs() < 10);
        } else {
            sharpened += 1;
        }
    }
    // Both sides of the threshold are visited: the centre and its neighbours are sharpened, the
    // Gaussian's tail (detail 0.25·G(k) < 0.01 from |k| = 6) is not.
    assert!(sharpened >= 9 && cored >= 6, "{sharpened} sharpened, {cored} cored");
    println!("sharpen: worst {worst:.1e}");
}

/// A line of grey 2.0 (above the knee: its share is luma − threshold) and one of 0.9 (inside the
/// knee: (luma − threshold + softness)² / (4·softness)) on black, tinted, spread by the Gaussian of
/// the radius (10 at 960 wide: σ = 5 px) and laid back by adding, or by the screen that leaves
/// values above 1 alone. Measured worst 1e-7; bound 1e-6.
#[test]
fn a_glowing_line_is_its_highlight_share_spread_by_the_gaussian() {
    let (width, sigma) = (960u32, 5.0f64);
    let (threshold, softness, amount, tint) = (0.8f64, 0.2f64, 0.5f64, [1.0f64, 0.5, 0.25]);
    let lines = [(300i64, 2.0f64), (600, 0.9)];
    let share = |v: f64| {
        let knee = (v - threshold + softness).clamp(0.0, 2.0 * softness).powi(2) / (4.0 * softness);
        knee.max(v - threshold)
    };
    assert!((share(2.0) - 1.2).abs() < 1e-12 && (share(0.9) - 0.1125).abs() < 1e-12, "the knee as worked out");
    let frame = Frame::from_fn(width, 8, |x, _| {
        let v = lines.iter().find(|(at, _)| *at == i64::from(x)).map_or(0.0, |l| l.1) as f32;
        [v, v, v, 1.0]
    });
    for mode in [GlowMode::Add, GlowMode::Screen] {
        let glow = Glow {
            threshold: threshold as f32,
            softness: softness as f32,
            radius: 10.0,
            amount: amount as f32,
            tint: tint.map(|t| t as f32),
            mode,
        };
        let Some(out) = render(Op::Glow(glow), &frame, 0) else { return };
        let mut worst = 0.0f64;
        for x in 0..width {
            let input = lines.iter().find(|(at, _)| *at == i64::from(x)).map_or(0.0, |l| l.1);
            let spread: f64 = lines.iter().map(|(at, v)| gaussian(sigma, i64::from(x) - at) * share(*v)).sum();
            for (c, t) in tint.iter().enumerate() {
                let g = amount * t * spread;
                let want = match mode {
                    GlowMode::Add => input + g,
                    GlowMode::Screen => input + g * (1.0 - input.clamp(0.0, 1.0)),
                };
                let got = f64::from(out.pixel(x, 4)[c]);
                assert!((got - want).abs() < 1e-6, "{mode:?} column {x} channel {c}: {got} against {want}");
                worst = worst.max((got - want).abs());
            }
        }
        println!("glow {mode:?}: worst {worst:.1e}");
        // The line above 1 keeps its value under the screen, and gains the glow when added.
        let centre = f64::from(out.pixel(300, 4)[0]);
        match mode {
            GlowMode::Screen => assert_eq!(centre, 2.0),
            GlowMode::Add => assert!(centre > 2.04, "{centre}"),
        }
    }
}

#[test]
fn grain_on_mid_grey_has_the_standard_deviation_asked_for() {
    let grey = Frame::from_fn(512, 256, |_, _| [0.5, 0.5, 0.5, 1.0]);
    for (softness, size) in [(1.0, 0.0), (0.0, 0.0), (0.5, 2.0)] {
        let grain = Grain { amount: 0.05, softness, size, ..Grain::default() };
        let Some(out) = render(Op::Grain(grain), &grey, 1001) else { return };
        for c in 0..3 {
            let d: Vec<f64> = out.pixels.iter().map(|p| f64::from(p[c]) - 0.5).collect();
            let mean = d.iter().sum::<f64>() / d.len() as f64;
            let sd = (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / d.len() as f64).sqrt();
            // 131 072 samples: the standard deviation's own sampling error is about 0.2 %; a blurred
            // grain has fewer independent samples, so allow 3 %.
            assert!((sd / 0.05 - 1.0).abs() < 0.03, "softness {softness}, size {size}, channel {c}: sd {sd}");
            assert!(mean.abs() < 0.05 * 0.03, "softness {softness}, size {size}: grain adds no offset ({mean})");
        }
    }
}

#[test]
fn the_vignette_gain_at_known_radii_is_its_smoothstep() {
    // 200 x 100, circular: r is the distance from the centre over half the diagonal (corners at 1).
    let (w, h) = (200u32, 100u32);
    let frame = Frame::from_fn(w, h, |_, _| [0.8, 0.6, 0.4, 1.0]);
    let v = Vignette { amount: 0.5, size: 0.3, feather: 0.5, roundness: 1.0, center: [0.5, 0.5] };
    let Some(out) = render(Op::Vignette(v), &frame, 0) else { return };
    let half_diagonal = (f64::from(w * w + h * h)).sqrt() / 2.0;
    let smoothstep = |t: f64| {
        let t = ((t - 0.3) / 0.5).clamp(0.0, 1.0);
        t * t * (3.0 - 2.0 * t)
    };
    let mut seen = [false; 3];
    for y in 0..h {
        for x in 0..w {
            let (dx, dy) = (f64::from(x) + 0.5 - 100.0, f64::from(y) + 0.5 - 50.0);
            let r = (dx * dx + dy * dy).sqrt() / half_diagonal;
            let gain = 1.0 - 0.5 * smoothstep(r);
            let got = f64::from(out.pixel(x, y)[0]) / 0.8;
            assert!((got - gain).abs() < 2e-6, "({x}, {y}) r {r}: gain {got} against {gain}");
            seen[usize::from(r >= 0.3) + usize::from(r >= 0.8)] = true;
        }
    }
    assert_eq!(seen, [true; 3], "inside, across and beyond the falloff");
}
