//! Per-frame quality-control measures on the display-encoded output of a grade: the GPU pass
//! (`shaders/qc/qc_stats.wgsl`) and its CPU twin ([`measure_cpu`]), same formula in f32.
//!
//! Per pixel (R', G', B' as encoded for delivery, 0 = black, 1 = white):
//! - **levels**: below when its smallest channel is under `level_low`, above when its largest is over
//!   `level_high` (EBU R103: -5 % and 105 %); the frame's smallest and largest channel values, and the
//!   bounding box of the pixels outside;
//! - **non-finite** (any channel NaN or infinite) and **negative** (any channel below 0);
//! - **black**: luma `Y' = weights · R'G'B'` at or below `black_pixel` (FFmpeg blackdetect's pixel
//!   threshold); the frame's smallest and mean luma;
//! - **gamut**: the linear values (the output's transfer decoded) in the target primaries have a
//!   channel below `-gamut_tolerance`;
//! - **light** (PQ output): max(R', G', B') decoded to nits (ST 2084, 10000 nits at 1.0): the frame's
//!   brightest pixel (its MaxCLL contribution) and mean (its frame-average light, for MaxFALL), and the
//!   smallest, mean and largest PQ code of max(R', G', B') ("L1-style" min/avg/max);
//! - **flash** (when the display is known): the luminance it gives, `luma weights · max(0, decoded)`
//!   times the nits of linear 1.0 (mean over the frame, cd/m2), and the pixels of saturated red
//!   (linear R at least `red_ratio` of R+G+B);
//! - **difference** from the previous frame: mean over pixels of the mean absolute RGB difference
//!   (a non-finite sample on either side counts as none).
//!
//! Counts and extremes are exact (integers, atomics on the GPU); means are sums in f32 per workgroup
//! added in f64, so GPU and CPU agree to rounding.

use serde::{Deserialize, Serialize};

use crate::color::transfer::Transfer;
use crate::gpu::pipelines::{WORKGROUP, bind_group, dispatch};
use crate::gpu::{GpuContext, GpuError, GpuFrame};
use crate::media::Frame;

/// Rows each invocation of the measures' pass covers (`ROWS` in shaders/qc/qc_stats.wgsl).
const STATS_ROWS: u32 = 8;

/// The shader's name in the pipeline cache.
pub const SHADER: &str = "qc_stats";

/// What one run of measures looks for (from the QC profile and the output's encoding).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QcSettings {
    /// Lowest legal value.
    pub level_low: f32,
    /// Highest legal value.
    pub level_high: f32,
    /// Luma at or below which a pixel is black.
    pub black_pixel: f32,
    /// Luma weights of the output's matrix (BT.709 or BT.2020).
    pub luma: [f32; 3],
    /// Gamut check: the output's transfer and the matrix from its primaries to the target's.
    pub gamut: Option<(Transfer, [[f32; 3]; 3])>,
    /// How far below 0 a target-primaries channel may go before the pixel is out of gamut.
    pub gamut_tolerance: f32,
    /// The output is PQ: measure light levels.
    pub pq: bool,
    /// Flash check: how the display decodes the output (transfer, and the nits of linear 1.0), and
    /// the share of linear R in R+G+B that makes a pixel saturated red.
    pub display: Option<(Transfer, f32)>,
    /// Saturated red: linear R at least this share of R+G+B (BT.1702 / Harding: 0.8).
    pub red_ratio: f32,
}

/// The measures of one frame.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameMeasures {
    /// Frame number (of the sequence's file names, or the clip's frames from 0).
    pub frame: u32,
    /// Pixels in the frame.
    pub pixels: u64,
    /// Pixels below the legal range.
    pub below: u64,
    /// Pixels above the legal range.
    pub above: u64,
    /// Bounding box of the pixels outside the legal range: [x0, y0, x1, y1] inclusive.
    pub out_of_range_box: Option<[u32; 4]>,
    /// Smallest channel value (finite samples).
    pub lowest: Option<f32>,
    /// Largest channel value (finite samples).
    pub highest: Option<f32>,
    /// Pixels with a NaN or infinite channel.
    pub non_finite: u64,
    /// Pixels with a channel below 0.
    pub negative: u64,
    /// Black pixels (luma at or below the threshold).
    pub black: u64,
    /// Smallest luma.
    pub min_luma: Option<f32>,
    /// Mean luma.
    pub mean_luma: f64,
    /// Pixels outside the target gamut (when checked).
    pub out_of_gamut: Option<u64>,
    /// Brightest pixel's max(R,G,B) in nits (PQ output).
    pub max_nits: Option<f32>,
    /// Frame average of per-pixel max(R,G,B) in nits (PQ output).
    pub average_nits: Option<f64>,
    /// Smallest, mean and largest PQ code of max(R,G,B) (PQ output).
    pub pq_code: Option<[f64; 3]>,
    /// Mean absolute difference from the previous frame (none for the first).
    pub difference: Option<f64>,
    /// Mean luminance the display gives, cd/m2 (flash check).
    pub luminance: Option<f64>,
    /// Saturated-red pixels (flash check).
    pub red: Option<u64>,
}

/// A float as a u32 whose unsigned order is the float's order (the shader's `ordered`).
fn ordered(v: f32) -> u32 {
    let bits = v.to_bits();
    if bits >> 31 == 1 { !bits } else { bits | 0x8000_0000 }
}

fn unordered(key: u32) -> f32 {
    f32::from_bits(if key >> 31 == 1 { key & 0x7fff_ffff } else { !key })
}

/// Per-pixel results and the running extremes, shared by the twin's loop.
#[derive(Default)]
struct Acc {
    counters: [u32; COUNTERS],
    sums: [f64; 5],
}

/// Atomic counters of the pass.
const COUNTERS: usize = 17;

impl Acc {
    fn new() -> Self {
        let mut counters = [0u32; COUNTERS];
        for i in [6, 7, 10, 13, 14] {
            counters[i] = u32::MAX;
        }
        Self { counters, sums: [0.0; 5] }
    }
}

/// The CPU twin of one dispatch.
pub fn measure_cpu(frame: &Frame, previous: Option<&Frame>, s: &QcSettings, number: u32) -> FrameMeasures {
    let mut a = Acc::new();
    let c = &mut a.counters;
    for y in 0..frame.height {
        for x in 0..frame.width {
            let p = frame.pixel(x, y);
            let p = [p[0], p[1], p[2]];
            if !p.iter().all(|v| v.is_finite()) {
                c[2] += 1;
                continue;
            }
            let lo = p[0].min(p[1].min(p[2]));
            let hi = p[0].max(p[1].max(p[2]));
            if lo < 0.0 {
                c[3] += 1;
            }
            c[10] = c[10].min(ordered(lo));
            c[11] = c[11].max(ordered(hi));
            let (below, above) = (lo < s.level_low, hi > s.level_high);
            c[0] += u32::from(below);
            c[1] += u32::from(above);
            if below || above {
                c[6] = c[6].min(x);
                c[7] = c[7].min(y);
                c[8] = c[8].max(x);
                c[9] = c[9].max(y);
            }
            let luma = p[0] * s.luma[0] + p[1] * s.luma[1] + p[2] * s.luma[2];
            c[13] = c[13].min(ordered(luma));
            c[4] += u32::from(luma <= s.black_pixel);
            a.sums[1] += f64::from(luma);
            if let Some((transfer, m)) = &s.gamut {
                let linear = transfer.decode(p);
                let t = m.map(|row| row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2]);
                if t[0].min(t[1].min(t[2])) < -s.gamut_tolerance {
                    c[5] += 1;
                }
            }
            if s.pq {
                let code = hi.max(0.0);
                let nits = crate::color::transfer::pq_decode(code) * 100.0;
                c[12] = c[12].max(ordered(nits));
                c[14] = c[14].min(ordered(code));
                c[15] = c[15].max(ordered(code));
                a.sums[0] += f64::from(nits);
                a.sums[3] += f64::from(code);
            }
            if let Some((transfer, nits)) = s.display {
                let light = transfer.decode(p).map(|v| v.max(0.0));
                let y = light[0] * s.luma[0] + light[1] * s.luma[1] + light[2] * s.luma[2];
                a.sums[4] += f64::from(y * nits);
                let total = light[0] + light[1] + light[2];
                c[16] += u32::from(total > 0.0 && light[0] >= s.red_ratio * total);
            }
            if let Some(prev) = previous {
                let q = prev.pixel(x, y);
                if !q[..3].iter().all(|v| v.is_finite()) {
                    continue;
                }
                let d = ((p[0] - q[0]).abs() + (p[1] - q[1]).abs() + (p[2] - q[2]).abs()) / 3.0;
                a.sums[2] += f64::from(d);
            }
        }
    }
    finish(a.counters, a.sums, frame.width, frame.height, previous.is_some(), s, number)
}

fn finish(
    c: [u32; COUNTERS],
    sums: [f64; 5],
    w: u32,
    h: u32,
    has_prev: bool,
    s: &QcSettings,
    number: u32,
) -> FrameMeasures {
    let pixels = u64::from(w) * u64::from(h);
    let finite = (pixels - u64::from(c[2])).max(1) as f64;
    let any_finite = u64::from(c[2]) < pixels;
    FrameMeasures {
        frame: number,
        pixels,
        below: c[0].into(),
        above: c[1].into(),
        out_of_range_box: (c[0] + c[1] > 0).then_some([c[6], c[7], c[8], c[9]]),
        lowest: any_finite.then(|| unordered(c[10])),
        highest: any_finite.then(|| unordered(c[11])),
        non_finite: c[2].into(),
        negative: c[3].into(),
        black: c[4].into(),
        min_luma: any_finite.then(|| unordered(c[13])),
        mean_luma: sums[1] / finite,
        out_of_gamut: s.gamut.is_some().then_some(c[5].into()),
        max_nits: (s.pq && any_finite).then(|| unordered(c[12])),
        average_nits: s.pq.then(|| sums[0] / finite),
        pq_code: (s.pq && any_finite)
            .then(|| [f64::from(unordered(c[14])), sums[3] / finite, f64::from(unordered(c[15]))]),
        difference: has_prev.then(|| sums[2] / pixels as f64),
        luminance: s.display.map(|_| sums[4] / finite),
        red: s.display.map(|_| c[16].into()),
    }
}

crate::gpu_struct! {
    /// The uniform of `qc_stats.wgsl` (`QcParams`).
    pub struct QcParams {
        pub width: u32,
        pub height: u32,
        pub transfer: u32,
        pub flags: u32,
        pub level_low: f32,
        pub level_high: f32,
        pub black_pixel: f32,
        pub gamut_tolerance: f32,
        pub luma: [f32; 4],
        pub gamut0: [f32; 4],
        pub gamut1: [f32; 4],
        pub gamut2: [f32; 4],
        pub display_transfer: u32,
        pub display_nits: f32,
        pub red_ratio: f32,
        pub pad0: u32,
    }
}

/// The measures of a frame on the GPU (`previous`: the frame before, for the difference).
pub fn measure_gpu(
    ctx: &GpuContext,
    frame: &GpuFrame,
    previous: Option<&GpuFrame>,
    s: &QcSettings,
    number: u32,
) -> Result<FrameMeasures, GpuError> {
    use wgpu::util::DeviceExt;
    if previous.is_some_and(|p| (p.width, p.height) != (frame.width, frame.height)) {
        return Err(GpuError::SizeMismatch);
    }
    let (transfer, m) = s.gamut.unwrap_or((Transfer::Linear, [[0.0; 3]; 3]));
    let row = |r: [f32; 3]| [r[0], r[1], r[2], 0.0];
    let flags = u32::from(previous.is_some())
        | (u32::from(s.pq) << 1)
        | (u32::from(s.gamut.is_some()) << 2)
        | (u32::from(s.display.is_some()) << 3);
    let (display_transfer, display_nits) = s.display.unwrap_or((Transfer::Linear, 0.0));
    let params = QcParams {
        width: frame.width,
        height: frame.height,
        transfer: transfer.id(),
        flags,
        level_low: s.level_low,
        level_high: s.level_high,
        black_pixel: s.black_pixel,
        gamut_tolerance: s.gamut_tolerance,
        luma: row(s.luma),
        gamut0: row(m[0]),
        gamut1: row(m[1]),
        gamut2: row(m[2]),
        display_transfer: display_transfer.id(),
        display_nits,
        red_ratio: s.red_ratio,
        pad0: 0,
    };
    let device = &ctx.device;
    let init = Acc::new().counters;
    // A workgroup covers WORKGROUP columns and WORKGROUP × ROWS rows (`ROWS` in qc_stats.wgsl).
    let groups = [frame.width.div_ceil(WORKGROUP), frame.height.div_ceil(WORKGROUP * STATS_ROWS)];
    let partial_bytes = u64::from(groups[0]) * u64::from(groups[1]) * 32;
    let counter_bytes = (COUNTERS * 4) as u64;
    let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("qc params"),
        contents: bytemuck::bytes_of(&params),
        usage: wgpu::BufferUsages::UNIFORM,
    });
    let counters = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("qc counters"),
        contents: bytemuck::cast_slice(&init),
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
    });
    let partials = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("qc partials"),
        size: partial_bytes,
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
        mapped_at_creation: false,
    });
    let readback = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("qc readback"),
        size: counter_bytes + partial_bytes,
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    // The frame's checks and curves as pipeline constants (the shader's `override`s).
    let constants = vec![
        ("QC_FLAGS", params.flags),
        ("QC_TRANSFER", params.transfer),
        ("QC_DISPLAY_TRANSFER", params.display_transfer),
    ];
    let pipeline = ctx.pipelines.get(device, &crate::gpu::graph::Program::Overridden(SHADER, constants))?;
    let prev_view = &previous.unwrap_or(frame).view;
    let group = bind_group(
        device,
        &pipeline,
        SHADER,
        &[&frame.view, prev_view],
        &[],
        &[],
        &[uniform.as_entire_binding(), counters.as_entire_binding(), partials.as_entire_binding()],
    )?;
    let mut encoder = device.create_command_encoder(&Default::default());
    dispatch(&mut encoder, &pipeline, &group, [groups[0], groups[1], 1], SHADER);
    encoder.copy_buffer_to_buffer(&counters, 0, &readback, 0, counter_bytes);
    encoder.copy_buffer_to_buffer(&partials, 0, &readback, counter_bytes, partial_bytes);
    let submission = ctx.queue.submit([encoder.finish()]);
    ctx.map_buffer(&readback, wgpu::MapMode::Read, Some(submission))?;
    let (c, sums) = {
        let data = readback.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
        let words: Vec<u32> = data.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        let mut c = [0u32; COUNTERS];
        c.copy_from_slice(&words[..COUNTERS]);
        let mut sums = [0.0f64; 5];
        // Two partials a workgroup: (nits, luma, difference, PQ code), (luminance, -, -, -).
        for p in words[COUNTERS..].chunks_exact(8) {
            for (k, v) in p[..4].iter().enumerate() {
                sums[k] += f64::from(f32::from_bits(*v));
            }
            sums[4] += f64::from(f32::from_bits(p[4]));
        }
        (c, sums)
    };
    readback.unmap();
    Ok(finish(c, sums, frame.width, frame.height, previous.is_some(), s, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_keys_keep_the_order_of_floats() {
        let values = [-1e30f32, -2.0, -0.0, 0.0, 1e-30, 0.5, 1.0, 3e38];
        for w in values.windows(2) {
            assert!(ordered(w[0]) <= ordered(w[1]), "{w:?}");
        }
        for v in values {
            assert_eq!(unordered(ordered(v)), v);
        }
    }
}
