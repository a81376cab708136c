//! Tests for the CMX3600 EDL reader and SMPTE timecode (fixtures in tests/data/interchange/).

use super::edl::{Edl, FrameCountMode, Transition, parse_edl, read_edl};
use super::error::InterchangeError;
use super::fixture;
use super::timecode::Timecode;
use crate::color::cdl::Cdl;

fn read(name: &str) -> Edl {
    match read_edl(&fixture(name)) {
        Ok(edl) => edl,
        Err(e) => panic!("{e}"),
    }
}

fn tc(text: &str) -> Timecode {
    match text.parse() {
        Ok(tc) => tc,
        Err(e) => panic!("{e}"),
    }
}

/// The error message for a malformed EDL, which the tests compare in full.
fn error(text: &str) -> String {
    match parse_edl(text, "cuts/bad.edl") {
        Ok(edl) => panic!("expected an error, parsed {edl:?}"),
        Err(e) => e.to_string(),
    }
}

/// A valid first event, so malformed lines can follow on line 3.
const HEAD: &str = "TITLE: t\n001  AX V C 01:00:00:00 01:00:01:00 00:00:00:00 00:00:01:00\n";

#[test]
fn avid_example_values() {
    let edl = read("avid_example.edl");
    assert_eq!(edl.title.as_deref(), Some("Avid_Example.01"));
    assert_eq!(edl.fcm, None);
    assert_eq!(edl.events.len(), 2);
    let e = &edl.events[0];
    assert_eq!((e.number, e.reel.as_str(), e.track.as_str(), e.transition), (1, "ZZ100_50", "V", Transition::Cut));
    assert_eq!(
        [e.source_in, e.source_out, e.record_in, e.record_out].map(|t| t.to_string()),
        ["01:00:04:05", "01:00:05:12", "00:59:53:11", "00:59:54:18"]
    );
    assert_eq!(e.clip_name.as_deref(), Some("take_1"));
    assert_eq!(e.comments, ["* FROM CLIP: S:\\path\\to\\ZZ100_501.take_1.0001.exr"]);
    assert_eq!(e.cdl, None);
    assert_eq!(edl.events[1].clip_name.as_deref(), Some("take_2"));
    assert_eq!(edl.events[1].record_out, tc("00:59:56:20"));
}

#[test]
fn premiere_example_values() {
    let edl = read("premiere_example.edl");
    assert_eq!(edl.title.as_deref(), Some("Premiere_Example.01"));
    let names: Vec<_> = edl.events.iter().map(|e| (e.number, e.reel.as_str(), e.clip_name.as_deref())).collect();
    assert_eq!(names, [(1, "AX", Some("ZZ100_501.take_1.0001.exr")), (2, "AX", Some("ZZ100_502A.take_2.0101.exr"))]);
    assert_eq!(edl.events[1].source_in, Timecode { hours: 1, minutes: 0, seconds: 6, frames: 13, drop_frame: false });
}

#[test]
fn cdl_example_values_in_both_spellings() {
    let edl = read("cdl.edl");
    assert_eq!(edl.title.as_deref(), Some("CDL_Example_Formatted_Many_Ways.01"));
    let want = Cdl { slope: [0.1, 0.2, 0.3], offset: [1.0, -0.0122, 0.0305], power: [1.0, 0.0, 1.0], saturation: 0.9 };
    assert_eq!(edl.events.len(), 2);
    for e in &edl.events {
        assert_eq!(e.clip_name.as_deref(), Some("ZZ100_501 (LAY3)"));
        assert_eq!(e.comments, ["* SOURCE FILE: ZZ100_501.LAY3.01"]);
        assert_eq!(e.source_in, tc("01:00:04:05"));
    }
    assert_eq!(edl.events[1].record_in, tc("00:00:01:07"));
    // Kept as written, power 0 included (see the module docs).
    assert_eq!(edl.events[0].cdl, Some(want));
    assert_eq!(edl.events[1].cdl, Some(want));
}

#[test]
fn variants_drop_frame_transitions_and_asc_spellings() {
    let edl = read("variants.edl");
    assert_eq!(edl.title.as_deref(), Some("Cinegrade variants"));
    assert_eq!(edl.fcm, Some(FrameCountMode::DropFrame));
    let summary: Vec<_> =
        edl.events.iter().map(|e| (e.number, e.reel.as_str(), e.track.as_str(), e.transition)).collect();
    let want = [
        (1, "BL", "V", Transition::Cut),
        (1, "A001C003", "V", Transition::Dissolve(30)),
        (2, "A001C004", "V", Transition::Wipe(1, 15)),
        (3, "A001C005", "A2", Transition::Cut),
    ];
    assert_eq!(summary, want);
    let dissolve = &edl.events[1];
    assert_eq!(dissolve.source_in.to_string(), "14:22:10;12");
    assert_eq!(dissolve.clip_name.as_deref(), Some("A001C003_220101.mov"));
    let graded =
        Cdl { slope: [1.05, 1.0, 0.95], offset: [0.01, 0.0, -0.015], power: [0.98, 1.0, 1.02], saturation: 1.1 };
    assert_eq!(dissolve.cdl, Some(graded));
    assert_eq!(dissolve.comments, ["* a free comment"]);
    let wipe = &edl.events[2];
    assert_eq!(wipe.cdl, Some(Cdl { slope: [0.9; 3], ..Cdl::default() }));
    assert_eq!(wipe.comments, ["M2   A001C004       048.0                14:30:00;02"]);
    let audio = &edl.events[3];
    // FCM: DROP FRAME makes colon-written timecodes drop-frame too.
    assert!(audio.source_in.drop_frame);
    assert_eq!(audio.cdl, Some(Cdl { saturation: 0.5, ..Cdl::default() }));
    assert_eq!(audio.clip_name.as_deref(), Some("first name"));
    assert_eq!(audio.comments, ["* FROM CLIP NAME: second name"]);
}

#[test]
fn crlf_and_bom_parse_the_same() {
    let text = std::fs::read_to_string(fixture("variants.edl")).expect("fixture");
    let crlf: String = text.lines().map(|l| format!("{l}  \r\n")).collect();
    assert_eq!(parse_edl(&format!("\u{feff}{crlf}"), "crlf.edl").expect("parses"), read("variants.edl"));
}

#[test]
fn asc_sop_bare_numbers_and_extra_spaces() {
    let edl = parse_edl(&format!("{HEAD}*  ASC_SOP   1 1 1  0 0 0  1 1 2\n* ASC_SAT:1\n"), "x.edl").expect("parses");
    assert_eq!(edl.events[0].cdl, Some(Cdl { power: [1.0, 1.0, 2.0], ..Cdl::default() }));
}

#[test]
fn comments_before_first_event_are_ignored() {
    let edl = parse_edl(
        "TITLE: t\n* header note\nsome junk\n001  AX V C 01:00:00:00 01:00:01:00 00:00:00:00 00:00:01:00\n",
        "x.edl",
    )
    .expect("parses");
    assert_eq!(edl.events.len(), 1);
    assert!(edl.events[0].comments.is_empty());
}

#[test]
fn timecode_display_and_frames() {
    assert_eq!(tc("01:00:00:00").to_string(), "01:00:00:00");
    assert_eq!(tc("01:00:00;00").to_string(), "01:00:00;00");
    assert_eq!(tc("01:00:00:00").to_frames(24.0).ok(), Some(86_400));
    assert_eq!(tc("01:00:00:00").to_frames(23.976).ok(), Some(86_400));
    assert_eq!(tc("00:00:01:12").to_frames(25.0).ok(), Some(37));
    // SMPTE ST 12-1 drop-frame: an hour of 29.97 is 107892 frames; 00:01:00;02 follows 00:00:59;29.
    assert_eq!(tc("01:00:00;00").to_frames(29.97).ok(), Some(107_892));
    assert_eq!(tc("00:01:00;02").to_frames(29.97).ok(), Some(1_800));
    assert_eq!(tc("00:00:59;29").to_frames(29.97).ok(), Some(1_799));
    assert_eq!(tc("00:10:00;00").to_frames(29.97).ok(), Some(17_982));
    assert_eq!(tc("00:01:00;04").to_frames(59.94).ok(), Some(3_600));
}

#[test]
fn drop_frame_round_trips_every_frame_of_two_hours() {
    for fps in [29.97, 59.94] {
        let frames = if fps < 30.0 { 215_784 } else { 431_568 };
        for n in 0..frames {
            let label = Timecode::from_frames(n, fps, true).expect("in range");
            assert_eq!(label.to_frames(fps).ok(), Some(n), "{label} at {fps}");
        }
    }
    assert_eq!(Timecode::from_frames(1_800, 29.97, true).map(|t| t.to_string()).ok().as_deref(), Some("00:01:00;02"));
    assert_eq!(Timecode::from_frames(86_400, 24.0, false).map(|t| t.to_string()).ok().as_deref(), Some("01:00:00:00"));
}

#[test]
fn timecode_conversions_refuse_impossible_rates() {
    let e = tc("00:00:00:30").to_frames(29.97).unwrap_err();
    assert_eq!(e.to_string(), "timecode 00:00:00:30: frame 30 does not exist at 29.97 fps");
    let e = tc("00:00:10;00").to_frames(25.0).unwrap_err();
    assert_eq!(e.to_string(), "timecode 00:00:10;00: drop-frame counting needs 29.97 or 59.94 fps, not 25");
    let e = tc("00:01:00;02").to_frames(59.94).unwrap_err();
    assert_eq!(e.to_string(), "timecode 00:01:00;02: label skipped by drop-frame counting at 59.94 fps");
    assert!(tc("00:00:00:00").to_frames(f64::NAN).is_err());
    assert!(Timecode::from_frames(24 * 86_400, 24.0, false).is_err());
    let e = "1:00:00:00".parse::<Timecode>().unwrap_err();
    assert!(matches!(e, InterchangeError::Timecode { .. }), "{e}");
}

#[test]
fn missing_file_is_an_io_error() {
    let e = read_edl(&fixture("no_such.edl")).unwrap_err();
    assert!(matches!(e, InterchangeError::Io { .. }), "{e}");
}

// One test per malformed case; each checks the file name, the line and the message.

#[test]
fn bad_timecode_digits() {
    let e = error(&format!("{HEAD}002  AX V C 01:00:4:05 01:00:05:12 00:00:01:00 00:00:02:07\n"));
    assert_eq!(e, "cuts/bad.edl:3: bad timecode `01:00:4:05` (expected HH:MM:SS:FF or HH:MM:SS;FF)");
}

#[test]
fn bad_timecode_letters() {
    let e = error("001  AX V C 01:00:00:00 01:00:01:00 00:00:00:00 00:00:0x:00\n");
    assert_eq!(e, "cuts/bad.edl:1: bad timecode `00:00:0x:00` (expected HH:MM:SS:FF or HH:MM:SS;FF)");
}

#[test]
fn out_of_range_frames() {
    let e = error(&format!("{HEAD}002  AX V C 01:00:00:75 01:00:05:12 00:00:01:00 00:00:02:07\n"));
    assert_eq!(e, "cuts/bad.edl:3: frames 75 out of range (0..=59) in timecode `01:00:00:75`");
}

#[test]
fn out_of_range_minutes() {
    let e = error(&format!("{HEAD}\n002  AX V C 01:00:00:00 01:00:05:12 00:60:01:00 00:00:02:07\n"));
    assert_eq!(e, "cuts/bad.edl:4: minutes 60 out of range (0..=59) in timecode `00:60:01:00`");
}

#[test]
fn skipped_drop_frame_label() {
    let e = error("FCM: DROP FRAME\n001  AX V C 01:01:00:01 01:01:01:00 00:00:00;00 00:00:01;00\n");
    assert_eq!(e, "cuts/bad.edl:2: timecode `01:01:00:01` is skipped by drop-frame counting");
}

#[test]
fn missing_timecode() {
    let e = error(&format!("{HEAD}002  AX V C 01:00:00:00 01:00:05:12 00:00:01:00\n"));
    assert_eq!(e, "cuts/bad.edl:3: event line needs 4 timecodes after the transition, found 3 fields");
}

#[test]
fn extra_field_after_timecodes() {
    let e = error(&format!("{HEAD}002  AX V C 01:00:00:00 01:00:05:12 00:00:01:00 00:00:02:00 X\n"));
    assert_eq!(e, "cuts/bad.edl:3: event line needs 4 timecodes after the transition, found 5 fields");
}

#[test]
fn missing_reel_shifts_fields() {
    let e = error(&format!("{HEAD}002  V C 01:00:00:00 01:00:05:12 00:00:01:00 00:00:02:00\n"));
    assert_eq!(e, "cuts/bad.edl:3: unknown transition `01:00:00:00` (expected C, D or Wnnn)");
}

#[test]
fn bad_track() {
    let e = error(&format!("{HEAD}002  AX V* C 01:00:00:00 01:00:05:12 00:00:01:00 00:00:02:00\n"));
    assert_eq!(e, "cuts/bad.edl:3: bad track `V*`");
}

#[test]
fn event_number_alone() {
    assert_eq!(
        error(&format!("{HEAD}003\n")),
        "cuts/bad.edl:3: event line needs number, reel, track, transition and 4 timecodes; found 1 fields"
    );
}

#[test]
fn dissolve_without_duration() {
    let e = error(&format!("{HEAD}002  AX V D\n"));
    assert_eq!(e, "cuts/bad.edl:3: dissolve D needs a duration in frames");
}

#[test]
fn bad_dissolve_duration() {
    let e = error(&format!("{HEAD}002  AX V D 1.5 01:00:00:00 01:00:05:12 00:00:01:00 00:00:02:00\n"));
    assert_eq!(e, "cuts/bad.edl:3: bad transition duration `1.5` (expected whole frames)");
}

#[test]
fn huge_event_number() {
    let e = error("99999999999  AX V C 01:00:00:00 01:00:05:12 00:00:01:00 00:00:02:00\n");
    assert_eq!(e, "cuts/bad.edl:1: event number 99999999999 is too large");
}

#[test]
fn unknown_fcm() {
    assert_eq!(error("TITLE: t\nFCM: SOMETIMES\n"), "cuts/bad.edl:2: unknown frame count mode `SOMETIMES`");
}

#[test]
fn second_title() {
    assert_eq!(error("TITLE: a\nTITLE: b\n"), "cuts/bad.edl:2: second TITLE: line");
}

#[test]
fn asc_sop_with_eight_numbers() {
    let e = error(&format!("{HEAD}*ASC_SOP (1 1 1)(0 0)(1 1 1)\n"));
    assert_eq!(e, "cuts/bad.edl:3: ASC_SOP: offset needs 3 numbers, found 2");
}

#[test]
fn asc_sop_with_two_groups() {
    let e = error(&format!("{HEAD}*ASC_SOP (1 1 1)(0 0 0)\n"));
    assert_eq!(e, "cuts/bad.edl:3: ASC_SOP needs 3 groups (slope)(offset)(power), found 2");
}

#[test]
fn asc_sop_unclosed_group() {
    let e = error(&format!("{HEAD}*ASC_SOP (1 1 1)(0 0 0)(1 1 1\n"));
    assert_eq!(e, "cuts/bad.edl:3: ASC_SOP: unclosed parenthesis");
}

#[test]
fn asc_sop_bare_numbers_wrong_count() {
    let e = error(&format!("{HEAD}*ASC_SOP 1 1 1 0 0 0 1 1\n"));
    assert_eq!(e, "cuts/bad.edl:3: ASC_SOP needs 9 numbers, found 8");
}

#[test]
fn asc_sop_non_numeric() {
    let e = error(&format!("{HEAD}*ASC_SOP (1 1 1)(0 zero 0)(1 1 1)\n"));
    assert_eq!(e, "cuts/bad.edl:3: ASC_SOP: `zero` is not a finite number");
}

#[test]
fn asc_sat_non_numeric() {
    assert_eq!(error(&format!("{HEAD}*ASC_SAT high\n")), "cuts/bad.edl:3: ASC_SAT: `high` is not a finite number");
}

#[test]
fn asc_sat_nan() {
    assert_eq!(error(&format!("{HEAD}*ASC_SAT nan\n")), "cuts/bad.edl:3: ASC_SAT: `nan` is not a finite number");
}

#[test]
fn second_asc_sop_for_one_event() {
    let e = error(&format!("{HEAD}*ASC_SOP (1 1 1)(0 0 0)(1 1 1)\n* note\n*ASC_SOP (1 1 1)(0 0 0)(1 1 1)\n"));
    assert_eq!(e, "cuts/bad.edl:5: second ASC_SOP for event 1 (first on line 3)");
}

#[test]
fn asc_before_first_event() {
    assert_eq!(error("TITLE: t\n*ASC_SAT 1.0\n"), "cuts/bad.edl:2: ASC_SAT before the first event");
}
