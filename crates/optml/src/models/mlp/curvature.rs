//! Exact Hessian-vector products by the R-operator and Gauss-Newton-vector products.
//!
//! With a direction v = (Vₗ, cₗ), the R-operator R{·} = ∂/∂t|₀ (·)(θ + t·v) pushed forward:
//!   R{zₗ} = R{aₗ₋₁}·Wₗᵀ + aₗ₋₁·Vₗᵀ + cₗ,   R{aₗ} = σ'(zₗ) ⊙ R{zₗ},   R{a₀} = 0,
//! then back through the gradient recursion Gₗ₋₁ = (Gₗ·Wₗ) ⊙ σ'(zₗ₋₁):
//!   R{G_L} = H_ℓ·R{z_L},
//!   R{Gₗ₋₁} = (R{Gₗ}·Wₗ + Gₗ·Vₗ) ⊙ σ'(zₗ₋₁) + (Gₗ·Wₗ) ⊙ σ''(zₗ₋₁) ⊙ R{zₗ₋₁},
//!   H·v|_Wₗ = R{Gₗ}ᵀ·aₗ₋₁ + Gₗᵀ·R{aₗ₋₁} + λ·Vₗ,   H·v|_bₗ = 1ᵀ·R{Gₗ}
//! (Pearlmutter 1994). Dropping the terms in Gₗ (the loss gradient) leaves Jᵀ·H_ℓ·J·v, the
//! generalized Gauss-Newton product (Schraudolph 2002), positive semi-definite for convex ℓ.

use faer::{Accum, MatMut, MatRef};
use rayon::prelude::*;

use super::{column_sums, view, view_mut, Mlp, Targets, CHUNK};
use crate::linalg::{matmul, par};
use crate::objective::{Curvature, FiniteSum, Line, LinearOperator, Objective};

/// ∇²f(θ) (exact) or the Gauss-Newton matrix at θ, holding the forward and backward pass there.
/// Each product then costs about two passes' worth of matrix products and no transcendentals.
pub struct MlpHessian<'m> {
    mlp: &'m Mlp,
    theta: Vec<f64>,
    exact: bool,
    /// Hidden activations σ(zₗ), σ'(zₗ).
    acts: Vec<Vec<f64>>,
    d1: Vec<Vec<f64>>,
    /// Gₗ = ∂ℓ/∂zₗ per layer and Sₗ = (∂ℓ/∂aₗ) ⊙ σ''(zₗ) per hidden layer (exact only).
    g: Vec<Vec<f64>>,
    s: Vec<Vec<f64>>,
    /// Softmax probabilities (cross-entropy).
    probs: Vec<f64>,
}

impl<'m> MlpHessian<'m> {
    pub(crate) fn new(mlp: &'m Mlp, theta: &[f64], exact: bool) -> Self {
        let nl = mlp.layers();
        let mut pass = mlp.forward(theta, &mlp.x, mlp.n, if exact { 2 } else { 1 });
        mlp.residual(&mut pass.out, None);
        let probs = match mlp.targets {
            Targets::Classes(_) => {
                let mut p = mlp.pool.take(pass.out.len());
                p.copy_from_slice(&pass.out);
                p
            }
            Targets::Values(_) => Vec::new(),
        };
        let (mut g, mut s) = (vec![Vec::new(); nl], vec![Vec::new(); nl - 1]);
        if exact {
            mlp.output_gradient(&mut pass.out, None);
            mlp.backward(theta, &mlp.x, &mut pass, None, Some((&mut g, &mut s)));
        }
        let acts = std::mem::take(&mut pass.acts);
        let d1 = std::mem::take(&mut pass.d1);
        mlp.recycle(pass);
        MlpHessian {
            mlp,
            theta: theta.to_vec(),
            exact,
            acts,
            d1,
            g,
            s,
            probs,
        }
    }

    /// Whether this is the exact Hessian (`false`: the Gauss-Newton matrix).
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// The products with k vectors at once: `v` and `out` hold k vectors of length
    /// [`dim`](LinearOperator::dim) one after another (a column-major dim × k matrix). The
    /// R-forward and R-backward run once over the stacked block, so the products with the
    /// weights are k times taller GEMMs.
    pub fn apply_block(&self, v: &[f64], out: &mut [f64]) {
        let dim = self.mlp.dim();
        assert!(
            v.len() == out.len() && v.len() % dim == 0,
            "apply_block: {} and {} values for blocks of vectors of length {dim}",
            v.len(),
            out.len()
        );
        let k = v.len() / dim;
        if k == 0 {
            return;
        }
        let mlp = self.mlp;
        let (n, nl, sizes) = (mlp.n, mlp.layers(), &mlp.sizes);
        // One R-forward and one R-backward sweep over the data, whatever k.
        mlp.count_rows(2 * n);
        let x = &mlp.x[..];
        let input = |l: usize| if l == 0 { x } else { &self.acts[l - 1][..] };

        let pool = &mlp.pool;
        // R-forward: rz[l] = R{z_l}, ra[l] = R{a_l}, each (k·n) × size, vector by vector.
        let mut rz: Vec<Vec<f64>> = Vec::with_capacity(nl);
        let mut ra: Vec<Vec<f64>> = Vec::with_capacity(nl - 1);
        for l in 0..nl {
            let (din, dout) = (sizes[l], sizes[l + 1]);
            let (w, _) = mlp.layer(&self.theta, l);
            let mut z = pool.take(k * n * dout);
            if l > 0 {
                matmul(
                    view_mut(&mut z, k * n, dout),
                    Accum::Replace,
                    view(&ra[l - 1], k * n, din),
                    w.transpose(),
                    1.0,
                    par(),
                );
            }
            for (zj, vj) in z.chunks_exact_mut(n * dout).zip(v.chunks_exact(dim)) {
                let (vw, vb) = mlp.weights(vj, l);
                matmul(
                    view_mut(zj, n, dout),
                    Accum::Add,
                    view(input(l), n, din),
                    view(vw, dout, din).transpose(),
                    1.0,
                    par(),
                );
                for row in zj.chunks_exact_mut(dout) {
                    for (r, c) in row.iter_mut().zip(vb) {
                        *r += c;
                    }
                }
            }
            if l + 1 < nl {
                let mut a = pool.take(z.len());
                let d1 = &self.d1[l];
                blockwise(&mut a, &z, d1, d1, |_, r, d, _| r * d);
                ra.push(a);
            }
            rz.push(z);
        }

        // R{G_L} = H_ℓ·R{z_L} / n.
        let mut rg = rz.pop().unwrap();
        self.loss_hessian(&mut rg);

        // R-backward.
        for l in (0..nl).rev() {
            let (din, dout) = (sizes[l], sizes[l + 1]);
            for (j, (oj, vj)) in out
                .chunks_exact_mut(dim)
                .zip(v.chunks_exact(dim))
                .enumerate()
            {
                let rgj = &rg[j * n * dout..(j + 1) * n * dout];
                let (ow, ob) = mlp.layer_mut(oj, l);
                let (vw, _) = mlp.weights(vj, l);
                product_at_b(ow, dout, din, rgj, input(l), Accum::Replace);
                if self.exact && l > 0 {
                    let raj = &ra[l - 1][j * n * din..(j + 1) * n * din];
                    product_at_b(ow, dout, din, &self.g[l], raj, Accum::Add);
                }
                if mlp.l2 != 0.0 {
                    crate::linalg::axpy(mlp.l2, vw, ow);
                }
                column_sums(rgj, dout, ob);
            }
            if l == 0 {
                break;
            }
            let (w, _) = mlp.layer(&self.theta, l);
            let mut rda = pool.take(k * n * din);
            matmul(
                view_mut(&mut rda, k * n, din),
                Accum::Replace,
                view(&rg, k * n, dout),
                w,
                1.0,
                par(),
            );
            if self.exact {
                for (rj, vj) in rda.chunks_exact_mut(n * din).zip(v.chunks_exact(dim)) {
                    let (vw, _) = mlp.weights(vj, l);
                    matmul(
                        view_mut(rj, n, din),
                        Accum::Add,
                        view(&self.g[l], n, dout),
                        view(vw, dout, din),
                        1.0,
                        par(),
                    );
                }
            }
            // R{G_{l-1}} = R{∂ℓ/∂a_{l-1}} ⊙ σ' (+ S ⊙ R{z_{l-1}} when exact), in R{z_{l-1}}'s buffer.
            let mut next = rz.pop().unwrap();
            let d1 = &self.d1[l - 1];
            if self.exact {
                let s = &self.s[l - 1];
                blockwise(&mut next, &rda, d1, s, |z, r, d, s| r * d + s * z);
            } else {
                blockwise(&mut next, &rda, d1, d1, |_, r, d, _| r * d);
            }
            pool.give(rda);
            pool.give(std::mem::replace(&mut rg, next));
        }
        pool.give(rg);
        pool.give_all(rz.into_iter().chain(ra));
    }

    /// The products with the columns of `v` (dim × k), written into the columns of `out`.
    pub fn apply_many(&self, v: MatRef<'_, f64>, mut out: MatMut<'_, f64>) {
        let (dim, k) = (self.mlp.dim(), v.ncols());
        assert!(
            v.nrows() == dim && out.nrows() == dim && out.ncols() == k,
            "apply_many: shapes {}×{} and {}×{} for dim {dim}",
            v.nrows(),
            k,
            out.nrows(),
            out.ncols()
        );
        let mut flat = Vec::with_capacity(dim * k);
        for j in 0..k {
            flat.extend((0..dim).map(|i| v[(i, j)]));
        }
        let mut res = vec![0.0; dim * k];
        self.apply_block(&flat, &mut res);
        for j in 0..k {
            for i in 0..dim {
                out[(i, j)] = res[j * dim + i];
            }
        }
    }

    /// `r ← H_ℓ·r / n` row by row: (diag(p) − p·pᵀ)·r for cross-entropy, r for squared error.
    fn loss_hessian(&self, r: &mut [f64]) {
        let k = *self.mlp.sizes.last().unwrap();
        let scale = 1.0 / self.mlp.n as f64;
        if self.probs.is_empty() {
            r.iter_mut().for_each(|v| *v *= scale);
            return;
        }
        let m = self.probs.len();
        r.par_chunks_mut(k * 256).enumerate().for_each(|(c, rows)| {
            for (i, row) in rows.chunks_exact_mut(k).enumerate() {
                let at = (c * 256 + i) * k % m;
                let p = &self.probs[at..at + k];
                let pr = crate::linalg::dot(p, row);
                for (v, q) in row.iter_mut().zip(p) {
                    *v = scale * q * (*v - pr);
                }
            }
        });
    }
}

/// `dst[i] ← f(dst[i], a[i], b[i mod m], c[i mod m])` with m = `b.len()` = `c.len()`: `b` and
/// `c` hold one block, repeated over the k blocks of `dst` and `a`.
fn blockwise(
    dst: &mut [f64],
    a: &[f64],
    b: &[f64],
    c: &[f64],
    f: impl Fn(f64, f64, f64, f64) -> f64 + Sync,
) {
    let m = b.len();
    for (dst, a) in dst.chunks_exact_mut(m).zip(a.chunks_exact(m)) {
        dst.par_chunks_mut(CHUNK)
            .zip(a.par_chunks(CHUNK))
            .zip(b.par_chunks(CHUNK).zip(c.par_chunks(CHUNK)))
            .for_each(|((dst, a), (b, c))| {
                for (((d, a), b), c) in dst.iter_mut().zip(a).zip(b).zip(c) {
                    *d = f(*d, *a, *b, *c);
                }
            });
    }
}

/// `dst (rows × cols) ← or += Aᵀ·B` for row-major A (n × rows) and B (n × cols).
fn product_at_b(dst: &mut [f64], rows: usize, cols: usize, a: &[f64], b: &[f64], accum: Accum) {
    let n = a.len() / rows;
    matmul(
        view_mut(dst, rows, cols),
        accum,
        view(a, n, rows).transpose(),
        view(b, n, cols),
        1.0,
        par(),
    );
}

impl Drop for MlpHessian<'_> {
    /// Hands the pass's buffers back to the network for the next operator.
    fn drop(&mut self) {
        let pool = &self.mlp.pool;
        pool.give_all(self.acts.drain(..).chain(self.d1.drain(..)));
        pool.give_all(self.g.drain(..).chain(self.s.drain(..)));
        pool.give(std::mem::take(&mut self.probs));
    }
}

impl LinearOperator for MlpHessian<'_> {
    fn dim(&self) -> usize {
        self.mlp.dim()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.apply_block(v, out);
    }
    /// Built 32 columns at a time by [`apply_block`](MlpHessian::apply_block).
    fn to_dense(&self) -> faer::Mat<f64> {
        let dim = self.mlp.dim();
        let mut a = faer::Mat::<f64>::zeros(dim, dim);
        let mut start = 0;
        while start < dim {
            let k = 32.min(dim - start);
            let mut e = vec![0.0; dim * k];
            for j in 0..k {
                e[j * dim + start + j] = 1.0;
            }
            let mut cols = vec![0.0; dim * k];
            self.apply_block(&e, &mut cols);
            for j in 0..k {
                for i in 0..dim {
                    a[(i, start + j)] = cols[j * dim + i];
                }
            }
            start += k;
        }
        a
    }
}

impl Mlp {
    /// The GGN Jᵀ·H_ℓ·J + λ·I (on the weights) at θ, as an operator.
    pub fn gauss_newton(&self, theta: &[f64]) -> MlpHessian<'_> {
        MlpHessian::new(self, theta, false)
    }
}

impl Curvature for Mlp {
    type Hessian<'a> = MlpHessian<'a>;
    /// The exact Hessian ∇²f(θ) (indefinite in general).
    fn hessian(&self, theta: &[f64]) -> MlpHessian<'_> {
        MlpHessian::new(self, theta, true)
    }
}

/// An [`Mlp`] whose [`Curvature`] is its Gauss-Newton matrix Jᵀ·H_ℓ·J + λ·I (Schraudolph 2002),
/// for Newton-type solvers that need positive semi-definite curvature (cross-entropy and squared
/// error are convex in the outputs). Values, gradients, batches, line restrictions and the pass
/// count are the network's own.
pub struct WithGaussNewton<'m>(pub &'m Mlp);

impl Objective for WithGaussNewton<'_> {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.0.value(x)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.0.value_grad(x, grad)
    }
    fn line<'a>(&'a self, x: &[f64], d: &[f64]) -> Box<dyn Line + 'a> {
        self.0.line(x, d)
    }
    fn passes(&self) -> f64 {
        self.0.passes()
    }
}

impl FiniteSum for WithGaussNewton<'_> {
    fn n_terms(&self) -> usize {
        self.0.n_terms()
    }
    fn value_grad_batch(&self, x: &[f64], batch: &[usize], grad: &mut [f64]) -> f64 {
        self.0.value_grad_batch(x, batch, grad)
    }
}

impl Curvature for WithGaussNewton<'_> {
    type Hessian<'a>
        = MlpHessian<'a>
    where
        Self: 'a;
    fn hessian(&self, x: &[f64]) -> MlpHessian<'_> {
        self.0.gauss_newton(x)
    }
    fn hessian_kind(&self) -> &'static str {
        "gauss-newton"
    }
}
