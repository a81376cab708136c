//! The GPU runner of the pass graph: maps the graph's images onto textures (the source, the output,
//! pooled scratch frames reused as soon as an image is read for the last time), and records each pass
//! with its pipeline from the one cache and a bind group kept per pass shape and frames. An edit then
//! only copies new parameters into persistent buffers inside the command encoder (ordered before the
//! dispatch that reads them); no pipeline, bind group or texture is created per edit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use wgpu::util::DeviceExt;

use super::graph::{Dispatch, Img, Pass, PassGraph, Program, SOURCE};
use super::lattice::GpuLattice;
use super::pipelines::{Pipeline, bind_group, dispatch};
use super::{GpuContext, GpuError, GpuFrame};

/// How many image sizes the scratch pool keeps frames for (the viewer's full frame and proxy,
/// thumbnails', an export's, and beside each a key's packed matte, a quarter as wide).
const POOL_SIZES: usize = 8;
/// Bind-group caches keep at most this many entries (stale ones go first).
const MAX_BINDINGS: usize = 128;

/// Scratch frames of one size, by slot.
type SizedFrames = ((u32, u32), Vec<Arc<GpuFrame>>);

/// What a kept bind group was made for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct BindingKey {
    pipeline: u64,
    frames: Vec<u64>,
    lattices: Vec<usize>,
    uniforms: Vec<u64>,
    tables: u64,
}

/// A kept bind group with its parameter buffers.
struct Binding {
    frames: Vec<Weak<()>>,
    lattices: Vec<Arc<GpuLattice>>,
    params: wgpu::Buffer,
    offsets: Vec<u64>,
    tables: Option<wgpu::Buffer>,
    bind_group: wgpu::BindGroup,
    last_used: AtomicU64,
}

impl Binding {
    fn is_stale(&self) -> bool {
        self.frames.iter().any(|f| f.strong_count() == 0) || self.lattices.iter().any(|l| !l.is_live())
    }
}

/// Scratch frames and kept bind groups, one per device.
#[derive(Default)]
pub struct PassCache {
    frames: Mutex<Vec<SizedFrames>>,
    bindings: Mutex<HashMap<BindingKey, Arc<Binding>>>,
    clock: AtomicU64,
    bindings_built: AtomicUsize,
}

impl PassCache {
    /// Scratch frame number `slot` of the given size, created on first use and kept for reuse.
    ///
    /// A graph writes a scratch frame before it reads it, and command buffers execute in submission
    /// order, so graphs recorded one after another may share slots.
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

    /// How many scratch frames of `width` × `height` the pool holds.
    pub fn scratch_frames(&self, width: u32, height: u32) -> usize {
        let pool = self.frames.lock().unwrap_or_else(|e| e.into_inner());
        pool.iter().find(|(size, _)| *size == (width, height)).map_or(0, |(_, f)| f.len())
    }

    /// How many bind groups (with their parameter buffers) have been built on this device.
    pub fn bindings_built(&self) -> usize {
        self.bindings_built.load(Ordering::Relaxed)
    }

    /// How many bind groups are kept now (those of frames that are gone go at the next encode).
    pub fn cached_bindings(&self) -> usize {
        self.bindings.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn binding(
        &self,
        ctx: &GpuContext,
        pipeline: &Pipeline,
        pass: &Pass,
        frames: &[&GpuFrame],
        lattices: Vec<Arc<GpuLattice>>,
    ) -> Result<Arc<Binding>, GpuError> {
        let key = BindingKey {
            pipeline: pipeline.id,
            frames: frames.iter().map(|f| f.id()).collect(),
            lattices: lattices.iter().map(|l| Arc::as_ptr(l) as usize).collect(),
            uniforms: pass.uniforms.iter().map(|u| uniform_size(u.len())).collect(),
            tables: (pass.tables.len() * 4) as u64,
        };
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut bindings = self.bindings.lock().unwrap_or_else(|e| e.into_inner());
        // Frames and tables that are gone free their bind groups (which hold their textures alive).
        bindings.retain(|_, b| !b.is_stale());
        if let Some(b) = bindings.get(&key) {
            b.last_used.store(now, Ordering::Relaxed);
            return Ok(b.clone());
        }
        if bindings.len() >= MAX_BINDINGS
            && let Some(oldest) =
                bindings.iter().min_by_key(|(_, b)| b.last_used.load(Ordering::Relaxed)).map(|(k, _)| k.clone())
        {
            bindings.remove(&oldest);
        }
        let binding = Arc::new(build_binding(ctx, pipeline, pass, frames, lattices, now)?);
        self.bindings_built.fetch_add(1, Ordering::Relaxed);
        bindings.insert(key, binding.clone());
        Ok(binding)
    }
}

/// A uniform's bound size: WGSL rounds uniform structs up to 16 bytes.
fn uniform_size(len: usize) -> u64 {
    (len as u64).max(16).div_ceil(16) * 16
}

fn build_binding(
    ctx: &GpuContext,
    pipeline: &Pipeline,
    pass: &Pass,
    frames: &[&GpuFrame],
    lattices: Vec<Arc<GpuLattice>>,
    now: u64,
) -> Result<Binding, GpuError> {
    let device = &ctx.device;
    let align = u64::from(device.limits().min_uniform_buffer_offset_alignment);
    let mut offsets = Vec::with_capacity(pass.uniforms.len());
    let mut end = 0u64;
    for u in &pass.uniforms {
        let offset = end.div_ceil(align) * align;
        offsets.push(offset);
        end = offset + uniform_size(u.len());
    }
    let params = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("pass params"),
        size: end.max(16),
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let wants_tables =
        pipeline.reflection.bindings.iter().any(|(_, c)| matches!(c, super::reflect::BindingClass::Storage { .. }));
    let tables = wants_tables.then(|| {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pass tables"),
            size: ((pass.tables.len() * 4) as u64).max(16),
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    });
    let (inputs, outputs) = frames.split_at(pass.inputs.len());
    let inputs: Vec<&wgpu::TextureView> = inputs.iter().map(|f| &f.view).collect();
    let outputs: Vec<&wgpu::TextureView> = outputs.iter().map(|f| &f.view).collect();
    let lattice_views: Vec<&wgpu::TextureView> = lattices.iter().map(|l| &l.view).collect();
    // Buffers in binding order: the tables buffer (binding 2 of a fused pass) sits before the stage
    // uniforms, so order the pass's buffers by the reflected bindings.
    let mut buffers = Vec::new();
    let mut uniform = 0;
    for (_, class) in &pipeline.reflection.bindings {
        match class {
            super::reflect::BindingClass::Uniform => {
                let (offset, size) = (offsets[uniform], uniform_size(pass.uniforms[uniform].len()));
                buffers.push(wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer: &params,
                    offset,
                    size: std::num::NonZeroU64::new(size),
                }));
                uniform += 1;
            }
            super::reflect::BindingClass::Storage { .. } => {
                let t = tables.as_ref().ok_or_else(|| GpuError::Shader("a pass binds tables it has none of".into()))?;
                buffers.push(t.as_entire_binding());
            }
            _ => {}
        }
    }
    let label = format!("{:?}", pass.program);
    let bind_group = bind_group(device, pipeline, &label, &inputs, &outputs, &lattice_views, &buffers)?;
    Ok(Binding {
        frames: frames.iter().map(|f| f.liveness()).collect(),
        lattices,
        params,
        offsets,
        tables,
        bind_group,
        last_used: AtomicU64::new(now),
    })
}

/// Workgroups of `dispatch` over a `width` × `height` image with `workgroup` invocations each.
pub fn workgroups(dispatch: Dispatch, workgroup: [u32; 3], width: u32, height: u32) -> [u32; 3] {
    match dispatch {
        Dispatch::Pixels => [width.div_ceil(workgroup[0]), height.div_ceil(workgroup[1]), 1],
        Dispatch::Rows => [width.div_ceil(workgroup[0]), height, 1],
        Dispatch::Columns => [height.div_ceil(workgroup[0]), width, 1],
        Dispatch::RowBlocks => [width.div_ceil(4 * workgroup[0]), height, 1],
        Dispatch::ColumnBlocks => [height.div_ceil(4 * workgroup[0]), width, 1],
    }
}

/// Assigns every image other than the source and the output a scratch slot of its size, reusing a
/// slot once the image it held has been read for the last time (never within the pass that reads
/// it). Slots are numbered per size.
fn allocate(graph: &PassGraph) -> Vec<Option<((u32, u32), usize)>> {
    let n = graph.images() as usize;
    let mut last_read = vec![None; n];
    for (i, pass) in graph.passes.iter().enumerate() {
        for img in &pass.inputs {
            last_read[img.0 as usize] = Some(i);
        }
    }
    let mut slot: Vec<Option<((u32, u32), usize)>> = vec![None; n];
    // Per size: the free slots and how many there are.
    let mut sizes: Vec<((u32, u32), Vec<usize>, usize)> = Vec::new();
    for (i, pass) in graph.passes.iter().enumerate() {
        for img in &pass.outputs {
            if *img != graph.output {
                let size = graph.image_size(*img);
                let k = match sizes.iter().position(|(s, _, _)| *s == size) {
                    Some(k) => k,
                    None => {
                        sizes.push((size, Vec::new(), 0));
                        sizes.len() - 1
                    }
                };
                let (_, free, next) = &mut sizes[k];
                let s = free.pop().unwrap_or_else(|| {
                    *next += 1;
                    *next - 1
                });
                slot[img.0 as usize] = Some((size, s));
            }
        }
        for img in &pass.inputs {
            if let (Some((size, s)), Some(last)) = (slot[img.0 as usize], last_read[img.0 as usize])
                && last == i
                && let Some((_, free, _)) = sizes.iter_mut().find(|(z, _, _)| *z == size)
                && !free.contains(&s)
            {
                free.push(s);
            }
        }
    }
    slot
}

/// Records `graph` from `source` into `out` (both the graph's size; `source` is never written).
pub fn encode(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    graph: &PassGraph,
    source: &GpuFrame,
    out: &GpuFrame,
) -> Result<(), GpuError> {
    encode_with_display(ctx, encoder, graph, source, out, None).map(|_| ())
}

/// The pass that can write the viewer's display as well: the graph's last, when it is a fused
/// pointwise pass writing the output (a spatial, keyed or mixing pass last leaves the display to a
/// pass of its own).
fn display_pass(graph: &PassGraph) -> Option<usize> {
    let last = graph.passes.len().checked_sub(1)?;
    let pass = &graph.passes[last];
    (matches!(pass.program, Program::Fused(_)) && pass.outputs == [graph.output]).then_some(last)
}

/// [`encode`], and where the graph's last pass can write the viewer's 8-bit `display` too (the size
/// of `out`, rgba8unorm: [`GpuFrame::new_display`]) it does, saving the display pass its read of the
/// graded frame and its dispatch. Returns whether `display` was written.
pub fn encode_with_display(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    graph: &PassGraph,
    source: &GpuFrame,
    out: &GpuFrame,
    display: Option<&GpuFrame>,
) -> Result<bool, GpuError> {
    if display.is_some_and(|d| (d.width, d.height) != (out.width, out.height)) {
        return Err(GpuError::SizeMismatch);
    }
    if (source.width, source.height) != (graph.width, graph.height)
        || (out.width, out.height) != (source.width, source.height)
    {
        return Err(GpuError::SizeMismatch);
    }
    if graph.output == SOURCE {
        if source.format != out.format {
            // A half source into a working frame: the copy pass widens it.
            super::executor::encode_copy(ctx, encoder, source, out)?;
            return Ok(false);
        }
        encoder.copy_texture_to_texture(source.texture.as_image_copy(), out.texture.as_image_copy(), source.extent());
        return Ok(false);
    }
    let with_display = display.and_then(|d| display_pass(graph).map(|i| (i, d)));
    let slots = allocate(graph);
    // Scratch frames by size, each size's slots in order.
    let mut scratch: Vec<SizedFrames> = Vec::new();
    let frame_of = |img: Img, scratch: &mut Vec<SizedFrames>| -> Result<Option<Arc<GpuFrame>>, GpuError> {
        if img == SOURCE || img == graph.output {
            return Ok(None);
        }
        let (size, s) =
            slots[img.0 as usize].ok_or_else(|| GpuError::Shader(format!("image {} is never written", img.0)))?;
        let k = match scratch.iter().position(|(z, _)| *z == size) {
            Some(k) => k,
            None => {
                scratch.push((size, Vec::new()));
                scratch.len() - 1
            }
        };
        let frames = &mut scratch[k].1;
        while frames.len() <= s {
            frames.push(ctx.passes.scratch(ctx, size.0, size.1, frames.len())?);
        }
        Ok(Some(frames[s].clone()))
    };
    for (index, pass) in graph.passes.iter().enumerate() {
        let display = with_display.filter(|(i, _)| *i == index).map(|(_, d)| d);
        let (program, along) = match (&pass.program, display) {
            (Program::Fused(stages), Some(_)) => {
                (std::borrow::Cow::Owned(Program::FusedDisplay(stages.clone())), pass.dispatch)
            }
            _ => ctx.variant_for(&pass.program, pass.dispatch),
        };
        let pipeline = ctx.pipelines.get(&ctx.device, &program)?;
        let mut held = Vec::new();
        for img in pass.inputs.iter().chain(&pass.outputs) {
            held.push(frame_of(*img, &mut scratch)?);
        }
        let mut frames: Vec<&GpuFrame> = pass
            .inputs
            .iter()
            .chain(&pass.outputs)
            .zip(&held)
            .map(|(img, f)| match f {
                Some(f) => f.as_ref(),
                None if *img == SOURCE => source,
                None => out,
            })
            .collect();
        frames.extend(display);
        let lattices = pass.lattices.iter().map(|l| ctx.lattices.get(ctx, l)).collect::<Result<Vec<_>, GpuError>>()?;
        let binding = ctx.passes.binding(ctx, &pipeline, pass, &frames, lattices)?;
        // New parameters travel through small staging buffers copied inside this encoder, so a graph
        // recorded twice in one submission (different parameters, same frames) reads the right ones.
        let mut params = vec![0u8; binding.params.size() as usize];
        for (u, offset) in pass.uniforms.iter().zip(&binding.offsets) {
            params[*offset as usize..*offset as usize + u.len()].copy_from_slice(u);
        }
        copy_in(ctx, encoder, &params, &binding.params);
        if let Some(t) = &binding.tables
            && !pass.tables.is_empty()
        {
            copy_in(ctx, encoder, bytemuck::cast_slice(&pass.tables), t);
        }
        let (width, height) = graph.pass_size(pass);
        let groups = workgroups(along, pipeline.reflection.workgroup, width, height);
        dispatch(encoder, &pipeline, &binding.bind_group, groups, "pass");
    }
    Ok(with_display.is_some())
}

fn copy_in(ctx: &GpuContext, encoder: &mut wgpu::CommandEncoder, bytes: &[u8], to: &wgpu::Buffer) {
    let staging = ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some("pass staging"),
        contents: bytes,
        usage: wgpu::BufferUsages::COPY_SRC,
    });
    encoder.copy_buffer_to_buffer(&staging, 0, to, 0, bytes.len() as u64);
}
