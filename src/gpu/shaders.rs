//! WGSL sources, embedded at build time. Every shader is prefixed with `common.wgsl`, then with the
//! libraries it names in [`Shader::includes`] (in order), then its own body: WGSL has no `#include`,
//! and this keeps each function in exactly one file.

/// `shaders/common.wgsl`: functions shared by op shaders.
pub const COMMON: &str = include_str!("../../shaders/common.wgsl");

/// WGSL libraries (no entry points) a shader can include, by name.
pub const LIBRARIES: &[(&str, &str)] = &[
    ("color", include_str!("../../shaders/color.wgsl")),
    ("scope_common", include_str!("../../shaders/scope_common.wgsl")),
    ("denoise_common", include_str!("../../shaders/denoise_common.wgsl")),
    // The pointwise ops: each a struct and a `<op>_node` function, called by generated fused passes
    // (src/gpu/fused.rs).
    (crate::ops::primaries::SHADER, include_str!("../../shaders/primaries.wgsl")),
    (crate::ops::color_transform::SHADER, include_str!("../../shaders/color_transform.wgsl")),
    (crate::ops::lut::SHADER, include_str!("../../shaders/lut.wgsl")),
    (crate::ops::curves::SHADER, include_str!("../../shaders/curves.wgsl")),
    (crate::ops::vignette::SHADER, include_str!("../../shaders/vignette.wgsl")),
];

/// The WGSL library called `name`.
pub fn library(name: &str) -> Option<&'static str> {
    LIBRARIES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// One compute shader: its name (the pipeline cache key), the libraries it includes, its body.
#[derive(Clone, Copy, Debug)]
pub struct Shader {
    /// The name pipelines are built and cached by.
    pub name: &'static str,
    /// Names in [`LIBRARIES`] prepended (after `common.wgsl`) in this order.
    pub includes: &'static [&'static str],
    /// The shader's own source, with its `main` entry point.
    pub body: &'static str,
}

const fn shader(name: &'static str, body: &'static str) -> Shader {
    Shader { name, includes: &[], body }
}

/// A noise-reduction pass: `shaders/denoise_common.wgsl` (constants, uniform) before its own file.
const fn denoise_shader(name: &'static str, body: &'static str) -> Shader {
    Shader { name, includes: &["denoise_common"], body }
}

/// A scope shader: `shaders/scope_common.wgsl` (exact binning, uniforms) before its own file.
const fn scope_shader(name: &'static str, body: &'static str) -> Shader {
    Shader { name, includes: &["scope_common"], body }
}

/// Every shader by name.
pub const SHADERS: &[Shader] = &[
    shader("copy", include_str!("../../shaders/copy.wgsl")),
    shader(super::viewer::DISPLAY_SHADER, include_str!("../../shaders/display.wgsl")),
    scope_shader("scope_accumulate", include_str!("../../shaders/scope_accumulate.wgsl")),
    scope_shader("scope_histogram", include_str!("../../shaders/scope_histogram.wgsl")),
    scope_shader("scope_histogram_reduce", include_str!("../../shaders/scope_histogram_reduce.wgsl")),
    scope_shader("scope_render_waveform", include_str!("../../shaders/scope_render_waveform.wgsl")),
    scope_shader("scope_render_vectorscope", include_str!("../../shaders/scope_render_vectorscope.wgsl")),
    scope_shader("scope_render_histogram", include_str!("../../shaders/scope_render_histogram.wgsl")),
    shader(crate::ops::gaussian::SHADER, include_str!("../../shaders/gaussian.wgsl")),
    shader(crate::ops::key::QUALIFIER_SHADER, include_str!("../../shaders/key_qualifier.wgsl")),
    shader(crate::ops::key::MIX_SHADER, include_str!("../../shaders/key_mix.wgsl")),
    shader(crate::ops::sharpen::SHADER, include_str!("../../shaders/sharpen.wgsl")),
    shader(crate::ops::glow::EXTRACT_SHADER, include_str!("../../shaders/glow_extract.wgsl")),
    shader(crate::ops::glow::SHADER, include_str!("../../shaders/glow.wgsl")),
    shader(crate::ops::grain::NOISE_SHADER, include_str!("../../shaders/grain_noise.wgsl")),
    shader(crate::ops::grain::SHADER, include_str!("../../shaders/grain.wgsl")),
    denoise_shader(crate::ops::denoise::STATS_SHADER, include_str!("../../shaders/denoise_stats.wgsl")),
    denoise_shader(crate::ops::denoise::COEFFS_SHADER, include_str!("../../shaders/denoise_coeffs.wgsl")),
    denoise_shader(crate::ops::denoise::SMOOTH_SHADER, include_str!("../../shaders/denoise_smooth.wgsl")),
    denoise_shader(crate::ops::denoise::APPLY_SHADER, include_str!("../../shaders/denoise_apply.wgsl")),
];

/// The complete source for a shader name (common prefix and libraries included), or `None` for an
/// unknown shader or library name. A pointwise op's name gives its fused pass of that op alone.
pub fn source(name: &str) -> Option<String> {
    if let Some(kind) = super::fused::StageKind::from_shader_name(name) {
        return Some(super::fused::source(&[super::fused::Stage::generic(kind)]));
    }
    let shader = SHADERS.iter().find(|s| s.name == name)?;
    let mut out = String::from(COMMON);
    for include in shader.includes {
        let library = library(include)?;
        out.push('\n');
        out.push_str(library);
    }
    out.push('\n');
    out.push_str(shader.body);
    Some(out)
}
