//! Bind-group layouts reflected from the WGSL with naga, instead of written by hand (as
//! `vello_shaders` does at build time): every binding the shader declares, classified, and the
//! workgroup size of its entry point `main`. Passes then bind their resources by class in binding order: images read
//! (`texture_2d<f32>`), images written (storage textures), 3D lattices, uniforms, storage buffers.

/// What a binding holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BindingClass {
    /// A `texture_2d<f32>` read with `textureLoad`.
    Input,
    /// A write-only 2D storage texture of this format.
    Output(wgpu::TextureFormat),
    /// A `texture_3d<f32>` (a LUT's lattice).
    Lattice,
    /// A uniform buffer.
    Uniform,
    /// A storage buffer.
    Storage {
        /// Read-only (`var<storage, read>`).
        read_only: bool,
    },
}

/// A shader's bindings (group 0) and workgroup size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reflection {
    /// (binding number, class), ascending by binding.
    pub bindings: Vec<(u32, BindingClass)>,
    /// `@workgroup_size` of `main`.
    pub workgroup: [u32; 3],
}

fn storage_format(format: naga::StorageFormat) -> Result<wgpu::TextureFormat, String> {
    Ok(match format {
        naga::StorageFormat::Rgba32Float => wgpu::TextureFormat::Rgba32Float,
        naga::StorageFormat::Rgba16Float => wgpu::TextureFormat::Rgba16Float,
        naga::StorageFormat::Rgba8Unorm => wgpu::TextureFormat::Rgba8Unorm,
        naga::StorageFormat::R32Float => wgpu::TextureFormat::R32Float,
        other => return Err(format!("storage texture format {other:?} is not used by Cinegrade")),
    })
}

/// Parses and validates `source` (resolved WGSL) and reflects its bindings and `main`'s workgroup size.
pub fn reflect(source: &str) -> Result<Reflection, String> {
    let module = naga::front::wgsl::parse_str(source).map_err(|e| e.emit_to_string(source))?;
    naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
        .validate(&module)
        .map_err(|e| format!("{:?}", e.into_inner()))?;
    let entry =
        module.entry_points.iter().find(|e| e.name == "main").ok_or_else(|| "no entry point `main`".to_string())?;
    // Every declared binding, used by `main` or not: passes bind by class in declaration order.
    let mut bindings = Vec::new();
    for (_, var) in module.global_variables.iter() {
        let Some(binding) = &var.binding else { continue };
        if binding.group != 0 {
            return Err(format!("binding group {} (only group 0 is used)", binding.group));
        }
        let class = match var.space {
            naga::AddressSpace::Uniform => BindingClass::Uniform,
            naga::AddressSpace::Storage { access } => {
                BindingClass::Storage { read_only: !access.contains(naga::StorageAccess::STORE) }
            }
            naga::AddressSpace::Handle => match &module.types[var.ty].inner {
                naga::TypeInner::Image { dim, arrayed: false, class } => match (dim, class) {
                    (
                        naga::ImageDimension::D2,
                        naga::ImageClass::Sampled { kind: naga::ScalarKind::Float, multi: false },
                    ) => BindingClass::Input,
                    (
                        naga::ImageDimension::D3,
                        naga::ImageClass::Sampled { kind: naga::ScalarKind::Float, multi: false },
                    ) => BindingClass::Lattice,
                    (naga::ImageDimension::D2, naga::ImageClass::Storage { format, .. }) => {
                        BindingClass::Output(storage_format(*format)?)
                    }
                    other => {
                        return Err(format!("binding {}: image {other:?} is not used by Cinegrade", binding.binding));
                    }
                },
                other => return Err(format!("binding {}: {other:?} is not used by Cinegrade", binding.binding)),
            },
            other => return Err(format!("binding {}: address space {other:?}", binding.binding)),
        };
        bindings.push((binding.binding, class));
    }
    bindings.sort_by_key(|(b, _)| *b);
    Ok(Reflection { bindings, workgroup: entry.workgroup_size })
}

impl Reflection {
    /// The bind-group layout entries of these bindings.
    pub fn layout_entries(&self) -> Vec<wgpu::BindGroupLayoutEntry> {
        let texture = |view_dimension| wgpu::BindingType::Texture {
            // rgba32float is not filterable without an optional feature; every shader uses textureLoad.
            sample_type: wgpu::TextureSampleType::Float { filterable: false },
            view_dimension,
            multisampled: false,
        };
        let buffer = |ty| wgpu::BindingType::Buffer { ty, has_dynamic_offset: false, min_binding_size: None };
        self.bindings
            .iter()
            .map(|(binding, class)| wgpu::BindGroupLayoutEntry {
                binding: *binding,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: match class {
                    BindingClass::Input => texture(wgpu::TextureViewDimension::D2),
                    BindingClass::Lattice => texture(wgpu::TextureViewDimension::D3),
                    BindingClass::Output(format) => wgpu::BindingType::StorageTexture {
                        access: wgpu::StorageTextureAccess::WriteOnly,
                        format: *format,
                        view_dimension: wgpu::TextureViewDimension::D2,
                    },
                    BindingClass::Uniform => buffer(wgpu::BufferBindingType::Uniform),
                    BindingClass::Storage { read_only } => {
                        buffer(wgpu::BufferBindingType::Storage { read_only: *read_only })
                    }
                },
                count: None,
            })
            .collect()
    }

    /// How many bindings of `class` there are.
    pub fn count(&self, class: BindingClass) -> usize {
        self.bindings.iter().filter(|(_, c)| *c == class).count()
    }
}
