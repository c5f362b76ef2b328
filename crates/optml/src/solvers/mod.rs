//! Solvers for smooth problems. Each is a struct of options with `Default` and one method,
//! `minimize(&self, f, x, monitor) -> Result<Report>`, that works on any
//! [`Objective`](crate::objective::Objective) (first order) or
//! [`Curvature`](crate::objective::Curvature) (second order), not only on GLMs.

mod checks;
mod composite;
mod first_order;
mod inner;
pub mod least_squares;
pub mod line_search;
mod method;
mod newton;
mod quasi_newton;
mod report;
mod saddle;
mod stop;

pub use composite::{
    CoordinateCurvature, CoordinateModel, DenseModel, Fista, ProximalGradient, ProximalNewton,
};
pub use first_order::{Beta, GradientDescent, Nesterov, NonlinearCg, Restart};
pub use method::Method;
pub use newton::{
    Newton, NewtonCg, NewtonPath, Proximal, SampleSize, Shifted, SubsampledNewton, TrustRegion,
};
pub(crate) use quasi_newton::inverse_diagonal;
pub use quasi_newton::{Bfgs, InverseEstimate, Lbfgs, Rbfgs, Sketch};
pub use report::{Report, Status};
pub use saddle::{AdaptiveCubic, NegativeCurvatureNewton, PerturbedGd, PgdConstants};
pub use stop::Stop;
