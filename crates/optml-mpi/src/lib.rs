//! # optml-mpi
//!
//! Data-parallel training of the library's GLMs over MPI, for data that outgrow one machine.
//! Each rank reads only its own rows ([`read_shard`]); [`DistGlm`] sums the ranks' losses,
//! gradients and Hessian products with one all-reduce each, so the library's Newton-CG,
//! trust-region and L-BFGS run unchanged on every rank (the exact distributed baseline); and
//! [`methods`] holds the communication-efficient Newton-type methods GIANT, DiSCO and DINO.
//! [`fit`] is the policy: a shard and a spec in, the same [`GlmModel`](optml::models::glm::GlmModel)
//! as `optml train` out, with the rounds and bytes it took.
//!
//! Floors, as in the library: [`comm`] (collectives, counted) ← [`shard`], [`objective`] ←
//! [`methods`] ← [`fit`] ← the `optml-mpi` binary.

pub mod comm;
mod error;
pub mod fit;
pub mod methods;
pub mod objective;
pub mod shard;

pub use comm::{Comm, Traffic};
pub use error::{agree, Error, Result};
pub use fit::{fit, Solver};
pub use objective::DistGlm;
pub use shard::{read_shard, Shard, ShardOptions};
