//! Subcommands kept out of `main.rs`: projects (`cinegrade project ...`), rendering a project shot's
//! frame range (`cinegrade render --project ...`) and a folder or sequence of frames.

pub mod project_cmd;
pub mod render_project;
pub mod render_sequence;

use std::path::{Path, PathBuf};

/// The folder a project's relative paths resolve against.
pub fn project_root(project_path: &Path) -> PathBuf {
    match project_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Prints a warning line on stderr.
pub fn warn(message: impl std::fmt::Display) {
    eprintln!("cinegrade: warning: {message}");
}
