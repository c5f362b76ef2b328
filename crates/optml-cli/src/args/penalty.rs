//! The `optml train` flags for non-smooth regularizers: --l1, --elastic-net, --groups.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use optml::data::read_groups;
use optml::models::glm::Penalty;

use super::heading;
use crate::CliResult;

#[derive(ClapArgs, Debug)]
#[command(next_help_heading = heading::PENALTY)]
pub struct PenaltyArgs {
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

impl PenaltyArgs {
    /// The penalty the flags ask for, if any, checked against the data's feature count.
    pub fn penalty(&self, n_features: usize) -> CliResult<Option<Penalty>> {
        let Some(lambda) = self.l1 else {
            return Ok(None);
        };
        let (penalty, flags) = match (&self.groups, self.elastic_net) {
            (Some(path), _) => (
                Penalty::GroupLasso {
                    lambda,
                    groups: read_groups(path, n_features)?,
                },
                "--l1, --groups",
            ),
            (None, Some(alpha)) => (Penalty::ElasticNet { lambda, alpha }, "--l1, --elastic-net"),
            (None, None) => (Penalty::l1(lambda), "--l1"),
        };
        penalty
            .validate(n_features)
            .map_err(|e| format!("{flags}: {e}"))?;
        Ok(Some(penalty))
    }
}
