//! The flags that say how to read a data file, shared by `train`, `predict` and `hessian`.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use optml::data::{load, Dataset, Format, LabelColumn, LoadOptions};

use super::heading;
use crate::CliResult;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    Libsvm,
    Csv,
    Npy,
}

#[derive(Args, Debug)]
#[command(next_help_heading = heading::DATA)]
pub struct DataArgs {
    /// Data file: LIBSVM/SVMlight (.svm, .txt, ...), CSV/TSV (.csv, .tsv) or NumPy (.npy).
    #[arg(help_heading = None)]
    pub data: PathBuf,
    /// File format, when the extension does not say it.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Label column of CSV or .npy data: first, last, a 0-based index, or a header name.
    #[arg(long, default_value = "last")]
    pub label_column: String,
    /// Labels of .npy data in a separate .npy file.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// The CSV file has a header line (default: detected).
    #[arg(long, conflicts_with = "no_header")]
    pub header: bool,
    /// The CSV file has no header line.
    #[arg(long)]
    pub no_header: bool,
}

impl DataArgs {
    fn options(&self, n_features: Option<usize>) -> CliResult<LoadOptions> {
        let label = match self.label_column.as_str() {
            "first" => LabelColumn::First,
            "last" => LabelColumn::Last,
            s => match s.parse::<usize>() {
                Ok(i) => LabelColumn::Index(i),
                Err(_) => LabelColumn::Name(s.to_string()),
            },
        };
        Ok(LoadOptions {
            format: self.format.map(|f| match f {
                FormatArg::Libsvm => Format::Libsvm,
                FormatArg::Csv => Format::Csv,
                FormatArg::Npy => Format::Npy,
            }),
            label,
            header: match (self.header, self.no_header) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            delimiter: None,
            labels: self.labels.clone(),
            n_features,
        })
    }

    /// Loads the data and says on stderr what was read and how long it took.
    pub fn load(&self, quiet: bool) -> CliResult<Dataset> {
        self.load_with(quiet, None)
    }

    /// Loads data to score with a model of `n_features`: a LIBSVM file names its features, so
    /// one whose last features are all zero is read at the model's width (and stored dense when
    /// it is dense at that width); other formats must match the model themselves.
    pub fn load_for_model(&self, quiet: bool, n_features: usize) -> CliResult<Dataset> {
        let opts = self.options(None)?;
        let format = opts.format.unwrap_or_else(|| Format::from_path(&self.data));
        self.load_with(quiet, (format == Format::Libsvm).then_some(n_features))
            .map_err(|e| format!("{e} (the model has {n_features} features)").into())
    }

    fn load_with(&self, quiet: bool, n_features: Option<usize>) -> CliResult<Dataset> {
        let start = Instant::now();
        let data = load(&self.data, &self.options(n_features)?)?;
        if !quiet {
            eprintln!(
                "loaded {}: {} samples × {} features, {} stored values ({}) in {:.3} s",
                self.data.display(),
                data.n_samples(),
                data.n_features(),
                data.x.nnz(),
                if data.x.is_sparse() {
                    "sparse"
                } else {
                    "dense"
                },
                start.elapsed().as_secs_f64()
            );
        }
        Ok(data)
    }
}
