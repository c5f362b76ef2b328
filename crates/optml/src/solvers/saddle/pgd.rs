//! Perturbed gradient descent (Jin, Ge, Netrapalli, Kakade & Jordan 2017, "How to escape saddle
//! points efficiently", Algorithm 2): gradient descent with step c/ℓ that, where the gradient is
//! small, adds a random perturbation from a ball and watches whether f then falls; if it does not
//! within t_thres steps, the point before the perturbation is an ε-second-order stationary point
//! (‖∇f‖ ≤ ε, λ_min(∇²f) ≥ −√(ρε)) with probability ≥ 1 − δ.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::linalg::random::uniform_ball;
use crate::linalg::{axpy, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::checks::check_dim;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Options of PGD: the problem's constants (ℓ-smooth gradient, ρ-Lipschitz Hessian, a bound
/// Δ_f ≥ f(x₀) − f*) and the target ε, from which the paper's constants follow.
#[derive(Clone, Debug, PartialEq)]
pub struct PerturbedGd {
    /// Iteration and time budget; PGD's own test, not the gradient test, decides convergence.
    pub stop: Stop,
    /// Gradient Lipschitz constant ℓ.
    pub ell: f64,
    /// Hessian Lipschitz constant ρ.
    pub rho: f64,
    /// Target ε: ‖∇f‖ ≤ ε and λ_min ≥ −√(ρε).
    pub eps: f64,
    /// The absolute constant c ≤ 1 of the paper (step c/ℓ).
    pub c: f64,
    /// Failure probability δ.
    pub delta: f64,
    /// Δ_f ≥ f(x₀) − f*.
    pub delta_f: f64,
    pub seed: u64,
}

impl Default for PerturbedGd {
    fn default() -> Self {
        PerturbedGd {
            stop: Stop {
                max_iter: 1_000_000,
                ..Stop::default()
            },
            ell: 1.0,
            rho: 1.0,
            eps: 1e-4,
            c: 0.5,
            delta: 0.1,
            delta_f: 1.0,
            seed: 0,
        }
    }
}

/// The constants of Algorithm 2.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PgdConstants {
    /// χ = 3·max(log(dℓΔ_f/(cε²δ)), 4).
    pub chi: f64,
    /// η = c/ℓ.
    pub eta: f64,
    /// Perturbation radius r = (√c/χ²)·(ε/ℓ).
    pub r: f64,
    /// g_thres = (√c/χ²)·ε.
    pub g_thres: f64,
    /// f_thres = (c/χ³)·√(ε³/ρ).
    pub f_thres: f64,
    /// t_thres = (χ/c²)·(ℓ/√(ρε)), rounded up.
    pub t_thres: usize,
}

impl PerturbedGd {
    /// The paper's constants for dimension d.
    pub fn constants(&self, d: usize) -> Result<PgdConstants> {
        let positive = [
            self.ell,
            self.rho,
            self.eps,
            self.c,
            self.delta,
            self.delta_f,
        ];
        if positive.iter().any(|v| !(v.is_finite() && *v > 0.0))
            || self.c > 1.0
            || self.delta >= 1.0
        {
            return Err(Error::invalid(
                "PGD: ℓ, ρ, ε, Δ_f must be positive, 0 < c ≤ 1 and 0 < δ < 1",
            ));
        }
        let (l, c, e) = (self.ell, self.c, self.eps);
        let chi = 3.0
            * (d as f64 * l * self.delta_f / (c * e * e * self.delta))
                .ln()
                .max(4.0);
        let t_thres = (chi / (c * c) * l / (self.rho * e).sqrt()).ceil();
        if t_thres > 1e12 {
            return Err(Error::invalid(format!(
                "PGD: t_thres = {t_thres:.1e} iterations; loosen ε or check ℓ and ρ"
            )));
        }
        Ok(PgdConstants {
            chi,
            eta: c / l,
            r: c.sqrt() / (chi * chi) * e / l,
            g_thres: c.sqrt() / (chi * chi) * e,
            f_thres: c / chi.powi(3) * (e.powi(3) / self.rho).sqrt(),
            t_thres: t_thres as usize,
        })
    }

    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let n = x.len();
        let k = self.constants(n)?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut run = Run::new("pgd", self.stop, f, monitor)?;
        let mut g = vec![0.0; n];
        let mut fx = f.value_grad(x, &mut g);
        run.g_evals += 1;
        // The point before the last perturbation, f there, and the iteration it was taken.
        let mut anchor: Option<(Vec<f64>, f64, Vec<f64>, usize)> = None;
        let first = run.first(f, fx, norm(&g));
        let mut ended = ignore_convergence(&run, first);
        let mut certified = false;
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            let t = run.iter;
            let since = anchor.as_ref().map(|a| t - a.3);
            if norm(&g) <= k.g_thres && since.is_none_or(|s| s > k.t_thres) {
                // Perturb by ξ uniform in the ball of radius r.
                anchor = Some((x.to_vec(), fx, g.clone(), t));
                let xi = uniform_ball(n, k.r, &mut rng);
                axpy(1.0, &xi, x);
                fx = f.value_grad(x, &mut g);
                run.g_evals += 1;
            }
            if let Some((xa, fa, ga, ta)) = &anchor {
                if t - ta == k.t_thres && fx - fa > -k.f_thres {
                    // No escape: the anchor is an ε-second-order stationary point (w.h.p.).
                    x.copy_from_slice(xa);
                    fx = *fa;
                    g.copy_from_slice(ga);
                    certified = true;
                    break Status::ConvergedAbsoluteGradient;
                }
            }
            run.iter += 1;
            axpy(-k.eta, &g, x);
            fx = f.value_grad(x, &mut g);
            run.g_evals += 1;
            let verdict = run.check(f, fx, norm(&g));
            ended = ignore_convergence(&run, verdict);
        };
        let mut report = run.finish(f, status, fx, norm(&g));
        if certified {
            report.second_order = Some(true);
        }
        Ok(report)
    }
}

/// PGD ends by its own test: a gradient-test verdict only stands for the budget it hides.
fn ignore_convergence<M: Monitor + ?Sized>(run: &Run<'_, M>, s: Option<Status>) -> Option<Status> {
    match s {
        Some(s) if s.converged() => run.budget_spent(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_follow_the_paper() {
        let p = PerturbedGd {
            ell: 2.0,
            rho: 3.0,
            eps: 1e-2,
            c: 0.25,
            delta: 0.1,
            delta_f: 5.0,
            ..Default::default()
        };
        let k = p.constants(10).unwrap();
        let chi = 3.0 * (10.0f64 * 2.0 * 5.0 / (0.25 * 1e-4 * 0.1)).ln();
        assert!((k.chi - chi).abs() < 1e-12);
        assert_eq!(k.eta, 0.125);
        assert!((k.r - 0.5 / (chi * chi) * 1e-2 / 2.0).abs() < 1e-18);
        assert!((k.g_thres - 0.5 / (chi * chi) * 1e-2).abs() < 1e-18);
        assert!((k.f_thres - 0.25 / chi.powi(3) * (1e-6f64 / 3.0).sqrt()).abs() < 1e-18);
        assert_eq!(
            k.t_thres,
            (chi / 0.0625 * 2.0 / (3e-2f64).sqrt()).ceil() as usize
        );
        assert!(PerturbedGd {
            c: 2.0,
            ..p.clone()
        }
        .constants(10)
        .is_err());
        assert!(PerturbedGd { rho: 0.0, ..p }.constants(10).is_err());
    }

    #[test]
    fn ball_samples_lie_in_the_ball_and_fill_it() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let norms: Vec<f64> = (0..2000)
            .map(|_| norm(&uniform_ball(3, 2.0, &mut rng)))
            .collect();
        assert!(norms.iter().all(|&r| r <= 2.0));
        // P(‖ξ‖ ≤ r/2) = 1/8 in three dimensions.
        let inner = norms.iter().filter(|&&r| r <= 1.0).count() as f64 / 2000.0;
        assert!((inner - 0.125).abs() < 0.03, "{inner}");
    }
}
