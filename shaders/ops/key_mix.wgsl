// A keyed node's output: its key (`key_common.wgsl`) applied to the node's input and its corrected
// picture, a pass of its own (a spatial node's, or an outside node's). Also the plain mix of spatial
// nodes (no qualifier, no windows). CPU twin: src/ops/key/mod.rs `mix_pixel`.

#import key_common

@group(0) @binding(0) var input: texture_2d<f32>;
@group(0) @binding(1) var corrected: texture_2d<f32>;
@group(0) @binding(2) var qualifier_matte: texture_2d<f32>;
@group(0) @binding(3) var dst: texture_storage_2d<rgba32float, write>;
@group(0) @binding(4) var<uniform> k: KeyMix;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(input);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let px = textureLoad(input, vec2<i32>(id.xy), 0);
    let graded = textureLoad(corrected, vec2<i32>(id.xy), 0).rgb;
    textureStore(dst, vec2<i32>(id.xy), key_output(id.xy, px, graded));
}
