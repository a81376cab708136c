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
use crate::grade::{Grade, Input, Mixer, Node};
use crate::interchange::{InterchangeError, Lut3d};
use crate::media::Frame;
use crate::ops::key::{self, KeyMixUniform};
use crate::ops::node_mix::{self, NodeMixUniform};
use crate::ops::{OpContext, OpKind, StageData, gaussian};

/// An image of the graph: [`SOURCE`] or the output of a pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The image the run reads.
    input: Img,
    /// The node whose output the run's end is.
    last: Option<usize>,
}

/// A keyed node's images, for the nodes that read its key (outside nodes, layer mixers).
struct Keyed {
    input: Img,
    corrected: Img,
    qualifier: Img,
    uniform: KeyMixUniform,
    matte: Option<Img>,
}

/// Whether a node changes the picture (else it passes its first input through): an enabled mixer;
/// an enabled node mixed in and not neutral; a node whose key the matte view shows.
fn is_active(n: &Node) -> bool {
    let shows_matte = n.key.as_ref().is_some_and(|k| k.show_matte);
    n.enabled && (n.mixer.is_some() || shows_matte || (n.mix > 0.0 && !n.op.is_neutral()))
}

/// The recording of one grade: node outputs as they are materialised, the open fused run.
struct Recorder<'a> {
    g: PassGraph,
    nodes: &'a [Node],
    /// Each node's inputs, through inactive nodes (which pass their first input on).
    inputs: Vec<Vec<Input>>,
    /// How many later reads each node's output has.
    uses: Vec<usize>,
    out: Vec<Option<Img>>,
    keyed: Vec<Option<Keyed>>,
    run: Run,
    limits: FuseLimits,
}

impl Recorder<'_> {
    fn flush(&mut self) {
        if let Some(last) = self.run.last.take() {
            let stages = std::mem::take(&mut self.run.stages);
            self.out[last] = Some(self.g.fused(self.run.input, stages));
            self.run.lattices = 0;
        }
    }

    /// The image of `input`, materialising the open run when it ends there.
    fn img(&mut self, input: Input) -> Img {
        match input {
            Input::Source(_) => SOURCE,
            Input::Node(j) => {
                if self.run.last == Some(j) {
                    self.flush();
                }
                self.out[j].expect("nodes are recorded in order and read only earlier nodes")
            }
        }
    }

    /// The final matte of node `j`'s key (windows, qualifier, invert; an outside node's inverted
    /// one), as grey, on `j`'s input.
    fn matte_of(&mut self, j: usize, cx: &OpContext) -> Img {
        if let Some(k) = &self.keyed[j] {
            if let Some(m) = k.matte {
                return m;
            }
            let mut u = k.uniform;
            u.show_matte = 1;
            let m = self.g.pointwise(key::MIX_SHADER, &[k.input, k.input, k.qualifier], bytemuck::bytes_of(&u));
            if let Some(k) = self.keyed[j].as_mut() {
                k.matte = Some(m);
            }
            return m;
        }
        // A node not recorded (disabled, neutral): its key on its input all the same.
        let input = self.inputs[j][0];
        let input = self.img(input);
        let key = self.nodes[j].key.clone().unwrap_or_default();
        let qualifier = qualifier_matte(&mut self.g, input, &key, cx);
        let mut u = key.uniform(1.0, cx.width, cx.height);
        u.show_matte = 1;
        self.g.pointwise(key::MIX_SHADER, &[input, input, qualifier], bytemuck::bytes_of(&u))
    }

    /// Node `i`'s mixer over its inputs.
    fn mix(&mut self, i: usize, mixer: Mixer, common: Input, cx: &OpContext) -> Img {
        let inputs = self.inputs[i].clone();
        let mut acc = self.img(inputs[0]);
        match mixer {
            Mixer::Parallel => {
                let common = self.img(common);
                for input in &inputs[1..] {
                    let b = self.img(*input);
                    let u = NodeMixUniform::parallel();
                    acc = self.g.pointwise(node_mix::SHADER, &[acc, b, common], bytemuck::bytes_of(&u));
                }
            }
            Mixer::Layer { composite, opacity } => {
                for input in &inputs[1..] {
                    // A keyed layer covers its key: its corrected picture through its matte.
                    let keyed = match input {
                        Input::Node(j) => self.keyed[*j].as_ref().map(|k| (*j, k.corrected)),
                        Input::Source(_) => None,
                    };
                    let (layer, third, alpha, matte) = match keyed {
                        Some((j, corrected)) => {
                            let m = self.matte_of(j, cx);
                            (corrected, m, opacity * self.nodes[j].mix, true)
                        }
                        None => {
                            let b = self.img(*input);
                            (b, b, opacity, false)
                        }
                    };
                    let u = NodeMixUniform::layer(composite, alpha, matte);
                    acc = self.g.pointwise(node_mix::SHADER, &[acc, layer, third], bytemuck::bytes_of(&u));
                }
            }
        }
        acc
    }
}

/// The common ancestor of each mixer's inputs: the latest node (or the source) every input comes
/// from.
fn common_inputs(inputs: &[Vec<Input>], active: &[bool]) -> Vec<Input> {
    use std::collections::BTreeSet;
    // Ancestors of each node, the source as -1, the node itself included.
    let mut lineage: Vec<BTreeSet<isize>> = Vec::with_capacity(inputs.len());
    let of = |input: &Input, lineage: &[BTreeSet<isize>]| match input {
        Input::Source(_) => BTreeSet::from([-1]),
        Input::Node(j) => lineage[*j].clone(),
    };
    for (i, ins) in inputs.iter().enumerate() {
        let mut set: BTreeSet<isize> = ins.iter().flat_map(|x| of(x, &lineage)).collect();
        set.insert(-1);
        if active[i] {
            set.insert(i as isize);
        }
        lineage.push(set);
    }
    inputs
        .iter()
        .map(|ins| {
            let mut sets = ins.iter().map(|x| of(x, &lineage));
            let first = sets.next().unwrap_or_default();
            let common = sets.fold(first, |acc, s| acc.intersection(&s).copied().collect());
            match common.last() {
                Some(j) if *j >= 0 => Input::Node(*j as usize),
                _ => Input::SOURCE,
            }
        })
        .collect()
}

/// The passes of `grade`'s active nodes on a `width` × `height` frame number `frame`: fused runs of
/// pointwise nodes no longer than `limits` allow, spatial ops' own passes, mixers, and each node
/// blended with its input by mix × its key's matte. Files the nodes name (LUTs) are read here.
pub fn record(
    grade: &Grade,
    width: u32,
    height: u32,
    frame: u32,
    limits: FuseLimits,
) -> Result<PassGraph, InterchangeError> {
    // Keyframes and tracks evaluated on this frame: from here on the grade is plain.
    let grade = grade.at_frame(frame);
    let nodes = &grade.nodes[..];
    let active: Vec<bool> = nodes.iter().map(is_active).collect();
    let spaces = {
        let on: Vec<&Node> = nodes.iter().zip(&active).filter(|(_, a)| **a).map(|(n, _)| n).collect();
        let mut on_spaces = working_spaces(&on).into_iter();
        active.iter().map(|a| if *a { on_spaces.next().flatten() } else { None }).collect::<Vec<_>>()
    };
    // Inputs through inactive nodes.
    let mut inputs: Vec<Vec<Input>> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let through = |x: Input, inputs: &[Vec<Input>]| match x {
            Input::Node(j) if j < i && !active[j] => inputs[j][0],
            other => other,
        };
        let resolved = node.inputs_at(i).into_iter().map(|x| through(x, &inputs)).collect();
        inputs.push(resolved);
    }
    let output = match nodes.len() {
        0 => Input::SOURCE,
        n if active[n - 1] => Input::Node(n - 1),
        n => inputs[n - 1][0],
    };
    let common = common_inputs(&inputs, &active);
    let mut uses = vec![0usize; nodes.len()];
    let read = |x: &Input, uses: &mut Vec<usize>| {
        if let Input::Node(j) = x {
            uses[*j] += 1;
        }
    };
    read(&output, &mut uses);
    for (i, node) in nodes.iter().enumerate().filter(|(i, _)| active[*i]) {
        for x in &inputs[i] {
            read(x, &mut uses);
        }
        if node.mixer == Some(Mixer::Parallel) {
            read(&common[i], &mut uses);
        }
        // The key of another node is made on that node's input: keep it.
        let keyed_inputs = match node.mixer {
            Some(Mixer::Layer { .. }) => inputs[i].clone(),
            _ => Vec::new(),
        };
        for x in node.outside.map(Input::Node).into_iter().chain(keyed_inputs) {
            if let Input::Node(j) = x {
                read(&inputs[j][0], &mut uses);
            }
        }
    }
    let mut r = Recorder {
        g: PassGraph::new(width, height),
        nodes,
        inputs,
        uses,
        out: vec![None; nodes.len()],
        keyed: (0..nodes.len()).map(|_| None).collect(),
        run: Run::default(),
        limits,
    };
    for (i, node) in nodes.iter().enumerate() {
        if !active[i] {
            continue;
        }
        let cx = OpContext { width, height, frame, working_space: spaces[i] };
        let key = node.key.as_ref().filter(|k| k.is_active() && node.outside.is_none());
        let mixed = node.mixer.map(|m| r.mix(i, m, common[i], &cx));
        if let Some(m) = mixed
            && node.op.is_neutral()
        {
            r.out[i] = Some(m);
            continue;
        }
        match (node.op.kind(), key, node.outside) {
            (OpKind::Pointwise(op), None, None) => {
                let stage = op.stage(&cx)?;
                let lattice = usize::from(stage.lattice.is_some());
                let alone = !stage.fuses;
                let from = r.inputs[i][0];
                // The run goes on only through a node nothing else reads.
                let continues = mixed.is_none()
                    && matches!(from, Input::Node(j) if r.run.last == Some(j) && r.uses[j] == 1)
                    && !alone
                    && r.run.stages.len() < r.limits.max_stages
                    && r.run.lattices + lattice <= r.limits.max_lattices;
                if !continues {
                    let input = match mixed {
                        Some(m) => m,
                        None => r.img(from),
                    };
                    r.flush();
                    r.run.input = input;
                }
                r.run.lattices += lattice;
                r.run.stages.push((stage, node.mix));
                r.run.last = Some(i);
                if alone {
                    r.flush();
                }
            }
            (kind, key, outside) => {
                let input = match mixed {
                    Some(m) => m,
                    None => {
                        let from = r.inputs[i][0];
                        r.img(from)
                    }
                };
                r.flush();
                let corrected = match kind {
                    OpKind::Pointwise(op) => r.g.fused(input, vec![(op.stage(&cx)?, 1.0)]),
                    OpKind::Spatial(op) => op.record(&mut r.g, input, &cx),
                };
                let result = match (key, outside) {
                    (_, Some(o)) => {
                        let qualifier = r.matte_of(o, &cx);
                        let mut u = key::Key::default().uniform(node.mix, width, height);
                        (u.qualifier, u.invert) = (1, 1);
                        u.show_matte = u32::from(node.key.as_ref().is_some_and(|k| k.show_matte));
                        r.keyed[i] = Some(Keyed { input, corrected, qualifier, uniform: u, matte: None });
                        r.g.pointwise(key::MIX_SHADER, &[input, corrected, qualifier], bytemuck::bytes_of(&u))
                    }
                    (Some(key), None) => {
                        let qualifier = qualifier_matte(&mut r.g, input, key, &cx);
                        let u = key.uniform(node.mix, width, height);
                        r.keyed[i] = Some(Keyed { input, corrected, qualifier, uniform: u, matte: None });
                        r.g.pointwise(key::MIX_SHADER, &[input, corrected, qualifier], bytemuck::bytes_of(&u))
                    }
                    (None, None) if corrected == input => input,
                    (None, None) if node.mix >= 1.0 => corrected,
                    (None, None) => {
                        let u = KeyMixUniform::plain(node.mix, height);
                        r.g.pointwise(key::MIX_SHADER, &[input, corrected, input], bytemuck::bytes_of(&u))
                    }
                };
                r.out[i] = Some(result);
            }
        }
    }
    let out = r.img(output);
    r.g.output = out;
    Ok(r.g)
}

/// The key's qualifier matte (from the node's input, softened), or the input itself when the key
/// has no qualifier (the mixing pass then ignores it).
fn qualifier_matte(g: &mut PassGraph, input: Img, key: &key::Key, cx: &OpContext) -> Img {
    match &key.qualifier {
        Some(q) => {
            let raw = g.pointwise(key::QUALIFIER_SHADER, &[input], bytemuck::bytes_of(&q.uniform()));
            gaussian::record(g, &q.blur_passes(cx.width), raw)
        }
        None => input,
    }
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
