// Waveform / parade accumulation: one count per channel (R, G, B, luma) per pixel into
// bins[channel][column group][level]. CPU reference: src/scopes/waveform.rs `counts_cpu`.
//
// Each invocation walks RUN consecutive rows of one frame column and merges runs of equal bins in
// registers before its atomicAdd: flat areas and vertical gradients (sky, walls, clipped
// highlights) then cost one atomic per run instead of one per pixel, and contend less.

@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var<uniform> p: ScopeParams;
@group(0) @binding(2) var<storage, read_write> bins: array<atomic<u32>>;

const RUN: u32 = 8u;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let x = id.x;
    let y0 = id.y * RUN;
    if (x >= p.frame_size.x || y0 >= p.frame_size.y) {
        return;
    }
    let column = x * p.waveform_columns / p.frame_size.x;
    let plane = p.waveform_columns * LEVELS;
    let base = vec4<u32>(0u, plane, 2u * plane, 3u * plane) + vec4<u32>(column * LEVELS);
    var current = vec4<u32>(0xffffffffu);
    var run = vec4<u32>(0u);
    let y1 = min(y0 + RUN, p.frame_size.y);
    for (var y = y0; y < y1; y++) {
        let q = quantize3(textureLoad(frame, vec2<u32>(x, y), 0).rgb);
        let index = base + vec4<u32>(
            level_index(q.x),
            level_index(q.y),
            level_index(q.z),
            level_index(luma_q(luma_sum(q, p.luma))),
        );
        for (var ch = 0u; ch < 4u; ch++) {
            if (index[ch] == current[ch]) {
                run[ch] += 1u;
            } else {
                if (run[ch] != 0u) {
                    atomicAdd(&bins[current[ch]], run[ch]);
                }
                current[ch] = index[ch];
                run[ch] = 1u;
            }
        }
    }
    for (var ch = 0u; ch < 4u; ch++) {
        atomicAdd(&bins[current[ch]], run[ch]);
    }
}
