// Waveform / parade and vectorscope accumulation in one pass over the frame: each pixel is read and
// quantised once, then counted into the waveform bins (one count per channel R, G, B, luma into
// wave_bins[channel][column group][level]) and the vectorscope bins (vector_bins[Cr row][Cb
// column]), each only when `p.accumulate` asks for it (a uniform branch).
// CPU reference: src/scopes/waveform.rs and src/scopes/vectorscope.rs `counts_cpu`.
//
// Each invocation walks RUN consecutive rows of one frame column and merges runs of equal bins in
// registers before its atomicAdd: flat areas and vertical gradients (sky, walls, greys, clipped
// highlights) then cost one atomic per run instead of one per pixel, and contend less.

#import scope_common

@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var<uniform> p: ScopeParams;
@group(0) @binding(2) var<storage, read_write> wave_bins: array<atomic<u32>>;
@group(0) @binding(3) var<storage, read_write> vector_bins: array<atomic<u32>>;

const RUN: u32 = 8u;
const ACCUMULATE_WAVEFORM: u32 = 1u;
const ACCUMULATE_VECTORSCOPE: u32 = 2u;

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
    let waveform = (p.accumulate & ACCUMULATE_WAVEFORM) != 0u;
    let vectorscope = (p.accumulate & ACCUMULATE_VECTORSCOPE) != 0u;
    let column = x * p.waveform_columns / p.frame_size.x;
    let plane = p.waveform_columns * LEVELS;
    let base = vec4<u32>(0u, plane, 2u * plane, 3u * plane) + vec4<u32>(column * LEVELS);
    var wave_current = vec4<u32>(0xffffffffu);
    var wave_run = vec4<u32>(0u);
    var vector_current = 0xffffffffu;
    var vector_run = 0u;
    let y1 = min(y0 + RUN, p.frame_size.y);
    for (var y = y0; y < y1; y++) {
        let q = quantize3(textureLoad(frame, vec2<u32>(x, y), 0).rgb);
        let sum = luma_sum(q, p.luma);
        if (waveform) {
            let index = base + vec4<u32>(level_index(q.x), level_index(q.y), level_index(q.z), level_index(luma_q(sum)));
            for (var ch = 0u; ch < 4u; ch++) {
                if (index[ch] == wave_current[ch]) {
                    wave_run[ch] += 1u;
                } else {
                    if (wave_run[ch] != 0u) {
                        atomicAdd(&wave_bins[wave_current[ch]], wave_run[ch]);
                    }
                    wave_current[ch] = index[ch];
                    wave_run[ch] = 1u;
                }
            }
        }
        if (vectorscope) {
            let column = chroma_bin(chroma_fp(q.z, sum, p.luma.z));
            let row = chroma_bin(chroma_fp(q.x, sum, p.luma.x));
            let index = row * p.vectorscope_size + column;
            if (index == vector_current) {
                vector_run += 1u;
            } else {
                if (vector_run != 0u) {
                    atomicAdd(&vector_bins[vector_current], vector_run);
                }
                vector_current = index;
                vector_run = 1u;
            }
        }
    }
    if (waveform) {
        for (var ch = 0u; ch < 4u; ch++) {
            atomicAdd(&wave_bins[wave_current[ch]], wave_run[ch]);
        }
    }
    if (vectorscope) {
        atomicAdd(&vector_bins[vector_current], vector_run);
    }
}
