//! Dual coordinate descent for L2-regularized linear classifiers: [`DualCoordinateDescent`] on
//! any objective that says what its dual is ([`DualLinear`]).
//!
//! In LIBLINEAR's scale the primal is P(w) = ½‖w‖² + Σᵢ Cᵢ·ξ(yᵢ·w·xᵢ) (Cᵢ = C·sᵢ), and the
//! library's objective is F = P/C, the same minimizer. The dual, a minimization over α with
//! w(α) = Σᵢ αᵢ·yᵢ·xᵢ, is
//!
//! | loss ξ(m) | D(α) | box |
//! |---|---|---|
//! | hinge max(0, 1 − m) | ½‖w(α)‖² − Σ αᵢ | 0 ≤ αᵢ ≤ Cᵢ |
//! | squared hinge max(0, 1 − m)² | ½‖w(α)‖² + Σ αᵢ²/(4Cᵢ) − Σ αᵢ | αᵢ ≥ 0 |
//! | logistic log(1 + e⁻ᵐ) | ½‖w(α)‖² + Σ αᵢ·log αᵢ + (Cᵢ − αᵢ)·log(Cᵢ − αᵢ) − Cᵢ·log Cᵢ | 0 < αᵢ < Cᵢ |
//!
//! and P(w(α)) + D(α) ≥ 0, with equality at the optimum: the duality gap.

mod coordinate_descent;

pub use coordinate_descent::{DualCoordinateDescent, DualRun};

use crate::error::Result;
use crate::linalg::Design;
use crate::objective::Objective;

/// The binary losses whose dual [`DualCoordinateDescent`] solves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DualLoss {
    Hinge,
    SquaredHinge,
    Logistic,
}

/// A linear model's dual, as [`DualLinear::dual_form`] hands it over.
pub struct DualForm<'a> {
    /// The samples xᵢ (rows).
    pub x: &'a Design,
    /// The labels yᵢ ∈ {−1, +1}.
    pub y: &'a [f64],
    /// Cᵢ = C·sᵢ ≥ 0 (sᵢ the sample weight).
    pub bounds: Vec<f64>,
    pub loss: DualLoss,
    /// C: the objective is F = P/C.
    pub c: f64,
}

/// An objective F(w) = (½‖w‖² + Σᵢ Cᵢ·ξ(yᵢ·w·xᵢ))/C whose dual is one of [`DualLoss`], with w the
/// whole parameter vector (no unpenalized intercept).
pub trait DualLinear: Objective {
    /// The dual, or an error naming why the objective has none that the solver handles.
    fn dual_form(&self) -> Result<DualForm<'_>>;
    /// Adds passes over the data made by the solver to [`Objective::passes`].
    fn count_passes(&self, passes: u64);
}
