//! Solvers, one folder per family. Each is a struct of options with `Default` and one method,
//! `minimize`, that moves `x` in place and returns a [`Report`]: the smooth ones take any
//! [`Objective`](crate::objective::Objective) (first order) or
//! [`Curvature`](crate::objective::Curvature) (second order), the composite ones also a
//! regularizer h, the least-squares ones a [`Residuals`](least_squares::Residuals) function.
//! [`Method`] names the smooth ones for the command line and [`fit_glm`](crate::fit::fit_glm).
//!
//! | family | solvers |
//! |---|---|
//! | Newton | [`Newton`], [`NewtonCg`], [`TrustRegion`], [`NewtonPath`], [`SubsampledNewton`] |
//! | quasi-Newton | [`Lbfgs`], [`Bfgs`], [`Rbfgs`] |
//! | first order | [`GradientDescent`], [`Nesterov`], [`NonlinearCg`] |
//! | saddle points | [`AdaptiveCubic`], [`NegativeCurvatureNewton`], [`PerturbedGd`] |
//! | composite f + h | [`ProximalGradient`], [`Fista`], [`ProximalNewton`] |
//! | dual coordinate descent | [`DualCoordinateDescent`] on a [`dual::DualLinear`] (ridge-regularized linear classifiers) |
//! | majorization | [`BoundMajorization`] on a [`QuadraticBound`] |
//! | least squares | [`least_squares`]: Gauss–Newton, Levenberg–Marquardt, sketched Gauss–Newton |
//! | stochastic | [`stochastic`]: mini-batch training of any finite sum (SGD, momentum, Adam, NovoGrad, EG, SALSA, …) |
//! | second order on mini-batches | [`second_order`]: K-FAC, Shampoo, Hessian-free for layered models ([`second_order::Layered`]) |
//!
//! [`line_search`] holds the Armijo and strong-Wolfe searches they share; [`Stop`] says when a
//! run ends and [`Report`] what it did.

mod checks;
mod composite;
pub mod dual;
mod first_order;
mod inner;
pub mod least_squares;
pub mod line_search;
mod majorization;
mod method;
mod newton;
mod quasi_newton;
mod report;
mod saddle;
pub mod second_order;
pub mod stochastic;
mod stop;

pub use composite::{
    CoordinateCurvature, CoordinateModel, DenseModel, Fista, ProximalGradient, ProximalNewton,
};
pub use dual::DualCoordinateDescent;
pub use first_order::{Beta, GradientDescent, Nesterov, NonlinearCg, Restart, TrialStep};
pub use majorization::{BoundKind, BoundMajorization, QuadraticBound};
pub use method::Method;
pub use newton::{
    Newton, NewtonCg, NewtonPath, Proximal, SampleSize, Shifted, SubsampledNewton, TrustRegion,
};
pub(crate) use quasi_newton::inverse_diagonal;
pub use quasi_newton::{Bfgs, InverseEstimate, Lbfgs, Rbfgs, Sketch};
pub use report::{Report, Status};
pub use saddle::{AdaptiveCubic, NegativeCurvatureNewton, PerturbedGd, PgdConstants};
pub(crate) use stop::Run;
pub use stop::Stop;
