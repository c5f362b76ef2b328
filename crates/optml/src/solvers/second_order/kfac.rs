//! K-FAC for dense layers (Martens & Grosse 2015, "Optimizing neural networks with
//! Kronecker-factored approximate curvature").
//!
//! The Fisher block of layer ℓ, E[vec(∇Ŵ)vec(∇Ŵ)ᵀ] with ∇Ŵ = g·āᵀ (Ŵ = [W | b], ā = [a; 1]),
//! is approximated by the Kronecker product of A = E[āāᵀ] and G = E[ggᵀ], the per-example
//! statistics of the layer's inputs and pre-activation gradients (g back-propagated from targets
//! sampled from the model, or the data's targets for the empirical Fisher). The factors are
//! exponential moving averages (decay ε = 0.95); every T = 5 steps they are inverted with the
//! factored Tikhonov damping of §6.3: π = √((tr A/dim A)/(tr G/dim G)),
//! (A + π√λ·I)⁻¹ and (G + √λ/π·I)⁻¹ (Cholesky, faer). The step preconditions each layer's
//! gradient U = (G + √λ/π·I)⁻¹·∇Ŵ·(A + π√λ·I)⁻¹ — the inverse of the damped Kronecker block
//! applied to vec(∇Ŵ) — scales it by the KL trust region of Ba, Grosse & Martens 2017 (ν
//! below), and moves with heavy-ball momentum: v ← μ·v + ν·U, θ ← θ − η·v.
//! Defaults follow kfac-jax (`curvature_ema` 0.95, `inverse_update_period` 5).

use faer::{Accum, Mat, MatMut, MatRef};

use super::layered::{layer_factors, DenseLayer, Fisher, LayerStats, Layered};
use crate::error::{Error, Result};
use crate::linalg::{matmul, par};

/// K-FAC's constants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kfac {
    /// λ of the factored Tikhonov damping.
    pub damping: f64,
    /// Decay ε of the factors' moving averages.
    pub decay: f64,
    /// Steps T between two refreshes of the inverses (the first step always inverts).
    pub inverse_every: usize,
    /// μ of the heavy-ball momentum (0: none).
    pub momentum: f64,
    pub fisher: Fisher,
    /// κ of the trust region on the predicted change of the model's output distribution
    /// (Ba, Grosse & Martens 2017): the direction u is scaled by
    /// ν = min(1, √(κ/(η²·uᵀg))), so that η²·uᵀF̂u ≤ κ. `None`: no scaling.
    pub kl_clip: Option<f64>,
}

impl Default for Kfac {
    fn default() -> Self {
        Kfac {
            damping: 1e-2,
            decay: 0.95,
            inverse_every: 5,
            momentum: 0.9,
            fisher: Fisher::True,
            kl_clip: Some(1e-3),
        }
    }
}

impl Kfac {
    /// Fresh state for a model with these layers and `dim` parameters.
    pub fn init(&self, layers: &[DenseLayer], dim: usize) -> Result<KfacState> {
        if !(self.damping.is_finite() && self.damping > 0.0) {
            return Err(Error::invalid(format!(
                "the K-FAC damping must be finite and > 0, got {}",
                self.damping
            )));
        }
        if !(0.0..1.0).contains(&self.decay) {
            return Err(Error::invalid(format!(
                "the K-FAC factor decay must be in [0, 1), got {}",
                self.decay
            )));
        }
        if !(0.0..1.0).contains(&self.momentum) {
            return Err(Error::invalid(format!(
                "the momentum must be in [0, 1), got {}",
                self.momentum
            )));
        }
        if self.inverse_every == 0 {
            return Err(Error::invalid("the inverse refresh period must be ≥ 1"));
        }
        if let Some(k) = self.kl_clip {
            if !(k.is_finite() && k > 0.0) {
                return Err(Error::invalid(format!(
                    "the K-FAC KL clip must be finite and > 0, got {k}"
                )));
            }
        }
        Ok(KfacState {
            cfg: *self,
            layers: layers.to_vec(),
            a: Vec::new(),
            g: Vec::new(),
            a_inv: Vec::new(),
            g_inv: Vec::new(),
            pi: vec![1.0; layers.len()],
            velocity: vec![0.0; dim],
            grad: vec![0.0; dim],
            dir: vec![0.0; dim],
            stats: LayerStats::default(),
            steps: 0,
        })
    }
}

/// K-FAC's factors, their inverses and the momentum across steps.
pub struct KfacState {
    cfg: Kfac,
    layers: Vec<DenseLayer>,
    a: Vec<Mat<f64>>,
    g: Vec<Mat<f64>>,
    a_inv: Vec<Mat<f64>>,
    g_inv: Vec<Mat<f64>>,
    pi: Vec<f64>,
    velocity: Vec<f64>,
    grad: Vec<f64>,
    dir: Vec<f64>,
    stats: LayerStats,
    steps: usize,
}

impl KfacState {
    /// Folds a batch's statistics into the moving averages (the first batch sets them).
    pub fn update_factors(&mut self, stats: &LayerStats) {
        let eps = self.cfg.decay;
        for (l, layer) in self.layers.iter().enumerate() {
            let (a, g) = layer_factors(layer, stats, l);
            if self.a.len() <= l {
                self.a.push(a);
                self.g.push(g);
            } else {
                blend(&mut self.a[l], &a, eps);
                blend(&mut self.g[l], &g, eps);
            }
        }
    }

    /// The current factors (A, G) of layer `l`: A over the inputs with the bias last.
    pub fn factors(&self, l: usize) -> (&Mat<f64>, &Mat<f64>) {
        (&self.a[l], &self.g[l])
    }

    /// π of layer `l` at the last refresh.
    pub fn pi(&self, l: usize) -> f64 {
        self.pi[l]
    }

    /// Recomputes π and the damped inverses from the current factors.
    pub fn refresh(&mut self) {
        let sq = self.cfg.damping.sqrt();
        self.a_inv.clear();
        self.g_inv.clear();
        for (l, (a, g)) in self.a.iter().zip(&self.g).enumerate() {
            let ta = trace(a) / a.nrows() as f64;
            let tg = trace(g) / g.nrows() as f64;
            let pi = if ta > 0.0 && tg > 0.0 {
                (ta / tg).sqrt()
            } else {
                1.0
            };
            self.pi[l] = pi;
            self.a_inv.push(damped_inverse(a, pi * sq));
            self.g_inv.push(damped_inverse(g, sq / pi));
        }
    }

    /// u = F̂⁻¹·g, layer by layer: U = (G + √λ/π·I)⁻¹·∇Ŵ·(A + π√λ·I)⁻¹; entries of θ outside
    /// the layers are copied.
    pub fn precondition(&self, g: &[f64], u: &mut [f64]) {
        u.copy_from_slice(g);
        for (l, layer) in self.layers.iter().enumerate() {
            let (din, dout) = (layer.inputs, layer.outputs);
            let w = din + 1;
            // ∇Ŵ = [∇W | ∇b], row-major.
            let mut gw = vec![0.0; dout * w];
            let (gw_w, gb) = g[layer.offset..layer.bias() + dout].split_at(din * dout);
            for ((row, src), b) in gw.chunks_exact_mut(w).zip(gw_w.chunks_exact(din)).zip(gb) {
                row[..din].copy_from_slice(src);
                row[din] = *b;
            }
            let mut t = Mat::<f64>::zeros(dout, w);
            matmul(
                t.as_mut(),
                Accum::Replace,
                self.g_inv[l].as_ref(),
                MatRef::from_row_major_slice(&gw, dout, w),
                1.0,
                par(),
            );
            matmul(
                MatMut::from_row_major_slice_mut(&mut gw, dout, w),
                Accum::Replace,
                t.as_ref(),
                self.a_inv[l].as_ref(),
                1.0,
                par(),
            );
            let (uw, ub) = u[layer.offset..layer.bias() + dout].split_at_mut(din * dout);
            for ((row, dst), b) in gw.chunks_exact(w).zip(uw.chunks_exact_mut(din)).zip(ub) {
                dst.copy_from_slice(&row[..din]);
                *b = row[din];
            }
        }
    }

    /// One step on `batch`: statistics, factors, inverses every T steps, the preconditioned
    /// direction with momentum, θ ← θ − η·v. Returns f_B at the start.
    pub fn step<F: Layered + ?Sized>(
        &mut self,
        f: &F,
        x: &mut [f64],
        batch: &[usize],
        lr: f64,
        seed: u64,
    ) -> f64 {
        let mut stats = std::mem::take(&mut self.stats);
        let f0 = f.value_grad_layers(x, batch, &mut self.grad, self.cfg.fisher, seed, &mut stats);
        self.update_factors(&stats);
        self.stats = stats;
        if self.steps % self.cfg.inverse_every == 0 {
            self.refresh();
        }
        self.steps += 1;
        let mut dir = std::mem::take(&mut self.dir);
        self.precondition(&self.grad, &mut dir);
        if let Some(kappa) = self.cfg.kl_clip {
            let ug = crate::linalg::dot(&dir, &self.grad);
            if ug > 0.0 {
                let nu = (kappa / (lr * lr * ug)).sqrt().min(1.0);
                dir.iter_mut().for_each(|v| *v *= nu);
            }
        }
        let mu = self.cfg.momentum;
        for ((v, d), xi) in self.velocity.iter_mut().zip(&dir).zip(x.iter_mut()) {
            *v = mu * *v + d;
            *xi -= lr * *v;
        }
        self.dir = dir;
        f0
    }
}

/// m ← ε·m + (1−ε)·b.
fn blend(m: &mut Mat<f64>, b: &Mat<f64>, eps: f64) {
    for j in 0..m.ncols() {
        let bj = b.col_as_slice(j);
        for (v, w) in m.col_as_slice_mut(j).iter_mut().zip(bj) {
            *v = eps * *v + (1.0 - eps) * w;
        }
    }
}

fn trace(m: &Mat<f64>) -> f64 {
    (0..m.nrows()).map(|i| m[(i, i)]).sum()
}

/// (M + c·I)⁻¹ for a symmetric positive semi-definite M and c > 0 (Cholesky, sequential so that
/// the bits do not depend on the thread count); the shift grows ×10 in the rare case that
/// rounding leaves the matrix not positive definite.
fn damped_inverse(m: &Mat<f64>, c: f64) -> Mat<f64> {
    let n = m.nrows();
    let mut shift = c;
    for _ in 0..8 {
        let shifted = Mat::from_fn(n, n, |i, j| m[(i, j)] + if i == j { shift } else { 0.0 });
        if let Some(inv) = spd_inverse(shifted.as_ref()) {
            return inv;
        }
        shift *= 10.0;
    }
    Mat::from_fn(n, n, |i, j| if i == j { 1.0 / shift } else { 0.0 })
}

/// The inverse of a symmetric positive definite matrix by Cholesky, `None` if it is not.
pub(crate) fn spd_inverse(a: MatRef<'_, f64>) -> Option<Mat<f64>> {
    use faer::dyn_stack::{MemBuffer, MemStack};
    use faer::linalg::cholesky::llt;
    let n = a.nrows();
    let seq = faer::Par::Seq;
    let mut l = a.to_owned();
    let mut mem = MemBuffer::new(
        llt::factor::cholesky_in_place_scratch::<f64>(n, seq, Default::default())
            .or(llt::solve::solve_in_place_scratch::<f64>(n, n, seq)),
    );
    llt::factor::cholesky_in_place(
        l.as_mut(),
        Default::default(),
        seq,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .ok()?;
    let mut x = Mat::<f64>::identity(n, n);
    llt::solve::solve_in_place_with_conj(
        l.as_ref(),
        faer::Conj::No,
        x.as_mut(),
        seq,
        MemStack::new(&mut mem),
    );
    crate::linalg::clear_upper_vector_state(seq);
    if !(0..n).all(|j| (0..n).all(|i| x[(i, j)].is_finite())) {
        return None;
    }
    // Symmetrize away the rounding.
    Some(Mat::from_fn(n, n, |i, j| 0.5 * (x[(i, j)] + x[(j, i)])))
}
