//! Residuals of the Moré–Garbow–Hillstrom problems 1–19 (fixed n; some with a choice of m).
//! Formulas and data from Moré, Garbow & Hillstrom (1981), §3, cross-checked against their
//! MINPACK Fortran (Algorithm 566). Indices in the comments are 1-based as in the paper.

use std::f64::consts::PI;

use super::scalar::Scalar;

/// Problem 1: r₁ = 10(x₂ − x₁²), r₂ = 1 − x₁.
pub(super) fn rosenbrock<S: Scalar>(x: &[S], r: &mut [S]) {
    r[0] = (x[1] - x[0].sq()) * 10.0;
    r[1] = S::cst(1.0) - x[0];
}

/// Problem 2: r₁ = −13 + x₁ + ((5 − x₂)x₂ − 2)x₂, r₂ = −29 + x₁ + ((x₂ + 1)x₂ − 14)x₂.
pub(super) fn freudenstein_roth<S: Scalar>(x: &[S], r: &mut [S]) {
    let (a, b) = (x[0], x[1]);
    r[0] = a - 13.0 + ((S::cst(5.0) - b) * b - 2.0) * b;
    r[1] = a - 29.0 + ((b + 1.0) * b - 14.0) * b;
}

/// Problem 3: r₁ = 10⁴x₁x₂ − 1, r₂ = e^{−x₁} + e^{−x₂} − 1.0001.
pub(super) fn powell_badly_scaled<S: Scalar>(x: &[S], r: &mut [S]) {
    r[0] = x[0] * x[1] * 1e4 - 1.0;
    r[1] = (-x[0]).exp() + (-x[1]).exp() - 1.0001;
}

/// Problem 4: r₁ = x₁ − 10⁶, r₂ = x₂ − 2·10⁻⁶, r₃ = x₁x₂ − 2.
pub(super) fn brown_badly_scaled<S: Scalar>(x: &[S], r: &mut [S]) {
    r[0] = x[0] - 1e6;
    r[1] = x[1] - 2e-6;
    r[2] = x[0] * x[1] - 2.0;
}

/// Problem 5: rᵢ = yᵢ − x₁(1 − x₂ⁱ), y = (1.5, 2.25, 2.625).
pub(super) fn beale<S: Scalar>(x: &[S], r: &mut [S]) {
    let y = [1.5, 2.25, 2.625];
    let mut p = S::cst(1.0);
    for (ri, yi) in r.iter_mut().zip(y) {
        p = p * x[1];
        *ri = S::cst(yi) - x[0] * (S::cst(1.0) - p);
    }
}

/// Problem 6: rᵢ = 2 + 2i − (e^{ix₁} + e^{ix₂}).
pub(super) fn jennrich_sampson<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let k = (i + 1) as f64;
        *ri = S::cst(2.0 + 2.0 * k) - (x[0] * k).exp() - (x[1] * k).exp();
    }
}

/// The angle of (x₁, x₂) in [−π/2, 3π/2), as MGH's θ·2π: atan(x₂/x₁), plus π when x₁ < 0.
/// Written through atan(x₁/x₂) where |x₂| > |x₁|, so that it stays smooth across x₁ = 0
/// (except on the cut x₁ = 0, x₂ < 0, where MGH take −π/2).
fn angle<S: Scalar>(a: S, b: S) -> S {
    let (x1, x2) = (a.re(), b.re());
    if x2.abs() <= x1.abs() {
        let t = (b / a).atan();
        if x1 < 0.0 {
            t + PI
        } else {
            t
        }
    } else {
        let t = (a / b).atan();
        if x2 > 0.0 {
            S::cst(0.5 * PI) - t
        } else if x1 >= 0.0 {
            S::cst(-0.5 * PI) - t
        } else {
            S::cst(1.5 * PI) - t
        }
    }
}

/// Problem 7: r₁ = 10(x₃ − 10θ(x₁, x₂)), r₂ = 10(√(x₁² + x₂²) − 1), r₃ = x₃, with
/// 2πθ = atan(x₂/x₁) (+π for x₁ < 0).
pub(super) fn helical_valley<S: Scalar>(x: &[S], r: &mut [S]) {
    let theta = angle(x[0], x[1]) / (2.0 * PI);
    r[0] = (x[2] - theta * 10.0) * 10.0;
    r[1] = ((x[0].sq() + x[1].sq()).sqrt() - 1.0) * 10.0;
    r[2] = x[2];
}

const BARD_Y: [f64; 15] = [
    0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39,
];

/// Problem 8: rᵢ = yᵢ − (x₁ + uᵢ/(vᵢx₂ + wᵢx₃)), uᵢ = i, vᵢ = 16 − i, wᵢ = min(uᵢ, vᵢ).
pub(super) fn bard<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let u = (i + 1) as f64;
        let v = 16.0 - u;
        let w = u.min(v);
        *ri = S::cst(BARD_Y[i]) - x[0] - (x[1] * v + x[2] * w).recip() * u;
    }
}

const GAUSSIAN_Y: [f64; 15] = [
    0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295, 0.0540,
    0.0175, 0.0044, 0.0009,
];

/// Problem 9: rᵢ = x₁·exp(−x₂(tᵢ − x₃)²/2) − yᵢ, tᵢ = (8 − i)/2.
pub(super) fn gaussian<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = (7.0 - i as f64) / 2.0;
        *ri = x[0] * (-(x[1] * (x[2] - t).sq()) * 0.5).exp() - GAUSSIAN_Y[i];
    }
}

const MEYER_Y: [f64; 16] = [
    34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0, 8261.0, 7030.0, 6005.0,
    5147.0, 4427.0, 3820.0, 3307.0, 2872.0,
];

/// Problem 10: rᵢ = x₁·exp(x₂/(tᵢ + x₃)) − yᵢ, tᵢ = 45 + 5i.
pub(super) fn meyer<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = 50.0 + 5.0 * i as f64;
        *ri = x[0] * (x[1] / (x[2] + t)).exp() - MEYER_Y[i];
    }
}

/// Problem 11: rᵢ = exp(−|yᵢ − x₂|^{x₃}/x₁) − tᵢ, tᵢ = i/100, yᵢ = 25 + (−50 ln tᵢ)^{2/3}.
/// (The paper prints "mi" where the Fortran has the minus sign of yᵢ − x₂.)
pub(super) fn gulf<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = (i + 1) as f64 / 100.0;
        let y = 25.0 + (-50.0 * t.ln()).powf(2.0 / 3.0);
        let d = (S::cst(y) - x[1]).abs();
        // |yᵢ − x₂|^{x₃} through exp(x₃·ln|·|), which has no derivative at 0, where the power
        // and its first derivatives vanish (x₃ > 1): at the solution when m = 100 (y₁₀₀ = 25).
        let p = if d.re() == 0.0 {
            S::cst(0.0)
        } else {
            d.powv(x[2])
        };
        *ri = (-p / x[0]).exp() - t;
    }
}

/// Problem 12: rᵢ = e^{−tᵢx₁} − e^{−tᵢx₂} − x₃(e^{−tᵢ} − e^{−10tᵢ}), tᵢ = i/10.
pub(super) fn box_3d<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = (i + 1) as f64 / 10.0;
        *ri = (x[0] * -t).exp() - (x[1] * -t).exp() - x[2] * ((-t).exp() - (-10.0 * t).exp());
    }
}

/// Problem 13 (and each block of 22): r₁ = x₁ + 10x₂, r₂ = √5(x₃ − x₄), r₃ = (x₂ − 2x₃)²,
/// r₄ = √10(x₁ − x₄)².
pub(super) fn powell_singular<S: Scalar>(x: &[S], r: &mut [S]) {
    r[0] = x[0] + x[1] * 10.0;
    r[1] = (x[2] - x[3]) * 5f64.sqrt();
    r[2] = (x[1] - x[2] * 2.0).sq();
    r[3] = (x[0] - x[3]).sq() * 10f64.sqrt();
}

/// Problem 14: r = (10(x₂ − x₁²), 1 − x₁, √90(x₄ − x₃²), 1 − x₃, √10(x₂ + x₄ − 2),
/// (x₂ − x₄)/√10).
pub(super) fn wood<S: Scalar>(x: &[S], r: &mut [S]) {
    r[0] = (x[1] - x[0].sq()) * 10.0;
    r[1] = S::cst(1.0) - x[0];
    r[2] = (x[3] - x[2].sq()) * 90f64.sqrt();
    r[3] = S::cst(1.0) - x[2];
    r[4] = (x[1] + x[3] - 2.0) * 10f64.sqrt();
    r[5] = (x[1] - x[3]) / 10f64.sqrt();
}

const KOWALIK_Y: [f64; 11] = [
    0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246,
];
const KOWALIK_U: [f64; 11] = [
    4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625,
];

/// Problem 15: rᵢ = yᵢ − x₁(uᵢ² + uᵢx₂)/(uᵢ² + uᵢx₃ + x₄).
pub(super) fn kowalik_osborne<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let u = KOWALIK_U[i];
        *ri = S::cst(KOWALIK_Y[i]) - x[0] * (x[1] * u + u * u) / (x[2] * u + x[3] + u * u);
    }
}

/// Problem 16: rᵢ = (x₁ + tᵢx₂ − e^{tᵢ})² + (x₃ + x₄ sin tᵢ − cos tᵢ)², tᵢ = i/5.
pub(super) fn brown_dennis<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = (i + 1) as f64 / 5.0;
        let a = x[0] + x[1] * t - t.exp();
        let b = x[2] + x[3] * t.sin() - t.cos();
        *ri = a.sq() + b.sq();
    }
}

const OSBORNE1_Y: [f64; 33] = [
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718, 0.685,
    0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467, 0.457, 0.448,
    0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406,
];

/// Problem 17: rᵢ = yᵢ − (x₁ + x₂e^{−tᵢx₄} + x₃e^{−tᵢx₅}), tᵢ = 10(i − 1).
pub(super) fn osborne1<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = 10.0 * i as f64;
        *ri = S::cst(OSBORNE1_Y[i]) - x[0] - x[1] * (x[3] * -t).exp() - x[2] * (x[4] * -t).exp();
    }
}

/// Problem 18: rᵢ = x₃e^{−tᵢx₁} − x₄e^{−tᵢx₂} + x₆e^{−tᵢx₅} − yᵢ, tᵢ = i/10,
/// yᵢ = e^{−tᵢ} − 5e^{−10tᵢ} + 3e^{−4tᵢ}.
pub(super) fn biggs_exp6<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = (i + 1) as f64 / 10.0;
        let y = (-t).exp() - 5.0 * (-10.0 * t).exp() + 3.0 * (-4.0 * t).exp();
        *ri = x[2] * (x[0] * -t).exp() - x[3] * (x[1] * -t).exp() + x[5] * (x[4] * -t).exp() - y;
    }
}

const OSBORNE2_Y: [f64; 65] = [
    1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679, 0.608,
    0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644, 0.624, 0.661,
    0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428,
    0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559,
    0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054,
];

/// Problem 19: rᵢ = yᵢ − (x₁e^{−tᵢx₅} + x₂e^{−(tᵢ−x₉)²x₆} + x₃e^{−(tᵢ−x₁₀)²x₇}
/// + x₄e^{−(tᵢ−x₁₁)²x₈}), tᵢ = (i − 1)/10.
pub(super) fn osborne2<S: Scalar>(x: &[S], r: &mut [S]) {
    for (i, ri) in r.iter_mut().enumerate() {
        let t = i as f64 / 10.0;
        let bump = |a: S, w: S, c: S| a * (-(S::cst(t) - c).sq() * w).exp();
        *ri = S::cst(OSBORNE2_Y[i])
            - x[0] * (x[4] * -t).exp()
            - bump(x[1], x[5], x[8])
            - bump(x[2], x[6], x[9])
            - bump(x[3], x[7], x[10]);
    }
}
