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

/// The studio config OpenColorIO 2.6 writes (tests/data/ocio), for OCIO-managed projects.
fn studio_config() -> cinegrade::color::ocio::OcioConfig {
    let path = common::data("ocio/studio-config.ocio");
    cinegrade::color::ocio::OcioConfig::load(path.to_str().unwrap()).unwrap()
}

/// In an OCIO-managed project each device previews through the config's display for its signal
/// and the view for its light: the 1000-nit ACES 2.0 rendering on the Rec.2100 PQ display for
/// the master and the HDR TV, the shot's own SDR view where the SDR display has it, else that
/// display's 100-nit rendering for its gamut. A colorist's choice wins, and one that would read a
/// rendering for another peak as the device's signal is refused.
#[test]
fn each_device_finds_its_display_and_view_in_the_studio_config() {
    use device_preview::{DeviceOcio, ocio_display_view};
    let config = studio_config();
    let found = |device, shot_view| ocio_display_view(&config, device, None, shot_view).unwrap();
    let pair = |d: &str, v: &str| (d.to_string(), v.to_string());
    let hdr = pair("Rec.2100-PQ - Display", "ACES 2.0 - HDR 1000 nits (P3 D65)");
    let sdr_view = Some("ACES 2.0 - SDR 100 nits (Rec.709)");
    assert_eq!(found(Device::PqMaster, sdr_view), hdr);
    assert_eq!(found(Device::HdrTv600, sdr_view), hdr);
    assert_eq!(found(Device::SdrTv, sdr_view), pair("Rec.1886 Rec.709 - Display", "ACES 2.0 - SDR 100 nits (Rec.709)"));
    assert_eq!(found(Device::Phone, sdr_view), pair("Display P3 - Display", "ACES 2.0 - SDR 100 nits (P3 D65)"));
    // The shot's un-tone-mapped view is kept on the SDR displays; the HDR ones still render.
    let plain = Some("Un-tone-mapped");
    assert_eq!(found(Device::SdrTv, plain), pair("Rec.1886 Rec.709 - Display", "Un-tone-mapped"));
    assert_eq!(found(Device::Phone, plain), pair("Display P3 - Display", "Un-tone-mapped"));
    assert_eq!(found(Device::PqMaster, plain), hdr);
    assert_eq!(found(Device::PqMaster, None), hdr);

    let chosen = |display: Option<&str>, view: Option<&str>| DeviceOcio {
        display: display.map(str::to_string),
        view: view.map(str::to_string),
    };
    let rec2020 = chosen(None, Some("ACES 2.0 - HDR 1000 nits (Rec.2020)"));
    assert_eq!(
        ocio_display_view(&config, Device::PqMaster, Some(&rec2020), sdr_view).unwrap(),
        pair("Rec.2100-PQ - Display", "ACES 2.0 - HDR 1000 nits (Rec.2020)")
    );
    let brighter = chosen(None, Some("ACES 2.0 - HDR 4000 nits (P3 D65)"));
    let e = ocio_display_view(&config, Device::PqMaster, Some(&brighter), None).unwrap_err();
    assert!(e.contains("renders for 4000 nits"), "{e}");
    let e = ocio_display_view(&config, Device::SdrTv, Some(&chosen(Some("Nope"), None)), None).unwrap_err();
    assert!(e.contains("no display \"Nope\"") && e.contains("Rec.1886 Rec.709 - Display"), "{e}");
    let e = ocio_display_view(&config, Device::SdrTv, Some(&chosen(None, Some("Nope"))), None).unwrap_err();
    assert!(e.contains("has no view \"Nope\""), "{e}");
    // Another display sending the same signal, named by the colorist.
    let gamma22 = chosen(Some("Gamma 2.2 Rec.709 - Display"), None);
    assert_eq!(
        ocio_display_view(&config, Device::SdrTv, Some(&gamma22), sdr_view).unwrap(),
        pair("Gamma 2.2 Rec.709 - Display", "ACES 2.0 - SDR 100 nits (Rec.709)")
    );
}

/// A config without a display for a device names what it has and where to choose one; a display
/// named for the device whose colour space declares another encoding is not taken for it.
#[test]
fn a_config_without_the_devices_display_says_so() {
    use cinegrade::color::ocio::OcioConfig;
    let text = std::fs::read_to_string(common::data("ocio/studio-config.ocio")).unwrap();
    // The studio config without its Rec.1886 display (the colour space stays).
    let entry = "  Rec.1886 Rec.709 - Display:\n";
    let at = text.find(entry).unwrap();
    let lines: usize = text[at..].lines().take(3).map(|l| l.len() + 1).sum();
    let without = format!("{}{}", &text[..at], &text[at + lines..]);
    let config = OcioConfig::from_text(&without, "no-tv.ocio").unwrap();
    let e = device_preview::ocio_display_view(&config, Device::SdrTv, None, None).unwrap_err();
    assert!(e.contains("no-tv.ocio") && e.contains("none of its displays does") && e.contains("sRGB - Display"), "{e}");
    assert!(e.contains("Colour rows"), "says where to choose one: {e}");
    // The other devices still find theirs.
    for device in [Device::PqMaster, Device::Phone] {
        device_preview::ocio_display_view(&config, device, None, None).unwrap();
    }
    // The Rec.1886 display declaring an HDR encoding is skipped.
    let marker = "    name: Rec.1886 Rec.709 - Display\n";
    let at = text.find(marker).unwrap();
    let enc = at + text[at..].find("encoding: sdr-video").unwrap();
    let hdr = format!("{}encoding: hdr-video{}", &text[..enc], &text[enc + "encoding: sdr-video".len()..]);
    let config = OcioConfig::from_text(&hdr, "hdr-tv.ocio").unwrap();
    let e = device_preview::ocio_display_view(&config, Device::SdrTv, None, None).unwrap_err();
    assert!(e.contains("none of its displays does"), "{e}");
}

/// The found displays send the devices' signals: OpenColorIO's un-tone-mapped view of each
/// (PyOpenColorIO 2.6, `ocio_reference.json`) equals Cinegrade's own colorimetric conversion from
/// ACES2065-1 to the device's signal space. Checked on the reference's ACES sweep where both
/// encode (0 to 1.0 of the signal); tolerance 2e-5 of the code value (measured at most 4e-6: the
/// reference's f32 print and the two implementations' powers and logs).
#[test]
fn the_displays_found_send_each_devices_signal() {
    use cinegrade::ops::color_transform::{ColorTransform, ToneMapping};
    let config = studio_config();
    let r = common::json("ocio/ocio_reference.json");
    let aces = common::rgb_rows(&r["inputs"]["aces"]);
    for device in Device::ALL {
        let (display, _) = device_preview::ocio_display_view(&config, device, None, None).unwrap();
        let key = format!("{display} / Un-tone-mapped");
        let want = common::rgb_rows(&r["configs"]["studio-config.ocio"]["views"][&key]);
        assert_eq!(want.len(), aces.len(), "{key} is in the reference");
        let aces2065: cinegrade::color::space::ColorSpace = "aces2065-1".parse().unwrap();
        let transform =
            ColorTransform { tone_map: ToneMapping::None, ..ColorTransform::new(aces2065, device.signal_space()) };
        let grade = Grade { nodes: vec![Node::new(Op::ColorTransform(transform))], ..Grade::default() };
        let got = common::cpu_apply(&grade, &common::frame_of_values(&aces));
        let mut checked = 0;
        for (i, (g, w)) in got.pixels.iter().zip(&want).enumerate() {
            let ours = [g[0], g[1], g[2]];
            if aces[i].iter().any(|v| *v < 0.0) || w.iter().chain(&ours).any(|v| !(0.0..=1.0).contains(v)) {
                continue;
            }
            checked += 1;
            for c in 0..3 {
                assert!(
                    (ours[c] - w[c]).abs() <= 2e-5,
                    "{device:?} ({display}) input {:?}: {ours:?} against OCIO {w:?}",
                    aces[i]
                );
            }
        }
        assert!(checked >= 10, "{device:?}: {checked} values compared");
    }
}

/// An OCIO-managed shot previewed on each device: its pipeline through the device's display and
/// view, then the preview stage, against PyOpenColorIO's rendering of the same display/view
/// (`ocio_reference.json`) put through the preview stage's twin. Tolerance 5e-5 of the screen
/// value (measured at most 1.3e-5: the phone; OCIO's own match of the signal, carried through the
/// preview's curves).
#[test]
fn an_ocio_shot_previews_opencolorios_rendering_on_each_device() {
    let r = common::json("ocio/ocio_reference.json");
    let aces = common::rgb_rows(&r["inputs"]["aces"]);
    let color = cinegrade::project::ProjectColor {
        ocio_config: Some(common::data("ocio/studio-config.ocio")),
        view: Some("ACES 2.0 - SDR 100 nits (Rec.709)".into()),
        ..Default::default()
    };
    let mut shot = cinegrade::project::Shot::new("010", "plate.exr");
    shot.ocio.input = Some("ACES2065-1".into());
    let config = studio_config();
    for device in Device::ALL {
        let grade = cinegrade::export::device_grade(&color, &shot, std::path::Path::new("."), device).unwrap();
        let got = common::cpu_apply(&grade, &common::frame_of_values(&aces));
        let (display, view) = device_preview::ocio_display_view(&config, device, None, color.view.as_deref()).unwrap();
        let signal = common::rgb_rows(&r["configs"]["studio-config.ocio"]["views"][&format!("{display} / {view}")]);
        let u = DevicePreview { device }.uniform();
        let mut worst = 0.0f32;
        for (g, s) in got.pixels.iter().zip(&signal) {
            let w = device_preview::apply_pixel(&u, *s);
            for c in 0..3 {
                worst = worst.max((g[c] - w[c]).abs());
            }
        }
        assert!(worst <= 5e-5, "{device:?} through {display} / {view}: off by {worst}");
    }
    // The project can name the device's view; one the display lacks is refused when set.
    let mut named = color.clone();
    named.devices.insert(
        Device::PqMaster,
        device_preview::DeviceOcio { display: None, view: Some("ACES 2.0 - HDR 1000 nits (Rec.2020)".into()) },
    );
    assert!(named.validate(std::path::Path::new(".")).is_ok());
    let a = cinegrade::export::device_grade(&color, &shot, std::path::Path::new("."), Device::PqMaster).unwrap();
    let b = cinegrade::export::device_grade(&named, &shot, std::path::Path::new("."), Device::PqMaster).unwrap();
    assert_ne!(
        common::cpu_apply(&a, &common::frame_of_values(&aces)).pixels,
        common::cpu_apply(&b, &common::frame_of_values(&aces)).pixels
    );
    named.devices.get_mut(&Device::PqMaster).unwrap().view = Some("Nope".into());
    let e = named.validate(std::path::Path::new(".")).unwrap_err();
    assert!(e.contains("PQ master") && e.contains("no view \"Nope\""), "{e}");
}

/// The viewer previews an OCIO-managed shot on every device (it used to refuse them), each through
/// the config's display and view for the device, the grid too; a device display chosen in the
/// project is one undo step.
#[test]
fn the_viewer_previews_an_ocio_project_on_each_device() {
    use cinegrade::project::ShotOcio;
    let Some(gpu) = common::gpu() else { return };
    let mut ws = Workspace::new(gpu, Vec::new());
    ws.open_demo();
    ws.update();
    ws.set_ocio_config(&common::data("ocio/studio-config.ocio"));
    let input = ShotOcio { input: Some("sRGB Encoded Rec.709 (sRGB)".into()), ..ShotOcio::default() };
    ws.session.set_shot_ocio("input space", input).unwrap();
    ws.update();
    let own = ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap();
    let mut seen = vec![own];
    for device in Device::ALL {
        ws.viewing.device = Some(device);
        ws.update();
        assert_eq!(ws.viewing.device, Some(device), "{:?}", ws.status);
        let rendered = ws.shot_view().unwrap().rendered.clone().unwrap();
        let Op::OcioTransform(out) = &rendered.nodes[rendered.nodes.len() - 2].op else {
            panic!("{:?}", rendered.nodes)
        };
        let want = match device {
            Device::PqMaster | Device::HdrTv600 => "Rec.2100-PQ - Display",
            Device::SdrTv => "Rec.1886 Rec.709 - Display",
            Device::Phone => "Display P3 - Display",
        };
        assert_eq!(out.display, want);
        assert!(matches!(rendered.nodes.last().unwrap().op, Op::DevicePreview(_)));
        let shown = ws.view().unwrap().read_display(&ws.gpu, DisplayKind::After).unwrap();
        assert!(!seen.contains(&shown), "{device:?} shows a picture of its own");
        seen.push(shown);
    }
    // The PQ master through the Rec.2020-limited rendering instead: one undo step.
    ws.viewing.device = Some(Device::PqMaster);
    let mut color = ws.session.project.color.clone();
    let rec2020 =
        device_preview::DeviceOcio { display: None, view: Some("ACES 2.0 - HDR 1000 nits (Rec.2020)".into()) };
    color.devices.insert(Device::PqMaster, rec2020);
    ws.session.set_project_color("device display / view", color).unwrap();
    ws.update();
    let rendered = ws.shot_view().unwrap().rendered.clone().unwrap();
    let Op::OcioTransform(out) = &rendered.nodes[rendered.nodes.len() - 2].op else { panic!() };
    assert_eq!(out.view, "ACES 2.0 - HDR 1000 nits (Rec.2020)");
    ws.undo();
    ws.update();
    assert!(ws.session.project.color.devices.is_empty());
    // Every device at once.
    ws.viewing.device = None;
    ws.viewing.device_grid = true;
    ws.update();
    assert!(ws.viewing.device_grid, "{:?}", ws.status);
    assert_eq!(ws.view().unwrap().grid().expect("the grid's cells").0.len(), Device::ALL.len());
}
