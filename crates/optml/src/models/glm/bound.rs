//! Quadratic upper bounds on the softmax log-partition log Z(z) = log Σ_c exp(z_c) of one
//! example's scores z: log Z(z + δ) ≤ log Z(z) + pᵀδ + ½·δᵀBδ for every δ, tight at δ = 0 with
//! the exact gradient p = softmax(z), and B ⪰ ∇² log Z = diag(p) − ppᵀ.
//!
//! * Jebara & Choromanska ([`ScoreBound`]): the bound of Jebara & Choromanska (2012), "Majorization for CRFs and
//!   latent likelihoods", Algorithm 1: adding the classes one at a time, with α_q = exp(z_q) and
//!   Z_{q−1} = α₁ + … + α_{q−1}, B = Σ_{q≥2} w_q·l_q·l_qᵀ where l_q = e_q − m_{q−1} (m the running
//!   α-weighted mean of the e's) and w_q = tanh(r/2)/(2r), r = log(α_q/Z_{q−1}). It adapts to z: a
//!   confident example (one large α) gets a small B.
//! * Böhning ([`bohning_apply`]): Böhning's (1992) fixed bound B = ½(I − 11ᵀ/k), the same for every z.
//!
//! For a linear model, scores z = W·x give the parameter-space bound Σ = B ⊗ x·xᵀ, whose product
//! with a direction V costs O(kd + k) here: u = V·x, then B·u in O(k) (below), then u ⊗ x.
//! The classes are added with the largest score first, so the prefix sums Z_q never underflow.

/// The bound of one example at its scores: what B·u needs, O(k) numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreBound {
    /// Class order: the largest score first, then the others ascending.
    order: Vec<u32>,
    /// α_q = exp(z_q − max z), in `order`.
    alpha: Vec<f64>,
    /// Z_q = α₁ + … + α_q, in `order`.
    prefix: Vec<f64>,
    /// w_q (0 for q = 1), in `order`.
    w: Vec<f64>,
}

/// tanh(r/2)/(2r), 1/4 at r = 0, 0 at r = −∞.
fn weight(r: f64) -> f64 {
    if r.abs() < 1e-4 {
        0.25 - r * r / 48.0
    } else if r == f64::NEG_INFINITY {
        0.0
    } else {
        (0.5 * r).tanh() / (2.0 * r)
    }
}

impl ScoreBound {
    /// Algorithm 1 of Jebara & Choromanska at scores `z`.
    pub fn new(z: &[f64]) -> ScoreBound {
        let k = z.len();
        let top = (0..k).fold(0, |b, c| if z[c] > z[b] { c } else { b });
        let order: Vec<u32> = std::iter::once(top)
            .chain((0..k).filter(|&c| c != top))
            .map(|c| c as u32)
            .collect();
        let zmax = z[top];
        let alpha: Vec<f64> = order
            .iter()
            .map(|&c| (z[c as usize] - zmax).exp())
            .collect();
        let mut prefix = Vec::with_capacity(k);
        let mut w = Vec::with_capacity(k);
        let mut total = 0.0f64;
        for (q, &a) in alpha.iter().enumerate() {
            w.push(if q == 0 {
                0.0
            } else {
                // r = log(α_q/Z_{q−1}) from the scores, so that α_q = 0 gives r = −∞.
                weight(z[order[q] as usize] - zmax - total.ln())
            });
            total += a;
            prefix.push(total);
        }
        ScoreBound {
            order,
            alpha,
            prefix,
            w,
        }
    }

    /// out = B·u in O(k): with c_q = l_qᵀu = u_q − m_{q−1}ᵀu (a running mean), B·u =
    /// Σ_q w_q·c_q·(e_q − m_{q−1}), and the m-terms add up as a suffix sum.
    pub fn apply(&self, u: &[f64], out: &mut [f64]) {
        let k = self.order.len();
        out.fill(0.0);
        let mut c = vec![0.0; k];
        let mut mean = u[self.order[0] as usize];
        for (q, cq) in c.iter_mut().enumerate().skip(1) {
            let cls = self.order[q] as usize;
            *cq = u[cls] - mean;
            mean += self.alpha[q] / self.prefix[q] * *cq;
            out[cls] += self.w[q] * *cq;
        }
        let mut suffix = 0.0;
        for i in (0..k).rev() {
            out[self.order[i] as usize] -= self.alpha[i] * suffix;
            if i >= 1 {
                suffix += self.w[i] * c[i] / self.prefix[i - 1];
            }
        }
    }
}

/// out = B·u for Böhning's bound: ½(u − mean(u)).
pub fn bohning_apply(u: &[f64], out: &mut [f64]) {
    let mean = u.iter().sum::<f64>() / u.len().max(1) as f64;
    for (o, x) in out.iter_mut().zip(u) {
        *o = 0.5 * (x - mean);
    }
}
