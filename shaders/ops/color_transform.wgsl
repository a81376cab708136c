// Colour space transform node: `apply_conversion` from the colour library.
// CPU twin: src/ops/color_transform.rs `ColorTransform::cpu` = `ConversionUniform::apply`, which reads
// the same uniform. Fused passes usually write the conversion out for its own curves instead
// (`ColorTransform::specialised_wgsl`).

#import common
#import color

// The stage: the conversion at full strength.
fn color_transform_node(p: ConversionUniform, input: vec3<f32>, site: Site) -> vec3<f32> {
    return apply_conversion(input, p);
}
