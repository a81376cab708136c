// Noise reduction, pass 2 of 4 (vertical): box means finished, then the guided filter's per-pixel
// a = var / (var + eps) and b = mean − a × mean for Y, Cb and Cr (eps 0: a = 1, b = 0).
// CPU twin: src/ops/denoise.rs `coeffs_pass`.

#import denoise_common

@group(0) @binding(0) var means: texture_2d<f32>;
@group(0) @binding(1) var squares: texture_2d<f32>;
@group(0) @binding(2) var a_out: texture_storage_2d<rgba32float, write>;
@group(0) @binding(3) var b_out: texture_storage_2d<rgba32float, write>;
@group(0) @binding(4) var<uniform> p: Denoise;

var<workgroup> tile_means: array<vec4<f32>, 384>;
var<workgroup> tile_squares: array<vec2<f32>, 384>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(means));
    let column = i32(group.y);
    let radius = min(p.radius, MAX_RADIUS);
    let first = i32(group.x * LINE) - i32(radius);
    for (var i = local; i < LINE + 2u * radius; i += LINE) {
        let y = clamp(first + i32(i), 0, size.y - 1);
        tile_means[i] = textureLoad(means, vec2<i32>(column, y), 0);
        tile_squares[i] = textureLoad(squares, vec2<i32>(column, y), 0).xy;
    }
    workgroupBarrier();
    let y = i32(group.x * LINE + local);
    if (y >= size.y) {
        return;
    }
    var sum = vec4<f32>(0.0);
    var sum_sq = vec2<f32>(0.0);
    for (var k = 0u; k <= 2u * radius; k++) {
        sum += tile_means[local + k];
        sum_sq += tile_squares[local + k];
    }
    let n = f32(2u * radius + 1u);
    let mean = sum.xyz / n;
    let mean_sq = vec3<f32>(sum.w / n, sum_sq / n);
    var a = vec3<f32>(1.0);
    var b = vec3<f32>(0.0);
    for (var c = 0u; c < 3u; c++) {
        if (p.eps[c] > 0.0) {
            let variance = max(mean_sq[c] - mean[c] * mean[c], 0.0);
            a[c] = variance / (variance + p.eps[c]);
            b[c] = mean[c] - a[c] * mean[c];
        }
    }
    textureStore(a_out, vec2<i32>(column, y), vec4<f32>(a, 0.0));
    textureStore(b_out, vec2<i32>(column, y), vec4<f32>(b, 0.0));
}
