//! Ridge riding on a small tanh MLP from its maximally invariant saddle: the start is stationary
//! with negative curvature, and the rides reach several distinct minima, each checked with the
//! exact dense Hessian.

use optml::curvature::{DenseSpectrum, RidgeRider};
use optml::data::synthetic::circle_blobs;
use optml::linalg::norm;
use optml::models::mlp::{Activation, Mlp};
use optml::{Curvature, Objective};

/// The 2-3-3 tanh classifier of the example on 90 blob points.
fn blob_mlp() -> Mlp {
    let (x, y) = circle_blobs(3, 30, 0.6, 1);
    Mlp::classifier(&[2, 3, 3], Activation::Tanh, y.len(), &x, &y)
        .unwrap()
        .with_l2(1e-3)
        .unwrap()
}

/// Runs `f` on a one-thread pool (the problem is tiny).
fn single_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    optml::with_threads(1, f).unwrap()
}

fn grad_norm(f: &impl Objective, x: &[f64]) -> (f64, f64) {
    let mut g = vec![0.0; x.len()];
    let v = f.value_grad(x, &mut g);
    (v, norm(&g))
}

#[test]
fn symmetric_saddle_is_stationary_with_negative_curvature() {
    let mlp = blob_mlp();
    let theta = mlp.symmetric_saddle().unwrap();
    let (f0, g0) = grad_norm(&mlp, &theta);
    assert!((f0 - 3f64.ln()).abs() < 1e-12, "{f0}");
    assert!(g0 < 1e-12, "{g0}");
    let s = DenseSpectrum::of(&mlp.hessian(&theta)).unwrap();
    // Each negative eigenvalue is repeated once per hidden unit (the permutation symmetry).
    let negative: Vec<f64> = s.values.iter().copied().filter(|v| *v < -1e-8).collect();
    assert_eq!(negative.len(), 6, "{:?}", s.values);
    for group in negative.chunks(3) {
        assert!((group[0] - group[2]).abs() < 1e-10, "{negative:?}");
    }
    assert!(negative[0] < -0.1);
}

#[test]
fn symmetric_saddle_of_a_regressor_and_missing_classes() {
    let (x, y) = circle_blobs(3, 5, 0.5, 3);
    let t: Vec<f64> = y.iter().flat_map(|&c| [c, c * c - 1.0]).collect();
    let mlp = Mlp::regressor(&[2, 4, 2], Activation::Sigmoid, y.len(), &x, &t).unwrap();
    let theta = mlp.symmetric_saddle().unwrap();
    assert!(grad_norm(&mlp, &theta).1 < 1e-12);
    let b = &theta[theta.len() - 2..];
    assert!(
        (b[0] - 1.0).abs() < 1e-12 && (b[1] - 2.0 / 3.0).abs() < 1e-12,
        "{b:?}"
    );
    // Class 2 has no sample: the constant model's optimum is at −∞.
    let labels: Vec<f64> = y.iter().map(|&c| c.min(1.0)).collect();
    let mlp = Mlp::classifier(&[2, 4, 3], Activation::Tanh, y.len(), &x, &labels).unwrap();
    assert!(mlp.symmetric_saddle().is_err());
}

#[test]
fn same_function_sees_through_permutations_and_sign_flips() {
    let mlp = blob_mlp();
    let a = mlp.init(5);
    // θ = W₁ (3×2), b₁ (3), W₂ (3×3), b₂ (3): swap units 0 and 2, then flip unit 1.
    let mut b = a.clone();
    let (w1, b1, w2) = (0, 6, 9);
    for c in 0..2 {
        b.swap(w1 + c, w1 + 4 + c);
    }
    b.swap(b1, b1 + 2);
    for r in 0..3 {
        b.swap(w2 + 3 * r, w2 + 3 * r + 2);
    }
    for i in [w1 + 2, w1 + 3, b1 + 1, w2 + 1, w2 + 4, w2 + 7] {
        b[i] = -b[i];
    }
    // A common shift of the logits leaves the softmax unchanged.
    for v in &mut b[18..] {
        *v += 0.5;
    }
    assert!(mlp.same_function(&a, &b, 1e-12).unwrap());
    assert!((mlp.value(&a) - mlp.value(&b)).abs() < 1e-12);
    b[0] += 1e-3;
    assert!(!mlp.same_function(&a, &b, 1e-6).unwrap());
    assert!(mlp.same_function(&a, &b[1..], 1e-6).is_err());
}

fn ride(mlp: &Mlp, theta0: &[f64]) -> optml::curvature::RidgeReport {
    let rider = RidgeRider {
        max_depth: 3,
        branches: 2,
        ..Default::default()
    };
    rider
        .run_modulo(mlp, theta0, |a, b| mlp.same_function(a, b, 1e-6))
        .unwrap()
}

#[test]
fn ridge_riding_reaches_distinct_minima_of_an_mlp() {
    let mlp = blob_mlp();
    let theta0 = mlp.symmetric_saddle().unwrap();
    let (f0, _) = grad_norm(&mlp, &theta0);
    let report = single_thread(|| ride(&mlp, &theta0));
    assert_eq!(report.saddle_curvature.len(), 2);
    assert!(report.saddle_curvature[0] < -0.1);
    assert!(report.minima.len() >= 2, "{:?}", report.minima.len());
    let ends: usize = report.minima.iter().map(|m| m.hits).sum();
    assert_eq!(ends, 4usize.pow(3));
    for m in &report.minima {
        let (f, g) = grad_norm(&mlp, &m.x);
        assert_eq!(f, m.f);
        assert!(g <= 1e-6 && m.grad_norm <= 1e-6, "{g}");
        assert!(f < f0 - 0.5, "{f} vs the saddle's {f0}");
        let s = DenseSpectrum::of(&mlp.hessian(&m.x)).unwrap();
        assert!(s.values[0] >= -1e-6, "{:?}", &s.values[..3]);
        // The softmax's common shift of the logits is the one flat direction.
        assert!(s.values[1] > 1e-5, "{:?}", &s.values[..3]);
        assert_eq!(m.path.len(), 3);
    }
    for (i, a) in report.minima.iter().enumerate() {
        for b in &report.minima[i + 1..] {
            assert!(!mlp.same_function(&a.x, &b.x, 1e-4).unwrap());
            assert!(a.f <= b.f);
        }
    }
    // Same start, same options: the same minima, bit for bit.
    let again = single_thread(|| ride(&mlp, &theta0));
    assert_eq!(again.minima.len(), report.minima.len());
    for (a, b) in report.minima.iter().zip(&again.minima) {
        assert_eq!(a.x, b.x);
        assert_eq!(a.path, b.path);
        assert_eq!(a.hits, b.hits);
    }
}

/// Above `dense_limit` the eigenpairs come from Lanczos: the same guarantees at the end points.
#[test]
fn ridge_riding_with_lanczos_eigenpairs_also_reaches_minima() {
    let mlp = blob_mlp();
    let theta0 = mlp.symmetric_saddle().unwrap();
    let f0 = mlp.value(&theta0);
    let rider = RidgeRider {
        max_depth: 3,
        branches: 2,
        dense_limit: 0,
        ..Default::default()
    };
    let report = single_thread(|| {
        rider
            .run_modulo(&mlp, &theta0, |a, b| mlp.same_function(a, b, 1e-6))
            .unwrap()
    });
    assert!(report.saddle_curvature[0] < -0.1);
    assert!(report.minima.len() >= 2, "{}", report.minima.len());
    for m in &report.minima {
        let (f, g) = grad_norm(&mlp, &m.x);
        assert!(g <= 1e-6 && f < f0 - 0.5, "{f} {g}");
        let s = DenseSpectrum::of(&mlp.hessian(&m.x)).unwrap();
        assert!(
            s.values[0] >= -1e-6 && s.values[1] > 1e-5,
            "{:?}",
            &s.values[..3]
        );
    }
}
