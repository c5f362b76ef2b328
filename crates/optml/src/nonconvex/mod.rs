//! Non-convex problems that are solvable with guarantees: matrix completion, matrix sensing,
//! robust PCA, phase retrieval, CP tensor decomposition and dictionary learning, each by the
//! factored, alternating or spectral method that provably recovers a planted solution, next to
//! its convex baseline where there is one; planted generators and recovery metrics with each.

pub mod completion;
pub mod cp;
pub mod dictionary;
mod factored;
mod matching;
pub mod phase_retrieval;
pub mod pspin;
pub mod robust_pca;
pub mod sensing;
pub mod triples;

pub use factored::{recovery_error, Factors};
pub use matching::best_assignment;
