// Dead and stuck pixels, step 1: each pixel's smallest and largest value over the frames so far
// (per channel), ping-ponged between two pairs of textures. CPU twin: src/qc/pixels.rs.

@group(0) @binding(0) var frame: texture_2d<f32>;
@group(0) @binding(1) var low_in: texture_2d<f32>;
@group(0) @binding(2) var high_in: texture_2d<f32>;
@group(0) @binding(3) var low_out: texture_storage_2d<rgba32float, write>;
@group(0) @binding(4) var high_out: texture_storage_2d<rgba32float, write>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(frame);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let at = vec2<i32>(id.xy);
    let p = textureLoad(frame, at, 0);
    textureStore(low_out, at, min(textureLoad(low_in, at, 0), p));
    textureStore(high_out, at, max(textureLoad(high_in, at, 0), p));
}
