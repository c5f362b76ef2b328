//! The hidden-unit symmetries of an MLP: permuting the units of a hidden layer (and, for odd σ
//! such as tanh, flipping the sign of a unit's incoming and outgoing weights) leaves the network
//! function and the loss unchanged, so every minimum comes with many copies.
//!
//! The maximally invariant saddle (Parker-Holder et al. 2020, "Ridge rider", §3): all
//! weights zero, so every hidden unit computes the same constant and the point is fixed by every
//! permutation (and, for odd σ, sign flip) of the hidden units, with the output bias at the
//! optimum of the constant model. There ∇f = 0: the output gradient Σᵢ δᵢ vanishes at the
//! optimal bias, so ∂f/∂W_L = (Σᵢ δᵢ)·aᵀ = 0 for the constant hidden activations a, and back-
//! propagation through W_L = 0 stops every earlier gradient. The Hessian couples each hidden
//! unit's incoming and outgoing weights through the class-conditional input means, which gives
//! its negative eigenvalues (each repeated once per hidden unit) where the data are informative.

use super::{Mlp, MlpLoss, Targets};
use crate::error::{Error, Result};
use crate::objective::Objective;

impl Mlp {
    /// θ with all weights and hidden biases zero and the output bias at the optimum of the
    /// constant model: log class frequencies (cross-entropy) or the mean target (squared error).
    /// An error when a class has no sample, where that optimum is at −∞.
    pub fn symmetric_saddle(&self) -> Result<Vec<f64>> {
        let mut theta = vec![0.0; self.dim()];
        let k = *self.sizes.last().unwrap_or(&0);
        let bias = {
            let l = self.layers() - 1;
            let (_, b) = self.layer_mut(&mut theta, l);
            b
        };
        match &self.targets {
            Targets::Classes(classes) => {
                let mut counts = vec![0usize; k];
                for &c in classes {
                    counts[c] += 1;
                }
                if let Some(c) = counts.iter().position(|&c| c == 0) {
                    return Err(Error::invalid(format!(
                        "class {c} has no sample: the constant model's optimum is at infinity"
                    )));
                }
                for (b, &c) in bias.iter_mut().zip(&counts) {
                    *b = (c as f64 / self.n as f64).ln();
                }
            }
            Targets::Values(y) => {
                for row in y.chunks_exact(k) {
                    for (b, v) in bias.iter_mut().zip(row) {
                        *b += v;
                    }
                }
                bias.iter_mut().for_each(|b| *b /= self.n as f64);
            }
        }
        Ok(theta)
    }

    /// Whether θ_a and θ_b compute the same function on the training inputs, up to the loss's
    /// own invariance: the outputs agree within `tol`·(1 + max |z|), after removing each row's
    /// mean for cross-entropy (softmax ignores a shift of the logits). Minima that are copies of
    /// each other under the hidden-unit symmetries compare equal.
    pub fn same_function(&self, a: &[f64], b: &[f64], tol: f64) -> Result<bool> {
        let za = self.outputs(a, self.n, &self.x)?;
        let zb = self.outputs(b, self.n, &self.x)?;
        let k = *self.sizes.last().unwrap_or(&1);
        let centered = |z: &[f64]| -> Vec<f64> {
            let mut z = z.to_vec();
            if self.loss == MlpLoss::CrossEntropy {
                for row in z.chunks_exact_mut(k) {
                    let mean = row.iter().sum::<f64>() / k as f64;
                    row.iter_mut().for_each(|v| *v -= mean);
                }
            }
            z
        };
        let (za, zb) = (centered(&za), centered(&zb));
        let scale = za.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let diff = za
            .iter()
            .zip(&zb)
            .fold(0.0f64, |m, (p, q)| m.max((p - q).abs()));
        Ok(diff <= tol * (1.0 + scale))
    }
}
