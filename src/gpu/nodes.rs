//! Records one node of a grade: its key (qualifier matte, matte blur, windows, mix through the matte)
//! and the passes of the spatial ops: blur, sharpen, noise reduction, glow and grain (several passes,
//! through scratch frames of the pool). Pointwise ops are stages of [`super::fused`] passes.
//!
//! Scratch frames are numbered slots ([`super::passes::PassCache::scratch`]): an op given `slot` uses
//! slots from there on; a keyed node keeps its corrected picture in slot 0 while its op runs from
//! slot 1, then reuses slots 1 and 2 for the matte.

use std::sync::Arc;

use super::passes::{Pass, encode_pass, line_groups, pointwise_groups};
use super::{GpuContext, GpuError, GpuFrame, executor};
use crate::grade::Node;
use crate::ops::blur::Blur;
use crate::ops::denoise::{self, Denoise};
use crate::ops::gaussian::{self, GaussianUniform};
use crate::ops::glow::{self, Glow};
use crate::ops::grain::{self, Grain};
use crate::ops::key::{self, Key, KeyMixUniform};
use crate::ops::sharpen::{self, Sharpen};

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

/// Blends `src` with `corrected` by `mix` into `dst` (`key_mix.wgsl` without a key).
fn encode_mix(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    src: &GpuFrame,
    corrected: &GpuFrame,
    mix: f32,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    let u = KeyMixUniform::plain(mix, src.height);
    pointwise(ctx, encoder, key::MIX_SHADER, &[src, corrected, src], &[dst], bytemuck::bytes_of(&u))
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

/// Blur: the Gaussian passes, then a mix pass when the node is mixed below 1.
pub fn encode_blur(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    b: &Blur,
    mix: f32,
    src: &GpuFrame,
    dst: &GpuFrame,
    slot: usize,
) -> Result<(), GpuError> {
    let passes = b.passes(src.width);
    if passes.is_empty() {
        copy(encoder, src, dst);
        return Ok(());
    }
    let temp = scratch(ctx, src, slot)?;
    if mix >= 1.0 {
        return encode_gaussian(ctx, encoder, &passes, src, dst, &temp);
    }
    let blurred = scratch(ctx, src, slot + 1)?;
    encode_gaussian(ctx, encoder, &passes, src, &blurred, &temp)?;
    encode_mix(ctx, encoder, src, &blurred, mix, dst)
}

/// Sharpen: blur, then the unsharp mask composite.
pub fn encode_sharpen(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    s: &Sharpen,
    mix: f32,
    src: &GpuFrame,
    dst: &GpuFrame,
    slot: usize,
) -> Result<(), GpuError> {
    if s.is_neutral(src.width) {
        copy(encoder, src, dst);
        return Ok(());
    }
    let (blurred, temp) = (scratch(ctx, src, slot)?, scratch(ctx, src, slot + 1)?);
    encode_gaussian(ctx, encoder, &s.passes(src.width), src, &blurred, &temp)?;
    let u = s.uniform(mix);
    pointwise(ctx, encoder, sharpen::SHADER, &[src, &blurred], &[dst], bytemuck::bytes_of(&u))
}

/// Glow: highlight extraction, blur, composite.
pub fn encode_glow(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    g: &Glow,
    mix: f32,
    src: &GpuFrame,
    dst: &GpuFrame,
    slot: usize,
) -> Result<(), GpuError> {
    if g.is_neutral() {
        copy(encoder, src, dst);
        return Ok(());
    }
    let (bright, temp) = (scratch(ctx, src, slot)?, scratch(ctx, src, slot + 1)?);
    let e = g.extract_uniform();
    pointwise(ctx, encoder, glow::EXTRACT_SHADER, &[src], &[&bright], bytemuck::bytes_of(&e))?;
    encode_gaussian(ctx, encoder, &g.passes(src.width), &bright, &bright, &temp)?;
    let u = g.uniform(mix);
    pointwise(ctx, encoder, glow::SHADER, &[src, &bright], &[dst], bytemuck::bytes_of(&u))
}

/// Film grain: noise for `frame_number`, blur to size, composite.
#[allow(clippy::too_many_arguments)]
pub fn encode_grain(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    g: &Grain,
    mix: f32,
    frame_number: u32,
    src: &GpuFrame,
    dst: &GpuFrame,
    slot: usize,
) -> Result<(), GpuError> {
    if g.is_neutral() {
        copy(encoder, src, dst);
        return Ok(());
    }
    let (noise, temp) = (scratch(ctx, src, slot)?, scratch(ctx, src, slot + 1)?);
    let n = g.noise_uniform(frame_number);
    pointwise(ctx, encoder, grain::NOISE_SHADER, &[src], &[&noise], bytemuck::bytes_of(&n))?;
    let passes = g.passes(src.width);
    encode_gaussian(ctx, encoder, &passes, &noise, &noise, &temp)?;
    let u = g.uniform(&passes, mix);
    pointwise(ctx, encoder, grain::SHADER, &[src, &noise], &[dst], bytemuck::bytes_of(&u))
}

/// Noise reduction: the guided filter's four line passes.
pub fn encode_denoise(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    d: &Denoise,
    mix: f32,
    src: &GpuFrame,
    dst: &GpuFrame,
    slot: usize,
) -> Result<(), GpuError> {
    if d.is_neutral() {
        copy(encoder, src, dst);
        return Ok(());
    }
    let frames = (0..4).map(|i| scratch(ctx, src, slot + i)).collect::<Result<Vec<_>, _>>()?;
    let [means, squares, a, b] = [&*frames[0], &*frames[1], &*frames[2], &*frames[3]];
    let u = d.uniform(src.width, mix);
    let u = bytemuck::bytes_of(&u);
    along(ctx, encoder, denoise::STATS_SHADER, false, &[src], &[means, squares], u)?;
    along(ctx, encoder, denoise::COEFFS_SHADER, true, &[means, squares], &[a, b], u)?;
    along(ctx, encoder, denoise::SMOOTH_SHADER, false, &[a, b], &[means, squares], u)?;
    along(ctx, encoder, denoise::APPLY_SHADER, true, &[src, means, squares], &[dst], u)
}
