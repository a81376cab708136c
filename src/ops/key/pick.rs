//! The eyedropper's maths: a qualifier that selects the colours of sampled pixels.

use super::{HueRange, Qualifier, Range};

impl Qualifier {
    /// A qualifier that selects the colours of `samples` (node-input values, as the qualifier
    /// reads them): the shortest arc of the hue circle holding the chromatic samples' hues, and the
    /// saturation and luma spans, each without the lowest and highest 2 % of samples (stray pixels
    /// at a region's edge), with soft edges of a quarter of the span (at least 0.03 hue, 0.05
    /// saturation and luma). Hue is left out when the samples are nearly grey (saturation under
    /// 0.05: their hue means nothing). `None` without samples.
    pub fn from_samples(samples: &[[f32; 3]]) -> Option<Qualifier> {
        if samples.is_empty() {
            return None;
        }
        let finite: Vec<[f32; 3]> = samples.iter().copied().filter(|v| v.iter().all(|c| c.is_finite())).collect();
        if finite.is_empty() {
            return None;
        }
        let trimmed = |mut values: Vec<f32>| -> (f32, f32) {
            values.sort_by(f32::total_cmp);
            let cut = values.len() / 50;
            (values[cut], values[values.len() - 1 - cut])
        };
        let hs: Vec<[f32; 2]> = finite.iter().map(|v| crate::ops::hsl::hue_saturation(*v)).collect();
        let (sat_low, sat_high) = trimmed(hs.iter().map(|v| v[1]).collect());
        let (luma_low, luma_high) = trimmed(finite.iter().map(|v| crate::ops::hsl::luma(*v)).collect());
        let chromatic: Vec<f32> = hs.iter().filter(|v| v[1] >= 0.05).map(|v| v[0]).collect();
        let hue = if chromatic.len() * 2 >= finite.len() {
            let (center, width) = hue_arc(chromatic);
            HueRange { enabled: true, center, width, softness: (width * 0.25).max(0.03) }
        } else {
            HueRange::default()
        };
        let range = |low: f32, high: f32| Range { enabled: true, low, high, softness: ((high - low) * 0.25).max(0.05) };
        Some(Qualifier {
            hue,
            saturation: range(sat_low, sat_high.min(1.0)),
            luma: range(luma_low, luma_high),
            ..Qualifier::default()
        })
    }
}

/// The shortest arc of the hue circle (turns) holding every hue, trimmed of the 2 % of hues on
/// each side farthest from its middle: (centre, width).
fn hue_arc(mut hues: Vec<f32>) -> (f32, f32) {
    hues.sort_by(f32::total_cmp);
    let n = hues.len();
    // The arc is the circle without its largest gap between neighbouring hues.
    let (mut gap, mut after) = (hues[0] + 1.0 - hues[n - 1], 0);
    for i in 1..n {
        if hues[i] - hues[i - 1] > gap {
            gap = hues[i] - hues[i - 1];
            after = i;
        }
    }
    // Unrolled from the arc's start: hues in increasing order along the arc.
    let along: Vec<f32> = (0..n)
        .map(|k| {
            let h = hues[(after + k) % n];
            if h < hues[after] { h + 1.0 } else { h }
        })
        .collect();
    let cut = n / 50;
    let (start, end) = (along[cut], along[n - 1 - cut]);
    (crate::ops::hsl::fract((start + end) * 0.5), (end - start).clamp(0.02, 1.0))
}
