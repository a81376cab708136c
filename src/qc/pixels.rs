//! Dead and stuck pixels over a sequence: a pixel that never changes (every channel's range over the
//! frames at most `still`) while at least six of its eight neighbours do (range at least `moving`),
//! as a dead sensor photosite or a stuck display pixel shows in a moving picture; the edge of a still
//! area (a logo, a letterbox) has at most five moving neighbours and is not one. The GPU passes
//! (`shaders/qc/qc_pixel_range.wgsl`, `qc_pixel_stuck.wgsl`) and their CPU twin ([`StuckCpu`]).

use wgpu::util::DeviceExt;

use crate::gpu::pipelines::{WORKGROUP, bind_group, dispatch};
use crate::gpu::{GpuContext, GpuError, GpuFrame};
use crate::media::Frame;

/// Shader names in the pipeline cache.
pub const RANGE_SHADER: &str = "qc_pixel_range";
/// The finding pass.
pub const STUCK_SHADER: &str = "qc_pixel_stuck";
/// Most pixels listed (all are counted).
pub const CAPACITY: u32 = 256;

/// What makes a pixel stuck.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StuckLimits {
    /// A range at most this is "never changed" (one 10-bit code).
    pub still: f32,
    /// A neighbour whose range is at least this "changed" (5 % of the signal).
    pub moving: f32,
}

impl Default for StuckLimits {
    fn default() -> Self {
        Self { still: 1.0 / 1023.0, moving: 0.05 }
    }
}

/// Stuck pixels found: how many, and the first [`CAPACITY`] as (x, y).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StuckPixels {
    /// Frames looked at.
    pub frames: u32,
    /// Pixels found.
    pub count: u64,
    /// The first of them, in no particular order on the GPU (sorted here).
    pub positions: Vec<[u32; 2]>,
}

impl StuckPixels {
    /// The pixels stuck over both searches (two chunks of one programme): those listed in both.
    /// When a list was cut at [`CAPACITY`], pixels past it are not known to be in both and are left
    /// out. A search over fewer than 2 frames judged nothing and does not narrow the other.
    pub fn in_both(a: &StuckPixels, b: &StuckPixels) -> StuckPixels {
        let frames = a.frames + b.frames;
        match (a.frames < 2, b.frames < 2) {
            (true, _) => return StuckPixels { frames, ..b.clone() },
            (_, true) => return StuckPixels { frames, ..a.clone() },
            _ => {}
        }
        let positions: Vec<[u32; 2]> = a.positions.iter().filter(|p| b.positions.contains(p)).copied().collect();
        StuckPixels { frames, count: positions.len() as u64, positions }
    }
}

crate::gpu_struct! {
    /// The uniform of `qc_pixel_stuck.wgsl` (`StuckParams`).
    pub struct StuckParams {
        pub width: u32,
        pub height: u32,
        pub capacity: u32,
        pub pad0: u32,
        pub still: f32,
        pub moving: f32,
        pub pad1: f32,
        pub pad2: f32,
    }
}

/// Per-pixel ranges kept on the GPU over a shot's frames.
pub struct StuckTracker {
    width: u32,
    height: u32,
    /// (low, high) pairs: the current one and the one written next.
    pairs: [(GpuFrame, GpuFrame); 2],
    current: usize,
    frames: u32,
}

impl StuckTracker {
    /// A tracker for frames of `width` × `height`.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Result<Self, GpuError> {
        let pair = || -> Result<(GpuFrame, GpuFrame), GpuError> {
            Ok((GpuFrame::new(ctx, width, height)?, GpuFrame::new(ctx, width, height)?))
        };
        Ok(Self { width, height, pairs: [pair()?, pair()?], current: 0, frames: 0 })
    }

    /// The frame size it tracks.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Takes in the next frame.
    pub fn add(&mut self, ctx: &GpuContext, frame: &GpuFrame) -> Result<(), GpuError> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(GpuError::SizeMismatch);
        }
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        if self.frames == 0 {
            // The first frame is both the low and the high.
            let (low, high) = &self.pairs[self.current];
            encoder.copy_texture_to_texture(frame.texture.as_image_copy(), low.texture.as_image_copy(), frame.extent());
            encoder.copy_texture_to_texture(
                frame.texture.as_image_copy(),
                high.texture.as_image_copy(),
                frame.extent(),
            );
        } else {
            let pipeline = ctx.pipelines.shader(&ctx.device, RANGE_SHADER)?;
            let (low_in, high_in) = &self.pairs[self.current];
            let (low_out, high_out) = &self.pairs[1 - self.current];
            let group = bind_group(
                &ctx.device,
                &pipeline,
                RANGE_SHADER,
                &[&frame.view, &low_in.view, &high_in.view],
                &[&low_out.view, &high_out.view],
                &[],
                &[],
            )?;
            let groups = [self.width.div_ceil(WORKGROUP), self.height.div_ceil(WORKGROUP), 1];
            dispatch(&mut encoder, &pipeline, &group, groups, RANGE_SHADER);
            self.current = 1 - self.current;
        }
        ctx.queue.submit([encoder.finish()]);
        self.frames += 1;
        Ok(())
    }

    /// The stuck pixels over the frames taken in.
    pub fn finish(&self, ctx: &GpuContext, limits: StuckLimits) -> Result<StuckPixels, GpuError> {
        if self.frames < 2 {
            return Ok(StuckPixels { frames: self.frames, ..StuckPixels::default() });
        }
        let device = &ctx.device;
        let params = StuckParams {
            width: self.width,
            height: self.height,
            capacity: CAPACITY,
            pad0: 0,
            still: limits.still,
            moving: limits.moving,
            pad1: 0.0,
            pad2: 0.0,
        };
        let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("stuck params"),
            contents: bytemuck::bytes_of(&params),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let bytes = u64::from(1 + 2 * CAPACITY) * 4;
        let found = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("stuck found"),
            contents: &vec![0u8; bytes as usize],
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
        });
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("stuck readback"),
            size: bytes,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let pipeline = ctx.pipelines.shader(device, STUCK_SHADER)?;
        let (low, high) = &self.pairs[self.current];
        let group = bind_group(
            device,
            &pipeline,
            STUCK_SHADER,
            &[&low.view, &high.view],
            &[],
            &[],
            &[uniform.as_entire_binding(), found.as_entire_binding()],
        )?;
        let mut encoder = device.create_command_encoder(&Default::default());
        let groups = [self.width.div_ceil(WORKGROUP), self.height.div_ceil(WORKGROUP), 1];
        dispatch(&mut encoder, &pipeline, &group, groups, STUCK_SHADER);
        encoder.copy_buffer_to_buffer(&found, 0, &readback, 0, bytes);
        let submission = ctx.queue.submit([encoder.finish()]);
        ctx.map_buffer(&readback, wgpu::MapMode::Read, Some(submission))?;
        let words: Vec<u32> = {
            let data = readback.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
            data.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
        };
        readback.unmap();
        let count = u64::from(words[0]);
        let listed = count.min(u64::from(CAPACITY)) as usize;
        let mut positions: Vec<[u32; 2]> = (0..listed).map(|i| [words[1 + 2 * i], words[2 + 2 * i]]).collect();
        positions.sort_by_key(|p| (p[1], p[0]));
        Ok(StuckPixels { frames: self.frames, count, positions })
    }
}

/// The CPU twin: per-pixel ranges over frames, then the same test.
#[derive(Default)]
pub struct StuckCpu {
    low: Option<Frame>,
    high: Option<Frame>,
    frames: u32,
}

impl StuckCpu {
    /// Takes in the next frame.
    pub fn add(&mut self, frame: &Frame) {
        match (&mut self.low, &mut self.high) {
            (Some(low), Some(high)) => {
                for ((l, h), p) in low.pixels.iter_mut().zip(high.pixels.iter_mut()).zip(&frame.pixels) {
                    for c in 0..4 {
                        l[c] = l[c].min(p[c]);
                        h[c] = h[c].max(p[c]);
                    }
                }
            }
            _ => {
                self.low = Some(frame.clone());
                self.high = Some(frame.clone());
            }
        }
        self.frames += 1;
    }

    /// The stuck pixels (all of them listed, sorted by row then column).
    pub fn finish(&self, limits: StuckLimits) -> StuckPixels {
        let (Some(low), Some(high)) = (&self.low, &self.high) else { return StuckPixels::default() };
        if self.frames < 2 {
            return StuckPixels { frames: self.frames, ..StuckPixels::default() };
        }
        let range = |x: u32, y: u32| {
            let (l, h) = (low.pixel(x, y), high.pixel(x, y));
            (h[0] - l[0]).max((h[1] - l[1]).max(h[2] - l[2]))
        };
        let mut positions = Vec::new();
        for y in 1..low.height.saturating_sub(1) {
            for x in 1..low.width.saturating_sub(1) {
                if range(x, y) > limits.still {
                    continue;
                }
                let mut moving = 0;
                for dy in [-1i32, 0, 1] {
                    for dx in [-1i32, 0, 1] {
                        if (dx != 0 || dy != 0)
                            && range((x as i32 + dx) as u32, (y as i32 + dy) as u32) >= limits.moving
                        {
                            moving += 1;
                        }
                    }
                }
                if moving >= 6 {
                    positions.push([x, y]);
                }
            }
        }
        StuckPixels { frames: self.frames, count: positions.len() as u64, positions }
    }
}
