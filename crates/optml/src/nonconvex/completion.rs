//! Low-rank matrix completion: recover an m × n matrix M of rank r from the entries in Ω.
//!
//! * [`spectral_init`]: the top-r SVD of the rescaled observed matrix P_Ω(M)/p (Keshavan,
//!   Montanari & Oh, 2010), by the randomized range finder on the sparse operator.
//! * [`FactoredGd`]: gradient descent on
//!   f(U, V) = (1/2p)·‖P_Ω(UVᵀ − M)‖²_F + c·‖UᵀU − VᵀV‖²_F (c = ¼ by default),
//!   from the spectral start (Tu et al., 2016; Zheng & Lafferty, 2016; Ma et al., 2018).
//! * [`AltMin`]: alternating least squares, each row of U (then of V) an r × r solve
//!   (Jain, Netrapalli & Sanghavi, 2013).
//! * [`SoftImpute`]: the convex baseline min ½‖P_Ω(X − M)‖²_F + λ‖X‖_*, by the iteration
//!   X ← S_λ(P_Ω(M) + P_Ω⊥(X)) of singular-value soft-thresholding (Mazumder, Hastie &
//!   Tibshirani, 2010).
//!
//! Every pass over Ω runs in parallel (rayon) over rows or columns.

use faer::linalg::solvers::Solve;
use faer::{Mat, MatRef, Side};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::factored::{add_balance, balance, distance, top_scale, Counted, Factors};
use crate::error::{Error, Result};
use crate::linalg::random::gaussian_matrix;
use crate::linalg::randomized::{product, BlockOperator, RandomizedSvd, TruncatedSvd};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::{GradientDescent, Report, Run, Stop, TrialStep};

/// The observed entries of an m × n matrix, kept sorted by row (and indexed by column), with no
/// duplicates.
#[derive(Clone, Debug)]
pub struct Observed {
    nrows: usize,
    ncols: usize,
    rows: Vec<u32>,
    cols: Vec<u32>,
    values: Vec<f64>,
    row_ptr: Vec<usize>,
    col_ptr: Vec<usize>,
    /// Entry ids sorted by column.
    by_col: Vec<u32>,
}

impl Observed {
    /// Checks and indexes the entries (`row[k]`, `col[k]`) = `value[k]` (0-based): indices in range,
    /// values finite, no entry twice.
    pub fn new(
        nrows: usize,
        ncols: usize,
        rows: Vec<u32>,
        cols: Vec<u32>,
        values: Vec<f64>,
    ) -> Result<Self> {
        let n = values.len();
        if rows.len() != n || cols.len() != n {
            return Err(Error::invalid("rows, columns and values differ in length"));
        }
        if nrows > u32::MAX as usize || ncols > u32::MAX as usize || n >= u32::MAX as usize {
            return Err(Error::invalid("matrix too large for 32-bit indices"));
        }
        if n == 0 {
            return Err(Error::invalid("no observed entries"));
        }
        for k in 0..n {
            if rows[k] as usize >= nrows || cols[k] as usize >= ncols {
                return Err(Error::invalid(format!(
                    "entry ({}, {}) is outside the {nrows} × {ncols} matrix",
                    rows[k], cols[k]
                )));
            }
            if !values[k].is_finite() {
                return Err(Error::NonFinite(format!(
                    "entry ({}, {}) is {}",
                    rows[k], cols[k], values[k]
                )));
            }
        }
        let key = |k: usize| ((rows[k] as u64) << 32) | cols[k] as u64;
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.par_sort_unstable_by_key(|&k| key(k as usize));
        if let Some(w) = order
            .windows(2)
            .find(|w| key(w[0] as usize) == key(w[1] as usize))
        {
            let k = w[0] as usize;
            return Err(Error::invalid(format!(
                "entry ({}, {}) is given twice",
                rows[k], cols[k]
            )));
        }
        let rows: Vec<u32> = order.iter().map(|&k| rows[k as usize]).collect();
        let cols: Vec<u32> = order.iter().map(|&k| cols[k as usize]).collect();
        let values: Vec<f64> = order.iter().map(|&k| values[k as usize]).collect();
        let row_ptr = pointers(&rows, nrows);
        let mut by_col: Vec<u32> = (0..n as u32).collect();
        by_col.sort_by_key(|&k| cols[k as usize]);
        let col_ptr = pointers(&cols, ncols);
        Ok(Observed {
            nrows,
            ncols,
            rows,
            cols,
            values,
            row_ptr,
            col_ptr,
            by_col,
        })
    }

    pub fn nrows(&self) -> usize {
        self.nrows
    }
    pub fn ncols(&self) -> usize {
        self.ncols
    }
    /// Number of observed entries |Ω|.
    pub fn len(&self) -> usize {
        self.values.len()
    }
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    /// The sampling rate p = |Ω| / (m·n).
    pub fn fraction(&self) -> f64 {
        self.len() as f64 / (self.nrows as f64 * self.ncols as f64)
    }
    /// (row, column, value) of every entry, sorted by row then column.
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        (0..self.len()).map(|k| (self.rows[k] as usize, self.cols[k] as usize, self.values[k]))
    }
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Checks that rank r is identifiable at all: r·(m + n − r) ≤ |Ω| (the degrees of freedom
    /// of a rank-r matrix), which also bounds every allocation by the data's size.
    pub fn check_rank(&self, rank: usize) -> Result<()> {
        let (m, n) = (self.nrows, self.ncols);
        if rank == 0 || rank > m.min(n) {
            return Err(Error::invalid(format!(
                "rank {rank} is not between 1 and min({m}, {n})"
            )));
        }
        let dof = (rank as u128) * (m as u128 + n as u128 - rank as u128);
        if dof > self.len() as u128 {
            return Err(Error::invalid(format!(
                "{} observed entries cannot determine a rank-{rank} {m} × {n} matrix \
                 (it has {dof} degrees of freedom)",
                self.len()
            )));
        }
        Ok(())
    }

    /// rₖ = (UVᵀ)ᵢⱼ − Mᵢⱼ for every observed (i, j).
    pub fn residuals(&self, x: &Factors, out: &mut [f64]) {
        let r = x.rank;
        out.par_chunks_mut(4096).enumerate().for_each(|(c, chunk)| {
            for (t, o) in chunk.iter_mut().enumerate() {
                let k = c * 4096 + t;
                let (i, j) = (self.rows[k] as usize, self.cols[k] as usize);
                *o = crate::linalg::dot(&x.u[i * r..(i + 1) * r], &x.v[j * r..(j + 1) * r])
                    - self.values[k];
            }
        });
    }

    /// out = S·B for the sparse S with Sᵢⱼ = w[k] on Ω and B (n × k) row-major.
    fn left_mul(&self, w: &[f64], b: &[f64], k: usize, out: &mut [f64]) {
        out.par_chunks_mut(k).enumerate().for_each(|(i, o)| {
            o.fill(0.0);
            let span = self.row_ptr[i]..self.row_ptr[i + 1];
            for (&j, &we) in self.cols[span.clone()].iter().zip(&w[span]) {
                let j = j as usize;
                crate::linalg::axpy(we, &b[j * k..(j + 1) * k], o);
            }
        });
    }

    /// out = Sᵀ·A for S as in `left_mul` and A (m × k) row-major.
    fn right_mul(&self, w: &[f64], a: &[f64], k: usize, out: &mut [f64]) {
        out.par_chunks_mut(k).enumerate().for_each(|(j, o)| {
            o.fill(0.0);
            for &e in &self.by_col[self.col_ptr[j]..self.col_ptr[j + 1]] {
                let e = e as usize;
                let i = self.rows[e] as usize;
                crate::linalg::axpy(w[e], &a[i * k..(i + 1) * k], o);
            }
        });
    }
}

/// CSR-style pointers: ptr[i]..ptr[i+1] are the positions holding index i in sorted `idx`
/// (counts work for unsorted input too, as offsets of a counting sort).
fn pointers(idx: &[u32], n: usize) -> Vec<usize> {
    let mut ptr = vec![0usize; n + 1];
    for &i in idx {
        ptr[i as usize + 1] += 1;
    }
    for i in 0..n {
        ptr[i + 1] += ptr[i];
    }
    ptr
}

fn to_row_major(a: MatRef<'_, f64>) -> Vec<f64> {
    let (m, k) = (a.nrows(), a.ncols());
    let mut out = vec![0.0; m * k];
    for j in 0..k {
        for i in 0..m {
            out[i * k + j] = a[(i, j)];
        }
    }
    out
}

/// S + U·diag(s)·Vᵀ, where S carries `weights` on Ω: the matrices whose SVDs the spectral start
/// (S = P_Ω(M)/p) and SoftImpute (S = P_Ω(M − X), plus X) need.
struct SparsePlusLowRank<'a> {
    obs: &'a Observed,
    weights: &'a [f64],
    low: Option<&'a TruncatedSvd>,
}

impl BlockOperator for SparsePlusLowRank<'_> {
    fn nrows(&self) -> usize {
        self.obs.nrows
    }
    fn ncols(&self) -> usize {
        self.obs.ncols
    }
    fn apply(&self, x: MatRef<'_, f64>) -> Mat<f64> {
        let k = x.ncols();
        let mut out = vec![0.0; self.obs.nrows * k];
        self.obs
            .left_mul(self.weights, &to_row_major(x), k, &mut out);
        let mut y = MatRef::from_row_major_slice(&out, self.obs.nrows, k).to_owned();
        if let Some(z) = self.low {
            let mut vx = product(z.v.as_ref().transpose(), x);
            for (i, s) in z.s.iter().enumerate() {
                vx.row_mut(i).iter_mut().for_each(|t| *t *= s);
            }
            y += product(z.u.as_ref(), vx.as_ref());
        }
        y
    }
    fn apply_transpose(&self, x: MatRef<'_, f64>) -> Mat<f64> {
        let k = x.ncols();
        let mut out = vec![0.0; self.obs.ncols * k];
        self.obs
            .right_mul(self.weights, &to_row_major(x), k, &mut out);
        let mut y = MatRef::from_row_major_slice(&out, self.obs.ncols, k).to_owned();
        if let Some(z) = self.low {
            let mut ux = product(z.u.as_ref().transpose(), x);
            for (i, s) in z.s.iter().enumerate() {
                ux.row_mut(i).iter_mut().for_each(|t| *t *= s);
            }
            y += product(z.v.as_ref(), ux.as_ref());
        }
        y
    }
}

/// The spectral start: the balanced factors of the top-`rank` SVD of P_Ω(M)/p, computed by the
/// randomized SVD (`power_iters` subspace iterations, seeded).
pub fn spectral_init(
    obs: &Observed,
    rank: usize,
    power_iters: usize,
    seed: u64,
) -> Result<Factors> {
    obs.check_rank(rank)?;
    let p = obs.fraction();
    let weights: Vec<f64> = obs.values.iter().map(|v| v / p).collect();
    let op = SparsePlusLowRank {
        obs,
        weights: &weights,
        low: None,
    };
    let svd = RandomizedSvd {
        rank,
        oversample: rank.max(5),
        power_iters,
        seed,
    }
    .run(&op)?;
    Ok(Factors::from_svd(&svd))
}

/// f(U, V) = (1/2p)·‖P_Ω(UVᵀ − M)‖²_F + c·‖UᵀU − VᵀV‖²_F over the parameters [vec U; vec V]
/// (row-major), as an [`Objective`] any solver can minimize.
pub struct FactoredCompletion<'a> {
    pub observed: &'a Observed,
    pub rank: usize,
    /// The balancing weight c (0 turns the term off).
    pub balance: f64,
}

impl FactoredCompletion<'_> {
    /// The factors of the parameter vector, the residuals UVᵀ − M on Ω, and the data term
    /// (1/2p)·‖P_Ω(UVᵀ − M)‖²_F.
    fn residuals(&self, x: &[f64]) -> (Factors, Vec<f64>, f64) {
        let obs = self.observed;
        let (m, n, r) = (obs.nrows, obs.ncols, self.rank);
        let f = Factors::new(m, n, r, x[..m * r].to_vec(), x[m * r..].to_vec())
            .expect("parameter length matches dim()");
        let mut res = vec![0.0; obs.len()];
        obs.residuals(&f, &mut res);
        // Fixed blocks summed in order: the same bits in a pool of any size.
        let blocks: Vec<f64> = res
            .par_chunks(4096)
            .map(|c| c.iter().map(|t| t * t).sum())
            .collect();
        let value = 0.5 * blocks.iter().sum::<f64>() / obs.fraction();
        (f, res, value)
    }
}

impl Objective for FactoredCompletion<'_> {
    fn dim(&self) -> usize {
        (self.observed.nrows + self.observed.ncols) * self.rank
    }
    fn value(&self, x: &[f64]) -> f64 {
        let (f, _, value) = self.residuals(x);
        value + balance(&f.u, &f.v, f.shape(), self.balance)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let (f, mut res, value) = self.residuals(x);
        let (m, r) = (f.nrows, f.rank);
        let p = self.observed.fraction();
        res.iter_mut().for_each(|t| *t /= p);
        let (gu, gv) = grad.split_at_mut(m * r);
        self.observed.left_mul(&res, &f.v, r, gu);
        self.observed.right_mul(&res, &f.u, r, gv);
        value + add_balance(&f.u, &f.v, f.shape(), self.balance, gu, gv)
    }
}

/// Factored gradient descent from the spectral start: [`GradientDescent`] with the fixed step
/// η = `step`/σ₁(X₀), halved whenever a step would raise f ([`TrialStep::Keep`], c₁ = 0, the
/// monotone test). Stops on ‖∇f‖ by `stop`; each evaluation of f counts as one pass over Ω.
#[derive(Clone, Copy, Debug)]
pub struct FactoredGd {
    pub rank: usize,
    pub step: f64,
    pub balance: f64,
    pub power_iters: usize,
    pub stop: Stop,
    pub seed: u64,
}

impl Default for FactoredGd {
    fn default() -> Self {
        FactoredGd {
            rank: 10,
            step: 0.5,
            balance: 0.25,
            power_iters: 4,
            stop: Stop::relative(1e-10),
            seed: 0,
        }
    }
}

impl FactoredGd {
    /// Spectral start, then [`FactoredGd::refine`].
    pub fn solve<M: Monitor + ?Sized>(
        &self,
        obs: &Observed,
        monitor: &mut M,
    ) -> Result<(Factors, Report)> {
        let mut x = spectral_init(obs, self.rank, self.power_iters, self.seed)?;
        let report = self.refine(obs, &mut x, monitor)?;
        Ok((x, report))
    }

    /// Gradient descent from the given factors.
    pub fn refine<M: Monitor + ?Sized>(
        &self,
        obs: &Observed,
        x: &mut Factors,
        monitor: &mut M,
    ) -> Result<Report> {
        check_factors(obs, x)?;
        let f = FactoredCompletion {
            observed: obs,
            rank: x.rank,
            balance: self.balance,
        };
        let mut params = x.to_params();
        let mut report = GradientDescent {
            stop: self.stop,
            c1: 0.0,
            trial: TrialStep::Keep,
            first_step: Some(self.step / top_scale(x)),
            nonmonotone: None,
        }
        .minimize(&Counted::new(&f), &mut params, monitor)?;
        report.solver = "factored-gd";
        x.set_params(&params);
        Ok(report)
    }
}

fn check_factors(obs: &Observed, x: &Factors) -> Result<()> {
    obs.check_rank(x.rank)?;
    if (x.nrows, x.ncols) != (obs.nrows, obs.ncols) {
        return Err(Error::invalid(format!(
            "factors are for a {} × {} matrix, the data {} × {}",
            x.nrows, x.ncols, obs.nrows, obs.ncols
        )));
    }
    if x.u.iter().chain(&x.v).any(|t| !t.is_finite()) {
        return Err(Error::NonFinite("starting factors".into()));
    }
    Ok(())
}

/// Alternating minimization of ‖P_Ω(UVᵀ − M)‖²_F: U ← argmin over U with V fixed (one r × r
/// least-squares solve per row, Cholesky by faer, rows in parallel), then V likewise, from the
/// spectral start. Stops on the gradient norm of (1/2p)‖P_Ω(UVᵀ − M)‖²_F after each sweep.
///
/// ```
/// use optml::nonconvex::completion::{planted, AltMin};
/// use optml::nonconvex::recovery_error;
///
/// // A rank-3 200 × 150 matrix, a quarter of its entries observed.
/// let p = planted(200, 150, 3, 0.25, 7)?;
/// let solver = AltMin { rank: 3, ..Default::default() };
/// let (x, report) = solver.solve(&p.observed, &mut optml::monitor::quiet())?;
/// assert!(report.status.converged());
/// assert!(recovery_error(&x, &p.truth)? < 1e-6); // ‖X̂ − X*‖_F / ‖X*‖_F
/// # Ok::<(), optml::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct AltMin {
    pub rank: usize,
    pub power_iters: usize,
    pub stop: Stop,
    pub seed: u64,
}

impl Default for AltMin {
    fn default() -> Self {
        AltMin {
            rank: 10,
            power_iters: 4,
            stop: Stop::relative(1e-10),
            seed: 0,
        }
    }
}

impl AltMin {
    pub fn solve<M: Monitor + ?Sized>(
        &self,
        obs: &Observed,
        monitor: &mut M,
    ) -> Result<(Factors, Report)> {
        let mut x = spectral_init(obs, self.rank, self.power_iters, self.seed)?;
        let report = self.refine(obs, &mut x, monitor)?;
        Ok((x, report))
    }

    pub fn refine<M: Monitor + ?Sized>(
        &self,
        obs: &Observed,
        x: &mut Factors,
        monitor: &mut M,
    ) -> Result<Report> {
        check_factors(obs, x)?;
        let r = x.rank;
        let f = FactoredCompletion {
            observed: obs,
            rank: r,
            balance: 0.0,
        };
        let mut run = Run::counting("altmin", self.stop, monitor)?;
        let mut g = vec![0.0; f.dim()];
        let measure = |x: &Factors, g: &mut [f64]| {
            let fx = f.value_grad(&x.to_params(), g);
            (fx, crate::linalg::norm(g))
        };
        let (mut fx, mut gn) = measure(x, &mut g);
        if let Some(s) = run.first_residual(fx, gn) {
            return Ok(run.finish_residual(s, fx, gn));
        }
        loop {
            run.iter += 1;
            let rows = (&obs.row_ptr[..], None, &obs.cols[..]);
            least_squares(obs, rows, &x.v, r, &mut x.u)?;
            let cols = (&obs.col_ptr[..], Some(&obs.by_col[..]), &obs.rows[..]);
            least_squares(obs, cols, &x.u, r, &mut x.v)?;
            run.g_evals += 1;
            (fx, gn) = measure(x, &mut g);
            if let Some(s) = run.check_residual(fx, gn) {
                return Ok(run.finish_residual(s, fx, gn));
            }
        }
    }
}

/// For each group g (a row, or a column through `order`), solves
/// (Σ_k w_k w_kᵀ)·out_g = Σ_k M_k w_k over its entries k, with w_k the fixed factor's row at
/// `other[k]`. A group with a singular system gets a tiny ridge; an empty one gets zeros.
fn least_squares(
    obs: &Observed,
    (ptr, order, other): (&[usize], Option<&[u32]>, &[u32]),
    fixed: &[f64],
    r: usize,
    out: &mut [f64],
) -> Result<()> {
    out.par_chunks_mut(r).enumerate().try_for_each(|(g, o)| {
        let mut gram = Mat::<f64>::zeros(r, r);
        let mut rhs = Mat::<f64>::zeros(r, 1);
        for t in ptr[g]..ptr[g + 1] {
            let k = order.map_or(t, |ord| ord[t] as usize);
            let w = &fixed[other[k] as usize * r..][..r];
            for a in 0..r {
                rhs[(a, 0)] += obs.values[k] * w[a];
                for b in 0..=a {
                    gram[(a, b)] += w[a] * w[b];
                }
            }
        }
        if ptr[g] == ptr[g + 1] {
            o.fill(0.0);
            return Ok(());
        }
        let trace: f64 = (0..r).map(|a| gram[(a, a)]).sum();
        let sol = match gram.llt(Side::Lower) {
            Ok(c) => c.solve(&rhs),
            Err(_) => {
                for a in 0..r {
                    gram[(a, a)] += 1e-12 * trace.max(f64::MIN_POSITIVE);
                }
                gram.llt(Side::Lower)
                    .map_err(|_| Error::Numerical("singular least-squares system".into()))?
                    .solve(&rhs)
            }
        };
        for (a, oa) in o.iter_mut().enumerate() {
            *oa = sol[(a, 0)];
        }
        Ok(())
    })
}

/// SoftImpute: X ← S_λ(P_Ω(M) + P_Ω⊥(X)), the proximal-gradient (unit step) iteration for
/// min ½‖P_Ω(X − M)‖²_F + λ‖X‖_*. Each SVD is the top-`max_rank` one of the sparse-plus-low-rank
/// matrix, by subspace iteration warm-started from the previous X, so the iteration is
/// rank-restricted (exact when fewer than `max_rank` singular values exceed λ). The residual it
/// stops on is the fixed-point gap ‖X_{t+1} − X_t‖_F.
#[derive(Clone, Copy, Debug)]
pub struct SoftImpute {
    pub lambda: f64,
    pub max_rank: usize,
    pub power_iters: usize,
    pub stop: Stop,
    pub seed: u64,
}

impl Default for SoftImpute {
    fn default() -> Self {
        SoftImpute {
            lambda: 1.0,
            max_rank: 20,
            power_iters: 2,
            stop: Stop::relative(1e-8),
            seed: 0,
        }
    }
}

impl SoftImpute {
    /// Runs from X = 0; returns X as balanced factors (its nonzero singular triplets).
    pub fn solve<M: Monitor + ?Sized>(
        &self,
        obs: &Observed,
        monitor: &mut M,
    ) -> Result<(Factors, Report)> {
        if !(self.lambda >= 0.0 && self.lambda.is_finite()) {
            return Err(Error::invalid(format!("lambda {} is not ≥ 0", self.lambda)));
        }
        let (m, n) = (obs.nrows, obs.ncols);
        if self.max_rank == 0 || self.max_rank > m.min(n) {
            return Err(Error::invalid(format!(
                "maximum rank {} is not between 1 and min({m}, {n})",
                self.max_rank
            )));
        }
        let rsvd = RandomizedSvd {
            rank: self.max_rank,
            oversample: 0,
            power_iters: self.power_iters,
            seed: self.seed,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut start = gaussian_matrix(n, self.max_rank, &mut rng);
        let mut z = TruncatedSvd {
            u: Mat::zeros(m, 0),
            s: vec![],
            v: Mat::zeros(n, 0),
        };
        let mut xf = Factors::from_svd(&z);
        let mut res = vec![0.0; obs.len()];
        let mut run = Run::counting("soft-impute", self.stop, monitor)?;
        let mut first = true;
        loop {
            // S = P_Ω(M − X): the negative residual.
            obs.residuals(&xf, &mut res);
            res.iter_mut().for_each(|t| *t = -*t);
            let op = SparsePlusLowRank {
                obs,
                weights: &res,
                low: (z.rank() > 0).then_some(&z),
            };
            let mut next = rsvd.compute_from(&op, start.as_ref())?;
            // Keep the current subspace (plus fresh directions where X has fewer) as the next start.
            start = Mat::from_fn(n, self.max_rank, |i, j| next.v[(i, j)]);
            let keep = next.s.iter().take_while(|&&s| s > self.lambda).count();
            next.s.truncate(keep);
            next.s.iter_mut().for_each(|s| *s -= self.lambda);
            next.u = next.u.subcols(0, keep).to_owned();
            next.v = next.v.subcols(0, keep).to_owned();
            let nf = Factors::from_svd(&next);
            let gap = distance(&nf, &xf);
            xf = nf;
            z = next;
            run.iter += 1;
            run.g_evals += 1;
            obs.residuals(&xf, &mut res);
            let value = 0.5 * res.iter().map(|t| t * t).sum::<f64>()
                + self.lambda * z.s.iter().sum::<f64>();
            let status = if first {
                first = false;
                run.first_residual(value, gap)
            } else {
                run.check_residual(value, gap)
            };
            if let Some(s) = status {
                return Ok((xf, run.finish_residual(s, value, gap)));
            }
        }
    }
}

/// A planted instance: the truth X* = U*V*ᵀ with standard normal factors, and its entries
/// observed independently with probability `fraction`.
pub struct Planted {
    pub truth: Factors,
    pub observed: Observed,
}

/// Draws a planted completion instance (seeded).
pub fn planted(
    nrows: usize,
    ncols: usize,
    rank: usize,
    fraction: f64,
    seed: u64,
) -> Result<Planted> {
    if !(fraction > 0.0 && fraction <= 1.0) {
        return Err(Error::invalid(format!(
            "fraction {fraction} is not in (0, 1]"
        )));
    }
    if rank == 0 || rank > nrows.min(ncols) {
        return Err(Error::invalid(format!(
            "rank {rank} does not fit {nrows} × {ncols}"
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let u = to_row_major(gaussian_matrix(nrows, rank, &mut rng).as_ref());
    let v = to_row_major(gaussian_matrix(ncols, rank, &mut rng).as_ref());
    let truth = Factors::new(nrows, ncols, rank, u, v)?;
    let (mut rows, mut cols, mut values) = (vec![], vec![], vec![]);
    for i in 0..nrows {
        for j in 0..ncols {
            if rng.random::<f64>() < fraction {
                rows.push(i as u32);
                cols.push(j as u32);
                values.push(truth.entry(i, j));
            }
        }
    }
    let observed = Observed::new(nrows, ncols, rows, cols, values)?;
    Ok(Planted { truth, observed })
}
