//! The inner solver the Newton-type methods share: conjugate gradients on H·s = −g (the Lanczos
//! basis they also use is [`crate::linalg::krylov`]).

mod cg;

pub(crate) use cg::{jacobi_inverse, newton_pcg, newton_pcg_until, steihaug, CgStop};
