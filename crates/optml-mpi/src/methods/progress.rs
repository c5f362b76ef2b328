//! The bookkeeping of one distributed run: the stop test, the monitor, the counts, the report.

use std::time::Instant;

use optml::monitor::{IterInfo, Monitor};
use optml::solvers::{Report, Status, Stop};
use optml::Objective;

pub(crate) struct Progress<'m, M: Monitor + ?Sized> {
    solver: &'static str,
    stop: Stop,
    start: Instant,
    passes0: f64,
    threshold: f64,
    monitor: &'m mut M,
    pub iter: usize,
    pub f_evals: usize,
    pub g_evals: usize,
    /// Hessian-vector products, local ones included.
    pub hv_products: usize,
}

impl<'m, M: Monitor + ?Sized> Progress<'m, M> {
    pub fn new(
        solver: &'static str,
        stop: Stop,
        f: &impl Objective,
        monitor: &'m mut M,
    ) -> optml::Result<Self> {
        stop.validate()?;
        Ok(Progress {
            solver,
            stop,
            start: Instant::now(),
            passes0: f.passes(),
            threshold: 0.0,
            monitor,
            iter: 0,
            f_evals: 0,
            g_evals: 0,
            hv_products: 0,
        })
    }

    /// f and ∇f at the start, recorded; the status if the start already meets a stop rule.
    pub fn start(&mut self, f: &impl Objective, w: &[f64]) -> (f64, Vec<f64>, Option<Status>) {
        let mut g = vec![0.0; w.len()];
        let fx = f.value_grad(w, &mut g);
        self.g_evals += 1;
        let gn = optml::linalg::norm(&g);
        self.threshold = if self.stop.relative {
            self.stop.tol * gn
        } else {
            self.stop.tol
        };
        let status = self.check(f, fx, gn);
        (fx, g, status)
    }

    /// Reports the iterate and applies the stop rules (non-finite, converged, monitor,
    /// iterations; no time limit, see the module doc).
    pub fn check(&mut self, f: &impl Objective, fx: f64, g_norm: f64) -> Option<Status> {
        let info = IterInfo {
            iter: self.iter,
            seconds: self.start.elapsed().as_secs_f64(),
            passes: f.passes() - self.passes0,
            f: fx,
            grad_norm: g_norm,
        };
        let keep_going = self.monitor.observe(&info);
        if !fx.is_finite() || !g_norm.is_finite() {
            Some(Status::NonFinite)
        } else if g_norm <= self.threshold {
            Some(if self.stop.relative {
                Status::ConvergedRelativeGradient
            } else {
                Status::ConvergedAbsoluteGradient
            })
        } else if !keep_going {
            Some(Status::StoppedByMonitor)
        } else if self.iter >= self.stop.max_iter {
            Some(Status::MaxIterations)
        } else {
            None
        }
    }

    pub fn finish(self, f: &impl Objective, status: Status, fx: f64, g_norm: f64) -> Report {
        Report {
            solver: self.solver,
            status,
            iterations: self.iter,
            f_evals: self.f_evals,
            g_evals: self.g_evals,
            hv_products: self.hv_products,
            passes: f.passes() - self.passes0,
            f: fx,
            grad_norm: g_norm,
            seconds: self.start.elapsed().as_secs_f64(),
            hessian: Some("exact"),
            min_eigenvalue: None,
            second_order: None,
        }
    }
}
