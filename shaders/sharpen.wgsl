// Unsharp mask composite: in + amount × core(in − blurred), detail below the threshold left alone.
// CPU reference: src/ops/sharpen.rs `composite`.

struct Sharpen {
    amount: f32,
    threshold: f32,
    mix: f32,
    _pad: u32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var blurred: texture_2d<f32>;
@group(0) @binding(2) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(3) var<uniform> p: Sharpen;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    let d = px.rgb - textureLoad(blurred, vec2<i32>(id.xy), 0).rgb;
    let cored = sign(d) * max(abs(d) - vec3<f32>(p.threshold), vec3<f32>(0.0));
    var rgb = px.rgb + p.amount * cored;
    if (p.mix < 1.0) {
        rgb = px.rgb * (1.0 - p.mix) + rgb * p.mix;
    }
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(rgb, px.a));
}
