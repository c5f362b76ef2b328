//! Power iteration with deflation as PyHessian does it (Yao, Gholami, Keutzer & Mahoney 2020,
//! "PyHessian: Neural networks through the lens of the Hessian"), kept for comparison with
//! [`Lanczos`](super::Lanczos).
//!
//! The i-th eigenvalue: a random unit v, then v ← H·v/‖H·v‖ with v orthogonalized against the
//! eigenvectors already found, until the Rayleigh quotient changes by less than `tol`
//! relatively (or `max_iter` products).
//!
//! Failure modes, which [`Lanczos`](super::Lanczos) does not share:
//! - it converges to the eigenvalue of largest *magnitude*: at a saddle, or wherever
//!   |λ_min| > λ_max, the "top" eigenvalue it reports is the most negative one;
//! - the rate is |λ₂/λ₁| per product: close eigenvalues make it slow, and the relative-change
//!   test then stops early, well before the eigenvalue is accurate;
//! - each deflated eigenvector inherits the errors of those before it;
//! - it spends a full new run of products per eigenvalue, where one Krylov space serves all k.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::{apply_checked, check_operator, normalize, orthogonalize};
use crate::error::{Error, Result};
use crate::linalg::dot;
use crate::linalg::random::gaussian_vector;
use crate::objective::LinearOperator;

/// PyHessian's `eigenvalues(top_n, maxIter = 100, tol = 1e-3)`.
#[derive(Clone, Debug)]
pub struct PowerIteration {
    /// Eigenvalues wanted (`top_n`).
    pub top_n: usize,
    /// Products per eigenvalue at most (`maxIter`).
    pub max_iter: usize,
    /// Relative change of the Rayleigh quotient that stops an eigenvalue (`tol`).
    pub tol: f64,
    pub seed: u64,
}

impl Default for PowerIteration {
    fn default() -> Self {
        PowerIteration {
            top_n: 1,
            max_iter: 100,
            tol: 1e-3,
            seed: 0,
        }
    }
}

/// What power iteration found: largest-magnitude eigenvalues, in the order found.
#[derive(Clone, Debug, Serialize)]
pub struct PowerReport {
    pub values: Vec<f64>,
    #[serde(skip)]
    pub vectors: Vec<Vec<f64>>,
    /// Products used in all.
    pub products: usize,
    /// Products per eigenvalue.
    pub iterations: Vec<usize>,
    /// Whether each eigenvalue met the relative-change test before `max_iter`.
    pub converged: Vec<bool>,
}

impl PowerIteration {
    pub fn run<A: LinearOperator + ?Sized>(&self, a: &A) -> Result<PowerReport> {
        let n = check_operator(a)?;
        if self.top_n == 0 || self.top_n > n || self.max_iter == 0 {
            return Err(Error::invalid(format!(
                "power iteration: top_n must be in 1..={n} and max_iter ≥ 1, got {} and {}",
                self.top_n, self.max_iter
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut out = PowerReport {
            values: Vec::new(),
            vectors: Vec::new(),
            products: 0,
            iterations: Vec::new(),
            converged: Vec::new(),
        };
        let mut hv = vec![0.0; n];
        for _ in 0..self.top_n {
            let mut v = gaussian_vector(n, &mut rng);
            normalize(&mut v);
            let mut eigenvalue: Option<f64> = None;
            let (mut iters, mut converged) = (0, false);
            for _ in 0..self.max_iter {
                orthogonalize(&mut v, &out.vectors);
                if !normalize(&mut v) {
                    break;
                }
                apply_checked(a, &v, &mut hv)?;
                iters += 1;
                let rq = dot(&v, &hv);
                v.copy_from_slice(&hv);
                if !normalize(&mut v) {
                    // H·v = 0: v is in the null space, its eigenvalue 0.
                    eigenvalue = Some(rq);
                    converged = true;
                    break;
                }
                if let Some(prev) = eigenvalue {
                    // PyHessian keeps the previous quotient when it stops.
                    if (prev - rq).abs() / (prev.abs() + 1e-6) < self.tol {
                        converged = true;
                        break;
                    }
                }
                eigenvalue = Some(rq);
            }
            out.products += iters;
            out.iterations.push(iters);
            out.converged.push(converged);
            out.values.push(eigenvalue.unwrap_or(0.0));
            out.vectors.push(v);
        }
        Ok(out)
    }
}
