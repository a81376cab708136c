// One line pass of a separable Gaussian blur, each thread reading its taps straight from the source
// texture (clamped to the frame's edge): the variant for adapters where workgroup memory and its
// barrier cost more than the texture reads they save (chosen per adapter by measurement:
// src/gpu/context.rs `SpatialPasses`). Same bindings, dispatch and sums in the same order as
// `gaussian.wgsl`, so both give the same result. CPU reference: src/ops/gaussian.rs `apply_pass`.

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

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(src));
    let length = select(size.x, size.y, g.direction == 1u);
    let across = i32(group.y);
    let along = i32(group.x * LINE + local);
    if (along >= length) {
        return;
    }
    let radius = i32(min(g.radius, MAX_RADIUS));
    let centre = textureLoad(src, position(along, across), 0);
    var sum = centre.rgb * weight(0u);
    for (var k = 1; k <= radius; k++) {
        let left = textureLoad(src, position(clamp(along - k, 0, length - 1), across), 0).rgb;
        let right = textureLoad(src, position(clamp(along + k, 0, length - 1), across), 0).rgb;
        sum += (left + right) * weight(u32(k));
    }
    textureStore(dst, position(along, across), vec4<f32>(sum, centre.a));
}
