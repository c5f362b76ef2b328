//! Truncated SVDs: the randomized range finder with power (subspace) iterations of Halko,
//! Martinsson & Tropp (2011, "Finding structure with randomness", Alg. 4.4 + 5.1), for any
//! operator that multiplies blocks of vectors, and the exact truncated SVD of a dense matrix.
//!
//! With Ω an n × ℓ Gaussian block (ℓ = k + oversampling), Q = orth((AAᵀ)^q A Ω) spans A's
//! dominant range; the SVD of the small ℓ × n matrix B = QᵀA = Ũ Σ Vᵀ gives A ≈ (QŨ) Σ Vᵀ. Every
//! QR and SVD step is faer's.

use super::random::gaussian_matrix;
use faer::{Accum, Mat, MatRef};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};

/// A matrix seen through its products with blocks of vectors: the m × n operator A.
pub trait BlockOperator: Sync {
    fn nrows(&self) -> usize;
    fn ncols(&self) -> usize;
    /// A·X for X of shape n × k.
    fn apply(&self, x: MatRef<'_, f64>) -> Mat<f64>;
    /// Aᵀ·Y for Y of shape m × k.
    fn apply_transpose(&self, y: MatRef<'_, f64>) -> Mat<f64>;
}

impl BlockOperator for MatRef<'_, f64> {
    fn nrows(&self) -> usize {
        MatRef::nrows(self)
    }
    fn ncols(&self) -> usize {
        MatRef::ncols(self)
    }
    fn apply(&self, x: MatRef<'_, f64>) -> Mat<f64> {
        product(*self, x)
    }
    fn apply_transpose(&self, y: MatRef<'_, f64>) -> Mat<f64> {
        product(self.transpose(), y)
    }
}

impl BlockOperator for Mat<f64> {
    fn nrows(&self) -> usize {
        Mat::nrows(self)
    }
    fn ncols(&self) -> usize {
        Mat::ncols(self)
    }
    fn apply(&self, x: MatRef<'_, f64>) -> Mat<f64> {
        product(self.as_ref(), x)
    }
    fn apply_transpose(&self, y: MatRef<'_, f64>) -> Mat<f64> {
        product(self.as_ref().transpose(), y)
    }
}

/// A·B by faer's parallel GEMM.
pub fn product(a: MatRef<'_, f64>, b: MatRef<'_, f64>) -> Mat<f64> {
    let mut c = Mat::<f64>::zeros(a.nrows(), b.ncols());
    crate::linalg::matmul(c.as_mut(), Accum::Replace, a, b, 1.0, super::par());
    c
}

/// A rank-k factorization U·diag(s)·Vᵀ with orthonormal columns in U (m × k) and V (n × k) and
/// s non-increasing.
#[derive(Clone, Debug)]
pub struct TruncatedSvd {
    pub u: Mat<f64>,
    pub s: Vec<f64>,
    pub v: Mat<f64>,
}

impl TruncatedSvd {
    pub fn rank(&self) -> usize {
        self.s.len()
    }

    /// U·diag(s)·Vᵀ as a dense m × n matrix.
    pub fn to_dense(&self) -> Mat<f64> {
        let us = Mat::from_fn(self.u.nrows(), self.rank(), |i, j| {
            self.u[(i, j)] * self.s[j]
        });
        product(us.as_ref(), self.v.as_ref().transpose())
    }

    /// Keeps the leading `k` triplets.
    fn truncate(mut self, k: usize) -> Self {
        let k = k.min(self.rank());
        self.s.truncate(k);
        self.u = self.u.subcols(0, k).to_owned();
        self.v = self.v.subcols(0, k).to_owned();
        self
    }
}

/// The randomized truncated SVD: `rank` triplets from a range of `rank + oversample` columns
/// refined by `power_iters` subspace iterations (each re-orthonormalized by QR).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RandomizedSvd {
    pub rank: usize,
    pub oversample: usize,
    pub power_iters: usize,
    pub seed: u64,
}

impl Default for RandomizedSvd {
    fn default() -> Self {
        RandomizedSvd {
            rank: 10,
            oversample: 10,
            power_iters: 2,
            seed: 0,
        }
    }
}

impl RandomizedSvd {
    /// The leading `rank` singular triplets of `a`, from a seeded Gaussian test block.
    pub fn run(&self, a: &impl BlockOperator) -> Result<TruncatedSvd> {
        let width = self.width(a)?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let omega = gaussian_matrix(a.ncols(), width, &mut rng);
        self.refine(a, omega.as_ref())
    }

    /// As [`RandomizedSvd::run`], starting the subspace iteration from `start` (n × ℓ), e.g.
    /// the right singular vectors of a previous, nearby matrix. Columns beyond ℓ are not added.
    pub fn compute_from(
        &self,
        a: &impl BlockOperator,
        start: MatRef<'_, f64>,
    ) -> Result<TruncatedSvd> {
        self.width(a)?;
        if start.nrows() != a.ncols() || start.ncols() < self.rank {
            return Err(Error::invalid(format!(
                "starting block is {} × {}, expected {} rows and at least {} columns",
                start.nrows(),
                start.ncols(),
                a.ncols(),
                self.rank
            )));
        }
        self.refine(a, start)
    }

    fn width(&self, a: &impl BlockOperator) -> Result<usize> {
        let (m, n) = (a.nrows(), a.ncols());
        if self.rank == 0 || self.rank > m.min(n) {
            return Err(Error::invalid(format!(
                "rank {} is not between 1 and min({m}, {n})",
                self.rank
            )));
        }
        Ok((self.rank + self.oversample).min(m.min(n)))
    }

    fn refine(&self, a: &impl BlockOperator, omega: MatRef<'_, f64>) -> Result<TruncatedSvd> {
        let mut q = orthonormal(a.apply(omega));
        for _ in 0..self.power_iters {
            let z = orthonormal(a.apply_transpose(q.as_ref()));
            q = orthonormal(a.apply(z.as_ref()));
        }
        // B = QᵀA, formed as (AᵀQ)ᵀ; its thin SVD B = Ũ Σ Vᵀ.
        let bt = a.apply_transpose(q.as_ref());
        let svd = bt
            .thin_svd()
            .map_err(|e| Error::Numerical(format!("SVD: {e:?}")))?;
        // Bᵀ = V_b Σ Ũ_bᵀ, so B's left vectors are Bᵀ's right ones and vice versa.
        let s: Vec<f64> = (0..svd.S().dim()).map(|i| svd.S()[i]).collect();
        let u = product(q.as_ref(), svd.V());
        let v = svd.U().to_owned();
        check_finite(&s)?;
        Ok(TruncatedSvd { u, s, v }.truncate(self.rank))
    }
}

/// The exact leading `k` singular triplets of a dense matrix (faer's thin SVD).
pub fn top_svd(a: MatRef<'_, f64>, k: usize) -> Result<TruncatedSvd> {
    let svd = a
        .thin_svd()
        .map_err(|e| Error::Numerical(format!("SVD: {e:?}")))?;
    let s: Vec<f64> = (0..svd.S().dim()).map(|i| svd.S()[i]).collect();
    check_finite(&s)?;
    Ok(TruncatedSvd {
        u: svd.U().to_owned(),
        s,
        v: svd.V().to_owned(),
    }
    .truncate(k))
}

fn check_finite(s: &[f64]) -> Result<()> {
    if s.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(Error::NonFinite("singular values".into()))
    }
}

/// An orthonormal basis of the columns of `y` (thin Q of faer's Householder QR).
pub fn orthonormal(y: Mat<f64>) -> Mat<f64> {
    y.qr().compute_thin_Q()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn low_rank(m: usize, n: usize, r: usize, seed: u64) -> Mat<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let a = gaussian_matrix(m, r, &mut rng);
        let b = gaussian_matrix(n, r, &mut rng);
        product(a.as_ref(), b.as_ref().transpose())
    }

    #[test]
    fn randomized_matches_exact_on_low_rank() {
        let a = low_rank(60, 40, 4, 1);
        let exact = top_svd(a.as_ref(), 4).unwrap();
        let rsvd = RandomizedSvd {
            rank: 4,
            oversample: 4,
            power_iters: 1,
            seed: 7,
        }
        .run(&a)
        .unwrap();
        for (x, y) in exact.s.iter().zip(&rsvd.s) {
            assert!((x - y).abs() <= 1e-10 * exact.s[0], "{x} vs {y}");
        }
        let err = (&rsvd.to_dense() - &a).norm_l2() / a.norm_l2();
        assert!(err < 1e-12, "reconstruction error {err}");
    }

    #[test]
    fn seeded_and_checked() {
        let a = low_rank(30, 20, 3, 2);
        let opts = RandomizedSvd {
            rank: 3,
            ..Default::default()
        };
        let x = opts.run(&a).unwrap();
        let y = opts.run(&a).unwrap();
        assert_eq!(x.s, y.s);
        assert!(RandomizedSvd { rank: 0, ..opts }.run(&a).is_err());
        assert!(RandomizedSvd { rank: 21, ..opts }.run(&a).is_err());
    }
}
