//! Classic test functions with known minima, for testing and comparing solvers.
//!
//! [`Mgh`] is the unconstrained set of Moré, Garbow & Hillstrom (1981), "Testing unconstrained
//! optimization software", ACM TOMS 7(1), 17–41: 35 nonlinear least-squares problems
//! f(x) = Σᵢ rᵢ(x)², each with its standard starting point and published minimum, and with an
//! exact gradient and Hessian. [`RankOneFactorization`] is a landscape with a strict saddle, for
//! the methods that escape saddles.
//!
//! ```
//! use optml::models::testfns::Mgh;
//! use optml::Objective;
//!
//! for f in Mgh::all() {
//!     let x0 = f.start();
//!     assert_eq!(x0.len(), f.dim());
//!     assert!(f.value(&x0) >= f.known_minimum().unwrap());
//! }
//! ```

mod fixed;
mod mgh;
mod problems;
mod saddle;
mod scalar;
mod variable;

pub use mgh::{DenseHessian, Mgh};
pub use problems::MghProblem;
pub use saddle::{RankOneFactorization, RankOneHessian};
