//! The app's model driven without egui: what the app shows and does, checked on the workspace alone
//! (a render-farm build has the same model without any GUI crate).

mod common;

use cinegrade::gpu::viewer::DisplayKind;
use cinegrade::grade::Op;
use cinegrade::scopes::ScopeKind;
use cinegrade::workspace::{CompareMode, Workspace};

fn demo() -> Option<Workspace> {
    let mut ws = Workspace::new(common::gpu()?, Vec::new());
    ws.open_demo();
    ws.update();
    Some(ws)
}

fn pixels(ws: &Workspace, kind: DisplayKind) -> Vec<u8> {
    ws.view().expect("a shot is on the GPU").read_display(&ws.gpu, kind).expect("readback")
}

#[test]
fn the_demo_opens_on_its_first_shot_graded_on_the_gpu() {
    let Some(ws) = demo() else { return };
    assert_eq!(ws.session.project.name, "Cinegrade demo");
    let shot = ws.session.project.shot(ws.session.selected.unwrap()).unwrap();
    assert_eq!(shot.name, "010 rocket");
    assert_eq!(
        ws.shot_view().unwrap().rendered.as_ref(),
        Some(&cinegrade::export::shot_grade(&ws.session.project.color, shot, &ws.session.media_root))
    );
    assert_ne!(pixels(&ws, DisplayKind::After), pixels(&ws, DisplayKind::Source), "the shot is graded");
    assert!(!ws.needs_repaint());
    assert!(ws.frame_info().unwrap().contains("rocket.jpg"), "{:?}", ws.frame_info());
}

#[test]
fn an_edit_re_renders_the_viewer_and_the_scopes_and_undo_restores_it() {
    let Some(mut ws) = demo() else { return };
    let before = pixels(&ws, DisplayKind::After);
    ws.scopes.kinds = vec![ScopeKind::Histogram];
    ws.scopes.invalidate();
    ws.update();
    let counts = |ws: &Workspace| ws.scopes.engine().unwrap().read_counts(&ws.gpu).unwrap().histogram;
    let histogram_before = counts(&ws);
    assert!(ws.edit_primaries("exposure", |p| p.exposure += 1.0));
    assert!(ws.needs_repaint(), "the edit is not on screen yet");
    ws.update();
    let after = pixels(&ws, DisplayKind::After);
    let sum = |p: &[u8]| p.iter().map(|v| u64::from(*v)).sum::<u64>();
    assert!(sum(&after) > sum(&before), "one stop more is brighter");
    assert_ne!(counts(&ws), histogram_before, "the scopes follow the picture");
    ws.undo();
    assert_eq!(ws.status.as_ref().unwrap().text, "Undo exposure");
    ws.update();
    assert_eq!(pixels(&ws, DisplayKind::After), before);
}

#[test]
fn copy_and_paste_move_a_grade_and_say_so() {
    let Some(mut ws) = demo() else { return };
    ws.copy_grade();
    assert_eq!(ws.status.as_ref().unwrap().text, "Copied the grade of 010 rocket");
    let cat = ws.session.project.shots().find(|(_, s)| s.name == "040 cat").unwrap().0;
    ws.session.select(cat);
    ws.paste_grade();
    assert_eq!(ws.status.as_ref().unwrap().text, "Pasted the grade onto 040 cat");
    let rocket = ws.session.project.shots().next().unwrap().1.grade().clone();
    assert_eq!(ws.session.grade().unwrap(), &rocket);
}

#[test]
fn bypass_and_comparisons_pick_the_display_shown() {
    let Some(mut ws) = demo() else { return };
    assert_eq!(ws.shown(), DisplayKind::After);
    ws.viewing.compare = CompareMode::Difference;
    assert_eq!(ws.shown(), DisplayKind::Difference);
    ws.viewing.bypass = true;
    assert_eq!(ws.shown(), DisplayKind::Source, "bypass wins");
    ws.update();
    let shot = ws.session.project.shot(ws.session.selected.unwrap()).unwrap();
    let frame = cinegrade::media::load(&shot.media_path(&ws.session.media_root)).unwrap().frame;
    assert_eq!(pixels(&ws, DisplayKind::Source), frame.to_rgba8());
}

/// The difference view is |graded - source| x 4 (README), computed here from the two float frames
/// the viewer holds; 8-bit quantisation (rounding on the GPU) allows one code.
#[test]
fn the_difference_view_shows_four_times_the_difference() {
    let Some(mut ws) = demo() else { return };
    ws.viewing.compare = CompareMode::Difference;
    ws.update();
    let view = ws.view().unwrap();
    let graded = view.graded().download(&ws.gpu).unwrap();
    let source = view.source().download(&ws.gpu).unwrap();
    let shown = pixels(&ws, DisplayKind::Difference);
    let mut nonzero = 0;
    for (i, (g, s)) in graded.pixels.iter().zip(&source.pixels).enumerate() {
        for c in 0..3 {
            let want = ((g[c] - s[c]).abs() * 4.0).clamp(0.0, 1.0) * 255.0;
            let got = f32::from(shown[i * 4 + c]);
            assert!(
                (got - want).abs() <= 1.0,
                "pixel {i} channel {c}: shown {got}, |{} - {}| x 4 = {want}",
                g[c],
                s[c]
            );
            nonzero += usize::from(got > 0.0);
        }
    }
    assert!(nonzero > shown.len() / 8, "the demo shot is graded: the difference shows");
}

#[test]
fn a_grabbed_still_becomes_the_reference_and_its_grade_applies_elsewhere() {
    let Some(mut ws) = demo() else { return };
    ws.grab_still();
    assert!(ws.view().unwrap().has_still());
    assert_eq!(ws.viewing.compare, CompareMode::WipeVertical, "grabbing starts a comparison");
    assert_eq!(ws.session.project.stills.len(), 1);
    assert!(ws.session.project.stills[0].image_path(&ws.stills_root()).exists());
    ws.clear_still();
    assert!(!ws.view().unwrap().has_still());
    let cat = ws.session.project.shots().find(|(_, s)| s.name == "040 cat").unwrap().0;
    ws.session.select(cat);
    assert!(ws.session.apply_still(0));
    assert!(matches!(ws.session.grade().unwrap().nodes[0].op, Op::Primaries(_)));
    let _ = std::fs::remove_dir_all(ws.stills_root());
}

#[test]
fn thumbnails_are_graded_and_cached_until_the_grade_changes() {
    let Some(mut ws) = demo() else { return };
    let rocket = ws.session.selected.unwrap();
    let first = ws.thumbnail(rocket).cloned().unwrap();
    assert_eq!(first.width, 160);
    assert_eq!(ws.thumbnail(rocket).unwrap().version, first.version, "cached");
    ws.edit_primaries("exposure", |p| p.exposure -= 1.0);
    let second = ws.thumbnail(rocket).cloned().unwrap();
    assert_ne!(second.version, first.version);
    assert_ne!(second.rgba, first.rgba);
}

/// The shot's colour management (the grade panel's Colour rows) is one undo step per change, the
/// viewer renders with it at once, the corner names it, and an invalid one changes nothing.
#[test]
fn the_shots_colour_spaces_and_rendering_change_as_one_undo_step() {
    use cinegrade::color::space::ColorSpace;
    use cinegrade::ops::color_transform::ToneMapping;
    let Some(mut ws) = demo() else { return };
    let r = ws.session.selected.unwrap();
    let before_pixels = pixels(&ws, DisplayKind::After);
    let before = ws.session.project.shot(r).unwrap().color();
    let mut aces = before;
    aces.input = Some(ColorSpace::SrgbDisplay);
    aces.output = Some(ColorSpace::Rec709Display);
    aces.tone_map = ToneMapping::Aces2;
    ws.session.set_shot_color("display rendering", aces).unwrap();
    ws.update();
    let shot = ws.session.project.shot(r).unwrap();
    assert_eq!(shot.color(), aces);
    // The viewer shows the shot through its new pipeline: the rendered grade ends on an ACES 2.0
    // output transform, and the picture changed.
    let rendered = ws.shot_view().unwrap().rendered.clone().unwrap();
    match &rendered.nodes.last().unwrap().op {
        Op::ColorTransform(t) => assert_eq!((t.to, t.tone_map), (ColorSpace::Rec709Display, ToneMapping::Aces2)),
        other => panic!("{other:?}"),
    }
    assert_ne!(pixels(&ws, DisplayKind::After), before_pixels);
    assert_eq!(ws.color_caption().unwrap(), "srgb-display -> acescct -> rec709-display · aces2");
    // An HDR peak on an SDR output is refused and changes nothing.
    let mut bad = aces;
    bad.peak_nits = Some(2000);
    assert!(ws.session.set_shot_color("display rendering", bad).unwrap_err().contains("HDR display"));
    assert_eq!(ws.session.project.shot(r).unwrap().color(), aces);
    // One undo step back to where it was.
    ws.undo();
    assert_eq!(ws.status.as_ref().unwrap().text, "Undo display rendering");
    ws.update();
    assert_eq!(ws.session.project.shot(r).unwrap().color(), before);
    assert_eq!(pixels(&ws, DisplayKind::After), before_pixels);
}

/// The pixel probe follows the picture: an edit re-reads it without the mouse moving, and the
/// readout names the space of each value.
#[test]
fn the_probe_refreshes_after_an_edit_and_names_its_spaces() {
    use cinegrade::color::space::ColorSpace;
    let Some(mut ws) = demo() else { return };
    ws.probe_at(200, 150);
    let before = ws.probe.unwrap().graded;
    assert!(ws.probe_text().unwrap().contains("graded (as stored)"), "{:?}", ws.probe_text());
    assert!(ws.edit_primaries("exposure", |p| p.exposure += 1.0));
    ws.update();
    let after = ws.probe.unwrap().graded;
    assert!(after[1] > before[1], "the probe shows the brighter picture: {before:?} -> {after:?}");
    ws.undo();
    ws.update();
    assert_eq!(ws.probe.unwrap().graded, before, "and the undone one");
    // With colour spaces the readout says which.
    let r = ws.session.selected.unwrap();
    let mut c = ws.session.project.shot(r).unwrap().color();
    c.input = Some(ColorSpace::SrgbDisplay);
    c.output = Some(ColorSpace::Rec709Display);
    ws.session.set_shot_color("output space", c).unwrap();
    ws.update();
    let text = ws.probe_text().unwrap();
    assert!(text.contains("graded (rec709-display)") && text.contains("source (srgb-display)"), "{text}");
    // A new colour space transform starts as an identity in the grade's working space.
    let t = ws.session.project.shot(r).unwrap().new_color_transform();
    assert_eq!((t.from, t.to), (ColorSpace::Acescct, ColorSpace::Acescct));
}

/// LUT paths in a project are relative to its folder: they resolve against it wherever the app
/// runs from, a LUT added from inside the folder is stored relative, save-as elsewhere rewrites them
/// so they still resolve, and a missing one is named when the project opens.
#[test]
fn lut_paths_follow_the_project_folder() {
    use cinegrade::grade::{Grade, Node};
    use cinegrade::ops::lut::Lut;
    use cinegrade::project::{Project, Scene, Shot};
    let Some(gpu) = common::gpu() else { return };
    let dir = common::temp_dir("ws-lut-paths");
    let job = dir.join("job");
    std::fs::create_dir_all(job.join("looks")).unwrap();
    std::fs::create_dir_all(job.join("plates")).unwrap();
    std::fs::copy(common::data("interchange/teal_and_orange_cinema.cube"), job.join("looks/teal.cube")).unwrap();
    std::fs::copy(common::data("frames/chelsea.png"), job.join("plates/a.png")).unwrap();
    let mut shot = Shot::new("010", "plates/a.png");
    shot.versions[0].grade = Grade { nodes: vec![Node::new(Op::Lut(Lut::new("looks/teal.cube")))], ..Grade::default() };
    let mut project = Project::new("job");
    project.scenes.push(Scene { name: "s".into(), shots: vec![shot] });
    let path = job.join("job.cgproj");
    project.save(&path).unwrap();

    // The tests run from the crate's folder: the LUT resolves against the project's, not that one.
    let mut ws = Workspace::new(gpu.clone(), Vec::new());
    ws.open_project(&path).unwrap();
    ws.update();
    assert!(!ws.status.as_ref().unwrap().is_error, "{:?}", ws.status);
    let rendered = ws.shot_view().unwrap().rendered.clone().unwrap();
    match &rendered.nodes[0].op {
        Op::Lut(l) => assert_eq!(l.path, job.join("looks/teal.cube")),
        other => panic!("{other:?}"),
    }

    // A LUT added from inside the folder is stored relative to it.
    std::fs::copy(common::data("interchange/iridas_3d.cube"), job.join("looks/second.cube")).unwrap();
    ws.add_lut(&job.join("looks/second.cube"));
    match &ws.session.grade().unwrap().nodes.last().unwrap().op {
        Op::Lut(l) => assert_eq!(l.path, std::path::Path::new("looks/second.cube")),
        other => panic!("{other:?}"),
    }

    // Saved somewhere else, the paths are rewritten so they still resolve.
    let elsewhere = dir.join("copy/elsewhere.cgproj");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    ws.save_to(&elsewhere);
    let moved = Project::load(&elsewhere).unwrap();
    let root = elsewhere.parent().unwrap();
    for node in &moved.scenes[0].shots[0].grade().nodes {
        let Op::Lut(l) = &node.op else { continue };
        assert!(
            cinegrade::project::resolve(root, &l.path).is_file(),
            "{} does not resolve from {}",
            l.path.display(),
            root.display()
        );
    }
    assert!(moved.missing_files(root).is_empty());

    // A missing LUT is named when the project opens.
    std::fs::remove_file(job.join("looks/teal.cube")).unwrap();
    let mut ws = Workspace::new(gpu, Vec::new());
    ws.open_project(&path).unwrap();
    let status = ws.status.clone().unwrap();
    assert!(status.is_error && status.text.contains("Missing LUT 010: looks/teal.cube"), "{status:?}");
}

/// The matte view belongs to the viewer: the selected node's key in neutral grey (no later node or
/// output transform tints it), never in the grade, the saved project or the thumbnails; off again,
/// the picture is back. A grade file from before that stored `show_matte` reads, and drops it.
#[test]
fn the_matte_view_is_the_viewers_not_the_grades() {
    use cinegrade::ops::key::{Key, Window};
    let Some(mut ws) = demo() else { return };
    let picture = pixels(&ws, DisplayKind::After);
    let mut grade = ws.session.grade().unwrap().clone();
    grade.nodes[0].key = Some(Key { windows: vec![Window::default()], ..Key::default() });
    ws.session.set_grade("add window", grade.clone());
    ws.session.end_interaction();
    ws.node = 0;
    ws.update();
    let keyed = pixels(&ws, DisplayKind::After);
    ws.viewing.matte = true;
    ws.update();
    let matte = pixels(&ws, DisplayKind::After);
    assert!(matte.chunks(4).all(|p| p[0] == p[1] && p[1] == p[2]), "the matte is neutral grey");
    assert!(matte.chunks(4).any(|p| p[0] > 200) && matte.chunks(4).any(|p| p[0] < 30), "white inside, black outside");
    // The same matte with the node at mix 0 (a node that changes nothing still has its key to see).
    let mut silent = grade.clone();
    silent.nodes[0].mix = 0.0;
    ws.session.set_grade("node mix", silent);
    ws.session.end_interaction();
    ws.update();
    assert_eq!(pixels(&ws, DisplayKind::After), matte, "the matte at mix 0");
    ws.undo();
    ws.update();
    // Nothing of it reaches the grade, the project file or the thumbnails' grade.
    assert_eq!(ws.session.grade().unwrap(), &grade);
    let json = serde_json::to_string(&ws.session.project).unwrap();
    assert!(!json.contains("show_matte"), "{json:.300}");
    let r = ws.session.selected.unwrap();
    let thumb = cinegrade::export::shot_grade(
        &ws.session.project.color,
        ws.session.project.shot(r).unwrap(),
        &ws.session.media_root,
    );
    assert!(thumb.nodes.iter().all(|n| n.key.as_ref().is_none_or(|k| !k.show_matte)));
    ws.viewing.matte = false;
    ws.update();
    assert_eq!(pixels(&ws, DisplayKind::After), keyed);
    assert_ne!(keyed, picture);
    // An old grade file that stored the flag reads without it.
    let old = r#"{"version": 1, "nodes": [{"op": {"primaries": {"exposure": 1.0}}, "key": {"invert": true, "show_matte": true}}]}"#;
    let g = cinegrade::grade::Grade::from_json(old, std::path::Path::new("old.json")).unwrap();
    assert!(!g.nodes[0].key.as_ref().unwrap().show_matte);
}

/// A project colour managed by an OpenColorIO config (the app's Colour rows drive these calls):
/// setting the config is one undo step, the viewer shows the shot through the config's input
/// transform and display/view (the same grade renders and exports run), the corner names them, a
/// view the display lacks is refused and changes nothing, the setting and the shot's input space
/// save with the project, and undo goes back to Cinegrade's spaces.
#[test]
fn a_project_ocio_config_manages_the_viewer_and_saves_with_the_project() {
    use cinegrade::project::{ProjectColor, ShotOcio};
    let Some(mut ws) = demo() else { return };
    let r = ws.session.selected.unwrap();
    let before_pixels = pixels(&ws, DisplayKind::After);
    let config = common::data("ocio/studio-config.ocio");
    ws.set_ocio_config(&config);
    assert!(ws.status.as_ref().unwrap().text.contains("OCIO config"), "{:?}", ws.status);
    assert_eq!(
        ws.session.project.color.ocio_config.as_deref(),
        Some(config.as_path()),
        "outside the project: absolute"
    );
    ws.session
        .set_shot_ocio(
            "input space",
            ShotOcio { input: Some("sRGB Encoded Rec.709 (sRGB)".into()), ..ShotOcio::default() },
        )
        .unwrap();
    ws.update();
    let rendered = ws.shot_view().unwrap().rendered.clone().unwrap();
    let Op::OcioTransform(first) = &rendered.nodes[0].op else { panic!("{:?}", rendered.nodes[0].op) };
    assert_eq!((first.from.as_str(), first.to.as_str()), ("sRGB Encoded Rec.709 (sRGB)", "ACEScct"));
    let Op::OcioTransform(last) = &rendered.nodes.last().unwrap().op else { panic!() };
    assert_eq!((last.display.as_str(), last.view.as_str()), ("sRGB - Display", "ACES 2.0 - SDR 100 nits (Rec.709)"));
    assert_eq!(
        ws.color_caption().unwrap(),
        "sRGB Encoded Rec.709 (sRGB) -> ACEScct -> sRGB - Display / ACES 2.0 - SDR 100 nits (Rec.709) (OCIO)"
    );
    let shot = ws.session.project.shot(r).unwrap();
    assert_eq!(
        Some(&rendered),
        Some(&cinegrade::export::shot_grade(&ws.session.project.color, shot, &ws.session.media_root))
    );
    let ocio_pixels = pixels(&ws, DisplayKind::After);
    assert_ne!(ocio_pixels, before_pixels);
    // The probe names the config's spaces.
    ws.probe_at(10, 10);
    let probe = ws.probe_text().unwrap();
    assert!(
        probe.contains("graded (sRGB - Display / ACES 2.0 - SDR 100 nits (Rec.709))")
            && probe.contains("source (sRGB Encoded Rec.709 (sRGB))"),
        "{probe}"
    );

    // Another view of the same display changes the picture; a view the display lacks is refused.
    let mut video = ws.session.project.color.clone();
    video.view = Some("Video (colorimetric)".into());
    ws.session.set_project_color("display / view", video.clone()).unwrap();
    ws.update();
    assert_ne!(pixels(&ws, DisplayKind::After), ocio_pixels);
    let bad = ProjectColor { view: Some("ACES 2.0 - HDR 1000 nits (P3 D65)".into()), ..video.clone() };
    assert!(ws.session.set_project_color("display / view", bad).unwrap_err().contains("has no view"));
    assert_eq!(ws.session.project.color, video);

    // Saved with the project and read back.
    let json = serde_json::to_string(&ws.session.project).unwrap();
    let back: cinegrade::project::Project = serde_json::from_str(&json).unwrap();
    assert_eq!(back.color, video);
    assert_eq!(back.shot(r).unwrap().ocio.input.as_deref(), Some("sRGB Encoded Rec.709 (sRGB)"));

    // One undo step each, back to Cinegrade's own spaces and the picture it had.
    ws.undo();
    ws.undo();
    ws.undo();
    ws.update();
    assert!(ws.session.project.color.is_unset());
    assert_eq!(pixels(&ws, DisplayKind::After), before_pixels);
}

/// Every shot's viewer has its own generation, so the app re-registers the display textures when
/// the selection changes (they were kept, and the viewer went on showing the previous shot).
#[test]
fn each_shot_viewer_has_its_own_generation() {
    let Some(mut ws) = demo() else { return };
    let generation = |ws: &Workspace| ws.shot_view().unwrap().monitor.generation();
    let rocket = ws.session.selected.unwrap();
    let first = generation(&ws);
    let astronaut = ws.session.project.shots().nth(1).unwrap().0;
    ws.session.select(astronaut);
    ws.update();
    let second = generation(&ws);
    assert_ne!(first, second);
    ws.session.select(rocket);
    ws.update();
    assert!(generation(&ws) != first && generation(&ws) != second);
}

/// The eyedropper samples the selected node's input over the region and starts its qualifier
/// from those values: on the ungraded cat, node 1's input is the source frame itself, so the
/// qualifier equals `Qualifier::from_samples` of the file's own pixels there; it is one undo step,
/// and the matte it makes selects the picked fur.
#[test]
fn the_eyedropper_starts_the_qualifier_from_the_picked_pixels() {
    use cinegrade::ops::key::Qualifier;
    let Some(mut ws) = demo() else { return };
    let cat = ws.session.project.shots().find(|(_, s)| s.name == "040 cat").unwrap().0;
    ws.session.select(cat);
    ws.update();
    let (a, b) = ([60, 150], [110, 200]);
    ws.pick_qualifier(a, b);
    assert!(ws.status.as_ref().unwrap().text.contains("picked from 2601 pixels"), "{:?}", ws.status);
    let key = ws.session.grade().unwrap().nodes[0].key.clone().unwrap();
    let media = ws.session.project.shot(cat).unwrap().media_path(&ws.session.media_root);
    let frame = cinegrade::media::load(&media).unwrap().frame;
    let samples: Vec<[f32; 3]> = (a[1]..=b[1])
        .flat_map(|y| (a[0]..=b[0]).map(move |x| (x, y)))
        .map(|(x, y)| {
            let p = frame.pixels[(y * frame.width + x) as usize];
            [p[0], p[1], p[2]]
        })
        .collect();
    assert_eq!(key.qualifier, Qualifier::from_samples(&samples));
    assert!(key.qualifier.unwrap().hue.enabled);
    assert_eq!(ws.session.undo_redo_names().0, Some("pick qualifier"));
    // The matte is white over most of the picked fur.
    ws.node = 0;
    ws.viewing.matte = true;
    ws.update();
    let matte = pixels(&ws, DisplayKind::After);
    let (w, _) = (frame.width as usize, frame.height as usize);
    let inside = (a[1]..=b[1]).flat_map(|y| (a[0]..=b[0]).map(move |x| (x as usize, y as usize)));
    let white = inside.clone().filter(|(x, y)| matte[4 * (y * w + x)] > 200).count();
    assert!(white * 10 > inside.count() * 8, "{white} of 2601 picked pixels selected");
    ws.undo();
    assert!(ws.session.grade().unwrap().nodes.is_empty());
}

#[test]
fn an_imported_dpx_takes_its_headers_display_encoding_as_its_spaces() {
    let Some(mut ws) = demo() else { return };
    // OpenImageIO tags its DPX files BT.709 (transfer 6): graded in the working space, shown as shot.
    ws.import_frames(&[common::data("dpx/oiio_rgb10_filled_a_be.dpx"), common::data("dpx/ffmpeg_rgb10.dpx")]);
    let scene = ws.session.project.scenes.last().unwrap();
    assert_eq!(scene.name, "Imported");
    let [tagged, linear] = [&scene.shots[scene.shots.len() - 2], &scene.shots[scene.shots.len() - 1]];
    let rec709: cinegrade::color::space::ColorSpace = "rec709-display".parse().unwrap();
    assert_eq!((tagged.input_space, tagged.output_space), (Some(rec709), Some(rec709)));
    // FFmpeg tags its files linear (2): only reported, the display is the colorist's choice.
    assert_eq!((linear.input_space, linear.output_space), (None, None));
    assert!(ws.messages.iter().any(|m| m.text.contains("linear-rec709")), "the hint is reported");
}

/// The bundled demo is never overwritten: it has no project file of its own to save to, so the
/// first save asks where (README), and its file stays as shipped after an edit and a save.
#[test]
fn the_demo_is_never_saved_over() {
    let Some(mut ws) = demo() else { return };
    let demo = cinegrade::project::demo_project_path().unwrap();
    let shipped = std::fs::read(&demo).unwrap();
    assert!(ws.edit_primaries("exposure", |p| p.exposure = 1.0));
    assert!(!ws.save(), "no file to save to: the app asks where");
    assert_eq!(ws.session.path, None);
    assert_eq!(std::fs::read(&demo).unwrap(), shipped, "the demo file is untouched");
}
