use super::*;
use std::collections::BTreeMap;

#[test]
fn names_round_trip_and_errors_list_them() {
    for space in ColorSpace::ALL {
        assert_eq!(space.name().parse::<ColorSpace>(), Ok(space));
        assert_eq!(space.to_string(), space.name());
        assert!(!space.description().is_empty());
    }
    assert_eq!(" ACEScct ".parse::<ColorSpace>(), Ok(ColorSpace::Acescct));
    let err = "logc".parse::<ColorSpace>().unwrap_err().to_string();
    assert!(err.contains("'logc'") && err.contains("arri-logc3-ei800, arri-logc4"), "{err}");
    let json = serde_json::to_string(&ColorSpace::RedLog3G10Rwg).unwrap();
    assert_eq!(json, "\"red-log3g10-rwg\"");
    assert_eq!(serde_json::from_str::<ColorSpace>(&json).unwrap(), ColorSpace::RedLog3G10Rwg);
    let bad = serde_json::from_str::<ColorSpace>("\"rec709\"").unwrap_err().to_string();
    assert!(bad.contains("valid names: linear-rec709"), "{bad}");
    let displays = ColorSpace::ALL.iter().filter(|c| !c.is_scene_referred()).count();
    assert_eq!(displays, 6);
}

#[test]
fn same_white_conversions_are_direct() {
    let m = Conversion::colorimetric(ColorSpace::LinearRec709, ColorSpace::SrgbDisplay).matrix;
    assert_eq!(m, to_f32(&IDENTITY));
    let white = Conversion::colorimetric(ColorSpace::ArriLogC4, ColorSpace::Rec2100Pq).apply([logc4_of(1.0); 3]);
    let pq_white = crate::color::transfer::pq_encode(1.0);
    assert!(white.iter().all(|v| (v - pq_white).abs() < 1e-5), "{white:?}");
}

fn logc4_of(x: f32) -> f32 {
    crate::color::transfer::logc4_encode(x)
}

#[test]
fn scene_to_display_is_tone_mapped_by_default() {
    let conv = Conversion::new(ColorSpace::Acescct, ColorSpace::Rec709Display);
    assert!(matches!(conv.tone, ToneStage::Forward(_)));
    let grey = crate::color::transfer::acescct_encode(0.18);
    let out = conv.apply([grey; 3]);
    assert!(out.iter().all(|v| (v - 0.40).abs() < 0.01), "{out:?}");
    // Bright highlights roll off below display white without clipping.
    let hot = conv.apply([crate::color::transfer::acescct_encode(50.0); 3]);
    assert!(hot.iter().all(|v| *v > 0.97 && *v < 1.0), "{hot:?}");
    assert_eq!(Conversion::new(ColorSpace::SrgbDisplay, ColorSpace::Acescg).tone, ToneStage::None);
    assert_eq!(Conversion::new(ColorSpace::Acescg, ColorSpace::ArriLogC3Ei800).tone, ToneStage::None);
    match Conversion::new(ColorSpace::Acescg, ColorSpace::Rec2100Pq).tone {
        ToneStage::Forward(c) => assert!((c.peak() - 10.0).abs() < 1e-4),
        other => panic!("{other:?}"),
    }
}

#[test]
fn inverse_tone_stage_undoes_the_forward_one() {
    let fwd = Conversion::new(ColorSpace::Acescg, ColorSpace::SrgbDisplay);
    let ToneStage::Forward(curve) = fwd.tone else { panic!("no tone") };
    let inv = Conversion::with_tone(ColorSpace::SrgbDisplay, ColorSpace::Acescg, ToneStage::Inverse(curve));
    for rgb in [[0.18, 0.18, 0.18], [0.02, 0.5, 3.0], [1.0, 0.3, 0.05]] {
        let back = inv.apply(fwd.apply(rgb));
        for c in 0..3 {
            assert!((back[c] - rgb[c]).abs() < 2e-4 * rgb[c].max(1.0), "{rgb:?} → {back:?}");
        }
    }
}

#[test]
fn round_trip_conversions_invert_each_other() {
    for (display, scene) in [
        (ColorSpace::SrgbDisplay, ColorSpace::Acescct),
        (ColorSpace::Rec709Display, ColorSpace::ArriLogC3Ei800),
        (ColorSpace::Rec2100Pq, ColorSpace::Acescg),
    ] {
        let into = Conversion::round_trip(display, scene);
        let back = Conversion::round_trip(scene, display);
        assert!(matches!(into.tone, ToneStage::Inverse(_)), "{display}");
        assert!(matches!(back.tone, ToneStage::Forward(_)), "{display}");
        // Codes below the display peak (PQ 0.75 is 1000 nits); the tone curve inverts to 2e-4.
        for rgb in [[0.1, 0.4, 0.7], [0.5, 0.5, 0.5], [0.02, 0.3, 0.74]] {
            let out = back.apply(into.apply(rgb));
            for c in 0..3 {
                assert!((out[c] - rgb[c]).abs() < 2e-4, "{display}: {rgb:?} → {out:?}");
            }
        }
    }
    assert_eq!(Conversion::round_trip(ColorSpace::Acescg, ColorSpace::ArriLogC4).tone, ToneStage::None);
    assert_eq!(Conversion::round_trip(ColorSpace::SrgbDisplay, ColorSpace::Rec2100Pq).tone, ToneStage::None);
}

#[test]
fn uniform_mirrors_the_conversion() {
    let conv = Conversion::new(ColorSpace::ArriLogC3Ei800, ColorSpace::Rec2100Hlg);
    let u = conv.uniform();
    assert_eq!(std::mem::size_of::<ConversionUniform>(), 80);
    assert_eq!(u.decode, Transfer::LogC3.id());
    assert_eq!(u.encode, Transfer::HlgDisplay.id());
    assert_eq!(u.tone_mode, TONE_FORWARD);
    assert_eq!(u.matrix[1][3], 0.0);
    assert_eq!(u.matrix[2][..3], conv.matrix[2]);
    assert_eq!(Conversion::colorimetric(ColorSpace::Acescg, ColorSpace::Acescct).uniform().tone_mode, TONE_NONE);
}

#[derive(serde::Deserialize)]
struct Samples {
    input: Vec<[f32; 3]>,
    output: Vec<[f32; 3]>,
}

#[derive(serde::Deserialize)]
struct SpaceReference {
    ocio: String,
    to_aces: Samples,
    from_aces: Samples,
}

#[derive(serde::Deserialize)]
struct Reference {
    generator: String,
    spaces: BTreeMap<String, SpaceReference>,
}

/// |a − b|, relative to |b| when |b| > 1.
fn error(got: f32, want: f32) -> f32 {
    (got - want).abs() / want.abs().max(1.0)
}

/// The largest |a − b| / max(|b|, 1e-4) over results below 1 (measured for every space: at most
/// about 8e-4; the bound is 2e-3).
fn max_near_black(conv: &Conversion, samples: &Samples) -> (f32, [f32; 3]) {
    let mut worst = (0.0, [0.0; 3]);
    for (input, want) in samples.input.iter().zip(&samples.output) {
        let got = conv.apply(*input);
        for c in 0..3 {
            if want[c].abs() < 1.0 {
                let e = (got[c] - want[c]).abs() / want[c].abs().max(1e-4);
                if e > worst.0 {
                    worst = (e, *input);
                }
            }
        }
    }
    worst
}

fn max_error(conv: &Conversion, samples: &Samples) -> (f32, [f32; 3]) {
    assert_eq!(samples.input.len(), samples.output.len());
    let mut worst = (0.0, [0.0; 3]);
    for (input, want) in samples.input.iter().zip(&samples.output) {
        let got = conv.apply(*input);
        for c in 0..3 {
            let e = error(got[c], want[c]);
            assert!(!e.is_nan(), "{:?}: {input:?} gave {got:?}, want {want:?}", conv.src);
            if e > worst.0 {
                worst = (e, *input);
            }
        }
    }
    worst
}

/// Every space against OpenColorIO (tests/data/color/make_reference.py), over the full range.
#[test]
fn matches_opencolorio_over_the_full_range() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/color/reference.json");
    let text = std::fs::read_to_string(path).expect("reference.json");
    let reference: Reference = serde_json::from_str(&text).expect("valid reference.json");
    println!("{}", reference.generator);
    let mut failures = Vec::new();
    for space in ColorSpace::ALL {
        if space == ColorSpace::Aces2065_1 {
            continue;
        }
        let Some(r) = reference.spaces.get(space.name()) else {
            failures.push(format!("{space}: missing from reference.json"));
            continue;
        };
        let aces = ColorSpace::Aces2065_1;
        let (fwd, fwd_at) = max_error(&Conversion::colorimetric(space, aces), &r.to_aces);
        let (inv, inv_at) = max_error(&Conversion::colorimetric(aces, space), &r.from_aces);
        // Scene-linear results below 1 also relative to their own value (down to 1e-4): shadows
        // must not pass stops off inside an absolute bound. (ACES2065-1 is linear; into a log or
        // display space the result is a code, compared absolutely above.)
        let (near, near_at) = max_near_black(&Conversion::colorimetric(space, aces), &r.to_aces);
        if near > 2e-3 {
            failures.push(format!("{space} → ACES: {near:e} of the value near black at {near_at:?}"));
        }
        if space.transfer() == Transfer::Linear {
            let (near, near_at) = max_near_black(&Conversion::colorimetric(aces, space), &r.from_aces);
            if near > 2e-3 {
                failures.push(format!("ACES → {space}: {near:e} of the value near black at {near_at:?}"));
            }
        }
        let name = space.name();
        println!("{name:<26} to ACES {fwd:.1e}, from ACES {inv:.1e} ({})", r.ocio);
        if fwd > 1e-4 {
            failures.push(format!("{space} → ACES: error {fwd:e} at {fwd_at:?}"));
        }
        if inv > 1e-4 {
            failures.push(format!("ACES → {space}: error {inv:e} at {inv_at:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn shader_module() -> naga::Module {
    let source = crate::gpu::shaders::library("color").expect("shaders/lib/color.wgsl");
    let module = naga::front::wgsl::parse_str(source).unwrap_or_else(|e| panic!("{}", e.emit_to_string(source)));
    naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all())
        .validate(&module)
        .unwrap_or_else(|e| panic!("{}", e.emit_to_string(source)));
    module
}

fn shader_u32_constant(module: &naga::Module, name: &str) -> Option<u32> {
    let (_, constant) = module.constants.iter().find(|(_, c)| c.name.as_deref() == Some(name))?;
    match module.global_expressions[constant.init] {
        naga::Expression::Literal(naga::Literal::U32(v)) => Some(v),
        _ => None,
    }
}

#[test]
fn shader_validates_and_mirrors_the_rust_ids_and_layout() {
    let module = shader_module();
    for t in Transfer::ALL {
        let name = format!("TRANSFER_{}", t.name().to_ascii_uppercase());
        assert_eq!(shader_u32_constant(&module, &name), Some(t.id()), "{name}");
    }
    for (name, id) in [("TONE_NONE", TONE_NONE), ("TONE_FORWARD", TONE_FORWARD), ("TONE_INVERSE", TONE_INVERSE)] {
        assert_eq!(shader_u32_constant(&module, name), Some(id), "{name}");
    }
    let (_, ty) = module
        .types
        .iter()
        .find(|(_, t)| t.name.as_deref() == Some("ConversionUniform"))
        .expect("struct ConversionUniform");
    let naga::TypeInner::Struct { members, span } = &ty.inner else { panic!("not a struct") };
    assert_eq!(*span as usize, std::mem::size_of::<ConversionUniform>());
    let offsets: Vec<(String, u32)> = members.iter().map(|m| (m.name.clone().unwrap_or_default(), m.offset)).collect();
    use crate::gpu::layout::GpuStruct;
    let expected: Vec<(String, u32)> =
        ConversionUniform::LAYOUT.fields.iter().map(|(n, o)| (n.to_string(), *o as u32)).collect();
    assert_eq!(expected.len(), 6);
    assert_eq!(offsets, expected);
    for f in ["apply_conversion", "srgb_encode", "logc3_decode", "tone_forward", "tone_inverse"] {
        assert!(module.functions.iter().any(|(_, x)| x.name.as_deref() == Some(f)), "missing fn {f}");
    }
    assert!(module.entry_points.is_empty(), "color.wgsl is a library");
}
