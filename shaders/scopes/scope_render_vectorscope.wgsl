// Vectorscope image from its bins (bins[Cr row][Cb column]), drawn in the centred square of the
// image: Cb to the right, Cr up. Graticule: the |C| = 0.5 circle, the Cb/Cr axes, boxes on the 75 %
// and 100 % colour-bar targets (SMPTE EG 1 / RP 219, positions from the output space's luma
// weights) and the skin-tone line. The trace is tinted with the hue it sits on.

#import scope_common

@group(0) @binding(0) var<uniform> r: RenderParams;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var out: texture_storage_2d<rgba8unorm, write>;

// Chroma (Cb, Cr) to scope coordinates: units of the half side, y up (src/scopes/vectorscope.rs
// `position`).
fn to_scope(c: vec2<f32>) -> vec2<f32> {
    return c * r.zoom * 16.0 / 9.0;
}

fn on_box(p: vec2<f32>, centre: vec2<f32>, half_size: f32, width: f32) -> bool {
    let d = abs(p - centre);
    return abs(max(d.x, d.y) - half_size) < width && max(d.x, d.y) < half_size + width;
}

fn on_segment(p: vec2<f32>, a: vec2<f32>, b: vec2<f32>, width: f32) -> bool {
    let ab = b - a;
    let t = clamp(dot(p - a, ab) / dot(ab, ab), 0.0, 1.0);
    return length(p - (a + t * ab)) < width;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = r.image_size;
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let side = min(size.x, size.y);
    let x0 = (size.x - side) / 2u;
    let y0 = (size.y - side) / 2u;
    if (id.x < x0 || id.y < y0 || id.x >= x0 + side || id.y >= y0 + side) {
        textureStore(out, vec2<i32>(id.xy), vec4<f32>(BACKGROUND, 1.0));
        return;
    }
    let lx = id.x - x0;
    let ly = side - 1u - (id.y - y0);
    let half_side = f32(side) * 0.5;
    let p = (vec2<f32>(f32(lx), f32(ly)) + 0.5 - half_side) / half_side;
    let px = 1.0 / half_side;

    var rgb = BACKGROUND;
    let line = 0.6 * px;
    let faint = GRATICULE * 0.55;
    if (abs(p.x) < line || abs(p.y) < line) {
        rgb = faint;
    }
    if (abs(length(p) - to_scope(vec2<f32>(0.5, 0.0)).x) < line) {
        rgb = GRATICULE;
    }
    let skin = vec2<f32>(cos(r.skin_angle), sin(r.skin_angle));
    if (on_segment(p, vec2<f32>(0.0), skin * to_scope(vec2<f32>(0.5, 0.0)).x, line)) {
        rgb = vec3<f32>(0.55, 0.42, 0.32);
    }
    for (var i = 0u; i < 6u; i++) {
        let t = r.targets[i];
        if (on_box(p, to_scope(t.xy), 0.025, line) || on_box(p, to_scope(t.zw), 0.04, line)) {
            rgb = GRATICULE * 1.4;
        }
    }

    // Bins under this pixel.
    let bins_side = r.bins_size.x;
    let c0 = lx * bins_side / side;
    let c1 = max((lx + 1u) * bins_side / side, c0 + 1u);
    let r0 = ly * bins_side / side;
    let r1 = max((ly + 1u) * bins_side / side, r0 + 1u);
    var total = 0u;
    for (var row = r0; row < r1; row++) {
        for (var c = c0; c < c1; c++) {
            total += bins[row * bins_side + c];
        }
    }
    // Pictures gather in a small part of the disc, so the reference is a spread over 1/4 of it.
    let reference = 4.0 * f32(r.samples) * f32((c1 - c0) * (r1 - r0)) / f32(bins_side * bins_side);
    let t = trace(f32(total), reference, r.intensity);
    // The hue under the pixel at a fixed luma, lifted towards white so that the trace reads well.
    let c = p / (r.zoom * 16.0 / 9.0);
    let kr = r.luma.x;
    let kb = r.luma.z;
    let y = 0.5;
    let red = y + 2.0 * (1.0 - kr) * c.y;
    let blue = y + 2.0 * (1.0 - kb) * c.x;
    let green = (y - kr * red - kb * blue) / r.luma.y;
    let hue = clamp(vec3<f32>(red, green, blue), vec3<f32>(0.0), vec3<f32>(1.0));
    let light = mix(hue, vec3<f32>(1.0), 0.45) * t;
    textureStore(out, vec2<i32>(id.xy), vec4<f32>(screen(rgb, light), 1.0));
}
