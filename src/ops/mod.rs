//! Grading operations: one file per op, each with its parameters, its uniform layout, its CPU
//! reference and the name of its shader.

pub mod primaries;
