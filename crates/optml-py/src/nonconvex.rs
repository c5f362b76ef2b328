//! The recovery problems of `optml::nonconvex` over NumPy arrays: matrix completion, robust
//! PCA, phase retrieval, CP decomposition and dictionary learning. Each function checks its
//! input through the library's constructors, runs with the GIL released, and hands back arrays
//! and the solver's report.

use faer::{Mat, MatRef};
use numpy::ndarray::Array2;
use numpy::{
    AllowTypeChange, Complex64, IntoPyArray, PyArray1, PyArray2, PyArrayLike1, PyReadonlyArray2,
    PyReadonlyArray3, PyUntypedArrayMethods,
};
use optml::monitor::Monitor;
use optml::nonconvex::completion::{AltMin, FactoredGd, Observed, SoftImpute};
use optml::nonconvex::cp::{CpAls, CpInit, Tensor3};
use optml::nonconvex::dictionary::Ksvd;
use optml::nonconvex::phase_retrieval::{Measurements, TruncatedWirtingerFlow, WirtingerFlow};
use optml::nonconvex::robust_pca::{AltProj, Pcp, RpcaGd};
use optml::nonconvex::Factors;
use optml::solvers::{Report, Stop};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::to_pyerr;

/// How a recovery run ended.
#[derive(IntoPyObject)]
pub struct RunInfo {
    n_iter: usize,
    status: String,
    converged: bool,
    /// The residual the method stops on, at the end (see each method).
    residual: f64,
    /// The method's objective at the end.
    objective: f64,
    seconds: f64,
}

impl From<&Report> for RunInfo {
    fn from(r: &Report) -> Self {
        RunInfo {
            n_iter: r.iterations,
            status: r.status.to_string(),
            converged: r.status.converged(),
            residual: r.grad_norm,
            objective: r.f,
            seconds: r.seconds,
        }
    }
}

fn threads<R: Send>(
    n_jobs: Option<usize>,
    work: impl FnOnce() -> optml::Result<R> + Send,
) -> optml::Result<R> {
    match n_jobs {
        Some(n) => optml::with_threads(n, work).and_then(|r| r),
        None => work(),
    }
}

/// The method's own stop rule (`default`), with the tolerance and the iteration budget the
/// caller gave.
fn stop(default: Stop, tol: Option<f64>, max_iter: Option<usize>) -> Stop {
    Stop {
        tol: tol.unwrap_or(default.tol),
        max_iter: max_iter.unwrap_or(default.max_iter),
        ..default
    }
}

/// A row-major n × d array as a faer view (no copy).
fn matrix<'a>(a: &'a PyReadonlyArray2<'_, f64>, what: &str) -> PyResult<MatRef<'a, f64>> {
    let (n, d) = (a.shape()[0], a.shape()[1]);
    let s = a
        .as_slice()
        .ok()
        .filter(|_| a.is_c_contiguous())
        .ok_or_else(|| PyValueError::new_err(format!("{what} must be a C-contiguous array")))?;
    Ok(MatRef::from_row_major_slice(s, n, d))
}

fn to_numpy<'py>(py: Python<'py>, m: MatRef<'_, f64>) -> Bound<'py, PyArray2<f64>> {
    Array2::from_shape_fn((m.nrows(), m.ncols()), |(i, j)| m[(i, j)]).into_pyarray(py)
}

fn factors<'py>(py: Python<'py>, x: Factors) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let (m, r) = (x.nrows, x.rank);
    Array2::from_shape_vec((m, r), x.u)
        .map(|a| a.into_pyarray(py))
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

fn factors_v<'py>(py: Python<'py>, x: &Factors) -> PyResult<Bound<'py, PyArray2<f64>>> {
    Array2::from_shape_vec((x.ncols, x.rank), x.v.clone())
        .map(|a| a.into_pyarray(py))
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

fn indices(
    a: &PyArrayLike1<'_, i64, AllowTypeChange>,
    bound: usize,
    what: &str,
) -> PyResult<Vec<u32>> {
    a.as_array()
        .iter()
        .map(|&i| {
            if i < 0 || i as u64 >= bound as u64 {
                Err(PyValueError::new_err(format!(
                    "{what} index {i} is outside 0..{bound}"
                )))
            } else {
                Ok(i as u32)
            }
        })
        .collect()
}

/// A completed matrix as its factors X̂ = U·Vᵀ.
#[derive(IntoPyObject)]
pub struct Completed<'py> {
    u: Bound<'py, PyArray2<f64>>,
    v: Bound<'py, PyArray2<f64>>,
    info: RunInfo,
}

/// Completes the m × n matrix whose entries (`rows[k]`, `cols[k]`) = `values[k]` are observed
/// (0-based, no entry twice) at rank `rank`: `method` "altmin" (alternating least squares from
/// the spectral start), "gd" (factored gradient descent) or "softimpute" (nuclear-norm penalty
/// `lam`, `rank` the largest rank kept). Stops when the residual falls to `tol` of its first
/// value or after `max_iter` iterations (None: the method's defaults).
#[pyfunction]
#[pyo3(signature = (rows, cols, values, shape, rank, *, method="altmin", lam=1.0, tol=None,
    max_iter=None, seed=0, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn complete<'py>(
    py: Python<'py>,
    rows: PyArrayLike1<'py, i64, AllowTypeChange>,
    cols: PyArrayLike1<'py, i64, AllowTypeChange>,
    values: PyArrayLike1<'py, f64, AllowTypeChange>,
    shape: (usize, usize),
    rank: usize,
    method: &str,
    lam: f64,
    tol: Option<f64>,
    max_iter: Option<usize>,
    seed: u64,
    n_jobs: Option<usize>,
) -> PyResult<Completed<'py>> {
    let obs = Observed::new(
        shape.0,
        shape.1,
        indices(&rows, shape.0, "row")?,
        indices(&cols, shape.1, "column")?,
        values.as_array().to_vec(),
    )
    .map_err(to_pyerr)?;
    let quiet = &mut optml::monitor::quiet();
    let work = || match method {
        "altmin" => AltMin {
            rank,
            stop: stop(AltMin::default().stop, tol, max_iter),
            seed,
            ..AltMin::default()
        }
        .solve(&obs, quiet),
        "gd" => FactoredGd {
            rank,
            stop: stop(FactoredGd::default().stop, tol, max_iter),
            seed,
            ..FactoredGd::default()
        }
        .solve(&obs, quiet),
        "softimpute" => SoftImpute {
            lambda: lam,
            max_rank: rank,
            stop: stop(SoftImpute::default().stop, tol, max_iter),
            seed,
            ..SoftImpute::default()
        }
        .solve(&obs, quiet),
        m => Err(optml::Error::invalid(format!(
            "unknown completion method '{m}' (expected altmin, gd or softimpute)"
        ))),
    };
    let (x, report) = py.detach(|| threads(n_jobs, work)).map_err(to_pyerr)?;
    Ok(Completed {
        v: factors_v(py, &x)?,
        u: factors(py, x)?,
        info: RunInfo::from(&report),
    })
}

/// M = L + S.
#[derive(IntoPyObject)]
pub struct Split<'py> {
    low_rank: Bound<'py, PyArray2<f64>>,
    sparse: Bound<'py, PyArray2<f64>>,
    info: RunInfo,
}

/// Splits `m` (C-contiguous float64, used in place) into a low-rank L and a sparse S:
/// `method` "altproj" (alternating projections with the rank known), "pcp" (principal
/// component pursuit, min ‖L‖_* + λ‖S‖₁ by the inexact ALM; `lam` None: 1/√max(m, n)) or "gd"
/// (factored gradient descent; `alpha` bounds the corrupted fraction per row and column).
/// `tol` and `max_iter` (None: the method's defaults) bound the run on the residual each
/// method documents.
#[pyfunction]
#[pyo3(signature = (m, *, method="altproj", rank=None, lam=None, alpha=0.2, tol=None,
    max_iter=None, seed=0, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn robust_pca<'py>(
    py: Python<'py>,
    m: PyReadonlyArray2<'py, f64>,
    method: &str,
    rank: Option<usize>,
    lam: Option<f64>,
    alpha: f64,
    tol: Option<f64>,
    max_iter: Option<usize>,
    seed: u64,
    n_jobs: Option<usize>,
) -> PyResult<Split<'py>> {
    let a = matrix(&m, "M")?;
    let need_rank = || {
        rank.ok_or_else(|| optml::Error::invalid(format!("robust PCA by {method} needs a rank")))
    };
    let quiet = &mut optml::monitor::quiet();
    let work = || -> optml::Result<(Mat<f64>, Mat<f64>, Report)> {
        match method {
            "altproj" => AltProj {
                rank: need_rank()?,
                stop: stop(AltProj::default().stop, tol, max_iter),
                seed,
                ..AltProj::default()
            }
            .solve(a, quiet)
            .map(|(d, r)| (d.low_rank, d.sparse, r)),
            "pcp" => Pcp {
                lambda: lam,
                stop: stop(Pcp::default().stop, tol, max_iter),
                ..Pcp::default()
            }
            .solve(a, quiet)
            .map(|(d, _, r)| (d.low_rank, d.sparse, r)),
            "gd" => RpcaGd {
                rank: need_rank()?,
                alpha,
                stop: stop(RpcaGd::default().stop, tol, max_iter),
                seed,
                ..RpcaGd::default()
            }
            .solve(a, quiet)
            .map(|(f, s, r)| (f.to_dense(), s, r)),
            other => Err(optml::Error::invalid(format!(
                "unknown robust PCA method '{other}' (expected altproj, pcp or gd)"
            ))),
        }
    };
    let (l, s, report) = py.detach(|| threads(n_jobs, work)).map_err(to_pyerr)?;
    Ok(Split {
        low_rank: to_numpy(py, l.as_ref()),
        sparse: to_numpy(py, s.as_ref()),
        info: RunInfo::from(&report),
    })
}

/// A recovered signal, real or complex.
#[derive(IntoPyObject)]
pub struct Retrieved<'py> {
    x: Bound<'py, PyAny>,
    info: RunInfo,
}

fn retrieve<T: optml::nonconvex::phase_retrieval::Scalar>(
    meas: &Measurements<T>,
    method: &str,
    stop: Stop,
    seed: u64,
    monitor: &mut (impl Monitor + ?Sized),
) -> optml::Result<(Vec<T>, Report)> {
    match method {
        "twf" => TruncatedWirtingerFlow {
            stop,
            seed,
            ..TruncatedWirtingerFlow::default()
        }
        .solve(meas, monitor),
        "wf" => WirtingerFlow {
            stop,
            seed,
            ..WirtingerFlow::default()
        }
        .solve(meas, monitor),
        m => Err(optml::Error::invalid(format!(
            "unknown phase retrieval method '{m}' (expected twf or wf)"
        ))),
    }
}

/// Recovers x (up to a global phase) from y = |A·x|², A an m × n float64 or complex128 array:
/// `method` "twf" (truncated Wirtinger flow, Chen & Candès) or "wf" (Wirtinger flow, Candès, Li
/// & Soltanolkotabi), each from its spectral start. Stops when ‖∇f‖ ≤ `tol` (absolute; default
/// 1e-10) or after `max_iter` iterations (default 2500).
#[pyfunction]
#[pyo3(signature = (a, y, *, method="twf", tol=None, max_iter=None, seed=0, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn phase_retrieval<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    y: PyArrayLike1<'py, f64, AllowTypeChange>,
    method: &str,
    tol: Option<f64>,
    max_iter: Option<usize>,
    seed: u64,
    n_jobs: Option<usize>,
) -> PyResult<Retrieved<'py>> {
    // Both methods share one default stop rule.
    let stop = stop(WirtingerFlow::default().stop, tol, max_iter);
    let y = y.as_array().to_vec();
    let quiet = &mut optml::monitor::quiet();
    if let Ok(real) = a.extract::<PyReadonlyArray2<'py, f64>>() {
        let (m, n) = (real.shape()[0], real.shape()[1]);
        let values = real.as_array().iter().copied().collect();
        let meas = Measurements::new(m, n, values, y).map_err(to_pyerr)?;
        let (x, report) = py
            .detach(|| threads(n_jobs, || retrieve(&meas, method, stop, seed, quiet)))
            .map_err(to_pyerr)?;
        return Ok(Retrieved {
            x: PyArray1::from_vec(py, x).into_any(),
            info: RunInfo::from(&report),
        });
    }
    let complex = a
        .extract::<PyReadonlyArray2<'py, Complex64>>()
        .map_err(|_| PyValueError::new_err("A must be a 2-D float64 or complex128 array"))?;
    let (m, n) = (complex.shape()[0], complex.shape()[1]);
    let values = complex.as_array().iter().copied().collect();
    let meas = Measurements::new(m, n, values, y).map_err(to_pyerr)?;
    let (x, report) = py
        .detach(|| threads(n_jobs, || retrieve(&meas, method, stop, seed, quiet)))
        .map_err(to_pyerr)?;
    Ok(Retrieved {
        x: PyArray1::from_vec(py, x).into_any(),
        info: RunInfo::from(&report),
    })
}

/// A CP model: X̂ = Σᵣ λᵣ aᵣ ∘ bᵣ ∘ cᵣ.
#[derive(IntoPyObject)]
pub struct CpFitted<'py> {
    weights: Bound<'py, PyArray1<f64>>,
    factors: Vec<Bound<'py, PyArray2<f64>>>,
    /// 1 − ‖X − X̂‖/‖X‖.
    fit: f64,
    n_iter: usize,
    total_iterations: usize,
    converged: bool,
    seconds: f64,
}

/// The rank-`rank` CP decomposition of the 3-way array `x` by alternating least squares
/// (Kolda & Bader 2009): `init` "svd" (HOSVD) or "random", `restarts` further seeded random
/// runs (the best fit is kept), `compress` the first run on a Tucker-compressed core. Stops
/// when the fit changes by at most `tol` in a sweep, or after `max_iter` sweeps (None: the
/// library's defaults, 1e-8 and 500).
#[pyfunction]
#[pyo3(signature = (x, rank, *, init="svd", max_iter=None, tol=None, restarts=0, compress=true,
    seed=0, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn cp<'py>(
    py: Python<'py>,
    x: PyReadonlyArray3<'py, f64>,
    rank: usize,
    init: &str,
    max_iter: Option<usize>,
    tol: Option<f64>,
    restarts: usize,
    compress: bool,
    seed: u64,
    n_jobs: Option<usize>,
) -> PyResult<CpFitted<'py>> {
    let dims = [x.shape()[0], x.shape()[1], x.shape()[2]];
    let tensor = Tensor3::new(dims, x.as_array().iter().copied().collect()).map_err(to_pyerr)?;
    let init = match init {
        "svd" => CpInit::Svd,
        "random" => CpInit::Random,
        other => {
            return Err(PyValueError::new_err(format!(
                "init must be 'svd' or 'random', got '{other}'"
            )))
        }
    };
    let defaults = CpAls::default();
    let als = CpAls {
        rank,
        max_iter: max_iter.unwrap_or(defaults.max_iter),
        tol: tol.unwrap_or(defaults.tol),
        init,
        restarts,
        seed,
        compress,
    };
    let (model, report) = py
        .detach(|| threads(n_jobs, || als.fit(&tensor, &mut optml::monitor::quiet())))
        .map_err(to_pyerr)?;
    Ok(CpFitted {
        weights: PyArray1::from_vec(py, model.weights),
        factors: model
            .factors
            .iter()
            .map(|f| to_numpy(py, f.as_ref()))
            .collect(),
        fit: report.fit,
        n_iter: report.iterations,
        total_iterations: report.total_iterations,
        converged: report.converged,
        seconds: report.seconds,
    })
}

/// A learned dictionary and the sparse codes of the signals.
#[derive(IntoPyObject)]
pub struct Learned<'py> {
    /// K × d: one unit-norm atom per row.
    dictionary: Bound<'py, PyArray2<f64>>,
    /// n × K: row i holds signal i's code (at most `sparsity` nonzeros).
    codes: Bound<'py, PyArray2<f64>>,
    /// ‖Y − DX‖/‖Y‖.
    residual: f64,
    n_iter: usize,
    converged: bool,
    replaced: usize,
    seconds: f64,
}

/// K-SVD dictionary learning (Aharon, Elad & Bruckstein 2006) on the signals that are the rows
/// of `y` (n × d, C-contiguous float64, used in place): `atoms` atoms, `sparsity` nonzeros per
/// code by orthogonal matching pursuit. Stops when the relative residual ‖Y − DX‖/‖Y‖ changes
/// by at most `tol` (relative) in an iteration, or after `max_iter` iterations (None: the
/// library's defaults, 1e-6 and 50).
#[pyfunction]
#[pyo3(signature = (y, atoms, sparsity, *, max_iter=None, tol=None, power_iters=None, seed=0,
    n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn dictionary_learning<'py>(
    py: Python<'py>,
    y: PyReadonlyArray2<'py, f64>,
    atoms: usize,
    sparsity: usize,
    max_iter: Option<usize>,
    tol: Option<f64>,
    power_iters: Option<usize>,
    seed: u64,
    n_jobs: Option<usize>,
) -> PyResult<Learned<'py>> {
    // Row-major n × d is column-major d × n: the signals are the columns the library wants.
    let rows = matrix(&y, "Y")?;
    let signals = rows.transpose();
    let defaults = Ksvd::default();
    let ksvd = Ksvd {
        atoms,
        sparsity,
        max_iter: max_iter.unwrap_or(defaults.max_iter),
        tol: tol.unwrap_or(defaults.tol),
        power_iters: power_iters.unwrap_or(defaults.power_iters),
        seed,
    };
    let (dict, codes, report) = py
        .detach(|| threads(n_jobs, || ksvd.fit(signals, &mut optml::monitor::quiet())))
        .map_err(to_pyerr)?;
    Ok(Learned {
        dictionary: to_numpy(py, dict.transpose()),
        codes: to_numpy(py, codes.to_dense().transpose()),
        residual: report.residual,
        n_iter: report.iterations,
        converged: report.converged,
        replaced: report.replaced,
        seconds: report.seconds,
    })
}
