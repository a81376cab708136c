//! Compute pipelines, built once per shader and kept for the life of the device.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{GpuError, shaders};

/// Workgroup edge of every image shader (`@workgroup_size(16, 16)`).
pub const WORKGROUP: u32 = 16;

/// The one layout all image ops share: source texture, destination storage texture, parameters.
pub struct ImageOpLayout {
    /// Bind group layout: 0 = source, 1 = destination, 2 = uniform.
    pub bind_group: wgpu::BindGroupLayout,
    /// Pipeline layout built from it.
    pub pipeline: wgpu::PipelineLayout,
}

/// Compiled pipelines keyed by shader name.
#[derive(Default)]
pub struct PipelineCache {
    layout: Mutex<Option<Arc<ImageOpLayout>>>,
    pipelines: Mutex<HashMap<String, Arc<wgpu::ComputePipeline>>>,
}

impl PipelineCache {
    /// The shared image-op layout, created on first use.
    pub fn image_op_layout(&self, device: &wgpu::Device) -> Arc<ImageOpLayout> {
        let mut slot = self.layout.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| Arc::new(create_layout(device))).clone()
    }

    /// The pipeline for image op `name` (source, destination, uniform), compiled on first use.
    pub fn image_op(&self, device: &wgpu::Device, name: &'static str) -> Result<Arc<wgpu::ComputePipeline>, GpuError> {
        let layout = self.image_op_layout(device);
        self.get_or_create(device, name, &layout.pipeline)
    }

    /// The pipeline for shader `name` (entry point `main`) with its own `layout`, compiled on first
    /// use. Each shader has exactly one layout, so the name alone keys the cache.
    pub fn get_or_create(
        &self,
        device: &wgpu::Device,
        name: &'static str,
        layout: &wgpu::PipelineLayout,
    ) -> Result<Arc<wgpu::ComputePipeline>, GpuError> {
        if let Some(p) = self.pipelines.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Ok(p.clone());
        }
        let source = shaders::source(name).ok_or_else(|| GpuError::Shader(format!("no shader named {name}")))?;
        self.get_or_create_from_source(device, name, &source, layout)
    }

    /// The pipeline for a generated shader: `source` under `name` (which must say everything the
    /// source depends on), compiled on first use.
    pub fn get_or_create_from_source(
        &self,
        device: &wgpu::Device,
        name: &str,
        source: &str,
        layout: &wgpu::PipelineLayout,
    ) -> Result<Arc<wgpu::ComputePipeline>, GpuError> {
        if let Some(p) = self.pipelines.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Ok(p.clone());
        }
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(name),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(name),
            layout: Some(layout),
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        if let Some(err) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Shader(format!("{name}.wgsl: {err}")));
        }
        let pipeline = Arc::new(pipeline);
        self.pipelines.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), pipeline.clone());
        Ok(pipeline)
    }
}

fn create_layout(device: &wgpu::Device) -> ImageOpLayout {
    let bind_group = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("image-op"),
        entries: &[
            wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Texture {
                    sample_type: wgpu::TextureSampleType::Float { filterable: false },
                    view_dimension: wgpu::TextureViewDimension::D2,
                    multisampled: false,
                },
                count: None,
            },
            wgpu::BindGroupLayoutEntry {
                binding: 1,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::StorageTexture {
                    access: wgpu::StorageTextureAccess::WriteOnly,
                    format: wgpu::TextureFormat::Rgba32Float,
                    view_dimension: wgpu::TextureViewDimension::D2,
                },
                count: None,
            },
            wgpu::BindGroupLayoutEntry {
                binding: 2,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            },
        ],
    });
    let pipeline = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("image-op"),
        bind_group_layouts: &[Some(&bind_group)],
        immediate_size: 0,
    });
    ImageOpLayout { bind_group, pipeline }
}
