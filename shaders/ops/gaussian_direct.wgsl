// One line pass of a separable Gaussian blur reading its taps straight from the source texture
// (clamped to the frame's edge), with no workgroup memory: the variant for adapters where workgroup
// memory and its barrier cost more than the texture reads they save (chosen per adapter by
// measurement: src/gpu/context.rs `SpatialPasses`). Each thread blurs four consecutive pixels of the
// line and slides two windows of four texels outwards, one texel a tap each way: at tap k window l
// holds the texels at along + j - k and window r those at along + j + k (j = 0..3), so every texel is
// read once per thread instead of once per output and tap (two reads a tap for four outputs instead
// of eight). Each output still sums centre × w0, then (left + right) × wk for k = 1..radius, in that
// order: bit for bit the sums of `gaussian.wgsl`. The dispatch covers four pixels an invocation
// (`Dispatch::RowBlocks` / `ColumnBlocks`, set by `GpuContext::variant_for`).
// CPU reference: src/ops/gaussian.rs `apply_pass`.

#import gaussian_common

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> g: Gaussian;

fn weight(k: u32) -> f32 {
    return g.weights[k / 4u][k % 4u];
}

fn position(along: i32, across: i32) -> vec2<i32> {
    return line_position(g.direction, along, across);
}

fn texel(along: i32, across: i32, last: i32) -> vec4<f32> {
    return textureLoad(src, position(clamp(along, 0, last), across), 0);
}

// 64 threads of four pixels: a workgroup covers LINE pixels, as in the tiled variant.
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(src));
    let length = select(size.x, size.y, g.direction == 1u);
    let across = i32(group.y);
    let along = i32(group.x * LINE + 4u * local);
    if (along >= length) {
        return;
    }
    let last = length - 1;
    let radius = i32(min(g.radius, MAX_RADIUS));
    // Outputs past the line's end are summed from clamped reads and not stored.
    let c0 = texel(along, across, last);
    let c1 = texel(along + 1, across, last);
    let c2 = texel(along + 2, across, last);
    let c3 = texel(along + 3, across, last);
    var l0 = c0.rgb;
    var l1 = c1.rgb;
    var l2 = c2.rgb;
    var l3 = c3.rgb;
    var r0 = c0.rgb;
    var r1 = c1.rgb;
    var r2 = c2.rgb;
    var r3 = c3.rgb;
    let w0 = weight(0u);
    var s0 = c0.rgb * w0;
    var s1 = c1.rgb * w0;
    var s2 = c2.rgb * w0;
    var s3 = c3.rgb * w0;
    for (var k = 1; k <= radius; k++) {
        l3 = l2;
        l2 = l1;
        l1 = l0;
        l0 = texel(along - k, across, last).rgb;
        r0 = r1;
        r1 = r2;
        r2 = r3;
        r3 = texel(along + 3 + k, across, last).rgb;
        let w = weight(u32(k));
        s0 += (l0 + r0) * w;
        s1 += (l1 + r1) * w;
        s2 += (l2 + r2) * w;
        s3 += (l3 + r3) * w;
    }
    textureStore(dst, position(along, across), vec4<f32>(s0, c0.a));
    if (along + 1 < length) {
        textureStore(dst, position(along + 1, across), vec4<f32>(s1, c1.a));
    }
    if (along + 2 < length) {
        textureStore(dst, position(along + 2, across), vec4<f32>(s2, c2.a));
    }
    if (along + 3 < length) {
        textureStore(dst, position(along + 3, across), vec4<f32>(s3, c3.a));
    }
}
