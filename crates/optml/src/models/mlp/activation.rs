//! Activations σ with their first and second derivatives, for back-propagation and the R-operator.

use std::f64::consts::{FRAC_1_SQRT_2, PI};

use crate::error::{Error, Result};

/// An elementwise activation of the hidden layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// tanh z.
    Tanh,
    /// max(0, z); σ'' = 0 (the kink at 0 is given σ'(0) = 0).
    Relu,
    /// 1 / (1 + e⁻ᶻ).
    Sigmoid,
    /// log(1 + eᶻ), evaluated as max(z, 0) + log1p(e^−|z|).
    Softplus,
    /// z·Φ(z) with the exact normal CDF Φ(z) = ½(1 + erf(z/√2)) (Hendrycks & Gimpel 2016).
    Gelu,
}

impl Activation {
    /// Every activation, for help texts and tests.
    pub const ALL: [Activation; 5] = [
        Activation::Tanh,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Softplus,
        Activation::Gelu,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Softplus => "softplus",
            Activation::Gelu => "gelu",
        }
    }

    /// `[σ(z), σ'(z), σ''(z)]`.
    #[inline(always)]
    pub fn eval(self, z: f64) -> [f64; 3] {
        match self {
            Activation::Tanh => {
                let t = tanh(z);
                let d = 1.0 - t * t;
                [t, d, -2.0 * t * d]
            }
            Activation::Relu => {
                if z > 0.0 {
                    [z, 1.0, 0.0]
                } else {
                    [0.0, 0.0, 0.0]
                }
            }
            Activation::Sigmoid => {
                let s = sigmoid(z);
                let d = s * (1.0 - s);
                [s, d, d * (1.0 - 2.0 * s)]
            }
            Activation::Softplus => {
                let e = (-z.abs()).exp();
                let s = if z >= 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                [z.max(0.0) + e.ln_1p(), s, s * (1.0 - s)]
            }
            Activation::Gelu => {
                let cdf = 0.5 * libm::erfc(-z * FRAC_1_SQRT_2);
                let pdf = (-0.5 * z * z).exp() / (2.0 * PI).sqrt();
                [z * cdf, cdf + z * pdf, pdf * (2.0 - z * z)]
            }
        }
    }

    /// σ over a slice in place, writing σ' into `d1` and σ'' into `d2` where they are not empty
    /// (each as long as `z`). One loop per activation, so that the branch-free ones (tanh)
    /// vectorize.
    pub(crate) fn apply(self, z: &mut [f64], d1: &mut [f64], d2: &mut [f64]) {
        match self {
            Activation::Tanh => match (d1.is_empty(), d2.is_empty()) {
                (true, _) => z.iter_mut().for_each(|v| *v = tanh(*v)),
                (false, true) => {
                    for (v, p) in z.iter_mut().zip(d1) {
                        let t = tanh(*v);
                        *v = t;
                        *p = 1.0 - t * t;
                    }
                }
                (false, false) => each(z, d1, d2, eval_tanh),
            },
            Activation::Relu => each(z, d1, d2, eval_relu),
            Activation::Sigmoid => each(z, d1, d2, eval_sigmoid),
            Activation::Softplus => each(z, d1, d2, eval_softplus),
            Activation::Gelu => each(z, d1, d2, eval_gelu),
        }
    }
}

/// [`Activation::eval`] for each σ, as functions the loops inline.
#[inline(always)]
fn eval_tanh(z: f64) -> [f64; 3] {
    Activation::Tanh.eval(z)
}
#[inline(always)]
fn eval_relu(z: f64) -> [f64; 3] {
    Activation::Relu.eval(z)
}
#[inline(always)]
fn eval_sigmoid(z: f64) -> [f64; 3] {
    Activation::Sigmoid.eval(z)
}
#[inline(always)]
fn eval_softplus(z: f64) -> [f64; 3] {
    Activation::Softplus.eval(z)
}
#[inline(always)]
fn eval_gelu(z: f64) -> [f64; 3] {
    Activation::Gelu.eval(z)
}

/// The loop of [`Activation::apply`] for one σ.
#[inline(always)]
fn each(z: &mut [f64], d1: &mut [f64], d2: &mut [f64], f: impl Fn(f64) -> [f64; 3]) {
    match (d1.is_empty(), d2.is_empty()) {
        (true, _) => z.iter_mut().for_each(|v| *v = f(*v)[0]),
        (false, true) => {
            for (v, p) in z.iter_mut().zip(d1) {
                [*v, *p, _] = f(*v);
            }
        }
        (false, false) => {
            for ((v, p), q) in z.iter_mut().zip(d1).zip(d2) {
                [*v, *p, *q] = f(*v);
            }
        }
    }
}

/// 1/n! for n in 0..N.
const fn inverse_factorials<const N: usize>() -> [f64; N] {
    let mut c = [1.0; N];
    let mut n = 1;
    while n < N {
        c[n] = c[n - 1] / n as f64;
        n += 1;
    }
    c
}

/// 1/n!, n = 0..21.
const INV_FACT: [f64; 21] = inverse_factorials();

/// tanh z to within a few ulps, without calls or branches (so that loops over it vectorize; libm's
/// `tanh` goes through `expm1` and dominated the forward pass). With a = |z|:
/// for a < 0.625, tanh a = −m/(2 + m) where m = expm1(−2a) = Σₙ₌₁²⁰ (−2a)ⁿ/n! (remainder below
/// 10⁻¹⁷ relative); otherwise (1 − e)/(1 + e) with e = exp(−2a) = 2ᵏ·exp(r), r = −2a − k·ln 2,
/// |r| ≤ ½ ln 2, exp(r) to degree 13 (Cody–Waite reduction). a is capped at 22, where tanh is
/// 1 in f64.
#[inline(always)]
pub(crate) fn tanh(z: f64) -> f64 {
    // ln 2 = LN2_HI + LN2_LO, LN2_HI with 32 trailing zero bits so that k·LN2_HI is exact.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const ROUND: f64 = 6_755_399_441_055_744.0; // 1.5·2⁵², adding it rounds to an integer
    let a = z.abs();
    let a = if a > 22.0 { 22.0 } else { a };
    let x = -2.0 * a;
    // Small a: expm1 by its series, x·Σₙ xⁿ/(n+1)!.
    let mut p = INV_FACT[20];
    for c in INV_FACT[1..20].iter().rev() {
        p = p * x + c;
    }
    let m = p * x;
    // Large a: exp(x) = 2ᵏ·exp(r).
    // y = ROUND + k exactly, so y's bits are ROUND's plus k: 2ᵏ is built by integer adds and a
    // shift (no float-to-integer conversion, which has no packed form before AVX-512).
    let y = x * std::f64::consts::LOG2_E + ROUND;
    let k = y - ROUND;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut q = INV_FACT[13];
    for c in INV_FACT[..13].iter().rev() {
        q = q * r + c;
    }
    let k_bits = y.to_bits().wrapping_sub(ROUND.to_bits());
    let e = q * f64::from_bits(k_bits.wrapping_add(1023) << 52);
    // One division for either branch: −m/(2 + m) or (1 − e)/(1 + e).
    let (num, den) = if a < 0.625 {
        (-m, 2.0 + m)
    } else {
        (1.0 - e, 1.0 + e)
    };
    (num / den).copysign(z)
}

/// 1 / (1 + e⁻ᶻ) without overflow.
#[inline]
fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl std::str::FromStr for Activation {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Activation::ALL.iter().map(|a| a.name()).collect();
                Error::invalid(format!(
                    "unknown activation '{s}' (expected one of {})",
                    names.join(", ")
                ))
            })
    }
}

impl std::fmt::Display for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        for act in Activation::ALL {
            for &z in &[-3.1, -0.7, -0.05, 0.3, 1.2, 4.5] {
                let h = 1e-5;
                let [_, d1, d2] = act.eval(z);
                let fd1 = (act.eval(z + h)[0] - act.eval(z - h)[0]) / (2.0 * h);
                let fd2 = (act.eval(z + h)[1] - act.eval(z - h)[1]) / (2.0 * h);
                assert!((d1 - fd1).abs() < 1e-8, "{act} σ' at {z}: {d1} vs {fd1}");
                assert!((d2 - fd2).abs() < 1e-8, "{act} σ'' at {z}: {d2} vs {fd2}");
            }
        }
    }

    #[test]
    fn tanh_matches_libm() {
        let mut worst: f64 = 0.0;
        for i in -40_000..=40_000 {
            for z in [i as f64 * 6e-4, i as f64 * 1e-9, i as f64 * 3e-300] {
                let (t, want) = (tanh(z), z.tanh());
                let err = if want == 0.0 {
                    t.abs()
                } else {
                    ((t - want) / want).abs()
                };
                worst = worst.max(err);
            }
        }
        assert!(worst < 1e-15, "largest relative error {worst:e}");
        for (z, want) in [
            (800.0, 1.0),
            (-1e300, -1.0),
            (f64::INFINITY, 1.0),
            (-0.0, -0.0),
        ] {
            assert_eq!(tanh(z).to_bits(), f64::to_bits(want), "tanh({z})");
        }
        assert!(tanh(f64::NAN).is_nan());
    }

    #[test]
    fn stable_in_the_tails() {
        for act in Activation::ALL {
            for &z in &[-800.0, 800.0] {
                assert!(act.eval(z).iter().all(|v| v.is_finite()), "{act} at {z}");
            }
        }
        assert_eq!(Activation::Softplus.eval(800.0)[0], 800.0);
        assert!((Activation::Gelu.eval(1.0)[0] - 0.841_344_746_068_542_9).abs() < 1e-15);
    }
}
