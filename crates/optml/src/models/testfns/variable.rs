//! Residuals of the Moré–Garbow–Hillstrom problems 20–35 (variable n, and for some m).
//! Formulas from Moré, Garbow & Hillstrom (1981), §3, cross-checked against their MINPACK
//! Fortran (Algorithm 566). Indices in the comments are 1-based as in the paper.

use super::fixed::{powell_singular, rosenbrock};
use super::scalar::Scalar;

/// Problem 20: rᵢ = Σⱼ₌₂ⁿ (j − 1)xⱼtᵢ^{j−2} − (Σⱼ₌₁ⁿ xⱼtᵢ^{j−1})² − 1 for tᵢ = i/29,
/// i = 1..29; r₃₀ = x₁, r₃₁ = x₂ − x₁² − 1.
pub(super) fn watson<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r[..29].iter_mut().enumerate() {
        let t = (i + 1) as f64 / 29.0;
        let mut s1 = S::cst(0.0);
        let mut s2 = x[0];
        let mut p = 1.0;
        for (j, &xj) in x.iter().enumerate().skip(1) {
            s1 = s1 + xj * (j as f64 * p);
            p *= t;
            s2 = s2 + xj * p;
        }
        *ri = s1 - s2.sq() - 1.0;
    }
    r[29] = x[0];
    r[30] = x[1] - x[0].sq() - 1.0;
}

/// Problem 21: Rosenbrock on each pair (x₂ₖ₋₁, x₂ₖ).
pub(super) fn extended_rosenbrock<S: Scalar>(x: &[S], r: &mut [S]) {
    for (xb, rb) in x.chunks_exact(2).zip(r.chunks_exact_mut(2)) {
        rosenbrock(xb, rb);
    }
}

/// Problem 22: Powell singular on each block of four.
pub(super) fn extended_powell_singular<S: Scalar>(x: &[S], r: &mut [S]) {
    for (xb, rb) in x.chunks_exact(4).zip(r.chunks_exact_mut(4)) {
        powell_singular(xb, rb);
    }
}

/// Problem 23: rᵢ = √a(xᵢ − 1), i ≤ n; rₙ₊₁ = Σⱼ xⱼ² − ¼; a = 10⁻⁵.
pub(super) fn penalty1<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    let sa = 1e-5f64.sqrt();
    for (ri, &xi) in r.iter_mut().zip(x) {
        *ri = (xi - 1.0) * sa;
    }
    r[n] = x.iter().fold(S::cst(-0.25), |s, &xj| s + xj.sq());
}

/// Problem 24: r₁ = x₁ − 0.2; rᵢ = √a(e^{xᵢ/10} + e^{xᵢ₋₁/10} − yᵢ) for 2 ≤ i ≤ n with
/// yᵢ = e^{i/10} + e^{(i−1)/10}; rᵢ = √a(e^{xᵢ₋ₙ₊₁/10} − e^{−1/10}) for n < i < 2n;
/// r₂ₙ = Σⱼ (n − j + 1)xⱼ² − 1; a = 10⁻⁵.
pub(super) fn penalty2<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    let sa = 1e-5f64.sqrt();
    let e: Vec<S> = x.iter().map(|&xi| (xi / 10.0).exp()).collect();
    r[0] = x[0] - 0.2;
    for i in 1..n {
        let y = ((i + 1) as f64 / 10.0).exp() + (i as f64 / 10.0).exp();
        r[i] = (e[i] + e[i - 1] - y) * sa;
        r[n + i - 1] = (e[i] - (-0.1f64).exp()) * sa;
    }
    r[2 * n - 1] = x
        .iter()
        .enumerate()
        .fold(S::cst(-1.0), |s, (j, &xj)| s + xj.sq() * (n - j) as f64);
}

/// Problem 25: rᵢ = xᵢ − 1, i ≤ n; rₙ₊₁ = Σⱼ j(xⱼ − 1); rₙ₊₂ = rₙ₊₁².
pub(super) fn variably_dimensioned<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    let mut s = S::cst(0.0);
    for (j, (rj, &xj)) in r.iter_mut().zip(x).enumerate() {
        *rj = xj - 1.0;
        s = s + (xj - 1.0) * (j + 1) as f64;
    }
    r[n] = s;
    r[n + 1] = s.sq();
}

/// Problem 26: rᵢ = n − Σⱼ cos xⱼ + i(1 − cos xᵢ) − sin xᵢ.
pub(super) fn trigonometric<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len() as f64;
    let c: Vec<S> = x.iter().map(|&xj| xj.cos()).collect();
    let sum = c.iter().fold(S::cst(0.0), |s, &cj| s + cj);
    for (i, ri) in r.iter_mut().enumerate() {
        let k = (i + 1) as f64;
        *ri = S::cst(n + k) - sum - c[i] * k - x[i].sin();
    }
}

/// Problem 27: rᵢ = xᵢ + Σⱼ xⱼ − (n + 1), i < n; rₙ = Πⱼ xⱼ − 1.
pub(super) fn brown_almost_linear<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    let sum = x.iter().fold(S::cst(0.0), |s, &xj| s + xj);
    for i in 0..n - 1 {
        r[i] = x[i] + sum - (n + 1) as f64;
    }
    r[n - 1] = x.iter().fold(S::cst(1.0), |p, &xj| p * xj) - 1.0;
}

/// Problem 28: rᵢ = 2xᵢ − xᵢ₋₁ − xᵢ₊₁ + h²(xᵢ + tᵢ + 1)³/2, h = 1/(n + 1), tᵢ = ih,
/// x₀ = xₙ₊₁ = 0.
pub(super) fn discrete_boundary_value<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    let h = 1.0 / (n + 1) as f64;
    for i in 0..n {
        let t = (i + 1) as f64 * h;
        let c = x[i] + t + 1.0;
        let mut ri = x[i] * 2.0 + c * c * c * (0.5 * h * h);
        if i > 0 {
            ri = ri - x[i - 1];
        }
        if i + 1 < n {
            ri = ri - x[i + 1];
        }
        r[i] = ri;
    }
}

/// Problem 29: rᵢ = xᵢ + h[(1 − tᵢ)Σⱼ≤ᵢ tⱼ(xⱼ + tⱼ + 1)³ + tᵢΣⱼ>ᵢ (1 − tⱼ)(xⱼ + tⱼ + 1)³]/2,
/// h = 1/(n + 1), tᵢ = ih.
pub(super) fn discrete_integral_equation<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    let h = 1.0 / (n + 1) as f64;
    let t = |j: usize| (j + 1) as f64 * h;
    let q: Vec<S> = (0..n)
        .map(|j| {
            let c = x[j] + t(j) + 1.0;
            c * c * c
        })
        .collect();
    // The sum over j > i, running backwards; then the sum over j ≤ i, forwards.
    let mut tail = vec![S::cst(0.0); n];
    for j in (0..n.saturating_sub(1)).rev() {
        tail[j] = tail[j + 1] + q[j + 1] * (1.0 - t(j + 1));
    }
    let mut head = S::cst(0.0);
    for i in 0..n {
        head = head + q[i] * t(i);
        let ti = t(i);
        r[i] = x[i] + (head * (1.0 - ti) + tail[i] * ti) * (0.5 * h);
    }
}

/// Problem 30: rᵢ = (3 − 2xᵢ)xᵢ − xᵢ₋₁ − 2xᵢ₊₁ + 1, x₀ = xₙ₊₁ = 0.
pub(super) fn broyden_tridiagonal<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    for i in 0..n {
        let mut ri = (S::cst(3.0) - x[i] * 2.0) * x[i] + 1.0;
        if i > 0 {
            ri = ri - x[i - 1];
        }
        if i + 1 < n {
            ri = ri - x[i + 1] * 2.0;
        }
        r[i] = ri;
    }
}

/// Problem 31: rᵢ = xᵢ(2 + 5xᵢ²) + 1 − Σ_{j∈Jᵢ} xⱼ(1 + xⱼ),
/// Jᵢ = {j ≠ i : max(1, i − 5) ≤ j ≤ min(n, i + 1)}.
pub(super) fn broyden_banded<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    for i in 0..n {
        let mut ri = x[i] * (x[i].sq() * 5.0 + 2.0) + 1.0;
        let lo = i.saturating_sub(5);
        for (j, &xj) in x[..(i + 2).min(n)].iter().enumerate().skip(lo) {
            if j != i {
                ri = ri - xj * (xj + 1.0);
            }
        }
        r[i] = ri;
    }
}

/// Problem 32: rᵢ = xᵢ − (2/m)Σⱼ xⱼ − 1 for i ≤ n, rᵢ = −(2/m)Σⱼ xⱼ − 1 for i > n.
pub(super) fn linear_full_rank<S: Scalar>(x: &[S], r: &mut [S]) {
    let m = r.len() as f64;
    let c = x.iter().fold(S::cst(0.0), |s, &xj| s + xj) * (2.0 / m) + 1.0;
    for (i, ri) in r.iter_mut().enumerate() {
        *ri = match x.get(i) {
            Some(&xi) => xi - c,
            None => -c,
        };
    }
}

/// Problem 33: rᵢ = i·Σⱼ j·xⱼ − 1.
pub(super) fn linear_rank1<S: Scalar>(x: &[S], r: &mut [S]) {
    let s = x
        .iter()
        .enumerate()
        .fold(S::cst(0.0), |s, (j, &xj)| s + xj * (j + 1) as f64);
    for (i, ri) in r.iter_mut().enumerate() {
        *ri = s * (i + 1) as f64 - 1.0;
    }
}

/// Problem 34: r₁ = rₘ = −1, rᵢ = (i − 1)·Σⱼ₌₂ⁿ⁻¹ j·xⱼ − 1 for 1 < i < m.
pub(super) fn linear_rank1_zero<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len();
    let m = r.len();
    let s = (1..n - 1).fold(S::cst(0.0), |s, j| s + x[j] * (j + 1) as f64);
    r[0] = S::cst(-1.0);
    for (i, ri) in r.iter_mut().enumerate().take(m - 1).skip(1) {
        *ri = s * i as f64 - 1.0;
    }
    r[m - 1] = S::cst(-1.0);
}

/// Problem 35: rᵢ = (1/n)Σⱼ Tᵢ(xⱼ) − ∫₀¹ Tᵢ, i = 1..m, with Tᵢ the Chebyshev polynomials
/// shifted to [0, 1] (∫₀¹ Tᵢ = −1/(i² − 1) for even i, 0 for odd i).
pub(super) fn chebyquad<S: Scalar>(x: &[S], r: &mut [S]) {
    let n = x.len() as f64;
    for (i, ri) in r.iter_mut().enumerate() {
        let k = (i + 1) as f64;
        *ri = S::cst(if (i + 1) % 2 == 0 {
            1.0 / (k * k - 1.0)
        } else {
            0.0
        });
    }
    for &xj in x {
        let u = xj * 2.0 - 1.0;
        let (mut prev, mut cur) = (S::cst(1.0), u);
        for ri in r.iter_mut() {
            *ri = *ri + cur / n;
            let next = u * cur * 2.0 - prev;
            prev = cur;
            cur = next;
        }
    }
}
