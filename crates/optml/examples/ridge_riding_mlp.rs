//! Ridge riding (Parker-Holder et al. 2020) on a small tanh MLP:
//! `cargo run --release -p optml --example ridge_riding_mlp`.
//!
//! A 2-3-3 network classifies three overlapping Gaussian blobs (90 points, seeded). The ride
//! starts at the maximally invariant saddle (all weights zero, output bias at the log class
//! frequencies), follows the two most negative Hessian eigenvectors with both signs, branches
//! again at the saddles the rides end on (three levels), and lets a trust-region Newton solver
//! finish. End points that compute the same function (copies of one minimum under the
//! permutations and sign flips of the hidden units) count once. Each minimum is checked with the
//! exact dense Hessian: its smallest eigenvalue is 0 to rounding, for the softmax leaves the
//! logits' common shift flat (and an unused unit's bias is flat too), and the rest are positive.

use optml::curvature::{path_string, DenseSpectrum, RidgeRider};
use optml::data::synthetic::circle_blobs;
use optml::linalg::norm;
use optml::models::mlp::{Activation, Mlp};
use optml::{Curvature, Objective};

const HIDDEN: usize = 3;
/// Eigenvalues with |λ| below this are flat directions.
const FLAT: f64 = 1e-8;

/// Fraction of the rows whose largest output (the first one on ties) is their label.
fn accuracy(mlp: &Mlp, theta: &[f64], x: &[f64], y: &[f64]) -> optml::Result<f64> {
    let z = mlp.outputs(theta, y.len(), x)?;
    let k = z.len() / y.len();
    let right = z
        .chunks_exact(k)
        .zip(y)
        .filter(|(row, &c)| {
            let best = (0..k).fold(0, |b, j| if row[j] > row[b] { j } else { b });
            best == c as usize
        })
        .count();
    Ok(right as f64 / y.len() as f64)
}

/// Hidden units with non-zero incoming or outgoing weights (θ = W₁ (h×2), b₁, W₂ (3×h), b₂).
fn active_units(theta: &[f64]) -> usize {
    let h = HIDDEN;
    let w2 = &theta[3 * h..6 * h];
    (0..h)
        .filter(|&j| {
            let w_in = theta[2 * j].hypot(theta[2 * j + 1]);
            let w_out = (0..3).map(|c| w2[c * h + j].powi(2)).sum::<f64>().sqrt();
            w_in + w_out > 1e-6
        })
        .count()
}

/// Eigenvalues grouped by (near-)equality as (value, multiplicity).
fn grouped(values: &[f64]) -> Vec<(f64, usize)> {
    let mut out: Vec<(f64, usize)> = Vec::new();
    for &v in values {
        match out.last_mut() {
            Some((u, m)) if (v - *u).abs() <= 1e-9 * (1.0 + u.abs()) => *m += 1,
            _ => out.push((v, 1)),
        }
    }
    out
}

fn run() -> optml::Result<()> {
    let (x, y) = circle_blobs(3, 30, 0.6, 1);
    let n = y.len();
    let l2 = 1e-3;
    let mlp = Mlp::classifier(&[2, HIDDEN, 3], Activation::Tanh, n, &x, &y)?.with_l2(l2)?;
    println!(
        "tanh MLP 2-{HIDDEN}-3 ({} parameters), softmax cross-entropy + ({l2}/2)·‖W‖², \
         3 Gaussian blobs, {n} points",
        mlp.dim()
    );

    let theta0 = mlp.symmetric_saddle()?;
    let mut g = vec![0.0; mlp.dim()];
    let f0 = mlp.value_grad(&theta0, &mut g);
    let spectrum = DenseSpectrum::of(&mlp.hessian(&theta0))?;
    let negative: Vec<String> = grouped(&spectrum.values)
        .into_iter()
        .filter(|(v, _)| *v < -FLAT)
        .map(|(v, m)| format!("{v:.4} (×{m})"))
        .collect();
    println!(
        "saddle (weights 0, output bias = log class frequencies): loss {f0:.6}, ‖∇f‖ {:.1e}, \
         accuracy {:.3}",
        norm(&g),
        accuracy(&mlp, &theta0, &x, &y)?
    );
    println!("  negative Hessian eigenvalues: {}", negative.join(", "));

    let rider = RidgeRider {
        max_depth: 3,
        branches: 2,
        ..Default::default()
    };
    let start = std::time::Instant::now();
    let report = rider.run_modulo(&mlp, &theta0, |a, b| mlp.same_function(a, b, 1e-6))?;
    let seconds = start.elapsed().as_secs_f64();
    let ends: usize = report.minima.iter().map(|m| m.hits).sum();
    println!(
        "ridge riding: depth {}, {} directions × 2 signs per saddle: {} rides, {ends} end points, \
         {} Hessian products, {seconds:.2} s",
        rider.max_depth, rider.branches, report.rides, report.products
    );
    println!(
        "{} distinct minima (up to permutations and sign flips of the hidden units):",
        report.minima.len()
    );
    println!("  #  loss      ‖∇f‖     λ_min     flat  λ_min⁺    units  accuracy  hits  path");
    for (i, m) in report.minima.iter().enumerate() {
        let s = DenseSpectrum::of(&mlp.hessian(&m.x))?;
        let flat = s.values.iter().filter(|v| v.abs() <= FLAT).count();
        let positive = s
            .values
            .iter()
            .copied()
            .find(|v| *v > FLAT)
            .unwrap_or(f64::NAN);
        println!(
            "  {}  {:.6}  {:.1e}  {:+.1e}  {flat:>4}  {positive:.2e}  {:>5}  {:>8.3}  {:>4}  {}",
            i + 1,
            m.f,
            m.grad_norm,
            s.values[0],
            active_units(&m.x),
            accuracy(&mlp, &m.x, &x, &y)?,
            m.hits,
            path_string(&m.path)
        );
    }
    Ok(())
}

fn main() {
    // The problem is tiny: one thread avoids the pool's overhead on each product.
    if let Err(e) = optml::with_threads(1, run).and_then(|r| r) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
