// Noise reduction, pass 1 of 4 (horizontal): box means of Y, Cb, Cr and of their squares.
// CPU twin: src/ops/denoise.rs `stats_pass`.

#import denoise_common

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var means: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var squares: texture_storage_2d<rgba32float, write>;
@group(0) @binding(3) var<uniform> p: Denoise;

var<workgroup> tile: array<vec3<f32>, 384>; // LINE + 2 * MAX_RADIUS

fn to_ycc(rgb: vec3<f32>) -> vec3<f32> {
    let y = rgb.r * 0.2126 + rgb.g * 0.7152 + rgb.b * 0.0722;
    return vec3<f32>(y, (rgb.b - y) / 1.8556, (rgb.r - y) / 1.5748);
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(src));
    let row = i32(group.y);
    let radius = min(p.radius, MAX_RADIUS);
    let first = i32(group.x * LINE) - i32(radius);
    for (var i = local; i < LINE + 2u * radius; i += LINE) {
        let x = clamp(first + i32(i), 0, size.x - 1);
        tile[i] = to_ycc(textureLoad(src, vec2<i32>(x, row), 0).rgb);
    }
    workgroupBarrier();
    let x = i32(group.x * LINE + local);
    if (x >= size.x) {
        return;
    }
    var sum = vec3<f32>(0.0);
    var sum_sq = vec3<f32>(0.0);
    for (var k = 0u; k <= 2u * radius; k++) {
        let v = tile[local + k];
        sum += v;
        sum_sq += v * v;
    }
    let n = f32(2u * radius + 1u);
    let mean_sq = sum_sq / n;
    textureStore(means, vec2<i32>(x, row), vec4<f32>(sum / n, mean_sq.x));
    textureStore(squares, vec2<i32>(x, row), vec4<f32>(mean_sq.y, mean_sq.z, 0.0, 0.0));
}
