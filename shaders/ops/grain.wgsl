// Film grain composite: blurred noise rescaled, mono/colour mixed, shaped by tanh, weighted by luma and
// added. CPU twin: src/ops/grain.rs `composite`.

struct Grain {
    amount: f32,
    noise_scale: f32,
    colour: f32,
    response: f32,
    hardness: f32,
    shape_scale: f32,
    _pad0: u32,
    _pad1: u32,
    luma: vec4<f32>,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var noise: texture_2d<f32>;
@group(0) @binding(2) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(3) var<uniform> p: Grain;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    let n = textureLoad(noise, vec2<i32>(id.xy), 0).rgb * p.noise_scale;
    let mono = (n.r + n.g + n.b) * (1.0 / sqrt(3.0));
    let l = clamp(dot(px.rgb, p.luma.xyz), 0.0, 1.0);
    let weight = 1.0 - p.response + p.response * 4.0 * l * (1.0 - l);
    var g = vec3<f32>(mono) + p.colour * (n - vec3<f32>(mono));
    if (p.hardness > 0.0) {
        g = tanh(p.hardness * g) * p.shape_scale;
    }
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(px.rgb + p.amount * weight * g, px.a));
}
