//! The globally convergent Newton path of Marteau-Ferey, Bach & Rudi (2019), "Globally
//! convergent Newton methods for ill-conditioned generalized self-concordant losses": follow the
//! minimizers of f_μ(w) = f(w) + (μ/2)·‖w − w₀‖² from a large μ, where w₀ is nearly optimal,
//! down to μ = 0, with one inexact (preconditioned CG) Newton step per value of μ; μ falls fast
//! while the steps stay short in the local norm. Then plain Newton-CG finishes.

use super::newton_cg::NewtonCg;
use crate::error::Result;
use crate::linalg::{dot, norm};
use crate::monitor::{quiet, Monitor};
use crate::objective::{Curvature, Line, LinearOperator, Objective};
use crate::solvers::checks::check_dim;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Newton steps along a decreasing proximal regularization, then Newton-CG.
#[derive(Clone, Debug, PartialEq)]
pub struct NewtonPath {
    pub stop: Stop,
    /// μ is multiplied by this after a step whose Newton decrement was small (≤ ¼) …
    pub fast_decrease: f64,
    /// … and by this otherwise.
    pub slow_decrease: f64,
    /// The inner Newton-CG (its `stop` is ignored on the path).
    pub inner: NewtonCg,
}

impl Default for NewtonPath {
    fn default() -> Self {
        NewtonPath {
            stop: Stop::default(),
            fast_decrease: 0.1,
            slow_decrease: 0.5,
            inner: NewtonCg::default(),
        }
    }
}

/// f(w) + (μ/2)·‖w − c‖²: a strongly convex proxy of f near c.
pub struct Proximal<'f, F> {
    pub f: &'f F,
    pub mu: f64,
    pub center: Vec<f64>,
}

impl<F: Objective> Objective for Proximal<'_, F> {
    fn dim(&self) -> usize {
        self.f.dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.f.value(x) + 0.5 * self.mu * dist2(x, &self.center)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let v = self.f.value_grad(x, grad);
        for ((g, xi), ci) in grad.iter_mut().zip(x).zip(&self.center) {
            *g += self.mu * (xi - ci);
        }
        v + 0.5 * self.mu * dist2(x, &self.center)
    }
    fn passes(&self) -> f64 {
        self.f.passes()
    }
    fn line<'a>(&'a self, x: &[f64], d: &[f64]) -> Box<dyn Line + 'a> {
        let diff: Vec<f64> = x.iter().zip(&self.center).map(|(a, b)| a - b).collect();
        Box::new(ProximalLine {
            inner: self.f.line(x, d),
            mu: self.mu,
            xx: dot(&diff, &diff),
            xd: dot(&diff, d),
            dd: dot(d, d),
        })
    }
}

struct ProximalLine<'a> {
    inner: Box<dyn Line + 'a>,
    mu: f64,
    xx: f64,
    xd: f64,
    dd: f64,
}

impl Line for ProximalLine<'_> {
    fn value(&self, t: f64) -> f64 {
        self.inner.value(t) + 0.5 * self.mu * (self.xx + 2.0 * t * self.xd + t * t * self.dd)
    }
    fn value_slope(&self, t: f64) -> (f64, f64) {
        let (v, s) = self.inner.value_slope(t);
        (
            v + 0.5 * self.mu * (self.xx + 2.0 * t * self.xd + t * t * self.dd),
            s + self.mu * (self.xd + t * self.dd),
        )
    }
}

/// H + μI.
pub struct Shifted<H> {
    pub h: H,
    pub mu: f64,
}

impl<H: LinearOperator> LinearOperator for Shifted<H> {
    fn dim(&self) -> usize {
        self.h.dim()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.h.apply(v, out);
        for (o, vi) in out.iter_mut().zip(v) {
            *o += self.mu * vi;
        }
    }
    fn diagonal(&self) -> Option<Vec<f64>> {
        self.h
            .diagonal()
            .map(|d| d.into_iter().map(|x| x + self.mu).collect())
    }
}

impl<F: Curvature> Curvature for Proximal<'_, F> {
    type Hessian<'a>
        = Shifted<F::Hessian<'a>>
    where
        Self: 'a;
    fn hessian(&self, x: &[f64]) -> Self::Hessian<'_> {
        Shifted {
            h: self.f.hessian(x),
            mu: self.mu,
        }
    }
}

fn dist2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

impl NewtonPath {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let mut run = Run::new("newton-path", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let (mut fx, mut g, mut ended) = run.start(f, x);
        // The path starts where the proximal term dominates the curvature of f at x₀ and ends
        // well below its smallest diagonal curvature (for a GLM, ≥ the regularization 1/C).
        let diag = f
            .hessian(x)
            .diagonal()
            .unwrap_or_else(|| vec![1.0; x.len()]);
        let hi = diag.iter().copied().fold(0.0, f64::max);
        let lo = diag.iter().copied().filter(|&v| v > 0.0).fold(hi, f64::min);
        let mut mu = hi.max(f64::MIN_POSITIVE);
        let mu_end = 1e-3 * lo;
        let one_step = NewtonCg {
            stop: Stop {
                tol: 0.0,
                relative: false,
                max_iter: 1,
                max_seconds: f64::INFINITY,
            },
            ..self.inner.clone()
        };
        // The path phase: `ended` holds a verdict that ends the whole run early.
        while ended.is_none() && mu > mu_end {
            run.iter += 1;
            let prox = Proximal {
                f,
                mu,
                center: x.to_vec(),
            };
            let r = one_step.minimize(&prox, x, &mut quiet())?;
            run.f_evals += r.f_evals;
            run.g_evals += r.g_evals + 1;
            run.hv_products += r.hv_products;
            if r.status == Status::NonFinite {
                ended = Some(Status::NonFinite);
                break;
            }
            // The step's length in the local norm of f_μ: small means the next, smaller μ
            // still starts inside the region where Newton converges quadratically.
            // ‖∇f_μ‖/√μ bounds the Newton decrement ‖∇f_μ‖_{H_μ⁻¹} at the new point.
            let decrement = r.grad_norm / mu.sqrt() / (1.0 + fx.abs()).sqrt();
            mu *= if decrement <= 0.25 {
                self.fast_decrease
            } else {
                self.slow_decrease
            };
            fx = f.value_grad(x, &mut g);
            ended = run.check(f, fx, norm(&g));
        }
        if let Some(status) = ended {
            return Ok(run.finish(f, status, fx, norm(&g)));
        }
        // Finish on f itself; the monitor keeps receiving iterations.
        let mut finish = self.inner.clone();
        finish.stop = Stop {
            tol: self.stop.tol,
            relative: self.stop.relative,
            max_iter: self.stop.max_iter.saturating_sub(run.iter),
            max_seconds: self.stop.max_seconds - run.seconds(),
        };
        // Keep the relative test anchored at x₀'s gradient, not the path's end.
        if self.stop.relative {
            finish.stop.relative = false;
            finish.stop.tol = run.threshold();
        }
        let iter0 = run.iter;
        let r = {
            let mut shifted = |info: &crate::monitor::IterInfo| {
                let mut i = *info;
                i.iter += iter0;
                run.observe(f, i)
            };
            finish.minimize(f, x, &mut shifted)?
        };
        run.iter += r.iterations;
        run.f_evals += r.f_evals;
        run.g_evals += r.g_evals;
        run.hv_products += r.hv_products;
        let st = match r.status {
            Status::ConvergedAbsoluteGradient if self.stop.relative => {
                Status::ConvergedRelativeGradient
            }
            s => s,
        };
        Ok(run.finish(f, st, r.f, r.grad_norm))
    }
}
