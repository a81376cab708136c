// Viewer display: turns a float working frame into the 8-bit texture egui draws. Values are already
// display-encoded by the grade's output stage; this pass only quantises for the screen (never for
// export) and, in difference mode, shows |graded - reference| × gain.

struct Display {
    mode: u32,
    gain: f32,
    _pad0: u32,
    _pad1: u32,
}

@group(0) @binding(0) var graded: texture_2d<f32>;
@group(0) @binding(1) var reference: texture_2d<f32>;
@group(0) @binding(2) var dst: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var<uniform> d: Display;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(graded);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    var rgb = textureLoad(graded, p, 0).rgb;
    if (d.mode == 1u) {
        rgb = abs(rgb - textureLoad(reference, p, 0).rgb) * d.gain;
    }
    // NaN-safe: max/min return the non-NaN operand on every backend we target.
    textureStore(dst, p, vec4<f32>(clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
