//! Times one Hessian-vector product of the digits MLP 64-32-32-10 (3466 parameters, 1797
//! samples, f64), tanh and ReLU, on one thread (median of the repeats). `bench/hessian/hvp.py`
//! runs it beside PyTorch's double-backward product.
//!
//! `cargo run --release -p optml --example hvp_timing -- [REPEATS] [THREADS]`
//!
//! Prints one line per network: `act full_ms apply_ms grad_ms`, where `full` builds the operator
//! at the point (forward and backward pass) and applies it once, `apply` is one more product with
//! the operator built, and `grad` is one gradient.

use std::path::PathBuf;
use std::time::Instant;

use optml::data::{read_npy_matrix, read_npy_vector};
use optml::models::mlp::{Activation, Mlp};
use optml::{Curvature, LinearOperator, Objective};

fn median_ms(repeats: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut t: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn main() -> optml::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let repeats: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(30);
    let threads: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    optml::set_threads(threads)?;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/digits-mlp");
    let (n, _, x) = read_npy_matrix(&dir.join("digits_X.npy"))?;
    let y = read_npy_vector(&dir.join("digits_y.npy"))?;
    for (act, file) in [
        (Activation::Tanh, "mlp_tanh_trained.npy"),
        (Activation::Relu, "mlp_relu_init.npy"),
    ] {
        let f = Mlp::classifier(&[64, 32, 32, 10], act, n, &x, &y)?;
        let theta = read_npy_vector(&dir.join(file))?;
        let v: Vec<f64> = (0..f.dim())
            .map(|i| ((i * 37) % 101) as f64 / 50.0 - 1.0)
            .collect();
        let mut out = vec![0.0; f.dim()];
        let full = median_ms(repeats, || f.hessian(&theta).apply(&v, &mut out));
        let h = f.hessian(&theta);
        let apply = median_ms(repeats, || h.apply(&v, &mut out));
        let grad = median_ms(repeats, || {
            f.value_grad(&theta, &mut out);
        });
        println!("{act} {full:.4} {apply:.4} {grad:.4}");
    }
    Ok(())
}
