//! Step-size schedules η_t and gradient clipping, applied by the driver around any rule.

use crate::error::{Error, Result};
use crate::linalg::norm;

/// How the step size moves from the base η₀ over a run of T steps (t counts from 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// η_t = η₀.
    Constant,
    /// η₀·factorᵏ after k·`every` epochs (torch's `StepLR`).
    Step { every: usize, factor: f64 },
    /// η_t = η₀·½(1 + cos(πt/T)) (Loshchilov & Hutter 2017, no restarts).
    Cosine,
    /// η_t = η₀/(1 + t/t₀): the Robbins–Monro decay that takes SGD to the optimum of a strongly
    /// convex finite sum.
    InverseTime { t0: f64 },
    /// SALSA (Zhang, Lang, Liu & Xiao 2020): smoothed stochastic line search, then step drops
    /// by a statistical stationarity test; see [`super::salsa`].
    Salsa,
}

impl Schedule {
    /// The schedule a name picks (`step` drops ×0.1 every third of the epochs).
    pub fn parse(name: &str, epochs: usize) -> Result<Schedule> {
        Ok(match name {
            "constant" => Schedule::Constant,
            "step" => Schedule::Step {
                every: (epochs / 3).max(1),
                factor: 0.1,
            },
            "cosine" => Schedule::Cosine,
            "inverse-time" => Schedule::InverseTime { t0: 100.0 },
            "salsa" => Schedule::Salsa,
            _ => {
                return Err(Error::invalid(format!(
                    "unknown schedule '{name}': use constant, step, cosine, inverse-time or salsa"
                )))
            }
        })
    }

    /// η_t for step `t` of `total`, in epoch `epoch` (from 0). SALSA's steps are its own.
    pub fn at(&self, lr: f64, t: usize, total: usize, epoch: usize) -> f64 {
        match *self {
            Schedule::Constant | Schedule::Salsa => lr,
            Schedule::Step { every, factor } => lr * factor.powi((epoch / every.max(1)) as i32),
            Schedule::Cosine => {
                lr * 0.5 * (1.0 + (std::f64::consts::PI * t as f64 / total.max(1) as f64).cos())
            }
            Schedule::InverseTime { t0 } => lr / (1.0 + t as f64 / t0),
        }
    }
}

/// Gradient clipping before the rule sees the gradient.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Clip {
    None,
    /// g ← g·min(1, c/‖g‖) (optax's `clip_by_global_norm`, torch's `clip_grad_norm_`).
    Norm(f64),
    /// gᵢ ← clamp(gᵢ, −c, c) (optax's `clip`, torch's `clip_grad_value_`).
    Value(f64),
}

impl Clip {
    pub fn apply(&self, g: &mut [f64]) {
        match *self {
            Clip::None => {}
            Clip::Norm(c) => {
                let n = norm(g);
                if n > c {
                    let s = c / n;
                    g.iter_mut().for_each(|v| *v *= s);
                }
            }
            Clip::Value(c) => g.iter_mut().for_each(|v| *v = v.clamp(-c, c)),
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        match *self {
            Clip::Norm(c) | Clip::Value(c) if !(c.is_finite() && c > 0.0) => Err(Error::invalid(
                format!("the clipping threshold must be finite and > 0, got {c}"),
            )),
            _ => Ok(()),
        }
    }
}
