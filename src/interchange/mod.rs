//! Interchange formats a colorist trades with other tools: `.cube` LUTs (Resolve and Iridas/Adobe
//! dialects), CLF (SMPTE ST 2136-1 and Academy CLF 3) process lists, ASC CDL XML (`.cc`, `.ccc`, `.cdl`) and CMX3600 EDLs with `*ASC_SOP`/`*ASC_SAT` comments.
//!
//! Every reader comes in two forms: `parse_*(text, source_name)` for text already in memory and
//! `read_*(path)` for a file. Errors are [`InterchangeError`] values naming the file and the 1-based
//! line; readers never panic on user input and never allocate from a size the file merely declares.

pub mod cdl;
pub mod clf;
pub mod clf_program;
mod clf_read;
pub mod clf_write;
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
pub use clf_write::to_clf_string;
pub use cube::{CubeFile, Interpolation, Lut1d, Lut3d, parse_cube, read_cube};
pub use edl::{Edl, EdlEvent, FrameCountMode, Transition, parse_edl, read_edl};
pub use error::{InterchangeError, Result};
pub use timecode::Timecode;

/// A LUT file of either format a LUT node applies.
#[derive(Clone, Debug, PartialEq)]
pub enum LutFile {
    /// A `.cube` file.
    Cube(CubeFile),
    /// A Common LUT Format file.
    Clf(ClfFile),
}

/// The extensions [`read_lut`] takes, lower case.
pub const LUT_EXTENSIONS: &[&str] = &["cube", "clf"];

/// Reads a LUT file, by its extension: `.cube` or `.clf` (any case).
pub fn read_lut(path: &std::path::Path) -> Result<LutFile> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "cube" => read_cube(path).map(LutFile::Cube),
        "clf" => read_clf(path).map(LutFile::Clf),
        _ => Err(InterchangeError::Unsupported {
            file: path.display().to_string(),
            reason: "not a LUT Cinegrade reads (expected a .cube or .clf file)".into(),
        }),
    }
}

/// Strips a leading UTF-8 byte order mark, which some Windows tools write.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Path of a test fixture in `tests/data/interchange/`.
#[cfg(test)]
pub(crate) fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/interchange")).join(name)
}
