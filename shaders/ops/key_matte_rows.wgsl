// A key's matte blur along rows, on the packed matte (`key_qualifier.wgsl`: four pixels to a texel,
// one per channel). Each thread blurs one texel, four pixels at once: the Gaussian's taps over
// texels t - reach ..= t + reach, each texel's four pixels weighted for each of the four outputs
// by a table the CPU lays out (`weights[4 (q + reach) + d][c]` = the tap weight of input lane d of
// texel t + q for output lane c), so a tap costs one read and four vector multiply-adds for four
// pixels. Each workgroup of 64 threads reads its 64 texels plus `reach` on either side into
// workgroup memory once; pixels past the frame's edges read the edge pixel (the frame's width is the
// uniform's, the texture being padded to a multiple of four). CPU twin: src/ops/key/matte.rs
// `blur_rows`.

#import matte_common

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> g: MatteBlur;

const TEXELS: u32 = 64u;

var<workgroup> tile: array<vec4<f32>, 160>; // TEXELS + 2 * MAX_REACH

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(src));
    let last = i32(g.width) - 1;
    let row = i32(group.y);
    let reach = min(g.reach, MAX_REACH);
    let first = i32(group.x * TEXELS) - i32(reach);
    let last_texel = last / 4;
    let edge = last % 4;
    for (var i = local; i < TEXELS + 2u * reach; i += TEXELS) {
        // Off the frame, a pixel reads the edge pixel: left of it texel 0's first, right of it the
        // last pixel's lane of the last texel (the texel clamped to loads both), without a branch.
        let t = first + i32(i);
        let v = textureLoad(src, vec2<i32>(clamp(t, 0, last_texel), row), 0);
        var e: vec4<f32>;
        for (var c = 0; c < 4; c++) {
            let p = 4 * t + c;
            e[c] = select(select(v[c], v[edge], p > last), v.x, p < 0);
        }
        tile[i] = e;
    }
    workgroupBarrier();
    let t = i32(group.x * TEXELS + local);
    if (t >= size.x) {
        return;
    }
    var sum = vec4<f32>(0.0);
    for (var q = 0u; q <= 2u * reach; q++) {
        let a = tile[local + q];
        let w = 4u * q;
        sum += a.x * g.weights[w];
        sum += a.y * g.weights[w + 1u];
        sum += a.z * g.weights[w + 2u];
        sum += a.w * g.weights[w + 3u];
    }
    textureStore(dst, vec2<i32>(t, row), sum);
}
