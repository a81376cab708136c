//! Records one node of a grade: its key (qualifier matte, matte blur, windows, mix through the matte)
//! and the passes of the ops beyond primaries (curves: one pass with its tables in a storage buffer).
//!
//! Scratch frames are numbered slots ([`super::passes::PassCache::scratch`]): an op given `slot` uses
//! slots from there on; a keyed node keeps its corrected picture in slot 0 while its op runs from
//! slot 1, then reuses slots 1 and 2 for the matte.

use std::sync::Arc;

use super::passes::{Pass, encode_pass, line_groups, pointwise_groups};
use super::{GpuContext, GpuError, GpuFrame, executor};
use crate::grade::Node;
use crate::ops::curves::{self, Curves};
use crate::ops::gaussian::{self, GaussianUniform};
use crate::ops::key::{self, Key};

fn scratch(ctx: &GpuContext, like: &GpuFrame, slot: usize) -> Result<Arc<GpuFrame>, GpuError> {
    ctx.passes.scratch(ctx, like.width, like.height, slot)
}

fn copy(encoder: &mut wgpu::CommandEncoder, src: &GpuFrame, dst: &GpuFrame) {
    encoder.copy_texture_to_texture(src.texture.as_image_copy(), dst.texture.as_image_copy(), src.extent());
}

/// A pass with 16x16 workgroups over the whole of `outputs[0]`.
fn pointwise(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    shader: &'static str,
    inputs: &[&GpuFrame],
    outputs: &[&GpuFrame],
    uniform: &[u8],
) -> Result<(), GpuError> {
    let workgroups = pointwise_groups(outputs[0].width, outputs[0].height);
    encode_pass(ctx, encoder, &Pass { shader, inputs, outputs, uniform, storage: None, workgroups })
}

/// A line pass along rows (`vertical` false) or columns, one workgroup row per line.
fn along(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    shader: &'static str,
    vertical: bool,
    inputs: &[&GpuFrame],
    outputs: &[&GpuFrame],
    uniform: &[u8],
) -> Result<(), GpuError> {
    let (w, h) = (outputs[0].width, outputs[0].height);
    let workgroups = if vertical { line_groups(h, w) } else { line_groups(w, h) };
    encode_pass(ctx, encoder, &Pass { shader, inputs, outputs, uniform, storage: None, workgroups })
}

/// Records `node` from `src` into `dst`: through its key when it has an active one, else its op at
/// the node's mix. `frame_number` seeds film grain.
pub fn encode_node(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    node: &Node,
    frame_number: u32,
    src: &GpuFrame,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    match node.key.as_ref().filter(|k| k.is_active()) {
        None => executor::encode_op(ctx, encoder, node, frame_number, src, dst, 0),
        Some(key) => encode_keyed(ctx, encoder, node, key, frame_number, src, dst),
    }
}

fn encode_keyed(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    node: &Node,
    key: &Key,
    frame_number: u32,
    src: &GpuFrame,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    let corrected = scratch(ctx, src, 0)?;
    let full = Node { mix: 1.0, key: None, ..node.clone() };
    executor::encode_op(ctx, encoder, &full, frame_number, src, &corrected, 1)?;
    let matte = match &key.qualifier {
        Some(q) => {
            let matte = scratch(ctx, src, 1)?;
            let u = q.uniform();
            pointwise(ctx, encoder, key::QUALIFIER_SHADER, &[src], &[&matte], bytemuck::bytes_of(&u))?;
            let passes = q.blur_passes(src.width);
            if !passes.is_empty() {
                let temp = scratch(ctx, src, 2)?;
                encode_gaussian(ctx, encoder, &passes, &matte, &matte, &temp)?;
            }
            Some(matte)
        }
        None => None,
    };
    let u = key.uniform(node.mix, src.width, src.height);
    let matte: &GpuFrame = matte.as_deref().unwrap_or(src);
    pointwise(ctx, encoder, key::MIX_SHADER, &[src, &corrected, matte], &[dst], bytemuck::bytes_of(&u))
}

/// Records Gaussian line `passes` from `src` into `out`, alternating through `temp` (`src` may be
/// `out`: the first pass reads it before anything writes it).
pub fn encode_gaussian(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    passes: &[GaussianUniform],
    src: &GpuFrame,
    out: &GpuFrame,
    temp: &GpuFrame,
) -> Result<(), GpuError> {
    if passes.is_empty() {
        if !std::ptr::eq(src, out) {
            copy(encoder, src, out);
        }
        return Ok(());
    }
    for (i, u) in passes.iter().enumerate() {
        let (input, output) = match (i % 2, i) {
            (0, 0) => (src, temp),
            (0, _) => (out, temp),
            _ => (temp, out),
        };
        along(ctx, encoder, gaussian::SHADER, u.direction == 1, &[input], &[output], bytemuck::bytes_of(u))?;
    }
    Ok(())
}

/// Curves: one pass with the baked tables in a storage buffer.
pub fn encode_curves(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    c: &Curves,
    mix: f32,
    src: &GpuFrame,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    if c.is_neutral() {
        copy(encoder, src, dst);
        return Ok(());
    }
    let u = c.uniform(mix);
    let tables = c.tables();
    let pass = Pass {
        shader: curves::SHADER,
        inputs: &[src],
        outputs: &[dst],
        uniform: bytemuck::bytes_of(&u),
        storage: Some(bytemuck::cast_slice(&tables)),
        workgroups: pointwise_groups(src.width, src.height),
    };
    encode_pass(ctx, encoder, &pass)
}
