//! [`Analysis`]: one call that runs the spectral tools a user asks for on a symmetric operator
//! and returns a [`Spectrum`], ready to print or to serialize (PyHessian's `eigenvalues`,
//! `trace` and `density` in one report, with the products each took).

use std::time::Instant;

use serde::Serialize;

use super::{
    gradient_start, hutch_plus_plus, hutchinson, krylov_trace, DenseSpectrum, Eigenpairs, Lanczos,
    PowerIteration, PowerReport, Slq, SpectralDensity, TraceEstimate, Which,
};
use crate::error::Result;
use crate::objective::LinearOperator;

/// How [`Analysis`] estimates tr(A).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TraceMethod {
    /// Half the products on a Lanczos basis (its trace exact), half on Hutchinson probes in its
    /// complement ([`krylov_trace`]).
    #[serde(rename = "krylov")]
    Krylov,
    /// Hutch++ (Meyer, Musco, Musco & Woodruff 2021), [`hutch_plus_plus`].
    #[serde(rename = "hutch++")]
    HutchPlusPlus,
    /// Hutchinson (1989) with Rademacher probes, [`hutchinson`].
    #[serde(rename = "hutchinson")]
    Hutchinson,
}

impl TraceMethod {
    pub fn name(self) -> &'static str {
        match self {
            TraceMethod::Krylov => "krylov",
            TraceMethod::HutchPlusPlus => "hutch++",
            TraceMethod::Hutchinson => "hutchinson",
        }
    }
}

/// A trace estimate to make: the method and its budget of operator products.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceSpec {
    pub method: TraceMethod,
    pub products: usize,
}

/// What to compute on an operator; each part is skipped when `None` (or `false`).
///
/// ```
/// use faer::Mat;
/// use optml::curvature::{Analysis, Lanczos, TraceMethod, TraceSpec, Which};
///
/// // diag(1, 2, …, 20): top eigenvalue 20, trace 210.
/// let h = Mat::<f64>::from_fn(20, 20, |i, j| if i == j { (i + 1) as f64 } else { 0.0 });
/// let analysis = Analysis {
///     lanczos: Some(Lanczos { k: 2, which: Which::Largest, ..Default::default() }),
///     trace: Some(TraceSpec { method: TraceMethod::Krylov, products: 20 }),
///     ..Default::default()
/// };
/// let s = analysis.run(&h)?;
/// assert!((s.eigen.unwrap().result.values[0] - 20.0).abs() < 1e-8);
/// let t = s.trace.unwrap().result;
/// assert!((t.estimate - 210.0).abs() <= 5.0 * t.std_error + 1e-8);
/// # Ok::<(), optml::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Extreme eigenpairs by Lanczos.
    pub lanczos: Option<Lanczos>,
    /// PyHessian's power iteration (largest magnitude), for comparison.
    pub power: Option<PowerIteration>,
    pub trace: Option<TraceSpec>,
    /// Spectral density by stochastic Lanczos quadrature.
    pub density: Option<Slq>,
    /// Also form the operator densely and diagonalize it (`dim` products and O(dim³) work:
    /// small models only).
    pub exact: bool,
    /// Seed of the trace probes.
    pub seed: u64,
}

/// A result and the wall-clock seconds it took.
#[derive(Clone, Debug, Serialize)]
pub struct Timed<T> {
    #[serde(flatten)]
    pub result: T,
    pub seconds: f64,
}

/// The dense spectrum's summary: the reference the estimates are scored against.
#[derive(Clone, Debug, Serialize)]
pub struct ExactSpectrum {
    pub trace: f64,
    /// The k largest eigenvalues (k of the Lanczos request, else 5), largest first.
    pub largest: Vec<f64>,
    /// The k smallest, smallest first.
    pub smallest: Vec<f64>,
    pub seconds: f64,
}

/// What an [`Analysis`] found.
#[derive(Clone, Debug, Serialize)]
pub struct Spectrum {
    /// Dimension of the operator.
    pub dim: usize,
    /// The objective at the point analysed, when the caller sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The end of the spectrum `eigen` holds.
    pub which: Option<Which>,
    pub eigen: Option<Timed<Eigenpairs>>,
    pub power_iteration: Option<Timed<PowerReport>>,
    pub trace_method: Option<TraceMethod>,
    pub trace: Option<Timed<TraceEstimate>>,
    pub density: Option<Timed<SpectralDensity>>,
    pub exact: Option<ExactSpectrum>,
    /// Operator products of the estimates together (the dense spectrum's `dim` not included).
    pub products: usize,
}

impl Analysis {
    /// Starts Lanczos from ĝ + ẑ (see [`gradient_start`]) instead of a random vector: a loss's
    /// gradient leans toward the top eigenvectors of its Hessian.
    pub fn start_from_gradient(&mut self, grad: &[f64]) {
        if let Some(l) = self.lanczos.as_mut() {
            l.start = Some(gradient_start(grad, l.seed));
        }
    }

    /// Runs every part asked for on the symmetric operator `a`.
    pub fn run<A: LinearOperator + ?Sized>(&self, a: &A) -> Result<Spectrum> {
        fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<Timed<T>> {
            let start = Instant::now();
            let result = f()?;
            Ok(Timed {
                result,
                seconds: start.elapsed().as_secs_f64(),
            })
        }
        let eigen = self
            .lanczos
            .as_ref()
            .map(|l| timed(|| l.run(a)))
            .transpose()?;
        let power = self
            .power
            .as_ref()
            .map(|p| timed(|| p.run(a)))
            .transpose()?;
        let trace = self
            .trace
            .map(|t| {
                timed(|| match t.method {
                    TraceMethod::Krylov => krylov_trace(a, t.products, self.seed),
                    TraceMethod::HutchPlusPlus => hutch_plus_plus(a, t.products, self.seed),
                    TraceMethod::Hutchinson => hutchinson(a, t.products, self.seed),
                })
            })
            .transpose()?;
        let density = self
            .density
            .as_ref()
            .map(|s| timed(|| s.run(a)))
            .transpose()?;
        let exact = if self.exact {
            let start = Instant::now();
            let s = DenseSpectrum::of(a)?;
            let k = self.lanczos.as_ref().map_or(5, |l| l.k).min(s.values.len());
            Some(ExactSpectrum {
                trace: s.trace(),
                largest: s.values.iter().rev().take(k).copied().collect(),
                smallest: s.values.iter().take(k).copied().collect(),
                seconds: start.elapsed().as_secs_f64(),
            })
        } else {
            None
        };
        let products = eigen.as_ref().map_or(0, |e| e.result.products)
            + power.as_ref().map_or(0, |p| p.result.products)
            + trace.as_ref().map_or(0, |t| t.result.products)
            + density.as_ref().map_or(0, |d| d.result.products);
        Ok(Spectrum {
            dim: a.dim(),
            value: None,
            which: self.lanczos.as_ref().map(|l| l.which),
            eigen,
            power_iteration: power,
            trace_method: self.trace.map(|t| t.method),
            trace,
            density,
            exact,
            products,
        })
    }
}

#[cfg(test)]
mod tests {
    use faer::Mat;

    use super::*;
    use crate::error::Error;

    /// Q·diag(λ)·Qᵀ for a dense orthogonal Q (a product of Givens rotations): a full matrix
    /// with a known spectrum.
    fn with_spectrum(values: &[f64]) -> Mat<f64> {
        let n = values.len();
        let mut q = Mat::<f64>::identity(n, n);
        for i in 0..n - 1 {
            let (s, c) = (0.3 + 0.05 * i as f64).sin_cos();
            for r in 0..n {
                let (a, b) = (q[(r, i)], q[(r, i + 1)]);
                q[(r, i)] = c * a - s * b;
                q[(r, i + 1)] = s * a + c * b;
            }
        }
        Mat::from_fn(n, n, |i, j| {
            (0..n).map(|k| q[(i, k)] * values[k] * q[(j, k)]).sum()
        })
    }

    fn everything(k: usize, which: Which, method: TraceMethod) -> Analysis {
        Analysis {
            lanczos: Some(Lanczos {
                k,
                which,
                ..Default::default()
            }),
            power: Some(PowerIteration {
                top_n: 1,
                max_iter: 500,
                tol: 1e-12,
                ..Default::default()
            }),
            trace: Some(TraceSpec {
                method,
                products: 40,
            }),
            density: Some(Slq {
                probes: 2,
                steps: 30,
                ..Default::default()
            }),
            exact: true,
            seed: 3,
        }
    }

    #[test]
    fn finds_the_known_spectrum_of_a_dense_matrix() {
        // Eigenvalues −3, 0.5, 1, …, 30: indefinite, a clear top and bottom.
        let mut values: Vec<f64> = (1..=30).map(f64::from).collect();
        values[0] = -3.0;
        values[1] = 0.5;
        let h = with_spectrum(&values);
        let exact_trace: f64 = values.iter().sum();
        for (which, want) in [
            (Which::Largest, [30.0, 29.0, 28.0]),
            (Which::Smallest, [-3.0, 0.5, 3.0]),
        ] {
            let s = everything(3, which, TraceMethod::Krylov).run(&h).unwrap();
            assert_eq!(s.dim, 30);
            assert_eq!(s.which, Some(which));
            let eigen = &s.eigen.as_ref().unwrap().result;
            for (v, w) in eigen.values.iter().zip(want) {
                assert!((v - w).abs() < 1e-8, "{which:?}: {v} vs {w}");
            }
            let exact = s.exact.as_ref().unwrap();
            assert!((exact.trace - exact_trace).abs() < 1e-9);
            assert_eq!(exact.largest.len(), 3);
            assert!((exact.largest[0] - 30.0).abs() < 1e-9);
            assert!((exact.smallest[0] + 3.0).abs() < 1e-9);
            // 40 products on a 30-dimensional operator: the Krylov half spans enough that the
            // trace comes out within its standard error (here essentially exact).
            let t = &s.trace.as_ref().unwrap().result;
            assert!(
                (t.estimate - exact_trace).abs() <= 5.0 * t.std_error + 1e-8,
                "{} ± {} vs {exact_trace}",
                t.estimate,
                t.std_error
            );
            let p = &s.power_iteration.as_ref().unwrap().result;
            assert!((p.values[0] - 30.0).abs() < 1e-3, "{}", p.values[0]);
            let d = &s.density.as_ref().unwrap().result;
            assert!((d.integral() - 1.0).abs() < 1e-2, "{}", d.integral());
            assert_eq!(
                s.products,
                eigen.products + p.products + t.products + d.products
            );
            assert!(eigen.products > 0 && t.products == 40);
        }
    }

    #[test]
    fn each_trace_method_and_the_json_names() {
        let values: Vec<f64> = (1..=12).map(|i| f64::from(i).powi(2)).collect();
        let h = with_spectrum(&values);
        let exact: f64 = values.iter().sum();
        for (method, name) in [
            (TraceMethod::Krylov, "krylov"),
            (TraceMethod::HutchPlusPlus, "hutch++"),
            (TraceMethod::Hutchinson, "hutchinson"),
        ] {
            let a = Analysis {
                trace: Some(TraceSpec {
                    method,
                    products: 300,
                }),
                seed: 1,
                ..Default::default()
            };
            let s = a.run(&h).unwrap();
            let t = &s.trace.as_ref().unwrap().result;
            assert!(
                (t.estimate - exact).abs() <= 5.0 * t.std_error + 1e-8 * exact,
                "{name}: {} ± {} vs {exact}",
                t.estimate,
                t.std_error
            );
            assert!(s.eigen.is_none() && s.exact.is_none() && s.density.is_none());
            let json = serde_json::to_value(&s).unwrap();
            assert_eq!(json["trace_method"], name);
            assert_eq!(method.name(), name);
            assert!(json["trace"]["estimate"].is_f64() && json["trace"]["seconds"].is_f64());
            assert!(json.get("value").is_none());
        }
    }

    #[test]
    fn a_gradient_start_reaches_the_same_pairs() {
        let values: Vec<f64> = (1..=25).map(f64::from).collect();
        let h = with_spectrum(&values);
        let mut a = Analysis {
            lanczos: Some(Lanczos {
                k: 2,
                ..Default::default()
            }),
            ..Default::default()
        };
        let g: Vec<f64> = (0..25).map(|i| (i as f64).cos()).collect();
        a.start_from_gradient(&g);
        assert!(a.lanczos.as_ref().unwrap().start.is_some());
        let s = a.run(&h).unwrap();
        let e = s.eigen.unwrap().result;
        assert!((e.values[0] - 25.0).abs() < 1e-8 && (e.values[1] - 24.0).abs() < 1e-8);
    }

    #[test]
    fn a_non_finite_operator_is_an_error() {
        let mut h = with_spectrum(&[1.0, 2.0, 3.0]);
        h[(1, 1)] = f64::NAN;
        let a = Analysis {
            trace: Some(TraceSpec {
                method: TraceMethod::Hutchinson,
                products: 4,
            }),
            ..Default::default()
        };
        assert!(matches!(a.run(&h), Err(Error::NonFinite(_))));
    }
}
