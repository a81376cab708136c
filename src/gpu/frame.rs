//! Frames on the GPU: rgba32float textures, uploaded once and read back only for export.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use super::{GpuContext, GpuError};
use crate::media::Frame;

/// Texture format of every working frame: full float, no clamping anywhere in the chain.
pub const WORKING_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba32Float;
const BYTES_PER_PIXEL: u32 = 16;

/// Bytes of a row of `width` working pixels, padded to wgpu's buffer-copy alignment.
fn padded_row(width: u32) -> u32 {
    (width * BYTES_PER_PIXEL).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT
}

/// A buffer for `height` padded rows of `width` working pixels.
fn rows_buffer(ctx: &GpuContext, label: &str, width: u32, height: u32, usage: wgpu::BufferUsages) -> wgpu::Buffer {
    ctx.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: u64::from(padded_row(width)) * u64::from(height),
        usage,
        mapped_at_creation: usage.contains(wgpu::BufferUsages::MAP_WRITE),
    })
}

/// Appends the pixels of `height` padded rows of `width` pixels in `data` to `pixels`.
fn read_rows(data: &[u8], width: u32, height: u32, pixels: &mut Vec<[f32; 4]>) {
    let (row, padded) = ((width * BYTES_PER_PIXEL) as usize, padded_row(width) as usize);
    pixels.reserve_exact(width as usize * height as usize);
    for y in 0..height as usize {
        let bytes = &data[y * padded..y * padded + row];
        match bytemuck::try_cast_slice::<u8, [f32; 4]>(bytes) {
            Ok(row_pixels) => pixels.extend_from_slice(row_pixels),
            // A mapping need not be aligned for [f32; 4]: then pixel by pixel.
            Err(_) => pixels.extend(bytes.chunks_exact(16).map(bytemuck::pod_read_unaligned::<[f32; 4]>)),
        }
    }
}

/// A working frame resident on the GPU.
pub struct GpuFrame {
    /// The texture (sampled by op shaders, written as storage, copied for readback and display).
    pub texture: wgpu::Texture,
    /// A view of the whole texture.
    pub view: wgpu::TextureView,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Identity for caches of bind groups that name this texture ([`super::fused`]): a process-wide
    /// number, and a token whose weak count tells a cache the frame is gone.
    id: u64,
    alive: Arc<()>,
}

static NEXT_FRAME_ID: AtomicU64 = AtomicU64::new(1);

impl GpuFrame {
    /// An uninitialised working frame of the given size.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Result<Self, GpuError> {
        let max = ctx.max_dimension();
        if width == 0 || height == 0 || width > max || height > max {
            return Err(GpuError::FrameTooLarge { width, height, max });
        }
        let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("working frame"),
            size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: WORKING_FORMAT,
            usage: wgpu::TextureUsages::TEXTURE_BINDING
                | wgpu::TextureUsages::STORAGE_BINDING
                | wgpu::TextureUsages::COPY_SRC
                | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        });
        let view = texture.create_view(&Default::default());
        let id = NEXT_FRAME_ID.fetch_add(1, Ordering::Relaxed);
        Ok(Self { texture, view, width, height, id, alive: Arc::new(()) })
    }

    /// Uploads a frame.
    pub fn upload(ctx: &GpuContext, frame: &Frame) -> Result<Self, GpuError> {
        let gpu = Self::new(ctx, frame.width, frame.height)?;
        gpu.write(ctx, frame)?;
        Ok(gpu)
    }

    /// Replaces the contents with `frame` (same size).
    pub fn write(&self, ctx: &GpuContext, frame: &Frame) -> Result<(), GpuError> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(GpuError::SizeMismatch);
        }
        ctx.queue.write_texture(
            self.texture.as_image_copy(),
            bytemuck::cast_slice(&frame.pixels),
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(self.width * BYTES_PER_PIXEL),
                rows_per_image: Some(self.height),
            },
            self.extent(),
        );
        Ok(())
    }

    /// A number no other frame of this process has.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Dies with the frame: a cache holding it knows its entry is stale.
    pub fn liveness(&self) -> Weak<()> {
        Arc::downgrade(&self.alive)
    }

    /// The texture's size as an extent.
    pub fn extent(&self) -> wgpu::Extent3d {
        wgpu::Extent3d { width: self.width, height: self.height, depth_or_array_layers: 1 }
    }

    /// Reads the frame back to the CPU (for export and tests; never on the interactive path).
    pub fn download(&self, ctx: &GpuContext) -> Result<Frame, GpuError> {
        self.read_region(ctx, 0, 0, self.width, self.height)
    }

    /// Reads a rectangle back (the pixel probe reads 1x1), clipped to the frame.
    pub fn read_region(&self, ctx: &GpuContext, x: u32, y: u32, width: u32, height: u32) -> Result<Frame, GpuError> {
        if x >= self.width || y >= self.height || width == 0 || height == 0 {
            return Err(GpuError::SizeMismatch);
        }
        let (width, height) = (width.min(self.width - x), height.min(self.height - y));
        let extent = wgpu::Extent3d { width, height, depth_or_array_layers: 1 };
        let buffer =
            rows_buffer(ctx, "readback", width, height, wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ);
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture: &self.texture,
                mip_level: 0,
                origin: wgpu::Origin3d { x, y, z: 0 },
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded_row(width)),
                    rows_per_image: Some(height),
                },
            },
            extent,
        );
        let submission = ctx.queue.submit([encoder.finish()]);
        ctx.map_buffer(&buffer, wgpu::MapMode::Read, Some(submission))?;
        let mut pixels = Vec::new();
        {
            let data = buffer.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
            read_rows(&data, width, height, &mut pixels);
        }
        buffer.unmap();
        Ok(Frame { width, height, pixels })
    }
}

/// A staging buffer kept for uploading frames of one size, one after another (a sequence render,
/// playback). `queue.write_texture` allocates a new staging buffer on every call: at 4K a fresh
/// 133 MB whose pages the system faults in and zeroes, frame after frame.
pub struct FrameUploader {
    buffer: wgpu::Buffer,
    width: u32,
    height: u32,
    padded_row: u32,
    /// Whether the buffer is mapped for writing (it is between uploads).
    mapped: bool,
    /// The submission holding the last recorded copy, when the caller said ([`Self::submitted`]).
    in_flight: Option<wgpu::SubmissionIndex>,
}

impl FrameUploader {
    /// An uploader for frames of `width` x `height`.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Self {
        let usage = wgpu::BufferUsages::MAP_WRITE | wgpu::BufferUsages::COPY_SRC;
        let buffer = rows_buffer(ctx, "frame upload", width, height, usage);
        Self { buffer, width, height, padded_row: padded_row(width), mapped: true, in_flight: None }
    }

    /// Tells the uploader which submission holds the copy it last recorded: the next upload then
    /// waits for that submission only, not for everything submitted since.
    pub fn submitted(&mut self, submission: wgpu::SubmissionIndex) {
        self.in_flight = Some(submission);
    }

    /// Copies `frame` into the staging buffer and records its copy into `dst` in `encoder`. When the
    /// previous upload's submission has not finished, this waits for it (for all work submitted,
    /// unless [`Self::submitted`] named it).
    pub fn upload(
        &mut self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        frame: &Frame,
        dst: &GpuFrame,
    ) -> Result<(), GpuError> {
        let size = (frame.width, frame.height);
        if size != (self.width, self.height) || size != (dst.width, dst.height) {
            return Err(GpuError::SizeMismatch);
        }
        if !self.mapped {
            ctx.map_buffer(&self.buffer, wgpu::MapMode::Write, self.in_flight.take())?;
            self.mapped = true;
        }
        {
            let mut data = self.buffer.get_mapped_range_mut(..).map_err(|e| GpuError::Device(e.to_string()))?;
            let row = (self.width * BYTES_PER_PIXEL) as usize;
            let src: &[u8] = bytemuck::cast_slice(&frame.pixels);
            if row == self.padded_row as usize {
                data.slice(..src.len()).copy_from_slice(src);
            } else {
                for (y, src_row) in src.chunks_exact(row).enumerate() {
                    let start = y * self.padded_row as usize;
                    data.slice(start..start + row).copy_from_slice(src_row);
                }
            }
        }
        self.buffer.unmap();
        self.mapped = false;
        encoder.copy_buffer_to_texture(
            wgpu::TexelCopyBufferInfo {
                buffer: &self.buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(self.padded_row),
                    rows_per_image: Some(self.height),
                },
            },
            dst.texture.as_image_copy(),
            dst.extent(),
        );
        Ok(())
    }
}

/// A readback buffer kept for frames of one size, one after another (a sequence render): a new
/// 133 MB mapping per 4K frame is slow.
pub struct FrameReadback {
    buffer: wgpu::Buffer,
    width: u32,
    height: u32,
}

impl FrameReadback {
    /// A readback buffer for frames of `width` x `height`.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Self {
        let usage = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ;
        Self { buffer: rows_buffer(ctx, "frame readback", width, height, usage), width, height }
    }

    /// Records the copy of `frame` (this readback's size) into the buffer.
    pub fn copy(&self, encoder: &mut wgpu::CommandEncoder, frame: &GpuFrame) -> Result<(), GpuError> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(GpuError::SizeMismatch);
        }
        encoder.copy_texture_to_buffer(
            frame.texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &self.buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded_row(self.width)),
                    rows_per_image: Some(self.height),
                },
            },
            frame.extent(),
        );
        Ok(())
    }

    /// Waits for the recorded copy (in `submission`; later submissions may still be running) and
    /// returns the frame, in `pixels`' allocation.
    pub fn read(
        &self,
        ctx: &GpuContext,
        mut pixels: Vec<[f32; 4]>,
        submission: wgpu::SubmissionIndex,
    ) -> Result<Frame, GpuError> {
        ctx.map_buffer(&self.buffer, wgpu::MapMode::Read, Some(submission))?;
        pixels.clear();
        {
            let data = self.buffer.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
            read_rows(&data, self.width, self.height, &mut pixels);
        }
        self.buffer.unmap();
        Ok(Frame { width: self.width, height: self.height, pixels })
    }
}
