//! Per-sample losses of a linear model's scores, written so that no margin overflows.

use serde::{Deserialize, Serialize};

/// The loss a GLM minimizes; binary losses take labels yᵢ ∈ {−1, +1}.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Loss {
    /// log(1 + exp(−y·z)), binary logistic regression.
    Logistic,
    /// log Σ_c exp(z_c) − z_y, multinomial logistic (softmax) regression over K classes.
    Softmax,
    /// max(0, 1 − y·z)², the L2-SVM loss (generalized Hessian 2·[y·z < 1], as LIBLINEAR).
    SquaredHinge,
    /// ½·(z − y)², least squares (ridge regression with L2).
    LeastSquares,
    /// max(0, 1 − y·z), the L1-SVM loss: not differentiable at y·z = 1, so only dual coordinate
    /// descent fits it (its subgradient −y·[y·z < 1] is what the objective's gradient returns).
    Hinge,
}

impl Loss {
    /// Every differentiable loss, for help texts and tests.
    pub const ALL: [Loss; 4] = [
        Loss::Logistic,
        Loss::Softmax,
        Loss::SquaredHinge,
        Loss::LeastSquares,
    ];

    /// The losses without a gradient everywhere: only a dual method fits them.
    pub const NON_SMOOTH: [Loss; 1] = [Loss::Hinge];

    /// The name used on the command line and in model files.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Logistic => "logistic",
            Loss::Softmax => "softmax",
            Loss::SquaredHinge => "squared-hinge",
            Loss::LeastSquares => "least-squares",
            Loss::Hinge => "hinge",
        }
    }

    /// Whether the labels are classes (everything but least squares).
    pub fn is_classification(self) -> bool {
        !matches!(self, Loss::LeastSquares)
    }

    /// For a single-score loss: (ℓ(y, z), ∂ℓ/∂z, ∂²ℓ/∂z²).
    #[inline]
    pub(crate) fn scalar(self, y: f64, z: f64) -> (f64, f64, f64) {
        match self {
            Loss::Logistic => {
                let m = y * z;
                // σ(−m) and log(1 + e^{−m}) without overflow for |m| up to f64::MAX.
                let (loss, s_neg) = if m > 0.0 {
                    let e = (-m).exp();
                    (e.ln_1p(), e / (1.0 + e))
                } else {
                    let e = m.exp();
                    (-m + e.ln_1p(), 1.0 / (1.0 + e))
                };
                (loss, -y * s_neg, s_neg * (1.0 - s_neg))
            }
            Loss::SquaredHinge => {
                let slack = 1.0 - y * z;
                if slack > 0.0 {
                    (slack * slack, -2.0 * y * slack, 2.0)
                } else {
                    (0.0, 0.0, 0.0)
                }
            }
            Loss::LeastSquares => {
                let r = z - y;
                (0.5 * r * r, r, 1.0)
            }
            Loss::Hinge => {
                let slack = 1.0 - y * z;
                if slack > 0.0 {
                    (slack, -y, 0.0)
                } else {
                    (0.0, 0.0, 0.0)
                }
            }
            Loss::Softmax => unreachable!("softmax has one score per class"),
        }
    }
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Loss {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Loss::ALL
            .into_iter()
            .chain(Loss::NON_SMOOTH)
            .find(|l| l.name() == s || (s == "multinomial" && *l == Loss::Softmax))
            .ok_or_else(|| {
                crate::Error::invalid(format!(
                    "unknown loss '{s}' (expected one of: logistic, softmax, squared-hinge, least-squares, hinge)"
                ))
            })
    }
}

/// Softmax of `z` written into `p`; returns log Σ exp(z) with the maximum subtracted first.
#[inline]
pub(crate) fn softmax(z: &[f64], p: &mut [f64]) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for (pc, &zc) in p.iter_mut().zip(z) {
        *pc = (zc - m).exp();
        s += *pc;
    }
    for pc in p.iter_mut() {
        *pc /= s;
    }
    m + s.ln()
}
