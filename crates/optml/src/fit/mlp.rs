//! Fitting an MLP: which solver runs on which curvature, from the seeded start to a model.

use super::Choice;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::models::mlp::{Mlp, MlpModel, MlpSpec, WithGaussNewton, MLP_FORMAT_VERSION};
use crate::monitor::Monitor;
use crate::solvers::second_order::SecondOrder;
use crate::solvers::stochastic::{Layout, Stochastic, Training};
use crate::solvers::{Method, Report, Stop};

/// The solver `choice` names for an MLP: `Auto` is L-BFGS (a network's Hessian is indefinite and
/// dense Newton's cost grows with the cube of the parameter count); the finite-sum and the
/// composite solvers are refused.
fn mlp_method(choice: Choice) -> Result<Method> {
    match choice {
        Choice::Auto => Ok(Method::Lbfgs),
        Choice::Use(m) if Method::FINITE_SUM.contains(&m) => {
            Err(Error::invalid(format!("{} is for GLMs only", m.name())))
        }
        Choice::Use(m) => Ok(m),
        Choice::Composite(m) => Err(Error::invalid(format!(
            "{m} is a solver for non-smooth regularizers, which apply to linear models only"
        ))),
    }
}

/// Fits `spec` on `data` from its seeded start θ₀ and returns the model and the solver's report.
///
/// Newton-CG and dense Newton run on the generalized Gauss-Newton matrix Jᵀ·H_ℓ·J + λ·I
/// (Schraudolph 2002), positive semi-definite where the Hessian of a network is indefinite and
/// their steps need not descend; every other method uses the exact Hessian where it uses one
/// (the trust region and ARC handle negative curvature themselves). A run that ends on a
/// non-finite value is an error, never a model.
///
/// ```
/// use optml::data::Dataset;
/// use optml::fit::{fit_mlp, Choice};
/// use optml::linalg::{DenseMatrix, Design};
/// use optml::models::mlp::{Activation, MlpSpec};
/// use optml::solvers::Stop;
///
/// // XOR: no linear model separates it, a 2-4-2 network does.
/// let x = DenseMatrix::from_row_major(4, 2, vec![0., 0., 0., 1., 1., 0., 1., 1.])?;
/// let data = Dataset { x: Design::Dense(x), y: vec![0., 1., 1., 0.], source: None };
/// let spec = MlpSpec { seed: 1, ..MlpSpec::classifier(&[2, 4, 2], Activation::Tanh) };
/// let stop = Stop { max_iter: 300, ..Stop::relative(1e-8) };
/// let (model, _report) = fit_mlp(&data, &spec, Choice::Auto, stop, &mut optml::monitor::quiet())?;
/// assert_eq!(model.predict(&data.x)?, data.y);
/// # Ok::<(), optml::Error>(())
/// ```
pub fn fit_mlp<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &MlpSpec,
    choice: Choice,
    stop: Stop,
    monitor: &mut M,
) -> Result<(MlpModel, Report)> {
    let method = mlp_method(choice)?;
    let mlp = spec.objective(data)?;
    let mut theta = mlp.init(spec.seed);
    let report = match method {
        Method::NewtonCg | Method::Newton => {
            method.minimize(stop, &WithGaussNewton(&mlp), &mut theta, monitor)?
        }
        _ => method.minimize(stop, &mlp, &mut theta, monitor)?,
    };
    if !report.f.is_finite() || theta.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite(format!(
            "{} ended on a non-finite value on {} ({})",
            report.solver,
            data.name(),
            report.status
        )));
    }
    let model = model_of(spec, theta);
    Ok((model, report))
}

/// Trains `spec` on `data` from its seeded start θ₀ by mini-batches ([`Stochastic`]): the
/// layer-wise rules see one group per weight matrix and bias, the records hold the accuracy of a
/// classifier. The model holds the last point, or the best on validation with early stopping.
pub fn fit_mlp_stochastic<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &MlpSpec,
    run: &Stochastic,
    monitor: &mut M,
) -> Result<(MlpModel, Training)> {
    by_batches(data, spec, |mlp, theta, layout| {
        run.minimize(mlp, theta, layout, monitor)
    })
}

/// Trains `spec` on `data` from its seeded start θ₀ by a second-order method on mini-batches
/// ([`SecondOrder`]: K-FAC, Shampoo or Hessian-free), with the same records as
/// [`fit_mlp_stochastic`].
pub fn fit_mlp_second_order<M: Monitor + ?Sized>(
    data: &Dataset,
    spec: &MlpSpec,
    run: &SecondOrder,
    monitor: &mut M,
) -> Result<(MlpModel, Training)> {
    by_batches(data, spec, |mlp, theta, layout| {
        run.minimize(mlp, theta, layout, monitor)
    })
}

/// The network of `spec` on `data`, trained from its seeded start by `train` with the layout
/// the mini-batch drivers read: one group per weight matrix and bias, and a classifier's
/// accuracy.
fn by_batches(
    data: &Dataset,
    spec: &MlpSpec,
    train: impl FnOnce(&Mlp, &mut [f64], &Layout) -> Result<Training>,
) -> Result<(MlpModel, Training)> {
    let mlp = spec.objective(data)?;
    let mut theta = mlp.init(spec.seed);
    let accuracy = |th: &[f64], rows: &[usize]| mlp.accuracy(th, rows).unwrap_or(f64::NAN);
    let classifier = mlp.accuracy(&theta, &[0]).is_some();
    let layout = Layout {
        groups: mlp.groups(),
        accuracy: if classifier { Some(&accuracy) } else { None },
    };
    let training = train(&mlp, &mut theta, &layout)?;
    Ok((model_of(spec, theta), training))
}

/// The model file of `spec` at parameters θ.
fn model_of(spec: &MlpSpec, theta: Vec<f64>) -> MlpModel {
    MlpModel {
        format_version: MLP_FORMAT_VERSION,
        sizes: spec.sizes.clone(),
        activation: spec.activation,
        loss: spec.loss,
        l2: spec.l2,
        theta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::CompositeMethod;
    use crate::linalg::{DenseMatrix, Design};
    use crate::models::mlp::{Activation, MlpLoss};
    use crate::objective::Objective;

    /// 60 points along a spiral in 2-d, labelled by which third of the circle their angle is in.
    fn data() -> Dataset {
        let n = 60;
        let mut x = Vec::with_capacity(2 * n);
        let mut y = Vec::with_capacity(n);
        for i in 0..n {
            let t = i as f64 * 0.37;
            let r = 0.3 + (i % 7) as f64 / 7.0;
            x.extend([r * t.cos(), r * t.sin()]);
            let sector = (t.sin().atan2(t.cos()) + std::f64::consts::PI)
                / (2.0 * std::f64::consts::PI / 3.0);
            y.push((sector as usize).min(2) as f64);
        }
        Dataset {
            x: Design::Dense(DenseMatrix::from_row_major(n, 2, x).unwrap()),
            y,
            source: None,
        }
    }

    fn spec() -> MlpSpec {
        MlpSpec {
            l2: 1e-4,
            seed: 2,
            ..MlpSpec::classifier(&[2, 6, 3], Activation::Tanh)
        }
    }

    /// Every smooth method lowers the objective from the seeded start, and the model holds the
    /// point the report describes; Newton-CG and Newton say they used the Gauss-Newton matrix.
    #[test]
    fn each_method_returns_the_point_it_reports() {
        let d = data();
        let s = spec();
        let f = s.objective(&d).unwrap();
        let f0 = f.value(&f.init(s.seed));
        let stop = Stop {
            max_iter: 15,
            ..Stop::relative(1e-12)
        };
        for choice in [
            Choice::Auto,
            Choice::Use(Method::NewtonCg),
            Choice::Use(Method::Newton),
            Choice::Use(Method::TrustRegion),
            Choice::Use(Method::Lbfgs),
        ] {
            let (model, report) =
                fit_mlp(&d, &s, choice, stop, &mut crate::monitor::quiet()).unwrap();
            assert_eq!(model.sizes, s.sizes);
            assert_eq!((model.l2, model.loss), (s.l2, MlpLoss::CrossEntropy));
            let fx = f.value(&model.theta);
            assert!(
                (fx - report.f).abs() <= 1e-12 * fx,
                "{choice:?}: {fx} vs {}",
                report.f
            );
            assert!(fx < 0.9 * f0, "{choice:?}: {fx} from {f0}");
            model.validate().unwrap();
            let gn = matches!(choice, Choice::Use(Method::NewtonCg | Method::Newton));
            assert_eq!(
                report.hessian == Some("gauss-newton"),
                gn,
                "{choice:?}: {:?}",
                report.hessian
            );
        }
        let (_, auto) = fit_mlp(&d, &s, Choice::Auto, stop, &mut crate::monitor::quiet()).unwrap();
        assert_eq!(
            auto.solver,
            Method::Lbfgs
                .minimize(stop, &f, &mut f.init(2), &mut crate::monitor::quiet())
                .unwrap()
                .solver
        );
    }

    #[test]
    fn solvers_for_other_models_are_refused() {
        let d = data();
        let stop = Stop::relative(1e-6);
        for (choice, want) in [
            (Choice::Use(Method::SubsampledNewton), "GLMs only"),
            (
                Choice::Composite(CompositeMethod::Fista),
                "linear models only",
            ),
        ] {
            let err = fit_mlp(&d, &spec(), choice, stop, &mut crate::monitor::quiet()).unwrap_err();
            assert!(err.to_string().contains(want), "{err}");
        }
    }
}
