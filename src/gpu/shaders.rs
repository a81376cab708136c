//! WGSL sources, embedded at build time. Every shader is prefixed with `common.wgsl`, then with the
//! libraries it names in [`Shader::includes`] (in order), then its own body: WGSL has no `#include`,
//! and this keeps each function in exactly one file.

/// `shaders/common.wgsl`: functions shared by op shaders.
pub const COMMON: &str = include_str!("../../shaders/common.wgsl");

/// WGSL libraries (no entry points) an op shader can include, by name.
pub const LIBRARIES: &[(&str, &str)] = &[("color", include_str!("../../shaders/color.wgsl"))];

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
