//! 3D lattices (LUT tables) on the GPU: each uploaded once as an rgba32float 3D texture, kept while
//! its table is alive (the LUT file cache in `ops::lut` holds one per version of a file), so
//! re-rendering a grade (every edit in the app) uploads nothing, and an edited file is uploaded anew.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use super::{GpuContext, GpuError};
use crate::interchange::Lut3d;

/// Bytes per rgba32float texel.
const TEXEL_BYTES: u32 = 16;

/// A lattice on the GPU.
pub struct GpuLattice {
    /// The 3D texture's view.
    pub view: wgpu::TextureView,
    table: Weak<Lut3d>,
}

impl GpuLattice {
    /// True while the table it was uploaded from is alive.
    pub fn is_live(&self) -> bool {
        self.table.strong_count() > 0
    }
}

/// Uploaded lattices, by table.
#[derive(Default)]
pub struct LatticeCache {
    entries: Mutex<Vec<Arc<GpuLattice>>>,
    uploads: AtomicUsize,
}

impl LatticeCache {
    /// How many lattices have been uploaded so far (re-renders of a cached table do not count).
    pub fn uploads(&self) -> usize {
        self.uploads.load(Ordering::Relaxed)
    }

    /// The texture of `table`, uploaded on first use.
    pub fn get(&self, ctx: &GpuContext, table: &Arc<Lut3d>) -> Result<Arc<GpuLattice>, GpuError> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|e| e.is_live());
        let weak = Arc::downgrade(table);
        if let Some(found) = entries.iter().find(|e| Weak::ptr_eq(&e.table, &weak)) {
            return Ok(found.clone());
        }
        let lattice = Arc::new(GpuLattice { view: upload(ctx, table)?, table: weak });
        entries.push(lattice.clone());
        self.uploads.fetch_add(1, Ordering::Relaxed);
        Ok(lattice)
    }
}

fn upload(ctx: &GpuContext, table: &Lut3d) -> Result<wgpu::TextureView, GpuError> {
    let n = table.size as u32;
    let max = ctx.device.limits().max_texture_dimension_3d;
    if n > max {
        return Err(GpuError::FrameTooLarge { width: n, height: n, max });
    }
    let size = wgpu::Extent3d { width: n, height: n, depth_or_array_layers: n };
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
    // Texel order is the `.cube` row order: red fastest (x), then green (y), then blue (z).
    let texels: Vec<[f32; 4]> = table.table.iter().map(|v| [v[0], v[1], v[2], 0.0]).collect();
    // Queue::write_texture has no row alignment requirement; rows are the red axis.
    ctx.queue.write_texture(
        texture.as_image_copy(),
        bytemuck::cast_slice(&texels),
        wgpu::TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(n * TEXEL_BYTES), rows_per_image: Some(n) },
        size,
    );
    Ok(texture.create_view(&Default::default()))
}
