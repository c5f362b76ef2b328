//! The loop every game method shares: checks, stop rules, the watch, and the report.

use std::time::Instant;

use serde::Serialize;

use super::counted::{Counted, Counts};
use super::potential::Potential;
use super::Game;
use crate::error::{Error, Result};
use crate::solvers::{Status, Stop};

/// One iteration as a [`Watch`] sees it.
pub struct GameIter<'a> {
    pub iter: usize,
    /// Wall-clock seconds since the run started.
    pub seconds: f64,
    pub x: &'a [f64],
    pub y: &'a [f64],
    /// The step residual ‖((x⁺ − x)/ηₓ, (y⁺ − y)/η_y)‖ of the last step: ‖(∇ₓf, ∇_y g)‖ for GDA,
    /// zero exactly at a fixed point of every method.
    pub residual: f64,
    /// Evaluations so far.
    pub counts: Counts,
}

/// Receives every iteration; returning `false` stops the run (status `StoppedByMonitor`).
pub trait Watch {
    fn observe(&mut self, it: &GameIter<'_>) -> bool;
}

impl<F: FnMut(&GameIter<'_>) -> bool> Watch for F {
    fn observe(&mut self, it: &GameIter<'_>) -> bool {
        self(it)
    }
}

/// A watch that watches nothing.
pub fn quiet() -> impl Watch {
    |_: &GameIter<'_>| true
}

/// What a game method returns: why it stopped and what it cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GameReport {
    pub solver: &'static str,
    pub status: Status,
    pub iterations: usize,
    pub counts: Counts,
    /// Inner iterations of the local-game solve: conjugate gradients (zero-sum) or BiCGSTAB
    /// (general-sum) in the competitive methods; 0 for the others.
    pub cg_iterations: usize,
    /// The step residual at the end (see [`GameIter::residual`]).
    pub residual: f64,
    pub seconds: f64,
}

/// Checks dimensions, step sizes, the stop rule and that (x, y) lie in the potentials' domains.
pub(crate) fn check<G: Game + ?Sized>(
    game: &G,
    x: &[f64],
    y: &[f64],
    lr: (f64, f64),
    potentials: (Potential, Potential),
    stop: &Stop,
) -> Result<()> {
    stop.validate()?;
    if x.len() != game.dim_x() || y.len() != game.dim_y() {
        return Err(Error::invalid(format!(
            "the game has players of dimensions {} and {}, the starting point {} and {}",
            game.dim_x(),
            game.dim_y(),
            x.len(),
            y.len()
        )));
    }
    for (name, lr) in [("x", lr.0), ("y", lr.1)] {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::invalid(format!(
                "the step size of player {name} must be finite and > 0, got {lr}"
            )));
        }
    }
    potentials.0.check(x, "x")?;
    potentials.1.check(y, "y")
}

/// Runs `step` until a stop rule holds. `step` advances (x, y) by one iteration and returns the
/// step residual.
pub(crate) fn drive<G: Game + ?Sized>(
    name: &'static str,
    stop: &Stop,
    game: &Counted<'_, G>,
    x: &mut [f64],
    y: &mut [f64],
    watch: &mut (impl Watch + ?Sized),
    mut step: impl FnMut(&Counted<'_, G>, &mut [f64], &mut [f64]) -> (f64, usize),
) -> GameReport {
    let start = Instant::now();
    let mut iter = 0;
    let mut cg = 0;
    let mut first = None;
    let mut residual = f64::NAN;
    let status = loop {
        if iter >= stop.max_iter {
            break Status::MaxIterations;
        }
        iter += 1;
        let (r, inner) = step(game, x, y);
        residual = r;
        cg += inner;
        let r0 = *first.get_or_insert(r);
        let finite = r.is_finite() && x.iter().chain(y.iter()).all(|v| v.is_finite());
        if !finite {
            break Status::NonFinite;
        }
        if stop.relative && r <= stop.tol * r0 && iter > 1 {
            break Status::ConvergedRelativeGradient;
        }
        if !stop.relative && r <= stop.tol {
            break Status::ConvergedAbsoluteGradient;
        }
        let seconds = start.elapsed().as_secs_f64();
        let info = GameIter {
            iter,
            seconds,
            x,
            y,
            residual: r,
            counts: game.counts(),
        };
        if !watch.observe(&info) {
            break Status::StoppedByMonitor;
        }
        if seconds >= stop.max_seconds {
            break Status::TimeLimit;
        }
    };
    GameReport {
        solver: name,
        status,
        iterations: iter,
        counts: game.counts(),
        cg_iterations: cg,
        residual,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// ‖((x⁺ − x)/ηₓ, (y⁺ − y)/η_y)‖.
pub(crate) fn step_residual(
    x_old: &[f64],
    x: &[f64],
    y_old: &[f64],
    y: &[f64],
    lr: (f64, f64),
) -> f64 {
    let sx: f64 = x.iter().zip(x_old).map(|(a, b)| (a - b) * (a - b)).sum();
    let sy: f64 = y.iter().zip(y_old).map(|(a, b)| (a - b) * (a - b)).sum();
    (sx / (lr.0 * lr.0) + sy / (lr.1 * lr.1)).sqrt()
}
