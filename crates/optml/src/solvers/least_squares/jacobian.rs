//! The Jacobian at a point (dense, or products on demand), CGLS on the regularized normal
//! equations, and the small helpers the least-squares solvers share.

use faer::Mat;

use super::residuals::Residuals;
use crate::error::{Error, Result};
use crate::linalg::{dot, norm};

/// Checks the starting point against the residual function.
pub(super) fn check_start(f: &(impl Residuals + ?Sized), x: &[f64]) -> Result<()> {
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
pub(super) enum Jac<'a, R: ?Sized> {
    Dense(Mat<f64>),
    Products { f: &'a R, x: Vec<f64> },
}

impl<'a, R: Residuals + ?Sized> Jac<'a, R> {
    /// The Jacobian at x and the products it cost (n for a dense one).
    pub(super) fn at(f: &'a R, x: &[f64]) -> (Self, usize) {
        match f.jacobian(x) {
            Some(j) => (Jac::Dense(j), f.n_params()),
            None => (Jac::Products { f, x: x.to_vec() }, 0),
        }
    }
    pub(super) fn jv(&self, v: &[f64], out: &mut [f64]) {
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
    pub(super) fn counts(&self) -> bool {
        matches!(self, Jac::Products { .. })
    }
}

/// CGLS (CG on the regularized normal equations (JᵀJ + μ·D²)·p = −Jᵀr without forming JᵀJ;
/// Björck 1996, §7.4): stops at ‖Jᵀ(r + Jp) + μD²p‖ ≤ tol·‖Jᵀr‖ or after `max_iter` steps.
/// `d2` is D² (None for the identity). Returns p and the Jacobian products it called.
pub(super) fn cgls<R: Residuals + ?Sized>(
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
pub(super) fn sum_sq(f: &(impl Residuals + ?Sized), x: &[f64], r: &mut [f64]) -> f64 {
    f.residuals(x, r);
    dot(r, r)
}

/// 2‖Jᵀr‖, the gradient norm of ‖r‖², with Jᵀr written into `jtr`.
pub(super) fn grad_norm<R: Residuals + ?Sized>(
    jac: &Jac<'_, R>,
    r: &[f64],
    jtr: &mut [f64],
) -> f64 {
    jac.jtu(r, jtr);
    2.0 * norm(jtr)
}
