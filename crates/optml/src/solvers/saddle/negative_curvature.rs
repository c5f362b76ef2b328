//! Negative curvature: the Lanczos test of second-order stationarity, λ_min(∇²f) ≥ −ε, the
//! step along a direction of negative curvature where it fails, and a Newton-CG method that takes
//! such steps once the gradient is small, so that it leaves saddle points (Moré & Sorensen 1979,
//! "On the use of directions of negative curvature in a modified Newton method"; Royer & Wright
//! 2018, "Complexity analysis of second-order line-search algorithms for smooth nonconvex
//! optimization").

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::second_order::{curvature_test, CurvatureTest};
use crate::error::Result;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::{Curvature, Objective};
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::inner::jacobi_inverse;
use crate::solvers::inner::newton_pcg;
use crate::solvers::line_search::armijo_keeping_gradient;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// A step t·v along a direction of negative curvature λ = vᵀHv < 0 (‖v‖ = 1, gᵀv ≤ 0): from
/// t₀ = 2|λ|/L (L = ‖H‖ estimate), halving until f(x + tv) ≤ f + t·gᵀv + ¼·t²·λ, the decrease
/// the quadratic model promises (½t²λ) up to a factor ½. Returns (t, f(x + tv), evaluations).
pub(crate) fn negative_curvature_step(
    f: &impl Objective,
    x: &[f64],
    fx: f64,
    g: &[f64],
    test: &CurvatureTest,
) -> (Option<(f64, f64)>, usize) {
    let lam = test.min_eigenvalue;
    let v = &test.direction;
    let slope = dot(g, v);
    let mut t = 2.0 * lam.abs() / test.scale.max(lam.abs());
    let mut trial = vec![0.0; x.len()];
    for k in 1..=60 {
        trial.copy_from_slice(x);
        axpy(t, v, &mut trial);
        let ft = f.value(&trial);
        if ft.is_finite() && ft <= fx + t * slope + 0.25 * t * t * lam && ft < fx {
            return (Some((t, ft)), k);
        }
        t *= 0.5;
    }
    (None, 60)
}

/// Line-search Newton-CG that, wherever the gradient test passes (or the Newton step fails),
/// estimates λ_min(∇²f) by Lanczos and, if it is below −ε, steps along the eigenvector
/// (backtracking from t₀ = 2|λ|/‖H‖ until f falls by the model's ¼t²|λ|). It stops only at
/// approximate second-order stationary points (or on its budget), and says so in
/// [`Report::second_order`].
#[derive(Clone, Debug, PartialEq)]
pub struct NegativeCurvatureNewton {
    pub stop: Stop,
    /// ε of the test λ_min ≥ −ε·max(1, ‖H‖).
    pub eigen_tol: f64,
    /// η of the Newton-CG stop rule (see [`NewtonCg`](crate::solvers::NewtonCg)).
    pub cg_eta: f64,
    pub max_cg: usize,
    /// Largest Lanczos subspace of the eigenvalue estimate.
    pub max_lanczos: usize,
    pub seed: u64,
}

impl Default for NegativeCurvatureNewton {
    fn default() -> Self {
        NegativeCurvatureNewton {
            stop: Stop::default(),
            eigen_tol: 1e-6,
            cg_eta: 0.1,
            max_cg: 250,
            max_lanczos: 100,
            seed: 0,
        }
    }
}

impl NegativeCurvatureNewton {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut run = Run::new("newton-nc", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let mut verdict: Option<(f64, bool)> = None;
        // Whether the next iteration must try negative curvature (the gradient test passed or
        // the Newton step failed).
        let mut small = ended.is_some_and(|s| s.converged());
        if small {
            ended = None;
        }
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            let h = f.hessian(x);
            if small {
                let Some(test) = curvature_test(&h, &g, self.eigen_tol, self.max_lanczos, &mut rng)
                else {
                    break Status::NonFinite;
                };
                run.hv_products += test.products;
                verdict = Some((test.min_eigenvalue, test.passed));
                if test.passed {
                    break if norm(&g) <= run.threshold() {
                        converged_status(self.stop)
                    } else {
                        Status::Stalled
                    };
                }
                if let Some(spent) = run.budget_spent() {
                    break spent;
                }
                run.iter += 1;
                let (step, evals) = negative_curvature_step(f, x, fx, &g, &test);
                run.f_evals += evals;
                let Some((t, _)) = step else {
                    break Status::Stalled;
                };
                axpy(t, &test.direction, x);
                fx = f.value_grad(x, &mut g);
                run.g_evals += 1;
            } else {
                run.iter += 1;
                let m_inv = jacobi_inverse(&h, 0.01);
                let step = newton_pcg(&h, &g, m_inv.as_deref(), self.cg_eta, self.max_cg);
                run.hv_products += step.products;
                let (s, slope) = descent_or_steepest(step.s, &g);
                let line = f.line(x, &s);
                let ls = armijo_keeping_gradient(&*line, fx, slope, 1.0, 1e-4, 30);
                run.f_evals += ls.evals;
                if !ls.accepted {
                    // No decrease along the Newton direction: look for negative curvature.
                    small = true;
                    continue;
                }
                axpy(ls.t, &s, x);
                fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g);
            }
            verdict = None;
            ended = run.check(f, fx, norm(&g));
            small = ended.is_some_and(|s| s.converged());
            if small {
                ended = None;
            }
        };
        let mut report = run.finish(f, status, fx, norm(&g));
        if let Some((v, ok)) = verdict {
            report.min_eigenvalue = Some(v);
            report.second_order = Some(ok);
        }
        Ok(report)
    }
}

fn converged_status(stop: Stop) -> Status {
    if stop.relative {
        Status::ConvergedRelativeGradient
    } else {
        Status::ConvergedAbsoluteGradient
    }
}
