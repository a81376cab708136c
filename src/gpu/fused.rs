//! Pointwise nodes fused into one compute pass.
//!
//! Primaries (and CDL), colour space transforms, LUTs, curves and vignettes only read the pixel they
//! write, so a run of them becomes one generated shader that loads a pixel once, calls each node's
//! WGSL function in order and stores once: one frame read and one write instead of one per node, the
//! memory-bandwidth floor for the whole run.
//!
//! Every op's WGSL is a library (`shaders/<op>.wgsl`) with a `<op>_node(params, rgb)` function; the
//! pass generated here declares the bindings and calls them. Programs (shader, layout, pipeline) are
//! built once per sequence of stage kinds; bind groups and parameter buffers once per program, frame
//! pair and set of LUT files. An edit then only copies the new parameters (and curve tables) into the
//! persistent buffers inside the command encoder, ordered before the dispatch that reads them.
//!
//! Bindings: 0 source, 1 destination, 2 the LUTs' 1D tables, 3 the curves' tables, then one uniform
//! per stage from [`FIRST_UNIFORM`], then one 3D lattice per LUT stage.

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use wgpu::util::DeviceExt;

use super::lut::GpuLut;
use super::pipelines::WORKGROUP;
use super::{GpuContext, GpuError, GpuFrame, WORKING_FORMAT, shaders};
use crate::color::space::{TONE_FORWARD, TONE_INVERSE};
use crate::color::transfer::Transfer;
use crate::grade::{Node, Op};
use crate::ops::{color_transform, curves, lut, primaries, vignette};

/// Binding of the first stage's uniform.
pub const FIRST_UNIFORM: u32 = 4;
/// Most stages in one pass (a device may allow fewer uniform buffers per stage).
pub const MAX_STAGES: usize = 12;
/// Bind-group caches keep at most this many entries (stale ones go first).
const MAX_BINDINGS: usize = 64;

/// A pointwise op that can join a fused pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StageKind {
    /// `shaders/primaries.wgsl`.
    Primaries,
    /// `shaders/color_transform.wgsl`.
    ColorTransform,
    /// `shaders/lut.wgsl`.
    Lut,
    /// `shaders/curves.wgsl`.
    Curves,
    /// `shaders/vignette.wgsl`.
    Vignette,
}

impl StageKind {
    /// Every kind.
    pub const ALL: [StageKind; 5] =
        [StageKind::Primaries, StageKind::ColorTransform, StageKind::Lut, StageKind::Curves, StageKind::Vignette];

    /// The stage `op` runs as, or `None` for ops that need neighbouring pixels (their own passes).
    pub fn of(op: &Op) -> Option<Self> {
        Some(match op {
            Op::Primaries(_) => StageKind::Primaries,
            Op::ColorTransform(_) => StageKind::ColorTransform,
            Op::Lut(_) => StageKind::Lut,
            Op::Curves(_) => StageKind::Curves,
            Op::Vignette(_) => StageKind::Vignette,
            Op::Blur(_) | Op::Sharpen(_) | Op::Denoise(_) | Op::Glow(_) | Op::Grain(_) => return None,
        })
    }

    /// The op's shader (and WGSL library) name.
    pub fn shader_name(self) -> &'static str {
        match self {
            StageKind::Primaries => primaries::SHADER,
            StageKind::ColorTransform => color_transform::SHADER,
            StageKind::Lut => lut::SHADER,
            StageKind::Curves => curves::SHADER,
            StageKind::Vignette => vignette::SHADER,
        }
    }

    /// The kind whose shader is called `name`.
    pub fn from_shader_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.shader_name() == name)
    }

    fn wgsl_struct(self) -> &'static str {
        match self {
            StageKind::Primaries => "Primaries",
            StageKind::ColorTransform => "ColorTransform",
            StageKind::Lut => "Lut",
            StageKind::Curves => "Curves",
            StageKind::Vignette => "Vignette",
        }
    }

    fn uniform_size(self) -> u64 {
        (match self {
            StageKind::Primaries => size_of::<primaries::PrimariesUniform>(),
            StageKind::ColorTransform => size_of::<color_transform::ColorTransformUniform>(),
            StageKind::Lut => size_of::<lut::LutUniform>(),
            StageKind::Curves => size_of::<curves::CurvesUniform>(),
            StageKind::Vignette => size_of::<vignette::VignetteUniform>(),
        }) as u64
    }
}

/// One stage of a fused pass: its kind and, for a colour transform, its decode curve, encode curve
/// and tone mode, written out in the generated WGSL so the pass calls only the curves it uses instead
/// of switching over all of them per pixel (`None`: read from the uniform at run time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stage {
    /// What the stage runs.
    pub kind: StageKind,
    /// Literals for the stage's code paths.
    pub spec: Option<[u32; 3]>,
}

impl Stage {
    /// A stage that reads everything from its uniform.
    pub fn generic(kind: StageKind) -> Self {
        Self { kind, spec: None }
    }

    /// The stage of `node` (a pointwise op).
    fn of(node: &Node) -> Option<Self> {
        let kind = StageKind::of(&node.op)?;
        let spec = match &node.op {
            Op::ColorTransform(t) => {
                let c = t.uniform(node.mix).conversion;
                Some([c.decode, c.encode, c.tone_mode])
            }
            _ => None,
        };
        Some(Self { kind, spec })
    }
}

/// `apply_conversion` (color.wgsl) written out for one decode curve, encode curve and tone mode.
fn conversion_function(i: usize, [decode, encode, tone_mode]: [u32; 3]) -> String {
    // The WGSL curve functions are named after `Transfer::name`: `<name>_encode`, `<name>_decode`.
    let curve = |id: u32, way: &str, v: &str| match Transfer::from_id(id) {
        Some(Transfer::Linear) => v.to_string(),
        // HLG with its system gamma works on the whole pixel, not per channel.
        Some(Transfer::HlgDisplay) => format!("hlg_display_{way}({v})"),
        Some(t) => {
            let f = t.name();
            format!("vec3<f32>({f}_{way}({v}.x), {f}_{way}({v}.y), {f}_{way}({v}.z))")
        }
        None => format!("transfer_{way}({id}u, {v})"),
    };
    let tone = |mode: u32, f: &str| {
        if tone_mode == mode { format!("    v{i} = tone_{f}3(v{i}, p{i}.conversion.tone);\n") } else { String::new() }
    };
    format!(
        "    var v{i} = {decode};
{inverse}    v{i} = apply_matrix(p{i}.conversion.matrix, v{i});
{forward}    rgb = blend(rgb, {encode}, p{i}.mix);
",
        decode = curve(decode, "decode", "rgb"),
        inverse = tone(TONE_INVERSE, "inverse"),
        forward = tone(TONE_FORWARD, "forward"),
        encode = curve(encode, "encode", &format!("v{i}")),
    )
}

/// The WGSL of the pass running `stages` in order: `common.wgsl`, the libraries the stages need, then
/// the generated bindings and entry point.
pub fn source(stages: &[Stage]) -> String {
    let mut out = String::from(shaders::COMMON);
    let mut libraries: Vec<&str> = Vec::new();
    if stages.iter().any(|s| s.kind == StageKind::ColorTransform) {
        libraries.push("color");
    }
    for stage in stages {
        if !libraries.contains(&stage.kind.shader_name()) {
            libraries.push(stage.kind.shader_name());
        }
    }
    for name in libraries {
        out.push('\n');
        out.push_str(shaders::library(name).unwrap_or_default());
    }
    out.push_str("\n// Generated by src/gpu/fused.rs.\n");
    out.push_str("@group(0) @binding(0) var src: texture_2d<f32>;\n");
    out.push_str("@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;\n");
    if stages.iter().any(|s| s.kind == StageKind::Lut) {
        out.push_str("@group(0) @binding(2) var<storage, read> shaper: array<vec4<f32>>;\n");
    }
    if stages.iter().any(|s| s.kind == StageKind::Curves) {
        out.push_str("@group(0) @binding(3) var<storage, read> tables: array<f32>;\n");
    }
    let mut calls = String::new();
    let mut lattice = FIRST_UNIFORM + stages.len() as u32;
    for (i, stage) in stages.iter().enumerate() {
        let binding = FIRST_UNIFORM + i as u32;
        out.push_str(&format!("@group(0) @binding({binding}) var<uniform> p{i}: {};\n", stage.kind.wgsl_struct()));
        let call = match (stage.kind, stage.spec) {
            (StageKind::ColorTransform, Some(spec)) => {
                calls.push_str(&conversion_function(i, spec));
                continue;
            }
            (StageKind::Lut, _) => {
                out.push_str(&format!("@group(0) @binding({lattice}) var lattice{i}: texture_3d<f32>;\n"));
                lattice += 1;
                format!("lut_node(p{i}, lattice{i}, rgb)")
            }
            (StageKind::Vignette, _) => format!("vignette_node(p{i}, rgb, id.xy)"),
            (kind, _) => format!("{}_node(p{i}, rgb)", kind.shader_name()),
        };
        calls.push_str(&format!("    rgb = {call};\n"));
    }
    out.push_str(&format!(
        "
@compute @workgroup_size({WORKGROUP}, {WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {{
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {{
        return;
    }}
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    var rgb = px.rgb;
{calls}    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(rgb, px.a));
}}
"
    ));
    out
}

/// A compiled fused pass: its layout, pipeline and where each stage's uniform sits.
struct Program {
    bind_group_layout: wgpu::BindGroupLayout,
    pipeline: Arc<wgpu::ComputePipeline>,
    uniform_offsets: Vec<u64>,
    params_size: u64,
}

/// Persistent resources binding one program to one source, destination and set of LUTs.
struct Binding {
    stages: Vec<Stage>,
    src: (u64, Weak<()>),
    dst: (u64, Weak<()>),
    luts: Vec<Arc<GpuLut>>,
    params: wgpu::Buffer,
    tables: Option<wgpu::Buffer>,
    bind_group: wgpu::BindGroup,
    last_used: AtomicU64,
}

impl Binding {
    fn is_stale(&self) -> bool {
        self.src.1.strong_count() == 0 || self.dst.1.strong_count() == 0
    }
}

/// Fused programs by stage sequence and their bind groups, one per device.
#[derive(Default)]
pub struct FusedCache {
    programs: Mutex<HashMap<Vec<Stage>, Arc<Program>>>,
    bindings: Mutex<Vec<Arc<Binding>>>,
    clock: AtomicUsize,
    programs_built: AtomicUsize,
    bindings_built: AtomicUsize,
}

impl FusedCache {
    /// How many fused programs (shader + pipeline) have been built on this device.
    pub fn programs_built(&self) -> usize {
        self.programs_built.load(Ordering::Relaxed)
    }

    /// How many bind groups (with their parameter buffers) have been built on this device.
    pub fn bindings_built(&self) -> usize {
        self.bindings_built.load(Ordering::Relaxed)
    }

    /// How many bind groups are kept now (those of frames that are gone go at the next encode).
    pub fn cached_bindings(&self) -> usize {
        self.bindings.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn program(&self, ctx: &GpuContext, stages: &[Stage]) -> Result<Arc<Program>, GpuError> {
        if let Some(p) = self.programs.lock().unwrap_or_else(|e| e.into_inner()).get(stages) {
            return Ok(p.clone());
        }
        let program = Arc::new(build_program(ctx, stages)?);
        self.programs_built.fetch_add(1, Ordering::Relaxed);
        self.programs.lock().unwrap_or_else(|e| e.into_inner()).insert(stages.to_vec(), program.clone());
        Ok(program)
    }

    fn binding(
        &self,
        ctx: &GpuContext,
        program: &Program,
        stages: &[Stage],
        src: &GpuFrame,
        dst: &GpuFrame,
        luts: &[Arc<GpuLut>],
    ) -> Arc<Binding> {
        let now = self.clock.fetch_add(1, Ordering::Relaxed) as u64;
        let mut bindings = self.bindings.lock().unwrap_or_else(|e| e.into_inner());
        // Frames that are gone free their bind groups (which hold their textures alive).
        bindings.retain(|b| !b.is_stale());
        let found = bindings.iter_mut().find(|b| {
            b.stages == stages
                && b.src.0 == src.id()
                && b.dst.0 == dst.id()
                && b.luts.len() == luts.len()
                && b.luts.iter().zip(luts).all(|(a, b)| Arc::ptr_eq(a, b))
        });
        if let Some(b) = found {
            b.last_used.store(now, Ordering::Relaxed);
            return b.clone();
        }
        if bindings.len() >= MAX_BINDINGS
            && let Some(oldest) =
                bindings.iter().enumerate().min_by_key(|(_, b)| b.last_used.load(Ordering::Relaxed)).map(|(i, _)| i)
        {
            bindings.swap_remove(oldest);
        }
        let binding = Arc::new(build_binding(ctx, program, stages, src, dst, luts, now));
        self.bindings_built.fetch_add(1, Ordering::Relaxed);
        bindings.push(binding.clone());
        binding
    }
}

fn build_program(ctx: &GpuContext, stages: &[Stage]) -> Result<Program, GpuError> {
    let entry =
        |binding, ty| wgpu::BindGroupLayoutEntry { binding, visibility: wgpu::ShaderStages::COMPUTE, ty, count: None };
    let texture = |view_dimension| wgpu::BindingType::Texture {
        sample_type: wgpu::TextureSampleType::Float { filterable: false },
        view_dimension,
        multisampled: false,
    };
    let buffer = |ty| wgpu::BindingType::Buffer { ty, has_dynamic_offset: false, min_binding_size: None };
    let storage = buffer(wgpu::BufferBindingType::Storage { read_only: true });
    let mut entries = vec![
        entry(0, texture(wgpu::TextureViewDimension::D2)),
        entry(
            1,
            wgpu::BindingType::StorageTexture {
                access: wgpu::StorageTextureAccess::WriteOnly,
                format: WORKING_FORMAT,
                view_dimension: wgpu::TextureViewDimension::D2,
            },
        ),
    ];
    if stages.iter().any(|s| s.kind == StageKind::Lut) {
        entries.push(entry(2, storage));
    }
    if stages.iter().any(|s| s.kind == StageKind::Curves) {
        entries.push(entry(3, storage));
    }
    let align = u64::from(ctx.device.limits().min_uniform_buffer_offset_alignment);
    let mut uniform_offsets = Vec::new();
    let mut end = 0u64;
    for (i, stage) in stages.iter().enumerate() {
        entries.push(entry(FIRST_UNIFORM + i as u32, buffer(wgpu::BufferBindingType::Uniform)));
        let offset = end.div_ceil(align) * align;
        uniform_offsets.push(offset);
        end = offset + stage.kind.uniform_size();
    }
    let luts = stages.iter().filter(|s| s.kind == StageKind::Lut).count() as u32;
    for i in 0..luts {
        entries.push(entry(FIRST_UNIFORM + stages.len() as u32 + i, texture(wgpu::TextureViewDimension::D3)));
    }
    let name = format!("fused{stages:?}");
    let bind_group_layout =
        ctx.device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor { label: Some(&name), entries: &entries });
    let layout = ctx.device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(&name),
        bind_group_layouts: &[Some(&bind_group_layout)],
        immediate_size: 0,
    });
    let pipeline = ctx.pipelines.get_or_create_from_source(&ctx.device, &name, &source(stages), &layout)?;
    Ok(Program { bind_group_layout, pipeline, uniform_offsets, params_size: end.max(16) })
}

fn build_binding(
    ctx: &GpuContext,
    program: &Program,
    stages: &[Stage],
    src: &GpuFrame,
    dst: &GpuFrame,
    luts: &[Arc<GpuLut>],
    now: u64,
) -> Binding {
    let device = &ctx.device;
    let params = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("fused params"),
        size: program.params_size,
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let curves = stages.iter().filter(|s| s.kind == StageKind::Curves).count() as u64;
    let tables = (curves > 0).then(|| {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("fused curve tables"),
            size: curves * curves::TABLES_LEN as u64 * 4,
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    });
    // The LUTs' 1D tables, one after another; copied once, on the queue, so they are in place before
    // anything recorded after this call runs.
    let shaper = match luts {
        [] => None,
        [one] => Some(one.shaper.clone()),
        many => {
            let size = many.iter().map(|l| l.shaper.size()).sum();
            let joined = device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("fused lut 1d tables"),
                size,
                usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            let mut encoder = device.create_command_encoder(&Default::default());
            let mut at = 0;
            for l in many {
                encoder.copy_buffer_to_buffer(&l.shaper, 0, &joined, at, l.shaper.size());
                at += l.shaper.size();
            }
            ctx.queue.submit([encoder.finish()]);
            Some(joined)
        }
    };
    let mut entries = vec![
        wgpu::BindGroupEntry { binding: 0, resource: wgpu::BindingResource::TextureView(&src.view) },
        wgpu::BindGroupEntry { binding: 1, resource: wgpu::BindingResource::TextureView(&dst.view) },
    ];
    if let Some(shaper) = &shaper {
        entries.push(wgpu::BindGroupEntry { binding: 2, resource: shaper.as_entire_binding() });
    }
    if let Some(tables) = &tables {
        entries.push(wgpu::BindGroupEntry { binding: 3, resource: tables.as_entire_binding() });
    }
    for (i, stage) in stages.iter().enumerate() {
        entries.push(wgpu::BindGroupEntry {
            binding: FIRST_UNIFORM + i as u32,
            resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                buffer: &params,
                offset: program.uniform_offsets[i],
                size: NonZeroU64::new(stage.kind.uniform_size()),
            }),
        });
    }
    for (i, l) in luts.iter().enumerate() {
        entries.push(wgpu::BindGroupEntry {
            binding: FIRST_UNIFORM + stages.len() as u32 + i as u32,
            resource: wgpu::BindingResource::TextureView(&l.lattice),
        });
    }
    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("fused"),
        layout: &program.bind_group_layout,
        entries: &entries,
    });
    Binding {
        stages: stages.to_vec(),
        src: (src.id(), src.liveness()),
        dst: (dst.id(), dst.liveness()),
        luts: luts.to_vec(),
        params,
        tables,
        bind_group,
        last_used: AtomicU64::new(now),
    }
}

/// Most stages one pass can hold on this device, and most LUT stages.
pub fn limits(ctx: &GpuContext) -> (usize, usize) {
    let l = ctx.device.limits();
    let stages = (l.max_uniform_buffers_per_shader_stage as usize).min(MAX_STAGES);
    let luts = (l.max_sampled_textures_per_shader_stage as usize).saturating_sub(1);
    (stages, luts)
}

/// Records `nodes` (each a pointwise op, [`StageKind::of`]) from `src` into `dst` as one pass, each at
/// its mix; keys are the caller's business.
pub fn encode(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    nodes: &[&Node],
    src: &GpuFrame,
    dst: &GpuFrame,
) -> Result<(), GpuError> {
    let mut stages = Vec::with_capacity(nodes.len());
    let mut luts = Vec::new();
    for node in nodes {
        let stage =
            Stage::of(node).ok_or_else(|| GpuError::Shader(format!("{} is not a pointwise op", node.op.name())))?;
        stages.push(stage);
        if let Op::Lut(l) = &node.op {
            luts.push(ctx.luts.get(ctx, &l.path)?);
        }
    }
    let program = ctx.fused.program(ctx, &stages)?;
    let binding = ctx.fused.binding(ctx, &program, &stages, src, dst, &luts);

    let mut params = vec![0u8; program.params_size as usize];
    let mut tables: Vec<f32> = Vec::new();
    let (mut lut_index, mut shaper_offset) = (0, 0u32);
    for (i, node) in nodes.iter().enumerate() {
        let at = program.uniform_offsets[i] as usize;
        let mut put = |bytes: &[u8]| params[at..at + bytes.len()].copy_from_slice(bytes);
        match &node.op {
            Op::Primaries(p) => put(bytemuck::bytes_of(&p.uniform(node.mix))),
            Op::ColorTransform(t) => put(bytemuck::bytes_of(&t.uniform(node.mix))),
            Op::Lut(l) => {
                let gpu = &luts[lut_index];
                let u = lut::LutUniform {
                    interpolation: lut::interpolation_id(l.interpolation),
                    mix: node.mix,
                    shaper_offset,
                    ..gpu.base
                };
                put(bytemuck::bytes_of(&u));
                shaper_offset += (gpu.shaper.size() / 16) as u32;
                lut_index += 1;
            }
            Op::Curves(c) => {
                let u = curves::CurvesUniform { table_offset: tables.len() as u32, ..c.uniform(node.mix) };
                put(bytemuck::bytes_of(&u));
                tables.extend(c.tables());
            }
            Op::Vignette(v) => put(bytemuck::bytes_of(&v.uniform(src.width, src.height, node.mix))),
            _ => unreachable!("checked by StageKind::of above"),
        }
    }
    // New parameters travel through small staging buffers copied inside this encoder, so a pass
    // recorded twice in one submission (different parameters, same frames) reads the right ones.
    let staging = |bytes: &[u8]| {
        ctx.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("fused staging"),
            contents: bytes,
            usage: wgpu::BufferUsages::COPY_SRC,
        })
    };
    encoder.copy_buffer_to_buffer(&staging(&params), 0, &binding.params, 0, program.params_size);
    if let Some(t) = &binding.tables {
        let bytes: &[u8] = bytemuck::cast_slice(&tables);
        encoder.copy_buffer_to_buffer(&staging(bytes), 0, t, 0, bytes.len() as u64);
    }
    let mut pass =
        encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: Some("fused"), timestamp_writes: None });
    pass.set_pipeline(&program.pipeline);
    pass.set_bind_group(0, &binding.bind_group, &[]);
    pass.dispatch_workgroups(src.width.div_ceil(WORKGROUP), src.height.div_ceil(WORKGROUP), 1);
    Ok(())
}
