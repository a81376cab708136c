//! Turns a [`Grade`] into compute passes over a frame that stays on the GPU: the grade's pass graph
//! ([`super::graph::record`]) run by the GPU runner ([`super::runner`]).

use super::graph::{FuseLimits, PassGraph};
use super::{GpuContext, GpuError, GpuFrame};
use crate::grade::Grade;

/// How long fused runs may grow on this device: one uniform buffer per stage, one sampled texture
/// per lattice beside the source.
pub fn limits(ctx: &GpuContext) -> FuseLimits {
    let l = ctx.device.limits();
    FuseLimits {
        max_stages: (l.max_uniform_buffers_per_shader_stage as usize).clamp(1, 16),
        max_lattices: (l.max_sampled_textures_per_shader_stage as usize).saturating_sub(1),
    }
}

/// The pass graph of `grade` for a `width` × `height` frame number `frame` on this device.
pub fn record(ctx: &GpuContext, grade: &Grade, frame: u32, width: u32, height: u32) -> Result<PassGraph, GpuError> {
    Ok(super::graph::record(grade, width, height, frame, limits(ctx))?)
}

/// Records every active node of `grade` for frame `frame_number` of a shot (film grain changes
/// from frame to frame) from `source` into `out`.
///
/// Both frames must have the same size; `source` is never written, so the viewer can show
/// before/after from one upload, and no texture is allocated per edit (passes write scratch frames
/// from the context's pool, allocated once per frame size).
pub fn encode_grade(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    grade: &Grade,
    frame_number: u32,
    source: &GpuFrame,
    out: &GpuFrame,
) -> Result<(), GpuError> {
    encode_grade_with_display(ctx, encoder, grade, frame_number, source, out, None).map(|_| ())
}

/// [`encode_grade`], writing the viewer's 8-bit `display` too where the grade's last pass can
/// ([`super::runner::encode_with_display`]); returns whether it did.
pub fn encode_grade_with_display(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    grade: &Grade,
    frame_number: u32,
    source: &GpuFrame,
    out: &GpuFrame,
    display: Option<&GpuFrame>,
) -> Result<bool, GpuError> {
    let graph = record(ctx, grade, frame_number, source.width, source.height)?;
    super::runner::encode_with_display(ctx, encoder, &graph, source, out, display)
}

/// Applies every active node of `grade` to `source`, returning a new graded frame on the GPU.
pub fn apply_grade(ctx: &GpuContext, grade: &Grade, source: &GpuFrame) -> Result<GpuFrame, GpuError> {
    apply_grade_frame(ctx, grade, 0, source)
}

/// [`apply_grade`] for frame `frame_number` of a shot.
pub fn apply_grade_frame(
    ctx: &GpuContext,
    grade: &Grade,
    frame_number: u32,
    source: &GpuFrame,
) -> Result<GpuFrame, GpuError> {
    let out = GpuFrame::new(ctx, source.width, source.height)?;
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    encode_grade(ctx, &mut encoder, grade, frame_number, source, &out)?;
    ctx.queue.submit([encoder.finish()]);
    Ok(out)
}

/// Records a plain copy pass (`shaders/view/copy.wgsl`) from `source` into `out`: one read and one
/// write per pixel, the memory-bandwidth floor benchmarks compare against.
pub fn encode_copy(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    source: &GpuFrame,
    out: &GpuFrame,
) -> Result<(), GpuError> {
    let mut graph = PassGraph::new(source.width, source.height);
    graph.output = graph.pointwise("copy", &[super::graph::SOURCE], &[]);
    super::runner::encode(ctx, encoder, &graph, source, out)
}
