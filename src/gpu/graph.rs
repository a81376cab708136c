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
use crate::ops::{OpContext, OpKind, StageData};

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
    /// Line passes along rows whose every invocation covers four pixels of its row (the direct
    /// Gaussian line pass).
    RowBlocks,
    /// Line passes along columns whose every invocation covers four rows (a key's matte blur, the
    /// direct Gaussian line pass).
    ColumnBlocks,
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
    /// [`Program::Fused`] writing the viewer's 8-bit display as well, a second output
    /// (`gpu::fused::display_source`): the runner runs it for a grade's last pass when a viewer asks
    /// for its display (`runner::encode_with_display`); pass graphs never hold it.
    FusedDisplay(Vec<StageKey>),
    /// A keyed pointwise node in one pass: its stages, then its key applied to its input and the
    /// corrected colour (`gpu::fused::keyed_source`), compiled with the key's constants
    /// (`ops::key::mix_constants`). Inputs: the node's input and its qualifier matte; uniforms: the
    /// stages' then the key's.
    FusedKeyed(Vec<StageKey>, Vec<(&'static str, u32)>),
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
    /// Every image's size, by number: the frame's, except images a pass writes at another size (a
    /// key's packed matte, four pixels to a texel).
    sizes: Vec<(u32, u32)>,
}

impl PassGraph {
    /// An empty graph for a `width` × `height` frame.
    pub fn new(width: u32, height: u32) -> Self {
        Self { width, height, passes: Vec::new(), output: SOURCE, sizes: vec![(width, height)] }
    }

    /// How many images the graph names (the source included).
    pub fn images(&self) -> u32 {
        self.sizes.len() as u32
    }

    /// The size of image `img` (the frame's for an image the graph does not name).
    pub fn image_size(&self, img: Img) -> (u32, u32) {
        self.sizes.get(img.0 as usize).copied().unwrap_or((self.width, self.height))
    }

    /// The size a pass runs over: that of its first output.
    pub fn pass_size(&self, pass: &Pass) -> (u32, u32) {
        pass.outputs.first().map_or((self.width, self.height), |o| self.image_size(*o))
    }

    fn image(&mut self) -> Img {
        self.image_sized((self.width, self.height))
    }

    fn image_sized(&mut self, size: (u32, u32)) -> Img {
        self.sizes.push(size);
        Img(self.sizes.len() as u32 - 1)
    }

    /// Adds a pass of `program` (a library shader's) reading `inputs` with one uniform, writing one
    /// new image of `size` (which it returns), dispatched over that size.
    pub fn pass_sized(
        &mut self,
        program: Program,
        inputs: &[Img],
        uniform: &[u8],
        dispatch: Dispatch,
        size: (u32, u32),
    ) -> Img {
        let out = self.image_sized(size);
        self.passes.push(Pass {
            program,
            inputs: inputs.to_vec(),
            outputs: vec![out],
            uniforms: vec![uniform.to_vec()],
            tables: Vec::new(),
            lattices: Vec::new(),
            dispatch,
        });
        out
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

    /// Adds a key mix (`key_mix.wgsl` over `inputs`: input, corrected, qualifier matte) with uniform
    /// `u`, compiled for the windows and matte it uses ([`key::mix_constants`]); returns its output.
    pub fn key_mix(&mut self, inputs: [Img; 3], u: &KeyMixUniform) -> Img {
        let program = Program::Overridden(key::MIX_SHADER, key::mix_constants(u));
        self.pass_sized(program, &inputs, bytemuck::bytes_of(u), Dispatch::Pixels, (self.width, self.height))
    }

    /// Adds a fused pass of `stages`, each at its mix, from `input`; returns its output.
    pub fn fused(&mut self, input: Img, stages: Vec<(StageData, f32)>) -> Img {
        let out = self.image();
        self.passes.push(fused_pass(input, stages, out, Program::Fused));
        out
    }

    /// Adds a keyed pointwise node's pass: `stages` (its correction, at mix 1) from `input`, then
    /// its key `u` with qualifier matte `qualifier` ([`Program::FusedKeyed`]); returns its output.
    pub fn fused_keyed(&mut self, input: Img, qualifier: Img, stages: Vec<StageData>, u: &KeyMixUniform) -> Img {
        let out = self.image();
        let stages = stages.into_iter().map(|s| (s, 1.0)).collect();
        let mut pass = fused_pass(input, stages, out, |keys| Program::FusedKeyed(keys, key::mix_constants(u)));
        pass.inputs.push(qualifier);
        pass.uniforms.push(bytemuck::bytes_of(u).to_vec());
        self.passes.push(pass);
        out
    }
}

/// A pass of pointwise `stages` from `input` into `out`: each stage's uniform behind its header,
/// tables and lattices appended in order; `program` names it from the stages' keys.
fn fused_pass(
    input: Img,
    stages: Vec<(StageData, f32)>,
    out: Img,
    program: impl FnOnce(Vec<StageKey>) -> Program,
) -> Pass {
    let (mut keys, mut uniforms) = (Vec::with_capacity(stages.len()), Vec::with_capacity(stages.len()));
    let (mut tables, mut lattices) = (Vec::new(), Vec::new());
    for (stage, mix) in stages {
        keys.push(StageKey { shader: stage.shader, spec: stage.spec });
        let mut bytes = Vec::with_capacity(STAGE_HEADER + stage.uniform.len());
        bytes.extend_from_slice(&mix.to_le_bytes());
        bytes.extend_from_slice(&(tables.len() as u32).to_le_bytes());
        bytes.resize(STAGE_HEADER, 0);
        bytes.extend_from_slice(&stage.uniform);
        uniforms.push(bytes);
        tables.extend_from_slice(&stage.tables);
        lattices.extend(stage.lattice);
    }
    Pass {
        program: program(keys),
        inputs: vec![input],
        outputs: vec![out],
        uniforms,
        tables,
        lattices,
        dispatch: Dispatch::Pixels,
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

/// A keyed node's corrected picture: its pass's output (a spatial op's), or a pointwise op's stage,
/// fused into the node's keyed pass, recorded as a pass of its own only when a layer mixer reads it.
enum Corrected {
    Image(Img),
    Stage(StageData),
}

/// A keyed node's images, for the nodes that read its key (outside nodes, layer mixers).
struct Keyed {
    input: Img,
    corrected: Corrected,
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

    /// Keyed node `j`'s corrected picture (before its key), recorded on first use for a pointwise op.
    fn corrected_of(&mut self, j: usize) -> Img {
        let Some(k) = self.keyed[j].as_mut() else { unreachable!("corrected_of is asked of keyed nodes") };
        match &k.corrected {
            Corrected::Image(img) => *img,
            Corrected::Stage(stage) => {
                let img = self.g.fused(k.input, vec![(stage.clone(), 1.0)]);
                k.corrected = Corrected::Image(img);
                img
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
            let m = self.g.key_mix([k.input, k.input, k.qualifier], &u);
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
        self.g.key_mix([input, input, qualifier], &u)
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
                        Input::Node(j) if self.keyed[*j].is_some() => Some((*j, self.corrected_of(*j))),
                        _ => None,
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
                // A pointwise op's correction runs inside its keyed pass; a spatial op's passes
                // write its corrected picture.
                let corrected = match kind {
                    OpKind::Pointwise(op) => Corrected::Stage(op.stage(&cx)?),
                    OpKind::Spatial(op) => Corrected::Image(op.record(&mut r.g, input, &cx)),
                };
                let keyed =
                    |g: &mut PassGraph, corrected: &Corrected, qualifier: Img, u: &KeyMixUniform| match corrected {
                        Corrected::Image(c) => g.key_mix([input, *c, qualifier], u),
                        Corrected::Stage(stage) => g.fused_keyed(input, qualifier, vec![stage.clone()], u),
                    };
                let result = match (key, outside) {
                    (_, Some(o)) => {
                        let qualifier = r.matte_of(o, &cx);
                        let mut u = key::Key::default().uniform(node.mix, width, height);
                        (u.qualifier, u.invert) = (key::GREY_MATTE, 1);
                        u.show_matte = u32::from(node.key.as_ref().is_some_and(|k| k.show_matte));
                        let out = keyed(&mut r.g, &corrected, qualifier, &u);
                        r.keyed[i] = Some(Keyed { input, corrected, qualifier, uniform: u, matte: None });
                        out
                    }
                    (Some(key), None) => {
                        let qualifier = qualifier_matte(&mut r.g, input, key, &cx);
                        let u = key.uniform(node.mix, width, height);
                        let out = keyed(&mut r.g, &corrected, qualifier, &u);
                        r.keyed[i] = Some(Keyed { input, corrected, qualifier, uniform: u, matte: None });
                        out
                    }
                    (None, None) => {
                        let Corrected::Image(corrected) = corrected else {
                            unreachable!("an unkeyed pointwise node is part of a fused run")
                        };
                        if corrected == input {
                            input
                        } else if node.mix >= 1.0 {
                            corrected
                        } else {
                            let u = KeyMixUniform::plain(node.mix, height);
                            r.g.key_mix([input, corrected, input], &u)
                        }
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

/// The key's qualifier matte (from the node's input, softened; packed, `ops::key::matte`), or the
/// input itself when the key has no qualifier (the mixing pass then ignores it).
fn qualifier_matte(g: &mut PassGraph, input: Img, key: &key::Key, cx: &OpContext) -> Img {
    match &key.qualifier {
        Some(q) => key::matte::record(g, input, &q.uniform(), &q.blur_passes(cx.width)),
        None => input,
    }
}

/// A pass as the CPU runner hands it to a kernel's CPU twin: the same inputs, uniforms and tables
/// the shader binds.
pub struct CpuPass<'a> {
    /// Width of the image the pass writes (the frame's, but for a key's packed matte).
    pub width: u32,
    /// Height of the image the pass writes.
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
