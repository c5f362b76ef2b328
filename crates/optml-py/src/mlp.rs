//! `fit_mlp` and `mlp_outputs`: the library's multilayer perceptron over NumPy arrays.

use numpy::{AllowTypeChange, IntoPyArray, PyArray1, PyArray2, PyArrayLike1, PyReadonlyArray2};
use optml::data::Dataset;
use optml::fit::Choice;
use optml::models::mlp::{Activation, MlpLoss, MlpModel, MlpSpec, MLP_FORMAT_VERSION};
use optml::solvers::Stop;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::arrays;
use crate::errors::to_pyerr;

/// What an MLP fit hands back to Python.
#[derive(IntoPyObject)]
pub struct FittedMlp<'py> {
    /// θ, layer by layer: Wₗ (out × in, row-major), then bₗ.
    theta: Bound<'py, PyArray1<f64>>,
    n_iter: usize,
    status: String,
    converged: bool,
    /// The mean cross-entropy plus (λ/2)·Σ‖Wₗ‖² at θ.
    objective: f64,
}

fn run<R: Send>(
    n_jobs: Option<usize>,
    work: impl FnOnce() -> optml::Result<R> + Send,
) -> optml::Result<R> {
    match n_jobs {
        Some(n) => optml::with_threads(n, work).and_then(|r| r),
        None => work(),
    }
}

/// Fits a softmax classifier with layer sizes `sizes` (`[d, h₁, …, k]`) on the C-contiguous
/// float64 `x` (used in place) and class ids `y` in 0…k−1, minimizing the mean cross-entropy
/// plus (λ/2)·Σ‖Wₗ‖² from the start drawn with `seed`. The GIL is released during the solve.
#[pyfunction]
#[pyo3(signature = (x, y, sizes, *, activation="tanh", l2=0.0, seed=0, solver="auto", tol=1e-6,
    max_iter=200, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn fit_mlp<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    y: PyArrayLike1<'py, f64, AllowTypeChange>,
    sizes: Vec<usize>,
    activation: &str,
    l2: f64,
    seed: u64,
    solver: &str,
    tol: f64,
    max_iter: usize,
    n_jobs: Option<usize>,
) -> PyResult<FittedMlp<'py>> {
    let activation: Activation = activation.parse().map_err(to_pyerr)?;
    let choice: Choice = solver.parse().map_err(to_pyerr)?;
    let data = Dataset {
        x: arrays::dense(&x)?,
        y: y.as_array().to_vec(),
        source: None,
    };
    let spec = MlpSpec {
        l2,
        seed,
        ..MlpSpec::classifier(&sizes, activation)
    };
    let stop = Stop {
        max_iter,
        ..Stop::relative(tol)
    };
    let fit = || optml::fit::fit_mlp(&data, &spec, choice, stop, &mut optml::monitor::quiet());
    let result = py.detach(|| run(n_jobs, fit));
    drop(data);
    let (model, report) = result.map_err(to_pyerr)?;
    Ok(FittedMlp {
        theta: model.theta.into_pyarray(py),
        n_iter: report.iterations,
        status: report.status.to_string(),
        converged: report.status.converged(),
        objective: report.f,
    })
}

/// The output scores z_L (n × k) of the network `theta` with layer sizes `sizes` on `x`.
#[pyfunction]
#[pyo3(signature = (x, theta, sizes, *, activation="tanh", n_jobs=None))]
pub fn mlp_outputs<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    theta: PyArrayLike1<'py, f64, AllowTypeChange>,
    sizes: Vec<usize>,
    activation: &str,
    n_jobs: Option<usize>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let k = *sizes.last().ok_or_else(|| {
        PyValueError::new_err("sizes must name at least the input and the output layer")
    })?;
    let model = MlpModel {
        format_version: MLP_FORMAT_VERSION,
        sizes,
        activation: activation.parse().map_err(to_pyerr)?,
        loss: MlpLoss::CrossEntropy,
        l2: 0.0,
        theta: theta.as_array().to_vec(),
    };
    model.validate().map_err(to_pyerr)?;
    let design = arrays::dense(&x)?;
    let n = design.nrows();
    let z = py.detach(|| run(n_jobs, || model.outputs(&design)));
    drop(design);
    let z = z.map_err(to_pyerr)?;
    numpy::ndarray::Array2::from_shape_vec((n, k), z)
        .map(|a| a.into_pyarray(py))
        .map_err(|e| PyValueError::new_err(e.to_string()))
}
