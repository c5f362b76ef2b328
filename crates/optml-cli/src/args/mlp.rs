//! The flags that describe an MLP classifier (`--arch`, `--act`, `--l2`), shared by `hessian`
//! and `train`: the objective f(θ) = (1/n)·Σᵢ CE(F(θ; xᵢ), yᵢ) + (λ/2)·Σₗ‖Wₗ‖² on a data set, and
//! its parameter vectors read from or written to .npy files.

use std::path::Path;

use clap::Args;
use optml::data::read_npy_vector;
use optml::models::mlp::{parse_sizes, Activation, Mlp, MlpSpec};
use optml::Objective;

use super::heading;
use crate::CliResult;

#[derive(Args, Debug)]
#[command(next_help_heading = heading::MLP)]
pub struct MlpArgs {
    /// An MLP classifier with these layer sizes, input-hidden…-classes (e.g. 64-32-32-10);
    /// labels are class ids 0..k−1, the loss the mean softmax cross-entropy.
    #[arg(long)]
    pub arch: Option<String>,
    /// MLP hidden activation: tanh, relu, sigmoid, softplus, gelu, ...
    #[arg(long, default_value = "tanh", requires = "arch")]
    pub act: Activation,
    /// MLP L2 weight λ: adds (λ/2)·Σ‖Wₗ‖² (biases not penalized).
    #[arg(long, default_value_t = 0.0, requires = "arch")]
    pub l2: f64,
}

impl MlpArgs {
    /// The classifier the flags describe, started from `seed`, or `None` when no `--arch` was
    /// given. Its objective on a data set is [`MlpSpec::objective`].
    pub fn spec(&self, seed: u64) -> CliResult<Option<MlpSpec>> {
        let Some(arch) = &self.arch else {
            return Ok(None);
        };
        Ok(Some(MlpSpec {
            l2: self.l2,
            seed,
            ..MlpSpec::classifier(&parse_sizes(arch)?, self.act)
        }))
    }
}

/// Parameters for `mlp` from a .npy vector: the count must match the architecture and every value
/// be finite.
pub fn read_params(path: &Path, mlp: &Mlp) -> CliResult<Vec<f64>> {
    let theta = read_npy_vector(path)?;
    let arch = mlp
        .sizes()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join("-");
    if theta.len() != mlp.dim() {
        return Err(format!(
            "{} holds {} parameters, the architecture {arch} has {}",
            path.display(),
            theta.len(),
            mlp.dim()
        )
        .into());
    }
    if let Some(i) = theta.iter().position(|v| !v.is_finite()) {
        return Err(format!(
            "parameter {i} in {} is not finite ({})",
            path.display(),
            theta[i]
        )
        .into());
    }
    Ok(theta)
}

/// Writes θ as a 1-d .npy vector (per layer Wₗ row-major, then bₗ).
pub fn write_params(path: &Path, theta: &[f64]) -> CliResult {
    optml::data::write_npy(path, &[theta.len()], theta)?;
    Ok(())
}
