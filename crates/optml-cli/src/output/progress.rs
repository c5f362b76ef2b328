//! A live progress line on a terminal (nothing when stderr is not one).

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use optml::monitor::{IterInfo, Monitor};

/// Shows the latest iteration: number, f, ‖∇f‖, passes and elapsed time.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    pub fn new(label: &str, quiet: bool) -> Progress {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10))
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} {msg}")
                .expect("static template")
                .tick_chars("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏ "),
        );
        bar.set_prefix(label.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Monitor for Progress {
    fn observe(&mut self, i: &IterInfo) -> bool {
        self.bar.set_message(format!(
            "iter {:>4}  f = {:.10e}  |grad| = {:.3e}  passes {:>6.0}  {:.2} s",
            i.iter, i.f, i.grad_norm, i.passes, i.seconds
        ));
        true
    }
}

/// A bar that fills one step per epoch and shows the epoch's losses and accuracies.
pub struct EpochBar {
    bar: ProgressBar,
}

impl EpochBar {
    pub fn new(epochs: usize, quiet: bool) -> EpochBar {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(
                Some(epochs as u64),
                ProgressDrawTarget::stderr_with_hz(10),
            )
        };
        bar.set_style(
            ProgressStyle::with_template("epoch {pos}/{len} [{bar:30}] {msg}")
                .expect("static template")
                .progress_chars("=> "),
        );
        EpochBar { bar }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Monitor for EpochBar {
    /// The monitor sees f = the training loss of each epoch (0: the start).
    fn observe(&mut self, i: &IterInfo) -> bool {
        self.bar.set_position(i.iter as u64);
        self.bar.set_message(format!(
            "train loss {:.4e}  |grad| {:.2e}  {:.2} s",
            i.f, i.grad_norm, i.seconds
        ));
        true
    }
}
