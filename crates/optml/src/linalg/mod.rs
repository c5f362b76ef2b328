//! Design matrices and the kernels every model needs: X·v, Xᵀ·u, the fused Xᵀ·D·X·v and their
//! multi-column forms, parallel over rows with rayon on the calling thread's pool (see
//! [`crate::with_threads`] for the rule that makes results independent of its size).

mod buffer;
mod dense;
mod design;
mod eigen;
mod gemm;
mod kernels;
pub(crate) mod krylov;
pub mod random;
pub mod randomized;
mod sparse;

pub use buffer::Buffer;
pub use dense::DenseMatrix;
pub use design::{Design, Layout};
pub(crate) use eigen::symmetric_eigen;
pub use gemm::{clear_upper_vector_state, matmul, par};
pub(crate) use kernels::Rows;
pub use sparse::CsrMatrix;

/// `x · y` with four independent accumulators, so the compiler can vectorize it.
#[inline]
pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    debug_assert_eq!(x.len(), y.len());
    let (xc, yc) = (x.chunks_exact(4), y.chunks_exact(4));
    let (xr, yr) = (xc.remainder(), yc.remainder());
    let mut acc = [0.0f64; 4];
    for (a, b) in xc.zip(yc) {
        acc[0] += a[0] * b[0];
        acc[1] += a[1] * b[1];
        acc[2] += a[2] * b[2];
        acc[3] += a[3] * b[3];
    }
    let mut s = (acc[0] + acc[2]) + (acc[1] + acc[3]);
    for (a, b) in xr.iter().zip(yr) {
        s += a * b;
    }
    s
}

/// `y ← y + a·x`.
#[inline]
pub fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    debug_assert_eq!(x.len(), y.len());
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// Solves A·x = b for a symmetric positive definite A by Cholesky (faer), sequentially: a
/// parallel factorization splits its work by the thread count, and dense Newton's steps must
/// have the same bits on any pool (see [`crate::with_threads`]). `None` when A is not
/// positive definite.
pub fn cholesky_solve(mut a: faer::Mat<f64>, b: &[f64]) -> Option<Vec<f64>> {
    use faer::dyn_stack::{MemBuffer, MemStack};
    use faer::linalg::cholesky::llt;
    let n = a.nrows();
    if a.ncols() != n || b.len() != n {
        return None;
    }
    let par = faer::Par::Seq;
    let mut mem = MemBuffer::new(
        llt::factor::cholesky_in_place_scratch::<f64>(n, par, Default::default())
            .or(llt::solve::solve_in_place_scratch::<f64>(n, 1, par)),
    );
    let stack = MemStack::new(&mut mem);
    llt::factor::cholesky_in_place(
        a.as_mut(),
        Default::default(),
        par,
        stack,
        Default::default(),
    )
    .ok()?;
    let mut x = faer::Mat::from_fn(n, 1, |i, _| b[i]);
    let stack = MemStack::new(&mut mem);
    llt::solve::solve_in_place_with_conj(a.as_ref(), faer::Conj::No, x.as_mut(), par, stack);
    clear_upper_vector_state(par);
    Some((0..n).map(|i| x[(i, 0)]).collect())
}

/// Euclidean norm ‖x‖₂, without overflow or underflow: where Σxᵢ² leaves the normal range
/// (entries near 1e±154 and beyond), the sum is taken on x/maxᵢ|xᵢ| and scaled back, as LAPACK's
/// `dnrm2` does. Non-finite entries give a non-finite norm.
#[inline]
pub fn norm(x: &[f64]) -> f64 {
    let s = dot(x, x);
    if s.is_finite() && s >= f64::MIN_POSITIVE {
        return s.sqrt();
    }
    scaled_norm(x, s)
}

#[cold]
fn scaled_norm(x: &[f64], sum_sq: f64) -> f64 {
    let big = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if big == 0.0 || !big.is_finite() || sum_sq.is_nan() {
        return if sum_sq.is_nan() { f64::NAN } else { big };
    }
    let scaled: f64 = x.iter().map(|v| (v / big) * (v / big)).sum();
    big * scaled.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solve_matches_the_system_and_refuses_indefinite() {
        let a = faer::Mat::from_fn(3, 3, |i, j| if i == j { 4.0 } else { 1.0 });
        let x = cholesky_solve(a.clone(), &[1.0, 2.0, 3.0]).unwrap();
        for i in 0..3 {
            let ax: f64 = (0..3).map(|j| a[(i, j)] * x[j]).sum();
            assert!((ax - (i + 1) as f64).abs() < 1e-14, "{ax}");
        }
        let indefinite = faer::Mat::from_fn(2, 2, |i, j| if i == j { 1.0 } else { 2.0 });
        assert!(cholesky_solve(indefinite, &[1.0, 1.0]).is_none());
    }

    #[test]
    fn norm_neither_overflows_nor_underflows() {
        assert_eq!(norm(&[3.0, 4.0]), 5.0);
        assert_eq!(norm(&[0.0, 0.0]), 0.0);
        assert_eq!(norm(&[]), 0.0);
        let big = norm(&[3e300, 4e300]);
        assert!((big / 5e300 - 1.0).abs() < 1e-15, "{big}");
        let tiny = norm(&[3e-300, 4e-300]);
        assert!((tiny / 5e-300 - 1.0).abs() < 1e-15, "{tiny}");
        assert!(norm(&[f64::NAN, 1.0]).is_nan());
        assert_eq!(norm(&[f64::INFINITY, 1.0]), f64::INFINITY);
    }
}
