//! Levenberg–Marquardt as Moré (1978), "The Levenberg–Marquardt algorithm: implementation and
//! theory", sets it up (MINPACK's lmder): the step p(λ) = −(JᵀJ + λD²)⁻¹Jᵀr with the scaling
//! D = running max of the Jacobian's column norms, λ chosen so that ‖D·p‖ ≈ Δ (Hebden–Moré
//! iteration on the secular equation), Δ updated by the ratio of actual to predicted decrease.

use faer::Mat;

use super::jacobian::{check_start, sum_sq, Jac};
use super::residuals::{Residuals, SumOfSquares};
use crate::error::Result;
use crate::linalg::{dot, norm};
use crate::monitor::Monitor;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Levenberg–Marquardt with a dense Jacobian (built from n products J·eⱼ where the function
/// offers no dense one): O(mn² + n³) per iteration.
#[derive(Clone, Debug, PartialEq)]
pub struct LevenbergMarquardt {
    pub stop: Stop,
    /// Δ₀ = factor·‖D·x₀‖ (factor where that is 0); MINPACK's default 100.
    pub factor: f64,
    /// Steps with ρ = actual/predicted decrease below this are rejected.
    pub accept: f64,
}

impl Default for LevenbergMarquardt {
    fn default() -> Self {
        LevenbergMarquardt {
            stop: Stop::absolute(1e-10),
            factor: 100.0,
            accept: 1e-4,
        }
    }
}

/// Jᵀr from a dense J.
fn jt_r(j: &Mat<f64>, r: &[f64]) -> Vec<f64> {
    (0..j.ncols())
        .map(|k| (0..j.nrows()).map(|i| j[(i, k)] * r[i]).sum())
        .collect()
}

/// The damped step p = argmin ‖J·p + r‖² + λ‖D·p‖² by Householder QR of [J; √λ·D] (as
/// MINPACK does, never forming JᵀJ), with the triangular factor R (RᵀR = JᵀJ + λD²);
/// `None` where R is numerically singular.
fn damped_step(j: &Mat<f64>, r: &[f64], d: &[f64], lambda: f64) -> Option<(Vec<f64>, Mat<f64>)> {
    let (m, n) = (j.nrows(), j.ncols());
    let rows = if lambda > 0.0 { m + n } else { m };
    if rows < n {
        return None;
    }
    let sl = lambda.sqrt();
    let aug = Mat::from_fn(rows, n, |i, k| {
        if i < m {
            j[(i, k)]
        } else if i - m == k {
            sl * d[k]
        } else {
            0.0
        }
    });
    let qr = aug.qr();
    let q = qr.compute_thin_Q();
    let rr = qr.thin_R().to_owned();
    let big = (0..n).map(|k| rr[(k, k)].abs()).fold(0.0, f64::max);
    if !(big > 0.0 && big.is_finite()) || (0..n).any(|k| rr[(k, k)].abs() <= 1e-14 * big) {
        return None;
    }
    let mut p: Vec<f64> = (0..n)
        .map(|k| -(0..m).map(|i| q[(i, k)] * r[i]).sum::<f64>())
        .collect();
    back_solve(&rr, &mut p);
    p.iter().all(|v| v.is_finite()).then_some((p, rr))
}

/// b ← R⁻¹b for upper-triangular R.
fn back_solve(rr: &Mat<f64>, b: &mut [f64]) {
    for k in (0..b.len()).rev() {
        let tail: f64 = (k + 1..b.len()).map(|l| rr[(k, l)] * b[l]).sum();
        b[k] = (b[k] - tail) / rr[(k, k)];
    }
}

/// b ← R⁻ᵀb for upper-triangular R.
fn forward_solve_t(rr: &Mat<f64>, b: &mut [f64]) {
    for k in 0..b.len() {
        let head: f64 = (0..k).map(|l| rr[(l, k)] * b[l]).sum();
        b[k] = (b[k] - head) / rr[(k, k)];
    }
}

/// The Levenberg–Marquardt parameter for radius Δ (Moré 1978, §5): λ = 0 when the Gauss–Newton
/// step fits in the region, else λ > 0 with |‖Dp‖ − Δ| ≤ 0.1Δ, by Newton's method on
/// φ(λ) = ‖Dp(λ)‖ − Δ inside safeguarding bounds [l, u]. Returns the step and λ.
pub(super) fn lm_parameter(
    j: &Mat<f64>,
    r: &[f64],
    d: &[f64],
    delta: f64,
    lambda0: f64,
) -> (Vec<f64>, f64) {
    let dnorm = |p: &[f64]| norm(&p.iter().zip(d).map(|(a, b)| a * b).collect::<Vec<_>>());
    if let Some((p, _)) = damped_step(j, r, d, 0.0) {
        if dnorm(&p) <= 1.1 * delta {
            return (p, 0.0);
        }
    }
    let g = jt_r(j, r);
    let gd = norm(&g.iter().zip(d).map(|(a, b)| a / b).collect::<Vec<_>>());
    let (mut lo, mut hi) = (0.0, gd / delta);
    let mut lambda = if lambda0 > 0.0 { lambda0 } else { 1e-3 * hi };
    let mut best: Option<(Vec<f64>, f64)> = None;
    for _ in 0..30 {
        if !(lambda > lo && lambda < hi) {
            lambda = (1e-3 * hi).max((lo * hi).sqrt());
        }
        let Some((p, rr)) = damped_step(j, r, d, lambda) else {
            lo = lambda;
            continue;
        };
        let dp = dnorm(&p);
        let phi = dp - delta;
        let done = phi.abs() <= 0.1 * delta || hi - lo <= 1e-14 * hi;
        // φ'(λ) = −(D²p)ᵀ(JᵀJ + λD²)⁻¹(D²p)/‖Dp‖ = −‖R⁻ᵀD²p‖²/‖Dp‖.
        let mut z: Vec<f64> = p.iter().zip(d).map(|(a, b)| a * b * b).collect();
        best = Some((p, lambda));
        if done {
            break;
        }
        forward_solve_t(&rr, &mut z);
        let dphi = -dot(&z, &z) / dp;
        if phi < 0.0 {
            hi = lambda;
        } else {
            lo = lo.max(lambda);
        }
        lambda -= (phi + delta) / delta * phi / dphi;
    }
    best.unwrap_or_else(|| {
        let gn = norm(&g).max(f64::MIN_POSITIVE);
        (g.iter().map(|v| -v * delta / gn).collect(), hi)
    })
}

impl LevenbergMarquardt {
    pub fn minimize<R: Residuals + ?Sized, M: Monitor + ?Sized>(
        &self,
        f: &R,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_start(f, x)?;
        let (m, n) = (f.n_residuals(), f.n_params());
        let obj = SumOfSquares(f);
        let mut run = Run::new("levenberg-marquardt", self.stop, &obj, monitor)?;
        run.hessian = Some("gauss-newton");
        let mut r = vec![0.0; m];
        let mut fx = sum_sq(f, x, &mut r);
        run.f_evals += 1;
        let dense = |x: &[f64], products: &mut usize| -> faer::Mat<f64> {
            match Jac::at(f, x) {
                (Jac::Dense(j), cost) => {
                    *products += cost;
                    j
                }
                (jac, _) => {
                    let mut col = vec![0.0; m];
                    let mut e = vec![0.0; n];
                    let mut j = faer::Mat::zeros(m, n);
                    for k in 0..n {
                        e[k] = 1.0;
                        jac.jv(&e, &mut col);
                        e[k] = 0.0;
                        for (i, c) in col.iter().enumerate() {
                            j[(i, k)] = *c;
                        }
                    }
                    *products += n;
                    j
                }
            }
        };
        let mut j = dense(x, &mut run.hv_products);
        run.g_evals += 1;
        let mut g = jt_r(&j, &r);
        let mut ended = run.first(&obj, fx, 2.0 * norm(&g));
        let mut d = vec![0.0f64; n];
        let mut delta = 0.0;
        let mut lambda = 0.0;
        let mut r_new = vec![0.0; m];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            for (k, dk) in d.iter_mut().enumerate() {
                let col = (0..m).map(|i| j[(i, k)].powi(2)).sum::<f64>().sqrt();
                *dk = dk.max(if col > 0.0 { col } else { 1.0 });
            }
            if run.iter == 1 {
                let dx = norm(&x.iter().zip(&d).map(|(a, b)| a * b).collect::<Vec<_>>());
                delta = if dx > 0.0 {
                    self.factor * dx
                } else {
                    self.factor
                };
            }
            let (p, lam) = lm_parameter(&j, &r, &d, delta, lambda);
            lambda = lam;
            let x_new: Vec<f64> = x.iter().zip(&p).map(|(a, b)| a + b).collect();
            let f_new = sum_sq(f, &x_new, &mut r_new);
            run.f_evals += 1;
            // Predicted decrease ‖r‖² − ‖r + Jp‖² = −2gᵀp − ‖Jp‖².
            let jp2: f64 = (0..m)
                .map(|i| (0..n).map(|k| j[(i, k)] * p[k]).sum::<f64>().powi(2))
                .sum();
            let pred = -2.0 * dot(&g, &p) - jp2;
            let rho = if pred > 0.0 {
                (fx - f_new) / pred
            } else {
                -1.0
            };
            let dp = norm(&p.iter().zip(&d).map(|(a, b)| a * b).collect::<Vec<_>>());
            if rho <= 0.25 || !f_new.is_finite() {
                delta *= 0.5;
            } else if rho >= 0.75 || lambda == 0.0 {
                delta = 2.0 * dp;
            }
            if rho > self.accept && f_new.is_finite() {
                x.copy_from_slice(&x_new);
                std::mem::swap(&mut r, &mut r_new);
                fx = f_new;
                j = dense(x, &mut run.hv_products);
                run.g_evals += 1;
                g = jt_r(&j, &r);
                ended = run.check(&obj, fx, 2.0 * norm(&g));
            } else if delta <= f64::EPSILON * dp.max(norm(x)).max(f64::MIN_POSITIVE) || fx == 0.0 {
                break Status::Stalled;
            } else if let Some(s) = run.budget_spent() {
                break s;
            }
        };
        Ok(run.finish(&obj, status, fx, 2.0 * norm(&g)))
    }
}
