//! Examples as the tree learners read them: a dense row, or the nonzeros of a sparse row over
//! compacted feature indices ([`FeatureMap`]).

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg::{CsrMatrix, Design};

/// One example's features.
#[derive(Clone, Copy, Debug)]
pub enum Row<'a> {
    Dense(&'a [f64]),
    Sparse(&'a [u32], &'a [f64]),
}

impl Row<'_> {
    /// Calls `f(i, xᵢ)` for each stored feature.
    #[inline]
    pub fn for_each(self, mut f: impl FnMut(usize, f64)) {
        match self {
            Row::Dense(v) => v.iter().enumerate().for_each(|(i, &x)| f(i, x)),
            Row::Sparse(idx, v) => idx.iter().zip(v).for_each(|(&i, &x)| f(i as usize, x)),
        }
    }
}

/// The row `i` of a design matrix.
#[inline]
pub fn row(x: &Design, i: usize) -> Row<'_> {
    match x {
        Design::Dense(m) => Row::Dense(m.row(i)),
        Design::Sparse(m) => {
            let (idx, v) = m.row(i);
            Row::Sparse(idx, v)
        }
    }
}

/// The sparse features that occur in the training data, ascending: column `j` of the compacted
/// matrix is column `original[j]` of the file. Hashed feature files (indices up to 2³²) then
/// cost memory in the features that occur, not in the largest index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureMap {
    pub original: Vec<u32>,
}

impl FeatureMap {
    /// The columns of `x` that hold a value.
    pub fn of(x: &CsrMatrix) -> FeatureMap {
        let mut seen: Vec<u32> = x.indices().to_vec();
        seen.sort_unstable();
        seen.dedup();
        FeatureMap { original: seen }
    }

    /// Checks the map read from a file: strictly increasing indices.
    pub fn validate(&self) -> Result<()> {
        if self.original.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid(
                "the model's feature map must be strictly increasing",
            ));
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.original.len()
    }

    pub fn is_empty(&self) -> bool {
        self.original.is_empty()
    }

    /// `x` over the compacted columns; a feature the map lacks is dropped (it has no weight).
    pub fn apply(&self, x: &Design) -> Result<Design> {
        let owned;
        let csr = match x {
            Design::Sparse(m) => m,
            Design::Dense(m) => {
                owned = CsrMatrix::from_dense(m.nrows(), m.ncols(), m.data())?;
                &owned
            }
        };
        let mut indptr = Vec::with_capacity(csr.nrows() + 1);
        let mut indices = Vec::with_capacity(csr.nnz());
        let mut values = Vec::with_capacity(csr.nnz());
        indptr.push(0);
        for i in 0..csr.nrows() {
            let (idx, v) = csr.row(i);
            for (&j, &x) in idx.iter().zip(v) {
                if let Ok(c) = self.original.binary_search(&j) {
                    indices.push(c as u32);
                    values.push(x);
                }
            }
            indptr.push(indices.len());
        }
        Ok(Design::Sparse(CsrMatrix::new(
            csr.nrows(),
            self.original.len(),
            indptr,
            indices,
            values,
        )?))
    }
}

/// The labels of a data set as class indices into `classes` (ascending); `None` for a label
/// that is not one of them.
pub fn class_indices(data: &Dataset, classes: &[f64]) -> Vec<Option<u32>> {
    data.y
        .iter()
        .map(|y| {
            classes
                .binary_search_by(|c| c.total_cmp(y))
                .ok()
                .map(|c| c as u32)
        })
        .collect()
}

/// The distinct labels, ascending; at least two, all finite.
pub fn classes_of(data: &Dataset) -> Result<Vec<f64>> {
    if let Some(bad) = data.y.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(format!(
            "{}: label {bad} is not finite",
            data.name()
        )));
    }
    let mut c = data.y.clone();
    c.sort_by(f64::total_cmp);
    c.dedup();
    if c.len() < 2 {
        return Err(Error::invalid(format!(
            "{}: a multiclass model needs at least two classes, the labels have {}",
            data.name(),
            c.len()
        )));
    }
    Ok(c)
}
