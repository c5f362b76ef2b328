//! The globally convergent Newton path of Marteau-Ferey, Bach & Rudi (2019), "Globally
//! convergent Newton methods for ill-conditioned generalized self-concordant losses" (NeurIPS):
//! minimize f_μ(w) = f(w) + (μ/2)·‖w − c‖² for a geometric sequence μ₀ > qμ₀ > q²μ₀ > … → 0,
//! with the centre c = w₀ fixed (the origin for a GLM fit, where the extra term is an ordinary
//! L2 penalty on top of the model's own). Each level starts from the last level's point, which
//! already lies where Newton's method converges quadratically on the next, so a few (inexact,
//! preconditioned CG) Newton steps finish it; the total number of Newton steps grows like
//! log(μ₀/μ_end), the logarithm of the condition number, instead of with its square root.
//!
//! As in the paper one Newton step is taken per level. Where the paper knows, from the loss's
//! self-concordance constant, that the step stays in the region of quadratic convergence, here
//! an Armijo search checks it: a full step (t = 1) moves on to μ ← q·μ, a damped one repeats
//! the level. Below μ_end (a fraction of the smallest diagonal curvature of f at w₀) μ is set to
//! 0 and Newton-CG on f itself finishes, with forcing terms that tighten as ‖∇f‖ falls.

use super::newton_cg::{forcing_term, NewtonCg};
use crate::error::Result;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::{Curvature, Line, LinearOperator, Objective};
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::inner::{jacobi_inverse, newton_pcg_until, CgStop};
use crate::solvers::line_search::armijo_keeping_gradient;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Newton steps along a geometrically decreasing L2 penalty with a fixed centre.
#[derive(Clone, Debug, PartialEq)]
pub struct NewtonPath {
    pub stop: Stop,
    /// q in μ ← q·μ, once a level is solved (the paper's fixed geometric decrease).
    pub decrease: f64,
    /// μ_end as a fraction of the smallest diagonal curvature of f at the start.
    pub end_fraction: f64,
    /// The Newton-CG whose steps the path takes (CG rule, preconditioner, Armijo constant; its
    /// `stop` is not used). Its residual rule (the default) keeps the path's step count at
    /// O(log κ); LIBLINEAR's looser quadratic-model rule needs many more steps at large C.
    pub inner: NewtonCg,
}

impl Default for NewtonPath {
    fn default() -> Self {
        NewtonPath {
            stop: Stop::default(),
            decrease: 0.1,
            end_fraction: 0.1,
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
            diff,
            d: d.to_vec(),
        })
    }
}

/// φ(t) = f(x + t·d) + (μ/2)·‖x − c + t·d‖², with the three inner products of the quadratic.
struct ProximalLine<'a> {
    inner: Box<dyn Line + 'a>,
    mu: f64,
    xx: f64,
    xd: f64,
    dd: f64,
    /// x − c.
    diff: Vec<f64>,
    d: Vec<f64>,
}

impl ProximalLine<'_> {
    fn penalty(&self, t: f64) -> f64 {
        0.5 * self.mu * (self.xx + 2.0 * t * self.xd + t * t * self.dd)
    }
}

impl Line for ProximalLine<'_> {
    fn value(&self, t: f64) -> f64 {
        self.inner.value(t) + self.penalty(t)
    }
    fn value_slope(&self, t: f64) -> (f64, f64) {
        let (v, s) = self.inner.value_slope(t);
        (v + self.penalty(t), s + self.mu * (self.xd + t * self.dd))
    }
    fn last_gradient(&self, t: f64, grad: &mut [f64]) -> Option<f64> {
        let v = self.inner.last_gradient(t, grad)?;
        for ((g, a), d) in grad.iter_mut().zip(&self.diff).zip(&self.d) {
            *g += self.mu * (a + t * d);
        }
        Some(v + self.penalty(t))
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
        let (mut mu, mu_end) = self.path_ends(f, x, &g, &mut run);
        let center = x.to_vec();
        let cg = &self.inner;
        let mut previous = None;
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let prox = Proximal {
                f,
                mu,
                center: center.clone(),
            };
            // ∇f_μ = ∇f + μ·(x − c).
            let g_mu: Vec<f64> = g
                .iter()
                .zip(x.iter().zip(&center))
                .map(|(gi, (xi, ci))| gi + mu * (xi - ci))
                .collect();
            let g_mu_norm = norm(&g_mu);
            let h = prox.hessian(x);
            let m_inv = jacobi_inverse(&h, cg.precondition);
            // On the path a fixed forcing term; on f itself they tighten with ‖∇f‖.
            let rule = if cg.quadratic_model_stop {
                CgStop::Model(cg.cg_eta)
            } else if mu > 0.0 {
                CgStop::Residual(cg.cg_eta)
            } else {
                let eta = forcing_term(cg.cg_eta, previous, g_mu_norm, run.threshold());
                previous = Some((g_mu_norm, eta));
                CgStop::Residual(eta)
            };
            let step = newton_pcg_until(&h, &g_mu, m_inv.as_deref(), rule, cg.max_cg);
            run.hv_products += step.products;
            let (s, slope) = descent_or_steepest(step.s, &g_mu);
            let f_mu = fx + 0.5 * mu * dist2(x, &center);
            let line = prox.line(x, &s);
            let ls = armijo_keeping_gradient(&*line, f_mu, slope, 1.0, cg.armijo_c1, 30);
            run.f_evals += ls.evals;
            if !ls.accepted || x.iter().zip(&s).all(|(xi, si)| xi + ls.t * si == *xi) {
                break Status::Stalled;
            }
            axpy(ls.t, &s, x);
            // f and ∇f at the new point, from the line's f_μ when it kept them.
            match line.last_gradient(ls.t, &mut g) {
                Some(v) => {
                    for ((gi, xi), ci) in g.iter_mut().zip(x.iter()).zip(&center) {
                        *gi -= mu * (xi - ci);
                    }
                    fx = v - 0.5 * mu * dist2(x, &center);
                }
                None => {
                    run.g_evals += 1;
                    fx = f.value_grad(x, &mut g);
                }
            }
            drop(line);
            ended = run.check(f, fx, norm(&g));
            // A full step keeps x where Newton converges on f_μ, and so on f_qμ: the next level.
            // A damped one says μ fell too fast for where x is: the level is repeated.
            if mu > 0.0 && ls.t == 1.0 {
                mu *= self.decrease;
                if mu < mu_end {
                    mu = 0.0;
                }
            }
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }

    /// μ₀ and μ_end: the largest and (a fraction of) the smallest diagonal curvature of f at x₀,
    /// so that f_μ₀ is about as well conditioned as a quadratic with curvature μ₀·I and f_μ_end
    /// differs from f by less than its own curvature. Without a diagonal, μ₀ is the Rayleigh
    /// quotient r of ∇f (one product) and the smallest curvature is taken as 10⁻⁶·r.
    fn path_ends<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &[f64],
        g: &[f64],
        run: &mut Run<'_, M>,
    ) -> (f64, f64) {
        let h = f.hessian(x);
        let (hi, lo) = match h.diagonal() {
            Some(diag) => {
                let hi = diag.iter().copied().fold(0.0, f64::max);
                let lo = diag.iter().copied().filter(|&v| v > 0.0).fold(hi, f64::min);
                (hi, lo)
            }
            None => {
                let mut hg = vec![0.0; g.len()];
                h.apply(g, &mut hg);
                run.hv_products += 1;
                let r = (dot(g, &hg) / dot(g, g)).abs();
                let r = if r.is_finite() { r } else { 1.0 };
                (r, r * 1e-6)
            }
        };
        let mu0 = if hi.is_finite() && hi > 0.0 { hi } else { 1.0 };
        let lo = if lo.is_finite() && lo > 0.0 { lo } else { mu0 };
        (mu0, self.end_fraction * lo)
    }
}
