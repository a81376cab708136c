// Vectorscope accumulation: one atomic count per pixel into bins[Cr row][Cb column].
// CPU reference: src/scopes/vectorscope.rs `counts_cpu`.

@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var<uniform> p: ScopeParams;
@group(0) @binding(2) var<storage, read_write> bins: array<atomic<u32>>;

// The grid's `size` bins span ±9/(16·zoom); beyond, colours are counted on the edge.
fn chroma_bin(c_fp: i32) -> u32 {
    let size = i32(p.vectorscope_size);
    let offset = floor_div(c_fp * i32(p.vectorscope_zoom) * size * 8, 9 * 8192);
    return u32(clamp(size / 2 + offset, 0, size - 1));
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= p.frame_size.x || id.y >= p.frame_size.y) {
        return;
    }
    let q = quantize3(textureLoad(frame, vec2<i32>(id.xy), 0).rgb);
    let sum = luma_sum(q, p.luma);
    let column = chroma_bin(chroma_fp(q.z, sum, p.luma.z));
    let row = chroma_bin(chroma_fp(q.x, sum, p.luma.x));
    atomicAdd(&bins[row * p.vectorscope_size + column], 1u);
}
