//! Phase retrieval: recover x ∈ 𝔽ⁿ (𝔽 = ℝ or ℂ) from y = |Ax|², up to a global sign or phase.
//!
//! * [`WirtingerFlow`] (Candès, Li & Soltanolkotabi, 2015): spectral start, the leading
//!   eigenvector of (1/m)Σ yᵢ aᵢaᵢ* by the power method scaled to ‖x‖ ≈ √(n Σy / Σ‖aᵢ‖²), then
//!   gradient steps on f(z) = (1/4m)Σ(|aᵢ*z|² − yᵢ)² with μ_t = min(1 − e^{−t/330}, 0.2)/‖z₀‖².
//! * [`TruncatedWirtingerFlow`] (Chen & Candès, 2015): the spectral matrix over yᵢ ≤ α_y²·mean(y)
//!   only, then steps z ← z + (2μ/m)Σ_{i∈E}(yᵢ − |aᵢ*z|²)/(aᵢ*z)‾·aᵢ on the Poisson
//!   log-likelihood, keeping the terms with α_lb ≤ √n|aᵢ*z|/(‖aᵢ‖‖z‖) ≤ α_ub and
//!   |yᵢ − |aᵢ*z|²| ≤ α_h·K·√n|aᵢ*z|/(‖aᵢ‖‖z‖), K = mean |yⱼ − |aⱼ*z|²|
//!   (α_lb = 0.3, α_ub = 5, α_h = 5, α_y = 3, μ = 0.2).
//!
//! The residual both stop on is the relative misfit ‖ |Az|² − y ‖ / ‖y‖. Complex numbers are
//! faer's `c64`.

use std::ops::{Add, AddAssign, Mul, Sub};

use faer::c64;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::{Report, Run, Stop};

/// The scalars of a phase-retrieval problem: `f64` or `c64`.
pub trait Scalar:
    Copy
    + Send
    + Sync
    + Default
    + std::fmt::Debug
    + PartialEq
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + AddAssign
    + 'static
{
    /// Real numbers per scalar (1 or 2).
    const WIDTH: usize;
    fn conjugate(self) -> Self;
    fn abs2(self) -> f64;
    fn scale(self, a: f64) -> Self;
    fn is_finite(self) -> bool;
    /// A standard (circularly symmetric, E|z|² = 1) normal draw.
    fn gaussian(rng: &mut ChaCha8Rng) -> Self;
    /// The real coordinates (re[, im]).
    fn write(self, out: &mut [f64]);
    fn read(x: &[f64]) -> Self;
}

impl Scalar for f64 {
    const WIDTH: usize = 1;
    fn conjugate(self) -> Self {
        self
    }
    fn abs2(self) -> f64 {
        self * self
    }
    fn scale(self, a: f64) -> Self {
        self * a
    }
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
    fn gaussian(rng: &mut ChaCha8Rng) -> Self {
        StandardNormal.sample(rng)
    }
    fn write(self, out: &mut [f64]) {
        out[0] = self;
    }
    fn read(x: &[f64]) -> Self {
        x[0]
    }
}

impl Scalar for c64 {
    const WIDTH: usize = 2;
    fn conjugate(self) -> Self {
        c64::new(self.re, -self.im)
    }
    fn abs2(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
    fn scale(self, a: f64) -> Self {
        c64::new(self.re * a, self.im * a)
    }
    fn is_finite(self) -> bool {
        self.re.is_finite() && self.im.is_finite()
    }
    fn gaussian(rng: &mut ChaCha8Rng) -> Self {
        let h = std::f64::consts::FRAC_1_SQRT_2;
        let (re, im): (f64, f64) = (StandardNormal.sample(rng), StandardNormal.sample(rng));
        c64::new(h * re, h * im)
    }
    fn write(self, out: &mut [f64]) {
        out[0] = self.re;
        out[1] = self.im;
    }
    fn read(x: &[f64]) -> Self {
        c64::new(x[0], x[1])
    }
}

/// Refuses fewer measurements than unknowns (m < n): y = |Ax|² then cannot determine x even up
/// to phase (injectivity needs m ≥ 2n − 1 for real and m ≥ 4n − 4 for complex signals, Balan,
/// Casazza & Edidin 2006; Conca et al. 2015), and the iterations diverge.
pub fn check_measurement_count(m: usize, n: usize) -> Result<()> {
    if m < n {
        return Err(Error::invalid(format!(
            "phase retrieval needs at least as many measurements as unknowns: got m = {m} \
             measurements of a signal of length n = {n} (A is m × n, one row per measurement; \
             were the sizes swapped?)"
        )));
    }
    Ok(())
}

fn norm<T: Scalar>(z: &[T]) -> f64 {
    z.iter().map(|v| v.abs2()).sum::<f64>().sqrt()
}

/// Σ conj(xⱼ)·zⱼ.
fn inner<T: Scalar>(x: &[T], z: &[T]) -> T {
    x.iter()
        .zip(z)
        .fold(T::default(), |acc, (a, b)| acc + a.conjugate() * *b)
}

/// min over unit-modulus c of ‖z − c·x‖ (c = ±1 for real data), computed without cancellation.
pub fn distance_up_to_phase<T: Scalar>(z: &[T], x: &[T]) -> f64 {
    let c = inner(x, z);
    let a = c.abs2().sqrt();
    let phase = if a > 0.0 {
        c.scale(1.0 / a)
    } else {
        let mut one = [0.0; 2];
        one[0] = 1.0;
        T::read(&one)
    };
    z.iter()
        .zip(x)
        .map(|(&zi, &xi)| (zi - phase * xi).abs2())
        .sum::<f64>()
        .sqrt()
}

/// The measurements y = |Ax|² with A (m × n) stored row by row; row i is aᵢ*.
#[derive(Clone, Debug)]
pub struct Measurements<T: Scalar> {
    m: usize,
    n: usize,
    a: Vec<T>,
    y: Vec<f64>,
    row_norms: Vec<f64>,
}

impl<T: Scalar> Measurements<T> {
    /// Checks sizes and values (A finite; y finite and ≥ 0).
    pub fn new(m: usize, n: usize, a: Vec<T>, y: Vec<f64>) -> Result<Self> {
        if n == 0 || m == 0 || m.checked_mul(n) != Some(a.len()) || y.len() != m {
            return Err(Error::invalid(format!(
                "{} matrix entries and {} measurements do not fit m = {m}, n = {n}",
                a.len(),
                y.len()
            )));
        }
        if a.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite("measurement matrix".into()));
        }
        if let Some(i) = y.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(Error::invalid(format!(
                "measurement {i} is {}, not ≥ 0",
                y[i]
            )));
        }
        let row_norms = a.chunks_exact(n).map(norm).collect();
        Ok(Measurements {
            m,
            n,
            a,
            y,
            row_norms,
        })
    }

    pub fn len(&self) -> usize {
        self.m
    }
    pub fn is_empty(&self) -> bool {
        self.m == 0
    }
    pub fn dim(&self) -> usize {
        self.n
    }
    pub fn y(&self) -> &[f64] {
        &self.y
    }

    /// out = A·z.
    pub fn forward(&self, z: &[T], out: &mut [T]) {
        out.par_iter_mut()
            .zip(self.a.par_chunks_exact(self.n))
            .for_each(|(o, row)| {
                *o = row
                    .iter()
                    .zip(z)
                    .fold(T::default(), |acc, (a, b)| acc + *a * *b);
            });
    }

    /// A^H·w = Σᵢ conj(rowᵢ)·wᵢ, by blocks of 256 rows in parallel.
    pub fn adjoint(&self, w: &[T], out: &mut [T]) {
        let n = self.n;
        let blocks = self
            .a
            .par_chunks(256 * n)
            .zip(w.par_chunks(256))
            .map(|(rows, ws)| {
                let mut acc = vec![T::default(); n];
                for (row, &wi) in rows.chunks_exact(n).zip(ws) {
                    for (o, a) in acc.iter_mut().zip(row) {
                        *o += a.conjugate() * wi;
                    }
                }
                acc
            })
            .collect::<Vec<_>>();
        // Block sums added in block order: the same bits in a pool of any size.
        out.fill(T::default());
        for block in blocks {
            out.iter_mut().zip(block).for_each(|(x, y)| *x += y);
        }
    }

    /// ‖ |Az|² − y ‖ / ‖y‖ from Az.
    fn misfit(&self, az: &[T]) -> f64 {
        let num: f64 = az
            .iter()
            .zip(&self.y)
            .map(|(w, y)| (w.abs2() - y).powi(2))
            .sum();
        let den: f64 = self.y.iter().map(|y| y * y).sum();
        (num / den.max(f64::MIN_POSITIVE)).sqrt()
    }

    /// The leading eigenvector of (1/m)Σ wᵢ aᵢaᵢ* by `iters` power iterations (unit norm).
    fn spectral_direction(&self, weights: &[f64], iters: usize, seed: u64) -> Vec<T> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut z: Vec<T> = (0..self.n).map(|_| T::gaussian(&mut rng)).collect();
        let mut az = vec![T::default(); self.m];
        for _ in 0..iters {
            let s = 1.0 / norm(&z);
            z.iter_mut().for_each(|v| *v = v.scale(s));
            self.forward(&z, &mut az);
            az.iter_mut()
                .zip(weights)
                .for_each(|(v, w)| *v = v.scale(*w));
            self.adjoint(&az, &mut z);
        }
        let s = 1.0 / norm(&z);
        z.iter_mut().for_each(|v| *v = v.scale(s));
        z
    }
}

/// f(z) = (1/4m)Σ(|aᵢ*z|² − yᵢ)² over the real coordinates of z (re, im interleaved for complex),
/// with gradient (1/m)·A^H((|Az|² − y) ⊙ Az).
pub struct WirtingerLoss<'a, T: Scalar> {
    pub measurements: &'a Measurements<T>,
}

impl<T: Scalar> Objective for WirtingerLoss<'_, T> {
    fn dim(&self) -> usize {
        self.measurements.n * T::WIDTH
    }
    fn value(&self, x: &[f64]) -> f64 {
        let mut g = vec![0.0; x.len()];
        self.value_grad(x, &mut g)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let meas = self.measurements;
        let z: Vec<T> = x.chunks_exact(T::WIDTH).map(T::read).collect();
        let mut g = vec![T::default(); meas.n];
        let f = wf_gradient(meas, &z, &mut vec![T::default(); meas.m], &mut g);
        for (gi, out) in g.iter().zip(grad.chunks_exact_mut(T::WIDTH)) {
            gi.write(out);
        }
        f
    }
}

/// Writes ∇f(z) = (1/m)A^H((|Az|² − y) ⊙ Az) into `g` (using `az` as scratch, left holding
/// the weighted residuals) and returns f(z).
fn wf_gradient<T: Scalar>(meas: &Measurements<T>, z: &[T], az: &mut [T], g: &mut [T]) -> f64 {
    meas.forward(z, az);
    let mut f = 0.0;
    let inv_m = 1.0 / meas.m as f64;
    for (w, y) in az.iter_mut().zip(&meas.y) {
        let r = w.abs2() - y;
        f += r * r;
        *w = w.scale(r * inv_m);
    }
    meas.adjoint(az, g);
    0.25 * f * inv_m
}

/// Wirtinger Flow with the spectral start and the schedule of Candès, Li & Soltanolkotabi.
#[derive(Clone, Copy, Debug)]
pub struct WirtingerFlow {
    pub power_iters: usize,
    /// τ₀ and μ_max of μ_t = min(1 − e^{−t/τ₀}, μ_max)/‖z₀‖².
    pub tau0: f64,
    pub mu_max: f64,
    pub stop: Stop,
    pub seed: u64,
}

impl Default for WirtingerFlow {
    fn default() -> Self {
        WirtingerFlow {
            power_iters: 100,
            tau0: 330.0,
            mu_max: 0.2,
            stop: Stop {
                tol: 1e-10,
                relative: false,
                max_iter: 2500,
                max_seconds: f64::INFINITY,
            },
            seed: 0,
        }
    }
}

impl WirtingerFlow {
    /// The spectral start z₀.
    pub fn initialize<T: Scalar>(&self, meas: &Measurements<T>) -> Vec<T> {
        let mut z = meas.spectral_direction(&meas.y, self.power_iters, self.seed);
        let sum_norms: f64 = meas.row_norms.iter().map(|r| r * r).sum();
        let lambda = (meas.n as f64 * meas.y.iter().sum::<f64>() / sum_norms).sqrt();
        z.iter_mut().for_each(|v| *v = v.scale(lambda));
        z
    }

    pub fn solve<T: Scalar, M: Monitor + ?Sized>(
        &self,
        meas: &Measurements<T>,
        monitor: &mut M,
    ) -> Result<(Vec<T>, Report)> {
        check_measurement_count(meas.m, meas.n)?;
        let mut z = self.initialize(meas);
        let z0 = norm(&z).powi(2);
        if !(z0 > 0.0 && z0.is_finite()) {
            return Err(Error::invalid("the measurements are all zero"));
        }
        let mut run = Run::counting("wirtinger-flow", self.stop, monitor)?;
        let (mut az, mut g) = (vec![T::default(); meas.m], vec![T::default(); meas.n]);
        let mut t = 0usize;
        loop {
            meas.forward(&z, &mut az);
            let res = meas.misfit(&az);
            let f = wf_gradient(meas, &z, &mut az, &mut g);
            run.g_evals += 1;
            let status = if t == 0 {
                run.first_residual(f, res)
            } else {
                run.check_residual(f, res)
            };
            if let Some(s) = status {
                return Ok((z, run.finish_residual(s, f, res)));
            }
            t += 1;
            run.iter = t;
            let mu = (1.0 - (-(t as f64) / self.tau0).exp()).min(self.mu_max) / z0;
            z.iter_mut()
                .zip(&g)
                .for_each(|(zi, gi)| *zi = *zi - gi.scale(mu));
        }
    }
}

/// Truncated Wirtinger Flow with the truncation constants of Chen & Candès.
#[derive(Clone, Copy, Debug)]
pub struct TruncatedWirtingerFlow {
    pub power_iters: usize,
    pub step: f64,
    pub alpha_lb: f64,
    pub alpha_ub: f64,
    pub alpha_h: f64,
    pub alpha_y: f64,
    pub stop: Stop,
    pub seed: u64,
}

impl Default for TruncatedWirtingerFlow {
    fn default() -> Self {
        TruncatedWirtingerFlow {
            power_iters: 100,
            step: 0.2,
            alpha_lb: 0.3,
            alpha_ub: 5.0,
            alpha_h: 5.0,
            alpha_y: 3.0,
            stop: WirtingerFlow::default().stop,
            seed: 0,
        }
    }
}

impl TruncatedWirtingerFlow {
    /// The truncated spectral start z₀ = √(mn/Σ‖aᵢ‖²)·λ₀·v, λ₀ = √mean(y).
    pub fn initialize<T: Scalar>(&self, meas: &Measurements<T>) -> Vec<T> {
        let lambda0 = (meas.y.iter().sum::<f64>() / meas.m as f64).sqrt();
        let cut = self.alpha_y * self.alpha_y * lambda0 * lambda0;
        let weights: Vec<f64> = meas
            .y
            .iter()
            .map(|&y| if y <= cut { y } else { 0.0 })
            .collect();
        let mut z = meas.spectral_direction(&weights, self.power_iters, self.seed);
        let sum_norms: f64 = meas.row_norms.iter().map(|r| r * r).sum();
        let s = (meas.m as f64 * meas.n as f64 / sum_norms).sqrt() * lambda0;
        z.iter_mut().for_each(|v| *v = v.scale(s));
        z
    }

    pub fn solve<T: Scalar, M: Monitor + ?Sized>(
        &self,
        meas: &Measurements<T>,
        monitor: &mut M,
    ) -> Result<(Vec<T>, Report)> {
        check_measurement_count(meas.m, meas.n)?;
        let mut z = self.initialize(meas);
        if norm(&z).is_nan() || norm(&z) <= 0.0 {
            return Err(Error::invalid("the measurements are all zero"));
        }
        let (m, n) = (meas.m as f64, meas.n as f64);
        let mut run = Run::counting("truncated-wirtinger-flow", self.stop, monitor)?;
        let (mut az, mut v, mut g) = (
            vec![T::default(); meas.m],
            vec![T::default(); meas.m],
            vec![T::default(); meas.n],
        );
        loop {
            meas.forward(&z, &mut az);
            let res = meas.misfit(&az);
            let f = 0.25 / m
                * az.iter()
                    .zip(&meas.y)
                    .map(|(w, y)| (w.abs2() - y).powi(2))
                    .sum::<f64>();
            run.g_evals += 1;
            let status = if run.iter == 0 {
                run.first_residual(f, res)
            } else {
                run.check_residual(f, res)
            };
            if let Some(s) = status {
                return Ok((z, run.finish_residual(s, f, res)));
            }
            run.iter += 1;
            let zn = norm(&z);
            let k = az
                .iter()
                .zip(&meas.y)
                .map(|(w, y)| (y - w.abs2()).abs())
                .sum::<f64>()
                / m;
            for (i, vi) in v.iter_mut().enumerate() {
                let w = az[i];
                let aw = w.abs2().sqrt();
                let ratio = n.sqrt() * aw / (meas.row_norms[i] * zn);
                let r = meas.y[i] - w.abs2();
                let keep = ratio >= self.alpha_lb
                    && ratio <= self.alpha_ub
                    && r.abs() <= self.alpha_h * k * ratio;
                // 2(yᵢ − |wᵢ|²)/conj(wᵢ) = 2(yᵢ − |wᵢ|²)·wᵢ/|wᵢ|².
                *vi = if keep && aw > 0.0 {
                    w.scale(2.0 * r / w.abs2())
                } else {
                    T::default()
                };
            }
            meas.adjoint(&v, &mut g);
            let mu = self.step / m;
            z.iter_mut()
                .zip(&g)
                .for_each(|(zi, gi)| *zi += gi.scale(mu));
        }
    }
}

/// A planted instance (n unknowns, m ≥ n measurements, else [`check_measurement_count`]'s
/// error): x and the rows of A standard normal (real, or circularly symmetric
/// complex with E|aᵢⱼ|² = 1), y = |Ax|².
pub struct Planted<T: Scalar> {
    pub signal: Vec<T>,
    pub measurements: Measurements<T>,
}

pub fn planted<T: Scalar>(n: usize, m: usize, seed: u64) -> Result<Planted<T>> {
    if n == 0 || m == 0 {
        return Err(Error::invalid(format!("cannot plant n = {n}, m = {m}")));
    }
    check_measurement_count(m, n)?;
    crate::limits::check_values(
        &format!("a planted {m} × {n} measurement matrix"),
        &[m, n, T::WIDTH],
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let signal: Vec<T> = (0..n).map(|_| T::gaussian(&mut rng)).collect();
    let a: Vec<T> = (0..m * n).map(|_| T::gaussian(&mut rng)).collect();
    let mut ax = vec![T::default(); m];
    let tmp = Measurements::new(m, n, a, vec![0.0; m])?;
    tmp.forward(&signal, &mut ax);
    let y = ax.iter().map(|w| w.abs2()).collect();
    let measurements = Measurements::new(m, n, tmp.a, y)?;
    Ok(Planted {
        signal,
        measurements,
    })
}
