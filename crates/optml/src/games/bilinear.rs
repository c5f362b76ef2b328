//! The bilinear game f(x, y) = xᵀAy + bᵀx + cᵀy, g = −f.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::dense::{mul, mul_t, orthogonal};
use super::Game;
use crate::error::{Error, Result};
use crate::linalg::random::gaussian_vector;

/// f(x, y) = xᵀAy + bᵀx + cᵀy for x ∈ ℝᵐ, y ∈ ℝⁿ, zero-sum. For square invertible A the
/// unique equilibrium solves Ay* = −b, Aᵀx* = −c. Simultaneous gradient descent-ascent spirals
/// out from it at every step size; CGD converges at every step size.
#[derive(Clone, Debug)]
pub struct Bilinear {
    m: usize,
    n: usize,
    /// A, m × n row-major.
    a: Vec<f64>,
    b: Vec<f64>,
    c: Vec<f64>,
    equilibrium: Option<(Vec<f64>, Vec<f64>)>,
}

impl Bilinear {
    /// The game with A (m × n, row-major), b and c (finite); no equilibrium is known to it.
    pub fn new(m: usize, n: usize, a: Vec<f64>, b: Vec<f64>, c: Vec<f64>) -> Result<Bilinear> {
        if a.len() != m * n || b.len() != m || c.len() != n {
            return Err(Error::invalid(format!(
                "a bilinear game of sizes {m} × {n} needs A of {} entries, b of {m} and c of \
                 {n}, got {}, {} and {}",
                m * n,
                a.len(),
                b.len(),
                c.len()
            )));
        }
        if a.iter().chain(&b).chain(&c).any(|v| !v.is_finite()) {
            return Err(Error::invalid("a bilinear game needs finite A, b and c"));
        }
        Ok(Bilinear {
            m,
            n,
            a,
            b,
            c,
            equilibrium: None,
        })
    }

    /// f = α xᵀy in ℝᵈ × ℝᵈ with no linear terms (the paper's Figure 2 game), equilibrium 0.
    pub fn scaled_identity(d: usize, alpha: f64) -> Bilinear {
        let mut a = vec![0.0; d * d];
        (0..d).for_each(|i| a[i * d + i] = alpha);
        Bilinear {
            m: d,
            n: d,
            a,
            b: vec![0.0; d],
            c: vec![0.0; d],
            equilibrium: Some((vec![0.0; d], vec![0.0; d])),
        }
    }

    /// A seeded n × n game A = U diag(σ) Vᵀ with U, V random orthogonal and singular values σ
    /// uniform in [1, 2], and a planted equilibrium (x*, y*) of standard normal entries.
    pub fn random(n: usize, seed: u64) -> Bilinear {
        Bilinear::random_spectrum(n, 1.0, 2.0, seed)
    }

    /// As [`random`](Bilinear::random), with singular values uniform in [σ_min, σ_max]
    /// (0 < σ_min ≤ σ_max): the condition number σ_max/σ_min sets how slowly simultaneous
    /// methods converge.
    pub fn random_spectrum(n: usize, sigma_min: f64, sigma_max: f64, seed: u64) -> Bilinear {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let u = orthogonal(n, &mut rng);
        let v = orthogonal(n, &mut rng);
        let sigma: Vec<f64> = (0..n)
            .map(|_| sigma_min + (sigma_max - sigma_min) * rng.random::<f64>())
            .collect();
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = (0..n).map(|k| u[i * n + k] * sigma[k] * v[j * n + k]).sum();
            }
        }
        let xs = gaussian_vector(n, &mut rng);
        let ys = gaussian_vector(n, &mut rng);
        let mut b = vec![0.0; n];
        let mut c = vec![0.0; n];
        mul(&a, n, &ys, &mut b);
        mul_t(&a, n, &xs, &mut c);
        b.iter_mut().for_each(|v| *v = -*v);
        c.iter_mut().for_each(|v| *v = -*v);
        Bilinear {
            m: n,
            n,
            a,
            b,
            c,
            equilibrium: Some((xs, ys)),
        }
    }

    /// The planted equilibrium, where one is known.
    pub fn equilibrium(&self) -> Option<(&[f64], &[f64])> {
        self.equilibrium
            .as_ref()
            .map(|(x, y)| (x.as_slice(), y.as_slice()))
    }

    /// √(‖x − x*‖² + ‖y − y*‖²), or NaN where no equilibrium is known.
    pub fn distance(&self, x: &[f64], y: &[f64]) -> f64 {
        match self.equilibrium() {
            Some((xs, ys)) => distance(x, xs, y, ys),
            None => f64::NAN,
        }
    }
}

pub(crate) fn distance(x: &[f64], xs: &[f64], y: &[f64], ys: &[f64]) -> f64 {
    let d: f64 = x
        .iter()
        .zip(xs)
        .chain(y.iter().zip(ys))
        .map(|(a, b)| (a - b) * (a - b))
        .sum();
    d.sqrt()
}

impl Game for Bilinear {
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
        let f: f64 = x.iter().zip(&ay).map(|(x, a)| x * a).sum::<f64>()
            + x.iter().zip(&self.b).map(|(x, b)| x * b).sum::<f64>()
            + y.iter().zip(&self.c).map(|(y, c)| y * c).sum::<f64>();
        (f, -f)
    }
    fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        mul(&self.a, self.n, y, gx);
        gx.iter_mut().zip(&self.b).for_each(|(g, b)| *g += b);
        mul_t(&self.a, self.n, x, gy);
        gy.iter_mut().zip(&self.c).for_each(|(g, c)| *g = -(*g + c));
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
