//! The `optml train` flags for non-smooth regularizers: --l1, --elastic-net, --groups.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use optml::composite::{fit_glm_composite, read_groups, Penalty};
use optml::data::Dataset;
use optml::fit::Choice;
use optml::models::glm::{GlmModel, GlmSpec};
use optml::monitor::Monitor;
use optml::solvers::{Report, Stop};

use crate::CliResult;

#[derive(ClapArgs, Debug)]
pub struct CompositeArgs {
    /// Total strength λ of a non-smooth penalty on W (never on the intercept): λ‖W‖₁, the
    /// elastic net with --elastic-net, the group lasso λ·Σ_g √|g|·‖W_g‖ with --groups. The
    /// ridge ‖W‖²/(2C) is then dropped unless -C/--lambda is given too. Solvers: prox-newton
    /// (the default for auto), fista, prox-grad; --tol applies to the minimum-norm subgradient.
    #[arg(long, value_name = "LAMBDA")]
    pub l1: Option<f64>,
    /// Elastic-net mix α ∈ (0, 1] with --l1: λ(α‖W‖₁ + (1−α)/2·‖W‖²).
    #[arg(long, value_name = "ALPHA", requires = "l1", conflicts_with = "groups")]
    pub elastic_net: Option<f64>,
    /// Group lasso (with --l1 giving λ): a text file with one line per feature, in order,
    /// holding the feature's group label (a non-negative integer; 0 = unpenalized). Blank
    /// lines and lines starting with '#' are skipped.
    #[arg(long, value_name = "FILE", requires = "l1")]
    pub groups: Option<PathBuf>,
}

impl CompositeArgs {
    /// The penalty the flags ask for, if any.
    pub fn penalty(&self, data: &Dataset) -> CliResult<Option<Penalty>> {
        let Some(lambda) = self.l1 else {
            return Ok(None);
        };
        if !(lambda.is_finite() && lambda >= 0.0) {
            return Err(format!("--l1 must be a finite number ≥ 0, got {lambda}").into());
        }
        let alpha = self.elastic_net.unwrap_or(1.0);
        if !(alpha > 0.0 && alpha <= 1.0) {
            return Err(format!("--elastic-net must be in (0, 1], got {alpha}").into());
        }
        let groups = match &self.groups {
            Some(path) => Some(read_groups(path, data.n_features())?),
            None => None,
        };
        Ok(Some(Penalty {
            lambda,
            alpha,
            groups,
        }))
    }
}

/// Fits with `penalty`; the ridge of `spec` is kept only when the user asked for one.
pub fn fit<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &GlmSpec,
    ridge_given: bool,
    penalty: &Penalty,
    choice: Choice,
    stop: Stop,
    monitor: &mut M,
) -> CliResult<(GlmModel, Report)> {
    let mut spec = spec.clone();
    if !ridge_given {
        spec.c = f64::INFINITY;
    }
    Ok(fit_glm_composite(
        data, &spec, penalty, choice, stop, monitor,
    )?)
}
