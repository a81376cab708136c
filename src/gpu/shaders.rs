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
    (crate::ops::sharpen::SHADER, include_str!("../../shaders/sharpen.wgsl")),
    (crate::ops::glow::EXTRACT_SHADER, include_str!("../../shaders/glow_extract.wgsl")),
    (crate::ops::glow::SHADER, include_str!("../../shaders/glow.wgsl")),
    (crate::ops::grain::NOISE_SHADER, include_str!("../../shaders/grain_noise.wgsl")),
    (crate::ops::grain::SHADER, include_str!("../../shaders/grain.wgsl")),
    (crate::ops::vignette::SHADER, include_str!("../../shaders/vignette.wgsl")),
    (crate::ops::denoise::STATS_SHADER, include_str!("../../shaders/denoise_stats.wgsl")),
    (crate::ops::denoise::COEFFS_SHADER, include_str!("../../shaders/denoise_coeffs.wgsl")),
    (crate::ops::denoise::SMOOTH_SHADER, include_str!("../../shaders/denoise_smooth.wgsl")),
    (crate::ops::denoise::APPLY_SHADER, include_str!("../../shaders/denoise_apply.wgsl")),
];

/// The complete source for a shader name (common prefix included), or `None` for an unknown name.
pub fn source(name: &str) -> Option<String> {
    SHADERS.iter().find(|(n, _)| *n == name).map(|(_, body)| format!("{COMMON}\n{body}"))
}
