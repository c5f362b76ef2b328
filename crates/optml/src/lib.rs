//! # optml
//!
//! Second-order and non-convex optimization for machine learning: regularized GLMs fitted by
//! Newton-type methods on LIBSVM, CSV or `.npy` data, and solvers that work on any function.
//!
//! ```
//! use optml::data::parse_libsvm;
//! use optml::models::glm::{GlmSpec, Loss, Ridge};
//! use optml::solvers::{NewtonCg, Stop};
//!
//! let data = parse_libsvm(
//!     b"1 1:0.5 2:1\n-1 1:-1 3:0.2\n1 2:0.7\n-1 1:-0.3 3:1\n",
//!     "toy.svm".as_ref(),
//!     &Default::default(),
//! )?;
//! let spec = GlmSpec { loss: Loss::Logistic, ridge: Ridge::C(1.0), ..Default::default() };
//! let (f, _classes) = spec.objective(&data)?;
//! let mut w = vec![0.0; 3];
//! let solver = NewtonCg { stop: Stop::relative(1e-10), ..Default::default() };
//! let report = solver.minimize(&f, &mut w, &mut optml::monitor::quiet())?;
//! assert!(report.status.converged());
//! # Ok::<(), optml::Error>(())
//! ```

mod atomic;
pub mod curvature;
pub mod data;
mod error;
pub mod fit;
pub mod linalg;
pub mod models;
pub mod monitor;
pub mod nonconvex;
pub mod objective;
pub mod prox;
pub mod solvers;

pub use atomic::write_atomic;
pub use error::{Error, Result};
pub use objective::{
    Curvature, FiniteSum, FnObjective, LinearOperator, Objective, SampledCurvature,
};

/// Sets the number of threads every parallel kernel uses (rayon's global pool). Call it once,
/// before any work; later calls fail. Without it, rayon uses one thread per core.
pub fn set_threads(threads: usize) -> Result<()> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| Error::invalid(format!("cannot set the thread count: {e}")))
}
