//! The flag groups of the command line, each declared once and flattened into every subcommand
//! that takes it: how to read a data file, an MLP's architecture, a non-smooth penalty, a model
//! file, and the run flags of the non-convex subcommands.

mod data;
mod mlp;
mod model;
mod penalty;
mod run;

pub use data::DataArgs;
pub use mlp::{read_params, write_params, MlpArgs};
pub use model::{load_model, ModelFile};
pub use penalty::PenaltyArgs;
pub use run::{parse_dims, RunFlags};
