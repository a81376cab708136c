// Noise reduction, pass 4 of 4 (vertical): box means of a and b finished, out = mean(a) × in +
// mean(b) in Y, Cb, Cr, back to RGB. CPU twin: src/ops/denoise.rs `apply_pass`.

#import denoise_common

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var a_in: texture_2d<f32>;
@group(0) @binding(2) var b_in: texture_2d<f32>;
@group(0) @binding(3) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(4) var<uniform> p: Denoise;

var<workgroup> tile_a: array<vec3<f32>, 384>;
var<workgroup> tile_b: array<vec3<f32>, 384>;

fn to_ycc(rgb: vec3<f32>) -> vec3<f32> {
    let y = rgb.r * 0.2126 + rgb.g * 0.7152 + rgb.b * 0.0722;
    return vec3<f32>(y, (rgb.b - y) / 1.8556, (rgb.r - y) / 1.5748);
}

fn from_ycc(v: vec3<f32>) -> vec3<f32> {
    let r = v.x + 1.5748 * v.z;
    let b = v.x + 1.8556 * v.y;
    let g = (v.x - 0.2126 * r - 0.0722 * b) / 0.7152;
    return vec3<f32>(r, g, b);
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
    let size = vec2<i32>(textureDimensions(src));
    let column = i32(group.y);
    let radius = min(p.radius, MAX_RADIUS);
    let first = i32(group.x * LINE) - i32(radius);
    for (var i = local; i < LINE + 2u * radius; i += LINE) {
        let y = clamp(first + i32(i), 0, size.y - 1);
        tile_a[i] = textureLoad(a_in, vec2<i32>(column, y), 0).rgb;
        tile_b[i] = textureLoad(b_in, vec2<i32>(column, y), 0).rgb;
    }
    workgroupBarrier();
    let y = i32(group.x * LINE + local);
    if (y >= size.y) {
        return;
    }
    var sum_a = vec3<f32>(0.0);
    var sum_b = vec3<f32>(0.0);
    for (var k = 0u; k <= 2u * radius; k++) {
        sum_a += tile_a[local + k];
        sum_b += tile_b[local + k];
    }
    let n = f32(2u * radius + 1u);
    let px = textureLoad(src, vec2<i32>(column, y), 0);
    let rgb = from_ycc((sum_a / n) * to_ycc(px.rgb) + sum_b / n);
    textureStore(dst, vec2<i32>(column, y), vec4<f32>(rgb, px.a));
}
