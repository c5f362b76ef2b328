//! Stochastic training: one driver ([`Stochastic`]) over any [`FiniteSum`] — seeded shuffling,
//! mini-batches, epochs, a step-size [`Schedule`], gradient [`Clip`]ping, decoupled weight decay,
//! a validation split with early stopping and one [`EpochRecord`] per epoch — around an update
//! [`Rule`] that only turns a gradient into a direction.
//!
//! One step on batch B at step size η_t: g = ∇f_B(x) (the [`FiniteSum`] scale), g ← clip(g),
//! u = rule(g), x ← x − η_t·(u + λ·x) (weight decay λ decoupled from the gradient, Loshchilov &
//! Hutter 2019: AdamW for Adam, SGDW for SGD).
//!
//! ```
//! use optml::solvers::stochastic::{Rule, Schedule, Stochastic};
//! use optml::FiniteSum;
//! # use optml::models::mlp::{Activation, Mlp};
//! let x = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
//! let mlp = Mlp::classifier(&[2, 8, 2], Activation::Tanh, 4, &x, &[0.0, 1.0, 1.0, 0.0])?;
//! let mut theta = mlp.init(3);
//! let sgd = Stochastic { rule: Rule::adam(), lr: 0.05, epochs: 300, batch_size: 2, ..Default::default() };
//! let run = sgd.minimize(&mlp, &mut theta, &Default::default(), &mut optml::monitor::quiet())?;
//! assert!(run.records.last().unwrap().train_loss < 0.1);
//! # Ok::<(), optml::Error>(())
//! ```

mod epochs;
mod rules;
pub mod salsa;
mod schedule;

pub(crate) use epochs::Epochs;
pub use epochs::{EpochRecord, Training};
pub use rules::{Eg, Rule, UpdateRule};
pub use schedule::{Clip, Schedule};

use std::ops::Range;
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::linalg::norm;
use crate::monitor::Monitor;
use crate::objective::FiniteSum;
use salsa::Salsa;

/// The options of a stochastic run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stochastic {
    pub rule: Rule,
    /// Base step size η₀.
    pub lr: f64,
    pub schedule: Schedule,
    pub epochs: usize,
    pub batch_size: usize,
    pub clip: Clip,
    /// λ of the decoupled decay x ← x − η_t·λ·x.
    pub weight_decay: f64,
    /// Fraction of the terms held out for validation (0: none), drawn once under `seed`.
    pub validation: f64,
    /// Stop after this many epochs without a lower validation loss and return the best point
    /// (needs a validation split; `None`: never).
    pub patience: Option<usize>,
    /// Seed of the split and of the shuffles.
    pub seed: u64,
}

impl Default for Stochastic {
    fn default() -> Self {
        Stochastic {
            rule: Rule::Sgd,
            lr: 1e-2,
            schedule: Schedule::Constant,
            epochs: 10,
            batch_size: 32,
            clip: Clip::None,
            weight_decay: 0.0,
            validation: 0.0,
            patience: None,
            seed: 0,
        }
    }
}

/// The accuracy of parameters x on some terms.
pub type Accuracy<'a> = dyn Fn(&[f64], &[usize]) -> f64 + Sync + 'a;

/// What the driver may know of the model besides its [`FiniteSum`].
#[derive(Default)]
pub struct Layout<'a> {
    /// Parameter groups (layers) for the rules with per-group quantities; empty: one group.
    pub groups: Vec<Range<usize>>,
    /// Accuracy of x on the given terms (a classifier's fraction of correct labels).
    pub accuracy: Option<&'a Accuracy<'a>>,
}

impl Stochastic {
    pub(crate) fn validate(&self, n: usize) -> Result<()> {
        if self.epochs == 0 {
            return Err(Error::invalid("the number of epochs must be ≥ 1"));
        }
        if self.batch_size == 0 {
            return Err(Error::invalid("the batch size must be ≥ 1"));
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(Error::invalid(format!(
                "the step size must be finite and > 0, got {}",
                self.lr
            )));
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            return Err(Error::invalid(format!(
                "the weight decay must be finite and ≥ 0, got {}",
                self.weight_decay
            )));
        }
        if !(0.0..1.0).contains(&self.validation) {
            return Err(Error::invalid(format!(
                "the validation fraction must be in [0, 1), got {}",
                self.validation
            )));
        }
        if self.patience.is_some() && self.validation == 0.0 {
            return Err(Error::invalid(
                "early stopping needs a validation split (a fraction > 0)",
            ));
        }
        self.clip.validate()?;
        if n < 2 && self.validation > 0.0 {
            return Err(Error::invalid("a validation split needs at least 2 terms"));
        }
        Ok(())
    }

    /// The (training, validation) terms: a seeded permutation, the first ⌈v·n⌉ held out.
    pub fn split(&self, n: usize) -> (Vec<usize>, Vec<usize>) {
        let mut idx: Vec<usize> = (0..n).collect();
        if self.validation == 0.0 {
            return (idx, Vec::new());
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed.wrapping_add(0x9e37_79b9_7f4a_7c15));
        idx.shuffle(&mut rng);
        let held = ((self.validation * n as f64).ceil() as usize).clamp(1, n - 1);
        let train = idx.split_off(held);
        (train, idx)
    }

    /// Trains `x` in place on `f` and returns the per-epoch records. The monitor sees one
    /// [`IterInfo`](crate::monitor::IterInfo) per epoch (f: the training loss) and may stop the run.
    pub fn minimize<F: FiniteSum + ?Sized, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        layout: &Layout<'_>,
        monitor: &mut M,
    ) -> Result<Training> {
        let n = f.n_terms();
        self.validate(n)?;
        if x.len() != f.dim() {
            return Err(Error::invalid(format!(
                "x has {} entries, the objective {}",
                x.len(),
                f.dim()
            )));
        }
        let dim = x.len();
        let (mut train, val) = self.split(n);
        let per_epoch = train.len().div_ceil(self.batch_size);
        let total = per_epoch * self.epochs;
        let mut rule = self.rule.init(dim, &layout.groups);
        let mut salsa = (self.schedule == Schedule::Salsa)
            .then(|| Salsa::new(self.lr, self.batch_size, train.len(), per_epoch));
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let (mut g, mut u, mut trial, mut scratch) = (
            vec![0.0; dim],
            vec![0.0; dim],
            vec![0.0; dim],
            vec![0.0; dim],
        );
        let mut rows_stepped = 0usize;
        let mut seconds = 0.0;
        let mut lr = self.lr;
        let train_eval = train_sorted(&train);
        let evaluate = |x: &[f64], epoch, seconds, passes, lr, scratch: &mut [f64]| {
            let train_loss = f.value_grad_batch(x, &train_eval, scratch);
            let grad_norm = norm(scratch);
            let (val_loss, val_accuracy) = if val.is_empty() {
                (None, None)
            } else {
                let v = f.value_grad_batch(x, &val, scratch);
                (Some(v), layout.accuracy.map(|a| a(x, &val)))
            };
            EpochRecord {
                epoch,
                seconds,
                passes,
                lr,
                train_loss,
                grad_norm,
                train_accuracy: layout.accuracy.map(|a| a(x, &train_eval)),
                val_loss,
                val_accuracy,
            }
        };
        let first = evaluate(x, 0, 0.0, 0.0, lr, &mut scratch);
        let mut epochs = Epochs::start(first, x, self.patience, monitor)?;
        let mut step = 0;
        for epoch in 0..self.epochs {
            let clock = Instant::now();
            train.shuffle(&mut rng);
            for batch in train.chunks(self.batch_size) {
                let f0 = f.value_grad_batch(x, batch, &mut g);
                rows_stepped += batch.len();
                if !f0.is_finite() || g.iter().any(|v| !v.is_finite()) {
                    return Err(Error::NonFinite(format!(
                        "the batch loss or gradient is not finite at step {step} (epoch {}): \
                         lower the step size or clip the gradients",
                        epoch + 1
                    )));
                }
                self.clip.apply(&mut g);
                lr = match &salsa {
                    Some(s) => s.lr,
                    None => self.schedule.at(self.lr, step, total, epoch),
                };
                rule.direction(&g, lr, &mut u);
                if let Some(s) = salsa.as_mut() {
                    // The search is along the gradient (as statopt's SSLS: Armijo on gᵀg).
                    let gg = crate::linalg::dot(&g, &g);
                    lr = s.search(f0, gg, |eta| {
                        for ((t, xi), gi) in trial.iter_mut().zip(x.iter()).zip(&g) {
                            *t = xi - eta * gi;
                        }
                        rows_stepped += batch.len();
                        f.value_grad_batch(&trial, batch, &mut scratch)
                    });
                }
                let wd = self.weight_decay;
                for (xi, ui) in x.iter_mut().zip(u.iter_mut()) {
                    *ui += wd * *xi;
                    *xi -= lr * *ui;
                }
                if let Some(s) = salsa.as_mut() {
                    if s.record(x, &u, lr) {
                        rule.reset_momentum();
                    }
                }
                step += 1;
            }
            seconds += clock.elapsed().as_secs_f64();
            let passes = rows_stepped as f64 / train.len() as f64;
            let record = evaluate(x, epoch + 1, seconds, passes, lr, &mut scratch);
            if !epochs.end(record, x, monitor)? {
                break;
            }
        }
        Ok(epochs.finish(x, step, salsa.map_or(0, |s| s.drops())))
    }
}

/// The training terms in increasing order (the full-loss evaluation does not depend on the
/// shuffle).
fn train_sorted(train: &[usize]) -> Vec<usize> {
    let mut t = train.to_vec();
    t.sort_unstable();
    t
}
