//! The node learner: an online linear regressor towards targets ±1 with per-feature adaptive,
//! normalized, importance-invariant steps (NAG, Ross, Mineiro & Langford 2013, "Normalized
//! online learning"; the invariant step of Karampatziakis & Langford 2011).
//!
//! For every feature i it keeps sᵢ = max |xᵢ| seen and Gᵢ = Σ gᵢ² (gᵢ the loss gradient), and
//! globally t (updates) and N = Σₜ Σᵢ xᵢ²/sᵢ²; the per-feature rate is
//! aᵢ = η·√(t/N)/(sᵢ·√Gᵢ). When a larger |xᵢ| arrives, wᵢ is rescaled by sᵢ/|xᵢ| so past steps
//! stay normalized. The weights stay in the features' own scale, so a prediction is one plain
//! dot product.
//!
//! The loss is ½(p − y)² on the prediction p clipped to [−1, 1], the targets' range: an example
//! already beyond its target (y·h ≥ 1) costs nothing and changes nothing, so one-against-all's
//! many negatives stop pulling once they are scored below −1 (a squared hinge). The step is
//! the exact solution of the gradient flow of that loss along the update direction,
//! wᵢ ← wᵢ − aᵢ·xᵢ·(p − y)·(1 − e^{−q})/q with q = Σᵢ aᵢxᵢ², so the new prediction
//! y + (p − y)·e^{−q} never overshoots the target however large η is.

use super::rows::Row;

/// An online linear model h(x) = w·x + b.
#[derive(Clone, Debug)]
pub(crate) struct Regressor {
    /// d weights, then the bias.
    pub w: Vec<f64>,
    scale: Vec<f64>,
    grad_sq: Vec<f64>,
    /// N: the sum of the normalized squared norms Σᵢ xᵢ²/sᵢ² of the examples updated on.
    norm: f64,
    /// t: the updates done.
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

    /// One step on ½(clip(h(x)) − target)², `target` ∈ {−1, +1}; returns h(x) before the step
    /// (after the rescaling of features whose |xᵢ| exceeds their scale, which comes first so
    /// that the step's residual is that of the weights it moves).
    pub fn update(&mut self, x: Row<'_>, target: f64, eta: f64) -> f64 {
        let d = self.w.len() - 1;
        let mut norm = 1.0; // the bias: x = 1 = s
        x.for_each(|i, v| {
            let a = v.abs();
            if a == 0.0 {
                return;
            }
            if a > self.scale[i] {
                if self.scale[i] > 0.0 {
                    self.w[i] *= self.scale[i] / a;
                }
                self.scale[i] = a;
            }
            let r = v / self.scale[i];
            norm += r * r;
        });
        let h = self.predict(x);
        let residual = h.clamp(-1.0, 1.0) - target;
        if residual == 0.0 {
            return h;
        }
        self.seen += 1.0;
        self.norm += norm;
        let rate = eta * (self.seen / self.norm).sqrt();
        // Gᵢ, then q = Σ aᵢxᵢ² with aᵢ = rate/(sᵢ√Gᵢ) (the bias: x = s = 1).
        let r2 = residual * residual;
        let mut q = 0.0;
        x.for_each(|i, v| {
            if v != 0.0 {
                self.grad_sq[i] += r2 * v * v;
                q += v * v / (self.scale[i] * self.grad_sq[i].sqrt());
            }
        });
        self.grad_sq[d] += r2;
        q += 1.0 / self.grad_sq[d].sqrt();
        q *= rate;
        // (1 − e^{−q})/q, → 1 as q → 0.
        let shrink = if q > 1e-12 { -(-q).exp_m1() / q } else { 1.0 };
        let step = rate * residual * shrink;
        x.for_each(|i, v| {
            if v != 0.0 {
                self.w[i] -= step * v / (self.scale[i] * self.grad_sq[i].sqrt());
            }
        });
        self.w[d] -= step / self.grad_sq[d].sqrt();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(x: &[f64]) -> Row<'_> {
        Row::Dense(x)
    }

    #[test]
    fn an_example_beyond_its_target_changes_nothing() {
        let mut r = Regressor::new(2);
        for _ in 0..50 {
            r.update(dense(&[1.0, 0.0]), 1.0, 0.5);
            r.update(dense(&[0.0, 1.0]), 1.0, 0.5);
        }
        let x = [1.0, 1.0]; // within the scales seen: no rescaling
        let h = r.predict(dense(&x));
        assert!(h > 1.0, "h = {h}");
        let before = r.w.clone();
        assert_eq!(r.update(dense(&x), 1.0, 0.5), h);
        assert_eq!(r.w, before);
        // On the wrong side the same example moves the weights.
        r.update(dense(&x), -1.0, 0.5);
        assert_ne!(r.w, before);
    }

    #[test]
    fn a_step_never_overshoots_its_target_however_large_the_rate() {
        let x = [0.3, 2.0, -1.0, 0.0];
        for eta in [0.1, 1.0, 10.0, 1e6] {
            let mut r = Regressor::new(4);
            r.update(dense(&[0.1, 0.1, 0.1, 5.0]), -1.0, eta);
            let p = r.predict(dense(&x)).clamp(-1.0, 1.0);
            r.update(dense(&x), 1.0, eta);
            let q = r.predict(dense(&x));
            assert!(q > p && q <= 1.0 + 1e-12, "η = {eta}: {p} → {q}");
        }
    }

    #[test]
    fn predictions_do_not_depend_on_the_features_scale() {
        // The same stream with feature 1 in units 1000× smaller: the same predictions.
        let xs: Vec<[f64; 2]> = (0..60)
            .map(|i| {
                let t = i as f64;
                [(0.7 * t).sin(), (1.3 * t).cos() + 0.2]
            })
            .collect();
        let (mut a, mut b) = (Regressor::new(2), Regressor::new(2));
        for (i, x) in xs.iter().enumerate() {
            let y = if x[0] + 0.5 * x[1] > 0.1 { 1.0 } else { -1.0 };
            let scaled = [x[0], 1e-3 * x[1]];
            let ha = a.update(dense(x), y, 0.5);
            let hb = b.update(dense(&scaled), y, 0.5);
            assert!(
                (ha - hb).abs() < 1e-9 * (1.0 + ha.abs()),
                "step {i}: {ha} {hb}"
            );
        }
    }

    #[test]
    fn zero_entries_of_a_dense_row_act_as_absent() {
        let (mut a, mut b) = (Regressor::new(3), Regressor::new(3));
        for (i, y) in [(0usize, 1.0), (1, -1.0), (2, 1.0), (0, -1.0)] {
            let mut x = [0.0; 3];
            x[i] = 1.0 + i as f64;
            let idx = [i as u32];
            let v = [x[i]];
            assert_eq!(
                a.update(dense(&x), y, 0.5),
                b.update(Row::Sparse(&idx, &v), y, 0.5)
            );
        }
        assert_eq!(a.w, b.w);
        assert!(a.w.iter().all(|w| w.is_finite()));
    }
}
