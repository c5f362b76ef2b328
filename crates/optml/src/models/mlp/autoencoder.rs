//! Deep autoencoders (Hinton & Salakhutdinov 2006): a network trained to reproduce its inputs
//! through a narrow code layer, e.g. 784-400-200-100-30-100-200-400-784 on MNIST — the classic
//! benchmark of Hessian-free and K-FAC (Martens 2010; Martens & Grosse 2015).

use super::{Activation, Mlp};
use crate::error::{Error, Result};

impl Mlp {
    /// An autoencoder with the squared error ½‖F(θ; x) − x‖² averaged over the n rows of `x`
    /// (n × d row-major): a regressor whose targets are its inputs, so its gradients,
    /// Hessian-vector and Gauss-Newton products are the regressor's. The sizes must start and
    /// end with d.
    pub fn autoencoder(
        sizes: &[usize],
        activation: Activation,
        n: usize,
        x: &[f64],
    ) -> Result<Mlp> {
        if sizes.len() < 3 || sizes.first() != sizes.last() {
            return Err(Error::invalid(format!(
                "an autoencoder needs a hidden layer and as many outputs as inputs, got {sizes:?}"
            )));
        }
        Mlp::regressor(sizes, activation, n, x, x)
    }
}
