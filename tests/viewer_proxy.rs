//! The viewer's proxy: the source decimated on the GPU (a box filter, checked against its CPU twin),
//! graded while a control moves; its picture against the full render decimated the same way (radii
//! scale with the frame's width, so a blur looks the same); the workspace shows it during a drag
//! and the full frame once the drag ends.

mod common;

use cinegrade::gpu::viewer::{DisplayKind, Viewer};
use cinegrade::gpu::{GpuFrame, executor, proxy};
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::{self, Frame};
use cinegrade::ops::blur::Blur;
use cinegrade::ops::primaries::Primaries;

/// A 902 x 600 picture: chelsea.png tiled 2 x 2.
fn photo() -> Frame {
    let p = media::load(&common::data("frames/chelsea.png")).unwrap().frame;
    Frame::from_fn(p.width * 2, p.height * 2, |x, y| p.pixel(x % p.width, y % p.height))
}

#[test]
fn the_gpu_decimation_is_its_cpu_twin() {
    let Some(ctx) = common::gpu() else { return };
    let frame = photo();
    for factor in [2, 3, 4] {
        let source = GpuFrame::upload(&ctx, &frame).unwrap();
        let (w, h) = proxy::size(frame.width, frame.height, factor);
        let out = GpuFrame::new(&ctx, w, h).unwrap();
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        proxy::encode(&ctx, &mut encoder, &source, &out, factor).unwrap();
        ctx.queue.submit([encoder.finish()]);
        let gpu = out.download(&ctx).unwrap();
        let cpu = proxy::downsample(&frame, factor);
        common::assert_close(&gpu.pixels, &cpu.pixels, 1e-6, &format!("factor {factor}"));
    }
}

#[test]
fn the_proxy_is_the_full_render_decimated() {
    let Some(ctx) = common::gpu() else { return };
    let frame = photo();
    let grade = Grade {
        nodes: vec![
            Node::new(Op::Primaries(Primaries {
                exposure: 0.3,
                saturation: 1.2,
                contrast: 1.1,
                ..Primaries::default()
            })),
            Node::new(Op::Blur(Blur { radius: 16.0 })),
        ],
        ..Grade::default()
    };
    let factor = 4;
    let mut viewer = Viewer::new(&ctx, &frame).unwrap();
    viewer.render_proxy(&ctx, &grade, 0, factor).unwrap();
    let preview = viewer.shown_proxy().expect("the proxy is shown").graded().download(&ctx).unwrap();
    let full =
        executor::apply_grade(&ctx, &grade, &GpuFrame::upload(&ctx, &frame).unwrap()).unwrap().download(&ctx).unwrap();
    let decimated = proxy::downsample(&full, factor);
    assert_eq!((preview.width, preview.height), (decimated.width, decimated.height));
    let diffs: Vec<f32> = preview
        .pixels
        .iter()
        .zip(&decimated.pixels)
        .flat_map(|(a, b)| (0..3).map(move |c| (a[c] - b[c]).abs()))
        .collect();
    let mean = diffs.iter().sum::<f32>() / diffs.len() as f32;
    let mut sorted = diffs.clone();
    sorted.sort_by(f32::total_cmp);
    let p99 = sorted[sorted.len() * 99 / 100];
    eprintln!(
        "proxy against the decimated full render: mean {mean:e}, p99 {p99:e}, max {:e}",
        sorted[sorted.len() - 1]
    );
    // Grading a decimated picture is not decimating a graded one where the grade bends values
    // (contrast, saturation) across the 16 pixels averaged; the blur (σ 8.3 px here, 2.1 px on the
    // proxy) matches. Measured: mean 5.0e-4, p99 3.6e-3 (max 2.1e-2, at edges).
    assert!(mean < 1.5e-3 && p99 < 1e-2, "mean {mean}, p99 {p99}");
    // Without the radius scaling (the proxy blurred by the full frame's pixels) it would be far off.
    let unscaled = Grade {
        nodes: vec![grade.nodes[0].clone(), Node::new(Op::Blur(Blur { radius: 16.0 * factor as f32 }))],
        ..Grade::default()
    };
    viewer.render_proxy(&ctx, &unscaled, 0, factor).unwrap();
    let wrong = viewer.shown_proxy().unwrap().graded().download(&ctx).unwrap();
    let off = wrong.pixels.iter().zip(&decimated.pixels).map(|(a, b)| (a[0] - b[0]).abs()).sum::<f32>()
        / wrong.pixels.len() as f32;
    assert!(off > 3.0 * mean, "a blur 4x too wide is told apart: {off} against {mean}");
    // A full render hides the proxy again.
    viewer.render(&ctx, &grade, 0).unwrap();
    assert!(viewer.shown_proxy().is_none());
}

#[test]
fn the_workspace_shows_the_proxy_while_a_control_moves() {
    let Some(gpu) = common::gpu() else { return };
    let dir = common::temp_dir("proxy-ws");
    media::save(&photo(), &dir.join("big.exr"), &media::SaveOptions::default()).unwrap();
    let project = r#"{"version": 3, "name": "proxy", "scenes": [{"name": "s", "shots": [
        {"name": "big", "media": {"still": "big.exr"}, "versions": [{"name": "v1", "grade": {"version": 2, "nodes": []}}]}]}]}"#;
    let path = dir.join("proxy.cgproj");
    std::fs::write(&path, project).unwrap();
    let mut ws = cinegrade::workspace::Workspace::new(gpu, Vec::new());
    ws.open_project(&path).unwrap();
    ws.viewing.proxy_width = Some(300);
    ws.update();
    let full_before = ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap();
    ws.probe_at(40, 30);
    let probe_before = ws.probe.unwrap();
    assert_eq!(probe_before.proxy_factor, None);
    // A drag: the edit stays open (one undo step) until the interaction ends.
    let drag = |ws: &mut cinegrade::workspace::Workspace, exposure: f32| {
        let grade = Grade::with_primaries(Primaries { exposure, ..Primaries::default() });
        ws.session.set_grade("exposure", grade);
    };
    drag(&mut ws, 0.5);
    ws.update();
    drag(&mut ws, 1.0);
    ws.update();
    assert_eq!(
        ws.view().unwrap().proxy_factor(),
        Some(proxy::factor_for(ws.view().unwrap().size().0, 300)),
        "graded on the proxy"
    );
    assert_eq!(
        ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap(),
        full_before,
        "the full frame waits"
    );
    assert!(ws.needs_repaint(), "the full render is still owed");
    // The probe reads the picture on screen while the control moves: the proxy's pixel over it,
    // graded with the new exposure, and says so; the source value stays the full frame's.
    let factor = ws.view().unwrap().proxy_factor().unwrap();
    let during = ws.probe.unwrap();
    assert_eq!((during.x, during.y, during.proxy_factor), (40, 30, Some(factor)));
    assert_eq!(during.source, probe_before.source);
    let proxy_pixel = ws.view().unwrap().shown_proxy().unwrap().graded().download(&ws.gpu).unwrap();
    assert_eq!(during.graded, proxy_pixel.pixel(40 / factor, 30 / factor));
    assert!(during.graded[1] > probe_before.graded[1] * 1.5, "{probe_before:?} -> {during:?}");
    assert!(ws.probe_text().unwrap().contains("proxy while the control moves"), "{:?}", ws.probe_text());
    ws.session.end_interaction();
    ws.update();
    assert!(ws.view().unwrap().shown_proxy().is_none(), "the full frame once the drag ends");
    // Then the exact value of the full frame's pixel.
    let after = ws.probe.unwrap();
    let full = ws.view().unwrap().graded().download(&ws.gpu).unwrap();
    assert_eq!((after.proxy_factor, after.graded), (None, full.pixel(40, 30)));
    assert!(!ws.probe_text().unwrap().contains("proxy"));
    assert_ne!(ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap(), full_before);
    assert!(!ws.needs_repaint());
    // Zoomed past fit (no proxy width), an edit renders the full frame at once.
    ws.viewing.proxy_width = None;
    assert!(ws.edit_primaries("exposure", |p| p.exposure = 0.5));
    ws.update();
    assert!(ws.view().unwrap().shown_proxy().is_none());
}
