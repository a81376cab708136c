//! The pass graph: what a grade runs, as plain data (no wgpu here). [`record`] turns a grade into
//! passes over images: runs of unkeyed pointwise nodes become one fused pass, spatial ops record their
//! own passes, and every node's mix and key are applied once, here, for every op. The GPU runner
//! (`gpu::runner`) and the CPU runner (`gpu::cpu`) both execute the same graph, so the CPU reference of
//! a whole grade never re-implements the orchestration.
//!
//! Images are numbered; [`SOURCE`] is the frame graded and every pass writes new images, so the graph
//! says exactly what each pass reads. The GPU runner maps images onto pooled textures by lifetime.

use std::sync::Arc;

use bytemuck::Pod;

use crate::color::space::ColorSpace;
use crate::grade::{Grade, Node};
use crate::interchange::{InterchangeError, Lut3d};
use crate::media::Frame;
use crate::ops::key::{self, KeyMixUniform};
use crate::ops::{OpContext, OpKind, StageData, gaussian};

/// An image of the graph: [`SOURCE`] or the output of a pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Img(pub u32);

/// The frame being graded.
pub const SOURCE: Img = Img(0);

/// How a pass's workgroups cover the frame (sizes come from the shader's `@workgroup_size`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dispatch {
    /// One invocation per pixel, 2D workgroups.
    Pixels,
    /// Line passes along rows: a row of workgroups per row of the frame.
    Rows,
    /// Line passes along columns: a row of workgroups per column.
    Columns,
}

/// One stage of a fused pass: its op's shader library and its specialisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StageKey {
    /// The op's shader library name.
    pub shader: &'static str,
    /// Literals its code paths are written out with, if any.
    pub spec: Option<[u32; 4]>,
}

/// What a pass runs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Program {
    /// A shader of the library (a [`crate::ops::Kernel`]).
    Shader(&'static str),
    /// A generated pass of pointwise stages (`gpu::fused`).
    Fused(Vec<StageKey>),
    /// A library shader with its pipeline-overridable constants set (WGSL `override`): the shader
    /// compiler folds branches on them away, which on llvmpipe saves the whole of every path not
    /// taken (a branch on a uniform costs both sides there).
    Overridden(&'static str, Vec<(&'static str, u32)>),
}

/// Bytes of the header in front of each fused stage's uniform: `mix: f32, tables: u32` and padding
/// (`struct Stage<i>` in the generated WGSL).
pub const STAGE_HEADER: usize = 16;

/// One compute pass.
#[derive(Clone, Debug)]
pub struct Pass {
    /// What it runs.
    pub program: Program,
    /// Images it reads (its `texture_2d` bindings, in binding order).
    pub inputs: Vec<Img>,
    /// Images it writes (its storage textures, in binding order).
    pub outputs: Vec<Img>,
    /// Its uniforms' bytes, in binding order (a fused pass: one per stage, header first).
    pub uniforms: Vec<Vec<u8>>,
    /// Its read-only `tables` storage buffer, when the shader has one.
    pub tables: Vec<f32>,
    /// Its 3D lattices, in binding order.
    pub lattices: Vec<Arc<Lut3d>>,
    /// How it is dispatched.
    pub dispatch: Dispatch,
}

/// The passes of one grade over one frame size.
#[derive(Clone, Debug)]
pub struct PassGraph {
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// The passes, in execution order.
    pub passes: Vec<Pass>,
    /// The image holding the result ([`SOURCE`] when nothing runs).
    pub output: Img,
    images: u32,
}

impl PassGraph {
    /// An empty graph for a `width` × `height` frame.
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height, passes: Vec::new(), output: SOURCE, images: 1 }
    }

    /// How many images the graph names (the source included).
    pub fn images(&self) -> u32 {
        self.images
    }

    fn image(&mut self) -> Img {
        self.images += 1;
        Img(self.images - 1)
    }

    /// Adds a pass of library shader `shader` reading `inputs` with one uniform, writing `outputs`
    /// new images, which it returns.
    pub fn pass(
        &mut self,
        shader: &'static str,
        inputs: &[Img],
        outputs: usize,
        uniform: &[u8],
        dispatch: Dispatch,
    ) -> Vec<Img> {
        let outs: Vec<Img> = (0..outputs).map(|_| self.image()).collect();
        self.passes.push(Pass {
            program: Program::Shader(shader),
            inputs: inputs.to_vec(),
            outputs: outs.clone(),
            uniforms: vec![uniform.to_vec()],
            tables: Vec::new(),
            lattices: Vec::new(),
            dispatch,
        });
        outs
    }

    /// [`PassGraph::pass`] with one output, per pixel.
    pub fn pointwise(&mut self, shader: &'static str, inputs: &[Img], uniform: &[u8]) -> Img {
        self.pass(shader, inputs, 1, uniform, Dispatch::Pixels)[0]
    }

    /// Adds a fused pass of `stages`, each at its mix, from `input`; returns its output.
    pub fn fused(&mut self, input: Img, stages: Vec<(StageData, f32)>) -> Img {
        let out = self.image();
        let mut pass = Pass {
            program: Program::Fused(Vec::with_capacity(stages.len())),
            inputs: vec![input],
            outputs: vec![out],
            uniforms: Vec::with_capacity(stages.len()),
            tables: Vec::new(),
            lattices: Vec::new(),
            dispatch: Dispatch::Pixels,
        };
        let Program::Fused(keys) = &mut pass.program else { unreachable!() };
        for (stage, mix) in stages {
            keys.push(StageKey { shader: stage.shader, spec: stage.spec });
            let mut bytes = Vec::with_capacity(STAGE_HEADER + stage.uniform.len());
            bytes.extend_from_slice(&mix.to_le_bytes());
            bytes.extend_from_slice(&(pass.tables.len() as u32).to_le_bytes());
            bytes.resize(STAGE_HEADER, 0);
            bytes.extend_from_slice(&stage.uniform);
            pass.uniforms.push(bytes);
            pass.tables.extend_from_slice(&stage.tables);
            pass.lattices.extend(stage.lattice);
        }
        self.passes.push(pass);
        out
    }
}

/// How long a fused run may grow on a device: its uniform buffers and sampled textures per stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FuseLimits {
    /// Most stages one pass holds (one uniform each).
    pub max_stages: usize,
    /// Most stages with a 3D lattice one pass holds (the source takes one sampled texture).
    pub max_lattices: usize,
}

impl Default for FuseLimits {
    /// WebGPU's default limits: 12 uniform buffers and 16 sampled textures per shader stage.
    fn default() -> Self {
        Self { max_stages: 12, max_lattices: 15 }
    }
}

/// The colour space each node's input is in, where the grade says: the `to` of the colour transform
/// before it, else the `from` of the next one, else unknown (values as the file holds them).
pub fn working_spaces(nodes: &[&Node]) -> Vec<Option<ColorSpace>> {
    let transform = |n: &Node| match &n.op {
        crate::grade::Op::ColorTransform(t) => Some(*t),
        _ => None,
    };
    let mut spaces = vec![None; nodes.len()];
    let mut current = None;
    for (i, node) in nodes.iter().enumerate() {
        if let Some(t) = transform(node) {
            spaces[i] = Some(t.from);
            current = Some(t.to);
        } else {
            spaces[i] = current;
        }
    }
    // Nodes before the first transform are in its source space.
    if let Some(first) = nodes.iter().position(|n| transform(n).is_some()) {
        let from = transform(nodes[first]).map(|t| t.from);
        spaces[..first].iter_mut().for_each(|s| *s = from);
    }
    spaces
}

/// A run of unkeyed pointwise nodes waiting to become one fused pass.
#[derive(Default)]
struct Run {
    stages: Vec<(StageData, f32)>,
    lattices: usize,
}

impl Run {
    fn flush(&mut self, g: &mut PassGraph, cur: &mut Img) {
        if !self.stages.is_empty() {
            *cur = g.fused(*cur, std::mem::take(&mut self.stages));
            self.lattices = 0;
        }
    }
}

/// The passes of `grade`'s active nodes on a `width` × `height` frame number `frame`: fused runs of
/// pointwise nodes no longer than `limits` allow, spatial ops' own passes, and each node blended
/// with its input by mix × its key's matte. Files the nodes name (LUTs) are read here.
pub fn record(
    grade: &Grade,
    width: u32,
    height: u32,
    frame: u32,
    limits: FuseLimits,
) -> Result<PassGraph, InterchangeError> {
    let mut g = PassGraph::new(width, height);
    // Keyframes and tracks evaluated on this frame: from here on the grade is plain.
    let grade = grade.at_frame(frame);
    let nodes: Vec<&Node> = grade.active_nodes().collect();
    let spaces = working_spaces(&nodes);
    let mut cur = SOURCE;
    let mut run = Run::default();
    for (node, space) in nodes.into_iter().zip(spaces) {
        let cx = OpContext { width, height, frame, working_space: space };
        let key = node.key.as_ref().filter(|k| k.is_active());
        match (node.op.kind(), key) {
            (OpKind::Pointwise(op), None) => {
                let stage = op.stage(&cx)?;
                let lattice = usize::from(stage.lattice.is_some());
                let alone = !stage.fuses;
                if alone || run.stages.len() >= limits.max_stages || run.lattices + lattice > limits.max_lattices {
                    run.flush(&mut g, &mut cur);
                }
                run.lattices += lattice;
                run.stages.push((stage, node.mix));
                if alone {
                    run.flush(&mut g, &mut cur);
                }
            }
            (kind, key) => {
                run.flush(&mut g, &mut cur);
                let corrected = match kind {
                    OpKind::Pointwise(op) => g.fused(cur, vec![(op.stage(&cx)?, 1.0)]),
                    OpKind::Spatial(op) => op.record(&mut g, cur, &cx),
                };
                cur = match key {
                    Some(key) => keyed(&mut g, cur, corrected, key, node.mix, &cx),
                    None if corrected == cur => cur,
                    None if node.mix >= 1.0 => corrected,
                    None => {
                        let u = KeyMixUniform::plain(node.mix, height);
                        g.pointwise(key::MIX_SHADER, &[cur, corrected, cur], bytemuck::bytes_of(&u))
                    }
                };
            }
        }
    }
    run.flush(&mut g, &mut cur);
    g.output = cur;
    Ok(g)
}

/// The key's matte (qualifier from the node's input, softened), then input and corrected blended by
/// matte × mix (or the matte shown).
fn keyed(g: &mut PassGraph, input: Img, corrected: Img, key: &key::Key, mix: f32, cx: &OpContext) -> Img {
    let matte = match &key.qualifier {
        Some(q) => {
            let raw = g.pointwise(key::QUALIFIER_SHADER, &[input], bytemuck::bytes_of(&q.uniform()));
            gaussian::record(g, &q.blur_passes(cx.width), raw)
        }
        None => input,
    };
    let u = key.uniform(mix, cx.width, cx.height);
    g.pointwise(key::MIX_SHADER, &[input, corrected, matte], bytemuck::bytes_of(&u))
}

/// A pass as the CPU runner hands it to a kernel's CPU twin: the same inputs, uniforms and tables
/// the shader binds.
pub struct CpuPass<'a> {
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// Input images, in binding order.
    pub inputs: Vec<&'a Frame>,
    /// Uniform bytes, in binding order.
    pub uniforms: &'a [Vec<u8>],
    /// The `tables` storage buffer.
    pub tables: &'a [f32],
    /// 3D lattices, in binding order.
    pub lattices: &'a [Arc<Lut3d>],
}

impl CpuPass<'_> {
    /// Uniform `i` read as `T` (zero-padded when the bytes are shorter).
    pub fn uniform<T: Pod>(&self, i: usize) -> T {
        let mut bytes = self.uniforms.get(i).cloned().unwrap_or_default();
        bytes.resize(size_of::<T>().max(bytes.len()), 0);
        bytemuck::pod_read_unaligned(&bytes[..size_of::<T>()])
    }

    /// A new frame of the pass's size from a function of each pixel.
    pub fn map(&self, f: impl Fn(u32, u32) -> [f32; 4]) -> Frame {
        Frame::from_fn(self.width, self.height, f)
    }
}
