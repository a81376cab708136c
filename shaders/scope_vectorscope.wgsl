// Vectorscope accumulation: one count per pixel into bins[Cr row][Cb column].
// CPU reference: src/scopes/vectorscope.rs `counts_cpu`.
//
// Each invocation walks RUN consecutive rows of one frame column and merges runs of equal bins in
// registers before its atomicAdd, so greys and flat colours (which all hit one bin and would
// serialise on it) cost one atomic per run.

@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var<uniform> p: ScopeParams;
@group(0) @binding(2) var<storage, read_write> bins: array<atomic<u32>>;

const RUN: u32 = 8u;

// The grid's `size` bins span ±9/(16·zoom); beyond, colours are counted on the edge.
fn chroma_bin(c_fp: i32) -> u32 {
    let size = i32(p.vectorscope_size);
    let offset = floor_div(c_fp * i32(p.vectorscope_zoom) * size * 8, 9 * 8192);
    return u32(clamp(size / 2 + offset, 0, size - 1));
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = id.x;
    let y0 = id.y * RUN;
    if (x >= p.frame_size.x || y0 >= p.frame_size.y) {
        return;
    }
    var current = 0xffffffffu;
    var run = 0u;
    let y1 = min(y0 + RUN, p.frame_size.y);
    for (var y = y0; y < y1; y++) {
        let q = quantize3(textureLoad(frame, vec2<u32>(x, y), 0).rgb);
        let sum = luma_sum(q, p.luma);
        let column = chroma_bin(chroma_fp(q.z, sum, p.luma.z));
        let row = chroma_bin(chroma_fp(q.x, sum, p.luma.x));
        let index = row * p.vectorscope_size + column;
        if (index == current) {
            run += 1u;
        } else {
            if (run != 0u) {
                atomicAdd(&bins[current], run);
            }
            current = index;
            run = 1u;
        }
    }
    atomicAdd(&bins[current], run);
}
