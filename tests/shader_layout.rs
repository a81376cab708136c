//! Rust uniforms and WGSL structs must not drift, and every shader must build: each module (every
//! library, every entry point, every pointwise op's fused pass) parses, validates and reflects with
//! naga, and every uniform a shader binds is a Rust `gpu_struct!` with the same size and the same
//! member names at the same offsets. The list comes from the op registry, so a new op or kernel is
//! checked without anyone writing its offsets down.

use cinegrade::color::space::ConversionUniform;
use cinegrade::gpu::graph::StageKey;
use cinegrade::gpu::layout::{GpuStruct, StructLayout};
use cinegrade::gpu::reflect::{BindingClass, reflect};
use cinegrade::gpu::viewer::DisplayUniform;
use cinegrade::gpu::{fused, shaders};
use cinegrade::ops::{self, POINTWISE};
use cinegrade::scopes::ScopeUniform;
use cinegrade::scopes::render::RenderUniform;

fn module(name: &str, source: &str) -> naga::Module {
    let module =
        naga::front::wgsl::parse_str(source).unwrap_or_else(|e| panic!("{name}.wgsl: {}", e.emit_to_string(source)));
    naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
        .validate(&module)
        .unwrap_or_else(|e| panic!("{name}.wgsl does not validate: {e:?}"));
    module
}

/// (size, [(member, offset)]) of the WGSL struct `name`.
fn wgsl_struct(module: &naga::Module, name: &str) -> Option<(usize, Vec<(String, usize)>)> {
    module.types.iter().find_map(|(_, ty)| match &ty.inner {
        naga::TypeInner::Struct { members, span } if ty.name.as_deref() == Some(name) => Some((
            *span as usize,
            members.iter().map(|m| (m.name.clone().unwrap_or_default(), m.offset as usize)).collect(),
        )),
        _ => None,
    })
}

fn check(shader: &str, module: &naga::Module, name: &str, layout: StructLayout) {
    let (span, members) = wgsl_struct(module, name).unwrap_or_else(|| panic!("{shader}: no struct {name}"));
    let rust: Vec<(String, usize)> = layout.fields.iter().map(|(n, o)| (n.to_string(), *o)).collect();
    assert_eq!(span, layout.size, "{shader}: struct {name} size");
    assert_eq!(members, rust, "{shader}: struct {name} members (name, offset)");
}

/// Every Rust mirror of a WGSL struct, by the struct's name.
fn rust_structs() -> Vec<(&'static str, StructLayout)> {
    let mut all: Vec<(&str, StructLayout)> = POINTWISE.iter().map(|e| (e.struct_name, e.layout)).collect();
    all.extend(ops::kernels().filter_map(|k| k.uniform));
    all.extend([
        ("ConversionUniform", ConversionUniform::LAYOUT),
        ("ScopeParams", ScopeUniform::LAYOUT),
        ("RenderParams", RenderUniform::LAYOUT),
        ("Display", DisplayUniform::LAYOUT),
        ("Window", cinegrade::ops::key::WindowUniform::LAYOUT),
        ("YuvParams", cinegrade::gpu::yuv::YuvParams::LAYOUT),
        ("QcParams", cinegrade::qc::analysis::QcParams::LAYOUT),
        ("StuckParams", cinegrade::qc::pixels::StuckParams::LAYOUT),
        ("Overlay", cinegrade::qc::overlay::OverlayUniform::LAYOUT),
        ("Downsample", cinegrade::gpu::proxy::DownsampleUniform::LAYOUT),
    ]);
    all
}

/// Every shader that builds a pipeline: the entry points and each pointwise op's pass alone.
fn pipelines() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> =
        shaders::entry_points().map(|m| (m.name.to_string(), shaders::source(m.name).unwrap())).collect();
    for e in POINTWISE {
        all.push((format!("fused {}", e.shader), shaders::source(e.shader).unwrap()));
    }
    all
}

#[test]
fn every_module_parses_validates_and_reflects() {
    for lib in shaders::LIBRARIES {
        // A library alone has no entry point; with its imports resolved it must still validate.
        module(lib.name, &shaders::resolve(lib.name, lib.source).unwrap());
    }
    let pipelines = pipelines();
    assert!(pipelines.len() >= 25, "{} shaders", pipelines.len());
    for (name, source) in &pipelines {
        module(name, source);
        let r = reflect(source).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(r.workgroup.iter().all(|w| *w >= 1), "{name}: workgroup {:?}", r.workgroup);
    }
}

#[test]
fn every_uniform_a_shader_binds_matches_its_rust_struct() {
    let known = rust_structs();
    let mut checked = 0;
    for (name, source) in pipelines() {
        let m = module(&name, &source);
        for (_, var) in m.global_variables.iter() {
            if var.space != naga::AddressSpace::Uniform {
                continue;
            }
            let ty = &m.types[var.ty];
            let struct_name = ty.name.clone().unwrap_or_default();
            // A fused stage's uniform is a generated header + the op's struct (`p`), checked below.
            if struct_name.starts_with("Stage") {
                let naga::TypeInner::Struct { members, .. } = &ty.inner else { unreachable!() };
                let header: Vec<(&str, u32)> = members.iter().map(|m| (m.name.as_deref().unwrap(), m.offset)).collect();
                assert_eq!(&header[..4], &[("mix", 0), ("tables", 4), ("_pad0", 8), ("_pad1", 12)], "{name}");
                assert_eq!(header[4], ("p", cinegrade::gpu::graph::STAGE_HEADER as u32), "{name}");
                continue;
            }
            let (_, layout) = known
                .iter()
                .find(|(n, _)| *n == struct_name)
                .unwrap_or_else(|| panic!("{name}: uniform struct {struct_name} has no Rust gpu_struct! mirror"));
            check(&name, &m, &struct_name, *layout);
            checked += 1;
        }
    }
    // Every pointwise op's struct, inside its fused pass.
    for e in POINTWISE {
        let source = fused::source(&[StageKey { shader: e.shader, spec: None }]);
        check(e.shader, &module(e.shader, &source), e.struct_name, e.layout);
        checked += 1;
    }
    // Structs nested in others (a key's windows) and colour conversions are checked where used.
    let key_mix = shaders::source("key_mix").unwrap();
    check("key_mix", &module("key_mix", &key_mix), "Window", cinegrade::ops::key::WindowUniform::LAYOUT);
    assert!(checked >= 20, "only {checked} uniforms checked");
}

#[test]
fn a_fused_pass_binds_source_destination_tables_stages_and_lattices_in_order() {
    let stage = |shader| StageKey { shader, spec: None };
    let source = fused::source(&[stage("primaries"), stage("lut"), stage("curves"), stage("lut")]);
    let r = reflect(&source).unwrap();
    let classes: Vec<BindingClass> = r.bindings.iter().map(|(_, c)| *c).collect();
    use BindingClass::*;
    assert_eq!(
        classes,
        [
            Input,
            Output(wgpu::TextureFormat::Rgba32Float),
            Storage { read_only: true },
            Uniform,
            Uniform,
            Uniform,
            Uniform,
            Lattice,
            Lattice
        ]
    );
    assert_eq!(r.workgroup, [16, 16, 1]);
    // Without a stage that reads tables there is no tables buffer.
    let plain = reflect(&fused::source(&[stage("primaries"), stage("vignette")])).unwrap();
    assert_eq!(plain.count(Storage { read_only: true }), 0);
}

#[test]
fn imports_resolve_once_in_order_and_unknown_ones_are_errors() {
    let source = shaders::source("color_transform").unwrap();
    let common = source.find("fn pow_positive").unwrap();
    let library = source.find("fn apply_conversion").unwrap();
    let body = source.find("fn color_transform_node").unwrap();
    assert!(common < library && library < body);
    assert_eq!(source.matches("fn pow_positive").count(), 1, "common is included once");
    assert!(!source.lines().any(|l| l.trim_start().starts_with("#import")), "every import resolved");
    assert!(shaders::source("no-such-shader").is_none());
    // Only shaders that ask for the colour library get it.
    assert!(!shaders::source("vignette").unwrap().contains("fn apply_conversion"));
    assert!(shaders::source("primaries").unwrap().contains("fn transfer_decode("), "primaries decode to linear light");
    let err = shaders::resolve("mine", "#import common\n#import nothing_like_this\n").unwrap_err();
    assert_eq!(err.to_string(), "mine: #import nothing_like_this: no such WGSL library");
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
    // Fused passes call `<name>_encode` / `<name>_decode` by `Transfer::name` (src/ops/color_transform.rs).
    use cinegrade::color::transfer::Transfer;
    let color = shaders::library("color").unwrap();
    for t in Transfer::ALL.into_iter().filter(|t| *t != Transfer::Linear) {
        for way in ["encode", "decode"] {
            let f = format!("fn {}_{way}(", t.name());
            assert!(color.contains(&f), "color.wgsl lacks `{f}`");
        }
    }
}
