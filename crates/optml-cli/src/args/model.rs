//! A model file written by `optml train --model`, whichever kind it holds.

use std::path::Path;

use optml::models::glm::GlmModel;
use optml::models::mlp::MlpModel;

use crate::CliResult;

/// A GLM's file or an MLP's.
pub enum ModelFile {
    Glm(GlmModel),
    Mlp(MlpModel),
}

/// Reads and validates the model at `path`; an MLP's file is told apart by its layer sizes.
pub fn load_model(path: &Path) -> CliResult<ModelFile> {
    let text = std::fs::read_to_string(path).map_err(|e| optml::Error::io(path, e))?;
    Ok(if MlpModel::is_mlp_json(&text) {
        ModelFile::Mlp(MlpModel::load(path)?)
    } else {
        ModelFile::Glm(GlmModel::load(path)?)
    })
}
