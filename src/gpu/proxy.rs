//! The viewer's proxy: the source decimated on the GPU by a whole factor (`shaders/view/downsample.wgsl`,
//! a box filter), graded while a control is dragged or playback runs, so an edit costs what the
//! viewer shows rather than what the source holds. Radii in grades scale with the frame's width
//! (`ops::gaussian::pixels`), so the proxy's picture is the full render, decimated, to within what
//! grading a decimated picture instead of decimating a graded one changes (tests/viewer_proxy.rs).

use super::runner::workgroups;
use super::{GpuContext, GpuError, GpuFrame, graph::Dispatch};
use crate::media::Frame;

/// Name of the shader.
pub const SHADER: &str = "downsample";

crate::gpu_struct! {
    /// The decimation, laid out as `struct Downsample` in `shaders/view/downsample.wgsl`.
    pub struct DownsampleUniform {
        /// Source pixels per proxy pixel, each way.
        pub factor: u32,
        /// Padding.
        pub _pad0: u32,
        /// Padding.
        pub _pad1: u32,
        /// Padding.
        pub _pad2: u32,
    }
}

/// The proxy's size for a `width` × `height` source decimated by `factor`.
pub fn size(width: u32, height: u32, factor: u32) -> (u32, u32) {
    (width.div_ceil(factor.max(1)), height.div_ceil(factor.max(1)))
}

/// The whole factor that brings a `width`-pixel source to at most `shown` pixels across (1: none).
pub fn factor_for(width: u32, shown: u32) -> u32 {
    if shown == 0 { 1 } else { width.div_ceil(shown).max(1) }
}

/// Records the decimation of `source` into `proxy` (sized by [`size`]).
pub fn encode(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    source: &GpuFrame,
    proxy: &GpuFrame,
    factor: u32,
) -> Result<(), GpuError> {
    if (proxy.width, proxy.height) != size(source.width, source.height, factor) {
        return Err(GpuError::SizeMismatch);
    }
    let pipeline = ctx.pipelines.shader(&ctx.device, SHADER)?;
    let u = DownsampleUniform { factor, _pad0: 0, _pad1: 0, _pad2: 0 };
    let uniform = wgpu::util::DeviceExt::create_buffer_init(
        &ctx.device,
        &wgpu::util::BufferInitDescriptor {
            label: Some("downsample"),
            contents: bytemuck::bytes_of(&u),
            usage: wgpu::BufferUsages::UNIFORM,
        },
    );
    let group = super::pipelines::bind_group(
        &ctx.device,
        &pipeline,
        "downsample",
        &[&source.view],
        &[&proxy.view],
        &[],
        &[uniform.as_entire_binding()],
    )?;
    let groups = workgroups(Dispatch::Pixels, pipeline.reflection.workgroup, proxy.width, proxy.height);
    let mut pass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some("downsample"), timestamp_writes: None });
    pass.set_pipeline(&pipeline.pipeline);
    pass.set_bind_group(0, &group, &[]);
    pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
    Ok(())
}

/// CPU twin of `downsample.wgsl`.
pub fn downsample(frame: &Frame, factor: u32) -> Frame {
    let factor = factor.max(1);
    let (w, h) = size(frame.width, frame.height, factor);
    Frame::from_fn(w, h, |x, y| {
        let (x0, y0) = (x * factor, y * factor);
        let (x1, y1) = ((x0 + factor).min(frame.width), (y0 + factor).min(frame.height));
        let mut sum = [0.0f32; 4];
        for sy in y0..y1 {
            for sx in x0..x1 {
                let p = frame.pixel(sx, sy);
                for c in 0..4 {
                    sum[c] += p[c];
                }
            }
        }
        let n = ((x1 - x0) * (y1 - y0)) as f32;
        sum.map(|v| v / n)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn factors_bring_the_source_within_the_viewer() {
        assert_eq!(super::factor_for(3840, 1920), 2);
        assert_eq!(super::factor_for(3840, 1000), 4);
        assert_eq!(super::factor_for(1920, 1920), 1);
        assert_eq!(super::factor_for(1000, 1920), 1);
        assert_eq!(super::size(3840, 2160, 3), (1280, 720));
        assert_eq!(super::size(101, 51, 2), (51, 26));
    }
}
