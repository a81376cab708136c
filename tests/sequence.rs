//! Frame sequences on disk: real frames copied under sequence names, found from a pattern or from one
//! frame, with their holes reported.

mod common;

use std::path::Path;

use cinegrade::media::sequence::{FrameRange, SequencePattern, describe_frames, detect};

/// Copies a real EXR to `dir/name.NNNN.exr` for each frame.
fn make_frames(dir: &Path, name: &str, frames: &[u32]) {
    let src = common::data("frames/TestImages_AllHalfValues.exr");
    for f in frames {
        std::fs::copy(&src, dir.join(format!("{name}.{f:04}.exr"))).unwrap();
    }
}

#[test]
fn a_sequence_is_found_from_a_pattern_or_one_frame_and_its_holes_are_named() {
    let dir = common::temp_dir("seq-detect");
    make_frames(&dir, "A001_C002", &[1001, 1002, 1003, 1005, 1008]);
    make_frames(&dir, "A001_C003", &[1001]);
    // Not frames of the sequence: a temp file, another extension, a wrong padding.
    std::fs::write(dir.join("A001_C002.1004.exr.tmp"), b"x").unwrap();
    std::fs::write(dir.join("A001_C002.1006.png"), b"x").unwrap();
    std::fs::write(dir.join("A001_C002.01007.exr"), b"x").unwrap();

    for given in ["A001_C002.####.exr", "A001_C002.%04d.exr", "A001_C002.1003.exr"] {
        let found = detect(&dir.join(given)).unwrap().unwrap_or_else(|| panic!("{given}: no sequence"));
        assert_eq!(found.pattern.to_path(), dir.join("A001_C002.####.exr"), "{given}");
        assert_eq!(found.range, FrameRange { first: 1001, last: 1008 }, "{given}");
        assert_eq!(found.missing, vec![1004, 1006, 1007], "{given}");
    }
    let found = detect(&dir.join("A001_C002.####.exr")).unwrap().unwrap();
    assert_eq!(describe_frames(&found.missing), "1004, 1006-1007");
    // Each path the pattern gives is a real, loadable frame.
    for f in [1001, 1005, 1008] {
        let frame = cinegrade::media::load(&found.pattern.frame_path(f)).unwrap();
        assert_eq!((frame.info.width, frame.info.height), (256, 256));
    }
    assert_eq!(found.pattern.missing(FrameRange::parse("1000-1002").unwrap()), vec![1000]);
    // A plain still is not a sequence; a pattern with no frames is an error naming it.
    assert!(detect(&common::data("frames/chelsea.png")).unwrap().is_none());
    let err = detect(&dir.join("B.####.exr")).unwrap_err().to_string();
    assert!(err.contains("B.####.exr") && err.contains("no frames"), "{err}");
    let one = detect(&dir.join("A001_C003.1001.exr")).unwrap().unwrap();
    assert_eq!((one.range.len(), one.missing.len()), (1, 0));
}

#[test]
fn frames_that_outgrow_the_padding_stay_in_the_sequence() {
    let dir = common::temp_dir("seq-wide");
    let src = common::data("frames/chelsea_crop_16bit.png");
    for name in ["s_9998.png", "s_9999.png", "s_10000.png"] {
        std::fs::copy(&src, dir.join(name)).unwrap();
    }
    let found = detect(&dir.join("s_10000.png")).unwrap().unwrap();
    assert_eq!(found.pattern.padding, 4);
    assert_eq!(found.range, FrameRange { first: 9998, last: 10000 });
    assert!(found.missing.is_empty());
    let p = SequencePattern::parse(&dir.join("s_####.png")).unwrap();
    assert_eq!(p.scan().unwrap(), vec![9998, 9999, 10000]);
}
