//! Newton methods: a dense solve, line-search and trust-region Newton-CG, the regularization
//! path for self-concordant losses, and sub-sampled Newton-CG for finite sums.

mod dense;
mod newton_cg;
mod newton_path;
mod subsampled_newton;
mod trust_region;

pub use dense::Newton;
pub use newton_cg::NewtonCg;
pub use newton_path::{NewtonPath, Proximal, Shifted};
pub use subsampled_newton::{SampleSize, SubsampledNewton};
pub use trust_region::TrustRegion;
