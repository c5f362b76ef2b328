//! Conjugate gradients for Newton systems H·s = −g, as truncated Newton methods use them.

use crate::linalg::{axpy, dot, norm};
use crate::objective::LinearOperator;

/// The inverse of the mixed diagonal preconditioner (1−α)·min(diag)·I + α·diag.
pub(crate) fn jacobi_inverse(h: &impl LinearOperator, alpha: f64) -> Option<Vec<f64>> {
    if alpha <= 0.0 {
        return None;
    }
    let diag = h.diagonal()?;
    let base = diag
        .iter()
        .copied()
        .filter(|&x| x > 0.0)
        .fold(f64::INFINITY, f64::min);
    if !base.is_finite() {
        return None;
    }
    Some(
        diag.iter()
            .map(|&x| 1.0 / ((1.0 - alpha) * base + alpha * x.max(base)))
            .collect(),
    )
}

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
    newton_pcg_until(h, g, m_inv, CgStop::Model(eta), max_iter)
}

/// When [`newton_pcg_until`] ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum CgStop {
    /// The quadratic-model rule i·(Q(sᵢ) − Q(sᵢ₋₁)) ≥ η·Q(sᵢ) (Nash & Sofer 1990); stops at
    /// non-positive curvature.
    Model(f64),
    /// The inexact-Newton residual rule ‖H·s + g‖ ≤ η·‖g‖ (Dembo, Eisenstat & Steihaug 1982,
    /// "Inexact Newton methods"). Negative curvature met after the first iteration, along a
    /// direction d with dᵀHd < 0, is followed rather than dropped: s ← s + τ·d with
    /// τ = rᵀz/|dᵀHd|, the step CG takes when the curvature is |dᵀHd|. Since rᵀd = rᵀz > 0,
    /// Q(s + τd) = Q(s) − τ·rᵀz + ½τ²·dᵀHd < Q(s): the model decreases further, and the
    /// direction leaves the saddle-like region along its curvature (cf. Gould, Lucidi, Roma &
    /// Toint 2000, "Exploiting negative curvature directions in linesearch methods").
    Residual(f64),
}

/// Preconditioned CG on H·s = −g with the given stop rule; see [`newton_pcg`].
pub(crate) fn newton_pcg_until(
    h: &impl LinearOperator,
    g: &[f64],
    m_inv: Option<&[f64]>,
    stop: CgStop,
    max_iter: usize,
) -> CgStep {
    let n = g.len();
    let g_norm = norm(g);
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
            if let (CgStop::Residual(_), true) = (stop, i > 1 && dhd < 0.0) {
                axpy(rz / -dhd, &d, &mut s);
                // Q(s + τd) = Q(s) − τ·rᵀz + ½τ²·dᵀHd = Q(s) − (3/2)·(rᵀz)²/|dᵀHd|.
                q -= 1.5 * rz * rz / -dhd;
                break;
            }
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
        let converged = match stop {
            CgStop::Model(eta) => (i as f64) * q_diff >= eta * new_q,
            CgStop::Residual(eta) => norm(&r) <= eta * g_norm,
        };
        if new_q > 0.0 || q_diff > 0.0 || converged {
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

#[cfg(test)]
mod tests {
    use super::*;
    use faer::{mat, Mat};

    fn residual(h: &Mat<f64>, g: &[f64], s: &[f64]) -> f64 {
        let mut hs = vec![0.0; s.len()];
        h.apply(s, &mut hs);
        let r: Vec<f64> = hs.iter().zip(g).map(|(a, b)| a + b).collect();
        norm(&r)
    }

    fn model(h: &Mat<f64>, g: &[f64], s: &[f64]) -> f64 {
        let mut hs = vec![0.0; s.len()];
        h.apply(s, &mut hs);
        dot(g, s) + 0.5 * dot(s, &hs)
    }

    fn spd() -> Mat<f64> {
        // Tridiagonal 2, −1 plus a growing diagonal: SPD with spread eigenvalues.
        Mat::from_fn(8, 8, |i, j| match i.abs_diff(j) {
            0 => 2.0 + i as f64,
            1 => -1.0,
            _ => 0.0,
        })
    }

    #[test]
    fn residual_rule_meets_its_forcing_term() {
        let h = spd();
        let g: Vec<f64> = (0..8).map(|i| (i as f64 * 0.7).sin() + 0.3).collect();
        let mut products = Vec::new();
        for eta in [0.5, 1e-2, 1e-8] {
            let step = newton_pcg_until(&h, &g, None, CgStop::Residual(eta), 50);
            assert!(residual(&h, &g, &step.s) <= eta * norm(&g) * (1.0 + 1e-9));
            assert!((step.model_value - model(&h, &g, &step.s)).abs() < 1e-10);
            products.push(step.products);
        }
        // A tighter forcing term costs more products, and the tightest solves H·s = −g.
        assert!(products[0] < products[1] && products[1] <= products[2]);
        assert!(products[2] <= 8 + 1);
    }

    #[test]
    fn negative_curvature_after_the_first_step_is_followed() {
        // g has a small part along the negative eigenvector e₂: the first CG step sees positive
        // curvature, the second direction has dᵀHd < 0.
        let h = mat![[2.0, 0.0], [0.0, -1.0]];
        let g = [1.0, 0.1];
        let model_step = newton_pcg_until(&h, &g, None, CgStop::Model(0.1), 10);
        let step = newton_pcg_until(&h, &g, None, CgStop::Residual(0.1), 10);
        assert_eq!(step.products, 2);
        // The step goes on along the negative curvature and lowers the model further; its
        // reported model value is the true Q(s).
        assert!((step.model_value - model(&h, &g, &step.s)).abs() < 1e-12);
        assert!(step.model_value < model(&h, &g, &model_step.s) - 1e-3);
        assert!(dot(&g, &step.s) < 0.0);
        // At once (first step): steepest descent, as before.
        let h = mat![[-1.0, 0.0], [0.0, 1.0]];
        let step = newton_pcg_until(&h, &[1.0, 0.0], None, CgStop::Residual(0.1), 10);
        assert_eq!(step.s, vec![-1.0, 0.0]);
    }

    #[test]
    fn model_rule_is_unchanged_by_the_residual_variant() {
        let h = spd();
        let g: Vec<f64> = (0..8).map(|i| 1.0 / (1.0 + i as f64)).collect();
        let a = newton_pcg(&h, &g, None, 0.1, 50);
        let b = newton_pcg_until(&h, &g, None, CgStop::Model(0.1), 50);
        assert_eq!(a.s, b.s);
        assert_eq!(a.products, b.products);
        // The rule stops once i·(Qᵢ − Qᵢ₋₁) ≥ η·Qᵢ, so before an exact solve here.
        assert!(a.products < 8);
    }
}
