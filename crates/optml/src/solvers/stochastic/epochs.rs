//! One epoch's record, a run's summary, and the bookkeeping both stochastic drivers share
//! between epochs: the monitor, the best point on validation and early stopping.

use crate::error::{Error, Result};
use crate::monitor::{IterInfo, Monitor};

/// One epoch of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochRecord {
    /// 1 for the first epoch (0: the start).
    pub epoch: usize,
    /// Seconds of training so far (evaluations for this record not counted).
    pub seconds: f64,
    /// Passes over the training terms by the steps (line-search trials included).
    pub passes: f64,
    /// Step size of the epoch's last step.
    pub lr: f64,
    /// f on the training terms (the [`FiniteSum`](crate::objective::FiniteSum) scale restricted to them) and its gradient norm.
    pub train_loss: f64,
    pub grad_norm: f64,
    pub train_accuracy: Option<f64>,
    pub val_loss: Option<f64>,
    pub val_accuracy: Option<f64>,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    pub records: Vec<EpochRecord>,
    /// The epoch whose point x holds (the best on validation with early stopping, else the
    /// last).
    pub best_epoch: usize,
    pub stopped_early: bool,
    pub steps: usize,
    /// Step-size drops SALSA made.
    pub drops: usize,
}

/// The epochs of a run so far: their records, the best point on validation, and whether
/// patience ran out.
pub(crate) struct Epochs {
    records: Vec<EpochRecord>,
    /// (validation loss, epoch, point) of the best epoch so far.
    best: (f64, usize, Vec<f64>),
    patience: Option<usize>,
    stopped_early: bool,
}

impl Epochs {
    /// Starts from the record of the starting point x (epoch 0), which the monitor sees.
    pub(crate) fn start<M: Monitor + ?Sized>(
        first: EpochRecord,
        x: &[f64],
        patience: Option<usize>,
        monitor: &mut M,
    ) -> Result<Epochs> {
        if !first.train_loss.is_finite() {
            return Err(Error::NonFinite(format!(
                "the loss at the start is {}",
                first.train_loss
            )));
        }
        monitor.observe(&info(&first));
        Ok(Epochs {
            records: vec![first],
            best: (first.val_loss.unwrap_or(f64::INFINITY), 0, x.to_vec()),
            patience,
            stopped_early: false,
        })
    }

    /// Ends an epoch at x with its record. `Ok(false)`: training stops here, because patience
    /// ran out (no better validation loss in that many epochs) or the monitor asked.
    pub(crate) fn end<M: Monitor + ?Sized>(
        &mut self,
        record: EpochRecord,
        x: &[f64],
        monitor: &mut M,
    ) -> Result<bool> {
        if !record.train_loss.is_finite() {
            return Err(Error::NonFinite(format!(
                "the training loss after epoch {} is {}",
                record.epoch, record.train_loss
            )));
        }
        self.records.push(record);
        let go_on = monitor.observe(&info(&record));
        if let Some(v) = record.val_loss {
            if v < self.best.0 {
                self.best = (v, record.epoch, x.to_vec());
            }
        }
        if let Some(p) = self.patience {
            if record.epoch - self.best.1 >= p {
                self.stopped_early = true;
                return Ok(false);
            }
        }
        Ok(go_on)
    }

    /// The run's summary. With patience, x goes back to the best point on validation.
    pub(crate) fn finish(self, x: &mut [f64], steps: usize, drops: usize) -> Training {
        let best_epoch = if self.patience.is_some() {
            x.copy_from_slice(&self.best.2);
            self.best.1
        } else {
            self.records.last().map_or(0, |r| r.epoch)
        };
        Training {
            records: self.records,
            best_epoch,
            stopped_early: self.stopped_early,
            steps,
            drops,
        }
    }
}

/// What the monitor sees of an epoch.
fn info(r: &EpochRecord) -> IterInfo {
    IterInfo {
        iter: r.epoch,
        seconds: r.seconds,
        passes: r.passes,
        f: r.train_loss,
        grad_norm: r.grad_norm,
    }
}
