// QC overlays on a display-encoded frame (what the viewer shows, or a still burned in): pixels outside
// the legal range or the target gamut painted (solid, or a zebra of diagonal stripes over the picture),
// or false colour by IRE (the signal's luma) or by nits (PQ light). Float in, float out: the viewer
// quantises after it, an export at its own depth. CPU twin: src/qc/overlay.rs `apply_pixel`.

#import color

struct Overlay {
    kind: u32,
    zebra: u32,
    transfer: u32,
    nits: u32,
    low: f32,
    high: f32,
    tolerance: f32,
    bands: u32,
    luma: vec4<f32>,
    matrix: array<vec4<f32>, 3>,
    under: vec4<f32>,
    over: vec4<f32>,
    edges: array<vec4<f32>, 4>,
    colors: array<vec4<f32>, 16>,
}

const KIND_LEVELS: u32 = 1u;
const KIND_GAMUT: u32 = 2u;
const KIND_FALSE_COLOR: u32 = 3u;

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> o: Overlay;

// Stripes 4 pixels wide at 45 degrees: the warning colour on every other one.
fn stripe(at: vec2<u32>) -> bool {
    return ((at.x + at.y) / 4u) % 2u == 0u;
}

fn paint(rgb: vec3<f32>, colour: vec3<f32>, at: vec2<u32>) -> vec3<f32> {
    if (o.zebra != 0u && !stripe(at)) {
        return rgb;
    }
    return colour;
}

fn edge(i: u32) -> f32 {
    return o.edges[i / 4u][i % 4u];
}

fn false_colour(rgb: vec3<f32>) -> vec3<f32> {
    let luma = dot(rgb, o.luma.xyz);
    var value = luma * 100.0;
    if (o.nits != 0u) {
        let light = vec3<f32>(pq_decode(max(rgb.x, 0.0)), pq_decode(max(rgb.y, 0.0)), pq_decode(max(rgb.z, 0.0)));
        value = dot(light, o.luma.xyz) * 100.0;
    }
    var band = o.bands - 1u;
    for (var i = 0u; i + 1u < o.bands; i++) {
        if (value < edge(i)) {
            band = i;
            break;
        }
    }
    let c = o.colors[band];
    // Alpha 0: a grey band, the picture's own luma.
    return select(vec3<f32>(clamp(luma, 0.0, 1.0)), c.rgb, c.a > 0.0);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let at = vec2<i32>(id.xy);
    let px = textureLoad(src, at, 0);
    var rgb = px.rgb;
    if (o.kind == KIND_LEVELS) {
        let below = min(rgb.x, min(rgb.y, rgb.z)) < o.low;
        let above = max(rgb.x, max(rgb.y, rgb.z)) > o.high;
        if (above) {
            rgb = paint(rgb, o.over.rgb, id.xy);
        } else if (below) {
            rgb = paint(rgb, o.under.rgb, id.xy);
        }
    } else if (o.kind == KIND_GAMUT) {
        let linear = transfer_decode(o.transfer, rgb);
        let t = vec3<f32>(dot(o.matrix[0].xyz, linear), dot(o.matrix[1].xyz, linear), dot(o.matrix[2].xyz, linear));
        if (min(t.x, min(t.y, t.z)) < -o.tolerance) {
            rgb = paint(rgb, o.over.rgb, id.xy);
        }
    } else if (o.kind == KIND_FALSE_COLOR) {
        rgb = false_colour(rgb);
    }
    textureStore(dst, at, vec4<f32>(rgb, px.a));
}
