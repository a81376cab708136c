//! The wgpu plumbing of the scope passes: bind group layouts, pipeline creation and dispatch.

use crate::gpu::{GpuError, shaders};

/// Accumulation layout: 0 = frame (rgba32float), 1 = `ScopeParams` uniform, then `bins` read-write
/// bin buffers from 2.
pub fn accumulate_layout(device: &wgpu::Device, bins: u32) -> wgpu::BindGroupLayout {
    let mut entries = vec![
        entry(
            0,
            wgpu::BindingType::Texture {
                sample_type: wgpu::TextureSampleType::Float { filterable: false },
                view_dimension: wgpu::TextureViewDimension::D2,
                multisampled: false,
            },
        ),
        uniform_entry(1),
    ];
    entries.extend((0..bins).map(|i| storage_entry(2 + i, false)));
    device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("scope-accumulate"),
        entries: &entries,
    })
}

/// Reduction layout: 0 = `ScopeParams` uniform, 1 = source bins (read-only), 2 = result bins.
pub fn reduce_layout(device: &wgpu::Device) -> wgpu::BindGroupLayout {
    device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("scope-reduce"),
        entries: &[uniform_entry(0), storage_entry(1, true), storage_entry(2, false)],
    })
}

/// Render layout: 0 = `RenderParams` uniform, 1 = bins (read-only), 2 = the image (storage, write).
pub fn render_layout(device: &wgpu::Device, format: wgpu::TextureFormat) -> wgpu::BindGroupLayout {
    device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("scope-render"),
        entries: &[
            uniform_entry(0),
            storage_entry(1, true),
            entry(
                2,
                wgpu::BindingType::StorageTexture {
                    access: wgpu::StorageTextureAccess::WriteOnly,
                    format,
                    view_dimension: wgpu::TextureViewDimension::D2,
                },
            ),
        ],
    })
}

fn entry(binding: u32, ty: wgpu::BindingType) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry { binding, visibility: wgpu::ShaderStages::COMPUTE, ty, count: None }
}

fn uniform_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    entry(
        binding,
        wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
    )
}

fn storage_entry(binding: u32, read_only: bool) -> wgpu::BindGroupLayoutEntry {
    entry(
        binding,
        wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
    )
}

/// Compiles the compute shader `name` (with its prefixes) against `layout`.
pub fn pipeline(
    device: &wgpu::Device,
    name: &'static str,
    layout: &wgpu::BindGroupLayout,
) -> Result<wgpu::ComputePipeline, GpuError> {
    let source = shaders::source(name).ok_or_else(|| GpuError::Shader(format!("no shader named {name}")))?;
    let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(name),
        bind_group_layouts: &[Some(layout)],
        immediate_size: 0,
    });
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(name),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    });
    let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(name),
        layout: Some(&pipeline_layout),
        module: &module,
        entry_point: Some("main"),
        compilation_options: Default::default(),
        cache: None,
    });
    if let Some(err) = pollster::block_on(scope.pop()) {
        return Err(GpuError::Shader(format!("{name}.wgsl: {err}")));
    }
    Ok(pipeline)
}

/// Binds `resources` as bindings 0, 1, 2, ... and dispatches `pipeline` over `groups` workgroups.
pub fn dispatch<'a>(
    device: &wgpu::Device,
    encoder: &mut wgpu::CommandEncoder,
    label: &str,
    (pipeline, layout): (&wgpu::ComputePipeline, &wgpu::BindGroupLayout),
    resources: impl IntoIterator<Item = wgpu::BindingResource<'a>>,
    (x, y, z): (u32, u32, u32),
) {
    let entries: Vec<_> = resources
        .into_iter()
        .enumerate()
        .map(|(binding, resource)| wgpu::BindGroupEntry { binding: binding as u32, resource })
        .collect();
    let bind_group =
        device.create_bind_group(&wgpu::BindGroupDescriptor { label: Some(label), layout, entries: &entries });
    let mut pass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some(label), timestamp_writes: None });
    pass.set_pipeline(pipeline);
    pass.set_bind_group(0, &bind_group, &[]);
    pass.dispatch_workgroups(x, y, z);
}
