// Dead and stuck pixels, step 2: a pixel whose value never changed over the frames (every channel's
// range at most `still`) while at least six of its eight neighbours did (range at least `moving`):
// an isolated pixel, not the edge of a still area (a logo, a letterbox). Found
// pixels are counted and the first `capacity` listed (x, y, its value as luma). CPU twin:
// src/qc/pixels.rs.

struct StuckParams {
    width: u32,
    height: u32,
    capacity: u32,
    pad0: u32,
    still: f32,
    moving: f32,
    pad1: f32,
    pad2: f32,
}

@group(0) @binding(0) var<uniform> params: StuckParams;
@group(0) @binding(1) var low: texture_2d<f32>;
@group(0) @binding(2) var high: texture_2d<f32>;
@group(0) @binding(3) var<storage, read_write> found: array<atomic<u32>>;

fn range_at(x: i32, y: i32) -> f32 {
    let at = vec2<i32>(x, y);
    let r = textureLoad(high, at, 0).rgb - textureLoad(low, at, 0).rgb;
    return max(r.x, max(r.y, r.z));
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    // Edge pixels have no full neighbourhood: not judged.
    if (id.x == 0u || id.y == 0u || id.x + 1u >= params.width || id.y + 1u >= params.height) {
        return;
    }
    let x = i32(id.x);
    let y = i32(id.y);
    if (range_at(x, y) > params.still) {
        return;
    }
    var moving = 0u;
    for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) {
            if ((dx != 0 || dy != 0) && range_at(x + dx, y + dy) >= params.moving) {
                moving += 1u;
            }
        }
    }
    if (moving < 6u) {
        return;
    }
    let n = atomicAdd(&found[0], 1u);
    if (n < params.capacity) {
        atomicStore(&found[1u + 2u * n], id.x);
        atomicStore(&found[2u + 2u * n], id.y);
    }
}
