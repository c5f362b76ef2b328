//! The softmax GLM's quadratic upper bound ([`QuadraticBound`]): Σ = Σᵢ sᵢ·Bᵢ ⊗ x̃ᵢx̃ᵢᵀ + λI
//! with Bᵢ the Jebara–Choromanska bound at xᵢ's scores, or Böhning's ½(I − 11ᵀ/k). A product
//! is one fused pass, O(kd + k) per row; the kd × kd matrix is never formed.

use super::super::bound::{bohning_apply, ScoreBound};
use super::super::loss::Loss;
use super::Glm;
use crate::error::{Error, Result};
use crate::objective::LinearOperator;
use crate::solvers::{BoundKind, QuadraticBound};

/// Σ of a softmax [`Glm`] at a point.
pub struct GlmBound<'g, 'a> {
    glm: &'g Glm<'a>,
    /// One bound per row; none for Böhning's.
    rows: Option<Vec<ScoreBound>>,
}

impl LinearOperator for GlmBound<'_, '_> {
    fn dim(&self) -> usize {
        self.glm.layout.dim()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let glm = self.glm;
        let k = glm.layout.k;
        glm.x.fused(
            glm.layout,
            v,
            |i, u| {
                let s = glm.weight(i);
                let mut t = vec![0.0; k];
                match &self.rows {
                    Some(rows) => rows[i].apply(u, &mut t),
                    None => bohning_apply(u, &mut t),
                }
                for (uc, tc) in u.iter_mut().zip(&t) {
                    *uc = s * tc;
                }
            },
            out,
        );
        glm.count(1);
        let kd = k * glm.layout.d;
        for (o, vj) in out[..kd].iter_mut().zip(&v[..kd]) {
            *o += glm.lambda * vj;
        }
    }
}

impl QuadraticBound for Glm<'_> {
    type Bound<'g>
        = GlmBound<'g, 'g>
    where
        Self: 'g;

    fn bound(&self, w: &[f64], kind: BoundKind) -> Result<GlmBound<'_, '_>> {
        if self.loss != Loss::Softmax {
            return Err(Error::invalid(format!(
                "bound majorization bounds a softmax log-partition; the loss is {}",
                self.loss
            )));
        }
        let rows = match kind {
            BoundKind::Fixed => None,
            BoundKind::Adaptive => {
                let z = self.scores(w);
                let rows = z.chunks_exact(self.layout.k).map(ScoreBound::new).collect();
                self.remember(w, z);
                Some(rows)
            }
        };
        Ok(GlmBound { glm: self, rows })
    }
}
