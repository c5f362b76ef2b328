//! Fitting models end to end: data and a spec in, a trained model and the solver's report out.

mod glm;
mod mlp;

pub use glm::{fit_glm, Choice};
pub use mlp::{fit_mlp, mlp_method};
