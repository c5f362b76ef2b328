//! Line-search Newton-CG, as LIBLINEAR ≥ 2.40 trains L2 logistic regression (Galli & Lin 2021,
//! "A study on truncated Newton methods for linear classification"): a diagonal preconditioner
//! (1−α)·m·I + α·diag(H), CG stopped by the quadratic-model rule, backtracking Armijo.

use super::cg::newton_pcg;
use super::linesearch::armijo_keeping_gradient;
use super::stop::{Run, Stop};
use super::{check_dim, descent_or_steepest, Report, Status};
use crate::error::Result;
use crate::linalg::{axpy, norm};
use crate::monitor::Monitor;
use crate::objective::{Curvature, LinearOperator};

/// Truncated Newton with a line search.
#[derive(Clone, Debug, PartialEq)]
pub struct NewtonCg {
    pub stop: Stop,
    /// η of the CG stop i·(Qᵢ − Qᵢ₋₁) ≥ η·Qᵢ (LIBLINEAR: 0.1 from a cold start).
    pub cg_eta: f64,
    pub max_cg: usize,
    /// Weight α of diag(H) in the preconditioner, 0 for none (LIBLINEAR: 0.01). The identity
    /// part is scaled by m = min_j H_jj, which for a GLM is the regularization 1/C when some
    /// feature is absent, so that this matches LIBLINEAR's (1−α)·I + α·diag(H) there.
    pub precondition: f64,
    /// Sufficient-decrease constant of the Armijo search (LIBLINEAR: 0.01).
    pub armijo_c1: f64,
}

impl Default for NewtonCg {
    fn default() -> Self {
        NewtonCg {
            stop: Stop::default(),
            cg_eta: 0.1,
            max_cg: 250,
            precondition: 0.01,
            armijo_c1: 0.01,
        }
    }
}

/// The inverse of the mixed diagonal preconditioner (1−α)·min(diag)·I + α·diag.
pub(crate) fn jacobi_inverse(h: &impl LinearOperator, alpha: f64) -> Option<Vec<f64>> {
    if alpha <= 0.0 {
        return None;
    }
    let diag = h.diagonal()?;
    let base = diag
        .iter()
        .copied()
        .filter(|&x| x > 0.0)
        .fold(f64::INFINITY, f64::min);
    if !base.is_finite() {
        return None;
    }
    Some(
        diag.iter()
            .map(|&x| 1.0 / ((1.0 - alpha) * base + alpha * x.max(base)))
            .collect(),
    )
}

impl NewtonCg {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let mut run = Run::new("newton-cg", self.stop, f, monitor);
        run.hessian = Some(f.hessian_kind());
        let mut g = vec![0.0; x.len()];
        let mut fx = f.value_grad(x, &mut g);
        run.g_evals += 1;
        let mut status = run.first(f, fx, norm(&g));
        while status.is_none() {
            run.iter += 1;
            let h = f.hessian(x);
            let m_inv = jacobi_inverse(&h, self.precondition);
            let step = newton_pcg(&h, &g, m_inv.as_deref(), self.cg_eta, self.max_cg);
            run.hv_products += step.products;
            let (s, slope) = descent_or_steepest(step.s, &g);
            let line = f.line(x, &s);
            let ls = armijo_keeping_gradient(&*line, fx, slope, 1.0, self.armijo_c1, 30);
            run.f_evals += ls.evals;
            if !ls.accepted {
                status = Some(Status::Stalled);
                break;
            }
            axpy(ls.t, &s, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g);
            status = run.check(f, fx, norm(&g));
        }
        Ok(run.finish(f, status.unwrap(), fx, norm(&g)))
    }
}
