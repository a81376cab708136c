//! Display rendering: the tone curve that takes scene-linear light to display-linear light.
//!
//! The curve is the Michaelis–Menten "spring" with a flare toe published by Daniele Siragusano and
//! adopted as the ACES 2.0 Output Transform tonescale (ACES 2.0 CTL `Lib.Academy.Tonescale`):
//!
//! ```text
//! f(x) = m · (x / (x + s))^c        compression: a power of a hyperbola, asymptote m
//! h(f) = f² / (f + t)               toe / flare: quadratic near black, slope → 1 in the highlights
//! ```
//!
//! applied per channel in the display's gamut, odd-symmetric for negative values. Why this one:
//! - It is what colorists now see as the ACES 2.0 default, so it is a familiar starting point.
//! - It is smooth, strictly increasing, and `h(f(x)) → m²/(m + t) = peak` only as x → ∞: highlights
//!   roll off towards display white without a hard clip (scene 99 ≈ 0.99 of peak for SDR).
//! - Both stages invert in closed form: `f = (y + √(y(y + 4t))) / 2`, then
//!   `x = s·q / (1 − q)` with `q = (f/m)^(1/c)`.
//! - Per-channel application desaturates bright saturated colours as the brightest channel
//!   approaches peak and the others catch up: a mild path to white with no extra hue model.
//!
//! `m` and `s` are solved so that the curve's asymptote is the display peak and scene 0.18 lands on
//! [`ToneMap::grey`]. Defaults: contrast 1.15 and flare 0.04 as in ACES 2.0; SDR grey 0.11
//! display-linear, i.e. code 0.40 on a BT.1886 (2.4) display and 0.37 in sRGB, close to where ARRI's
//! and ACES' renderings put 18% grey; HDR grey rises with peak by ACES 2.0's rule
//! `grey · (1 + 0.14 · log2(peak / 100 nits))`.

use serde::{Deserialize, Serialize};

/// Scene-linear value the inverse returns at and above the curve's asymptote (half-float maximum).
pub const SCENE_MAX: f32 = 65504.0;

/// Scene-linear mid grey.
pub const SCENE_GREY: f32 = 0.18;

/// User-facing parameters of the display rendering curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToneMap {
    /// Display peak, display-linear (1.0 = 100 nits): the curve's asymptote.
    pub peak: f32,
    /// Display-linear value scene 0.18 lands on.
    pub grey: f32,
    /// Mid-tone contrast exponent c (ACES 2.0: 1.15).
    pub contrast: f32,
    /// Flare / toe strength t (ACES 2.0: 0.04); 0 disables the toe.
    pub toe: f32,
}

/// Why a [`ToneMap`] has no curve.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum ToneMapError {
    /// The peak is not a positive finite number.
    #[error("tone map peak must be positive and finite, got {0}")]
    Peak(f32),
    /// Grey is not strictly between 0 and the peak.
    #[error("tone map grey must be between 0 and the peak ({peak}), got {grey}")]
    Grey {
        /// The requested grey.
        grey: f32,
        /// The requested peak.
        peak: f32,
    },
    /// The contrast is not a positive finite number.
    #[error("tone map contrast must be positive and finite, got {0}")]
    Contrast(f32),
    /// The toe is negative or not finite.
    #[error("tone map toe must be zero or positive and finite, got {0}")]
    Toe(f32),
}

impl ToneMap {
    /// The SDR default: 100-nit peak, grey at 0.11, contrast 1.15, flare 0.04.
    pub const SDR: ToneMap = ToneMap { peak: 1.0, grey: 0.11, contrast: 1.15, toe: 0.04 };

    /// Defaults for a display of `nits` peak (clamped to 100–10000; NaN means 100).
    pub fn for_peak_nits(nits: f32) -> ToneMap {
        let nits = if nits.is_nan() { 100.0 } else { nits.clamp(100.0, 10000.0) };
        let peak = nits / 100.0;
        ToneMap { peak, grey: Self::SDR.grey * (1.0 + 0.14 * peak.log2()), ..Self::SDR }
    }

    /// Solves the curve constants, or says which parameter is out of range.
    pub fn solve(&self) -> Result<ToneCurve, ToneMapError> {
        let ToneMap { peak, grey, contrast, toe } = *self;
        if !(peak.is_finite() && peak > 0.0) {
            return Err(ToneMapError::Peak(peak));
        }
        if !(grey > 0.0 && grey < peak) {
            return Err(ToneMapError::Grey { grey, peak });
        }
        if !(contrast.is_finite() && contrast > 0.0) {
            return Err(ToneMapError::Contrast(contrast));
        }
        if !(toe.is_finite() && toe >= 0.0) {
            return Err(ToneMapError::Toe(toe));
        }
        let (peak, grey, c, t) = (f64::from(peak), f64::from(grey), f64::from(contrast), f64::from(toe));
        // h⁻¹: the f giving display value y; m is h⁻¹(peak) because h(m) is the asymptote.
        let toe_inverse = |y: f64| 0.5 * (y + (y * (y + 4.0 * t)).sqrt());
        let m = toe_inverse(peak);
        // Solve f(0.18) = h⁻¹(grey) for s: 0.18 / (0.18 + s) = q.
        let q = (toe_inverse(grey) / m).powf(1.0 / c);
        let grey_in = f64::from(SCENE_GREY);
        let s = grey_in * (1.0 - q) / q;
        Ok(ToneCurve { m: m as f32, s: s as f32, contrast, toe })
    }
}

impl Default for ToneMap {
    fn default() -> Self {
        Self::SDR
    }
}

/// Solved tone curve constants, in the order the shader reads them (`tone` in `ConversionUniform`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ToneCurve {
    /// Asymptote of the compression stage, before the toe.
    pub m: f32,
    /// Half-compression point of the hyperbola (scene-linear).
    pub s: f32,
    /// Mid-tone contrast exponent.
    pub contrast: f32,
    /// Flare / toe strength.
    pub toe: f32,
}

impl ToneCurve {
    /// The curve for a display of `nits` peak with default parameters (infallible).
    pub fn for_peak_nits(nits: f32) -> ToneCurve {
        // Defaults are valid by construction; the fallback is the SDR curve's literal constants.
        ToneMap::for_peak_nits(nits).solve().unwrap_or(ToneCurve {
            m: 1.038_516_5,
            s: 0.840_713,
            contrast: 1.15,
            toe: 0.04,
        })
    }

    /// The SDR (100-nit) curve with default parameters.
    pub fn sdr() -> ToneCurve {
        Self::for_peak_nits(100.0)
    }

    /// The display-linear asymptote, `m² / (m + t)`.
    pub fn peak(&self) -> f32 {
        self.m * self.m / (self.m + self.toe)
    }

    /// Scene-linear → display-linear; odd-symmetric, strictly increasing, below [`Self::peak`].
    pub fn forward(&self, x: f32) -> f32 {
        let a = x.abs().min(f32::MAX);
        if a <= 0.0 {
            return 0.0;
        }
        let f = self.m * (a / (a + self.s)).powf(self.contrast);
        (f * f / (f + self.toe)).copysign(x)
    }

    /// Display-linear → scene-linear, the exact inverse of [`Self::forward`] below the peak.
    ///
    /// At or beyond the peak (where no scene value maps) it returns ±[`SCENE_MAX`].
    pub fn inverse(&self, y: f32) -> f32 {
        let b = y.abs();
        if b <= 0.0 {
            return 0.0;
        }
        if b >= self.peak() {
            return SCENE_MAX.copysign(y);
        }
        let f = 0.5 * (b + (b * (b + 4.0 * self.toe)).sqrt());
        let q = (f / self.m).powf(1.0 / self.contrast);
        (self.s * q / (1.0 - q)).min(SCENE_MAX).copysign(y)
    }

    /// The constants as the shader's `vec4<f32>`: (m, s, contrast, toe).
    pub fn to_array(&self) -> [f32; 4] {
        [self.m, self.s, self.contrast, self.toe]
    }

    /// The curve from the shader's `vec4<f32>` (m, s, contrast, toe); inverse of [`Self::to_array`].
    pub fn from_array(k: [f32; 4]) -> ToneCurve {
        ToneCurve { m: k[0], s: k[1], contrast: k[2], toe: k[3] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdr_grey_and_white() {
        let curve = ToneCurve::sdr();
        assert!((curve.forward(0.18) - 0.11).abs() < 1e-6);
        // 0.11 display-linear is BT.1886 code ~0.40.
        assert!((curve.forward(0.18).powf(1.0 / 2.4) - 0.399).abs() < 2e-3);
        assert!((curve.peak() - 1.0).abs() < 1e-6);
        assert!(curve.forward(16.0) < 0.97 && curve.forward(100.0) > 0.98 && curve.forward(1e9) <= 1.0 + 1e-6);
        assert_eq!(curve.forward(0.0), 0.0);
        // The fallback literal in for_peak_nits is the solved SDR curve.
        let solved = ToneMap::SDR.solve().unwrap();
        assert!((solved.m - 1.038_516_5).abs() < 1e-6 && (solved.s - 0.840_713).abs() < 1e-6, "{solved:?}");
    }

    #[test]
    fn monotone_and_invertible() {
        for nits in [100.0, 1000.0, 4000.0] {
            let curve = ToneCurve::for_peak_nits(nits);
            let mut prev = f32::NEG_INFINITY;
            for i in 0..=2000 {
                let x = -4.0 + 12.0 * (i as f32 / 2000.0);
                let x = x.signum() * (x.abs().exp2() - 1.0) * 0.18;
                let y = curve.forward(x);
                assert!(y > prev || (x == 0.0 && y == 0.0), "not increasing at {x}");
                prev = y;
                let back = curve.inverse(y);
                assert!((back - x).abs() <= 2e-4 * x.abs().max(0.01), "{nits}: {x} → {y} → {back}");
            }
            assert_eq!(curve.inverse(curve.peak()), SCENE_MAX);
            assert_eq!(curve.inverse(-2.0 * curve.peak()), -SCENE_MAX);
        }
    }

    #[test]
    fn hdr_grey_rises_with_peak() {
        let hdr = ToneCurve::for_peak_nits(1000.0);
        assert!((hdr.peak() - 10.0).abs() < 1e-4);
        let grey = hdr.forward(0.18);
        assert!(grey > 0.15 && grey < 0.17, "{grey}");
    }

    #[test]
    fn bad_parameters_are_errors() {
        let bad = |t: ToneMap| t.solve().unwrap_err();
        assert_eq!(bad(ToneMap { peak: 0.0, ..ToneMap::SDR }), ToneMapError::Peak(0.0));
        assert!(matches!(bad(ToneMap { grey: 1.5, ..ToneMap::SDR }), ToneMapError::Grey { .. }));
        assert!(matches!(bad(ToneMap { contrast: f32::NAN, ..ToneMap::SDR }), ToneMapError::Contrast(_)));
        assert_eq!(bad(ToneMap { toe: -1.0, ..ToneMap::SDR }), ToneMapError::Toe(-1.0));
        let no_toe = ToneMap { toe: 0.0, ..ToneMap::SDR }.solve().unwrap();
        assert_eq!(no_toe.forward(0.0), 0.0);
        assert!((no_toe.inverse(no_toe.forward(0.5)) - 0.5).abs() < 1e-5);
    }
}
