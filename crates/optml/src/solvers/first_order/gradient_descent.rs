//! Gradient descent with a (non-monotone) backtracking line search.

use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::checks::check_dim;
use crate::solvers::line_search::{
    armijo_keeping_gradient, nonmonotone_armijo, NonMonotone, Reference,
};
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Gradient descent x⁺ = x − t·∇f(x), t = t₀·2⁻ʲ for the first j ≥ 0 that passes the Armijo
/// test f(x⁺) ≤ f_ref − c₁·t·‖∇f(x)‖² from a trial step t₀ chosen by [`TrialStep`]. By default
/// t₀ is the Barzilai–Borwein (1988) step and f_ref the largest of the last 10 values (Grippo,
/// Lampariello & Lucidi 1986): Raydan's (1997) globalized BB method. With [`TrialStep::Keep`],
/// a first step η, c₁ = 0 and the monotone test it is gradient descent with a fixed step η,
/// halved whenever a step would raise f (the factored methods of Tu et al. 2016 and Zheng &
/// Lafferty 2016). Where f changes by less than its rounding, a step is judged by its slope
/// instead, as in [`nonmonotone_armijo`].
///
/// A search gives up, and the run ends [`Status::Stalled`] ([`Status::NonFinite`] if f was not
/// finite at the last trial), after 60 trials or, with [`TrialStep::Keep`], once t falls below
/// 10⁻¹² times the first step.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientDescent {
    pub stop: Stop,
    /// Sufficient-decrease constant c₁ of the Armijo test (0: any decrease).
    pub c1: f64,
    /// The first trial step of each iteration's search.
    pub trial: TrialStep,
    /// The very first trial step; `None`: min(1, 1/‖∇f(x₀)‖).
    pub first_step: Option<f64>,
    /// `None`: the monotone Armijo test (f_ref = f(x)).
    pub nonmonotone: Option<NonMonotone>,
}

/// Where each iteration's backtracking starts, given the step t accepted last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrialStep {
    /// sᵀs/sᵀy with s = x⁺ − x, y = ∇f(x⁺) − ∇f(x) (Barzilai & Borwein 1988, "Two-point step
    /// size gradient methods"); 2t where sᵀy ≤ 0.
    BarzilaiBorwein,
    /// 2t: the step may grow back after a backtrack.
    Double,
    /// t: a fixed step that only shrinks, halved each time a trial fails. Its first trial also
    /// evaluates ∇f, which the accepted step reuses (under the monotone test), so an iteration
    /// costs one gradient, as a plain fixed-step loop does.
    Keep,
}

impl Default for GradientDescent {
    fn default() -> Self {
        GradientDescent {
            stop: Stop::default(),
            c1: 1e-4,
            trial: TrialStep::BarzilaiBorwein,
            first_step: None,
            nonmonotone: Some(NonMonotone::MaxOfLast(10)),
        }
    }
}

/// Trials a search may make.
const MAX_TRIALS: usize = 60;

/// With [`TrialStep::Keep`], the smallest step tried, relative to the first one.
const KEEP_FLOOR: f64 = 1e-12;

impl GradientDescent {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        if let Some(t0) = self.first_step {
            if !(t0 > 0.0 && t0.is_finite()) {
                return Err(Error::invalid(format!(
                    "gradient descent: first step {t0} is not positive and finite"
                )));
            }
        }
        let n = x.len();
        let mut run = Run::new("gd", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let rule = self.nonmonotone.unwrap_or(NonMonotone::MaxOfLast(1));
        let mut reference = Reference::new(rule, fx);
        let mut t = self.first_step.unwrap_or_else(|| (1.0 / norm(&g)).min(1.0));
        let floor = match self.trial {
            TrialStep::Keep => KEEP_FLOOR * t,
            _ => 0.0,
        };
        let keep_gradient = self.trial == TrialStep::Keep && self.nonmonotone.is_none();
        let mut g_new = vec![0.0; n];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let d: Vec<f64> = g.iter().map(|v| -v).collect();
            let slope = -dot(&g, &g);
            let line = f.line(x, &d);
            let trials = trials_above(t, floor);
            let ls = if keep_gradient {
                armijo_keeping_gradient(&*line, fx, slope, t, self.c1, trials)
            } else {
                nonmonotone_armijo(&*line, reference.value(), fx, slope, t, self.c1, trials)
            };
            run.f_evals += ls.evals;
            if !ls.accepted {
                break if ls.f.is_finite() {
                    Status::Stalled
                } else {
                    Status::NonFinite
                };
            }
            axpy(ls.t, &d, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g_new);
            reference.push(fx);
            t = match self.trial {
                TrialStep::BarzilaiBorwein => {
                    // s = −t·g, y = g⁺ − g: sᵀs/sᵀy = t·gᵀg / (gᵀg − gᵀg⁺).
                    let gg = dot(&g, &g);
                    let sy = gg - dot(&g, &g_new);
                    if sy > 0.0 {
                        (ls.t * gg / sy).clamp(1e-30, 1e30)
                    } else {
                        2.0 * ls.t
                    }
                }
                TrialStep::Double => 2.0 * ls.t,
                TrialStep::Keep => ls.t,
            };
            std::mem::swap(&mut g, &mut g_new);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}

/// How many of t, t/2, t/4, … a search may try: those ≥ `floor`, at most [`MAX_TRIALS`].
fn trials_above(t: f64, floor: f64) -> usize {
    let mut s = t;
    let mut k = 0;
    while k < MAX_TRIALS && s >= floor {
        k += 1;
        s *= 0.5;
    }
    k
}
