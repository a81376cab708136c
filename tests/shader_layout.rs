//! Rust uniforms and WGSL structs must not drift: every shader parses and validates with naga, and each
//! op's `#[repr(C)]` uniform has the same size and member offsets as its WGSL struct.

use std::mem::{offset_of, size_of};

use cinegrade::gpu::shaders;
use cinegrade::ops::primaries::PrimariesUniform;
use cinegrade::scopes::ScopeUniform;
use cinegrade::scopes::render::RenderUniform;

fn module(name: &str) -> naga::Module {
    let source = shaders::source(name).unwrap_or_else(|| panic!("no shader {name}"));
    let module =
        naga::front::wgsl::parse_str(&source).unwrap_or_else(|e| panic!("{name}.wgsl: {}", e.emit_to_string(&source)));
    naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
        .validate(&module)
        .unwrap_or_else(|e| panic!("{name}.wgsl does not validate: {e:?}"));
    module
}

/// (size, member offsets) of the WGSL struct `name`.
fn wgsl_struct(module: &naga::Module, name: &str) -> (u32, Vec<u32>) {
    for (_, ty) in module.types.iter() {
        if ty.name.as_deref() == Some(name)
            && let naga::TypeInner::Struct { members, span } = &ty.inner
        {
            return (*span, members.iter().map(|m| m.offset).collect());
        }
    }
    panic!("no struct {name}");
}

#[test]
fn every_shader_parses_and_validates() {
    for shader in shaders::SHADERS {
        module(shader.name);
    }
}

#[test]
fn primaries_uniform_matches_wgsl() {
    let (span, offsets) = wgsl_struct(&module("primaries"), "Primaries");
    assert_eq!(span as usize, size_of::<PrimariesUniform>());
    let m = offset_of!(PrimariesUniform, matrix);
    let p = offset_of!(PrimariesUniform, _pad);
    let expected: Vec<usize> = vec![
        m,
        m + 16,
        m + 32,
        offset_of!(PrimariesUniform, slope),
        offset_of!(PrimariesUniform, cdl_offset),
        offset_of!(PrimariesUniform, power),
        offset_of!(PrimariesUniform, lift),
        offset_of!(PrimariesUniform, gain),
        offset_of!(PrimariesUniform, inv_gamma),
        offset_of!(PrimariesUniform, offset),
        offset_of!(PrimariesUniform, luma),
        offset_of!(PrimariesUniform, cdl_saturation),
        offset_of!(PrimariesUniform, contrast),
        offset_of!(PrimariesUniform, pivot),
        offset_of!(PrimariesUniform, saturation),
        offset_of!(PrimariesUniform, cdl_clamp),
        offset_of!(PrimariesUniform, mix),
        p,
        p + 4,
    ];
    assert_eq!(offsets.iter().map(|o| *o as usize).collect::<Vec<_>>(), expected);
}

#[test]
fn color_transform_uniform_matches_wgsl() {
    use cinegrade::color::space::ConversionUniform;
    use cinegrade::ops::color_transform::ColorTransformUniform;
    let module = module("color_transform");
    let (span, offsets) = wgsl_struct(&module, "ColorTransform");
    assert_eq!(span as usize, size_of::<ColorTransformUniform>());
    let p = offset_of!(ColorTransformUniform, _pad);
    let expected =
        vec![offset_of!(ColorTransformUniform, conversion), offset_of!(ColorTransformUniform, mix), p, p + 4, p + 8];
    assert_eq!(offsets.iter().map(|o| *o as usize).collect::<Vec<_>>(), expected);
    // The included library's struct, as the op shader sees it.
    let (span, offsets) = wgsl_struct(&module, "ConversionUniform");
    assert_eq!(span as usize, size_of::<ConversionUniform>());
    let expected = vec![
        offset_of!(ConversionUniform, matrix),
        offset_of!(ConversionUniform, decode),
        offset_of!(ConversionUniform, encode),
        offset_of!(ConversionUniform, tone_mode),
        offset_of!(ConversionUniform, pad),
        offset_of!(ConversionUniform, tone),
    ];
    assert_eq!(offsets.iter().map(|o| *o as usize).collect::<Vec<_>>(), expected);
}

#[test]
fn shader_sources_include_common_then_libraries() {
    let source = shaders::source("color_transform").unwrap();
    let common = source.find("fn pow_positive").unwrap();
    let library = source.find("fn apply_conversion").unwrap();
    let body = source.find("struct ColorTransform").unwrap();
    assert!(common < library && library < body);
    assert!(shaders::source("no-such-shader").is_none());
    // Only shaders that ask for the colour library get it.
    assert!(!shaders::source("primaries").unwrap().contains("fn apply_conversion"));
}

#[test]
fn lut_uniform_matches_wgsl() {
    use cinegrade::ops::lut::LutUniform;
    let (span, offsets) = wgsl_struct(&module("lut"), "Lut");
    assert_eq!(span as usize, size_of::<LutUniform>());
    let expected = vec![
        offset_of!(LutUniform, domain_min_1d),
        offset_of!(LutUniform, domain_max_1d),
        offset_of!(LutUniform, domain_min_3d),
        offset_of!(LutUniform, domain_max_3d),
        offset_of!(LutUniform, size_1d),
        offset_of!(LutUniform, size_3d),
        offset_of!(LutUniform, interpolation),
        offset_of!(LutUniform, mix),
        offset_of!(LutUniform, shaper_offset),
        offset_of!(LutUniform, _pad),
        offset_of!(LutUniform, _pad) + 4,
        offset_of!(LutUniform, _pad) + 8,
    ];
    assert_eq!(offsets.iter().map(|o| *o as usize).collect::<Vec<_>>(), expected);
}

#[test]
fn scope_uniform_matches_wgsl_in_every_accumulation_shader() {
    let p = offset_of!(ScopeUniform, _pad);
    let expected: Vec<usize> = vec![
        offset_of!(ScopeUniform, luma),
        offset_of!(ScopeUniform, frame_size),
        offset_of!(ScopeUniform, waveform_columns),
        offset_of!(ScopeUniform, vectorscope_size),
        offset_of!(ScopeUniform, vectorscope_zoom),
        offset_of!(ScopeUniform, accumulate),
        p,
        p + 4,
    ];
    for shader in ["scope_accumulate", "scope_histogram"] {
        let (span, offsets) = wgsl_struct(&module(shader), "ScopeParams");
        assert_eq!(span as usize, size_of::<ScopeUniform>(), "{shader}");
        assert_eq!(offsets.iter().map(|o| *o as usize).collect::<Vec<_>>(), expected, "{shader}");
    }
}

#[test]
fn render_uniform_matches_wgsl_in_every_render_shader() {
    let p = offset_of!(RenderUniform, _pad);
    let expected: Vec<usize> = vec![
        offset_of!(RenderUniform, image_size),
        offset_of!(RenderUniform, mode),
        offset_of!(RenderUniform, scale),
        offset_of!(RenderUniform, bins_size),
        offset_of!(RenderUniform, samples),
        offset_of!(RenderUniform, zoom),
        offset_of!(RenderUniform, intensity),
        offset_of!(RenderUniform, skin_angle),
        p,
        p + 4,
        offset_of!(RenderUniform, luma),
        offset_of!(RenderUniform, targets),
    ];
    for shader in ["scope_render_waveform", "scope_render_vectorscope", "scope_render_histogram"] {
        let (span, offsets) = wgsl_struct(&module(shader), "RenderParams");
        assert_eq!(span as usize, size_of::<RenderUniform>(), "{shader}");
        assert_eq!(offsets.iter().map(|o| *o as usize).collect::<Vec<_>>(), expected, "{shader}");
    }
}

#[test]
fn scope_constants_match_rust() {
    use cinegrade::scopes::quantize::{LEVEL_MAX, LEVEL_MIN, LEVELS, Q_LIMIT, Q_SCALE, WEIGHT_SCALE};
    let common = shaders::source("scope_accumulate").unwrap();
    for line in [
        format!("const Q_SCALE: f32 = {}.0;", Q_SCALE),
        format!("const Q_LIMIT: f32 = {}.0;", Q_LIMIT / Q_SCALE),
        format!("const WEIGHT_SCALE: i32 = {WEIGHT_SCALE};"),
        format!("const LEVEL_MIN: i32 = {LEVEL_MIN};"),
        format!("const LEVEL_MAX: i32 = {LEVEL_MAX};"),
        format!("const LEVELS: u32 = {LEVELS}u;"),
    ] {
        assert!(common.contains(&line), "scope_common.wgsl lacks `{line}`");
    }
    let histogram = shaders::source("scope_histogram").unwrap();
    assert!(histogram.contains(&format!("const LOCAL_BINS: u32 = {}u;", 2 * LEVELS)));
}

#[test]
fn accumulation_runs_match_the_dispatch() {
    // engine.rs dispatches height / (16 * 8) workgroups: the shader must walk 8 rows each.
    let source = shaders::source("scope_accumulate").unwrap();
    assert!(source.contains("const RUN: u32 = 8u;"));
}

#[test]
fn every_transfer_has_wgsl_curves_named_after_it() {
    // Fused passes call `<name>_encode` / `<name>_decode` by `Transfer::name` (src/gpu/fused.rs).
    use cinegrade::color::transfer::Transfer;
    let color = shaders::library("color").unwrap();
    for t in Transfer::ALL.into_iter().filter(|t| *t != Transfer::Linear) {
        for way in ["encode", "decode"] {
            let f = format!("fn {}_{way}(", t.name());
            assert!(color.contains(&f), "color.wgsl lacks `{f}`");
        }
    }
}
