//! Waveform and RGB parade: for each group of frame columns, how many samples sit at each level.
//!
//! One set of bins serves both: luma for the waveform, R, G and B for the RGB overlay and the parade.
//! Levels are full-range 10-bit code values with about 7 % foot- and headroom
//! ([`LEVEL_MIN`]..=[`LEVEL_MAX`]); samples beyond are counted in the end bins, never dropped.
//! Luma is `Y' = Kr R' + Kg G' + Kb B'` on the encoded values (ITU-R BT.709 / BT.2020).

use serde::{Deserialize, Serialize};

use super::quantize::{LEVEL_MIN, LEVELS, level_index, luma_q};
use super::{ScopeSettings, pixel_codes};
use crate::media::Frame;

/// Waveform bins per channel: `columns × levels`, index `column * levels + (level − level_min)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveformCounts {
    /// Number of column groups across the frame.
    pub columns: u32,
    /// Number of levels per column ([`LEVELS`]).
    pub levels: u32,
    /// Full-range 10-bit code value of level index 0 ([`LEVEL_MIN`]).
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

impl WaveformCounts {
    /// Empty bins for `columns` column groups.
    pub fn new(columns: u32) -> Self {
        let n = columns as usize * LEVELS as usize;
        Self {
            columns,
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

    /// The count of `channel` (0 R, 1 G, 2 B, 3 luma) at `column` and full-range 10-bit `level`.
    pub fn count(&self, channel: usize, column: u32, level: i32) -> u32 {
        let i = column as usize * self.levels as usize + (level - self.level_min) as usize;
        self.channels()[channel][i]
    }
}

/// The column group of frame column `x` (integer, identical on the GPU).
pub fn column(x: u32, width: u32, columns: u32) -> u32 {
    x * columns / width
}

/// CPU reference of the waveform half of `shaders/scope_accumulate.wgsl`.
pub fn counts_cpu(frame: &Frame, settings: &ScopeSettings) -> WaveformCounts {
    let columns = settings.columns_for(frame.width);
    let mut counts = WaveformCounts::new(columns);
    let weights = settings.luma.integer();
    let levels = LEVELS as usize;
    for y in 0..frame.height {
        for x in 0..frame.width {
            let (q, sum) = pixel_codes(frame.pixel(x, y), weights);
            let base = column(x, frame.width, columns) as usize * levels;
            counts.red[base + level_index(q[0]) as usize] += 1;
            counts.green[base + level_index(q[1]) as usize] += 1;
            counts.blue[base + level_index(q[2]) as usize] += 1;
            counts.luma[base + level_index(luma_q(sum)) as usize] += 1;
        }
    }
    counts
}
