//! Grading operations: one file per op, each with its parameters, its uniform layout, its CPU
//! reference and the name of its shader.

pub mod blur;
pub mod curves;
pub mod denoise;
pub mod gaussian;
pub mod glow;
pub mod grain;
pub mod hsl;
pub mod key;
pub mod primaries;
pub mod reference;
pub mod sharpen;
pub mod vignette;
