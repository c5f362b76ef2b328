//! The composite half of [`fit_glm`](super::fit_glm): F(W, b) = f(W, b) + h(W), with f the smooth
//! GLM (loss and ridge) and h a [`Penalty`], by proximal Newton, FISTA or proximal gradient.

use crate::error::{Error, Result};
use crate::models::glm::{Glm, Penalty};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::prox::{ElasticNet, GroupLasso, Regularizer};
use crate::solvers::{Fista, ProximalGradient, ProximalNewton, Report, Stop};

/// The solvers for a GLM with a non-smooth penalty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompositeMethod {
    /// Proximal Newton with coordinate descent and subspace Newton steps (the default).
    ProxNewton,
    /// FISTA with backtracking and adaptive restart.
    Fista,
    /// Proximal gradient with backtracking.
    ProxGrad,
}

impl CompositeMethod {
    pub const ALL: [CompositeMethod; 3] = [
        CompositeMethod::ProxNewton,
        CompositeMethod::Fista,
        CompositeMethod::ProxGrad,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CompositeMethod::ProxNewton => "prox-newton",
            CompositeMethod::Fista => "fista",
            CompositeMethod::ProxGrad => "prox-grad",
        }
    }

    /// Parses a name; `None` for any other.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == s)
    }
}

impl std::fmt::Display for CompositeMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Minimizes f + h from `w` with `method`, h built from `penalty` on f's weights W (never on
/// the intercepts; a group holds its features' weights for every class).
pub(super) fn minimize<M: Monitor + ?Sized>(
    method: CompositeMethod,
    penalty: &Penalty,
    stop: Stop,
    f: &Glm<'_>,
    w: &mut [f64],
    monitor: &mut M,
) -> Result<Report> {
    let layout = f.layout();
    let kd = layout.k * layout.d;
    match penalty {
        Penalty::L1 { lambda } => {
            let h = ElasticNet::l1(*lambda, kd, f.dim())?;
            solve(method, stop, f, &h, w, monitor)
        }
        Penalty::ElasticNet { lambda, alpha } => {
            let h = ElasticNet::new(*lambda, *alpha, kd, f.dim())?;
            solve(method, stop, f, &h, w, monitor)
        }
        Penalty::GroupLasso { lambda, groups } => {
            let mut params = Vec::with_capacity(groups.len());
            for (gi, g) in groups.iter().enumerate() {
                if let Some(&j) = g.iter().find(|&&j| j >= layout.d) {
                    return Err(Error::invalid(format!(
                        "group {gi} holds feature {j}, but the data has {} features",
                        layout.d
                    )));
                }
                params.push(
                    (0..layout.k)
                        .flat_map(|c| g.iter().map(move |&j| c * layout.d + j))
                        .collect(),
                );
            }
            let h = GroupLasso::new(*lambda, params, f.dim())?;
            solve(method, stop, f, &h, w, monitor)
        }
    }
}

fn solve<R: Regularizer, M: Monitor + ?Sized>(
    method: CompositeMethod,
    stop: Stop,
    f: &Glm<'_>,
    h: &R,
    w: &mut [f64],
    monitor: &mut M,
) -> Result<Report> {
    match method {
        CompositeMethod::ProxNewton => ProximalNewton {
            stop,
            ..Default::default()
        }
        .minimize_coordinatewise(f, h, w, monitor),
        CompositeMethod::Fista => Fista {
            stop,
            ..Default::default()
        }
        .minimize(f, h, w, monitor),
        CompositeMethod::ProxGrad => ProximalGradient {
            stop,
            ..Default::default()
        }
        .minimize(f, h, w, monitor),
    }
}
