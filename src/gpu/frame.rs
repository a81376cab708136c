//! Frames on the GPU: rgba32float textures, uploaded once and read back only for export. A
//! half-float source goes up as it is, into an `rgba16float` texture the grade reads directly (the
//! GPU widens each sample exactly as it loads it); a half-float output comes back as half
//! ([`HalfReadback`]): the CPU never converts either.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use half::f16;

use super::{GpuContext, GpuError};
use crate::media::{Frame, HalfFrame};

/// Texture format of every working frame: full float, no clamping anywhere in the chain.
pub const WORKING_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba32Float;
/// Texture format of a half-float source as uploaded (read by the grade, never written).
pub const HALF_SOURCE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba16Float;
const BYTES_PER_PIXEL: u32 = 16;
const HALF_BYTES_PER_PIXEL: u32 = 8;

/// Name of the shader that rounds working pixels to half for a readback (`shaders/view/to_half.wgsl`).
pub const TO_HALF_SHADER: &str = "to_half";

/// Bytes of a row of `width` pixels of `bytes` each, padded to wgpu's buffer-copy alignment.
fn padded_row_of(width: u32, bytes: u32) -> u32 {
    (width * bytes).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT
}

/// Bytes of a row of `width` working pixels, padded to wgpu's buffer-copy alignment.
fn padded_row(width: u32) -> u32 {
    padded_row_of(width, BYTES_PER_PIXEL)
}

/// A buffer for `height` padded rows of `width` pixels of `bytes` each.
fn rows_buffer_of(
    ctx: &GpuContext,
    label: &str,
    width: u32,
    height: u32,
    bytes: u32,
    usage: wgpu::BufferUsages,
) -> wgpu::Buffer {
    ctx.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: u64::from(padded_row_of(width, bytes)) * u64::from(height),
        usage,
        mapped_at_creation: usage.contains(wgpu::BufferUsages::MAP_WRITE),
    })
}

/// A buffer for `height` padded rows of `width` working pixels.
fn rows_buffer(ctx: &GpuContext, label: &str, width: u32, height: u32, usage: wgpu::BufferUsages) -> wgpu::Buffer {
    rows_buffer_of(ctx, label, width, height, BYTES_PER_PIXEL, usage)
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

/// Waits for `submission`, maps all of `buffer` for reading, hands its bytes to `read` and unmaps it.
fn read_mapped(
    ctx: &GpuContext,
    buffer: &wgpu::Buffer,
    submission: wgpu::SubmissionIndex,
    read: impl FnOnce(&[u8]),
) -> Result<(), GpuError> {
    ctx.map_buffer(buffer, wgpu::MapMode::Read, Some(submission))?;
    {
        let data = buffer.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?;
        read(&data);
    }
    buffer.unmap();
    Ok(())
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
    /// [`WORKING_FORMAT`], or [`HALF_SOURCE_FORMAT`] for a half-float source.
    pub format: wgpu::TextureFormat,
    /// Identity for caches of bind groups that name this texture ([`super::fused`]): a process-wide
    /// number, and a token whose weak count tells a cache the frame is gone.
    id: u64,
    alive: Arc<()>,
}

static NEXT_FRAME_ID: AtomicU64 = AtomicU64::new(1);

impl GpuFrame {
    /// An uninitialised working frame of the given size.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Result<Self, GpuError> {
        let usage = wgpu::TextureUsages::STORAGE_BINDING;
        Self::with_format(ctx, width, height, WORKING_FORMAT, usage, "working frame")
    }

    /// An uninitialised 8-bit display of the given size (rgba8unorm, what egui draws): written by a
    /// viewer's display pass, or by a grade's last pass ([`super::runner::encode_with_display`]).
    pub fn new_display(ctx: &GpuContext, width: u32, height: u32, label: &str) -> Result<Self, GpuError> {
        let usage = wgpu::TextureUsages::STORAGE_BINDING;
        Self::with_format(ctx, width, height, super::viewer::DISPLAY_FORMAT, usage, label)
    }

    /// An uninitialised half-float source of the given size: written by uploads, read by grades
    /// (sampled, as every working frame is), never a pass's output.
    pub fn new_half(ctx: &GpuContext, width: u32, height: u32) -> Result<Self, GpuError> {
        let usage = wgpu::TextureUsages::empty();
        Self::with_format(ctx, width, height, HALF_SOURCE_FORMAT, usage, "half source")
    }

    fn with_format(
        ctx: &GpuContext,
        width: u32,
        height: u32,
        format: wgpu::TextureFormat,
        usage: wgpu::TextureUsages,
        label: &str,
    ) -> Result<Self, GpuError> {
        let max = ctx.max_dimension();
        if width == 0 || height == 0 || width > max || height > max {
            return Err(GpuError::FrameTooLarge { width, height, max });
        }
        let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d { width, height, depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: usage
                | wgpu::TextureUsages::TEXTURE_BINDING
                | wgpu::TextureUsages::COPY_SRC
                | wgpu::TextureUsages::COPY_DST,
            view_formats: &[],
        });
        let view = texture.create_view(&Default::default());
        let id = NEXT_FRAME_ID.fetch_add(1, Ordering::Relaxed);
        Ok(Self { texture, view, width, height, format, id, alive: Arc::new(()) })
    }

    /// True for a half-float source ([`Self::new_half`]).
    pub fn is_half(&self) -> bool {
        self.format == HALF_SOURCE_FORMAT
    }

    fn bytes_per_pixel(&self) -> u32 {
        if self.is_half() { HALF_BYTES_PER_PIXEL } else { BYTES_PER_PIXEL }
    }

    /// Uploads a half-float frame as it is ([`Self::new_half`]).
    pub fn upload_half(ctx: &GpuContext, frame: &HalfFrame) -> Result<Self, GpuError> {
        let gpu = Self::new_half(ctx, frame.width, frame.height)?;
        gpu.write_bytes(ctx, frame.width, frame.height, bytemuck::cast_slice(&frame.pixels))?;
        Ok(gpu)
    }

    /// Uploads a frame.
    pub fn upload(ctx: &GpuContext, frame: &Frame) -> Result<Self, GpuError> {
        let gpu = Self::new(ctx, frame.width, frame.height)?;
        gpu.write(ctx, frame)?;
        Ok(gpu)
    }

    /// Replaces the contents with `frame` (same size; a working frame).
    pub fn write(&self, ctx: &GpuContext, frame: &Frame) -> Result<(), GpuError> {
        if self.format != WORKING_FORMAT {
            return Err(GpuError::FormatMismatch);
        }
        self.write_bytes(ctx, frame.width, frame.height, bytemuck::cast_slice(&frame.pixels))
    }

    fn write_bytes(&self, ctx: &GpuContext, width: u32, height: u32, bytes: &[u8]) -> Result<(), GpuError> {
        if (width, height) != (self.width, self.height) {
            return Err(GpuError::SizeMismatch);
        }
        ctx.queue.write_texture(
            self.texture.as_image_copy(),
            bytes,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(self.width * self.bytes_per_pixel()),
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
        if self.format == super::viewer::DISPLAY_FORMAT {
            // An 8-bit display reads back through `viewer::read_rgba8_region`.
            return Err(GpuError::FormatMismatch);
        }
        if x >= self.width || y >= self.height || width == 0 || height == 0 {
            return Err(GpuError::SizeMismatch);
        }
        let (width, height) = (width.min(self.width - x), height.min(self.height - y));
        let extent = wgpu::Extent3d { width, height, depth_or_array_layers: 1 };
        let bytes = self.bytes_per_pixel();
        let usage = wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ;
        let buffer = rows_buffer_of(ctx, "readback", width, height, bytes, usage);
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
                    bytes_per_row: Some(padded_row_of(width, bytes)),
                    rows_per_image: Some(height),
                },
            },
            extent,
        );
        let submission = ctx.queue.submit([encoder.finish()]);
        let mut pixels = Vec::new();
        read_mapped(ctx, &buffer, submission, |data| {
            if self.is_half() {
                // A half source reads back widened (exact).
                let (row, padded) = ((width * bytes) as usize, padded_row_of(width, bytes) as usize);
                for y in 0..height as usize {
                    let line = &data[y * padded..y * padded + row];
                    pixels.extend(
                        line.chunks_exact(8).map(|b| bytemuck::pod_read_unaligned::<[f16; 4]>(b).map(f16::to_f32)),
                    );
                }
            } else {
                read_rows(data, width, height, &mut pixels);
            }
        })?;
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
    /// Bytes per pixel: 16 for working frames, 8 for half-float ones.
    bytes: u32,
    padded_row: u32,
    /// Whether the buffer is mapped for writing (it is between uploads).
    mapped: bool,
    /// The submission holding the last recorded copy, when the caller said ([`Self::submitted`]).
    in_flight: Option<wgpu::SubmissionIndex>,
}

impl FrameUploader {
    /// An uploader for working frames of `width` x `height`.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Self {
        Self::of(ctx, width, height, BYTES_PER_PIXEL)
    }

    /// An uploader for half-float frames of `width` x `height` (into [`GpuFrame::new_half`]).
    pub fn new_half(ctx: &GpuContext, width: u32, height: u32) -> Self {
        Self::of(ctx, width, height, HALF_BYTES_PER_PIXEL)
    }

    fn of(ctx: &GpuContext, width: u32, height: u32, bytes: u32) -> Self {
        let usage = wgpu::BufferUsages::MAP_WRITE | wgpu::BufferUsages::COPY_SRC;
        let buffer = rows_buffer_of(ctx, "frame upload", width, height, bytes, usage);
        Self { buffer, width, height, bytes, padded_row: padded_row_of(width, bytes), mapped: true, in_flight: None }
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
        self.upload_bytes(ctx, encoder, (frame.width, frame.height), bytemuck::cast_slice(&frame.pixels), dst)
    }

    /// [`Self::upload`] of a half-float frame into a half source (an uploader made by
    /// [`Self::new_half`]): its samples as they are.
    pub fn upload_half(
        &mut self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        frame: &HalfFrame,
        dst: &GpuFrame,
    ) -> Result<(), GpuError> {
        self.upload_bytes(ctx, encoder, (frame.width, frame.height), bytemuck::cast_slice(&frame.pixels), dst)
    }

    fn upload_bytes(
        &mut self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        size: (u32, u32),
        src: &[u8],
        dst: &GpuFrame,
    ) -> Result<(), GpuError> {
        if size != (self.width, self.height) || size != (dst.width, dst.height) {
            return Err(GpuError::SizeMismatch);
        }
        if dst.bytes_per_pixel() != self.bytes {
            return Err(GpuError::FormatMismatch);
        }
        if !self.mapped {
            ctx.map_buffer(&self.buffer, wgpu::MapMode::Write, self.in_flight.take())?;
            self.mapped = true;
        }
        {
            let mut data = self.buffer.get_mapped_range_mut(..).map_err(|e| GpuError::Device(e.to_string()))?;
            let row = (self.width * self.bytes) as usize;
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
        pixels.clear();
        read_mapped(ctx, &self.buffer, submission, |data| read_rows(data, self.width, self.height, &mut pixels))?;
        Ok(Frame { width: self.width, height: self.height, pixels })
    }
}

/// A readback of working frames of one size as half floats: a pass rounds each sample to half on
/// the GPU (`shaders/view/to_half.wgsl`, to nearest even, as IEEE 754 and [`f16::from_f32`], its
/// CPU twin) into a buffer half the size of a float readback, and that is what comes back.
pub struct HalfReadback {
    packed: wgpu::Buffer,
    buffer: wgpu::Buffer,
    group: Option<(u64, Weak<()>, wgpu::BindGroup)>,
    width: u32,
    height: u32,
}

impl HalfReadback {
    /// A half readback for frames of `width` x `height`.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Self {
        let size = u64::from(width) * u64::from(height) * u64::from(HALF_BYTES_PER_PIXEL);
        let buffer = |label, usage| {
            ctx.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size,
                usage,
                mapped_at_creation: false,
            })
        };
        Self {
            packed: buffer("half readback (packed)", wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC),
            buffer: buffer("half readback", wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ),
            group: None,
            width,
            height,
        }
    }

    /// Records the rounding of `frame` (a working frame of this readback's size) and its copy.
    pub fn copy(
        &mut self,
        ctx: &GpuContext,
        encoder: &mut wgpu::CommandEncoder,
        frame: &GpuFrame,
    ) -> Result<(), GpuError> {
        if (frame.width, frame.height) != (self.width, self.height) {
            return Err(GpuError::SizeMismatch);
        }
        let pipeline = ctx.pipelines.shader(&ctx.device, TO_HALF_SHADER)?;
        // The bind group names the frame: kept while the same frame comes back (a batch render's
        // output texture is one for every frame).
        let current = matches!(&self.group, Some((id, alive, _)) if *id == frame.id() && alive.upgrade().is_some());
        if !current {
            let group = super::pipelines::bind_group(
                &ctx.device,
                &pipeline,
                TO_HALF_SHADER,
                &[&frame.view],
                &[],
                &[],
                &[self.packed.as_entire_binding()],
            )?;
            self.group = Some((frame.id(), frame.liveness(), group));
        }
        let Some((_, _, group)) = &self.group else { return Err(GpuError::Shader("no bind group".into())) };
        let groups = super::runner::workgroups(
            super::graph::Dispatch::Pixels,
            pipeline.reflection.workgroup,
            self.width,
            self.height,
        );
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some(TO_HALF_SHADER),
                timestamp_writes: None,
            });
            pass.set_pipeline(&pipeline.pipeline);
            pass.set_bind_group(0, group, &[]);
            pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
        }
        encoder.copy_buffer_to_buffer(&self.packed, 0, &self.buffer, 0, self.buffer.size());
        Ok(())
    }

    /// Waits for the recorded copy (in `submission`) and returns the frame, in `pixels`' allocation.
    pub fn read(
        &self,
        ctx: &GpuContext,
        mut pixels: Vec<[f16; 4]>,
        submission: wgpu::SubmissionIndex,
    ) -> Result<HalfFrame, GpuError> {
        pixels.clear();
        read_mapped(ctx, &self.buffer, submission, |data| match bytemuck::try_cast_slice::<u8, [f16; 4]>(data) {
            Ok(all) => pixels.extend_from_slice(all),
            Err(_) => pixels.extend(data.chunks_exact(8).map(bytemuck::pod_read_unaligned::<[f16; 4]>)),
        })?;
        Ok(HalfFrame { width: self.width, height: self.height, pixels })
    }

    /// Rounds `frame` to half on the GPU and reads it back (for export and tests).
    pub fn download(ctx: &GpuContext, frame: &GpuFrame) -> Result<HalfFrame, GpuError> {
        let mut readback = Self::new(ctx, frame.width, frame.height);
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        readback.copy(ctx, &mut encoder, frame)?;
        let submission = ctx.queue.submit([encoder.finish()]);
        readback.read(ctx, Vec::new(), submission)
    }
}
