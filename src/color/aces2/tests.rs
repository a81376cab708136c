use super::*;

/// The shader's offsets are these.
#[test]
fn wgsl_offsets_are_the_blocks() {
    let wgsl = include_str!("../../../shaders/ops/color_aces2.wgsl");
    let value = |name: &str| -> usize {
        let line =
            wgsl.lines().find(|l| l.starts_with(&format!("const {name}: u32 = "))).unwrap_or_else(|| panic!("{name}"));
        line.rsplit('=').next().unwrap().trim().trim_end_matches(';').trim_end_matches('u').parse().unwrap()
    };
    for (name, off) in [
        ("ACES2_OFF_IN", OFF_IN),
        ("ACES2_OFF_OUT", OFF_OUT),
        ("ACES2_OFF_TONE", OFF_TONE),
        ("ACES2_OFF_SHARED", OFF_SHARED),
        ("ACES2_OFF_CHROMA", OFF_CHROMA),
        ("ACES2_OFF_GAMUT", OFF_GAMUT),
        ("ACES2_OFF_CLAMP", OFF_CLAMP),
        ("ACES2_OFF_AP0_TO_AP1", OFF_AP0_TO_AP1),
        ("ACES2_OFF_AP1_TO_AP0", OFF_AP1_TO_AP0),
        ("ACES2_OFF_REACH_TABLE", OFF_REACH_TABLE),
        ("ACES2_OFF_HUE_TABLE", OFF_HUE_TABLE),
        ("ACES2_OFF_CUSP_TABLE", OFF_CUSP_TABLE),
        ("ACES2_RGB_TO_CAM", JMH_RGB_TO_CAM),
        ("ACES2_CAM_TO_RGB", JMH_CAM_TO_RGB),
        ("ACES2_CONE_TO_AAB", JMH_CONE_TO_AAB),
        ("ACES2_AAB_TO_CONE", JMH_AAB_TO_CONE),
        ("ACES2_F_L_N", JMH_F_L_N),
        ("ACES2_CZ", JMH_CZ),
        ("ACES2_INV_CZ", JMH_INV_CZ),
        ("ACES2_A_W_J", JMH_A_W_J),
        ("ACES2_INV_A_W_J", JMH_INV_A_W_J),
    ] {
        assert_eq!(value(name), off, "{name}");
    }
}

#[test]
fn block_layout_and_grey() {
    let t = Aces2::new(100.0, &spaces::REC709);
    assert_eq!(t.block.len(), BLOCK_SIZE);
    // The hue table rises through 0..360 with its wrapped ends.
    let hues = &t.block[OFF_HUE_TABLE..OFF_HUE_TABLE + TABLE_SIZE];
    assert!(hues.windows(2).all(|w| w[0] < w[1]), "{hues:?}");
    assert!(hues[0] < 0.0 && hues[UPPER_WRAP] >= 360.0);
    // Black stays black; grey stays neutral and lands near the ACES 2.0 SDR grey (≈ 0.1 of peak).
    assert_eq!(t.forward([0.0; 3]), [0.0; 3]);
    let g = t.forward([0.18; 3]);
    assert!((g[0] - g[1]).abs() < 1e-4 && (g[1] - g[2]).abs() < 1e-4, "{g:?}");
    assert!(g[1] > 0.08 && g[1] < 0.12, "{g:?}");
    // And the inverse brings it back.
    let back = t.inverse(g);
    assert!(back.iter().all(|v| (v - 0.18).abs() < 1e-3), "{back:?}");
}

/// Light below black (negative achromatic response) renders as black, as in OpenColorIO 2.6, whose
/// `ACES-OUTPUT - ACES2065-1_to_CIE-XYZ-D65 - SDR-100nit-REC709_2.0` gives exactly 0 for ACES greys
/// −0.01 and −1 (PyOpenColorIO, `applyRGB`); and the appearance model's JMh of a zero, negative or
/// NaN achromatic response is black, as OpenColorIO's `Aab_to_JMh` makes it (`if (Aab[0] <= 0)`).
#[test]
fn light_below_black_renders_as_black() {
    for peak in [100.0, 1000.0] {
        let t = Aces2::new(peak, &spaces::REC709);
        for v in [-0.01f32, -1.0] {
            assert_eq!(t.forward([v; 3]), [0.0; 3], "{peak} nits, grey {v}");
        }
        let jmh = Jmh(&t.block[OFF_IN..OFF_IN + JMH_SIZE]);
        for a in [0.0f32, -0.5, -1e-6, f32::NAN] {
            assert_eq!(jmh.aab_to_jmh([a, 0.1, -0.2]), [0.0; 3], "achromatic {a}");
        }
        assert!(jmh.aab_to_jmh([0.5, 0.1, -0.2])[0] > 0.0);
    }
}

/// Corner hues of the two gamuts merged in order, a hue the two share taken once (OpenColorIO's
/// `extract_sorted_cube_hues`): the shared-hue branch is never reached by the shipped displays.
#[test]
fn corner_hues_merge_in_order_and_shared_hues_count_once() {
    let corners = |hues: [f32; 6]| {
        let mut c = [[0.0f32; 3]; 8];
        for (i, h) in hues.iter().enumerate() {
            c[i + 1][2] = *h;
        }
        // The wrapped copies, as `cycle` makes them.
        (c[0][2], c[7][2]) = (hues[5] - 360.0, hues[0] + 360.0);
        c
    };
    let reach = corners([10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
    let display = corners([15.0, 20.0, 35.0, 40.0, 55.0, 60.0]);
    assert_eq!(build::sorted_corner_hues(&reach, &display), [10.0, 15.0, 20.0, 30.0, 35.0, 40.0, 50.0, 55.0, 60.0]);
    assert_eq!(build::sorted_corner_hues(&reach, &reach), [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
    let apart = corners([11.0, 21.0, 31.0, 41.0, 51.0, 61.0]);
    assert_eq!(build::sorted_corner_hues(&reach, &apart).len(), 12);
}
