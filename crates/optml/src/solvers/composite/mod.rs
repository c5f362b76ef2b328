//! Composite problems f + h with a non-smooth regularizer h: proximal gradient, FISTA and
//! proximal Newton with coordinate-descent subproblems.

mod coordinate_model;
mod proximal_gradient;
mod proximal_newton;

pub use coordinate_model::{CoordinateCurvature, CoordinateModel, DenseModel};
pub use proximal_gradient::{Fista, ProximalGradient};
pub use proximal_newton::ProximalNewton;
