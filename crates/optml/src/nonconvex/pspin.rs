//! The spherical 3-spin glass, a random landscape with exponentially many local minima
//! (Auffinger, Ben Arous & Černý, 2013), proposed as a model of deep-network losses
//! (Choromanska, Henaff, Mathieu, Ben Arous & LeCun, 2015):
//!
//! H(σ) = N^{−(p−1)/2} Σᵢⱼₖ Jᵢⱼₖ σᵢσⱼσₖ on the sphere ‖σ‖² = N, p = 3, Jᵢⱼₖ iid N(0, 1).
//!
//! J is drawn in C order from a seed and stored symmetrized (the mean over the six index
//! permutations), which leaves H unchanged; then with Mᵢⱼ = Σₖ Jᵢⱼₖσₖ,
//! H = σᵀMσ/N, ∇H = 3Mσ/N and ∇²H = 6M/N. On the sphere, with P = I − σσᵀ/N,
//! grad H = P∇H and Hess H = P∇²H P − (σ·∇H/N)·P.
//!
//! To run the Euclidean solvers, [`PSpin`] is also the smooth function on ℝᴺ \ {0}
//! F(x) = H(√N·x/‖x‖) + (μ/4N)(‖x‖² − N)²: its critical points are those of H on the sphere,
//! and there ∇²F is Hess H on the tangent space and 2μ along x, so its local minima are H's.
//! In the limit N → ∞, local minima concentrate at energies H/N between the ground state
//! E₀ ≈ −1.657 and the threshold E_∞ = −2√((p−1)/p) ≈ −1.633.

use faer::Side;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::linalg::random::gaussian_vector;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::linalg::{dot, norm};
use crate::monitor::Monitor;
use crate::objective::{Curvature, LinearOperator, Objective};
use crate::solvers::{AdaptiveCubic, NegativeCurvatureNewton, PerturbedGd, Report, Stop};

/// The threshold energy E_∞ = −2√((p−1)/p) for p = 3.
pub fn threshold_energy() -> f64 {
    -2.0 * (2.0f64 / 3.0).sqrt()
}

/// The ground-state energy per spin of the p = 3 model as N → ∞ (Crisanti & Sommers, 1992).
pub const GROUND_STATE: f64 = -1.657;

/// A sample of the spherical 3-spin glass with N spins.
#[derive(Clone, Debug)]
pub struct PSpin {
    n: usize,
    /// Symmetrized couplings, C order (N³).
    j: Vec<f64>,
    /// The weight μ of the radial penalty of the Euclidean extension.
    pub penalty: f64,
}

/// The largest N accepted (J takes 8N³ bytes: 128 MiB at 256).
pub const MAX_SPINS: usize = 256;

impl PSpin {
    /// Draws J (iid N(0, 1), C order, from `seed`) and symmetrizes it.
    pub fn new(n: usize, seed: u64) -> Result<PSpin> {
        if !(2..=MAX_SPINS).contains(&n) {
            return Err(Error::invalid(format!(
                "N = {n} spins is not between 2 and {MAX_SPINS}"
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let raw: Vec<f64> = gaussian_vector(n * n * n, &mut rng);
        let at = |i: usize, j: usize, k: usize| raw[(i * n + j) * n + k];
        let mut j = vec![0.0; n * n * n];
        j.par_chunks_mut(n * n).enumerate().for_each(|(a, slab)| {
            for b in 0..n {
                for c in 0..n {
                    slab[b * n + c] = (at(a, b, c)
                        + at(a, c, b)
                        + at(b, a, c)
                        + at(b, c, a)
                        + at(c, a, b)
                        + at(c, b, a))
                        / 6.0;
                }
            }
        });
        Ok(PSpin { n, j, penalty: 1.0 })
    }

    /// Number of spins N.
    pub fn spins(&self) -> usize {
        self.n
    }

    /// Mᵢⱼ = Σₖ Jᵢⱼₖσₖ (N × N, row-major).
    fn contract(&self, s: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut m = vec![0.0; n * n];
        m.par_chunks_mut(n).enumerate().for_each(|(ij, row)| {
            let slab = &self.j[ij * n * n..(ij + 1) * n * n];
            for (r, jrow) in row.iter_mut().zip(slab.chunks_exact(n)) {
                *r = dot(jrow, s);
            }
        });
        m
    }

    fn mat_vec(&self, m: &[f64], v: &[f64], out: &mut [f64]) {
        for (o, row) in out.iter_mut().zip(m.chunks_exact(self.n)) {
            *o = dot(row, v);
        }
    }

    /// H(σ), for any σ (a cubic form; on the sphere ‖σ‖² = N it is the energy).
    pub fn energy(&self, s: &[f64]) -> f64 {
        let mut g = vec![0.0; self.n];
        self.energy_grad(s, &mut g)
    }

    /// Writes the Euclidean gradient ∇H(σ) = 3Mσ/N and returns H(σ).
    pub fn energy_grad(&self, s: &[f64], grad: &mut [f64]) -> f64 {
        let m = self.contract(s);
        self.mat_vec(&m, s, grad);
        let h = dot(grad, s) / self.n as f64;
        grad.iter_mut().for_each(|g| *g *= 3.0 / self.n as f64);
        h
    }

    /// √N·x/‖x‖, the point of the sphere in the direction of x.
    pub fn project(&self, x: &[f64]) -> Vec<f64> {
        let s = (self.n as f64).sqrt() / norm(x);
        x.iter().map(|v| v * s).collect()
    }

    /// The Riemannian gradient P∇H(σ) at σ on the sphere; returns H(σ).
    pub fn riemannian_gradient(&self, s: &[f64], out: &mut [f64]) -> f64 {
        let h = self.energy_grad(s, out);
        let c = dot(out, s) / dot(s, s);
        out.iter_mut().zip(s).for_each(|(o, si)| *o -= c * si);
        h
    }

    /// The Riemannian Hessian at σ on the sphere, as an operator on ℝᴺ that is zero along σ.
    pub fn riemannian_hessian(&self, s: &[f64]) -> RiemannianHessian<'_> {
        let m = self.contract(s);
        let mut g = vec![0.0; self.n];
        self.mat_vec(&m, s, &mut g);
        let r2 = dot(s, s);
        // σ·∇H/‖σ‖² with ∇H = 3Mσ/N.
        let shift = 3.0 * dot(&g, s) / (self.n as f64 * r2);
        RiemannianHessian {
            model: self,
            m,
            unit: s.iter().map(|v| v / r2.sqrt()).collect(),
            shift,
        }
    }

    /// The smallest eigenvalue of the Riemannian Hessian on the tangent space at σ (dense).
    pub fn min_tangent_eigenvalue(&self, s: &[f64]) -> Result<f64> {
        let hess = self.riemannian_hessian(s);
        let mut a = hess.to_dense();
        // Lift the normal direction (eigenvalue 0) above the tangent spectrum.
        let lift = 1.0 + a.norm_l2();
        for i in 0..self.n {
            for k in 0..self.n {
                a[(i, k)] += lift * hess.unit[i] * hess.unit[k];
            }
        }
        let eig = a
            .self_adjoint_eigenvalues(Side::Lower)
            .map_err(|_| Error::Numerical("eigenvalues of the Riemannian Hessian".into()))?;
        Ok(eig[0])
    }
}

/// Hess H(σ)·v = P(6M/N)Pv − (σ·∇H/‖σ‖²)·Pv.
pub struct RiemannianHessian<'a> {
    model: &'a PSpin,
    m: Vec<f64>,
    unit: Vec<f64>,
    shift: f64,
}

impl LinearOperator for RiemannianHessian<'_> {
    fn dim(&self) -> usize {
        self.model.n
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let n = self.model.n;
        let c = dot(&self.unit, v);
        let pv: Vec<f64> = v.iter().zip(&self.unit).map(|(a, u)| a - c * u).collect();
        self.model.mat_vec(&self.m, &pv, out);
        let scale = 6.0 / n as f64;
        out.iter_mut()
            .zip(&pv)
            .for_each(|(o, p)| *o = scale * *o - self.shift * p);
        let c = dot(&self.unit, out);
        out.iter_mut()
            .zip(&self.unit)
            .for_each(|(o, u)| *o -= c * u);
    }
}

impl Objective for PSpin {
    fn dim(&self) -> usize {
        self.n
    }
    fn value(&self, x: &[f64]) -> f64 {
        let mut g = vec![0.0; self.n];
        self.value_grad(x, &mut g)
    }
    /// F(x) = H(√N·x/‖x‖) + (μ/4N)(‖x‖² − N)²; ∇F = (√N/‖x‖)·P∇H(σ) + (μ/N)(‖x‖² − N)·x.
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let nf = self.n as f64;
        let r2 = dot(x, x);
        let sigma = self.project(x);
        let h = self.riemannian_gradient(&sigma, grad);
        let s = (nf / r2).sqrt();
        let d = r2 - nf;
        grad.iter_mut()
            .zip(x)
            .for_each(|(g, xi)| *g = s * *g + self.penalty / nf * d * xi);
        h + self.penalty / (4.0 * nf) * d * d
    }
}

/// ∇²F(x) of the Euclidean extension (see the module docs), from the chain rule through
/// σ(x) = √N·x/‖x‖ and P(x) = I − x̂x̂ᵀ.
pub struct ExtensionHessian<'a> {
    model: &'a PSpin,
    x: Vec<f64>,
    /// x̂ = x/‖x‖.
    unit: Vec<f64>,
    r: f64,
    /// M at σ(x).
    m: Vec<f64>,
    /// h = ∇H(σ), Ph, x̂·h.
    h: Vec<f64>,
    ph: Vec<f64>,
    uh: f64,
}

impl Curvature for PSpin {
    type Hessian<'a> = ExtensionHessian<'a>;
    fn hessian(&self, x: &[f64]) -> ExtensionHessian<'_> {
        let r = norm(x);
        let unit: Vec<f64> = x.iter().map(|v| v / r).collect();
        let sigma = self.project(x);
        let m = self.contract(&sigma);
        let mut h = vec![0.0; self.n];
        self.mat_vec(&m, &sigma, &mut h);
        h.iter_mut().for_each(|v| *v *= 3.0 / self.n as f64);
        let uh = dot(&unit, &h);
        let ph = h.iter().zip(&unit).map(|(a, u)| a - uh * u).collect();
        ExtensionHessian {
            model: self,
            x: x.to_vec(),
            unit,
            r,
            m,
            h,
            ph,
            uh,
        }
    }
}

impl LinearOperator for ExtensionHessian<'_> {
    fn dim(&self) -> usize {
        self.model.n
    }
    /// ∇²F·v = s²P∇²H(σ)Pv − (s/r)(x̂·v)Ph − (s/r)[(x̂·h)v + (v·h)x̂ − 2(x̂·v)(x̂·h)x̂]
    ///         + (μ/N)[(‖x‖² − N)v + 2x(x·v)], s = √N/r.
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let nf = self.model.n as f64;
        let (r, s) = (self.r, nf.sqrt() / self.r);
        let xv = dot(&self.unit, v);
        let vh = dot(v, &self.h);
        let pv: Vec<f64> = v.iter().zip(&self.unit).map(|(a, u)| a - xv * u).collect();
        self.model.mat_vec(&self.m, &pv, out);
        let c = dot(&self.unit, out);
        let (k, d, mu) = (s * s * 6.0 / nf, r * r - nf, self.model.penalty / nf);
        for i in 0..out.len() {
            let u = self.unit[i];
            out[i] = k * (out[i] - c * u)
                - s / r * xv * self.ph[i]
                - s / r * (self.uh * v[i] + vh * u - 2.0 * xv * self.uh * u)
                + mu * (d * v[i] + 2.0 * self.x[i] * xv * r);
        }
    }
}

/// The second-order method that descends from each random start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Descent {
    /// Adaptive cubic regularization ([`AdaptiveCubic`]).
    Arc,
    /// Newton-CG with negative-curvature steps ([`NegativeCurvatureNewton`]).
    NegativeCurvature,
    /// Perturbed gradient descent ([`PerturbedGd`]), first order.
    PerturbedGd,
}

/// A local minimum reached from one start.
#[derive(Clone, Debug)]
pub struct Minimum {
    /// The point on the sphere.
    pub sigma: Vec<f64>,
    /// H(σ)/N.
    pub energy: f64,
    /// ‖grad H(σ)‖.
    pub grad_norm: f64,
    /// The smallest eigenvalue of Hess H(σ) on the tangent space.
    pub min_eigenvalue: f64,
    pub report: Report,
}

/// Descends from `starts` uniform random points of the sphere (seeded) with `method` to
/// ‖∇F‖ ≤ `tol`, and reports each end point's energy per spin and second-order test.
pub fn sample_minima(
    model: &PSpin,
    starts: usize,
    method: Descent,
    tol: f64,
    seed: u64,
    monitor: &mut impl Monitor,
) -> Result<Vec<Minimum>> {
    let n = model.n;
    let stop = Stop {
        tol,
        relative: false,
        max_iter: 2000,
        max_seconds: f64::INFINITY,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..starts)
        .map(|t| {
            let g: Vec<f64> = gaussian_vector(n, &mut rng);
            let mut x = model.project(&g);
            let seed = seed.wrapping_add(t as u64);
            let report = match method {
                Descent::Arc => AdaptiveCubic {
                    stop,
                    seed,
                    ..AdaptiveCubic::default()
                }
                .minimize(model, &mut x, monitor)?,
                Descent::NegativeCurvature => NegativeCurvatureNewton {
                    stop,
                    seed,
                    ..NegativeCurvatureNewton::default()
                }
                .minimize(model, &mut x, monitor)?,
                Descent::PerturbedGd => PerturbedGd {
                    stop: Stop {
                        max_iter: 200_000,
                        ..stop
                    },
                    ell: 12.0,
                    rho: 6.0,
                    eps: tol,
                    delta_f: n as f64,
                    seed,
                    ..PerturbedGd::default()
                }
                .minimize(model, &mut x, monitor)?,
            };
            let sigma = model.project(&x);
            let mut g = vec![0.0; n];
            let h = model.riemannian_gradient(&sigma, &mut g);
            let min_eigenvalue = model.min_tangent_eigenvalue(&sigma)?;
            Ok(Minimum {
                energy: h / n as f64,
                grad_norm: norm(&g),
                min_eigenvalue,
                sigma,
                report,
            })
        })
        .collect()
}
