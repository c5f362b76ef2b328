//! # optml
//!
//! Second-order and non-convex optimization for machine learning: regularized GLMs fitted by
//! Newton-type methods on LIBSVM, CSV or `.npy` data, and solvers that work on any function.
//!
//! ## Map
//!
//! The crate is built in floors; each module uses only the floors below it, with one kind of
//! exception: a model may implement a capability trait a solver family defines
//! ([`solvers::CoordinateCurvature`] for proximal Newton's coordinate steps,
//! [`solvers::least_squares::Residuals`] for Gauss-Newton), so that the solver never names
//! the model.
//!
//! | floor | modules | what lives there |
//! |---|---|---|
//! | contracts | [`objective`], [`monitor`], [`Error`] | the traits every model meets ([`Objective`], [`Curvature`], [`FiniteSum`], [`SampledCurvature`], [`LinearOperator`]) and the way a run is watched |
//! | kernels | [`linalg`], [`data`] | design matrices and their products, faer-backed dense algebra, randomized sketches; LIBSVM/CSV/`.npy` readers |
//! | models | [`models`], [`prox`] | GLMs, MLPs and test functions with exact gradients and Hessian-vector products; log-time multiclass trees; non-smooth regularizers |
//! | methods | [`solvers`], [`curvature`], [`nonconvex`], [`games`] | minimizers of any [`Objective`]; spectral tools on any Hessian; recovery problems solved to the global optimum; equilibria of two-player games |
//! | policy | [`fit`] | data and a spec in, a trained model out: which solver, which scaling, which checks |
//!
//! ## Verbs
//!
//! One verb per kind of work, everywhere in the crate:
//!
//! * `minimize(f, x, monitor)` — a solver moves `x` in place to a minimizer of `f` and returns a
//!   [`Report`](solvers::Report) (every type in [`solvers`]).
//! * `fit(data, …)` — learns a model from data and returns it ([`fit::fit_glm`],
//!   [`fit::fit_mlp`], `CpAls::fit`, `Ksvd::fit`).
//! * `solve(measurements, monitor)` — recovers an unknown from measurements of it (matrix
//!   completion, robust PCA, phase retrieval, matrix sensing in [`nonconvex`]); where a method
//!   has a spectral start, `initialize` gives it and `refine` continues from given factors.
//! * `play(game, x, y, watch)` — a game method moves both players in place toward an
//!   equilibrium and returns a [`GameReport`](games::GameReport) ([`games`]).
//! * `run(operator, …)` — an iterative estimate of a spectrum or decomposition (Lanczos, power
//!   iteration, spectral density, randomized SVD, the tensor power method, ridge riding).
//! * `of(…)` — a quantity computed in closed form (a dense spectrum, a sample size).
//! * `read_*`/`parse_*`/`load`, `write_*`, `save` — files and bytes in and out ([`data`], model
//!   files).
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
pub mod games;
pub mod limits;
pub mod linalg;
pub mod models;
pub mod monitor;
pub mod nonconvex;
pub mod objective;
pub mod prox;
pub mod solvers;

pub use atomic::{write_atomic, write_json_atomic};
pub use error::{Error, Result};
pub use objective::{
    Curvature, FiniteSum, FnObjective, LinearOperator, Objective, SampledCurvature,
};

/// Sets the number of threads of rayon's global pool, the one every parallel kernel uses outside
/// [`with_threads`]. Call it once, before any work; later calls fail. Without it, rayon uses one
/// thread per core.
pub fn set_threads(threads: usize) -> Result<()> {
    check_threads(threads)?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .map_err(|e| Error::invalid(format!("cannot set the thread count: {e}")))
}

/// Runs `work` on a fresh pool of `threads` threads (0: one per core), for one call: a Python
/// `n_jobs`, one thread per MPI rank, or two fits side by side with their own pools.
///
/// **The threading rule.** Every parallel kernel of the library runs on the pool of the thread
/// that calls it: rayon's global pool (sized by [`set_threads`]) at top level, the installed pool
/// inside [`with_threads`] or any [`rayon::ThreadPool::install`]. Work is split into blocks
/// fixed by the problem's shape, never by the thread count, and partial sums are added in block
/// order, so a result has the same bits in a pool of any size.
///
/// ```
/// let sum = optml::with_threads(2, || {
///     assert_eq!(rayon::current_num_threads(), 2);
///     optml::linalg::dot(&[1.0, 2.0], &[3.0, 4.0])
/// })?;
/// assert_eq!(sum, 11.0);
/// # Ok::<(), optml::Error>(())
/// ```
pub fn with_threads<R: Send>(threads: usize, work: impl FnOnce() -> R + Send) -> Result<R> {
    check_threads(threads)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::invalid(format!("cannot build a pool of {threads} threads: {e}")))?;
    Ok(pool.install(work))
}

/// The most threads [`set_threads`] and [`with_threads`] accept: 4 per core, and at least 16.
/// More only add switching and memory (a pool of thousands turns a fast fit into a slow one).
pub fn max_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .saturating_mul(4)
        .max(16)
}

/// Refuses a thread count of 0 or above [`max_threads`].
fn check_threads(threads: usize) -> Result<()> {
    let max = max_threads();
    if threads == 0 || threads > max {
        return Err(Error::invalid(format!(
            "{threads} threads: give 1 to {max} (4 per core of this machine, at least 16)"
        )));
    }
    Ok(())
}
