//! CP (CANDECOMP/PARAFAC) decomposition of dense 3-way tensors,
//! X ≈ Σᵣ λᵣ · aᵣ ∘ bᵣ ∘ cᵣ, by alternating least squares, and the tensor power method for
//! orthogonally decomposable symmetric tensors.
//!
//! **Layout.** A [`Tensor3`] of dims (I, J, K) is one flat vector in C order: x(i, j, k) sits at
//! `(i·J + j)·K + k` — a 3-D NumPy array as `.npy` stores it. Row i of the mode-1 unfolding
//! X₍₁₎ (I × JK) is then the contiguous slab `i·JK .. (i+1)·JK`, with column `j·K + k`, so that
//! X₍₁₎ = A·diag(λ)·(B ⊙ C)ᵀ with the Khatri–Rao rows ordered (j, k) ↦ `j·K + k`. Factors are
//! faer matrices A (I × R), B (J × R), C (K × R) with unit-norm columns and the weights λ apart.
//!
//! **ALS** (Kolda & Bader 2009, §3.4): each sweep solves for one factor with the other two
//! fixed, A ← X₍₁₎(B ⊙ C)·(BᵀB ∗ CᵀC)⁻¹ (∗ the Hadamard product), then normalizes its
//! columns into λ. The matricized-tensor-times-Khatri–Rao products (MTTKRPs) share work by a
//! dimension tree (Phan, Tichavský & Cichocki 2013): a sweep first contracts X with the C it
//! starts from, P = X ×₃ Cᵀ (one GEMM), and reads both X₍₁₎(B ⊙ C) and X₍₂₎(A ⊙ C) off P at
//! O(IJR) cost; X₍₃₎(A ⊙ B) is one more GEMM against the IJ × R Khatri–Rao product. A sweep thus
//! reads the tensor twice. The fit 1 − ‖X − X̂‖/‖X‖ comes from ‖X‖², ⟨X, X̂⟩ (the last MTTKRP)
//! and λᵀ(AᵀA ∗ BᵀB ∗ CᵀC)λ without forming X̂. Factors start from the leading left singular
//! vectors of the unfoldings (HOSVD, De Lathauwer, De Moor & Vandewalle 2000), found as the
//! leading eigenvectors of their small Gram matrices, and optionally from seeded random
//! restarts; the best fit wins.
//!
//! **Tensor power method** (Anandkumar, Ge, Hsu, Kakade & Telgarsky 2014, Algorithm 1): for a
//! symmetric T = Σᵢ λᵢ vᵢ^⊗3 with orthonormal vᵢ, the map θ ↦ T(I, θ, θ)/‖T(I, θ, θ)‖ converges
//! quadratically to a vᵢ; of L random starts the one with the largest T(θ, θ, θ) is kept
//! (their robust selection), refined, and deflated, T ← T − λ θ^⊗3.

use std::path::Path;
use std::time::Instant;

use faer::linalg::solvers::Solve;
use faer::{Accum, Mat, MatRef, Par, Side};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::linalg::random::{gaussian_matrix, gaussian_vector};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::monitor::{IterInfo, Monitor};

/// A dense 3-way tensor of dims (I, J, K), stored flat in C order (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor3 {
    dims: [usize; 3],
    data: Vec<f64>,
}

impl Tensor3 {
    /// A tensor from its C-order values; fails when the length disagrees with `dims` or a value
    /// is not finite.
    pub fn new(dims: [usize; 3], data: Vec<f64>) -> Result<Tensor3> {
        let len = dims
            .iter()
            .try_fold(1usize, |a, &b| a.checked_mul(b))
            .ok_or_else(|| Error::invalid(format!("tensor dims {dims:?} overflow")))?;
        if len != data.len() {
            return Err(Error::invalid(format!(
                "tensor dims {dims:?} need {len} values, {} given",
                data.len()
            )));
        }
        if data.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid("tensor has a non-finite value"));
        }
        Ok(Tensor3 { dims, data })
    }

    /// Reads a 3-D `.npy` array (any real dtype; see [`crate::data::read_npy_tensor3`]).
    pub fn read_npy(path: &Path) -> Result<Tensor3> {
        let (dims, data) = crate::data::read_npy_tensor3(path)?;
        Ok(Tensor3 { dims, data })
    }

    /// Writes the tensor as a 3-D little-endian f64 `.npy`, atomically.
    pub fn write_npy(&self, path: &Path) -> Result<()> {
        crate::data::write_npy(path, &self.dims, &self.data)
    }

    pub fn dims(&self) -> [usize; 3] {
        self.dims
    }

    /// The values in C order.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// x(i, j, k).
    pub fn get(&self, i: usize, j: usize, k: usize) -> f64 {
        let [_, nj, nk] = self.dims;
        self.data[(i * nj + j) * nk + k]
    }

    /// The Frobenius norm.
    pub fn norm(&self) -> f64 {
        crate::linalg::norm(&self.data)
    }

    /// Slab i as a J × K matrix: x(i, :, :).
    fn slab(&self, i: usize) -> MatRef<'_, f64> {
        let [_, nj, nk] = self.dims;
        MatRef::from_row_major_slice(&self.data[i * nj * nk..(i + 1) * nj * nk], nj, nk)
    }
}

/// A rank-R CP model Σᵣ λᵣ · aᵣ ∘ bᵣ ∘ cᵣ.
#[derive(Clone, Debug)]
pub struct CpModel {
    /// λ (R).
    pub weights: Vec<f64>,
    /// A (I × R), B (J × R), C (K × R).
    pub factors: [Mat<f64>; 3],
}

impl CpModel {
    pub fn rank(&self) -> usize {
        self.weights.len()
    }

    /// The dims (I, J, K) of the tensor the model describes.
    pub fn dims(&self) -> [usize; 3] {
        [0, 1, 2].map(|n| self.factors[n].nrows())
    }

    /// The full tensor X̂ = Σᵣ λᵣ · aᵣ ∘ bᵣ ∘ cᵣ (one GEMM: X̂₍₁₎ = A·diag(λ)·(B ⊙ C)ᵀ,
    /// slab by slab).
    pub fn to_tensor(&self) -> Tensor3 {
        let [ni, nj, nk] = self.dims();
        let [a, b, c] = &self.factors;
        let mut data = vec![0.0; ni * nj * nk];
        data.par_chunks_mut((nj * nk).max(1))
            .enumerate()
            .for_each(|(i, slab)| {
                // slab = B·diag(λ ∗ A(i,:))·Cᵀ.
                let bl = Mat::from_fn(nj, self.rank(), |j, r| {
                    b[(j, r)] * self.weights[r] * a[(i, r)]
                });
                let out = faer::MatMut::from_row_major_slice_mut(slab, nj, nk);
                crate::linalg::matmul(
                    out,
                    Accum::Replace,
                    bl.as_ref(),
                    c.transpose(),
                    1.0,
                    Par::Seq,
                );
            });
        Tensor3 {
            dims: [ni, nj, nk],
            data,
        }
    }
}

/// The MTTKRP of `x` in `mode` (0, 1 or 2): for mode 0, M = X₍₁₎·(B ⊙ C), i.e.
/// M(i, r) = Σⱼₖ x(i,j,k)·B(j,r)·C(k,r), and likewise for the other modes (the factor of
/// `mode` itself is not read). Modes 0 and 1 go through the partial contraction
/// P = X ×₃ Cᵀ, mode 2 through the Khatri–Rao product A ⊙ B; each is one
/// GEMM over the whole tensor.
///
/// # Panics
/// If `mode > 2` or the factors' shapes disagree with `x`.
pub fn mttkrp(x: &Tensor3, factors: &[Mat<f64>; 3], mode: usize) -> Mat<f64> {
    let [ni, nj, _] = x.dims;
    let r = factors[0].ncols();
    for (n, f) in factors.iter().enumerate() {
        assert!(
            (n == mode || f.nrows() == x.dims[n]) && f.ncols() == r,
            "factor {n} has shape {}×{}, expected {}×{r}",
            f.nrows(),
            f.ncols(),
            x.dims[n]
        );
    }
    assert!(mode < 3, "mode must be 0, 1 or 2, not {mode}");
    let [a, b, c] = factors.each_ref().map(|f| f.as_ref());
    let mut out = Mat::zeros(x.dims[mode], r);
    if mode == 2 {
        let mut kr = Mat::zeros(ni * nj, r);
        mttkrp_last(x, a, b, &mut kr, &mut out);
    } else {
        let mut p = Mat::zeros(r, ni * nj);
        contract_last(x, c, &mut p);
        if mode == 0 {
            mttkrp_first(&p, b, &mut out);
        } else {
            mttkrp_second(&p, a, &mut out);
        }
    }
    out
}

/// The partial contraction of the dimension tree (Phan, Tichavský & Cichocki 2013):
/// P = X ×₃ Cᵀ as an R × IJ matrix whose column i·J + j is Σₖ x(i,j,k)·C(k,:)ᵀ. One GEMM,
/// P = Cᵀ·X₍₃₎, with X₍₃₎ (K × IJ) the flat data read column-major. Both the mode-0 and the
/// mode-1 MTTKRP follow from P at O(IJR) cost, so a
/// sweep reads the tensor twice rather than three times.
fn contract_last(x: &Tensor3, c: MatRef<'_, f64>, p: &mut Mat<f64>) {
    let [ni, nj, nk] = x.dims;
    let x3 = MatRef::from_column_major_slice(&x.data, nk, ni * nj);
    let par = gemm_par(x.data.len() * c.ncols());
    crate::linalg::matmul(p.as_mut(), Accum::Replace, c.transpose(), x3, 1.0, par);
}

/// The mode-0 MTTKRP from P = X ×₃ Cᵀ: M(i, r) = Σⱼ P(r, i·J + j)·B(j, r), into `out` (I × R).
fn mttkrp_first(p: &Mat<f64>, b: MatRef<'_, f64>, out: &mut Mat<f64>) {
    let (r, nj) = (p.nrows(), b.nrows());
    let bt = row_major_of(b);
    let mut acc = vec![0.0; r];
    for i in 0..p.ncols() / nj.max(1) {
        acc.fill(0.0);
        for j in 0..nj {
            let (pc, bj) = (p.col_as_slice(i * nj + j), &bt[j * r..(j + 1) * r]);
            for ((s, &pv), &bv) in acc.iter_mut().zip(pc).zip(bj) {
                *s += pv * bv;
            }
        }
        for (q, &s) in acc.iter().enumerate() {
            out[(i, q)] = s;
        }
    }
}

/// The mode-1 MTTKRP from P = X ×₃ Cᵀ: M(j, r) = Σᵢ P(r, i·J + j)·A(i, r), into `out` (J × R).
fn mttkrp_second(p: &Mat<f64>, a: MatRef<'_, f64>, out: &mut Mat<f64>) {
    let (r, ni) = (p.nrows(), a.nrows());
    let nj = p.ncols() / ni.max(1);
    let at = row_major_of(a);
    let mut acc = vec![0.0; nj * r];
    for i in 0..ni {
        let ai = &at[i * r..(i + 1) * r];
        for (j, sj) in acc.chunks_exact_mut(r).enumerate() {
            for ((s, &pv), &av) in sj.iter_mut().zip(p.col_as_slice(i * nj + j)).zip(ai) {
                *s += pv * av;
            }
        }
    }
    for (j, sj) in acc.chunks_exact(r).enumerate() {
        for (q, &s) in sj.iter().enumerate() {
            out[(j, q)] = s;
        }
    }
}

/// The mode-2 MTTKRP M = X₍₃₎·(A ⊙ B) into `out` (K × R): the Khatri–Rao product
/// (A ⊙ B)(i·J + j, r) = A(i,r)·B(j,r) is formed in `kr` (IJ × R), then one GEMM.
fn mttkrp_last(
    x: &Tensor3,
    a: MatRef<'_, f64>,
    b: MatRef<'_, f64>,
    kr: &mut Mat<f64>,
    out: &mut Mat<f64>,
) {
    let [ni, nj, nk] = x.dims;
    for q in 0..a.ncols() {
        let col = kr.col_as_slice_mut(q);
        for (i, block) in col.chunks_exact_mut(nj).enumerate().take(ni) {
            let ai = a[(i, q)];
            for (v, j) in block.iter_mut().zip(0..nj) {
                *v = ai * b[(j, q)];
            }
        }
    }
    let x3 = MatRef::from_column_major_slice(&x.data, nk, ni * nj);
    let par = gemm_par(x.data.len() * a.ncols());
    crate::linalg::matmul(out.as_mut(), Accum::Replace, x3, kr.as_ref(), 1.0, par);
}

/// The entries of `m` row by row.
fn row_major_of(m: MatRef<'_, f64>) -> Vec<f64> {
    (0..m.nrows())
        .flat_map(|i| (0..m.ncols()).map(move |q| m[(i, q)]))
        .collect()
}

/// faer's rayon parallelism for a GEMM of `flops` multiply-adds when the pool has more than one
/// thread and the product is large enough to share, else sequential.
fn gemm_par(flops: usize) -> Par {
    if flops >= 1 << 20 {
        crate::linalg::par()
    } else {
        Par::Seq
    }
}

/// How [`CpAls`] starts its first run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpInit {
    /// The leading R left singular vectors of each unfolding (HOSVD), padded with random columns
    /// when R exceeds a dimension.
    Svd,
    /// Seeded standard normal factors.
    Random,
}

/// CP decomposition by alternating least squares (Kolda & Bader 2009).
#[derive(Clone, Debug)]
pub struct CpAls {
    /// R, the number of components.
    pub rank: usize,
    /// Sweeps per run, at least 1 (one sweep updates A, B and C once); a compressed first run
    /// may take this many on the core and again on the full tensor.
    pub max_iter: usize,
    /// Stop when the fit 1 − ‖X − X̂‖/‖X‖ changes by at most `tol` in a sweep.
    pub tol: f64,
    pub init: CpInit,
    /// Further runs from seeded random factors after the first; the best fit is kept.
    pub restarts: usize,
    pub seed: u64,
    /// Run the first (HOSVD-started) run on a Tucker-compressed tensor before refining on the
    /// full one (CANDELINC; see [`CpAls::fit`]). It applies when the core has at most 1/8 of the
    /// tensor's entries.
    pub compress: bool,
}

impl Default for CpAls {
    fn default() -> Self {
        CpAls {
            rank: 1,
            max_iter: 500,
            tol: 1e-8,
            init: CpInit::Svd,
            restarts: 0,
            seed: 0,
            compress: true,
        }
    }
}

/// What [`CpAls::fit`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct CpReport {
    /// 1 − ‖X − X̂‖/‖X‖ of the returned model.
    pub fit: f64,
    /// Sweeps of the best run, and of all runs together.
    pub iterations: usize,
    pub total_iterations: usize,
    /// Whether the best run met the fit-change test (else it hit `max_iter` or the monitor).
    pub converged: bool,
    /// Which run was best (0: the first, from `init`).
    pub best_run: usize,
    pub seconds: f64,
}

impl CpAls {
    /// Fits the model. The monitor sees each sweep with `f` = ‖X − X̂‖/‖X‖ and `grad_norm` =
    /// the change of the fit in that sweep; it may stop the run (the model so far is kept).
    ///
    /// With `compress` and the HOSVD start, the first run follows Bro & Andersson (1998,
    /// "Improving the speed of multiway algorithms: Part II. Compression"): X is projected onto
    /// the leading Lₙ = min(dimₙ, 2R) left singular vectors Uₙ of each unfolding, ALS runs on the
    /// small core G = X ×₁ U₁ᵀ ×₂ U₂ᵀ ×₃ U₃ᵀ from the same start (the first R columns of the
    /// identity), and the factors Uₙ·F̂ₙ then seed ALS on X itself, which stops by the same
    /// fit-change test. Sweeps on the core cost O(L³R) instead of O(IJKR); the fits they report
    /// are those of the expanded model against X (exact, since ⟨X, X̂⟩ = ⟨G, Ĝ⟩ and
    /// ‖X̂‖ = ‖Ĝ‖ for orthonormal Uₙ).
    pub fn fit(&self, x: &Tensor3, monitor: &mut impl Monitor) -> Result<(CpModel, CpReport)> {
        if self.rank == 0 {
            return Err(Error::invalid("CP rank must be at least 1"));
        }
        if self.max_iter == 0 {
            return Err(Error::invalid(
                "CP-ALS needs at least one sweep (max_iter ≥ 1)",
            ));
        }
        if x.dims.contains(&0) {
            return Err(Error::invalid(format!(
                "tensor dims {:?} have an empty mode",
                x.dims
            )));
        }
        // The sweep's workspaces (P = X ×₃ Cᵀ and A ⊙ B) hold 2·R·I·J values.
        let [ni, nj, _] = x.dims;
        let workspace = self.rank.saturating_mul(ni * nj).saturating_mul(2);
        if workspace > x.data.len().max(1 << 20).saturating_mul(16) {
            return Err(Error::invalid(format!(
                "CP rank {} on a {:?} tensor needs {workspace} values of workspace (2·R·I·J), \
                 over 16 times the tensor: lower the rank, or order the modes longest last",
                self.rank, x.dims
            )));
        }
        if self.tol.is_nan() || self.tol < 0.0 {
            return Err(Error::invalid(format!(
                "tolerance {} is not non-negative",
                self.tol
            )));
        }
        let norm_x = x.norm();
        if norm_x == 0.0 {
            return Err(Error::invalid("the tensor is zero"));
        }
        let start = Instant::now();
        let mut best: Option<(CpModel, f64, usize, bool, usize)> = None;
        let mut total = 0;
        let size = x.data.len() as f64;
        for run in 0..=self.restarts {
            let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
            rng.set_stream(run as u64);
            let (mut sweeps, mut passes) = (0, 0.0);
            // `cost`: the sweep's reads of X, in passes over it.
            let mut info = |fit: f64, change: f64, cost: f64| {
                sweeps += 1;
                passes += cost;
                monitor.observe(&IterInfo {
                    iter: total + sweeps,
                    seconds: start.elapsed().as_secs_f64(),
                    passes,
                    f: 1.0 - fit,
                    grad_norm: change,
                })
            };
            let svd = run == 0 && self.init == CpInit::Svd;
            let bases = if svd && self.compress {
                compression_bases(x, self.rank)?
            } else {
                None
            };
            let outcome = if let Some(bases) = bases {
                let core = tucker_core(x, &bases);
                let cost = 2.0 * core.data.len() as f64 / size;
                // The HOSVD start in the compressed coordinates: Uₙ's first R columns.
                let first = [0, 1, 2].map(|n| {
                    Mat::from_fn(
                        core.dims[n],
                        self.rank,
                        |i, q| if i == q { 1.0 } else { 0.0 },
                    )
                });
                let mut on_core = |fit: f64, change: f64| info(fit, change, cost);
                let (small, fit, iters, conv, stopped) =
                    self.run(&core, norm_x, first, f64::NEG_INFINITY, &mut on_core)?;
                let expanded = [0, 1, 2].map(|n| {
                    let mut f = Mat::zeros(x.dims[n], self.rank);
                    crate::linalg::matmul(
                        f.as_mut(),
                        Accum::Replace,
                        bases[n].as_ref(),
                        small.factors[n].as_ref(),
                        1.0,
                        Par::Seq,
                    );
                    f
                });
                if stopped {
                    let model = CpModel {
                        weights: small.weights,
                        factors: expanded,
                    };
                    (model, fit, iters, conv, true)
                } else {
                    let mut on_x = |fit: f64, change: f64| info(fit, change, 2.0);
                    let (model, fit, more, conv, stopped) =
                        self.run(x, norm_x, expanded, fit, &mut on_x)?;
                    (model, fit, iters + more, conv, stopped)
                }
            } else {
                let factors = if svd {
                    svd_init(x, self.rank, &mut rng)?
                } else {
                    [0, 1, 2].map(|n| gaussian_matrix(x.dims[n], self.rank, &mut rng))
                };
                let mut on_x = |fit: f64, change: f64| info(fit, change, 2.0);
                self.run(x, norm_x, factors, f64::NEG_INFINITY, &mut on_x)?
            };
            let (model, fit, iters, converged, stopped) = outcome;
            total += iters;
            if best.as_ref().is_none_or(|b| fit > b.1) {
                best = Some((model, fit, iters, converged, run));
            }
            if stopped {
                break;
            }
        }
        let (model, fit, iterations, converged, best_run) = best.expect("at least one run");
        Ok((
            model,
            CpReport {
                fit,
                iterations,
                total_iterations: total,
                converged,
                best_run,
                seconds: start.elapsed().as_secs_f64(),
            },
        ))
    }

    /// One ALS run from `factors` (the first is not read), after a model of fit `fit` (−∞ for
    /// none); returns (model, fit, sweeps, converged, stopped by monitor). `norm_x` is ‖X‖ of the
    /// tensor whose fit is reported: `x` itself, or the uncompressed tensor when `x` is its
    /// Tucker core (the residual is then that of the expanded model, see [`CpAls::fit`]).
    fn run(
        &self,
        x: &Tensor3,
        norm_x: f64,
        mut factors: [Mat<f64>; 3],
        mut fit: f64,
        info: &mut impl FnMut(f64, f64) -> bool,
    ) -> Result<(CpModel, f64, usize, bool, bool)> {
        let r = self.rank;
        let mut weights = vec![1.0; r];
        let mut grams = factors.each_ref().map(gram);
        let [ni, nj, _] = x.dims;
        // Workspaces, reused by every sweep: P = X ×₃ Cᵀ, A ⊙ B, and the three MTTKRPs.
        let mut p = Mat::zeros(r, ni * nj);
        let mut kr = Mat::zeros(ni * nj, r);
        let mut m = x.dims.map(|d| Mat::zeros(d, r));
        for iter in 1..=self.max_iter.max(1) {
            // C is fixed while A and B are updated, so one contraction serves both.
            contract_last(x, factors[2].as_ref(), &mut p);
            for n in 0..3 {
                match n {
                    0 => mttkrp_first(&p, factors[1].as_ref(), &mut m[0]),
                    1 => mttkrp_second(&p, factors[0].as_ref(), &mut m[1]),
                    _ => mttkrp_last(
                        x,
                        factors[0].as_ref(),
                        factors[1].as_ref(),
                        &mut kr,
                        &mut m[2],
                    ),
                }
                let v = Mat::from_fn(r, r, |p, q| {
                    (0..3)
                        .filter(|&o| o != n)
                        .map(|o| grams[o][(p, q)])
                        .product()
                });
                factors[n] = solve_right(&m[n], &v)?;
                weights = normalize_columns(&mut factors[n]);
                grams[n] = gram(&factors[n]);
            }
            let last = &m[2];
            // ⟨X, X̂⟩ = Σᵣ λᵣ·C(:,r)ᵀ·M₃(:,r); ‖X̂‖² = λᵀ(AᵀA ∗ BᵀB ∗ CᵀC)λ.
            let c = &factors[2];
            let inner: f64 = (0..r)
                .map(|q| weights[q] * crate::linalg::dot(c.col_as_slice(q), last.col_as_slice(q)))
                .sum();
            let mut model_sq = 0.0;
            for p in 0..r {
                for q in 0..r {
                    let g = grams[0][(p, q)] * grams[1][(p, q)] * grams[2][(p, q)];
                    model_sq += weights[p] * weights[q] * g;
                }
            }
            let resid_sq = (norm_x * norm_x - 2.0 * inner + model_sq).max(0.0);
            let new_fit = 1.0 - resid_sq.sqrt() / norm_x;
            if !new_fit.is_finite() {
                return Err(Error::NonFinite(format!(
                    "CP-ALS fit became {new_fit} at sweep {iter}"
                )));
            }
            let change = (new_fit - fit).abs();
            fit = new_fit;
            let keep_going = info(fit, change);
            let converged = change <= self.tol;
            if converged || !keep_going || iter >= self.max_iter {
                let model = CpModel { weights, factors };
                return Ok((model, fit, iter, converged, !keep_going && !converged));
            }
        }
        unreachable!("the loop returns at its last sweep")
    }
}

/// FᵀF.
fn gram(f: &Mat<f64>) -> Mat<f64> {
    let mut g = Mat::zeros(f.ncols(), f.ncols());
    crate::linalg::matmul(
        g.as_mut(),
        Accum::Replace,
        f.transpose(),
        f.as_ref(),
        1.0,
        Par::Seq,
    );
    g
}

/// M·V⁻¹ for a symmetric positive semi-definite V, by Cholesky (with a tiny ridge when V is
/// singular, e.g. for collinear or zero columns).
fn solve_right(m: &Mat<f64>, v: &Mat<f64>) -> Result<Mat<f64>> {
    let r = v.nrows();
    let scale = (0..r)
        .map(|i| v[(i, i)])
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    for ridge in [0.0, 1e-12, 1e-8, 1e-4] {
        let vr = Mat::from_fn(r, r, |p, q| {
            v[(p, q)] + if p == q { ridge * scale } else { 0.0 }
        });
        if let Ok(llt) = vr.llt(Side::Lower) {
            // V is symmetric: solve V·Fᵀ = Mᵀ.
            let mut ft = m.transpose().to_owned();
            llt.solve_in_place(ft.as_mut());
            if ft.col_iter().all(|c| c.iter().all(|v| v.is_finite())) {
                return Ok(ft.transpose().to_owned());
            }
        }
    }
    Err(Error::Numerical(
        "CP-ALS normal equations could not be solved".into(),
    ))
}

/// Scales each column to unit norm and returns the norms (a zero column keeps weight 0).
fn normalize_columns(f: &mut Mat<f64>) -> Vec<f64> {
    (0..f.ncols())
        .map(|q| {
            let col = f.col_as_slice_mut(q);
            let n = crate::linalg::norm(col);
            if n > 0.0 {
                col.iter_mut().for_each(|v| *v /= n);
            }
            n
        })
        .collect()
}

/// HOSVD start: the leading `r` left singular vectors of the mode-2 and mode-3 unfoldings
/// (mode 1 is solved for first and needs no start), padded with random columns.
fn svd_init(x: &Tensor3, r: usize, rng: &mut impl Rng) -> Result<[Mat<f64>; 3]> {
    let [ni, nj, nk] = x.dims;
    let mut leading = |mode: usize, avail: usize| -> Result<Mat<f64>> {
        let u = left_singular_vectors(x, mode)?;
        let mut f = gaussian_matrix(u.nrows(), r, rng);
        for q in 0..r.min(avail).min(u.ncols()) {
            f.col_as_slice_mut(q).copy_from_slice(u.col_as_slice(q));
        }
        Ok(f)
    };
    // An unfolding of n rows and `avail` columns has min(n, avail) singular vectors.
    let b = leading(1, ni * nk)?;
    let c = leading(2, ni * nj)?;
    Ok([Mat::zeros(ni, r), b, c])
}

/// The left singular vectors of the unfolding X₍ₙ₎ (mode n = 0, 1, 2), by decreasing singular
/// value, as the eigenvectors of its small Gram matrix X₍ₙ₎X₍ₙ₎ᵀ (dimₙ × dimₙ): one GEMM over
/// the tensor and one symmetric eigensolve instead of an SVD of a dimₙ × (IJK/dimₙ) matrix.
/// X₍₁₎X₍₁₎ᵀ and X₍₃₎X₍₃₎ᵀ are products of the flat data read as I × JK or K × IJ;
/// X₍₂₎X₍₂₎ᵀ = Σᵢ X(i,:,:)·X(i,:,:)ᵀ.
///
/// Where dimₙ² exceeds the tensor's size (a long mode: the Gram would outgrow the data) the
/// thin SVD of the unfolding itself gives the min(dimₙ, IJK/dimₙ) vectors instead.
fn left_singular_vectors(x: &Tensor3, mode: usize) -> Result<Mat<f64>> {
    let [ni, nj, nk] = x.dims;
    let d = x.dims[mode];
    if d.saturating_mul(d) > x.data.len() {
        let unfolding = match mode {
            0 => MatRef::from_row_major_slice(&x.data, ni, nj * nk).to_owned(),
            1 => Mat::from_fn(nj, ni * nk, |j, c| x.slab(c / nk)[(j, c % nk)]),
            _ => MatRef::from_column_major_slice(&x.data, nk, ni * nj).to_owned(),
        };
        let svd = unfolding
            .thin_svd()
            .map_err(|e| Error::Numerical(format!("SVD of a tensor unfolding failed: {e:?}")))?;
        return Ok(svd.U().to_owned());
    }
    let par = gemm_par(x.data.len() * d);
    let g = match mode {
        1 => {
            // Blocks of slabs fixed by the size alone, added in order: the same bits in a pool
            // of any size.
            let per_block = ni.div_ceil(64).max(1);
            let blocks: Vec<Mat<f64>> = (0..ni.div_ceil(per_block))
                .into_par_iter()
                .map(|b| {
                    let mut g = Mat::<f64>::zeros(nj, nj);
                    for i in b * per_block..((b + 1) * per_block).min(ni) {
                        let s = x.slab(i);
                        crate::linalg::matmul(
                            g.as_mut(),
                            Accum::Add,
                            s,
                            s.transpose(),
                            1.0,
                            Par::Seq,
                        );
                    }
                    g
                })
                .collect();
            let mut g = Mat::<f64>::zeros(nj, nj);
            for t in &blocks {
                for q in 0..nj {
                    crate::linalg::axpy(1.0, t.col_as_slice(q), g.col_as_slice_mut(q));
                }
            }
            g
        }
        _ => {
            let xn = if mode == 0 {
                MatRef::from_row_major_slice(&x.data, ni, nj * nk)
            } else {
                MatRef::from_column_major_slice(&x.data, nk, ni * nj)
            };
            let mut g = Mat::<f64>::zeros(d, d);
            crate::linalg::matmul(g.as_mut(), Accum::Replace, xn, xn.transpose(), 1.0, par);
            g
        }
    };
    let eig = g.self_adjoint_eigen(Side::Lower).map_err(|e| {
        Error::Numerical(format!(
            "eigendecomposition of an unfolding's Gram failed: {e:?}"
        ))
    })?;
    let values = eig.S().column_vector();
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by(|&p, &q| values[q].total_cmp(&values[p]));
    let u = eig.U();
    Ok(Mat::from_fn(d, d, |i, q| u[(i, order[q])]))
}

/// The orthonormal bases Uₙ (dimₙ × Lₙ, Lₙ = min(dimₙ, 2R)) of the compressed first run, or
/// `None` when the core would keep more than 1/8 of the tensor's entries (or R exceeds a
/// dimension of the core).
fn compression_bases(x: &Tensor3, r: usize) -> Result<Option<[Mat<f64>; 3]>> {
    let sizes = x.dims.map(|d| d.min(2 * r));
    let core: usize = sizes.iter().product();
    if sizes.iter().any(|&l| l < r) || core.saturating_mul(8) > x.data.len() {
        return Ok(None);
    }
    let mut bases = [Mat::zeros(0, 0), Mat::zeros(0, 0), Mat::zeros(0, 0)];
    for n in 0..3 {
        let u = left_singular_vectors(x, n)?;
        bases[n] = u.as_ref().subcols(0, sizes[n]).to_owned();
    }
    Ok(Some(bases))
}

/// The Tucker core G = X ×₁ U₁ᵀ ×₂ U₂ᵀ ×₃ U₃ᵀ (L₁ × L₂ × L₃), by contracting the last mode
/// first (one GEMM over X, [`contract_last`]), then J and I on the smaller result.
fn tucker_core(x: &Tensor3, bases: &[Mat<f64>; 3]) -> Tensor3 {
    let [ni, nj, _] = x.dims;
    let [u, v, w] = bases;
    let (l1, l2, l3) = (u.ncols(), v.ncols(), w.ncols());
    // P(c, i·J + j) = Σₖ x(i,j,k)·W(k,c).
    let mut p = Mat::zeros(l3, ni * nj);
    contract_last(x, w.as_ref(), &mut p);
    // Column i of Z, read as an L₃ × L₂ matrix, is Zᵢ(c, b) = Σⱼ P(c, i·J + j)·V(j,b).
    let mut z = Mat::<f64>::zeros(l3 * l2, ni);
    for i in 0..ni {
        let zi = faer::MatMut::from_column_major_slice_mut(z.col_as_slice_mut(i), l3, l2);
        let pi = p.as_ref().subcols(i * nj, nj);
        crate::linalg::matmul(zi, Accum::Replace, pi, v.as_ref(), 1.0, Par::Seq);
    }
    // Column a of Z·U is G(a, :, :) in C order: entry b·L₃ + c.
    let mut g = Mat::<f64>::zeros(l3 * l2, l1);
    crate::linalg::matmul(
        g.as_mut(),
        Accum::Replace,
        z.as_ref(),
        u.as_ref(),
        1.0,
        Par::Seq,
    );
    let data = (0..l1).flat_map(|a| g.col_as_slice(a).to_vec()).collect();
    Tensor3 {
        dims: [l1, l2, l3],
        data,
    }
}

/// The factor match score of `estimate` against `truth` (Tomasi & Bro 2006, congruence form):
/// (1/R)·max over assignments π of Σᵣ Πₙ |⟨fₙᵣ, f̂ₙπ(r)⟩|/(‖fₙᵣ‖‖f̂ₙπ(r)‖), in [0, 1]; 1 means
/// the same components up to permutation, scale and sign. Weights are not compared. An
/// estimate with more components than the truth is matched on its best R of them.
pub fn factor_match_score(truth: &CpModel, estimate: &CpModel) -> Result<f64> {
    let (r, s) = (truth.rank(), estimate.rank());
    if truth.dims() != estimate.dims() {
        return Err(Error::invalid(format!(
            "models of dims {:?} and {:?} cannot be compared",
            truth.dims(),
            estimate.dims()
        )));
    }
    if r == 0 || s < r {
        return Err(Error::invalid(format!(
            "the estimate has {s} components, fewer than the {r} true ones"
        )));
    }
    let mut score = vec![1.0; r * s];
    for n in 0..3 {
        let (f, g) = (&truth.factors[n], &estimate.factors[n]);
        for p in 0..r {
            for q in 0..s {
                let (fp, gq) = (f.col_as_slice(p), g.col_as_slice(q));
                let den = crate::linalg::norm(fp) * crate::linalg::norm(gq);
                let cong = if den > 0.0 {
                    crate::linalg::dot(fp, gq).abs() / den
                } else {
                    0.0
                };
                score[p * s + q] *= cong;
            }
        }
    }
    let assign = super::best_assignment(&score, r, s);
    Ok(assign
        .iter()
        .enumerate()
        .map(|(p, &q)| score[p * s + q])
        .sum::<f64>()
        / r as f64)
}

/// A planted rank-R tensor with standard normal factors (columns normalized into λ) and,
/// for `noise` > 0, Gaussian noise scaled to ‖N‖ = noise·‖X‖. Returns (X + N, the model).
pub fn planted_cp(
    dims: [usize; 3],
    rank: usize,
    noise: f64,
    seed: u64,
) -> Result<(Tensor3, CpModel)> {
    if rank == 0 || dims.contains(&0) {
        return Err(Error::invalid(format!(
            "a planted CP tensor needs rank ≥ 1 and non-empty dims (got rank {rank}, dims {dims:?})"
        )));
    }
    if !(noise >= 0.0 && noise.is_finite()) {
        return Err(Error::invalid(format!(
            "noise level {noise} is not non-negative"
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut factors = dims.map(|d| gaussian_matrix(d, rank, &mut rng));
    let mut weights = vec![1.0; rank];
    for f in factors.iter_mut() {
        for (w, n) in weights.iter_mut().zip(normalize_columns(f)) {
            *w *= n;
        }
    }
    let model = CpModel { weights, factors };
    let mut x = model.to_tensor();
    if noise > 0.0 {
        let n = gaussian_vector(x.data.len(), &mut rng);
        let scale = noise * x.norm() / crate::linalg::norm(&n);
        crate::linalg::axpy(scale, &n, &mut x.data);
    }
    Ok((x, model))
}

/// An orthogonally decomposable symmetric tensor T = Σᵢ λᵢ vᵢ^⊗3 (n × n × n) with `k`
/// orthonormal vᵢ (a seeded random orthogonal basis, by QR) and λᵢ = 1 + i (i = 0..k, so the
/// eigenvalues are distinct). Returns (T, λ, V with the vᵢ as columns).
pub fn planted_orthogonal_symmetric(
    n: usize,
    k: usize,
    seed: u64,
) -> Result<(Tensor3, Vec<f64>, Mat<f64>)> {
    if k == 0 || k > n {
        return Err(Error::invalid(format!(
            "an orthogonal decomposition of an {n}-dimensional tensor has 1 to {n} components, not {k}"
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let g = gaussian_matrix(n, k, &mut rng);
    let v = g.qr().compute_thin_Q();
    let lambda: Vec<f64> = (0..k).map(|i| 1.0 + i as f64).collect();
    let model = CpModel {
        weights: lambda.clone(),
        factors: [v.clone(), v.clone(), v.clone()],
    };
    Ok((model.to_tensor(), lambda, v))
}

/// The tensor power method with deflation for orthogonally decomposable symmetric tensors
/// (Anandkumar, Ge, Hsu, Kakade & Telgarsky 2014).
#[derive(Clone, Debug)]
pub struct TensorPower {
    /// Components to extract (k).
    pub components: usize,
    /// L: random starts per component; the one with the largest T(θ, θ, θ) is kept.
    pub restarts: usize,
    /// N: power iterations per start (and again to refine the selected one), fewer when θ stops
    /// moving.
    pub iters: usize,
    pub seed: u64,
}

impl Default for TensorPower {
    fn default() -> Self {
        TensorPower {
            components: 1,
            restarts: 10,
            iters: 100,
            seed: 0,
        }
    }
}

/// Eigenpairs of a symmetric tensor: T ≈ Σᵢ λᵢ vᵢ^⊗3.
#[derive(Clone, Debug)]
pub struct SymmetricEigen {
    /// λᵢ, in the order found (the robust selection finds the largest first).
    pub values: Vec<f64>,
    /// vᵢ as the columns of an n × k matrix.
    pub vectors: Mat<f64>,
}

impl TensorPower {
    /// Extracts `components` eigenpairs of the symmetric n × n × n tensor `t`.
    pub fn run(&self, t: &Tensor3) -> Result<SymmetricEigen> {
        let [n, n2, n3] = t.dims;
        if n != n2 || n != n3 || n == 0 {
            return Err(Error::invalid(format!(
                "the tensor power method needs a cubical tensor, not dims {:?}",
                t.dims
            )));
        }
        if self.components == 0 || self.components > n || self.restarts == 0 {
            return Err(Error::invalid(format!(
                "need 1 to {n} components and at least one start (got {} and {})",
                self.components, self.restarts
            )));
        }
        let asym = (0..n)
            .flat_map(|i| (0..n).flat_map(move |j| (0..n).map(move |k| (i, j, k))))
            .map(|(i, j, k)| {
                let v = t.get(i, j, k);
                (v - t.get(j, i, k))
                    .abs()
                    .max((v - t.get(i, k, j)).abs())
                    .max((v - t.get(k, j, i)).abs())
            })
            .fold(0.0, f64::max);
        if asym > 1e-8 * t.norm().max(f64::MIN_POSITIVE) {
            return Err(Error::invalid(format!(
                "the tensor is not symmetric (largest difference under transposition {asym:.3e})"
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut t = t.clone();
        let mut values = Vec::with_capacity(self.components);
        let mut vectors = Mat::zeros(n, self.components);
        for c in 0..self.components {
            let mut best: Option<(Vec<f64>, f64)> = None;
            for _ in 0..self.restarts {
                let mut theta: Vec<f64> = gaussian_vector(n, &mut rng);
                let norm = crate::linalg::norm(&theta);
                theta.iter_mut().for_each(|v| *v /= norm);
                self.iterate(&t, &mut theta);
                let value = contract_all(&t, &theta);
                if best.as_ref().is_none_or(|b| value > b.1) {
                    best = Some((theta, value));
                }
            }
            let (mut theta, _) = best.expect("at least one start");
            self.iterate(&t, &mut theta);
            let lambda = contract_all(&t, &theta);
            if !lambda.is_finite() {
                return Err(Error::NonFinite(format!("eigenvalue {c} is {lambda}")));
            }
            // Deflate: T ← T − λ θ^⊗3.
            t.data
                .par_chunks_mut(n * n)
                .enumerate()
                .for_each(|(i, slab)| {
                    for j in 0..n {
                        let s = lambda * theta[i] * theta[j];
                        crate::linalg::axpy(-s, &theta, &mut slab[j * n..(j + 1) * n]);
                    }
                });
            values.push(lambda);
            for (i, &v) in theta.iter().enumerate() {
                vectors[(i, c)] = v;
            }
        }
        Ok(SymmetricEigen { values, vectors })
    }

    /// θ ← T(I, θ, θ)/‖T(I, θ, θ)‖ up to `iters` times (until θ stops moving).
    fn iterate(&self, t: &Tensor3, theta: &mut Vec<f64>) {
        for _ in 0..self.iters {
            let mut next = contract_two(t, theta);
            let norm = crate::linalg::norm(&next);
            if !norm.is_finite() || norm <= 0.0 {
                return;
            }
            next.iter_mut().for_each(|v| *v /= norm);
            let moved = next
                .iter()
                .zip(theta.iter())
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            *theta = next;
            if moved <= 1e-15 {
                return;
            }
        }
    }
}

/// T(I, θ, θ)ᵢ = Σⱼₖ T(i,j,k)·θⱼ·θₖ.
fn contract_two(t: &Tensor3, theta: &[f64]) -> Vec<f64> {
    let n = theta.len();
    t.data
        .par_chunks(n * n)
        .map(|slab| {
            slab.chunks_exact(n)
                .zip(theta)
                .map(|(row, &tj)| tj * crate::linalg::dot(row, theta))
                .sum()
        })
        .collect()
}

/// T(θ, θ, θ).
fn contract_all(t: &Tensor3, theta: &[f64]) -> f64 {
    crate::linalg::dot(&contract_two(t, theta), theta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_tensor(dims: [usize; 3], seed: u64) -> Tensor3 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = dims.iter().product();
        Tensor3::new(dims, gaussian_vector(n, &mut rng)).unwrap()
    }

    #[test]
    fn gram_eigenvectors_are_the_unfoldings_singular_vectors() {
        let x = random_tensor([6, 5, 7], 1);
        let [ni, nj, nk] = x.dims;
        for mode in 0..3 {
            let d = x.dims[mode];
            // The unfolding X₍ₙ₎ (d × rest), built entry by entry.
            let rest = ni * nj * nk / d;
            let mut xn = Mat::<f64>::zeros(d, rest);
            for i in 0..ni {
                for j in 0..nj {
                    for k in 0..nk {
                        let (row, col) = match mode {
                            0 => (i, j * nk + k),
                            1 => (j, i * nk + k),
                            _ => (k, i * nj + j),
                        };
                        xn[(row, col)] = x.get(i, j, k);
                    }
                }
            }
            let svd = xn.thin_svd().unwrap();
            let u = left_singular_vectors(&x, mode).unwrap();
            for q in 0..d.min(rest) {
                let cos = crate::linalg::dot(
                    u.col_as_slice(q),
                    svd.U().col(q).try_as_col_major().unwrap().as_slice(),
                );
                assert!(
                    (cos.abs() - 1.0).abs() < 1e-10,
                    "mode {mode}, vector {q}: {cos}"
                );
            }
        }
    }

    #[test]
    fn tucker_core_matches_the_naive_contraction() {
        let x = random_tensor([5, 4, 6], 2);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let bases = [(5, 2), (4, 3), (6, 4)].map(|(d, l)| gaussian_matrix(d, l, &mut rng));
        let g = tucker_core(&x, &bases);
        assert_eq!(g.dims, [2, 3, 4]);
        for a in 0..2 {
            for b in 0..3 {
                for c in 0..4 {
                    let mut naive = 0.0;
                    for i in 0..5 {
                        for j in 0..4 {
                            for k in 0..6 {
                                naive += x.get(i, j, k)
                                    * bases[0][(i, a)]
                                    * bases[1][(j, b)]
                                    * bases[2][(k, c)];
                            }
                        }
                    }
                    assert!((g.get(a, b, c) - naive).abs() < 1e-12);
                }
            }
        }
    }
}
