//! Models: generalized linear models (more to come: MLPs, test functions).

pub mod glm;
pub mod mlp;
pub mod testfns;
