//! Methods that leave saddle points: adaptive cubic regularization, Newton-CG with
//! negative-curvature steps, and perturbed gradient descent.

mod arc;
mod negative_curvature;
mod pgd;
mod second_order;

pub use arc::AdaptiveCubic;
pub use negative_curvature::NegativeCurvatureNewton;
pub use pgd::{PerturbedGd, PgdConstants};
