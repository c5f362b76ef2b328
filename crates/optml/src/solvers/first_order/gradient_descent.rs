//! Gradient descent with a (non-monotone) line search.

use crate::error::Result;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::checks::check_dim;
use crate::solvers::line_search::{nonmonotone_armijo, NonMonotone, Reference};
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Gradient descent x⁺ = x − t·∇f(x), t by backtracking Armijo from a trial step: the
/// Barzilai–Borwein (1988) step sᵀs/sᵀy by default, which with the non-monotone search of
/// Grippo, Lampariello & Lucidi (1986) is Raydan's (1997) globalized BB method; otherwise twice
/// the last accepted step.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientDescent {
    pub stop: Stop,
    /// Sufficient-decrease constant of the Armijo test.
    pub c1: f64,
    /// Trial step sᵀs/sᵀy (else 2× the previous step).
    pub barzilai_borwein: bool,
    /// `None`: the monotone Armijo test.
    pub nonmonotone: Option<NonMonotone>,
}

impl Default for GradientDescent {
    fn default() -> Self {
        GradientDescent {
            stop: Stop::default(),
            c1: 1e-4,
            barzilai_borwein: true,
            nonmonotone: Some(NonMonotone::MaxOfLast(10)),
        }
    }
}

impl GradientDescent {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let n = x.len();
        let mut run = Run::new("gd", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let rule = self.nonmonotone.unwrap_or(NonMonotone::MaxOfLast(1));
        let mut reference = Reference::new(rule, fx);
        let mut t = (1.0 / norm(&g)).min(1.0);
        let mut g_new = vec![0.0; n];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let d: Vec<f64> = g.iter().map(|v| -v).collect();
            let slope = -dot(&g, &g);
            let line = f.line(x, &d);
            let ls = nonmonotone_armijo(&*line, reference.value(), fx, slope, t, self.c1, 60);
            run.f_evals += ls.evals;
            if !ls.accepted {
                break Status::Stalled;
            }
            axpy(ls.t, &d, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g_new);
            reference.push(fx);
            t = if self.barzilai_borwein {
                // s = −t·g, y = g⁺ − g: sᵀs/sᵀy = t·gᵀg / (gᵀg − gᵀg⁺).
                let gg = dot(&g, &g);
                let sy = gg - dot(&g, &g_new);
                if sy > 0.0 {
                    (ls.t * gg / sy).clamp(1e-30, 1e30)
                } else {
                    2.0 * ls.t
                }
            } else {
                2.0 * ls.t
            };
            std::mem::swap(&mut g, &mut g_new);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
