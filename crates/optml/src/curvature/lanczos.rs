//! Extreme eigenpairs by the Lanczos process with full reorthogonalization (Lanczos 1950;
//! Golub & Van Loan, "Matrix Computations", §10.1): the Krylov basis Q grows one product at a
//! time, T = QᵀHQ stays tridiagonal, and the Ritz pairs (θ, Q·s) of T converge to the extreme
//! eigenpairs of H. The basis is reorthogonalized in full at each step (two passes of
//! Gram–Schmidt), so no spurious copies appear; the residual of a Ritz pair is read off the
//! Ritz data, ‖H·y − θ·y‖ = β_m·|s_m| (Parlett, "The Symmetric Eigenvalue Problem", §13.2),
//! and the basis grows until the k wanted residuals are small: no restarts, no guess of the
//! Krylov dimension.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::{check_operator, orthogonalize};
use crate::error::{Error, Result};
use crate::linalg::krylov::LanczosBasis;
use crate::linalg::random::gaussian_vector;
use crate::linalg::{axpy, symmetric_eigen};
use crate::objective::LinearOperator;

/// Which end of the spectrum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    /// The k algebraically largest, largest first.
    Largest,
    /// The k algebraically smallest, smallest first.
    Smallest,
    /// The k largest in magnitude, largest |λ| first.
    Magnitude,
}

impl Which {
    /// Sorts `idx` (indices into `values`) so that the wanted come first.
    fn order(self, values: &[f64], idx: &mut [usize]) {
        match self {
            Which::Largest => idx.sort_by(|&a, &b| values[b].total_cmp(&values[a])),
            Which::Smallest => idx.sort_by(|&a, &b| values[a].total_cmp(&values[b])),
            Which::Magnitude => idx.sort_by(|&a, &b| values[b].abs().total_cmp(&values[a].abs())),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Which::Largest => "largest",
            Which::Smallest => "smallest",
            Which::Magnitude => "magnitude",
        }
    }
}

/// Options of the Lanczos eigensolver.
///
/// Memory: the basis holds up to `max_dim` vectors of the operator's dimension.
#[derive(Clone, Debug)]
pub struct Lanczos {
    /// Eigenpairs wanted.
    pub k: usize,
    pub which: Which,
    /// Stop when every wanted pair has ‖H·y − θ·y‖ ≤ tol·max(|θ|, 10⁻³·‖T‖). The eigenvalue
    /// error is then about ‖r‖²/gap, far below tol·|θ| when the eigenvalues are separated.
    pub tol: f64,
    /// A wanted pair also counts as converged when its error estimate min(r, r²/δ) is at most
    /// `value_tol`·max(|θ|, 10⁻³·‖T‖): r its residual norm, δ the gap to the rest of the
    /// spectrum read off the other Ritz values, each moved toward θ by its own residual (the
    /// Kato–Temple bound with an estimated gap; Parlett, *The Symmetric Eigenvalue Problem*,
    /// §11.7). It is an estimate, not a bound: a gap the Krylov space has not yet seen is
    /// missed. Eigenvalues to a relative accuracy this way need far fewer products than
    /// residuals to the same tolerance; the vectors are then accurate to about √`value_tol`.
    pub value_tol: Option<f64>,
    /// Largest Krylov dimension (capped at the operator's dimension).
    pub max_dim: usize,
    /// Extra runs, each in the orthogonal complement of the pairs found so far, that recover
    /// copies of repeated eigenvalues (a single Krylov space holds one copy of each). A run
    /// that finds nothing more extreme ends them.
    pub deflation_runs: usize,
    /// Seed of the random start vector.
    pub seed: u64,
    /// The first run's start vector instead of a random one (need not be unit): a guess at the
    /// wanted eigenvectors, e.g. a previous answer. Runs after the first start at random.
    pub start: Option<Vec<f64>>,
}

impl Default for Lanczos {
    fn default() -> Self {
        Lanczos {
            k: 1,
            which: Which::Largest,
            tol: 1e-8,
            value_tol: None,
            max_dim: 300,
            deflation_runs: 0,
            seed: 0,
            start: None,
        }
    }
}

/// Eigenpairs found, the wanted first.
#[derive(Clone, Debug, Serialize)]
pub struct Eigenpairs {
    pub values: Vec<f64>,
    /// Unit Ritz vectors, one per value.
    #[serde(skip)]
    pub vectors: Vec<Vec<f64>>,
    /// ‖H·y − θ·y‖ estimated from the Ritz data.
    pub residuals: Vec<f64>,
    /// Operator products used.
    pub products: usize,
    /// Largest Krylov dimension reached.
    pub krylov_dim: usize,
    /// Every wanted pair met `tol` (or `value_tol`), or the Krylov space became invariant.
    pub converged: bool,
}

struct Run {
    values: Vec<f64>,
    vectors: Vec<Vec<f64>>,
    residuals: Vec<f64>,
    products: usize,
    dim: usize,
    converged: bool,
}

impl Lanczos {
    /// The `k` wanted eigenpairs of the symmetric operator `a`.
    pub fn run<A: LinearOperator + ?Sized>(&self, a: &A) -> Result<Eigenpairs> {
        let n = check_operator(a)?;
        if self.k == 0 || self.k > n {
            return Err(Error::invalid(format!(
                "Lanczos: k must be in 1..={n}, got {}",
                self.k
            )));
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(Error::invalid(format!(
                "Lanczos: tol must be positive, got {}",
                self.tol
            )));
        }
        if self
            .value_tol
            .is_some_and(|vt| !(vt.is_finite() && vt > 0.0))
        {
            return Err(Error::invalid(format!(
                "Lanczos: value_tol must be positive, got {:?}",
                self.value_tol
            )));
        }
        if self.max_dim < self.k {
            return Err(Error::invalid(format!(
                "Lanczos: max_dim {} is below k = {}",
                self.max_dim, self.k
            )));
        }
        if self.start.as_ref().is_some_and(|v| v.len() != n) {
            return Err(Error::invalid(format!(
                "Lanczos: the start vector has {} entries for an operator of dimension {n}",
                self.start.as_ref().map_or(0, Vec::len)
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let first = self.run_once(a, &[], self.start.as_deref(), &mut rng)?;
        let mut out = Eigenpairs {
            values: first.values,
            vectors: first.vectors,
            residuals: first.residuals,
            products: first.products,
            krylov_dim: first.dim,
            converged: first.converged,
        };
        for _ in 0..self.deflation_runs {
            if out.vectors.len() >= n {
                break;
            }
            let extra = self.run_once(a, &out.vectors, None, &mut rng)?;
            out.products += extra.products;
            out.krylov_dim = out.krylov_dim.max(extra.dim);
            let n_old = out.values.len();
            out.values.extend(extra.values);
            out.vectors.extend(extra.vectors);
            out.residuals.extend(extra.residuals);
            out.converged &= extra.converged;
            let mut idx: Vec<usize> = (0..out.values.len()).collect();
            self.which.order(&out.values, &mut idx);
            idx.truncate(self.k);
            let gained = idx.iter().any(|&i| i >= n_old);
            out.values = idx.iter().map(|&i| out.values[i]).collect();
            out.residuals = idx.iter().map(|&i| out.residuals[i]).collect();
            let mut vectors = std::mem::take(&mut out.vectors);
            out.vectors = idx
                .iter()
                .map(|&i| std::mem::take(&mut vectors[i]))
                .collect();
            if !gained {
                break;
            }
        }
        Ok(out)
    }

    /// One Krylov sequence from `start` (random when `None` or useless), kept orthogonal to
    /// `locked` (orthonormal vectors).
    fn run_once<A: LinearOperator + ?Sized>(
        &self,
        a: &A,
        locked: &[Vec<f64>],
        start: Option<&[f64]>,
        rng: &mut ChaCha8Rng,
    ) -> Result<Run> {
        let n = a.dim();
        let room = n - locked.len();
        let k = self.k.min(room);
        let max_dim = self.max_dim.min(room);
        let Some(mut lz) = start
            .and_then(|v| unit_complement(v.to_vec(), locked, &[]))
            .or_else(|| fresh_direction(n, locked, &[], rng))
            .and_then(|v| LanczosBasis::new(&v))
        else {
            return Ok(empty_run());
        };
        loop {
            lz.step_deflated(a, locked)?;
            let m = lz.len();
            let b = lz.residual();
            // The test costs O(m³): every step while the basis is small, then every m/16 steps
            // (at most 6 % more products than checking every step).
            let check = m >= k && (m <= 48 || m % (m / 16) == 0);
            let largest_alpha = lz.alpha.iter().fold(0.0f64, |a, x| a.max(x.abs()));
            let breakdown_possible = b <= 1e-10 * largest_alpha;
            if !(check || breakdown_possible || m >= max_dim) {
                continue;
            }
            let (theta, s) = symmetric_eigen(&lz.tridiagonal())?;
            let scale = theta.iter().fold(0.0f64, |acc, t| acc.max(t.abs()));
            let mut idx: Vec<usize> = (0..m).collect();
            self.which.order(&theta, &mut idx);
            idx.truncate(k);
            let resid: Vec<f64> = idx.iter().map(|&i| b * s[(m - 1, i)].abs()).collect();
            let converged = |i: usize, r: f64| {
                let size = theta[i].abs().max(1e-3 * scale);
                r <= self.tol * size
                    || r == 0.0
                    || self.value_tol.is_some_and(|vt| {
                        let gap = (0..m)
                            .filter(|&j| j != i)
                            .map(|j| (theta[i] - theta[j]).abs() - b * s[(m - 1, j)].abs())
                            .fold(f64::INFINITY, f64::min)
                            .max(0.0);
                        m >= k + 2 && r.min(r * r / gap) <= vt * size
                    })
            };
            let done = m >= k && idx.iter().zip(&resid).all(|(&i, &r)| converged(i, r));
            // An invariant subspace: T gets a zero coupling and a new block starts.
            let restart = if lz.exhausted() && !done && m < max_dim {
                fresh_direction(n, locked, &lz.q, rng)
            } else {
                None
            };
            let exhausted = lz.exhausted() && !done && restart.is_none();
            if done || m >= max_dim || exhausted {
                let vectors = idx
                    .iter()
                    .map(|&i| lz.combine(&(0..m).map(|j| s[(j, i)]).collect::<Vec<_>>()))
                    .collect();
                return Ok(Run {
                    values: idx.iter().map(|&i| theta[i]).collect(),
                    vectors,
                    residuals: resid,
                    products: lz.products,
                    dim: m,
                    converged: done || exhausted,
                });
            }
            if let Some(v) = restart {
                lz.restart(v);
            }
        }
    }
}

fn empty_run() -> Run {
    Run {
        values: Vec::new(),
        vectors: Vec::new(),
        residuals: Vec::new(),
        products: 0,
        dim: 0,
        converged: true,
    }
}

/// A start vector for the top of a loss Hessian's spectrum: ĝ + ẑ, the unit gradient plus a
/// unit Gaussian vector drawn from `seed`. The gradient of a network's loss lies largely in the
/// span of the top eigenvectors (Gur-Ari, Roberts & Dyer 2018, "Gradient descent happens in a tiny
/// subspace"); the random half keeps every eigenvector in reach. Where ∇f vanishes (or is not
/// finite) this is a random start.
pub fn gradient_start(grad: &[f64], seed: u64) -> Vec<f64> {
    // Not the stream Lanczos draws its restarts from under the same seed.
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut v = gaussian_vector(grad.len(), &mut rng);
    let z = crate::linalg::norm(&v);
    v.iter_mut().for_each(|x| *x /= z);
    let g = crate::linalg::norm(grad);
    if g.is_finite() && g > 0.0 {
        axpy(1.0 / g, grad, &mut v);
    }
    v
}

/// A random unit vector orthogonal to `locked` and `basis`; `None` when they span everything.
fn fresh_direction(
    n: usize,
    locked: &[Vec<f64>],
    basis: &[Vec<f64>],
    rng: &mut ChaCha8Rng,
) -> Option<Vec<f64>> {
    (0..3).find_map(|_| unit_complement(gaussian_vector(n, rng), locked, basis))
}

/// `v` orthogonalized against `locked` and `basis` and normalized; `None` when little of it is
/// left (or it is not finite).
fn unit_complement(mut v: Vec<f64>, locked: &[Vec<f64>], basis: &[Vec<f64>]) -> Option<Vec<f64>> {
    let before = crate::linalg::norm(&v);
    orthogonalize(&mut v, locked);
    let after = orthogonalize(&mut v, basis);
    if before.is_finite() && after > 1e-8 * before {
        v.iter_mut().for_each(|x| *x /= after);
        Some(v)
    } else {
        None
    }
}
