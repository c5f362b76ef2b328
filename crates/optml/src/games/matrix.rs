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

    /// A Nash equilibrium (x*, y*) and the value v = x*ᵀAy*, by linear programming: with
    /// A' = A − min(A) + 1 > 0, the minimizer's program max 1ᵀw s.t. A'ᵀw ≤ 1, w ≥ 0
    /// (w = x/v') is solved by the tableau simplex method with Bland's rule (no cycling);
    /// x* = w/1ᵀw, y* is the dual solution normalized, and v = 1/1ᵀw + min(A) − 1. Exact to
    /// rounding; for small games.
    pub fn equilibrium(&self) -> (Vec<f64>, Vec<f64>, f64) {
        let (m, n) = (self.m, self.n);
        let shift = 1.0 - self.a.iter().copied().fold(f64::INFINITY, f64::min);
        // Tableau rows 0..n: [A'ᵀ | I | 1]; row n: the objective, reduced costs −1 then 0.
        let w = m + n + 1;
        let mut t = vec![0.0; (n + 1) * w];
        for j in 0..n {
            for i in 0..m {
                t[j * w + i] = self.a[i * n + j] + shift;
            }
            t[j * w + m + j] = 1.0;
            t[j * w + w - 1] = 1.0;
        }
        (0..m).for_each(|i| t[n * w + i] = -1.0);
        let mut basis: Vec<usize> = (m..m + n).collect();
        let eps = 1e-12;
        // Bland: the entering column is the first with a negative reduced cost, the leaving row
        // the one of least ratio, ties to the smallest basic index.
        while let Some(col) = (0..m + n).find(|&k| t[n * w + k] < -eps) {
            let mut pivot: Option<(usize, f64)> = None;
            for r in 0..n {
                let a = t[r * w + col];
                if a > eps {
                    let ratio = t[r * w + w - 1] / a;
                    let better = match pivot {
                        None => true,
                        Some((q, best)) => {
                            ratio < best - eps || (ratio <= best + eps && basis[r] < basis[q])
                        }
                    };
                    if better {
                        pivot = Some((r, ratio));
                    }
                }
            }
            // A' > 0 bounds the program, so a pivot row always exists.
            let Some((r, _)) = pivot else { break };
            let p = t[r * w + col];
            (0..w).for_each(|k| t[r * w + k] /= p);
            for q in 0..=n {
                if q != r {
                    let factor = t[q * w + col];
                    if factor != 0.0 {
                        for k in 0..w {
                            t[q * w + k] -= factor * t[r * w + k];
                        }
                    }
                }
            }
            basis[r] = col;
        }
        let mut primal = vec![0.0; m];
        for (r, &b) in basis.iter().enumerate() {
            if b < m {
                primal[b] = t[r * w + w - 1];
            }
        }
        let total: f64 = primal.iter().sum();
        let x: Vec<f64> = primal.iter().map(|v| v / total).collect();
        // The dual solution sits in the objective row under the slack columns.
        let dual: Vec<f64> = (0..n).map(|j| t[n * w + m + j].max(0.0)).collect();
        let dual_total: f64 = dual.iter().sum();
        let y: Vec<f64> = dual.iter().map(|v| v / dual_total).collect();
        (x, y, 1.0 / total - shift)
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
