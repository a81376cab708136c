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
];

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
    shader(crate::ops::primaries::SHADER, include_str!("../../shaders/primaries.wgsl")),
    shader(crate::ops::lut::SHADER, include_str!("../../shaders/lut.wgsl")),
    Shader {
        name: crate::ops::color_transform::SHADER,
        includes: &["color"],
        body: include_str!("../../shaders/color_transform.wgsl"),
    },
    scope_shader("scope_waveform", include_str!("../../shaders/scope_waveform.wgsl")),
    scope_shader("scope_vectorscope", include_str!("../../shaders/scope_vectorscope.wgsl")),
    scope_shader("scope_histogram", include_str!("../../shaders/scope_histogram.wgsl")),
    scope_shader("scope_histogram_reduce", include_str!("../../shaders/scope_histogram_reduce.wgsl")),
    scope_shader("scope_render_waveform", include_str!("../../shaders/scope_render_waveform.wgsl")),
    scope_shader("scope_render_vectorscope", include_str!("../../shaders/scope_render_vectorscope.wgsl")),
    scope_shader("scope_render_histogram", include_str!("../../shaders/scope_render_histogram.wgsl")),
    shader(crate::ops::curves::SHADER, include_str!("../../shaders/curves.wgsl")),
    shader(crate::ops::gaussian::SHADER, include_str!("../../shaders/gaussian.wgsl")),
    shader(crate::ops::key::QUALIFIER_SHADER, include_str!("../../shaders/key_qualifier.wgsl")),
    shader(crate::ops::key::MIX_SHADER, include_str!("../../shaders/key_mix.wgsl")),
    shader(crate::ops::sharpen::SHADER, include_str!("../../shaders/sharpen.wgsl")),
    shader(crate::ops::glow::EXTRACT_SHADER, include_str!("../../shaders/glow_extract.wgsl")),
    shader(crate::ops::glow::SHADER, include_str!("../../shaders/glow.wgsl")),
    shader(crate::ops::grain::NOISE_SHADER, include_str!("../../shaders/grain_noise.wgsl")),
    shader(crate::ops::grain::SHADER, include_str!("../../shaders/grain.wgsl")),
    shader(crate::ops::vignette::SHADER, include_str!("../../shaders/vignette.wgsl")),
    denoise_shader(crate::ops::denoise::STATS_SHADER, include_str!("../../shaders/denoise_stats.wgsl")),
    denoise_shader(crate::ops::denoise::COEFFS_SHADER, include_str!("../../shaders/denoise_coeffs.wgsl")),
    denoise_shader(crate::ops::denoise::SMOOTH_SHADER, include_str!("../../shaders/denoise_smooth.wgsl")),
    denoise_shader(crate::ops::denoise::APPLY_SHADER, include_str!("../../shaders/denoise_apply.wgsl")),
];

/// The complete source for a shader name (common prefix and libraries included), or `None` for an
/// unknown shader or library name.
pub fn source(name: &str) -> Option<String> {
    let shader = SHADERS.iter().find(|s| s.name == name)?;
    let mut out = String::from(COMMON);
    for include in shader.includes {
        let (_, library) = LIBRARIES.iter().find(|(n, _)| n == include)?;
        out.push('\n');
        out.push_str(library);
    }
    out.push('\n');
    out.push_str(shader.body);
    Some(out)
}
