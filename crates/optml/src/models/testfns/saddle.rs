//! A landscape with a strict saddle: rank-one symmetric matrix factorization.

use crate::error::{Error, Result};
use crate::linalg::{dot, norm};
use crate::objective::{Curvature, LinearOperator, Objective};

/// f(x) = ¼‖xxᵀ − uuᵀ‖²_F = ¼(‖x‖⁴ − 2(uᵀx)² + ‖u‖⁴), with ∇f = ‖x‖²x − (uᵀx)u and
/// ∇²f = ‖x‖²I + 2xxᵀ − uuᵀ. Its minima are x = ±u (f = 0), and x = 0 is a strict saddle
/// (∇f = 0, λ_min = −‖u‖²) where gradient descent started exactly there stays forever; every
/// local minimum is global (Ge, Jin & Zheng 2017, "No spurious local minima in nonconvex low rank
/// problems").
#[derive(Clone, Debug, PartialEq)]
pub struct RankOneFactorization {
    u: Vec<f64>,
}

impl RankOneFactorization {
    /// The problem with target uuᵀ; `u` must be non-empty, finite and non-zero.
    pub fn new(u: Vec<f64>) -> Result<Self> {
        if u.is_empty() || u.iter().any(|v| !v.is_finite()) || norm(&u) == 0.0 {
            return Err(Error::invalid(
                "rank-one factorization: u must be finite and non-zero",
            ));
        }
        Ok(RankOneFactorization { u })
    }

    pub fn u(&self) -> &[f64] {
        &self.u
    }

    /// (ℓ, ρ): bounds on ‖∇²f‖ and on the Lipschitz constant of ∇²f over the ball ‖x‖ ≤ R:
    /// ‖∇²f‖ ≤ 3R² + ‖u‖², and ‖∇²f(x) − ∇²f(y)‖ ≤ 6R·‖x − y‖.
    pub fn smoothness(&self, radius: f64) -> (f64, f64) {
        let uu = dot(&self.u, &self.u);
        (3.0 * radius * radius + uu, 6.0 * radius)
    }
}

impl Objective for RankOneFactorization {
    fn dim(&self) -> usize {
        self.u.len()
    }
    fn value(&self, x: &[f64]) -> f64 {
        let (xx, ux, uu) = (dot(x, x), dot(&self.u, x), dot(&self.u, &self.u));
        0.25 * (xx * xx - 2.0 * ux * ux + uu * uu)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let (xx, ux) = (dot(x, x), dot(&self.u, x));
        for ((g, xi), ui) in grad.iter_mut().zip(x).zip(&self.u) {
            *g = xx * xi - ux * ui;
        }
        self.value(x)
    }
}

/// ∇²f(x) = ‖x‖²I + 2xxᵀ − uuᵀ as an operator.
pub struct RankOneHessian<'a> {
    x: Vec<f64>,
    xx: f64,
    u: &'a [f64],
}

impl LinearOperator for RankOneHessian<'_> {
    fn dim(&self) -> usize {
        self.x.len()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let (xv, uv) = (dot(&self.x, v), dot(self.u, v));
        for (((o, vi), xi), ui) in out.iter_mut().zip(v).zip(&self.x).zip(self.u) {
            *o = self.xx * vi + 2.0 * xv * xi - uv * ui;
        }
    }
    fn diagonal(&self) -> Option<Vec<f64>> {
        Some(
            self.x
                .iter()
                .zip(self.u)
                .map(|(xi, ui)| self.xx + 2.0 * xi * xi - ui * ui)
                .collect(),
        )
    }
}

impl Curvature for RankOneFactorization {
    type Hessian<'a> = RankOneHessian<'a>;
    fn hessian(&self, x: &[f64]) -> RankOneHessian<'_> {
        RankOneHessian {
            x: x.to_vec(),
            xx: dot(x, x),
            u: &self.u,
        }
    }
}
