//! Measures libm's `exp` before and after a faer GEMM, with and without clearing the upper
//! vector state afterwards: `cargo run --release -p optml --example vector_state`.

use faer::{Accum, Mat, Par};
use std::time::Instant;

/// Seconds for 8 million `exp` calls.
fn time_exp() -> f64 {
    let mut v: Vec<f64> = (0..400_000).map(|i| (i % 1000) as f64 * 1e-3).collect();
    let start = Instant::now();
    let mut sum = 0.0;
    for _ in 0..20 {
        for x in v.iter_mut() {
            *x = (*x * 1e-3 - 0.5).exp();
            sum += *x;
        }
    }
    std::hint::black_box(sum);
    start.elapsed().as_secs_f64()
}

fn main() {
    let a = Mat::<f64>::from_fn(2000, 200, |i, j| (i + j) as f64 * 1e-3);
    let b = Mat::<f64>::from_fn(200, 20, |i, j| (i * j) as f64 * 1e-3);
    let mut c = Mat::<f64>::zeros(2000, 20);
    println!("exp, clean state:                 {:.3} s", time_exp());
    faer::linalg::matmul::matmul(
        c.as_mut(),
        Accum::Replace,
        a.as_ref(),
        b.as_ref(),
        1.0,
        Par::Seq,
    );
    println!("exp, after faer's matmul:         {:.3} s", time_exp());
    optml::linalg::matmul(
        c.as_mut(),
        Accum::Replace,
        a.as_ref(),
        b.as_ref(),
        1.0,
        Par::Seq,
    );
    println!("exp, after optml::linalg::matmul: {:.3} s", time_exp());
}
