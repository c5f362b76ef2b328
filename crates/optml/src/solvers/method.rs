//! The solvers a user picks by name, and the rule that picks one for a linear model.

use super::{
    AdaptiveCubic, Bfgs, GradientDescent, Lbfgs, NegativeCurvatureNewton, Nesterov, Newton,
    NewtonCg, NewtonPath, NonlinearCg, Rbfgs, Report, Status, Stop, TrustRegion,
};
use crate::error::{Error, Result};
use crate::monitor::{IterInfo, Monitor};
use crate::objective::Curvature;

/// The solvers a user picks by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Line-search Newton-CG with a mixed diagonal preconditioner ([`NewtonCg`]): CG stops by
    /// Eisenstat–Walker forcing terms; [`fit_glm`](crate::fit::fit_glm) uses LIBLINEAR's
    /// quadratic-model CG stop instead (Galli & Lin 2021).
    NewtonCg,
    /// Trust-region Newton-CG (Steihaug).
    TrustRegion,
    /// Newton with a dense Cholesky solve, shifted by τI where the Hessian is not positive
    /// definite.
    Newton,
    /// L-BFGS with a strong-Wolfe line search.
    Lbfgs,
    /// The Marteau-Ferey–Bach–Rudi regularization path, then Newton-CG.
    NewtonPath,
    /// Dense BFGS with a strong-Wolfe line search.
    Bfgs,
    /// Gradient descent, Barzilai–Borwein steps, non-monotone Armijo search.
    Gd,
    /// Nesterov's accelerated gradient with adaptive restart.
    Agd,
    /// Nonlinear conjugate gradients with a strong-Wolfe search: β = PR+ (Gilbert & Nocedal
    /// 1992) by default, Hager–Zhang an option of [`NonlinearCg`].
    Ncg,
    /// Adaptive cubic regularization ([`AdaptiveCubic`]) with a Lanczos subproblem solver.
    Arc,
    /// Newton-CG with negative-curvature steps at small gradients (escapes saddles).
    NewtonNc,
    /// Randomized BFGS: sketched inverse-Hessian updates with exact Hessian products.
    Rbfgs,
    /// Sub-sampled Newton-CG, for finite sums (GLMs) only: not in [`Method::ALL`].
    SubsampledNewton,
    /// Bound majorization ([`BoundMajorization`](super::BoundMajorization)) on the Jebara–Choromanska bound of the
    /// log-partition, for softmax GLMs only: not in [`Method::ALL`].
    Bound,
    /// Bound majorization on Böhning's fixed bound, for softmax GLMs only.
    Bohning,
    /// Dual coordinate descent ([`DualCoordinateDescent`](super::DualCoordinateDescent)), for
    /// ridge-regularized binary linear classifiers without an intercept only.
    Dcd,
}

impl Method {
    pub const ALL: [Method; 12] = [
        Method::NewtonCg,
        Method::TrustRegion,
        Method::Newton,
        Method::Lbfgs,
        Method::NewtonPath,
        Method::Bfgs,
        Method::Gd,
        Method::Agd,
        Method::Ncg,
        Method::Arc,
        Method::NewtonNc,
        Method::Rbfgs,
    ];

    /// The methods that need a finite-sum objective ([`SampledCurvature`](crate::SampledCurvature)):
    /// [`fit_glm`](crate::fit::fit_glm) runs them, [`Method::minimize`] refuses them.
    pub const FINITE_SUM: [Method; 1] = [Method::SubsampledNewton];

    /// The methods that need a model with a quadratic bound
    /// ([`QuadraticBound`](super::QuadraticBound), a softmax GLM):
    /// [`fit_glm`](crate::fit::fit_glm) runs them, [`Method::minimize`] refuses them.
    pub const BOUND: [Method; 2] = [Method::Bound, Method::Bohning];

    /// The methods that solve a linear model's dual ([`DualLinear`](super::dual::DualLinear)):
    /// [`fit_glm`](crate::fit::fit_glm) runs them, [`Method::minimize`] refuses them.
    pub const DUAL: [Method; 1] = [Method::Dcd];

    /// The methods that use gradients alone and converge linearly at best: on ill-conditioned
    /// problems they need many more iterations than the others.
    pub const FIRST_ORDER: [Method; 3] = [Method::Gd, Method::Agd, Method::Ncg];

    pub fn name(self) -> &'static str {
        match self {
            Method::NewtonCg => "newton-cg",
            Method::TrustRegion => "trust-region",
            Method::Newton => "newton",
            Method::Lbfgs => "lbfgs",
            Method::NewtonPath => "newton-path",
            Method::Bfgs => "bfgs",
            Method::Gd => "gd",
            Method::Agd => "agd",
            Method::Ncg => "ncg",
            Method::Arc => "arc",
            Method::NewtonNc => "newton-nc",
            Method::Rbfgs => "rbfgs",
            Method::SubsampledNewton => "subsampled-newton",
            Method::Bound => "bound",
            Method::Bohning => "bohning",
            Method::Dcd => "dcd",
        }
    }

    /// The method `auto` picks for a linear model with `n` samples, `params` parameters and
    /// `nnz` stored feature values (`outputs` = K scores per sample).
    ///
    /// A direct solve pays ~n·p² per iteration to form the Hessian and p³/3 to factor it, and
    /// then converges in ~10 iterations whatever the conditioning: it is taken for p ≤ 2000 when
    /// an iteration costs less than 240 passes over the data or less than ~2·10⁹ flops (a fraction
    /// of a second). Digits softmax (p = 650, C = 0.1, tol 1e-8): newton 2.4 s, L-BFGS and
    /// Newton-CG 4.8–5.6 s over 1400–2000 passes. Otherwise diagonally scaled L-BFGS, which
    /// on the bench/glm sets needs fewer passes than the Newton-CG variants (rcv1-like 21/35
    /// to ε = 1e-6/1e-10 against 37/52 for Newton-CG; dense ill-conditioned 11/15 against 52/81;
    /// multiclass 15/23 against 20/28 for the trust region), each a single gradient.
    pub fn auto(n: usize, params: usize, nnz: usize, outputs: usize) -> Method {
        let p = params as f64;
        let iteration = n as f64 * p * p + p * p * p / 3.0;
        let pass = nnz.max(1) as f64 * outputs as f64;
        if params <= 2000 && iteration <= (240.0 * pass).max(2e9) {
            Method::Newton
        } else {
            Method::Lbfgs
        }
    }

    /// Runs the method with its default options and the given stop rule, and never returns a
    /// point worse than the start: where the run ends at a higher or non-finite value (a
    /// non-monotone method, or a wrong gradient that made every search fail), `x` is put back
    /// to x₀ and the report gives f(x₀) and ‖∇f(x₀)‖ (the status says how the run ended, except
    /// that a convergence verdict becomes [`Status::Stalled`]: x₀ did not pass the test).
    /// scipy.optimize's methods keep the same promise.
    pub fn minimize<F: Curvature, M: Monitor + ?Sized>(
        self,
        stop: Stop,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        let x0 = x.to_vec();
        let mut start = None;
        let mut watch = |info: &IterInfo| {
            if info.iter == 0 && start.is_none() {
                start = Some((info.f, info.grad_norm));
            }
            monitor.observe(info)
        };
        let mut report = self.run(stop, f, x, &mut watch)?;
        if let Some((f0, g0)) = start {
            if f0.is_finite() && (report.f.is_nan() || report.f > f0) {
                x.copy_from_slice(&x0);
                report.f = f0;
                report.grad_norm = g0;
                if report.status.converged() {
                    report.status = Status::Stalled;
                }
            }
        }
        Ok(report)
    }

    /// Runs the method with its default options, as it ends.
    fn run<F: Curvature, M: Monitor + ?Sized>(
        self,
        stop: Stop,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        match self {
            Method::NewtonCg => NewtonCg {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::TrustRegion => TrustRegion {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Newton => Newton {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Lbfgs => Lbfgs {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::NewtonPath => NewtonPath {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Bfgs => Bfgs {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Gd => GradientDescent {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Agd => Nesterov {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Ncg => NonlinearCg {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Arc => AdaptiveCubic {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::NewtonNc => NegativeCurvatureNewton {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::Rbfgs => Rbfgs {
                stop,
                ..Default::default()
            }
            .minimize(f, x, monitor),
            Method::SubsampledNewton => Err(Error::invalid(
                "subsampled-newton needs a finite-sum objective such as a GLM",
            )),
            Method::Bound | Method::Bohning => Err(Error::invalid(format!(
                "{self} needs a bound on a log-partition: a softmax GLM"
            ))),
            Method::Dcd => Err(Error::invalid(
                "dcd solves a linear model's dual: a binary GLM with a ridge",
            )),
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Method {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let all = || {
            Method::ALL
                .into_iter()
                .chain(Method::FINITE_SUM)
                .chain(Method::BOUND)
                .chain(Method::DUAL)
        };
        all().find(|m| m.name() == s).ok_or_else(|| {
            let names: Vec<_> = all().map(|m| m.name()).collect();
            Error::invalid(format!(
                "unknown solver '{s}' (expected auto or one of: {})",
                names.join(", ")
            ))
        })
    }
}
