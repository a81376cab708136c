//! Device previews: the BT.2390 EETF against numpy (tests/data/color/make_eetf.py), the preview
//! stage on the GPU against its CPU twin, what each device shows for known light, and the viewer
//! switching devices.

mod common;

use cinegrade::color::eetf::{Eetf, pq_of_nits};
use cinegrade::gpu::GpuFrame;
use cinegrade::gpu::viewer::DisplayKind;
use cinegrade::grade::{Grade, Node, Op};
use cinegrade::media::Frame;
use cinegrade::ops::device_preview::{self, Device, DevicePreview};
use cinegrade::workspace::Workspace;

/// Measured against numpy in f64: at most 2.4e-7 (f32 arithmetic on codes of 0..1); the bound is
/// 1e-6.
#[test]
fn the_eetf_matches_the_reports_equations_in_numpy() {
    let reference = common::json("color/eetf_reference.json");
    let mut worst = 0.0f64;
    for case in reference["cases"].as_array().unwrap() {
        let f = |k: &str| case[k].as_f64().unwrap() as f32;
        let e = Eetf::new(f("source_black"), f("source_peak"), f("target_black"), f("target_peak"));
        let codes = case["codes"].as_array().unwrap();
        for (code, want) in codes.iter().zip(case["out"].as_array().unwrap()) {
            let (code, want) = (code.as_f64().unwrap(), want.as_f64().unwrap());
            let got = f64::from(e.apply(code as f32));
            worst = worst.max((got - want).abs());
        }
    }
    assert!(worst <= 1e-6, "worst {worst:e}");
}

fn ramp() -> Frame {
    let (w, h) = (64u32, 9u32);
    let pixels = (0..w * h)
        .map(|i| {
            let t = (i % w) as f32 / (w - 1) as f32;
            let row = (i / w) as f32 / (h - 1) as f32;
            [t, t * (1.0 - row) + 0.1 * row, (1.0 - t) * row, 1.0]
        })
        .collect();
    Frame { width: w, height: h, pixels }
}

/// Measured: at most 1.6e-5 between the WGSL and the twin (PQ encoded and decoded twice a channel,
/// the WGSL's own f32 PQ against the twin's f64 one); bound 4e-5.
#[test]
fn the_preview_stage_on_the_gpu_equals_its_twin_for_every_device() {
    let Some(ctx) = common::gpu() else { return };
    let frame = ramp();
    let source = GpuFrame::upload(&ctx, &frame).unwrap();
    for device in Device::ALL {
        let grade = Grade { nodes: vec![Node::new(Op::DevicePreview(DevicePreview { device }))], ..Grade::default() };
        let gpu = cinegrade::gpu::executor::apply_grade(&ctx, &grade, &source).unwrap().download(&ctx).unwrap();
        let cpu = common::cpu_apply(&grade, &frame);
        let (err, at) = common::max_error(&gpu.pixels, &cpu.pixels);
        assert!(err <= 4e-5, "{device:?}: {err} at {at}");
        assert_ne!(gpu.pixels, frame.pixels, "{device:?} changes the picture");
    }
}

/// What the devices show, from known light: SDR white is 100 nits on the SDR TV and the phone and
/// shows the same on the screen as a 100-nit PQ code on the master; a 1000-nit highlight is the
/// screen's white on the master and dimmer on the 600-nit TV (its peak); below the TV's knee the
/// master and the TV agree.
#[test]
fn each_device_emits_the_light_its_signal_asks() {
    let u = |d| DevicePreview { device: d }.uniform();
    let grey = |d, v: f32| device_preview::apply_pixel(&u(d), [v; 3])[0];
    let sdr_white = device_preview::screen_value(100.0);
    assert!((grey(Device::SdrTv, 1.0) - sdr_white).abs() < 1e-5);
    assert!((grey(Device::Phone, 1.0) - sdr_white).abs() < 1e-5);
    assert!((grey(Device::PqMaster, pq_of_nits(100.0)) - sdr_white).abs() < 1e-4);
    let peak = grey(Device::PqMaster, pq_of_nits(1000.0));
    assert!((peak - 1.0).abs() < 1e-3, "the master's peak is the screen's white: {peak}");
    // The screen curve by hand: 100 nits is x = 1, y = 1 / 1.9, sRGB-encoded.
    let by_hand = cinegrade::color::transfer::srgb_encode(1.0 / 1.9);
    assert!((sdr_white - by_hand).abs() < 1e-6, "{sdr_white} {by_hand}");
    let tv_peak = grey(Device::HdrTv600, pq_of_nits(1000.0));
    assert!((device_preview::tv_nits(pq_of_nits(1000.0)) - 600.0).abs() < 1.0);
    let tv_by_hand = cinegrade::color::transfer::srgb_encode(6.0 / 6.4);
    assert!((tv_peak - tv_by_hand).abs() < 2e-3 && tv_peak < peak - 0.02, "{tv_peak} {tv_by_hand} {peak}");
    // 50 nits is below the TV's knee: only the black lift (0.05 nits) separates them.
    let (m, t) = (grey(Device::PqMaster, pq_of_nits(50.0)), grey(Device::HdrTv600, pq_of_nits(50.0)));
    assert!((m - t).abs() < 3e-3, "{m} {t}");
    // The SDR TV is BT.1886: a signal of 0.5 is 100 x 0.5^2.4 = 18.9 nits.
    assert!((grey(Device::SdrTv, 0.5) - device_preview::screen_value(100.0 * 0.5f32.powf(2.4))).abs() < 1e-5);
    // The phone's P3 green is outside Rec.709: shown at the screen's gamut edge (no negative light).
    let g = device_preview::apply_pixel(&u(Device::Phone), [0.0, 1.0, 0.0]);
    assert!(g[0] == 0.0 && g[2] == 0.0 && g[1] > sdr_white, "{g:?}: brighter than white in green alone");
}

#[test]
fn the_viewer_previews_the_grade_on_each_device() {
    let Some(gpu) = common::gpu() else { return };
    let mut ws = Workspace::new(gpu, Vec::new());
    ws.open_demo();
    ws.update();
    let own = ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap();
    let mut seen = vec![own.clone()];
    for device in Device::ALL {
        ws.viewing.device = Some(device);
        ws.update();
        assert_eq!(ws.viewing.device, Some(device), "{:?}", ws.status);
        let shown = ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap();
        assert!(!seen.contains(&shown), "{device:?} shows a picture of its own");
        seen.push(shown);
        assert!(!ws.needs_repaint(), "{device:?}: rendered once, then idle");
    }
    // The SDR TV shows the demo's sRGB picture through BT.1886: close to the grade's own view, not
    // equal (sRGB's toe against gamma 2.4; the screen mapping's roll-off near white).
    ws.viewing.device = Some(Device::SdrTv);
    ws.update();
    let sdr = ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap();
    let mean = |v: &[u8]| v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64;
    assert!((mean(&sdr) - mean(&own)).abs() < 25.0, "{} {}", mean(&sdr), mean(&own));
    // The probe says what it reads in that mode.
    ws.probe_at(10, 10);
    let text = ws.probe_text().unwrap();
    assert!(text.contains("graded (preview: SDR TV, Rec.709 BT.1886, 100 nits, as this screen shows it)"), "{text}");
    ws.viewing.device = None;
    ws.update();
    assert_eq!(ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap(), own);
    ws.probe_at(10, 10);
    assert!(!ws.probe_text().unwrap().contains("preview"));
}

/// The device grid: every device at once, each cell that device's preview grade applied to the
/// source decimated to the cell (exactly), the cells all different, re-rendered by an edit and left
/// alone otherwise; switching the grid off frees its cells.
#[test]
fn the_device_grid_shows_every_device_at_once() {
    let Some(gpu) = common::gpu() else { return };
    let mut ws = Workspace::new(gpu, Vec::new());
    ws.open_demo();
    ws.update();
    ws.viewing.device_grid = true;
    ws.viewing.proxy_width = Some(200);
    ws.update();
    assert!(ws.viewing.device_grid, "{:?}", ws.status);
    let render_cells = |ws: &Workspace| {
        let (cells, factor, _) = ws.view().unwrap().grid().expect("the grid's cells");
        assert_eq!(cells.len(), Device::ALL.len());
        (cells.iter().map(|c| c.graded().download(&ws.gpu).unwrap()).collect::<Vec<_>>(), factor)
    };
    let (cells, factor) = render_cells(&ws);
    let (width, height) = ws.view().unwrap().size();
    // Decimated as far as keeps a cell at least as wide as it is shown.
    assert_eq!(factor, width / 200);
    assert!(factor >= 2, "the demo frame is wider than 400 pixels");
    assert!(cinegrade::gpu::proxy::size(width, height, factor).0 >= 200);
    let source = ws.view().unwrap().source().download(&ws.gpu).unwrap();
    let decimated = cinegrade::gpu::proxy::downsample(&source, factor);
    assert_eq!((cells[0].width, cells[0].height), cinegrade::gpu::proxy::size(width, height, factor));
    let r = ws.session.selected.unwrap();
    let shot = ws.session.project.shot(r).unwrap().clone();
    let (color, root) = (ws.session.project.color.clone(), ws.session.media_root.clone());
    for (cell, device) in cells.iter().zip(Device::ALL) {
        let grade = cinegrade::export::device_grade(&color, &shot, &root, device).unwrap();
        let on_decimated = GpuFrame::upload(&ws.gpu, &decimated).unwrap();
        let want = cinegrade::gpu::executor::apply_grade_frame(&ws.gpu, &grade, ws.current_frame(), &on_decimated)
            .unwrap()
            .download(&ws.gpu)
            .unwrap();
        common::assert_close(&cell.pixels, &want.pixels, 1e-6, &format!("{device:?}"));
    }
    for (i, a) in cells.iter().enumerate() {
        assert!(cells[i + 1..].iter().all(|b| b.pixels != a.pixels), "cell {i} shows a picture of its own");
    }
    assert!(!ws.needs_repaint(), "rendered once, then idle");
    assert!(ws.probe.is_none(), "no probe over the grid");
    // An edit re-renders every cell.
    assert!(ws.edit_primaries("exposure", |p| p.exposure += 1.0));
    ws.update();
    let (brighter, _) = render_cells(&ws);
    for (a, b) in cells.iter().zip(&brighter) {
        assert_ne!(a.pixels, b.pixels);
    }
    ws.viewing.device_grid = false;
    ws.update();
    assert!(ws.view().unwrap().grid().is_none(), "the cells are freed");
}
