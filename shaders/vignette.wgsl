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

// The node at pixel `pos`, at the node's mix.
fn vignette_node(p: Vignette, input: vec3<f32>, pos: vec2<u32>) -> vec3<f32> {
    let d = (vec2<f32>(pos) + vec2<f32>(0.5)) * p.center.zw - p.center.xy;
    let q = d * p.scale.xy;
    let r = sqrt(q.x * q.x + q.y * q.y);
    var falloff: f32;
    if (p.feather > 0.0) {
        falloff = smooth_ramp(p.size, p.size + p.feather, r);
    } else {
        falloff = select(0.0, 1.0, r >= p.size);
    }
    var rgb = input * (1.0 - p.amount * falloff);
    if (p.mix < 1.0) {
        rgb = input * (1.0 - p.mix) + rgb * p.mix;
    }
    return rgb;
}
