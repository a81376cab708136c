//! Turns a [`Grade`] into compute passes over a frame that stays on the GPU.

use wgpu::util::DeviceExt;

use super::pipelines::WORKGROUP;
use super::{GpuContext, GpuError, GpuFrame};
use crate::grade::{Grade, Node, Op};

/// Runs `shader` from `src` into `dst` with `uniform` bound as its parameters.
pub fn encode_image_op(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    shader: &'static str,
    uniform: &[u8],
    src: &GpuFrame,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    let pipeline = ctx.pipelines.image_op(&ctx.device, shader)?;
    let layout = ctx.pipelines.image_op_layout(&ctx.device);
    // A uniform binding may not be empty; ops without parameters get 16 zero bytes.
    let contents: &[u8] = if uniform.is_empty() { &[0; 16] } else { uniform };
    let buffer = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some(shader),
        contents,
        usage: wgpu::BufferUsages::UNIFORM,
    });
    let bind_group = ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(shader),
        layout: &layout.bind_group,
        entries: &[
            wgpu::BindGroupEntry { binding: 0, resource: wgpu::BindingResource::TextureView(&src.view) },
            wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(&dst.view) },
            wgpu::BindGroupEntry { binding: 2, resource: buffer.as_entire_binding() },
        ],
    });
    let mut pass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some(shader), timestamp_writes: None });
    pass.set_pipeline(&pipeline);
    pass.set_bind_group(0, &bind_group, &[]);
    pass.dispatch_workgroups(src.width.div_ceil(WORKGROUP), src.height.div_ceil(WORKGROUP), 1);
    Ok(())
}

/// Records every active node of `grade` from `source` into `out`, ping-ponging through `scratch`.
///
/// All three frames must have the same size; `source` is never written, so the viewer can show
/// before/after from one upload, and no texture is allocated per edit (multi-pass nodes borrow
/// scratch frames from the context's pool, allocated once per frame size).
pub fn encode_grade(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    grade: &Grade,
    source: &GpuFrame,
    out: &GpuFrame,
    scratch: &GpuFrame,
) -> Result<(), GpuError> {
    encode_grade_frame(ctx, encoder, grade, 0, source, out, scratch)
}

/// [`encode_grade`] for frame `frame_number` of a shot (film grain changes from frame to frame).
pub fn encode_grade_frame(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    grade: &Grade,
    frame_number: u32,
    source: &GpuFrame,
    out: &GpuFrame,
    scratch: &GpuFrame,
) -> Result<(), GpuError> {
    encode_steps(ctx, encoder, &plan(grade, super::fused::limits(ctx)), frame_number, source, out, scratch)
}

/// Records planned `steps` (see [`plan`]) from `source` into `out`, ping-ponging through `scratch`.
pub fn encode_steps(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    steps: &[Step],
    frame_number: u32,
    source: &GpuFrame,
    out: &GpuFrame,
    scratch: &GpuFrame,
) -> Result<(), GpuError> {
    if steps.is_empty() {
        encoder.copy_texture_to_texture(source.texture.as_image_copy(), out.texture.as_image_copy(), source.extent());
        return Ok(());
    }
    for (i, step) in steps.iter().enumerate() {
        // Alternate so that the last pass lands in `out`.
        let remaining = steps.len() - 1 - i;
        let dst = if remaining.is_multiple_of(2) { out } else { scratch };
        let src = if i == 0 {
            source
        } else if remaining.is_multiple_of(2) {
            scratch
        } else {
            out
        };
        match step {
            Step::Fused(nodes) => super::fused::encode(ctx, encoder, nodes, src, dst)?,
            Step::Node(node) => super::nodes::encode_node(ctx, encoder, node, frame_number, src, dst)?,
        }
    }
    Ok(())
}

/// One pass (or group of passes) of a grade.
#[derive(Debug, PartialEq)]
pub enum Step<'a> {
    /// Consecutive unkeyed pointwise nodes, run as one fused pass.
    Fused(Vec<&'a Node>),
    /// A node with its own passes: a spatial op, or any op through a key.
    Node(&'a Node),
}

/// How `grade`'s active nodes are recorded: runs of unkeyed pointwise nodes fuse into one pass of at
/// most `max_stages` stages and `max_luts` LUTs; every other node stands alone.
pub fn plan(grade: &Grade, (max_stages, max_luts): (usize, usize)) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    for node in grade.active_nodes() {
        let keyed = node.key.as_ref().is_some_and(|k| k.is_active());
        if keyed || super::fused::StageKind::of(&node.op).is_none() {
            steps.push(Step::Node(node));
            continue;
        }
        let is_lut = matches!(node.op, Op::Lut(_));
        if let Some(Step::Fused(run)) = steps.last_mut() {
            let luts = run.iter().filter(|n| matches!(n.op, Op::Lut(_))).count();
            if run.len() < max_stages && (!is_lut || luts < max_luts) {
                run.push(node);
                continue;
            }
        }
        steps.push(Step::Fused(vec![node]));
    }
    steps
}

/// Records `node`'s op from `src` into `dst` at the node's mix, its key aside; multi-pass ops borrow
/// scratch frames from pool slot `slot` on ([`super::nodes`]).
pub fn encode_op(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    node: &Node,
    frame_number: u32,
    src: &GpuFrame,
    dst: &GpuFrame,
    slot: usize,
) -> Result<(), GpuError> {
    use super::nodes;
    match &node.op {
        Op::Primaries(_) | Op::Lut(_) | Op::ColorTransform(_) | Op::Curves(_) | Op::Vignette(_) => {
            super::fused::encode(ctx, encoder, &[node], src, dst)?
        }
        Op::Blur(b) => nodes::encode_blur(ctx, encoder, b, node.mix, src, dst, slot)?,
        Op::Sharpen(s) => nodes::encode_sharpen(ctx, encoder, s, node.mix, src, dst, slot)?,
        Op::Denoise(d) => nodes::encode_denoise(ctx, encoder, d, node.mix, src, dst, slot)?,
        Op::Glow(g) => nodes::encode_glow(ctx, encoder, g, node.mix, src, dst, slot)?,
        Op::Grain(g) => nodes::encode_grain(ctx, encoder, g, node.mix, frame_number, src, dst, slot)?,
    }
    Ok(())
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
    let scratch = GpuFrame::new(ctx, source.width, source.height)?;
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    encode_grade_frame(ctx, &mut encoder, grade, frame_number, source, &out, &scratch)?;
    ctx.queue.submit([encoder.finish()]);
    Ok(out)
}
