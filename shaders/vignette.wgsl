// Vignette: out = in × (1 − amount × smoothstep(size, size + feather, r)). CPU reference:
// src/ops/vignette.rs `apply_pixel`.

struct Vignette {
    center: vec4<f32>,
    scale: vec4<f32>,
    amount: f32,
    size: f32,
    feather: f32,
    mix: f32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> p: Vignette;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    let d = (vec2<f32>(id.xy) + vec2<f32>(0.5)) * p.center.zw - p.center.xy;
    let q = d * p.scale.xy;
    let r = sqrt(q.x * q.x + q.y * q.y);
    var falloff: f32;
    if (p.feather > 0.0) {
        falloff = smooth_ramp(p.size, p.size + p.feather, r);
    } else {
        falloff = select(0.0, 1.0, r >= p.size);
    }
    var rgb = px.rgb * (1.0 - p.amount * falloff);
    if (p.mix < 1.0) {
        rgb = px.rgb * (1.0 - p.mix) + rgb * p.mix;
    }
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(rgb, px.a));
}
