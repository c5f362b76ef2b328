//! Randomized BFGS: the sketched inverse update of Gower & Richtárik (2017), "Randomized
//! quasi-Newton updates are linearly convergent matrix inversion algorithms",
//!
//! H⁺ = S(SᵀAS)⁻¹Sᵀ + (I − S(SᵀAS)⁻¹SᵀA)·H·(I − AS(SᵀAS)⁻¹Sᵀ),
//!
//! the unique H⁺ closest to H in the A-weighted Frobenius norm with H⁺AS = S; and the
//! optimizer of Kovalev, Gower, Richtárik & Rogozin (2020), "Fast linear convergence of
//! randomized BFGS", that applies it with A = ∇²f(x) (τ Hessian-vector products per step)
//! and moves along d = −H·∇f with a Wolfe line search.
//!
//! With a coordinate sketch drawn with pᵢ ∝ Aᵢᵢ, E‖H_k − A⁻¹‖²_{F(A)} contracts by at least
//! 1 − λ_min(A)/tr(A) per step (Gower & Richtárik 2017). The adaptive sketch of the
//! optimizer takes the last τ steps, as block BFGS does (Gao & Goldfarb 2018, "Block BFGS
//! methods"); for inverting a fixed A it takes residual directions (I − HA)·ω, in the spirit of
//! AdaRBFGS.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::inverse_estimate::{quasi_newton_direction, InverseEstimate};
use super::scale::checked_diagonal;
use crate::error::{Error, Result};
use crate::linalg::random::gaussian_vector;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::{Curvature, LinearOperator};
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::line_search::Wolfe;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// How the sketch S (n × τ) is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sketch {
    /// τ distinct unit vectors eᵢ, drawn with probability pᵢ ∝ Aᵢᵢ (uniform where the diagonal
    /// is unknown or not positive).
    Coordinate,
    /// τ standard Gaussian vectors.
    Gaussian,
    /// Directions that carry the current error: the last τ steps of the optimizer (block BFGS),
    /// or residual directions (I − HA)·ω, ω Gaussian, when inverting a fixed A.
    Adaptive,
}

impl InverseEstimate {
    /// One step of randomized BFGS for inverting a fixed SPD `a`: draws S (`tau` columns) by
    /// `sketch`, forms A·S and updates. Returns the products with A it used (τ, or 2τ for the
    /// residual sketch) and whether the update was made.
    pub fn step(
        &mut self,
        a: &impl LinearOperator,
        sketch: Sketch,
        tau: usize,
        rng: &mut ChaCha8Rng,
    ) -> (usize, bool) {
        let n = self.dim();
        let tau = tau.clamp(1, n);
        let mut products = 0;
        let s = match sketch {
            Sketch::Coordinate => coordinate_sketch(a.diagonal().as_deref(), n, tau, rng),
            Sketch::Gaussian => gaussian_sketch(n, tau, rng),
            Sketch::Adaptive => gaussian_sketch(n, tau, rng)
                .into_iter()
                .map(|w| {
                    let mut aw = vec![0.0; n];
                    a.apply(&w, &mut aw);
                    products += 1;
                    let haw = self.apply(&aw);
                    w.iter().zip(&haw).map(|(p, q)| p - q).collect()
                })
                .collect(),
        };
        let y = apply_columns(a, &s);
        products += s.len();
        (products, self.update(&s, &y))
    }
}

/// A·sⱼ for each column sⱼ.
fn apply_columns(a: &impl LinearOperator, s: &[Vec<f64>]) -> Vec<Vec<f64>> {
    s.iter()
        .map(|c| {
            let mut out = vec![0.0; c.len()];
            a.apply(c, &mut out);
            out
        })
        .collect()
}

/// `tau` distinct unit vectors, drawn without replacement with probability ∝ `diag`
/// (uniform where it is missing or has an entry that is not positive and finite).
fn coordinate_sketch(
    diag: Option<&[f64]>,
    n: usize,
    tau: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<f64>> {
    let mut w: Vec<f64> = match diag {
        Some(d) if d.iter().all(|v| v.is_finite() && *v > 0.0) => d.to_vec(),
        _ => vec![1.0; n],
    };
    let mut s = Vec::with_capacity(tau);
    for _ in 0..tau.min(n) {
        let total: f64 = w.iter().sum();
        let mut target = rng.random::<f64>() * total;
        let mut pick = w.iter().rposition(|v| *v > 0.0).unwrap_or(0);
        for (i, wi) in w.iter().enumerate() {
            if *wi > 0.0 && target < *wi {
                pick = i;
                break;
            }
            target -= wi;
        }
        w[pick] = 0.0;
        let mut e = vec![0.0; n];
        e[pick] = 1.0;
        s.push(e);
    }
    s
}

fn gaussian_sketch(n: usize, tau: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    (0..tau).map(|_| gaussian_vector(n, rng)).collect()
}

/// Randomized BFGS as a minimizer: d = −H·∇f, a strong-Wolfe step, then the sketched update
/// of H with A = ∇²f at the new point (τ Hessian-vector products). Where SᵀAS is not positive
/// definite (non-convex regions) the step's secant pair (s, ∇f⁺ − ∇f), whose curvature the
/// Wolfe conditions make positive, updates H instead, as in BFGS.
#[derive(Clone, Debug, PartialEq)]
pub struct Rbfgs {
    pub stop: Stop,
    pub wolfe: Wolfe,
    pub sketch: Sketch,
    /// Sketch size τ ≥ 1 (columns of S), at most n.
    pub tau: usize,
    pub seed: u64,
    /// A diagonal estimate D of the inverse Hessian: the first step is −D·∇f and the estimate
    /// starts from γ·D (γ = sᵀy / yᵀDy) instead of γ·I, as in [`Lbfgs`](super::Lbfgs);
    /// [`fit_glm`](crate::fit::fit_glm) fills it from diag(∇²f(w₀)).
    pub diagonal: Option<Vec<f64>>,
}

impl Default for Rbfgs {
    fn default() -> Self {
        Rbfgs {
            stop: Stop::default(),
            wolfe: Wolfe::default(),
            sketch: Sketch::Adaptive,
            tau: 2,
            seed: 0,
            diagonal: None,
        }
    }
}

impl Rbfgs {
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        if self.tau == 0 {
            return Err(Error::invalid(
                "rbfgs: the sketch size τ must be at least 1",
            ));
        }
        let n = x.len();
        let tau = self.tau.min(n);
        let mut d0 = checked_diagonal(self.diagonal.as_deref(), n, "rbfgs")?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut run = Run::new("rbfgs", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let mut h: Option<InverseEstimate> = None;
        // The last steps, newest first, for the adaptive sketch.
        let mut steps: Vec<Vec<f64>> = Vec::new();
        let mut g_new = vec![0.0; n];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let (quasi_newton, t0) = quasi_newton_direction(h.as_ref(), d0, &g);
            let (d, slope) = descent_or_steepest(quasi_newton, &g);
            let line = f.line(x, &d);
            let (ls, _) = self.wolfe.search(&*line, fx, slope, t0);
            run.f_evals += ls.evals;
            if !(ls.t > 0.0 && (ls.accepted || ls.f < fx)) {
                if h.is_none() {
                    if d0.take().is_some() {
                        // The diagonal misled: steepest descent from here on.
                        continue;
                    }
                    break Status::Stalled;
                }
                // A poor estimate gives a poor direction: restart from H₀ alone.
                h = None;
                steps.clear();
                continue;
            }
            let step: Vec<f64> = d.iter().map(|v| ls.t * v).collect();
            axpy(1.0, &step, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g_new);
            steps.insert(0, step);
            steps.truncate(tau);

            let a = f.hessian(x);
            let s = match self.sketch {
                Sketch::Coordinate => coordinate_sketch(a.diagonal().as_deref(), n, tau, &mut rng),
                Sketch::Gaussian => gaussian_sketch(n, tau, &mut rng),
                Sketch::Adaptive => steps.clone(),
            };
            let y = apply_columns(&a, &s);
            run.hv_products += s.len();
            let est = h.get_or_insert_with(|| {
                InverseEstimate::scaled(&s[0], &y[0], d0, 1.0 / norm(&g_new).max(1.0))
            });
            if !est.update(&s, &y) {
                // The newest step alone, then the secant pair.
                let newest = (self.sketch == Sketch::Adaptive && s.len() > 1)
                    && est.update(&s[..1], &y[..1]);
                if !newest {
                    let secant: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
                    let sy = dot(&steps[0], &secant);
                    if sy > f64::EPSILON * dot(&secant, &secant) && sy.is_finite() {
                        est.update(&steps[..1], &[secant]);
                    }
                }
            }
            std::mem::swap(&mut g, &mut g_new);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_column_is_the_bfgs_update() {
        // τ = 1 is BFGS with the pair (s, y): H⁺y = s, and H⁺ is the dense BFGS formula
        // H⁺ = H − ρ(s·(Hy)ᵀ + (Hy)·sᵀ) + (ρ²·yᵀHy + ρ)·s·sᵀ, ρ = 1/sᵀy, here with H = ½I.
        let mut h = InverseEstimate::identity(3, 0.5);
        let s = vec![1.0, -2.0, 0.5];
        let y = vec![2.0, -1.0, 1.0];
        assert!(h.update(std::slice::from_ref(&s), std::slice::from_ref(&y)));
        let rho = 1.0 / dot(&s, &y);
        let hy: Vec<f64> = y.iter().map(|v| 0.5 * v).collect();
        let c = rho * rho * dot(&y, &hy) + rho;
        for i in 0..3 {
            for j in 0..3 {
                let base = if i == j { 0.5 } else { 0.0 };
                let want = base - rho * (s[i] * hy[j] + hy[i] * s[j]) + c * s[i] * s[j];
                assert!((h.as_slice()[i * 3 + j] - want).abs() < 1e-14);
            }
        }
        let h_y = h.apply(&y);
        for i in 0..3 {
            assert!((h_y[i] - s[i]).abs() < 1e-14, "{h_y:?}");
        }
    }

    #[test]
    fn block_update_meets_the_sketched_equation() {
        // H⁺·A·S = S for a block of τ = 3 columns.
        let a = [
            [4.0, 1.0, 0.0, 0.5],
            [1.0, 3.0, 1.0, 0.0],
            [0.0, 1.0, 2.0, 0.2],
            [0.5, 0.0, 0.2, 1.5],
        ];
        let s = vec![
            vec![1.0, 0.0, -1.0, 2.0],
            vec![0.3, 1.0, 0.0, 0.0],
            vec![0.0, -1.0, 1.0, 1.0],
        ];
        let y: Vec<Vec<f64>> = s
            .iter()
            .map(|c| {
                (0..4)
                    .map(|i| (0..4).map(|j| a[i][j] * c[j]).sum())
                    .collect()
            })
            .collect();
        let mut h = InverseEstimate::identity(4, 1.0);
        assert!(h.update(&s, &y));
        for (sc, yc) in s.iter().zip(&y) {
            let hy = h.apply(yc);
            for i in 0..4 {
                assert!((hy[i] - sc[i]).abs() < 1e-13, "{hy:?} vs {sc:?}");
            }
        }
        // A rank-deficient sketch is refused.
        let dup = vec![s[0].clone(), s[0].clone()];
        let ydup = vec![y[0].clone(), y[0].clone()];
        let before = h.clone();
        assert!(!h.update(&dup, &ydup));
        assert_eq!(h, before);
    }
}
