//! Gauss–Newton with a line search: p minimizes the linearized ‖r + J·p‖² (Householder QR of a
//! dense J, else CGLS on the normal equations), then backtracking Armijo on ‖r(x + t·p)‖²
//! (Nocedal & Wright 2006, §10.3).

use faer::Mat;

use super::jacobian::{cgls, check_start, grad_norm, sum_sq, Jac};
use super::residuals::{Residuals, SumOfSquares};
use crate::error::Result;
use crate::linalg::{axpy, dot};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::line_search::armijo;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Line-search Gauss–Newton.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussNewton {
    pub stop: Stop,
    /// Sufficient-decrease constant of the Armijo search.
    pub armijo_c1: f64,
    /// Relative residual of CGLS (matrix-free Jacobians, or a rank-deficient dense one).
    pub cg_tol: f64,
    /// CGLS iterations, 0 for 2n.
    pub max_cg: usize,
}

impl Default for GaussNewton {
    fn default() -> Self {
        GaussNewton {
            stop: Stop::absolute(1e-10),
            armijo_c1: 1e-4,
            cg_tol: 1e-10,
            max_cg: 0,
        }
    }
}

/// The least-squares solution of J·p = −r by thin QR, `None` where J (m ≥ n) is numerically
/// rank-deficient (a diagonal entry of R below 10⁻¹²·max).
pub(super) fn qr_step(j: &Mat<f64>, r: &[f64]) -> Option<Vec<f64>> {
    let (m, n) = (j.nrows(), j.ncols());
    if m < n {
        return None;
    }
    let qr = j.qr();
    let q = qr.compute_thin_Q();
    let rr = qr.thin_R();
    let big = (0..n).map(|k| rr[(k, k)].abs()).fold(0.0, f64::max);
    if !(big > 0.0 && big.is_finite()) || (0..n).any(|k| rr[(k, k)].abs() <= 1e-12 * big) {
        return None;
    }
    let mut p: Vec<f64> = (0..n)
        .map(|k| -(0..m).map(|i| q[(i, k)] * r[i]).sum::<f64>())
        .collect();
    for k in (0..n).rev() {
        let tail: f64 = (k + 1..n).map(|l| rr[(k, l)] * p[l]).sum();
        p[k] = (p[k] - tail) / rr[(k, k)];
    }
    p.iter().all(|v| v.is_finite()).then_some(p)
}

impl GaussNewton {
    pub fn minimize<R: Residuals + ?Sized, M: Monitor + ?Sized>(
        &self,
        f: &R,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_start(f, x)?;
        let (m, n) = (f.n_residuals(), f.n_params());
        let obj = SumOfSquares(f);
        let mut run = Run::new("gauss-newton", self.stop, &obj, monitor)?;
        run.hessian = Some("gauss-newton");
        let max_cg = if self.max_cg == 0 { 2 * n } else { self.max_cg };
        let mut r = vec![0.0; m];
        let mut jtr = vec![0.0; n];
        let mut fx = sum_sq(f, x, &mut r);
        run.f_evals += 1;
        let (mut jac, cost) = Jac::at(f, x);
        run.g_evals += 1;
        run.hv_products += cost + usize::from(jac.counts());
        let mut ended = run.first(&obj, fx, grad_norm(&jac, &r, &mut jtr));
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let dense = match &jac {
                Jac::Dense(j) => qr_step(j, &r),
                Jac::Products { .. } => None,
            };
            let p = dense.unwrap_or_else(|| {
                let (p, products) = cgls(&jac, &r, 0.0, None, self.cg_tol, max_cg);
                run.hv_products += products;
                p
            });
            // ∇f·p = 2(Jᵀr)·p; −∇f where the Gauss–Newton step does not descend.
            let mut slope = 2.0 * dot(&jtr, &p);
            let p = if slope < 0.0 {
                p
            } else {
                slope = -4.0 * dot(&jtr, &jtr);
                jtr.iter().map(|v| -2.0 * v).collect()
            };
            let ls = armijo(&*obj.line(x, &p), fx, slope, 1.0, self.armijo_c1, 60);
            run.f_evals += ls.evals;
            if !ls.accepted {
                break Status::Stalled;
            }
            axpy(ls.t, &p, x);
            fx = sum_sq(f, x, &mut r);
            run.f_evals += 1;
            let (j, cost) = Jac::at(f, x);
            jac = j;
            run.g_evals += 1;
            run.hv_products += cost + usize::from(jac.counts());
            ended = run.check(&obj, fx, grad_norm(&jac, &r, &mut jtr));
        };
        let g = grad_norm(&jac, &r, &mut jtr);
        Ok(run.finish(&obj, status, fx, g))
    }
}
