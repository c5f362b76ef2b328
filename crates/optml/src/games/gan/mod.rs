//! A small generative adversarial network as a zero-sum game (Goodfellow et al. 2014), on a
//! 2-D mixture of Gaussians on a circle (Metz et al. 2017; the CGD paper's GAN experiment).
//!
//! The generator G_x maps latent z ~ N(0, I₂) to a point in the plane, the discriminator D_y a
//! point to a logit; both are tanh networks. With a fixed batch of real samples pᵢ and latent
//! samples zⱼ,
//!   f(x, y) = (1/N)·Σᵢ log σ(D_y(pᵢ)) + (1/N)·Σⱼ log(1 − σ(D_y(G_x(zⱼ)))),  g = −f:
//! the generator minimizes f, the discriminator maximizes it. Gradients are back-propagation;
//! every second-order product (D²_xy f·v, D²_yx g·u, D²_xx f·u, D²_yy g·v) runs the same
//! back-propagation on dual numbers seeded with the direction, exact to rounding.

mod dual;
mod net;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::Game;
use crate::error::{Error, Result};
use crate::linalg::random::gaussian_vector;
use dual::{Dual, Real};
use net::Net;

/// Samples per block of the parallel sums: fixed, so results do not depend on the thread count.
const BLOCK: usize = 32;

/// `modes` Gaussians of standard deviation `sigma` centred evenly on a circle of radius `radius`,
/// weighted equally.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mixture {
    pub modes: usize,
    pub radius: f64,
    pub sigma: f64,
}

impl Default for Mixture {
    /// 8 modes on the circle of radius 2, σ = 0.02 (the setting of Metz et al. 2017).
    fn default() -> Self {
        Mixture {
            modes: 8,
            radius: 2.0,
            sigma: 0.02,
        }
    }
}

/// How well a set of points covers a [`Mixture`].
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    /// Points within 3σ of each centre.
    pub per_mode: Vec<usize>,
    /// Modes with at least 1 % of the points within 3σ.
    pub covered: usize,
    /// The fraction of points within 3σ of some centre ("high quality").
    pub high_quality: f64,
}

impl Mixture {
    /// The centre of mode k: radius·(cos 2πk/K, sin 2πk/K).
    pub fn centre(&self, k: usize) -> [f64; 2] {
        let t = 2.0 * std::f64::consts::PI * k as f64 / self.modes as f64;
        [self.radius * t.cos(), self.radius * t.sin()]
    }

    /// `n` seeded samples, row-major n × 2.
    pub fn sample(&self, n: usize, rng: &mut impl Rng) -> Vec<f64> {
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let c = self.centre(rng.random_range(0..self.modes));
            let e = gaussian_vector(2, rng);
            out.extend([c[0] + self.sigma * e[0], c[1] + self.sigma * e[1]]);
        }
        out
    }

    /// Coverage of `points` (row-major n × 2): a mode is covered when at least 1 % of the
    /// points lie within 3σ of its centre.
    pub fn coverage(&self, points: &[f64]) -> Coverage {
        let n = points.len() / 2;
        let mut per_mode = vec![0; self.modes];
        let r2 = (3.0 * self.sigma).powi(2);
        for p in points.chunks_exact(2) {
            for (k, count) in per_mode.iter_mut().enumerate() {
                let c = self.centre(k);
                if (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2) <= r2 {
                    *count += 1;
                }
            }
        }
        let good: usize = per_mode.iter().sum();
        Coverage {
            covered: per_mode
                .iter()
                .filter(|&&c| n > 0 && c as f64 >= 0.01 * n as f64)
                .count(),
            high_quality: if n > 0 { good as f64 / n as f64 } else { 0.0 },
            per_mode,
        }
    }
}

/// The GAN game on a mixture (see the module notes). x holds the generator's parameters, y the
/// discriminator's, each layer by layer, W (out × in, row-major) then b.
#[derive(Clone, Debug)]
pub struct Gan {
    generator: Net,
    discriminator: Net,
    mixture: Mixture,
    /// Real samples, N × 2.
    real: Vec<f64>,
    /// Latent samples, N × 2.
    latent: Vec<f64>,
}

/// Which gradients a pass computes.
#[derive(Clone, Copy, PartialEq)]
enum Need {
    Value,
    X,
    Y,
    Both,
}

impl Gan {
    /// Generator 2 → h → h → 2 and discriminator 2 → h → h → 1 (tanh hidden layers) on a fixed
    /// seeded batch of `batch` real samples of the default [`Mixture`] and `batch` latent
    /// samples z ~ N(0, I₂), the same batch at every iteration.
    pub fn mixture(hidden: usize, batch: usize, seed: u64) -> Result<Gan> {
        Gan::new(Mixture::default(), hidden, batch, seed)
    }

    /// As [`mixture`](Gan::mixture), on any mixture.
    pub fn new(mixture: Mixture, hidden: usize, batch: usize, seed: u64) -> Result<Gan> {
        if !(1..=1024).contains(&hidden) || !(1..=1_000_000).contains(&batch) {
            return Err(Error::invalid(format!(
                "a GAN needs 1 to 1024 hidden units and 1 to 10⁶ samples, got {hidden} and \
                 {batch}"
            )));
        }
        if mixture.modes == 0
            || !(mixture.radius.is_finite() && mixture.sigma.is_finite() && mixture.sigma > 0.0)
        {
            return Err(Error::invalid(format!(
                "a mixture needs at least one mode, a finite radius and σ > 0, got {mixture:?}"
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let real = mixture.sample(batch, &mut rng);
        let latent = gaussian_vector(2 * batch, &mut rng);
        Ok(Gan {
            generator: Net::new(&[2, hidden, hidden, 2]),
            discriminator: Net::new(&[2, hidden, hidden, 1]),
            mixture,
            real,
            latent,
        })
    }

    pub fn mixture_spec(&self) -> &Mixture {
        &self.mixture
    }

    /// Samples per batch.
    pub fn batch(&self) -> usize {
        self.real.len() / 2
    }

    /// The real samples, N × 2.
    pub fn real(&self) -> &[f64] {
        &self.real
    }

    /// Seeded starting parameters: weights N(0, 1/fan-in), biases 0.
    pub fn init(&self, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut draw = |net: &Net| {
            let mut theta = Vec::with_capacity(net.dim());
            for w in net.sizes().windows(2) {
                let scale = 1.0 / (w[0] as f64).sqrt();
                theta.extend(
                    gaussian_vector(w[0] * w[1], &mut rng)
                        .iter()
                        .map(|v| v * scale),
                );
                theta.extend(std::iter::repeat_n(0.0, w[1]));
            }
            theta
        };
        let x = draw(&self.generator);
        let y = draw(&self.discriminator);
        (x, y)
    }

    /// G_x(z) for latent points z (row-major n × 2), row-major n × 2.
    pub fn generate(&self, x: &[f64], latent: &[f64]) -> Vec<f64> {
        let mut tape = self.generator.tape::<f64>();
        let mut out = Vec::with_capacity(latent.len());
        for z in latent.chunks_exact(2) {
            self.generator.forward(x, z, &mut tape);
            out.extend_from_slice(&tape.acts[3]);
        }
        out
    }

    /// `n` fresh generated samples (latent drawn from `seed`) and their coverage of the mixture.
    pub fn coverage(&self, x: &[f64], n: usize, seed: u64) -> (Vec<f64>, Coverage) {
        let latent = gaussian_vector(2 * n, &mut ChaCha8Rng::seed_from_u64(seed));
        let points = self.generate(x, &latent);
        let c = self.mixture.coverage(&points);
        (points, c)
    }

    /// f(x, y) and, as `need` says, ∇ₓf into `gx` and ∇_y f into `gy`.
    fn eval<T: Real>(&self, x: &[T], y: &[T], need: Need, gx: &mut [T], gy: &mut [T]) -> T {
        let (m, n) = (x.len(), y.len());
        let batch = self.batch();
        let scale = T::constant(1.0 / batch as f64);
        let blocks = batch.div_ceil(BLOCK);
        let want_x = matches!(need, Need::X | Need::Both);
        let want_y = matches!(need, Need::Y | Need::Both);
        let partials: Vec<(T, Vec<T>, Vec<T>)> = (0..blocks)
            .into_par_iter()
            .map(|b| {
                let zero = T::constant(0.0);
                let (mut px, mut py) = (
                    vec![zero; if want_x { m } else { 0 }],
                    vec![zero; if want_y { n } else { 0 }],
                );
                let mut f = zero;
                let mut gen = self.generator.tape::<T>();
                let mut dis = self.discriminator.tape::<T>();
                let mut point = [zero; 2];
                let mut dpoint = [zero; 2];
                let range = b * BLOCK..((b + 1) * BLOCK).min(batch);
                // Real terms log σ(s) = −softplus(−s), d/ds = σ(−s); they do not involve x.
                if need != Need::X {
                    for i in range.clone() {
                        point = [
                            T::constant(self.real[2 * i]),
                            T::constant(self.real[2 * i + 1]),
                        ];
                        self.discriminator.forward(y, &point, &mut dis);
                        let s = dis.acts[3][0];
                        f += -(-s).softplus() * scale;
                        if want_y {
                            let ds = [(-s).sigmoid() * scale];
                            self.discriminator
                                .backward(y, &mut dis, &ds, Some(&mut py), None);
                        }
                    }
                }
                // Fake terms log(1 − σ(s)) = −softplus(s), d/ds = −σ(s).
                for j in range {
                    let z = [
                        T::constant(self.latent[2 * j]),
                        T::constant(self.latent[2 * j + 1]),
                    ];
                    self.generator.forward(x, &z, &mut gen);
                    point.copy_from_slice(&gen.acts[3]);
                    self.discriminator.forward(y, &point, &mut dis);
                    let s = dis.acts[3][0];
                    f += -s.softplus() * scale;
                    if need == Need::Value {
                        continue;
                    }
                    let ds = [-s.sigmoid() * scale];
                    let gy = want_y.then_some(py.as_mut_slice());
                    self.discriminator.backward(
                        y,
                        &mut dis,
                        &ds,
                        gy,
                        want_x.then_some(&mut dpoint[..]),
                    );
                    if want_x {
                        self.generator
                            .backward(x, &mut gen, &dpoint, Some(&mut px), None);
                    }
                }
                (f, px, py)
            })
            .collect();
        let mut f = T::constant(0.0);
        gx.iter_mut().for_each(|v| *v = T::constant(0.0));
        gy.iter_mut().for_each(|v| *v = T::constant(0.0));
        for (pf, px, py) in partials {
            f += pf;
            gx.iter_mut().zip(px).for_each(|(g, p)| *g += p);
            gy.iter_mut().zip(py).for_each(|(g, p)| *g += p);
        }
        f
    }

    /// The ε parts of ∇ₓf (`need` X) or ∇_y f (`need` Y) at (x + ε·dx, y + ε·dy), times `sign`.
    #[allow(clippy::too_many_arguments)]
    fn directional(
        &self,
        x: &[f64],
        y: &[f64],
        dx: Option<&[f64]>,
        dy: Option<&[f64]>,
        need: Need,
        sign: f64,
        out: &mut [f64],
    ) {
        let lift = |p: &[f64], d: Option<&[f64]>| -> Vec<Dual> {
            match d {
                Some(d) => p.iter().zip(d).map(|(p, d)| Dual::new(*p, *d)).collect(),
                None => p.iter().map(|p| Dual::constant(*p)).collect(),
            }
        };
        let (xd, yd) = (lift(x, dx), lift(y, dy));
        let mut g = vec![Dual::default(); out.len()];
        let mut none: Vec<Dual> = Vec::new();
        if need == Need::X {
            self.eval(&xd, &yd, need, &mut g, &mut none);
        } else {
            self.eval(&xd, &yd, need, &mut none, &mut g);
        }
        out.iter_mut().zip(&g).for_each(|(o, g)| *o = sign * g.eps);
    }
}

impl Game for Gan {
    fn dim_x(&self) -> usize {
        self.generator.dim()
    }
    fn dim_y(&self) -> usize {
        self.discriminator.dim()
    }
    fn zero_sum(&self) -> bool {
        true
    }
    fn values(&self, x: &[f64], y: &[f64]) -> (f64, f64) {
        let f = self.eval(x, y, Need::Value, &mut [], &mut []);
        (f, -f)
    }
    fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        self.eval(x, y, Need::Both, gx, gy);
        gy.iter_mut().for_each(|v| *v = -*v);
    }
    fn mixed_f(&self, x: &[f64], y: &[f64], v: &[f64], out: &mut [f64]) {
        self.directional(x, y, None, Some(v), Need::X, 1.0, out);
    }
    fn mixed_g(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]) {
        self.directional(x, y, Some(u), None, Need::Y, -1.0, out);
    }
    fn pure_f(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]) {
        self.directional(x, y, Some(u), None, Need::X, 1.0, out);
    }
    fn pure_g(&self, x: &[f64], y: &[f64], v: &[f64], out: &mut [f64]) {
        self.directional(x, y, None, Some(v), Need::Y, -1.0, out);
    }
}
