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
    #[inline]
    pub fn eval(self, z: f64) -> [f64; 3] {
        match self {
            Activation::Tanh => {
                let t = z.tanh();
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
