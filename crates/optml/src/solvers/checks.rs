//! Checks every solver shares: the starting point, and a direction that descends.

use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::objective::Objective;

/// The starting point has one finite entry per parameter.
pub(crate) fn check_dim(f: &impl Objective, x: &[f64]) -> Result<()> {
    if x.len() != f.dim() {
        return Err(Error::invalid(format!(
            "starting point has {} entries, the objective {}",
            x.len(),
            f.dim()
        )));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("starting point is not finite"));
    }
    Ok(())
}

/// The direction `s` and its slope ∇f·s when it descends; else −∇f (a safeguard for
/// non-convex curvature or a broken inner solve).
pub(crate) fn descent_or_steepest(s: Vec<f64>, g: &[f64]) -> (Vec<f64>, f64) {
    let slope = dot(g, &s);
    if slope < 0.0 {
        (s, slope)
    } else {
        (g.iter().map(|v| -v).collect(), -dot(g, g))
    }
}
