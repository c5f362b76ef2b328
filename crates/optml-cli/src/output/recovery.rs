//! What the recovery subcommands (`complete`, `rpca`, `phase`, `cp`, `dictionary`) print and
//! write: one line per iteration, the closing summary, and matrices as `.npy`.

use std::path::Path;

use faer::Mat;
use optml::monitor::{IterInfo, Monitor};
use optml::solvers::Report;

use crate::CliResult;

/// Prints `iter, residual, change, seconds` to stdout for each iteration, unless quiet.
pub struct IterLog {
    pub quiet: bool,
}

impl IterLog {
    /// Prints the column header (unless quiet) and returns the log.
    pub fn start(quiet: bool) -> IterLog {
        if !quiet {
            println!(
                "{:>5}  {:>14}  {:>10}  {:>8}",
                "iter", "residual", "change", "seconds"
            );
        }
        IterLog { quiet }
    }
}

impl Monitor for IterLog {
    fn observe(&mut self, i: &IterInfo) -> bool {
        if !self.quiet {
            println!(
                "{:>5}  {:>14.8e}  {:>10.3e}  {:>8.3}",
                i.iter, i.f, i.grad_norm, i.seconds
            );
        }
        true
    }
}

/// `solver: status after N iterations, residual r, t s`.
pub fn summary(report: &Report, seconds: f64) {
    println!(
        "{}: {} after {} iterations, residual {:.3e}, {:.3} s",
        report.solver, report.status, report.iterations, report.grad_norm, seconds
    );
}

/// Writes `m` as a C-order 2-D `.npy` array.
pub fn write_matrix(path: &Path, m: &Mat<f64>) -> CliResult {
    let values: Vec<f64> = (0..m.nrows())
        .flat_map(|i| (0..m.ncols()).map(move |j| m[(i, j)]))
        .collect();
    optml::data::write_npy(path, &[m.nrows(), m.ncols()], &values)?;
    Ok(())
}
