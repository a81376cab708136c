// Vignette: out = in × (1 − amount × smoothstep(size, size + feather, r)). CPU twin:
// src/ops/vignette.rs `Vignette::cpu`.

#import common

struct Vignette {
    center: vec4<f32>,
    scale: vec4<f32>,
    amount: f32,
    size: f32,
    feather: f32,
    _pad0: u32,
}

// The stage at pixel `site.pos`, at full strength.
fn vignette_node(p: Vignette, input: vec3<f32>, site: Site) -> vec3<f32> {
    let d = (vec2<f32>(site.pos) + vec2<f32>(0.5)) * p.center.zw - p.center.xy;
    let q = d * p.scale.xy;
    let r = sqrt(q.x * q.x + q.y * q.y);
    var falloff: f32;
    if (p.feather > 0.0) {
        falloff = smooth_ramp(p.size, p.size + p.feather, r);
    } else {
        falloff = select(0.0, 1.0, r >= p.size);
    }
    return input * (1.0 - p.amount * falloff);
}
