//! Noise reduction on the GPU (and its CPU twin) against an independent reference: He, Sun & Tang's
//! guided filter written out in numpy, f64, by `tests/data/reference/make_denoise_reference.py`
//! (`denoise_reference.json`), on a noisy crop of a real photograph, edges included.
//!
//! Measured (llvmpipe, 2026-12-02): GPU worst 3.6e-7, CPU 3.6e-7 against numpy's f64 (f32 box sums
//! of squares, var = E[x²] − E[x]² on values near 0.5). Bound 2e-6, against a change of 0.017 on
//! average that the filter makes.

mod common;

use cinegrade::gpu::{GpuFrame, executor};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame};
use cinegrade::ops::denoise::Denoise;

/// The script's input: the crop, code / 255, plus the deterministic pattern, rounded to f32.
fn input(crop: [u32; 4]) -> Frame {
    let photo = media::load(&common::data("frames/chelsea.png")).unwrap().frame;
    let [x0, y0, w, h] = crop;
    let crop = photo.crop(x0, y0, w, h);
    Frame::from_fn(w, h, |x, y| {
        let p = crop.pixel(x, y);
        let v = |c: u32| {
            let pattern = 0.04 * (f64::from((x * 73 + y * 151 + c * 37) % 101) / 100.0 - 0.5);
            (f64::from(p[c as usize]) + pattern) as f32
        };
        [v(0), v(1), v(2), 1.0]
    })
}

#[test]
fn denoise_matches_the_guided_filter_of_the_paper() {
    let r = common::json("reference/denoise_reference.json");
    let crop: Vec<u32> = r["crop"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
    let frame = input([crop[0], crop[1], crop[2], crop[3]]);
    let op = Denoise {
        radius: 12.0,
        luma: r["luma"].as_f64().unwrap() as f32,
        chroma: r["chroma"].as_f64().unwrap() as f32,
    };
    assert_eq!(op.uniform(frame.width).radius, r["radius_px"].as_u64().unwrap() as u32, "radius 12 at this width");
    let grade = Grade { nodes: vec![Node::new(Op::Denoise(op))], ..Grade::default() };
    let cpu = common::cpu_apply(&grade, &frame);
    let gpu = common::gpu().map(|ctx| {
        let source = GpuFrame::upload(&ctx, &frame).unwrap();
        executor::apply_grade(&ctx, &grade, &source).unwrap().download(&ctx).unwrap()
    });
    let samples = r["samples"].as_array().unwrap();
    assert!(samples.len() > 3000);
    let mut worst = [0.0f64; 2];
    let mut change = 0.0f64;
    for s in samples {
        let s: Vec<f64> = s.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        let (x, y) = (s[0] as u32, s[1] as u32);
        for (i, out) in [Some(&cpu), gpu.as_ref()].into_iter().enumerate() {
            let Some(out) = out else { continue };
            let got = out.pixel(x, y);
            for c in 0..3 {
                let err = (f64::from(got[c]) - s[2 + c]).abs();
                assert!(
                    err < 2e-6,
                    "{} ({x}, {y}) channel {c}: {} against numpy {}",
                    ["cpu", "gpu"][i],
                    got[c],
                    s[2 + c]
                );
                worst[i] = worst[i].max(err);
            }
            assert_eq!(got[3], 1.0, "alpha");
        }
        change += (0..3).map(|c| (f64::from(frame.pixel(x, y)[c]) - s[2 + c]).abs()).sum::<f64>() / 3.0;
    }
    println!("worst: cpu {:.1e}, gpu {:.1e}", worst[0], worst[1]);
    // The filter did something (numpy's own measure over the whole crop is 0.017).
    assert!(change / samples.len() as f64 > 0.005, "mean change {}", change / samples.len() as f64);
}
