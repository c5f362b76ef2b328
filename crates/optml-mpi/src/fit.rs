//! [`fit`]: a shard and a spec in, the model `optml train` would write out, with the
//! communication it took.

use optml::models::glm::{GlmModel, GlmSpec, Loss};
use optml::monitor::Monitor;
use optml::solvers::{Lbfgs, Method, Report, Status, Stop};
use optml::{Curvature, LinearOperator, Objective};

use crate::comm::{Comm, Traffic};
use crate::error::{Error, Result};
use crate::methods::{Dino, Disco, Giant};
use crate::objective::DistGlm;
use crate::shard::Shard;

/// The method of a distributed fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solver {
    Dino,
    Giant,
    Disco,
    /// One of the library's methods on the all-reduced objective (the exact baseline):
    /// Newton-CG, trust region or L-BFGS.
    Exact(Method),
}

impl Solver {
    /// The names [`std::str::FromStr`] accepts.
    pub const NAMES: [&'static str; 5] = ["dino", "giant", "disco", "newton-cg", "lbfgs"];

    pub fn name(self) -> &'static str {
        match self {
            Solver::Dino => "dino",
            Solver::Giant => "giant",
            Solver::Disco => "disco",
            Solver::Exact(m) => m.name(),
        }
    }
}

impl std::str::FromStr for Solver {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "dino" => Ok(Solver::Dino),
            "giant" => Ok(Solver::Giant),
            "disco" => Ok(Solver::Disco),
            _ => match s.parse::<Method>() {
                Ok(m @ (Method::NewtonCg | Method::TrustRegion | Method::Lbfgs)) => {
                    Ok(Solver::Exact(m))
                }
                _ => Err(Error(format!(
                    "unknown distributed solver '{s}': use dino, giant, disco, newton-cg, \
                     trust-region or lbfgs"
                ))),
            },
        }
    }
}

/// A distributed fit: the model (the same on every rank), the solver's report and the traffic.
#[derive(Debug)]
pub struct Fitted {
    pub model: GlmModel,
    pub report: Report,
    /// Rounds and bytes of the solve (reading the data not included).
    pub traffic: Traffic,
}

/// Fits `spec` (loss, ridge, intercept) from w = 0 on the shards, every rank calling it with its
/// own `shard`; the library's methods ([`Solver::Exact`]) get the options `optml train` gives
/// them (L-BFGS its diagonal scaling at w = 0), so a one-rank fit is `optml train`'s.
pub fn fit<M: Monitor + ?Sized>(
    shard: &Shard,
    spec: &GlmSpec,
    solver: Solver,
    stop: Stop,
    comm: &Comm,
    monitor: &mut M,
) -> Result<Fitted> {
    let f = DistGlm::new(shard, spec, comm)?;
    let mut w = vec![0.0; f.dim()];
    let before = comm.traffic();
    let report = match solver {
        Solver::Dino => Dino {
            stop,
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        Solver::Giant => Giant {
            stop,
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        Solver::Disco => Disco {
            stop,
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        Solver::Exact(Method::Lbfgs) => {
            let diagonal = f.hessian(&w).diagonal().and_then(|d| {
                d.iter()
                    .all(|x| x.is_finite() && *x > 0.0)
                    .then(|| d.iter().map(|x| 1.0 / x).collect())
            });
            Lbfgs {
                stop,
                diagonal,
                ..Default::default()
            }
            .minimize(&f, &mut w, monitor)?
        }
        Solver::Exact(m) => m.minimize(stop, &f, &mut w, monitor)?,
    };
    let traffic = comm.traffic() - before;
    if w.iter().any(|v| !v.is_finite()) || report.status == Status::NonFinite {
        return Err(Error(format!(
            "{} produced a non-finite model ({})",
            report.solver, report.status
        )));
    }
    let layout = f.layout();
    if spec.loss == Loss::Softmax && spec.intercept {
        // Intercepts are unpenalized: the softmax is unchanged by a common shift, so the
        // model keeps the one whose intercepts sum to zero (as `optml train` does).
        let b = &mut w[layout.k * layout.d..];
        let mean = b.iter().sum::<f64>() / b.len() as f64;
        b.iter_mut().for_each(|x| *x -= mean);
    }
    let model = GlmModel {
        loss: spec.loss,
        ridge: spec.ridge,
        penalty: None,
        intercept: spec.intercept,
        n_features: layout.d,
        classes: shard.classes.0.clone(),
        weights: w,
    };
    Ok(Fitted {
        model,
        report,
        traffic,
    })
}
