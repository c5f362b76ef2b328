//! Solvers for smooth problems. Each is a struct of options with `Default` and one method,
//! `minimize(&self, f, x, monitor) -> Result<Report>`, that works on any [`Objective`](crate::objective::Objective)
//! (first order) or [`Curvature`](crate::objective::Curvature) (second order), not only on GLMs.

mod arc;
mod bfgs;
mod cg;
mod checks;
mod coordinate_model;
mod first_order;
mod inverse_estimate;
mod krylov;
mod lbfgs;
pub mod least_squares;
pub mod linesearch;
mod method;
mod negative_curvature;
mod newton;
mod newton_cg;
mod newton_path;
mod pgd;
mod proximal_gradient;
mod proximal_newton;
mod rbfgs;
mod report;
mod scale;
mod stop;
mod subsampled_newton;
mod trust_region;

pub use arc::Arc;
pub use bfgs::Bfgs;
pub use coordinate_model::{Columns, CoordinateModel, DenseModel, GlmColumnModel};
pub use first_order::{Beta, GradientDescent, Nesterov, NonlinearCg, Restart};
pub use inverse_estimate::InverseEstimate;
pub use lbfgs::Lbfgs;
pub use method::Method;
pub use negative_curvature::NegativeCurvatureNewton;
pub use newton::Newton;
pub use newton_cg::NewtonCg;
pub use newton_path::{NewtonPath, Proximal, Shifted};
pub use pgd::{PerturbedGd, PgdConstants};
pub use proximal_gradient::{Fista, ProximalGradient};
pub use proximal_newton::ProximalNewton;
pub use rbfgs::{Rbfgs, Sketch};
pub use report::{Report, Status};
pub(crate) use scale::inverse_diagonal;
pub use stop::Stop;
pub use subsampled_newton::{SampleSize, SubsampledNewton};
pub use trust_region::TrustRegion;
