//! What a model offers the second-order methods: its dense layers' places in θ, per-example
//! layer statistics (inputs and back-propagated pre-activation gradients) and Gauss-Newton
//! products on a batch.

use crate::objective::{FiniteSum, LinearOperator};

/// One dense layer z = W·a + b inside θ: W (`outputs` × `inputs`, row-major) starts at
/// `offset`, b (`outputs` values) follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DenseLayer {
    pub inputs: usize,
    pub outputs: usize,
    pub offset: usize,
}

impl DenseLayer {
    /// Where b starts in θ.
    pub fn bias(&self) -> usize {
        self.offset + self.inputs * self.outputs
    }
    /// The index in θ of entry (i, j) of Ŵ = [W | b] (j = `inputs`: the bias).
    pub fn index(&self, i: usize, j: usize) -> usize {
        if j < self.inputs {
            self.offset + i * self.inputs + j
        } else {
            self.bias() + i
        }
    }
}

/// Which targets the per-layer gradients gₗ back-propagate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fisher {
    /// Targets drawn from the model's predictive distribution ŷ ~ p(y | x; θ), one per example:
    /// E\[ggᵀ\] is then the true Fisher's factor (for the canonical losses, the Gauss-Newton
    /// matrix's).
    True,
    /// The data's own targets: the empirical Fisher (Kunstner, Hennig & Balles 2019 on why it
    /// can mislead).
    Empirical,
}

/// Per-layer statistics of a batch of m examples, filled by [`Layered::value_grad_layers`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerStats {
    /// m.
    pub rows: usize,
    /// Per layer: its inputs aₗ₋₁ (m × inputs, row-major).
    pub inputs: Vec<Vec<f64>>,
    /// Per layer: gₗ = ∂ℓᵢ/∂zₗ for each example i (m × outputs, row-major), on the scale of one
    /// example's loss (not divided by m).
    pub grads: Vec<Vec<f64>>,
}

/// A model made of dense layers that exposes what the second-order trainers need.
pub trait Layered: FiniteSum {
    /// The dense layers, input side first.
    fn dense_layers(&self) -> Vec<DenseLayer>;
    /// As [`FiniteSum::value_grad_batch`] (value and gradient of f_B), and fills `stats` with
    /// each layer's inputs and per-example pre-activation gradients for the targets `fisher`
    /// asks for (sampled under `seed` for [`Fisher::True`]).
    fn value_grad_layers(
        &self,
        x: &[f64],
        batch: &[usize],
        grad: &mut [f64],
        fisher: Fisher,
        seed: u64,
        stats: &mut LayerStats,
    ) -> f64;
    /// Runs `work` with the Gauss-Newton matrix of f_B at x (the scale of
    /// [`FiniteSum::value_grad_batch`], penalty included).
    fn gauss_newton_batch(
        &self,
        x: &[f64],
        batch: &[usize],
        work: &mut dyn FnMut(&dyn LinearOperator),
    );
}

/// `(in+1) × (in+1)` matrix āᵀā/m of the inputs with a 1 appended (the bias), and the
/// `out × out` matrix gᵀg/m, for one layer of a batch.
pub(crate) fn layer_factors(
    layer: &DenseLayer,
    stats: &LayerStats,
    l: usize,
) -> (faer::Mat<f64>, faer::Mat<f64>) {
    use crate::linalg::{matmul, par};
    use faer::{Accum, Mat, MatRef};
    let m = stats.rows;
    let (din, dout) = (layer.inputs, layer.outputs);
    let inv = 1.0 / m as f64;
    // āāᵀ/m = [aᵀa/m, aᵀ1/m; 1ᵀa/m, 1].
    let inputs = MatRef::from_row_major_slice(&stats.inputs[l], m, din);
    let mut a = Mat::<f64>::zeros(din + 1, din + 1);
    matmul(
        a.as_mut().submatrix_mut(0, 0, din, din),
        Accum::Replace,
        inputs.transpose(),
        inputs,
        inv,
        par(),
    );
    let mut mean = vec![0.0; din];
    for row in stats.inputs[l].chunks_exact(din) {
        for (s, v) in mean.iter_mut().zip(row) {
            *s += v;
        }
    }
    for (j, s) in mean.iter().enumerate() {
        a[(din, j)] = s * inv;
        a[(j, din)] = s * inv;
    }
    a[(din, din)] = 1.0;
    let g = MatRef::from_row_major_slice(&stats.grads[l], m, dout);
    let mut gg = Mat::<f64>::zeros(dout, dout);
    matmul(gg.as_mut(), Accum::Replace, g.transpose(), g, inv, par());
    (a, gg)
}
