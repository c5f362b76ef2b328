//! Newton's method with a direct solve: the Hessian formed densely and factored by Cholesky
//! (faer), then a backtracking line search — scikit-learn's `newton-cholesky` for small d.

use faer::Mat;

use crate::error::Result;
use crate::linalg::{axpy, norm};
use crate::monitor::Monitor;
use crate::objective::{Curvature, LinearOperator};
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::line_search::armijo_keeping_gradient;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Newton with a Cholesky solve; for problems with up to a few thousand parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Newton {
    pub stop: Stop,
    pub armijo_c1: f64,
}

impl Default for Newton {
    fn default() -> Self {
        Newton {
            stop: Stop::default(),
            armijo_c1: 1e-4,
        }
    }
}

/// Solves (H + τI)·s = −g with the smallest τ ≥ 0 (from 0, then growing) that makes H + τI
/// positive definite, so the step is a descent direction on non-convex functions too.
pub(crate) fn regularized_newton_step(h: &Mat<f64>, g: &[f64]) -> Option<Vec<f64>> {
    let n = g.len();
    let scale = (0..n)
        .map(|i| h[(i, i)].abs())
        .fold(0.0, f64::max)
        .max(1e-300);
    let mut tau = 0.0;
    for _ in 0..30 {
        let mut a = h.clone();
        for i in 0..n {
            a[(i, i)] += tau;
        }
        let neg_g: Vec<f64> = g.iter().map(|v| -v).collect();
        if let Some(s) = crate::linalg::cholesky_solve(a, &neg_g) {
            if s.iter().all(|v| v.is_finite()) {
                return Some(s);
            }
        }
        tau = if tau == 0.0 {
            1e-10 * scale
        } else {
            tau * 10.0
        };
    }
    None
}

impl Newton {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let mut run = Run::new("newton", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let h = f.hessian(x).to_dense();
            // A dense Hessian costs what n products with it would.
            run.hv_products += x.len();
            let Some(s) = regularized_newton_step(&h, &g) else {
                break Status::NonFinite;
            };
            let (s, slope) = descent_or_steepest(s, &g);
            let line = f.line(x, &s);
            let ls = armijo_keeping_gradient(&*line, fx, slope, 1.0, self.armijo_c1, 40);
            run.f_evals += ls.evals;
            if !ls.accepted {
                break Status::Stalled;
            }
            axpy(ls.t, &s, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
