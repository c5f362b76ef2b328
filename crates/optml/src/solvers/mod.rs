//! Solvers for smooth problems. Each is a struct of options with `Default` and one method,
//! `minimize(&self, f, x, monitor) -> Result<Report>`, that works on any [`Objective`] (first
//! order) or [`Curvature`] (second order), not only on GLMs.

mod cg;
mod lbfgs;
pub mod linesearch;
mod newton;
mod newton_cg;
mod newton_path;
mod report;
mod stop;
mod trust_region;

pub use lbfgs::Lbfgs;
pub use newton::Newton;
pub use newton_cg::NewtonCg;
pub use newton_path::{NewtonPath, Proximal, Shifted};
pub use report::{Report, Status};
pub use stop::Stop;
pub use trust_region::TrustRegion;

use crate::error::{Error, Result};
use crate::monitor::Monitor;
use crate::objective::{Curvature, Objective};

fn check_dim(f: &impl Objective, x: &[f64]) -> Result<()> {
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
fn descent_or_steepest(s: Vec<f64>, g: &[f64]) -> (Vec<f64>, f64) {
    let slope = crate::linalg::dot(g, &s);
    if slope < 0.0 {
        (s, slope)
    } else {
        (g.iter().map(|v| -v).collect(), -crate::linalg::dot(g, g))
    }
}

/// The solvers a user picks by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Line-search Newton-CG with a diagonal preconditioner (LIBLINEAR's method).
    NewtonCg,
    /// Trust-region Newton-CG (Steihaug).
    TrustRegion,
    /// Newton with a dense Cholesky solve.
    Newton,
    /// L-BFGS with a strong-Wolfe line search.
    Lbfgs,
    /// The Marteau-Ferey–Bach–Rudi regularization path, then Newton-CG.
    NewtonPath,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::NewtonCg,
        Method::TrustRegion,
        Method::Newton,
        Method::Lbfgs,
        Method::NewtonPath,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::NewtonCg => "newton-cg",
            Method::TrustRegion => "trust-region",
            Method::Newton => "newton",
            Method::Lbfgs => "lbfgs",
            Method::NewtonPath => "newton-path",
        }
    }

    /// The method `auto` picks for a linear model with `n` samples, `params` parameters and
    /// `nnz` stored feature values. A direct solve pays n·p² once per iteration to form the
    /// Hessian and p³/3 to factor it, against ~10–100 passes of n·p (or nnz) for CG: it wins
    /// when p is small and the data dense (see bench/glm for the measurements).
    pub fn auto(n: usize, params: usize, nnz: usize, outputs: usize) -> Method {
        let p = params as f64;
        let form = if outputs == 1 {
            n as f64 * p * p
        } else {
            f64::INFINITY
        };
        let cg_passes = 60.0 * nnz.max(1) as f64 * outputs as f64;
        if params <= 2000 && form + p * p * p / 3.0 <= 4.0 * cg_passes {
            Method::Newton
        } else {
            Method::NewtonCg
        }
    }

    /// Runs the method with its default options and the given stop rule.
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        self,
        stop: Stop,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        match self {
            Method::NewtonCg => NewtonCg {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::TrustRegion => TrustRegion {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Newton => Newton {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Lbfgs => Lbfgs {
                stop,
                diagonal: inverse_diagonal(f, x),
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::NewtonPath => NewtonPath {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
        }
    }
}

/// 1/diag(∇²f(x)) where the Hessian offers a positive diagonal.
fn inverse_diagonal<F: Curvature>(f: &F, x: &[f64]) -> Option<Vec<f64>> {
    use crate::objective::LinearOperator;
    let diag = f.hessian(x).diagonal()?;
    let floor = diag.iter().copied().fold(0.0, f64::max) * 1e-12;
    (floor > 0.0).then(|| diag.iter().map(|&d| 1.0 / d.max(floor)).collect())
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
                Error::invalid(format!(
                    "unknown solver '{s}' (expected auto or one of: {})",
                    names.join(", ")
                ))
            })
    }
}
