//! Conjugate gradients for Newton systems H·s = −g, as truncated Newton methods use them.

use crate::linalg::{axpy, dot, norm};
use crate::objective::LinearOperator;

/// An inexact Newton direction.
pub(crate) struct CgStep {
    pub s: Vec<f64>,
    /// Hessian-vector products used.
    pub products: usize,
    /// The step reached the trust-region boundary (or negative curvature pushed it there).
    pub on_boundary: bool,
    /// Q(s) = gᵀs + ½·sᵀHs, the model decrease (negative).
    pub model_value: f64,
}

/// Preconditioned CG on H·s = −g stopped by the quadratic-model rule of Nash & Sofer (1990),
/// as LIBLINEAR ≥ 2.40 uses it (Galli & Lin 2021): stop at iteration i once
/// i·(Q(sᵢ) − Q(sᵢ₋₁)) ≥ η·Q(sᵢ). `m_inv` is the inverse of a diagonal preconditioner.
/// On non-positive curvature it stops (returning −g when that happens at once).
pub(crate) fn newton_pcg(
    h: &impl LinearOperator,
    g: &[f64],
    m_inv: Option<&[f64]>,
    eta: f64,
    max_iter: usize,
) -> CgStep {
    let n = g.len();
    let mut s = vec![0.0; n];
    let mut r: Vec<f64> = g.iter().map(|x| -x).collect();
    let precond = |r: &[f64]| -> Vec<f64> {
        match m_inv {
            Some(m) => r.iter().zip(m).map(|(a, b)| a * b).collect(),
            None => r.to_vec(),
        }
    };
    let mut z = precond(&r);
    let mut d = z.clone();
    let mut rz = dot(&r, &z);
    let mut hd = vec![0.0; n];
    let (mut q, mut products) = (0.0, 0);
    for i in 1..=max_iter.max(1) {
        h.apply(&d, &mut hd);
        products += 1;
        let dhd = dot(&d, &hd);
        if dhd <= 0.0 || !dhd.is_finite() {
            if i == 1 {
                s = r.clone();
            }
            break;
        }
        let alpha = rz / dhd;
        axpy(alpha, &d, &mut s);
        axpy(-alpha, &hd, &mut r);
        // Q(s) = gᵀs + ½sᵀHs = −½(sᵀr − sᵀg), since r = −g − H·s.
        let new_q = -0.5 * (dot(&s, &r) - dot(&s, g));
        let q_diff = new_q - q;
        q = new_q;
        if new_q > 0.0 || q_diff > 0.0 || (i as f64) * q_diff >= eta * new_q {
            break;
        }
        z = precond(&r);
        let rz_new = dot(&r, &z);
        let beta = rz_new / rz;
        rz = rz_new;
        for (di, zi) in d.iter_mut().zip(&z) {
            *di = zi + beta * *di;
        }
    }
    CgStep {
        s,
        products,
        on_boundary: false,
        model_value: q,
    }
}

/// Steihaug–Toint CG for min Q(s) subject to ‖s‖ ≤ Δ: stops on a relative residual
/// ‖r‖ ≤ tol·‖g‖, on the boundary, or along negative curvature to the boundary.
pub(crate) fn steihaug(
    h: &impl LinearOperator,
    g: &[f64],
    radius: f64,
    tol: f64,
    max_iter: usize,
) -> CgStep {
    let n = g.len();
    let mut s = vec![0.0; n];
    let mut r: Vec<f64> = g.iter().map(|x| -x).collect();
    let mut d = r.clone();
    let mut rr = dot(&r, &r);
    let stop = tol * rr.sqrt();
    let mut hd = vec![0.0; n];
    let (mut products, mut on_boundary, mut q) = (0, false, 0.0);
    for _ in 0..max_iter.max(1) {
        if rr.sqrt() <= stop {
            break;
        }
        h.apply(&d, &mut hd);
        products += 1;
        let dhd = dot(&d, &hd);
        let alpha = rr / dhd;
        let next_norm = {
            let mut t = s.clone();
            axpy(alpha, &d, &mut t);
            norm(&t)
        };
        if dhd <= 0.0 || !dhd.is_finite() || next_norm >= radius {
            // Go to the boundary along d: ‖s + τd‖ = Δ.
            let (sd, dd, ss) = (dot(&s, &d), dot(&d, &d), dot(&s, &s));
            let tau = (-sd + (sd * sd + dd * (radius * radius - ss)).max(0.0).sqrt()) / dd;
            axpy(tau, &d, &mut s);
            // Q(s + τd) = Q(s) − τ·rᵀd + ½τ²·dᵀHd.
            q += -tau * dot(&r, &d) + 0.5 * tau * tau * dhd;
            on_boundary = true;
            break;
        }
        axpy(alpha, &d, &mut s);
        axpy(-alpha, &hd, &mut r);
        q = -0.5 * (dot(&s, &r) - dot(&s, g));
        let rr_new = dot(&r, &r);
        let beta = rr_new / rr;
        rr = rr_new;
        for (di, ri) in d.iter_mut().zip(&r) {
            *di = ri + beta * *di;
        }
    }
    CgStep {
        s,
        products,
        on_boundary,
        model_value: q,
    }
}
