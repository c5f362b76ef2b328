//! [`GlmModel`]: a trained GLM, its predictions, and its JSON file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::loss::{softmax, Loss};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg::{Design, Layout};

/// Version of the model file format written by [`GlmModel::save`].
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// A trained linear model: everything `predict` needs, and what it was trained with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlmModel {
    pub format_version: u32,
    pub loss: Loss,
    /// The regularization it was trained with (penalty ‖W‖²/(2C)).
    pub c: f64,
    pub intercept: bool,
    pub n_features: usize,
    /// Class labels, ascending (empty for least squares). Binary models score the last one.
    pub classes: Vec<f64>,
    /// W (k × d, row-major) then b (k) when `intercept`.
    pub weights: Vec<f64>,
}

/// How well a model fits a data set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    pub n_samples: usize,
    /// Fraction classified correctly (classification).
    pub accuracy: Option<f64>,
    /// Mean negative log-likelihood (logistic and softmax).
    pub log_loss: Option<f64>,
    /// Mean squared error (least squares).
    pub mse: Option<f64>,
}

impl GlmModel {
    /// The parameter layout of `weights`.
    pub fn layout(&self) -> Layout {
        Layout {
            d: self.n_features,
            k: if self.loss == Loss::Softmax {
                self.classes.len()
            } else {
                1
            },
            intercept: self.intercept,
        }
    }

    /// Checks the invariants a loaded file must meet.
    pub fn validate(&self) -> Result<()> {
        if self.format_version != MODEL_FORMAT_VERSION {
            return Err(Error::invalid(format!(
                "model format version {} is not supported (this build reads version {MODEL_FORMAT_VERSION})",
                self.format_version
            )));
        }
        let expect_classes = match self.loss {
            Loss::LeastSquares => self.classes.is_empty(),
            Loss::Softmax => self.classes.len() >= 2,
            _ => self.classes.len() == 2,
        };
        if !expect_classes {
            return Err(Error::invalid(format!(
                "a {} model cannot have {} classes",
                self.loss,
                self.classes.len()
            )));
        }
        let layout = self.layout();
        let dim = layout
            .k
            .checked_mul(layout.d)
            .and_then(|kd| kd.checked_add(if layout.intercept { layout.k } else { 0 }));
        if dim != Some(self.weights.len()) {
            return Err(Error::invalid(format!(
                "the model has {} weights, expected {} for {} features",
                self.weights.len(),
                dim.map_or("too many".into(), |d| d.to_string()),
                self.n_features
            )));
        }
        if self
            .weights
            .iter()
            .chain(&self.classes)
            .any(|w| !w.is_finite())
            || self.c <= 0.0
        {
            return Err(Error::invalid(
                "the model holds a non-finite weight, class or C",
            ));
        }
        Ok(())
    }

    /// Writes the model as JSON, whole or not at all.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::atomic::write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, self).map_err(std::io::Error::other)?;
            std::io::Write::write_all(w, b"\n")
        })
    }

    /// Reads and validates a model file.
    pub fn load(path: &Path) -> Result<GlmModel> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let model: GlmModel = serde_json::from_str(&text)
            .map_err(|e| Error::parse(path, e.line(), format!("not a model file: {e}")))?;
        model
            .validate()
            .map_err(|e| Error::parse(path, 0, e.to_string()))?;
        Ok(model)
    }

    /// Checks that `x` fits the model, and widens it if it has fewer features.
    pub fn conform(&self, data: &mut Dataset) -> Result<()> {
        let d = data.n_features();
        if d > self.n_features {
            return Err(Error::invalid(format!(
                "{} has {d} features but the model was trained on {}: wrong model or data file?",
                data.name(),
                self.n_features
            )));
        }
        data.x.set_ncols(self.n_features)
    }

    /// Scores W·xᵢ + b, n × k row-major. `x` must have the model's feature count.
    pub fn decision_function(&self, x: &Design) -> Result<Vec<f64>> {
        if x.ncols() != self.n_features {
            return Err(Error::invalid(format!(
                "data has {} features, the model {}",
                x.ncols(),
                self.n_features
            )));
        }
        let layout = self.layout();
        let mut z = vec![0.0; x.nrows() * layout.k];
        x.scores(layout, &self.weights, &mut z);
        Ok(z)
    }

    /// Predicted labels (classes, or real values for least squares).
    pub fn predict(&self, x: &Design) -> Result<Vec<f64>> {
        let z = self.decision_function(x)?;
        let k = self.layout().k;
        Ok(z.chunks_exact(k)
            .map(|zi| match self.loss {
                Loss::LeastSquares => zi[0],
                Loss::Softmax => self.classes[argmax(zi)],
                _ => self.classes[usize::from(zi[0] > 0.0)],
            })
            .collect())
    }

    /// Class probabilities (n × K, or n × 2 for logistic), for the probabilistic losses.
    pub fn predict_proba(&self, x: &Design) -> Result<Option<Vec<f64>>> {
        let z = self.decision_function(x)?;
        Ok(match self.loss {
            Loss::Logistic => Some(
                z.iter()
                    .flat_map(|&zi| {
                        let p1 = sigmoid(zi);
                        [1.0 - p1, p1]
                    })
                    .collect(),
            ),
            Loss::Softmax => {
                let k = self.classes.len();
                let mut p = vec![0.0; z.len()];
                for (zi, pi) in z.chunks_exact(k).zip(p.chunks_exact_mut(k)) {
                    softmax(zi, pi);
                }
                Some(p)
            }
            _ => None,
        })
    }

    /// Accuracy, log-loss or mean squared error on a labelled data set.
    pub fn evaluate(&self, data: &Dataset) -> Result<Metrics> {
        let n = data.n_samples();
        let pred = self.predict(&data.x)?;
        let mut m = Metrics {
            n_samples: n,
            accuracy: None,
            log_loss: None,
            mse: None,
        };
        if n == 0 {
            return Ok(m);
        }
        if self.loss == Loss::LeastSquares {
            let se: f64 = pred.iter().zip(&data.y).map(|(p, y)| (p - y).powi(2)).sum();
            m.mse = Some(se / n as f64);
            return Ok(m);
        }
        let correct = pred.iter().zip(&data.y).filter(|(p, y)| p == y).count();
        m.accuracy = Some(correct as f64 / n as f64);
        if let Some(p) = self.predict_proba(&data.x)? {
            let k = p.len() / n;
            let mut nll = 0.0;
            for (pi, y) in p.chunks_exact(k).zip(&data.y) {
                // A label the model never saw has probability 0: count it as p = 1e-15.
                let c = self.classes.iter().position(|c| c == y);
                nll -= c.map_or(1e-15, |c| pi[c]).max(1e-15).ln();
            }
            m.log_loss = Some(nll / n as f64);
        }
        Ok(m)
    }
}

fn argmax(z: &[f64]) -> usize {
    z.iter()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |(bi, bv), (i, &v)| {
            if v > bv {
                (i, v)
            } else {
                (bi, bv)
            }
        })
        .0
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}
