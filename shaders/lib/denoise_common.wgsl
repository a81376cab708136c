// Shared by the four noise-reduction passes (denoise_stats, _coeffs, _smooth, _apply): the line
// length of the separable box passes, the largest radius, and the uniform (`DenoiseUniform` in
// src/ops/denoise.rs).

const LINE: u32 = 256u;
const MAX_RADIUS: u32 = 64u;

struct Denoise {
    radius: u32,
    _pad0: u32,
    _pad1: u32,
    _pad2: u32,
    eps: vec4<f32>,
}
