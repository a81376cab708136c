// OpenColorIO transform node: the program `interchange::clf_program::compile` writes for a config's
// conversion (src/ops/ocio.rs), run from the stage's tables: the CLF operators of lut_clf.wgsl, the
// ACES 2.0 rendering of color_aces2.wgsl (code 8: [inverse] then its block) and BT.2100's surround
// (code 9: [exponent, minimum luminance]).
// CPU twin: src/ops/ocio.rs `OcioTransform::cpu` = `clf_program::run`, operator for operator.
// A program without an ACES 2.0 rendering is written out as `ocio_program` (`OcioTransform::
// specialised_wgsl`), so a fused pass never inlines the rendering it does not use.

#import common
#import lut
#import color_aces2

const OCIO_ACES2: u32 = 8u;
const OCIO_SURROUND: u32 = 9u;

struct Ocio {
    // 1: the program holds an ACES 2.0 rendering (and runs in a pass of its own).
    heavy: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

// BT.2100's surround: the pixel scaled by its luminance (at least the minimum) to the exponent.
fn ocio_surround(p: u32, v: vec3<f32>) -> vec3<f32> {
    let y = max(abs(0.2627 * v.r + 0.6780 * v.g + 0.0593 * v.b), tables[p + 1u]);
    return v * pow(y, tables[p]);
}

// Every operator but the ACES 2.0 rendering.
fn ocio_step(code: u32, p: u32, v: vec3<f32>) -> vec3<f32> {
    if code == OCIO_SURROUND {
        return ocio_surround(p, v);
    }
    return clf_op(code, p, v);
}

// A program without an ACES 2.0 rendering.
fn ocio_program(input: vec3<f32>, base: u32) -> vec3<f32> {
    var v = input;
    let count = clf_word(base);
    var pc = base + 1u;
    for (var i = 0u; i < count; i++) {
        let p = pc + 2u;
        v = ocio_step(clf_word(pc), p, v);
        pc = p + clf_word(pc + 1u);
    }
    return v;
}

// The stage: any program, at full strength.
fn ocio_node(p: Ocio, input: vec3<f32>, site: Site) -> vec3<f32> {
    var v = input;
    let count = clf_word(site.tables);
    var pc = site.tables + 1u;
    for (var i = 0u; i < count; i++) {
        let code = clf_word(pc);
        let q = pc + 2u;
        if code == OCIO_ACES2 {
            if clf_word(q) == 1u {
                v = aces2_inverse_core(v, q + 1u);
            } else {
                v = aces2_forward_core(v, q + 1u);
            }
        } else {
            v = ocio_step(code, q, v);
        }
        pc = q + clf_word(pc + 1u);
    }
    return v;
}
