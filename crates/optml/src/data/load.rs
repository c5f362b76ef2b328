//! [`load`]: one entry point for every format, chosen by option or by file name.

use std::path::{Path, PathBuf};

use super::csv::{read_csv, CsvOptions, LabelColumn};
use super::libsvm::{read_libsvm, LibsvmOptions};
use super::npy::{read_npy, NpyOptions};
use super::{Dataset, Format};
use crate::error::{Error, Result};

/// Options of [`load`]; each format uses the fields that concern it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The format; `None`: from the file name ([`Format::from_path`]).
    pub format: Option<Format>,
    /// The label column (CSV, and `.npy` without a labels file).
    pub label: LabelColumn,
    /// Whether a CSV file has a header line; `None`: detected.
    pub header: Option<bool>,
    /// The CSV delimiter; `None`: detected.
    pub delimiter: Option<u8>,
    /// A separate `.npy` file of labels (`.npy` only).
    pub labels: Option<PathBuf>,
    /// The number of features: the data set is widened to it (with zero features), and reading
    /// fails if the file has more.
    pub n_features: Option<usize>,
}

/// Reads a data set in the format `opts.format` names, or else the one its file name implies
/// (`.csv`/`.tsv`, `.npy`, anything else LIBSVM).
///
/// ```
/// use optml::data::{load, LabelColumn, LoadOptions};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("toy.csv");
/// std::fs::write(&path, "x1,x2,y\n0.5,1,1\n-1,0.25,0\n2,-1,1\n").unwrap();
/// let opts = LoadOptions { label: LabelColumn::Last, ..Default::default() };
/// let data = load(&path, &opts)?;
/// assert_eq!((data.n_samples(), data.n_features()), (3, 2));
/// assert_eq!(data.y, [1.0, 0.0, 1.0]);
/// # Ok::<(), optml::Error>(())
/// ```
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Dataset> {
    let format = opts.format.unwrap_or_else(|| Format::from_path(path));
    if opts.labels.is_some() && format != Format::Npy {
        return Err(Error::invalid(format!(
            "{}: a separate labels file is supported for .npy data only",
            path.display()
        )));
    }
    let mut data = match format {
        // A LIBSVM file may hold a dense matrix: it is stored by its density, once widened to
        // `n_features`.
        Format::Libsvm => {
            let mut data = read_libsvm(
                path,
                &LibsvmOptions {
                    n_features: opts.n_features,
                },
            )?;
            data.x = data.x.stored_by_density();
            return Ok(data);
        }
        Format::Csv => read_csv(
            path,
            &CsvOptions {
                label: opts.label.clone(),
                header: opts.header,
                delimiter: opts.delimiter,
            },
        )?,
        Format::Npy => read_npy(
            path,
            &NpyOptions {
                labels: opts.labels.clone(),
                label: opts.label.clone(),
            },
        )?,
    };
    if let Some(n) = opts.n_features {
        if n < data.n_features() {
            return Err(Error::parse(
                path,
                0,
                format!(
                    "the file has {} features, more than n_features = {n}",
                    data.n_features()
                ),
            ));
        }
        data.x.set_ncols(n)?;
    }
    Ok(data)
}
