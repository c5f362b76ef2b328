//! Residual functions r: ℝⁿ → ℝᵐ with Jacobian products, and f = ‖r‖² as an objective.

use faer::Mat;

use crate::linalg::dot;
use crate::objective::Objective;

/// A residual function r: ℝⁿ → ℝᵐ with Jacobian products.
pub trait Residuals {
    /// n, the number of parameters.
    fn n_params(&self) -> usize;
    /// m, the number of residuals.
    fn n_residuals(&self) -> usize;
    /// r(x) into `r` (length m).
    fn residuals(&self, x: &[f64], r: &mut [f64]);
    /// J(x)·v into `out` (length m).
    fn jvp(&self, x: &[f64], v: &[f64], out: &mut [f64]);
    /// J(x)ᵀ·u into `out` (length n).
    fn vjp(&self, x: &[f64], u: &[f64], out: &mut [f64]);
    /// The dense m × n Jacobian, where the function offers it.
    fn jacobian(&self, _x: &[f64]) -> Option<Mat<f64>> {
        None
    }
}

/// f = ‖r‖² as an [`Objective`] (∇f = 2Jᵀr), so that any smooth solver runs on residuals.
pub struct SumOfSquares<'a, R: ?Sized>(pub &'a R);

impl<R: Residuals + ?Sized> Objective for SumOfSquares<'_, R> {
    fn dim(&self) -> usize {
        self.0.n_params()
    }
    fn value(&self, x: &[f64]) -> f64 {
        let mut r = vec![0.0; self.0.n_residuals()];
        self.0.residuals(x, &mut r);
        dot(&r, &r)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let mut r = vec![0.0; self.0.n_residuals()];
        self.0.residuals(x, &mut r);
        self.0.vjp(x, &r, grad);
        grad.iter_mut().for_each(|g| *g *= 2.0);
        dot(&r, &r)
    }
}
