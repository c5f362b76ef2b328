//! Fitting models end to end: data and a spec in, a trained model and the solver's report out.
//!
//! [`fit_glm`] fits a GLM with a ridge, a non-smooth penalty, both or neither; [`fit_mlp`] a
//! multilayer perceptron, on its Gauss-Newton matrix where a method needs a positive one, and
//! [`fit_mlp_stochastic`] one by mini-batches; [`Choice`] names the solver of either;
//! [`fit_tree`] an online multiclass tree (LOMtree) or its one-against-all baseline.

mod composite;
mod glm;
mod mlp;
mod tree;

pub use composite::CompositeMethod;
pub use glm::{fit_glm, Choice};
pub use mlp::{fit_mlp, fit_mlp_second_order, fit_mlp_stochastic};
pub use tree::{default_leaf_classes, fit_tree, TreeKind, TreeReport, TreeSpec, MAX_PASSES};
