//! Grading operations and their registry.
//!
//! An op is data (its parameters, plain serde), a GPU shader and a CPU twin side by side, in one file
//! (`src/ops/<op>.rs`) and one shader (`shaders/ops/<op>.wgsl`). Two kinds exist:
//!
//! - [`Pointwise`] ops read only the pixel they write. Runs of them fuse into one generated compute
//!   pass (`gpu::fused`), so a whole colour pipeline costs one read and one write of the frame.
//! - [`Spatial`] ops read neighbourhoods. They record their own passes into the pass graph
//!   (`gpu::graph`), each pass a shader with a CPU twin ([`Kernel`]).
//!
//! The [`ops!`](registry) line at the end of this file is the registry: it generates [`Op`] (the
//! grade-file enum) and every match over it. Node mix and key are not an op's business: the executor
//! blends `input` with the op's output by `mix × matte` once, for every op, on the GPU and on the CPU.

pub mod gaussian;
pub mod hsl;
pub mod key;
pub mod node_mix;
pub mod param;
#[macro_use]
pub mod registry;

use std::path::Path;
use std::sync::Arc;

use bytemuck::Pod;

pub use param::{Param, ParamKind, ParamValue};
pub use registry::{
    DynPointwise, DynSpatial, OpKind, ParamInfo, PointwiseEntry, StageData, kernel, kernels, pointwise,
};

use crate::color::space::ColorSpace;
use crate::gpu::graph::{CpuPass, Img, PassGraph};
use crate::gpu::layout::GpuStruct;
use crate::interchange::{InterchangeError, Lut3d};
use crate::media::Frame;

/// What an op knows about where it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpContext {
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// The shot's frame number (film grain changes from frame to frame).
    pub frame: u32,
    /// The colour space the node's input is in, where the grade says (the space a preceding colour
    /// transform converts to); `None` when nothing is converted and values are whatever the file holds.
    pub working_space: Option<ColorSpace>,
}

impl OpContext {
    /// A context for a `width` × `height` frame number `frame`, working space unknown.
    pub fn new(width: u32, height: u32, frame: u32) -> Self {
        Self { width, height, frame, working_space: None }
    }
}

/// What a pointwise stage's CPU twin reads besides its uniform: where the pixel is, and the bindings
/// the shader reads (its part of the pass's `tables` buffer, its 3D lattice).
#[derive(Clone, Copy, Debug)]
pub struct Site<'a> {
    /// Pixel column and row.
    pub pos: [u32; 2],
    /// The stage's tables (from its own offset in the pass's buffer on).
    pub tables: &'a [f32],
    /// The stage's 3D lattice, for ops with [`Pointwise::LATTICE`].
    pub lattice: Option<&'a Lut3d>,
}

/// An op that reads only the pixel it writes; it fuses with its neighbours into one generated pass.
///
/// Its WGSL (`shaders/ops/<SHADER>.wgsl`) is a library with a `struct <STRUCT>` mirroring
/// [`Pointwise::Uniform`] and a function
/// `fn <SHADER>_node(p: <STRUCT>, rgb: vec3<f32>, site: Site) -> vec3<f32>` (ops with a
/// [`Pointwise::LATTICE`] take a `lattice: texture_3d<f32>` after `site`); tables are read from the
/// pass's `tables: array<f32>` from `site.tables` on. [`Pointwise::cpu`] is the same formula in Rust.
pub trait Pointwise: Sized {
    /// The op's name in grade files.
    const NAME: &'static str;
    /// Its shader library name (`shaders/ops/<SHADER>.wgsl`, function `<SHADER>_node`).
    const SHADER: &'static str;
    /// The library's source.
    const WGSL: &'static str;
    /// The WGSL struct its uniform mirrors.
    const STRUCT: &'static str;
    /// True when the shader reads the pass's `tables` storage buffer ([`Pointwise::tables`]).
    const TABLES: bool = false;
    /// True when the shader takes a 3D lattice texture ([`Pointwise::lattice`]).
    const LATTICE: bool = false;
    /// The numbers the shader and the CPU twin read, laid out as [`Pointwise::STRUCT`].
    type Uniform: Pod + GpuStruct;
    /// What the op loads once per parameters (a LUT's file); `()` for most ops.
    type Data: Send + Sync + 'static;

    /// Problems a colorist must fix before this can render (each names the field).
    fn validate(&self) -> Result<(), String>;
    /// True when every pixel comes out as it went in, so the node is skipped.
    fn is_neutral(&self) -> bool;
    /// Reads what the op needs beyond its parameters (files), with errors naming the file and line.
    fn load(&self) -> Result<Self::Data, InterchangeError>;
    /// The uniform for this node. No mix here: mix belongs to the node.
    fn uniform(&self, data: &Self::Data, cx: &OpContext) -> Self::Uniform;
    /// The CPU twin of `<SHADER>_node`: the same formula, reading the same numbers.
    fn cpu(u: &Self::Uniform, rgb: [f32; 3], site: &Site) -> [f32; 3];

    /// The stage's tables, appended to the pass's `tables` buffer (ops with [`Pointwise::TABLES`]).
    fn tables(&self, _data: &Self::Data) -> Vec<f32> {
        Vec::new()
    }
    /// The stage's 3D lattice (ops with [`Pointwise::LATTICE`]).
    fn lattice(_data: &Self::Data) -> Option<Arc<Lut3d>> {
        None
    }
    /// Literals to write the stage's code paths out with in the generated pass (a colour transform's
    /// curves), keyed into the program cache; `None`: the generic call.
    fn specialise(_u: &Self::Uniform) -> Option<[u32; 4]> {
        None
    }
    /// Whether the stage may share a fused pass with its neighbours (default yes). A stage whose
    /// code is very large (the ACES 2.0 Output Transform) runs in a pass of its own: inlined with a
    /// grade's other stages it exceeds what some shader compilers handle (Mesa 22.3's lavapipe
    /// crashes), and its cost dwarfs the extra pass's memory traffic anyway.
    fn fuses(_u: &Self::Uniform) -> bool {
        true
    }
    /// The stage's WGSL for a [`Pointwise::specialise`] key: statements reading `rgb`, `p<i>`,
    /// `site<i>` (and `lattice<i>` for an op with [`Pointwise::LATTICE`]) that define `o<i>`, the
    /// stage's output. On llvmpipe a branch on a uniform still costs its whole body (SIMD lanes run
    /// both sides under masks), so what the key rules out must not be in the code at all.
    fn specialised_wgsl(_spec: [u32; 4], i: usize) -> String {
        format!("    let o{i} = {}_node(p{i}, rgb, site{i});\n", Self::SHADER)
    }

    /// The node the app's "add node" menu creates, with its label (`None`: not in the menu).
    fn menu() -> Option<(&'static str, Self)> {
        None
    }
    /// The parameters the app draws with generic widgets.
    fn params() -> &'static [Param<Self>] {
        &[]
    }
    /// A non-neutral instance for the registry-wide GPU-vs-CPU test; ops that read files may write
    /// them into `scratch`.
    fn example(scratch: &Path) -> Self;
}

/// An op that reads neighbourhoods: it records its own passes.
pub trait Spatial: Sized {
    /// The op's name in grade files.
    const NAME: &'static str;
    /// Its shaders, each with its CPU twin.
    const KERNELS: &'static [Kernel];

    /// Problems a colorist must fix before this can render (each names the field).
    fn validate(&self) -> Result<(), String>;
    /// True when every pixel comes out as it went in at any size, so the node is skipped.
    fn is_neutral(&self) -> bool;
    /// Records the op at full strength from `input`; returns the image holding the result (`input`
    /// itself when there is nothing to do at this size).
    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img;

    /// The node the app's "add node" menu creates, with its label (`None`: not in the menu).
    fn menu() -> Option<(&'static str, Self)> {
        None
    }
    /// The parameters the app draws with generic widgets.
    fn params() -> &'static [Param<Self>] {
        &[]
    }
    /// A non-neutral instance for the registry-wide GPU-vs-CPU test.
    fn example() -> Self;
}

/// A compute shader of the pass graph and its CPU twin.
#[derive(Clone, Copy)]
pub struct Kernel {
    /// Shader name (`shaders/ops/<name>.wgsl`), the pipeline cache key.
    pub name: &'static str,
    /// Its source (`#import`s resolved by `gpu::shaders`).
    pub wgsl: &'static str,
    /// The CPU twin: the pass's outputs from its inputs and uniforms.
    pub cpu: fn(&CpuPass) -> Vec<Frame>,
    /// The WGSL struct of its uniform and the Rust layout mirroring it (checked by naga reflection).
    pub uniform: Option<(&'static str, crate::gpu::layout::StructLayout)>,
}

impl std::fmt::Debug for Kernel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kernel").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Blends a node's input with its output (`blend` in `shaders/lib/common.wgsl`); mix 1 returns the
/// output bit for bit. (WGSL's `mix()` may be computed as `a + t·(b − a)`, which is not exact at
/// t = 1 and loses precision when the input is much larger than the output, e.g. linear → log.)
pub fn blend(input: [f32; 3], output: [f32; 3], mix: f32) -> [f32; 3] {
    if mix >= 1.0 {
        return output;
    }
    [0, 1, 2].map(|c| input[c] * (1.0 - mix) + output[c] * mix)
}

ops! {
    pointwise:
        primaries::Primaries,
        color_transform::ColorTransform,
        lut::Lut,
        ocio::OcioTransform,
        curves::Curves,
        vignette::Vignette,
        device_preview::DevicePreview;
    spatial:
        blur::Blur,
        sharpen::Sharpen,
        denoise::Denoise,
        glow::Glow,
        grain::Grain;
}

/// The executor's own kernels (matte and blur building blocks every keyed or blurring node uses).
pub const EXECUTOR_KERNELS: &[&[Kernel]] = &[gaussian::KERNELS, key::KERNELS, node_mix::KERNELS];
