//! DINO (Crane & Roosta 2020, "DINO: Distributed Newton-type optimization method", NeurIPS).
//!
//! At w with the global gradient g and the global product H·g (two rounds), each rank r forms,
//! from its local Hessian Hᵣ = (n/nᵣ)·∇²fᵣ + λI and no communication,
//!
//! * v⁽¹⁾ᵣ = argmin_v ‖Hᵣ·v − g‖² + φ²‖v‖² = (Hᵣ² + φ²I)⁻¹·Hᵣ·g  (the paper's H̃ᵣ†·g̃), and
//! * v⁽²⁾ᵣ = (Hᵣ² + φ²I)⁻¹·H·g (the paper's (H̃ᵣᵀH̃ᵣ)⁻¹·H·g, with the global H·g),
//!
//! to relative residual `sub_tol` or `sub_max_iter` iterations. The paper solves them by LSMR,
//! whose iterations converge at the rate of CG on Hᵣ² (condition number κ²). With a ridge λ > 0,
//! Hᵣ ⪰ λI, and the damped solutions differ from v⁽¹⁾ = Hᵣ⁻¹g and v⁽²⁾ = Hᵣ⁻²·H·g by a relative
//! φ²/λ² at most (10⁻¹² for λ ≥ 1, below CG's tolerance), so they are found by CG on Hᵣ itself
//! (rate √κ; v⁽²⁾ by two solves); without a ridge, or with `cgls`, by CG on the damped normal
//! equations (Hᵣ² + φ²I)·v = Hᵣ·g or H·g (CGLS, LSMR's rate). Then
//!
//! * pᵣ = −v⁽¹⁾ᵣ if ⟨v⁽¹⁾ᵣ, H·g⟩ ≥ θ‖g‖², and otherwise
//! * pᵣ = −v⁽¹⁾ᵣ − λᵣ·v⁽²⁾ᵣ with λᵣ = (θ‖g‖² − ⟨v⁽¹⁾ᵣ, H·g⟩) / ⟨v⁽²⁾ᵣ, H·g⟩ > 0 (the
//!   denominator is a positive definite form in H·g),
//!
//! so that ⟨pᵣ, H·g⟩ ≤ −θ‖g‖² on every rank. The step is the mean p = (1/p)·Σᵣ pᵣ (one
//! round), a descent direction for ‖∇f‖². The line search is the paper's, on the gradient
//! norm: the largest α ∈ {1, ½, ¼, …} with ‖∇f(w + α·p)‖² ≤ ‖g‖² + 2αρ·⟨p, H·g⟩, one round
//! per trial (the accepted trial's gradient is the next iteration's g).
//!
//! Defaults as in the paper's code: φ = 10⁻⁶, θ = 10⁻⁴, ρ = 10⁻⁴, subproblems to 10⁻⁴ or 50
//! iterations. (φ and θ are on the objective's own scale; here f is a sum over the rows, so
//! H ≫ φ and φ only guards a singular Hᵣ.)
//!
//! Rounds per iteration: H·g, the mean step, one per line-search trial (3 when α = 1 is taken).

use optml::linalg::{axpy, dot, norm};
use optml::monitor::Monitor;
use optml::solvers::{Report, Status, Stop};
use optml::{Curvature, LinearOperator, Objective};

use super::local::{cg, DampedSquare};
use super::progress::Progress;
use crate::objective::DistGlm;

/// DINO's options (see the module doc).
#[derive(Clone, Copy, Debug)]
pub struct Dino {
    pub stop: Stop,
    /// φ: the damping of the local least-squares problems.
    pub phi: f64,
    /// θ: how much descent on ‖∇f‖² each local direction must give, relative to ‖g‖².
    pub theta: f64,
    /// ρ of the line search on ‖∇f‖².
    pub rho: f64,
    /// Relative residual at which a local CGLS solve stops …
    pub sub_tol: f64,
    /// … or after this many iterations.
    pub sub_max_iter: usize,
    /// Line-search trials before the run is declared stalled.
    pub max_backtracks: usize,
    /// Solve the local problems by CGLS even with a ridge (see the module doc).
    pub cgls: bool,
}

impl Default for Dino {
    fn default() -> Self {
        Dino {
            stop: Stop::default(),
            phi: 1e-6,
            theta: 1e-4,
            rho: 1e-4,
            sub_tol: 1e-4,
            sub_max_iter: 50,
            max_backtracks: 30,
            cgls: false,
        }
    }
}

impl Dino {
    /// Moves `w` toward a point where ∇f vanishes (on every rank, with the same arguments).
    pub fn minimize<M: Monitor + ?Sized>(
        &self,
        f: &DistGlm<'_>,
        w: &mut [f64],
        monitor: &mut M,
    ) -> optml::Result<Report> {
        let mut run = Progress::new("dino", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, w);
        let p = f.comm().size() as f64;
        let n = w.len();
        let status = 'outer: loop {
            if let Some(s) = ended {
                break s;
            }
            run.iter += 1;
            let mut hg = vec![0.0; n];
            f.hessian(w).apply(&g, &mut hg);
            run.hv_products += 1;
            let gg = dot(&g, &g);
            // The local directions.
            let local = f.local_hessian(w);
            let sq = DampedSquare {
                a: &local,
                phi: self.phi,
            };
            let cgls = self.cgls || f.lambda() <= 0.0;
            let (v1, mut used) = if cgls {
                let mut hrg = vec![0.0; n];
                local.apply(&g, &mut hrg);
                let (v, u) = cg(&sq, &hrg, self.sub_tol, self.sub_max_iter);
                (v, 1 + 2 * u)
            } else {
                cg(&local, &g, self.sub_tol, self.sub_max_iter)
            };
            let mut dir: Vec<f64> = v1.iter().map(|x| -x).collect();
            let v1hg = dot(&v1, &hg);
            if v1hg < self.theta * gg {
                let v2 = if cgls {
                    let (v, u) = cg(&sq, &hg, self.sub_tol, self.sub_max_iter);
                    used += 2 * u;
                    v
                } else {
                    let (u, u1) = cg(&local, &hg, self.sub_tol, self.sub_max_iter);
                    let (v, u2) = cg(&local, &u, self.sub_tol, self.sub_max_iter);
                    used += u1 + u2;
                    v
                };
                let v2hg = dot(&v2, &hg);
                if v2hg > 0.0 {
                    axpy(-(self.theta * gg - v1hg) / v2hg, &v2, &mut dir);
                }
            }
            run.hv_products += used;
            f.comm().sum(&mut dir);
            dir.iter_mut().for_each(|x| *x /= p);
            let slope = dot(&dir, &hg);
            if slope.is_nan() || slope >= 0.0 {
                break Status::Stalled;
            }
            // The line search on ‖∇f‖².
            let mut alpha = 1.0;
            let mut trial = vec![0.0; n];
            let mut gt = vec![0.0; n];
            for _ in 0..self.max_backtracks {
                trial.copy_from_slice(w);
                axpy(alpha, &dir, &mut trial);
                let ft = f.value_grad(&trial, &mut gt);
                run.g_evals += 1;
                if dot(&gt, &gt) <= gg + 2.0 * alpha * self.rho * slope {
                    w.copy_from_slice(&trial);
                    fx = ft;
                    std::mem::swap(&mut g, &mut gt);
                    ended = run.check(f, fx, norm(&g));
                    continue 'outer;
                }
                alpha *= 0.5;
            }
            break Status::Stalled;
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
