//! Everything the subcommands print and write besides their results: the live progress line,
//! per-iteration logs, reports, traces and plots. Subcommands share these and nothing else.

pub mod plot;
pub mod progress;
mod recovery;
mod training;

pub use recovery::{summary, write_matrix, IterLog};
pub use training::{finish, print_report, RunOutputs};
