//! Bound majorization (Jebara & Choromanska 2012, "Majorization for CRFs and latent
//! likelihoods", Algorithm 2): at xₜ an objective offers a quadratic upper bound
//! f(xₜ + δ) ≤ f(xₜ) + ∇f(xₜ)·δ + ½·δᵀΣₜδ, tight at δ = 0 with Σₜ ⪰ ∇²f(xₜ); the step minimizes
//! it, Σₜ·δ = −∇f(xₜ), solved matrix-free by CG. Every CG iterate lowers the bound below f(xₜ),
//! so f decreases monotonically without a line search, however loosely CG is stopped.

use crate::error::Result;
use crate::linalg::{axpy, norm};
use crate::monitor::Monitor;
use crate::objective::{LinearOperator, Objective};
use crate::solvers::checks::check_dim;
use crate::solvers::inner::{newton_pcg_until, CgStop};
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Which quadratic bound the objective gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoundKind {
    /// A bound that adapts to the point (Jebara & Choromanska's for a log-partition).
    Adaptive,
    /// A fixed curvature that bounds the Hessian everywhere (Böhning's for a softmax).
    Fixed,
}

/// An objective with a quadratic upper bound at every point.
pub trait QuadraticBound: Objective {
    type Bound<'a>: LinearOperator
    where
        Self: 'a;
    /// Σ(x), with f(x + δ) ≤ f(x) + ∇f(x)·δ + ½·δᵀΣ(x)δ for every δ, or an error where the
    /// objective has no such bound of this kind.
    fn bound(&self, x: &[f64], kind: BoundKind) -> Result<Self::Bound<'_>>;
}

/// Bound majorization with a CG inner solve.
#[derive(Clone, Copy, Debug)]
pub struct BoundMajorization {
    pub stop: Stop,
    pub kind: BoundKind,
    /// CG stops once ‖Σδ + g‖ ≤ forcing·‖g‖.
    pub forcing: f64,
    pub max_cg: usize,
}

impl Default for BoundMajorization {
    fn default() -> Self {
        BoundMajorization {
            stop: Stop::default(),
            kind: BoundKind::Adaptive,
            forcing: 1e-2,
            max_cg: 250,
        }
    }
}

impl BoundMajorization {
    pub fn minimize<F: QuadraticBound, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let name = match self.kind {
            BoundKind::Adaptive => "bound",
            BoundKind::Fixed => "bohning",
        };
        let mut run = Run::new(name, self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let sigma = f.bound(x, self.kind)?;
            let step = newton_pcg_until(
                &sigma,
                &g,
                None,
                CgStop::Residual(self.forcing),
                self.max_cg,
            );
            run.hv_products += step.products;
            if step.s.iter().all(|v| *v == 0.0) {
                break Status::Stalled;
            }
            axpy(1.0, &step.s, x);
            fx = f.value_grad(x, &mut g);
            run.g_evals += 1;
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
