//! Row-wise kernels shared by dense and sparse designs.
//!
//! Every product is one pass over the rows, on the calling thread's rayon pool. Products that
//! write one value per row (X·v) split the output among threads; products that sum over rows
//! (Xᵀ·u, Xᵀ·D·X·v) give each block of rows its own accumulator, then add the accumulators in
//! block order: no atomics, and blocks fixed by the matrix alone, so the same bits in a pool of
//! any size.

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

/// A summing pass gives each block at least this many stored entries per accumulator entry, so
/// that zeroing and adding the blocks' accumulators stays a small part of the pass.
const WORK_PER_ACCUMULATOR: usize = 16;

/// At most this many blocks in a summing pass.
const MAX_BLOCKS: usize = 32;

/// How many row blocks a mapping pass uses: one per thread of the calling pool, or one when the
/// pass is short. (Each row writes its own output, so the split does not change the result.)
fn n_blocks(rows: &impl Rows) -> usize {
    let threads = rayon::current_num_threads();
    if threads <= 1 || rows.work() < PARALLEL_WORK {
        1
    } else {
        threads.min(rows.n_rows().max(1))
    }
}

/// Rows per block of a summing pass into `len` accumulators. It depends on the matrix and `len`
/// only, never on the thread count: the blocks' partial sums are added in block order, so the
/// result has the same bits in a pool of any size (one thread runs the same blocks in turn).
fn sum_block_rows(rows: &impl Rows, len: usize) -> usize {
    let n = rows.n_rows().max(1);
    let work = rows.work();
    if work < PARALLEL_WORK {
        return n;
    }
    let per_block = PARALLEL_WORK.max(WORK_PER_ACCUMULATOR * len);
    let blocks = (work / per_block).clamp(1, MAX_BLOCKS).min(n);
    n.div_ceil(blocks)
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
/// Blocks of [`sum_block_rows`] rows sum into their own accumulators (the first into `out`),
/// which are then added to `out` in block order.
pub(crate) fn sum_rows<R: Rows>(rows: &R, out: &mut [f64], f: impl Fn(usize, &mut [f64]) + Sync) {
    let n = rows.n_rows();
    out.fill(0.0);
    let chunk = sum_block_rows(rows, out.len());
    let blocks = n.div_ceil(chunk);
    let block = |b: usize, acc: &mut [f64]| {
        for i in b * chunk..((b + 1) * chunk).min(n) {
            f(i, acc);
        }
    };
    if blocks <= 1 {
        block(0, out);
        return;
    }
    let len = out.len();
    if rayon::current_num_threads() <= 1 {
        // The same sums in the same order, one block at a time through one scratch accumulator.
        block(0, out);
        let mut acc = vec![0.0; len];
        for b in 1..blocks {
            acc.fill(0.0);
            block(b, &mut acc);
            axpy(1.0, &acc, out);
        }
        return;
    }
    let (_, rest) = rayon::join(
        || block(0, out),
        || {
            (1..blocks)
                .into_par_iter()
                .map(|b| {
                    let mut acc = vec![0.0; len];
                    block(b, &mut acc);
                    acc
                })
                .collect::<Vec<_>>()
        },
    );
    for p in &rest {
        axpy(1.0, p, out);
    }
}
