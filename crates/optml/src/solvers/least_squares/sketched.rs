//! Gauss–Newton in random subspaces (R-SGN; Cartis, Fowkes & Shao 2022, "Randomised subspace
//! methods for non-convex optimization, with applications to nonlinear least-squares"): each
//! iteration draws S ∈ ℝ^{n×s}, forms the reduced Jacobian J·S from s products, and solves
//! min ‖r + J·S·u‖² subject to ‖u‖ ≤ Δ; the step S·u is accepted when the ratio of actual to
//! predicted decrease is at least η, and Δ grows on success and shrinks on failure.

use rand::seq::index::sample;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::jacobian::{check_start, sum_sq};
use super::levenberg_marquardt::lm_parameter;
use super::residuals::{Residuals, SumOfSquares};
use crate::error::{Error, Result};
use crate::linalg::random::gaussian_vector;
use crate::linalg::{dot, norm};
use crate::monitor::Monitor;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// How the subspace S is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubspaceSketch {
    /// s distinct coordinate directions (J·S is s columns of J).
    Coordinate,
    /// Gaussian entries N(0, 1/s).
    Gaussian,
}

/// Sketched (random-subspace) Gauss–Newton with a trust region on the reduced step.
#[derive(Clone, Debug, PartialEq)]
pub struct SketchedGaussNewton {
    pub stop: Stop,
    /// Subspace dimension s, 1 ≤ s (capped at n). s = n with coordinates is trust-region
    /// Gauss–Newton.
    pub dim: usize,
    pub sketch: SubspaceSketch,
    pub seed: u64,
    /// Initial and largest radius Δ.
    pub radius: f64,
    pub max_radius: f64,
    /// Acceptance threshold η on the ratio ρ.
    pub eta: f64,
    /// Δ ← min(γ_inc·Δ, Δ_max) on success, Δ ← γ_dec·Δ on failure.
    pub gamma_inc: f64,
    pub gamma_dec: f64,
}

impl Default for SketchedGaussNewton {
    fn default() -> Self {
        SketchedGaussNewton {
            stop: Stop {
                max_iter: 100_000,
                ..Stop::absolute(1e-10)
            },
            dim: 10,
            sketch: SubspaceSketch::Coordinate,
            seed: 0,
            radius: 1.0,
            max_radius: 1e10,
            eta: 0.1,
            gamma_inc: 2.0,
            gamma_dec: 0.5,
        }
    }
}

impl SketchedGaussNewton {
    pub fn minimize<R: Residuals + ?Sized, M: Monitor + ?Sized>(
        &self,
        f: &R,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_start(f, x)?;
        if self.dim == 0 {
            return Err(Error::invalid(
                "sketched Gauss-Newton: the subspace dimension must be ≥ 1",
            ));
        }
        if !(self.radius > 0.0
            && self.max_radius >= self.radius
            && self.gamma_dec < 1.0
            && self.gamma_dec > 0.0
            && self.gamma_inc >= 1.0)
        {
            return Err(Error::invalid(
                "sketched Gauss-Newton: invalid trust-region constants",
            ));
        }
        let (m, n) = (f.n_residuals(), f.n_params());
        let s = self.dim.min(n);
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let obj = SumOfSquares(f);
        let mut run = Run::new("sketched-gauss-newton", self.stop, &obj, monitor)?;
        run.hessian = Some("gauss-newton");
        let mut r = vec![0.0; m];
        let mut fx = sum_sq(f, x, &mut r);
        run.f_evals += 1;
        let mut jtr = vec![0.0; n];
        let grad = |x: &[f64], r: &[f64], jtr: &mut [f64]| {
            f.vjp(x, r, jtr);
            2.0 * norm(jtr)
        };
        run.hv_products += 1;
        let mut g_norm = grad(x, &r, &mut jtr);
        let mut ended = run.first(&obj, fx, g_norm);
        let mut delta = self.radius;
        let mut mu = 0.0;
        let mut r_new = vec![0.0; m];
        let mut cols = vec![vec![0.0; m]; s];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let basis: Vec<Vec<f64>> = match self.sketch {
                SubspaceSketch::Coordinate => sample(&mut rng, n, s)
                    .into_iter()
                    .map(|j| {
                        let mut e = vec![0.0; n];
                        e[j] = 1.0;
                        e
                    })
                    .collect(),
                SubspaceSketch::Gaussian => {
                    let scale = 1.0 / (s as f64).sqrt();
                    (0..s)
                        .map(|_| {
                            let mut z = gaussian_vector(n, &mut rng);
                            z.iter_mut().for_each(|v| *v *= scale);
                            z
                        })
                        .collect()
                }
            };
            for (c, b) in cols.iter_mut().zip(&basis) {
                f.jvp(x, b, c);
            }
            run.hv_products += s;
            // The reduced Jacobian J·S (m × s) and its gradient (J·S)ᵀr.
            let js = faer::Mat::from_fn(m, s, |i, q| cols[q][i]);
            let b: Vec<f64> = cols.iter().map(|c| dot(c, &r)).collect();
            if norm(&b) == 0.0 {
                // The gradient is orthogonal to this subspace: it says nothing about Δ.
                if let Some(st) = run.budget_spent() {
                    break st;
                }
                continue;
            }
            let (u, lam) = lm_parameter(&js, &r, &vec![1.0; s], delta, mu);
            mu = lam;
            let mut step = vec![0.0; n];
            for (uq, bq) in u.iter().zip(&basis) {
                crate::linalg::axpy(*uq, bq, &mut step);
            }
            let x_new: Vec<f64> = x.iter().zip(&step).map(|(a, b)| a + b).collect();
            let f_new = sum_sq(f, &x_new, &mut r_new);
            run.f_evals += 1;
            let ju2: f64 = (0..m)
                .map(|i| {
                    u.iter()
                        .zip(&cols)
                        .map(|(uq, c)| uq * c[i])
                        .sum::<f64>()
                        .powi(2)
                })
                .sum();
            let pred = -2.0 * dot(&b, &u) - ju2;
            let rho = if pred > 0.0 {
                (fx - f_new) / pred
            } else {
                -1.0
            };
            if rho >= self.eta && f_new.is_finite() {
                x.copy_from_slice(&x_new);
                std::mem::swap(&mut r, &mut r_new);
                fx = f_new;
                delta = (self.gamma_inc * delta).min(self.max_radius);
                run.hv_products += 1;
                g_norm = grad(x, &r, &mut jtr);
                run.g_evals += 1;
                ended = run.check(&obj, fx, g_norm);
            } else {
                delta *= self.gamma_dec;
                if delta <= f64::EPSILON * norm(x).max(f64::MIN_POSITIVE) || fx == 0.0 {
                    break Status::Stalled;
                } else if let Some(st) = run.budget_spent() {
                    break st;
                }
            }
        };
        Ok(run.finish(&obj, status, fx, g_norm))
    }
}
