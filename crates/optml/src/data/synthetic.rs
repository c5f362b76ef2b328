//! Small seeded data sets for examples and tests.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `per` points of each of `classes` Gaussian blobs in the plane: class c is centred at angle
/// π/2 + 2πc/classes on the unit circle, with standard deviation `spread` in each coordinate.
/// Returns (x, row-major n × 2; labels 0, 1, …). The normal draws are Box–Muller transforms of
/// a ChaCha8 stream, so the same seed gives the same points on every platform and version.
pub fn circle_blobs(classes: usize, per: usize, spread: f64, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for c in 0..classes {
        let a = std::f64::consts::FRAC_PI_2 + c as f64 * std::f64::consts::TAU / classes as f64;
        for _ in 0..per {
            let r = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt();
            let t = std::f64::consts::TAU * rng.random::<f64>();
            x.push(a.cos() + spread * r * t.cos());
            x.push(a.sin() + spread * r * t.sin());
            y.push(c as f64);
        }
    }
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_sit_around_their_centres() {
        let (x, y) = circle_blobs(3, 2000, 0.1, 7);
        assert_eq!((x.len(), y.len()), (12000, 6000));
        for c in 0..3 {
            let rows: Vec<usize> = (0..y.len()).filter(|&i| y[i] == c as f64).collect();
            assert_eq!(rows.len(), 2000);
            let a = std::f64::consts::FRAC_PI_2 + c as f64 * std::f64::consts::TAU / 3.0;
            let mean = |k: usize| rows.iter().map(|&i| x[2 * i + k]).sum::<f64>() / 2000.0;
            let var = |k: usize, m: f64| {
                rows.iter()
                    .map(|&i| (x[2 * i + k] - m).powi(2))
                    .sum::<f64>()
                    / 2000.0
            };
            let (mx, my) = (mean(0), mean(1));
            // Standard error of the mean 0.1/√2000 ≈ 0.0022; of the variance ≈ 3%.
            assert!((mx - a.cos()).abs() < 0.01 && (my - a.sin()).abs() < 0.01);
            for (k, m) in [(0, mx), (1, my)] {
                assert!((var(k, m) / 0.01 - 1.0).abs() < 0.15, "class {c}");
            }
        }
        assert_eq!(circle_blobs(3, 5, 0.5, 1), circle_blobs(3, 5, 0.5, 1));
    }
}
