//! Data sets: LIBSVM/SVMlight, CSV and NumPy `.npy` readers and writers, and small seeded
//! [`synthetic`] sets.
//!
//! [`load`] reads any of them, by option or by file name; [`read_libsvm`], [`read_csv`] and
//! [`read_npy`] read one format each (their docs list what they accept), and
//! [`write_libsvm`] / [`write_npy`] write atomically. [`read_groups`] reads the feature groups
//! of a group-lasso penalty.
//!
//! Every reader checks what it reads before it allocates from it, and reports malformed input as
//! [`Error::Parse`](crate::Error::Parse) naming the file and the 1-based line (0 when the problem
//! is not on one line). No reader returns NaN or ±∞.

use std::path::{Path, PathBuf};

use crate::linalg::Design;

mod csv;
mod groups;
mod libsvm;
mod load;
mod matrix;
mod npy;
pub mod synthetic;
mod text;

pub use csv::{parse_csv, read_csv, CsvOptions, LabelColumn};
pub use groups::{parse_groups, read_groups};
pub use libsvm::{parse_libsvm, parse_libsvm_part, read_libsvm, write_libsvm, LibsvmOptions};
pub use load::{load, LoadOptions};
pub use matrix::{parse_matrix_csv, read_matrix};
pub use npy::{
    parse_npy, read_npy, read_npy_matrix, read_npy_part, read_npy_tensor3, read_npy_vector,
    split_label_column, write_npy, NpyOptions,
};

/// A supervised data set: features X (n × d) and one label per row.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub x: Design,
    /// Labels as read: ±1, 0/1, class ids or real targets.
    pub y: Vec<f64>,
    /// Where the data came from, for messages.
    pub source: Option<PathBuf>,
}

impl Dataset {
    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }
    /// A short name for messages: the file, or "in-memory data".
    pub fn name(&self) -> String {
        self.source
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "in-memory data".into())
    }
}

/// Which file format to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Libsvm,
    Csv,
    Npy,
}

impl Format {
    /// The format implied by a file name: `.csv`/`.tsv` → CSV, `.npy` → NumPy, anything else
    /// (`.svm`, `.libsvm`, `.txt`, ...) → LIBSVM.
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("csv") | Some("tsv") => Format::Csv,
            Some("npy") => Format::Npy,
            _ => Format::Libsvm,
        }
    }
}
