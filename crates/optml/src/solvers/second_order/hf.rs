//! Hessian-free optimization (Martens 2010, "Deep learning via Hessian-free optimization"), on
//! mini-batches.
//!
//! Each step minimizes the damped Gauss-Newton model of f_B around θ,
//! φ(d) = gᵀd + ½·dᵀ(G_C + λI)·d, by preconditioned conjugate gradients, where g = ∇f_B is the
//! gradient of the batch and G_C the Gauss-Newton matrix of a smaller curvature batch C ⊂ B.
//! CG starts from ζ times the previous step's last iterate (ζ = 0.95), is preconditioned by
//! the diagonal M = (diag(Σᵢ∇ℓᵢ²)/|B| + λ)^ξ (ξ = 0.75, the empirical Fisher's diagonal), and
//! stops by Martens's relative-progress test: at iteration i > k = max(10, i/10), when
//! φᵢ < 0 and (φᵢ − φᵢ₋ₖ)/φᵢ < k·5e-4. CG backtracking: of the iterates kept at
//! i = ⌈1.3ʲ⌉ (and the last), the one with the lowest f_B, searching from the last backwards.
//! Levenberg–Marquardt: ρ = (f_B(θ + d) − f_B(θ))/(gᵀd + ½dᵀG_C·d); λ ← 3λ/2 when ρ < 1/4,
//! λ ← 2λ/3 when ρ > 3/4. Then a backtracking Armijo search on η·d (η from the schedule,
//! ×0.8 per trial, Martens & Sutskever 2012).

use super::layered::{Fisher, LayerStats, Layered};
use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::objective::LinearOperator;

/// Hessian-free's constants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HessianFree {
    /// λ at the start of the Levenberg–Marquardt adaptation.
    pub damping: f64,
    /// Most CG iterations per step.
    pub max_cg: usize,
    /// |C|/|B|: the curvature batch is this fraction of the gradient batch (at least one term).
    pub curvature_fraction: f64,
    /// ζ of the warm start ζ·d_prev.
    pub warm_start: f64,
    /// ξ of the diagonal preconditioner (0: none).
    pub precondition_power: f64,
}

impl Default for HessianFree {
    fn default() -> Self {
        HessianFree {
            damping: 1.0,
            max_cg: 50,
            curvature_fraction: 0.2,
            warm_start: 0.95,
            precondition_power: 0.75,
        }
    }
}

impl HessianFree {
    pub(crate) fn init(&self, dim: usize) -> Result<HfState> {
        if !(self.damping.is_finite() && self.damping > 0.0) {
            return Err(Error::invalid(format!(
                "the Hessian-free damping must be finite and > 0, got {}",
                self.damping
            )));
        }
        if self.max_cg == 0 {
            return Err(Error::invalid("the CG iteration limit must be ≥ 1"));
        }
        if !(self.curvature_fraction > 0.0 && self.curvature_fraction <= 1.0) {
            return Err(Error::invalid(format!(
                "the curvature batch fraction must be in (0, 1], got {}",
                self.curvature_fraction
            )));
        }
        if !(0.0..=1.0).contains(&self.warm_start) {
            return Err(Error::invalid(format!(
                "the CG warm-start factor must be in [0, 1], got {}",
                self.warm_start
            )));
        }
        if !(0.0..=1.0).contains(&self.precondition_power) {
            return Err(Error::invalid(format!(
                "the preconditioner power must be in [0, 1], got {}",
                self.precondition_power
            )));
        }
        Ok(HfState {
            cfg: *self,
            lambda: self.damping,
            prev: vec![0.0; dim],
            grad: vec![0.0; dim],
            scratch: vec![0.0; dim],
            stats: LayerStats::default(),
        })
    }
}

/// What [`gn_cg`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct CgRun {
    /// φ at the start and after each iteration.
    pub values: Vec<f64>,
    /// The iterates kept for backtracking, (iteration, d), in increasing order, the last
    /// iterate included.
    pub kept: Vec<(usize, Vec<f64>)>,
    /// Operator products made.
    pub products: usize,
}

/// Preconditioned CG on φ(d) = gᵀd + ½·dᵀ(A + λI)·d from `d0` (from 0 when φ(d0) ≥ 0), with
/// the diagonal preconditioner `m` (`None`: identity), at most `max_iter` iterations and
/// Martens's relative-progress stop. Stops early on non-positive curvature along a direction.
pub fn gn_cg(
    a: &dyn LinearOperator,
    g: &[f64],
    lambda: f64,
    m: Option<&[f64]>,
    d0: &[f64],
    max_iter: usize,
) -> CgRun {
    let n = g.len();
    let apply = |v: &[f64], out: &mut [f64]| {
        a.apply(v, out);
        for (o, vi) in out.iter_mut().zip(v) {
            *o += lambda * vi;
        }
    };
    let mut products = 0;
    let mut d = d0.to_vec();
    let mut ad = vec![0.0; n];
    apply(&d, &mut ad);
    products += 1;
    // r = (A + λI)·d + g; φ(d) = ½·dᵀ(r + g).
    let mut r: Vec<f64> = ad.iter().zip(g).map(|(x, y)| x + y).collect();
    let phi = |d: &[f64], r: &[f64]| {
        0.5 * d
            .iter()
            .zip(r)
            .zip(g)
            .map(|((d, r), g)| d * (r + g))
            .sum::<f64>()
    };
    let mut value = phi(&d, &r);
    if value.is_nan() || value >= 0.0 {
        d.fill(0.0);
        r.copy_from_slice(g);
        value = 0.0;
    }
    let precond = |r: &[f64], y: &mut [f64]| match m {
        Some(m) => y
            .iter_mut()
            .zip(r)
            .zip(m)
            .for_each(|((y, r), m)| *y = r / m),
        None => y.copy_from_slice(r),
    };
    let mut y = vec![0.0; n];
    precond(&r, &mut y);
    let mut p: Vec<f64> = y.iter().map(|v| -v).collect();
    let mut ry = dot(&r, &y);
    let mut values = vec![value];
    let mut kept = Vec::new();
    let mut next_keep = 1.0f64;
    let mut ap = vec![0.0; n];
    for i in 1..=max_iter {
        apply(&p, &mut ap);
        products += 1;
        let curv = dot(&p, &ap);
        if curv.is_nan() || curv <= 0.0 || ry.is_nan() || ry <= 0.0 {
            break;
        }
        let alpha = ry / curv;
        for ((di, ri), (pi, api)) in d.iter_mut().zip(r.iter_mut()).zip(p.iter().zip(&ap)) {
            *di += alpha * pi;
            *ri += alpha * api;
        }
        precond(&r, &mut y);
        let ry_new = dot(&r, &y);
        let beta = ry_new / ry;
        ry = ry_new;
        for (pi, yi) in p.iter_mut().zip(&y) {
            *pi = -yi + beta * *pi;
        }
        let v = phi(&d, &r);
        values.push(v);
        if i as f64 >= next_keep.ceil() {
            kept.push((i, d.clone()));
            while next_keep.ceil() <= i as f64 {
                next_keep *= 1.3;
            }
        }
        let k = 10.max(i / 10);
        if i > k && v < 0.0 && (v - values[i - k]) / v < k as f64 * 5e-4 {
            break;
        }
    }
    let last = values.len() - 1;
    if kept.last().map(|(i, _)| *i) != Some(last) {
        kept.push((last, d));
    }
    CgRun {
        values,
        kept,
        products,
    }
}

/// Hessian-free's damping and warm start across steps.
pub(crate) struct HfState {
    cfg: HessianFree,
    lambda: f64,
    prev: Vec<f64>,
    grad: Vec<f64>,
    scratch: Vec<f64>,
    stats: LayerStats,
}

impl HfState {
    /// The current Levenberg–Marquardt λ.
    #[allow(dead_code)]
    pub fn damping(&self) -> f64 {
        self.lambda
    }

    /// One step on `batch`. Returns f_B at the start.
    pub fn step<F: Layered + ?Sized>(
        &mut self,
        f: &F,
        x: &mut [f64],
        batch: &[usize],
        lr: f64,
        seed: u64,
    ) -> f64 {
        let cfg = self.cfg;
        let mut stats = std::mem::take(&mut self.stats);
        let f0 = f.value_grad_layers(
            x,
            batch,
            &mut self.grad,
            Fisher::Empirical,
            seed,
            &mut stats,
        );
        if !f0.is_finite() {
            return f0;
        }
        let diag = (cfg.precondition_power > 0.0).then(|| self.preconditioner(f, &stats));
        self.stats = stats;
        let c =
            ((cfg.curvature_fraction * batch.len() as f64).ceil() as usize).clamp(1, batch.len());
        let d0: Vec<f64> = self.prev.iter().map(|v| cfg.warm_start * v).collect();
        let mut run = None;
        let (g, lambda) = (&self.grad, self.lambda);
        f.gauss_newton_batch(x, &batch[..c], &mut |op| {
            run = Some(gn_cg(op, g, lambda, diag.as_deref(), &d0, cfg.max_cg));
        });
        let Some(run) = run else { return f0 };
        // CG backtracking: from the last kept iterate back while f_B keeps falling.
        let mut trial = vec![0.0; x.len()];
        let mut eval = |d: &[f64], t: f64, trial: &mut Vec<f64>| {
            for ((ti, xi), di) in trial.iter_mut().zip(x.iter()).zip(d) {
                *ti = xi + t * di;
            }
            f.value_grad_batch(trial, batch, &mut self.scratch)
        };
        let mut best = run.kept.len() - 1;
        let mut f_best = eval(&run.kept[best].1, 1.0, &mut trial);
        while best > 0 {
            let fv = eval(&run.kept[best - 1].1, 1.0, &mut trial);
            if fv < f_best {
                best -= 1;
                f_best = fv;
            } else {
                break;
            }
        }
        let (it, d) = (&run.kept[best].0, &run.kept[best].1);
        // Undamped model value q(d) = φ(d) − ½λ‖d‖².
        let q = run.values[*it] - 0.5 * lambda * dot(d, d);
        let rho = if q < 0.0 {
            (f_best - f0) / q
        } else {
            f64::NEG_INFINITY
        };
        if rho < 0.25 {
            self.lambda *= 1.5;
        } else if rho > 0.75 {
            self.lambda *= 2.0 / 3.0;
        }
        self.lambda = self.lambda.clamp(1e-12, 1e12);
        // Armijo backtracking on η·d.
        let slope = dot(&self.grad, d);
        let mut t = lr;
        let mut accepted = None;
        if slope < 0.0 {
            for _ in 0..40 {
                let ft = if t == 1.0 {
                    f_best
                } else {
                    eval(d, t, &mut trial)
                };
                if ft.is_finite() && ft <= f0 + 1e-2 * t * slope {
                    accepted = Some(t);
                    break;
                }
                t *= 0.8;
            }
        }
        if let Some(t) = accepted {
            for (xi, di) in x.iter_mut().zip(d) {
                *xi += t * di;
            }
        }
        // The warm start is the last CG iterate (Martens 2010, §4.5).
        self.prev.copy_from_slice(&run.kept.last().unwrap().1);
        f0
    }

    /// M = (diag(Σᵢ ∇ℓᵢ²)/m + λ)^ξ from the per-example layer gradients (∇ℓᵢ on Wₗ is gᵢ·āᵢᵀ,
    /// so its squares sum to (g⊙g)ᵀ·(ā⊙ā)); 1 + λ off the layers.
    fn preconditioner<F: Layered + ?Sized>(&self, f: &F, stats: &LayerStats) -> Vec<f64> {
        let mut diag = vec![0.0; self.grad.len()];
        let m = stats.rows as f64;
        for (l, layer) in f.dense_layers().iter().enumerate() {
            let (din, dout) = (layer.inputs, layer.outputs);
            for (a, g) in stats.inputs[l]
                .chunks_exact(din)
                .zip(stats.grads[l].chunks_exact(dout))
            {
                for (i, gi) in g.iter().enumerate() {
                    let g2 = gi * gi;
                    let row = layer.offset + i * din;
                    for (dj, aj) in diag[row..row + din].iter_mut().zip(a) {
                        *dj += g2 * aj * aj;
                    }
                    diag[layer.bias() + i] += g2;
                }
            }
        }
        let (lam, xi) = (self.lambda, self.cfg.precondition_power);
        diag.iter().map(|v| (v / m + lam).powf(xi)).collect()
    }
}
