//! Compressed sparse rows with 32-bit column indices (12 bytes per stored entry).

use super::Buffer;
use crate::error::{Error, Result};

/// A sparse matrix in compressed sparse row form. Column indices within a row are strictly
/// increasing; this is checked by [`CsrMatrix::new`].
#[derive(Clone, Debug, PartialEq)]
pub struct CsrMatrix {
    nrows: usize,
    ncols: usize,
    indptr: Buffer<usize>,
    indices: Buffer<u32>,
    values: Buffer<f64>,
}

impl CsrMatrix {
    /// Builds a matrix from its parts, checking every invariant (no panic on bad input).
    pub fn new(
        nrows: usize,
        ncols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f64>,
    ) -> Result<Self> {
        Self::from_buffers(nrows, ncols, indptr.into(), indices.into(), values.into())
    }

    /// [`CsrMatrix::new`] over [`Buffer`]s, which may be shared with another owner (no copy);
    /// every invariant is checked the same way.
    pub fn from_buffers(
        nrows: usize,
        ncols: usize,
        indptr: Buffer<usize>,
        indices: Buffer<u32>,
        values: Buffer<f64>,
    ) -> Result<Self> {
        if indptr.len() != nrows + 1 || indptr[0] != 0 {
            return Err(Error::invalid(
                "CSR indptr must have nrows + 1 entries starting at 0",
            ));
        }
        if indices.len() != values.len() || *indptr.last().unwrap() != indices.len() {
            return Err(Error::invalid(
                "CSR indptr, indices and values disagree in length",
            ));
        }
        if ncols > u32::MAX as usize + 1 {
            return Err(Error::invalid("CSR matrices hold at most 2^32 columns"));
        }
        for r in 0..nrows {
            let (a, b) = (indptr[r], indptr[r + 1]);
            if a > b {
                return Err(Error::invalid(format!("CSR indptr decreases at row {r}")));
            }
            let row = &indices[a..b];
            if row.windows(2).any(|w| w[0] >= w[1]) {
                return Err(Error::invalid(format!(
                    "CSR row {r}: column indices not strictly increasing"
                )));
            }
            if row.last().is_some_and(|&c| c as usize >= ncols) {
                return Err(Error::invalid(format!(
                    "CSR row {r}: column index out of range"
                )));
            }
        }
        Ok(CsrMatrix {
            nrows,
            ncols,
            indptr,
            indices,
            values,
        })
    }

    /// Builds a matrix from parts the caller has already validated (the readers do).
    pub(crate) fn from_parts_unchecked(
        nrows: usize,
        ncols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f64>,
    ) -> Self {
        debug_assert_eq!(indptr.len(), nrows + 1);
        CsrMatrix {
            nrows,
            ncols,
            indptr: indptr.into(),
            indices: indices.into(),
            values: values.into(),
        }
    }

    /// Dense rows (row-major, `nrows × ncols`) to CSR, dropping zeros.
    pub fn from_dense(nrows: usize, ncols: usize, data: &[f64]) -> Result<Self> {
        if data.len() != nrows * ncols {
            return Err(Error::invalid("dense data length is not nrows × ncols"));
        }
        let mut indptr = Vec::with_capacity(nrows + 1);
        let (mut indices, mut values) = (Vec::new(), Vec::new());
        indptr.push(0);
        for row in data.chunks_exact(ncols.max(1)).take(nrows) {
            for (j, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    indices.push(j as u32);
                    values.push(v);
                }
            }
            indptr.push(indices.len());
        }
        Self::new(nrows, ncols, indptr, indices, values)
    }

    pub fn nrows(&self) -> usize {
        self.nrows
    }
    pub fn ncols(&self) -> usize {
        self.ncols
    }
    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.values.len()
    }
    pub fn indptr(&self) -> &[usize] {
        &self.indptr
    }
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Row `i` as (column indices, values).
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    /// Widens the matrix to `ncols` columns (for test data with fewer features than training data).
    pub fn set_ncols(&mut self, ncols: usize) -> Result<()> {
        if ncols < self.ncols {
            return Err(Error::invalid("cannot shrink a CSR matrix's column count"));
        }
        self.ncols = ncols;
        Ok(())
    }

    /// Bytes held by the three arrays.
    pub fn memory_bytes(&self) -> usize {
        self.indptr.len() * 8 + self.indices.len() * 4 + self.values.len() * 8
    }
}
