// Unsharp mask composite: in + amount × core(in − blurred), detail below the threshold left alone.
// CPU twin: src/ops/sharpen.rs `composite`.

struct Sharpen {
    amount: f32,
    threshold: f32,
    _pad0: u32,
    _pad1: u32,
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
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(px.rgb + p.amount * cored, px.a));
}
