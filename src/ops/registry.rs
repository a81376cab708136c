//! The op registry: the `ops!` macro that turns one list of op types into [`super::Op`] and every match
//! over it, and the type-erased views the executor, the fused-pass generator, the CPU runner and the
//! app reach ops through.

use std::path::Path;
use std::sync::Arc;

use super::{OpContext, Param, ParamKind, ParamValue, Pointwise, Site, Spatial};
use crate::gpu::graph::{Img, PassGraph};
use crate::gpu::layout::{GpuStruct, StructLayout};
use crate::interchange::{InterchangeError, Lut3d};

/// What one pointwise node contributes to a fused pass.
#[derive(Clone, Debug)]
pub struct StageData {
    /// The op's shader library name.
    pub shader: &'static str,
    /// Literals its code paths are written out with (see [`Pointwise::specialise`]).
    pub spec: Option<[u32; 4]>,
    /// Its uniform's bytes.
    pub uniform: Vec<u8>,
    /// Its tables, appended to the pass's `tables` buffer.
    pub tables: Vec<f32>,
    /// Its 3D lattice.
    pub lattice: Option<Arc<Lut3d>>,
    /// It may share a fused pass with its neighbours ([`Pointwise::fuses`]).
    pub fuses: bool,
}

/// Everything the generator and the CPU runner need to know of a pointwise op, without its type.
#[derive(Clone, Copy)]
pub struct PointwiseEntry {
    /// Grade-file name.
    pub name: &'static str,
    /// Shader library name.
    pub shader: &'static str,
    /// Library source.
    pub wgsl: &'static str,
    /// Its uniform's WGSL struct.
    pub struct_name: &'static str,
    /// The Rust layout of that uniform.
    pub layout: StructLayout,
    /// Reads the pass's `tables`.
    pub tables: bool,
    /// Takes a 3D lattice.
    pub lattice: bool,
    /// The CPU twin on a uniform's bytes.
    pub cpu: fn(&[u8], [f32; 3], &Site) -> [f32; 3],
    /// The stage's WGSL for a specialisation key.
    pub specialised_wgsl: fn([u32; 4], usize) -> String,
    /// A non-neutral node of this op (see [`Pointwise::example`]).
    pub example: fn(&Path) -> super::Op,
}

impl std::fmt::Debug for PointwiseEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PointwiseEntry").field("name", &self.name).finish_non_exhaustive()
    }
}

fn cpu_erased<T: Pointwise>(bytes: &[u8], rgb: [f32; 3], site: &Site) -> [f32; 3] {
    let u: T::Uniform = bytemuck::pod_read_unaligned(&bytes[..size_of::<T::Uniform>()]);
    T::cpu(&u, rgb, site)
}

impl PointwiseEntry {
    /// The entry of `T` (its `example` is filled in by the registry, which knows [`super::Op`]).
    pub const fn of<T: Pointwise>(example: fn(&Path) -> super::Op) -> Self {
        Self {
            name: T::NAME,
            shader: T::SHADER,
            wgsl: T::WGSL,
            struct_name: T::STRUCT,
            layout: <T::Uniform as GpuStruct>::LAYOUT,
            tables: T::TABLES,
            lattice: T::LATTICE,
            cpu: cpu_erased::<T>,
            specialised_wgsl: T::specialised_wgsl,
            example,
        }
    }
}

/// A pointwise op's node, type-erased.
pub trait DynPointwise {
    /// The op's shader library name.
    fn shader(&self) -> &'static str;
    /// What the node contributes to a fused pass in context `cx` (files are read here).
    fn stage(&self, cx: &OpContext) -> Result<StageData, InterchangeError>;
}

impl<T: Pointwise> DynPointwise for T {
    fn shader(&self) -> &'static str {
        T::SHADER
    }

    fn stage(&self, cx: &OpContext) -> Result<StageData, InterchangeError> {
        let data = self.load()?;
        let uniform = self.uniform(&data, cx);
        Ok(StageData {
            shader: T::SHADER,
            spec: T::specialise(&uniform),
            uniform: bytemuck::bytes_of(&uniform).to_vec(),
            tables: if T::TABLES { self.tables(&data) } else { Vec::new() },
            lattice: if T::LATTICE { T::lattice(&data) } else { None },
            fuses: T::fuses(&uniform),
        })
    }
}

/// A spatial op's node, type-erased.
pub trait DynSpatial {
    /// Records the op at full strength from `input` (see [`Spatial::record`]).
    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img;
}

impl<T: Spatial> DynSpatial for T {
    fn record(&self, g: &mut PassGraph, input: Img, cx: &OpContext) -> Img {
        Spatial::record(self, g, input, cx)
    }
}

/// How a node's op runs.
pub enum OpKind<'a> {
    /// As a stage of a fused pass.
    Pointwise(&'a dyn DynPointwise),
    /// Through its own passes.
    Spatial(&'a dyn DynSpatial),
}

/// One of an op's generic parameters as the app draws it, with its current value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamInfo {
    /// Label (also the undo step's name).
    pub label: &'static str,
    /// Unit shown after the value.
    pub unit: &'static str,
    /// Widget and range.
    pub kind: ParamKind,
    /// Current value.
    pub value: ParamValue,
}

/// The infos of `params` for `op`.
pub fn param_infos<T>(params: &[Param<T>], op: &T) -> Vec<ParamInfo> {
    params.iter().map(|p| ParamInfo { label: p.label, unit: p.unit, kind: p.kind, value: (p.get)(op) }).collect()
}

/// Sets parameter `index` of `params` on `op`; false when there is no such parameter.
pub fn set_param<T>(params: &[Param<T>], op: &mut T, index: usize, value: ParamValue) -> bool {
    match params.get(index) {
        Some(p) => {
            (p.set)(op, value);
            true
        }
        None => false,
    }
}

/// A spatial op's kernels and example, type-erased.
#[derive(Clone, Copy, Debug)]
pub struct SpatialEntry {
    /// Grade-file name.
    pub name: &'static str,
    /// Its shaders.
    pub kernels: &'static [super::Kernel],
    /// A non-neutral node of this op.
    pub example: fn() -> super::Op,
}

/// The registry: `ops! { pointwise: module::Type, ...; spatial: module::Type, ...; }` declares each
/// op's module and generates [`super::Op`] with its matches and the [`super::POINTWISE`] and
/// [`super::SPATIAL`] tables.
macro_rules! ops {
    (pointwise: $($pm:ident :: $p:ident),+ ; spatial: $($sm:ident :: $s:ident),+ ;) => {
        $(pub mod $pm;)+
        $(pub mod $sm;)+
        $(pub use $pm::$p;)+
        $(pub use $sm::$s;)+

        /// The operation a node performs, with its parameters. In grade files each is written under
        /// its name (the variant's, kebab-case: `primaries`, `color-transform`, ...).
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "kebab-case", deny_unknown_fields)]
        pub enum Op {
            $(#[doc = concat!("`", stringify!($pm), "`: a pointwise op.")] $p($p),)+
            $(#[doc = concat!("`", stringify!($sm), "`: a spatial op.")] $s($s),)+
        }

        impl Op {
            /// The op's name as written in grade files.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Op::$p(_) => <$p as Pointwise>::NAME,)+
                    $(Op::$s(_) => <$s as Spatial>::NAME,)+
                }
            }

            /// Problems a colorist must fix before this can render.
            pub fn validate(&self) -> Result<(), String> {
                match self {
                    $(Op::$p(o) => Pointwise::validate(o),)+
                    $(Op::$s(o) => Spatial::validate(o),)+
                }
            }

            /// True when the op leaves every pixel as it is at any frame size, so it is skipped.
            pub fn is_neutral(&self) -> bool {
                match self {
                    $(Op::$p(o) => Pointwise::is_neutral(o),)+
                    $(Op::$s(o) => Spatial::is_neutral(o),)+
                }
            }

            /// How the op runs: a fused stage or its own passes.
            pub fn kind(&self) -> $crate::ops::OpKind<'_> {
                match self {
                    $(Op::$p(o) => $crate::ops::OpKind::Pointwise(o),)+
                    $(Op::$s(o) => $crate::ops::OpKind::Spatial(o),)+
                }
            }

            /// The nodes the app's "add node" menu offers, with their labels, in registry order.
            pub fn menu() -> Vec<(&'static str, Op)> {
                let mut items = Vec::new();
                $(if let Some((label, o)) = <$p as Pointwise>::menu() { items.push((label, Op::$p(o))); })+
                $(if let Some((label, o)) = <$s as Spatial>::menu() { items.push((label, Op::$s(o))); })+
                items
            }

            /// The op's generic parameters with their values (primaries, curves, keys, colour
            /// transforms and LUTs have their own widgets).
            pub fn params(&self) -> Vec<$crate::ops::registry::ParamInfo> {
                match self {
                    $(Op::$p(o) => $crate::ops::registry::param_infos(<$p as Pointwise>::params(), o),)+
                    $(Op::$s(o) => $crate::ops::registry::param_infos(<$s as Spatial>::params(), o),)+
                }
            }

            /// Sets generic parameter `index`; false when there is none.
            pub fn set_param(&mut self, index: usize, value: ParamValue) -> bool {
                match self {
                    $(Op::$p(o) => $crate::ops::registry::set_param(<$p as Pointwise>::params(), o, index, value),)+
                    $(Op::$s(o) => $crate::ops::registry::set_param(<$s as Spatial>::params(), o, index, value),)+
                }
            }
        }

        /// Every pointwise op, in registry order.
        pub const POINTWISE: &[$crate::ops::PointwiseEntry] = &[
            $($crate::ops::PointwiseEntry::of::<$p>(|dir| Op::$p(<$p as Pointwise>::example(dir))),)+
        ];

        /// Every spatial op, in registry order.
        pub const SPATIAL: &[$crate::ops::registry::SpatialEntry] = &[
            $($crate::ops::registry::SpatialEntry {
                name: <$s as Spatial>::NAME,
                kernels: <$s as Spatial>::KERNELS,
                example: || Op::$s(<$s as Spatial>::example()),
            },)+
        ];
    };
}

/// The pointwise op whose shader library is `shader`.
pub fn pointwise(shader: &str) -> Option<&'static PointwiseEntry> {
    super::POINTWISE.iter().find(|e| e.shader == shader)
}

/// Every kernel of the pass graph: the spatial ops' and the executor's own.
pub fn kernels() -> impl Iterator<Item = &'static super::Kernel> {
    super::SPATIAL.iter().flat_map(|s| s.kernels.iter()).chain(super::EXECUTOR_KERNELS.iter().flat_map(|k| k.iter()))
}

/// The kernel named `name`.
pub fn kernel(name: &str) -> Option<&'static super::Kernel> {
    kernels().find(|k| k.name == name)
}
