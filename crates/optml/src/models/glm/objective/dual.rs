//! The GLM's dual, for [`DualCoordinateDescent`](crate::solvers::dual::DualCoordinateDescent):
//! F(w) = Σᵢ sᵢ·ℓ(yᵢ·w·xᵢ) + ‖w‖²/(2C) is (½‖w‖² + Σᵢ C·sᵢ·ℓ)/C, LIBLINEAR's primal over C.

use super::Glm;
use crate::error::{Error, Result};
use crate::models::glm::Loss;
use crate::solvers::dual::{DualForm, DualLinear, DualLoss};

impl DualLinear for Glm<'_> {
    fn dual_form(&self) -> Result<DualForm<'_>> {
        let loss = match self.loss {
            Loss::Logistic => DualLoss::Logistic,
            Loss::SquaredHinge => DualLoss::SquaredHinge,
            Loss::Hinge => DualLoss::Hinge,
            other => {
                return Err(Error::invalid(format!(
                    "dcd solves the dual of a binary linear classifier (logistic, squared-hinge \
                     or hinge loss), not of {other}"
                )))
            }
        };
        if self.lambda <= 0.0 {
            return Err(Error::invalid(
                "dcd needs an L2 ridge (a finite C): without one the dual has no bound",
            ));
        }
        if self.layout.intercept {
            return Err(Error::invalid(
                "dcd does not fit an unpenalized intercept (its dual would gain the constraint \
                 Σ yᵢαᵢ = 0); fit without one, or add a constant feature, which the ridge then \
                 penalizes as LIBLINEAR's -B does",
            ));
        }
        let c = 1.0 / self.lambda;
        if !c.is_finite() {
            return Err(Error::invalid(format!(
                "dcd: C = 1/{} is not finite",
                self.lambda
            )));
        }
        let bounds = (0..self.x.nrows()).map(|i| c * self.weight(i)).collect();
        Ok(DualForm {
            x: self.x,
            y: &self.targets,
            bounds,
            loss,
            c,
        })
    }

    fn count_passes(&self, passes: u64) {
        self.count(passes);
    }
}
