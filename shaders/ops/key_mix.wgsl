// A keyed node's output: windows evaluated, combined with the qualifier matte, inverted, then the
// node's input blended with its corrected picture by matte × mix (or the matte shown as grey).
// Also the plain mix of spatial nodes (no qualifier, no windows). CPU twin: src/ops/key/mod.rs
// `mix_pixel`.

#import common

const MAX_WINDOWS: u32 = 8u;

struct Window {
    shape: u32,
    invert: u32,
    point_count: u32,
    _pad: u32,
    geometry: vec4<f32>,
    transform: vec4<f32>,
    points: array<vec4<f32>, 48>,
}

struct KeyMix {
    mix: f32,
    invert: u32,
    combine: u32,
    qualifier: u32,
    show_matte: u32,
    window_count: u32,
    inv_height: f32,
    _pad: u32,
    windows: array<Window, 8>,
}

@group(0) @binding(0) var input: texture_2d<f32>;
@group(0) @binding(1) var corrected: texture_2d<f32>;
@group(0) @binding(2) var qualifier_matte: texture_2d<f32>;
@group(0) @binding(3) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(4) var<uniform> k: KeyMix;

fn corner(w: u32, i: u32) -> vec2<f32> {
    let v = k.windows[w].points[i / 2u];
    return select(v.xy, v.zw, i % 2u == 1u);
}

fn polygon_distance(w: u32, p: vec2<f32>) -> f32 {
    let n = k.windows[w].point_count;
    if (n == 0u) {
        return 1.0;
    }
    let v0 = corner(w, 0u);
    var d = dot(p - v0, p - v0);
    var s = 1.0;
    var j = n - 1u;
    for (var i = 0u; i < n; i++) {
        let vi = corner(w, i);
        let vj = corner(w, j);
        let e = vj - vi;
        let wv = p - vi;
        let t = clamp(dot(wv, e) / max(dot(e, e), 1e-12), 0.0, 1.0);
        let b = wv - e * t;
        d = min(d, dot(b, b));
        let c = vec3<bool>((p.y >= vi.y), (p.y < vj.y), (e.x * wv.y > e.y * wv.x));
        if (all(c) || !any(c)) {
            s = -s;
        }
        j = i;
    }
    return s * sqrt(d);
}

fn window_distance(w: u32, p: vec2<f32>) -> f32 {
    let g = k.windows[w].geometry;
    let cs = k.windows[w].transform.xy;
    let d = p - g.xy;
    let local = vec2<f32>(d.x * cs.x + d.y * cs.y, d.y * cs.x - d.x * cs.y);
    switch (k.windows[w].shape) {
        case 0u: {
            let rho = length(local / g.zw);
            if (rho < 1e-6) {
                return -min(g.z, g.w);
            }
            return length(local) * (1.0 - 1.0 / rho);
        }
        case 1u: {
            let q = abs(local) - g.zw;
            return length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0);
        }
        case 2u: {
            return -local.x;
        }
        default: {
            return polygon_distance(w, p);
        }
    }
}

fn window_matte(w: u32, p: vec2<f32>) -> f32 {
    let dist = window_distance(w, p);
    let soft = k.windows[w].transform.zw;
    var m: f32;
    if (soft.x + soft.y > 0.0) {
        m = 1.0 - smooth_ramp(-soft.x, soft.y, dist);
    } else {
        m = select(0.0, 1.0, dist <= 0.0);
    }
    return select(m, 1.0 - m, k.windows[w].invert != 0u);
}

fn matte(pixel: vec2<u32>) -> f32 {
    let p = (vec2<f32>(pixel) + vec2<f32>(0.5)) * k.inv_height;
    var m = 1.0;
    if (k.window_count > 0u) {
        var w = 0.0;
        for (var i = 0u; i < min(k.window_count, MAX_WINDOWS); i++) {
            w = max(w, window_matte(i, p));
        }
        m = w;
        if (k.qualifier != 0u) {
            let q = textureLoad(qualifier_matte, vec2<i32>(pixel), 0).r;
            m = select(q * w, max(q, w), k.combine == 1u);
        }
    } else if (k.qualifier != 0u) {
        m = textureLoad(qualifier_matte, vec2<i32>(pixel), 0).r;
    }
    return select(m, 1.0 - m, k.invert != 0u);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(input);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(input, vec2<i32>(id.xy), 0);
    let m = matte(id.xy);
    if (k.show_matte != 0u) {
        textureStore(dst, vec2<i32>(id.xy), vec4<f32>(m, m, m, px.a));
        return;
    }
    let graded = textureLoad(corrected, vec2<i32>(id.xy), 0).rgb;
    let a = m * k.mix;
    var rgb = graded;
    if (a < 1.0) {
        rgb = px.rgb * (1.0 - a) + graded * a;
    }
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(rgb, px.a));
}
