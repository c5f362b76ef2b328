//! The run flags `--seed`, `--threads` and `--quiet`, each declared once here and flattened into
//! every subcommand that takes it. Where a subcommand's seed drives one particular thing, its
//! `--help` says which (`#[command(mut_arg("seed", …))]` on the subcommand).

use clap::Args as ClapArgs;

use super::heading;
use super::parse::parse_threads;
use super::stop::TimeLimit;
use crate::CliResult;

/// `--seed`.
#[derive(ClapArgs, Debug)]
#[command(next_help_heading = heading::RUN)]
pub struct Seed {
    /// Seeds every random choice of the run: the same seed gives the same result.
    #[arg(id = "seed", long = "seed", value_name = "SEED", default_value_t = 0)]
    pub value: u64,
}

/// `--threads`.
#[derive(ClapArgs, Debug)]
#[command(next_help_heading = heading::RUN)]
pub struct Threads {
    /// Worker threads (default: one per core).
    #[arg(id = "threads", long = "threads", value_name = "THREADS", value_parser = parse_threads)]
    count: Option<usize>,
}

impl Threads {
    /// Sizes the worker pool, once, before any parallel work.
    pub fn apply(&self) -> CliResult {
        if let Some(t) = self.count {
            optml::set_threads(t)?;
        }
        Ok(())
    }
}

/// `-q, --quiet`.
#[derive(ClapArgs, Debug)]
#[command(next_help_heading = heading::RUN)]
pub struct Quiet {
    /// Print only errors.
    #[arg(id = "quiet", long = "quiet", short = 'q')]
    pub on: bool,
}

/// The flags every non-convex subcommand (`complete`, `rpca`, `phase`, `cp`, `dictionary`)
/// takes; its `--tol` and `--max-iter` are its own, since what they measure differs.
#[derive(ClapArgs, Debug)]
#[command(mut_arg("seed", |a| a.help(
    "Seeds every random choice (the planted instance, random starts and sketches): the same \
     seed gives the same result"
)))]
#[command(mut_arg("quiet", |a| a.help("Print only errors and the summary")))]
pub struct RunFlags {
    #[command(flatten)]
    pub seed: Seed,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub quiet: Quiet,
    #[command(flatten)]
    pub time: TimeLimit,
}
