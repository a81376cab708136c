// Histogram image from its bins (bins[channel][level], R, G, B, luma): R, G and B as additive
// filled areas (grey where they agree), luma as a white outline. Level -72 (-7 %) at the left,
// 1119 (109 %) at the right.
//
// Each image column shows the count per level around its centre, read through a tent filter at
// least 4 levels (one 8-bit step) wide on each side: a tent of integer half-width sums to a constant
// over evenly spaced codes, so 8-bit sources do not alias into a comb and 10-bit ones keep detail. Heights are normalised to the tallest column that is
// not an end (clipping) bin, so a clipped frame does not flatten the rest; clipped counts are drawn
// in the first and last columns, rising to full height.
//
// One thread per image column, looping down the rows: the column's heights are computed once, and
// each of the few workgroups finds the peak over all columns itself.

#import scope_common

@group(0) @binding(0) var<uniform> r: RenderParams;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var out: texture_storage_2d<rgba8unorm, write>;

const FILL: array<vec3<f32>, 3> = array<vec3<f32>, 3>(
    vec3<f32>(0.62, 0.12, 0.12),
    vec3<f32>(0.12, 0.58, 0.14),
    vec3<f32>(0.16, 0.24, 0.70),
);
const MIN_RADIUS: f32 = 4.0;

var<workgroup> peak_bits: atomic<u32>;

// Count per level of channel `ch` around the centre of column `x`, over the interior bins only
// (the end bins hold clipped samples and are drawn apart).
fn interior_mean(ch: u32, x: u32) -> f32 {
    let span = f32(LEVELS) / f32(r.image_size.x);
    let centre = (f32(x) + 0.5) * span - 0.5;
    let radius = max(MIN_RADIUS, ceil(span));
    let b0 = u32(max(ceil(centre - radius), 1.0));
    let b1 = u32(min(floor(centre + radius), f32(LEVELS - 2u)));
    var total = 0.0;
    var weights = 0.0;
    for (var b = b0; b <= b1; b++) {
        let w = max(0.0, 1.0 - abs(f32(b) - centre) / radius);
        total += w * f32(bins[ch * LEVELS + b]);
        weights += w;
    }
    return select(0.0, total / weights, weights > 0.0);
}

// Clipped count shown in column `x`: the end bins belong to the first and last columns.
fn clipped(ch: u32, x: u32) -> f32 {
    var c = 0u;
    if (x == 0u) {
        c += bins[ch * LEVELS];
    }
    if (x == r.image_size.x - 1u) {
        c += bins[ch * LEVELS + LEVELS - 1u];
    }
    return f32(c);
}

fn height(value: f32, top: f32) -> f32 {
    if (value <= 0.0) {
        return 0.0;
    }
    if (r.mode == 1u) {
        return min(log(1.0 + value) / log(1.0 + top), 1.0);
    }
    return min(value / top, 1.0);
}

fn column_height(ch: u32, x: u32, top: f32) -> f32 {
    return max(height(interior_mean(ch, x), top), height(clipped(ch, x), top));
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let size = r.image_size;
    if (li == 0u) {
        atomicStore(&peak_bits, bitcast<u32>(1.0));
    }
    workgroupBarrier();
    // Non-negative floats order like their bit patterns, so atomicMax on the bits finds the peak.
    var local_peak = 1.0;
    for (var x = li; x < size.x; x += 256u) {
        for (var ch = 0u; ch < 4u; ch++) {
            local_peak = max(local_peak, interior_mean(ch, x));
        }
    }
    atomicMax(&peak_bits, bitcast<u32>(local_peak));
    workgroupBarrier();
    let top = bitcast<f32>(atomicLoad(&peak_bits));

    let x = id.x;
    if (x >= size.x) {
        return;
    }
    var h: array<f32, 4>;
    for (var ch = 0u; ch < 4u; ch++) {
        h[ch] = column_height(ch, x, top);
    }
    // Luma outline: joins this column's height to half-way to each neighbour's, so steep edges
    // stay connected.
    let left = 0.5 * (h[3] + column_height(3u, max(x, 1u) - 1u, top));
    let right = 0.5 * (h[3] + column_height(3u, min(x + 1u, size.x - 1u), top));
    let lo = min(h[3], min(left, right));
    let hi = max(h[3], max(left, right));

    var on_graticule = false;
    let b0 = x * LEVELS / size.x;
    let b1 = max((x + 1u) * LEVELS / size.x, b0 + 1u);
    for (var i = 0u; i < 5u; i++) {
        let index = u32(graticule_code(i, r.scale) - LEVEL_MIN);
        on_graticule = on_graticule || (index >= b0 && index < b1);
    }
    let px = 1.0 / f32(size.y);
    for (var y = 0u; y < size.y; y++) {
        // Height of this row's centre: 0 at the bottom, 1 at the top.
        let f = (f32(size.y - 1u - y) + 0.5) * px;
        var rgb = select(BACKGROUND, GRATICULE, on_graticule);
        var fill = vec3<f32>(0.0);
        for (var ch = 0u; ch < 3u; ch++) {
            if (f < h[ch]) {
                fill += FILL[ch];
            }
        }
        rgb = screen(rgb, fill);
        if (f + 0.5 * px >= lo && f - 0.5 * px <= hi) {
            rgb = vec3<f32>(0.95);
        }
        textureStore(out, vec2<u32>(x, y), vec4<f32>(rgb, 1.0));
    }
}
