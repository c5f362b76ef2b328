//! Rules every front end (CLI, Python) relies on, kept in the library: a named method never
//! returns a point worse than its start, a callback in scipy's convention never sees x₀, and the
//! squared hinge with more than two classes is fitted one-vs-rest.

mod common;

use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmModel, GlmSpec, Loss, Ridge};
use optml::monitor::{AfterStart, IterInfo};
use optml::objective::WithFiniteDiffHessian;
use optml::solvers::{Method, Stop};
use optml::FnObjective;
use rand::Rng;

/// f(x) = (x − 1)², with a gradient of the wrong sign: every line search fails, and a method
/// that steps anyway lands higher.
fn wrong_gradient() -> WithFiniteDiffHessian<FnObjective<WrongGradient>> {
    WithFiniteDiffHessian(FnObjective::new(1, wrong_gradient_of))
}

type WrongGradient = fn(&[f64], &mut [f64]) -> f64;

fn wrong_gradient_of(x: &[f64], g: &mut [f64]) -> f64 {
    g[0] = -2.0 * (x[0] - 1.0) - 2.0;
    (x[0] - 1.0).powi(2)
}

#[test]
fn no_named_method_returns_a_point_worse_than_the_start() {
    for method in Method::ALL {
        let f = wrong_gradient();
        let mut x = vec![2.0];
        let stop = Stop {
            max_iter: 20,
            ..Stop::absolute(1e-8)
        };
        let report = method
            .minimize(stop, &f, &mut x, &mut optml::monitor::quiet())
            .unwrap();
        let fx = (x[0] - 1.0).powi(2);
        assert!(fx <= 1.0, "{method}: f(x) = {fx} > f(x0) = 1");
        assert_eq!(
            report.f, fx,
            "{method}: the report describes the returned x"
        );
        assert!(!report.status.converged(), "{method}: {}", report.status);
    }
}

#[test]
fn a_point_put_back_is_reported_with_the_start_values() {
    // Methods that accept increases (gradient descent's non-monotone search, the trust region's
    // model steps) end above f(x₀) here: the library puts x back and says so in the report.
    let mut put_back = Vec::new();
    for method in Method::ALL {
        let f = wrong_gradient();
        let mut x = vec![2.0];
        let mut last = f64::NAN;
        let stop = Stop {
            max_iter: 5,
            ..Stop::absolute(1e-8)
        };
        let report = method
            .minimize(stop, &f, &mut x, &mut |i: &IterInfo| {
                last = i.f;
                true
            })
            .unwrap();
        if last > 1.0 || last.is_nan() {
            assert_eq!(x, [2.0], "{method}");
            assert_eq!(report.f, 1.0, "{method}");
            assert_eq!(
                report.grad_norm, 4.0,
                "{method}: ‖∇f(x₀)‖ of the given gradient"
            );
            assert!(!report.status.converged(), "{method}");
            put_back.push(method);
        }
    }
    assert!(
        !put_back.is_empty(),
        "no method ended above f(x₀): the rule was not exercised"
    );
}

#[test]
fn a_good_run_is_left_alone() {
    let f = WithFiniteDiffHessian(FnObjective::new(2, |x: &[f64], g: &mut [f64]| {
        g[0] = 2.0 * (x[0] - 1.0);
        g[1] = 8.0 * (x[1] + 2.0);
        (x[0] - 1.0).powi(2) + 4.0 * (x[1] + 2.0).powi(2)
    }));
    for method in [Method::Lbfgs, Method::NewtonCg, Method::Arc] {
        let mut x = vec![0.0, 0.0];
        let report = method
            .minimize(
                Stop::absolute(1e-10),
                &f,
                &mut x,
                &mut optml::monitor::quiet(),
            )
            .unwrap();
        assert!(report.status.converged(), "{method}: {}", report.status);
        assert!((x[0] - 1.0).abs() < 1e-8 && (x[1] + 2.0).abs() < 1e-8);
    }
}

#[test]
fn a_callback_after_the_start_sees_every_iteration_but_the_first() {
    let f = WithFiniteDiffHessian(FnObjective::new(2, |x: &[f64], g: &mut [f64]| {
        g[0] = 2.0 * x[0];
        g[1] = 20.0 * x[1];
        x[0] * x[0] + 10.0 * x[1] * x[1]
    }));
    let mut all = Vec::new();
    let mut x = vec![3.0, 1.0];
    let report = Method::Lbfgs
        .minimize(Stop::absolute(1e-10), &f, &mut x, &mut |i: &IterInfo| {
            all.push(i.iter);
            true
        })
        .unwrap();
    let mut after = Vec::new();
    let mut x = vec![3.0, 1.0];
    Method::Lbfgs
        .minimize(
            Stop::absolute(1e-10),
            &f,
            &mut x,
            &mut AfterStart(|i: &IterInfo| {
                after.push(i.iter);
                true
            }),
        )
        .unwrap();
    assert_eq!(all[0], 0);
    assert_eq!(after, all[1..]);
    assert_eq!(after.len(), report.iterations);
}

/// Four well-separated classes in 3 features, labels 10, 20, 30, 40.
fn four_classes(sparse: bool) -> optml::data::Dataset {
    let centers = [
        [2.0, 0.0, 0.0],
        [0.0, 2.0, 0.0],
        [0.0, 0.0, 2.0],
        [-2.0, -2.0, 0.0],
    ];
    let mut data = common::random_dataset(120, 3, sparse, 7, |i, _| 10.0 * (1 + i % 4) as f64);
    let rows: Vec<Vec<f64>> = {
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(3);
        (0..120)
            .map(|i| {
                let c = centers[i % 4];
                c.iter().map(|v| v + rng.random_range(-0.7..0.7)).collect()
            })
            .collect()
    };
    let flat: Vec<f64> = rows.concat();
    data.x = if sparse {
        optml::linalg::Design::Sparse(optml::linalg::CsrMatrix::from_dense(120, 3, &flat).unwrap())
    } else {
        optml::linalg::Design::Dense(
            optml::linalg::DenseMatrix::from_row_major(120, 3, flat).unwrap(),
        )
    };
    data
}

fn svm(intercept: bool, sample_weight: Option<Vec<f64>>) -> GlmSpec {
    GlmSpec {
        loss: Loss::SquaredHinge,
        ridge: Ridge::C(0.5),
        penalty: None,
        intercept,
        sample_weight,
    }
}

#[test]
fn the_squared_hinge_with_more_classes_is_one_binary_fit_per_class() {
    let stop = Stop::relative(1e-10);
    for (sparse, intercept) in [(false, true), (true, true), (false, false)] {
        let data = four_classes(sparse);
        let weights: Vec<f64> = (0..120).map(|i| 0.5 + (i % 3) as f64).collect();
        let spec = svm(intercept, Some(weights));
        let quiet = &mut optml::monitor::quiet();
        let (model, report) = fit_glm(&data, &spec, Choice::Auto, stop, quiet).unwrap();
        assert!(model.is_one_vs_rest());
        assert_eq!(model.classes, [10.0, 20.0, 30.0, 40.0]);
        assert_eq!(model.layout().k, 4);
        assert!(report.status.converged(), "{}", report.status);
        let d = 3;
        let mut f_sum = 0.0;
        for (c, &label) in model.classes.iter().enumerate() {
            // The same fit by hand: class c (as 1) against the rest (0).
            let binary = optml::data::Dataset {
                x: data.x.clone(),
                y: data
                    .y
                    .iter()
                    .map(|&v| f64::from(u8::from(v == label)))
                    .collect(),
                source: None,
            };
            let (one, r) = fit_glm(&binary, &spec, Choice::Auto, stop, quiet).unwrap();
            assert_eq!(one.classes, [0.0, 1.0]);
            assert_eq!(
                &model.weights[c * d..(c + 1) * d],
                &one.weights[..d],
                "class {c}"
            );
            if intercept {
                assert_eq!(model.weights[4 * d + c], one.weights[d], "intercept {c}");
            }
            f_sum += r.f;
        }
        assert!((report.f - f_sum).abs() <= 1e-12 * f_sum.abs());
        // The class of highest score, which on separated clusters is the true one.
        let predicted = model.predict(&data.x).unwrap();
        let correct = predicted
            .iter()
            .zip(&data.y)
            .filter(|(p, y)| p == y)
            .count();
        assert!(correct >= 114, "{correct} of 120 correct");
        let z = model.decision_function(&data.x).unwrap();
        for (zi, p) in z.chunks_exact(4).zip(&predicted) {
            let best = (0..4).max_by(|&a, &b| zi[a].total_cmp(&zi[b])).unwrap();
            assert_eq!(model.classes[best], *p);
        }
    }
}

#[test]
fn a_one_vs_rest_model_survives_its_file_and_refuses_one_objective() {
    let data = four_classes(false);
    let (model, _) = fit_glm(
        &data,
        &svm(true, None),
        Choice::Auto,
        Stop::relative(1e-8),
        &mut optml::monitor::quiet(),
    )
    .unwrap();
    let text = serde_json::to_string(&model).unwrap();
    let back = GlmModel::from_json_str(&text, "m.json".as_ref()).unwrap();
    assert_eq!(back, model);
    let Err(err) = model.objective(&data, Default::default()) else {
        panic!("a one-vs-rest model has no single objective");
    };
    let err = err.to_string();
    assert!(err.contains("one-vs-rest"), "{err}");
    // A file with the wrong number of rows is refused.
    let mut short = model.clone();
    short.weights.truncate(3 + 1);
    assert!(short.validate().is_err());
}

#[test]
fn binary_squared_hinge_is_unchanged() {
    let data = common::random_dataset(60, 4, false, 11, |i, _| if i % 2 == 0 { 1.0 } else { -1.0 });
    let (model, _) = fit_glm(
        &data,
        &svm(true, None),
        Choice::Auto,
        Stop::relative(1e-8),
        &mut optml::monitor::quiet(),
    )
    .unwrap();
    assert!(!model.is_one_vs_rest());
    assert_eq!(model.weights.len(), 5);
}
