//! Generalized linear models in the LIBLINEAR form
//! F(W, b) = Σᵢ sᵢ·ℓ(yᵢ, W·xᵢ + b) + ‖W‖²/(2C) + h(W): a smooth part f with an optional ridge
//! ([`Ridge`]; λ = 1/C), and an optional non-smooth penalty h ([`Penalty`]: lasso, elastic net,
//! group lasso).
//!
//! [`GlmSpec`] says which model; [`GlmSpec::objective`] turns a data set into the smooth [`Glm`]
//! objective that every solver accepts; [`GlmModel`] is the trained result, saved as JSON.

mod bound;
mod columns;
mod loss;
mod model;
mod objective;
mod regularization;

pub use bound::{bohning_apply, ScoreBound};
pub use columns::{Columns, GlmColumnModel};
pub use loss::Loss;
pub use model::{GlmModel, Metrics, ObjectiveView, MODEL_FORMAT_VERSION};
pub use objective::{Glm, GlmBatchHessian, GlmBound, GlmHessian};
pub use regularization::{Penalty, Ridge};

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg::Layout;

/// Which GLM to fit: F(W, b) = Σᵢ sᵢ·ℓ(yᵢ, W·xᵢ + b) + ‖W‖²/(2C) + h(W).
#[derive(Clone, Debug)]
pub struct GlmSpec {
    pub loss: Loss,
    /// The ridge ‖W‖²/(2C), or none. [`Ridge::choose`] is the rule that picks it from a C, a
    /// λ = 1/C or neither.
    pub ridge: Ridge,
    /// The non-smooth penalty h, or none for a smooth fit.
    pub penalty: Option<Penalty>,
    /// Fit an unpenalized intercept per output.
    pub intercept: bool,
    /// Per-sample weights sᵢ ≥ 0 (all 1 when absent).
    pub sample_weight: Option<Vec<f64>>,
}

impl Default for GlmSpec {
    fn default() -> Self {
        GlmSpec {
            loss: Loss::Logistic,
            ridge: Ridge::default(),
            penalty: None,
            intercept: false,
            sample_weight: None,
        }
    }
}

impl GlmSpec {
    /// The smooth part f on `data` (loss and ridge, without the penalty), and the classes its
    /// labels were mapped from.
    pub fn objective<'a>(&self, data: &'a Dataset) -> Result<(Glm<'a>, Classes)> {
        self.objective_with_labels(data, &data.y)
    }

    /// [`objective`](Self::objective) with the labels `y` in place of `data.y`: one-vs-rest
    /// fits the same features against each class in turn.
    pub fn objective_with_labels<'a>(
        &self,
        data: &'a Dataset,
        y: &[f64],
    ) -> Result<(Glm<'a>, Classes)> {
        let classes = Classes::from_labels(y, self.loss)?;
        let glm = self.objective_for(data, y, &classes)?;
        Ok((glm, classes))
    }

    /// The smooth part f on `data` with the classes given rather than read off its labels: for
    /// one part of a data set split across processes, whose labels may miss a class (every
    /// label must be one of `classes`).
    pub fn objective_with_classes<'a>(
        &self,
        data: &'a Dataset,
        classes: &Classes,
    ) -> Result<Glm<'a>> {
        self.objective_for(data, &data.y, classes)
    }

    /// The smooth part f on `data`'s features against the labels `y`, encoded by `classes`.
    fn objective_for<'a>(
        &self,
        data: &'a Dataset,
        y: &[f64],
        classes: &Classes,
    ) -> Result<Glm<'a>> {
        self.ridge.validate()?;
        let n = data.n_samples();
        if n == 0 {
            return Err(Error::invalid(format!("{} has no samples", data.name())));
        }
        if y.len() != n {
            return Err(Error::invalid(format!(
                "{} has {} labels for {n} samples",
                data.name(),
                y.len()
            )));
        }
        if let Some(s) = &self.sample_weight {
            if s.len() != n {
                return Err(Error::invalid(format!(
                    "{} sample weights for {n} samples",
                    s.len()
                )));
            }
            if s.iter().any(|w| !(w.is_finite() && *w >= 0.0)) {
                return Err(Error::invalid("sample weights must be finite and ≥ 0"));
            }
        }
        let targets = classes.encode(y, self.loss)?;
        let k = classes.outputs(self.loss);
        // Dense weights: a sparse file whose largest index is huge (e.g. 32-bit hashed
        // features) is refused here, before anything of that size is allocated.
        let d = data.n_features();
        crate::limits::check_values(
            &format!(
                "{}: {d} features (largest feature index {d}) × {k} outputs of dense weights",
                data.name()
            ),
            &[d + usize::from(self.intercept), k],
        )?;
        let glm = Glm::new(
            &data.x,
            self.loss,
            targets,
            k,
            self.ridge.strength(),
            self.intercept,
            self.sample_weight.clone(),
        );
        Ok(glm)
    }

    /// The parameter layout for `data`'s shape and this spec.
    pub fn layout(&self, n_features: usize, classes: &Classes) -> Layout {
        Layout {
            d: n_features,
            k: classes.outputs(self.loss),
            intercept: self.intercept,
        }
    }
}

/// The distinct labels of a classification data set, ascending (empty for regression).
#[derive(Clone, Debug, PartialEq)]
pub struct Classes(pub Vec<f64>);

impl Classes {
    /// Reads the classes off the labels; binary losses need exactly two.
    pub fn from_labels(y: &[f64], loss: Loss) -> Result<Classes> {
        if let Some(bad) = y.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(format!("label {bad} is not finite")));
        }
        if !loss.is_classification() {
            return Ok(Classes(Vec::new()));
        }
        let mut c: Vec<f64> = y.to_vec();
        c.sort_by(f64::total_cmp);
        c.dedup();
        match loss {
            Loss::Softmax if c.len() < 2 => Err(Error::invalid(format!(
                "softmax needs at least two classes, the labels have {}",
                c.len()
            ))),
            Loss::Logistic | Loss::SquaredHinge | Loss::Hinge if c.len() != 2 => {
                Err(Error::invalid(format!(
                    "{loss} is a binary loss but the labels have {} classes{}",
                    c.len(),
                    if c.len() > 2 {
                        " (use --loss softmax)"
                    } else {
                        ""
                    }
                )))
            }
            _ => Ok(Classes(c)),
        }
    }

    /// Number of model outputs: K for softmax, 1 otherwise.
    pub fn outputs(&self, loss: Loss) -> usize {
        if loss == Loss::Softmax {
            self.0.len()
        } else {
            1
        }
    }

    /// Targets for the loss: ±1 (the larger label is +1), the class index, or y itself.
    pub fn encode(&self, y: &[f64], loss: Loss) -> Result<Vec<f64>> {
        match loss {
            Loss::LeastSquares => Ok(y.to_vec()),
            _ => y
                .iter()
                .map(|&v| {
                    let c = self.0.iter().position(|&c| c == v).ok_or_else(|| {
                        Error::invalid(format!("label {v} is not one of the model's classes"))
                    })?;
                    Ok(match loss {
                        Loss::Softmax => c as f64,
                        _ if c == 1 => 1.0,
                        _ => -1.0,
                    })
                })
                .collect(),
        }
    }
}
