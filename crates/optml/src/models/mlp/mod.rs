//! Multilayer perceptrons with exact gradients, Hessian-vector and Gauss-Newton-vector products.
//!
//! f(θ) = (1/n)·Σᵢ ℓ(F(θ; xᵢ), yᵢ) + (λ/2)·Σₗ‖Wₗ‖², where F is a stack of dense layers
//! zₗ = Wₗ·aₗ₋₁ + bₗ, aₗ = σ(zₗ) on the hidden layers and the identity on the last, and ℓ is the
//! softmax cross-entropy logsumexp(z) − z_y or the squared error ½‖z − y‖². The biases are not
//! penalized. θ holds, layer by layer in forward order, Wₗ (out × in, row-major) then bₗ.
//!
//! The gradient is back-propagation over the whole batch with dense products; the Hessian-vector
//! product is Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact multiplication by the
//! Hessian"), forward-over-reverse by hand; the generalized Gauss-Newton product is Jᵀ·H_ℓ·J·v
//! (Schraudolph 2002). Both take a block of vectors in one sweep ([`MlpHessian::apply_block`]).
//!
//! ```
//! use optml::models::mlp::{Activation, Mlp};
//! use optml::{Curvature, LinearOperator, Objective};
//!
//! // XOR-like data: 4 samples, 2 features, 2 classes.
//! let x = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
//! let mlp = Mlp::classifier(&[2, 4, 2], Activation::Tanh, 4, &x, &[0.0, 1.0, 1.0, 0.0])?;
//! let theta = mlp.init(7);
//! let mut g = vec![0.0; mlp.dim()];
//! let loss = mlp.value_grad(&theta, &mut g);
//! assert!(loss > 0.0);
//! let mut hv = vec![0.0; mlp.dim()];
//! mlp.hessian(&theta).apply(&g, &mut hv);
//! # Ok::<(), optml::Error>(())
//! ```

mod activation;
mod autoencoder;
mod curvature;
mod layered;
mod model;
mod pool;
mod symmetry;

pub use activation::Activation;
pub use curvature::{MlpHessian, WithGaussNewton};
pub use model::{MlpModel, MlpSpec, MLP_FORMAT_VERSION};

use std::sync::atomic::{AtomicU64, Ordering};

use faer::{Accum, MatMut, MatRef};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::linalg::{matmul, par};
use crate::objective::{FiniteSum, Objective};
use pool::Pool;

/// The loss on the network's outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MlpLoss {
    /// logsumexp(z) − z_y over K classes, averaged over the samples.
    CrossEntropy,
    /// ½‖z − y‖², averaged over the samples.
    SquaredError,
}

/// The layer sizes `d-h₁-…-k` parsed from text such as `64-32-32-10`.
pub fn parse_sizes(text: &str) -> Result<Vec<usize>> {
    let sizes = text
        .split('-')
        .map(|s| match s.trim().parse::<usize>() {
            Ok(v) if v > 0 => Ok(v),
            _ => Err(Error::invalid(format!(
                "architecture '{text}': '{s}' is not a positive layer size"
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    check_sizes(&sizes)?;
    Ok(sizes)
}

/// Number of parameters of the layer sizes, or an error if fewer than two sizes, a zero size or
/// an overflowing count.
fn check_sizes(sizes: &[usize]) -> Result<usize> {
    if sizes.len() < 2 {
        return Err(Error::invalid(format!(
            "an MLP needs at least an input and an output size, got {sizes:?}"
        )));
    }
    if sizes.contains(&0) {
        return Err(Error::invalid(format!(
            "layer sizes must be positive, got {sizes:?}"
        )));
    }
    let arch = || {
        sizes
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("-")
    };
    // Σₗ (dₗ + 1)·dₗ₊₁ parameters; in f64 so that an absurd size is reported, not wrapped.
    let count: f64 = sizes
        .windows(2)
        .map(|w| (w[0] as f64 + 1.0) * w[1] as f64)
        .sum();
    crate::limits::check_total(&format!("the parameters of the MLP {}", arch()), count)
}

enum Targets {
    /// Class ids in 0..k.
    Classes(Vec<usize>),
    /// n × k row-major.
    Values(Vec<f64>),
}

/// An MLP objective over a fixed data set (owned copy, row-major n × d).
pub struct Mlp {
    sizes: Vec<usize>,
    activation: Activation,
    loss: MlpLoss,
    l2: f64,
    n: usize,
    x: Vec<f64>,
    targets: Targets,
    /// Start of each layer's Wₗ in θ (bₗ follows it); the last entry is the dimension.
    offsets: Vec<usize>,
    /// Buffers of the passes, reused by the next ones.
    pool: Pool,
    /// Rows swept so far (a forward or a backward sweep over n rows is one data pass), for
    /// [`Objective::passes`].
    rows_swept: AtomicU64,
}

/// The hidden activations and their derivatives at one point (for the batch of `n` rows).
pub(crate) struct Pass {
    /// σ(zₗ) for each hidden layer, n × hₗ.
    pub acts: Vec<Vec<f64>>,
    /// σ'(zₗ) (order ≥ 1) and σ''(zₗ) (order 2), as `acts`.
    pub d1: Vec<Vec<f64>>,
    pub d2: Vec<Vec<f64>>,
    /// The outputs z_L, n × k.
    pub out: Vec<f64>,
}

/// Where [`Mlp::backward`] records Gₗ per layer and Sₗ per hidden layer.
pub(crate) type Kept<'a> = (&'a mut Vec<Vec<f64>>, &'a mut Vec<Vec<f64>>);

/// Row-major view.
pub(crate) fn view(s: &[f64], rows: usize, cols: usize) -> MatRef<'_, f64> {
    MatRef::from_row_major_slice(s, rows, cols)
}

/// Row-major mutable view.
pub(crate) fn view_mut(s: &mut [f64], rows: usize, cols: usize) -> MatMut<'_, f64> {
    MatMut::from_row_major_slice_mut(s, rows, cols)
}

/// Elements per parallel task of the elementwise loops.
pub(crate) const CHUNK: usize = 1 << 13;

impl Mlp {
    /// A classifier with softmax cross-entropy: `x` is n × d row-major, `labels` class ids
    /// 0..k (as f64, the way the data readers return them) with k = the last size.
    pub fn classifier(
        sizes: &[usize],
        activation: Activation,
        n: usize,
        x: &[f64],
        labels: &[f64],
    ) -> Result<Mlp> {
        let k = *sizes.last().unwrap_or(&0);
        if labels.len() != n {
            return Err(Error::invalid(format!(
                "{} labels for {n} samples",
                labels.len()
            )));
        }
        let classes = labels
            .iter()
            .enumerate()
            .map(|(i, &y)| {
                if y.fract() == 0.0 && y >= 0.0 && y < k as f64 {
                    Ok(y as usize)
                } else {
                    Err(Error::invalid(format!(
                        "label {y} of sample {i} is not a class id in 0..{k}"
                    )))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        if k < 2 {
            return Err(Error::invalid(
                "cross-entropy needs at least two outputs (classes)",
            ));
        }
        Self::new(
            sizes,
            activation,
            MlpLoss::CrossEntropy,
            n,
            x,
            Targets::Classes(classes),
        )
    }

    /// A regressor with squared error: `x` is n × d and `y` n × k, both row-major.
    pub fn regressor(
        sizes: &[usize],
        activation: Activation,
        n: usize,
        x: &[f64],
        y: &[f64],
    ) -> Result<Mlp> {
        let k = *sizes.last().unwrap_or(&0);
        if Some(y.len()) != n.checked_mul(k) {
            return Err(Error::invalid(format!(
                "targets have {} values, expected {n} samples × {k} outputs",
                y.len()
            )));
        }
        if let Some(i) = y.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(format!(
                "target {} of sample {} is not finite",
                y[i],
                i / k
            )));
        }
        Self::new(
            sizes,
            activation,
            MlpLoss::SquaredError,
            n,
            x,
            Targets::Values(y.to_vec()),
        )
    }

    /// As [`Mlp::classifier`] or [`Mlp::regressor`], from a faer matrix (any layout).
    pub fn from_mat(
        sizes: &[usize],
        activation: Activation,
        loss: MlpLoss,
        x: MatRef<'_, f64>,
        y: &[f64],
    ) -> Result<Mlp> {
        let (n, d) = (x.nrows(), x.ncols());
        let mut rows = Vec::with_capacity(n * d);
        for i in 0..n {
            rows.extend((0..d).map(|j| x[(i, j)]));
        }
        match loss {
            MlpLoss::CrossEntropy => Self::classifier(sizes, activation, n, &rows, y),
            MlpLoss::SquaredError => Self::regressor(sizes, activation, n, &rows, y),
        }
    }

    fn new(
        sizes: &[usize],
        activation: Activation,
        loss: MlpLoss,
        n: usize,
        x: &[f64],
        targets: Targets,
    ) -> Result<Mlp> {
        check_sizes(sizes)?;
        let d = sizes[0];
        if n == 0 {
            return Err(Error::invalid("no samples"));
        }
        if Some(x.len()) != n.checked_mul(d) {
            return Err(Error::invalid(format!(
                "features have {} values, expected {n} samples × {d} inputs",
                x.len()
            )));
        }
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(format!(
                "feature {} of sample {} is not finite",
                i % d,
                i / d
            )));
        }
        // The passes hold every layer's outputs for all n samples.
        let widths: usize = sizes[1..].iter().sum();
        crate::limits::check_values(
            &format!("the layer outputs of {n} samples × {widths} units"),
            &[n, widths],
        )?;
        let mut offsets = vec![0];
        for w in sizes.windows(2) {
            offsets.push(offsets.last().unwrap() + (w[0] + 1) * w[1]);
        }
        Ok(Mlp {
            sizes: sizes.to_vec(),
            activation,
            loss,
            l2: 0.0,
            n,
            x: x.to_vec(),
            targets,
            offsets,
            pool: Pool::default(),
            rows_swept: AtomicU64::new(0),
        })
    }

    /// Adds the penalty (λ/2)·Σ‖Wₗ‖² (biases free).
    pub fn with_l2(mut self, lambda: f64) -> Result<Mlp> {
        if !(lambda.is_finite() && lambda >= 0.0) {
            return Err(Error::invalid(format!(
                "the L2 weight must be finite and ≥ 0, got {lambda}"
            )));
        }
        self.l2 = lambda;
        Ok(self)
    }

    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }
    pub fn activation(&self) -> Activation {
        self.activation
    }
    pub fn loss(&self) -> MlpLoss {
        self.loss
    }
    pub fn n_samples(&self) -> usize {
        self.n
    }
    fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// Parameters drawn uniformly in ±1/√fan_in (PyTorch's default for dense layers), seeded.
    pub fn init(&self, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut theta = vec![0.0; self.dim()];
        for l in 0..self.layers() {
            let bound = 1.0 / (self.sizes[l] as f64).sqrt();
            for t in &mut theta[self.offsets[l]..self.offsets[l + 1]] {
                *t = rng.random_range(-bound..bound);
            }
        }
        theta
    }

    /// (Wₗ as out × in, bₗ) within θ.
    pub(crate) fn layer<'t>(&self, theta: &'t [f64], l: usize) -> (MatRef<'t, f64>, &'t [f64]) {
        let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
        let (w, b) = theta[self.offsets[l]..self.offsets[l + 1]].split_at(din * dout);
        (view(w, dout, din), b)
    }

    /// (Wₗ, bₗ) slices of a vector in the parameter layout.
    pub(crate) fn layer_mut<'t>(
        &self,
        v: &'t mut [f64],
        l: usize,
    ) -> (&'t mut [f64], &'t mut [f64]) {
        let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
        v[self.offsets[l]..self.offsets[l + 1]].split_at_mut(din * dout)
    }

    /// Wₗ as a slice of a vector in the parameter layout.
    pub(crate) fn weights<'t>(&self, v: &'t [f64], l: usize) -> (&'t [f64], &'t [f64]) {
        let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
        v[self.offsets[l]..self.offsets[l + 1]].split_at(din * dout)
    }

    /// The outputs z_L (n × k row-major) of the network at θ on the rows of `x` (n × d).
    pub fn outputs(&self, theta: &[f64], n: usize, x: &[f64]) -> Result<Vec<f64>> {
        if theta.len() != self.dim() {
            return Err(Error::invalid(format!(
                "{} parameters for a network of {}",
                theta.len(),
                self.dim()
            )));
        }
        if Some(x.len()) != n.checked_mul(self.sizes[0]) {
            return Err(Error::invalid(format!(
                "features have {} values, expected {n} samples × {} inputs",
                x.len(),
                self.sizes[0]
            )));
        }
        let mut pass = self.forward(theta, x, n, 0);
        let out = std::mem::take(&mut pass.out);
        self.recycle(pass);
        Ok(out)
    }

    /// Returns the buffers of a pass to the pool.
    pub(crate) fn recycle(&self, pass: Pass) {
        let Pass { acts, d1, d2, out } = pass;
        self.pool.give_all(acts.into_iter().chain(d1).chain(d2));
        self.pool.give(out);
    }

    /// The forward pass on `n` rows of `x`, keeping σ' (order ≥ 1) and σ'' (order 2).
    pub(crate) fn forward(&self, theta: &[f64], x: &[f64], n: usize, order: u8) -> Pass {
        self.count_rows(n);
        let nl = self.layers();
        let mut pass = Pass {
            acts: Vec::with_capacity(nl - 1),
            d1: Vec::new(),
            d2: Vec::new(),
            out: Vec::new(),
        };
        for l in 0..nl {
            let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
            let input = if l == 0 { x } else { &pass.acts[l - 1] };
            let (w, b) = self.layer(theta, l);
            let mut z = self.pool.take(n * dout);
            matmul(
                view_mut(&mut z, n, dout),
                Accum::Replace,
                view(input, n, din),
                w.transpose(),
                1.0,
                par(),
            );
            for row in z.chunks_exact_mut(dout) {
                for (zi, bi) in row.iter_mut().zip(b) {
                    *zi += bi;
                }
            }
            if l + 1 == nl {
                pass.out = z;
                break;
            }
            let act = self.activation;
            let mut d1 = self.pool.take(if order >= 1 { z.len() } else { 0 });
            let mut d2 = self.pool.take(if order >= 2 { z.len() } else { 0 });
            match order {
                0 => z
                    .par_chunks_mut(CHUNK)
                    .for_each(|c| act.apply(c, &mut [], &mut [])),
                1 => z
                    .par_chunks_mut(CHUNK)
                    .zip(d1.par_chunks_mut(CHUNK))
                    .for_each(|(c, e)| act.apply(c, e, &mut [])),
                _ => z
                    .par_chunks_mut(CHUNK)
                    .zip(d1.par_chunks_mut(CHUNK))
                    .zip(d2.par_chunks_mut(CHUNK))
                    .for_each(|((c, e), f)| act.apply(c, e, f)),
            }
            pass.acts.push(z);
            pass.d1.push(d1);
            pass.d2.push(d2);
        }
        pass
    }

    /// The row of global sample `i` of a batch (`rows = None`: the whole data set).
    fn global(rows: Option<&[usize]>, i: usize) -> usize {
        rows.map_or(i, |r| r[i])
    }

    /// Turns the outputs into softmax probabilities (cross-entropy) or residuals z − y (squared
    /// error) and returns the mean loss over the batch.
    pub(crate) fn residual(&self, out: &mut [f64], rows: Option<&[usize]>) -> f64 {
        let k = *self.sizes.last().unwrap();
        let m = out.len() / k;
        let mut total = 0.0;
        for (i, z) in out.chunks_exact_mut(k).enumerate() {
            let g = Self::global(rows, i);
            match &self.targets {
                Targets::Classes(c) => {
                    let zy = z[c[g]];
                    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let mut sum = 0.0;
                    for v in z.iter_mut() {
                        *v = (*v - max).exp();
                        sum += *v;
                    }
                    for v in z.iter_mut() {
                        *v /= sum;
                    }
                    total += max + sum.ln() - zy;
                }
                Targets::Values(y) => {
                    for (v, t) in z.iter_mut().zip(&y[g * k..(g + 1) * k]) {
                        *v -= t;
                        total += 0.5 * *v * *v;
                    }
                }
            }
        }
        total / m as f64
    }

    /// From [`residual`](Self::residual)'s output to ∂(mean loss)/∂z: (p − e_y)/m or (z − y)/m.
    pub(crate) fn output_gradient(&self, r: &mut [f64], rows: Option<&[usize]>) {
        let k = *self.sizes.last().unwrap();
        let scale = 1.0 / (r.len() / k) as f64;
        for (i, z) in r.chunks_exact_mut(k).enumerate() {
            if let Targets::Classes(c) = &self.targets {
                z[c[Self::global(rows, i)]] -= 1.0;
            }
            for v in z {
                *v *= scale;
            }
        }
    }

    /// (λ/2)·Σ‖Wₗ‖², and λ·Wₗ added to `grad` when given.
    fn penalty(&self, theta: &[f64], mut grad: Option<&mut [f64]>) -> f64 {
        if self.l2 == 0.0 {
            return 0.0;
        }
        let mut total = 0.0;
        for l in 0..self.layers() {
            let (w, _) = self.weights(theta, l);
            total += crate::linalg::dot(w, w);
            if let Some(g) = grad.as_deref_mut() {
                let (gw, _) = self.layer_mut(g, l);
                crate::linalg::axpy(self.l2, w, gw);
            }
        }
        0.5 * self.l2 * total
    }

    /// Back-propagates G_L = ∂ℓ/∂z_L (in `pass.out`) into `grad` (when given). With `keep`, records each
    /// layer's G_l = ∂ℓ/∂z_l and, for the hidden layers, S_l = (∂ℓ/∂a_l) ⊙ σ''(z_l).
    pub(crate) fn backward(
        &self,
        theta: &[f64],
        x: &[f64],
        pass: &mut Pass,
        mut grad: Option<&mut [f64]>,
        mut keep: Option<Kept<'_>>,
    ) {
        let nl = self.layers();
        let n = x.len() / self.sizes[0];
        self.count_rows(n);
        let mut g = std::mem::take(&mut pass.out);
        for l in (0..nl).rev() {
            let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
            let input = if l == 0 { x } else { &pass.acts[l - 1] };
            if let Some(grad) = grad.as_deref_mut() {
                let (gw, gb) = self.layer_mut(grad, l);
                matmul(
                    view_mut(gw, dout, din),
                    Accum::Replace,
                    view(&g, n, dout).transpose(),
                    view(input, n, din),
                    1.0,
                    par(),
                );
                column_sums(&g, dout, gb);
            }
            if l == 0 {
                match keep.as_mut() {
                    Some((gs, _)) => gs[0] = g,
                    None => self.pool.give(g),
                }
                break;
            }
            let (w, _) = self.layer(theta, l);
            let mut da = self.pool.take(n * din);
            matmul(
                view_mut(&mut da, n, din),
                Accum::Replace,
                view(&g, n, dout),
                w,
                1.0,
                par(),
            );
            if let Some((gs, ss)) = keep.as_mut() {
                let mut s = self.pool.take(da.len());
                for ((s, a), b) in s.iter_mut().zip(&da).zip(&pass.d2[l - 1]) {
                    *s = a * b;
                }
                ss[l - 1] = s;
                gs[l] = std::mem::take(&mut g);
            }
            for (a, d) in da.iter_mut().zip(&pass.d1[l - 1]) {
                *a *= d;
            }
            self.pool.give(std::mem::replace(&mut g, da));
        }
    }

    /// Mean loss and its gradient over `rows` (all rows when `None`), penalty included.
    fn value_grad_rows(&self, theta: &[f64], rows: Option<&[usize]>, grad: &mut [f64]) -> f64 {
        let gathered;
        let x = match rows {
            None => &self.x[..],
            Some(r) => {
                gathered = self.gather(r);
                &gathered[..]
            }
        };
        let n = x.len() / self.sizes[0];
        let mut pass = self.forward(theta, x, n, 1);
        let loss = self.residual(&mut pass.out, rows);
        self.output_gradient(&mut pass.out, rows);
        self.backward(theta, x, &mut pass, Some(&mut *grad), None);
        self.recycle(pass);
        loss + self.penalty(theta, Some(grad))
    }

    fn gather(&self, rows: &[usize]) -> Vec<f64> {
        let d = self.sizes[0];
        let mut x = Vec::with_capacity(rows.len() * d);
        for &i in rows {
            assert!(i < self.n, "batch row {i} out of range 0..{}", self.n);
            x.extend_from_slice(&self.x[i * d..(i + 1) * d]);
        }
        x
    }

    /// The parameter tensors in θ, in order: W₁, b₁, W₂, b₂, … (the groups of layer-wise
    /// optimizers such as NovoGrad).
    pub fn groups(&self) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::with_capacity(2 * self.layers());
        for l in 0..self.layers() {
            let w = self.offsets[l] + self.sizes[l] * self.sizes[l + 1];
            out.push(self.offsets[l]..w);
            out.push(w..self.offsets[l + 1]);
        }
        out
    }

    /// The fraction of `rows` whose largest output is their class (a classifier), or `None`
    /// (a regressor).
    pub fn accuracy(&self, theta: &[f64], rows: &[usize]) -> Option<f64> {
        let Targets::Classes(c) = &self.targets else {
            return None;
        };
        if rows.is_empty() {
            return None;
        }
        let x = self.gather(rows);
        let out = self.outputs(theta, rows.len(), &x).ok()?;
        let k = *self.sizes.last().unwrap();
        let correct = out
            .chunks_exact(k)
            .zip(rows)
            .filter(|(z, &i)| {
                let arg = (0..k).fold(0, |b, j| if z[j] > z[b] { j } else { b });
                arg == c[i]
            })
            .count();
        Some(correct as f64 / rows.len() as f64)
    }

    /// Counts a sweep over `rows` rows (R-forward and R-backward sweeps included).
    pub(crate) fn count_rows(&self, rows: usize) {
        self.rows_swept.fetch_add(rows as u64, Ordering::Relaxed);
    }
}

/// `out[j] = Σᵢ m[i, j]` of a row-major matrix with `cols` columns.
pub(crate) fn column_sums(m: &[f64], cols: usize, out: &mut [f64]) {
    out.fill(0.0);
    for row in m.chunks_exact(cols) {
        for (o, v) in out.iter_mut().zip(row) {
            *o += v;
        }
    }
}

impl Objective for Mlp {
    fn dim(&self) -> usize {
        *self.offsets.last().unwrap()
    }
    fn value(&self, theta: &[f64]) -> f64 {
        let mut pass = self.forward(theta, &self.x, self.n, 0);
        let loss = self.residual(&mut pass.out, None);
        self.recycle(pass);
        loss + self.penalty(theta, None)
    }
    fn value_grad(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        self.value_grad_rows(theta, None, grad)
    }
    fn passes(&self) -> f64 {
        self.rows_swept.load(Ordering::Relaxed) as f64 / self.n.max(1) as f64
    }
}

impl FiniteSum for Mlp {
    fn n_terms(&self) -> usize {
        self.n
    }
    /// f_B(θ) = (1/|B|)·Σ_{i∈B} ℓᵢ + (λ/2)·Σ‖Wₗ‖², the scale of [`FiniteSum`] with fᵢ = ℓᵢ/n.
    /// Panics when a row of `batch` is out of range.
    fn value_grad_batch(&self, theta: &[f64], batch: &[usize], grad: &mut [f64]) -> f64 {
        if batch.is_empty() {
            grad.fill(0.0);
            return self.penalty(theta, Some(grad));
        }
        self.value_grad_rows(theta, Some(batch), grad)
    }
}
