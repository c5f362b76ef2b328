//! Seeded random draws of whole vectors and matrices: standard normal vectors and matrices,
//! Rademacher (±1) vectors and points uniform in a ball — what the curvature probes, the
//! solvers' random starts and sketches and the planted instances draw. Every caller passes its
//! own seeded generator, so the same seed gives the same bits.

use faer::Mat;
use rand::Rng;
use rand_distr::StandardNormal;

/// `n` independent standard normal entries.
pub fn gaussian_vector(n: usize, rng: &mut impl Rng) -> Vec<f64> {
    (0..n).map(|_| rng.sample(StandardNormal)).collect()
}

/// A rows × cols matrix of independent standard normal entries (drawn column by column).
pub fn gaussian_matrix(rows: usize, cols: usize, rng: &mut impl Rng) -> Mat<f64> {
    Mat::from_fn(rows, cols, |_, _| rng.sample(StandardNormal))
}

/// A point uniform in the ball of radius `r` in ℝⁿ: a Gaussian direction times r·U^{1/n}
/// (U uniform on [0, 1]).
pub fn uniform_ball(n: usize, r: f64, rng: &mut impl Rng) -> Vec<f64> {
    let mut v = gaussian_vector(n, rng);
    let scale = r * rng.random::<f64>().powf(1.0 / n as f64) / super::norm(&v);
    v.iter_mut().for_each(|c| *c *= scale);
    v
}

/// `n` independent ±1 entries, each sign with probability ½ (a Rademacher probe:
/// E[z zᵀ] = I with the least variance of zᵀAz among such probes).
pub fn rademacher_vector(n: usize, rng: &mut impl Rng) -> Vec<f64> {
    (0..n)
        .map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn same_seed_same_draws_and_the_right_moments() {
        let draw = |seed| gaussian_vector(20_000, &mut ChaCha8Rng::seed_from_u64(seed));
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
        let g = draw(3);
        let mean = g.iter().sum::<f64>() / g.len() as f64;
        let var = g.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / g.len() as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
        let z = rademacher_vector(1000, &mut ChaCha8Rng::seed_from_u64(1));
        assert!(z.iter().all(|v| v.abs() == 1.0));
        assert!(z.iter().sum::<f64>().abs() < 150.0);
        let m = gaussian_matrix(3, 4, &mut ChaCha8Rng::seed_from_u64(5));
        assert_eq!((m.nrows(), m.ncols()), (3, 4));
    }
}
