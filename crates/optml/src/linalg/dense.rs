//! Dense row-major matrices: each sample's features are contiguous, which the row kernels want.

use super::Buffer;
use crate::error::{Error, Result};

/// A dense `nrows × ncols` matrix stored row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseMatrix {
    nrows: usize,
    ncols: usize,
    data: Buffer<f64>,
}

impl DenseMatrix {
    /// Wraps row-major `data` of length `nrows · ncols`.
    pub fn from_row_major(nrows: usize, ncols: usize, data: Vec<f64>) -> Result<Self> {
        Self::from_row_major_buffer(nrows, ncols, data.into())
    }

    /// Wraps row-major values of length `nrows · ncols` held in a [`Buffer`], which may be
    /// shared with another owner (no copy).
    pub fn from_row_major_buffer(nrows: usize, ncols: usize, data: Buffer<f64>) -> Result<Self> {
        if nrows.checked_mul(ncols) != Some(data.len()) {
            return Err(Error::invalid(format!(
                "dense data has {} values, expected {nrows} × {ncols}",
                data.len()
            )));
        }
        Ok(DenseMatrix { nrows, ncols, data })
    }

    pub fn nrows(&self) -> usize {
        self.nrows
    }
    pub fn ncols(&self) -> usize {
        self.ncols
    }
    /// The row-major values.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Row `i`.
    #[inline]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.ncols..(i + 1) * self.ncols]
    }

    /// A faer view of the matrix (no copy).
    pub fn as_faer(&self) -> faer::MatRef<'_, f64> {
        faer::MatRef::from_row_major_slice(&self.data, self.nrows, self.ncols)
    }

    /// Widens the matrix to `ncols` columns with zeros.
    pub fn set_ncols(&mut self, ncols: usize) -> Result<()> {
        if ncols < self.ncols {
            return Err(Error::invalid(
                "cannot shrink a dense matrix's column count",
            ));
        }
        if ncols == self.ncols {
            return Ok(());
        }
        let mut data = vec![0.0; self.nrows * ncols];
        for (i, dst) in data.chunks_exact_mut(ncols).enumerate() {
            dst[..self.ncols].copy_from_slice(self.row(i));
        }
        self.data = data.into();
        self.ncols = ncols;
        Ok(())
    }
}
