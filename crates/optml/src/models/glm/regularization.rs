//! The regularization of a GLM: the ridge ‖W‖²/(2C) in LIBLINEAR's convention, and an optional
//! non-smooth penalty h(W) (lasso, elastic net, group lasso). Intercepts are never penalized.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The ridge term of f(W, b) = Σᵢ sᵢ·ℓᵢ + ‖W‖²/(2C), in LIBLINEAR's convention: C is the inverse
/// strength, so that with λ = 1/C the same f reads Σᵢ sᵢ·ℓᵢ + λ/2·‖W‖². Serialized as
/// `{"c": 1.0}` or `"none"`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ridge {
    /// No ridge: f is the (weighted) data loss alone.
    None,
    /// ‖W‖²/(2C), with C finite and > 0.
    C(f64),
}

impl Default for Ridge {
    /// C = 1, LIBLINEAR's default.
    fn default() -> Self {
        Ridge::C(1.0)
    }
}

impl Ridge {
    /// The ridge ‖W‖²/(2C); C must be finite and > 0.
    pub fn from_c(c: f64) -> Result<Ridge> {
        let ridge = Ridge::C(c);
        ridge.validate()?;
        Ok(ridge)
    }

    /// The ridge λ/2·‖W‖², that is C = 1/λ; λ must be finite and > 0.
    pub fn from_lambda(lambda: f64) -> Result<Ridge> {
        if !(lambda.is_finite() && lambda > 0.0) {
            return Err(Error::invalid(format!(
                "the ridge strength λ must be positive and finite, got {lambda}"
            )));
        }
        Ridge::from_c(1.0 / lambda)
    }

    /// The ridge a fit uses, from what a caller gave: C or λ = 1/C (at most one), and whether the
    /// fit has a non-smooth penalty. With neither C nor λ, a smooth fit gets LIBLINEAR's C = 1,
    /// and a fit with a penalty gets no ridge, so that the penalty regularizes alone (the lasso
    /// of glmnet and scikit-learn); a C or λ given is kept either way.
    pub fn choose(c: Option<f64>, lambda: Option<f64>, penalty: bool) -> Result<Ridge> {
        match (c, lambda) {
            (Some(c), Some(l)) => Err(Error::invalid(format!(
                "give the ridge as C or as λ = 1/C, not both (C = {c}, λ = {l})"
            ))),
            (Some(c), None) => Ridge::from_c(c),
            (None, Some(l)) => Ridge::from_lambda(l),
            (None, None) if penalty => Ok(Ridge::None),
            (None, None) => Ok(Ridge::default()),
        }
    }

    /// λ = 1/C, the weight of ½‖W‖² (0 without a ridge).
    pub fn strength(self) -> f64 {
        match self {
            Ridge::None => 0.0,
            Ridge::C(c) => 1.0 / c,
        }
    }

    /// The same ridge for the mean loss f/n = Σᵢ (sᵢ/n)·ℓᵢ + ‖W‖²/(2·C·n): C·n.
    pub fn for_mean_loss(self, n: usize) -> Ridge {
        match self {
            Ridge::None => Ridge::None,
            Ridge::C(c) => Ridge::C(c * n as f64),
        }
    }

    /// Checks that C is finite and > 0.
    pub fn validate(self) -> Result<()> {
        match self {
            Ridge::C(c) if !(c.is_finite() && c > 0.0) => Err(Error::invalid(format!(
                "C must be positive and finite, got {c}"
            ))),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Ridge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ridge::None => f.write_str("no ridge"),
            Ridge::C(c) => write!(f, "ridge C={c}"),
        }
    }
}

/// A non-smooth penalty h on the weights W (never on the intercepts), added to the smooth
/// f(W, b) of [`super::GlmSpec`]. Serialized as e.g. `{"l1": {"lambda": 0.5}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Penalty {
    /// The lasso λ‖W‖₁ (Tibshirani 1996).
    L1 { lambda: f64 },
    /// The elastic net λ(α‖W‖₁ + (1−α)/2·‖W‖²), α ∈ (0, 1] (Zou & Hastie 2005).
    ElasticNet { lambda: f64, alpha: f64 },
    /// The group lasso λ·Σ_g √|g|·‖W_g‖₂ (Yuan & Lin 2006) over disjoint groups of 0-based
    /// feature indices, a group holding its features' weights for every class; features in no
    /// group are unpenalized.
    GroupLasso {
        lambda: f64,
        groups: Vec<Vec<usize>>,
    },
}

impl Penalty {
    /// λ‖W‖₁.
    pub fn l1(lambda: f64) -> Self {
        Penalty::L1 { lambda }
    }

    /// The total strength λ.
    pub fn lambda(&self) -> f64 {
        match *self {
            Penalty::L1 { lambda }
            | Penalty::ElasticNet { lambda, .. }
            | Penalty::GroupLasso { lambda, .. } => lambda,
        }
    }

    /// Checks λ finite and ≥ 0, α ∈ (0, 1], and groups non-empty, disjoint and inside
    /// 0..n_features.
    pub fn validate(&self, n_features: usize) -> Result<()> {
        let lambda = self.lambda();
        if !(lambda.is_finite() && lambda >= 0.0) {
            return Err(Error::invalid(format!(
                "the penalty strength λ must be finite and ≥ 0, got {lambda}"
            )));
        }
        match self {
            Penalty::L1 { .. } => {}
            Penalty::ElasticNet { alpha, .. } => {
                if !(*alpha > 0.0 && *alpha <= 1.0) {
                    return Err(Error::invalid(format!(
                        "the elastic-net mix α must be in (0, 1], got {alpha}"
                    )));
                }
            }
            Penalty::GroupLasso { groups, .. } => {
                let mut owner: Vec<Option<usize>> = vec![None; n_features];
                for (gi, g) in groups.iter().enumerate() {
                    if g.is_empty() {
                        return Err(Error::invalid(format!("group {gi} is empty")));
                    }
                    for &j in g {
                        match owner.get(j) {
                            None => {
                                return Err(Error::invalid(format!(
                                "group {gi} holds feature {j}, but there are {n_features} features"
                            )))
                            }
                            Some(Some(other)) => {
                                return Err(Error::invalid(format!(
                                    "feature {j} is in both group {other} and group {gi}"
                                )))
                            }
                            Some(None) => owner[j] = Some(gi),
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for Penalty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Penalty::L1 { lambda } => write!(f, "l1 λ={lambda}"),
            Penalty::ElasticNet { lambda, alpha } => {
                write!(f, "elastic-net λ={lambda} α={alpha}")
            }
            Penalty::GroupLasso { lambda, groups } => {
                write!(f, "group-lasso λ={lambda} ({} groups)", groups.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ridge_rule() {
        // Nothing given: C = 1 for a smooth fit, no ridge beside a penalty.
        assert_eq!(Ridge::choose(None, None, false).unwrap(), Ridge::C(1.0));
        assert_eq!(Ridge::choose(None, None, true).unwrap(), Ridge::None);
        // A ridge given is kept, with or without a penalty.
        for p in [false, true] {
            assert_eq!(Ridge::choose(Some(10.0), None, p).unwrap(), Ridge::C(10.0));
            assert_eq!(Ridge::choose(None, Some(0.25), p).unwrap(), Ridge::C(4.0));
        }
        assert!(Ridge::choose(Some(1.0), Some(1.0), false).is_err());
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Ridge::choose(Some(bad), None, true).is_err(), "C = {bad}");
            assert!(Ridge::choose(None, Some(bad), true).is_err(), "λ = {bad}");
        }
        assert_eq!(Ridge::C(4.0).strength(), 0.25);
        assert_eq!(Ridge::None.strength(), 0.0);
        assert_eq!(Ridge::C(2.0).for_mean_loss(3), Ridge::C(6.0));
    }

    #[test]
    fn penalty_checks() {
        assert!(Penalty::l1(0.0).validate(3).is_ok());
        assert!(Penalty::l1(-1.0).validate(3).is_err());
        assert!(Penalty::l1(f64::NAN).validate(3).is_err());
        for (alpha, ok) in [(0.5, true), (1.0, true), (0.0, false), (1.5, false)] {
            let p = Penalty::ElasticNet { lambda: 1.0, alpha };
            assert_eq!(p.validate(3).is_ok(), ok, "α = {alpha}");
        }
        let groups = |groups: Vec<Vec<usize>>| Penalty::GroupLasso {
            lambda: 1.0,
            groups,
        };
        assert!(groups(vec![vec![0, 2], vec![1]]).validate(3).is_ok());
        assert!(groups(vec![vec![0, 3]]).validate(3).is_err());
        assert!(groups(vec![vec![0, 1], vec![1]]).validate(3).is_err());
        assert!(groups(vec![vec![]]).validate(3).is_err());
    }

    fn json<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    #[test]
    fn file_form() {
        assert_eq!(json(&Ridge::None), "\"none\"");
        assert_eq!(json(&Ridge::C(2.0)), "{\"c\":2.0}");
        assert_eq!(json(&Penalty::l1(0.5)), "{\"l1\":{\"lambda\":0.5}}");
        let p = Penalty::GroupLasso {
            lambda: 1.0,
            groups: vec![vec![0, 1]],
        };
        let back: Penalty = serde_json::from_str(&json(&p)).unwrap();
        assert_eq!(back, p);
    }
}
