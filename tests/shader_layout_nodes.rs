//! The uniforms of curves, keys and the spatial passes against their WGSL structs (size and member
//! offsets), as `shader_layout.rs` does for primaries. Every shader's validation is in that file.

use std::mem::{offset_of, size_of};

use cinegrade::gpu::shaders;
use cinegrade::ops::curves::CurvesUniform;
use cinegrade::ops::denoise::DenoiseUniform;
use cinegrade::ops::gaussian::GaussianUniform;
use cinegrade::ops::glow::{GlowExtractUniform, GlowUniform};
use cinegrade::ops::grain::{GrainNoiseUniform, GrainUniform};
use cinegrade::ops::key::{KeyMixUniform, QualifierUniform, WindowUniform};
use cinegrade::ops::sharpen::SharpenUniform;
use cinegrade::ops::vignette::VignetteUniform;

/// (size, member offsets) of WGSL struct `name` in shader `shader`.
fn wgsl_struct(shader: &str, name: &str) -> (usize, Vec<usize>) {
    let source = shaders::source(shader).unwrap_or_else(|| panic!("no shader {shader}"));
    let module = naga::front::wgsl::parse_str(&source).unwrap_or_else(|e| panic!("{shader}: {e}"));
    for (_, ty) in module.types.iter() {
        if ty.name.as_deref() == Some(name)
            && let naga::TypeInner::Struct { members, span } = &ty.inner
        {
            return (*span as usize, members.iter().map(|m| m.offset as usize).collect());
        }
    }
    panic!("no struct {name} in {shader}");
}

fn check(shader: &str, name: &str, size: usize, offsets: &[usize]) {
    assert_eq!(wgsl_struct(shader, name), (size, offsets.to_vec()), "{shader}.wgsl struct {name}");
}

#[test]
fn curves_uniform_matches_wgsl() {
    let expected = [
        offset_of!(CurvesUniform, flags),
        offset_of!(CurvesUniform, mix),
        offset_of!(CurvesUniform, table_offset),
        offset_of!(CurvesUniform, _pad),
        offset_of!(CurvesUniform, luma),
    ];
    check("curves", "Curves", size_of::<CurvesUniform>(), &expected);
}

#[test]
fn gaussian_uniform_matches_wgsl() {
    let p = offset_of!(GaussianUniform, _pad);
    let expected = [0, offset_of!(GaussianUniform, radius), p, p + 4, offset_of!(GaussianUniform, weights)];
    check("gaussian", "Gaussian", size_of::<GaussianUniform>(), &expected);
}

#[test]
fn key_uniforms_match_wgsl() {
    let expected: Vec<usize> = (0..5).map(|i| i * 16).collect();
    assert_eq!(offset_of!(QualifierUniform, luma_weights), 64);
    check("key_qualifier", "Qualifier", size_of::<QualifierUniform>(), &expected);
    let w = [
        offset_of!(WindowUniform, shape),
        offset_of!(WindowUniform, invert),
        offset_of!(WindowUniform, point_count),
        offset_of!(WindowUniform, _pad),
        offset_of!(WindowUniform, geometry),
        offset_of!(WindowUniform, transform),
        offset_of!(WindowUniform, points),
    ];
    check("key_mix", "Window", size_of::<WindowUniform>(), &w);
    let k = [
        offset_of!(KeyMixUniform, mix),
        offset_of!(KeyMixUniform, invert),
        offset_of!(KeyMixUniform, combine),
        offset_of!(KeyMixUniform, qualifier),
        offset_of!(KeyMixUniform, show_matte),
        offset_of!(KeyMixUniform, window_count),
        offset_of!(KeyMixUniform, inv_height),
        offset_of!(KeyMixUniform, _pad),
        offset_of!(KeyMixUniform, windows),
    ];
    check("key_mix", "KeyMix", size_of::<KeyMixUniform>(), &k);
}

#[test]
fn spatial_uniforms_match_wgsl() {
    check(
        "sharpen",
        "Sharpen",
        size_of::<SharpenUniform>(),
        &[
            offset_of!(SharpenUniform, amount),
            offset_of!(SharpenUniform, threshold),
            offset_of!(SharpenUniform, mix),
            offset_of!(SharpenUniform, _pad),
        ],
    );
    let p = offset_of!(GlowExtractUniform, _pad);
    check(
        "glow_extract",
        "Extract",
        size_of::<GlowExtractUniform>(),
        &[
            0,
            offset_of!(GlowExtractUniform, knee),
            p,
            p + 4,
            offset_of!(GlowExtractUniform, tint),
            offset_of!(GlowExtractUniform, luma),
        ],
    );
    check(
        "glow",
        "Glow",
        size_of::<GlowUniform>(),
        &[0, offset_of!(GlowUniform, mode), offset_of!(GlowUniform, mix), offset_of!(GlowUniform, _pad)],
    );
    check("grain_noise", "Noise", size_of::<GrainNoiseUniform>(), &[0, 4, 8, 12]);
    let g = [
        offset_of!(GrainUniform, amount),
        offset_of!(GrainUniform, noise_scale),
        offset_of!(GrainUniform, colour),
        offset_of!(GrainUniform, response),
        offset_of!(GrainUniform, hardness),
        offset_of!(GrainUniform, shape_scale),
        offset_of!(GrainUniform, mix),
        offset_of!(GrainUniform, _pad),
        offset_of!(GrainUniform, luma),
    ];
    check("grain", "Grain", size_of::<GrainUniform>(), &g);
    let v = [
        offset_of!(VignetteUniform, center),
        offset_of!(VignetteUniform, scale),
        offset_of!(VignetteUniform, amount),
        offset_of!(VignetteUniform, size),
        offset_of!(VignetteUniform, feather),
        offset_of!(VignetteUniform, mix),
    ];
    check("vignette", "Vignette", size_of::<VignetteUniform>(), &v);
    let p = offset_of!(DenoiseUniform, _pad);
    let d = [0, offset_of!(DenoiseUniform, mix), p, p + 4, offset_of!(DenoiseUniform, eps)];
    for shader in ["denoise_stats", "denoise_coeffs", "denoise_smooth", "denoise_apply"] {
        check(shader, "Denoise", size_of::<DenoiseUniform>(), &d);
    }
}
