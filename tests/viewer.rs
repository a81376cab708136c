//! The viewer redraws only what an edit changes: the graded display always, the difference display
//! while it is wanted, the reference and source displays when the source or the still changes. Each
//! display must still equal what a fresh viewer draws for the same state.

mod common;

use cinegrade::gpu::viewer::{DisplayKind, Viewer};
use cinegrade::grade::Grade;
use cinegrade::media::Frame;
use cinegrade::ops::primaries::Primaries;

fn frame(shift: f32) -> Frame {
    Frame::from_fn(37, 21, |x, y| [x as f32 / 37.0 + shift, y as f32 / 21.0, 0.3 + shift, 1.0])
}

fn warm(exposure: f32) -> Grade {
    Grade::with_primaries(Primaries { exposure, temperature: 4500.0, ..Primaries::default() })
}

#[test]
fn every_display_matches_a_fresh_viewer_after_edits_source_changes_and_difference_toggles() {
    let Some(ctx) = common::gpu() else { return };
    let fresh = |f: &Frame, g: &Grade| {
        let v = Viewer::new(&ctx, f).unwrap();
        v.render(&ctx, g, 0).unwrap();
        DisplayKind::ALL.map(|k| v.read_display(&ctx, k).unwrap())
    };
    let check = |v: &Viewer, f: &Frame, g: &Grade, what: &str| {
        let expected = fresh(f, g);
        for (i, kind) in DisplayKind::ALL.iter().enumerate() {
            assert!(v.read_display(&ctx, *kind).unwrap() == expected[i], "{what}: {kind:?} display");
        }
    };
    let mut viewer = Viewer::new(&ctx, &frame(0.0)).unwrap();
    viewer.render(&ctx, &warm(0.5), 0).unwrap();
    check(&viewer, &frame(0.0), &warm(0.5), "first render");
    viewer.render(&ctx, &warm(-0.3), 0).unwrap();
    check(&viewer, &frame(0.0), &warm(-0.3), "an edit");

    // Only the graded picture shown: edits and a new source skip the other displays; shown again,
    // the next render brings each up to date.
    assert!(!viewer.show_only(&[]), "everything is fresh");
    viewer.render(&ctx, &warm(0.8), 0).unwrap();
    viewer.replace_source(&ctx, &frame(0.2)).unwrap();
    viewer.render(&ctx, &warm(0.8), 0).unwrap();
    assert!(viewer.show_only(&[DisplayKind::Difference]), "the difference display is stale");
    assert!(!viewer.show_only(&[]), "the graded display is fresh");
    assert!(viewer.show_only(&DisplayKind::ALL), "turning them on asks for a render");
    viewer.render(&ctx, &warm(0.8), 0).unwrap();
    assert!(!viewer.show_only(&DisplayKind::ALL));
    check(&viewer, &frame(0.2), &warm(0.8), "every display shown again");

    // A new source frame in place redraws the reference and source displays too.
    viewer.replace_source(&ctx, &frame(0.4)).unwrap();
    viewer.render(&ctx, &warm(0.8), 0).unwrap();
    check(&viewer, &frame(0.4), &warm(0.8), "replaced source");

    // A frame of another size is refused and leaves the viewer as it was.
    let (w, h) = viewer.size();
    let other = cinegrade::media::Frame::from_fn(w + 1, h, |_, _| [1.0; 4]);
    assert!(matches!(viewer.replace_source(&ctx, &other), Err(cinegrade::gpu::GpuError::SizeMismatch)));
    viewer.render(&ctx, &warm(0.8), 0).unwrap();
    check(&viewer, &frame(0.4), &warm(0.8), "after a refused replacement");
}

/// The graded display written by the grade's last pass (a fused pointwise pass writing the viewer's
/// 8-bit display beside the graded frame) is the display pass's, byte for byte: over values below 0,
/// above 1 and NaN, for a pointwise grade, and the display pass still draws it after a spatial or
/// keyed last pass.
#[test]
fn the_display_written_by_the_grade_equals_the_display_pass() {
    use cinegrade::gpu::{GpuFrame, executor, runner};
    use cinegrade::grade::{Node, Op};
    use cinegrade::ops::blur::Blur;
    let Some(ctx) = common::gpu() else { return };
    let wide = Frame::from_fn(37, 21, |x, y| match (x + y) % 11 {
        0 => [f32::NAN, 0.5, -0.2, 1.0],
        _ => [x as f32 / 18.0 - 0.5, y as f32 / 10.0, 1.4 - x as f32 / 20.0, 1.0],
    });
    let blurred = Grade { nodes: vec![Node::new(Op::Blur(Blur { radius: 3.0 }))], ..Grade::default() };
    let mut keyed = Grade::with_primaries(Primaries { saturation: 1.5, ..Primaries::default() });
    keyed.nodes[0].key = Some(cinegrade::ops::key::Key {
        qualifier: Some(cinegrade::ops::key::Qualifier {
            luma: cinegrade::ops::key::Range { enabled: true, low: 0.2, high: 0.6, softness: 0.1 },
            ..Default::default()
        }),
        ..Default::default()
    });
    for (name, grade, fusable) in
        [("pointwise", warm(0.7), true), ("blur last", blurred, false), ("keyed", keyed, false)]
    {
        let shown = |fused: bool| {
            let mut v = Viewer::new(&ctx, &wide).unwrap();
            v.set_fused_display(fused);
            v.show_only(&[]);
            v.render(&ctx, &grade, 0).unwrap();
            v.read_display(&ctx, DisplayKind::After).unwrap()
        };
        assert!(shown(true) == shown(false), "{name}: the fused display differs from the display pass");
        // Whether the grade's last pass wrote it.
        let source = GpuFrame::upload(&ctx, &wide).unwrap();
        let (out, display) =
            (GpuFrame::new(&ctx, 37, 21).unwrap(), GpuFrame::new_display(&ctx, 37, 21, "test").unwrap());
        let graph = executor::record(&ctx, &grade, 0, 37, 21).unwrap();
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        let wrote = runner::encode_with_display(&ctx, &mut encoder, &graph, &source, &out, Some(&display)).unwrap();
        ctx.queue.submit([encoder.finish()]);
        assert_eq!(wrote, fusable, "{name}");
        if wrote {
            let direct = cinegrade::gpu::viewer::read_rgba8(&ctx, &display.texture).unwrap();
            assert!(direct == shown(false), "{name}: the runner's display");
        }
    }
}
