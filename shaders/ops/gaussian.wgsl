// One line pass of a separable Gaussian blur (horizontal or vertical). Each workgroup blurs a run of
// 256 pixels of one row or column: it reads the run plus `radius` pixels on either side (clamped to
// the frame's edge) into workgroup memory once, then every thread sums its taps from there. Alpha is
// copied from the centre pixel. CPU reference: src/ops/gaussian.rs `apply_pass`.

#import gaussian_common

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> g: Gaussian;

var<workgroup> tile: array<vec4<f32>, 640>; // LINE + 2 * MAX_RADIUS

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
    let radius = min(g.radius, MAX_RADIUS);
    let first = i32(group.x * LINE) - i32(radius);
    for (var i = local; i < LINE + 2u * radius; i += LINE) {
        let along = clamp(first + i32(i), 0, length - 1);
        tile[i] = textureLoad(src, position(along, across), 0);
    }
    workgroupBarrier();
    let along = i32(group.x * LINE + local);
    if (along >= length) {
        return;
    }
    let centre = local + radius;
    var sum = tile[centre].rgb * weight(0u);
    for (var k = 1u; k <= radius; k++) {
        sum += (tile[centre - k].rgb + tile[centre + k].rgb) * weight(k);
    }
    textureStore(dst, position(along, across), vec4<f32>(sum, tile[centre].a));
}
