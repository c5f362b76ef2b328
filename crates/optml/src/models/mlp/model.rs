//! [`MlpSpec`] (what network to train) and [`MlpModel`] (a trained one): its objective on a
//! data set, its predictions, and its JSON file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{check_sizes, Activation, Mlp, MlpLoss};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg::Design;
use crate::models::glm::Metrics;

/// Version of the file format written by [`MlpModel::save`].
pub const MLP_FORMAT_VERSION: u32 = 1;

/// A network to train: f(θ) = (1/n)·Σᵢ ℓ(F(θ; xᵢ), yᵢ) + (λ/2)·Σₗ‖Wₗ‖² on a data set (see
/// [`Mlp`]), started from θ₀ drawn uniformly in ±1/√fan_in under `seed`.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpSpec {
    /// Layer sizes, input first, outputs (classes) last: `[d, h₁, …, k]`.
    pub sizes: Vec<usize>,
    /// The hidden layers' activation.
    pub activation: Activation,
    /// Cross-entropy over class ids 0..k, or squared error on real targets (k = 1 from a
    /// [`Dataset`], whose labels are one per sample).
    pub loss: MlpLoss,
    /// λ of the weight penalty (biases free).
    pub l2: f64,
    /// Seed of the initial parameters.
    pub seed: u64,
}

impl MlpSpec {
    /// A softmax classifier with these sizes and activation, no penalty, seed 0.
    pub fn classifier(sizes: &[usize], activation: Activation) -> MlpSpec {
        MlpSpec {
            sizes: sizes.to_vec(),
            activation,
            loss: MlpLoss::CrossEntropy,
            l2: 0.0,
            seed: 0,
        }
    }

    /// The training objective on `data`: its labels are class ids 0..k (cross-entropy) or real
    /// targets (squared error, one output). A sparse data set with fewer features than inputs
    /// (a LIBSVM file whose last features are all zero) is widened.
    pub fn objective(&self, data: &Dataset) -> Result<Mlp> {
        objective_on(&self.sizes, self.activation, self.loss, self.l2, data)
    }
}

/// A trained MLP: its architecture, what it was trained on, and θ (layer by layer, Wₗ
/// row-major out × in, then bₗ).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MlpModel {
    pub format_version: u32,
    /// Layer sizes, input first.
    pub sizes: Vec<usize>,
    #[serde(with = "activation_name")]
    pub activation: Activation,
    #[serde(with = "loss_name")]
    pub loss: MlpLoss,
    /// λ of the weight penalty it was trained with.
    pub l2: f64,
    pub theta: Vec<f64>,
}

/// The layer sizes as text, `64-32-10`.
fn arch_string(sizes: &[usize]) -> String {
    sizes
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join("-")
}

/// The rows of `x` as a dense n × d row-major array. A sparse `x` with fewer columns than `d`
/// (a LIBSVM file whose last features are all zero) is widened with zeros.
fn dense_inputs(x: &Design, sizes: &[usize], name: &str) -> Result<Vec<f64>> {
    let (n, c, d) = (x.nrows(), x.ncols(), sizes[0]);
    if c > d || (c < d && !x.is_sparse()) {
        return Err(Error::invalid(format!(
            "{name} has {c} features, the architecture {} takes {d} inputs",
            arch_string(sizes)
        )));
    }
    let len =
        crate::limits::check_values(&format!("{name}: {n} samples × {d} dense inputs"), &[n, d])?;
    let mut out = vec![0.0; len];
    for (i, row) in out.chunks_exact_mut(d).enumerate() {
        x.dense_row(i, &mut row[..c]);
    }
    Ok(out)
}

/// The objective f(θ) = (1/n)·Σᵢ ℓ(F(θ; xᵢ), yᵢ) + (λ/2)·Σₗ‖Wₗ‖² of a network on `data`.
fn objective_on(
    sizes: &[usize],
    activation: Activation,
    loss: MlpLoss,
    l2: f64,
    data: &Dataset,
) -> Result<Mlp> {
    check_sizes(sizes)?;
    let name = data.name();
    let x = dense_inputs(&data.x, sizes, &name)?;
    let n = data.n_samples();
    let mlp = match loss {
        MlpLoss::CrossEntropy => Mlp::classifier(sizes, activation, n, &x, &data.y),
        MlpLoss::SquaredError => Mlp::regressor(sizes, activation, n, &x, &data.y),
    };
    let with_name = |e| match e {
        Error::InvalidInput(m) => Error::invalid(format!("{name}: {m}")),
        e => e,
    };
    mlp.map_err(with_name)?.with_l2(l2)
}

impl MlpModel {
    /// Number of parameters the sizes call for.
    pub fn dim(&self) -> usize {
        self.theta.len()
    }

    /// The layer sizes as text, `64-32-10`.
    pub fn arch(&self) -> String {
        arch_string(&self.sizes)
    }

    /// Checks the invariants a loaded file must meet: the version, valid sizes, as many finite
    /// parameters as the sizes call for, a finite λ ≥ 0, at least two classes for cross-entropy.
    pub fn validate(&self) -> Result<()> {
        if self.format_version != MLP_FORMAT_VERSION {
            return Err(Error::invalid(format!(
                "MLP model format version {} is not supported (this build reads version {MLP_FORMAT_VERSION})",
                self.format_version
            )));
        }
        let dim = check_sizes(&self.sizes)?;
        if self.theta.len() != dim {
            return Err(Error::invalid(format!(
                "the model has {} parameters, the architecture {} has {dim}",
                self.theta.len(),
                self.arch()
            )));
        }
        if let Some(i) = self.theta.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(format!("parameter {i} is not finite")));
        }
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(Error::invalid(format!(
                "the L2 weight must be finite and ≥ 0, got {}",
                self.l2
            )));
        }
        if self.loss == MlpLoss::CrossEntropy && self.sizes.last() < Some(&2) {
            return Err(Error::invalid(
                "a cross-entropy model needs at least two outputs (classes)",
            ));
        }
        Ok(())
    }

    /// Writes the model as JSON, whole or not at all.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::atomic::write_json_atomic(path, self)
    }

    /// Reads and validates a model file.
    pub fn load(path: &Path) -> Result<MlpModel> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        MlpModel::from_json_str(&text, path)
    }

    /// Parses and validates a model file's text, as [`load`](Self::load) does; `name` is used
    /// in error messages.
    pub fn from_json_str(text: &str, name: &Path) -> Result<MlpModel> {
        let model: MlpModel = serde_json::from_str(text)
            .map_err(|e| Error::parse(name, e.line(), format!("not an MLP model file: {e}")))?;
        model
            .validate()
            .map_err(|e| Error::parse(name, 0, e.to_string()))?;
        Ok(model)
    }

    /// Whether a model file's text is an MLP's (it names layer sizes), so that a reader of
    /// model files can tell it from a GLM's without knowing the kind in advance.
    pub fn is_mlp_json(text: &str) -> bool {
        #[derive(Deserialize)]
        struct Probe {
            sizes: Option<serde::de::IgnoredAny>,
        }
        serde_json::from_str::<Probe>(text).is_ok_and(|p| p.sizes.is_some())
    }

    /// The training objective (with the model's λ) on `data`, e.g. to analyse its Hessian at
    /// [`theta`](Self::theta).
    pub fn objective(&self, data: &Dataset) -> Result<Mlp> {
        objective_on(&self.sizes, self.activation, self.loss, self.l2, data)
    }

    /// The network's outputs z_L (n × k row-major) on the rows of `x`.
    pub fn outputs(&self, x: &Design) -> Result<Vec<f64>> {
        let d = self.sizes[0];
        let k = *self.sizes.last().unwrap_or(&0);
        let inputs = dense_inputs(x, &self.sizes, "the data")?;
        // A network on one zero sample: only its architecture and θ are used.
        let net = Mlp::regressor(
            &self.sizes,
            self.activation,
            1,
            &vec![0.0; d],
            &vec![0.0; k],
        )?;
        let z = net.outputs(&self.theta, x.nrows(), &inputs)?;
        if let Some(i) = z.iter().position(|v| !v.is_finite()) {
            return Err(Error::NonFinite(format!(
                "the network's output {} for sample {} is {} (θ or the inputs too large?)",
                i % k.max(1),
                i / k.max(1),
                z[i]
            )));
        }
        Ok(z)
    }

    /// Predicted labels: the class id of the largest output (cross-entropy), or the outputs
    /// themselves, n × k row-major (squared error).
    pub fn predict(&self, x: &Design) -> Result<Vec<f64>> {
        let z = self.outputs(x)?;
        let k = *self.sizes.last().unwrap_or(&1);
        Ok(match self.loss {
            MlpLoss::SquaredError => z,
            MlpLoss::CrossEntropy => z.chunks_exact(k).map(|zi| argmax(zi) as f64).collect(),
        })
    }

    /// Class probabilities softmax(z_L), n × k, for cross-entropy models.
    pub fn predict_proba(&self, x: &Design) -> Result<Option<Vec<f64>>> {
        if self.loss != MlpLoss::CrossEntropy {
            return Ok(None);
        }
        let mut z = self.outputs(x)?;
        let k = *self.sizes.last().unwrap_or(&1);
        for zi in z.chunks_exact_mut(k) {
            let max = zi.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for v in zi.iter_mut() {
                *v = (*v - max).exp();
                sum += *v;
            }
            zi.iter_mut().for_each(|v| *v /= sum);
        }
        Ok(Some(z))
    }

    /// Accuracy and log-loss (cross-entropy) or mean squared error (one output) on `data`.
    pub fn evaluate(&self, data: &Dataset) -> Result<Metrics> {
        let n = data.n_samples();
        let k = *self.sizes.last().unwrap_or(&1);
        let mut m = Metrics {
            n_samples: n,
            accuracy: None,
            log_loss: None,
            mse: None,
        };
        if self.loss == MlpLoss::SquaredError && k != 1 {
            return Err(Error::invalid(format!(
                "{} has one label per sample, the model {k} outputs",
                data.name()
            )));
        }
        if n == 0 {
            return Ok(m);
        }
        match self.predict_proba(&data.x)? {
            None => {
                let pred = self.predict(&data.x)?;
                let se: f64 = pred.iter().zip(&data.y).map(|(p, y)| (p - y).powi(2)).sum();
                m.mse = Some(se / n as f64);
            }
            Some(p) => {
                let (mut correct, mut nll) = (0usize, 0.0);
                for (pi, &y) in p.chunks_exact(k).zip(&data.y) {
                    correct += usize::from(argmax(pi) as f64 == y);
                    // A label outside 0..k has probability 0: count it as p = 1e-15.
                    let c = (y.fract() == 0.0 && y >= 0.0 && y < k as f64).then(|| pi[y as usize]);
                    nll -= c.unwrap_or(1e-15).max(1e-15).ln();
                }
                m.accuracy = Some(correct as f64 / n as f64);
                m.log_loss = Some(nll / n as f64);
            }
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

/// `MlpLoss` in the file: `cross-entropy` or `squared-error`.
mod loss_name {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    use super::MlpLoss;

    pub fn serialize<S: Serializer>(loss: &MlpLoss, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match loss {
            MlpLoss::CrossEntropy => "cross-entropy",
            MlpLoss::SquaredError => "squared-error",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<MlpLoss, D::Error> {
        let name = String::deserialize(d)?;
        match name.as_str() {
            "cross-entropy" => Ok(MlpLoss::CrossEntropy),
            "squared-error" => Ok(MlpLoss::SquaredError),
            _ => Err(D::Error::custom(format!(
                "unknown MLP loss '{name}' (expected cross-entropy or squared-error)"
            ))),
        }
    }
}

/// `Activation` in the file, by its command-line name.
mod activation_name {
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    use super::Activation;

    pub fn serialize<S: Serializer>(a: &Activation, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(a.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Activation, D::Error> {
        String::deserialize(d)?.parse().map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn non_finite_outputs_are_an_error_not_a_prediction() {
        let mut model = MlpModel {
            format_version: MLP_FORMAT_VERSION,
            sizes: vec![2, 3, 2],
            activation: Activation::Relu,
            loss: MlpLoss::CrossEntropy,
            l2: 0.0,
            theta: vec![1e308; 3 * 2 + 3 + 2 * 3 + 2],
        };
        let x = Design::Dense(
            crate::linalg::DenseMatrix::from_row_major(1, 2, vec![1e308, 1e308]).unwrap(),
        );
        let err = model.predict(&x).unwrap_err().to_string();
        assert!(
            err.contains("non-finite") && err.contains("sample 0"),
            "{err}"
        );
        assert!(model.predict_proba(&x).is_err());
        model.theta.iter_mut().for_each(|v| *v = 0.5);
        assert_eq!(model.predict(&x).unwrap().len(), 1);
    }

    use super::*;
    use crate::linalg::DenseMatrix;
    use crate::objective::Objective;

    /// 6 samples of 3 features, classes 0..2.
    fn data() -> Dataset {
        let x: Vec<f64> = (0..18).map(|i| ((i * 7) % 11) as f64 / 5.0 - 1.0).collect();
        Dataset {
            x: Design::Dense(DenseMatrix::from_row_major(6, 3, x).unwrap()),
            y: vec![0.0, 1.0, 2.0, 1.0, 0.0, 2.0],
            source: None,
        }
    }

    fn model() -> MlpModel {
        let spec = MlpSpec {
            l2: 0.01,
            ..MlpSpec::classifier(&[3, 4, 3], Activation::Tanh)
        };
        let mlp = spec.objective(&data()).unwrap();
        MlpModel {
            format_version: MLP_FORMAT_VERSION,
            sizes: spec.sizes,
            activation: spec.activation,
            loss: spec.loss,
            l2: spec.l2,
            theta: mlp.init(4),
        }
    }

    #[test]
    fn a_saved_model_loads_back_equal_and_rebuilds_its_objective() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let m = model();
        m.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(MlpModel::is_mlp_json(&text));
        assert!(text.contains("\"activation\": \"tanh\"") && text.contains("cross-entropy"));
        let back = MlpModel::load(&path).unwrap();
        assert_eq!(back, m);
        // The objective it rebuilds is the one it was made from, penalty included.
        let d = data();
        let f = back.objective(&d).unwrap();
        let reference = Mlp::classifier(&[3, 4, 3], Activation::Tanh, 6, &dense(&d), &d.y)
            .unwrap()
            .with_l2(0.01)
            .unwrap();
        assert_eq!(f.value(&back.theta), reference.value(&m.theta));
        // Predictions are the argmax of the network's outputs; probabilities sum to 1.
        let out = reference.outputs(&m.theta, 6, &dense(&d)).unwrap();
        assert_eq!(back.outputs(&d.x).unwrap(), out);
        let pred = back.predict(&d.x).unwrap();
        let proba = back.predict_proba(&d.x).unwrap().unwrap();
        for i in 0..6 {
            assert_eq!(pred[i], argmax(&out[3 * i..3 * i + 3]) as f64);
            let p = &proba[3 * i..3 * i + 3];
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        let metrics = back.evaluate(&d).unwrap();
        let acc = pred.iter().zip(&d.y).filter(|(p, y)| p == y).count() as f64 / 6.0;
        assert_eq!(metrics.accuracy, Some(acc));
        // Without the penalty the log-loss is the objective itself (the mean cross-entropy).
        let plain = Mlp::classifier(&[3, 4, 3], Activation::Tanh, 6, &dense(&d), &d.y).unwrap();
        let ll = metrics.log_loss.unwrap();
        assert!((ll - plain.value(&m.theta)).abs() < 1e-12 * ll, "{ll}");
    }

    fn dense(d: &Dataset) -> Vec<f64> {
        let mut x = vec![0.0; d.n_samples() * d.n_features()];
        for (i, row) in x.chunks_exact_mut(d.n_features()).enumerate() {
            d.x.dense_row(i, row);
        }
        x
    }

    /// Each broken file is refused with a one-line message naming the file and the fault.
    #[test]
    fn corrupt_and_mismatched_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.json");
        let good = serde_json::to_value(model()).unwrap();
        type Edit = Box<dyn Fn(&mut serde_json::Value)>;
        let cases: Vec<(Edit, &str)> = vec![
            (Box::new(|v| v["format_version"] = 9.into()), "version 9"),
            (
                Box::new(|v| v["theta"].as_array_mut().unwrap().truncate(5)),
                "5 parameters, the architecture 3-4-3 has 31",
            ),
            (
                Box::new(|v| v["sizes"] = serde_json::json!([3, 0, 3])),
                "positive",
            ),
            (
                Box::new(|v| v["sizes"] = serde_json::json!([3])),
                "at least",
            ),
            (
                Box::new(|v| v["sizes"] = serde_json::json!([usize::MAX, usize::MAX, 2])),
                "would need 3.403e38 values",
            ),
            (
                Box::new(|v| v["sizes"] = serde_json::json!([30, 1])),
                "two outputs",
            ),
            (Box::new(|v| v["activation"] = "swish".into()), "swish"),
            (
                Box::new(|v| v["loss"] = "hinge".into()),
                "unknown MLP loss 'hinge'",
            ),
            (Box::new(|v| v["l2"] = (-1.0).into()), "L2 weight"),
            (
                Box::new(|v| {
                    v.as_object_mut()
                        .unwrap()
                        .remove("theta")
                        .map(drop)
                        .unwrap()
                }),
                "missing field `theta`",
            ),
        ];
        for (edit, want) in cases {
            let mut v = good.clone();
            edit(&mut v);
            std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
            let msg = MlpModel::load(&path).unwrap_err().to_string();
            assert!(msg.contains(want), "'{want}' not in {msg}");
            assert!(msg.contains("bad.json") && !msg.contains('\n'), "{msg}");
        }
        // A non-finite parameter cannot be written as JSON; text that is not JSON at all.
        std::fs::write(&path, "{\"format_version\": 1, \"sizes\": [3").unwrap();
        let msg = MlpModel::load(&path).unwrap_err().to_string();
        assert!(msg.contains("not an MLP model file"), "{msg}");
        let mut m = model();
        m.theta[2] = f64::NAN;
        assert!(m
            .validate()
            .unwrap_err()
            .to_string()
            .contains("parameter 2"));
        assert!(!MlpModel::is_mlp_json(
            "{\"loss\": \"logistic\", \"weights\": []}"
        ));
        assert!(MlpModel::load(&dir.path().join("none.json")).is_err());
    }

    #[test]
    fn data_that_does_not_fit_the_network_is_refused() {
        let m = model();
        let mut d = data();
        d.x = Design::Dense(DenseMatrix::from_row_major(6, 2, vec![0.0; 12]).unwrap());
        let msg = m.objective(&d).err().unwrap().to_string();
        assert!(
            msg.contains("2 features") && msg.contains("3 inputs"),
            "{msg}"
        );
        assert!(m.predict(&d.x).is_err());
        // The same two columns stored sparse: a LIBSVM file whose third feature is always 0.
        let two: Vec<f64> = (0..12).map(|i| (i % 5) as f64 - 2.0).collect();
        d.x = Design::Sparse(crate::linalg::CsrMatrix::from_dense(6, 2, &two).unwrap());
        let three: Vec<f64> = two.chunks(2).flat_map(|r| [r[0], r[1], 0.0]).collect();
        let wide = Design::Dense(DenseMatrix::from_row_major(6, 3, three).unwrap());
        assert_eq!(m.outputs(&d.x).unwrap(), m.outputs(&wide).unwrap());
        let f = m.objective(&d).unwrap();
        d.x = wide;
        assert_eq!(f.value(&m.theta), m.objective(&d).unwrap().value(&m.theta));
        let mut d = data();
        d.y[4] = 3.0;
        let msg = m.objective(&d).err().unwrap().to_string();
        assert!(msg.contains("not a class id in 0..3"), "{msg}");
    }
}
