//! `fit_glm`: the library's GLM fit over NumPy arrays.

use numpy::{
    AllowTypeChange, IntoPyArray, PyArray1, PyArrayLike1, PyReadonlyArray1, PyReadonlyArray2,
};
use optml::data::Dataset;
use optml::fit::Choice;
use optml::models::glm::{GlmSpec, Loss, Penalty, Ridge};
use optml::solvers::Stop;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::arrays;
use crate::errors::to_pyerr;

/// A SciPy CSR matrix as (shape, indptr int64, indices int32, data float64).
pub(crate) type Csr<'py> = (
    (usize, usize),
    PyReadonlyArray1<'py, i64>,
    PyReadonlyArray1<'py, i32>,
    PyReadonlyArray1<'py, f64>,
);

/// What a fit hands back to Python.
#[derive(IntoPyObject)]
pub struct Fitted<'py> {
    /// W (k × d, row-major), then the k intercepts.
    weights: Bound<'py, PyArray1<f64>>,
    n_iter: usize,
    status: String,
    converged: bool,
    /// F at the returned weights.
    objective: f64,
    grad_norm: f64,
    solver: &'static str,
    /// Address of the first value the solver read, for tests that check no copy was made.
    data_address: usize,
}

/// Fits a GLM, F(W, b) = Σᵢ sᵢ·ℓ(yᵢ, W·xᵢ + b) + ‖W‖²/(2C) + h(W), from W = 0.
///
/// `x` is a C-contiguous float64 array, or `csr` = (shape, indptr int64, indices int32, data
/// float64); both are used in place. `y` holds class indices 0…K−1 for the classification
/// losses and targets for least squares. `c` = None means no ridge; `penalty` is "l1" (λ‖W‖₁)
/// or "elasticnet" (λ(α‖W‖₁ + (1−α)/2·‖W‖²)). `n_jobs` threads (None: all cores). The GIL is
/// released while the solver runs.
#[pyfunction]
#[pyo3(signature = (y, loss, *, x=None, csr=None, c=None, penalty=None, lam=0.0, alpha=1.0,
    intercept=true, sample_weight=None, solver="auto", tol=1e-6, relative=true, max_iter=1000,
    n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn fit_glm<'py>(
    py: Python<'py>,
    y: PyArrayLike1<'py, f64, AllowTypeChange>,
    loss: &str,
    x: Option<PyReadonlyArray2<'py, f64>>,
    csr: Option<Csr<'py>>,
    c: Option<f64>,
    penalty: Option<&str>,
    lam: f64,
    alpha: f64,
    intercept: bool,
    sample_weight: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    solver: &str,
    tol: f64,
    relative: bool,
    max_iter: usize,
    n_jobs: Option<usize>,
) -> PyResult<Fitted<'py>> {
    let design = match (&x, &csr) {
        (Some(x), None) => arrays::dense(x)?,
        (None, Some((shape, indptr, indices, data))) => arrays::csr(*shape, indptr, indices, data)?,
        _ => return Err(PyValueError::new_err("give exactly one of x and csr")),
    };
    let loss: Loss = loss.parse().map_err(to_pyerr)?;
    let ridge = match c {
        Some(c) => Ridge::C(c),
        None => Ridge::None,
    };
    let penalty = match penalty {
        None => None,
        Some("l1") => Some(Penalty::l1(lam)),
        Some("elasticnet") => Some(Penalty::ElasticNet { lambda: lam, alpha }),
        Some(other) => {
            return Err(PyValueError::new_err(format!(
                "unknown penalty '{other}' (expected l1 or elasticnet)"
            )))
        }
    };
    let choice: Choice = solver.parse().map_err(to_pyerr)?;
    let stop = Stop {
        tol,
        relative,
        max_iter,
        ..Stop::default()
    };
    let y = y.as_array().to_vec();
    let sample_weight = sample_weight.map(|s| s.as_array().to_vec());
    let data = Dataset {
        x: design,
        y,
        source: None,
    };
    let spec = GlmSpec {
        loss,
        ridge,
        penalty,
        intercept,
        sample_weight,
    };
    let address = arrays::data_address(&data.x);
    let fit = || optml::fit::fit_glm(&data, &spec, choice, stop, &mut optml::monitor::quiet());
    let result = py.detach(|| match n_jobs {
        Some(n) => optml::with_threads(n, fit).and_then(|r| r),
        None => fit(),
    });
    // The design's views of the arrays go before the borrows they rely on.
    drop(data);
    let (model, report) = result.map_err(to_pyerr)?;
    Ok(Fitted {
        weights: model.weights.into_pyarray(py),
        n_iter: report.iterations,
        status: report.status.to_string(),
        converged: report.status.converged(),
        objective: report.f,
        grad_norm: report.grad_norm,
        solver: report.solver,
        data_address: address,
    })
}
