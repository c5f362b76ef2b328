//! Trust-region Newton-CG: Steihaug–Toint CG on the model within a radius, updated by the ratio
//! of actual to predicted decrease (Steihaug 1983; Lin & Moré 1999, TRON, LIBLINEAR's former
//! default).

use crate::error::Result;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Curvature;
use crate::solvers::checks::check_dim;
use crate::solvers::inner::steihaug;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Where |f(x) − f(x + s)| is below this multiple of |f(x)|, the difference is rounding:
/// 100 ulps.
const ROUNDING: f64 = 100.0 * f64::EPSILON;

/// Newton-CG with a trust region.
#[derive(Clone, Debug, PartialEq)]
pub struct TrustRegion {
    pub stop: Stop,
    /// Accept a step when actual/predicted decrease exceeds this.
    pub eta0: f64,
    /// Shrink below `eta1`, grow above `eta2` when the step reached the boundary.
    pub eta1: f64,
    pub eta2: f64,
    pub max_cg: usize,
    /// Initial radius; `None` uses ‖∇f(x₀)‖.
    pub radius: Option<f64>,
}

impl Default for TrustRegion {
    fn default() -> Self {
        TrustRegion {
            stop: Stop::default(),
            eta0: 1e-4,
            eta1: 0.25,
            eta2: 0.75,
            max_cg: 250,
            radius: None,
        }
    }
}

impl TrustRegion {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let mut run = Run::new("trust-region", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let g0 = norm(&g);
        let mut radius = self.radius.unwrap_or(g0).max(f64::MIN_POSITIVE);
        let mut trial = vec![0.0; x.len()];
        let mut g_trial = vec![0.0; x.len()];
        let mut rejected = 0;
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let gn = norm(&g);
            // Forcing sequence: superlinear convergence near the solution.
            let cg_tol = (gn / g0).sqrt().min(0.5);
            let step = steihaug(&f.hessian(x), &g, radius, cg_tol, self.max_cg);
            run.hv_products += step.products;
            trial.copy_from_slice(x);
            axpy(1.0, &step.s, &mut trial);
            let f_trial = f.value(&trial);
            run.f_evals += 1;
            let predicted = -step.model_value;
            let mut actual = fx - f_trial;
            let mut trial_grad = false;
            if f_trial.is_finite() && actual.abs() <= ROUNDING * fx.abs() {
                // The decrease is lost in the rounding of f: estimate it from the gradients at
                // both ends, −½(∇f(x) + ∇f(x + s))ᵀs, exact for a quadratic (Conn, Gould &
                // Toint 2000, §17.4.2).
                f.value_grad(&trial, &mut g_trial);
                run.g_evals += 1;
                actual = -0.5 * (dot(&g, &step.s) + dot(&g_trial, &step.s));
                trial_grad = true;
            }
            let rho = if predicted > 0.0 {
                actual / predicted
            } else {
                -1.0
            };
            let snorm = norm(&step.s);
            if !f_trial.is_finite() || rho < self.eta1 {
                radius = 0.25 * snorm.min(radius);
            } else if rho > self.eta2 && step.on_boundary {
                radius = (2.0 * snorm).max(radius);
            }
            if f_trial.is_finite() && rho > self.eta0 {
                x.copy_from_slice(&trial);
                if trial_grad {
                    fx = f_trial;
                    std::mem::swap(&mut g, &mut g_trial);
                } else {
                    fx = f.value_grad(x, &mut g);
                    run.g_evals += 1;
                }
                // Where f no longer tells, progress is a smaller gradient; steps that do not
                // shrink it count toward the stall like rejected ones.
                if trial_grad && norm(&g) >= gn {
                    rejected += 1;
                } else {
                    rejected = 0;
                }
            } else {
                rejected += 1;
            }
            if rejected > 60 || radius <= 1e-16 * (1.0 + norm(x)) {
                break Status::Stalled;
            }
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
