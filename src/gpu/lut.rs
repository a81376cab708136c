//! The LUT node's GPU side: `.cube` tables uploaded once per file version (a 3D rgba32float texture
//! and a storage buffer for the 1D table), the LUT bind group layout, and the pass itself.
//!
//! Uploaded tables are cached by path and keyed by the file's modification time and length, so
//! re-rendering a grade (every edit in the app) re-uploads nothing, and an edited file is picked up
//! on the next render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use wgpu::util::DeviceExt;

use super::pipelines::WORKGROUP;
use super::{GpuContext, GpuError, GpuFrame};
use crate::interchange::{CubeFile, InterchangeError};
use crate::ops::lut::{Lut, LutUniform, SHADER, table_1d_texels, table_3d_texels};

/// Bytes per rgba32float texel.
const TEXEL_BYTES: u32 = 16;

/// A `.cube` file's tables on the GPU.
pub struct GpuLut {
    /// The uniform for this file at mix 1 with tetrahedral interpolation (domains and sizes).
    base: LutUniform,
    /// The 3D lattice (1x1x1 black when the file has no 3D table).
    lattice: wgpu::TextureView,
    /// The 1D table, one vec4 per entry (one zero entry when the file has none).
    shaper: wgpu::Buffer,
}

/// Which version of a file a cache entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// Uploaded LUTs by path, plus the LUT pass's bind group layout.
#[derive(Default)]
pub struct LutCache {
    entries: Mutex<HashMap<PathBuf, (FileStamp, Arc<GpuLut>)>>,
    layout: OnceLock<(wgpu::BindGroupLayout, wgpu::PipelineLayout)>,
    uploads: AtomicUsize,
}

impl LutCache {
    /// How many files have been uploaded so far (re-renders of a cached file do not count).
    pub fn uploads(&self) -> usize {
        self.uploads.load(Ordering::Relaxed)
    }

    /// The tables of `path`, uploaded on first use or when the file changed since.
    pub fn get(&self, ctx: &GpuContext, path: &Path) -> Result<Arc<GpuLut>, GpuError> {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| InterchangeError::Io { file: name.clone(), source })?;
        let stamp = FileStamp { modified: meta.modified().ok(), len: meta.len() };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, lut)) = entries.get(path)
            && *s == stamp
        {
            return Ok(lut.clone());
        }
        let cube = crate::interchange::read_cube(path)?;
        let lut = Arc::new(upload(ctx, &cube, &name)?);
        // One entry per path: a newer version of the file replaces the older one.
        entries.insert(path.to_path_buf(), (stamp, lut.clone()));
        self.uploads.fetch_add(1, Ordering::Relaxed);
        Ok(lut)
    }

    fn layout(&self, device: &wgpu::Device) -> &(wgpu::BindGroupLayout, wgpu::PipelineLayout) {
        self.layout.get_or_init(|| create_layout(device))
    }
}

/// Uploads a parsed file's tables.
pub fn upload(ctx: &GpuContext, cube: &CubeFile, name: &str) -> Result<GpuLut, GpuError> {
    let base = LutUniform::new(cube, Default::default(), 1.0);
    let lattice = table_3d_texels(cube);
    if lattice.as_ref().map_or(0, |(n, _)| *n) != base.size_3d {
        return Err(InterchangeError::Unwritable {
            what: "3D LUT texture",
            reason: format!("{name}: the 3D table does not hold size³ entries"),
        }
        .into());
    }
    let (n, texels) = lattice.unwrap_or((1, vec![[0.0; 4]]));
    let size = wgpu::Extent3d { width: n, height: n, depth_or_array_layers: n };
    let max = ctx.device.limits().max_texture_dimension_3d;
    if n > max {
        return Err(GpuError::FrameTooLarge { width: n, height: n, max });
    }
    let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
        label: Some("lut lattice"),
        size,
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D3,
        format: wgpu::TextureFormat::Rgba32Float,
        usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    });
    // Queue::write_texture has no row alignment requirement; rows are the red axis.
    ctx.queue.write_texture(
        texture.as_image_copy(),
        bytemuck::cast_slice(&texels),
        wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(n * TEXEL_BYTES), rows_per_image: Some(n) },
        size,
    );
    let shaper = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("lut shaper"),
        contents: bytemuck::cast_slice(&table_1d_texels(cube)),
        usage: wgpu::BufferUsages::STORAGE,
    });
    Ok(GpuLut { base, lattice: texture.create_view(&Default::default()), shaper })
}

/// Records the LUT node `lut` at `mix` from `src` into `dst`.
pub fn encode_lut(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    lut: &Lut,
    mix: f32,
    src: &GpuFrame,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    let tables = ctx.luts.get(ctx, &lut.path)?;
    let (bind_layout, pipeline_layout) = ctx.luts.layout(&ctx.device);
    let pipeline = ctx.pipelines.get_or_create(&ctx.device, SHADER, pipeline_layout)?;
    let uniform =
        LutUniform { interpolation: crate::ops::lut::interpolation_id(lut.interpolation), mix, ..tables.base };
    let buffer = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some(SHADER),
        contents: bytemuck::bytes_of(&uniform),
        usage: wgpu::BufferUsages::UNIFORM,
    });
    let bind_group = ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(SHADER),
        layout: bind_layout,
        entries: &[
            wgpu::BindGroupEntry { binding: 0, resource: wgpu::BindingResource::TextureView(&src.view) },
            wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(&dst.view) },
            wgpu::BindGroupEntry { binding: 2, resource: buffer.as_entire_binding() },
            wgpu::BindGroupEntry { binding: 3, resource: wgpu::BindingResource::TextureView(&tables.lattice) },
            wgpu::BindGroupEntry { binding: 4, resource: tables.shaper.as_entire_binding() },
        ],
    });
    let mut pass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some(SHADER), timestamp_writes: None });
    pass.set_pipeline(&pipeline);
    pass.set_bind_group(0, &bind_group, &[]);
    pass.dispatch_workgroups(src.width.div_ceil(WORKGROUP), src.height.div_ceil(WORKGROUP), 1);
    Ok(())
}

/// Source, destination and uniform as every image op, plus the 3D lattice and the 1D table.
fn create_layout(device: &wgpu::Device) -> (wgpu::BindGroupLayout, wgpu::PipelineLayout) {
    let entry =
        |binding, ty| wgpu::BindGroupLayoutEntry { binding, visibility: wgpu::ShaderStages::COMPUTE, ty, count: None };
    let texture = |view_dimension| wgpu::BindingType::Texture {
        sample_type: wgpu::TextureSampleType::Float { filterable: false },
        view_dimension,
        multisampled: false,
    };
    let buffer = |ty| wgpu::BindingType::Buffer { ty, has_dynamic_offset: false, min_binding_size: None };
    let bind_group = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some("lut"),
        entries: &[
            entry(0, texture(wgpu::TextureViewDimension::D2)),
            entry(
                1,
                wgpu::BindingType::StorageTexture {
                    access: wgpu::StorageTextureAccess::WriteOnly,
                    format: wgpu::TextureFormat::Rgba32Float,
                    view_dimension: wgpu::TextureViewDimension::D2,
                },
            ),
            entry(2, buffer(wgpu::BufferBindingType::Uniform)),
            entry(3, texture(wgpu::TextureViewDimension::D3)),
            entry(4, buffer(wgpu::BufferBindingType::Storage { read_only: true })),
        ],
    });
    let pipeline = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some("lut"),
        bind_group_layouts: &[Some(&bind_group)],
        immediate_size: 0,
    });
    (bind_group, pipeline)
}
