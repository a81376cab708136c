//! Grading operations: one file per op, each with its parameters, its uniform layout, its CPU
//! reference and the name of its shader.

pub mod curves;
pub mod gaussian;
pub mod hsl;
pub mod key;
pub mod primaries;
pub mod reference;
