//! White balance as a chromatic adaptation: the light a shot was lit by (a correlated colour temperature
//! plus a tint off the Planckian locus) is adapted to the reference white with the Bradford transform.

/// Reference temperature in kelvin: a white balance of (6500 K, tint 0) is the identity.
pub const NEUTRAL_TEMPERATURE: f32 = 6500.0;
/// Range of temperatures the Krystek approximation covers (Krystek 1985: 1000 K to 15000 K).
pub const TEMPERATURE_RANGE: (f32, f32) = (1000.0, 15000.0);

/// CIE 1960 (u, v) of a Planckian radiator, Krystek (1985), "An algorithm to calculate correlated
/// colour temperature", Color Research & Application 10(1), eq. (1)-(2); accurate to 1e-5 in uv.
pub fn planckian_uv(kelvin: f64) -> [f64; 2] {
    let t = kelvin;
    let u =
        (0.860117757 + 1.54118254e-4 * t + 1.28641212e-7 * t * t) / (1.0 + 8.42420235e-4 * t + 7.08145163e-7 * t * t);
    let v =
        (0.317398726 + 4.22806245e-5 * t + 4.20481691e-8 * t * t) / (1.0 - 2.89741816e-5 * t + 1.61456053e-7 * t * t);
    [u, v]
}

/// CIE 1931 xy of the white at `kelvin`, moved `duv` along the normal to the Planckian locus in CIE 1960
/// uv (positive Duv lies above the locus, towards green), as in ANSI C78.377.
pub fn cct_duv_to_xy(kelvin: f64, duv: f64) -> [f64; 2] {
    let [u0, v0] = planckian_uv(kelvin);
    // The locus tangent by central difference; its normal, turned towards +v, gives the Duv direction.
    let [u1, v1] = planckian_uv(kelvin - 0.5);
    let [u2, v2] = planckian_uv(kelvin + 0.5);
    let (du, dv) = (u2 - u1, v2 - v1);
    let len = (du * du + dv * dv).sqrt();
    let (nu, nv) = if dv.abs() < 1e-15 && du.abs() < 1e-15 {
        (0.0, 1.0)
    } else {
        // Tangent runs towards lower v as T rises past ~1900 K; the normal (-dv, du) then points up.
        let (nu, nv) = (-dv / len, du / len);
        if nv < 0.0 { (-nu, -nv) } else { (nu, nv) }
    };
    let (u, v) = (u0 + duv * nu, v0 + duv * nv);
    // CIE 1960 uv to CIE 1931 xy.
    let d = 2.0 * u - 8.0 * v + 4.0;
    [3.0 * u / d, 2.0 * v / d]
}

/// XYZ (Y = 1) of a white given by its xy chromaticity.
pub fn xy_to_xyz(xy: [f64; 2]) -> [f64; 3] {
    [xy[0] / xy[1], 1.0, (1.0 - xy[0] - xy[1]) / xy[1]]
}

/// Bradford cone-response matrix (Lam 1985; as published by Lindbloom and in ICC v4 Annex E).
pub const BRADFORD: [[f64; 3]; 3] = [[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]];

/// Linear Rec.709 / sRGB primaries, D65, to CIE XYZ (IEC 61966-2-1 / ITU-R BT.709, derived in f64).
pub const REC709_TO_XYZ: [[f64; 3]; 3] = [
    [0.412_390_799_265_959_5, 0.357_584_339_383_878, 0.180_480_788_401_834_3],
    [0.212_639_005_871_510_36, 0.715_168_678_767_756, 0.072_192_315_360_733_71],
    [0.019_330_818_715_591_85, 0.119_194_779_794_625_99, 0.950_532_152_249_660_7],
];

/// Von Kries adaptation in XYZ from `src` white to `dst` white with the Bradford cone space.
pub fn bradford_adaptation(src: [f64; 3], dst: [f64; 3]) -> [[f64; 3]; 3] {
    let s = mat_vec(BRADFORD, src);
    let d = mat_vec(BRADFORD, dst);
    let scale = [[d[0] / s[0], 0.0, 0.0], [0.0, d[1] / s[1], 0.0], [0.0, 0.0, d[2] / s[2]]];
    mat_mul(invert3(BRADFORD), mat_mul(scale, BRADFORD))
}

/// The linear Rec.709 matrix that white-balances a shot lit by (`kelvin`, `tint`) to neutral.
///
/// `tint` is in thousandths of Duv: positive means the light was greener than a black body, so the
/// correction pushes the picture towards magenta. (6500, 0) gives exactly the identity.
pub fn white_balance_matrix(kelvin: f32, tint: f32) -> [[f32; 3]; 3] {
    let identity = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let kelvin = kelvin.clamp(TEMPERATURE_RANGE.0, TEMPERATURE_RANGE.1);
    if kelvin == NEUTRAL_TEMPERATURE && tint == 0.0 {
        return identity;
    }
    let src = xy_to_xyz(cct_duv_to_xy(kelvin as f64, tint as f64 / 1000.0));
    let dst = xy_to_xyz(cct_duv_to_xy(NEUTRAL_TEMPERATURE as f64, 0.0));
    let m = mat_mul(invert3(REC709_TO_XYZ), mat_mul(bradford_adaptation(src, dst), REC709_TO_XYZ));
    m.map(|row| row.map(|v| v as f32))
}

/// 3x3 matrix product `a * b`.
pub fn mat_mul(a: [[f64; 3]; 3], b: [[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let mut out = [[0.0; 3]; 3];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    out
}

/// 3x3 matrix times a column vector.
pub fn mat_vec(m: [[f64; 3]; 3], v: [f64; 3]) -> [f64; 3] {
    m.map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
}

/// Inverse of a 3x3 matrix by cofactors (the matrices here are well conditioned colour matrices).
pub fn invert3(m: [[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let c = |r0: usize, c0: usize, r1: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    let cof = [
        [c(1, 1, 2, 2), -c(1, 0, 2, 2), c(1, 0, 2, 1)],
        [-c(0, 1, 2, 2), c(0, 0, 2, 2), -c(0, 0, 2, 1)],
        [c(0, 1, 1, 2), -c(0, 0, 1, 2), c(0, 0, 1, 1)],
    ];
    let det = m[0][0] * cof[0][0] + m[0][1] * cof[0][1] + m[0][2] * cof[0][2];
    let mut inv = [[0.0; 3]; 3];
    for (i, row) in inv.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = cof[j][i] / det;
        }
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krystek_matches_colour_science() {
        // colour.temperature.CCT_to_uv_Krystek1985(6504) and (2856, illuminant A's CCT).
        let [u, v] = planckian_uv(6504.0);
        assert!((u - 0.20047404).abs() < 1e-7 && (v - 0.31029562).abs() < 1e-7, "{u} {v}");
        let [u, v] = planckian_uv(2856.0);
        assert!((u - 0.25588597).abs() < 1e-7 && (v - 0.34962249).abs() < 1e-7, "{u} {v}");
    }

    #[test]
    fn bradford_d50_to_d65_matches_lindbloom() {
        // Bruce Lindbloom, "Chromatic Adaptation", Bradford D50 -> D65 (XYZ whites from ASTM E308).
        let d50 = [0.96422, 1.0, 0.82521];
        let d65 = [0.95047, 1.0, 1.08883];
        let m = bradford_adaptation(d50, d65);
        let expected = [
            [0.9555766, -0.0230393, 0.0631636],
            [-0.0282895, 1.0099416, 0.0210077],
            [0.0122982, -0.0204830, 1.3299098],
        ];
        for i in 0..3 {
            for j in 0..3 {
                assert!((m[i][j] - expected[i][j]).abs() < 2e-7, "{i},{j}: {}", m[i][j]);
            }
        }
    }

    #[test]
    fn neutral_is_identity_and_warm_light_cools_the_picture() {
        let id = white_balance_matrix(6500.0, 0.0);
        assert_eq!(id, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);
        // A shot lit by tungsten (3200 K) is corrected towards blue: blue gains, red loses.
        let m = white_balance_matrix(3200.0, 0.0);
        let grey = m.map(|row| row.iter().sum::<f32>());
        assert!(grey[2] > 1.2 && grey[0] < 0.9, "{grey:?}");
        // A green light (positive tint) is corrected towards magenta: green loses.
        let m = white_balance_matrix(6500.0, 10.0);
        let grey = m.map(|row| row.iter().sum::<f32>());
        assert!(grey[1] < grey[0] && grey[1] < grey[2], "{grey:?}");
    }
}
