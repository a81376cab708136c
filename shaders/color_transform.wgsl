// Colour space transform node. Includes color.wgsl (`apply_conversion`).
// CPU reference: src/ops/color_transform.rs `apply_pixel`, which reads the same uniform.

struct ColorTransform {
    conversion: ConversionUniform,
    mix: f32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> p: ColorTransform;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    let converted = apply_conversion(px.rgb, p.conversion);
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(blend(px.rgb, converted, p.mix), px.a));
}
