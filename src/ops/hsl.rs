//! Hue and saturation as the curves and the qualifier read them: the Rust twin of `hue_saturation`
//! and `from_hue` in `shaders/common.wgsl`, written operation for operation so CPU and GPU agree.
//!
//! Hue is the hexcone hue of HSV (Smith 1978) in turns (0..1: red 0, yellow 1/6, green 1/3, cyan 1/2,
//! blue 2/3, magenta 5/6); saturation is (max − min) / max clamped to 0..1. Both are defined for any
//! working value, negatives and values above 1 included; greys have hue and saturation 0.

/// Rec.709 luma weights, the luma every curve and qualifier measures.
pub const LUMA_WEIGHTS: [f32; 3] = [0.2126, 0.7152, 0.0722];

/// Rec.709 luma of an RGB value.
pub fn luma(rgb: [f32; 3]) -> f32 {
    rgb[0] * LUMA_WEIGHTS[0] + rgb[1] * LUMA_WEIGHTS[1] + rgb[2] * LUMA_WEIGHTS[2]
}

/// (hue in turns, saturation) of an RGB value.
pub fn hue_saturation(rgb: [f32; 3]) -> [f32; 2] {
    let [r, g, b] = rgb;
    let hi = r.max(g.max(b));
    let lo = r.min(g.min(b));
    let chroma = hi - lo;
    if chroma <= 0.0 {
        return [0.0, 0.0];
    }
    let h = if hi == r {
        let h = (g - b) / chroma;
        if h < 0.0 { h + 6.0 } else { h }
    } else if hi == g {
        (b - r) / chroma + 2.0
    } else {
        (r - g) / chroma + 4.0
    };
    let s = (chroma / hi.max(1e-6)).clamp(0.0, 1.0);
    [h / 6.0, s]
}

/// WGSL's `fract`: x − floor(x).
pub fn fract(x: f32) -> f32 {
    x - x.floor()
}

/// The RGB value with hue `h` (wraps) whose largest and smallest channels are `hi` and `lo`.
pub fn from_hue(h: f32, hi: f32, lo: f32) -> [f32; 3] {
    let h6 = fract(h) * 6.0;
    let shape = [
        ((h6 - 3.0).abs() - 1.0).clamp(0.0, 1.0),
        (2.0 - (h6 - 2.0).abs()).clamp(0.0, 1.0),
        (2.0 - (h6 - 4.0).abs()).clamp(0.0, 1.0),
    ];
    shape.map(|s| lo + (hi - lo) * s)
}

/// An 8-bit sRGB swatch of hue `h` (full saturation, display level), for hue strips in editors.
pub fn hue_swatch(h: f32) -> [u8; 3] {
    from_hue(h, 0.85, 0.1).map(|v| (v * 255.0).round() as u8)
}

/// An 8-bit swatch of saturation `s` (0..1) of an orange at display level, for saturation strips.
pub fn saturation_swatch(s: f32) -> [u8; 3] {
    from_hue(0.08, 0.85, 0.85 * (1.0 - s.clamp(0.0, 1.0))).map(|v| (v * 255.0).round() as u8)
}

/// WGSL's `smoothstep(e0, e1, x)` for e0 < e1, written as the shaders write it.
pub fn smoothstep(e0: f32, e1: f32, x: f32) -> f32 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primaries_and_secondaries_land_on_their_hues() {
        let cases = [
            ([1.0, 0.0, 0.0], 0.0),
            ([1.0, 1.0, 0.0], 1.0 / 6.0),
            ([0.0, 1.0, 0.0], 2.0 / 6.0),
            ([0.0, 1.0, 1.0], 3.0 / 6.0),
            ([0.0, 0.0, 1.0], 4.0 / 6.0),
            ([1.0, 0.0, 1.0], 5.0 / 6.0),
        ];
        for (rgb, hue) in cases {
            let [h, s] = hue_saturation(rgb);
            assert!((h - hue).abs() < 1e-6 && s == 1.0, "{rgb:?}: {h} {s}");
        }
        assert_eq!(hue_saturation([0.4, 0.4, 0.4]), [0.0, 0.0]);
    }

    #[test]
    fn from_hue_inverts_hue_saturation() {
        for rgb in [[0.8, 0.3, 0.1], [0.2, 0.9, 0.5], [0.1, 0.2, 0.7], [1.5, -0.1, 0.6], [0.3, 0.3, 0.9]] {
            let [h, _] = hue_saturation(rgb);
            let hi = rgb.iter().copied().fold(f32::MIN, f32::max);
            let lo = rgb.iter().copied().fold(f32::MAX, f32::min);
            let back = from_hue(h, hi, lo);
            for c in 0..3 {
                assert!((back[c] - rgb[c]).abs() < 1e-5, "{rgb:?} -> {back:?}");
            }
        }
    }
}
