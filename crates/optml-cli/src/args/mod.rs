//! The flag groups of the command line, each declared once and flattened into every subcommand
//! that takes it: how to read a data file, an MLP's architecture, a non-smooth penalty, a model
//! file, when to stop, and the run flags (`--seed`, `--threads`, `--quiet`). `--help` lists
//! them under the [`heading`]s.

mod data;
pub mod heading;
mod mlp;
mod model;
mod parse;
mod penalty;
mod run;
mod stop;

pub use data::DataArgs;
pub use mlp::{read_params, write_params, MlpArgs};
pub use model::{load_model, ModelFile};
pub use parse::parse_dims;
pub use penalty::PenaltyArgs;
pub use run::{Quiet, RunFlags, Seed, Threads};
pub use stop::{GradientStop, TimeLimit};
