//! Least squares on the probability simplex, as a game with a Lagrange multiplier.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::dense::{mul, mul_t};
use super::Game;
use crate::linalg::random::gaussian_vector;

/// min ½‖Ax − b‖² over x ≥ 0 with Σxᵢ = 1, as the zero-sum game
/// f(x, λ) = ½‖Ax − b‖² + λ(Σxᵢ − 1), g = −f: x ∈ ℝᵐ₊ (play it with
/// [`Potential::Entropy`](super::Potential::Entropy), which keeps x > 0) against the multiplier
/// λ ∈ ℝ ([`Potential::Euclidean`](super::Potential::Euclidean)). The regression experiment of
/// Schäfer, Anandkumar & Owhadi (2020), there with A ∈ ℝ^{50×5000}.
#[derive(Clone, Debug)]
pub struct SimplexRegression {
    rows: usize,
    cols: usize,
    a: Vec<f64>,
    b: Vec<f64>,
}

impl SimplexRegression {
    /// A seeded instance: A standard normal / √rows (rows × cols), b = A x₀ + 0.1·noise with x₀
    /// on the simplex, supported on 10 coordinates (or all, if fewer).
    pub fn random(rows: usize, cols: usize, seed: u64) -> SimplexRegression {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let scale = 1.0 / (rows as f64).sqrt();
        let a: Vec<f64> = gaussian_vector(rows * cols, &mut rng)
            .iter()
            .map(|v| v * scale)
            .collect();
        let k = cols.min(10);
        let mut x0 = vec![0.0; cols];
        let step = cols / k;
        (0..k).for_each(|i| x0[i * step] = 1.0 / k as f64);
        let mut b = vec![0.0; rows];
        mul(&a, cols, &x0, &mut b);
        let noise = gaussian_vector(rows, &mut rng);
        b.iter_mut().zip(&noise).for_each(|(b, e)| *b += 0.1 * e);
        SimplexRegression { rows, cols, a, b }
    }

    /// The number of unknowns (x's dimension).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// ½‖Ax − b‖².
    pub fn loss(&self, x: &[f64]) -> f64 {
        let mut r = vec![0.0; self.rows];
        mul(&self.a, self.cols, x, &mut r);
        r.iter()
            .zip(&self.b)
            .map(|(r, b)| 0.5 * (r - b) * (r - b))
            .sum()
    }

    /// Aᵀ(Ax − b) into `grad`; returns ½‖Ax − b‖² (two passes over A).
    pub fn loss_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let mut r = vec![0.0; self.rows];
        mul(&self.a, self.cols, x, &mut r);
        r.iter_mut().zip(&self.b).for_each(|(r, b)| *r -= b);
        mul_t(&self.a, self.cols, &r, grad);
        0.5 * r.iter().map(|r| r * r).sum::<f64>()
    }

    /// ‖A‖₂², the Lipschitz constant of the loss's gradient, by 100 power iterations on AᵀA.
    pub fn lipschitz(&self) -> f64 {
        let mut v = vec![1.0 / (self.cols as f64).sqrt(); self.cols];
        let (mut av, mut w) = (vec![0.0; self.rows], vec![0.0; self.cols]);
        let mut lambda = 0.0;
        for _ in 0..100 {
            mul(&self.a, self.cols, &v, &mut av);
            mul_t(&self.a, self.cols, &av, &mut w);
            lambda = w.iter().map(|w| w * w).sum::<f64>().sqrt();
            v.iter_mut().zip(&w).for_each(|(v, w)| *v = w / lambda);
        }
        lambda
    }
}

impl Game for SimplexRegression {
    fn dim_x(&self) -> usize {
        self.cols
    }
    fn dim_y(&self) -> usize {
        1
    }
    fn zero_sum(&self) -> bool {
        true
    }
    fn values(&self, x: &[f64], y: &[f64]) -> (f64, f64) {
        let f = self.loss(x) + y[0] * (x.iter().sum::<f64>() - 1.0);
        (f, -f)
    }
    fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        self.loss_grad(x, gx);
        gx.iter_mut().for_each(|g| *g += y[0]);
        gy[0] = -(x.iter().sum::<f64>() - 1.0);
    }
    fn mixed_f(&self, _: &[f64], _: &[f64], v: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = v[0]);
    }
    fn mixed_g(&self, _: &[f64], _: &[f64], u: &[f64], out: &mut [f64]) {
        out[0] = -u.iter().sum::<f64>();
    }
    fn pure_f(&self, _: &[f64], _: &[f64], u: &[f64], out: &mut [f64]) {
        let mut au = vec![0.0; self.rows];
        mul(&self.a, self.cols, u, &mut au);
        mul_t(&self.a, self.cols, &au, out);
    }
    fn pure_g(&self, _: &[f64], _: &[f64], _: &[f64], out: &mut [f64]) {
        out[0] = 0.0;
    }
}
