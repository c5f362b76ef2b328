//! Energies per spin H/N of the local minima that negative-curvature Newton reaches from random
//! starts on spherical 3-spin glasses of growing size, next to the N → ∞ band
//! [E₀, E_∞] ≈ [−1.657, −1.633] (Auffinger, Ben Arous & Černý, 2013).
//!
//! `cargo run --release -p optml --example pspin_energies [starts]`

use optml::monitor::quiet;
use optml::nonconvex::pspin::{sample_minima, threshold_energy, Descent, PSpin, GROUND_STATE};

fn main() -> optml::Result<()> {
    let starts: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    println!(
        "ground state E0 = {GROUND_STATE}, threshold E_inf = {:.4} (N -> inf)",
        threshold_energy()
    );
    println!(
        "|   N | minima | mean H/N | std H/N | lowest | highest | max grad | min eig | seconds |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in [25, 50, 100, 150] {
        let t = std::time::Instant::now();
        let model = PSpin::new(n, n as u64)?;
        let minima = sample_minima(
            &model,
            starts,
            Descent::NegativeCurvature,
            1e-9,
            1,
            &mut quiet(),
        )?;
        let e: Vec<f64> = minima.iter().map(|m| m.energy).collect();
        let mean = e.iter().sum::<f64>() / e.len() as f64;
        let sd = (e.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / e.len() as f64).sqrt();
        let grad = minima.iter().map(|m| m.grad_norm).fold(0.0, f64::max);
        let eig = minima
            .iter()
            .map(|m| m.min_eigenvalue)
            .fold(f64::INFINITY, f64::min);
        println!(
            "| {n} | {} | {mean:.4} | {sd:.4} | {:.4} | {:.4} | {grad:.1e} | {eig:.2e} | {:.2} |",
            e.len(),
            e.iter().cloned().fold(f64::INFINITY, f64::min),
            e.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            t.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
