// Film grain noise: three zero-mean, unit-variance uniform values per pixel from PCG3D of
// (x, y, frame/seed key). CPU twin: src/ops/grain.rs `noise_pixel`.

struct Noise {
    key: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(2) var<uniform> p: Noise;

// Jarzynski & Olano 2020, "Hash Functions for GPU Rendering".
fn pcg3d(input: vec3<u32>) -> vec3<u32> {
    var v = input * 1664525u + 1013904223u;
    v.x += v.y * v.z;
    v.y += v.z * v.x;
    v.z += v.x * v.y;
    v ^= v >> vec3<u32>(16u);
    v.x += v.y * v.z;
    v.y += v.z * v.x;
    v.z += v.x * v.y;
    return v;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let h = pcg3d(vec3<u32>(id.x, id.y, p.key));
    let n = (vec3<f32>(h >> vec3<u32>(8u)) * (1.0 / 16777216.0) - vec3<f32>(0.5)) * sqrt(12.0);
    textureStore(dst, vec2<i32>(id.xy), vec4<f32>(n, 1.0));
}
