//! Library errors as Python exceptions, with the library's one-line message.

use pyo3::exceptions::{PyFloatingPointError, PyOSError, PyValueError};
use pyo3::PyErr;

pyo3::create_exception!(
    _core,
    SolverError,
    pyo3::exceptions::PyRuntimeError,
    "A numerical failure inside a solver (a factorization or solve that did not succeed)."
);

/// `Io` → `OSError`, invalid input and parse errors → `ValueError`, a non-finite value →
/// `FloatingPointError`, a numerical failure → `SolverError` (a `RuntimeError`).
pub fn to_pyerr(e: optml::Error) -> PyErr {
    let message = e.to_string();
    match e {
        optml::Error::Io { .. } => PyOSError::new_err(message),
        optml::Error::Parse { .. } | optml::Error::InvalidInput(_) => {
            PyValueError::new_err(message)
        }
        optml::Error::NonFinite(_) => PyFloatingPointError::new_err(message),
        optml::Error::Numerical(_) => SolverError::new_err(message),
    }
}
