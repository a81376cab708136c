//! Blur, grain and vignette on the GPU against closed forms worked out here, not against their CPU
//! twins: a blurred impulse is the sampled Gaussian of the radius (truncated at 3σ and normalised)
//! and its width scales with the frame's width; the grain added to mid grey has the standard
//! deviation the README promises; the vignette's gain at known radii is its documented smoothstep.

mod common;

use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::Frame;
use cinegrade::ops::blur::Blur;
use cinegrade::ops::grain::Grain;
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
