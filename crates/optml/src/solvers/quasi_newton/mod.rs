//! Quasi-Newton methods: L-BFGS, dense BFGS and randomized BFGS, with their inverse-Hessian
//! estimate and diagonal scaling.

mod bfgs;
mod inverse_estimate;
mod lbfgs;
mod rbfgs;
mod scale;

pub use bfgs::Bfgs;
pub use inverse_estimate::InverseEstimate;
pub use lbfgs::Lbfgs;
pub use rbfgs::{Rbfgs, Sketch};
pub(crate) use scale::inverse_diagonal;
