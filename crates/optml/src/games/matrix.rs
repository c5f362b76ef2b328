//! Matrix games on simplices: min over mixed strategies x of max over y of xᵀAy.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::dense::{mul, mul_t};
use super::Game;
use crate::error::{Error, Result};

/// The zero-sum matrix game f(x, y) = xᵀAy, g = −f, with x ∈ Δᵐ (the row player, who pays) and
/// y ∈ Δⁿ: play with [`Potential::Simplex`](super::Potential::Simplex) for both players. Its
/// exploitability max_j (Aᵀx)ⱼ − min_i (Ay)ᵢ is ≥ 0 on the simplices and 0 exactly at the Nash
/// equilibria (von Neumann's minimax theorem).
#[derive(Clone, Debug)]
pub struct MatrixGame {
    m: usize,
    n: usize,
    a: Vec<f64>,
}

impl MatrixGame {
    /// The game with payoff A (m × n, row-major, finite).
    pub fn new(m: usize, n: usize, a: Vec<f64>) -> Result<MatrixGame> {
        if m == 0 || n == 0 || a.len() != m * n {
            return Err(Error::invalid(format!(
                "a matrix game of {m} × {n} strategies needs {} payoffs, got {}",
                m * n,
                a.len()
            )));
        }
        if a.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid("a matrix game needs finite payoffs"));
        }
        Ok(MatrixGame { m, n, a })
    }

    /// Rock-paper-scissors: the unique equilibrium is (⅓, ⅓, ⅓) for both, value 0.
    pub fn rock_paper_scissors() -> MatrixGame {
        let a = vec![0.0, 1.0, -1.0, -1.0, 0.0, 1.0, 1.0, -1.0, 0.0];
        MatrixGame { m: 3, n: 3, a }
    }

    /// A seeded game with payoffs uniform in [−1, 1].
    pub fn random(m: usize, n: usize, seed: u64) -> MatrixGame {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let a = (0..m * n).map(|_| rng.random_range(-1.0..1.0)).collect();
        MatrixGame { m, n, a }
    }

    /// The payoff matrix, row-major.
    pub fn payoff(&self) -> &[f64] {
        &self.a
    }

    /// max_j (Aᵀx)ⱼ − min_i (Ay)ᵢ: what the two best responses gain against (x, y).
    pub fn exploitability(&self, x: &[f64], y: &[f64]) -> f64 {
        let (mut ay, mut atx) = (vec![0.0; self.m], vec![0.0; self.n]);
        mul(&self.a, self.n, y, &mut ay);
        mul_t(&self.a, self.n, x, &mut atx);
        let hi = atx.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = ay.iter().copied().fold(f64::INFINITY, f64::min);
        hi - lo
    }

    /// Uniform strategies, the usual start.
    pub fn uniform(&self) -> (Vec<f64>, Vec<f64>) {
        (
            vec![1.0 / self.m as f64; self.m],
            vec![1.0 / self.n as f64; self.n],
        )
    }
}

impl Game for MatrixGame {
    fn dim_x(&self) -> usize {
        self.m
    }
    fn dim_y(&self) -> usize {
        self.n
    }
    fn zero_sum(&self) -> bool {
        true
    }
    fn values(&self, x: &[f64], y: &[f64]) -> (f64, f64) {
        let mut ay = vec![0.0; self.m];
        mul(&self.a, self.n, y, &mut ay);
        let f: f64 = x.iter().zip(&ay).map(|(x, a)| x * a).sum();
        (f, -f)
    }
    fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        mul(&self.a, self.n, y, gx);
        mul_t(&self.a, self.n, x, gy);
        gy.iter_mut().for_each(|v| *v = -*v);
    }
    fn mixed_f(&self, _: &[f64], _: &[f64], v: &[f64], out: &mut [f64]) {
        mul(&self.a, self.n, v, out);
    }
    fn mixed_g(&self, _: &[f64], _: &[f64], u: &[f64], out: &mut [f64]) {
        mul_t(&self.a, self.n, u, out);
        out.iter_mut().for_each(|v| *v = -*v);
    }
    fn pure_f(&self, _: &[f64], _: &[f64], _: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
    }
    fn pure_g(&self, _: &[f64], _: &[f64], _: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
    }
}
