//! What the decomposition subcommands share: their common flags, one printed line per
//! iteration (beside the live [`Progress`](crate::progress::Progress) line), and sizes such as
//! `30x40x50`.

use clap::Args as ClapArgs;
use optml::monitor::{IterInfo, Monitor};

/// The flags every decomposition subcommand takes.
#[derive(ClapArgs, Debug)]
pub struct RunFlags {
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print only errors and the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

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

/// Parses sizes written as `30x40x50` (or with commas), each at least 1 and with a product
/// that fits in memory terms (≤ 2³¹ elements).
pub fn parse_dims<const N: usize>(text: &str) -> Result<[usize; N], String> {
    let parts: Vec<&str> = text.split(['x', 'X', ',']).collect();
    if parts.len() != N {
        return Err(format!("expected {N} sizes like 30x40x50, got '{text}'"));
    }
    let mut dims = [0usize; N];
    for (d, p) in dims.iter_mut().zip(&parts) {
        *d = p
            .trim()
            .parse()
            .ok()
            .filter(|&v| v >= 1)
            .ok_or_else(|| format!("'{p}' in '{text}' is not a positive size"))?;
    }
    dims.iter()
        .try_fold(1usize, |a, &b| a.checked_mul(b))
        .filter(|&n| n <= 1 << 31)
        .ok_or_else(|| format!("sizes '{text}' are too large"))?;
    Ok(dims)
}
