//! [`Design`]: the feature matrix of a data set, dense or sparse, behind one set of products.

use faer::{Accum, Mat, Par};

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

    /// Widens X to `ncols` features (test data with fewer features than the model).
    pub fn set_ncols(&mut self, ncols: usize) -> crate::Result<()> {
        with_rows!(self, r => r.set_ncols(ncols))
    }

    /// `xᵢ · v`.
    pub fn row_dot(&self, i: usize, v: &[f64]) -> f64 {
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
        with_rows!(self, r => sum_rows(r, out, |i, acc| {
            add_row(r, layout, i, &g[i * k..(i + 1) * k], acc)
        }))
    }

    /// `out += [g·xᵢᵀ, g]` for one sample i (stochastic gradients).
    pub fn add_scaled_row(&self, layout: Layout, i: usize, g: &[f64], out: &mut [f64]) {
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
                    faer::linalg::matmul::matmul(
                        g.as_mut(),
                        Accum::Add,
                        b.transpose(),
                        b,
                        1.0,
                        Par::rayon(0),
                    );
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
}
