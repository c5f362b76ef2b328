//! Shared helpers for the integration tests.
#![allow(dead_code)]

use optml::data::{read_libsvm, Dataset, LibsvmOptions};
use optml::linalg::{CsrMatrix, DenseMatrix, Design};
use optml::objective::{LinearOperator, Objective};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub fn fixture(name: &str) -> Dataset {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name);
    read_libsvm(&path, &LibsvmOptions::default()).expect("fixture loads")
}

/// A random data set: dense or sparse, n × d, labels from `labels(i, rng)`.
pub fn random_dataset(
    n: usize,
    d: usize,
    sparse: bool,
    seed: u64,
    labels: impl Fn(usize, &mut ChaCha8Rng) -> f64,
) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x = vec![0.0; n * d];
    for v in x.iter_mut() {
        if !sparse || rng.random::<f64>() < 0.3 {
            *v = rng.random_range(-2.0..2.0);
        }
    }
    let y = (0..n).map(|i| labels(i, &mut rng)).collect();
    let x = if sparse {
        Design::Sparse(CsrMatrix::from_dense(n, d, &x).unwrap())
    } else {
        Design::Dense(DenseMatrix::from_row_major(n, d, x).unwrap())
    };
    Dataset { x, y, source: None }
}

/// max |analytic − central difference| / (1 + |analytic|) of the gradient at x.
pub fn gradient_error(f: &impl Objective, x: &[f64]) -> f64 {
    let mut g = vec![0.0; x.len()];
    f.value_grad(x, &mut g);
    let mut worst: f64 = 0.0;
    for j in 0..x.len() {
        let h = 1e-6 * (1.0 + x[j].abs());
        let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
        xp[j] += h;
        xm[j] -= h;
        let fd = (f.value(&xp) - f.value(&xm)) / (2.0 * h);
        worst = worst.max((fd - g[j]).abs() / (1.0 + g[j].abs()));
    }
    worst
}

/// ‖H·v − (∇f(x + εv) − ∇f(x − εv))/2ε‖ / (1 + ‖H·v‖).
pub fn hessian_vector_error(
    f: &impl Objective,
    h: &impl LinearOperator,
    x: &[f64],
    v: &[f64],
) -> f64 {
    let n = x.len();
    let mut hv = vec![0.0; n];
    h.apply(v, &mut hv);
    let eps = 1e-5;
    let xp: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + eps * b).collect();
    let xm: Vec<f64> = x.iter().zip(v).map(|(a, b)| a - eps * b).collect();
    let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
    f.value_grad(&xp, &mut gp);
    f.value_grad(&xm, &mut gm);
    let diff: f64 = (0..n)
        .map(|j| (hv[j] - (gp[j] - gm[j]) / (2.0 * eps)).powi(2))
        .sum::<f64>()
        .sqrt();
    diff / (1.0 + optml::linalg::norm(&hv))
}
