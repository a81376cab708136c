// Colour space transform node, a library that needs color.wgsl (`apply_conversion`).
// CPU reference: src/ops/color_transform.rs `apply_pixel`, which reads the same uniform.

struct ColorTransform {
    conversion: ConversionUniform,
    mix: f32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

// The node: the conversion at the node's mix.
fn color_transform_node(p: ColorTransform, input: vec3<f32>) -> vec3<f32> {
    return blend(input, apply_conversion(input, p.conversion), p.mix);
}
