//! Watching a run: every solver reports each iteration to a [`Monitor`], which may record it,
//! draw progress, or stop the run early.

use serde::Serialize;

/// One iteration of a solver, as a monitor sees it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct IterInfo {
    pub iter: usize,
    /// Wall-clock seconds since the run started.
    pub seconds: f64,
    /// Passes over the data so far (0 for objectives without data).
    pub passes: f64,
    pub f: f64,
    pub grad_norm: f64,
}

/// Receives every iteration; returning `false` stops the run (status `StoppedByMonitor`).
pub trait Monitor {
    fn observe(&mut self, info: &IterInfo) -> bool;
}

/// A monitor that watches nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Quiet;

impl Monitor for Quiet {
    fn observe(&mut self, _: &IterInfo) -> bool {
        true
    }
}

/// The monitor to pass when nothing should be watched.
pub fn quiet() -> Quiet {
    Quiet
}

/// Records every iteration (the convergence trace).
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub records: Vec<IterInfo>,
}

impl Monitor for Trace {
    fn observe(&mut self, info: &IterInfo) -> bool {
        self.records.push(*info);
        true
    }
}

impl<F: FnMut(&IterInfo) -> bool> Monitor for F {
    fn observe(&mut self, info: &IterInfo) -> bool {
        self(info)
    }
}

/// Two monitors at once (e.g. a trace and a progress bar); stops when either says stop.
pub struct Both<'a, A: Monitor, B: Monitor>(pub &'a mut A, pub &'a mut B);

impl<A: Monitor, B: Monitor> Monitor for Both<'_, A, B> {
    fn observe(&mut self, info: &IterInfo) -> bool {
        let a = self.0.observe(info);
        let b = self.1.observe(info);
        a && b
    }
}

/// Shows a monitor every iteration after the start, never the start itself (iteration 0, x₀):
/// scipy.optimize's callback convention, a call after each iteration.
#[derive(Clone, Copy, Debug, Default)]
pub struct AfterStart<M>(pub M);

impl<M: Monitor> Monitor for AfterStart<M> {
    fn observe(&mut self, info: &IterInfo) -> bool {
        info.iter == 0 || self.0.observe(info)
    }
}

/// Stops the run once `seconds` of wall-clock time have passed (a time limit for methods whose
/// options hold no [`Stop`](crate::solvers::Stop)).
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    pub seconds: f64,
}

impl Deadline {
    /// A limit of `seconds` (∞: none).
    pub fn after(seconds: f64) -> Deadline {
        Deadline { seconds }
    }
}

impl Monitor for Deadline {
    fn observe(&mut self, info: &IterInfo) -> bool {
        info.seconds < self.seconds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: f64) -> IterInfo {
        IterInfo {
            iter: 0,
            seconds,
            passes: 0.0,
            f: 0.0,
            grad_norm: 0.0,
        }
    }

    #[test]
    fn deadline_stops_once_the_time_is_up() {
        let mut d = Deadline::after(2.0);
        assert!(d.observe(&at(1.9)));
        assert!(!d.observe(&at(2.0)));
        assert!(Deadline::after(f64::INFINITY).observe(&at(1e9)));
    }

    #[test]
    fn after_start_skips_iteration_zero_only() {
        let mut seen = Vec::new();
        let mut m = AfterStart(|info: &IterInfo| {
            seen.push(info.iter);
            info.iter < 2
        });
        for iter in 0..4 {
            let go_on = m.observe(&IterInfo { iter, ..at(0.0) });
            assert_eq!(go_on, iter < 2, "iteration {iter}");
        }
        assert_eq!(seen, [1, 2, 3]);
    }

    #[test]
    fn both_stops_when_either_stops() {
        let mut a = Deadline::after(1.0);
        let mut b = Trace::default();
        assert!(!Both(&mut a, &mut b).observe(&at(1.5)));
        assert_eq!(b.records.len(), 1, "both monitors see every iteration");
    }
}
