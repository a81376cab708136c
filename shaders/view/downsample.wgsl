// The viewer's proxy: the source decimated by a whole factor, each proxy pixel the mean of the
// factor x factor source pixels it covers (a box filter; the last row and column average what is
// left of the frame). Alpha is averaged too. CPU twin: src/gpu/proxy.rs `downsample`.

struct Downsample {
    factor: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> d: Downsample;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(dst);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let full = textureDimensions(src);
    let x0 = id.x * d.factor;
    let y0 = id.y * d.factor;
    let x1 = min(x0 + d.factor, full.x);
    let y1 = min(y0 + d.factor, full.y);
    var sum = vec4<f32>(0.0);
    for (var y = y0; y < y1; y++) {
        for (var x = x0; x < x1; x++) {
            sum += textureLoad(src, vec2<i32>(i32(x), i32(y)), 0);
        }
    }
    let n = f32((x1 - x0) * (y1 - y0));
    textureStore(dst, vec2<i32>(id.xy), sum / n);
}
