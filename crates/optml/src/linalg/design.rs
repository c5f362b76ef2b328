//! [`Design`]: the feature matrix of a data set, dense or sparse, behind one set of products.

use faer::{Accum, Mat, MatMut, MatRef};

use super::kernels::{map_rows, sum_rows, Rows};
use super::{CsrMatrix, DenseMatrix};

/// How a linear model's parameters are laid out in a flat vector: W (k × d, row-major), then the
/// k intercepts b when `intercept` is set. Binary and regression models have k = 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Features.
    pub d: usize,
    /// Outputs (classes for softmax, 1 otherwise).
    pub k: usize,
    pub intercept: bool,
}

impl Layout {
    /// One output.
    pub fn linear(d: usize, intercept: bool) -> Self {
        Layout { d, k: 1, intercept }
    }
    /// Length of the parameter vector: k·d (+ k).
    pub fn dim(&self) -> usize {
        self.k * self.d + if self.intercept { self.k } else { 0 }
    }
    /// The intercepts within `params`, if the layout has them.
    pub fn intercept_of<'a>(&self, params: &'a [f64]) -> Option<&'a [f64]> {
        self.intercept.then(|| &params[self.k * self.d..])
    }
}

/// Classes up to which the per-row scores live on the stack.
const STACK_CLASSES: usize = 32;

/// `acc += [g·xᵢᵀ, g]` in the parameter layout.
#[inline]
fn add_row<R: Rows>(r: &R, layout: Layout, i: usize, g: &[f64], acc: &mut [f64]) {
    let d = layout.d;
    for (c, &gc) in g.iter().enumerate() {
        if gc != 0.0 {
            r.row_axpy(i, gc, &mut acc[c * d..(c + 1) * d]);
        }
    }
    if layout.intercept {
        for (a, &gc) in acc[layout.k * d..].iter_mut().zip(g) {
            *a += gc;
        }
    }
}

/// The feature matrix X (n samples × d features), dense or compressed sparse rows.
#[derive(Clone, Debug, PartialEq)]
pub enum Design {
    Dense(DenseMatrix),
    Sparse(CsrMatrix),
}

/// Calls `$body` with `$r` bound to the inner matrix, whichever variant it is.
macro_rules! with_rows {
    ($self:expr, $r:ident => $body:expr) => {
        match $self {
            Design::Dense($r) => $body,
            Design::Sparse($r) => $body,
        }
    };
}

/// Rows per block when the Gram matrix is formed with dense products.
const GRAM_BLOCK: usize = 1024;

impl Design {
    pub fn nrows(&self) -> usize {
        with_rows!(self, r => r.nrows())
    }

    pub fn ncols(&self) -> usize {
        with_rows!(self, r => r.ncols())
    }

    /// Stored entries: n·d for dense, nnz for sparse.
    pub fn nnz(&self) -> usize {
        match self {
            Design::Dense(m) => m.nrows() * m.ncols(),
            Design::Sparse(m) => m.nnz(),
        }
    }

    pub fn is_sparse(&self) -> bool {
        matches!(self, Design::Sparse(_))
    }

    /// The largest |xᵢⱼ| stored (0 for an empty matrix; NaN propagates).
    pub fn max_abs(&self) -> f64 {
        let values = match self {
            Design::Dense(m) => m.data(),
            Design::Sparse(m) => m.values(),
        };
        values.iter().fold(0.0, |m: f64, v| m.max(v.abs()))
    }

    /// X·s, entry by entry; exact when s is a power of two and nothing under- or overflows.
    pub fn scaled(&self, s: f64) -> crate::Result<Design> {
        Ok(match self {
            Design::Dense(m) => Design::Dense(DenseMatrix::from_row_major(
                m.nrows(),
                m.ncols(),
                m.data().iter().map(|v| v * s).collect(),
            )?),
            Design::Sparse(m) => Design::Sparse(CsrMatrix::new(
                m.nrows(),
                m.ncols(),
                m.indptr().to_vec(),
                m.indices().to_vec(),
                m.values().iter().map(|v| v * s).collect(),
            )?),
        })
    }

    /// X stored as what it is: a sparse matrix whose dense form takes no more memory (8·n·d bytes
    /// against 12 per stored value and 8 per row: about ⅔ of the entries stored) becomes dense,
    /// where every product runs over contiguous rows. Any other matrix is returned as it is.
    pub fn stored_by_density(self) -> Design {
        let m = match self {
            Design::Sparse(m) => m,
            dense => return dense,
        };
        let (n, d) = (m.nrows(), m.ncols());
        let dense_bytes = 8 * n as u128 * d as u128;
        let sparse_bytes = 12 * m.nnz() as u128 + 8 * (n as u128 + 1);
        if n == 0 || d == 0 || dense_bytes > sparse_bytes {
            return Design::Sparse(m);
        }
        let mut data = vec![0.0; n * d];
        for (i, row) in data.chunks_exact_mut(d).enumerate() {
            let (idx, vals) = m.row(i);
            for (&j, &v) in idx.iter().zip(vals) {
                row[j as usize] += v;
            }
        }
        match DenseMatrix::from_row_major(n, d, data) {
            Ok(x) => Design::Dense(x),
            Err(_) => Design::Sparse(m),
        }
    }

    /// Widens X to `ncols` features (test data with fewer features than the model).
    pub fn set_ncols(&mut self, ncols: usize) -> crate::Result<()> {
        with_rows!(self, r => r.set_ncols(ncols))
    }

    /// `xᵢ · v`.
    pub fn row_dot(&self, i: usize, v: &[f64]) -> f64 {
        assert_eq!(v.len(), self.ncols());
        with_rows!(self, r => r.row_dot(i, v))
    }

    /// `out = X·v`.
    pub fn matvec(&self, v: &[f64], out: &mut [f64]) {
        self.scores(Layout::linear(self.ncols(), false), v, out)
    }

    /// `out = Xᵀ·u`.
    pub fn rmatvec(&self, u: &[f64], out: &mut [f64]) {
        self.scores_adjoint(Layout::linear(self.ncols(), false), u, out)
    }

    /// `out = Xᵀ·diag(w)·X·v` in one pass over X.
    pub fn xtdx_matvec(&self, w: &[f64], v: &[f64], out: &mut [f64]) {
        self.fused(
            Layout::linear(self.ncols(), false),
            v,
            |i, u| u[0] *= w[i],
            out,
        )
    }

    /// Scores of every sample under a linear model: `out[i·k + c] = xᵢ·W_c + b_c`, with W and b
    /// laid out in `params` as `layout` says; `out` is n × k row-major.
    pub fn scores(&self, layout: Layout, params: &[f64], out: &mut [f64]) {
        let (d, k) = (self.ncols(), layout.k);
        assert_eq!(
            layout.d, d,
            "layout and design disagree on the feature count"
        );
        assert_eq!(params.len(), layout.dim());
        assert_eq!(out.len(), self.nrows() * k);
        let bias = layout.intercept_of(params);
        if let (Design::Dense(m), true) = (self, k > 1) {
            // Several outputs: one GEMM, Z = X·Wᵀ, beats k dot products per row.
            let w = MatRef::from_row_major_slice(&params[..k * d], k, d);
            let z = MatMut::from_row_major_slice_mut(out, self.nrows(), k);
            super::matmul(
                z,
                Accum::Replace,
                m.as_faer(),
                w.transpose(),
                1.0,
                super::par(),
            );
            if let Some(b) = bias {
                for zi in out.chunks_exact_mut(k) {
                    zi.iter_mut().zip(b).for_each(|(z, b)| *z += b);
                }
            }
            return;
        }
        with_rows!(self, r => map_rows(r, k, out, |i, o| {
            for (c, oc) in o.iter_mut().enumerate() {
                *oc = r.row_dot(i, &params[c * d..(c + 1) * d]) + bias.map_or(0.0, |b| b[c]);
            }
        }))
    }

    /// The adjoint of [`Design::scores`]: `out_W = Gᵀ·X`, `out_b = Σᵢ gᵢ` for G (n × k).
    pub fn scores_adjoint(&self, layout: Layout, g: &[f64], out: &mut [f64]) {
        let (d, k) = (self.ncols(), layout.k);
        assert_eq!(
            layout.d, d,
            "layout and design disagree on the feature count"
        );
        assert_eq!(g.len(), self.nrows() * k);
        assert_eq!(out.len(), layout.dim());
        if let (Design::Dense(m), true) = (self, k > 1) {
            // Several outputs: one GEMM, out_W = Gᵀ·X.
            let gm = MatRef::from_row_major_slice(g, self.nrows(), k);
            let (ow, ob) = out.split_at_mut(k * d);
            let ow = MatMut::from_row_major_slice_mut(ow, k, d);
            super::matmul(
                ow,
                Accum::Replace,
                gm.transpose(),
                m.as_faer(),
                1.0,
                super::par(),
            );
            if layout.intercept {
                ob.fill(0.0);
                for gi in g.chunks_exact(k) {
                    ob.iter_mut().zip(gi).for_each(|(b, g)| *b += g);
                }
            }
            return;
        }
        with_rows!(self, r => sum_rows(r, out, |i, acc| {
            add_row(r, layout, i, &g[i * k..(i + 1) * k], acc)
        }))
    }

    /// `out += [g·xᵢᵀ, g]` for one sample i (stochastic gradients).
    pub fn add_scaled_row(&self, layout: Layout, i: usize, g: &[f64], out: &mut [f64]) {
        assert_eq!(
            layout.d,
            self.ncols(),
            "layout and design disagree on the feature count"
        );
        assert_eq!((g.len(), out.len()), (layout.k, layout.dim()));
        with_rows!(self, r => add_row(r, layout, i, g, out))
    }

    /// One fused pass: for each sample, the scores u = W_v·xᵢ + b_v of the direction `v`, then
    /// `transform(i, u)` in place, then `out += [u·xᵢᵀ, u]`. With k = 1 and `u *= wᵢ` this is
    /// X̃ᵀ·diag(w)·X̃·v, the product with a GLM Hessian; each row is read once while in cache.
    pub fn fused(
        &self,
        layout: Layout,
        v: &[f64],
        transform: impl Fn(usize, &mut [f64]) + Sync,
        out: &mut [f64],
    ) {
        let (d, k) = (self.ncols(), layout.k);
        assert_eq!(
            layout.d, d,
            "layout and design disagree on the feature count"
        );
        assert_eq!(v.len(), layout.dim());
        assert_eq!(out.len(), layout.dim());
        if let (Design::Dense(_), true) = (self, k > 1) {
            // Two GEMMs beat the row-wise fusion once there are several outputs.
            let mut u = vec![0.0; self.nrows() * k];
            self.scores(layout, v, &mut u);
            u.chunks_exact_mut(k)
                .enumerate()
                .for_each(|(i, ui)| transform(i, ui));
            self.scores_adjoint(layout, &u, out);
            return;
        }
        let bias = layout.intercept_of(v);
        with_rows!(self, r => sum_rows(r, out, |i, acc| {
            let mut u = [0.0; STACK_CLASSES];
            let mut heap;
            let u: &mut [f64] = if k <= STACK_CLASSES {
                &mut u[..k]
            } else {
                heap = vec![0.0; k];
                &mut heap
            };
            for (c, uc) in u.iter_mut().enumerate() {
                *uc = r.row_dot(i, &v[c * d..(c + 1) * d]) + bias.map_or(0.0, |b| b[c]);
            }
            transform(i, u);
            add_row(r, layout, i, u, acc)
        }))
    }

    /// `out_{c,j} = Σᵢ w_{ic}·x_ij²` (and `out_{b,c} = Σᵢ w_{ic}`): the diagonal of
    /// X̃ᵀ·diag(w_c)·X̃ for each class, laid out like the parameters.
    pub fn weighted_sq_sums(&self, layout: Layout, w: &[f64], out: &mut [f64]) {
        let (d, k) = (self.ncols(), layout.k);
        assert_eq!(
            layout.d, d,
            "layout and design disagree on the feature count"
        );
        assert_eq!(w.len(), self.nrows() * k);
        assert_eq!(out.len(), layout.dim());
        with_rows!(self, r => sum_rows(r, out, |i, acc| {
            for c in 0..k {
                let wc = w[i * k + c];
                if wc != 0.0 {
                    r.row_sq_axpy(i, wc, &mut acc[c * d..(c + 1) * d]);
                    if layout.intercept {
                        acc[k * d + c] += wc;
                    }
                }
            }
        }))
    }

    /// The Gram matrix X̃ᵀ·diag(w)·X̃ for X̃ = X, or [X 1] with `intercept`: the Hessian of a
    /// binary GLM without its regularizer, for direct Newton solves when d is small. Dense
    /// designs use faer's blocked products on row blocks scaled by √wᵢ (wᵢ ≥ 0).
    pub fn gram(&self, w: &[f64], intercept: bool) -> Mat<f64> {
        assert_eq!(w.len(), self.nrows());
        let d = self.ncols();
        let p = d + usize::from(intercept);
        let mut g = Mat::<f64>::zeros(p, p);
        match self {
            Design::Dense(m) => {
                let mut block = Mat::<f64>::zeros(GRAM_BLOCK.min(m.nrows()).max(1), p);
                for start in (0..m.nrows()).step_by(GRAM_BLOCK) {
                    let end = (start + GRAM_BLOCK).min(m.nrows());
                    for i in start..end {
                        let s = w[i].max(0.0).sqrt();
                        for (j, &x) in m.row(i).iter().enumerate() {
                            block[(i - start, j)] = s * x;
                        }
                        if intercept {
                            block[(i - start, d)] = s;
                        }
                    }
                    let b = block.as_ref().subrows(0, end - start);
                    super::matmul(g.as_mut(), Accum::Add, b.transpose(), b, 1.0, super::par());
                }
            }
            Design::Sparse(m) => {
                for (i, &wi) in w.iter().enumerate() {
                    let (idx, val) = m.row(i);
                    for (a, (&ja, &xa)) in idx.iter().zip(val).enumerate() {
                        let t = wi * xa;
                        for (&jb, &xb) in idx[..=a].iter().zip(val) {
                            g[(ja as usize, jb as usize)] += t * xb;
                        }
                        if intercept {
                            g[(d, ja as usize)] += t;
                        }
                    }
                    if intercept {
                        g[(d, d)] += wi;
                    }
                }
                for a in 0..p {
                    for b in 0..a {
                        g[(b, a)] = g[(a, b)];
                    }
                }
            }
        }
        g
    }

    /// Row i as a dense vector (zeros where a sparse row stores nothing).
    pub fn dense_row(&self, i: usize, out: &mut [f64]) {
        assert_eq!(out.len(), self.ncols());
        match self {
            Design::Dense(m) => out.copy_from_slice(m.row(i)),
            Design::Sparse(m) => {
                out.fill(0.0);
                let (idx, val) = m.row(i);
                for (&j, &x) in idx.iter().zip(val) {
                    out[j as usize] = x;
                }
            }
        }
    }

    /// The Hessian of the multinomial loss without its regularizer, densely:
    /// Σᵢ sᵢ·(diag(pᵢ) − pᵢpᵢᵀ) ⊗ x̃ᵢx̃ᵢᵀ, given qᵢ = sᵢ·pᵢ (n × k) and the sample weights sᵢ.
    /// It is formed as k Gram matrices (the block diagonal) minus RᵀR for the rows
    /// rᵢ = (qᵢ ⊗ x̃ᵢ)/√sᵢ, with faer's products, and returned in the parameter layout.
    pub fn gram_multinomial(&self, layout: Layout, q: &[f64], s: &[f64]) -> Mat<f64> {
        let (n, d, k) = (self.nrows(), self.ncols(), layout.k);
        assert_eq!(
            layout.d, d,
            "layout and design disagree on the feature count"
        );
        assert_eq!((q.len(), s.len()), (n * k, n));
        let dt = d + usize::from(layout.intercept);
        // Position of augmented index (c, j) in the parameter layout.
        let slot = |c: usize, j: usize| if j < d { c * d + j } else { k * d + c };
        let mut h = Mat::<f64>::zeros(k * dt, k * dt);
        let mut qc = vec![0.0; n];
        for c in 0..k {
            for (i, v) in qc.iter_mut().enumerate() {
                *v = q[i * k + c];
            }
            let g = self.gram(&qc, layout.intercept);
            for a in 0..dt {
                for b in 0..dt {
                    h[(c * dt + a, c * dt + b)] = g[(a, b)];
                }
            }
        }
        let rows = GRAM_BLOCK.min(n).max(1);
        let mut r = Mat::<f64>::zeros(rows, k * dt);
        let mut x = vec![0.0; d];
        for start in (0..n).step_by(rows) {
            let end = (start + rows).min(n);
            for i in start..end {
                self.dense_row(i, &mut x);
                let scale = if s[i] > 0.0 { 1.0 / s[i].sqrt() } else { 0.0 };
                for c in 0..k {
                    let qic = q[i * k + c] * scale;
                    for (j, &xj) in x.iter().enumerate() {
                        r[(i - start, c * dt + j)] = qic * xj;
                    }
                    if layout.intercept {
                        r[(i - start, c * dt + d)] = qic;
                    }
                }
            }
            let b = r.as_ref().subrows(0, end - start);
            super::matmul(h.as_mut(), Accum::Add, b.transpose(), b, -1.0, super::par());
        }
        let mut out = Mat::<f64>::zeros(k * dt, k * dt);
        for ca in 0..k {
            for ja in 0..dt {
                for cb in 0..k {
                    for jb in 0..dt {
                        out[(slot(ca, ja), slot(cb, jb))] = h[(ca * dt + ja, cb * dt + jb)];
                    }
                }
            }
        }
        out
    }
}
