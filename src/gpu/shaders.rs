//! WGSL sources, embedded at build time. Each op shader is prefixed with `common.wgsl`.

/// `shaders/common.wgsl`: functions shared by op shaders.
pub const COMMON: &str = include_str!("../../shaders/common.wgsl");

/// A scope shader: `shaders/scope_common.wgsl` (exact binning, uniforms) followed by its own file.
macro_rules! scope_shader {
    ($name:literal) => {
        (
            $name,
            concat!(
                include_str!("../../shaders/scope_common.wgsl"),
                "\n",
                include_str!(concat!("../../shaders/", $name, ".wgsl"))
            ),
        )
    };
}

/// Every shader by name: (name, source without the common prefix).
pub const SHADERS: &[(&str, &str)] = &[
    ("copy", include_str!("../../shaders/copy.wgsl")),
    (
        crate::ops::primaries::SHADER,
        include_str!("../../shaders/primaries.wgsl"),
    ),
    scope_shader!("scope_waveform"),
    scope_shader!("scope_vectorscope"),
    scope_shader!("scope_histogram"),
    scope_shader!("scope_histogram_reduce"),
    scope_shader!("scope_render_waveform"),
    scope_shader!("scope_render_vectorscope"),
    scope_shader!("scope_render_histogram"),
];

/// The complete source for a shader name (common prefix included), or `None` for an unknown name.
pub fn source(name: &str) -> Option<String> {
    SHADERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, body)| format!("{COMMON}\n{body}"))
}
