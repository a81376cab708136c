// Glow: the tinted part of each pixel above a soft-kneed luma threshold. CPU twin:
// src/ops/glow.rs `extract`.

struct Extract {
    threshold: f32,
    knee: f32,
    _pad0: u32,
    _pad1: u32,
    tint: vec4<f32>,
    luma: vec4<f32>,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> e: Extract;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(src, vec2<i32>(id.xy), 0);
    let l = dot(px.rgb, e.luma.xyz);
    var soft = clamp(l - e.threshold + e.knee, 0.0, 2.0 * e.knee);
    soft = soft * soft / (4.0 * e.knee + 1e-5);
    let share = max(max(soft, l - e.threshold) / max(l, 1e-5), 0.0);
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(max(px.rgb, vec3<f32>(0.0)) * share * e.tint.rgb, px.a));
}
