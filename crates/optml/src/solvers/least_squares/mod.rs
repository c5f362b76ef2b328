//! Nonlinear least squares min f(x) = ‖r(x)‖² = Σᵢ rᵢ(x)², r: ℝⁿ → ℝᵐ, from Jacobian products:
//! Gauss–Newton with a line search, Levenberg–Marquardt, and Gauss–Newton in random subspaces.
//!
//! Reports count residual evaluations in `f_evals`, residual-and-Jacobian evaluations in
//! `g_evals`, and Jacobian products J·v and Jᵀ·u in `hv_products` (a dense Jacobian counts as n).

mod gauss_newton;
mod jacobian;
mod levenberg_marquardt;
mod residuals;
mod sketched;

pub use gauss_newton::GaussNewton;
pub use levenberg_marquardt::LevenbergMarquardt;
pub use residuals::{Residuals, SumOfSquares};
pub use sketched::{SketchedGaussNewton, SubspaceSketch};
