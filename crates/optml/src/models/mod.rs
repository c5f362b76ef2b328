//! Models, each an [`Objective`](crate::Objective) with exact derivatives: generalized linear
//! models ([`glm`]), multilayer perceptrons ([`mlp`]) and the classical test functions
//! ([`testfns`], the Moré–Garbow–Hillstrom set among them), and log-time multiclass trees
//! ([`tree`]).

pub mod glm;
pub mod mlp;
pub mod testfns;
pub mod tree;
