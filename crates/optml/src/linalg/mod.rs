//! Design matrices and the kernels every model needs: X·v, Xᵀ·u, the fused Xᵀ·D·X·v and their
//! multi-column forms, parallel over rows with rayon on the calling thread's pool (see
//! [`crate::with_threads`] for the rule that makes results independent of its size).

mod dense;
mod design;
mod eigen;
mod gemm;
mod kernels;
pub(crate) mod krylov;
pub mod random;
pub mod randomized;
mod sparse;

pub use dense::DenseMatrix;
pub use design::{Design, Layout};
pub(crate) use eigen::symmetric_eigen;
pub use gemm::{clear_upper_vector_state, matmul, par};
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
