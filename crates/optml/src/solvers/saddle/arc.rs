//! Adaptive cubic regularization, ARC (Cartis, Gould & Toint 2011, "Adaptive cubic
//! regularisation methods for unconstrained optimization", Part I, Math. Program. 127): each step
//! minimizes the model m(s) = f + gᵀs + ½sᵀHs + (σ/3)‖s‖³ over a Lanczos subspace, and σ adapts
//! to the ratio of actual to predicted decrease. At a first-order stationary point with
//! negative curvature the subspace starts from a Lanczos eigenvector, so ARC leaves saddles.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::second_order::curvature_test;
use crate::error::{Error, Result};
use crate::linalg::krylov::LanczosBasis;
use crate::linalg::{axpy, dot, norm, symmetric_eigen};
use crate::monitor::Monitor;
use crate::objective::{Curvature, LinearOperator};
use crate::solvers::checks::check_dim;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Options of ARC.
#[derive(Clone, Debug, PartialEq)]
pub struct AdaptiveCubic {
    pub stop: Stop,
    /// Initial regularization σ₀; `None`: ‖∇f(x₀)‖ (1 where that is 0), which makes the first
    /// step about as long as a unit one in the scale of the gradient, as a trust region of
    /// radius ‖∇f(x₀)‖ does.
    pub sigma: Option<f64>,
    /// Accept a step when ρ = (f − f(x + s) + δ)/(f − m(s) + δ) ≥ η₁, δ = 10ε·max(1, |f|)
    /// the rounding level of f.
    pub eta1: f64,
    /// Very successful when ρ ≥ η₂: σ shrinks by `shrink` (down to `sigma_min`). Unsuccessful:
    /// σ rises to the value at which the model would have matched f, kept within [2σ, 4σ]
    /// (Gould, Porcelli & Toint 2012).
    pub eta2: f64,
    /// γ₁ of the very successful update σ ← max(γ₁·σ, σ_min); 0.1 as in Agarwal, Boumal,
    /// Bullins & Cartis (2021, "Adaptive regularization with cubics on manifolds"), which lets σ
    /// fall fast once Newton steps succeed.
    pub shrink: f64,
    pub sigma_min: f64,
    /// κ of the subproblem stop ‖∇m(s)‖ ≤ κ·max(min(1, ‖s‖)·‖g‖, ‖s‖²): the "TC.s" rule of
    /// Cartis, Gould & Toint (Part I), or its ‖s‖² form (Part II) that still holds where g = 0.
    pub kappa: f64,
    /// Largest Lanczos subspace per step.
    pub max_krylov: usize,
    /// Second-order test at convergence: the run only counts as converged where the Lanczos
    /// estimate λ_min(H) ≥ −ε·max(1, |λ_max|); otherwise it steps along the negative curvature.
    /// `None` skips the test.
    pub eigen_tol: Option<f64>,
    /// Seed of the Lanczos start vector of the eigenvalue test.
    pub seed: u64,
}

impl Default for AdaptiveCubic {
    fn default() -> Self {
        AdaptiveCubic {
            stop: Stop::default(),
            sigma: None,
            eta1: 0.1,
            eta2: 0.9,
            shrink: 0.1,
            sigma_min: 1e-8,
            kappa: 0.1,
            max_krylov: 100,
            eigen_tol: Some(1e-6),
            seed: 0,
        }
    }
}

/// The minimizer of bᵀy + ½yᵀTy + (σ/3)‖y‖³ over ℝᵏ and the model value there.
///
/// The global minimizer satisfies (T + λI)y = −b with λ = σ‖y‖ ≥ max(0, −λ_min(T))
/// (Cartis, Gould & Toint 2011, Thm 3.1). With T = UΛUᵀ and γ = Uᵀb this is the secular
/// equation ‖y(λ)‖ = (Σ γᵢ²/(Λᵢ + λ)²)^½ = λ/σ, solved by bisection (‖y(λ)‖ − λ/σ decreases);
/// in the hard case (γ ⊥ the bottom eigenvector and ‖y(−λ_min)‖ < −λ_min/σ) the missing length
/// goes along that eigenvector.
pub(crate) fn cubic_subproblem(
    t: &faer::Mat<f64>,
    b: &[f64],
    sigma: f64,
) -> Option<(Vec<f64>, f64)> {
    let k = b.len();
    let (lam, u) = symmetric_eigen(t).ok()?;
    let gamma: Vec<f64> = (0..k)
        .map(|j| (0..k).map(|i| u[(i, j)] * b[i]).sum())
        .collect();
    let lo = (-lam[0]).max(0.0);
    let norm_at = |l: f64| -> f64 {
        gamma
            .iter()
            .zip(&lam)
            .map(|(g, e)| {
                if *g == 0.0 {
                    0.0
                } else {
                    (g / (e + l)).powi(2)
                }
            })
            .sum::<f64>()
            .sqrt()
    };
    let gnorm = norm(&gamma);
    let scale = 1f64.max(lam[k - 1].abs()).max(gnorm);
    // Components along eigenvalues within rounding of λ_min count as the bottom space.
    let bottom = |i: usize| lam[i] - lam[0] <= 1e-12 * scale;
    let bottom_gamma: f64 = (0..k)
        .filter(|&i| bottom(i))
        .map(|i| gamma[i].powi(2))
        .sum();
    let hard = lam[0] < 0.0 && bottom_gamma.sqrt() <= 1e-12 * gnorm.max(f64::MIN_POSITIVE) && {
        let rest: f64 = (0..k)
            .filter(|&i| !bottom(i))
            .map(|i| (gamma[i] / (lam[i] + lo)).powi(2))
            .sum();
        rest.sqrt() <= lo / sigma
    };
    let mut z = vec![0.0; k];
    if hard {
        let mut len2 = 0.0;
        for i in (0..k).filter(|&i| !bottom(i)) {
            z[i] = -gamma[i] / (lam[i] + lo);
            len2 += z[i] * z[i];
        }
        z[0] = ((lo / sigma).powi(2) - len2).max(0.0).sqrt();
    } else if gnorm == 0.0 {
        // b = 0 and T ⪰ 0: y = 0.
        return Some((vec![0.0; k], 0.0));
    } else {
        // Bracket the root of ψ(λ) = ‖y(λ)‖ − λ/σ in (lo, hi].
        let mut a = lo;
        let mut hi = lo + (sigma * gnorm).sqrt().max(1e-300);
        while norm_at(hi) > hi / sigma {
            a = hi;
            hi *= 2.0;
        }
        for _ in 0..200 {
            let mid = 0.5 * (a + hi);
            if mid <= a || mid >= hi {
                break;
            }
            if norm_at(mid) > mid / sigma {
                a = mid;
            } else {
                hi = mid;
            }
        }
        for i in 0..k {
            z[i] = -gamma[i] / (lam[i] + hi);
        }
    }
    let y: Vec<f64> = (0..k)
        .map(|i| (0..k).map(|j| u[(i, j)] * z[j]).sum())
        .collect();
    // m(y) − f = γᵀz + ½Σ Λᵢzᵢ² + (σ/3)‖z‖³.
    let zn = norm(&z);
    let value = dot(&gamma, &z)
        + 0.5 * z.iter().zip(&lam).map(|(zi, e)| e * zi * zi).sum::<f64>()
        + sigma / 3.0 * zn.powi(3);
    Some((y, value))
}

/// σ after a rejected step: the regularization at which the cubic model would have matched f
/// at the trial point, σ_fit = σ + 3(f(x + s) − m(s))/‖s‖³ (Gould, Porcelli & Toint 2012,
/// "Updating the regularization parameter in the adaptive cubic regularization algorithm",
/// Comput. Optim. Appl. 53), kept inside the interval [γ₂σ, γ₃σ] = [2σ, 4σ] of the ARC framework
/// (Cartis, Gould & Toint 2011, Part I, Alg. 2.1), which keeps its convergence theory. σ only
/// doubles where the fit is not finite (a trial value of ±∞ or NaN, or s = 0).
/// `predicted` is f − m(s), `actual` is f − f(x + s).
pub(crate) fn sigma_after_rejection(sigma: f64, predicted: f64, actual: f64, snorm: f64) -> f64 {
    let fit = sigma + 3.0 * (predicted - actual) / snorm.powi(3);
    if fit.is_finite() {
        fit.clamp(2.0 * sigma, 4.0 * sigma)
    } else {
        2.0 * sigma
    }
}

/// A step of the cubic model from a Lanczos subspace.
pub(crate) struct CubicStep {
    pub s: Vec<f64>,
    /// m(s) − f (negative for a useful step).
    pub model_decrease: f64,
}

/// Grows `lz` (built on H at x) until the subspace minimizer s of the cubic model meets the
/// stop rule, the subspace is exhausted, or it holds `max_dim` vectors. The rule is "TC.s" of
/// Cartis, Gould & Toint (Part I), ‖∇m(s)‖ ≤ κ·min(1, ‖s‖)·‖g‖, a forcing term that shrinks with
/// the step and so keeps Newton's fast local rate on ill-conditioned Hessians. Where the subspace
/// starts from a direction of negative curvature (`escape`: g is below the tolerance, so TC.s
/// would ask for an exact solve) it is the ‖s‖² form of Part II, ‖∇m(s)‖ ≤ κ·max(min(1, ‖s‖)·‖g‖,
/// ‖s‖²), which still holds where g = 0. ∇m(s) = g + Hs + σ‖s‖s = (g − QQᵀg) + βₖyₖqₖ₊₁ at the
/// subspace minimizer.
pub(crate) fn cubic_step(
    h: &impl LinearOperator,
    lz: &mut LanczosBasis,
    g: &[f64],
    sigma: f64,
    kappa: f64,
    max_dim: usize,
    escape: bool,
) -> Option<CubicStep> {
    let gn = norm(g);
    loop {
        if lz.len() == 0 && !lz.step(h) {
            return None;
        }
        let b = lz.project(g);
        let (y, value) = cubic_subproblem(&lz.tridiagonal(), &b, sigma)?;
        let s = lz.combine(&y);
        let mut grad_m: Vec<f64> = g.to_vec();
        axpy(-1.0, &lz.combine(&b), &mut grad_m);
        if let Some(q) = lz.next_vector() {
            axpy(lz.residual() * y[y.len() - 1], q, &mut grad_m);
        }
        let model_grad = norm(&grad_m);
        let sn = norm(&s);
        let tc_s = sn.min(1.0) * gn;
        let done = model_grad <= kappa * if escape { tc_s.max(sn * sn) } else { tc_s };
        if done || lz.len() >= max_dim || lz.exhausted() || !lz.step(h) {
            return Some(CubicStep {
                s,
                model_decrease: value,
            });
        }
    }
}

impl AdaptiveCubic {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let sigma_ok = self.sigma.is_none_or(|s| s > 0.0 && s.is_finite());
        let shrink_ok = 0.0 < self.shrink && self.shrink <= 1.0;
        if !(sigma_ok
            && shrink_ok
            && self.sigma_min > 0.0
            && 0.0 < self.eta1
            && self.eta1 <= self.eta2)
        {
            return Err(Error::invalid(
                "ARC: need σ₀ > 0, σ_min > 0, 0 < γ₁ ≤ 1 and 0 < η₁ ≤ η₂",
            ));
        }
        let n = x.len();
        let max_dim = self.max_krylov.clamp(1, n);
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut run = Run::new("arc", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let g0 = norm(&g);
        let mut sigma = self
            .sigma
            .unwrap_or(if g0 > 0.0 && g0.is_finite() { g0 } else { 1.0 })
            .max(self.sigma_min);
        let mut min_eig: Option<(f64, bool)> = None;
        let mut trial = vec![0.0; n];
        // The Lanczos start: g, or an eigenvector of negative curvature at a saddle.
        let mut start: Option<Vec<f64>> = None;
        let mut rejected = 0;
        let status = 'outer: loop {
            // A converged gradient test stands only where the curvature test passes too.
            let converged = ended.is_some_and(|s| s.converged());
            if let Some(eps) = self.eigen_tol.filter(|_| converged) {
                let h = f.hessian(x);
                let Some(test) = curvature_test(&h, &g, eps, max_dim, &mut rng) else {
                    break Status::NonFinite;
                };
                run.hv_products += test.products;
                min_eig = Some((test.min_eigenvalue, test.passed));
                if !test.passed {
                    if let Some(spent) = run.budget_spent() {
                        break spent;
                    }
                    start = Some(test.direction);
                    ended = None;
                }
            }
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let h = f.hessian(x);
            let escape = start.is_some();
            let init = start.take().unwrap_or_else(|| g.clone());
            let Some(mut lz) = LanczosBasis::new(&init) else {
                break Status::Stalled;
            };
            // Rejected steps keep the subspace: only σ changes. `flat`: the accepted step was lost
            // in rounding (its predicted decrease below the rounding level of f, and ‖∇f‖ did
            // not fall).
            let flat = loop {
                let Some(step) = cubic_step(&h, &mut lz, &g, sigma, self.kappa, max_dim, escape)
                else {
                    run.hv_products += lz.products;
                    break 'outer Status::NonFinite;
                };
                trial.copy_from_slice(x);
                axpy(1.0, &step.s, &mut trial);
                let f_trial = f.value(&trial);
                run.f_evals += 1;
                let predicted = -step.model_decrease;
                // Decreases at the level of rounding in f count as agreeing (Conn, Gould &
                // Toint 2000, "Trust-region methods", §17.4.2), so that σ does not blow up there.
                let noise = 10.0 * f64::EPSILON * fx.abs().max(1.0);
                let rho = if predicted > 0.0 && f_trial.is_finite() {
                    (fx - f_trial + noise) / (predicted + noise)
                } else {
                    f64::NEG_INFINITY
                };
                if rho >= self.eta1 {
                    if rho >= self.eta2 {
                        sigma = (self.shrink * sigma).max(self.sigma_min);
                    }
                    x.copy_from_slice(&trial);
                    let g_before = norm(&g);
                    fx = f.value_grad(x, &mut g);
                    run.g_evals += 1;
                    rejected = 0;
                    min_eig = None;
                    break predicted <= noise && norm(&g) >= g_before;
                }
                sigma = sigma_after_rejection(sigma, predicted, fx - f_trial, norm(&step.s));
                rejected += 1;
                if rejected > 60 || !sigma.is_finite() {
                    run.hv_products += lz.products;
                    break 'outer Status::Stalled;
                }
            };
            run.hv_products += lz.products;
            ended = run.check(f, fx, norm(&g));
            // Neither f nor ∇f can improve any further at this precision: the run has stalled
            // at the rounding level (as the trust-region method stalls when its radius falls
            // below the spacing of x), instead of wandering until the iteration limit.
            if ended.is_none() && flat {
                break Status::Stalled;
            }
        };
        let mut report = run.finish(f, status, fx, norm(&g));
        if let Some((v, ok)) = min_eig {
            report.min_eigenvalue = Some(v);
            report.second_order = Some(ok);
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faer::Mat;
    use rand::Rng;

    fn model(t: &Mat<f64>, b: &[f64], sigma: f64, y: &[f64]) -> f64 {
        let k = b.len();
        let mut v = dot(b, y) + sigma / 3.0 * norm(y).powi(3);
        for i in 0..k {
            for j in 0..k {
                v += 0.5 * y[i] * t[(i, j)] * y[j];
            }
        }
        v
    }

    #[test]
    fn rejected_step_raises_sigma_to_the_fitted_value_within_the_interval() {
        // f(x + s) − m(s) = 0.5 with ‖s‖ = 1: the model matches f at σ + 1.5.
        let (predicted, actual) = (1.0, 0.5);
        assert_eq!(sigma_after_rejection(1.0, predicted, actual, 1.0), 2.5);
        // The fit is taken only inside [2σ, 4σ].
        assert_eq!(sigma_after_rejection(1.0, 1.0, 0.9, 1.0), 2.0);
        assert_eq!(sigma_after_rejection(1.0, 1.0, -10.0, 1.0), 4.0);
        // With m(s) = f + gᵀs + ½sᵀHs + (σ/3)‖s‖³ and f(x + s) that model at σ_fit, the rule
        // returns σ_fit: check on a step of length 0.3.
        let (sigma, sn, fit) = (0.7, 0.3f64, 2.1);
        let quadratic = -0.4;
        let model = quadratic + sigma / 3.0 * sn.powi(3);
        let trial = quadratic + fit / 3.0 * sn.powi(3);
        let got = sigma_after_rejection(sigma, -model, -trial, sn);
        assert!((got - fit).abs() < 1e-12, "{got}");
        // A non-finite trial value or a zero step only doubles σ.
        assert_eq!(sigma_after_rejection(3.0, 1.0, f64::NEG_INFINITY, 1.0), 6.0);
        assert_eq!(sigma_after_rejection(3.0, 0.0, 0.0, 0.0), 6.0);
    }

    #[test]
    fn subproblem_minimizer_is_global_and_stationary() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for case in 0..40 {
            let k = 1 + case % 6;
            let mut t = Mat::<f64>::zeros(k, k);
            for i in 0..k {
                t[(i, i)] = rng.random_range(-3.0..3.0);
                if i + 1 < k {
                    let c = rng.random_range(-1.0..1.0);
                    t[(i, i + 1)] = c;
                    t[(i + 1, i)] = c;
                }
            }
            // Every fourth case has b = 0: the hard case when T has a negative eigenvalue.
            let b: Vec<f64> = (0..k)
                .map(|_| {
                    if case % 4 == 0 {
                        0.0
                    } else {
                        rng.random_range(-1.0..1.0)
                    }
                })
                .collect();
            let sigma = rng.random_range(0.1..5.0);
            let (y, value) = cubic_subproblem(&t, &b, sigma).unwrap();
            assert!((value - model(&t, &b, sigma, &y)).abs() < 1e-10);
            // ∇m(y) = b + Ty + σ‖y‖y = 0.
            let yn = norm(&y);
            for i in 0..k {
                let gi: f64 =
                    b[i] + (0..k).map(|j| t[(i, j)] * y[j]).sum::<f64>() + sigma * yn * y[i];
                assert!(gi.abs() < 1e-8, "case {case}: ∇m = {gi}");
            }
            // No random point does better.
            for _ in 0..200 {
                let z: Vec<f64> = (0..k).map(|_| rng.random_range(-3.0..3.0)).collect();
                assert!(model(&t, &b, sigma, &z) >= value - 1e-10, "case {case}");
            }
        }
    }
}
