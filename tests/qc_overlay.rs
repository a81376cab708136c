//! QC overlays: the WGSL pass against its CPU twin, what it paints against what the measures count
//! (the report and the picture agree), and `render --overlay` burning one into a still.

mod common;

use cinegrade::color::space::ColorSpace;
use cinegrade::color::spaces::{self, Cat};
use cinegrade::color::transfer::Transfer;
use cinegrade::gpu::GpuFrame;
use cinegrade::media::{self, Frame};
use cinegrade::qc::QcSettings;
use cinegrade::qc::analysis::measure_gpu;
use cinegrade::qc::overlay::{self, Overlay, Palette, Style};

/// Values from below black to above white and across every band, on a 61 x 37 frame (odd sizes: the
/// workgroup edges), none on a band edge.
fn test_frame() -> Frame {
    let (w, h) = (61u32, 37u32);
    let pixels = (0..w * h)
        .map(|i| {
            let t = i as f32 / (w * h) as f32;
            let wobble = ((i * 7919) % 101) as f32 / 101.0;
            [-0.1 + 1.25 * t, 0.013 + 0.97 * wobble, 1.12 - 1.2 * t * wobble, 1.0]
        })
        .collect();
    Frame { width: w, height: h, pixels }
}

fn overlays() -> Vec<(&'static str, Overlay)> {
    let pq: ColorSpace = "rec2100-pq".parse().unwrap();
    vec![
        ("levels solid", Overlay::Levels { low: -0.05, high: 1.05, style: Style::Solid }),
        ("levels zebra", Overlay::Levels { low: -0.05, high: 1.05, style: Style::Zebra }),
        ("gamut P3 in PQ", Overlay::Gamut { space: pq, target: &spaces::P3_D65, style: Style::Solid }),
        ("gamut zebra", Overlay::Gamut { space: pq, target: &spaces::REC709, style: Style::Zebra }),
        ("false colour IRE", Overlay::FalseColor(Palette::Ire)),
        ("false colour nits", Overlay::FalseColor(Palette::Nits)),
    ]
}

/// Measured: painted colours and kept pixels equal bit for bit (the arithmetic before a decision is
/// a dot product and PQ's decode, and no test value sits within 1e-3 of a decision's edge).
#[test]
fn the_overlay_pass_equals_its_cpu_twin() {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    for (what, o) in overlays() {
        let gpu = overlay::apply_gpu(&ctx, &o, &source).unwrap().download(&ctx).unwrap();
        let cpu = overlay::apply_cpu(&o, &frame);
        let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
        assert!(err <= 1e-6, "{what}: {err} at pixel {at}: gpu {:?} cpu {:?}", gpu.pixels[at], cpu.pixels[at]);
        let changed = cpu.pixels.iter().zip(&frame.pixels).filter(|(a, b)| a != b).count();
        assert!(changed > 50, "{what}: {changed} pixels painted: the frame tests it");
        if !what.starts_with("false") {
            assert!(changed < frame.pixels.len(), "{what}: the warning leaves legal pixels alone");
        }
    }
}

/// The legal-range and gamut warnings paint exactly the pixels the QC measures count.
#[test]
fn what_is_painted_is_what_the_report_counts() {
    let Some(ctx) = common::gpu() else { return };
    let frame = test_frame();
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    let settings = QcSettings {
        level_low: -0.05,
        level_high: 1.05,
        black_pixel: 0.1,
        luma: [0.2627, 0.6780, 0.0593],
        gamut: Some((Transfer::Pq, spaces::rgb_to_rgb_matrix(&spaces::REC2020, &spaces::P3_D65, Cat::Bradford))),
        gamut_tolerance: overlay::GAMUT_TOLERANCE,
        pq: true,
        display: None,
        red_ratio: 0.8,
    };
    let measures = measure_gpu(&ctx, &source, None, &settings, 0).unwrap();
    let painted = |o: Overlay| -> u64 {
        let out = overlay::apply_gpu(&ctx, &o, &source).unwrap().download(&ctx).unwrap();
        out.pixels.iter().zip(&frame.pixels).filter(|(a, b)| a != b).count() as u64
    };
    // A pixel can be below in one channel and above in another (counted once each by the measures,
    // painted once): greys from -0.2 to 1.3 are one or the other.
    let greys: Vec<[f32; 4]> = (0..frame.pixels.len()).map(|i| [-0.2 + 1.5 * i as f32 / 2257.0; 4]).collect();
    let greys = GpuFrame::upload(&ctx, &Frame { pixels: greys, ..frame.clone() }).unwrap();
    let grey_measures = measure_gpu(&ctx, &greys, None, &settings, 0).unwrap();
    let o = Overlay::Levels { low: -0.05, high: 1.05, style: Style::Solid };
    let out = overlay::apply_gpu(&ctx, &o, &greys).unwrap().download(&ctx).unwrap();
    let levels = out
        .pixels
        .iter()
        .filter(|p| [p[0], p[1], p[2]] == overlay::OVER || [p[0], p[1], p[2]] == overlay::UNDER)
        .count();
    assert_eq!(levels as u64, grey_measures.below + grey_measures.above);
    assert!(grey_measures.below > 0 && grey_measures.above > 0);
    let pq: ColorSpace = "rec2100-pq".parse().unwrap();
    let gamut = painted(Overlay::Gamut { space: pq, target: &spaces::P3_D65, style: Style::Solid });
    assert_eq!(Some(gamut), measures.out_of_gamut);
    assert!(levels > 0 && gamut > 0);
}

/// `render --overlay false-color` writes the overlay into the still, equal to the pass on the
/// graded frame; the legend's bands are what the README documents.
#[test]
fn render_burns_an_overlay_into_a_still() {
    if common::gpu().is_none() {
        return;
    }
    let dir = common::temp_dir("qc-overlay-render");
    let input = common::data("frames/chelsea.png");
    let plain = dir.join("plain.exr");
    let burnt = dir.join("burnt.exr");
    let flags = ["--input-space", "srgb-display", "--output-space", "rec709-display"];
    let run = |out: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["render", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--depth", "float"];
        args.extend_from_slice(&flags);
        args.extend_from_slice(extra);
        common::cinegrade(&args)
    };
    let out = run(&plain, &[]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let out = run(&burnt, &["--overlay", "false-color"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let plain = media::load(&plain).unwrap().frame;
    let burnt = media::load(&burnt).unwrap().frame;
    let want = overlay::apply_cpu(&Overlay::FalseColor(Palette::Ire), &plain);
    let (err, at) = common::max_error(&burnt.pixels, &want.pixels);
    assert!(err <= 1e-6, "{err} at {at}");
    let bad = run(&dir.join("x.exr"), &["--overlay", "sparkles"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(common::stderr(&bad).contains("levels, levels-zebra, gamut, gamut-zebra, false-color"));
}
