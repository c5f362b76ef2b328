//! [`GlmModel`]: a trained GLM, its predictions, and its JSON file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::loss::{softmax, Loss};
use super::objective::Glm;
use super::regularization::{Penalty, Ridge};
use super::GlmSpec;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg::{Design, Layout};

/// Version of the model file format written by [`GlmModel::save`]. Version 2 records the ridge
/// and the penalty; [`GlmModel::load`] also reads version 1, which held only C (C = f64::MAX
/// there meant no ridge) and no penalty.
pub const MODEL_FORMAT_VERSION: u32 = 2;

/// A trained linear model: everything `predict` needs, and what it was trained with.
///
/// Its file is JSON: `format_version`, then the fields below in order, e.g.
/// `{"format_version": 2, "loss": "logistic", "ridge": {"c": 1.0}, "penalty": null, ...}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "ModelFile")]
pub struct GlmModel {
    pub loss: Loss,
    /// The ridge ‖W‖²/(2C) it was trained with, or none.
    pub ridge: Ridge,
    /// The non-smooth penalty it was trained with, or none. Version 1 files did not record
    /// one, and load with none.
    pub penalty: Option<Penalty>,
    pub intercept: bool,
    pub n_features: usize,
    /// Class labels, ascending (empty for least squares). Binary models score the last one.
    pub classes: Vec<f64>,
    /// W (k × d, row-major) then b (k) when `intercept`.
    pub weights: Vec<f64>,
}

/// Which form of the training objective [`GlmModel::objective`] rebuilds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectiveView {
    /// The mean over the samples instead of the sum (PyHessian's scale).
    pub mean: bool,
    /// Whether the ridge ‖W‖²/(2C) is included.
    pub ridge: bool,
}

impl Default for ObjectiveView {
    /// The objective as trained: the sum, with the ridge.
    fn default() -> Self {
        ObjectiveView {
            mean: false,
            ridge: true,
        }
    }
}

/// The model file as written: [`MODEL_FORMAT_VERSION`] and the model's fields.
#[derive(Serialize)]
struct ModelFileRef<'a> {
    format_version: u32,
    loss: Loss,
    ridge: Ridge,
    penalty: &'a Option<Penalty>,
    intercept: bool,
    n_features: usize,
    classes: &'a [f64],
    weights: &'a [f64],
}

impl Serialize for GlmModel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        ModelFileRef {
            format_version: MODEL_FORMAT_VERSION,
            loss: self.loss,
            ridge: self.ridge,
            penalty: &self.penalty,
            intercept: self.intercept,
            n_features: self.n_features,
            classes: &self.classes,
            weights: &self.weights,
        }
        .serialize(s)
    }
}

/// A model file of any version this build reads.
#[derive(Deserialize)]
struct ModelFile {
    format_version: u32,
    loss: Loss,
    /// Version 1: C, with f64::MAX for no ridge.
    #[serde(default)]
    c: Option<f64>,
    /// Version 2.
    #[serde(default)]
    ridge: Option<Ridge>,
    /// Version 2.
    #[serde(default)]
    penalty: Option<Penalty>,
    intercept: bool,
    n_features: usize,
    classes: Vec<f64>,
    weights: Vec<f64>,
}

/// How version 1 files wrote "no ridge".
const V1_NO_RIDGE: f64 = f64::MAX;

impl TryFrom<ModelFile> for GlmModel {
    type Error = Error;

    /// Upgrades a file of any supported version and checks it ([`GlmModel::validate`]).
    fn try_from(file: ModelFile) -> Result<GlmModel> {
        let ridge = match (file.format_version, file.c, file.ridge) {
            (1, Some(c), None) if file.penalty.is_none() => {
                if c == V1_NO_RIDGE {
                    Ridge::None
                } else {
                    Ridge::C(c)
                }
            }
            (1, ..) => {
                return Err(Error::invalid(
                    "a version 1 model file holds \"c\", and no \"ridge\" or \"penalty\"",
                ))
            }
            (2, None, Some(ridge)) => ridge,
            (2, ..) => {
                return Err(Error::invalid(
                    "a version 2 model file holds \"ridge\", and no \"c\"",
                ))
            }
            (v, ..) => {
                return Err(Error::invalid(format!(
                    "model format version {v} is not supported (this build reads versions 1 to {MODEL_FORMAT_VERSION})"
                )))
            }
        };
        let model = GlmModel {
            loss: file.loss,
            ridge,
            penalty: file.penalty,
            intercept: file.intercept,
            n_features: file.n_features,
            classes: file.classes,
            weights: file.weights,
        };
        model.validate()?;
        Ok(model)
    }
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
            k: if self.loss == Loss::Softmax || self.is_one_vs_rest() {
                self.classes.len()
            } else {
                1
            },
            intercept: self.intercept,
        }
    }

    /// Whether the model is K binary classifiers, one per class against the rest, and predicts
    /// the class of highest score: the squared hinge with more than two classes.
    pub fn is_one_vs_rest(&self) -> bool {
        self.loss == Loss::SquaredHinge && self.classes.len() > 2
    }

    /// Checks the invariants a loaded file must meet.
    pub fn validate(&self) -> Result<()> {
        self.ridge.validate()?;
        if let Some(p) = &self.penalty {
            p.validate(self.n_features)?;
        }
        let expect_classes = match self.loss {
            Loss::LeastSquares => self.classes.is_empty(),
            Loss::Softmax | Loss::SquaredHinge => self.classes.len() >= 2,
            Loss::Logistic | Loss::Hinge => self.classes.len() == 2,
        };
        if !expect_classes {
            return Err(Error::invalid(format!(
                "a {} model cannot have {} classes",
                self.loss,
                self.classes.len()
            )));
        }
        if let Some((i, c)) = self
            .classes
            .iter()
            .enumerate()
            .find(|&(i, c)| self.classes[..i].contains(c))
        {
            return Err(Error::invalid(format!(
                "the model's classes must be distinct, class {i} repeats {c}"
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
        {
            return Err(Error::invalid(
                "the model holds a non-finite weight or class",
            ));
        }
        Ok(())
    }

    /// Writes the model as JSON, whole or not at all.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::atomic::write_json_atomic(path, self)
    }

    /// Reads and validates a model file of any supported version (see
    /// [`MODEL_FORMAT_VERSION`]).
    pub fn load(path: &Path) -> Result<GlmModel> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        GlmModel::from_json_str(&text, path)
    }

    /// Parses and validates a model file's text, as [`load`](Self::load) does; `name` is used
    /// in error messages.
    pub fn from_json_str(text: &str, name: &Path) -> Result<GlmModel> {
        let file: ModelFile = serde_json::from_str(text)
            .map_err(|e| Error::parse(name, e.line(), format!("not a model file: {e}")))?;
        GlmModel::try_from(file).map_err(|e| Error::parse(name, 0, e.to_string()))
    }

    /// Checks that `x` fits the model: sparse data with fewer features (a LIBSVM file whose last
    /// features are all zero) is widened; dense data must have the model's features exactly.
    pub fn conform(&self, data: &mut Dataset) -> Result<()> {
        let d = data.n_features();
        if d < self.n_features && !data.x.is_sparse() {
            return Err(Error::invalid(format!(
                "{} has {d} columns of features but the model was trained on {}: wrong model or \
                 data file (or label column)?",
                data.name(),
                self.n_features
            )));
        }
        if d > self.n_features {
            return Err(Error::invalid(format!(
                "{} has {d} features but the model was trained on {}: wrong model or data file?",
                data.name(),
                self.n_features
            )));
        }
        data.x.set_ncols(self.n_features)
    }

    /// The smooth objective the model was trained on, rebuilt on `data` (e.g. to analyse its
    /// Hessian at [`weights`](Self::weights)): Σᵢ ℓᵢ + ‖W‖²/(2C), its mean over the n samples
    /// (ℓ and the ridge both divided by n) when `view.mean`, and without the ridge when
    /// `!view.ridge`. A non-smooth penalty is left out: it has no Hessian. `data` must have the
    /// model's features ([`conform`](Self::conform)) and its classes.
    pub fn objective<'d>(&self, data: &'d Dataset, view: ObjectiveView) -> Result<Glm<'d>> {
        if self.is_one_vs_rest() {
            return Err(Error::invalid(format!(
                "this {} model is {} one-vs-rest classifiers, not one objective",
                self.loss,
                self.classes.len()
            )));
        }
        let n = data.n_samples();
        let ridge = match (view.ridge, view.mean) {
            (false, _) => Ridge::None,
            (true, true) => self.ridge.for_mean_loss(n),
            (true, false) => self.ridge,
        };
        let spec = GlmSpec {
            loss: self.loss,
            ridge,
            penalty: None,
            intercept: self.intercept,
            sample_weight: view.mean.then(|| vec![1.0 / n as f64; n]),
        };
        let (f, classes) = spec.objective(data)?;
        if classes.0 != self.classes {
            return Err(Error::invalid(format!(
                "{} has classes {:?}, the model {:?}",
                data.name(),
                classes.0,
                self.classes
            )));
        }
        Ok(f)
    }

    /// Scores W·xᵢ + b, n × k row-major. `x` must have the model's feature count. A score that
    /// overflows to ±∞ (huge weights or features) is an [`Error::NonFinite`], never a NaN
    /// prediction.
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
        if let Some(i) = z.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite(format!(
                "the score of sample {} is {} (weights times features overflow)",
                i / layout.k,
                z[i]
            )));
        }
        Ok(z)
    }

    /// Predicted labels (classes, or real values for least squares).
    pub fn predict(&self, x: &Design) -> Result<Vec<f64>> {
        let z = self.decision_function(x)?;
        let k = self.layout().k;
        Ok(z.chunks_exact(k)
            .map(|zi| match self.loss {
                Loss::LeastSquares => zi[0],
                _ if k > 1 => self.classes[argmax(zi)],
                _ => self.classes[usize::from(zi[0] > 0.0)],
            })
            .collect())
    }

    /// Class probabilities (n × K, or n × 2 for logistic), for the probabilistic losses.
    pub fn predict_proba(&self, x: &Design) -> Result<Option<Vec<f64>>> {
        let z = self.decision_function(x)?;
        let proba = match self.loss {
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
        };
        if let Some(p) = &proba {
            if let Some(i) = p.iter().position(|v| !v.is_finite()) {
                return Err(Error::NonFinite(format!(
                    "a class probability of sample {} is {}",
                    i / (p.len() / x.nrows()).max(1),
                    p[i]
                )));
            }
        }
        Ok(proba)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A binary logistic model on 2 features, its ridge and penalty fields given as JSON text.
    fn file(version: u32, regularization: &str) -> String {
        format!(
            "{{\"format_version\": {version}, \"loss\": \"logistic\", {regularization}, \
             \"intercept\": true, \"n_features\": 2, \"classes\": [-1.0, 1.0], \
             \"weights\": [0.5, -1.0, 0.25]}}"
        )
    }

    fn read(text: &str) -> Result<GlmModel> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, text).unwrap();
        GlmModel::load(&path)
    }

    #[test]
    fn rebuilds_each_view_of_the_training_objective() {
        use crate::objective::Objective;
        let data = crate::data::parse_libsvm(
            b"1 1:0.5\n-1 2:1\n1 1:1 2:-1\n",
            "t.svm".as_ref(),
            &Default::default(),
        )
        .unwrap();
        let m = read(&file(2, "\"ridge\": {\"c\": 2.0}, \"penalty\": null")).unwrap();
        let at = |view| m.objective(&data, view).unwrap().value(&m.weights);
        // ‖W‖²/(2C) with C = 2; the intercept 0.25 is not penalized.
        let (sum, ridge) = (at(ObjectiveView::default()), (0.25 + 1.0) / 4.0);
        let loss_only = at(ObjectiveView {
            mean: false,
            ridge: false,
        });
        assert!((sum - loss_only - ridge).abs() < 1e-12, "{sum} {loss_only}");
        let mean = at(ObjectiveView {
            mean: true,
            ridge: true,
        });
        assert!((mean - sum / 3.0).abs() < 1e-12, "{mean} {sum}");
        // Data with other classes is not the model's.
        let other =
            crate::data::parse_libsvm(b"1 1:0.5\n2 2:1\n", "o.svm".as_ref(), &Default::default())
                .unwrap();
        let Err(err) = m.objective(&other, ObjectiveView::default()) else {
            panic!("data with classes 1, 2 accepted by a ±1 model");
        };
        assert!(err.to_string().contains("classes"), "{err}");
    }

    #[test]
    fn overflowing_scores_and_narrow_dense_data_are_refused() {
        use crate::linalg::DenseMatrix;
        let m = read(&file(2, "\"ridge\": \"none\"")).unwrap();
        let huge = GlmModel {
            weights: vec![1e308, 1e308, 0.0],
            ..m.clone()
        };
        let x = Design::Dense(DenseMatrix::from_row_major(1, 2, vec![10.0, 10.0]).unwrap());
        assert!(m
            .predict_proba(&x)
            .unwrap()
            .unwrap()
            .iter()
            .all(|p| p.is_finite()));
        for result in [huge.predict(&x).err(), huge.predict_proba(&x).err()] {
            assert!(matches!(result, Some(Error::NonFinite(_))), "{result:?}");
        }
        let mut data = Dataset {
            x: Design::Dense(DenseMatrix::from_row_major(1, 1, vec![1.0]).unwrap()),
            y: vec![1.0],
            source: None,
        };
        let err = m.conform(&mut data).unwrap_err().to_string();
        assert!(
            err.contains("1 columns") && err.contains("trained on 2"),
            "{err}"
        );
        // Sparse data is widened: its missing last features are zeros.
        let mut sparse =
            crate::data::parse_libsvm(b"1 1:1\n", "t.svm".as_ref(), &Default::default()).unwrap();
        m.conform(&mut sparse).unwrap();
        assert_eq!(sparse.n_features(), 2);
    }

    #[test]
    fn reads_version_1_files() {
        let m = read(&file(1, "\"c\": 2.0")).unwrap();
        assert_eq!(m.ridge, Ridge::C(2.0));
        assert_eq!(m.penalty, None);
        assert_eq!(m.weights, [0.5, -1.0, 0.25]);
        // C = f64::MAX was how version 1 wrote "no ridge".
        let m = read(&file(1, "\"c\": 1.7976931348623157e308")).unwrap();
        assert_eq!(m.ridge, Ridge::None);
        for bad in ["\"c\": 0.0", "\"c\": -1.0", "\"ridge\": \"none\""] {
            assert!(read(&file(1, bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn writes_and_reads_version_2_files() {
        let m = read(&file(
            2,
            "\"ridge\": \"none\", \"penalty\": {\"elastic_net\": {\"lambda\": 0.5, \"alpha\": 0.3}}",
        ))
        .unwrap();
        assert_eq!(m.ridge, Ridge::None);
        assert_eq!(
            m.penalty,
            Some(Penalty::ElasticNet {
                lambda: 0.5,
                alpha: 0.3
            })
        );
        let m = GlmModel {
            ridge: Ridge::C(4.0),
            penalty: Some(Penalty::GroupLasso {
                lambda: 1.0,
                groups: vec![vec![0, 1]],
            }),
            ..m
        };
        let text = serde_json::to_string(&m).unwrap();
        assert!(
            text.starts_with("{\"format_version\":2,\"loss\":\"logistic\",\"ridge\":{\"c\":4.0},"),
            "{text}"
        );
        assert_eq!(read(&text).unwrap(), m);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        m.save(&path).unwrap();
        assert_eq!(GlmModel::load(&path).unwrap(), m);
        // The ridge is required; a C, a group outside the features or a later version is refused.
        for bad in [
            file(2, "\"penalty\": null"),
            file(2, "\"c\": 1.0, \"ridge\": {\"c\": 1.0}"),
            file(2, "\"ridge\": {\"c\": 0.0}"),
            file(2, "\"ridge\": {\"c\": -1.0}"),
            file(2, "\"ridge\": \"none\"").replace("[-1.0, 1.0]", "[1, 1]"),
            file(
                2,
                "\"ridge\": \"none\", \"penalty\": {\"group_lasso\": {\"lambda\": 1.0, \"groups\": [[2]]}}",
            ),
        ] {
            assert!(read(&bad).is_err(), "{bad}");
        }
        let e = read(&file(3, "\"ridge\": \"none\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("version 3"), "{e}");
    }
}
