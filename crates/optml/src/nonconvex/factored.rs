//! Low-rank factors X = U·Vᵀ (Burer & Monteiro, 2003), the balancing regularizer
//! c·‖UᵀU − VᵀV‖²_F that keeps them of equal size (Tu et al., 2016; Zheng & Lafferty, 2016), the
//! recovery error, and gradient descent on a factored objective.

use faer::{Accum, Mat, MatMut, MatRef, Par};

use crate::error::{Error, Result};
use crate::linalg::randomized::{product, TruncatedSvd};
use crate::linalg::{axpy, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::{Report, Run, Status, Stop};

/// X = U·Vᵀ with U (nrows × rank) and V (ncols × rank) stored row by row.
#[derive(Clone, Debug, PartialEq)]
pub struct Factors {
    pub nrows: usize,
    pub ncols: usize,
    pub rank: usize,
    pub u: Vec<f64>,
    pub v: Vec<f64>,
}

impl Factors {
    /// Wraps row-major factors, checking their lengths.
    pub fn new(nrows: usize, ncols: usize, rank: usize, u: Vec<f64>, v: Vec<f64>) -> Result<Self> {
        if Some(u.len()) != nrows.checked_mul(rank) || Some(v.len()) != ncols.checked_mul(rank) {
            return Err(Error::invalid(format!(
                "factors of {} and {} values do not fit {nrows} × {rank} and {ncols} × {rank}",
                u.len(),
                v.len()
            )));
        }
        Ok(Factors {
            nrows,
            ncols,
            rank,
            u,
            v,
        })
    }

    /// The balanced factors U·Σ^½, V·Σ^½ of a truncated SVD.
    pub fn from_svd(svd: &TruncatedSvd) -> Self {
        let r = svd.rank();
        let (m, n) = (svd.u.nrows(), svd.v.nrows());
        let root: Vec<f64> = svd.s.iter().map(|s| s.sqrt()).collect();
        let rows = |a: &Mat<f64>, k: usize| -> Vec<f64> {
            (0..k * r)
                .map(|t| a[(t / r, t % r)] * root[t % r])
                .collect()
        };
        Factors {
            nrows: m,
            ncols: n,
            rank: r,
            u: rows(&svd.u, m),
            v: rows(&svd.v, n),
        }
    }

    /// The factors as one parameter vector [vec U; vec V] (row-major blocks).
    pub fn to_params(&self) -> Vec<f64> {
        [self.u.as_slice(), self.v.as_slice()].concat()
    }

    /// Replaces the factors by a parameter vector laid out as [`Factors::to_params`].
    pub fn set_params(&mut self, x: &[f64]) {
        let (u, v) = x.split_at(self.u.len());
        self.u.copy_from_slice(u);
        self.v.copy_from_slice(v);
    }

    pub fn u_row(&self, i: usize) -> &[f64] {
        &self.u[i * self.rank..(i + 1) * self.rank]
    }
    pub fn v_row(&self, j: usize) -> &[f64] {
        &self.v[j * self.rank..(j + 1) * self.rank]
    }

    /// X_ij = uᵢ·vⱼ.
    pub fn entry(&self, i: usize, j: usize) -> f64 {
        crate::linalg::dot(self.u_row(i), self.v_row(j))
    }

    /// The entries at `pairs` (0-based row, column), each checked against the shape.
    pub fn entries(&self, pairs: &[(usize, usize)]) -> Result<Vec<f64>> {
        pairs
            .iter()
            .map(|&(i, j)| {
                if i < self.nrows && j < self.ncols {
                    Ok(self.entry(i, j))
                } else {
                    Err(Error::invalid(format!(
                        "entry ({i}, {j}) is outside the {} × {} matrix",
                        self.nrows, self.ncols
                    )))
                }
            })
            .collect()
    }

    pub fn u_ref(&self) -> MatRef<'_, f64> {
        MatRef::from_row_major_slice(&self.u, self.nrows, self.rank)
    }
    pub fn v_ref(&self) -> MatRef<'_, f64> {
        MatRef::from_row_major_slice(&self.v, self.ncols, self.rank)
    }

    /// U·Vᵀ as a dense matrix.
    pub fn to_dense(&self) -> Mat<f64> {
        product(self.u_ref(), self.v_ref().transpose())
    }

    /// (nrows, ncols, rank).
    pub fn shape(&self) -> (usize, usize, usize) {
        (self.nrows, self.ncols, self.rank)
    }
}

/// Adds the balancing term c·‖UᵀU − VᵀV‖²_F to (gu, gv) as its gradient (4c·U·D, −4c·V·D with
/// D = UᵀU − VᵀV) and returns its value; U is m × r and V is n × r, row-major.
#[allow(clippy::too_many_arguments)]
pub(crate) fn add_balance(
    u: &[f64],
    v: &[f64],
    (m, n, r): (usize, usize, usize),
    c: f64,
    gu: &mut [f64],
    gv: &mut [f64],
) -> f64 {
    if c == 0.0 {
        return 0.0;
    }
    let (u, v) = (
        MatRef::from_row_major_slice(u, m, r),
        MatRef::from_row_major_slice(v, n, r),
    );
    let d = product(u.transpose(), u) - product(v.transpose(), v);
    let gu = MatMut::from_row_major_slice_mut(gu, m, r);
    crate::linalg::matmul(gu, Accum::Add, u, d.as_ref(), 4.0 * c, Par::Seq);
    let gv = MatMut::from_row_major_slice_mut(gv, n, r);
    crate::linalg::matmul(gv, Accum::Add, v, d.as_ref(), -4.0 * c, Par::Seq);
    c * d.norm_l2().powi(2)
}

/// The largest eigenvalue of UᵀU and VᵀV: σ₁(UVᵀ) for balanced factors, the scale that fixes
/// gradient steps.
pub(crate) fn top_scale(x: &Factors) -> f64 {
    let top = |a: MatRef<'_, f64>| {
        product(a.transpose(), a)
            .self_adjoint_eigenvalues(faer::Side::Lower)
            .ok()
            .and_then(|e| e.last().copied())
            .unwrap_or(f64::NAN)
    };
    top(x.u_ref()).max(top(x.v_ref()))
}

/// ‖A·Bᵀ‖_F for tall A and B, computed stably as ‖R_A·R_Bᵀ‖_F from their QR factors, so that
/// differences of nearby low-rank matrices keep their relative accuracy.
fn low_rank_norm(a: MatRef<'_, f64>, b: MatRef<'_, f64>) -> f64 {
    let ra = a.qr().thin_R().to_owned();
    let rb = b.qr().thin_R().to_owned();
    product(ra.as_ref(), rb.as_ref().transpose()).norm_l2()
}

/// ‖X − Y‖_F for two factored matrices of the same shape, without forming either.
pub(crate) fn distance(x: &Factors, y: &Factors) -> f64 {
    let (m, n, k) = (x.nrows, x.ncols, x.rank + y.rank);
    if k > m.min(n) {
        return (x.to_dense() - y.to_dense()).norm_l2();
    }
    let a = Mat::from_fn(m, k, |i, j| {
        if j < x.rank {
            x.u[i * x.rank + j]
        } else {
            -y.u[i * y.rank + j - x.rank]
        }
    });
    let b = Mat::from_fn(n, k, |i, j| {
        if j < x.rank {
            x.v[i * x.rank + j]
        } else {
            y.v[i * y.rank + j - x.rank]
        }
    });
    low_rank_norm(a.as_ref(), b.as_ref())
}

/// The relative recovery error ‖X − X*‖_F / ‖X*‖_F of an estimate X of the truth X*.
pub fn recovery_error(estimate: &Factors, truth: &Factors) -> Result<f64> {
    if (estimate.nrows, estimate.ncols) != (truth.nrows, truth.ncols) {
        return Err(Error::invalid(format!(
            "estimate is {} × {}, truth {} × {}",
            estimate.nrows, estimate.ncols, truth.nrows, truth.ncols
        )));
    }
    let scale = low_rank_norm(truth.u_ref(), truth.v_ref());
    Ok(distance(estimate, truth) / scale)
}

/// Gradient descent x ← x − η·∇f(x) with a fixed step η that is halved whenever a step would
/// increase f. Stops on ‖∇f‖ by `stop`.
pub(crate) fn gradient_descent<M: Monitor + ?Sized>(
    name: &'static str,
    f: &impl Objective,
    x: &mut [f64],
    mut eta: f64,
    stop: Stop,
    monitor: &mut M,
) -> Result<Report> {
    if !(eta > 0.0 && eta.is_finite()) {
        return Err(Error::invalid(format!("step size {eta} is not positive")));
    }
    let mut run = Run::counting(name, stop, monitor)?;
    let n = x.len();
    let (mut g, mut trial, mut gt) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut fx = f.value_grad(x, &mut g);
    run.g_evals += 1;
    let mut gn = norm(&g);
    if let Some(s) = run.first_residual(fx, gn) {
        return Ok(run.finish_residual(s, fx, gn));
    }
    let eta_min = eta * 1e-12;
    loop {
        trial.copy_from_slice(x);
        axpy(-eta, &g, &mut trial);
        let ft = f.value_grad(&trial, &mut gt);
        run.g_evals += 1;
        let decreased = ft <= fx;
        if !decreased {
            eta *= 0.5;
            if eta < eta_min {
                let s = if ft.is_finite() {
                    Status::Stalled
                } else {
                    Status::NonFinite
                };
                return Ok(run.finish_residual(s, fx, gn));
            }
            continue;
        }
        run.iter += 1;
        x.copy_from_slice(&trial);
        std::mem::swap(&mut g, &mut gt);
        fx = ft;
        gn = norm(&g);
        if let Some(s) = run.check_residual(fx, gn) {
            return Ok(run.finish_residual(s, fx, gn));
        }
    }
}
