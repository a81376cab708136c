// Planar Y'CbCr codes as a codec decoded them (16-bit samples, two to a word: Y, then Cb, Cr and
// alpha planes) to working R'G'B'A. The CPU twin and the formula: src/media/yuv.rs.

struct YuvParams {
    width: u32,
    height: u32,
    chroma_width: u32,
    chroma_height: u32,
    shift_x: u32,
    shift_y: u32,
    cb_start: u32,
    cr_start: u32,
    alpha_start: u32,
    has_alpha: u32,
    pad0: u32,
    pad1: u32,
    y_offset: f32,
    y_scale: f32,
    c_offset: f32,
    c_scale: f32,
    max_code: f32,
    kr: f32,
    kb: f32,
    pad2: f32,
}

@group(0) @binding(0) var<uniform> params: YuvParams;
@group(0) @binding(1) var<storage, read> samples: array<u32>;
@group(0) @binding(2) var dst: texture_storage_2d<rgba32float, write>;

fn sample(i: u32) -> f32 {
    let word = samples[i >> 1u];
    return f32((word >> ((i & 1u) * 16u)) & 0xffffu);
}

fn chroma_at(start: u32, cx: u32, cy: u32) -> f32 {
    let x = min(cx, params.chroma_width - 1u);
    let y = min(cy, params.chroma_height - 1u);
    return sample(start + y * params.chroma_width + x);
}

// Horizontal "left" siting: even columns on a chroma sample, odd ones halfway to the next.
fn chroma_row(start: u32, x: u32, cy: u32) -> f32 {
    if (params.shift_x == 0u) {
        return chroma_at(start, x, cy);
    }
    let cx = x >> 1u;
    if ((x & 1u) == 0u) {
        return chroma_at(start, cx, cy);
    }
    return 0.5 * (chroma_at(start, cx, cy) + chroma_at(start, cx + 1u, cy));
}

// Vertical (4:2:0): chroma between lines, so 3/4 of a line's own chroma row and 1/4 its neighbour's.
fn chroma(start: u32, x: u32, y: u32) -> f32 {
    if (params.shift_y == 0u) {
        return chroma_row(start, x, y);
    }
    let cy = y >> 1u;
    var other = cy + 1u;
    if ((y & 1u) == 0u) {
        other = max(cy, 1u) - 1u;
    }
    return 0.75 * chroma_row(start, x, cy) + 0.25 * chroma_row(start, x, other);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= params.width || id.y >= params.height) {
        return;
    }
    let i = id.y * params.width + id.x;
    let luma = (sample(i) - params.y_offset) / params.y_scale;
    let cb = (chroma(params.cb_start, id.x, id.y) - params.c_offset) / params.c_scale;
    let cr = (chroma(params.cr_start, id.x, id.y) - params.c_offset) / params.c_scale;
    let kg = 1.0 - params.kr - params.kb;
    let r = luma + 2.0 * (1.0 - params.kr) * cr;
    let b = luma + 2.0 * (1.0 - params.kb) * cb;
    let g = (luma - params.kr * r - params.kb * b) / kg;
    var a = 1.0;
    if (params.has_alpha != 0u) {
        a = sample(params.alpha_start + i) / params.max_code;
    }
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(r, g, b, a));
}
