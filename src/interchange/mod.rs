//! Interchange formats a colorist trades with other tools: `.cube` LUTs (Resolve and Iridas/Adobe
//! dialects), ASC CDL XML (`.cc`, `.ccc`, `.cdl`) and CMX3600 EDLs with `*ASC_SOP`/`*ASC_SAT` comments.
//!
//! Every reader comes in two forms: `parse_*(text, source_name)` for text already in memory and
//! `read_*(path)` for a file. Errors are [`InterchangeError`] values naming the file and the 1-based
//! line; readers never panic on user input and never allocate from a size the file merely declares.

pub mod cdl;
pub mod clf;
pub mod clf_program;
pub mod cube;
mod cube_parse;
pub mod edl;
pub mod error;
pub mod timecode;

#[cfg(test)]
mod cdl_tests;
#[cfg(test)]
mod cube_tests;
#[cfg(test)]
mod edl_tests;

pub use cdl::{ColorCorrection, find_by_id, parse_cdl, read_cdl_file, write_cc, write_ccc, write_cdl};
pub use clf::{ClfFile, ClfOp, parse_clf, read_clf};
pub use cube::{CubeFile, Interpolation, Lut1d, Lut3d, parse_cube, read_cube};
pub use edl::{Edl, EdlEvent, FrameCountMode, Transition, parse_edl, read_edl};
pub use error::{InterchangeError, Result};
pub use timecode::Timecode;

/// Strips a leading UTF-8 byte order mark, which some Windows tools write.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Path of a test fixture in `tests/data/interchange/`.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/interchange")).join(name)
}
