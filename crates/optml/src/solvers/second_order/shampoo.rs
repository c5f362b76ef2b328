//! Shampoo (Gupta, Koren & Singer 2018) with the refinements of distributed Shampoo (Anil, Gupta,
//! Koren, Regan & Singer 2020, arXiv 2002.09018).
//!
//! For each weight matrix W (m × n) with gradient G: statistics L ← β₂·L + (1−β₂)·G·Gᵀ and
//! R ← β₂·R + (1−β₂)·Gᵀ·G (β₂ = 1: plain sums, the original), and the preconditioned gradient
//! P = L^{−1/4}·G·R^{−1/4}. The inverse fourth roots come from a symmetric eigendecomposition,
//! (M + ε·λ_max(M)·I)^{−1/4} with ε = 1e-6, recomputed every few steps. Grafting: each layer's
//! P is rescaled to the norm of a simple optimizer's step on the same gradient (SGD: ‖G‖, or
//! Adam's step), which sets the step size; before the warm-up ends, and for the biases (1-d
//! parameters), the grafted step is used alone. The grafted direction then goes through
//! momentum β₁ (Nesterov by default), θ ← θ − η·u. Defaults follow the reference's
//! `distributed_shampoo` (β₁ 0.9, β₂ 0.999, ε 1e-6, start_preconditioning_step 5 — here 10 —,
//! SGD grafting, Nesterov).

use faer::{Accum, Mat, MatMut, MatRef};

use super::layered::{DenseLayer, Layered};
use crate::error::{Error, Result};
use crate::linalg::{matmul, norm, par, symmetric_eigen};

/// The optimizer whose step size Shampoo's direction borrows, layer by layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Graft {
    /// ‖G‖.
    Sgd,
    /// The norm of Adam's step m̂/(√v̂ + ε) (β₁ of the momentum, this β₂, ε 1e-8).
    Adam { beta2: f64 },
}

/// Shampoo's constants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shampoo {
    pub beta1: f64,
    /// Decay of the statistics (1: sums, as the 2018 paper).
    pub beta2: f64,
    /// ε of the ridge ε·λ_max·I added before the roots.
    pub epsilon: f64,
    /// Steps between two recomputations of the roots.
    pub root_every: usize,
    /// Steps of the grafted step alone before preconditioning starts.
    pub warmup: usize,
    pub graft: Graft,
    pub nesterov: bool,
}

impl Default for Shampoo {
    fn default() -> Self {
        Shampoo {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-6,
            root_every: 10,
            warmup: 10,
            graft: Graft::Sgd,
            nesterov: true,
        }
    }
}

impl Shampoo {
    /// Fresh state for a model with these layers and `dim` parameters.
    pub fn init(&self, layers: &[DenseLayer], dim: usize) -> Result<ShampooState> {
        if !(0.0..1.0).contains(&self.beta1) {
            return Err(Error::invalid(format!(
                "Shampoo's β₁ must be in [0, 1), got {}",
                self.beta1
            )));
        }
        let beta2_ok = |b: f64| b > 0.0 && b <= 1.0;
        if !beta2_ok(self.beta2)
            || matches!(self.graft, Graft::Adam { beta2 } if !(beta2_ok(beta2) && beta2 < 1.0))
        {
            return Err(Error::invalid("Shampoo's β₂ must be in (0, 1]"));
        }
        if !(self.epsilon.is_finite() && self.epsilon > 0.0) {
            return Err(Error::invalid(format!(
                "Shampoo's ε must be finite and > 0, got {}",
                self.epsilon
            )));
        }
        if self.root_every == 0 {
            return Err(Error::invalid("the root refresh period must be ≥ 1"));
        }
        let mat = |r, c| Mat::<f64>::zeros(r, c);
        Ok(ShampooState {
            cfg: *self,
            layers: layers.to_vec(),
            l: layers.iter().map(|y| mat(y.outputs, y.outputs)).collect(),
            r: layers.iter().map(|y| mat(y.inputs, y.inputs)).collect(),
            l_root: layers.iter().map(|y| mat(y.outputs, y.outputs)).collect(),
            r_root: layers.iter().map(|y| mat(y.inputs, y.inputs)).collect(),
            grad: vec![0.0; dim],
            m: vec![0.0; dim],
            v: vec![0.0; dim],
            u: vec![0.0; dim],
            steps: 0,
        })
    }
}

/// Shampoo's statistics, roots, graft and momentum across steps.
pub struct ShampooState {
    cfg: Shampoo,
    layers: Vec<DenseLayer>,
    l: Vec<Mat<f64>>,
    r: Vec<Mat<f64>>,
    l_root: Vec<Mat<f64>>,
    r_root: Vec<Mat<f64>>,
    grad: Vec<f64>,
    /// Momentum of the grafted direction, and Adam's moments when grafting to Adam.
    m: Vec<f64>,
    v: Vec<f64>,
    u: Vec<f64>,
    steps: usize,
}

impl ShampooState {
    /// The statistics (L, R) of layer `l` and their current inverse fourth roots.
    pub fn statistics(&self, l: usize) -> [&Mat<f64>; 4] {
        [&self.l[l], &self.r[l], &self.l_root[l], &self.r_root[l]]
    }

    /// Writes the direction for gradient `g` into `u`: statistics updated, roots recomputed
    /// when due, each layer's preconditioned gradient grafted to the norm of the simple step,
    /// then momentum.
    pub fn direction(&mut self, g: &[f64], u: &mut [f64]) -> Result<()> {
        let cfg = self.cfg;
        self.steps += 1;
        let t = self.steps;
        // The grafted step, coordinate by coordinate (Adam's without its momentum, which is
        // the one applied below to the whole direction).
        let graft = &mut self.u;
        match cfg.graft {
            Graft::Sgd => graft.copy_from_slice(g),
            Graft::Adam { beta2 } => {
                let c2 = 1.0 - beta2.powi(t.min(i32::MAX as usize) as i32);
                for ((v, ui), gi) in self.v.iter_mut().zip(graft.iter_mut()).zip(g) {
                    *v = beta2 * *v + (1.0 - beta2) * gi * gi;
                    *ui = gi / ((*v / c2).sqrt() + 1e-8);
                }
            }
        }
        let b2 = cfg.beta2;
        let (keep, add) = if b2 < 1.0 { (b2, 1.0 - b2) } else { (1.0, 1.0) };
        let precondition = t > cfg.warmup;
        let refresh = precondition && (t - cfg.warmup - 1) % cfg.root_every == 0;
        for (k, layer) in self.layers.iter().enumerate() {
            let (n, m) = (layer.inputs, layer.outputs);
            let span = layer.offset..layer.offset + m * n;
            let gw = MatRef::from_row_major_slice(&g[span.clone()], m, n);
            scale_in_place(&mut self.l[k], keep);
            scale_in_place(&mut self.r[k], keep);
            matmul(
                self.l[k].as_mut(),
                Accum::Add,
                gw,
                gw.transpose(),
                add,
                par(),
            );
            matmul(
                self.r[k].as_mut(),
                Accum::Add,
                gw.transpose(),
                gw,
                add,
                par(),
            );
            if refresh {
                self.l_root[k] = inverse_root(&self.l[k], 4.0, cfg.epsilon)?;
                self.r_root[k] = inverse_root(&self.r[k], 4.0, cfg.epsilon)?;
            }
            if !precondition {
                continue;
            }
            let mut t1 = Mat::<f64>::zeros(m, n);
            matmul(
                t1.as_mut(),
                Accum::Replace,
                self.l_root[k].as_ref(),
                gw,
                1.0,
                par(),
            );
            let target = norm(&graft[span.clone()]);
            let p = &mut graft[span];
            matmul(
                MatMut::from_row_major_slice_mut(p, m, n),
                Accum::Replace,
                t1.as_ref(),
                self.r_root[k].as_ref(),
                1.0,
                par(),
            );
            let pn = norm(p);
            let s = if pn > 0.0 { target / pn } else { 0.0 };
            p.iter_mut().for_each(|v| *v *= s);
        }
        let mu = cfg.beta1;
        for ((mi, ui), di) in self.m.iter_mut().zip(u.iter_mut()).zip(graft.iter()) {
            *mi = mu * *mi + di;
            *ui = if cfg.nesterov { di + mu * *mi } else { *mi };
        }
        Ok(())
    }

    /// One step on `batch`: θ ← θ − η·u. Returns f_B at the start (NaN if a root failed).
    pub fn step<F: Layered + ?Sized>(
        &mut self,
        f: &F,
        x: &mut [f64],
        batch: &[usize],
        lr: f64,
    ) -> f64 {
        let mut grad = std::mem::take(&mut self.grad);
        let f0 = f.value_grad_batch(x, batch, &mut grad);
        let mut u = vec![0.0; x.len()];
        let ok = self.direction(&grad, &mut u).is_ok();
        self.grad = grad;
        for (xi, ui) in x.iter_mut().zip(&u) {
            *xi -= lr * ui;
        }
        if ok {
            f0
        } else {
            f64::NAN
        }
    }
}

fn scale_in_place(m: &mut Mat<f64>, s: f64) {
    if s == 1.0 {
        return;
    }
    for j in 0..m.ncols() {
        m.col_as_slice_mut(j).iter_mut().for_each(|v| *v *= s);
    }
}

/// (M + ε·λ_max(M)·I)^{−1/p} of a symmetric positive semi-definite M by its eigendecomposition
/// (negative eigenvalues from rounding are clamped to 0; ε alone when M = 0).
pub fn inverse_root(m: &Mat<f64>, p: f64, epsilon: f64) -> Result<Mat<f64>> {
    let n = m.nrows();
    let sym = Mat::from_fn(n, n, |i, j| 0.5 * (m[(i, j)] + m[(j, i)]));
    let (values, q) = symmetric_eigen(&sym)?;
    let top = values.iter().copied().fold(0.0, f64::max);
    let ridge = if top > 0.0 { epsilon * top } else { epsilon };
    let scale: Vec<f64> = values
        .iter()
        .map(|&v| (v.max(0.0) + ridge).powf(-1.0 / p))
        .collect();
    let qs = Mat::from_fn(n, n, |i, j| q[(i, j)] * scale[j]);
    let mut out = Mat::<f64>::zeros(n, n);
    matmul(
        out.as_mut(),
        Accum::Replace,
        qs.as_ref(),
        q.transpose(),
        1.0,
        par(),
    );
    Ok(out)
}
