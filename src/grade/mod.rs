//! The grade model: plain, versioned serde data, independent of the GPU and the UI.
//!
//! A [`Grade`] is an ordered list of [`Node`]s; each node holds one [`Op`] with its parameters, an enable
//! flag and a mix amount, optionally keyframed and tracked over the shot ([`keyframes`]). On disk it is
//! JSON with a top-level `version`; older files are migrated ([`migrate`]) and files from a newer
//! Cinegrade are refused rather than half-read.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::interchange::InterchangeError;
pub use crate::ops::Op;
use crate::ops::key::Key;
use crate::ops::primaries::Primaries;

pub mod graph;
pub mod keyframes;
pub mod migrate;
pub mod pipeline;

pub use graph::{Composite, Input, Mixer};
pub use keyframes::{Interpolation, Keyframe, Track, TrackSample};

/// The grade file format version this build writes and the newest it reads. Version 2 added
/// keyframes, tracks, windows' softness inside and outside, centred polygons and bezier windows, and
/// the node graph (inputs, mixers, outside nodes; a serial list is still a plain list).
pub const GRADE_FORMAT_VERSION: u32 = 2;

/// An ordered stack of correction nodes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// File format version ([`GRADE_FORMAT_VERSION`]).
    pub version: u32,
    /// Nodes, applied first to last.
    #[serde(default)]
    pub nodes: Vec<Node>,
}

impl Default for Grade {
    fn default() -> Self {
        Self { version: GRADE_FORMAT_VERSION, nodes: Vec::new() }
    }
}

/// One correction in the stack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// The colorist's name for the node (may be empty).
    #[serde(default)]
    pub label: String,
    /// A disabled node passes its input through.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Blend between the node's input (0) and its output (1).
    #[serde(default = "default_mix")]
    pub mix: f32,
    /// What the node does.
    pub op: Op,
    /// Where it does it: qualifier and windows (none: everywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
    /// The node's state over the shot, in frame order (none: `op`, `mix` and `key` hold throughout).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyframes: Vec<Keyframe>,
    /// Tracks moving the key's windows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracks: Vec<Track>,
    /// Where its picture comes from (none: the node before it, the source for the first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// Combines its inputs first (a parallel or layer mixer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixer: Option<Mixer>,
    /// Keyed by the inverse of this node's key (0-based index): an outside node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside: Option<usize>,
}

fn default_true() -> bool {
    true
}

fn default_mix() -> f32 {
    1.0
}

impl Node {
    /// A new enabled node at full mix.
    pub fn new(op: Op) -> Self {
        Self {
            label: String::new(),
            enabled: true,
            mix: 1.0,
            op,
            key: None,
            keyframes: Vec::new(),
            tracks: Vec::new(),
            inputs: Vec::new(),
            mixer: None,
            outside: None,
        }
    }
}

/// Why a grade could not be read, written or used.
#[derive(Debug, thiserror::Error)]
pub enum GradeError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The JSON is malformed or does not describe a grade.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file's format version is not one this build reads.
    #[error(
        "{path}: grade format version {found} is not supported (this build of Cinegrade reads versions 1 to {supported}){hint}"
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u64,
        /// The newest version this build reads.
        supported: u32,
        /// Extra advice.
        hint: &'static str,
    },
    /// A parameter is out of its valid range.
    #[error("{path}: node {node} ({op}): {message}")]
    Invalid {
        /// The file (or `<grade>` for grades built in memory).
        path: PathBuf,
        /// 1-based node index.
        node: usize,
        /// The op name.
        op: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A file a node refers to (a LUT) is missing or malformed.
    #[error("{path}: node {node} ({op}): {source}")]
    File {
        /// The grade file (or `<grade>` for grades built in memory).
        path: PathBuf,
        /// 1-based node index.
        node: usize,
        /// The op name.
        op: &'static str,
        /// What is wrong with the file, naming it and the line.
        source: InterchangeError,
    },
}

impl Grade {
    /// A grade with a single primaries node.
    pub fn with_primaries(p: Primaries) -> Self {
        Self { version: GRADE_FORMAT_VERSION, nodes: vec![Node::new(Op::Primaries(p))] }
    }

    /// Parses grade JSON; `path` only names the source in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, GradeError> {
        let parse_err = |e: serde_json::Error| GradeError::Parse {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: e.to_string().split(" at line ").next().unwrap_or_default().to_string(),
        };
        // Read the version first, so a newer file is refused with a clear message instead of a
        // confusing complaint about a field this build does not know.
        let value: serde_json::Value = serde_json::from_str(text).map_err(parse_err)?;
        let mut value = value;
        let found = match value.get("version") {
            Some(v) => v.as_u64().ok_or_else(|| GradeError::Parse {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: format!("\"version\" must be a whole number, found {v}"),
            })?,
            None => {
                return Err(GradeError::Parse {
                    path: path.to_path_buf(),
                    line: 1,
                    column: 1,
                    message: "missing \"version\": not a Cinegrade grade file".into(),
                });
            }
        };
        if found == 0 || found > u64::from(GRADE_FORMAT_VERSION) {
            let hint = if found > u64::from(GRADE_FORMAT_VERSION) {
                "; it was written by a newer Cinegrade: update to open it"
            } else {
                ""
            };
            return Err(GradeError::Version { path: path.to_path_buf(), found, supported: GRADE_FORMAT_VERSION, hint });
        }
        let mut grade: Grade = if found < u64::from(GRADE_FORMAT_VERSION) {
            // A migrated value has no lines of its own: errors in it point at the file's start.
            migrate::to_current(&mut value, found).map_err(|message| GradeError::Parse {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: format!("(format version {found}) {message}"),
            })?;
            serde_json::from_value(value).map_err(|e| GradeError::Parse {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: format!("(format version {found}, migrated) {e}"),
            })?
        } else {
            serde_json::from_str(text).map_err(parse_err)?
        };
        // Showing the matte is the viewer's, not the grade's: a file from before that knew it drops it.
        for key in grade.nodes.iter_mut().filter_map(|n| n.key.as_mut()) {
            key.show_matte = false;
        }
        grade.validate(path)?;
        Ok(grade)
    }

    /// Reads and validates a grade file, resolves relative LUT paths against its folder and
    /// checks that every LUT file it names reads (so a missing or broken LUT is reported now, naming
    /// the grade, the node, the LUT file and its line, rather than at render time).
    pub fn load(path: &Path) -> Result<Self, GradeError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| GradeError::Io { path: path.to_path_buf(), source })?;
        let mut grade = Self::from_json(&text, path)?;
        grade.resolve_paths(path.parent().unwrap_or(Path::new("")));
        grade.check_files(path)?;
        Ok(grade)
    }

    /// Calls `f` on every file path the nodes name (LUTs).
    pub fn for_each_file_mut(&mut self, mut f: impl FnMut(&mut std::path::PathBuf)) {
        for node in &mut self.nodes {
            for op in std::iter::once(&mut node.op).chain(node.keyframes.iter_mut().map(|k| &mut k.op)) {
                match op {
                    Op::Lut(lut) => f(&mut lut.path),
                    Op::OcioTransform(t) if !crate::ops::ocio::is_builtin_config(&t.config) => f(&mut t.config),
                    _ => {}
                }
            }
        }
    }

    /// Makes every relative file path in the nodes relative to `base` (a grade file's folder).
    ///
    /// The grade then names absolute (or `base`-relative) paths; saved again, it would write them.
    pub fn resolve_paths(&mut self, base: &Path) {
        for node in &mut self.nodes {
            for op in std::iter::once(&mut node.op).chain(node.keyframes.iter_mut().map(|k| &mut k.op)) {
                match op {
                    Op::Lut(lut) => lut.resolve(base),
                    Op::OcioTransform(t) => t.resolve(base),
                    _ => {}
                }
            }
        }
    }

    /// Reads every file the nodes name (LUTs, OCIO configs), reporting the first that is missing or
    /// malformed; `path` only names the grade in errors.
    pub fn check_files(&self, path: &Path) -> Result<(), GradeError> {
        for (i, node) in self.nodes.iter().enumerate() {
            for op in std::iter::once(&node.op).chain(node.keyframes.iter().map(|k| &k.op)) {
                let loaded = match op {
                    Op::Lut(lut) => lut.load().map(drop),
                    Op::OcioTransform(t) => t.load().map(drop),
                    _ => Ok(()),
                };
                loaded.map_err(|source| GradeError::File {
                    path: path.to_path_buf(),
                    node: i + 1,
                    op: node.op.name(),
                    source,
                })?;
            }
        }
        Ok(())
    }

    /// Pretty JSON for this grade.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a grade always serialises")
    }

    /// Checks every node's parameters; `path` only names the source in errors.
    pub fn validate(&self, path: &Path) -> Result<(), GradeError> {
        for (i, node) in self.nodes.iter().enumerate() {
            let invalid = |message: String| GradeError::Invalid {
                path: path.to_path_buf(),
                node: i + 1,
                op: node.op.name(),
                message,
            };
            if !(0.0..=1.0).contains(&node.mix) {
                return Err(invalid(format!("mix must be between 0 and 1, got {}", node.mix)));
            }
            node.op.validate().map_err(invalid)?;
            if let Some(key) = &node.key {
                key.validate().map_err(|m| invalid(format!("key: {m}")))?;
            }
            node.validate_animation().map_err(invalid)?;
            self.validate_wiring(i).map_err(invalid)?;
        }
        Ok(())
    }

    /// Nodes that will actually change the picture: enabled, mixed in, and not neutral; and a node
    /// whose key the viewer's matte view shows, whatever its op and mix (its matte is the picture).
    pub fn active_nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| {
            let shows_matte = n.key.as_ref().is_some_and(|k| k.show_matte);
            n.enabled && (shows_matte || (n.mix > 0.0 && !n.op.is_neutral()))
        })
    }
}
