//! What the non-convex subcommands (`complete`, `rpca`, `phase`, `cp`, `dictionary`) share:
//! their run flags and sizes such as `30x40x50`. Each subcommand keeps its own `--max-iter` and
//! `--tol`, whose meaning (and default) its `--help` states.

use clap::Args as ClapArgs;
use optml::monitor::Deadline;
use optml::solvers::Stop;

/// The flags every non-convex subcommand takes.
#[derive(ClapArgs, Debug)]
pub struct RunFlags {
    /// Seeds every random choice (the planted instance, random starts and sketches): the same
    /// seed gives the same result.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Stop after this many seconds (the result so far is reported and written).
    #[arg(long, value_parser = parse_seconds)]
    pub max_seconds: Option<f64>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print only errors and the summary.
    #[arg(long, short)]
    pub quiet: bool,
}

impl RunFlags {
    /// The stop rule from a subcommand's tolerance and iteration cap and the run's time limit.
    pub fn stop(&self, tol: f64, relative: bool, max_iter: usize) -> Stop {
        Stop {
            tol,
            relative,
            max_iter,
            max_seconds: self.seconds(),
        }
    }

    /// The time limit as a monitor, for methods whose options hold no [`Stop`].
    pub fn deadline(&self) -> Deadline {
        Deadline::after(self.seconds())
    }

    fn seconds(&self) -> f64 {
        self.max_seconds.unwrap_or(f64::INFINITY)
    }
}

/// A positive, finite number of seconds.
pub fn parse_seconds(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .ok_or_else(|| format!("'{text}' is not a positive number of seconds"))
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
