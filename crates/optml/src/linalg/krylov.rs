//! Lanczos tridiagonalization (Lanczos 1950) of a symmetric operator H in the Krylov subspace of
//! a start vector: H·Qₖ = Qₖ·Tₖ + βₖ·qₖ₊₁·eₖᵀ with Qₖ orthonormal (fully re-orthogonalized, as the
//! subspaces here stay small) and Tₖ tridiagonal. The one Krylov basis of the crate: the
//! cubic-regularization subproblem and the negative-curvature search work on Tₖ, and the
//! eigenvalue, trace and density estimators of [`crate::curvature`] on it.

use faer::Mat;

use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm, symmetric_eigen};
use crate::objective::LinearOperator;

/// A growing Lanczos basis, optionally kept orthogonal to `locked` vectors (deflation).
pub(crate) struct LanczosBasis {
    /// The orthonormal basis q₁ … qₖ.
    pub q: Vec<Vec<f64>>,
    /// Diagonal α₁ … αₖ of T.
    pub alpha: Vec<f64>,
    /// Off-diagonal β₁ … βₖ: βᵢ couples qᵢ and qᵢ₊₁ (the last is the residual norm; 0 where the
    /// subspace became invariant, or where [`restart`](Self::restart) began a new block).
    pub beta: Vec<f64>,
    /// The next basis vector qₖ₊₁, if any.
    next: Option<Vec<f64>>,
    /// max |αᵢ|, |βᵢ| so far: the scale below which a residual counts as zero.
    scale: f64,
    pub products: usize,
}

impl LanczosBasis {
    /// Starts from `start` (normalized here); `None` when it is zero or not finite.
    pub fn new(start: &[f64]) -> Option<Self> {
        let s = norm(start);
        if !(s > 0.0 && s.is_finite()) {
            return None;
        }
        Some(LanczosBasis {
            q: Vec::new(),
            alpha: Vec::new(),
            beta: Vec::new(),
            next: Some(start.iter().map(|v| v / s).collect()),
            scale: 0.0,
            products: 0,
        })
    }

    pub fn len(&self) -> usize {
        self.q.len()
    }

    /// Whether the subspace is invariant (or the dimension is exhausted): no further step.
    pub fn exhausted(&self) -> bool {
        self.next.is_none()
    }

    /// The last off-diagonal βₖ (0 once the subspace is invariant).
    pub fn residual(&self) -> f64 {
        self.beta.last().copied().unwrap_or(0.0)
    }

    /// The vector qₖ₊₁ after the basis, if the subspace is not invariant.
    pub fn next_vector(&self) -> Option<&[f64]> {
        self.next.as_deref()
    }

    /// Adds one vector: w = H·qₖ − βₖ₋₁·qₖ₋₁, αₖ = qₖᵀw, w ⊥ every q (and `locked`), βₖ = ‖w‖.
    /// Returns `false` when there is nothing left to add (an invariant subspace, or a product
    /// that is not finite: T then ends there).
    pub fn step(&mut self, h: &(impl LinearOperator + ?Sized)) -> bool {
        self.step_deflated(h, &[]).unwrap_or(false)
    }

    /// [`step`](Self::step) with w also kept orthogonal to the orthonormal `locked` vectors;
    /// a product that is not finite is an error, so no NaN reaches an estimate.
    pub fn step_deflated(
        &mut self,
        h: &(impl LinearOperator + ?Sized),
        locked: &[Vec<f64>],
    ) -> Result<bool> {
        let Some(q) = self.next.take() else {
            return Ok(false);
        };
        let mut w = vec![0.0; q.len()];
        h.apply(&q, &mut w);
        self.products += 1;
        if !w.iter().all(|v| v.is_finite()) {
            return Err(Error::NonFinite(
                "the operator returned a non-finite product".into(),
            ));
        }
        if let (Some(prev), Some(&b)) = (self.q.last(), self.beta.last()) {
            axpy(-b, prev, &mut w);
        }
        let a = dot(&q, &w);
        axpy(-a, &q, &mut w);
        self.q.push(q);
        // Twice is enough (Kahan–Parlett): keeps Q orthonormal to rounding.
        for _ in 0..2 {
            for qi in locked.iter().chain(&self.q) {
                let c = dot(qi, &w);
                axpy(-c, qi, &mut w);
            }
        }
        let b = norm(&w);
        self.alpha.push(a);
        self.scale = self.scale.max(a.abs()).max(self.residual());
        let room = self.q[0].len() - locked.len();
        if b <= 1e-12 * self.scale.max(f64::MIN_POSITIVE) || self.q.len() >= room {
            self.beta.push(0.0);
        } else {
            self.beta.push(b);
            self.next = Some(w.iter().map(|v| v / b).collect());
        }
        Ok(true)
    }

    /// Continues an exhausted basis from the unit vector `v` (orthogonal to the basis): T gets
    /// a zero coupling and a new block starts.
    pub fn restart(&mut self, v: Vec<f64>) {
        debug_assert!(self.exhausted());
        self.next = Some(v);
    }

    /// T as a dense k×k matrix.
    pub fn tridiagonal(&self) -> Mat<f64> {
        let k = self.len();
        Mat::from_fn(k, k, |i, j| {
            if i == j {
                self.alpha[i]
            } else if i + 1 == j {
                self.beta[i]
            } else if j + 1 == i {
                self.beta[j]
            } else {
                0.0
            }
        })
    }

    /// Q·y.
    pub fn combine(&self, y: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.q[0].len()];
        for (qi, yi) in self.q.iter().zip(y) {
            axpy(*yi, qi, &mut out);
        }
        out
    }

    /// Qᵀ·v.
    pub fn project(&self, v: &[f64]) -> Vec<f64> {
        self.q.iter().map(|qi| dot(qi, v)).collect()
    }
}

/// An estimate of the smallest eigenpair of H.
#[derive(Clone, Debug)]
pub(crate) struct ExtremeEigen {
    /// λ_min of T (a Ritz value ≥ λ_min(H)).
    pub value: f64,
    /// Its unit Ritz vector.
    pub vector: Vec<f64>,
    /// The largest Ritz value, an estimate of λ_max(H) (for scale).
    pub largest: f64,
    pub products: usize,
}

/// Lanczos from `start` until the smallest Ritz pair (θ, Q·u) has residual ‖H·Qu − θ·Qu‖ =
/// βₖ·|uₖ| ≤ tol·max(1, |θ|, |θ_max|), the subspace is invariant, or `max_iter` products.
pub(crate) fn smallest_eigenpair(
    h: &impl LinearOperator,
    start: &[f64],
    tol: f64,
    max_iter: usize,
) -> Option<ExtremeEigen> {
    let mut lz = LanczosBasis::new(start)?;
    let mut best = None;
    while lz.len() < max_iter.max(1) && lz.step(h) {
        let k = lz.len();
        // Checking every step costs O(k³) on T, negligible next to a product for k ≲ 100.
        let (values, vectors) = symmetric_eigen(&lz.tridiagonal()).ok()?;
        let (theta, largest) = (values[0], values[k - 1]);
        let resid = lz.residual() * vectors[(k - 1, 0)].abs();
        let u: Vec<f64> = (0..k).map(|i| vectors[(i, 0)]).collect();
        best = Some((theta, u, largest));
        if lz.exhausted() || resid <= tol * 1f64.max(theta.abs()).max(largest.abs()) {
            break;
        }
    }
    let (value, u, largest) = best?;
    Some(ExtremeEigen {
        value,
        vector: lz.combine(&u),
        largest,
        products: lz.products,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// diag(−2, −1, 0, 1, …) plus a coupling.
    fn test_matrix(n: usize) -> Mat<f64> {
        Mat::from_fn(n, n, |i, j| {
            if i == j {
                i as f64 - 2.0
            } else if i.abs_diff(j) == 1 {
                0.3
            } else {
                0.0
            }
        })
    }

    #[test]
    fn lanczos_relation_holds() {
        let h = test_matrix(12);
        let start: Vec<f64> = (0..12).map(|i| 1.0 + (i as f64).sin()).collect();
        let mut lz = LanczosBasis::new(&start).unwrap();
        for _ in 0..6 {
            assert!(lz.step(&h));
        }
        let t = lz.tridiagonal();
        // H·qⱼ = Σᵢ Tᵢⱼ·qᵢ (+ β₆·q₇ for the last column) and QᵀQ = I.
        for j in 0..6 {
            let mut hq = vec![0.0; 12];
            h.apply(&lz.q[j], &mut hq);
            let col: Vec<f64> = (0..6).map(|i| t[(i, j)]).collect();
            let mut rhs = lz.combine(&col);
            if j == 5 {
                axpy(lz.residual(), lz.next_vector().unwrap(), &mut rhs);
            }
            for (a, b) in hq.iter().zip(&rhs) {
                assert!((a - b).abs() < 1e-12);
            }
            for i in 0..6 {
                let d = dot(&lz.q[i], &lz.q[j]);
                assert!((d - if i == j { 1.0 } else { 0.0 }).abs() < 1e-13);
            }
        }
    }

    #[test]
    fn smallest_eigenpair_matches_a_dense_solver() {
        let h = test_matrix(30);
        let exact = h.self_adjoint_eigenvalues(faer::Side::Lower).unwrap()[0];
        let start = vec![1.0; 30];
        let e = smallest_eigenpair(&h, &start, 1e-10, 30).unwrap();
        assert!((e.value - exact).abs() < 1e-9, "{} vs {exact}", e.value);
        let mut hv = vec![0.0; 30];
        h.apply(&e.vector, &mut hv);
        let r: f64 = hv
            .iter()
            .zip(&e.vector)
            .map(|(a, b)| (a - e.value * b).powi(2))
            .sum();
        assert!(r.sqrt() < 1e-8);
        assert!((norm(&e.vector) - 1.0).abs() < 1e-12);
    }
}
