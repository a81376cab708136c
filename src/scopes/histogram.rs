//! Histogram of R', G', B' and luma over the same levels as the waveform.
//!
//! Levels are full-range 10-bit code values with about 7 % foot- and headroom
//! ([`LEVEL_MIN`]..=[`LEVEL_MAX`]); clipped samples are counted in the two end bins, so every
//! channel's total is the pixel count. Luma follows ITU-R BT.709 / BT.2020 as the settings say.

use serde::{Deserialize, Serialize};

use super::quantize::{LEVEL_MIN, LEVELS, level_index, luma_q};
use super::{ScopeSettings, pixel_codes};
use crate::media::Frame;

/// Histogram bins per channel, index `level − level_min`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistogramCounts {
    /// Number of levels ([`LEVELS`]).
    pub levels: u32,
    /// Full-range 10-bit code value of index 0 ([`LEVEL_MIN`]).
    pub level_min: i32,
    /// Red channel bins.
    pub red: Vec<u32>,
    /// Green channel bins.
    pub green: Vec<u32>,
    /// Blue channel bins.
    pub blue: Vec<u32>,
    /// Luma bins.
    pub luma: Vec<u32>,
}

impl HistogramCounts {
    /// Empty bins.
    pub fn new() -> Self {
        let n = LEVELS as usize;
        Self {
            levels: LEVELS,
            level_min: LEVEL_MIN,
            red: vec![0; n],
            green: vec![0; n],
            blue: vec![0; n],
            luma: vec![0; n],
        }
    }

    /// The four channels in GPU buffer order: R, G, B, luma.
    pub fn channels(&self) -> [&Vec<u32>; 4] {
        [&self.red, &self.green, &self.blue, &self.luma]
    }

    /// The count of `channel` (0 R, 1 G, 2 B, 3 luma) at full-range 10-bit `level`.
    pub fn count(&self, channel: usize, level: i32) -> u32 {
        self.channels()[channel][(level - self.level_min) as usize]
    }
}

impl Default for HistogramCounts {
    fn default() -> Self {
        Self::new()
    }
}

/// CPU reference of `shaders/scope_histogram.wgsl`.
pub fn counts_cpu(frame: &Frame, settings: &ScopeSettings) -> HistogramCounts {
    let mut counts = HistogramCounts::new();
    let weights = settings.luma.integer();
    for px in &frame.pixels {
        let (q, sum) = pixel_codes(*px, weights);
        counts.red[level_index(q[0]) as usize] += 1;
        counts.green[level_index(q[1]) as usize] += 1;
        counts.blue[level_index(q[2]) as usize] += 1;
        counts.luma[level_index(luma_q(sum)) as usize] += 1;
    }
    counts
}
