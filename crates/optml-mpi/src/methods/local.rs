//! Solves on one rank, with no communication: CG on a local operator.

use optml::linalg::{axpy, dot, norm};
use optml::LinearOperator;

/// Conjugate gradients on A·x = b (A symmetric positive definite), from x = 0, until
/// ‖b − A·x‖ ≤ tol·‖b‖ or `max_iter` products. Returns x and the products used.
pub(crate) fn cg(
    a: &impl LinearOperator,
    b: &[f64],
    tol: f64,
    max_iter: usize,
) -> (Vec<f64>, usize) {
    let n = b.len();
    let mut x = vec![0.0; n];
    let mut r = b.to_vec();
    let mut p = r.clone();
    let mut ap = vec![0.0; n];
    let mut rr = dot(&r, &r);
    let stop = tol * norm(b);
    let mut used = 0;
    while used < max_iter && rr.sqrt() > stop {
        a.apply(&p, &mut ap);
        used += 1;
        let pap = dot(&p, &ap);
        if pap.is_nan() || pap <= 0.0 {
            break;
        }
        let alpha = rr / pap;
        axpy(alpha, &p, &mut x);
        axpy(-alpha, &ap, &mut r);
        let rr_new = dot(&r, &r);
        let beta = rr_new / rr;
        rr = rr_new;
        for (pi, ri) in p.iter_mut().zip(&r) {
            *pi = ri + beta * *pi;
        }
    }
    (x, used)
}

/// A² + φ²·I for a symmetric A: the normal equations of the damped least-squares problem
/// min ‖A·v − b‖² + φ²‖v‖², whose solution is (A² + φ²I)⁻¹·A·b (CG on them is CGLS).
pub(crate) struct DampedSquare<'a, A> {
    pub a: &'a A,
    pub phi: f64,
}

impl<A: LinearOperator> LinearOperator for DampedSquare<'_, A> {
    fn dim(&self) -> usize {
        self.a.dim()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let mut t = vec![0.0; v.len()];
        self.a.apply(v, &mut t);
        self.a.apply(&t, out);
        axpy(self.phi * self.phi, v, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small SPD matrix as an operator.
    struct Small(Vec<Vec<f64>>);

    impl LinearOperator for Small {
        fn dim(&self) -> usize {
            self.0.len()
        }
        fn apply(&self, v: &[f64], out: &mut [f64]) {
            for (o, row) in out.iter_mut().zip(&self.0) {
                *o = row.iter().zip(v).map(|(a, b)| a * b).sum();
            }
        }
    }

    #[test]
    fn cg_and_damped_least_squares_solve_small_systems() {
        let a = Small(vec![
            vec![4.0, 1.0, 0.0],
            vec![1.0, 3.0, 0.5],
            vec![0.0, 0.5, 2.0],
        ]);
        let b = [1.0, -2.0, 0.5];
        let (x, used) = cg(&a, &b, 1e-12, 50);
        let mut ax = [0.0; 3];
        a.apply(&x, &mut ax);
        assert!(used <= 4);
        for (u, v) in ax.iter().zip(&b) {
            assert!((u - v).abs() < 1e-10);
        }
        // (A² + φ²)v = A·b with φ = 0 gives v = x again.
        let sq = DampedSquare { a: &a, phi: 0.0 };
        let mut ab = [0.0; 3];
        a.apply(&b, &mut ab);
        let (v, _) = cg(&sq, &ab, 1e-13, 50);
        for (u, w) in v.iter().zip(&x) {
            assert!((u - w).abs() < 1e-9, "{u} {w}");
        }
    }
}
