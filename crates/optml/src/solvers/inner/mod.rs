//! The inner solvers the Newton-type methods share: conjugate gradients on H·s = −g and a
//! Lanczos basis of H.

mod cg;
mod krylov;

pub(crate) use cg::{jacobi_inverse, newton_pcg, newton_pcg_until, steihaug, CgStop};
pub(crate) use krylov::{smallest_eigenpair, Lanczos};
