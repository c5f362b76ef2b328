//! `minimize`: the library's smooth solvers on a Python function.
//!
//! [`PyObjective`] is an [`Objective`] and a [`Curvature`] whose values, gradients and Hessian
//! products come from Python callables; the solve runs with the GIL released and each call
//! re-acquires it. The first exception a callable raises is kept, every later evaluation
//! returns NaN and the monitor stops the run, and the exception is raised again once the solver
//! returns: nothing is swallowed.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use faer::Mat;
use numpy::{
    AllowTypeChange, IntoPyArray, PyArray1, PyArrayLike1, PyArrayLike2, PyUntypedArrayMethods,
};
use optml::monitor::{AfterStart, IterInfo};
use optml::objective::FiniteDiffHessian;
use optml::solvers::{Method, Status, Stop};
use optml::{Curvature, LinearOperator, Objective};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::errors::to_pyerr;

/// Points evaluated lately, to hand the callback the iterate a solver reports (matched by f).
const RECENT: usize = 16;

/// One evaluated point: x, f(x), ∇f(x).
type Point = (Vec<f64>, f64, Vec<f64>);

/// f, ∇f and optionally ∇²f or ∇²f·p from Python callables.
struct PyObjective {
    dim: usize,
    /// `fg(x) -> (f, g)`.
    fg: Py<PyAny>,
    /// `hessp(x, p) -> H·p`.
    hessp: Option<Py<PyAny>>,
    /// `hess(x) -> H` (n × n); wins over `hessp`.
    hess: Option<Py<PyAny>>,
    error: Mutex<Option<PyErr>>,
    nfev: AtomicUsize,
    nhev: AtomicUsize,
    recent: Mutex<VecDeque<Point>>,
    /// The first point evaluated (x₀ for every solver): where the library puts x back at the
    /// end, its gradient is known without another call.
    first: Mutex<Option<Point>>,
}

impl PyObjective {
    fn failed(&self) -> bool {
        self.error.lock().unwrap().is_some()
    }

    /// Keeps the first error; later ones are consequences of it.
    fn keep(&self, e: PyErr) {
        let mut slot = self.error.lock().unwrap();
        if slot.is_none() {
            *slot = Some(e);
        }
    }

    fn call_fg(&self, x: &[f64], grad: &mut [f64]) -> PyResult<f64> {
        Python::attach(|py| {
            self.nfev.fetch_add(1, Ordering::Relaxed);
            let out = self.fg.call1(py, (PyArray1::from_slice(py, x),))?;
            let (f, g): (f64, PyArrayLike1<'_, f64, AllowTypeChange>) = out.extract(py)?;
            let g = g
                .as_slice()
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            if g.len() != self.dim {
                return Err(PyValueError::new_err(format!(
                    "the gradient has {} values, x has {}",
                    g.len(),
                    self.dim
                )));
            }
            grad.copy_from_slice(g);
            Ok(f)
        })
    }

    /// The latest evaluated point whose value is `f` (bit for bit), else the latest one.
    fn point_with_value(&self, f: f64) -> Option<Point> {
        let recent = self.recent.lock().unwrap();
        recent
            .iter()
            .rev()
            .find(|p| p.1.to_bits() == f.to_bits())
            .or(recent.back())
            .cloned()
    }
}

impl Objective for PyObjective {
    fn dim(&self) -> usize {
        self.dim
    }

    fn value(&self, x: &[f64]) -> f64 {
        let mut g = vec![0.0; self.dim];
        self.value_grad(x, &mut g)
    }

    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        if self.failed() {
            grad.fill(f64::NAN);
            return f64::NAN;
        }
        // A solver that asks for f and then ∇f at one point calls Python once (as scipy's
        // ScalarFunction caches the last point).
        if let Some((_, f, g)) = self.recent.lock().unwrap().back().filter(|p| p.0 == x) {
            grad.copy_from_slice(g);
            return *f;
        }
        match self.call_fg(x, grad) {
            Ok(f) => {
                let mut first = self.first.lock().unwrap();
                if first.is_none() {
                    *first = Some((x.to_vec(), f, grad.to_vec()));
                }
                let mut recent = self.recent.lock().unwrap();
                if recent.len() == RECENT {
                    recent.pop_front();
                }
                recent.push_back((x.to_vec(), f, grad.to_vec()));
                f
            }
            Err(e) => {
                self.keep(e);
                grad.fill(f64::NAN);
                f64::NAN
            }
        }
    }
}

/// ∇²f(x) as the solvers see it: products from `hessp`, a dense matrix from `hess`, or central
/// differences of gradients.
enum PyHessian<'a> {
    Products { f: &'a PyObjective, x: Vec<f64> },
    Dense(Mat<f64>),
    FiniteDiff(FiniteDiffHessian<'a, PyObjective>),
}

impl LinearOperator for PyHessian<'_> {
    fn dim(&self) -> usize {
        match self {
            PyHessian::Products { f, .. } => f.dim,
            PyHessian::Dense(m) => m.nrows(),
            PyHessian::FiniteDiff(h) => h.dim(),
        }
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        match self {
            PyHessian::Products { f, x } => {
                if f.failed() {
                    out.fill(f64::NAN);
                    return;
                }
                let r = Python::attach(|py| -> PyResult<()> {
                    f.nhev.fetch_add(1, Ordering::Relaxed);
                    let hp = f.hessp.as_ref().expect("products need hessp").call1(
                        py,
                        (PyArray1::from_slice(py, x), PyArray1::from_slice(py, v)),
                    )?;
                    let hp: PyArrayLike1<'_, f64, AllowTypeChange> = hp.extract(py)?;
                    let hp = hp
                        .as_slice()
                        .map_err(|e| PyValueError::new_err(e.to_string()))?;
                    if hp.len() != out.len() {
                        return Err(PyValueError::new_err(format!(
                            "hessp returned {} values, x has {}",
                            hp.len(),
                            out.len()
                        )));
                    }
                    out.copy_from_slice(hp);
                    Ok(())
                });
                if let Err(e) = r {
                    f.keep(e);
                    out.fill(f64::NAN);
                }
            }
            PyHessian::Dense(m) => m.apply(v, out),
            PyHessian::FiniteDiff(h) => h.apply(v, out),
        }
    }

    fn diagonal(&self) -> Option<Vec<f64>> {
        match self {
            PyHessian::Dense(m) => LinearOperator::diagonal(m),
            _ => None,
        }
    }
}

impl Curvature for PyObjective {
    type Hessian<'a>
        = PyHessian<'a>
    where
        Self: 'a;

    fn hessian(&self, x: &[f64]) -> PyHessian<'_> {
        if let Some(hess) = &self.hess {
            let n = self.dim;
            let dense = Python::attach(|py| -> PyResult<Mat<f64>> {
                self.nhev.fetch_add(1, Ordering::Relaxed);
                let h = hess.call1(py, (PyArray1::from_slice(py, x),))?;
                let h: PyArrayLike2<'_, f64, AllowTypeChange> = h.extract(py)?;
                if h.shape() != [n, n] {
                    return Err(PyValueError::new_err(format!(
                        "hess returned a {:?} array, expected ({n}, {n})",
                        h.shape()
                    )));
                }
                let a = h.as_array();
                Ok(Mat::from_fn(n, n, |i, j| a[[i, j]]))
            });
            return PyHessian::Dense(dense.unwrap_or_else(|e| {
                self.keep(e);
                Mat::from_fn(n, n, |_, _| f64::NAN)
            }));
        }
        if self.hessp.is_some() {
            return PyHessian::Products {
                f: self,
                x: x.to_vec(),
            };
        }
        PyHessian::FiniteDiff(FiniteDiffHessian::new(self, x))
    }

    fn hessian_kind(&self) -> &'static str {
        if self.hess.is_some() || self.hessp.is_some() {
            "exact"
        } else {
            "finite-differences"
        }
    }
}

/// What `minimize` hands back to Python.
#[derive(IntoPyObject)]
pub struct Minimized<'py> {
    x: Bound<'py, PyArray1<f64>>,
    fun: f64,
    jac: Bound<'py, PyArray1<f64>>,
    nit: usize,
    nfev: usize,
    nhev: usize,
    /// scipy's codes: 0 converged, 1 iteration or time limit, 2 no further decrease, 3 a
    /// non-finite value, 99 stopped by the callback.
    status: i32,
    success: bool,
    message: String,
    solver: &'static str,
}

fn scipy_status(s: Status) -> i32 {
    match s {
        Status::ConvergedRelativeGradient | Status::ConvergedAbsoluteGradient => 0,
        Status::MaxIterations | Status::TimeLimit => 1,
        Status::Stalled => 2,
        Status::NonFinite => 3,
        Status::StoppedByMonitor => 99,
    }
}

/// Minimizes f from `x0` with the named method. `fg(x)` returns (f(x), ∇f(x)); `hessp(x, p)`
/// returns ∇²f(x)·p and `hess(x)` the matrix ∇²f(x) (it wins over `hessp`); without either,
/// methods that use curvature take central differences of gradients. `callback(x, f)` is called
/// at each iteration with a copy of the iterate and stops the run when it returns False.
/// The test is ‖∇f‖ ≤ tol, or ≤ tol·‖∇f(x₀)‖ when `relative`. The GIL is released while the
/// solver runs and re-acquired for each call into Python; the first exception raised by a
/// callable stops the run and is raised again here.
#[pyfunction]
#[pyo3(signature = (fg, x0, method, *, hessp=None, hess=None, callback=None, tol=1e-5,
    relative=false, max_iter=1000, max_seconds=f64::INFINITY))]
#[allow(clippy::too_many_arguments)]
pub fn minimize<'py>(
    py: Python<'py>,
    fg: Py<PyAny>,
    x0: Vec<f64>,
    method: &str,
    hessp: Option<Py<PyAny>>,
    hess: Option<Py<PyAny>>,
    callback: Option<Py<PyAny>>,
    tol: f64,
    relative: bool,
    max_iter: usize,
    max_seconds: f64,
) -> PyResult<Minimized<'py>> {
    let method: Method = method.parse().map_err(to_pyerr)?;
    let stop = Stop {
        tol,
        relative,
        max_iter,
        max_seconds,
    };
    let f = PyObjective {
        dim: x0.len(),
        fg,
        hessp,
        hess,
        error: Mutex::new(None),
        nfev: AtomicUsize::new(0),
        nhev: AtomicUsize::new(0),
        recent: Mutex::new(VecDeque::with_capacity(RECENT)),
        first: Mutex::new(None),
    };
    let mut x = x0;
    // scipy's callback runs after each iteration, never at x₀.
    let mut monitor = AfterStart(|info: &IterInfo| -> bool {
        if f.failed() {
            return false;
        }
        let Some(cb) = &callback else {
            return true;
        };
        let Some((xk, fk, _)) = f.point_with_value(info.f) else {
            return true;
        };
        let go_on = Python::attach(|py| -> PyResult<bool> {
            cb.call1(py, (PyArray1::from_vec(py, xk), fk))?.extract(py)
        });
        go_on.unwrap_or_else(|e| {
            f.keep(e);
            false
        })
    });
    let report = py.detach(|| method.minimize(stop, &f, &mut x, &mut monitor));
    if let Some(e) = f.error.lock().unwrap().take() {
        return Err(e);
    }
    let report = report.map_err(to_pyerr)?;
    // ∇f at the returned point: kept from its evaluation, or one more call.
    let mut jac = vec![0.0; x.len()];
    let known = f
        .recent
        .lock()
        .unwrap()
        .iter()
        .rev()
        .chain(f.first.lock().unwrap().iter())
        .find(|p| p.0 == x)
        .map(|p| (p.1, p.2.clone()));
    let fun = match known {
        Some((fx, g)) => {
            jac.copy_from_slice(&g);
            fx
        }
        None => f.call_fg(&x, &mut jac)?,
    };
    let status = scipy_status(report.status);
    Ok(Minimized {
        x: x.into_pyarray(py),
        fun,
        jac: jac.into_pyarray(py),
        nit: report.iterations,
        nfev: f.nfev.load(Ordering::Relaxed),
        nhev: f.nhev.load(Ordering::Relaxed),
        status,
        success: status == 0,
        message: report.status.to_string(),
        solver: report.solver,
    })
}
