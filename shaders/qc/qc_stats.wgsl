// Quality-control measures of one display-encoded frame: pixels outside the legal range (count,
// worst values, bounding box), non-finite and negative samples, black pixels, out-of-gamut pixels,
// the light level of PQ output (per pixel max(R,G,B) in nits) and the difference from the previous
// frame, and for the flash check the light a display gives and the saturated-red pixels. Counts and
// extremes go to workgroup atomics, which each workgroup then adds to the global ones once (exact;
// 17 global atomics a workgroup instead of up to 17 a pixel, every workgroup's on the same addresses);
// sums are reduced per workgroup into `partials` (two a workgroup).
// The CPU twin and the meaning of each measure: src/qc/analysis.rs.

#import color

struct QcParams {
    width: u32,
    height: u32,
    transfer: u32,
    flags: u32,
    level_low: f32,
    level_high: f32,
    black_pixel: f32,
    gamut_tolerance: f32,
    luma: vec4<f32>,
    gamut0: vec4<f32>,
    gamut1: vec4<f32>,
    gamut2: vec4<f32>,
    display_transfer: u32,
    display_nits: f32,
    red_ratio: f32,
    pad0: u32,
}

// The same numbers as `params.flags`, `params.transfer` and `params.display_transfer`, set per
// pipeline (src/qc/analysis.rs): the shader compiler drops the checks and curves a frame does not use,
// which on llvmpipe it would otherwise run for every pixel.
override QC_FLAGS: u32 = 15u;
override QC_TRANSFER: u32 = 0u;
override QC_DISPLAY_TRANSFER: u32 = 0u;

const HAS_PREVIOUS: u32 = 1u;
const PQ_LIGHT: u32 = 2u;
const GAMUT: u32 = 4u;
const FLASH: u32 = 8u;

@group(0) @binding(0) var<uniform> params: QcParams;
@group(0) @binding(1) var src: texture_2d<f32>;
@group(0) @binding(2) var prev: texture_2d<f32>;
@group(0) @binding(3) var<storage, read_write> counters: array<atomic<u32>, 17>;
@group(0) @binding(4) var<storage, read_write> partials: array<vec4<f32>>;

// This workgroup's counters (the same slots as `counters`), started at each slot's identity.
var<workgroup> group_counters: array<atomic<u32>, 17>;
var<workgroup> sums: array<vec4<f32>, 256>;
var<workgroup> sums2: array<vec4<f32>, 256>;

// A float as a u32 whose unsigned order is the float's order.
fn ordered(v: f32) -> u32 {
    let bits = bitcast<u32>(v);
    if ((bits >> 31u) == 1u) {
        return ~bits;
    }
    return bits | 0x80000000u;
}

// Slots holding a minimum (started at u32::MAX) and a maximum (started at 0); the rest are counts
// (`Acc::new` in src/qc/analysis.rs).
const MIN_SLOTS: u32 = (1u << 6u) | (1u << 7u) | (1u << 10u) | (1u << 13u) | (1u << 14u);
const MAX_SLOTS: u32 = (1u << 8u) | (1u << 9u) | (1u << 11u) | (1u << 12u) | (1u << 15u);

fn is_slot(slots: u32, i: u32) -> bool {
    return ((slots >> i) & 1u) == 1u;
}

fn finite(v: f32) -> bool {
    return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// Rows of the frame each invocation measures: a workgroup covers 16 columns and 16 × ROWS rows, so
// its reduction (barriers and workgroup atomics) is paid once per 16 × 16 × ROWS pixels.
const ROWS: u32 = 8u;

@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) local: u32,
        @builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
    if (local < 17u) {
        atomicStore(&group_counters[local], select(0u, 0xffffffffu, is_slot(MIN_SLOTS, local)));
    }
    workgroupBarrier();
    // This invocation's counters (the slots of `counters`, each at its identity), kept in registers
    // over its rows and merged into the workgroup's once.
    var c = array<u32, 17>(0u, 0u, 0u, 0u, 0u, 0u, 0xffffffffu, 0xffffffffu, 0u, 0u, 0xffffffffu, 0u, 0u,
                           0xffffffffu, 0xffffffffu, 0u, 0u);
    var sum = vec4<f32>(0.0);
    var sum2 = vec4<f32>(0.0);
    let x = group.x * 16u + lid.x;
    for (var r = 0u; r < ROWS; r++) {
        let yy = (group.y * ROWS + r) * 16u + lid.y;
        if (x >= params.width || yy >= params.height) {
            continue;
        }
        let p = textureLoad(src, vec2<i32>(i32(x), i32(yy)), 0).rgb;
        if (!(finite(p.x) && finite(p.y) && finite(p.z))) {
            c[2] += 1u;
            continue;
        }
        let lo = min(p.x, min(p.y, p.z));
        let hi = max(p.x, max(p.y, p.z));
        if (lo < 0.0) {
            c[3] += 1u;
        }
        c[10] = min(c[10], ordered(lo));
        c[11] = max(c[11], ordered(hi));
        let below = lo < params.level_low;
        let above = hi > params.level_high;
        c[0] += u32(below);
        c[1] += u32(above);
        if (below || above) {
            c[6] = min(c[6], x);
            c[7] = min(c[7], yy);
            c[8] = max(c[8], x);
            c[9] = max(c[9], yy);
        }
        let y = dot(p, params.luma.xyz);
        c[13] = min(c[13], ordered(y));
        c[4] += u32(y <= params.black_pixel);
        sum.y += y;
        if ((QC_FLAGS & GAMUT) != 0u) {
            let linear = transfer_decode(QC_TRANSFER, p);
            let t = vec3<f32>(dot(params.gamut0.xyz, linear), dot(params.gamut1.xyz, linear), dot(params.gamut2.xyz, linear));
            c[5] += u32(min(t.x, min(t.y, t.z)) < -params.gamut_tolerance);
        }
        if ((QC_FLAGS & PQ_LIGHT) != 0u) {
            let code = max(hi, 0.0);
            let nits = pq_decode(code) * 100.0;
            c[12] = max(c[12], ordered(nits));
            c[14] = min(c[14], ordered(code));
            c[15] = max(c[15], ordered(code));
            sum.x += nits;
            sum.w += code;
        }
        if ((QC_FLAGS & FLASH) != 0u) {
            // The light the display gives (BT.1702 counts cd/m2), and saturated red.
            let light = max(transfer_decode(QC_DISPLAY_TRANSFER, p), vec3<f32>(0.0));
            sum2.x += dot(light, params.luma.xyz) * params.display_nits;
            let total = light.x + light.y + light.z;
            c[16] += u32(total > 0.0 && light.x >= params.red_ratio * total);
        }
        if ((QC_FLAGS & HAS_PREVIOUS) != 0u) {
            // A non-finite sample in the frame before counts as no difference here.
            let q = textureLoad(prev, vec2<i32>(i32(x), i32(yy)), 0).rgb;
            if (finite(q.x) && finite(q.y) && finite(q.z)) {
                let d = abs(p - q);
                sum.z += (d.x + d.y + d.z) / 3.0;
            }
        }
    }
    // Into the workgroup's counters: counts when any, extremes when set (written out slot by slot:
    // constant indices keep `c` in registers).
    if (c[0] != 0u) { atomicAdd(&group_counters[0], c[0]); }
    if (c[1] != 0u) { atomicAdd(&group_counters[1], c[1]); }
    if (c[2] != 0u) { atomicAdd(&group_counters[2], c[2]); }
    if (c[3] != 0u) { atomicAdd(&group_counters[3], c[3]); }
    if (c[4] != 0u) { atomicAdd(&group_counters[4], c[4]); }
    if (c[5] != 0u) { atomicAdd(&group_counters[5], c[5]); }
    if (c[6] != 0xffffffffu) { atomicMin(&group_counters[6], c[6]); }
    if (c[7] != 0xffffffffu) { atomicMin(&group_counters[7], c[7]); }
    if (c[8] != 0u) { atomicMax(&group_counters[8], c[8]); }
    if (c[9] != 0u) { atomicMax(&group_counters[9], c[9]); }
    if (c[10] != 0xffffffffu) { atomicMin(&group_counters[10], c[10]); }
    if (c[11] != 0u) { atomicMax(&group_counters[11], c[11]); }
    if (c[12] != 0u) { atomicMax(&group_counters[12], c[12]); }
    if (c[13] != 0xffffffffu) { atomicMin(&group_counters[13], c[13]); }
    if (c[14] != 0xffffffffu) { atomicMin(&group_counters[14], c[14]); }
    if (c[15] != 0u) { atomicMax(&group_counters[15], c[15]); }
    if (c[16] != 0u) { atomicAdd(&group_counters[16], c[16]); }
    sums[local] = sum;
    sums2[local] = sum2;
    workgroupBarrier();
    var stride = 128u;
    loop {
        if (stride == 0u) {
            break;
        }
        if (local < stride) {
            sums[local] = sums[local] + sums[local + stride];
            sums2[local] = sums2[local] + sums2[local + stride];
        }
        workgroupBarrier();
        stride = stride >> 1u;
    }
    if (local == 0u) {
        let at = 2u * (group.y * groups.x + group.x);
        partials[at] = sums[0];
        partials[at + 1u] = sums2[0];
    }
    // The loop above ends on a barrier: every invocation's counts are in.
    if (local < 17u) {
        let v = atomicLoad(&group_counters[local]);
        if (is_slot(MIN_SLOTS, local)) {
            if (v != 0xffffffffu) {
                atomicMin(&counters[local], v);
            }
        } else if (is_slot(MAX_SLOTS, local)) {
            if (v != 0u) {
                atomicMax(&counters[local], v);
            }
        } else if (v != 0u) {
            atomicAdd(&counters[local], v);
        }
    }
}
