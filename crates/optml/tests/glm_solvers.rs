//! Every solver reaches the published optimum of L2 logistic regression on breast cancer.

mod common;

use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::quiet;
use optml::objective::Objective;
use optml::solvers::{Method, Stop};

/// f* for breast_cancer.svm, raw features, logistic, no intercept (LIBLINEAR form).
const F_STAR: [(f64, f64); 2] = [(1.0, 59.16243276027), (100.0, 38.15551476012)];

#[test]
fn every_solver_reaches_the_breast_cancer_optimum() {
    let data = common::fixture("breast_cancer.svm");
    assert_eq!((data.n_samples(), data.n_features()), (569, 30));
    for (c, f_star) in F_STAR {
        // The first-order methods cannot reach 10⁻¹⁰ at condition number ~10¹⁰.
        for method in Method::ALL
            .into_iter()
            .filter(|m| !Method::FIRST_ORDER.contains(m))
        {
            let spec = GlmSpec {
                loss: Loss::Logistic,
                ridge: Ridge::C(c),
                ..Default::default()
            };
            let stop = Stop {
                tol: 1e-10,
                max_iter: 20_000,
                ..Stop::default()
            };
            let (model, report) =
                fit_glm(&data, &spec, Choice::Use(method), stop, &mut quiet()).unwrap();
            let rel = (report.f - f_star).abs() / f_star;
            assert!(
                rel <= 1e-10,
                "{method} at C = {c}: f = {:.12} ({}), rel err {rel:.2e}, {} iterations",
                report.f,
                report.status,
                report.iterations
            );
            // The report's f is the objective at the returned weights.
            let (f, _) = spec.objective(&data).unwrap();
            assert!((f.value(&model.weights) - report.f).abs() <= 1e-12 * f_star);
        }
    }
}

#[test]
fn auto_fits_every_loss_on_digits() {
    let data = common::fixture("digits.svm");
    let (n, d) = (data.n_samples(), data.n_features());
    assert_eq!((n, d), (1797, 64));
    // Softmax over the ten digits; the binary losses on "digit ≥ 5".
    let mut binary = data.clone();
    binary.y = data
        .y
        .iter()
        .map(|&c| if c >= 5.0 { 1.0 } else { -1.0 })
        .collect();
    for (loss, set, min_acc) in [
        (Loss::Softmax, &data, 0.97),
        (Loss::Logistic, &binary, 0.85),
        (Loss::SquaredHinge, &binary, 0.85),
    ] {
        let spec = GlmSpec {
            loss,
            ridge: Ridge::C(0.1),
            intercept: true,
            ..Default::default()
        };
        let (model, report) =
            fit_glm(set, &spec, Choice::Auto, Stop::relative(1e-8), &mut quiet()).unwrap();
        assert!(report.status.converged(), "{loss}: {}", report.status);
        let acc = model.evaluate(set).unwrap().accuracy.unwrap();
        assert!(acc >= min_acc, "{loss}: training accuracy {acc}");
    }
}

#[test]
fn solvers_agree_on_softmax_and_least_squares() {
    let data = common::fixture("digits.svm");
    for loss in [Loss::Softmax, Loss::LeastSquares] {
        let spec = GlmSpec {
            loss,
            ridge: Ridge::C(0.05),
            intercept: true,
            ..Default::default()
        };
        let mut values = Vec::new();
        for method in [
            Method::NewtonCg,
            Method::TrustRegion,
            Method::Lbfgs,
            Method::NewtonPath,
        ] {
            let stop = Stop {
                tol: 1e-9,
                max_iter: 5000,
                ..Stop::default()
            };
            let (_, r) = fit_glm(&data, &spec, Choice::Use(method), stop, &mut quiet()).unwrap();
            assert!(r.status.converged(), "{loss} {method}: {}", r.status);
            values.push((method, r.f));
        }
        let best = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
        for (m, v) in values {
            assert!((v - best) / best <= 1e-9, "{loss} {m}: {v} vs {best}");
        }
    }
}

#[test]
fn least_squares_matches_the_normal_equations() {
    // Ridge: (XᵀX + I/C)·w = Xᵀy, solved densely with faer.
    let data = common::fixture("breast_cancer.svm");
    let spec = GlmSpec {
        loss: Loss::LeastSquares,
        ridge: Ridge::C(10.0),
        ..Default::default()
    };
    let (_, report) = fit_glm(
        &data,
        &spec,
        Choice::Use(Method::NewtonCg),
        Stop {
            tol: 1e-12,
            max_iter: 10_000,
            ..Stop::default()
        },
        &mut quiet(),
    )
    .unwrap();
    let d = data.n_features();
    let n = data.n_samples();
    let mut a = data.x.gram(&vec![1.0; n], false);
    for j in 0..d {
        a[(j, j)] += 0.1;
    }
    let mut b = vec![0.0; d];
    data.x.rmatvec(&data.y, &mut b);
    use faer::linalg::solvers::Solve;
    let llt = a.llt(faer::Side::Lower).unwrap();
    let mut rhs = faer::Mat::from_fn(d, 1, |i, _| b[i]);
    llt.solve_in_place(rhs.as_mut());
    let w: Vec<f64> = (0..d).map(|i| rhs[(i, 0)]).collect();
    let (f, _) = spec.objective(&data).unwrap();
    let f_exact = f.value(&w);
    assert!(
        (report.f - f_exact).abs() <= 1e-9 * f_exact,
        "{} vs {f_exact}",
        report.f
    );
}

#[test]
fn intercept_is_not_penalized() {
    // Shifting every label's regression target by a constant moves only the intercept.
    let data = common::fixture("breast_cancer.svm");
    let spec = GlmSpec {
        loss: Loss::LeastSquares,
        ridge: Ridge::C(1e-3),
        intercept: true,
        ..Default::default()
    };
    let mut shifted = data.clone();
    shifted.y.iter_mut().for_each(|y| *y += 100.0);
    let stop = Stop {
        tol: 1e-12,
        max_iter: 10_000,
        ..Stop::default()
    };
    let (m0, _) = fit_glm(
        &data,
        &spec,
        Choice::Use(Method::Newton),
        stop,
        &mut quiet(),
    )
    .unwrap();
    let (m1, _) = fit_glm(
        &shifted,
        &spec,
        Choice::Use(Method::Newton),
        stop,
        &mut quiet(),
    )
    .unwrap();
    let d = data.n_features();
    for j in 0..d {
        assert!((m0.weights[j] - m1.weights[j]).abs() < 1e-6 * (1.0 + m0.weights[j].abs()));
    }
    assert!((m1.weights[d] - m0.weights[d] - 100.0).abs() < 1e-6);
}

/// Features near the largest float (×2¹⁰⁰⁰ ≈ 1e301), where ‖∇f(0)‖², diag H and the line
/// search's slope overflow: every smooth solver trains, and finds the unregularized optimum of
/// the unscaled data scaled back (the ridge ‖w‖²/2 is below the smallest float there).
#[test]
fn features_near_the_largest_float_train() {
    let scale = 2f64.powi(1000);
    let (mut plain, mut huge) = (String::new(), String::new());
    for i in 0..60 {
        let t = i as f64;
        let x = [(1.3 * t).sin(), (0.7 * t).cos(), (2.1 * t + 0.5).sin()];
        // Noisy labels: the classes overlap, so the unregularized optimum is finite.
        let y = if x[0] - 0.5 * x[1] + 0.6 * (5.3 * t).sin() > 0.0 {
            1
        } else {
            -1
        };
        let row = |s: f64| {
            let features: Vec<String> = (0..3)
                .map(|j| format!("{}:{:e}", j + 1, x[j] * s))
                .collect();
            format!("{y} {}\n", features.join(" "))
        };
        plain += &row(1.0);
        huge += &row(scale);
    }
    let parse = |text: &str| {
        optml::data::parse_libsvm(text.as_bytes(), "rows.svm".as_ref(), &Default::default())
            .unwrap()
    };
    let (plain, huge) = (parse(&plain), parse(&huge));
    let stop = Stop {
        tol: 1e-10,
        max_iter: 1000,
        ..Stop::default()
    };
    let unregularized = GlmSpec {
        ridge: Ridge::None,
        ..Default::default()
    };
    let (reference, _) = fit_glm(
        &plain,
        &unregularized,
        Choice::Use(Method::Newton),
        stop,
        &mut quiet(),
    )
    .unwrap();
    for choice in [
        Choice::Auto,
        Choice::Use(Method::Lbfgs),
        Choice::Use(Method::NewtonCg),
        Choice::Use(Method::TrustRegion),
        Choice::Use(Method::NewtonPath),
        Choice::Use(Method::Bfgs),
    ] {
        let (m, r) = fit_glm(&huge, &GlmSpec::default(), choice, stop, &mut quiet()).unwrap();
        assert!(r.status.converged(), "{choice:?}: {}", r.status);
        for (w, w0) in m.weights.iter().zip(&reference.weights) {
            assert!(
                (w * scale - w0).abs() <= 1e-6 * w0.abs().max(1.0),
                "{choice:?}: {:?} vs {:?}",
                m.weights,
                reference.weights
            );
        }
        assert_eq!(
            m.predict(&huge.x).unwrap(),
            reference.predict(&plain.x).unwrap()
        );
    }
    // Identical rows at the largest floats, 6 positive and 2 negative: the fit is w·x = log 3.
    let row = |y: i32| format!("{y} 1:1.7e308 2:1.7e308\n");
    let top = parse(&format!("{}{}", row(1).repeat(6), row(-1).repeat(2)));
    let (m, r) = fit_glm(&top, &GlmSpec::default(), Choice::Auto, stop, &mut quiet()).unwrap();
    assert!(r.status.converged(), "{}", r.status);
    let score = m.weights[0] * 1.7e308 + m.weights[1] * 1.7e308;
    assert!(
        (score - 3f64.ln()).abs() < 1e-6,
        "w·x = {score}, weights {:?}",
        m.weights
    );
}
