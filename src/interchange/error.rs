//! The error type shared by every interchange reader: a value naming the file and the 1-based line.

use std::fmt;

/// Result alias for interchange readers and writers.
pub type Result<T, E = InterchangeError> = std::result::Result<T, E>;

/// What went wrong while reading or writing an interchange file.
#[derive(Debug, thiserror::Error)]
pub enum InterchangeError {
    /// The file's contents break the format; `line` is 1-based.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// Display name of the file, as given by the caller.
        file: String,
        /// 1-based line the problem was found on.
        line: usize,
        /// What is wrong, in words.
        message: String,
    },
    /// The file could not be read.
    #[error("{file}: {source}")]
    Io {
        /// Display name of the file.
        file: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A ColorCorrection id was asked for that the file does not hold.
    #[error("no ColorCorrection with id \"{id}\" ({})", IdList(available))]
    IdNotFound {
        /// The id asked for.
        id: String,
        /// The ids the file does hold, in file order.
        available: Vec<String>,
    },
    /// A value cannot be written in the requested format.
    #[error("cannot write {what}: {reason}")]
    Unwritable {
        /// What was being written (".cube", "ColorCorrection").
        what: &'static str,
        /// Why it cannot be written.
        reason: String,
    },
    /// A name given on the command line or in a setting is not one we know.
    #[error("unknown {what} \"{name}\" (expected one of: {expected})")]
    UnknownName {
        /// Kind of name ("interpolation").
        what: &'static str,
        /// The name given.
        name: String,
        /// The accepted names, comma separated.
        expected: &'static str,
    },
    /// A file is of a kind this reader does not take.
    #[error("{file}: {reason}")]
    Unsupported {
        /// Display name of the file.
        file: String,
        /// What kind it is and what is taken instead.
        reason: String,
    },
    /// A timecode is malformed or does not exist at the requested frame rate.
    #[error("{reason}")]
    Timecode {
        /// The timecode as given or displayed.
        timecode: String,
        /// What is wrong, naming the timecode.
        reason: String,
    },
}

impl InterchangeError {
    /// Builds a parse error for `file` at 1-based `line`.
    pub fn parse(file: &str, line: usize, message: impl Into<String>) -> Self {
        InterchangeError::Parse { file: file.to_owned(), line, message: message.into() }
    }

    /// The 1-based line of a parse error, `None` for other errors.
    pub fn line(&self) -> Option<usize> {
        match self {
            InterchangeError::Parse { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// Formats the ids listed in [`InterchangeError::IdNotFound`].
struct IdList<'a>(&'a [String]);

impl fmt::Display for IdList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("the file holds no ids");
        }
        f.write_str("available ids: ")?;
        for (i, id) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "\"{id}\"")?;
        }
        Ok(())
    }
}

/// Reads a whole file as UTF-8 text, naming the file in the error.
pub(crate) fn read_text(path: &std::path::Path) -> Result<(String, String)> {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok((text, name)),
            Err(e) => {
                // Report the line holding the first invalid byte.
                let valid = e.utf8_error().valid_up_to();
                let line = 1 + e.as_bytes()[..valid].iter().filter(|&&b| b == b'\n').count();
                Err(InterchangeError::parse(&name, line, "not valid UTF-8 text"))
            }
        },
        Err(source) => Err(InterchangeError::Io { file: name, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_display_names_file_and_line() {
        let e = InterchangeError::parse("looks/foo.cube", 12, "expected 3 numbers, found 2");
        assert_eq!(e.to_string(), "looks/foo.cube:12: expected 3 numbers, found 2");
        assert_eq!(e.line(), Some(12));
    }

    #[test]
    fn io_error_names_the_file() {
        let missing = std::path::Path::new("/nonexistent/dir/grade.cube");
        let e = read_text(missing).unwrap_err();
        assert!(matches!(e, InterchangeError::Io { .. }));
        assert!(e.to_string().starts_with("/nonexistent/dir/grade.cube: "), "{e}");
        assert_eq!(e.line(), None);
    }

    #[test]
    fn id_not_found_lists_ids() {
        let e = InterchangeError::IdNotFound { id: "x".into(), available: vec!["a".into(), "b".into()] };
        assert_eq!(e.to_string(), r#"no ColorCorrection with id "x" (available ids: "a", "b")"#);
    }
}
