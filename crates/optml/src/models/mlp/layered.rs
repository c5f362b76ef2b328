//! The MLP as a [`Layered`] model for the second-order trainers: its dense layers, each layer's
//! inputs and per-example pre-activation gradients (for the data's targets or targets sampled
//! from the network's predictive distribution), and Gauss-Newton products on a batch.
//!
//! Sampled targets: ŷ ~ softmax(z) for cross-entropy, so gᵢ = (p − e_ŷ) at the outputs; ŷ = z + ε,
//! ε ~ N(0, I) for the squared error (the Gaussian whose negative log-likelihood it is), so
//! gᵢ = −ε. Either way E_ŷ[g gᵀ] at the outputs is the loss's Hessian H_ℓ, and the per-layer
//! E[g gᵀ] are the Gauss-Newton (= Fisher) matrix's factors.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::pool::Pool;
use super::{Mlp, Targets};
use crate::objective::{FiniteSum, LinearOperator};
use crate::solvers::second_order::{DenseLayer, Fisher, LayerStats, Layered};

impl Mlp {
    /// The network restricted to the rows `batch` (same parameters' layout, same penalty): its
    /// mean loss is f_B.
    fn subset(&self, batch: &[usize]) -> Mlp {
        let k = *self.sizes.last().unwrap();
        let targets = match &self.targets {
            Targets::Classes(c) => Targets::Classes(batch.iter().map(|&i| c[i]).collect()),
            Targets::Values(y) => Targets::Values(
                batch
                    .iter()
                    .flat_map(|&i| y[i * k..(i + 1) * k].iter().copied())
                    .collect(),
            ),
        };
        Mlp {
            sizes: self.sizes.clone(),
            activation: self.activation,
            loss: self.loss,
            l2: self.l2,
            n: batch.len(),
            x: self.gather(batch),
            targets,
            offsets: self.offsets.clone(),
            pool: Pool::default(),
            rows_swept: AtomicU64::new(0),
        }
    }

    /// `out` holds softmax probabilities or residuals z − y (after [`Mlp::residual`]); writes
    /// the per-example output gradient for targets drawn from the model.
    fn sampled_output_gradient(&self, out: &[f64], seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let k = *self.sizes.last().unwrap();
        let mut g = self.pool.take(out.len());
        match self.targets {
            Targets::Classes(_) => {
                for (p, gi) in out.chunks_exact(k).zip(g.chunks_exact_mut(k)) {
                    let u: f64 = rng.random();
                    let mut acc = 0.0;
                    let mut pick = k - 1;
                    for (j, pj) in p.iter().enumerate() {
                        acc += pj;
                        if u < acc {
                            pick = j;
                            break;
                        }
                    }
                    gi.copy_from_slice(p);
                    gi[pick] -= 1.0;
                }
            }
            Targets::Values(_) => {
                for v in g.iter_mut() {
                    *v = rng.sample::<f64, _>(StandardNormal);
                }
            }
        }
        g
    }
}

impl Layered for Mlp {
    fn dense_layers(&self) -> Vec<DenseLayer> {
        (0..self.layers())
            .map(|l| DenseLayer {
                inputs: self.sizes[l],
                outputs: self.sizes[l + 1],
                offset: self.offsets[l],
            })
            .collect()
    }

    fn value_grad_layers(
        &self,
        theta: &[f64],
        batch: &[usize],
        grad: &mut [f64],
        fisher: Fisher,
        seed: u64,
        stats: &mut LayerStats,
    ) -> f64 {
        let nl = self.layers();
        if batch.is_empty() {
            *stats = LayerStats {
                rows: 0,
                inputs: vec![Vec::new(); nl],
                grads: vec![Vec::new(); nl],
            };
            return self.value_grad_batch(theta, batch, grad);
        }
        let x = self.gather(batch);
        let m = batch.len();
        let mut pass = self.forward(theta, &x, m, 1);
        let loss = self.residual(&mut pass.out, Some(batch));
        let sampled =
            (fisher == Fisher::True).then(|| self.sampled_output_gradient(&pass.out, seed));
        self.output_gradient(&mut pass.out, Some(batch));
        let mut gs = vec![Vec::new(); nl];
        let mut ss = vec![Vec::new(); nl - 1];
        self.backward(
            theta,
            &x,
            &mut pass,
            Some(&mut *grad),
            Some((&mut gs, &mut ss)),
        );
        match sampled {
            Some(s) => {
                // A second backward sweep from the sampled targets' output gradient.
                pass.out = s;
                self.pool.give_all(gs.drain(..).chain(ss.drain(..)));
                gs = vec![Vec::new(); nl];
                ss = vec![Vec::new(); nl - 1];
                self.backward(theta, &x, &mut pass, None, Some((&mut gs, &mut ss)));
            }
            None => {
                // The batch-mean loss's gradients, back on one example's scale.
                let scale = m as f64;
                gs.iter_mut().flatten().for_each(|v| *v *= scale);
            }
        }
        self.pool.give_all(ss);
        let acts = std::mem::take(&mut pass.acts);
        self.recycle(pass);
        let old = std::mem::take(stats);
        self.pool
            .give_all(old.inputs.into_iter().skip(1).chain(old.grads));
        *stats = LayerStats {
            rows: m,
            inputs: std::iter::once(x).chain(acts).collect(),
            grads: gs,
        };
        loss + self.penalty(theta, Some(grad))
    }

    fn gauss_newton_batch(
        &self,
        theta: &[f64],
        batch: &[usize],
        work: &mut dyn FnMut(&dyn LinearOperator),
    ) {
        let sub = self.subset(batch);
        {
            let gn = sub.gauss_newton(theta);
            work(&gn);
        }
        // The sweeps over the batch count as sweeps over the network's rows.
        self.count_rows(sub.rows_swept.load(Ordering::Relaxed) as usize);
    }
}
