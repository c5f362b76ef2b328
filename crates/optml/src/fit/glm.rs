//! [`fit_glm`]: one entry point for GLMs, smooth or with a non-smooth penalty, and [`Choice`].

use super::composite::{self, CompositeMethod};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::models::glm::{Glm, GlmModel, GlmSpec, Loss, Ridge};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::{
    inverse_diagonal, Bfgs, BoundKind, BoundMajorization, DualCoordinateDescent, Lbfgs, Method,
    NewtonCg, Rbfgs, Report, Status, Stop, SubsampledNewton,
};

/// The solver a fit uses: one by name, or `Auto` to pick one for the spec and the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// A smooth method picked by the data's shape ([`Method::auto`]) without a penalty, dual
    /// coordinate descent for the hinge loss (no other method fits it), and proximal Newton
    /// with a penalty.
    Auto,
    /// A method for smooth objectives; a GLM with a penalty refuses it.
    Use(Method),
    /// A method for a non-smooth penalty; a GLM without one refuses it.
    Composite(CompositeMethod),
}

impl std::str::FromStr for Choice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        if s == "auto" {
            Ok(Choice::Auto)
        } else if let Some(m) = CompositeMethod::parse(s) {
            Ok(Choice::Composite(m))
        } else {
            s.parse().map(Choice::Use)
        }
    }
}

/// Fits `spec` on `data` from w = 0 and returns the model and the solver's report. It minimizes
/// F(W, b) = Σᵢ sᵢ·ℓ(yᵢ, W·xᵢ + b) + ‖W‖²/(2C) + h(W), the ridge ‖W‖²/(2C) from `spec.ridge`
/// (λ = 1/C, or none) and the non-smooth h from `spec.penalty` (or none).
///
/// Without a penalty F is smooth and any [`Method`] applies; with one, a [`CompositeMethod`]
/// does. [`Choice::Auto`] picks one of each kind; a smooth method with a penalty, or a
/// composite method without one, is an error. A run that ends on a non-finite value is an
/// error, never a model. The squared hinge with more than two classes is fitted one-vs-rest
/// (K binary fits, see [`GlmModel::is_one_vs_rest`]).
///
/// ```
/// use optml::data::parse_libsvm;
/// use optml::fit::{fit_glm, Choice};
/// use optml::models::glm::{GlmSpec, Loss, Penalty, Ridge};
/// use optml::solvers::Stop;
///
/// let data = parse_libsvm(
///     b"1 1:2 2:1\n1 1:1 3:0.1\n-1 1:-1 2:0.2\n-1 1:-2 3:-0.1\n",
///     "toy.svm".as_ref(),
///     &Default::default(),
/// )?;
/// let quiet = &mut optml::monitor::quiet();
/// // Ridge logistic regression, f = Σ log(1 + exp(−yᵢ·w·xᵢ)) + ‖w‖²/(2C), C = 1.
/// let spec = GlmSpec { loss: Loss::Logistic, ridge: Ridge::C(1.0), ..Default::default() };
/// let (model, report) = fit_glm(&data, &spec, Choice::Auto, Stop::relative(1e-10), quiet)?;
/// assert!(report.status.converged());
/// assert_eq!(model.predict(&data.x)?, data.y);
///
/// // The lasso alone, F = Σ loss + λ‖w‖₁: feature 1 separates the classes, the others drop out.
/// let lasso = GlmSpec {
///     ridge: Ridge::None,
///     penalty: Some(Penalty::l1(1.0)),
///     ..spec
/// };
/// let (model, _) = fit_glm(&data, &lasso, Choice::Auto, Stop::relative(1e-10), quiet)?;
/// assert!(model.weights[0] > 0.0);
/// assert_eq!(&model.weights[1..], &[0.0, 0.0]);
/// # Ok::<(), optml::Error>(())
/// ```
pub fn fit_glm<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &GlmSpec,
    choice: Choice,
    stop: Stop,
    monitor: &mut M,
) -> Result<(GlmModel, Report)> {
    // (Labels that are not finite are refused by the fit below, with its message.)
    if spec.loss == Loss::SquaredHinge && data.y.iter().all(|v| v.is_finite()) {
        let classes = distinct(&data.y);
        if classes.len() > 2 {
            return fit_one_vs_rest(data, spec, &classes, choice, stop, monitor);
        }
    }
    fit_labels(data, &data.y, spec, choice, stop, monitor)
}

/// The distinct values of `y`, ascending (`y` finite).
fn distinct(y: &[f64]) -> Vec<f64> {
    let mut c = y.to_vec();
    c.sort_by(f64::total_cmp);
    c.dedup();
    c
}

/// The squared hinge with K > 2 classes: K binary fits on the same features, class k against the
/// rest (LIBLINEAR's and scikit-learn's LinearSVC rule), each with the spec's ridge, penalty and
/// sample weights. The model holds the K rows of weights and intercepts and predicts the class
/// of highest score. The report sums the counts and the objectives of the K fits; its iterations
/// and gradient norm are the largest of them, and its status the first that did not converge
/// (else the last). The monitor sees each fit in turn, its iterations counted from 0 each time.
fn fit_one_vs_rest<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &GlmSpec,
    classes: &[f64],
    choice: Choice,
    stop: Stop,
    monitor: &mut M,
) -> Result<(GlmModel, Report)> {
    let d = data.n_features();
    let k = classes.len();
    let mut coef = Vec::with_capacity(k * d);
    let mut intercepts = Vec::with_capacity(k);
    let mut total: Option<Report> = None;
    for &c in classes {
        let y: Vec<f64> = data
            .y
            .iter()
            .map(|&v| f64::from(u8::from(v == c)))
            .collect();
        let (model, report) = fit_labels(data, &y, spec, choice, stop, monitor)?;
        coef.extend_from_slice(&model.weights[..d]);
        intercepts.extend_from_slice(&model.weights[d..]);
        total = Some(match total {
            None => report,
            Some(t) => Report {
                status: if t.status.converged() {
                    report.status
                } else {
                    t.status
                },
                iterations: t.iterations.max(report.iterations),
                f_evals: t.f_evals + report.f_evals,
                g_evals: t.g_evals + report.g_evals,
                hv_products: t.hv_products + report.hv_products,
                passes: t.passes + report.passes,
                f: t.f + report.f,
                grad_norm: t.grad_norm.max(report.grad_norm),
                seconds: t.seconds + report.seconds,
                ..t
            },
        });
    }
    coef.extend(intercepts);
    let model = GlmModel {
        loss: spec.loss,
        ridge: spec.ridge,
        penalty: spec.penalty.clone(),
        intercept: spec.intercept,
        n_features: d,
        classes: classes.to_vec(),
        weights: coef,
    };
    Ok((model, total.expect("more than two classes")))
}

/// [`fit_glm`] on the labels `y` (in place of `data.y`).
fn fit_labels<M: Monitor + ?Sized>(
    data: &Dataset,
    y: &[f64],
    spec: &GlmSpec,
    choice: Choice,
    stop: Stop,
    monitor: &mut M,
) -> Result<(GlmModel, Report)> {
    if let Some(p) = &spec.penalty {
        p.validate(data.n_features())?;
    }
    check_non_smooth(spec, choice)?;
    let rescaled = Rescaled::of(data, spec)?;
    let (data, spec_to_solve) = match &rescaled {
        Some(r) => (&r.data, &r.spec),
        None => (data, spec),
    };
    let (f, classes) = spec_to_solve.objective_with_labels(data, y)?;
    let mut w = vec![0.0; f.dim()];
    let report = match (&spec.penalty, choice) {
        (None, Choice::Auto) => {
            let method = if Loss::NON_SMOOTH.contains(&spec.loss) {
                Method::Dcd
            } else {
                let k = f.layout().k;
                Method::auto(data.n_samples(), f.dim(), data.x.nnz(), k)
            };
            minimize_smooth(method, stop, &f, &mut w, monitor)?
        }
        (None, Choice::Use(method)) => minimize_smooth(method, stop, &f, &mut w, monitor)?,
        (None, Choice::Composite(m)) => {
            return Err(Error::invalid(format!(
                "{m} is a solver for a non-smooth penalty, and the spec has none ({}): \
                 give a penalty (L1, elastic net or groups) or choose a smooth solver",
                spec.ridge
            )))
        }
        (Some(p), Choice::Auto) => {
            composite::minimize(CompositeMethod::ProxNewton, p, stop, &f, &mut w, monitor)?
        }
        (Some(p), Choice::Composite(m)) => composite::minimize(m, p, stop, &f, &mut w, monitor)?,
        (Some(p), Choice::Use(m)) => {
            return Err(Error::invalid(format!(
                "solver {m} does not handle a non-smooth penalty ({p}): use prox-newton, \
                 fista or prox-grad"
            )))
        }
    };
    if w.iter().any(|v| !v.is_finite())
        || !report.f.is_finite()
        || report.status == Status::NonFinite
    {
        return Err(Error::NonFinite(format!(
            "{} produced a non-finite model on {} ({})",
            report.solver,
            data.name(),
            report.status
        )));
    }
    // A run that stalled before its first step (a line search that could not decrease f from
    // w = 0, e.g. on features near the largest float) has fitted nothing. (A budget the caller
    // set, iterations or seconds, may end a run anywhere: that is not an error.)
    if report.status == Status::Stalled && w.iter().all(|v| *v == 0.0) {
        return Err(Error::Numerical(format!(
            "{} took no step from w = 0 on {} ({}): is the data scaled?",
            report.solver,
            data.name(),
            report.status
        )));
    }
    if spec.loss == Loss::Softmax && spec.intercept {
        center_intercepts(&mut w, f.layout().k);
    }
    if let Some(r) = &rescaled {
        let layout = f.layout();
        w[..layout.k * layout.d]
            .iter_mut()
            .for_each(|v| *v *= r.scale);
    }
    let model = GlmModel {
        loss: spec.loss,
        ridge: spec.ridge,
        penalty: spec.penalty.clone(),
        intercept: spec.intercept,
        n_features: data.n_features(),
        classes: classes.0,
        weights: w,
    };
    Ok((model, report))
}

/// A loss without a gradient everywhere (the hinge) is fitted by dual coordinate descent alone,
/// and never with a non-smooth penalty.
fn check_non_smooth(spec: &GlmSpec, choice: Choice) -> Result<()> {
    if !Loss::NON_SMOOTH.contains(&spec.loss) {
        return Ok(());
    }
    if let Some(p) = &spec.penalty {
        return Err(Error::invalid(format!(
            "the {} loss is not differentiable and takes no penalty ({p}): fit it with the ridge              alone (solver dcd)",
            spec.loss
        )));
    }
    match choice {
        Choice::Auto | Choice::Use(Method::Dcd) => Ok(()),
        Choice::Use(m) => Err(Error::invalid(format!(
            "the {} loss is not differentiable, so {m} cannot fit it: use --solver dcd (or auto)",
            spec.loss
        ))),
        Choice::Composite(m) => Err(Error::invalid(format!(
            "the {} loss is not differentiable, so {m} cannot fit it: use --solver dcd (or auto)",
            spec.loss
        ))),
    }
}

/// Features whose squares overflow (|xᵢⱼ| near 1e300, where ‖∇f‖², diag H and the line search's
/// slope overflow) are fitted on a copy of the data scaled by a power of two, 2⁻ᵏ·X, which is
/// exact. With W' = 2ᵏ·W and C' = 2²ᵏ·C the
/// objective keeps its value at every point, so the report's f is the original problem's; the
/// model's weights are W = 2⁻ᵏ·W' (intercepts are not scaled). Its gradient norm is the scaled
/// problem's. A non-smooth penalty is not rescaled.
struct Rescaled {
    data: Dataset,
    spec: GlmSpec,
    /// 2⁻ᵏ: W = scale·W'.
    scale: f64,
}

impl Rescaled {
    /// |xᵢⱼ| beyond 2^LIMIT is rescaled; squares of smaller entries summed over a million rows
    /// stay far from the range's end (2^1024). (Tiny features need no such care: there the ridge
    /// dominates, and scaling them up would need C·2²ᵏ below the smallest float.)
    const LIMIT: i32 = 400;

    fn of(data: &Dataset, spec: &GlmSpec) -> Result<Option<Rescaled>> {
        let m = data.x.max_abs();
        if spec.penalty.is_some() || !m.is_finite() || m == 0.0 {
            return Ok(None);
        }
        // At most 1000, so that 2⁻ᵏ is a normal number (2⁻¹⁰²⁴ is not); entries up to the
        // largest float become at most 2²⁴.
        let k = (m.log2().round() as i32).min(1000);
        if k <= Self::LIMIT {
            return Ok(None);
        }
        let x = data.x.scaled(2f64.powi(-k))?;
        let ridge = match spec.ridge {
            // ‖W‖²/(2C) = ‖W'‖²/(2·2²ᵏ·C); where 2²ᵏ·C overflows, the ridge's weight in the
            // original problem is below the smallest float.
            Ridge::C(c) => Ridge::C((c * 2f64.powi(k) * 2f64.powi(k)).min(f64::MAX)),
            Ridge::None => Ridge::None,
        };
        Ok(Some(Rescaled {
            data: Dataset {
                x,
                y: data.y.clone(),
                source: data.source.clone(),
            },
            spec: GlmSpec {
                ridge,
                ..spec.clone()
            },
            scale: 2f64.powi(-k),
        }))
    }
}

/// Minimizes the smooth GLM `f` from `w` with `method`.
fn minimize_smooth<M: Monitor + ?Sized>(
    method: Method,
    stop: Stop,
    f: &Glm<'_>,
    w: &mut [f64],
    monitor: &mut M,
) -> Result<Report> {
    match method {
        // Every GLM loss has a positive Hessian diagonal, the scaling quasi-Newton methods need
        // on badly scaled features.
        Method::Lbfgs => Lbfgs {
            stop,
            diagonal: inverse_diagonal(f, w),
            ..Default::default()
        }
        .minimize(f, w, monitor),
        Method::Bfgs => Bfgs {
            stop,
            diagonal: inverse_diagonal(f, w),
            ..Default::default()
        }
        .minimize(f, w, monitor),
        Method::Rbfgs => Rbfgs {
            stop,
            diagonal: inverse_diagonal(f, w),
            ..Default::default()
        }
        .minimize(f, w, monitor),
        Method::SubsampledNewton => SubsampledNewton {
            stop,
            ..Default::default()
        }
        .minimize(f, w, monitor),
        Method::Bound | Method::Bohning => BoundMajorization {
            stop,
            kind: if method == Method::Bound {
                BoundKind::Adaptive
            } else {
                BoundKind::Fixed
            },
            ..Default::default()
        }
        .minimize(f, w, monitor),
        // On linear classifiers LIBLINEAR's quadratic-model CG stop reaches moderate accuracy
        // in fewer data passes than forcing terms that tighten with ‖∇f‖ (Galli & Lin 2021
        // studied it there; bench/glm).
        Method::NewtonCg => liblinear_newton_cg(stop).minimize(f, w, monitor),
        Method::Dcd => DualCoordinateDescent {
            stop,
            ..Default::default()
        }
        .minimize(f, w, monitor),
        _ => method.minimize(stop, f, w, monitor),
    }
}

/// Newton-CG as LIBLINEAR trains linear classifiers: CG stopped by the quadratic-model rule.
fn liblinear_newton_cg(stop: Stop) -> NewtonCg {
    NewtonCg {
        stop,
        quadratic_model_stop: true,
        ..Default::default()
    }
}

/// Softmax scores are unchanged when the same constant is added to every class's intercept, and
/// the intercepts are not penalized: the optimum is a line, and where on it a solver stops
/// depends on rounding. The model keeps the point with Σₖ bₖ = 0 (the usual convention), so the
/// same fit gives the same model whatever the thread count.
fn center_intercepts(w: &mut [f64], k: usize) {
    if k < 2 || w.len() < k {
        return;
    }
    let start = w.len() - k;
    let b = &mut w[start..];
    let mean = b.iter().sum::<f64>() / k as f64;
    b.iter_mut().for_each(|v| *v -= mean);
}
