//! WGSL sources, embedded at build time. Each op shader is prefixed with `common.wgsl`.

/// `shaders/common.wgsl`: functions shared by op shaders.
pub const COMMON: &str = include_str!("../../shaders/common.wgsl");

/// Every shader by name: (name, source without the common prefix).
pub const SHADERS: &[(&str, &str)] = &[
    ("copy", include_str!("../../shaders/copy.wgsl")),
    (super::viewer::DISPLAY_SHADER, include_str!("../../shaders/display.wgsl")),
    (crate::ops::primaries::SHADER, include_str!("../../shaders/primaries.wgsl")),
    (crate::ops::curves::SHADER, include_str!("../../shaders/curves.wgsl")),
    (crate::ops::gaussian::SHADER, include_str!("../../shaders/gaussian.wgsl")),
    (crate::ops::key::QUALIFIER_SHADER, include_str!("../../shaders/key_qualifier.wgsl")),
    (crate::ops::key::MIX_SHADER, include_str!("../../shaders/key_mix.wgsl")),
];

/// The complete source for a shader name (common prefix included), or `None` for an unknown name.
pub fn source(name: &str) -> Option<String> {
    SHADERS.iter().find(|(n, _)| *n == name).map(|(_, body)| format!("{COMMON}\n{body}"))
}
