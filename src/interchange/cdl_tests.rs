//! Tests for the ASC CDL XML reader and writers (fixtures in tests/data/interchange/).

use super::cdl::{ColorCorrection, find_by_id, parse_cdl, read_cdl_file, write_cc, write_ccc, write_cdl};
use super::error::InterchangeError;
use super::fixture;
use crate::color::cdl::Cdl;

fn read(name: &str) -> Vec<ColorCorrection> {
    match read_cdl_file(&fixture(name)) {
        Ok(ccs) => ccs,
        Err(e) => panic!("{e}"),
    }
}

/// The error message for malformed text, which the tests compare in full.
fn error(text: &str) -> String {
    match parse_cdl(text, "grades/bad.ccc") {
        Ok(ccs) => panic!("expected an error, parsed {ccs:?}"),
        Err(e) => e.to_string(),
    }
}

fn cdl(slope: [f32; 3], offset: [f32; 3], power: [f32; 3], saturation: f32) -> Cdl {
    Cdl { slope, offset, power, saturation }
}

/// Wraps a SOPNode/SatNode body in a ColorCorrection starting on line 2.
fn cc(body: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<ColorCorrection id=\"x\">\n{body}</ColorCorrection>\n")
}

const SOP: &str = "<SOPNode>\n<Slope>1 1 1</Slope>\n<Offset>0 0 0</Offset>\n<Power>1 1 1</Power>\n</SOPNode>\n";

#[test]
fn cc_values_match_the_file() {
    let ccs = read("cdl_test1.cc");
    assert_eq!(ccs.len(), 1);
    assert_eq!(ccs[0].id.as_deref(), Some("foo"));
    assert_eq!(ccs[0].description, ["this is a description"]);
    assert_eq!(ccs[0].cdl, cdl([1.1, 1.2, 1.3], [2.1, 2.2, 2.3], [3.1, 3.2, 3.3], 0.7));
}

#[test]
fn asc_sat_spelling_is_read() {
    let ccs = read("cdl_test_ASC_SAT.cc");
    assert_eq!(ccs[0].cdl, cdl([1.1, 1.2, 1.3], [2.1, 2.2, 2.3], [3.1, 3.2, 3.3], 0.42));
}

#[test]
fn ccc_values_match_the_file() {
    let ccs = read("cdl_test1.ccc");
    let ids: Vec<Option<&str>> = ccs.iter().map(|c| c.id.as_deref()).collect();
    assert_eq!(ids, [Some("cc0001"), Some("cc0002"), Some("cc0003"), None, None]);
    let want = [
        cdl([1.0, 1.0, 0.9], [-0.03, -0.02, 0.0], [1.25, 1.0, 1.0], 1.7),
        cdl([0.9, 0.7, 0.6], [0.1, 0.1, 0.1], [0.9, 0.9, 0.9], 0.7),
        cdl([1.2, 1.1, 1.0], [0.0; 3], [0.9, 1.0, 1.2], 1.0),
        cdl([4.0, 5.0, 6.0], [0.0; 3], [0.9, 1.0, 1.2], 1.0), // SOPNode only: saturation stays neutral.
        cdl([1.0; 3], [0.0; 3], [1.0; 3], 0.0),               // SatNode only: SOP stays neutral.
    ];
    for (cc, want) in ccs.iter().zip(want) {
        assert_eq!(cc.cdl, want, "{:?}", cc.id);
    }
    let first =
        ["CC-level description 1a", "CC-level description 1b", "Example look", "For scenes 1 and 2", "boosting sat"];
    assert_eq!(ccs[0].description, first);
    assert!(ccs[3].description.is_empty());
}

#[test]
fn cdl_with_prefixed_namespace_and_satnode_upper() {
    let ccs = read("decision_list.cdl");
    assert_eq!(ccs.len(), 2);
    assert_eq!(ccs[0].id.as_deref(), Some("A001C003"));
    assert_eq!(ccs[0].description, ["warm & bright"]);
    assert_eq!(ccs[0].cdl, cdl([1.05, 1.0, 0.95], [0.01, 0.0, -0.015], [0.98, 1.0, 1.02], 1.1));
    assert_eq!(ccs[1].cdl, cdl([0.9; 3], [0.0; 3], [1.0; 3], 1.0));
}

#[test]
fn find_by_id_finds_and_lists_ids() {
    let ccs = read("cdl_test1.ccc");
    assert_eq!(find_by_id(&ccs, "cc0002").map(|c| c.cdl.saturation).ok(), Some(0.7));
    let e = find_by_id(&ccs, "cc0009").unwrap_err();
    assert_eq!(e.to_string(), r#"no ColorCorrection with id "cc0009" (available ids: "cc0001", "cc0002", "cc0003")"#);
    let none = find_by_id(&[], "a").unwrap_err().to_string();
    assert_eq!(none, r#"no ColorCorrection with id "a" (the file holds no ids)"#);
}

#[test]
fn writers_round_trip() {
    let ccs = read("cdl_test1.ccc");
    let ccc = write_ccc(&ccs).expect("writable");
    assert!(ccc.contains("<ColorCorrectionCollection xmlns=\"urn:ASC:CDL:v1.2\">"), "{ccc}");
    assert_eq!(parse_cdl(&ccc, "written.ccc").expect("reads back"), ccs);
    let list = write_cdl(&ccs).expect("writable");
    assert!(list.contains("<ColorDecisionList xmlns=\"urn:ASC:CDL:v1.2\">\n    <ColorDecision>\n"), "{list}");
    assert_eq!(parse_cdl(&list, "written.cdl").expect("reads back"), ccs);
    for one in &ccs {
        let text = write_cc(one).expect("writable");
        assert_eq!(parse_cdl(&text, "written.cc").expect("reads back"), std::slice::from_ref(one));
    }
}

#[test]
fn writer_escapes_ids_and_descriptions() {
    let tricky = ColorCorrection {
        id: Some("a\"<&>'b".into()),
        description: vec!["<b>bold</b> & \"quoted\"\nsecond line".into()],
        cdl: cdl([0.5, 1.0, 2.0], [-0.125, 0.0, 0.1], [0.8, 1.0, 1.25], 0.3),
    };
    let text = write_cc(&tricky).expect("writable");
    assert!(text.contains("id=\"a&quot;&lt;&amp;&gt;&apos;b\""), "{text}");
    assert!(text.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;&#10;second line"), "{text}");
    assert_eq!(parse_cdl(&text, "tricky.cc").expect("reads back"), [tricky]);
}

#[test]
fn writers_refuse_invalid_values() {
    let bad = ColorCorrection { cdl: cdl([-1.0, 1.0, 1.0], [0.0; 3], [1.0; 3], 1.0), ..Default::default() };
    let e = write_cc(&bad).unwrap_err().to_string();
    assert_eq!(e, "cannot write ColorCorrection: slope must be >= 0 (ASC CDL v1.2), found -1");
    assert!(write_ccc(&[]).is_err());
    let control = ColorCorrection { id: Some("bell\u{7}".into()), ..Default::default() };
    assert!(write_cdl(&[control]).is_err());
}

#[test]
fn missing_file_is_an_io_error() {
    let e = read_cdl_file(&fixture("no_such.ccc")).unwrap_err();
    assert!(matches!(e, InterchangeError::Io { .. }), "{e}");
}

// One test per malformed case; each checks the file name, the line and the message.

#[test]
fn not_xml() {
    let e = error("<ColorCorrection id=\"a\">\n<SOPNode>\n</ColorCorrection>\n");
    assert!(e.starts_with("grades/bad.ccc:3: not valid XML: "), "{e}");
}

#[test]
fn plain_text_is_not_xml() {
    let e = error("slope 1 1 1\n");
    assert!(e.starts_with("grades/bad.ccc:1: not valid XML: "), "{e}");
}

#[test]
fn dtd_is_refused() {
    let e = error("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<ColorCorrection/>\n");
    assert!(e.starts_with("grades/bad.ccc:2: not valid XML: "), "{e}");
}

#[test]
fn wrong_root_element() {
    let e = error("<?xml version=\"1.0\"?>\n<ProcessList id=\"x\"/>\n");
    assert_eq!(
        e,
        "grades/bad.ccc:2: expected <ColorCorrection>, <ColorCorrectionCollection> or <ColorDecisionList>, found <ProcessList>"
    );
}

#[test]
fn neither_sop_nor_sat() {
    let e = error(&cc("<Description>empty</Description>\n"));
    assert_eq!(e, "grades/bad.ccc:2: <ColorCorrection> has neither <SOPNode> nor <SatNode>");
}

#[test]
fn sop_missing_power() {
    let e = error(&cc("<SOPNode>\n<Slope>1 1 1</Slope>\n<Offset>0 0 0</Offset>\n</SOPNode>\n"));
    assert_eq!(e, "grades/bad.ccc:3: <SOPNode> is missing <Power>");
}

#[test]
fn sat_missing_saturation() {
    let e = error(&cc(&format!("{SOP}<SatNode>\n<Description>x</Description>\n</SatNode>\n")));
    assert_eq!(e, "grades/bad.ccc:8: <SatNode> is missing <Saturation>");
}

#[test]
fn second_slope() {
    let e = error(&cc(
        "<SOPNode>\n<Slope>1 1 1</Slope>\n<Slope>2 2 2</Slope>\n<Offset>0 0 0</Offset>\n<Power>1 1 1</Power>\n</SOPNode>\n",
    ));
    assert_eq!(e, "grades/bad.ccc:5: second <Slope> in <SOPNode>");
}

#[test]
fn second_sat_node() {
    let e =
        error(&cc("<SatNode><Saturation>1</Saturation></SatNode>\n<SATNode><Saturation>1</Saturation></SATNode>\n"));
    assert_eq!(e, "grades/bad.ccc:4: second <SATNode> in one ColorCorrection");
}

#[test]
fn two_numbers_in_offset() {
    let e = error(&cc("<SOPNode>\n<Slope>1 1 1</Slope>\n<Offset>0 0</Offset>\n<Power>1 1 1</Power>\n</SOPNode>\n"));
    assert_eq!(e, "grades/bad.ccc:5: <Offset> needs 3 numbers, found 2");
}

#[test]
fn two_saturation_numbers() {
    let e = error(&cc("<SatNode>\n<Saturation>1 1</Saturation>\n</SatNode>\n"));
    assert_eq!(e, "grades/bad.ccc:4: <Saturation> needs 1 numbers, found 2");
}

#[test]
fn non_numeric_power() {
    let e = error(&cc("<SOPNode>\n<Slope>1 1 1</Slope>\n<Offset>0 0 0</Offset>\n<Power>1 one 1</Power>\n</SOPNode>\n"));
    assert_eq!(e, "grades/bad.ccc:6: <Power>: `one` is not a finite number");
}

#[test]
fn nan_slope() {
    let e = error(&cc("<SOPNode>\n<Slope>1 NaN 1</Slope>\n<Offset>0 0 0</Offset>\n<Power>1 1 1</Power>\n</SOPNode>\n"));
    assert_eq!(e, "grades/bad.ccc:4: <Slope>: `NaN` is not a finite number");
}

#[test]
fn negative_slope() {
    let e =
        error(&cc("<SOPNode>\n<Slope>1 -0.5 1</Slope>\n<Offset>0 0 0</Offset>\n<Power>1 1 1</Power>\n</SOPNode>\n"));
    assert_eq!(e, "grades/bad.ccc:4: <Slope>: slope must be >= 0 (ASC CDL v1.2), found -0.5");
}

#[test]
fn zero_power() {
    let e = error(&cc("<SOPNode>\n<Slope>1 1 1</Slope>\n<Offset>0 0 0</Offset>\n<Power>1 1 0</Power>\n</SOPNode>\n"));
    assert_eq!(e, "grades/bad.ccc:6: <Power>: power must be > 0 (ASC CDL v1.2), found 0");
}

#[test]
fn negative_saturation() {
    let e = error(&cc("<SatNode>\n<Saturation>-1</Saturation>\n</SatNode>\n"));
    assert_eq!(e, "grades/bad.ccc:4: <Saturation>: saturation must be >= 0 (ASC CDL v1.2), found -1");
}

#[test]
fn empty_collection() {
    let e = error(
        "<?xml version=\"1.0\"?>\n\n<ColorCorrectionCollection xmlns=\"urn:ASC:CDL:v1.01\">\n</ColorCorrectionCollection>\n",
    );
    assert_eq!(e, "grades/bad.ccc:3: <ColorCorrectionCollection> holds no ColorCorrection");
}

#[test]
fn bad_correction_deep_in_collection() {
    let good = format!("<ColorCorrection id=\"ok\">\n{SOP}</ColorCorrection>\n");
    let text = format!(
        "<ColorCorrectionCollection>\n{good}<ColorCorrection id=\"bad\">\n<SOPNode>\n<Slope>1 1</Slope>\n</SOPNode>\n</ColorCorrection>\n</ColorCorrectionCollection>\n"
    );
    assert_eq!(error(&text), "grades/bad.ccc:11: <Slope> needs 3 numbers, found 2");
}

#[test]
fn decision_without_correction() {
    let e = error(
        "<ColorDecisionList>\n<ColorDecision>\n<MediaRef ref=\"a.mov\"/>\n</ColorDecision>\n</ColorDecisionList>\n",
    );
    assert_eq!(e, "grades/bad.ccc:2: <ColorDecision> has no <ColorCorrection>");
}

#[test]
fn decision_with_correction_ref() {
    let e = error(
        "<ColorDecisionList>\n<ColorDecision>\n<ColorCorrectionRef ref=\"cc01\"/>\n</ColorDecision>\n</ColorDecisionList>\n",
    );
    assert_eq!(e, "grades/bad.ccc:3: <ColorCorrectionRef> (a correction kept in another file) is not supported");
}
