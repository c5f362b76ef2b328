//! Quadratic games with a planted equilibrium: strongly convex–strongly concave zero-sum ones, and
//! general-sum ones whose second player's coupling departs from the zero-sum −Aᵀ.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::bilinear::distance;
use super::dense::{mul, mul_t};
use super::Game;
use crate::linalg::random::gaussian_vector;

/// f(x, y) = ½xᵀPx + xᵀAy − ½yᵀQy + bᵀx + cᵀy, g = −f, with P, Q ≻ 0: the unique saddle point
/// solves Px + Ay + b = 0, Aᵀx − Qy + c = 0. The general-sum form keeps f and gives y the loss
/// g = ½yᵀQy + yᵀEx + dᵀy; its Nash equilibrium solves Px + Ay + b = 0, Qy + Ex + d = 0.
#[derive(Clone, Debug)]
pub struct Quadratic {
    m: usize,
    n: usize,
    p: Vec<f64>,
    q: Vec<f64>,
    a: Vec<f64>,
    b: Vec<f64>,
    c: Vec<f64>,
    /// E (n × m), D²_yx g: −Aᵀ in a zero-sum game.
    e: Vec<f64>,
    /// d, y's linear term: −c in a zero-sum game.
    d: Vec<f64>,
    zero_sum: bool,
    xs: Vec<f64>,
    ys: Vec<f64>,
}

impl Quadratic {
    /// A seeded zero-sum game: P = μI + GGᵀ/m, Q = μI + HHᵀ/n (G, H standard normal), A
    /// standard normal / √n, and a planted saddle (x*, y*) of standard normal entries.
    pub fn random(m: usize, n: usize, mu: f64, seed: u64) -> Quadratic {
        Self::build(m, n, mu, None, seed)
    }

    /// The seeded game of [`random`](Self::random) made general-sum: E = −Aᵀ + σR with R
    /// standard normal / √m, and (x*, y*) planted as its Nash equilibrium. σ = 0 is the
    /// zero-sum game's equilibrium problem posed as a general-sum one.
    pub fn general_sum(m: usize, n: usize, mu: f64, sigma: f64, seed: u64) -> Quadratic {
        Self::build(m, n, mu, Some(sigma), seed)
    }

    fn build(m: usize, n: usize, mu: f64, sigma: Option<f64>, seed: u64) -> Quadratic {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let spd = |d: usize, rng: &mut ChaCha8Rng| {
            let g = gaussian_vector(d * d, rng);
            let mut p = vec![0.0; d * d];
            for i in 0..d {
                for j in 0..d {
                    let s: f64 = (0..d).map(|k| g[i * d + k] * g[j * d + k]).sum();
                    p[i * d + j] = s / d as f64 + if i == j { mu } else { 0.0 };
                }
            }
            p
        };
        let p = spd(m, &mut rng);
        let q = spd(n, &mut rng);
        let scale = 1.0 / (n as f64).sqrt();
        let a: Vec<f64> = gaussian_vector(m * n, &mut rng)
            .iter()
            .map(|v| v * scale)
            .collect();
        let xs = gaussian_vector(m, &mut rng);
        let ys = gaussian_vector(n, &mut rng);
        let (mut t, mut b) = (vec![0.0; m], vec![0.0; m]);
        mul(&p, m, &xs, &mut b);
        mul(&a, n, &ys, &mut t);
        b.iter_mut().zip(&t).for_each(|(b, t)| *b = -(*b + t));
        let (mut c, mut s) = (vec![0.0; n], vec![0.0; n]);
        mul_t(&a, n, &xs, &mut c);
        mul(&q, n, &ys, &mut s);
        c.iter_mut().zip(&s).for_each(|(c, s)| *c = -(*c - s));
        // E = −Aᵀ (+ σR), stored n × m.
        let mut e = vec![0.0; n * m];
        for i in 0..m {
            for j in 0..n {
                e[j * m + i] = -a[i * n + j];
            }
        }
        let mut d: Vec<f64> = c.iter().map(|c| -c).collect();
        if let Some(sigma) = sigma {
            let r = gaussian_vector(n * m, &mut rng);
            let scale = sigma / (m as f64).sqrt();
            e.iter_mut().zip(&r).for_each(|(e, r)| *e += scale * r);
            // d = −(Q y* + E x*).
            let mut ex = vec![0.0; n];
            mul(&e, m, &xs, &mut ex);
            d.iter_mut()
                .zip(s.iter().zip(&ex))
                .for_each(|(d, (qy, ex))| *d = -(qy + ex));
        }
        Quadratic {
            m,
            n,
            p,
            q,
            a,
            b,
            c,
            e,
            d,
            zero_sum: sigma.is_none(),
            xs,
            ys,
        }
    }

    /// The planted saddle point (x*, y*).
    pub fn equilibrium(&self) -> (&[f64], &[f64]) {
        (&self.xs, &self.ys)
    }

    /// √(‖x − x*‖² + ‖y − y*‖²).
    pub fn distance(&self, x: &[f64], y: &[f64]) -> f64 {
        distance(x, &self.xs, y, &self.ys)
    }
}

impl Game for Quadratic {
    fn dim_x(&self) -> usize {
        self.m
    }
    fn dim_y(&self) -> usize {
        self.n
    }
    fn zero_sum(&self) -> bool {
        self.zero_sum
    }
    fn values(&self, x: &[f64], y: &[f64]) -> (f64, f64) {
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>();
        let (mut px, mut qy, mut ay) = (vec![0.0; self.m], vec![0.0; self.n], vec![0.0; self.m]);
        mul(&self.p, self.m, x, &mut px);
        mul(&self.q, self.n, y, &mut qy);
        mul(&self.a, self.n, y, &mut ay);
        let f =
            0.5 * dot(x, &px) + dot(x, &ay) - 0.5 * dot(y, &qy) + dot(&self.b, x) + dot(&self.c, y);
        if self.zero_sum {
            return (f, -f);
        }
        let mut ex = vec![0.0; self.n];
        mul(&self.e, self.m, x, &mut ex);
        (f, 0.5 * dot(y, &qy) + dot(y, &ex) + dot(&self.d, y))
    }
    fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        let mut t = vec![0.0; self.m];
        mul(&self.p, self.m, x, gx);
        mul(&self.a, self.n, y, &mut t);
        for i in 0..self.m {
            gx[i] += t[i] + self.b[i];
        }
        // ∇_y g = Qy + Ex + d (for g = −f: E = −Aᵀ, d = −c).
        let mut s = vec![0.0; self.n];
        mul(&self.e, self.m, x, gy);
        mul(&self.q, self.n, y, &mut s);
        for j in 0..self.n {
            gy[j] += s[j] + self.d[j];
        }
    }
    fn mixed_f(&self, _: &[f64], _: &[f64], v: &[f64], out: &mut [f64]) {
        mul(&self.a, self.n, v, out);
    }
    fn mixed_g(&self, _: &[f64], _: &[f64], u: &[f64], out: &mut [f64]) {
        mul(&self.e, self.m, u, out);
    }
    fn pure_f(&self, _: &[f64], _: &[f64], u: &[f64], out: &mut [f64]) {
        mul(&self.p, self.m, u, out);
    }
    fn pure_g(&self, _: &[f64], _: &[f64], v: &[f64], out: &mut [f64]) {
        mul(&self.q, self.n, v, out);
    }
}
