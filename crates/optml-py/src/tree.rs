//! `fit_tree` and `tree_predict`: the library's log-time multiclass trees (LOMtree) and
//! one-against-all over NumPy arrays. The model travels as its JSON file text, so the Python
//! estimator holding it clones and pickles as a string.

use std::path::Path;

use numpy::{AllowTypeChange, PyArray1, PyArrayLike1, PyReadonlyArray2};
use optml::data::Dataset;
use optml::fit::{fit_tree as fit, TreeKind, TreeSpec};
use optml::models::tree::TreeModel;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::arrays;
use crate::errors::to_pyerr;

fn design(
    x: &Option<PyReadonlyArray2<'_, f64>>,
    csr: &Option<crate::glm::Csr<'_>>,
) -> PyResult<optml::linalg::Design> {
    match (x, csr) {
        (Some(x), None) => arrays::dense(x),
        (None, Some((shape, indptr, indices, data))) => arrays::csr(*shape, indptr, indices, data),
        _ => Err(PyValueError::new_err("give exactly one of x and csr")),
    }
}

/// What a tree fit hands back.
#[derive(IntoPyObject)]
pub struct FittedTree {
    /// The model file's JSON text.
    model: String,
    passes: usize,
    best_pass: usize,
    holdout_error: Vec<f64>,
    swaps: u64,
    seconds: f64,
}

/// Trains a LOMtree (`kind="lomtree"`, Choromanska & Langford 2015) or one-against-all
/// (`"oaa"`) on `x` (C-contiguous float64) or `csr` and labels `y`, online over at most
/// `passes` passes with every `holdout`-th example held out (0: none). `internal_nodes`: the
/// most internal nodes (None: 2k); `leaf_classes`: the candidate classes a leaf refines over
/// (None: 4⌈log₂ k⌉, 0: none); `split_after`: examples outside a leaf's majority before it
/// splits. The GIL is released.
#[pyfunction]
#[pyo3(signature = (y, *, x=None, csr=None, kind="lomtree", internal_nodes=None,
    swap_resistance=4.0, learning_rate=0.5, leaf_classes=None, split_after=2, passes=1,
    holdout=10, seed=0, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn fit_tree<'py>(
    py: Python<'py>,
    y: PyArrayLike1<'py, f64, AllowTypeChange>,
    x: Option<PyReadonlyArray2<'py, f64>>,
    csr: Option<crate::glm::Csr<'py>>,
    kind: &str,
    internal_nodes: Option<usize>,
    swap_resistance: f64,
    learning_rate: f64,
    leaf_classes: Option<usize>,
    split_after: u64,
    passes: usize,
    holdout: usize,
    seed: u64,
    n_jobs: Option<usize>,
) -> PyResult<FittedTree> {
    let kind = match kind {
        "lomtree" => TreeKind::Lomtree,
        "oaa" => TreeKind::Oaa,
        k => {
            return Err(PyValueError::new_err(format!(
                "kind must be 'lomtree' or 'oaa', got '{k}'"
            )))
        }
    };
    let data = Dataset {
        x: design(&x, &csr)?,
        y: y.as_array().to_vec(),
        source: None,
    };
    let spec = TreeSpec {
        kind,
        internal_nodes,
        swap_resistance,
        learning_rate,
        leaf_classes,
        split_after,
        passes,
        holdout,
        seed,
    };
    let work = || fit(&data, &spec);
    let result = py.detach(|| match n_jobs {
        Some(n) => optml::with_threads(n, work).and_then(|r| r),
        None => work(),
    });
    drop(data);
    let (model, report) = result.map_err(to_pyerr)?;
    let text = serde_json::to_string(&model).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(FittedTree {
        model: text,
        passes: report.passes,
        best_pass: report.best_pass,
        holdout_error: report.holdout_error,
        swaps: report.swaps,
        seconds: report.seconds,
    })
}

/// The labels a tree model (its JSON text, checked as a model file is) predicts for the rows
/// of `x` or `csr`.
#[pyfunction]
#[pyo3(signature = (model, *, x=None, csr=None))]
pub fn tree_predict<'py>(
    py: Python<'py>,
    model: &str,
    x: Option<PyReadonlyArray2<'py, f64>>,
    csr: Option<crate::glm::Csr<'py>>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let model = TreeModel::from_json_str(model, Path::new("model")).map_err(to_pyerr)?;
    let data = Dataset {
        y: Vec::new(),
        x: design(&x, &csr)?,
        source: None,
    };
    let labels = py.detach(|| model.predict(&data));
    drop(data);
    Ok(PyArray1::from_vec(py, labels.map_err(to_pyerr)?))
}
