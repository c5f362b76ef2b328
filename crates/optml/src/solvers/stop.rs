//! Stopping rules and the bookkeeping every solver shares.

use std::time::Instant;

use super::report::{Report, Status};
use crate::monitor::{IterInfo, Monitor};
use crate::objective::{Line, Objective};

/// When to stop: the gradient test (LIBLINEAR's relative rule by default), iterations, time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stop {
    /// Gradient tolerance.
    pub tol: f64,
    /// `true`: stop when ‖∇f(x)‖ ≤ tol·‖∇f(x₀)‖; `false`: when ‖∇f(x)‖ ≤ tol.
    pub relative: bool,
    pub max_iter: usize,
    /// Wall-clock budget in seconds (∞ for none).
    pub max_seconds: f64,
}

impl Default for Stop {
    fn default() -> Self {
        Stop {
            tol: 1e-6,
            relative: true,
            max_iter: 1000,
            max_seconds: f64::INFINITY,
        }
    }
}

impl Stop {
    /// Checks the rules themselves: a tolerance that is finite and ≥ 0 (a negative or NaN one
    /// could never be met) and a time budget that is ≥ 0 (∞ for none).
    ///
    /// ```
    /// use optml::solvers::Stop;
    ///
    /// assert!(Stop::relative(1e-6).validate().is_ok());
    /// assert!(Stop::relative(-1.0).validate().is_err());
    /// assert!(Stop::absolute(f64::NAN).validate().is_err());
    /// let no_time = Stop { max_seconds: f64::NAN, ..Stop::default() };
    /// assert!(no_time.validate().is_err());
    /// ```
    pub fn validate(&self) -> crate::Result<()> {
        if !(self.tol.is_finite() && self.tol >= 0.0) {
            return Err(crate::Error::invalid(format!(
                "the tolerance must be finite and ≥ 0, got {}",
                self.tol
            )));
        }
        if self.max_seconds.is_nan() || self.max_seconds < 0.0 {
            return Err(crate::Error::invalid(format!(
                "the time limit must be ≥ 0 seconds, got {}",
                self.max_seconds
            )));
        }
        Ok(())
    }

    /// A relative gradient tolerance.
    pub fn relative(tol: f64) -> Self {
        Stop {
            tol,
            ..Stop::default()
        }
    }
    /// An absolute gradient tolerance.
    pub fn absolute(tol: f64) -> Self {
        Stop {
            tol,
            relative: false,
            ..Stop::default()
        }
    }
}

/// Counts, timing and the stop test of one run.
pub(crate) struct Run<'m, M: Monitor + ?Sized> {
    solver: &'static str,
    stop: Stop,
    start: Instant,
    passes0: f64,
    threshold: f64,
    monitor: &'m mut M,
    pub iter: usize,
    pub f_evals: usize,
    pub g_evals: usize,
    pub hv_products: usize,
    /// Where Hessian products come from, for solvers that use them (see [`Report::hessian`]).
    pub hessian: Option<&'static str>,
}

impl<'m, M: Monitor + ?Sized> Run<'m, M> {
    /// Starts the clock, once the stop rules are checked ([`Stop::validate`]).
    pub fn new(
        solver: &'static str,
        stop: Stop,
        f: &impl Objective,
        monitor: &'m mut M,
    ) -> crate::Result<Self> {
        Run::starting(solver, stop, f.passes(), monitor)
    }

    /// The one constructor: checks the stop rules and starts the clock, with `passes0` data
    /// passes already counted.
    fn starting(
        solver: &'static str,
        stop: Stop,
        passes0: f64,
        monitor: &'m mut M,
    ) -> crate::Result<Self> {
        stop.validate()?;
        Ok(Run {
            solver,
            stop,
            start: Instant::now(),
            passes0,
            threshold: 0.0,
            monitor,
            iter: 0,
            f_evals: 0,
            g_evals: 0,
            hv_products: 0,
            hessian: None,
        })
    }

    pub fn seconds(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Evaluates f and ∇f at the starting point and records it with [`first`](Self::first):
    /// returns (f(x), ∇f(x), the status if the start already meets a stopping rule).
    pub fn start(&mut self, obj: &impl Objective, x: &[f64]) -> (f64, Vec<f64>, Option<Status>) {
        let mut g = vec![0.0; x.len()];
        let fx = obj.value_grad(x, &mut g);
        self.g_evals += 1;
        let status = self.first(obj, fx, crate::linalg::norm(&g));
        (fx, g, status)
    }

    /// Records the first point; call once, after the first gradient.
    pub fn first(&mut self, obj: &impl Objective, f: f64, g_norm: f64) -> Option<Status> {
        self.set_threshold(g_norm);
        self.check(obj, f, g_norm)
    }

    fn set_threshold(&mut self, g_norm: f64) {
        self.threshold = if self.stop.relative {
            self.stop.tol * g_norm
        } else {
            self.stop.tol
        };
    }

    /// Reports the current iterate to the monitor and tests every stopping rule.
    pub fn check(&mut self, obj: &impl Objective, f: f64, g_norm: f64) -> Option<Status> {
        self.check_at(obj.passes() - self.passes0, f, g_norm)
    }

    /// The stop rules, in one order: non-finite, converged, stopped by the monitor, iteration
    /// limit, time limit.
    fn check_at(&mut self, passes: f64, f: f64, g_norm: f64) -> Option<Status> {
        let info = IterInfo {
            iter: self.iter,
            seconds: self.seconds(),
            passes,
            f,
            grad_norm: g_norm,
        };
        let keep_going = self.monitor.observe(&info);
        if !f.is_finite() || !g_norm.is_finite() {
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
        } else if info.seconds >= self.stop.max_seconds {
            Some(Status::TimeLimit)
        } else {
            None
        }
    }

    /// Whether the iteration or time budget is spent (for solvers that override a convergence
    /// verdict of [`Run::check`], e.g. at a saddle point).
    pub fn budget_spent(&self) -> Option<Status> {
        if self.iter >= self.stop.max_iter {
            Some(Status::MaxIterations)
        } else if self.seconds() >= self.stop.max_seconds {
            Some(Status::TimeLimit)
        } else {
            None
        }
    }

    /// f and ∇f at the point a line search accepted (x already moved there): from the line when
    /// its last trial was at `t` and kept the gradient, otherwise by one more evaluation, counted.
    pub fn value_grad_at_step(
        &mut self,
        obj: &impl Objective,
        line: &dyn Line,
        t: f64,
        x: &[f64],
        grad: &mut [f64],
    ) -> f64 {
        line.last_gradient(t, grad).unwrap_or_else(|| {
            self.g_evals += 1;
            obj.value_grad(x, grad)
        })
    }

    /// The gradient-norm threshold of the stop test (known after [`Run::first`]).
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The report for a run that ended with `status` at (f, ‖∇f‖).
    pub fn finish(self, obj: &impl Objective, status: Status, f: f64, g_norm: f64) -> Report {
        let passes = obj.passes() - self.passes0;
        self.finish_at(passes, status, f, g_norm)
    }

    fn finish_at(self, passes: f64, status: Status, f: f64, g_norm: f64) -> Report {
        Report {
            solver: self.solver,
            status,
            iterations: self.iter,
            f_evals: self.f_evals,
            g_evals: self.g_evals,
            hv_products: self.hv_products,
            passes,
            f,
            grad_norm: g_norm,
            seconds: self.seconds(),
            hessian: self.hessian,
            min_eigenvalue: None,
            second_order: None,
        }
    }
}

/// Runs of methods that work on matrices or measurements rather than an [`Objective`] (the
/// recovery problems of [`crate::nonconvex`]): the stop test applies to the residual each method
/// documents (a gradient norm, a gradient-mapping norm or a feasibility gap), and a pass counts
/// one iteration.
impl<'m, M: Monitor + ?Sized> Run<'m, M> {
    /// Starts the clock of a run without a data objective, once the stop rules are checked
    /// ([`Stop::validate`]).
    pub fn counting(solver: &'static str, stop: Stop, monitor: &'m mut M) -> crate::Result<Self> {
        Run::starting(solver, stop, 0.0, monitor)
    }

    /// Records the starting point; `residual` fixes the relative threshold.
    pub fn first_residual(&mut self, f: f64, residual: f64) -> Option<Status> {
        self.set_threshold(residual);
        self.check_residual(f, residual)
    }

    /// Reports the iterate to the monitor and tests every stopping rule on `residual`.
    pub fn check_residual(&mut self, f: f64, residual: f64) -> Option<Status> {
        self.check_at(self.iter as f64, f, residual)
    }

    /// The report for a run that ended with `status` at (f, residual).
    pub fn finish_residual(self, status: Status, f: f64, residual: f64) -> Report {
        let passes = self.iter as f64;
        self.finish_at(passes, status, f, residual)
    }
}
