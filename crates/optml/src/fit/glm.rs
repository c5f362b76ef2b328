use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::models::glm::{GlmModel, GlmSpec, MODEL_FORMAT_VERSION};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::{
    inverse_diagonal, Bfgs, Lbfgs, Method, NewtonCg, NewtonPath, Rbfgs, Report, Stop,
    SubsampledNewton,
};

/// The solver a fit uses: one by name, or `Auto` to pick by the data's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Use(Method),
    /// A solver for non-smooth regularizers (see [`crate::composite`]).
    Composite(crate::composite::CompositeMethod),
}

impl std::str::FromStr for Choice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        if s == "auto" {
            Ok(Choice::Auto)
        } else if let Some(m) = crate::composite::CompositeMethod::parse(s) {
            Ok(Choice::Composite(m))
        } else {
            s.parse().map(Choice::Use)
        }
    }
}

/// Fits `spec` on `data` from w = 0 and returns the model and the solver's report.
/// A run that ends on a non-finite value is an error, never a model.
pub fn fit_glm<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &GlmSpec,
    choice: Choice,
    stop: Stop,
    monitor: &mut M,
) -> Result<(GlmModel, Report)> {
    let (f, classes) = spec.objective(data)?;
    let layout = f.layout();
    let method = match choice {
        Choice::Use(m) => m,
        Choice::Auto => Method::auto(data.n_samples(), f.dim(), data.x.nnz(), layout.k),
        Choice::Composite(m) => {
            return Err(Error::invalid(format!(
                "{m} is a solver for non-smooth regularizers: give one (an L1 strength or groups)"
            )))
        }
    };
    let mut w = vec![0.0; f.dim()];
    let report = match method {
        // Every GLM loss has a positive Hessian diagonal, the scaling quasi-Newton methods need
        // on badly scaled features.
        Method::Lbfgs => Lbfgs {
            stop,
            diagonal: inverse_diagonal(&f, &w),
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        Method::Bfgs => Bfgs {
            stop,
            diagonal: inverse_diagonal(&f, &w),
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        Method::Rbfgs => Rbfgs {
            stop,
            diagonal: inverse_diagonal(&f, &w),
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        Method::SubsampledNewton => SubsampledNewton {
            stop,
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        // On linear classifiers LIBLINEAR's quadratic-model CG stop reaches moderate accuracy
        // in fewer data passes than forcing terms that tighten with ‖∇f‖ (Galli & Lin 2021
        // studied it there; bench/glm).
        Method::NewtonCg => liblinear_newton_cg(stop).minimize(&f, &mut w, monitor)?,
        Method::NewtonPath => NewtonPath {
            stop,
            inner: liblinear_newton_cg(stop),
            ..Default::default()
        }
        .minimize(&f, &mut w, monitor)?,
        _ => method.minimize(stop, &f, &mut w, monitor)?,
    };
    if w.iter().any(|v| !v.is_finite()) || !report.f.is_finite() {
        return Err(Error::NonFinite(format!(
            "{} produced a non-finite model on {} ({})",
            method,
            data.name(),
            report.status
        )));
    }
    let model = GlmModel {
        format_version: MODEL_FORMAT_VERSION,
        loss: spec.loss,
        c: spec.c,
        intercept: spec.intercept,
        n_features: data.n_features(),
        classes: classes.0,
        weights: w,
    };
    Ok((model, report))
}

/// Newton-CG as LIBLINEAR trains linear classifiers: CG stopped by the quadratic-model rule.
fn liblinear_newton_cg(stop: Stop) -> NewtonCg {
    NewtonCg {
        stop,
        quadratic_model_stop: true,
        ..Default::default()
    }
}
