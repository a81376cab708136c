// Noise reduction, pass 3 of 4 (horizontal): box means of the coefficients a and b.
// CPU twin: src/ops/denoise.rs `smooth_pass`.

#import denoise_common

@group(0) @binding(0) var a_in: texture_2d<f32>;
@group(0) @binding(1) var b_in: texture_2d<f32>;
@group(0) @binding(2) var a_out: texture_storage_2d<rgba32float, write>;
@group(0) @binding(3) var b_out: texture_storage_2d<rgba32float, write>;
@group(0) @binding(4) var<uniform> p: Denoise;

var<workgroup> tile_a: array<vec3<f32>, 384>;
var<workgroup> tile_b: array<vec3<f32>, 384>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(a_in));
    let row = i32(group.y);
    let radius = min(p.radius, MAX_RADIUS);
    let first = i32(group.x * LINE) - i32(radius);
    for (var i = local; i < LINE + 2u * radius; i += LINE) {
        let x = clamp(first + i32(i), 0, size.x - 1);
        tile_a[i] = textureLoad(a_in, vec2<i32>(x, row), 0).rgb;
        tile_b[i] = textureLoad(b_in, vec2<i32>(x, row), 0).rgb;
    }
    workgroupBarrier();
    let x = i32(group.x * LINE + local);
    if (x >= size.x) {
        return;
    }
    var sum_a = vec3<f32>(0.0);
    var sum_b = vec3<f32>(0.0);
    for (var k = 0u; k <= 2u * radius; k++) {
        sum_a += tile_a[local + k];
        sum_b += tile_b[local + k];
    }
    let n = f32(2u * radius + 1u);
    textureStore(a_out, vec2<i32>(x, row), vec4<f32>(sum_a / n, 0.0));
    textureStore(b_out, vec2<i32>(x, row), vec4<f32>(sum_b / n, 0.0));
}
