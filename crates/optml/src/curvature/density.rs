//! Spectral density by stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017, "Fast estimation
//! of tr(f(A)) via stochastic Lanczos quadrature"; Ghorbani, Krishnan & Xiao 2019, "An
//! investigation into neural net optimization via Hessian eigenvalue density").
//!
//! For a unit probe v, m Lanczos steps from v give T_m = S·diag(θ)·Sᵀ; the Gauss quadrature
//! with nodes θᵢ and weights wᵢ = S₁ᵢ² matches vᵀ·p(H)·v for every polynomial of degree < 2m.
//! With Rademacher probes, E[vᵀ·g(H)·v] = (1/n)·Σ g(λⱼ), so the averaged quadratures
//! approximate the spectral measure (1/n)·Σ δ(t − λⱼ); the smoothed density is
//! φ(t) = (1/n_v)·Σ_v Σᵢ wᵢ·N(t; θᵢ, σ²).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::check_operator;
use crate::error::{Error, Result};
use crate::linalg::krylov::LanczosBasis;
use crate::linalg::random::rademacher_vector;
use crate::linalg::{dot, symmetric_eigen};
use crate::objective::LinearOperator;

/// Options of stochastic Lanczos quadrature.
#[derive(Clone, Debug)]
pub struct Slq {
    /// Random probes (PyHessian's `n_v`).
    pub probes: usize,
    /// Lanczos steps per probe (PyHessian's `iter`), capped at the dimension.
    pub steps: usize,
    /// Width of the Gaussians, relative to the spread of the nodes.
    pub sigma_rel: f64,
    /// Points of the grid on which the density is evaluated.
    pub grid: usize,
    pub seed: u64,
}

impl Default for Slq {
    fn default() -> Self {
        Slq {
            probes: 1,
            steps: 100,
            sigma_rel: 0.01,
            grid: 1000,
            seed: 0,
        }
    }
}

/// Quadrature nodes and weights per probe, and the smoothed density on a grid.
#[derive(Clone, Debug, Serialize)]
pub struct SpectralDensity {
    /// Ritz values of each probe.
    pub nodes: Vec<Vec<f64>>,
    /// Their weights (each probe's sum to 1).
    pub weights: Vec<Vec<f64>>,
    pub grid: Vec<f64>,
    /// φ on `grid`; integrates to 1.
    pub density: Vec<f64>,
    /// Width of the Gaussians.
    pub sigma: f64,
    pub products: usize,
}

impl SpectralDensity {
    /// Σᵢ wᵢ·θᵢ for each probe: vᵀHv, an unbiased estimate of tr(H)/n.
    pub fn probe_means(&self) -> Vec<f64> {
        self.nodes
            .iter()
            .zip(&self.weights)
            .map(|(t, w)| dot(t, w))
            .collect()
    }

    /// The mean of the estimated spectrum (tr(H)/n) and its standard error over the probes
    /// (∞ with one probe).
    pub fn mean(&self) -> (f64, f64) {
        let m = self.probe_means();
        let k = m.len() as f64;
        let mean = m.iter().sum::<f64>() / k;
        if m.len() < 2 {
            return (mean, f64::INFINITY);
        }
        let var = m.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0);
        (mean, (var / k).sqrt())
    }

    /// ∫φ over the grid (trapezoid rule).
    pub fn integral(&self) -> f64 {
        self.grid
            .windows(2)
            .zip(self.density.windows(2))
            .map(|(t, p)| 0.5 * (t[1] - t[0]) * (p[0] + p[1]))
            .sum()
    }
}

impl Slq {
    pub fn run<A: LinearOperator + ?Sized>(&self, a: &A) -> Result<SpectralDensity> {
        let n = check_operator(a)?;
        if self.probes == 0 || self.steps == 0 || self.grid < 2 {
            return Err(Error::invalid(
                "SLQ needs at least one probe, one step and two grid points",
            ));
        }
        if !(self.sigma_rel.is_finite() && self.sigma_rel > 0.0) {
            return Err(Error::invalid(format!(
                "SLQ: sigma_rel must be positive, got {}",
                self.sigma_rel
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let (mut nodes, mut weights) = (Vec::new(), Vec::new());
        let mut products = 0;
        for _ in 0..self.probes {
            let mut v = rademacher_vector(n, &mut rng);
            let s = (n as f64).sqrt();
            v.iter_mut().for_each(|x| *x /= s);
            let lz = tridiagonalize(a, &v, self.steps.min(n))?;
            products += lz.products;
            let (theta, vecs) = symmetric_eigen(&lz.tridiagonal())?;
            weights.push((0..theta.len()).map(|i| vecs[(0, i)].powi(2)).collect());
            nodes.push(theta);
        }
        let lo = nodes
            .iter()
            .flatten()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let hi = nodes
            .iter()
            .flatten()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let spread = hi - lo;
        let sigma = self.sigma_rel
            * if spread > 0.0 {
                spread
            } else {
                hi.abs().max(1.0)
            };
        let (g0, g1) = (lo - 5.0 * sigma, hi + 5.0 * sigma);
        let grid: Vec<f64> = (0..self.grid)
            .map(|i| g0 + (g1 - g0) * i as f64 / (self.grid - 1) as f64)
            .collect();
        let norm = 1.0 / (self.probes as f64 * sigma * (std::f64::consts::TAU).sqrt());
        let density = grid
            .iter()
            .map(|&t| {
                nodes
                    .iter()
                    .zip(&weights)
                    .flat_map(|(th, w)| th.iter().zip(w))
                    .map(|(th, w)| w * (-0.5 * ((t - th) / sigma).powi(2)).exp())
                    .sum::<f64>()
                    * norm
            })
            .collect();
        Ok(SpectralDensity {
            nodes,
            weights,
            grid,
            density,
            sigma,
            products,
        })
    }
}

/// Up to `steps` Lanczos steps from `v`, fully reorthogonalized; stops early when the Krylov
/// space is invariant.
fn tridiagonalize<A: LinearOperator + ?Sized>(
    a: &A,
    v: &[f64],
    steps: usize,
) -> Result<LanczosBasis> {
    let Some(mut lz) = LanczosBasis::new(v) else {
        return Err(Error::invalid("the start vector is zero or not finite"));
    };
    while lz.len() < steps && lz.step_deflated(a, &[])? {}
    Ok(lz)
}
