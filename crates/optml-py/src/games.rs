//! `play_matrix_game` and `play_bilinear_game`: the library's game methods
//! ([`GameMethod`]) on games given by NumPy arrays.

use numpy::{AllowTypeChange, PyArray1, PyArrayLike1, PyReadonlyArray2, PyUntypedArrayMethods};
use optml::games::{Bilinear, Game, GameMethod, GameReport, MatrixGame, PlayOptions, Potential};
use optml::solvers::Stop;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::to_pyerr;

/// How a game was played, and where the players ended.
#[derive(IntoPyObject)]
pub struct Played<'py> {
    x: Bound<'py, PyArray1<f64>>,
    y: Bound<'py, PyArray1<f64>>,
    n_iter: usize,
    status: String,
    converged: bool,
    /// The step residual at the end.
    residual: f64,
    /// Gradient, mixed-product and pure-product evaluations.
    grads: usize,
    mixed: usize,
    pure: usize,
    cg_iterations: usize,
    seconds: f64,
}

fn potential(name: &str) -> PyResult<Potential> {
    [Potential::Euclidean, Potential::Entropy, Potential::Simplex]
        .into_iter()
        .find(|p| p.name() == name)
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown potential '{name}' (expected euclidean, entropy or simplex)"
            ))
        })
}

fn payoff(a: &PyReadonlyArray2<'_, f64>) -> (usize, usize, Vec<f64>) {
    let (m, n) = (a.shape()[0], a.shape()[1]);
    (m, n, a.as_array().iter().copied().collect())
}

#[allow(clippy::too_many_arguments)]
fn play<'py, G: Game + Sync>(
    py: Python<'py>,
    game: &G,
    method: &str,
    opts: PlayOptions,
    mut x: Vec<f64>,
    mut y: Vec<f64>,
) -> PyResult<Played<'py>> {
    let method: GameMethod = method.parse().map_err(to_pyerr)?;
    let report: GameReport = py
        .detach(|| method.play(&opts, game, &mut x, &mut y, &mut optml::games::quiet()))
        .map_err(to_pyerr)?;
    Ok(Played {
        x: PyArray1::from_vec(py, x),
        y: PyArray1::from_vec(py, y),
        n_iter: report.iterations,
        status: report.status.to_string(),
        converged: report.status.converged(),
        residual: report.residual,
        grads: report.counts.grads,
        mixed: report.counts.mixed,
        pure: report.counts.pure,
        cg_iterations: report.cg_iterations,
        seconds: report.seconds,
    })
}

#[allow(clippy::too_many_arguments)]
fn options(
    lr_x: Option<f64>,
    lr_y: Option<f64>,
    potential_x: Potential,
    potential_y: Potential,
    gamma: Option<f64>,
    tol: Option<f64>,
    max_iter: Option<usize>,
) -> PlayOptions {
    let d = PlayOptions::default();
    PlayOptions {
        lr_x: lr_x.unwrap_or(d.lr_x),
        lr_y: lr_y.or(lr_x).unwrap_or(d.lr_y),
        potential_x,
        potential_y,
        gamma: gamma.unwrap_or(d.gamma),
        stop: Stop {
            tol: tol.unwrap_or(d.stop.tol),
            max_iter: max_iter.unwrap_or(d.stop.max_iter),
            ..d.stop
        },
        ..d
    }
}

/// Plays the zero-sum matrix game min_x max_y xᵀAy on the simplices from (x0, y0) (default:
/// uniform), both players in the simplex potential: `method` "cmd" (competitive mirror descent)
/// or a simultaneous method in mirror form ("gda", "extragradient", "ogda", "sga",
/// "conopt"). Stops on the step residual ≤ `tol` or after `max_iter` iterations.
#[pyfunction]
#[pyo3(signature = (a, *, method="cmd", x0=None, y0=None, lr_x=None, lr_y=None, gamma=None,
    tol=None, max_iter=None))]
#[allow(clippy::too_many_arguments)]
pub fn play_matrix_game<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    method: &str,
    x0: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    y0: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    lr_x: Option<f64>,
    lr_y: Option<f64>,
    gamma: Option<f64>,
    tol: Option<f64>,
    max_iter: Option<usize>,
) -> PyResult<Played<'py>> {
    let (m, n, values) = payoff(&a);
    let game = MatrixGame::new(m, n, values).map_err(to_pyerr)?;
    let (ux, uy) = game.uniform();
    let x = x0.map_or(ux, |v| v.as_array().to_vec());
    let y = y0.map_or(uy, |v| v.as_array().to_vec());
    let simplex = Potential::Simplex;
    let opts = options(lr_x, lr_y, simplex, simplex, gamma, tol, max_iter);
    play(py, &game, method, opts, x, y)
}

/// Plays the bilinear game f(x, y) = xᵀAy + bᵀx + cᵀy (x minimizes f, y maximizes it) from
/// (x0, y0) (default: 0), each player in its potential ("euclidean", "entropy" on the positive
/// cone, "simplex"): `method` "cgd", "cmd", "gda", "extragradient", "ogda", "sga" or
/// "conopt". Stops on the step residual ≤ `tol` or after `max_iter` iterations.
#[pyfunction]
#[pyo3(signature = (a, b, c, *, method="cgd", x0=None, y0=None, lr_x=None, lr_y=None,
    gamma=None, potential_x="euclidean", potential_y="euclidean", tol=None, max_iter=None))]
#[allow(clippy::too_many_arguments)]
pub fn play_bilinear_game<'py>(
    py: Python<'py>,
    a: PyReadonlyArray2<'py, f64>,
    b: PyArrayLike1<'py, f64, AllowTypeChange>,
    c: PyArrayLike1<'py, f64, AllowTypeChange>,
    method: &str,
    x0: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    y0: Option<PyArrayLike1<'py, f64, AllowTypeChange>>,
    lr_x: Option<f64>,
    lr_y: Option<f64>,
    gamma: Option<f64>,
    potential_x: &str,
    potential_y: &str,
    tol: Option<f64>,
    max_iter: Option<usize>,
) -> PyResult<Played<'py>> {
    let (m, n, values) = payoff(&a);
    let game = Bilinear::new(m, n, values, b.as_array().to_vec(), c.as_array().to_vec())
        .map_err(to_pyerr)?;
    let x = x0.map_or(vec![0.0; m], |v| v.as_array().to_vec());
    let y = y0.map_or(vec![0.0; n], |v| v.as_array().to_vec());
    let opts = options(
        lr_x,
        lr_y,
        potential(potential_x)?,
        potential(potential_y)?,
        gamma,
        tol,
        max_iter,
    );
    play(py, &game, method, opts, x, y)
}
