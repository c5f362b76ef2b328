//! `optml._core`: the native half of the `optml` Python package.
//!
//! Stateless functions over NumPy arrays; the Python half (`python/optml/`) holds fitted state
//! in NumPy arrays, so its estimators clone and pickle like any Python object. Every solve runs
//! with the GIL released, and library errors become Python exceptions with the same message.

mod arrays;
mod errors;
mod games;
mod glm;
mod minimize;
mod mlp;
mod nonconvex;
mod spectrum;
mod tree;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SolverError", m.py().get_type::<errors::SolverError>())?;
    m.add_function(wrap_pyfunction!(glm::fit_glm, m)?)?;
    m.add_function(wrap_pyfunction!(minimize::minimize, m)?)?;
    m.add_function(wrap_pyfunction!(mlp::fit_mlp, m)?)?;
    m.add_function(wrap_pyfunction!(mlp::mlp_outputs, m)?)?;
    m.add_function(wrap_pyfunction!(methods, m)?)?;
    m.add_function(wrap_pyfunction!(spectrum::glm_spectrum, m)?)?;
    m.add_function(wrap_pyfunction!(spectrum::mlp_spectrum, m)?)?;
    m.add_function(wrap_pyfunction!(nonconvex::complete, m)?)?;
    m.add_function(wrap_pyfunction!(nonconvex::robust_pca, m)?)?;
    m.add_function(wrap_pyfunction!(nonconvex::phase_retrieval, m)?)?;
    m.add_function(wrap_pyfunction!(nonconvex::cp, m)?)?;
    m.add_function(wrap_pyfunction!(nonconvex::dictionary_learning, m)?)?;
    m.add_function(wrap_pyfunction!(tree::fit_tree, m)?)?;
    m.add_function(wrap_pyfunction!(tree::tree_predict, m)?)?;
    m.add_function(wrap_pyfunction!(games::play_matrix_game, m)?)?;
    m.add_function(wrap_pyfunction!(games::play_bilinear_game, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

/// The names of the smooth methods `minimize` accepts, in the library's order.
#[pyfunction]
fn methods() -> Vec<&'static str> {
    optml::solvers::Method::ALL
        .iter()
        .map(|m| m.name())
        .collect()
}
