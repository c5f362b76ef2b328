//! Composite problems: prox operators, proximal gradient, FISTA and proximal Newton on
//! L1, elastic-net and group-lasso GLMs.

mod common;

use optml::data::{parse_groups, Dataset};
use optml::fit::{fit_glm, Choice, CompositeMethod};
use optml::models::glm::{GlmModel, GlmSpec, Loss, Penalty, Ridge};
use optml::monitor::quiet;
use optml::objective::Objective;
use optml::prox::{ElasticNet, GroupLasso, Regularizer};
use optml::solvers::{Fista, ProximalNewton, Report, Stop};
use proptest::prelude::*;

/// Standardized copy: every feature scaled to unit standard deviation (no centering, so
/// sparsity is kept); raw breast-cancer features span six orders of magnitude and FISTA
/// would need ~10⁶ iterations to 1e-12.
fn standardized(data: &Dataset) -> Dataset {
    use optml::linalg::{DenseMatrix, Design};
    let (n, d) = (data.n_samples(), data.n_features());
    let mut x = vec![0.0; n * d];
    for i in 0..n {
        data.x.dense_row(i, &mut x[i * d..(i + 1) * d]);
    }
    for j in 0..d {
        let mean = (0..n).map(|i| x[i * d + j]).sum::<f64>() / n as f64;
        let var = (0..n).map(|i| (x[i * d + j] - mean).powi(2)).sum::<f64>() / n as f64;
        let s = if var > 0.0 { var.sqrt() } else { 1.0 };
        for i in 0..n {
            x[i * d + j] /= s;
        }
    }
    Dataset {
        x: Design::Dense(DenseMatrix::from_row_major(n, d, x).unwrap()),
        y: data.y.clone(),
        source: None,
    }
}

/// The data loss plus a ridge ‖W‖²/2, which keeps f strongly convex so that FISTA reaches
/// 1e-10 in a few thousand iterations; h then adds the non-smooth part.
fn unit_ridge(loss: Loss, intercept: bool) -> GlmSpec {
    GlmSpec {
        loss,
        ridge: Ridge::C(1.0),
        intercept,
        ..Default::default()
    }
}

fn fit(
    data: &Dataset,
    spec: &GlmSpec,
    p: &Penalty,
    m: CompositeMethod,
    tol: f64,
) -> (Vec<f64>, Report) {
    let (w, r) = fit_budget(data, spec, p, m, tol, 1000);
    assert!(r.status.converged(), "{m}: {}", r.status);
    (w, r)
}

fn fit_budget(
    data: &Dataset,
    spec: &GlmSpec,
    p: &Penalty,
    m: CompositeMethod,
    tol: f64,
    max_iter: usize,
) -> (Vec<f64>, Report) {
    let stop = Stop {
        max_iter,
        ..Stop::relative(tol)
    };
    let spec = GlmSpec {
        penalty: Some(p.clone()),
        ..spec.clone()
    };
    let (model, r) = fit_glm(data, &spec, Choice::Composite(m), stop, &mut quiet()).unwrap();
    println!(
        "{m}: {} iters, {} gradients, {} Hv, F = {:.15e}, opt = {:.2e}, {:.3} s",
        r.iterations, r.g_evals, r.hv_products, r.f, r.grad_norm, r.seconds
    );
    (model.weights, r)
}

/// Proximal Newton and FISTA agree: objective, support and coefficients.
fn agree(data: &Dataset, spec: &GlmSpec, p: &Penalty, fista_factor: usize) {
    let (wn, rn) = fit(data, spec, p, CompositeMethod::ProxNewton, 1e-10);
    let (wf, rf) = fit_budget(data, spec, p, CompositeMethod::Fista, 1e-12, 20_000);
    assert!(
        (rn.f - rf.f).abs() <= 1e-10 * rf.f.abs(),
        "{} vs {}",
        rn.f,
        rf.f
    );
    let support = |w: &[f64]| -> Vec<usize> { (0..w.len()).filter(|&j| w[j] != 0.0).collect() };
    assert_eq!(support(&wn), support(&wf));
    let diff = wn
        .iter()
        .zip(&wf)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(diff <= 1e-6, "coefficients differ by {diff}");
    assert!(rn.f <= rf.f + 1e-12 * rf.f.abs());
    assert!(
        rn.g_evals * fista_factor <= rf.g_evals,
        "prox-newton {} gradients, fista {}",
        rn.g_evals,
        rf.g_evals
    );
}

#[test]
fn l1_logistic_breast_cancer_newton_matches_fista_and_kkt() {
    let data = standardized(&common::fixture("breast_cancer.svm"));
    let spec = unit_ridge(Loss::Logistic, true);
    let lambda = 2.0;
    let p = Penalty::l1(lambda);
    agree(&data, &spec, &p, 5);
    // KKT: |∇f_j| ≤ λ on zeros, ∇f_j = −λ·sign(w_j) on nonzeros, 0 on the intercept.
    let (w, _) = fit(&data, &spec, &p, CompositeMethod::ProxNewton, 1e-10);
    let glm = unregularized(&data, &spec);
    let mut g = vec![0.0; w.len()];
    glm.value_grad(&w, &mut g);
    let d = data.n_features();
    let nz = (0..d).filter(|&j| w[j] != 0.0).count();
    assert!(nz > 0 && nz < d, "support {nz} of {d}");
    for j in 0..d {
        if w[j] == 0.0 {
            assert!(
                g[j].abs() <= lambda * (1.0 + 1e-8),
                "zero {j}: |g| = {}",
                g[j].abs()
            );
        } else {
            assert!((g[j] + lambda * w[j].signum()).abs() <= 1e-8, "nonzero {j}");
        }
    }
    assert!(g[d].abs() <= 1e-8);
}

/// The smooth part f of the composite fit.
fn unregularized<'a>(data: &'a Dataset, spec: &GlmSpec) -> optml::models::glm::Glm<'a> {
    spec.objective(data).unwrap().0
}

#[test]
fn elastic_net_breast_cancer_agrees() {
    let data = standardized(&common::fixture("breast_cancer.svm"));
    let p = Penalty::ElasticNet {
        lambda: 3.0,
        alpha: 0.5,
    };
    agree(&data, &unit_ridge(Loss::Logistic, true), &p, 3);
}

#[test]
fn group_lasso_breast_cancer_agrees_and_kkt() {
    let data = standardized(&common::fixture("breast_cancer.svm"));
    // The 30 features are 10 measurements × (mean, error, worst): group by measurement.
    let groups: Vec<Vec<usize>> = (0..10).map(|m| vec![m, m + 10, m + 20]).collect();
    let lambda = 4.0;
    let p = Penalty::GroupLasso {
        lambda,
        groups: groups.clone(),
    };
    let spec = unit_ridge(Loss::Logistic, true);
    agree(&data, &spec, &p, 3);
    let (w, _) = fit(&data, &spec, &p, CompositeMethod::ProxNewton, 1e-10);
    let glm = unregularized(&data, &spec);
    let mut g = vec![0.0; w.len()];
    glm.value_grad(&w, &mut g);
    let c = lambda * 3f64.sqrt();
    let mut zeros = 0;
    for grp in &groups {
        let wn = grp.iter().map(|&j| w[j] * w[j]).sum::<f64>().sqrt();
        let gn = grp.iter().map(|&j| g[j] * g[j]).sum::<f64>().sqrt();
        if wn == 0.0 {
            zeros += 1;
            assert!(gn <= c * (1.0 + 1e-8));
        } else {
            for &j in grp {
                assert!((g[j] + c * w[j] / wn).abs() <= 1e-8);
            }
        }
    }
    assert!(zeros > 0 && zeros < groups.len(), "{zeros} zero groups");
}

#[test]
fn lambda_above_max_gradient_gives_zero() {
    let data = common::fixture("breast_cancer.svm");
    let spec = unit_ridge(Loss::Logistic, false);
    let glm = unregularized(&data, &spec);
    let mut g = vec![0.0; glm.dim()];
    glm.value_grad(&vec![0.0; glm.dim()], &mut g);
    let lmax = g.iter().fold(0.0f64, |a, b| a.max(b.abs()));
    for m in CompositeMethod::ALL {
        let (w, _) = fit(&data, &spec, &Penalty::l1(lmax * 1.0001), m, 1e-8);
        assert!(w.iter().all(|&v| v == 0.0), "{m}");
    }
    // Just below λ_max, something enters.
    let (w, _) = fit(
        &data,
        &spec,
        &Penalty::l1(lmax * 0.9),
        CompositeMethod::ProxNewton,
        1e-8,
    );
    assert!(w.iter().any(|&v| v != 0.0));
}

/// Without a ridge F = Σ loss + λ‖W‖₁ exactly: the KKT conditions hold for the loss alone, and
/// the model file records no ridge and the penalty, and reads back equal.
#[test]
fn lasso_without_ridge_kkt_and_model_file() {
    let data = standardized(&common::fixture("breast_cancer.svm"));
    let lambda = 2.0;
    let spec = GlmSpec {
        loss: Loss::Logistic,
        ridge: Ridge::choose(None, None, true).unwrap(),
        penalty: Some(Penalty::l1(lambda)),
        intercept: true,
        sample_weight: None,
    };
    assert_eq!(spec.ridge, Ridge::None);
    let (model, r) = fit_glm(
        &data,
        &spec,
        Choice::Auto,
        Stop::relative(1e-10),
        &mut quiet(),
    )
    .unwrap();
    assert_eq!(r.solver.to_string(), "prox-newton");
    assert!(r.status.converged(), "{}", r.status);
    let loss_only = GlmSpec {
        penalty: None,
        ..spec.clone()
    };
    let (f, _) = loss_only.objective(&data).unwrap();
    let w = &model.weights;
    let mut g = vec![0.0; w.len()];
    let value = f.value_grad(w, &mut g);
    let l1: f64 = w[..30].iter().map(|v| v.abs()).sum();
    assert!(
        (value + lambda * l1 - r.f).abs() <= 1e-12 * r.f,
        "{value} + λ·{l1} vs {}",
        r.f
    );
    for j in 0..30 {
        if w[j] == 0.0 {
            assert!(g[j].abs() <= lambda * (1.0 + 1e-8), "zero {j}");
        } else {
            assert!((g[j] + lambda * w[j].signum()).abs() <= 1e-8, "nonzero {j}");
        }
    }
    // With the unit ridge the minimizer differs: the ridge is really gone.
    let (ridged, _) = fit_glm(
        &data,
        &GlmSpec {
            ridge: Ridge::C(1.0),
            ..spec.clone()
        },
        Choice::Auto,
        Stop::relative(1e-10),
        &mut quiet(),
    )
    .unwrap();
    assert!(ridged
        .weights
        .iter()
        .zip(w)
        .any(|(a, b)| (a - b).abs() > 1e-3));

    assert_eq!(model.ridge, Ridge::None);
    assert_eq!(model.penalty, Some(Penalty::l1(lambda)));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    model.save(&path).unwrap();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(file["format_version"], 2);
    assert_eq!(file["ridge"], "none");
    assert_eq!(file["penalty"]["l1"]["lambda"], lambda);
    assert_eq!(GlmModel::load(&path).unwrap(), model);
}

/// A smooth solver with a penalty, or a composite solver without one, is refused, and the
/// message names both the solver and the regularization.
#[test]
fn solver_and_penalty_must_match() {
    let data = common::fixture("breast_cancer.svm");
    let lasso = GlmSpec {
        ridge: Ridge::None,
        penalty: Some(Penalty::l1(1.0)),
        ..Default::default()
    };
    let stop = Stop::relative(1e-6);
    let e = fit_glm(
        &data,
        &lasso,
        Choice::Use(optml::solvers::Method::Lbfgs),
        stop,
        &mut quiet(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("lbfgs") && e.contains("l1 λ=1"), "{e}");
    let e = fit_glm(
        &data,
        &GlmSpec::default(),
        Choice::Composite(CompositeMethod::Fista),
        stop,
        &mut quiet(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("fista") && e.contains("ridge C=1"), "{e}");
    // A penalty that does not fit the data is refused before any work.
    let bad = GlmSpec {
        penalty: Some(Penalty::GroupLasso {
            lambda: 1.0,
            groups: vec![vec![0, 30]],
        }),
        ..Default::default()
    };
    let e = fit_glm(&data, &bad, Choice::Auto, stop, &mut quiet())
        .unwrap_err()
        .to_string();
    assert!(e.contains("feature 30"), "{e}");
}

#[test]
fn generic_solvers_with_ridge_glm() {
    // With a ridge term and the dense model path of ProximalNewton::minimize.
    let data = standardized(&common::fixture("breast_cancer.svm"));
    let (f, _) = GlmSpec {
        ridge: Ridge::C(1.0),
        ..Default::default()
    }
    .objective(&data)
    .unwrap();
    let h = ElasticNet::l1(1.0, 30, 30).unwrap();
    let mut a = vec![0.0; 30];
    let ra = ProximalNewton {
        stop: Stop::relative(1e-10),
        ..Default::default()
    }
    .minimize(&f, &h, &mut a, &mut quiet())
    .unwrap();
    let mut b = vec![0.0; 30];
    let rb = Fista {
        stop: Stop {
            max_iter: 20_000,
            ..Stop::relative(1e-12)
        },
        ..Default::default()
    }
    .minimize(&f, &h, &mut b, &mut quiet())
    .unwrap();
    println!("{ra:?}\n{rb:?}");
    assert!(ra.status.converged(), "{}", ra.status);
    assert!((ra.f - rb.f).abs() <= 1e-10 * rb.f.abs());
    // Strongly convex: FISTA with restart converges linearly to 1e-12 and to the same point.
    assert!(rb.status.converged(), "{}", rb.status);
    let diff = a
        .iter()
        .zip(&b)
        .map(|(u, v)| (u - v).abs())
        .fold(0.0, f64::max);
    assert!(diff <= 1e-6, "coefficients differ by {diff}");
}

#[test]
fn groups_are_validated() {
    assert!(GroupLasso::new(1.0, vec![vec![0, 1], vec![1, 2]], 3).is_err());
    assert!(GroupLasso::new(1.0, vec![vec![0, 3]], 3).is_err());
    assert!(GroupLasso::new(1.0, vec![vec![]], 3).is_err());
    assert!(GroupLasso::new(-1.0, vec![vec![0]], 3).is_err());
    assert!(ElasticNet::new(1.0, 0.0, 3, 3).is_err());
    let path = std::path::Path::new("g.txt");
    let g = parse_groups("1\n2\n1\n0\n", path, 4).unwrap();
    assert_eq!(g, vec![vec![0, 2], vec![1]]);
    let e = parse_groups("1\nx\n", path, 2).unwrap_err().to_string();
    assert!(e.contains("g.txt:2"), "{e}");
    let e = parse_groups("1\n2\n3\n", path, 2).unwrap_err().to_string();
    assert!(e.contains("g.txt:3"), "{e}");
    assert!(parse_groups("1\n", path, 2).is_err());
}

/// (v − p)/t ∈ ∂h(p): the min-norm element of −(v − p)/t + ∂h(p) is 0.
fn prox_optimal(h: &impl Regularizer, t: f64, v: &[f64]) -> f64 {
    let mut p = vec![0.0; v.len()];
    h.prox(t, v, &mut p);
    let g: Vec<f64> = v.iter().zip(&p).map(|(a, b)| -(a - b) / t).collect();
    h.optimality(&p, &g) / (1.0 + g.iter().map(|x| x.abs()).fold(0.0, f64::max))
}

proptest! {
    #[test]
    fn elastic_net_prox_is_optimal(
        v in prop::collection::vec(-5.0f64..5.0, 1..8),
        lambda in 0.0f64..3.0,
        alpha in 0.05f64..1.0,
        t in 0.01f64..3.0,
    ) {
        let n = v.len();
        let h = ElasticNet::new(lambda, alpha, n - 1, n).unwrap();
        prop_assert!(prox_optimal(&h, t, &v) <= 1e-12);
    }

    #[test]
    fn group_prox_is_optimal(
        v in prop::collection::vec(-5.0f64..5.0, 6),
        lambda in 0.0f64..3.0,
        t in 0.01f64..3.0,
    ) {
        let h = GroupLasso::new(lambda, vec![vec![0, 2, 4], vec![1]], 6).unwrap();
        prop_assert!(prox_optimal(&h, t, &v) <= 1e-12);
    }
}
