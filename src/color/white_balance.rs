//! White balance as a chromatic adaptation: the light a shot was lit by (a correlated colour temperature
//! plus a tint off the Planckian locus) is adapted to the reference white with the Bradford transform.

/// Reference temperature in kelvin: a white balance of (6500 K, tint 0) is the identity.
pub const NEUTRAL_TEMPERATURE: f32 = 6500.0;
/// Range of temperatures the Krystek approximation covers (Krystek 1985: 1000 K to 15000 K).
pub const TEMPERATURE_RANGE: (f32, f32) = (1000.0, 15000.0);

use super::space::ColorSpace;
use super::spaces::{
    Cat, IDENTITY, Mat3, REC709, adaptation_matrix_xyz, mul3, rgb_to_xyz_matrix, to_f32, white_xyz, xyz_to_rgb_matrix,
};

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

/// The linear Rec.709 matrix that white-balances a shot lit by (`kelvin`, `tint`) to neutral.
///
/// `tint` is in thousandths of Duv: positive means the light was greener than a black body, so the
/// correction pushes the picture towards magenta. (6500, 0) gives exactly the identity. The matrix
/// math (RP 177 RGB→XYZ, Bradford) is `spaces.rs`'s, in f64, rounded to f32 at the end.
pub fn white_balance_matrix(kelvin: f32, tint: f32) -> [[f32; 3]; 3] {
    to_f32(&white_balance_matrix_f64(kelvin, tint))
}

/// [`white_balance_matrix`] in f64.
fn white_balance_matrix_f64(kelvin: f32, tint: f32) -> Mat3 {
    let kelvin = kelvin.clamp(TEMPERATURE_RANGE.0, TEMPERATURE_RANGE.1);
    if kelvin == NEUTRAL_TEMPERATURE && tint == 0.0 {
        return IDENTITY;
    }
    let src = white_xyz(cct_duv_to_xy(kelvin as f64, tint as f64 / 1000.0));
    let dst = white_xyz(cct_duv_to_xy(NEUTRAL_TEMPERATURE as f64, 0.0));
    let to_xyz = rgb_to_xyz_matrix(&REC709);
    let adapt = adaptation_matrix_xyz(src, dst, Cat::Bradford);
    mul3(&xyz_to_rgb_matrix(&REC709), &mul3(&adapt, &to_xyz))
}

/// [`white_balance_matrix`] for linear RGB of the working space `working` (`None`: linear Rec.709):
/// the working light converted to linear Rec.709 as the colour pipeline converts it (OpenColorIO's
/// chromatic adaptations included, so the working space's white stays neutral), balanced there, and
/// converted back. In every working space the same light thus comes out neutral.
pub fn white_balance_in(kelvin: f32, tint: f32, working: Option<ColorSpace>) -> [[f32; 3]; 3] {
    let wb = white_balance_matrix_f64(kelvin, tint);
    let Some(space) = working.filter(|s| s.gamut() != &REC709) else {
        return to_f32(&wb);
    };
    if wb == IDENTITY {
        return to_f32(&IDENTITY);
    }
    let (to709, from709) = (space.matrix_to(ColorSpace::LinearRec709), ColorSpace::LinearRec709.matrix_to(space));
    to_f32(&mul3(&from709, &mul3(&wb, &to709)))
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

    /// The locus and the Duv offset against colour-science (`tests/data/color/make_matrices.py`).
    #[test]
    fn cct_and_duv_match_colour_science() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/color/matrices.json");
        let text = std::fs::read_to_string(path).expect("matrices.json");
        let data: serde_json::Value = serde_json::from_str(&text).expect("valid json");
        let cases = data["cct"].as_array().expect("cct");
        assert!(!cases.is_empty());
        for case in cases {
            let (t, duv) = (case["kelvin"].as_f64().unwrap(), case["duv"].as_f64().unwrap());
            let krystek: Vec<f64> = serde_json::from_value(case["krystek_xy"].clone()).unwrap();
            let ohno: Vec<f64> = serde_json::from_value(case["ohno_offset_xy"].clone()).unwrap();
            let base = cct_duv_to_xy(t, 0.0);
            let xy = cct_duv_to_xy(t, duv);
            for i in 0..2 {
                // The locus itself is exactly colour's Krystek 1985.
                assert!((base[i] - krystek[i]).abs() < 1e-12, "{t} K: {base:?} vs {krystek:?}");
                // The Duv offset agrees with Ohno 2013's, whose normal is that of Planck's law: the
                // Krystek locus' normal differs from it by up to 1.6° (at 15000 K).
                // Measured: at most 5.2 % of the offset (at 15000 K), so 6 % is the bound; a Duv
                // mis-scaled by a tenth, or in the wrong unit, is far outside it.
                let offset = xy[i] - base[i];
                let tol = 0.06 * duv.abs() + 1e-12;
                assert!((offset - ohno[i]).abs() <= tol, "{t} K {duv}: {offset} vs {}", ohno[i]);
            }
        }
    }
}
