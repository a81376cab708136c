// Histogram accumulation, privatised: each workgroup counts a 256 x 32 pixel tile into workgroup
// memory and adds only its non-zero bins to the global ones, so a flat frame does not serialise
// every thread on one global atomic. Two channels per workgroup (z = 0: R, G; z = 1: B, luma) keep
// the local bins at 9.5 KB, inside WebGPU's 16 KB workgroup storage minimum.
// CPU reference: src/scopes/histogram.rs `counts_cpu`.

#import scope_common

@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var<uniform> p: ScopeParams;
@group(0) @binding(2) var<storage, read_write> bins: array<atomic<u32>>;

const TILE_WIDTH: u32 = 256u;
const TILE_ROWS: u32 = 32u;
const LOCAL_BINS: u32 = 2384u; // 2 * LEVELS

var<workgroup> local_bins: array<atomic<u32>, LOCAL_BINS>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    for (var i = li; i < LOCAL_BINS; i += TILE_WIDTH) {
        atomicStore(&local_bins[i], 0u);
    }
    workgroupBarrier();
    let x = wg.x * TILE_WIDTH + li;
    let pair = wg.z;
    if (x < p.frame_size.x) {
        let y0 = wg.y * TILE_ROWS;
        let y1 = min(y0 + TILE_ROWS, p.frame_size.y);
        for (var y = y0; y < y1; y++) {
            let q = quantize3(textureLoad(frame, vec2<u32>(x, y), 0).rgb);
            var a = q.x;
            var b = q.y;
            if (pair != 0u) {
                a = q.z;
                b = luma_q(luma_sum(q, p.luma));
            }
            atomicAdd(&local_bins[level_index(a)], 1u);
            atomicAdd(&local_bins[LEVELS + level_index(b)], 1u);
        }
    }
    workgroupBarrier();
    for (var i = li; i < LOCAL_BINS; i += TILE_WIDTH) {
        let c = atomicLoad(&local_bins[i]);
        if (c != 0u) {
            atomicAdd(&bins[pair * LOCAL_BINS + i], c);
        }
    }
}
