//! The BT.2390 EETF (ITU-R BT.2390-10, section 5.4.1): the electrical-electrical transfer function
//! with which a display of lower peak luminance shows PQ content mastered brighter: in the PQ domain,
//! linear up to a knee, then a Hermite spline that lands the mastering peak on the display's peak,
//! and a lift of the blacks towards the display's black. Applied here to each PQ-encoded R', G', B'
//! (one of the report's options). The test reference is `tests/data/color/make_eetf.py` (numpy, the
//! report's equations, colour-science's ST 2084).

use super::transfer::{pq_decode, pq_encode};

/// The EETF from a mastering display to a target display, its constants derived once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Eetf {
    /// PQ code of the mastering display's black.
    pub source_black: f32,
    /// PQ code of the mastering display's peak.
    pub source_peak: f32,
    /// The target's black, normalised (`minLum`).
    pub min_lum: f32,
    /// The target's peak, normalised (`maxLum`).
    pub max_lum: f32,
    /// The knee (`KS = 1.5 maxLum - 0.5`).
    pub knee: f32,
}

/// PQ code of `nits` (cd/m2).
pub fn pq_of_nits(nits: f32) -> f32 {
    pq_encode(nits / 100.0)
}

/// Nits of a PQ code.
pub fn nits_of_pq(code: f32) -> f32 {
    pq_decode(code) * 100.0
}

impl Eetf {
    /// From a mastering display of black `lb` and peak `lw` to a display of black `lmin` and peak
    /// `lmax` (all cd/m2, `lmax < lw`).
    pub fn new(lb: f32, lw: f32, lmin: f32, lmax: f32) -> Self {
        let (source_black, source_peak) = (pq_of_nits(lb), pq_of_nits(lw));
        let range = source_peak - source_black;
        let min_lum = (pq_of_nits(lmin) - source_black) / range;
        let max_lum = (pq_of_nits(lmax) - source_black) / range;
        Self { source_black, source_peak, min_lum, max_lum, knee: 1.5 * max_lum - 0.5 }
    }

    /// The EETF of one PQ code value.
    pub fn apply(&self, code: f32) -> f32 {
        let range = self.source_peak - self.source_black;
        let e1 = ((code - self.source_black) / range).clamp(0.0, 1.0);
        let ks = self.knee;
        let e2 = if e1 < ks {
            e1
        } else {
            let t = (e1 - ks) / (1.0 - ks);
            let (t2, t3) = (t * t, t * t * t);
            (2.0 * t3 - 3.0 * t2 + 1.0) * ks + (t3 - 2.0 * t2 + t) * (1.0 - ks) + (-2.0 * t3 + 3.0 * t2) * self.max_lum
        };
        let e3 = e2 + self.min_lum * (1.0 - e2).powi(4);
        e3 * range + self.source_black
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report's properties: identity below the knee, the mastering peak lands on the display's
    /// peak, continuous and monotonic, and slope 1 at the knee (the spline's tangent there).
    #[test]
    fn knee_peak_continuity_and_monotony() {
        let e = Eetf::new(0.0, 1000.0, 0.0, 600.0);
        assert!(e.knee > 0.0 && e.knee < e.max_lum);
        // The knee is on the normalised scale: code = black + knee x (peak - black).
        let range = e.source_peak - e.source_black;
        let knee_code = e.source_black + e.knee * range;
        for i in 0..100 {
            let x = knee_code * i as f32 / 100.0;
            assert!((e.apply(x) - x).abs() < 1e-6, "identity below the knee at {x}");
        }
        assert!((nits_of_pq(e.apply(e.source_peak)) - 600.0).abs() < 0.5, "{}", nits_of_pq(e.apply(e.source_peak)));
        let mut last = 0.0;
        for i in 0..=1000 {
            let y = e.apply(i as f32 / 1000.0);
            assert!(y >= last - 1e-7, "monotonic at {i}");
            last = y;
        }
        let h = 1e-3;
        let slope = (e.apply(knee_code + h) - e.apply(knee_code)) / h;
        assert!((slope - 1.0).abs() < 2e-2, "slope {slope} at the knee");
        // A black lift: code 0 goes to the display's black.
        let lifted = Eetf::new(0.0, 1000.0, 0.05, 600.0);
        assert!((nits_of_pq(lifted.apply(0.0)) - 0.05).abs() < 1e-3, "{}", nits_of_pq(lifted.apply(0.0)));
    }
}
