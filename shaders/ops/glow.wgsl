// Glow composite: blurred highlights screened (values above 1 left alone) or added over the picture.
// CPU twin: src/ops/glow.rs `composite`.

struct Glow {
    amount: f32,
    mode: u32,
    _pad0: u32,
    _pad1: u32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var glow: texture_2d<f32>;
@group(0) @binding(2) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(3) var<uniform> p: Glow;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    let g = p.amount * textureLoad(glow, vec2<i32>(id.xy), 0).rgb;
    var rgb: vec3<f32>;
    if (p.mode == 1u) {
        rgb = px.rgb + g;
    } else {
        rgb = px.rgb + g * (vec3<f32>(1.0) - clamp(px.rgb, vec3<f32>(0.0), vec3<f32>(1.0)));
    }
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(rgb, px.a));
}
