//! DiSCO (Zhang & Xiao 2015, "DiSCO: Distributed optimization for self-concordant empirical
//! loss"): an inexact damped Newton method whose Newton system H·v = g is solved by
//! distributed preconditioned CG. Each CG step is one all-reduced product H·u and one broadcast
//! of rank 0's preconditioned residual z = P⁻¹·r, with P = H₀ + μI built from rank 0's rows
//! alone (H₀ = (n/n₀)·∇²f₀ + λI; P⁻¹·r by local CG, no communication). CG stops at
//! ‖H·v − g‖ ≤ cg_tol·‖g‖; the step is damped, w ← w − v/(1 + δ), with the Newton decrement
//! δ = √(vᵀHv/n) taken on the mean loss f/n, the scale on which the paper's self-concordance
//! holds (for the sum, δ grows like √n and the damping would stall far from the optimum).
//!
//! Rounds per iteration: the gradient, then two per CG step (product, broadcast).

use optml::linalg::{axpy, dot, norm};
use optml::monitor::Monitor;
use optml::solvers::{Report, Status, Stop};
use optml::{Curvature, LinearOperator, Objective};

use super::local::cg;
use super::progress::Progress;
use crate::objective::DistGlm;

/// DiSCO's options.
#[derive(Clone, Copy, Debug)]
pub struct Disco {
    pub stop: Stop,
    /// Distributed PCG stops at ‖H·v − g‖ ≤ cg_tol·‖g‖ …
    pub cg_tol: f64,
    /// … or after this many distributed products.
    pub cg_max_iter: usize,
    /// μ of the preconditioner P = H₀ + μI.
    pub mu: f64,
    /// Rank 0's solves P·z = r stop at this relative residual …
    pub precond_tol: f64,
    /// … or after this many local products.
    pub precond_max_iter: usize,
}

impl Default for Disco {
    fn default() -> Self {
        Disco {
            stop: Stop::default(),
            cg_tol: 1e-4,
            cg_max_iter: 50,
            mu: 0.0,
            precond_tol: 1e-8,
            precond_max_iter: 200,
        }
    }
}

/// P = H₀ + μI on rank 0.
struct Shifted<'a, A> {
    a: &'a A,
    mu: f64,
}

impl<A: LinearOperator> LinearOperator for Shifted<'_, A> {
    fn dim(&self) -> usize {
        self.a.dim()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.a.apply(v, out);
        axpy(self.mu, v, out);
    }
}

impl Disco {
    /// Moves `w` toward the minimizer of `f` (on every rank, with the same arguments).
    pub fn minimize<M: Monitor + ?Sized>(
        &self,
        f: &DistGlm<'_>,
        w: &mut [f64],
        monitor: &mut M,
    ) -> optml::Result<Report> {
        let mut run = Progress::new("disco", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, w);
        let comm = f.comm();
        let n_total = f.n_total() as f64;
        let n = w.len();
        let status = loop {
            if let Some(s) = ended {
                break s;
            }
            run.iter += 1;
            let h = f.hessian(w);
            let local = f.local_hessian(w);
            let p0 = Shifted {
                a: &local,
                mu: self.mu,
            };
            // z = P⁻¹·r on rank 0, broadcast.
            let precond = |r: &[f64], run_hv: &mut usize| -> Vec<f64> {
                let mut z = if comm.rank() == 0 {
                    let (z, used) = cg(&p0, r, self.precond_tol, self.precond_max_iter);
                    *run_hv += used;
                    z
                } else {
                    vec![0.0; n]
                };
                comm.broadcast(0, &mut z);
                z
            };
            let stop = self.cg_tol * norm(&g);
            let mut v = vec![0.0; n];
            let mut hv = vec![0.0; n];
            let mut r = g.clone();
            let mut z = precond(&r, &mut run.hv_products);
            let mut d = z.clone();
            let mut rz = dot(&r, &z);
            let mut hd = vec![0.0; n];
            for _ in 0..self.cg_max_iter {
                h.apply(&d, &mut hd);
                run.hv_products += 1;
                let dhd = dot(&d, &hd);
                if dhd.is_nan() || dhd <= 0.0 {
                    break;
                }
                let alpha = rz / dhd;
                axpy(alpha, &d, &mut v);
                axpy(alpha, &hd, &mut hv);
                axpy(-alpha, &hd, &mut r);
                if norm(&r) <= stop {
                    break;
                }
                z = precond(&r, &mut run.hv_products);
                let rz_new = dot(&r, &z);
                let beta = rz_new / rz;
                rz = rz_new;
                for (di, zi) in d.iter_mut().zip(&z) {
                    *di = zi + beta * *di;
                }
            }
            if v.iter().all(|&x| x == 0.0) {
                break Status::Stalled;
            }
            let delta = (dot(&v, &hv).max(0.0) / n_total).sqrt();
            axpy(-1.0 / (1.0 + delta), &v, w);
            fx = f.value_grad(w, &mut g);
            run.g_evals += 1;
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
