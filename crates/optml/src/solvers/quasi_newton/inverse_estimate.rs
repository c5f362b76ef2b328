//! A dense estimate H of an inverse Hessian A⁻¹ and its BFGS update from a block of τ pairs
//! (S, Y = A·S): H⁺ = S(SᵀY)⁻¹Sᵀ + (I − S(SᵀY)⁻¹Yᵀ)·H·(I − Y(SᵀY)⁻¹Sᵀ), the H⁺ closest to H
//! in the A-weighted Frobenius norm with H⁺Y = S (Gower & Richtárik 2017). With τ = 1 and the
//! secant pair it is the BFGS update of [`Bfgs`](super::Bfgs); with sketches it is randomized
//! BFGS ([`Rbfgs`](super::Rbfgs)).

use super::scale::initial_scale;
use crate::linalg::dot;

/// A dense symmetric estimate H of A⁻¹ (row-major), refined by sketched BFGS updates.
#[derive(Clone, Debug, PartialEq)]
pub struct InverseEstimate {
    n: usize,
    h: Vec<f64>,
}

impl InverseEstimate {
    /// H = scale·I.
    pub fn identity(n: usize, scale: f64) -> Self {
        Self::diagonal(vec![scale; n])
    }

    /// H = diag(d).
    pub fn diagonal(d: Vec<f64>) -> Self {
        let n = d.len();
        let mut h = vec![0.0; n * n];
        for (i, di) in d.into_iter().enumerate() {
            h[i * n + i] = di;
        }
        InverseEstimate { n, h }
    }

    /// The start of a quasi-Newton run once the first pair (s, y) is known: γ·D, or γ·I
    /// without a diagonal D, with γ = sᵀy / yᵀDy (Nocedal & Wright 2006, eq. 6.20), or
    /// `fallback` where that γ is not positive and finite.
    pub(crate) fn scaled(s: &[f64], y: &[f64], d: Option<&[f64]>, fallback: f64) -> Self {
        let gamma = initial_scale(s, y, d).unwrap_or(fallback);
        match d {
            Some(d) => Self::diagonal(d.iter().map(|di| gamma * di).collect()),
            None => Self::identity(s.len(), gamma),
        }
    }

    pub fn dim(&self) -> usize {
        self.n
    }

    /// H, row-major.
    pub fn as_slice(&self) -> &[f64] {
        &self.h
    }

    /// H·v.
    pub fn apply(&self, v: &[f64]) -> Vec<f64> {
        self.h.chunks_exact(self.n).map(|row| dot(row, v)).collect()
    }

    /// The sketched update from the columns `s` of S and `y` = A·S. With U = S·M⁻¹,
    /// M = SᵀY and Z = H·Y it reads H⁺ = H − U·Zᵀ − Z·Uᵀ + U·(M + YᵀZ)·Uᵀ, O(n²τ).
    /// Returns `false`, leaving H as it was, when M is not numerically positive definite
    /// (A not positive definite along S, or S rank-deficient).
    pub fn update(&mut self, s: &[Vec<f64>], y: &[Vec<f64>]) -> bool {
        let (n, tau) = (self.n, s.len());
        assert_eq!(y.len(), tau, "S and A·S have different numbers of columns");
        let mut m = vec![0.0; tau * tau];
        for a in 0..tau {
            for b in 0..tau {
                m[a * tau + b] = 0.5 * (dot(&s[a], &y[b]) + dot(&s[b], &y[a]));
            }
        }
        let Some(chol) = Cholesky::new(&m, tau) else {
            return false;
        };
        let z: Vec<Vec<f64>> = y.iter().map(|yc| self.apply(yc)).collect();
        // C = M + YᵀZ.
        let mut c = m;
        for a in 0..tau {
            for b in 0..tau {
                c[a * tau + b] += 0.5 * (dot(&y[a], &z[b]) + dot(&y[b], &z[a]));
            }
        }
        // Rows of U (each τ entries) and of V = U·C.
        let mut u = vec![0.0; n * tau];
        let mut row = vec![0.0; tau];
        for i in 0..n {
            for (a, r) in row.iter_mut().enumerate() {
                *r = s[a][i];
            }
            chol.solve(&mut row);
            u[i * tau..(i + 1) * tau].copy_from_slice(&row);
        }
        let mut v = vec![0.0; n * tau];
        for i in 0..n {
            let ui = &u[i * tau..(i + 1) * tau];
            for a in 0..tau {
                v[i * tau + a] = (0..tau).map(|b| ui[b] * c[b * tau + a]).sum();
            }
        }
        if !u.iter().chain(&v).all(|x| x.is_finite()) {
            return false;
        }
        for i in 0..n {
            let (ui, vi) = (&u[i * tau..(i + 1) * tau], &v[i * tau..(i + 1) * tau]);
            let hrow = &mut self.h[i * n..(i + 1) * n];
            for (j, h) in hrow.iter_mut().enumerate() {
                let uj = &u[j * tau..(j + 1) * tau];
                let mut delta = 0.0;
                for a in 0..tau {
                    delta += vi[a] * uj[a] - ui[a] * z[a][j] - z[a][i] * uj[a];
                }
                *h += delta;
            }
        }
        // Rounding leaves H slightly asymmetric; keep it symmetric.
        for i in 0..n {
            for j in i + 1..n {
                let avg = 0.5 * (self.h[i * n + j] + self.h[j * n + i]);
                self.h[i * n + j] = avg;
                self.h[j * n + i] = avg;
            }
        }
        true
    }
}

/// The quasi-Newton direction −H·g, or −D·g (−g without D) before the estimate exists, and the
/// step to try first along it: 1, or min(1, 1/‖g‖) for the unscaled −g, whose length says
/// nothing about the distance to a minimizer.
pub(crate) fn quasi_newton_direction(
    h: Option<&InverseEstimate>,
    d0: Option<&[f64]>,
    g: &[f64],
) -> (Vec<f64>, f64) {
    match (h, d0) {
        (Some(h), _) => (h.apply(g).iter().map(|v| -v).collect(), 1.0),
        (None, Some(d0)) => (g.iter().zip(d0).map(|(v, d)| -v * d).collect(), 1.0),
        (None, None) => (
            g.iter().map(|v| -v).collect(),
            (1.0 / crate::linalg::norm(g)).min(1.0),
        ),
    }
}

/// The Cholesky factor of a small SPD matrix (row-major k × k), for τ × τ systems.
struct Cholesky {
    k: usize,
    l: Vec<f64>,
}

impl Cholesky {
    /// `None` when a pivot is not above 10⁻¹²·max diagonal (not numerically SPD).
    fn new(m: &[f64], k: usize) -> Option<Self> {
        let scale = (0..k).map(|i| m[i * k + i]).fold(0.0f64, f64::max);
        if !(scale > 0.0 && scale.is_finite()) {
            return None;
        }
        let mut l = vec![0.0f64; k * k];
        for j in 0..k {
            let d = m[j * k + j] - (0..j).map(|p| l[j * k + p].powi(2)).sum::<f64>();
            if d.is_nan() || d <= 1e-12 * scale {
                return None;
            }
            let ljj = d.sqrt();
            l[j * k + j] = ljj;
            for i in j + 1..k {
                let v = m[i * k + j] - (0..j).map(|p| l[i * k + p] * l[j * k + p]).sum::<f64>();
                l[i * k + j] = v / ljj;
            }
        }
        Some(Cholesky { k, l })
    }

    /// b ← M⁻¹·b.
    fn solve(&self, b: &mut [f64]) {
        let (k, l) = (self.k, &self.l);
        for i in 0..k {
            b[i] = (b[i] - (0..i).map(|p| l[i * k + p] * b[p]).sum::<f64>()) / l[i * k + i];
        }
        for i in (0..k).rev() {
            b[i] = (b[i] - (i + 1..k).map(|p| l[p * k + i] * b[p]).sum::<f64>()) / l[i * k + i];
        }
    }
}
