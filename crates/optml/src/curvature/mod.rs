//! Spectral tools on any Hessian operator: the extreme eigenpairs ([`Lanczos`], and PyHessian's
//! [`PowerIteration`] for comparison), the trace ([`hutchinson`], [`hutch_plus_plus`], [`krylov_trace`]), the
//! spectral density ([`Slq`]), the exact dense spectrum for small models ([`DenseSpectrum`]), and
//! [`RidgeRider`], which follows negative-curvature directions from a saddle to distinct minima.
//! [`Analysis`] runs the ones asked for in one call and returns a serializable [`Spectrum`].
//!
//! Everything takes a [`LinearOperator`] (a [`Curvature`](crate::Curvature) objective's
//! `hessian(x)`) and counts the products it asks for: on a model with millions of parameters a
//! product is a pass over the data, and the count is the cost.
//!
//! ```
//! use optml::curvature::{Lanczos, Which};
//! use optml::LinearOperator;
//!
//! struct Diag(Vec<f64>);
//! impl LinearOperator for Diag {
//!     fn dim(&self) -> usize { self.0.len() }
//!     fn apply(&self, v: &[f64], out: &mut [f64]) {
//!         for ((o, d), x) in out.iter_mut().zip(&self.0).zip(v) { *o = d * x; }
//!     }
//! }
//! let h = Diag((1..=100).map(|i| i as f64).collect());
//! let top = Lanczos { k: 3, which: Which::Largest, ..Default::default() }.run(&h)?;
//! assert!((top.values[0] - 100.0).abs() < 1e-8);
//! # Ok::<(), optml::Error>(())
//! ```

mod analysis;
mod dense;
mod density;
mod lanczos;
mod power_iteration;
mod ridge;
mod trace;

pub use analysis::{Analysis, ExactSpectrum, Spectrum, Timed, TraceMethod, TraceSpec};
pub use dense::DenseSpectrum;
pub use density::{Slq, SpectralDensity};
pub use lanczos::{gradient_start, Eigenpairs, Lanczos, Which};
pub use power_iteration::{PowerIteration, PowerReport};
pub use ridge::{path_string, Branch, Minimum, RidgeReport, RidgeRider};
pub use trace::{hutch_plus_plus, hutchinson, krylov_trace, TraceEstimate};

use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm};
use crate::objective::LinearOperator;

/// Applies `a` and checks that the product is finite, so no NaN leaves silently.
fn apply_checked<A: LinearOperator + ?Sized>(a: &A, v: &[f64], out: &mut [f64]) -> Result<()> {
    a.apply(v, out);
    if out.iter().all(|x| x.is_finite()) {
        Ok(())
    } else {
        Err(Error::NonFinite(
            "the operator returned a non-finite product".into(),
        ))
    }
}

/// Checks that the operator has at least one row.
fn check_operator<A: LinearOperator + ?Sized>(a: &A) -> Result<usize> {
    match a.dim() {
        0 => Err(Error::invalid("the operator has dimension 0")),
        n => Ok(n),
    }
}

/// Removes from `v` its components along the orthonormal `basis` (classical Gram–Schmidt done
/// twice, which keeps orthogonality to working precision) and returns the remaining norm.
fn orthogonalize(v: &mut [f64], basis: &[Vec<f64>]) -> f64 {
    for _ in 0..2 {
        for q in basis {
            let c = dot(q, v);
            axpy(-c, q, v);
        }
    }
    norm(v)
}

/// Scales `v` to unit length; false when it is (numerically) zero.
fn normalize(v: &mut [f64]) -> bool {
    let n = norm(v);
    if n > 0.0 && n.is_finite() {
        v.iter_mut().for_each(|x| *x /= n);
        true
    } else {
        false
    }
}
