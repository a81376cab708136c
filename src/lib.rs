//! Cinegrade: GPU colour grading. A grade is plain data; the GPU executes it; the UI edits it.

pub mod batch;
pub mod bench;
pub mod color;
pub mod export;
pub mod gpu;
pub mod grade;
pub mod interchange;
pub mod media;
pub mod ops;
pub mod playback;
pub mod project;
pub mod qc;
pub mod scopes;
pub mod track;
#[cfg(feature = "app")]
pub mod ui;
pub mod workspace;
