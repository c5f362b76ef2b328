//! Everything the subcommands print and write besides their results: the live progress line,
//! per-iteration logs, reports, traces and plots. Subcommands share these and the flag groups of
//! [`crate::args`]; no subcommand imports another.

mod curves;
pub mod plot;
pub mod progress;
mod recovery;
pub mod stdout;
mod training;

pub use curves::learning_curves;
pub use recovery::{summary, write_matrix, IterLog};
pub use training::{finish, print_report, RunOutputs};
