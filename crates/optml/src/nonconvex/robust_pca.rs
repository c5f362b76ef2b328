//! Robust PCA: split an observed m × n matrix M = L + S into a low-rank L and a sparse S of
//! gross corruptions. Nothing is centred: M is decomposed as given.
//!
//! * [`RpcaGd`]: gradient descent on the factors, L = UVᵀ, with the sparsifier T_α that keeps
//!   the entries among the largest α-fraction of both their row and their column
//!   (Yi, Park, Chen & Caramanis, 2016).
//! * [`AltProj`]: alternating projections onto rank-r matrices and hard-thresholded sparse ones
//!   with a geometrically decreasing threshold (Netrapalli, Niranjan, Sanghavi, Anandkumar &
//!   Jain, 2014), known-rank form.
//! * [`Pcp`]: the convex baseline, principal component pursuit
//!   min ‖L‖_* + λ‖S‖₁ s.t. L + S = M, by the inexact augmented Lagrangian method
//!   (Lin, Chen & Ma, 2010; Candès, Li, Ma & Wright, 2011).

use faer::{Mat, MatRef};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::factored::{add_balance, Factors};
use crate::error::{Error, Result};
use crate::linalg::random::gaussian_matrix;
use crate::linalg::randomized::{product, top_svd, RandomizedSvd, TruncatedSvd};
use crate::monitor::Monitor;
use crate::solvers::{Report, Run, Stop};

/// M = L + S.
#[derive(Clone, Debug)]
pub struct Decomposition {
    pub low_rank: Mat<f64>,
    pub sparse: Mat<f64>,
}

fn check_input(m: MatRef<'_, f64>, rank: usize) -> Result<()> {
    if m.nrows() == 0 || m.ncols() == 0 {
        return Err(Error::invalid("the matrix is empty"));
    }
    if rank == 0 || rank >= m.nrows().min(m.ncols()) {
        return Err(Error::invalid(format!(
            "rank {rank} is not between 1 and min({}, {}) − 1",
            m.nrows(),
            m.ncols()
        )));
    }
    for j in 0..m.ncols() {
        if m.col(j).iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite(format!("column {j} of the input")));
        }
    }
    Ok(())
}

/// The rank-k truncated SVD of a dense matrix: faer's full SVD when it is small, else the
/// randomized one (whose error vanishes as the matrix approaches rank k).
fn truncated(a: MatRef<'_, f64>, k: usize, seed: u64) -> Result<TruncatedSvd> {
    if a.nrows().min(a.ncols()) <= 300 {
        top_svd(a, k)
    } else {
        RandomizedSvd {
            rank: k,
            oversample: 10,
            power_iters: 3,
            seed,
        }
        .run(&a.to_owned())
    }
}

/// Singular-value soft-thresholding S_τ(A) (full SVD), and the number of singular values kept.
fn svt(a: MatRef<'_, f64>, tau: f64) -> Result<(Mat<f64>, usize, f64)> {
    let svd = top_svd(a, a.nrows().min(a.ncols()))?;
    let keep = svd.s.iter().take_while(|&&s| s > tau).count();
    let us = Mat::from_fn(a.nrows(), keep, |i, j| svd.u[(i, j)] * (svd.s[j] - tau));
    let nuclear = svd.s[..keep].iter().map(|s| s - tau).sum();
    Ok((
        product(us.as_ref(), svd.v.subcols(0, keep).transpose()),
        keep,
        nuclear,
    ))
}

fn shrink(x: f64, tau: f64) -> f64 {
    x.signum() * (x.abs() - tau).max(0.0)
}

fn l1(a: MatRef<'_, f64>) -> f64 {
    (0..a.ncols())
        .map(|j| a.col(j).iter().map(|v| v.abs()).sum::<f64>())
        .sum()
}

/// Principal component pursuit by the inexact ALM: with the dual Y and penalty μ,
/// L ← S_{1/μ}(M − S + Y/μ), S ← shrink_{λ/μ}(M − L + Y/μ), Y ← Y + μ(M − L − S), μ ← ρμ.
/// λ defaults to 1/√max(m, n); the residual is ‖M − L − S‖_F (relative to ‖M‖_F by default).
#[derive(Clone, Copy, Debug)]
pub struct Pcp {
    pub lambda: Option<f64>,
    /// ρ, the growth of μ per iteration.
    pub rho: f64,
    pub stop: Stop,
}

impl Default for Pcp {
    fn default() -> Self {
        Pcp {
            lambda: None,
            rho: 1.5,
            stop: Stop::relative(1e-9),
        }
    }
}

impl Pcp {
    /// Returns (L, S), the dual Y (at the optimum Y ∈ ∂‖L‖_* ∩ λ∂‖S‖₁) and the report.
    pub fn solve<M: Monitor + ?Sized>(
        &self,
        m: MatRef<'_, f64>,
        monitor: &mut M,
    ) -> Result<(Decomposition, Mat<f64>, Report)> {
        check_input(m, 1)?;
        let (r, c) = (m.nrows(), m.ncols());
        let lambda = self.lambda.unwrap_or(1.0 / (r.max(c) as f64).sqrt());
        if !(lambda > 0.0 && self.rho > 1.0) {
            return Err(Error::invalid("PCP needs λ > 0 and ρ > 1"));
        }
        let norm2 = top_svd(m, 1)?.s[0];
        let norm_inf = (0..c)
            .flat_map(|j| m.col(j).iter().map(|v| v.abs()).collect::<Vec<_>>())
            .fold(0.0, f64::max);
        let mut y = m * (1.0 / norm2.max(norm_inf / lambda));
        let mut mu = 1.25 / norm2;
        let mu_max = mu * 1e7;
        let mut l = Mat::<f64>::zeros(r, c);
        let mut s = Mat::<f64>::zeros(r, c);
        let mut run = Run::counting("pcp", self.stop, monitor)?;
        let m_norm = m.norm_l2();
        if let Some(st) = run.first_residual(0.0, m_norm) {
            return Ok((
                Decomposition {
                    low_rank: l,
                    sparse: s,
                },
                y,
                run.finish_residual(st, 0.0, m_norm),
            ));
        }
        loop {
            run.iter += 1;
            let a = m - &s + &y * (1.0 / mu);
            let (nl, _, nuclear) = svt(a.as_ref(), 1.0 / mu)?;
            l = nl;
            let b = m - &l + &y * (1.0 / mu);
            s = Mat::from_fn(r, c, |i, j| shrink(b[(i, j)], lambda / mu));
            let gap = m - &l - &s;
            y += &gap * mu;
            mu = (mu * self.rho).min(mu_max);
            let f = nuclear + lambda * l1(s.as_ref());
            let res = gap.norm_l2();
            run.g_evals += 1;
            if let Some(st) = run.check_residual(f, res) {
                let report = run.finish_residual(st, f, res);
                return Ok((
                    Decomposition {
                        low_rank: l,
                        sparse: s,
                    },
                    y,
                    report,
                ));
            }
        }
    }
}

/// Hard thresholding: keeps the entries of A above ζ in magnitude.
fn hard_threshold(a: MatRef<'_, f64>, zeta: f64) -> Mat<f64> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| {
        let v = a[(i, j)];
        if v.abs() > zeta {
            v
        } else {
            0.0
        }
    })
}

/// AltProj with known rank r: S₀ = H_{βσ₁(M)}(M), then L ← P_r(M − S),
/// S ← H_ζ(M − L) with ζ = β(σ_{r+1} + 2^{−t}σ_r) of M − S. β defaults to 2r/√(mn)
/// (the paper's 4μ²r/√(mn) with μ² = ½); too large a β leaves corruptions in L, too small
/// one moves clean entries into S. The residual is ‖M − L − S‖_F.
#[derive(Clone, Copy, Debug)]
pub struct AltProj {
    pub rank: usize,
    pub beta: Option<f64>,
    pub stop: Stop,
    pub seed: u64,
}

impl Default for AltProj {
    fn default() -> Self {
        AltProj {
            rank: 10,
            beta: None,
            stop: Stop::relative(1e-10),
            seed: 0,
        }
    }
}

impl AltProj {
    pub fn solve<M: Monitor + ?Sized>(
        &self,
        m: MatRef<'_, f64>,
        monitor: &mut M,
    ) -> Result<(Decomposition, Report)> {
        check_input(m, self.rank)?;
        if let Some(b) = self.beta {
            if !(b.is_finite() && b > 0.0) {
                return Err(Error::invalid(format!(
                    "AltProj's threshold factor β must be finite and > 0, got {b}"
                )));
            }
        }
        self.stop.validate()?;
        let (nr, nc, r) = (m.nrows(), m.ncols(), self.rank);
        let beta = self
            .beta
            .unwrap_or(2.0 * r as f64 / ((nr as f64) * (nc as f64)).sqrt());
        let sigma1 = truncated(m, 1, self.seed)?.s[0];
        let mut s = hard_threshold(m, beta * sigma1);
        let mut l = Mat::<f64>::zeros(nr, nc);
        let mut run = Run::counting("altproj", self.stop, monitor)?;
        let m_norm = m.norm_l2();
        if let Some(st) = run.first_residual(0.0, m_norm) {
            let report = run.finish_residual(st, 0.0, m_norm);
            return Ok((
                Decomposition {
                    low_rank: l,
                    sparse: s,
                },
                report,
            ));
        }
        loop {
            run.iter += 1;
            let svd = truncated(
                (m - &s).as_ref(),
                r + 1,
                self.seed.wrapping_add(run.iter as u64),
            )?;
            let (sr, sr1) = (svd.s[r - 1], svd.s[r]);
            let us = Mat::from_fn(nr, r, |i, j| svd.u[(i, j)] * svd.s[j]);
            l = product(us.as_ref(), svd.v.subcols(0, r).transpose());
            let zeta = beta * (sr1 + 0.5f64.powi(run.iter.min(1000) as i32) * sr);
            s = hard_threshold((m - &l).as_ref(), zeta);
            let res = (m - &l - &s).norm_l2();
            run.g_evals += 1;
            if let Some(st) = run.check_residual(sr1, res) {
                let report = run.finish_residual(st, sr1, res);
                return Ok((
                    Decomposition {
                        low_rank: l,
                        sparse: s,
                    },
                    report,
                ));
            }
        }
    }
}

/// T_α(A): the entries of A that are among the ⌈α·n⌉ largest in magnitude of their row and the
/// ⌈α·m⌉ largest of their column; the rest are zero (Yi et al., 2016).
pub fn sparsify(a: MatRef<'_, f64>, alpha: f64) -> Mat<f64> {
    let (m, n) = (a.nrows(), a.ncols());
    let kth_largest = |mut v: Vec<f64>, k: usize| -> f64 {
        if k == 0 {
            return f64::INFINITY;
        }
        let k = k.min(v.len());
        let idx = v.len() - k;
        *v.select_nth_unstable_by(idx, |x, y| x.total_cmp(y)).1
    };
    let kr = (alpha * n as f64).ceil() as usize;
    let kc = (alpha * m as f64).ceil() as usize;
    let row_t: Vec<f64> = (0..m)
        .into_par_iter()
        .map(|i| kth_largest((0..n).map(|j| a[(i, j)].abs()).collect(), kr))
        .collect();
    let col_t: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|j| kth_largest(a.col(j).iter().map(|v| v.abs()).collect(), kc))
        .collect();
    Mat::from_fn(m, n, |i, j| {
        let v = a[(i, j)];
        if v.abs() >= row_t[i] && v.abs() >= col_t[j] {
            v
        } else {
            0.0
        }
    })
}

/// Robust PCA by factored gradient descent (Yi, Park, Chen & Caramanis, 2016): S₀ = T_α(M),
/// (U, V) from the rank-r SVD of M − S₀; then S ← T_{γα}(M − UVᵀ) and one gradient step on
/// ½‖UVᵀ + S − M‖²_F + c‖UᵀU − VᵀV‖²_F with η = `step`/σ₁(U₀V₀ᵀ). `alpha` bounds the fraction
/// of corrupted entries per row and column. The residual is the gradient norm.
#[derive(Clone, Copy, Debug)]
pub struct RpcaGd {
    pub rank: usize,
    pub alpha: f64,
    pub gamma: f64,
    pub step: f64,
    pub balance: f64,
    pub stop: Stop,
    pub seed: u64,
}

impl Default for RpcaGd {
    fn default() -> Self {
        RpcaGd {
            rank: 10,
            alpha: 0.2,
            gamma: 1.5,
            step: 0.5,
            balance: 1.0 / 8.0,
            stop: Stop::relative(1e-10),
            seed: 0,
        }
    }
}

impl RpcaGd {
    /// Returns L = UVᵀ as its factors, S, and the report.
    pub fn solve<M: Monitor + ?Sized>(
        &self,
        m: MatRef<'_, f64>,
        monitor: &mut M,
    ) -> Result<(Factors, Mat<f64>, Report)> {
        check_input(m, self.rank)?;
        if !(self.alpha > 0.0 && self.alpha * self.gamma <= 1.0 && self.step > 0.0) {
            return Err(Error::invalid(
                "RPCA-GD needs 0 < α, γα ≤ 1 and a positive step",
            ));
        }
        let (nr, nc, r) = (m.nrows(), m.ncols(), self.rank);
        let s0 = sparsify(m, self.alpha);
        let svd = truncated((m - &s0).as_ref(), r, self.seed)?;
        let eta = self.step / svd.s[0];
        let mut x = Factors::from_svd(&svd);
        let mut run = Run::counting("rpca-gd", self.stop, monitor)?;
        let (mut gu, mut gv) = (vec![0.0; nr * r], vec![0.0; nc * r]);
        let mut s;
        let mut first = true;
        loop {
            let lx = x.to_dense();
            s = sparsify((m - &lx).as_ref(), self.gamma * self.alpha);
            let resid = &lx + &s - m;
            // ∇_U = (UVᵀ + S − M)V, ∇_V = (UVᵀ + S − M)ᵀU, plus the balancing term.
            let ru = product(resid.as_ref(), x.v_ref());
            let rv = product(resid.as_ref().transpose(), x.u_ref());
            for i in 0..nr {
                for k in 0..r {
                    gu[i * r + k] = ru[(i, k)];
                }
            }
            for j in 0..nc {
                for k in 0..r {
                    gv[j * r + k] = rv[(j, k)];
                }
            }
            let bal = add_balance(&x.u, &x.v, (nr, nc, r), self.balance, &mut gu, &mut gv);
            let f = 0.5 * resid.norm_l2().powi(2) + bal;
            let gn = (gu.iter().chain(&gv).map(|g| g * g).sum::<f64>()).sqrt();
            run.g_evals += 1;
            let status = if first {
                first = false;
                run.first_residual(f, gn)
            } else {
                run.check_residual(f, gn)
            };
            if let Some(st) = status {
                return Ok((x, s, run.finish_residual(st, f, gn)));
            }
            run.iter += 1;
            crate::linalg::axpy(-eta, &gu, &mut x.u);
            crate::linalg::axpy(-eta, &gv, &mut x.v);
        }
    }
}

/// A planted robust-PCA instance: L* = U*V*ᵀ (standard normal factors), S* with each entry
/// corrupted with probability `corruption` by a value uniform in ±[1, 10]·√r, and M = L* + S*.
pub struct Planted {
    pub low_rank: Factors,
    pub sparse: Mat<f64>,
    pub observed: Mat<f64>,
}

pub fn planted(
    nrows: usize,
    ncols: usize,
    rank: usize,
    corruption: f64,
    seed: u64,
) -> Result<Planted> {
    if !(0.0..1.0).contains(&corruption) || rank == 0 || rank > nrows.min(ncols) {
        return Err(Error::invalid(format!(
            "cannot plant rank {rank} in {nrows} × {ncols} with corruption {corruption}"
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let u = gaussian_matrix(nrows, rank, &mut rng);
    let v = gaussian_matrix(ncols, rank, &mut rng);
    let rows = |a: &Mat<f64>| -> Vec<f64> {
        (0..a.nrows() * rank)
            .map(|t| a[(t / rank, t % rank)])
            .collect()
    };
    let low_rank = Factors::new(nrows, ncols, rank, rows(&u), rows(&v))?;
    let scale = (rank as f64).sqrt();
    let mut sparse = Mat::<f64>::zeros(nrows, ncols);
    for j in 0..ncols {
        for i in 0..nrows {
            if rng.random::<f64>() < corruption {
                let mag = rng.random_range(1.0..10.0) * scale;
                sparse[(i, j)] = if rng.random::<bool>() { mag } else { -mag };
            }
        }
    }
    let observed = low_rank.to_dense() + &sparse;
    Ok(Planted {
        low_rank,
        sparse,
        observed,
    })
}
