// A key's matte blur along columns, on the packed matte (`key_qualifier.wgsl`: four pixels to a
// texel, one per channel, so a texel is four pixel columns). Each thread blurs four texels of one
// column, rows 4s..4s+3: the Gaussian's taps over rows 4(s - reach) ..= 4(s + reach) + 3, each row
// read once and weighted for each of the four outputs by the same table as the row pass
// (`weights[4 (q + reach) + d][o]` = the tap weight of row 4(s + q) + d for output row 4s + o). Each
// workgroup of 64 threads covers 256 rows: it reads them plus 4 × reach on either side (clamped to
// the frame) into workgroup memory once. CPU twin: src/ops/key/matte.rs `blur_columns`.

#import matte_common

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> g: MatteBlur;

const THREADS: u32 = 64u;
const RUN: u32 = 256u; // rows a workgroup covers: THREADS × 4

var<workgroup> tile: array<vec4<f32>, 640>; // RUN + 8 * MAX_REACH

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(src));
    let column = i32(group.y);
    let reach = min(g.reach, MAX_REACH);
    let first = i32(group.x * RUN) - 4 * i32(reach);
    for (var i = local; i < RUN + 8u * reach; i += THREADS) {
        let y = clamp(first + i32(i), 0, size.y - 1);
        tile[i] = textureLoad(src, vec2<i32>(column, y), 0);
    }
    workgroupBarrier();
    let y0 = i32(group.x * RUN + 4u * local);
    if (y0 >= size.y) {
        return;
    }
    var s0 = vec4<f32>(0.0);
    var s1 = vec4<f32>(0.0);
    var s2 = vec4<f32>(0.0);
    var s3 = vec4<f32>(0.0);
    for (var j = 0u; j < 4u * (2u * reach + 1u); j++) {
        let a = tile[4u * local + j];
        let w = g.weights[j];
        s0 += a * w.x;
        s1 += a * w.y;
        s2 += a * w.z;
        s3 += a * w.w;
    }
    textureStore(dst, vec2<i32>(column, y0), s0);
    if (y0 + 1 < size.y) {
        textureStore(dst, vec2<i32>(column, y0 + 1), s1);
    }
    if (y0 + 2 < size.y) {
        textureStore(dst, vec2<i32>(column, y0 + 2), s2);
    }
    if (y0 + 3 < size.y) {
        textureStore(dst, vec2<i32>(column, y0 + 3), s3);
    }
}
