// Colour space transform node: `apply_conversion` from the colour library, or, for the ACES 2.0
// Output Transform, the same steps around `aces2_forward` / `aces2_inverse` (color_aces2.wgsl), whose
// block is the stage's tables.
// CPU twin: src/ops/color_transform.rs `ColorTransform::cpu` = `ConversionUniform::apply_with`, which
// reads the same uniform and tables. Fused passes usually write the conversion out for its own curves
// instead (`ColorTransform::specialised_wgsl`).

#import common
#import color
#import color_aces2

const TONE_ACES2_FORWARD: u32 = 3u;
const TONE_ACES2_INVERSE: u32 = 4u;

// The stage: the conversion at full strength.
fn color_transform_node(p: ConversionUniform, input: vec3<f32>, site: Site) -> vec3<f32> {
    if p.tone_mode == TONE_ACES2_FORWARD {
        let v = apply_matrix(p.matrix, transfer_decode(p.decode, input));
        return transfer_encode(p.encode, aces2_forward(v, site.tables));
    }
    if p.tone_mode == TONE_ACES2_INVERSE {
        let v = aces2_inverse(transfer_decode(p.decode, input), site.tables);
        return transfer_encode(p.encode, apply_matrix(p.matrix, v));
    }
    return apply_conversion(input, p);
}
