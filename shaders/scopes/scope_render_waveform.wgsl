// Waveform and parade image from the waveform bins (bins[channel][column][level], R, G, B, luma).
// Mode 0: luma trace; 1: R, G, B overlaid additively (white where they agree); 2: parade, three
// panels R | G | B. Top of the image is level 1119 (109 %), bottom level -72 (-7 %).

#import scope_common

@group(0) @binding(0) var<uniform> r: RenderParams;
@group(0) @binding(1) var<storage, read> bins: array<u32>;
@group(0) @binding(2) var out: texture_storage_2d<rgba8unorm, write>;

const MIN_RADIUS: f32 = 4.0;
const LUMA_TRACE: vec3<f32> = vec3<f32>(0.80, 1.0, 0.82);
const CHANNEL_TRACE: array<vec3<f32>, 3> = array<vec3<f32>, 3>(
    vec3<f32>(1.0, 0.22, 0.2),
    vec3<f32>(0.22, 1.0, 0.25),
    vec3<f32>(0.3, 0.45, 1.0),
);

// Samples of one channel in columns [c0, c1) that fall on an image row `span` levels tall centred on
// level index `centre`. The levels are read through a tent filter at least 4 levels (one 8-bit
// step) wide on each side: a tent of integer half-width sums to a constant over evenly spaced
// codes, so 8-bit sources do not alias into horizontal stripes.
fn count(channel: u32, c0: u32, c1: u32, centre: f32, span: f32) -> f32 {
    let columns = r.bins_size.x;
    let radius = max(MIN_RADIUS, ceil(span));
    let l0 = u32(max(ceil(centre - radius), 0.0));
    let l1 = u32(min(floor(centre + radius), f32(LEVELS - 1u)));
    var total = 0.0;
    var weights = 0.0;
    for (var l = l0; l <= l1; l++) {
        let w = max(0.0, 1.0 - abs(f32(l) - centre) / radius);
        var n = 0u;
        for (var c = c0; c < c1; c++) {
            n += bins[(channel * columns + c) * LEVELS + l];
        }
        total += w * f32(n);
        weights += w;
    }
    return total / weights * span;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = r.image_size;
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    // Horizontal: the whole width, or one of three parade panels.
    var panel = 0u;
    var x0 = 0u;
    var width = size.x;
    if (r.mode == 2u) {
        panel = min(id.x * 3u / size.x, 2u);
        x0 = panel * size.x / 3u;
        width = (panel + 1u) * size.x / 3u - x0;
    }
    let lx = id.x - x0;
    let columns = r.bins_size.x;
    let c0 = lx * columns / width;
    let c1 = max((lx + 1u) * columns / width, c0 + 1u);
    // Vertical: level indices covered by this row, highest at the top.
    let row = size.y - 1u - id.y;
    let l0 = row * LEVELS / size.y;
    let l1 = max((row + 1u) * LEVELS / size.y, l0 + 1u);
    let span = f32(LEVELS) / f32(size.y);
    let centre = (f32(row) + 0.5) * span - 0.5;
    var rgb = BACKGROUND;
    for (var i = 0u; i < 5u; i++) {
        let index = u32(graticule_code(i, r.scale) - LEVEL_MIN);
        if (index >= l0 && index < l1) {
            rgb = GRATICULE;
        }
    }
    if (r.mode == 2u && lx == 0u && panel > 0u) {
        rgb = GRATICULE;
    }

    // An even spread of these columns' samples over the image height gives `reference` per pixel.
    let reference = f32(r.samples) * f32(c1 - c0) / f32(columns) / f32(size.y);
    var light = vec3<f32>(0.0);
    if (r.mode == 0u) {
        light = LUMA_TRACE * trace(count(3u, c0, c1, centre, span), reference, r.intensity);
    } else if (r.mode == 1u) {
        for (var ch = 0u; ch < 3u; ch++) {
            light += CHANNEL_TRACE[ch] * trace(count(ch, c0, c1, centre, span), reference, r.intensity);
        }
    } else {
        light = CHANNEL_TRACE[panel] * trace(count(panel, c0, c1, centre, span), reference, r.intensity);
    }
    textureStore(out, vec2<i32>(id.xy), vec4<f32>(screen(rgb, light), 1.0));
}
