// One step of a mixer node (src/grade/graph.rs): `a` is what is mixed so far, `b` the next input.
// Parallel: a + b − c, c the inputs' common ancestor, so the branches' differences add up. Layers:
// b over a by the composite mode at strength alpha × (c's matte where the layer is keyed). Alpha
// stays a's. CPU twin: src/ops/node_mix.rs `mix_pixel`.

struct NodeMix {
    mode: u32,
    alpha: f32,
    use_matte: u32,
    _pad: u32,
}

@group(0) @binding(0) var a: texture_2d<f32>;
@group(0) @binding(1) var b: texture_2d<f32>;
@group(0) @binding(2) var c: texture_2d<f32>;
@group(0) @binding(3) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(4) var<uniform> u: NodeMix;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(a);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    let below = textureLoad(a, p, 0);
    let layer = textureLoad(b, p, 0).rgb;
    let third = textureLoad(c, p, 0);
    if (u.mode == 0u) {
        textureStore(dst, p, vec4<f32>(below.rgb + layer - third.rgb, below.a));
        return;
    }
    var over = layer;
    switch (u.mode) {
        case 2u: { over = below.rgb + layer; }
        case 3u: { over = below.rgb * layer; }
        case 4u: { over = vec3<f32>(1.0) - (vec3<f32>(1.0) - below.rgb) * (vec3<f32>(1.0) - layer); }
        default: {}
    }
    let alpha = u.alpha * select(1.0, third.r, u.use_matte != 0u);
    var rgb = over;
    if (alpha < 1.0) {
        rgb = below.rgb * (1.0 - alpha) + over * alpha;
    }
    textureStore(dst, p, vec4<f32>(rgb, below.a));
}
