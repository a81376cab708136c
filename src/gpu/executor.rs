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
    let nodes: Vec<_> = grade.active_nodes().collect();
    if nodes.is_empty() {
        encoder.copy_texture_to_texture(source.texture.as_image_copy(), out.texture.as_image_copy(), source.extent());
        return Ok(());
    }
    for (i, node) in nodes.iter().enumerate() {
        // Alternate so that the last pass lands in `out`.
        let remaining = nodes.len() - 1 - i;
        let dst = if remaining % 2 == 0 { out } else { scratch };
        let src = if i == 0 {
            source
        } else if remaining % 2 == 0 {
            scratch
        } else {
            out
        };
        super::nodes::encode_node(ctx, encoder, node, frame_number, src, dst)?;
    }
    Ok(())
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
        Op::Primaries(p) => {
            let u = p.uniform(node.mix);
            encode_image_op(ctx, encoder, crate::ops::primaries::SHADER, bytemuck::bytes_of(&u), src, dst)?;
        }
        Op::Lut(lut) => super::lut::encode_lut(ctx, encoder, lut, node.mix, src, dst)?,
        Op::ColorTransform(t) => {
            let u = t.uniform(node.mix);
            encode_image_op(ctx, encoder, crate::ops::color_transform::SHADER, bytemuck::bytes_of(&u), src, dst)?;
        }
        Op::Curves(c) => nodes::encode_curves(ctx, encoder, c, node.mix, src, dst)?,
        Op::Vignette(v) => nodes::encode_vignette(ctx, encoder, v, node.mix, src, dst)?,
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
