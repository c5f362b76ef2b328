//! Dual coordinate descent: the primal optimum a Newton method finds (logistic, squared hinge),
//! known answers and an independent duality-gap certificate (hinge), reproducibility, refusals.

mod common;

use optml::data::Dataset;
use optml::fit::{fit_glm, Choice};
use optml::linalg::{DenseMatrix, Design};
use optml::models::glm::{GlmSpec, Loss, Penalty, Ridge};
use optml::monitor::quiet;
use optml::objective::Objective;
use optml::solvers::dual::DualRun;
use optml::solvers::{DualCoordinateDescent, Method, Status, Stop};
use rand::Rng;

fn labels(i: usize, rng: &mut rand_chacha::ChaCha8Rng) -> f64 {
    // Mostly a planted rule on the first feature's index parity, with noise: not separable.
    if (i % 3 == 0) ^ (rng.random::<f64>() < 0.15) {
        1.0
    } else {
        -1.0
    }
}

fn data(sparse: bool, seed: u64) -> Dataset {
    common::random_dataset(60, 8, sparse, seed, labels)
}

fn spec(loss: Loss, c: f64) -> GlmSpec {
    GlmSpec {
        loss,
        ridge: Ridge::C(c),
        ..Default::default()
    }
}

fn stop(tol: f64) -> Stop {
    Stop {
        tol,
        max_iter: 1_000_000,
        ..Stop::default()
    }
}

fn dcd(data: &Dataset, spec: &GlmSpec, tol: f64, seed: u64) -> (Vec<f64>, DualRun) {
    let (f, _) = spec.objective(data).unwrap();
    let mut w = vec![0.0; f.dim()];
    let run = DualCoordinateDescent {
        stop: stop(tol),
        seed,
        ..Default::default()
    }
    .solve(&f, &mut w, &mut quiet())
    .unwrap();
    (w, run)
}

/// The dual objective D(α) (LIBLINEAR's scale), computed here from α alone: w(α) = Σ αᵢyᵢxᵢ.
fn dual_value(data: &Dataset, loss: Loss, c: f64, alpha: &[f64]) -> f64 {
    let d = data.n_features();
    let mut w = vec![0.0; d];
    let mut row = vec![0.0; d];
    let mut sum = 0.0;
    for (i, &a) in alpha.iter().enumerate() {
        let y = if data.y[i] > 0.0 { 1.0 } else { -1.0 };
        data.x.dense_row(i, &mut row);
        for (wj, xj) in w.iter_mut().zip(&row) {
            *wj += a * y * xj;
        }
        sum += match loss {
            Loss::Hinge => {
                assert!((0.0..=c).contains(&a), "α = {a} outside [0, {c}]");
                -a
            }
            Loss::SquaredHinge => {
                assert!(a >= 0.0);
                a * a / (4.0 * c) - a
            }
            Loss::Logistic => {
                assert!(a > 0.0 && a < c);
                a * a.ln() + (c - a) * (c - a).ln() - c * c.ln()
            }
            _ => unreachable!(),
        };
    }
    0.5 * w.iter().map(|v| v * v).sum::<f64>() + sum
}

/// F at the optimum by a second-order method, to 1e-11 of ‖∇F(0)‖, or where rounding stops it
/// (a trust region stalls once the predicted decrease is below f's last digit): with
/// ‖∇F‖ ≤ 1e-6 and strong convexity μ ≥ 1/C, F − F* ≤ ‖∇F‖²·C/2, far below 1e-8·F.
fn reference(data: &Dataset, spec: &GlmSpec, method: Method) -> (Vec<f64>, f64) {
    let (model, report) =
        fit_glm(data, spec, Choice::Use(method), stop(1e-11), &mut quiet()).expect("reference fit");
    assert!(
        report.status.converged() || (report.status == Status::Stalled && report.grad_norm <= 1e-6),
        "{method} on {} C={}: {} at ‖∇F‖ = {:e} after {} iterations",
        spec.loss,
        spec.ridge,
        report.status,
        report.grad_norm,
        report.iterations
    );
    (model.weights, report.f)
}

#[test]
fn reaches_the_newton_optimum_on_logistic_and_squared_hinge() {
    for (loss, method) in [
        (Loss::Logistic, Method::Newton),
        (Loss::Logistic, Method::TrustRegion),
        (Loss::SquaredHinge, Method::TrustRegion),
        (Loss::SquaredHinge, Method::NewtonCg),
    ] {
        for sparse in [false, true] {
            for c in [0.1, 1.0, 10.0] {
                let data = data(sparse, 7);
                let spec = spec(loss, c);
                let (w_ref, f_ref) = reference(&data, &spec, method);
                let (w, run) = dcd(&data, &spec, 1e-10, 1);
                let what = format!("{loss} sparse={sparse} C={c} against {method}");
                assert!(
                    run.report.status.converged(),
                    "{what}: {}",
                    run.report.status
                );
                let rel = (run.report.f - f_ref) / f_ref;
                assert!(rel.abs() <= 1e-8, "{what}: relative gap in F {rel:e}");
                let (f, _) = spec.objective(&data).unwrap();
                assert_eq!(f.value(&w), run.report.f, "{what}: reported F is F(w)");
                let dist = w
                    .iter()
                    .zip(&w_ref)
                    .map(|(a, b)| (a - b).powi(2))
                    .sum::<f64>()
                    .sqrt();
                let scale = w_ref.iter().map(|v| v * v).sum::<f64>().sqrt();
                assert!(dist <= 1e-5 * (1.0 + scale), "{what}: ‖w − w*‖ = {dist:e}");
            }
        }
    }
}

#[test]
fn weighted_samples_match_newton() {
    for loss in [Loss::Logistic, Loss::SquaredHinge] {
        let data = data(true, 3);
        let weights = (0..60).map(|i| [0.0, 0.5, 1.0, 3.0][i % 4]).collect();
        let spec = GlmSpec {
            sample_weight: Some(weights),
            ..spec(loss, 2.0)
        };
        let (_, f_ref) = reference(&data, &spec, Method::TrustRegion);
        let (_, run) = dcd(&data, &spec, 1e-10, 0);
        let rel = (run.report.f - f_ref) / f_ref;
        assert!(rel.abs() <= 1e-8, "{loss}: relative gap in F {rel:e}");
    }
}

#[test]
fn hinge_matches_the_closed_form() {
    // x₁ = (1, 1), y₁ = +1 and x₂ = (−1, −1), y₂ = −1: w = t·(1, 1) with
    // P = t² + 2C·max(0, 1 − 2t), so t = 2C below C = 1/4 and t = 1/2 (the kink) above.
    let x = Design::Dense(DenseMatrix::from_row_major(2, 2, vec![1.0, 1.0, -1.0, -1.0]).unwrap());
    let data = Dataset {
        x,
        y: vec![1.0, -1.0],
        source: None,
    };
    for c in [0.05, 0.2, 1.0, 30.0] {
        let (w, run) = dcd(&data, &spec(Loss::Hinge, c), 1e-12, 0);
        let t = (2.0 * c).min(0.5);
        assert!(
            run.report.status.converged(),
            "C={c}: {}",
            run.report.status
        );
        for wj in &w {
            assert!((wj - t).abs() <= 1e-12, "C={c}: w = {w:?}, expected {t}");
        }
    }
}

#[test]
fn hinge_optimum_is_certified_by_the_duality_gap() {
    for sparse in [false, true] {
        for c in [0.1, 1.0, 10.0] {
            let data = data(sparse, 11);
            let spec = spec(Loss::Hinge, c);
            let (w, run) = dcd(&data, &spec, 1e-11, 2);
            assert!(run.report.status.converged(), "{}", run.report.status);
            // P(w)/C − (−D(α)/C), both computed here: ≥ 0 by weak duality, tiny at the optimum.
            let (f, _) = spec.objective(&data).unwrap();
            let primal = f.value(&w);
            let gap = primal + dual_value(&data, Loss::Hinge, c, &run.alpha) / c;
            assert!(gap >= -1e-12 * primal, "gap {gap:e}");
            assert!(gap <= 1e-9 * primal, "sparse={sparse} C={c}: gap {gap:e}");
            // Any other point is no better: a few perturbations of w.
            for j in 0..w.len() {
                for h in [1e-4, -1e-4] {
                    let mut v = w.clone();
                    v[j] += h;
                    assert!(f.value(&v) >= primal - 1e-9 * primal);
                }
            }
        }
    }
}

#[test]
fn duality_gap_is_nonnegative_and_vanishes() {
    for loss in [Loss::Hinge, Loss::SquaredHinge, Loss::Logistic] {
        for sparse in [false, true] {
            let data = data(sparse, 5);
            let c = 4.0;
            let spec = spec(loss, c);
            let (f, _) = spec.objective(&data).unwrap();
            let f0 = f.value(&vec![0.0; f.dim()]);
            let mut gaps = Vec::new();
            for tol in [1e-1, 1e-3, 1e-6, 1e-10] {
                let (w, run) = dcd(&data, &spec, tol, 3);
                let gap = f.value(&w) + dual_value(&data, loss, c, &run.alpha) / c;
                assert!(gap >= -1e-12 * f0, "{loss}: negative gap {gap:e}");
                assert!(
                    (gap - run.gap).abs() <= 1e-9 * f0,
                    "{loss}: solver's gap {:e}, recomputed {gap:e}",
                    run.gap
                );
                gaps.push(gap);
            }
            assert!(
                gaps[3] <= 1e-9 * f0,
                "{loss} sparse={sparse}: gaps {gaps:?}"
            );
            assert!(gaps[0] > gaps[3], "{loss}: gaps {gaps:?}");
        }
    }
}

#[test]
fn shrinking_changes_the_path_not_the_optimum() {
    for loss in [Loss::Hinge, Loss::SquaredHinge] {
        let data = data(true, 9);
        let spec = spec(loss, 1.0);
        let (f, _) = spec.objective(&data).unwrap();
        let mut values = Vec::new();
        for shrinking in [true, false] {
            let mut w = vec![0.0; f.dim()];
            let report = DualCoordinateDescent {
                stop: stop(1e-11),
                shrinking,
                ..Default::default()
            }
            .minimize(&f, &mut w, &mut quiet())
            .unwrap();
            assert!(report.status.converged());
            values.push(report.f);
        }
        assert!(
            (values[0] - values[1]).abs() <= 1e-9 * values[0],
            "{values:?}"
        );
    }
}

#[test]
fn same_seed_gives_the_same_bits() {
    for loss in [Loss::Hinge, Loss::SquaredHinge, Loss::Logistic] {
        let data = data(true, 4);
        let spec = spec(loss, 1.0);
        let bits = |seed: u64| {
            let (f, _) = spec.objective(&data).unwrap();
            let mut w = vec![0.0; f.dim()];
            // Three epochs: far from converged, so the order of the coordinates shows.
            DualCoordinateDescent {
                stop: Stop {
                    tol: 0.0,
                    max_iter: 3,
                    ..Stop::default()
                },
                seed,
                ..Default::default()
            }
            .minimize(&f, &mut w, &mut quiet())
            .unwrap();
            w.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        };
        assert_eq!(bits(17), bits(17), "{loss}");
        assert_ne!(bits(17), bits(18), "{loss}: the seed does not matter");
    }
}

#[test]
fn fit_glm_runs_dcd_by_name_and_picks_it_for_the_hinge() {
    let data = data(false, 6);
    let choice: Choice = "dcd".parse().unwrap();
    assert_eq!(choice, Choice::Use(Method::Dcd));
    let (model, report) = fit_glm(
        &data,
        &spec(Loss::SquaredHinge, 1.0),
        choice,
        stop(1e-8),
        &mut quiet(),
    )
    .unwrap();
    assert_eq!(report.solver, "dcd");
    assert_eq!(model.predict(&data.x).unwrap().len(), 60);
    let (_, report) = fit_glm(
        &data,
        &spec(Loss::Hinge, 1.0),
        Choice::Auto,
        stop(1e-8),
        &mut quiet(),
    )
    .unwrap();
    assert_eq!(report.solver, "dcd");
    assert!(report.status.converged());
}

#[test]
fn what_it_cannot_solve_is_a_one_line_error() {
    let binary = data(true, 1);
    let multi = Dataset {
        y: (0..60).map(|i| (i % 3) as f64).collect(),
        ..binary.clone()
    };
    let cases: Vec<(&str, &Dataset, GlmSpec, Choice)> = vec![
        (
            "softmax",
            &multi,
            spec(Loss::Softmax, 1.0),
            Choice::Use(Method::Dcd),
        ),
        (
            "least-squares",
            &binary,
            spec(Loss::LeastSquares, 1.0),
            Choice::Use(Method::Dcd),
        ),
        (
            "penalty",
            &binary,
            GlmSpec {
                penalty: Some(Penalty::l1(0.1)),
                ..spec(Loss::Logistic, 1.0)
            },
            Choice::Use(Method::Dcd),
        ),
        (
            "intercept",
            &binary,
            GlmSpec {
                intercept: true,
                ..spec(Loss::Logistic, 1.0)
            },
            Choice::Use(Method::Dcd),
        ),
        (
            "ridge",
            &binary,
            GlmSpec {
                ridge: Ridge::None,
                ..spec(Loss::Logistic, 1.0)
            },
            Choice::Use(Method::Dcd),
        ),
        (
            "hinge",
            &binary,
            spec(Loss::Hinge, 1.0),
            Choice::Use(Method::Lbfgs),
        ),
        (
            "hinge",
            &binary,
            GlmSpec {
                penalty: Some(Penalty::l1(0.1)),
                ..spec(Loss::Hinge, 1.0)
            },
            Choice::Auto,
        ),
    ];
    for (word, data, spec, choice) in cases {
        let e = fit_glm(data, &spec, choice, stop(1e-6), &mut quiet())
            .expect_err(word)
            .to_string();
        assert!(!e.contains('\n'), "{word}: {e}");
        assert!(e.contains(word), "{word}: {e}");
    }
    // A start other than w = 0, and the generic entry point without a dual.
    let (f, _) = spec(Loss::Logistic, 1.0).objective(&binary).unwrap();
    let mut w = vec![0.1; f.dim()];
    let e = DualCoordinateDescent::default()
        .minimize(&f, &mut w, &mut quiet())
        .unwrap_err()
        .to_string();
    assert!(e.contains("w = 0"), "{e}");
    let e = Method::Dcd
        .minimize(Stop::default(), &f, &mut w, &mut quiet())
        .unwrap_err()
        .to_string();
    assert!(e.contains("dual"), "{e}");
}
