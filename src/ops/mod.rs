//! Grading operations: one file per op, each with its parameters, its uniform layout, its CPU
//! reference and the name of its shader.

pub mod blur;
pub mod color_transform;
pub mod curves;
pub mod denoise;
pub mod gaussian;
pub mod glow;
pub mod grain;
pub mod hsl;
pub mod key;
pub mod lut;
pub mod primaries;
pub mod reference;
pub mod sharpen;
pub mod vignette;

/// Blends a node's input with its output (`blend` in `shaders/common.wgsl`); mix 1 returns the
/// output bit for bit. (WGSL's `mix()` may be computed as `a + t·(b − a)`, which is not exact at
/// t = 1 and loses precision when the input is much larger than the output, e.g. linear → log.)
pub fn blend(input: [f32; 3], output: [f32; 3], mix: f32) -> [f32; 3] {
    if mix >= 1.0 {
        return output;
    }
    [0, 1, 2].map(|c| input[c] * (1.0 - mix) + output[c] * mix)
}
