//! The node learner: an online linear regressor on squared loss with per-feature adaptive,
//! normalized steps (NAG, Ross, Mineiro & Langford 2013), invariant to each feature's scale.
//!
//! For every feature i it keeps sᵢ = max |xᵢ| seen and Gᵢ = Σ gᵢ² (gᵢ the loss gradient), and
//! globally N = Σₜ Σᵢ xᵢ²/sᵢ²; a step is wᵢ ← wᵢ − η·√(t/N)·gᵢ/(sᵢ·√Gᵢ). When a larger |xᵢ|
//! arrives, wᵢ is rescaled by sᵢ²/xᵢ² so past steps stay normalized. The weights stay in the
//! features' own scale, so a prediction is one plain dot product.

use super::rows::Row;

/// An online linear model h(x) = w·x + b.
#[derive(Clone, Debug)]
pub(crate) struct Regressor {
    /// d weights, then the bias.
    pub w: Vec<f64>,
    scale: Vec<f64>,
    grad_sq: Vec<f64>,
    /// N: the sum of the normalized squared norms Σᵢ xᵢ²/sᵢ² of the examples seen.
    norm: f64,
    /// t: the examples seen.
    seen: f64,
}

impl Regressor {
    /// A zero model over `d` features (and a bias).
    pub fn new(d: usize) -> Regressor {
        let mut scale = vec![0.0; d + 1];
        scale[d] = 1.0;
        Regressor {
            w: vec![0.0; d + 1],
            scale,
            grad_sq: vec![0.0; d + 1],
            norm: 0.0,
            seen: 0.0,
        }
    }

    /// Back to the zero model, keeping the buffers.
    pub fn reset(&mut self) {
        let d = self.w.len() - 1;
        self.w.fill(0.0);
        self.scale.fill(0.0);
        self.scale[d] = 1.0;
        self.grad_sq.fill(0.0);
        self.norm = 0.0;
        self.seen = 0.0;
    }

    /// h(x) = w·x + b.
    #[inline]
    pub fn predict(&self, x: Row<'_>) -> f64 {
        score(&self.w, x)
    }

    /// One NAG step on ½(h(x) − target)²; returns h(x) before the step.
    pub fn update(&mut self, x: Row<'_>, target: f64, eta: f64) -> f64 {
        let d = self.w.len() - 1;
        let mut norm = 1.0; // the bias: x = 1 = s
                            // A zero entry carries nothing (a dense row's zeros, as a sparse row's absent ones);
                            // skipping it also keeps a feature never seen non-zero (scale 0) from dividing 0 by 0.
        x.for_each(|i, v| {
            if v == 0.0 {
                return;
            }
            let a = v.abs();
            if a > self.scale[i] {
                if self.scale[i] > 0.0 {
                    let r = self.scale[i] / a;
                    self.w[i] *= r * r;
                }
                self.scale[i] = a;
            }
            let r = v / self.scale[i];
            norm += r * r;
        });
        let h = self.predict(x);
        self.seen += 1.0;
        self.norm += norm;
        let residual = h - target;
        if residual == 0.0 {
            return h;
        }
        let rate = eta * (self.seen / self.norm).sqrt();
        let mut step = |i: usize, v: f64, w: &mut Vec<f64>| {
            let g = residual * v;
            self.grad_sq[i] += g * g;
            w[i] -= rate * g / (self.scale[i] * self.grad_sq[i].sqrt());
        };
        x.for_each(|i, v| {
            if v != 0.0 {
                step(i, v, &mut self.w)
            }
        });
        step(d, 1.0, &mut self.w);
        h
    }
}

/// w·x + w_d (the last entry of `w` is the bias).
#[inline]
pub(crate) fn score(w: &[f64], x: Row<'_>) -> f64 {
    let d = w.len() - 1;
    // One summation order for dense and sparse rows, so both give the same bits.
    let dot = match x {
        Row::Dense(v) => w[..d].iter().zip(v).map(|(w, x)| w * x).sum::<f64>(),
        Row::Sparse(idx, v) => idx.iter().zip(v).map(|(&i, x)| w[i as usize] * x).sum(),
    };
    dot + w[d]
}
