//! First-order baselines: gradient descent with a (non-monotone) line search, Nesterov's
//! accelerated gradient with adaptive restart, and nonlinear conjugate gradients.

mod gradient_descent;
mod nesterov;
mod nonlinear_cg;
#[cfg(test)]
mod tests;

pub use gradient_descent::{GradientDescent, TrialStep};
pub use nesterov::{Nesterov, Restart};
pub use nonlinear_cg::{Beta, NonlinearCg};
