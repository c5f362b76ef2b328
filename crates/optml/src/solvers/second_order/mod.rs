//! Second-order training of layered models on mini-batches: K-FAC (Martens & Grosse 2015),
//! Shampoo (Gupta, Koren & Singer 2018; Anil et al. 2020) and Hessian-free Gauss-Newton-CG
//! (Martens 2010).
//!
//! These methods need more of a model than a [`FiniteSum`](crate::objective::FiniteSum): its dense layers' places in θ, each
//! layer's inputs aₗ and back-propagated pre-activation gradients gₗ = ∂ℓᵢ/∂zₗ per example
//! (K-FAC's Kronecker factors E\[aaᵀ\] and E\[ggᵀ\]), and Gauss-Newton products on a batch
//! (Hessian-free). A model offers them through [`Layered`]; the solvers never name it.
//!
//! One driver, [`SecondOrder::minimize`], runs the epochs: the split, the seeded shuffles and
//! the mini-batches, the step-size [`Schedule`](super::stochastic::Schedule) and the decoupled
//! weight decay of a [`Stochastic`] run, and one [`EpochRecord`] per epoch on the same scale as
//! the first-order rules, so the two families compare epoch for epoch.

mod hf;
mod kfac;
mod layered;
mod shampoo;

pub use hf::{gn_cg, CgRun, HessianFree};
pub use kfac::{Kfac, KfacState};
pub use layered::{DenseLayer, Fisher, LayerStats, Layered};
pub use shampoo::{inverse_root, Graft, Shampoo, ShampooState};

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::stochastic::{EpochRecord, Epochs, Layout, Stochastic, Training};
use crate::error::{Error, Result};
use crate::linalg::norm;
use crate::monitor::Monitor;

/// Which second-order method, with its constants.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    Kfac(Kfac),
    Shampoo(Shampoo),
    HessianFree(HessianFree),
}

impl Method {
    pub const NAMES: [&'static str; 3] = ["kfac", "shampoo", "hf"];

    /// The method a name picks, with its default constants.
    pub fn parse(name: &str) -> Result<Method> {
        Ok(match name {
            "kfac" | "k-fac" => Method::Kfac(Kfac::default()),
            "shampoo" => Method::Shampoo(Shampoo::default()),
            "hf" | "hessian-free" => Method::HessianFree(HessianFree::default()),
            _ => {
                return Err(Error::invalid(format!(
                    "unknown second-order method '{name}': use one of {}",
                    Method::NAMES.join(", ")
                )))
            }
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Method::Kfac(_) => "kfac",
            Method::Shampoo(_) => "shampoo",
            Method::HessianFree(_) => "hf",
        }
    }
}

/// A second-order training run: the method, and the epochs, batches, step size, schedule,
/// weight decay, validation split and seed of `run` (its `rule` and `clip` are not used; a SALSA
/// schedule is refused).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecondOrder {
    pub method: Method,
    pub run: Stochastic,
}

/// The state of one method across steps.
enum State {
    Kfac(KfacState),
    Shampoo(ShampooState),
    Hf(hf::HfState),
}

impl SecondOrder {
    /// Trains `x` in place on `f` and returns the per-epoch records (as
    /// [`Stochastic::minimize`]: the monitor sees one [`IterInfo`](crate::monitor::IterInfo) per epoch and may stop the
    /// run; with `patience`, x ends at the best point on validation).
    pub fn minimize<F: Layered + ?Sized, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        layout: &Layout<'_>,
        monitor: &mut M,
    ) -> Result<Training> {
        let run = &self.run;
        if run.schedule == super::stochastic::Schedule::Salsa {
            return Err(Error::invalid(
                "the SALSA schedule is for the first-order rules only",
            ));
        }
        if x.len() != f.dim() {
            return Err(Error::invalid(format!(
                "x has {} entries, the objective {}",
                x.len(),
                f.dim()
            )));
        }
        // The stochastic driver's own checks: epochs, batch, step size, decay, split.
        run.validate(f.n_terms())?;
        let layers = f.dense_layers();
        check_layers(&layers, f.dim())?;
        let mut state = match self.method {
            Method::Kfac(k) => State::Kfac(k.init(&layers, f.dim())?),
            Method::Shampoo(s) => State::Shampoo(s.init(&layers, f.dim())?),
            Method::HessianFree(h) => State::Hf(h.init(f.dim())?),
        };
        let n = f.n_terms();
        let (mut train, val) = run.split(n);
        let per_epoch = train.len().div_ceil(run.batch_size);
        let total = per_epoch * run.epochs;
        let mut rng = ChaCha8Rng::seed_from_u64(run.seed);
        let mut scratch = vec![0.0; f.dim()];
        let mut train_eval = train.clone();
        train_eval.sort_unstable();
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
        let passes0 = f.passes();
        let mut eval_passes = 0.0;
        let first = evaluate(x, 0, 0.0, 0.0, run.lr, &mut scratch);
        eval_passes += f.passes() - passes0;
        let mut epochs = Epochs::start(first, x, run.patience, monitor)?;
        let (mut step, mut seconds, mut lr) = (0usize, 0.0, run.lr);
        let scale = n as f64 / train.len() as f64;
        for epoch in 0..run.epochs {
            let clock = Instant::now();
            train.shuffle(&mut rng);
            for batch in train.chunks(run.batch_size) {
                lr = run.schedule.at(run.lr, step, total, epoch);
                let seed = run.seed ^ (step as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                let f0 = match &mut state {
                    State::Kfac(s) => s.step(f, x, batch, lr, seed),
                    State::Shampoo(s) => s.step(f, x, batch, lr),
                    State::Hf(s) => s.step(f, x, batch, lr, seed),
                };
                if !f0.is_finite() || x.iter().any(|v| !v.is_finite()) {
                    return Err(Error::NonFinite(format!(
                        "{} left a non-finite loss or parameter at step {step} (epoch {}): \
                         lower the step size or raise the damping",
                        self.method.name(),
                        epoch + 1
                    )));
                }
                if run.weight_decay > 0.0 {
                    let s = 1.0 - lr * run.weight_decay;
                    x.iter_mut().for_each(|v| *v *= s);
                }
                step += 1;
            }
            seconds += clock.elapsed().as_secs_f64();
            let before = f.passes();
            // Passes over the training terms by the steps (evaluations not counted).
            let passes = (before - passes0 - eval_passes) * scale;
            let record = evaluate(x, epoch + 1, seconds, passes, lr, &mut scratch);
            eval_passes += f.passes() - before;
            if !epochs.end(record, x, monitor)? {
                break;
            }
        }
        Ok(epochs.finish(x, step, 0))
    }
}

/// The layers must tile disjoint ranges inside θ.
fn check_layers(layers: &[DenseLayer], dim: usize) -> Result<()> {
    if layers.is_empty() {
        return Err(Error::invalid("the model has no dense layers"));
    }
    for l in layers {
        let end = l.offset + (l.inputs + 1) * l.outputs;
        if l.inputs == 0 || l.outputs == 0 || end > dim {
            return Err(Error::invalid(format!(
                "a dense layer {}×{} at {} does not fit in {dim} parameters",
                l.outputs, l.inputs, l.offset
            )));
        }
    }
    Ok(())
}
