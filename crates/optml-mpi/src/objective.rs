//! [`DistGlm`]: a GLM whose rows are spread over the ranks, as one [`Objective`] +
//! [`Curvature`] that every rank holds, so the library's solvers run unchanged on every rank.
//!
//! With rank r holding the rows Sᵣ, f(w) = Σᵣ Σ_{i∈Sᵣ} ℓᵢ(w) + (λ/2)‖W‖²: each rank evaluates
//! its part of the loss (the library's [`Glm`] without a ridge) and one all-reduce sums them; the
//! ridge (and λ·v in a Hessian product) is added once, after the sum. So each value, gradient
//! and Hessian-vector product costs one round (1, d + 1 and d numbers), and a line search's trial
//! value one round of one number (its slope with the gradient, d + 1).

use std::cell::RefCell;

use optml::linalg::{dot, Layout};
use optml::models::glm::{Glm, GlmHessian, GlmSpec, Ridge};
use optml::objective::Line;
use optml::{Curvature, LinearOperator, Objective};

use crate::comm::Comm;
use crate::error::{Error, Result};
use crate::shard::Shard;

/// A GLM over sharded rows (see the module doc).
pub struct DistGlm<'a> {
    local: Glm<'a>,
    comm: &'a Comm,
    /// λ = 1/C (0 without a ridge).
    lambda: f64,
    /// Rows in all shards over rows in this one: the local loss times this estimates the whole.
    scale: f64,
    n_total: usize,
}

impl<'a> DistGlm<'a> {
    /// The objective of `spec` (loss, ridge, intercept; no penalty, no sample weights) over
    /// the shards, with this rank's `shard`.
    pub fn new(shard: &'a Shard, spec: &GlmSpec, comm: &'a Comm) -> Result<Self> {
        if spec.penalty.is_some() || spec.sample_weight.is_some() {
            return Err(Error(
                "the distributed GLM takes a loss and a ridge only (no penalty or sample weights)"
                    .into(),
            ));
        }
        let local_spec = GlmSpec {
            ridge: Ridge::None,
            ..spec.clone()
        };
        spec.ridge.validate()?;
        let local = local_spec.objective_with_classes(&shard.data, &shard.classes)?;
        Ok(DistGlm {
            local,
            comm,
            lambda: spec.ridge.strength(),
            scale: shard.n_total as f64 / shard.n_local().max(1) as f64,
            n_total: shard.n_total,
        })
    }

    pub fn comm(&self) -> &Comm {
        self.comm
    }

    /// Rows in all shards.
    pub fn n_total(&self) -> usize {
        self.n_total
    }

    pub fn layout(&self) -> Layout {
        self.local.layout()
    }

    /// The ridge weight λ.
    pub fn lambda(&self) -> f64 {
        self.lambda
    }

    /// Entries of w under the ridge (W; the intercepts come after).
    fn kd(&self) -> usize {
        let l = self.layout();
        l.k * l.d
    }

    /// (λ/2)‖W‖².
    fn ridge(&self, w: &[f64]) -> f64 {
        let kd = self.kd();
        0.5 * self.lambda * dot(&w[..kd], &w[..kd])
    }

    /// Adds λ·W to `out` (a gradient or a Hessian product).
    fn add_ridge(&self, w: &[f64], out: &mut [f64]) {
        let kd = self.kd();
        for (o, v) in out[..kd].iter_mut().zip(&w[..kd]) {
            *o += self.lambda * v;
        }
    }

    /// This rank's estimate of the whole Hessian at w, with no communication:
    /// Hᵣ = (n/nᵣ)·∇²(Σ_{i∈Sᵣ} ℓᵢ) + λI, the local Hessian of GIANT, DiSCO and DINO.
    pub fn local_hessian(&self, w: &[f64]) -> LocalHessian<'_> {
        LocalHessian {
            h: self.local.hessian(w),
            scale: self.scale,
            lambda: self.lambda,
            kd: self.kd(),
        }
    }

    /// f(w + t·d) and its slope ∇f(w + t·d)·d for each t of `steps`, and f and ∇f at the full
    /// step w + d, in one round of 2m + dim + 1 numbers: the local losses along the line (one
    /// product X·d, then O(n) per step) and the local gradient at w + d, summed, plus the ridge.
    /// A line search that takes the full step has the next gradient without another round.
    pub fn values_along(&self, w: &[f64], d: &[f64], steps: &[f64]) -> AlongLine {
        let line = self.local.line(w, d);
        let (m, n) = (steps.len(), w.len());
        let mut buf = vec![0.0; 2 * m + n + 1];
        for (j, &t) in steps.iter().enumerate() {
            (buf[j], buf[m + j]) = line.value_slope(t);
        }
        drop(line);
        let full: Vec<f64> = w.iter().zip(d).map(|(a, b)| a + b).collect();
        buf[2 * m + n] = self.local.value_grad(&full, &mut buf[2 * m..2 * m + n]);
        self.comm.sum(&mut buf);
        let kd = self.kd();
        let (ww, wd, dd) = (
            dot(&w[..kd], &w[..kd]),
            dot(&w[..kd], &d[..kd]),
            dot(&d[..kd], &d[..kd]),
        );
        for (j, &t) in steps.iter().enumerate() {
            buf[j] += 0.5 * self.lambda * (ww + 2.0 * t * wd + t * t * dd);
            buf[m + j] += self.lambda * (wd + t * dd);
        }
        let f_full = buf[2 * m + n] + self.ridge(&full);
        let mut grad_full = buf[2 * m..2 * m + n].to_vec();
        self.add_ridge(&full, &mut grad_full);
        buf.truncate(2 * m);
        let slopes = buf.split_off(m);
        AlongLine {
            values: buf,
            slopes,
            f_full,
            grad_full,
        }
    }
}

/// What [`DistGlm::values_along`] returns.
pub struct AlongLine {
    /// f(w + t·d) for each step t.
    pub values: Vec<f64>,
    /// ∇f(w + t·d)·d for each step t.
    pub slopes: Vec<f64>,
    /// f(w + d).
    pub f_full: f64,
    /// ∇f(w + d).
    pub grad_full: Vec<f64>,
}

impl Objective for DistGlm<'_> {
    fn dim(&self) -> usize {
        self.local.dim()
    }

    fn value(&self, w: &[f64]) -> f64 {
        let mut v = [self.local.value(w)];
        self.comm.sum(&mut v);
        v[0] + self.ridge(w)
    }

    fn value_grad(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        let n = grad.len();
        let mut buf = vec![0.0; n + 1];
        buf[n] = self.local.value_grad(w, &mut buf[..n]);
        self.comm.sum(&mut buf);
        grad.copy_from_slice(&buf[..n]);
        self.add_ridge(w, grad);
        buf[n] + self.ridge(w)
    }

    /// Data passes of this rank over its own rows.
    fn passes(&self) -> f64 {
        self.local.passes()
    }

    fn line<'b>(&'b self, w: &[f64], d: &[f64]) -> Box<dyn Line + 'b> {
        Box::new(DistLine {
            f: self,
            local: self.local.line(w, d),
            w: w.to_vec(),
            d: d.to_vec(),
            last: RefCell::new(None),
        })
    }
}

/// f along w + t·d: a value is one round of one number (the local line is cheap); a slope is
/// one round of the whole gradient, kept for [`Line::last_gradient`], so a search's accepted
/// step needs no further round.
struct DistLine<'b> {
    f: &'b DistGlm<'b>,
    local: Box<dyn Line + 'b>,
    w: Vec<f64>,
    d: Vec<f64>,
    last: RefCell<Option<(f64, f64, Vec<f64>)>>,
}

impl DistLine<'_> {
    fn point(&self, t: f64) -> Vec<f64> {
        self.w.iter().zip(&self.d).map(|(a, b)| a + t * b).collect()
    }
}

impl Line for DistLine<'_> {
    fn value(&self, t: f64) -> f64 {
        let mut v = [self.local.value(t)];
        self.f.comm.sum(&mut v);
        v[0] + self.f.ridge(&self.point(t))
    }

    fn value_slope(&self, t: f64) -> (f64, f64) {
        let x = self.point(t);
        let mut g = vec![0.0; x.len()];
        let fx = self.f.value_grad(&x, &mut g);
        let slope = dot(&g, &self.d);
        *self.last.borrow_mut() = Some((t, fx, g));
        (fx, slope)
    }

    fn last_gradient(&self, t: f64, grad: &mut [f64]) -> Option<f64> {
        match &*self.last.borrow() {
            Some((at, fx, g)) if *at == t => {
                grad.copy_from_slice(g);
                Some(*fx)
            }
            _ => None,
        }
    }
}

/// ∇²f(w)·v: the local products summed in one round, plus λ·v.
pub struct DistHessian<'g> {
    f: &'g DistGlm<'g>,
    local: GlmHessian<'g, 'g>,
}

impl LinearOperator for DistHessian<'_> {
    fn dim(&self) -> usize {
        self.f.dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.local.apply(v, out);
        self.f.comm.sum(out);
        self.f.add_ridge(v, out);
    }

    /// The diagonal, summed in one round (for Jacobi preconditioning).
    fn diagonal(&self) -> Option<Vec<f64>> {
        let mut diag = self.local.diagonal()?;
        self.f.comm.sum(&mut diag);
        let kd = self.f.kd();
        diag[..kd].iter_mut().for_each(|x| *x += self.f.lambda);
        Some(diag)
    }
}

impl Curvature for DistGlm<'_> {
    type Hessian<'g>
        = DistHessian<'g>
    where
        Self: 'g;

    /// The curvature weights are per row: computing them needs no round.
    fn hessian(&self, w: &[f64]) -> DistHessian<'_> {
        DistHessian {
            f: self,
            local: self.local.hessian(w),
        }
    }
}

/// A rank's own estimate of the Hessian, Hᵣ = (n/nᵣ)·∇²fᵣ + λI (no communication).
pub struct LocalHessian<'g> {
    h: GlmHessian<'g, 'g>,
    scale: f64,
    lambda: f64,
    kd: usize,
}

impl LinearOperator for LocalHessian<'_> {
    fn dim(&self) -> usize {
        self.h.dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.h.apply(v, out);
        out.iter_mut().for_each(|o| *o *= self.scale);
        for (o, x) in out[..self.kd].iter_mut().zip(&v[..self.kd]) {
            *o += self.lambda * x;
        }
    }
}
