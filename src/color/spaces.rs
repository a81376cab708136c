//! Primaries, white points and the 3x3 matrices built from them.
//!
//! RGB→XYZ follows SMPTE RP 177-1993 ("Derivation of Basic Television Color Equations"): the
//! primaries' xyz columns scaled so that RGB (1, 1, 1) lands on the white point with Y = 1. Chromatic
//! adaptation is von Kries scaling in a cone space (Bradford, Lam 1985; CAT02, CIE 159:2004). All
//! matrix math runs in f64 and is rounded to f32 only at the end, as OpenColorIO does
//! (`ColorMatrixHelpers.cpp`). Chromaticities are the manufacturers' published values, the same ones
//! OpenColorIO's built-in transforms use; `tests/data/color/make_matrices.py` checks them against
//! colour-science.

/// A 3x3 matrix in f64, row-major (`m[row][col]`), applied to column vectors.
pub type Mat3 = [[f64; 3]; 3];

/// The 3x3 identity matrix.
pub const IDENTITY: Mat3 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

/// CIE 1931 xy chromaticities of a set of RGB primaries and their white point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Chromaticities {
    /// xy of the red primary.
    pub red: [f64; 2],
    /// xy of the green primary.
    pub green: [f64; 2],
    /// xy of the blue primary.
    pub blue: [f64; 2],
    /// xy of the white point (RGB = 1, 1, 1).
    pub white: [f64; 2],
}

/// CIE D65 as ITU-R BT.709 and BT.2020 round it (x 0.3127, y 0.3290).
pub const D65: [f64; 2] = [0.3127, 0.3290];
/// The ACES white, "D60", of SMPTE ST 2065-1 (x 0.32168, y 0.33767).
pub const D60_ACES: [f64; 2] = [0.32168, 0.33767];
/// CIE D50 as ICC profiles round it (x 0.3457, y 0.3585).
pub const D50: [f64; 2] = [0.3457, 0.3585];

/// ITU-R BT.709 primaries, D65 (also sRGB, IEC 61966-2-1).
pub const REC709: Chromaticities =
    Chromaticities { red: [0.64, 0.33], green: [0.30, 0.60], blue: [0.15, 0.06], white: D65 };

/// ITU-R BT.2020 (and BT.2100) primaries, D65.
pub const REC2020: Chromaticities =
    Chromaticities { red: [0.708, 0.292], green: [0.170, 0.797], blue: [0.131, 0.046], white: D65 };

/// DCI-P3 primaries with a D65 white (SMPTE EG 432-1; Apple Display P3).
pub const P3_D65: Chromaticities =
    Chromaticities { red: [0.680, 0.320], green: [0.265, 0.690], blue: [0.150, 0.060], white: D65 };

/// ACES AP0 primaries (SMPTE ST 2065-1), the ACES2065-1 gamut.
pub const ACES_AP0: Chromaticities =
    Chromaticities { red: [0.7347, 0.2653], green: [0.0000, 1.0000], blue: [0.0001, -0.0770], white: D60_ACES };

/// ACES AP1 primaries (Academy S-2014-004), the ACEScg / ACEScct gamut.
pub const ACES_AP1: Chromaticities =
    Chromaticities { red: [0.713, 0.293], green: [0.165, 0.830], blue: [0.128, 0.044], white: D60_ACES };

/// ARRI Wide Gamut 3 (ARRI "ALEXA LogC Curve - Usage in VFX", 2017).
pub const ARRI_WIDE_GAMUT_3: Chromaticities =
    Chromaticities { red: [0.6840, 0.3130], green: [0.2210, 0.8480], blue: [0.0861, -0.1020], white: D65 };

/// ARRI Wide Gamut 4 (ARRI "LogC4 Logarithmic Color Space Specification", 2022).
pub const ARRI_WIDE_GAMUT_4: Chromaticities =
    Chromaticities { red: [0.7347, 0.2653], green: [0.1424, 0.8576], blue: [0.0991, -0.0308], white: D65 };

/// Sony S-Gamut3.Cine (Sony "Technical Summary for S-Gamut3.Cine/S-Log3 and S-Gamut3/S-Log3").
pub const S_GAMUT3_CINE: Chromaticities =
    Chromaticities { red: [0.766, 0.275], green: [0.225, 0.800], blue: [0.089, -0.087], white: D65 };

/// Panasonic V-Gamut (Panasonic "V-Log/V-Gamut Reference Manual", 2014).
pub const V_GAMUT: Chromaticities =
    Chromaticities { red: [0.730, 0.280], green: [0.165, 0.840], blue: [0.100, -0.030], white: D65 };

/// Canon Cinema Gamut (Canon "Cinema Gamut" white paper, as in OpenColorIO's `CanonCameras.cpp`).
pub const CINEMA_GAMUT: Chromaticities =
    Chromaticities { red: [0.7400, 0.2700], green: [0.1700, 1.1400], blue: [0.0800, -0.1000], white: D65 };

/// RED REDWideGamutRGB (RED "REDWideGamutRGB and Log3G10" white paper, 2017).
pub const RED_WIDE_GAMUT_RGB: Chromaticities =
    Chromaticities { red: [0.780308, 0.304253], green: [0.121595, 1.493994], blue: [0.095612, -0.084589], white: D65 };

/// DaVinci Wide Gamut (Blackmagic "DaVinci Wide Gamut Intermediate" document, 2020).
pub const DAVINCI_WIDE_GAMUT: Chromaticities =
    Chromaticities { red: [0.8000, 0.3130], green: [0.1682, 0.9877], blue: [0.0790, -0.1155], white: D65 };

/// How a matrix between two RGB spaces with different whites adapts the white.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cat {
    /// No adaptation: XYZ is carried over unchanged (the source white will look tinted).
    None,
    /// Bradford von Kries adaptation (Lam 1985; used by ICC, ACES CTL and OCIO's display built-ins).
    Bradford,
    /// CAT02 von Kries adaptation (CIE 159:2004; used by OCIO's ARRI, Sony, Canon built-ins).
    Cat02,
}

/// Bradford cone response matrix (XYZ → "sharpened" RGB), Lam 1985 as tabulated by Lindbloom.
const BRADFORD: Mat3 = [[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]];

/// CAT02 cone response matrix (XYZ → RGB), CIE 159:2004 (CIECAM02).
const CAT02: Mat3 = [[0.7328, 0.4296, -0.1624], [-0.7036, 1.6975, 0.0061], [0.0030, 0.0136, 0.9834]];

/// XYZ of a white given by its xy chromaticity, normalised to Y = 1.
pub fn white_xyz(xy: [f64; 2]) -> [f64; 3] {
    [xy[0] / xy[1], 1.0, (1.0 - xy[0] - xy[1]) / xy[1]]
}

/// Product `a · b` of two 3x3 matrices.
pub fn mul3(a: &Mat3, b: &Mat3) -> Mat3 {
    let mut m = [[0.0; 3]; 3];
    for (r, row) in m.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            *v = (0..3).map(|k| a[r][k] * b[k][c]).sum();
        }
    }
    m
}

/// Matrix-vector product `m · v`.
pub fn mul3_vec(m: &Mat3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|r| m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2])
}

/// Inverse of a 3x3 matrix by cofactors, or `None` when it is singular.
pub fn invert3(m: &Mat3) -> Option<Mat3> {
    let cof = |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    let adj = [
        [cof(1, 2, 1, 2), -cof(0, 2, 1, 2), cof(0, 1, 1, 2)],
        [-cof(1, 2, 0, 2), cof(0, 2, 0, 2), -cof(0, 1, 0, 2)],
        [cof(1, 2, 0, 1), -cof(0, 2, 0, 1), cof(0, 1, 0, 1)],
    ];
    let det = m[0][0] * adj[0][0] + m[0][1] * adj[1][0] + m[0][2] * adj[2][0];
    // Singular up to rounding: |det| tiny against the size of the entries.
    let scale = m.iter().flatten().fold(0.0_f64, |a, v| a.max(v.abs()));
    if !det.is_finite() || det.abs() <= 1e-12 * scale * scale * scale {
        return None;
    }
    Some(adj.map(|row| row.map(|v| v / det)))
}

/// Rounds an f64 matrix to f32.
pub fn to_f32(m: &Mat3) -> [[f32; 3]; 3] {
    m.map(|row| row.map(|v| v as f32))
}

/// RGB→XYZ (Y of white = 1) for a set of primaries, SMPTE RP 177 section 3.3.
///
/// Collinear primaries have no such matrix; the result is then all NaN.
pub fn rgb_to_xyz_matrix(c: &Chromaticities) -> Mat3 {
    let z = |xy: [f64; 2]| 1.0 - xy[0] - xy[1];
    let primaries =
        [[c.red[0], c.green[0], c.blue[0]], [c.red[1], c.green[1], c.blue[1]], [z(c.red), z(c.green), z(c.blue)]];
    let Some(inverse) = invert3(&primaries) else {
        return [[f64::NAN; 3]; 3];
    };
    // Scale each primary so that R = G = B = 1 sums to the white (RP 177 eq. 3.3-4).
    let gains = mul3_vec(&inverse, white_xyz(c.white));
    primaries.map(|row| [row[0] * gains[0], row[1] * gains[1], row[2] * gains[2]])
}

/// XYZ→RGB for a set of primaries: the inverse of [`rgb_to_xyz_matrix`] (NaN when degenerate).
pub fn xyz_to_rgb_matrix(c: &Chromaticities) -> Mat3 {
    invert3(&rgb_to_xyz_matrix(c)).unwrap_or([[f64::NAN; 3]; 3])
}

/// Von Kries adaptation in XYZ from white `src` to white `dst` (both XYZ) with the given CAT.
///
/// `M⁻¹ · diag(M·dst / M·src) · M` with M the cone response matrix (Lindbloom, "Chromatic Adaptation").
pub fn adaptation_matrix_xyz(src: [f64; 3], dst: [f64; 3], cat: Cat) -> Mat3 {
    let cone = match cat {
        Cat::None => return IDENTITY,
        Cat::Bradford => BRADFORD,
        Cat::Cat02 => CAT02,
    };
    let Some(cone_inv) = invert3(&cone) else {
        return [[f64::NAN; 3]; 3];
    };
    let s = mul3_vec(&cone, src);
    let d = mul3_vec(&cone, dst);
    let scale = [[d[0] / s[0], 0.0, 0.0], [0.0, d[1] / s[1], 0.0], [0.0, 0.0, d[2] / s[2]]];
    mul3(&cone_inv, &mul3(&scale, &cone))
}

/// Von Kries adaptation in XYZ from white `src` to white `dst` (both xy); identity when they are equal.
pub fn adaptation_matrix(src: [f64; 2], dst: [f64; 2], cat: Cat) -> Mat3 {
    if src == dst {
        return IDENTITY;
    }
    adaptation_matrix_xyz(white_xyz(src), white_xyz(dst), cat)
}

/// RGB→RGB between two sets of primaries in f64, adapting the white with `cat` when whites differ.
///
/// Same construction as OpenColorIO's `build_conversion_matrix`: src RGB→XYZ, adapt, XYZ→dst RGB.
pub fn rgb_to_rgb_matrix_f64(src: &Chromaticities, dst: &Chromaticities, cat: Cat) -> Mat3 {
    let adapt = adaptation_matrix(src.white, dst.white, cat);
    mul3(&xyz_to_rgb_matrix(dst), &mul3(&adapt, &rgb_to_xyz_matrix(src)))
}

/// RGB→RGB between two sets of primaries, computed in f64 and rounded to f32.
pub fn rgb_to_rgb_matrix(src: &Chromaticities, dst: &Chromaticities, cat: Cat) -> [[f32; 3]; 3] {
    to_f32(&rgb_to_rgb_matrix_f64(src, dst, cat))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(a: &Mat3, b: &Mat3, tol: f64, what: &str) {
        for r in 0..3 {
            for c in 0..3 {
                let d = (a[r][c] - b[r][c]).abs();
                assert!(d <= tol, "{what}[{r}][{c}]: {} vs {} (|d| {d:e})", a[r][c], b[r][c]);
            }
        }
    }

    #[test]
    fn ap0_to_xyz_matches_st2065_1() {
        // SMPTE ST 2065-1:2012, section 4.3 (NPM of AP0).
        let published =
            [[0.9525523959, 0.0, 0.0000936786], [0.3439664498, 0.7281660966, -0.0721325464], [0.0, 0.0, 1.0088251844]];
        assert_close(&rgb_to_xyz_matrix(&ACES_AP0), &published, 1e-9, "AP0");
    }

    #[test]
    fn awg3_to_xyz_matches_arri_logc3_paper() {
        // ARRI "ALEXA LogC Curve - Usage in VFX" (2017), "ALEXA Wide Gamut RGB to XYZ".
        let published =
            [[0.638008, 0.214704, 0.097744], [0.291954, 0.823841, -0.115795], [0.002798, -0.067034, 1.153294]];
        assert_close(&rgb_to_xyz_matrix(&ARRI_WIDE_GAMUT_3), &published, 1e-6, "AWG3");
    }

    #[test]
    fn rec709_to_xyz_matches_srgb_standard() {
        // IEC 61966-2-1 (sRGB) rounded to 4 decimals; the exact RP 177 result is within 5e-5.
        let published = [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]];
        assert_close(&rgb_to_xyz_matrix(&REC709), &published, 5e-5, "Rec.709");
    }

    #[test]
    fn bradford_d50_to_d65_matches_lindbloom() {
        // Bruce Lindbloom, "Chromatic Adaptation", Bradford D50 → D65 with his white XYZ values.
        let published = [
            [0.9555766, -0.0230393, 0.0631636],
            [-0.0282895, 1.0099416, 0.0210077],
            [0.0122982, -0.0204830, 1.3299098],
        ];
        let m = adaptation_matrix_xyz([0.96422, 1.0, 0.82521], [0.95047, 1.0, 1.08883], Cat::Bradford);
        assert_close(&m, &published, 5e-7, "Bradford");
    }

    #[test]
    fn inverse_round_trips_and_singular_is_none() {
        let m = rgb_to_xyz_matrix(&DAVINCI_WIDE_GAMUT);
        let inv = invert3(&m).expect("invertible");
        assert_close(&mul3(&m, &inv), &IDENTITY, 1e-12, "m·m⁻¹");
        assert!(invert3(&[[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.0, 0.0, 1.0]]).is_none());
        let degenerate = Chromaticities { red: [0.1, 0.1], green: [0.2, 0.2], blue: [0.3, 0.3], white: D65 };
        assert!(rgb_to_xyz_matrix(&degenerate)[0][0].is_nan());
    }

    #[test]
    fn same_white_needs_no_adaptation() {
        let a = rgb_to_rgb_matrix_f64(&REC709, &REC2020, Cat::Bradford);
        let b = rgb_to_rgb_matrix_f64(&REC709, &REC2020, Cat::None);
        assert_eq!(a, b);
        // White maps to white.
        let w = mul3_vec(&rgb_to_rgb_matrix_f64(&V_GAMUT, &ACES_AP0, Cat::Cat02), [1.0; 3]);
        for v in w {
            assert!((v - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn matches_colour_science() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/color/matrices.json");
        let text = std::fs::read_to_string(path).expect("matrices.json");
        let data: serde_json::Value = serde_json::from_str(&text).expect("valid json");
        let gamut = |name: &str| -> Chromaticities {
            match name {
                "rec709" => REC709,
                "rec2020" => REC2020,
                "p3-d65" => P3_D65,
                "aces-ap0" => ACES_AP0,
                "aces-ap1" => ACES_AP1,
                "awg3" => ARRI_WIDE_GAMUT_3,
                "awg4" => ARRI_WIDE_GAMUT_4,
                "sgamut3cine" => S_GAMUT3_CINE,
                "vgamut" => V_GAMUT,
                "cinema-gamut" => CINEMA_GAMUT,
                "rwg" => RED_WIDE_GAMUT_RGB,
                "dwg" => DAVINCI_WIDE_GAMUT,
                other => panic!("unknown gamut {other}"),
            }
        };
        let mat = |v: &serde_json::Value| -> Mat3 {
            let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).expect("3x3");
            [0, 1, 2].map(|r| [0, 1, 2].map(|c| rows[r][c]))
        };
        let to_xyz = data["rgb_to_xyz"].as_object().expect("rgb_to_xyz");
        assert_eq!(to_xyz.len(), 12);
        for (name, m) in to_xyz {
            assert_close(&rgb_to_xyz_matrix(&gamut(name)), &mat(m), 1e-12, name);
        }
        for case in data["rgb_to_rgb"].as_array().expect("rgb_to_rgb") {
            let (src, dst) = (case["src"].as_str().unwrap(), case["dst"].as_str().unwrap());
            let cat = match case["cat"].as_str().unwrap() {
                "Bradford" => Cat::Bradford,
                "CAT02" => Cat::Cat02,
                other => panic!("unknown CAT {other}"),
            };
            let ours = rgb_to_rgb_matrix_f64(&gamut(src), &gamut(dst), cat);
            assert_close(&ours, &mat(&case["matrix"]), 1e-12, &format!("{src}->{dst} {cat:?}"));
        }
    }
}
