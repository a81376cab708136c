//! The LUT node's GPU side: `.cube` tables uploaded once per file version (a 3D rgba32float texture
//! and a storage buffer for the 1D table); the pass is a stage of [`super::fused`].
//!
//! Uploaded tables are cached by path and keyed by the file's modification time and length, so
//! re-rendering a grade (every edit in the app) re-uploads nothing, and an edited file is picked up
//! on the next render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use wgpu::util::DeviceExt;

use super::{GpuContext, GpuError};
use crate::interchange::{CubeFile, InterchangeError};
use crate::ops::lut::{LutUniform, table_1d_texels, table_3d_texels};

/// Bytes per rgba32float texel.
const TEXEL_BYTES: u32 = 16;

/// A `.cube` file's tables on the GPU.
pub struct GpuLut {
    /// The uniform for this file at mix 1 with tetrahedral interpolation (domains and sizes).
    pub(crate) base: LutUniform,
    /// The 3D lattice (1x1x1 black when the file has no 3D table).
    pub(crate) lattice: wgpu::TextureView,
    /// The 1D table, one vec4 per entry (one zero entry when the file has none).
    pub(crate) shaper: wgpu::Buffer,
}

/// Which version of a file a cache entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// Uploaded LUTs by path.
#[derive(Default)]
pub struct LutCache {
    entries: Mutex<HashMap<PathBuf, (FileStamp, Arc<GpuLut>)>>,
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
        usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
    });
    Ok(GpuLut { base, lattice: texture.create_view(&Default::default()), shaper })
}
