//! Reading scope bins and images back to the CPU: for the CLI and the tests, never on the interactive
//! path (the app shows [`super::ScopeImage::view`] directly).

use super::engine::ScopeEngine;
use super::quantize::LEVELS;
use super::{HistogramCounts, ScopeCounts, ScopeError, ScopeKind, VectorscopeCounts, WaveformCounts};
use crate::gpu::{GpuContext, GpuError};

impl ScopeEngine {
    /// Reads back the bins of the scopes the last encode accumulated (tests, CLI; never interactive).
    pub fn read_counts(&self, ctx: &GpuContext) -> Result<ScopeCounts, ScopeError> {
        let (Some(bins), Some(settings)) = (&self.bins, &self.settings) else {
            return Ok(ScopeCounts::default());
        };
        let mut counts = ScopeCounts::default();
        let acc = self.accumulated;
        if acc.waveform {
            let used = 4 * settings.columns_for(self.frame_size[0]) * LEVELS;
            let data = read_buffer(ctx, &bins[0].buffer, u64::from(used) * 4)?;
            let words: &[u32] = bytemuck::cast_slice(&data);
            let mut w = WaveformCounts::new(settings.columns_for(self.frame_size[0]));
            let plane = w.red.len();
            for (dst, src) in
                [&mut w.red, &mut w.green, &mut w.blue, &mut w.luma].into_iter().zip(words.chunks_exact(plane))
            {
                dst.copy_from_slice(src);
            }
            counts.waveform = Some(w);
        }
        if acc.vectorscope {
            let data = read_buffer(ctx, &bins[1].buffer, u64::from(bins[1].len) * 4)?;
            let mut v = VectorscopeCounts::new(settings.vectorscope_size, settings.vectorscope_zoom);
            v.counts.copy_from_slice(bytemuck::cast_slice(&data));
            counts.vectorscope = Some(v);
        }
        if acc.histogram {
            let data = read_buffer(ctx, &bins[2].buffer, u64::from(bins[2].len) * 4)?;
            let words: &[u32] = bytemuck::cast_slice(&data);
            let mut h = HistogramCounts::new();
            for (dst, src) in [&mut h.red, &mut h.green, &mut h.blue, &mut h.luma]
                .into_iter()
                .zip(words.chunks_exact(LEVELS as usize))
            {
                dst.copy_from_slice(src);
            }
            counts.histogram = Some(h);
        }
        Ok(counts)
    }

    /// Reads back the image of `kind` as 8-bit RGBA (CLI, tests; never interactive).
    pub fn read_image(&self, ctx: &GpuContext, kind: ScopeKind) -> Result<image::RgbaImage, ScopeError> {
        let Some(image) = self.image(kind) else {
            return Err(ScopeError::Settings(format!("no {} image yet: encode first", kind.name())));
        };
        let row = image.width * 4;
        let padded = row.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("scope image readback"),
            size: u64::from(padded) * u64::from(image.height),
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        encoder.copy_texture_to_buffer(
            image.texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded),
                    rows_per_image: Some(image.height),
                },
            },
            wgpu::Extent3d { width: image.width, height: image.height, depth_or_array_layers: 1 },
        );
        ctx.queue.submit([encoder.finish()]);
        let data = map(ctx, &buffer)?;
        let mut pixels = Vec::with_capacity((row * image.height) as usize);
        for y in 0..image.height as usize {
            let start = y * padded as usize;
            pixels.extend_from_slice(&data[start..start + row as usize]);
        }
        image::RgbaImage::from_raw(image.width, image.height, pixels)
            .ok_or_else(|| ScopeError::Gpu(GpuError::Readback("scope image size".into())))
    }
}

/// Copies `size` bytes of `buffer` to the CPU.
fn read_buffer(ctx: &GpuContext, buffer: &wgpu::Buffer, size: u64) -> Result<Vec<u8>, ScopeError> {
    let staging = ctx.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("scope bins readback"),
        size,
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    encoder.copy_buffer_to_buffer(buffer, 0, &staging, 0, size);
    ctx.queue.submit([encoder.finish()]);
    map(ctx, &staging)
}

/// Maps a MAP_READ buffer after the queue has finished, and copies it out.
fn map(ctx: &GpuContext, buffer: &wgpu::Buffer) -> Result<Vec<u8>, ScopeError> {
    let (tx, rx) = std::sync::mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, .., move |r| {
        let _ = tx.send(r);
    });
    ctx.wait()?;
    rx.recv().map_err(|e| GpuError::Readback(e.to_string()))?.map_err(|e| GpuError::Readback(e.to_string()))?;
    let data = buffer.get_mapped_range(..).map_err(|e| GpuError::Readback(e.to_string()))?.to_vec();
    buffer.unmap();
    Ok(data)
}
