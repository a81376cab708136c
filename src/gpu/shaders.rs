//! WGSL sources, embedded at build time, and the one place `#import` is resolved.
//!
//! A shader names the libraries it uses on lines of their own, `#import common`; [`resolve`] replaces
//! each with the library's source (itself resolved), once per shader however often it is named. The
//! libraries are `shaders/lib/*.wgsl` and the pointwise ops' `shaders/ops/<op>.wgsl` (which the fused
//! passes import); the entry-point shaders are the ops registry's kernels and the view and scope
//! passes below.

use crate::ops;

/// A named WGSL source.
#[derive(Clone, Copy, Debug)]
pub struct Module {
    /// The name shaders import it by, or build pipelines by.
    pub name: &'static str,
    /// Its source, `#import`s unresolved.
    pub source: &'static str,
}

const fn module(name: &'static str, source: &'static str) -> Module {
    Module { name, source }
}

/// Shared WGSL, imported by name (`shaders/lib/`).
pub const LIBRARIES: &[Module] = &[
    module("common", include_str!("../../shaders/lib/common.wgsl")),
    module("color", include_str!("../../shaders/lib/color.wgsl")),
    module("scope_common", include_str!("../../shaders/lib/scope_common.wgsl")),
    module("denoise_common", include_str!("../../shaders/lib/denoise_common.wgsl")),
    module("gaussian_common", include_str!("../../shaders/lib/gaussian_common.wgsl")),
    module("matte_common", include_str!("../../shaders/lib/matte_common.wgsl")),
];

/// WGSL an op's library imports that reads its pass's bindings (the `tables` buffer), so it is
/// built, validated and reflected within that op's passes rather than alone (`shaders/ops/`).
pub const OP_LIBRARIES: &[Module] = &[
    module("lut_clf", include_str!("../../shaders/ops/lut_clf.wgsl")),
    module("color_aces2", include_str!("../../shaders/ops/color_aces2.wgsl")),
    module("key_common", include_str!("../../shaders/ops/key_common.wgsl")),
];

/// Entry-point shaders that are not pass-graph kernels: the viewer's and the scopes'.
pub const PASSES: &[Module] = &[
    module("copy", include_str!("../../shaders/view/copy.wgsl")),
    module(super::proxy::SHADER, include_str!("../../shaders/view/downsample.wgsl")),
    module(super::frame::TO_HALF_SHADER, include_str!("../../shaders/view/to_half.wgsl")),
    module(super::viewer::DISPLAY_SHADER, include_str!("../../shaders/view/display.wgsl")),
    module(super::yuv::SHADER, include_str!("../../shaders/view/yuv_to_rgb.wgsl")),
    module(crate::qc::analysis::SHADER, include_str!("../../shaders/qc/qc_stats.wgsl")),
    module(crate::qc::pixels::RANGE_SHADER, include_str!("../../shaders/qc/qc_pixel_range.wgsl")),
    module(crate::qc::pixels::STUCK_SHADER, include_str!("../../shaders/qc/qc_pixel_stuck.wgsl")),
    module(crate::qc::overlay::SHADER, include_str!("../../shaders/qc/qc_overlay.wgsl")),
    module("scope_accumulate", include_str!("../../shaders/scopes/scope_accumulate.wgsl")),
    module("scope_histogram", include_str!("../../shaders/scopes/scope_histogram.wgsl")),
    module("scope_histogram_reduce", include_str!("../../shaders/scopes/scope_histogram_reduce.wgsl")),
    module("scope_render_waveform", include_str!("../../shaders/scopes/scope_render_waveform.wgsl")),
    module("scope_render_vectorscope", include_str!("../../shaders/scopes/scope_render_vectorscope.wgsl")),
    module("scope_render_histogram", include_str!("../../shaders/scopes/scope_render_histogram.wgsl")),
];

/// The library called `name`: a shared one or a pointwise op's.
pub fn library(name: &str) -> Option<&'static str> {
    LIBRARIES
        .iter()
        .chain(OP_LIBRARIES)
        .find(|m| m.name == name)
        .map(|m| m.source)
        .or_else(|| ops::pointwise(name).map(|e| e.wgsl))
}

/// Every entry-point shader (kernels of the pass graph, view and scope passes) by name.
pub fn entry_points() -> impl Iterator<Item = Module> {
    ops::kernels().map(|k| Module { name: k.name, source: k.wgsl }).chain(PASSES.iter().copied())
}

/// Why a shader's source could not be put together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{shader}: #import {name}: no such WGSL library")]
pub struct ImportError {
    /// The shader (or library) with the import.
    pub shader: String,
    /// The name it imports.
    pub name: String,
}

/// `source` with every `#import name` line replaced by that library's resolved source; a library
/// named twice (directly or through another) is included once. `shader` names the source in errors.
pub fn resolve(shader: &str, source: &str) -> Result<String, ImportError> {
    let mut out = String::with_capacity(source.len() * 2);
    let mut included = Vec::new();
    append(shader, source, &mut out, &mut included)?;
    Ok(out)
}

fn append(shader: &str, source: &str, out: &mut String, included: &mut Vec<String>) -> Result<(), ImportError> {
    for line in source.lines() {
        match line.trim().strip_prefix("#import ") {
            Some(name) => {
                let name = name.trim();
                if included.iter().any(|n| n == name) {
                    continue;
                }
                included.push(name.to_string());
                let library =
                    library(name).ok_or_else(|| ImportError { shader: shader.to_string(), name: name.to_string() })?;
                append(name, library, out, included)?;
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(())
}

/// The resolved source of the shader called `name`: an entry-point shader, or a pointwise op's
/// library as its fused pass of that op alone. `None` for an unknown name.
pub fn source(name: &str) -> Option<String> {
    if let Some(op) = ops::pointwise(name) {
        let stage = crate::gpu::graph::StageKey { shader: op.shader, spec: None };
        return Some(super::fused::source(&[stage]));
    }
    let module = entry_points().find(|m| m.name == name)?;
    resolve(name, module.source).ok()
}
