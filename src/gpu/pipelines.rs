//! The one pipeline cache: every compute pipeline of a device (grade kernels, fused passes, the
//! viewer's display pass, the scopes), keyed by shader and specialisation ([`Program`]), with its
//! bind-group layout reflected from the WGSL.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::graph::Program;
use super::reflect::{BindingClass, Reflection};
use super::{GpuError, fused, shaders};

/// Workgroup edge of the 2D image shaders (`@workgroup_size(16, 16)`).
pub const WORKGROUP: u32 = 16;

/// A compiled compute pipeline with its reflected layout.
pub struct Pipeline {
    /// What it runs.
    pub program: Program,
    /// Unique per pipeline built on this device (bind-group cache keys).
    pub id: u64,
    /// The pipeline.
    pub pipeline: wgpu::ComputePipeline,
    /// Its bind group layout (group 0).
    pub bind_group_layout: wgpu::BindGroupLayout,
    /// Its bindings and workgroup size.
    pub reflection: Reflection,
}

impl Pipeline {
    /// The binding numbers of `class`, ascending.
    pub fn bindings_of(&self, matches: impl Fn(BindingClass) -> bool) -> Vec<u32> {
        self.reflection.bindings.iter().filter(|(_, c)| matches(*c)).map(|(b, _)| *b).collect()
    }
}

/// Compiled pipelines by program, one cache per device.
#[derive(Default)]
pub struct PipelineCache {
    pipelines: Mutex<HashMap<Program, Arc<Pipeline>>>,
    built: AtomicUsize,
    next_id: AtomicU64,
}

impl PipelineCache {
    /// How many pipelines have been compiled on this device.
    pub fn built(&self) -> usize {
        self.built.load(Ordering::Relaxed)
    }

    /// How many fused programs have been compiled on this device.
    pub fn fused_built(&self) -> usize {
        let map = self.pipelines.lock().unwrap_or_else(|e| e.into_inner());
        map.keys()
            .filter(|k| matches!(k, Program::Fused(_) | Program::FusedDisplay(_) | Program::FusedKeyed(..)))
            .count()
    }

    /// The pipeline of library shader `name`.
    pub fn shader(&self, device: &wgpu::Device, name: &'static str) -> Result<Arc<Pipeline>, GpuError> {
        self.get(device, &Program::Shader(name))
    }

    /// The pipeline of `program`, compiled on first use.
    pub fn get(&self, device: &wgpu::Device, program: &Program) -> Result<Arc<Pipeline>, GpuError> {
        if let Some(p) = self.pipelines.lock().unwrap_or_else(|e| e.into_inner()).get(program) {
            return Ok(p.clone());
        }
        let (label, source) = match program {
            Program::Shader(name) => {
                (name.to_string(), shaders::source(name).ok_or_else(|| GpuError::Shader(format!("no shader {name}")))?)
            }
            Program::Overridden(name, constants) => (
                format!("{name}{constants:?}"),
                shaders::source(name).ok_or_else(|| GpuError::Shader(format!("no shader {name}")))?,
            ),
            Program::Fused(stages) => (format!("fused{stages:?}"), fused::source(stages)),
            Program::FusedDisplay(stages) => (format!("fused display{stages:?}"), fused::display_source(stages)),
            Program::FusedKeyed(stages, constants) => {
                (format!("fused keyed{stages:?}{constants:?}"), fused::keyed_source(stages))
            }
        };
        let constants: Vec<(&str, f64)> = match program {
            Program::Overridden(_, c) | Program::FusedKeyed(_, c) => {
                c.iter().map(|(k, v)| (*k, f64::from(*v))).collect()
            }
            _ => Vec::new(),
        };
        let reflection = super::reflect::reflect(&source).map_err(|e| GpuError::Shader(format!("{label}: {e}")))?;
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(&label),
            entries: &reflection.layout_entries(),
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some(&label),
            bind_group_layouts: &[Some(&bind_group_layout)],
            immediate_size: 0,
        });
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(&label),
            source: wgpu::ShaderSource::Wgsl(source.into()),
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(&label),
            layout: Some(&layout),
            module: &module,
            entry_point: Some("main"),
            compilation_options: wgpu::PipelineCompilationOptions { constants: &constants, ..Default::default() },
            cache: None,
        });
        if let Some(err) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Shader(format!("{label}: {err}")));
        }
        let pipeline = Arc::new(Pipeline {
            program: program.clone(),
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            pipeline,
            bind_group_layout,
            reflection,
        });
        self.built.fetch_add(1, Ordering::Relaxed);
        self.pipelines.lock().unwrap_or_else(|e| e.into_inner()).insert(program.clone(), pipeline.clone());
        Ok(pipeline)
    }
}

/// Records one dispatch of `pipeline` with `bind_group` over `groups` workgroups.
pub fn dispatch(
    encoder: &mut wgpu::CommandEncoder,
    pipeline: &Pipeline,
    bind_group: &wgpu::BindGroup,
    groups: [u32; 3],
    label: &str,
) {
    let mut pass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some(label), timestamp_writes: None });
    pass.set_pipeline(&pipeline.pipeline);
    pass.set_bind_group(0, bind_group, &[]);
    pass.dispatch_workgroups(groups[0], groups[1], groups[2]);
}

/// A bind group for `pipeline` from resources given by class, each list in binding order: images
/// read, images written, lattices, then buffers (uniforms and storage buffers in binding order).
pub fn bind_group(
    device: &wgpu::Device,
    pipeline: &Pipeline,
    label: &str,
    inputs: &[&wgpu::TextureView],
    outputs: &[&wgpu::TextureView],
    lattices: &[&wgpu::TextureView],
    buffers: &[wgpu::BindingResource],
) -> Result<wgpu::BindGroup, GpuError> {
    let (mut i, mut o, mut l, mut b) = (0, 0, 0, 0);
    let mut entries = Vec::with_capacity(pipeline.reflection.bindings.len());
    let missing = |what: &str| GpuError::Shader(format!("{label}: binds more {what} than the pass provides"));
    for (binding, class) in &pipeline.reflection.bindings {
        let resource = match class {
            BindingClass::Input => {
                i += 1;
                wgpu::BindingResource::TextureView(inputs.get(i - 1).ok_or_else(|| missing("input images"))?)
            }
            BindingClass::Output(_) => {
                o += 1;
                wgpu::BindingResource::TextureView(outputs.get(o - 1).ok_or_else(|| missing("output images"))?)
            }
            BindingClass::Lattice => {
                l += 1;
                wgpu::BindingResource::TextureView(lattices.get(l - 1).ok_or_else(|| missing("lattices"))?)
            }
            BindingClass::Uniform | BindingClass::Storage { .. } => {
                b += 1;
                buffers.get(b - 1).ok_or_else(|| missing("buffers"))?.clone()
            }
        };
        entries.push(wgpu::BindGroupEntry { binding: *binding, resource });
    }
    Ok(device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout: &pipeline.bind_group_layout,
        entries: &entries,
    }))
}
