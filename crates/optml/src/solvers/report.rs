//! What a run returns: why it stopped and what it cost.

use serde::Serialize;

/// Why a solver stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// ‖∇f(x)‖ ≤ tol·‖∇f(x₀)‖.
    ConvergedRelativeGradient,
    /// ‖∇f(x)‖ ≤ tol.
    ConvergedAbsoluteGradient,
    /// The iteration budget ran out.
    MaxIterations,
    /// The time budget ran out.
    TimeLimit,
    /// No step decreased f any more (line search or trust region failed at machine precision).
    Stalled,
    /// f or ∇f became NaN or infinite.
    NonFinite,
    /// The monitor asked to stop.
    StoppedByMonitor,
}

impl Status {
    /// Whether the run met its convergence test.
    pub fn converged(self) -> bool {
        matches!(
            self,
            Status::ConvergedRelativeGradient | Status::ConvergedAbsoluteGradient
        )
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Status::ConvergedRelativeGradient => "converged (relative gradient norm)",
            Status::ConvergedAbsoluteGradient => "converged (gradient norm)",
            Status::MaxIterations => "iteration limit",
            Status::TimeLimit => "time limit",
            Status::Stalled => "stalled (no further decrease)",
            Status::NonFinite => "non-finite value",
            Status::StoppedByMonitor => "stopped by monitor",
        })
    }
}

/// The outcome of one run of a solver.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub solver: &'static str,
    pub status: Status,
    pub iterations: usize,
    /// Function evaluations (value only, line-search trials included).
    pub f_evals: usize,
    /// Gradient evaluations (each also gives f).
    pub g_evals: usize,
    /// Hessian-vector products (a dense Hessian counts as n of them).
    pub hv_products: usize,
    /// Passes over the data (0 for objectives without data).
    pub passes: f64,
    /// f and ‖∇f‖ at the returned point.
    pub f: f64,
    pub grad_norm: f64,
    pub seconds: f64,
    /// Where the Hessian products came from ("exact" or "finite-differences"), for solvers
    /// that use curvature; `None` for gradient-only solvers.
    pub hessian: Option<&'static str>,
    /// A Lanczos estimate of λ_min(∇²f) at the returned point, from the solvers that test
    /// second-order stationarity.
    pub min_eigenvalue: Option<f64>,
    /// Whether the returned point passed that solver's second-order test λ_min ≥ −ε (a
    /// minimizer, not a saddle, to that tolerance); `None` where no test was made.
    pub second_order: Option<bool>,
}
