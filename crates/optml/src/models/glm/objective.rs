//! [`Glm`]: f(w) = Σᵢ sᵢ·ℓ(yᵢ, W·xᵢ + b) + ‖W‖²/(2C), the LIBLINEAR form (intercept b unpenalized;
//! without a ridge, the loss alone).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use faer::Mat;

use super::loss::{softmax, Loss};
use crate::linalg::{dot, Design, Layout};
use crate::objective::{Curvature, FiniteSum, Line, LinearOperator, Objective};

mod bound;
mod dual;
mod sampled;
pub use bound::GlmBound;
pub use sampled::GlmBatchHessian;

/// A regularized GLM objective over a design matrix.
///
/// Value and gradient cost two passes over X (scores X·w, then Xᵀ·g); the scores of the last
/// point evaluated are kept, so the Hessian at that point and a line search from it need no
/// extra pass. Each Hessian-vector product is one fused pass.
pub struct Glm<'a> {
    x: &'a Design,
    layout: Layout,
    loss: Loss,
    /// ±1 for binary losses, class index for softmax, the target for least squares.
    targets: Vec<f64>,
    sample_weight: Option<Vec<f64>>,
    /// λ = 1/C, or 0 without a ridge.
    lambda: f64,
    passes: AtomicU64,
    /// Rows read by sub-sampled products, counted as rows/n passes.
    rows: AtomicU64,
    /// Scores X̃·w of the last point evaluated.
    last: Mutex<Option<Scores>>,
}

struct Scores {
    w: Vec<f64>,
    z: Vec<f64>,
}

impl<'a> Glm<'a> {
    /// The objective for `loss` on X with encoded `targets` (see [`super::Classes::encode`]),
    /// `k` outputs (classes for softmax, else 1), ridge λ/2·‖W‖² (λ = 1/C, or 0).
    pub(crate) fn new(
        x: &'a Design,
        loss: Loss,
        targets: Vec<f64>,
        k: usize,
        lambda: f64,
        intercept: bool,
        sample_weight: Option<Vec<f64>>,
    ) -> Self {
        Glm {
            layout: Layout {
                d: x.ncols(),
                k,
                intercept,
            },
            x,
            loss,
            targets,
            sample_weight,
            lambda,
            passes: AtomicU64::new(0),
            rows: AtomicU64::new(0),
            last: Mutex::new(None),
        }
    }

    /// How the parameters are laid out.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    pub fn loss(&self) -> Loss {
        self.loss
    }

    /// The design matrix.
    pub fn design(&self) -> &Design {
        self.x
    }

    /// The weight λ = 1/C of the ridge term ‖W‖²/2 (0 without a ridge).
    pub fn l2_strength(&self) -> f64 {
        self.lambda
    }

    /// The per-sample curvature D at `w` for a single-score loss (sᵢ·ℓ''ᵢ), or the softmax
    /// probabilities sᵢ·pᵢ (n × k): the Hessian is X̃ᵀ·D·X̃ + λI with D built from these.
    pub fn curvature(&self, w: &[f64]) -> Vec<f64> {
        let z = self.scores(w);
        let out = self.curvature_weights(&z);
        self.remember(w, z);
        out
    }

    /// Adds `passes` passes over the data to the count (for kernels outside this type).
    pub(crate) fn count(&self, passes: u64) {
        self.passes.fetch_add(passes, Ordering::Relaxed);
    }

    /// Scores of row i at `w` into `z` (k entries).
    fn row_scores(&self, i: usize, w: &[f64], z: &mut [f64]) {
        let d = self.layout.d;
        let bias = self.layout.intercept_of(w);
        for (c, zc) in z.iter_mut().enumerate() {
            *zc = self.x.row_dot(i, &w[c * d..(c + 1) * d]) + bias.map_or(0.0, |b| b[c]);
        }
    }

    /// Adds `rows` rows read (by sub-sampled work) to the count, as rows/n passes.
    fn count_rows(&self, rows: usize) {
        self.rows.fetch_add(rows as u64, Ordering::Relaxed);
    }

    fn weight(&self, i: usize) -> f64 {
        self.sample_weight.as_ref().map_or(1.0, |s| s[i])
    }

    /// ½·λ·‖W‖², the intercepts excluded.
    fn penalty(&self, w: &[f64]) -> f64 {
        let wd = &w[..self.layout.k * self.layout.d];
        0.5 * self.lambda * dot(wd, wd)
    }

    /// Scores at `w`, from the cache when `w` was the last point evaluated.
    fn scores(&self, w: &[f64]) -> Vec<f64> {
        if let Some(s) = self.last.lock().unwrap().as_ref() {
            if s.w == w {
                return s.z.clone();
            }
        }
        let mut z = vec![0.0; self.x.nrows() * self.layout.k];
        self.x.scores(self.layout, w, &mut z);
        self.count(1);
        z
    }

    fn remember(&self, w: &[f64], z: Vec<f64>) {
        *self.last.lock().unwrap() = Some(Scores { w: w.to_vec(), z });
    }

    /// Σᵢ sᵢ·ℓᵢ over scores z; writes sᵢ·∂ℓᵢ/∂z into `g` when given.
    fn data_loss(&self, z: &[f64], mut g: Option<&mut [f64]>) -> f64 {
        let k = self.layout.k;
        let mut total = 0.0;
        let mut p = vec![0.0; k];
        for (i, zi) in z.chunks_exact(k).enumerate() {
            let s = self.weight(i);
            let y = self.targets[i];
            if self.loss == Loss::Softmax {
                let lse = softmax(zi, &mut p);
                let yc = y as usize;
                total += s * (lse - zi[yc]);
                if let Some(g) = g.as_deref_mut() {
                    let gi = &mut g[i * k..(i + 1) * k];
                    for (gc, pc) in gi.iter_mut().zip(&p) {
                        *gc = s * pc;
                    }
                    gi[yc] -= s;
                }
            } else {
                let (l, dl, _) = self.loss.scalar(y, zi[0]);
                total += s * l;
                if let Some(g) = g.as_deref_mut() {
                    g[i] = s * dl;
                }
            }
        }
        total
    }

    /// Per-sample curvature at scores z: sᵢ·ℓ''ᵢ for one score, sᵢ·pᵢ (the softmax) for K.
    fn curvature_weights(&self, z: &[f64]) -> Vec<f64> {
        let k = self.layout.k;
        let mut out = vec![0.0; z.len()];
        for (i, (zi, oi)) in z.chunks_exact(k).zip(out.chunks_exact_mut(k)).enumerate() {
            let s = self.weight(i);
            if self.loss == Loss::Softmax {
                softmax(zi, oi);
                oi.iter_mut().for_each(|p| *p *= s);
            } else {
                oi[0] = s * self.loss.scalar(self.targets[i], zi[0]).2;
            }
        }
        out
    }
}

impl Objective for Glm<'_> {
    fn dim(&self) -> usize {
        self.layout.dim()
    }

    fn value(&self, w: &[f64]) -> f64 {
        let z = self.scores(w);
        let f = self.data_loss(&z, None) + self.penalty(w);
        self.remember(w, z);
        f
    }

    fn value_grad(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        let z = self.scores(w);
        let mut g = vec![0.0; z.len()];
        let f = self.data_loss(&z, Some(&mut g)) + self.penalty(w);
        self.x.scores_adjoint(self.layout, &g, grad);
        self.count(1);
        let kd = self.layout.k * self.layout.d;
        for (gj, wj) in grad[..kd].iter_mut().zip(&w[..kd]) {
            *gj += self.lambda * wj;
        }
        self.remember(w, z);
        f
    }

    fn passes(&self) -> f64 {
        let rows = self.rows.load(Ordering::Relaxed) as f64 / self.x.nrows().max(1) as f64;
        self.passes.load(Ordering::Relaxed) as f64 + rows
    }

    /// Along a line the scores are affine in t: after one product X̃·d every trial step costs
    /// O(n·k) and no pass over X. The last trial point is remembered, so the gradient there
    /// costs one pass.
    fn line<'b>(&'b self, w: &[f64], d: &[f64]) -> Box<dyn Line + 'b> {
        let z0 = self.scores(w);
        let mut zd = vec![0.0; z0.len()];
        self.x.scores(self.layout, d, &mut zd);
        self.count(1);
        let kd = self.layout.k * self.layout.d;
        Box::new(GlmLine {
            glm: self,
            ww: dot(&w[..kd], &w[..kd]),
            wd: dot(&w[..kd], &d[..kd]),
            dd: dot(&d[..kd], &d[..kd]),
            w: w.to_vec(),
            d: d.to_vec(),
            z0,
            zd,
        })
    }
}

/// A [`Glm`] along w + t·d: scores z₀ + t·z_d, penalty ½λ(‖w‖² + 2t·w·d + t²‖d‖²).
struct GlmLine<'g, 'a> {
    glm: &'g Glm<'a>,
    w: Vec<f64>,
    d: Vec<f64>,
    z0: Vec<f64>,
    zd: Vec<f64>,
    ww: f64,
    wd: f64,
    dd: f64,
}

impl GlmLine<'_, '_> {
    fn eval(&self, t: f64, slope: bool) -> (f64, f64) {
        let glm = self.glm;
        let z: Vec<f64> = self
            .z0
            .iter()
            .zip(&self.zd)
            .map(|(a, b)| a + t * b)
            .collect();
        let (loss, s) = if slope {
            let mut g = vec![0.0; z.len()];
            let loss = glm.data_loss(&z, Some(&mut g));
            (
                loss,
                dot(&g, &self.zd) + glm.lambda * (self.wd + t * self.dd),
            )
        } else {
            (glm.data_loss(&z, None), 0.0)
        };
        let f = loss + 0.5 * glm.lambda * (self.ww + 2.0 * t * self.wd + t * t * self.dd);
        let wt: Vec<f64> = self.w.iter().zip(&self.d).map(|(a, b)| a + t * b).collect();
        glm.remember(&wt, z);
        (f, s)
    }
}

impl Line for GlmLine<'_, '_> {
    fn value(&self, t: f64) -> f64 {
        self.eval(t, false).0
    }
    fn value_slope(&self, t: f64) -> (f64, f64) {
        self.eval(t, true)
    }
}

/// The Hessian of a [`Glm`] at a point: X̃ᵀ·(per-sample curvature)·X̃ + λ·I on W.
pub struct GlmHessian<'g, 'a> {
    glm: &'g Glm<'a>,
    /// sᵢ·ℓ''ᵢ (k = 1) or sᵢ·pᵢ (softmax), n × k.
    weights: Vec<f64>,
}

impl LinearOperator for GlmHessian<'_, '_> {
    fn dim(&self) -> usize {
        self.glm.layout.dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let glm = self.glm;
        let k = glm.layout.k;
        let weights = &self.weights;
        if glm.loss == Loss::Softmax {
            // (diag(p) − p·pᵀ)·u, scaled by the sample weight already folded into p.
            glm.x.fused(
                glm.layout,
                v,
                |i, u| {
                    let p = &weights[i * k..(i + 1) * k];
                    let s = glm.weight(i);
                    if s == 0.0 {
                        u.fill(0.0);
                        return;
                    }
                    let pu = dot(p, u) / s;
                    for (uc, &pc) in u.iter_mut().zip(p) {
                        *uc = pc * (*uc - pu);
                    }
                },
                out,
            );
        } else {
            glm.x.fused(glm.layout, v, |i, u| u[0] *= weights[i], out);
        }
        glm.count(1);
        let kd = k * glm.layout.d;
        for (o, vj) in out[..kd].iter_mut().zip(&v[..kd]) {
            *o += glm.lambda * vj;
        }
    }

    fn diagonal(&self) -> Option<Vec<f64>> {
        let glm = self.glm;
        let k = glm.layout.k;
        let w: Vec<f64> = if glm.loss == Loss::Softmax {
            self.weights
                .chunks_exact(k)
                .enumerate()
                .flat_map(|(i, p)| {
                    let s = glm.weight(i);
                    p.iter()
                        .map(move |&pc| if s == 0.0 { 0.0 } else { pc * (1.0 - pc / s) })
                })
                .collect()
        } else {
            self.weights.clone()
        };
        let mut diag = vec![0.0; glm.layout.dim()];
        glm.x.weighted_sq_sums(glm.layout, &w, &mut diag);
        glm.count(1);
        let kd = k * glm.layout.d;
        diag[..kd].iter_mut().for_each(|x| *x += glm.lambda);
        Some(diag)
    }

    fn to_dense(&self) -> Mat<f64> {
        let glm = self.glm;
        let mut h = if glm.layout.k == 1 {
            glm.x.gram(&self.weights, glm.layout.intercept)
        } else {
            let s: Vec<f64> = (0..glm.x.nrows()).map(|i| glm.weight(i)).collect();
            glm.x.gram_multinomial(glm.layout, &self.weights, &s)
        };
        // One pass per class for the block diagonal, one for the low-rank part.
        glm.count(if glm.layout.k == 1 {
            1
        } else {
            glm.layout.k as u64 + 1
        });
        for j in 0..glm.layout.k * glm.layout.d {
            h[(j, j)] += glm.lambda;
        }
        h
    }
}

impl Curvature for Glm<'_> {
    type Hessian<'g>
        = GlmHessian<'g, 'g>
    where
        Self: 'g;

    fn hessian(&self, w: &[f64]) -> GlmHessian<'_, '_> {
        let z = self.scores(w);
        let weights = self.curvature_weights(&z);
        self.remember(w, z);
        GlmHessian { glm: self, weights }
    }
}

impl FiniteSum for Glm<'_> {
    fn n_terms(&self) -> usize {
        self.x.nrows()
    }

    /// f_B(w) = (n/|B|)·Σ_{i∈B} sᵢ·ℓᵢ + λ‖W‖²/2, the scale of [`FiniteSum`]. Reads each batch
    /// row twice (scores, then the gradient), counted as 2·|B|/n passes.
    fn value_grad_batch(&self, w: &[f64], batch: &[usize], grad: &mut [f64]) -> f64 {
        let (d, k) = (self.layout.d, self.layout.k);
        let scale = self.x.nrows() as f64 / batch.len().max(1) as f64;
        grad.fill(0.0);
        let mut total = 0.0;
        let (mut z, mut g, mut p) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
        for &i in batch {
            self.row_scores(i, w, &mut z);
            let s = self.weight(i) * scale;
            let y = self.targets[i];
            if self.loss == Loss::Softmax {
                let lse = softmax(&z, &mut p);
                total += s * (lse - z[y as usize]);
                for (gc, pc) in g.iter_mut().zip(&p) {
                    *gc = s * pc;
                }
                g[y as usize] -= s;
            } else {
                let (l, dl, _) = self.loss.scalar(y, z[0]);
                total += s * l;
                g[0] = s * dl;
            }
            self.x.add_scaled_row(self.layout, i, &g, grad);
        }
        self.count_rows(2 * batch.len());
        let kd = k * d;
        for (gj, wj) in grad[..kd].iter_mut().zip(&w[..kd]) {
            *gj += self.lambda * wj;
        }
        total + self.penalty(w)
    }
}
