//! Line-search Newton-CG after LIBLINEAR ≥ 2.40's trainer for L2 logistic regression (Galli &
//! Lin 2021, "A study on truncated Newton methods for linear classification"): a diagonal
//! preconditioner (1−α)·m·I + α·diag(H) and backtracking Armijo. CG stops on the inexact-Newton
//! residual rule ‖H·s + g‖ ≤ ηₖ·‖g‖ with the forcing terms ηₖ of Eisenstat & Walker (1996),
//! which tighten as ‖g‖ falls and so turn the linear rate of a fixed η into a superlinear one;
//! LIBLINEAR's quadratic-model rule with a fixed η remains an option.

use crate::error::Result;
use crate::linalg::{axpy, norm};
use crate::monitor::Monitor;
use crate::objective::Curvature;
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::inner::{jacobi_inverse, newton_pcg_until, CgStop};
use crate::solvers::line_search::armijo_keeping_gradient;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Truncated Newton with a line search.
#[derive(Clone, Debug, PartialEq)]
pub struct NewtonCg {
    pub stop: Stop,
    /// The largest forcing term η_max of the residual rule, and its first value; with
    /// `quadratic_model_stop`, the fixed η of i·(Qᵢ − Qᵢ₋₁) ≥ η·Qᵢ (LIBLINEAR: 0.1).
    pub cg_eta: f64,
    /// Stop CG by LIBLINEAR's quadratic-model rule with the fixed η = `cg_eta` instead of the
    /// residual rule with Eisenstat–Walker forcing terms.
    pub quadratic_model_stop: bool,
    pub max_cg: usize,
    /// Weight α of diag(H) in the preconditioner, 0 for none (LIBLINEAR: 0.01). The identity
    /// part is scaled by m = min_j H_jj, which for a GLM is the regularization 1/C when some
    /// feature is absent, so that this matches LIBLINEAR's (1−α)·I + α·diag(H) there.
    pub precondition: f64,
    /// Sufficient-decrease constant of the Armijo search (LIBLINEAR: 0.01).
    pub armijo_c1: f64,
}

impl Default for NewtonCg {
    fn default() -> Self {
        NewtonCg {
            stop: Stop::default(),
            cg_eta: 0.1,
            quadratic_model_stop: false,
            max_cg: 250,
            precondition: 0.01,
            armijo_c1: 0.01,
        }
    }
}

/// The forcing term of Eisenstat & Walker (1996), "Choosing the forcing terms in an inexact
/// Newton method", choice 2 with γ = 0.9, α = 2: ηₖ = γ·(‖gₖ‖/‖gₖ₋₁‖)^α, kept ≥ γ·ηₖ₋₁^α when
/// that exceeds 0.1 (their safeguard against a too-sharp drop), at most η_max, and η_max at the
/// first step. Near the stop it is kept ≥ ½·τ/‖gₖ‖ for the gradient threshold τ, so that the
/// last step is not solved far beyond what the stop test asks (Kelley 1995, "Iterative methods
/// for linear and nonlinear equations", §6.3).
pub(crate) fn forcing_term(
    eta_max: f64,
    previous: Option<(f64, f64)>,
    g_norm: f64,
    threshold: f64,
) -> f64 {
    const GAMMA: f64 = 0.9;
    let eta = match previous {
        None => eta_max,
        Some((g_prev, eta_prev)) => {
            let eta = GAMMA * (g_norm / g_prev).powi(2);
            let floor = GAMMA * eta_prev * eta_prev;
            if floor > 0.1 {
                eta.max(floor)
            } else {
                eta
            }
        }
    };
    let eta = eta.max(0.5 * threshold / g_norm).min(eta_max);
    if eta.is_finite() {
        eta
    } else {
        eta_max
    }
}

impl NewtonCg {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let mut run = Run::new("newton-cg", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let mut previous = None;
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let h = f.hessian(x);
            let m_inv = jacobi_inverse(&h, self.precondition);
            let g_norm = norm(&g);
            let rule = if self.quadratic_model_stop {
                CgStop::Model(self.cg_eta)
            } else {
                let eta = forcing_term(self.cg_eta, previous, g_norm, run.threshold());
                previous = Some((g_norm, eta));
                CgStop::Residual(eta)
            };
            let step = newton_pcg_until(&h, &g, m_inv.as_deref(), rule, self.max_cg);
            run.hv_products += step.products;
            let (s, slope) = descent_or_steepest(step.s, &g);
            let line = f.line(x, &s);
            let ls = armijo_keeping_gradient(&*line, fx, slope, 1.0, self.armijo_c1, 30);
            run.f_evals += ls.evals;
            // A step that moves no coordinate of x (rounding has swallowed it) cannot help.
            if !ls.accepted || x.iter().zip(&s).all(|(xi, si)| xi + ls.t * si == *xi) {
                break Status::Stalled;
            }
            axpy(ls.t, &s, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}

#[cfg(test)]
mod tests {
    use super::forcing_term;

    #[test]
    fn forcing_terms_follow_eisenstat_walker() {
        // First step: η_max.
        assert_eq!(forcing_term(0.1, None, 5.0, 1e-10), 0.1);
        // A tenfold drop of ‖g‖: 0.9·0.1² = 0.009.
        let eta = forcing_term(0.1, Some((10.0, 0.1)), 1.0, 1e-10);
        assert!((eta - 0.009).abs() < 1e-15);
        // Never above η_max, even when ‖g‖ grows.
        assert_eq!(forcing_term(0.1, Some((1.0, 0.1)), 3.0, 1e-10), 0.1);
        // Safeguard: after η = 0.5, γ·η² = 0.225 > 0.1 bounds the next term from below.
        let eta = forcing_term(0.9, Some((1.0, 0.5)), 1e-3, 1e-10);
        assert!((eta - 0.225).abs() < 1e-15);
        // Near the stop threshold τ: η ≥ ½·τ/‖g‖.
        let eta = forcing_term(0.1, Some((1e-6, 0.01)), 1e-9, 1e-10);
        assert!((eta - 0.05).abs() < 1e-15);
    }
}
