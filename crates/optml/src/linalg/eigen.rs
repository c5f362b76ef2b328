//! The symmetric eigensolver (faer) that the Krylov methods use on their small projected
//! matrices and the dense spectrum uses on whole Hessians.

use faer::{Mat, Side};

use crate::error::{Error, Result};

/// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, lower triangle read.
pub(crate) fn symmetric_eigen(t: &Mat<f64>) -> Result<(Vec<f64>, Mat<f64>)> {
    let e = t
        .self_adjoint_eigen(Side::Lower)
        .map_err(|e| Error::Numerical(format!("symmetric eigensolver: {e:?}")))?;
    let values: Vec<f64> = e.S().column_vector().iter().copied().collect();
    if values.iter().all(|v| v.is_finite()) {
        Ok((values, e.U().to_owned()))
    } else {
        Err(Error::Numerical(
            "symmetric eigensolver returned non-finite eigenvalues".into(),
        ))
    }
}
