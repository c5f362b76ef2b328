//! The exact spectrum of a small operator: H formed densely (`to_dense`, n products or one
//! blocked pass) and diagonalized by faer's symmetric eigensolver. O(n²) memory and O(n³) time,
//! for models up to a few thousand parameters; the ground truth the iterative tools are tested
//! against.

use faer::Mat;

use super::check_operator;
use crate::error::{Error, Result};
use crate::linalg::symmetric_eigen;
use crate::objective::LinearOperator;

/// All eigenvalues (ascending) and eigenvectors (columns of `vectors`) of a symmetric operator.
#[derive(Clone, Debug)]
pub struct DenseSpectrum {
    pub values: Vec<f64>,
    pub vectors: Mat<f64>,
    /// max |Hᵢⱼ − Hⱼᵢ| of the dense matrix before it was symmetrized, relative to max |Hᵢⱼ|.
    pub asymmetry: f64,
}

impl DenseSpectrum {
    /// Forms `a` densely and diagonalizes (H + Hᵀ)/2.
    pub fn of<A: LinearOperator + ?Sized>(a: &A) -> Result<DenseSpectrum> {
        let n = check_operator(a)?;
        let h = a.to_dense();
        if h.nrows() != n || h.ncols() != n {
            return Err(Error::invalid(format!(
                "to_dense gave a {}×{} matrix for an operator of dimension {n}",
                h.nrows(),
                h.ncols()
            )));
        }
        Self::of_matrix(&h)
    }

    /// Diagonalizes (H + Hᵀ)/2 of a square matrix.
    pub fn of_matrix(h: &Mat<f64>) -> Result<DenseSpectrum> {
        let n = h.nrows();
        if n == 0 || h.ncols() != n {
            return Err(Error::invalid(format!(
                "need a non-empty square matrix, got {}×{}",
                h.nrows(),
                h.ncols()
            )));
        }
        let (mut scale, mut asym) = (0.0f64, 0.0f64);
        for j in 0..n {
            for i in 0..n {
                let v = h[(i, j)];
                if !v.is_finite() {
                    return Err(Error::NonFinite(format!("H[{i}, {j}] = {v}")));
                }
                scale = scale.max(v.abs());
                asym = asym.max((v - h[(j, i)]).abs());
            }
        }
        let sym = Mat::from_fn(n, n, |i, j| 0.5 * (h[(i, j)] + h[(j, i)]));
        let (values, vectors) = symmetric_eigen(&sym)?;
        Ok(DenseSpectrum {
            values,
            vectors,
            asymmetry: if scale > 0.0 { asym / scale } else { 0.0 },
        })
    }

    /// tr(H) = Σ λᵢ.
    pub fn trace(&self) -> f64 {
        self.values.iter().sum()
    }

    /// The i-th eigenvector (ascending order of the eigenvalues).
    pub fn vector(&self, i: usize) -> Vec<f64> {
        self.vectors.col(i).iter().copied().collect()
    }
}
