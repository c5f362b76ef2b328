//! The library's error type: every fallible call returns [`Result<T>`].

use std::path::PathBuf;

/// What went wrong, with enough context (file, line) for a user to fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A data or model file is malformed; `line` is 1-based (0 when the problem is not on one line).
    #[error("{}", fmt_parse(path, *line, message))]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// An argument or an in-memory input is invalid (wrong length, bad option, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The objective returned NaN or ±∞ where a finite value was needed.
    #[error("non-finite value: {0}")]
    NonFinite(String),
    /// A numerical factorization or solve failed.
    #[error("numerical failure: {0}")]
    Numerical(String),
}

fn fmt_parse(path: &std::path::Path, line: usize, message: &str) -> String {
    if line == 0 {
        format!("{}: {message}", path.display())
    } else {
        format!("{}:{line}: {message}", path.display())
    }
}

impl Error {
    /// A parse error at `line` (1-based) of `path`.
    pub fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Error::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// An invalid argument.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }
}

/// `Result` with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
