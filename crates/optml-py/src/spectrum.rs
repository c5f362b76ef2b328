//! `glm_spectrum` and `mlp_spectrum`: the library's spectral analysis ([`Analysis`]) of a
//! model's Hessian at its weights, over NumPy arrays.

use numpy::{
    AllowTypeChange, IntoPyArray, PyArray2, PyArrayLike1, PyReadonlyArray1, PyReadonlyArray2,
};
use optml::curvature::{Analysis, Lanczos, Slq, Spectrum, TraceMethod, TraceSpec, Which};
use optml::data::Dataset;
use optml::models::glm::{GlmModel, Loss, ObjectiveView, Ridge};
use optml::models::mlp::{MlpLoss, MlpModel, MLP_FORMAT_VERSION};
use optml::{Curvature, Objective};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::arrays;
use crate::errors::to_pyerr;

/// What to compute, from a dict of the Python front end.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct AnalysisArgs {
    top_k: usize,
    which: String,
    tol: f64,
    max_dim: usize,
    trace_probes: usize,
    trace_method: String,
    density_probes: usize,
    density_steps: usize,
    exact: bool,
    /// Lanczos from the gradient plus a random vector ("gradient") or at random ("random").
    start: String,
    seed: u64,
}

impl AnalysisArgs {
    fn analysis(&self) -> PyResult<Analysis> {
        let which = match self.which.as_str() {
            "largest" => Which::Largest,
            "smallest" => Which::Smallest,
            "magnitude" => Which::Magnitude,
            w => {
                return Err(PyValueError::new_err(format!(
                    "which must be 'largest', 'smallest' or 'magnitude', got '{w}'"
                )))
            }
        };
        let method = match self.trace_method.as_str() {
            "krylov" => TraceMethod::Krylov,
            "hutch++" => TraceMethod::HutchPlusPlus,
            "hutchinson" => TraceMethod::Hutchinson,
            m => {
                return Err(PyValueError::new_err(format!(
                    "trace_method must be 'krylov', 'hutch++' or 'hutchinson', got '{m}'"
                )))
            }
        };
        if !matches!(self.start.as_str(), "gradient" | "random") {
            return Err(PyValueError::new_err(format!(
                "start must be 'gradient' or 'random', got '{}'",
                self.start
            )));
        }
        Ok(Analysis {
            lanczos: (self.top_k > 0).then(|| Lanczos {
                k: self.top_k,
                which,
                tol: self.tol,
                max_dim: self.max_dim,
                seed: self.seed,
                ..Lanczos::default()
            }),
            power: None,
            trace: (self.trace_probes > 0).then_some(TraceSpec {
                method,
                products: self.trace_probes,
            }),
            density: (self.density_probes > 0).then(|| Slq {
                probes: self.density_probes,
                steps: self.density_steps,
                seed: self.seed,
                ..Slq::default()
            }),
            exact: self.exact,
            seed: self.seed,
        })
    }
}

/// Runs `analysis` on the operator `op` (∇²f(x) or a stand-in) at x, Lanczos started from ∇f(x)
/// when `from_gradient`; the report carries f(x).
fn run_at<F: Objective, O: optml::LinearOperator>(
    mut analysis: Analysis,
    from_gradient: bool,
    f: &F,
    x: &[f64],
    op: &O,
) -> optml::Result<Spectrum> {
    let mut g = vec![0.0; x.len()];
    let value = f.value_grad(x, &mut g);
    if from_gradient {
        analysis.start_from_gradient(&g);
    }
    let mut s = analysis.run(op)?;
    s.value = Some(value);
    Ok(s)
}

/// What an analysis hands back: the JSON report of the library and the eigenvectors.
#[derive(IntoPyObject)]
pub struct Analysed<'py> {
    /// [`Spectrum`] as JSON (eigenvalues, residuals, trace, density, exact spectrum, products).
    report: String,
    /// The Ritz vectors, one per row (0 rows without Lanczos).
    eigenvectors: Bound<'py, PyArray2<f64>>,
}

fn analysed<'py>(py: Python<'py>, s: Spectrum) -> PyResult<Analysed<'py>> {
    let report = serde_json::to_string(&s).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let vectors = s.eigen.map(|e| e.result.vectors).unwrap_or_default();
    let rows = vectors.len();
    let flat: Vec<f64> = vectors.concat();
    let cols = flat.len().checked_div(rows).unwrap_or(s.dim);
    let eigenvectors = numpy::ndarray::Array2::from_shape_vec((rows, cols), flat)
        .map_err(|e| PyValueError::new_err(e.to_string()))?
        .into_pyarray(py);
    Ok(Analysed {
        report,
        eigenvectors,
    })
}

fn threads<R: Send>(
    n_jobs: Option<usize>,
    work: impl FnOnce() -> optml::Result<R> + Send,
) -> optml::Result<R> {
    match n_jobs {
        Some(n) => optml::with_threads(n, work).and_then(|r| r),
        None => work(),
    }
}

/// The spectrum of a GLM's Hessian at `weights` (W row-major k × d, then the k intercepts): the
/// objective Σᵢ ℓ(yᵢ, W·xᵢ + b) + ‖W‖²/(2C) the model was trained on (`c` None: no ridge), or
/// its mean over the samples (`mean`), without the ridge (`ridge=False`). `y` holds class
/// indices 0…K−1 (the classification losses) or targets. `x` is a C-contiguous float64 array
/// or `csr` = (shape, indptr, indices, data), used in place. The GIL is released.
#[pyfunction]
#[pyo3(signature = (y, loss, weights, n_classes, analysis, *, x=None, csr=None, c=None,
    intercept=true, mean=false, ridge=true, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn glm_spectrum<'py>(
    py: Python<'py>,
    y: PyArrayLike1<'py, f64, AllowTypeChange>,
    loss: &str,
    weights: PyArrayLike1<'py, f64, AllowTypeChange>,
    n_classes: usize,
    analysis: AnalysisArgs,
    x: Option<PyReadonlyArray2<'py, f64>>,
    csr: Option<crate::glm::Csr<'py>>,
    c: Option<f64>,
    intercept: bool,
    mean: bool,
    ridge: bool,
    n_jobs: Option<usize>,
) -> PyResult<Analysed<'py>> {
    let design = match (&x, &csr) {
        (Some(x), None) => arrays::dense(x)?,
        (None, Some((shape, indptr, indices, data))) => arrays::csr(*shape, indptr, indices, data)?,
        _ => return Err(PyValueError::new_err("give exactly one of x and csr")),
    };
    let loss: Loss = loss.parse().map_err(to_pyerr)?;
    let model = GlmModel {
        loss,
        ridge: c.map_or(Ridge::None, Ridge::C),
        penalty: None,
        intercept,
        n_features: design.ncols(),
        classes: if loss == Loss::LeastSquares {
            Vec::new()
        } else {
            (0..n_classes).map(|k| k as f64).collect()
        },
        weights: weights.as_array().to_vec(),
    };
    model.validate().map_err(to_pyerr)?;
    let data = Dataset {
        x: design,
        y: y.as_array().to_vec(),
        source: None,
    };
    let view = ObjectiveView { mean, ridge };
    let from_gradient = analysis.start == "gradient";
    let analysis = analysis.analysis()?;
    let work = || -> optml::Result<Spectrum> {
        let f = model.objective(&data, view)?;
        let w = &model.weights;
        run_at(analysis, from_gradient, &f, w, &f.hessian(w))
    };
    let result = py.detach(|| threads(n_jobs, work));
    drop(data);
    analysed(py, result.map_err(to_pyerr)?)
}

/// The spectrum of an MLP classifier's Hessian (or its generalized Gauss-Newton matrix,
/// `gauss_newton`) at θ: the mean cross-entropy plus (l2/2)·Σ‖Wₗ‖² on `x` (C-contiguous float64,
/// used in place) and class ids `y`. The GIL is released.
#[pyfunction]
#[pyo3(signature = (x, y, theta, sizes, analysis, *, activation="tanh", l2=0.0,
    gauss_newton=false, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn mlp_spectrum<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    y: PyArrayLike1<'py, f64, AllowTypeChange>,
    theta: PyReadonlyArray1<'py, f64>,
    sizes: Vec<usize>,
    analysis: AnalysisArgs,
    activation: &str,
    l2: f64,
    gauss_newton: bool,
    n_jobs: Option<usize>,
) -> PyResult<Analysed<'py>> {
    let model = MlpModel {
        format_version: MLP_FORMAT_VERSION,
        sizes,
        activation: activation.parse().map_err(to_pyerr)?,
        loss: MlpLoss::CrossEntropy,
        l2,
        theta: theta.as_array().to_vec(),
    };
    model.validate().map_err(to_pyerr)?;
    let data = Dataset {
        x: arrays::dense(&x)?,
        y: y.as_array().to_vec(),
        source: None,
    };
    let from_gradient = analysis.start == "gradient";
    let analysis = analysis.analysis()?;
    let work = || -> optml::Result<Spectrum> {
        let mlp = model.objective(&data)?;
        let theta = &model.theta;
        if gauss_newton {
            run_at(
                analysis,
                from_gradient,
                &mlp,
                theta,
                &mlp.gauss_newton(theta),
            )
        } else {
            run_at(analysis, from_gradient, &mlp, theta, &mlp.hessian(theta))
        }
    };
    let result = py.detach(|| threads(n_jobs, work));
    drop(data);
    analysed(py, result.map_err(to_pyerr)?)
}
