//! Nonlinear least squares min f(x) = ‖r(x)‖² = Σᵢ rᵢ(x)², r: ℝⁿ → ℝᵐ, from Jacobian products:
//! Gauss–Newton with a line search, Levenberg–Marquardt, and Gauss–Newton in random subspaces.
//!
//! Reports count residual evaluations in `f_evals`, residual-and-Jacobian evaluations in
//! `g_evals`, and Jacobian products J·v and Jᵀ·u in `hv_products` (a dense Jacobian counts as n).

mod gauss_newton;
mod levenberg_marquardt;
mod sketched;

pub use gauss_newton::GaussNewton;
pub use levenberg_marquardt::LevenbergMarquardt;
pub use sketched::{SketchedGaussNewton, SubspaceSketch};

use faer::Mat;

use crate::error::{Error, Result};
use crate::linalg::{dot, norm};
use crate::models::testfns::Mgh;
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

impl Residuals for Mgh {
    fn n_params(&self) -> usize {
        self.n()
    }
    fn n_residuals(&self) -> usize {
        self.m()
    }
    fn residuals(&self, x: &[f64], r: &mut [f64]) {
        r.copy_from_slice(&Mgh::residuals(self, x));
    }
    fn jvp(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.jacobian_vector(x, v));
    }
    /// Jᵀ·u from the dense Jacobian (n forward evaluations).
    fn vjp(&self, x: &[f64], u: &[f64], out: &mut [f64]) {
        let j = Mgh::jacobian(self, x);
        for (k, o) in out.iter_mut().enumerate() {
            *o = (0..self.m()).map(|i| j[(i, k)] * u[i]).sum();
        }
    }
    fn jacobian(&self, x: &[f64]) -> Option<Mat<f64>> {
        Some(Mgh::jacobian(self, x))
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

/// Checks the starting point against the residual function.
fn check_start(f: &(impl Residuals + ?Sized), x: &[f64]) -> Result<()> {
    if x.len() != f.n_params() {
        return Err(Error::invalid(format!(
            "starting point has {} entries, the residual function {} parameters",
            x.len(),
            f.n_params()
        )));
    }
    if f.n_residuals() == 0 {
        return Err(Error::invalid("the residual function has no residuals"));
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("starting point is not finite"));
    }
    Ok(())
}

/// The Jacobian at a point: dense, or products on demand.
enum Jac<'a, R: ?Sized> {
    Dense(Mat<f64>),
    Products { f: &'a R, x: Vec<f64> },
}

impl<'a, R: Residuals + ?Sized> Jac<'a, R> {
    /// The Jacobian at x and the products it cost (n for a dense one).
    fn at(f: &'a R, x: &[f64]) -> (Self, usize) {
        match f.jacobian(x) {
            Some(j) => (Jac::Dense(j), f.n_params()),
            None => (Jac::Products { f, x: x.to_vec() }, 0),
        }
    }
    fn jv(&self, v: &[f64], out: &mut [f64]) {
        match self {
            Jac::Dense(j) => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = (0..j.ncols()).map(|k| j[(i, k)] * v[k]).sum();
                }
            }
            Jac::Products { f, x } => f.jvp(x, v, out),
        }
    }
    fn jtu(&self, u: &[f64], out: &mut [f64]) {
        match self {
            Jac::Dense(j) => {
                for (k, o) in out.iter_mut().enumerate() {
                    *o = (0..j.nrows()).map(|i| j[(i, k)] * u[i]).sum();
                }
            }
            Jac::Products { f, x } => f.vjp(x, u, out),
        }
    }
    fn cols(&self) -> usize {
        match self {
            Jac::Dense(j) => j.ncols(),
            Jac::Products { f, .. } => f.n_params(),
        }
    }
    /// Whether products cost a call to the function (to count them).
    fn counts(&self) -> bool {
        matches!(self, Jac::Products { .. })
    }
}

/// CGLS (CG on the regularized normal equations (JᵀJ + μ·D²)·p = −Jᵀr without forming JᵀJ;
/// Björck 1996, §7.4): stops at ‖Jᵀ(r + Jp) + μD²p‖ ≤ tol·‖Jᵀr‖ or after `max_iter` steps.
/// `d2` is D² (None for the identity). Returns p and the Jacobian products it called.
fn cgls<R: Residuals + ?Sized>(
    jac: &Jac<'_, R>,
    r: &[f64],
    mu: f64,
    d2: Option<&[f64]>,
    tol: f64,
    max_iter: usize,
) -> (Vec<f64>, usize) {
    let n = jac.cols();
    let mut s = vec![0.0; n];
    jac.jtu(r, &mut s);
    s.iter_mut().for_each(|v| *v = -*v);
    let mut products = 1;
    let mut p = vec![0.0; n];
    let mut d = s.clone();
    let mut ss = dot(&s, &s);
    let target = tol * ss.sqrt();
    let (mut jd, mut q) = (vec![0.0; r.len()], vec![0.0; n]);
    for _ in 0..max_iter.max(1) {
        if ss.sqrt() <= target || ss == 0.0 {
            break;
        }
        jac.jv(&d, &mut jd);
        jac.jtu(&jd, &mut q);
        products += 2;
        let reg: Vec<f64> = match d2 {
            Some(d2) => d.iter().zip(d2).map(|(a, b)| mu * b * a).collect(),
            None => d.iter().map(|a| mu * a).collect(),
        };
        let curv = dot(&jd, &jd) + dot(&reg, &d);
        if !(curv > 0.0 && curv.is_finite()) {
            break;
        }
        let alpha = ss / curv;
        for k in 0..n {
            p[k] += alpha * d[k];
            s[k] -= alpha * (q[k] + reg[k]);
        }
        let ss_new = dot(&s, &s);
        let beta = ss_new / ss;
        ss = ss_new;
        for (dk, sk) in d.iter_mut().zip(&s) {
            *dk = sk + beta * *dk;
        }
    }
    (p, if jac.counts() { products } else { 0 })
}

/// ‖r‖², with r written into `r`.
fn sum_sq(f: &(impl Residuals + ?Sized), x: &[f64], r: &mut [f64]) -> f64 {
    f.residuals(x, r);
    dot(r, r)
}

/// 2‖Jᵀr‖, the gradient norm of ‖r‖², with Jᵀr written into `jtr`.
fn grad_norm<R: Residuals + ?Sized>(jac: &Jac<'_, R>, r: &[f64], jtr: &mut [f64]) -> f64 {
    jac.jtu(r, jtr);
    2.0 * norm(jtr)
}
