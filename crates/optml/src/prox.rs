//! Non-smooth regularizers h with a cheap proximal operator, for composite problems
//! min F(w) = f(w) + h(w) with f smooth.
//!
//! prox_{t·h}(v) = argmin_p ½‖p − v‖² + t·h(p) (Moreau 1965; Parikh & Boyd 2014, §6). Each
//! regularizer separates over *blocks* (single coordinates for L1 and the elastic net, groups
//! for the group lasso, singletons for the unpenalized coordinates), which is what coordinate
//! descent and support identification work with. The stopping measure of every composite
//! solver is ‖min-norm element of ∇f(w) + ∂h(w)‖, which is 0 exactly at a minimizer of a
//! convex F.

use crate::error::{Error, Result};

/// A block-separable convex regularizer h(w) = Σ_b h_b(w_b).
pub trait Regularizer {
    /// Number of parameters.
    fn dim(&self) -> usize;
    /// Number of blocks; the blocks partition 0..dim.
    fn n_blocks(&self) -> usize;
    /// The indices of block `b`.
    fn block(&self, b: usize) -> &[usize];
    /// Whether h_b is non-smooth at w_b = 0 (false for unpenalized blocks).
    fn penalized(&self, b: usize) -> bool;
    /// h_b(w_b).
    fn block_value(&self, b: usize, wb: &[f64]) -> f64;
    /// prox_{t·h_b}(v_b) into `out`.
    fn block_prox(&self, b: usize, t: f64, vb: &[f64], out: &mut [f64]);
    /// The minimum-norm element of g_b + ∂h_b(w_b) into `out`.
    fn block_min_norm(&self, b: usize, wb: &[f64], gb: &[f64], out: &mut [f64]);
    /// ∇h_b(w_b) where h_b is smooth at w_b (on the current face: nonzero groups, fixed signs).
    fn block_grad(&self, b: usize, wb: &[f64], out: &mut [f64]);
    /// ∇²h_b(w_b)·v_b added to `out`, where h_b is smooth at w_b.
    fn block_hess_add(&self, b: usize, wb: &[f64], vb: &[f64], out: &mut [f64]);
    /// Whether `new` lies on the same face as `old` (no coordinate of an L1 block changed sign).
    fn same_face(&self, _b: usize, _old: &[f64], _new: &[f64]) -> bool {
        true
    }

    /// h(w).
    fn value(&self, w: &[f64]) -> f64 {
        let mut buf = Vec::new();
        (0..self.n_blocks())
            .map(|b| {
                gather(self.block(b), w, &mut buf);
                self.block_value(b, &buf)
            })
            .sum()
    }

    /// prox_{t·h}(v) into `out`.
    fn prox(&self, t: f64, v: &[f64], out: &mut [f64]) {
        let (mut vb, mut ob) = (Vec::new(), Vec::new());
        for b in 0..self.n_blocks() {
            let idx = self.block(b);
            gather(idx, v, &mut vb);
            ob.resize(idx.len(), 0.0);
            self.block_prox(b, t, &vb, &mut ob);
            scatter(idx, &ob, out);
        }
    }

    /// The minimum-norm element of g + ∂h(w) into `out` (g = ∇f(w)).
    fn min_norm_subgradient(&self, w: &[f64], g: &[f64], out: &mut [f64]) {
        let (mut wb, mut gb, mut ob) = (Vec::new(), Vec::new(), Vec::new());
        for b in 0..self.n_blocks() {
            let idx = self.block(b);
            gather(idx, w, &mut wb);
            gather(idx, g, &mut gb);
            ob.resize(idx.len(), 0.0);
            self.block_min_norm(b, &wb, &gb, &mut ob);
            scatter(idx, &ob, out);
        }
    }

    /// ‖min-norm element of g + ∂h(w)‖₂, the composite optimality measure.
    fn optimality(&self, w: &[f64], g: &[f64]) -> f64 {
        let mut out = vec![0.0; w.len()];
        self.min_norm_subgradient(w, g, &mut out);
        crate::linalg::norm(&out)
    }
}

/// `out = v[idx]`.
pub(crate) fn gather(idx: &[usize], v: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.extend(idx.iter().map(|&i| v[i]));
}

/// `out[idx] = v`.
pub(crate) fn scatter(idx: &[usize], v: &[f64], out: &mut [f64]) {
    for (&i, &x) in idx.iter().zip(v) {
        out[i] = x;
    }
}

/// Soft thresholding: sign(v)·max(|v| − τ, 0), the prox of τ|·|.
#[inline]
pub fn soft_threshold(v: f64, tau: f64) -> f64 {
    if v > tau {
        v - tau
    } else if v < -tau {
        v + tau
    } else {
        0.0
    }
}

/// The elastic net λ(α‖w_P‖₁ + (1−α)/2·‖w_P‖²) over the first `penalized` coordinates P
/// (Zou & Hastie 2005); α = 1 is the lasso (Tibshirani 1996). The remaining coordinates (the
/// intercepts of a GLM's layout) are left unpenalized.
#[derive(Clone, Debug)]
pub struct ElasticNet {
    lambda: f64,
    alpha: f64,
    penalized: usize,
    index: Vec<usize>,
}

impl ElasticNet {
    /// λ‖w‖₁ on the first `penalized` of `dim` coordinates.
    pub fn l1(lambda: f64, penalized: usize, dim: usize) -> Result<Self> {
        Self::new(lambda, 1.0, penalized, dim)
    }

    /// λ(α‖w‖₁ + (1−α)/2‖w‖²) on the first `penalized` of `dim` coordinates; 0 < α ≤ 1.
    pub fn new(lambda: f64, alpha: f64, penalized: usize, dim: usize) -> Result<Self> {
        if !(lambda.is_finite() && lambda >= 0.0) {
            return Err(Error::invalid(format!(
                "the L1 strength λ must be finite and ≥ 0, got {lambda}"
            )));
        }
        if !(alpha > 0.0 && alpha <= 1.0) {
            return Err(Error::invalid(format!(
                "the elastic-net mix α must be in (0, 1], got {alpha}"
            )));
        }
        if penalized > dim {
            return Err(Error::invalid(format!(
                "{penalized} penalized coordinates out of {dim}"
            )));
        }
        Ok(ElasticNet {
            lambda,
            alpha,
            penalized,
            index: (0..dim).collect(),
        })
    }

    /// λ·α, the weight of the L1 part.
    pub fn l1_strength(&self) -> f64 {
        self.lambda * self.alpha
    }

    /// λ·(1−α), the weight of the ridge part.
    pub fn l2_strength(&self) -> f64 {
        self.lambda * (1.0 - self.alpha)
    }
}

impl Regularizer for ElasticNet {
    fn dim(&self) -> usize {
        self.index.len()
    }
    fn n_blocks(&self) -> usize {
        self.index.len()
    }
    fn block(&self, b: usize) -> &[usize] {
        &self.index[b..b + 1]
    }
    fn penalized(&self, b: usize) -> bool {
        b < self.penalized && self.l1_strength() > 0.0
    }
    fn block_value(&self, b: usize, wb: &[f64]) -> f64 {
        if b >= self.penalized {
            return 0.0;
        }
        self.l1_strength() * wb[0].abs() + 0.5 * self.l2_strength() * wb[0] * wb[0]
    }
    fn block_prox(&self, b: usize, t: f64, vb: &[f64], out: &mut [f64]) {
        out[0] = if b >= self.penalized {
            vb[0]
        } else {
            soft_threshold(vb[0], t * self.l1_strength()) / (1.0 + t * self.l2_strength())
        };
    }
    fn block_min_norm(&self, b: usize, wb: &[f64], gb: &[f64], out: &mut [f64]) {
        let (w, g) = (wb[0], gb[0]);
        out[0] = if b >= self.penalized {
            g
        } else {
            let l1 = self.l1_strength();
            let g = g + self.l2_strength() * w;
            if w != 0.0 {
                g + l1 * w.signum()
            } else {
                soft_threshold(g, l1)
            }
        };
    }
    fn block_grad(&self, b: usize, wb: &[f64], out: &mut [f64]) {
        out[0] = if b >= self.penalized {
            0.0
        } else {
            let s = if wb[0] == 0.0 { 0.0 } else { wb[0].signum() };
            self.l1_strength() * s + self.l2_strength() * wb[0]
        };
    }
    fn block_hess_add(&self, b: usize, _wb: &[f64], vb: &[f64], out: &mut [f64]) {
        if b < self.penalized {
            out[0] += self.l2_strength() * vb[0];
        }
    }
    fn same_face(&self, b: usize, old: &[f64], new: &[f64]) -> bool {
        b >= self.penalized || old[0] * new[0] > 0.0
    }
}

/// The group lasso λ·Σ_g √|g|·‖w_g‖₂ (Yuan & Lin 2006) over disjoint groups of coordinates;
/// coordinates in no group (intercepts, say) are unpenalized.
#[derive(Clone, Debug)]
pub struct GroupLasso {
    lambda: f64,
    /// Groups, then one singleton per unpenalized coordinate.
    blocks: Vec<Vec<usize>>,
    n_groups: usize,
    dim: usize,
}

impl GroupLasso {
    /// Checks that the groups are non-empty, disjoint and inside 0..dim.
    pub fn new(lambda: f64, groups: Vec<Vec<usize>>, dim: usize) -> Result<Self> {
        if !(lambda.is_finite() && lambda >= 0.0) {
            return Err(Error::invalid(format!(
                "the group-lasso strength λ must be finite and ≥ 0, got {lambda}"
            )));
        }
        let mut owner = vec![usize::MAX; dim];
        for (gi, g) in groups.iter().enumerate() {
            if g.is_empty() {
                return Err(Error::invalid(format!("group {gi} is empty")));
            }
            for &j in g {
                if j >= dim {
                    return Err(Error::invalid(format!(
                        "group {gi} holds index {j}, outside 0..{dim}"
                    )));
                }
                if owner[j] != usize::MAX {
                    return Err(Error::invalid(format!(
                        "index {j} is in both group {} and group {gi}",
                        owner[j]
                    )));
                }
                owner[j] = gi;
            }
        }
        let n_groups = groups.len();
        let mut blocks = groups;
        blocks.extend(
            (0..dim)
                .filter(|&j| owner[j] == usize::MAX)
                .map(|j| vec![j]),
        );
        Ok(GroupLasso {
            lambda,
            blocks,
            n_groups,
            dim,
        })
    }

    /// λ·√|g|, the weight of group `b`.
    fn weight(&self, b: usize) -> f64 {
        self.lambda * (self.blocks[b].len() as f64).sqrt()
    }

    /// The groups (without the unpenalized coordinates).
    pub fn groups(&self) -> &[Vec<usize>] {
        &self.blocks[..self.n_groups]
    }
}

impl Regularizer for GroupLasso {
    fn dim(&self) -> usize {
        self.dim
    }
    fn n_blocks(&self) -> usize {
        self.blocks.len()
    }
    fn block(&self, b: usize) -> &[usize] {
        &self.blocks[b]
    }
    fn penalized(&self, b: usize) -> bool {
        b < self.n_groups && self.lambda > 0.0
    }
    fn block_value(&self, b: usize, wb: &[f64]) -> f64 {
        if b >= self.n_groups {
            return 0.0;
        }
        self.weight(b) * crate::linalg::norm(wb)
    }
    fn block_prox(&self, b: usize, t: f64, vb: &[f64], out: &mut [f64]) {
        // Block soft thresholding: v·max(0, 1 − tλ√|g|/‖v‖).
        let scale = if b >= self.n_groups {
            1.0
        } else {
            let nv = crate::linalg::norm(vb);
            let tau = t * self.weight(b);
            if nv > tau {
                1.0 - tau / nv
            } else {
                0.0
            }
        };
        for (o, v) in out.iter_mut().zip(vb) {
            *o = scale * v;
        }
    }
    fn block_min_norm(&self, b: usize, wb: &[f64], gb: &[f64], out: &mut [f64]) {
        out.copy_from_slice(gb);
        if b >= self.n_groups {
            return;
        }
        let c = self.weight(b);
        let nw = crate::linalg::norm(wb);
        if nw > 0.0 {
            for (o, w) in out.iter_mut().zip(wb) {
                *o += c * w / nw;
            }
        } else {
            // g + c·u over ‖u‖ ≤ 1: shrink g by c towards 0.
            let ng = crate::linalg::norm(gb);
            let scale = if ng > c { 1.0 - c / ng } else { 0.0 };
            out.iter_mut().for_each(|o| *o *= scale);
        }
    }
    fn block_grad(&self, b: usize, wb: &[f64], out: &mut [f64]) {
        let nw = crate::linalg::norm(wb);
        if b >= self.n_groups || nw == 0.0 {
            out.fill(0.0);
            return;
        }
        let c = self.weight(b);
        for (o, w) in out.iter_mut().zip(wb) {
            *o = c * w / nw;
        }
    }
    fn block_hess_add(&self, b: usize, wb: &[f64], vb: &[f64], out: &mut [f64]) {
        // ∇²(c‖w‖) = c/‖w‖·(I − wwᵀ/‖w‖²).
        let nw = crate::linalg::norm(wb);
        if b >= self.n_groups || nw == 0.0 {
            return;
        }
        let c = self.weight(b) / nw;
        let wv = crate::linalg::dot(wb, vb) / (nw * nw);
        for ((o, v), w) in out.iter_mut().zip(vb).zip(wb) {
            *o += c * (v - wv * w);
        }
    }
}
