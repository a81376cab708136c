// A plain copy: the bandwidth floor every benchmark compares against.

@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(src);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    textureStore(dst, vec2<i32>(id.xy), textureLoad(src, vec2<i32>(id.xy), 0));
}
