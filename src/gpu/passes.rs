//! Passes beyond the one-input image op: any number of input textures and output storage textures, a
//! uniform and an optional read-only storage buffer, with layouts built once per shape; and a pool of
//! scratch frames that multi-pass nodes (spatial ops, keys) borrow while they are recorded.
//!
//! Binding order in every such shader: inputs (`texture_2d<f32>`) from 0, then outputs
//! (`texture_storage_2d<rgba32float, write>`), then the uniform, then the storage buffer if any. One
//! input, one output and a uniform is exactly the image-op layout of [`super::pipelines`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use wgpu::util::DeviceExt;

use super::pipelines::WORKGROUP;
use super::{GpuContext, GpuError, GpuFrame, WORKING_FORMAT};

/// Threads along a line in the separable (line) passes (`@workgroup_size(256, 1)`).
pub const LINE: u32 = 256;

/// How many frame sizes the scratch pool keeps frames for (the viewer's, thumbnails', an export's).
const POOL_SIZES: usize = 4;

/// The binding shape of a pass: how many inputs and outputs, and whether it reads a storage buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PassShape {
    /// Sampled input textures.
    pub inputs: u32,
    /// Storage output textures.
    pub outputs: u32,
    /// A read-only storage buffer after the uniform.
    pub storage: bool,
}

/// One compute dispatch to record.
pub struct Pass<'a> {
    /// Shader name in [`super::shaders::SHADERS`]; entry point `main`.
    pub shader: &'static str,
    /// Input frames, bound from 0.
    pub inputs: &'a [&'a GpuFrame],
    /// Output frames, bound after the inputs.
    pub outputs: &'a [&'a GpuFrame],
    /// Uniform bytes (a `#[repr(C)]` Pod struct).
    pub uniform: &'a [u8],
    /// Storage buffer contents, if the shader reads one.
    pub storage: Option<&'a [u8]>,
    /// Workgroups to dispatch.
    pub workgroups: [u32; 3],
}

/// Workgroups covering a `width` × `height` frame with the 16x16 pointwise shaders.
pub fn pointwise_groups(width: u32, height: u32) -> [u32; 3] {
    [width.div_ceil(WORKGROUP), height.div_ceil(WORKGROUP), 1]
}

/// Workgroups of a line pass: `length` pixels along each of `lines` rows or columns.
pub fn line_groups(length: u32, lines: u32) -> [u32; 3] {
    [length.div_ceil(LINE), lines, 1]
}

struct Layout {
    bind_group: wgpu::BindGroupLayout,
    pipeline: wgpu::PipelineLayout,
}

/// Layouts per [`PassShape`] and the scratch frame pool, one per device.
#[derive(Default)]
pub struct PassCache {
    layouts: Mutex<HashMap<PassShape, Arc<Layout>>>,
    frames: Mutex<Vec<SizedFrames>>,
}

/// Scratch frames of one size, by slot.
type SizedFrames = ((u32, u32), Vec<Arc<GpuFrame>>);

impl PassCache {
    fn layout(&self, device: &wgpu::Device, shape: PassShape) -> Arc<Layout> {
        let mut layouts = self.layouts.lock().unwrap_or_else(|e| e.into_inner());
        layouts.entry(shape).or_insert_with(|| Arc::new(create_layout(device, shape))).clone()
    }

    /// Scratch frame number `slot` of the given size, created on first use and kept for reuse.
    ///
    /// A node records passes that write a slot before they read it, and command buffers execute in
    /// submission order, so two graded frames of one size may share slots; a caller must only keep
    /// two different slots apart while it records one node.
    pub fn scratch(&self, ctx: &GpuContext, width: u32, height: u32, slot: usize) -> Result<Arc<GpuFrame>, GpuError> {
        let mut pool = self.frames.lock().unwrap_or_else(|e| e.into_inner());
        let index = match pool.iter().position(|(size, _)| *size == (width, height)) {
            Some(i) => i,
            None => {
                // Forget the least recently used size: a shot change frees the previous shot's frames.
                pool.truncate(POOL_SIZES - 1);
                pool.insert(0, ((width, height), Vec::new()));
                0
            }
        };
        // Most recently used size first.
        let entry = pool.remove(index);
        pool.insert(0, entry);
        let frames = &mut pool[0].1;
        while frames.len() <= slot {
            frames.push(Arc::new(GpuFrame::new(ctx, width, height)?));
        }
        Ok(frames[slot].clone())
    }
}

/// Records `pass`.
pub fn encode_pass(ctx: &GpuContext, encoder: &mut wgpu::CommandEncoder, pass: &Pass) -> Result<(), GpuError> {
    let shape = PassShape {
        inputs: pass.inputs.len() as u32,
        outputs: pass.outputs.len() as u32,
        storage: pass.storage.is_some(),
    };
    let layout = ctx.passes.layout(&ctx.device, shape);
    let pipeline = ctx.pipelines.get_or_create(&ctx.device, pass.shader, &layout.pipeline)?;
    // A uniform binding may not be empty.
    let uniform: &[u8] = if pass.uniform.is_empty() { &[0; 16] } else { pass.uniform };
    let uniform = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some(pass.shader),
        contents: uniform,
        usage: wgpu::BufferUsages::UNIFORM,
    });
    let storage = pass.storage.map(|bytes| {
        ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some(pass.shader),
            contents: if bytes.is_empty() { &[0; 16] } else { bytes },
            usage: wgpu::BufferUsages::STORAGE,
        })
    });
    let mut entries: Vec<wgpu::BindGroupEntry> = Vec::new();
    for frame in pass.inputs.iter().chain(pass.outputs) {
        let binding = entries.len() as u32;
        entries.push(wgpu::BindGroupEntry { binding, resource: wgpu::BindingResource::TextureView(&frame.view) });
    }
    entries.push(wgpu::BindGroupEntry { binding: entries.len() as u32, resource: uniform.as_entire_binding() });
    if let Some(storage) = &storage {
        entries.push(wgpu::BindGroupEntry { binding: entries.len() as u32, resource: storage.as_entire_binding() });
    }
    let bind_group = ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(pass.shader),
        layout: &layout.bind_group,
        entries: &entries,
    });
    let mut cpass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some(pass.shader), timestamp_writes: None });
    cpass.set_pipeline(&pipeline);
    cpass.set_bind_group(0, &bind_group, &[]);
    let [x, y, z] = pass.workgroups;
    cpass.dispatch_workgroups(x, y, z);
    Ok(())
}

fn create_layout(device: &wgpu::Device, shape: PassShape) -> Layout {
    let mut entries = Vec::new();
    let mut push = |ty| {
        let binding = entries.len() as u32;
        entries.push(wgpu::BindGroupLayoutEntry { binding, visibility: wgpu::ShaderStages::COMPUTE, ty, count: None });
    };
    for _ in 0..shape.inputs {
        push(wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable: false },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        });
    }
    for _ in 0..shape.outputs {
        push(wgpu::BindingType::StorageTexture {
            access: wgpu::StorageTextureAccess::WriteOnly,
            format: WORKING_FORMAT,
            view_dimension: wgpu::TextureViewDimension::D2,
        });
    }
    push(wgpu::BindingType::Buffer {
        ty: wgpu::BufferBindingType::Uniform,
        has_dynamic_offset: false,
        min_binding_size: None,
    });
    if shape.storage {
        push(wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only: true },
            has_dynamic_offset: false,
            min_binding_size: None,
        });
    }
    let label = format!("pass {}in {}out{}", shape.inputs, shape.outputs, if shape.storage { " +storage" } else { "" });
    let bind_group =
        device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: Some(&label), entries: &entries });
    let pipeline = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(&label),
        bind_group_layouts: &[Some(&bind_group)],
        immediate_size: 0,
    });
    Layout { bind_group, pipeline }
}
