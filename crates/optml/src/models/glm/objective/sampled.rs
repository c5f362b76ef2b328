//! The sub-sampled Hessian of a [`Glm`]: (n/|B|)·Σ_{i∈B} x̃ᵢ·cᵢ·x̃ᵢᵀ + λ·I on W, with cᵢ the
//! per-sample curvature (sᵢ·ℓ''ᵢ, or sᵢ·(diag(pᵢ) − pᵢpᵢᵀ) for softmax), as sub-sampled
//! Newton methods use it (Byrd, Chin, Neveitt & Nocedal 2011).

use super::super::loss::{softmax, Loss};
use super::Glm;
use crate::linalg::dot;
use crate::objective::{LinearOperator, SampledCurvature};

/// [`Glm`]'s Hessian on a batch of rows. Building it reads the batch once (its scores at w);
/// each product reads it once more.
pub struct GlmBatchHessian<'g, 'a> {
    glm: &'g Glm<'a>,
    batch: Vec<usize>,
    /// Per batch row: sᵢ·ℓ''ᵢ (k = 1) or sᵢ·pᵢ (softmax), |B| × k.
    weights: Vec<f64>,
    /// n/|B|.
    scale: f64,
}

impl SampledCurvature for Glm<'_> {
    type BatchHessian<'g>
        = GlmBatchHessian<'g, 'g>
    where
        Self: 'g;

    /// Panics if an index is out of range (`batch` comes from the solver, not from a user).
    fn hessian_batch(&self, w: &[f64], batch: &[usize]) -> GlmBatchHessian<'_, '_> {
        let n = self.x.nrows();
        assert!(batch.iter().all(|&i| i < n), "batch index out of range");
        let k = self.layout.k;
        let mut weights = vec![0.0; batch.len() * k];
        let mut z = vec![0.0; k];
        for (&i, out) in batch.iter().zip(weights.chunks_exact_mut(k)) {
            self.row_scores(i, w, &mut z);
            let s = self.weight(i);
            if self.loss == Loss::Softmax {
                softmax(&z, out);
                out.iter_mut().for_each(|p| *p *= s);
            } else {
                out[0] = s * self.loss.scalar(self.targets[i], z[0]).2;
            }
        }
        self.count_rows(batch.len());
        GlmBatchHessian {
            glm: self,
            batch: batch.to_vec(),
            weights,
            scale: n as f64 / batch.len().max(1) as f64,
        }
    }
}

impl LinearOperator for GlmBatchHessian<'_, '_> {
    fn dim(&self) -> usize {
        self.glm.layout.dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let glm = self.glm;
        let k = glm.layout.k;
        out.fill(0.0);
        let mut u = vec![0.0; k];
        for (b, &i) in self.batch.iter().enumerate() {
            glm.row_scores(i, v, &mut u);
            let wts = &self.weights[b * k..(b + 1) * k];
            if glm.loss == Loss::Softmax {
                let s = glm.weight(i);
                if s == 0.0 {
                    continue;
                }
                // (diag(p) − p·pᵀ/s)·u with p already scaled by s.
                let pu = dot(wts, &u) / s;
                for (uc, &pc) in u.iter_mut().zip(wts) {
                    *uc = self.scale * pc * (*uc - pu);
                }
            } else {
                u[0] *= self.scale * wts[0];
            }
            glm.x.add_scaled_row(glm.layout, i, &u, out);
        }
        glm.count_rows(self.batch.len());
        let kd = k * glm.layout.d;
        for (o, vj) in out[..kd].iter_mut().zip(&v[..kd]) {
            *o += glm.lambda * vj;
        }
    }
}
