//! The diagonal scaling of quasi-Newton methods: a checked user diagonal, the initial scale γ,
//! and the inverse Hessian diagonal a model offers.

use crate::error::{Error, Result};
use crate::objective::{Curvature, LinearOperator};

/// A quasi-Newton solver's diagonal initial matrix, checked: one positive finite entry per
/// parameter.
pub(crate) fn checked_diagonal<'d>(
    d: Option<&'d [f64]>,
    n: usize,
    solver: &str,
) -> Result<Option<&'d [f64]>> {
    match d {
        Some(d) if d.len() != n || d.iter().any(|v| !(v.is_finite() && *v > 0.0)) => {
            Err(Error::invalid(format!(
                "the {solver} diagonal must have one positive entry per parameter ({n})"
            )))
        }
        _ => Ok(d),
    }
}

/// γ = sᵀy / yᵀDy (D = I without a diagonal), the scale of a quasi-Newton method's initial
/// matrix H₀ = γ·D (Nocedal & Wright 2006, eq. 6.20); `None` where it is not positive and finite.
pub(crate) fn initial_scale(s: &[f64], y: &[f64], d: Option<&[f64]>) -> Option<f64> {
    let ydy: f64 = match d {
        Some(d) => y.iter().zip(d).map(|(yi, di)| yi * yi * di).sum(),
        None => crate::linalg::dot(y, y),
    };
    let gamma = crate::linalg::dot(s, y) / ydy;
    (gamma.is_finite() && gamma > 0.0).then_some(gamma)
}

/// 1/diag(∇²f(x)) where the Hessian offers a diagonal with every entry positive (and finite);
/// `None` otherwise, since a non-positive entry (a non-convex point) says nothing about scale.
pub(crate) fn inverse_diagonal<F: Curvature>(f: &F, x: &[f64]) -> Option<Vec<f64>> {
    let diag = f.hessian(x).diagonal()?;
    diag.iter()
        .all(|d| d.is_finite() && *d > 0.0)
        .then(|| diag.iter().map(|&d| 1.0 / d).collect())
}
