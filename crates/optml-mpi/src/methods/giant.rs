//! GIANT (Wang, Roosta, Xu & Mahoney 2018, "GIANT: Globally improved approximate Newton method
//! for distributed optimization"): each rank solves its own Newton system with the global
//! gradient, Hᵣ·sᵣ = −g, Hᵣ = (n/nᵣ)·∇²fᵣ + λI its local Hessian (CG, no communication), and
//! the step is their mean s = (1/p)·Σᵣ sᵣ. A line search over the steps α = 1, ½, …, 2^−(m−1)
//! evaluates all m trial values in one round (each rank's losses along the line, summed) and
//! takes the largest α with f(w + α·s) ≤ f(w) + ρ·α·gᵀs. (Where no α passes by more than
//! 8ε|f(w)|, the rounding of f, the slopes along the line sent in the same round pick the step.)
//!
//! The round of the line search also carries f and ∇f at the full step w + s, so an iteration
//! that takes α = 1 costs two rounds (the mean step, the line search; 8·(2d + 2m + 1) bytes),
//! and one with a shorter step a third (the gradient there).

use optml::linalg::{axpy, dot, norm};
use optml::monitor::Monitor;
use optml::solvers::{Report, Status, Stop};
use optml::Objective;

use super::local::cg;
use super::progress::Progress;
use crate::objective::DistGlm;

/// GIANT's options.
#[derive(Clone, Copy, Debug)]
pub struct Giant {
    pub stop: Stop,
    /// Local CG stops at ‖Hᵣ·sᵣ + g‖ ≤ cg_tol·‖g‖ …
    pub cg_tol: f64,
    /// … or after this many local products.
    pub cg_max_iter: usize,
    /// Armijo's ρ.
    pub armijo: f64,
    /// Trial steps of the line search: 1, ½, … (m of them).
    pub steps: usize,
}

impl Default for Giant {
    fn default() -> Self {
        Giant {
            stop: Stop::default(),
            cg_tol: 1e-4,
            cg_max_iter: 50,
            armijo: 1e-4,
            steps: 10,
        }
    }
}

impl Giant {
    /// Moves `w` toward the minimizer of `f` (on every rank, with the same arguments).
    pub fn minimize<M: Monitor + ?Sized>(
        &self,
        f: &DistGlm<'_>,
        w: &mut [f64],
        monitor: &mut M,
    ) -> optml::Result<Report> {
        let mut run = Progress::new("giant", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, w);
        let p = f.comm().size() as f64;
        let alphas: Vec<f64> = (0..self.steps.max(1))
            .map(|j| 0.5f64.powi(j as i32))
            .collect();
        let status = loop {
            if let Some(s) = ended {
                break s;
            }
            run.iter += 1;
            let h = f.local_hessian(w);
            let minus_g: Vec<f64> = g.iter().map(|x| -x).collect();
            let (mut s, used) = cg(&h, &minus_g, self.cg_tol, self.cg_max_iter);
            run.hv_products += used;
            f.comm().sum(&mut s);
            s.iter_mut().for_each(|x| *x /= p);
            let gs = dot(&g, &s);
            if gs.is_nan() || gs >= 0.0 {
                break Status::Stalled;
            }
            let along = f.values_along(w, &s, &alphas);
            let (values, slopes) = (&along.values, &along.slopes);
            run.f_evals += alphas.len();
            let armijo =
                |j: usize, slack: f64| values[j] <= fx + self.armijo * alphas[j] * gs + slack;
            // Within a few roundings of f(w) the test cannot tell a decrease (near the optimum
            // ρ·α·gᵀs falls below them): among the steps it cannot refuse, the one with the
            // smallest slope |∇f(w + α·s)·s| is taken.
            let noise = 8.0 * f64::EPSILON * fx.abs();
            let j = match (0..alphas.len()).find(|&j| armijo(j, 0.0)) {
                Some(j) => j,
                None => match (0..alphas.len())
                    .filter(|&j| armijo(j, noise))
                    .min_by(|&a, &b| slopes[a].abs().total_cmp(&slopes[b].abs()))
                {
                    Some(j) => j,
                    None => break Status::Stalled,
                },
            };
            axpy(alphas[j], &s, w);
            run.g_evals += 1;
            if j == 0 {
                // The full step: its gradient came with the line search.
                fx = along.f_full;
                g = along.grad_full;
            } else {
                fx = f.value_grad(w, &mut g);
            }
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
