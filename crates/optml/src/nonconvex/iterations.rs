//! The bookkeeping every non-convex solver shares: the stop test on a residual (a gradient norm,
//! a gradient-mapping norm or a feasibility gap, as each method documents), the monitor, the
//! report.

use std::time::Instant;

use crate::monitor::{IterInfo, Monitor};
use crate::solvers::{Report, Status, Stop};

pub(crate) struct Tally<'m, M: Monitor + ?Sized> {
    solver: &'static str,
    stop: Stop,
    start: Instant,
    threshold: f64,
    monitor: &'m mut M,
    pub iter: usize,
    pub evals: usize,
}

impl<'m, M: Monitor + ?Sized> Tally<'m, M> {
    pub fn new(solver: &'static str, stop: Stop, monitor: &'m mut M) -> Self {
        Tally {
            solver,
            stop,
            start: Instant::now(),
            threshold: 0.0,
            monitor,
            iter: 0,
            evals: 0,
        }
    }

    /// Records the starting point; `residual` fixes the relative threshold.
    pub fn first(&mut self, f: f64, residual: f64) -> Option<Status> {
        self.threshold = if self.stop.relative {
            self.stop.tol * residual
        } else {
            self.stop.tol
        };
        self.check(f, residual)
    }

    /// Reports the iterate to the monitor and tests every stopping rule.
    pub fn check(&mut self, f: f64, residual: f64) -> Option<Status> {
        let seconds = self.start.elapsed().as_secs_f64();
        let keep_going = self.monitor.observe(&IterInfo {
            iter: self.iter,
            seconds,
            passes: self.iter as f64,
            f,
            grad_norm: residual,
        });
        if !f.is_finite() || !residual.is_finite() {
            Some(Status::NonFinite)
        } else if residual <= self.threshold {
            Some(if self.stop.relative {
                Status::ConvergedRelativeGradient
            } else {
                Status::ConvergedAbsoluteGradient
            })
        } else if !keep_going {
            Some(Status::StoppedByMonitor)
        } else if self.iter >= self.stop.max_iter {
            Some(Status::MaxIterations)
        } else if seconds >= self.stop.max_seconds {
            Some(Status::TimeLimit)
        } else {
            None
        }
    }

    pub fn finish(self, status: Status, f: f64, residual: f64) -> Report {
        Report {
            solver: self.solver,
            status,
            iterations: self.iter,
            f_evals: 0,
            g_evals: self.evals,
            hv_products: 0,
            passes: self.iter as f64,
            f,
            grad_norm: residual,
            seconds: self.start.elapsed().as_secs_f64(),
            hessian: None,
            min_eigenvalue: None,
            second_order: None,
        }
    }
}
