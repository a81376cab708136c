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
