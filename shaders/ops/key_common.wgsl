// A key's matte and mix, as WGSL functions: windows evaluated, combined with the qualifier matte,
// inverted, and the node's input blended with its corrected picture by matte × mix (or the matte
// shown as grey). Read by `key_mix.wgsl` and by a keyed pointwise node's fused pass
// (src/gpu/fused.rs), which declare the bindings it reads: `k: KeyMix` (uniform) and
// `qualifier_matte` (texture_2d). CPU twin: src/ops/key/mod.rs `mix_pixel`.

#import common

const MAX_WINDOWS: u32 = 8u;

// Pipeline constants the pass graph sets from the uniform it binds (src/ops/key/mod.rs
// `mix_constants`), so the compiler drops the code of shapes and matte layouts the key does not
// use: on a software adapter a branch on a uniform costs both sides. The defaults take everything.
// Bit s of KEY_SHAPES: windows of shape s may occur (3 covers polygons and beziers).
override KEY_SHAPES: u32 = 15u;
// The qualifier matte's layout: 0 none, 1 grey, 2 packed, 3 as the uniform says.
override KEY_QUALIFIER: u32 = 3u;

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
    let shape = min(k.windows[w].shape, 3u);
    if ((KEY_SHAPES & 1u) != 0u && shape == 0u) {
        let rho = length(local / g.zw);
        if (rho < 1e-6) {
            return -min(g.z, g.w);
        }
        return length(local) * (1.0 - 1.0 / rho);
    }
    if ((KEY_SHAPES & 2u) != 0u && shape == 1u) {
        let q = abs(local) - g.zw;
        return length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0);
    }
    if ((KEY_SHAPES & 4u) != 0u && shape == 2u) {
        return -local.x;
    }
    if ((KEY_SHAPES & 8u) != 0u) {
        return polygon_distance(w, p);
    }
    return 1.0;
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

// The qualifier matte at `pixel`: packed four pixels to a texel (k.qualifier 2, the key's own), or
// grey at the frame's size (1, another node's final matte).
fn qualifier_at(pixel: vec2<u32>) -> f32 {
    if (KEY_QUALIFIER == 2u || (KEY_QUALIFIER == 3u && k.qualifier == 2u)) {
        return textureLoad(qualifier_matte, vec2<i32>(vec2<u32>(pixel.x / 4u, pixel.y)), 0)[pixel.x % 4u];
    }
    return textureLoad(qualifier_matte, vec2<i32>(pixel), 0).r;
}

fn key_matte(pixel: vec2<u32>) -> f32 {
    let p = (vec2<f32>(pixel) + vec2<f32>(0.5)) * k.inv_height;
    var m = 1.0;
    if (KEY_SHAPES != 0u && k.window_count > 0u) {
        var w = 0.0;
        for (var i = 0u; i < min(k.window_count, MAX_WINDOWS); i++) {
            w = max(w, window_matte(i, p));
        }
        m = w;
        if (KEY_QUALIFIER != 0u && k.qualifier != 0u) {
            let q = qualifier_at(pixel);
            m = select(q * w, max(q, w), k.combine == 1u);
        }
    } else if (KEY_QUALIFIER != 0u && k.qualifier != 0u) {
        m = qualifier_at(pixel);
    }
    return select(m, 1.0 - m, k.invert != 0u);
}

// The key's output at `pixel` from the node's input `px` and its corrected colour `graded`.
fn key_output(pixel: vec2<u32>, px: vec4<f32>, graded: vec3<f32>) -> vec4<f32> {
    let m = key_matte(pixel);
    if (k.show_matte != 0u) {
        return vec4<f32>(m, m, m, px.a);
    }
    let a = m * k.mix;
    var rgb = graded;
    if (a < 1.0) {
        rgb = px.rgb * (1.0 - a) + graded * a;
    }
    return vec4<f32>(rgb, px.a);
}
