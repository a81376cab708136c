//! Vectorscope: a 2-D histogram of the colour-difference signals, Cb across and Cr up.
//!
//! `Cb = (B' − Y') / (2 (1 − Kb))`, `Cr = (R' − Y') / (2 (1 − Kr))` (ITU-R BT.709 item 3.3, BT.2020
//! table 4) on the display-encoded values, with the luma weights of the output space. At zoom 1 the
//! grid spans ±9/16 in Cb and Cr, so the 100 % targets (|Cr| = 0.5 for red) sit inside the edge; at
//! higher zoom the grid spans ±9/(16·zoom) and colours beyond are counted on the edge, never dropped.

use serde::{Deserialize, Serialize};

use super::quantize::{chroma_fp, floor_div};
use super::{LumaWeights, ScopeSettings, pixel_codes};
use crate::media::Frame;

/// Vectorscope bins: `size × size`, index `row * size + column`; the column grows with Cb, the row
/// with Cr (row 0 is the most negative Cr, i.e. the bottom of the displayed scope); neutral is at
/// (`size / 2`, `size / 2`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorscopeCounts {
    /// Bins per side.
    pub size: u32,
    /// Magnification the bins were taken at.
    pub zoom: u32,
    /// The bins.
    pub counts: Vec<u32>,
}

impl VectorscopeCounts {
    /// Empty bins.
    pub fn new(size: u32, zoom: u32) -> Self {
        Self { size, zoom, counts: vec![0; size as usize * size as usize] }
    }

    /// The count at (`column`, `row`).
    pub fn count(&self, column: u32, row: u32) -> u32 {
        self.counts[row as usize * self.size as usize + column as usize]
    }
}

/// Bin along one axis of a colour difference ×8192 (integer, identical on the GPU): the grid's
/// `size` bins span ±9/(16·zoom).
pub fn bin(c_fp: i32, size: u32, zoom: u32) -> u32 {
    let size_i = size as i32;
    let offset = floor_div(c_fp * zoom as i32 * size_i * 8, 9 * 8192);
    (size_i / 2 + offset).clamp(0, size_i - 1) as u32
}

/// The (column, row) bin of one pixel.
pub fn pixel_bin(px: [f32; 4], settings: &ScopeSettings) -> (u32, u32) {
    let w = settings.luma.integer();
    let (q, sum) = pixel_codes(px, w);
    let cb = chroma_fp(q[2], sum, w[2]);
    let cr = chroma_fp(q[0], sum, w[0]);
    let (s, z) = (settings.vectorscope_size, settings.vectorscope_zoom);
    (bin(cb, s, z), bin(cr, s, z))
}

/// CPU reference of the vectorscope half of `shaders/scope_accumulate.wgsl`.
pub fn counts_cpu(frame: &Frame, settings: &ScopeSettings) -> VectorscopeCounts {
    let mut counts = VectorscopeCounts::new(settings.vectorscope_size, settings.vectorscope_zoom);
    let size = settings.vectorscope_size as usize;
    for px in &frame.pixels {
        let (col, row) = pixel_bin(*px, settings);
        counts.counts[row as usize * size + col as usize] += 1;
    }
    counts
}

/// (Cb, Cr) of a non-linear R'G'B' colour with the given luma weights, in f64.
pub fn chroma(rgb: [f64; 3], luma: LumaWeights) -> [f64; 2] {
    let [kr, kg, kb] = luma.fractions();
    let y = kr * rgb[0] + kg * rgb[1] + kb * rgb[2];
    [(rgb[2] - y) / (2.0 * (1.0 - kb)), (rgb[0] - y) / (2.0 * (1.0 - kr))]
}

/// Position of a (Cb, Cr) on the scope, in units of the scope's half width from its centre, y up.
pub fn position(cbcr: [f64; 2], zoom: u32) -> [f64; 2] {
    let k = f64::from(zoom) * 16.0 / 9.0;
    [cbcr[0] * k, cbcr[1] * k]
}

/// The six colour-bar targets in graticule order R, Mg, B, Cy, G, Yl, as non-linear R'G'B' of amplitude 1.
pub const BAR_COLOURS: [(&str, [f64; 3]); 6] = [
    ("R", [1.0, 0.0, 0.0]),
    ("Mg", [1.0, 0.0, 1.0]),
    ("B", [0.0, 0.0, 1.0]),
    ("Cy", [0.0, 1.0, 1.0]),
    ("G", [0.0, 1.0, 0.0]),
    ("Yl", [1.0, 1.0, 0.0]),
];

/// (Cb, Cr) of the six colour-bar targets at `amplitude` (0.75 for the 75 % bars of SMPTE EG 1 and
/// the 75 % pattern of SMPTE RP 219, 1.0 for 100 % bars), for the given luma weights.
pub fn bar_targets(luma: LumaWeights, amplitude: f64) -> [[f64; 2]; 6] {
    BAR_COLOURS.map(|(_, rgb)| chroma(rgb.map(|v| v * amplitude), luma))
}

/// Angle of the skin-tone line in degrees counter-clockwise from +Cb: the NTSC in-phase (I) axis at
/// 123° (SMPTE 170M), where skin of every complexion falls, as vectorscopes draw it.
pub const SKIN_TONE_DEGREES: f64 = 123.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_target_sits_at_the_textbook_angle() {
        // Rec.709 100 % red: Cb = -0.1146, Cr = 0.5, at about 103° on a vectorscope.
        let [cb, cr] = chroma([1.0, 0.0, 0.0], LumaWeights::Rec709);
        assert!((cb + 0.1146).abs() < 1e-4 && (cr - 0.5).abs() < 1e-12);
        let angle = cr.atan2(cb).to_degrees();
        assert!((angle - 102.9).abs() < 0.1, "{angle}");
    }

    #[test]
    fn neutral_lands_in_the_centre_and_extremes_on_the_edge() {
        let s = ScopeSettings::default();
        assert_eq!(pixel_bin([0.5, 0.5, 0.5, 1.0], &s), (256, 256));
        assert_eq!(pixel_bin([0.0; 4], &s), (256, 256));
        let (c, r) = pixel_bin([100.0, -100.0, -100.0, 1.0], &s);
        assert_eq!(r, 511);
        assert!(c < 256);
    }
}
