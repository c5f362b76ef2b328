//! When a run stops: the time limit every iterating subcommand takes, and `train`'s gradient
//! test. The non-convex subcommands keep their own `--tol` and `--max-iter`, since what each
//! measures (and its default) differs; their `--help` says what.

use clap::Args as ClapArgs;
use optml::monitor::Deadline;
use optml::solvers::Stop;

use super::heading;
use super::parse::parse_seconds;
use crate::CliResult;

/// `--max-seconds`.
#[derive(ClapArgs, Debug)]
#[command(next_help_heading = heading::STOP)]
pub struct TimeLimit {
    /// Stop after this many seconds (the result so far is reported and written).
    #[arg(
        id = "max_seconds",
        long = "max-seconds",
        value_name = "MAX_SECONDS",
        value_parser = parse_seconds
    )]
    seconds: Option<f64>,
}

impl TimeLimit {
    /// The limit in seconds, ∞ for none.
    pub fn seconds(&self) -> f64 {
        self.seconds.unwrap_or(f64::INFINITY)
    }

    /// The stop rule from a tolerance, its kind and an iteration cap, with this time limit.
    pub fn stop(&self, tol: f64, relative: bool, max_iter: usize) -> Stop {
        Stop {
            tol,
            relative,
            max_iter,
            max_seconds: self.seconds(),
        }
    }

    /// The limit as a monitor, for methods whose options hold no [`Stop`].
    pub fn deadline(&self) -> Deadline {
        Deadline::after(self.seconds())
    }
}

/// `train`'s stop rule: the gradient test, the iteration budget and the time limit.
#[derive(ClapArgs, Debug)]
#[command(next_help_heading = heading::STOP)]
pub struct GradientStop {
    /// Stop when ‖∇f(w)‖ ≤ tol·‖∇f(w₀)‖ (or ≤ tol with --abs-tol); with --l1, ‖·‖ of the
    /// minimum-norm subgradient of f + penalty.
    #[arg(long, default_value_t = 1e-6)]
    pub tol: f64,
    /// Make --tol absolute.
    #[arg(long)]
    pub abs_tol: bool,
    /// Iteration budget.
    #[arg(long, default_value_t = 1000)]
    pub max_iter: usize,
    #[command(flatten)]
    pub time: TimeLimit,
}

impl GradientStop {
    /// The stop rule, checked ([`Stop::validate`]) before any data is read.
    pub fn stop(&self) -> CliResult<Stop> {
        let stop = self.time.stop(self.tol, !self.abs_tol, self.max_iter);
        stop.validate().map_err(|e| format!("--tol: {e}"))?;
        Ok(stop)
    }
}
