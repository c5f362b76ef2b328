//! Bregman potentials: the geometry of each player's steps in competitive mirror descent.

use crate::error::{Error, Result};

/// The potential ψ whose Bregman divergence measures a player's steps, with its domain.
///
/// A step of size η with gradient ĝ is the mirror step x⁺ = argmin ⟨ĝ, x'⟩ + D_ψ(x' ‖ x)/η,
/// and the local game uses the metric η·(∇²ψ(x))⁻¹.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Potential {
    /// ψ = ½‖x‖² on ℝᵈ: x⁺ = x − ηĝ, metric ηI.
    Euclidean,
    /// Shannon entropy ψ = Σ xᵢ log xᵢ − xᵢ on the positive cone: x⁺ = x ∘ exp(−ηĝ)
    /// (multiplicative weights), metric η·diag(x).
    Entropy,
    /// Shannon entropy on the probability simplex: x⁺ ∝ x ∘ exp(−ηĝ), metric
    /// η·(diag(x) − x xᵀ) (the inverse Hessian on the tangent space Σ Δxᵢ = 0).
    Simplex,
}

impl Potential {
    /// The name a user types.
    pub fn name(self) -> &'static str {
        match self {
            Potential::Euclidean => "euclidean",
            Potential::Entropy => "entropy",
            Potential::Simplex => "simplex",
        }
    }

    /// Refuses a point outside the domain: a non-finite entry, a non-positive one for the
    /// entropies, a sum off 1 for the simplex.
    pub fn check(self, x: &[f64], player: &str) -> Result<()> {
        if let Some(v) = x.iter().find(|v| !v.is_finite()) {
            return Err(Error::invalid(format!(
                "player {player} starts at a non-finite entry {v}"
            )));
        }
        if self != Potential::Euclidean {
            if let Some(v) = x.iter().find(|v| **v <= 0.0) {
                return Err(Error::invalid(format!(
                    "player {player} ({} potential) needs positive entries, got {v}",
                    self.name()
                )));
            }
        }
        if self == Potential::Simplex {
            let s: f64 = x.iter().sum();
            if (s - 1.0).abs() > 1e-9 {
                return Err(Error::invalid(format!(
                    "player {player} lives on the simplex: its entries must sum to 1, got {s}"
                )));
            }
        }
        Ok(())
    }

    /// `out` = η·(∇²ψ(x))⁻¹·v.
    pub fn metric(self, x: &[f64], lr: f64, v: &[f64], out: &mut [f64]) {
        match self {
            Potential::Euclidean => out.iter_mut().zip(v).for_each(|(o, v)| *o = lr * v),
            Potential::Entropy => {
                for ((o, v), x) in out.iter_mut().zip(v).zip(x) {
                    *o = lr * x * v;
                }
            }
            Potential::Simplex => {
                let xv: f64 = x.iter().zip(v).map(|(x, v)| x * v).sum();
                for ((o, v), x) in out.iter_mut().zip(v).zip(x) {
                    *o = lr * x * (v - xv);
                }
            }
        }
    }

    /// x ← argmin ⟨g, x'⟩ + D_ψ(x' ‖ x)/η.
    pub fn mirror_step(self, x: &mut [f64], lr: f64, g: &[f64]) {
        match self {
            Potential::Euclidean => x.iter_mut().zip(g).for_each(|(x, g)| *x -= lr * g),
            Potential::Entropy => x.iter_mut().zip(g).for_each(|(x, g)| *x *= (-lr * g).exp()),
            Potential::Simplex => {
                // Shifting g by its minimum changes nothing but keeps exp ≤ 1.
                let lo = g.iter().copied().fold(f64::INFINITY, f64::min);
                x.iter_mut()
                    .zip(g)
                    .for_each(|(x, g)| *x *= (-lr * (g - lo)).exp());
                let s: f64 = x.iter().sum();
                x.iter_mut().for_each(|x| *x /= s);
            }
        }
    }
}

impl std::str::FromStr for Potential {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "euclidean" => Ok(Potential::Euclidean),
            "entropy" => Ok(Potential::Entropy),
            "simplex" => Ok(Potential::Simplex),
            _ => Err(Error::invalid(format!(
                "unknown potential '{s}': give euclidean, entropy or simplex"
            ))),
        }
    }
}

/// The Euclidean projection of `v` onto the probability simplex {x ≥ 0, Σ xᵢ = 1}
/// (sort and threshold; Held, Wolfe & Crowder 1974).
pub fn project_simplex(v: &mut [f64]) {
    let mut u: Vec<f64> = v.to_vec();
    u.sort_by(|a, b| b.total_cmp(a));
    let (mut sum, mut theta) = (0.0, 0.0);
    for (k, uk) in u.iter().enumerate() {
        sum += uk;
        let t = (sum - 1.0) / (k + 1) as f64;
        if uk - t > 0.0 {
            theta = t;
        }
    }
    v.iter_mut().for_each(|x| *x = (*x - theta).max(0.0));
}
