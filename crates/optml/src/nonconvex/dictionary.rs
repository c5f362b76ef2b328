//! Dictionary learning, Y ≈ D·X with unit-norm atoms (the columns of D) and k-sparse codes
//! (the columns of X), by K-SVD (Aharon, Elad & Bruckstein 2006).
//!
//! **Layout.** Signals are the columns of Y (d × n); a `.npy` array of n samples × d features
//! in C order is exactly that matrix in column-major order. D is d × K; codes are kept sparse,
//! one list of (atom, coefficient) per signal.
//!
//! **Sparse coding** is orthogonal matching pursuit (Pati, Rezaiifar & Krishnaprasad 1993):
//! pick the atom most correlated with the residual, refit by least squares on the support,
//! repeat k times. [`batch_omp`] codes many signals at once from the Gram matrix G = DᵀD and
//! Dᵀ·Y (one GEMM), updating the correlations as α = Dᵀy − G_S·x_S and the least-squares
//! solution by a progressive Cholesky factorization of G_SS (Rubinstein, Zibulevsky & Elad
//! 2008), in parallel over signals.
//!
//! **Atom update** (K-SVD): for each atom k in turn, with the signals ω that use it and the
//! residual without it, E = (Y − Σ_{j≠k} dⱼxⱼ)_ω, the pair (dₖ, xₖ,ω) becomes the best rank-one
//! approximation of E (a few power iterations warm-started at the current codes, or faer's
//! SVD). Atoms nobody uses, or that nearly duplicate another (|⟨dᵢ, dⱼ⟩| > 0.99), are replaced
//! by the worst-represented signal, as in the authors' experiments.

use std::time::Instant;

use faer::{Accum, Mat, MatRef};
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::linalg::random::gaussian_matrix;
use rand_distr::StandardNormal;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm};
use crate::monitor::{IterInfo, Monitor};

/// Sparse codes: for each signal, its (atom, coefficient) pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseCodes {
    /// K, the number of atoms the indices refer to.
    pub atoms: usize,
    pub columns: Vec<Vec<(usize, f64)>>,
}

impl SparseCodes {
    /// The codes as a dense K × n matrix X.
    pub fn to_dense(&self) -> Mat<f64> {
        let mut x = Mat::zeros(self.atoms, self.columns.len());
        for (i, col) in self.columns.iter().enumerate() {
            for &(k, v) in col {
                x[(k, i)] += v;
            }
        }
        x
    }
}

/// A Cholesky factor L of G_SS that grows one atom at a time.
struct GrowingCholesky {
    /// Row-major lower triangle, `cap × cap`.
    l: Vec<f64>,
    cap: usize,
    size: usize,
}

impl GrowingCholesky {
    fn new(cap: usize) -> Self {
        GrowingCholesky {
            l: vec![0.0; cap * cap],
            cap,
            size: 0,
        }
    }

    /// Appends an atom with Gram entries `g_s` = G(S, k) and `g_kk` = G(k, k); `false` (and no
    /// change) when the atom is numerically in the span of the support.
    fn push(&mut self, g_s: &[f64], g_kk: f64) -> bool {
        let (s, c) = (self.size, self.cap);
        let mut w = g_s.to_vec();
        self.forward(&mut w);
        let d2 = g_kk - dot(&w, &w);
        if d2.is_nan() || d2 <= 1e-10 * g_kk.max(f64::MIN_POSITIVE) {
            return false;
        }
        self.l[s * c..s * c + s].copy_from_slice(&w);
        self.l[s * c + s] = d2.sqrt();
        self.size += 1;
        true
    }

    /// Solves L·w = b in place.
    fn forward(&self, b: &mut [f64]) {
        let c = self.cap;
        for i in 0..b.len() {
            let row = &self.l[i * c..i * c + i];
            b[i] = (b[i] - dot(row, &b[..i])) / self.l[i * c + i];
        }
    }

    /// Solves L·Lᵀ·x = b in place.
    fn solve(&self, b: &mut [f64]) {
        self.forward(b);
        let c = self.cap;
        for i in (0..b.len()).rev() {
            let tail: f64 = (i + 1..b.len()).map(|j| self.l[j * c + i] * b[j]).sum();
            b[i] = (b[i] - tail) / self.l[i * c + i];
        }
    }
}

/// Orthogonal matching pursuit for one signal: at most `sparsity` atoms of `dict` (d × K, unit
/// columns), stopping early once ‖y − D·x‖ ≤ tol·‖y‖. Returns the (atom, coefficient) pairs in
/// the order chosen.
///
/// # Panics
/// If `y.len() != dict.nrows()`.
pub fn omp(dict: MatRef<'_, f64>, y: &[f64], sparsity: usize, tol: f64) -> Vec<(usize, f64)> {
    let (d, k) = (dict.nrows(), dict.ncols());
    assert_eq!(y.len(), d, "signal length differs from the atoms'");
    let atom = |j: usize| {
        dict.col(j)
            .try_as_col_major()
            .map(|c| c.as_slice().to_vec())
    };
    let atoms: Vec<Vec<f64>> = (0..k)
        .map(|j| atom(j).unwrap_or_else(|| dict.col(j).iter().copied().collect()))
        .collect();
    let s_max = sparsity.min(k).min(d);
    let y_norm = norm(y);
    let mut chol = GrowingCholesky::new(s_max);
    let mut support: Vec<usize> = Vec::with_capacity(s_max);
    let mut coef: Vec<f64> = Vec::new();
    let mut r = y.to_vec();
    while support.len() < s_max && norm(&r) > tol * y_norm {
        let best = (0..k)
            .filter(|j| !support.contains(j))
            .map(|j| (j, dot(&atoms[j], &r).abs()))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((j, _)) = best else { break };
        let g_s: Vec<f64> = support.iter().map(|&i| dot(&atoms[i], &atoms[j])).collect();
        if !chol.push(&g_s, dot(&atoms[j], &atoms[j])) {
            break;
        }
        support.push(j);
        coef = support.iter().map(|&i| dot(&atoms[i], y)).collect();
        chol.solve(&mut coef);
        r.copy_from_slice(y);
        for (&i, &c) in support.iter().zip(&coef) {
            axpy(-c, &atoms[i], &mut r);
        }
    }
    support.into_iter().zip(coef).collect()
}

/// Batch OMP: [`omp`] for every column of `y` (d × n) from G = DᵀD and Dᵀ·Y, in parallel over
/// signals (Rubinstein, Zibulevsky & Elad 2008). Same supports and coefficients as [`omp`] up
/// to rounding.
///
/// # Panics
/// If `y.nrows() != dict.nrows()`.
pub fn batch_omp(
    dict: MatRef<'_, f64>,
    y: MatRef<'_, f64>,
    sparsity: usize,
    tol: f64,
) -> SparseCodes {
    let (d, k, n) = (dict.nrows(), dict.ncols(), y.ncols());
    assert_eq!(y.nrows(), d, "signals and atoms differ in length");
    let mut g = Mat::zeros(k, k);
    crate::linalg::matmul(
        g.as_mut(),
        Accum::Replace,
        dict.transpose(),
        dict,
        1.0,
        crate::linalg::par(),
    );
    let mut corr = Mat::zeros(k, n);
    crate::linalg::matmul(
        corr.as_mut(),
        Accum::Replace,
        dict.transpose(),
        y,
        1.0,
        crate::linalg::par(),
    );
    let s_max = sparsity.min(k).min(d);
    let columns = (0..n)
        .into_par_iter()
        .map(|i| {
            let alpha0 = corr.col_as_slice(i);
            let y_sq: f64 = y.col(i).iter().map(|v| v * v).sum();
            let mut alpha = alpha0.to_vec();
            let mut chol = GrowingCholesky::new(s_max);
            let mut support: Vec<usize> = Vec::with_capacity(s_max);
            let mut coef: Vec<f64> = Vec::new();
            let mut resid_sq = y_sq;
            while support.len() < s_max && resid_sq > tol * tol * y_sq {
                let best = (0..k)
                    .filter(|j| !support.contains(j))
                    .map(|j| (j, alpha[j].abs()))
                    .max_by(|a, b| a.1.total_cmp(&b.1));
                let Some((j, _)) = best else { break };
                let g_s: Vec<f64> = support.iter().map(|&s| g[(s, j)]).collect();
                if !chol.push(&g_s, g[(j, j)]) {
                    break;
                }
                support.push(j);
                coef = support.iter().map(|&s| alpha0[s]).collect();
                chol.solve(&mut coef);
                // α = Dᵀy − G_S·x_S; ‖r‖² = ‖y‖² − x_Sᵀ(Dᵀy)_S.
                alpha.copy_from_slice(alpha0);
                for (&s, &c) in support.iter().zip(&coef) {
                    axpy(-c, g.col_as_slice(s), &mut alpha);
                }
                resid_sq = y_sq
                    - support
                        .iter()
                        .zip(&coef)
                        .map(|(&s, &c)| c * alpha0[s])
                        .sum::<f64>();
            }
            support.into_iter().zip(coef).collect()
        })
        .collect();
    SparseCodes { atoms: k, columns }
}

/// K-SVD dictionary learning (Aharon, Elad & Bruckstein 2006).
#[derive(Clone, Debug)]
pub struct Ksvd {
    /// K, the number of atoms.
    pub atoms: usize,
    /// k, the nonzeros per code.
    pub sparsity: usize,
    /// Iterations (each one sparse-coding step and one sweep of atom updates).
    pub max_iter: usize,
    /// Stop when the relative residual ‖Y − DX‖/‖Y‖ changes by at most `tol` (relative to
    /// itself) in an iteration, or falls below `tol`.
    pub tol: f64,
    /// Power iterations per rank-one atom update; 0 takes faer's SVD of the restricted residual.
    pub power_iters: usize,
    /// Seeds the choice of the signals that start the dictionary.
    pub seed: u64,
}

impl Default for Ksvd {
    fn default() -> Self {
        Ksvd {
            atoms: 64,
            sparsity: 3,
            max_iter: 50,
            tol: 1e-6,
            power_iters: 3,
            seed: 0,
        }
    }
}

/// What [`Ksvd::fit`] did.
#[derive(Clone, Debug, PartialEq)]
pub struct DictionaryReport {
    /// ‖Y − DX‖/‖Y‖ of the returned dictionary and codes.
    pub residual: f64,
    pub iterations: usize,
    /// Whether the residual test was met (else `max_iter` or the monitor stopped the run).
    pub converged: bool,
    /// Atoms replaced (unused or duplicate) over the run.
    pub replaced: usize,
    pub seconds: f64,
}

impl Ksvd {
    /// Learns D (d × K) and the codes of the columns of `y` (d × n). The monitor sees each
    /// iteration with `f` = ‖Y − DX‖/‖Y‖ and `grad_norm` = its change.
    pub fn fit(
        &self,
        y: MatRef<'_, f64>,
        monitor: &mut impl Monitor,
    ) -> Result<(Mat<f64>, SparseCodes, DictionaryReport)> {
        let (d, n, k) = (y.nrows(), y.ncols(), self.atoms);
        if d == 0 || k == 0 || self.sparsity == 0 || self.sparsity > d.min(k) {
            return Err(Error::invalid(format!(
                "dictionary learning needs signals of length ≥ 1, ≥ 1 atom and a sparsity in \
                 1..={} (got length {d}, {k} atoms, sparsity {})",
                d.min(k),
                self.sparsity
            )));
        }
        if self.tol.is_nan() || self.tol < 0.0 {
            return Err(Error::invalid(format!(
                "tolerance {} is not non-negative",
                self.tol
            )));
        }
        let norms: Vec<f64> = (0..n).map(|i| y.col(i).norm_l2()).collect();
        if norms.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid("the signals are not finite"));
        }
        let nonzero: Vec<usize> = (0..n).filter(|&i| norms[i] > 0.0).collect();
        if nonzero.len() < k {
            return Err(Error::invalid(format!(
                "{k} atoms need at least {k} nonzero signals to start from, there are {}",
                nonzero.len()
            )));
        }
        let y_norm = norms.iter().map(|v| v * v).sum::<f64>().sqrt();
        let start = Instant::now();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut dict = Mat::zeros(d, k);
        for (a, i) in sample(&mut rng, nonzero.len(), k).into_iter().enumerate() {
            let i = nonzero[i];
            for r in 0..d {
                dict[(r, a)] = y[(r, i)] / norms[i];
            }
        }
        let mut replaced = 0;
        let mut previous = f64::INFINITY;
        for iter in 1..=self.max_iter.max(1) {
            let mut codes = batch_omp(dict.as_ref(), y, self.sparsity, 1e-12);
            let mut resid = residual(y, dict.as_ref(), &codes);
            self.update_atoms(&mut dict, &mut codes, &mut resid)?;
            let r = frobenius(&resid) / y_norm;
            if !r.is_finite() {
                return Err(Error::NonFinite(format!(
                    "K-SVD residual is {r} at iteration {iter}"
                )));
            }
            let change = (previous - r).abs();
            let keep_going = monitor.observe(&IterInfo {
                iter,
                seconds: start.elapsed().as_secs_f64(),
                passes: iter as f64,
                f: r,
                grad_norm: if change.is_finite() { change } else { r },
            });
            let converged =
                r <= self.tol || (previous.is_finite() && change <= self.tol * previous);
            if converged || !keep_going || iter == self.max_iter.max(1) {
                return Ok((
                    dict,
                    codes,
                    DictionaryReport {
                        residual: r,
                        iterations: iter,
                        converged,
                        replaced,
                        seconds: start.elapsed().as_secs_f64(),
                    },
                ));
            }
            previous = r;
            replaced += clear_dictionary(&mut dict, &codes, &resid);
        }
        unreachable!("the loop returns at its last iteration")
    }

    /// One K-SVD sweep over the atoms; `resid` = Y − D·X is kept current.
    fn update_atoms(
        &self,
        dict: &mut Mat<f64>,
        codes: &mut SparseCodes,
        resid: &mut Mat<f64>,
    ) -> Result<()> {
        let (d, k) = (dict.nrows(), dict.ncols());
        // users[a] = (signal, position in its code) for every signal that uses atom a.
        let mut users: Vec<Vec<(usize, usize)>> = vec![Vec::new(); k];
        for (i, col) in codes.columns.iter().enumerate() {
            for (p, &(a, _)) in col.iter().enumerate() {
                users[a].push((i, p));
            }
        }
        for (a, omega) in users.iter().enumerate() {
            if omega.is_empty() {
                continue;
            }
            let m = omega.len();
            // E = R_ω + dₐ·xₐ,ω (d × m).
            let mut e = Mat::from_fn(d, m, |r, c| resid[(r, omega[c].0)]);
            let mut x: Vec<f64> = omega.iter().map(|&(i, p)| codes.columns[i][p].1).collect();
            for (c, &xc) in x.iter().enumerate() {
                axpy(xc, dict.col_as_slice(a), e.col_as_slice_mut(c));
            }
            let mut atom = dict.col_as_slice(a).to_vec();
            if self.power_iters == 0 {
                let svd = e.thin_svd().map_err(|err| {
                    Error::Numerical(format!("SVD in a K-SVD update failed: {err:?}"))
                })?;
                let s0 = svd.S().column_vector()[0];
                for (r, v) in atom.iter_mut().enumerate() {
                    *v = svd.U()[(r, 0)];
                }
                for (c, xc) in x.iter_mut().enumerate() {
                    *xc = s0 * svd.V()[(c, 0)];
                }
            } else {
                for _ in 0..self.power_iters {
                    // atom ← E·x/‖E·x‖, x ← Eᵀ·atom.
                    atom.fill(0.0);
                    for (c, &xc) in x.iter().enumerate() {
                        axpy(xc, e.col_as_slice(c), &mut atom);
                    }
                    let nrm = norm(&atom);
                    if nrm.is_nan() || nrm <= 0.0 {
                        atom.copy_from_slice(dict.col_as_slice(a));
                        x.fill(0.0);
                        break;
                    }
                    atom.iter_mut().for_each(|v| *v /= nrm);
                    for (c, xc) in x.iter_mut().enumerate() {
                        *xc = dot(e.col_as_slice(c), &atom);
                    }
                }
            }
            dict.col_as_slice_mut(a).copy_from_slice(&atom);
            for (c, &(i, p)) in omega.iter().enumerate() {
                codes.columns[i][p].1 = x[c];
                let ec = e.col_as_slice_mut(c);
                axpy(-x[c], &atom, ec);
                resid.col_as_slice_mut(i).copy_from_slice(ec);
            }
        }
        Ok(())
    }
}

/// Y − D·X, in parallel over signals.
fn residual(y: MatRef<'_, f64>, dict: MatRef<'_, f64>, codes: &SparseCodes) -> Mat<f64> {
    let (d, n) = (y.nrows(), y.ncols());
    let mut r = Mat::zeros(d, n);
    let cols: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut c: Vec<f64> = y.col(i).iter().copied().collect();
            for &(a, v) in &codes.columns[i] {
                for (ci, &di) in c.iter_mut().zip(dict.col(a).iter()) {
                    *ci -= v * di;
                }
            }
            c
        })
        .collect();
    for (i, c) in cols.iter().enumerate() {
        r.col_as_slice_mut(i).copy_from_slice(c);
    }
    r
}

fn frobenius(m: &Mat<f64>) -> f64 {
    m.norm_l2()
}

/// Replaces atoms that no signal uses, or that nearly duplicate an earlier atom
/// (|⟨dᵢ, dⱼ⟩| > 0.99), by the worst-represented signals (largest residual), normalized.
/// Returns how many were replaced.
fn clear_dictionary(dict: &mut Mat<f64>, codes: &SparseCodes, resid: &Mat<f64>) -> usize {
    let k = dict.ncols();
    let mut used = vec![0usize; k];
    for col in &codes.columns {
        for &(a, _) in col {
            used[a] += 1;
        }
    }
    let mut errs: Vec<(usize, f64)> = (0..resid.ncols())
        .map(|i| (i, norm(resid.col_as_slice(i))))
        .collect();
    errs.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut worst = errs.into_iter().filter(|e| e.1 > 0.0).map(|e| e.0);
    let mut replaced = 0;
    for (a, &uses) in used.iter().enumerate() {
        let duplicate =
            (0..a).any(|b| dot(dict.col_as_slice(a), dict.col_as_slice(b)).abs() > 0.99);
        if uses > 0 && !duplicate {
            continue;
        }
        let Some(i) = worst.next() else { break };
        let r = resid.col_as_slice(i);
        let nrm = norm(r);
        for (v, &ri) in dict.col_as_slice_mut(a).iter_mut().zip(r) {
            *v = ri / nrm;
        }
        replaced += 1;
    }
    replaced
}

/// The fraction of the planted atoms (columns of `planted`) that some learned atom matches
/// with |⟨d, d̂⟩| ≥ `threshold` (both normalized; the K-SVD paper's criterion uses 0.99).
pub fn dictionary_recovery(
    planted: MatRef<'_, f64>,
    learned: MatRef<'_, f64>,
    threshold: f64,
) -> Result<f64> {
    if planted.nrows() != learned.nrows() || planted.ncols() == 0 {
        return Err(Error::invalid(format!(
            "dictionaries of {}-dimensional and {}-dimensional atoms cannot be compared",
            planted.nrows(),
            learned.nrows()
        )));
    }
    let unit = |m: MatRef<'_, f64>, j: usize| -> Vec<f64> {
        let c: Vec<f64> = m.col(j).iter().copied().collect();
        let n = norm(&c);
        c.into_iter()
            .map(|v| if n > 0.0 { v / n } else { 0.0 })
            .collect()
    };
    let learned: Vec<Vec<f64>> = (0..learned.ncols()).map(|j| unit(learned, j)).collect();
    let found = (0..planted.ncols())
        .filter(|&j| {
            let p = unit(planted, j);
            learned.iter().any(|l| dot(&p, l).abs() >= threshold)
        })
        .count();
    Ok(found as f64 / planted.ncols() as f64)
}

/// A planted instance: D (d × K) with standard normal columns normalized, codes with
/// `sparsity` distinct random atoms per signal and standard normal coefficients, and
/// Y = D·X + σ·N for standard normal N (σ = `noise`). Returns (Y, D, X).
pub fn planted_dictionary(
    dim: usize,
    atoms: usize,
    sparsity: usize,
    samples: usize,
    noise: f64,
    seed: u64,
) -> Result<(Mat<f64>, Mat<f64>, SparseCodes)> {
    if dim == 0 || atoms == 0 || samples == 0 || sparsity == 0 || sparsity > atoms {
        return Err(Error::invalid(format!(
            "a planted dictionary needs positive sizes and sparsity ≤ atoms (got {dim} × {atoms}, \
             sparsity {sparsity}, {samples} samples)"
        )));
    }
    if !(noise >= 0.0 && noise.is_finite()) {
        return Err(Error::invalid(format!(
            "noise level {noise} is not non-negative"
        )));
    }
    crate::limits::check_values(
        &format!("a {dim} × {atoms} planted dictionary"),
        &[dim, atoms],
    )?;
    crate::limits::check_values(
        &format!("{samples} planted signals of length {dim}"),
        &[dim, samples],
    )?;
    crate::limits::check_values(
        &format!("the codes of {samples} planted signals"),
        &[sparsity, samples, 2],
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut dict = gaussian_matrix(dim, atoms, &mut rng);
    for a in 0..atoms {
        let col = dict.col_as_slice_mut(a);
        let n = norm(col);
        col.iter_mut().for_each(|v| *v /= n);
    }
    let columns: Vec<Vec<(usize, f64)>> = (0..samples)
        .map(|_| {
            sample(&mut rng, atoms, sparsity)
                .into_iter()
                .map(|a| (a, rng.sample(StandardNormal)))
                .collect()
        })
        .collect();
    let codes = SparseCodes { atoms, columns };
    let mut y = Mat::from_fn(dim, samples, |_, _| {
        if noise > 0.0 {
            noise * rng.sample::<f64, _>(StandardNormal)
        } else {
            0.0
        }
    });
    for (i, col) in codes.columns.iter().enumerate() {
        for &(a, v) in col {
            let atom = dict.col_as_slice(a).to_vec();
            axpy(v, &atom, y.col_as_slice_mut(i));
        }
    }
    Ok((y, dict, codes))
}
