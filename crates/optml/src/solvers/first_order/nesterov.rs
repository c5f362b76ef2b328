//! Nesterov's accelerated gradient with adaptive restart.

use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::checks::check_dim;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// When [`Nesterov`] resets its momentum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restart {
    /// Never (Nesterov 1983 / FISTA of Beck & Teboulle 2009).
    Never,
    /// When f increases: f(xₖ₊₁) > f(xₖ) (O'Donoghue & Candès 2015).
    Function,
    /// When the momentum points uphill: ∇f(yₖ)ᵀ(xₖ₊₁ − xₖ) > 0 (O'Donoghue & Candès 2015).
    Gradient,
}

/// Nesterov's accelerated gradient, xₖ₊₁ = yₖ − ∇f(yₖ)/L,
/// yₖ₊₁ = xₖ₊₁ + ((θₖ − 1)/θₖ₊₁)(xₖ₊₁ − xₖ), θₖ₊₁ = (1 + √(1 + 4θₖ²))/2, with L found by
/// backtracking on f(xₖ₊₁) ≤ f(yₖ) − ‖∇f(yₖ)‖²/2L (Beck & Teboulle 2009), let shrink again each
/// iteration, and the adaptive restart of O'Donoghue & Candès (2015), "Adaptive restart for
/// accelerated gradient schemes".
#[derive(Clone, Debug, PartialEq)]
pub struct Nesterov {
    pub stop: Stop,
    pub restart: Restart,
    /// Initial Lipschitz estimate; `None`: ‖∇f(x₀ + δ) − ∇f(x₀)‖/‖δ‖ for a small step δ.
    pub lipschitz: Option<f64>,
    /// L grows by this factor when the decrease test fails.
    pub grow: f64,
    /// L shrinks by this factor after each accepted step (1 for a monotone L).
    pub shrink: f64,
}

impl Default for Nesterov {
    fn default() -> Self {
        Nesterov {
            stop: Stop::default(),
            restart: Restart::Gradient,
            lipschitz: None,
            grow: 2.0,
            shrink: 0.9,
        }
    }
}

impl Nesterov {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        if !(self.grow > 1.0 && self.shrink > 0.0 && self.shrink <= 1.0) {
            return Err(Error::invalid("Nesterov: need grow > 1 and 0 < shrink ≤ 1"));
        }
        let n = x.len();
        let mut run = Run::new("agd", self.stop, f, monitor)?;
        let (mut fx, mut gx, mut ended) = run.start(f, x);
        let mut lip = match self.lipschitz {
            Some(l) if l > 0.0 && l.is_finite() => l,
            Some(_) => {
                return Err(Error::invalid(
                    "Nesterov: the Lipschitz estimate must be > 0",
                ))
            }
            None => {
                let gn = norm(&gx);
                let h = 1e-6 * (1.0 + norm(x)) / gn.max(f64::MIN_POSITIVE);
                let mut xp = x.to_vec();
                axpy(-h, &gx, &mut xp);
                let mut gp = vec![0.0; n];
                f.value_grad(&xp, &mut gp);
                run.g_evals += 1;
                let dg: f64 = gp.iter().zip(&gx).map(|(a, b)| (a - b).powi(2)).sum();
                let l = dg.sqrt() / (h * gn);
                if l.is_finite() && l > 0.0 {
                    l
                } else {
                    1.0
                }
            }
        };
        let mut y = x.to_vec();
        let (mut fy, mut gy) = (fx, gx.clone());
        let mut theta = 1.0f64;
        let mut trial = vec![0.0; n];
        let mut gt = vec![0.0; n];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let gy2 = dot(&gy, &gy);
            // Backtrack on L until the sufficient-decrease test holds at y − ∇f(y)/L.
            let mut ft;
            let mut tries = 0;
            loop {
                trial.copy_from_slice(&y);
                axpy(-1.0 / lip, &gy, &mut trial);
                ft = f.value_grad(&trial, &mut gt);
                run.g_evals += 1;
                let slack = 1e-12 * fy.abs();
                if ft.is_finite() && ft <= fy - 0.5 * gy2 / lip + slack {
                    break;
                }
                tries += 1;
                if tries > 60 {
                    break;
                }
                lip *= self.grow;
            }
            if tries > 60 {
                break Status::Stalled;
            }
            let restart = match self.restart {
                Restart::Never => false,
                Restart::Function => ft > fx,
                Restart::Gradient => {
                    gy.iter()
                        .zip(trial.iter().zip(x.iter()))
                        .map(|(g, (a, b))| g * (a - b))
                        .sum::<f64>()
                        > 0.0
                }
            };
            let theta_next = (1.0 + (1.0 + 4.0 * theta * theta).sqrt()) / 2.0;
            let momentum = if restart {
                0.0
            } else {
                (theta - 1.0) / theta_next
            };
            theta = if restart { 1.0 } else { theta_next };
            for ((yi, xi), ti) in y.iter_mut().zip(x.iter_mut()).zip(&trial) {
                *yi = ti + momentum * (ti - *xi);
                *xi = *ti;
            }
            fx = ft;
            gx.copy_from_slice(&gt);
            if momentum == 0.0 {
                fy = fx;
                gy.copy_from_slice(&gx);
            } else {
                fy = f.value_grad(&y, &mut gy);
                run.g_evals += 1;
                if !fy.is_finite() {
                    // Momentum overshot into a region where f is undefined: drop it.
                    y.copy_from_slice(x);
                    fy = fx;
                    gy.copy_from_slice(&gx);
                    theta = 1.0;
                }
            }
            lip *= self.shrink;
            ended = run.check(f, fx, norm(&gx));
        };
        Ok(run.finish(f, status, fx, norm(&gx)))
    }
}
