// What both variants of the Gaussian line pass share (shaders/ops/gaussian.wgsl, tiled in
// workgroup memory, and gaussian_direct.wgsl, four outputs a thread sliding a window of texture
// reads): the uniform (weights of taps 0..=radius, four per vec4), the run of pixels a workgroup
// covers, the widest kernel, and how a pass along rows or columns addresses the frame.
// CPU reference: src/ops/gaussian.rs `apply_pass`.

const LINE: u32 = 256u;
const MAX_RADIUS: u32 = 192u;

struct Gaussian {
    direction: u32,
    radius: u32,
    _pad0: u32,
    _pad1: u32,
    weights: array<vec4<f32>, 49>,
}

// The pixel `along` the line `across` the frame, for a pass along rows (direction 0) or columns.
fn line_position(direction: u32, along: i32, across: i32) -> vec2<i32> {
    return select(vec2<i32>(along, across), vec2<i32>(across, along), direction == 1u);
}
