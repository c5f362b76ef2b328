//! Row-wise kernels shared by dense and sparse designs.
//!
//! Every product is one pass over the rows. Products that write one value per row (X·v) split the
//! output among threads; products that sum over rows (Xᵀ·u, Xᵀ·D·X·v) give each thread a block of
//! rows and its own accumulator, then add the accumulators: no atomics, and the same result for
//! the same thread count.

use rayon::prelude::*;

use super::{axpy, dot, CsrMatrix, DenseMatrix};

/// What a kernel needs of a matrix: products of one row with a vector.
pub(crate) trait Rows: Sync {
    fn n_rows(&self) -> usize;
    /// Stored entries (the cost of a pass), used to decide whether threads pay off.
    fn work(&self) -> usize;
    /// `xᵢ · v`.
    fn row_dot(&self, i: usize, v: &[f64]) -> f64;
    /// `out ← out + a·xᵢ`.
    fn row_axpy(&self, i: usize, a: f64, out: &mut [f64]);
    /// `out_j ← out_j + a·x_ij²`.
    fn row_sq_axpy(&self, i: usize, a: f64, out: &mut [f64]);
}

impl Rows for DenseMatrix {
    fn n_rows(&self) -> usize {
        self.nrows()
    }
    fn work(&self) -> usize {
        self.nrows() * self.ncols()
    }
    #[inline]
    fn row_dot(&self, i: usize, v: &[f64]) -> f64 {
        dot(self.row(i), v)
    }
    #[inline]
    fn row_axpy(&self, i: usize, a: f64, out: &mut [f64]) {
        axpy(a, self.row(i), out)
    }
    #[inline]
    fn row_sq_axpy(&self, i: usize, a: f64, out: &mut [f64]) {
        for (o, x) in out.iter_mut().zip(self.row(i)) {
            *o += a * x * x;
        }
    }
}

// The sparse kernels index `v`/`out` without bounds checks: every column index is < ncols
// (checked when the matrix was built) and every caller passes ncols-long slices (asserted by
// `Design`'s methods; debug builds check again here).
impl Rows for CsrMatrix {
    fn n_rows(&self) -> usize {
        self.nrows()
    }
    fn work(&self) -> usize {
        self.nnz() + self.nrows()
    }
    #[inline]
    fn row_dot(&self, i: usize, v: &[f64]) -> f64 {
        debug_assert_eq!(v.len(), self.ncols());
        let (idx, val) = self.row(i);
        let mut s = 0.0;
        for (&j, &x) in idx.iter().zip(val) {
            // SAFETY: j < ncols == v.len() (see above).
            s += x * unsafe { *v.get_unchecked(j as usize) };
        }
        s
    }
    #[inline]
    fn row_axpy(&self, i: usize, a: f64, out: &mut [f64]) {
        debug_assert_eq!(out.len(), self.ncols());
        let (idx, val) = self.row(i);
        for (&j, &x) in idx.iter().zip(val) {
            // SAFETY: j < ncols == out.len() (see above).
            unsafe { *out.get_unchecked_mut(j as usize) += a * x };
        }
    }
    #[inline]
    fn row_sq_axpy(&self, i: usize, a: f64, out: &mut [f64]) {
        debug_assert_eq!(out.len(), self.ncols());
        let (idx, val) = self.row(i);
        for (&j, &x) in idx.iter().zip(val) {
            // SAFETY: j < ncols == out.len() (see above).
            unsafe { *out.get_unchecked_mut(j as usize) += a * x * x };
        }
    }
}

/// Below this many stored entries a pass is too short to split among threads.
const PARALLEL_WORK: usize = 1 << 15;

/// How many row blocks to use: one per thread, or one when the pass is short.
fn n_blocks(rows: &impl Rows) -> usize {
    let threads = rayon::current_num_threads();
    if threads <= 1 || rows.work() < PARALLEL_WORK {
        1
    } else {
        threads.min(rows.n_rows().max(1))
    }
}

/// `f(i, out[i·k..(i+1)·k])` for every row i, in parallel over blocks of rows.
pub(crate) fn map_rows<R: Rows>(
    rows: &R,
    k: usize,
    out: &mut [f64],
    f: impl Fn(usize, &mut [f64]) + Sync,
) {
    if k == 0 {
        return;
    }
    let blocks = n_blocks(rows);
    if blocks == 1 {
        for (i, o) in out.chunks_exact_mut(k).enumerate() {
            f(i, o);
        }
        return;
    }
    let rows_per_task = rows.n_rows().div_ceil(blocks * 4).max(1);
    out.par_chunks_mut(rows_per_task * k)
        .enumerate()
        .for_each(|(b, o)| {
            for (j, oi) in o.chunks_exact_mut(k).enumerate() {
                f(b * rows_per_task + j, oi);
            }
        });
}

/// `out = Σᵢ f(i, ·)`: each row adds its contribution to an accumulator of `out.len()` values.
pub(crate) fn sum_rows<R: Rows>(rows: &R, out: &mut [f64], f: impl Fn(usize, &mut [f64]) + Sync) {
    let n = rows.n_rows();
    let blocks = n_blocks(rows);
    out.fill(0.0);
    if blocks == 1 {
        for i in 0..n {
            f(i, out);
        }
        return;
    }
    let chunk = n.div_ceil(blocks);
    let partials: Vec<Vec<f64>> = (0..blocks)
        .into_par_iter()
        .map(|b| {
            let mut acc = vec![0.0; out.len()];
            for i in b * chunk..((b + 1) * chunk).min(n) {
                f(i, &mut acc);
            }
            acc
        })
        .collect();
    for p in &partials {
        axpy(1.0, p, out);
    }
}
