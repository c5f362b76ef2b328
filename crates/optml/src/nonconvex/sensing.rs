//! Matrix sensing: recover a rank-r X* (m × n) from linear measurements yₖ = ⟨Aₖ, X*⟩ with
//! Gaussian Aₖ, by Procrustes flow (Tu, Boczar, Simchowitz, Soltanolkotabi & Recht, 2016):
//! the spectral start P_r((1/p)Σ yₖAₖ) refined by a few projected-gradient (SVP) steps
//! X ← P_r(X − (1/p)A*(A(X) − y)), then gradient descent on
//! f(U, V) = (1/2p)Σ(⟨Aₖ, UVᵀ⟩ − yₖ)² + c‖UᵀU − VᵀV‖²_F (p measurements).

use faer::{Col, ColRef, Mat, MatRef};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::factored::{add_balance, balance, top_scale, Counted, Factors};
use crate::error::{Error, Result};
use crate::linalg::random::gaussian_matrix;
use crate::linalg::randomized::{product, top_svd};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::{GradientDescent, Report, Stop, TrialStep};

/// p measurements of an m × n matrix: A (p × mn, each row a row-major Aₖ) and y.
#[derive(Clone, Debug)]
pub struct Measurements {
    nrows: usize,
    ncols: usize,
    a: Mat<f64>,
    y: Vec<f64>,
}

impl Measurements {
    /// `a` holds one flattened (row-major) Aₖ per row.
    pub fn new(nrows: usize, ncols: usize, a: Mat<f64>, y: Vec<f64>) -> Result<Self> {
        if nrows.checked_mul(ncols) != Some(a.ncols()) || a.nrows() != y.len() || y.is_empty() {
            return Err(Error::invalid(format!(
                "a {} × {} operator and {} measurements do not fit a {nrows} × {ncols} matrix",
                a.nrows(),
                a.ncols(),
                y.len()
            )));
        }
        let finite = (0..a.ncols()).all(|j| a.col(j).iter().all(|v| v.is_finite()));
        if !finite || y.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite("measurements".into()));
        }
        Ok(Measurements { nrows, ncols, a, y })
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// A(X) for X given row-major.
    fn forward(&self, x: &[f64]) -> Col<f64> {
        &self.a * ColRef::from_slice(x)
    }

    /// (1/p)·A*(w) as a dense m × n matrix.
    fn adjoint(&self, w: &Col<f64>) -> Mat<f64> {
        let v = self.a.transpose() * w;
        let s = 1.0 / self.len() as f64;
        Mat::from_fn(self.nrows, self.ncols, |i, j| v[i * self.ncols + j] * s)
    }
}

fn row_major(x: MatRef<'_, f64>) -> Vec<f64> {
    (0..x.nrows() * x.ncols())
        .map(|t| x[(t / x.ncols(), t % x.ncols())])
        .collect()
}

/// f(U, V) = (1/2p)‖A(UVᵀ) − y‖² + c‖UᵀU − VᵀV‖²_F over [vec U; vec V] (row-major).
pub struct FactoredSensing<'a> {
    pub measurements: &'a Measurements,
    pub rank: usize,
    pub balance: f64,
}

impl FactoredSensing<'_> {
    /// U and V as matrices, the residuals A(UVᵀ) − y, and the data term (1/2p)‖A(UVᵀ) − y‖².
    fn residuals<'x>(&self, x: &'x [f64]) -> (MatRef<'x, f64>, MatRef<'x, f64>, Col<f64>, f64) {
        let meas = self.measurements;
        let (m, n, r) = (meas.nrows, meas.ncols, self.rank);
        let (u, v) = x.split_at(m * r);
        let (um, vm) = (
            MatRef::from_row_major_slice(u, m, r),
            MatRef::from_row_major_slice(v, n, r),
        );
        let xm = product(um, vm.transpose());
        let mut res = meas.forward(&row_major(xm.as_ref()));
        for (ri, yi) in res.iter_mut().zip(&meas.y) {
            *ri -= yi;
        }
        let value = 0.5 * res.squared_norm_l2() / meas.len() as f64;
        (um, vm, res, value)
    }

    fn shape(&self) -> (usize, usize, usize) {
        (self.measurements.nrows, self.measurements.ncols, self.rank)
    }
}

impl Objective for FactoredSensing<'_> {
    fn dim(&self) -> usize {
        (self.measurements.nrows + self.measurements.ncols) * self.rank
    }
    fn value(&self, x: &[f64]) -> f64 {
        let (_, _, _, value) = self.residuals(x);
        let (u, v) = x.split_at(self.measurements.nrows * self.rank);
        value + balance(u, v, self.shape(), self.balance)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let (um, vm, res, value) = self.residuals(x);
        let g = self.measurements.adjoint(&res);
        let (m, n, r) = self.shape();
        let (u, v) = x.split_at(m * r);
        let (gu, gv) = grad.split_at_mut(m * r);
        gu.copy_from_slice(&row_major(product(g.as_ref(), vm).as_ref()));
        gv.copy_from_slice(&row_major(product(g.as_ref().transpose(), um).as_ref()));
        value + add_balance(u, v, (m, n, r), self.balance, gu, gv)
    }
}

/// Procrustes flow: spectral start, `svp_iters` projected-gradient steps, then factored gradient
/// descent: [`GradientDescent`] with the fixed step η = `step`/σ₁(X₀), halved whenever a step
/// would raise f ([`TrialStep::Keep`], c₁ = 0, the monotone test). Stops on ‖∇f‖ by `stop`;
/// each evaluation of f counts as one pass over the measurements.
#[derive(Clone, Copy, Debug)]
pub struct ProcrustesFlow {
    pub rank: usize,
    pub svp_iters: usize,
    pub step: f64,
    pub balance: f64,
    pub stop: Stop,
}

impl Default for ProcrustesFlow {
    fn default() -> Self {
        ProcrustesFlow {
            rank: 5,
            svp_iters: 5,
            step: 0.5,
            balance: 0.25,
            stop: Stop::relative(1e-10),
        }
    }
}

impl ProcrustesFlow {
    /// The spectral start refined by SVP steps.
    pub fn initialize(&self, meas: &Measurements) -> Result<Factors> {
        let (m, n, r) = (meas.nrows, meas.ncols, self.rank);
        if r == 0 || r > m.min(n) {
            return Err(Error::invalid(format!("rank {r} does not fit {m} × {n}")));
        }
        let y = Col::from_fn(meas.len(), |k| meas.y[k]);
        let mut svd = top_svd(meas.adjoint(&y).as_ref(), r)?;
        for _ in 0..self.svp_iters {
            let x = svd.to_dense();
            let mut res = meas.forward(&row_major(x.as_ref()));
            res -= &y;
            svd = top_svd((&x - meas.adjoint(&res)).as_ref(), r)?;
        }
        Ok(Factors::from_svd(&svd))
    }

    pub fn solve<M: Monitor + ?Sized>(
        &self,
        meas: &Measurements,
        monitor: &mut M,
    ) -> Result<(Factors, Report)> {
        let mut x = self.initialize(meas)?;
        let f = FactoredSensing {
            measurements: meas,
            rank: self.rank,
            balance: self.balance,
        };
        let mut params = x.to_params();
        let mut report = GradientDescent {
            stop: self.stop,
            c1: 0.0,
            trial: TrialStep::Keep,
            first_step: Some(self.step / top_scale(&x)),
            nonmonotone: None,
        }
        .minimize(&Counted::new(&f), &mut params, monitor)?;
        report.solver = "procrustes-flow";
        x.set_params(&params);
        Ok((x, report))
    }
}

/// A planted instance: X* = U*V*ᵀ with standard normal factors and `count` Gaussian measurements.
pub struct Planted {
    pub truth: Factors,
    pub measurements: Measurements,
}

pub fn planted(
    nrows: usize,
    ncols: usize,
    rank: usize,
    count: usize,
    seed: u64,
) -> Result<Planted> {
    if rank == 0 || rank > nrows.min(ncols) || count == 0 {
        return Err(Error::invalid(format!(
            "cannot plant rank {rank} in {nrows} × {ncols} with {count} measurements"
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let u = gaussian_matrix(nrows, rank, &mut rng);
    let v = gaussian_matrix(ncols, rank, &mut rng);
    let truth = Factors::new(
        nrows,
        ncols,
        rank,
        row_major(u.as_ref()),
        row_major(v.as_ref()),
    )?;
    let a = gaussian_matrix(count, nrows * ncols, &mut rng);
    let x = row_major(truth.to_dense().as_ref());
    let y = (&a * ColRef::from_slice(&x)).iter().copied().collect();
    Ok(Planted {
        truth,
        measurements: Measurements::new(nrows, ncols, a, y)?,
    })
}
