//! Escaping a strict saddle: f(x) = ¼‖xxᵀ − uuᵀ‖²_F in d = 100 from x = 0 (where ∇f = 0 and
//! λ_min(∇²f) = −‖u‖²) and from a point near it. Gradient descent stays at 0; perturbed GD, ARC
//! and Newton-CG with negative-curvature steps reach a global minimum ±u.

use optml::models::testfns::RankOneFactorization;
use optml::monitor::quiet;
use optml::objective::{Curvature, LinearOperator, Objective};
use optml::solvers::{
    AdaptiveCubic, GradientDescent, Method, NegativeCurvatureNewton, PerturbedGd, Report, Stop,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const D: usize = 100;

fn problem() -> RankOneFactorization {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let u: Vec<f64> = (0..D).map(|_| rng.random_range(-1.0..1.0)).collect();
    let s = u.iter().map(|v| v * v).sum::<f64>().sqrt();
    RankOneFactorization::new(u.iter().map(|v| v / s).collect()).unwrap()
}

/// 0 and a point at distance 10⁻⁶ from it.
fn starts() -> [Vec<f64>; 2] {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let near: Vec<f64> = (0..D).map(|_| 1e-7 * rng.random_range(-1.0..1.0)).collect();
    [vec![0.0; D], near]
}

/// At a global minimum: f < 10⁻¹⁰ and x = ±u.
fn at_global_minimum(f: &RankOneFactorization, x: &[f64], r: &Report, what: &str) {
    let fx = f.value(x);
    assert!(fx < 1e-10, "{what}: f = {fx:e}, {r:?}");
    assert!((fx - r.f).abs() <= 1e-15, "{what}");
    let dist = |sign: f64| {
        x.iter()
            .zip(f.u())
            .map(|(a, b)| (a - sign * b).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    assert!(dist(1.0).min(dist(-1.0)) < 1e-4, "{what}");
}

#[test]
fn derivatives_match_finite_differences() {
    let f = problem();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for _ in 0..3 {
        let x: Vec<f64> = (0..D).map(|_| rng.random_range(-0.3..0.3)).collect();
        let v: Vec<f64> = (0..D).map(|_| rng.random_range(-1.0..1.0)).collect();
        let mut g = vec![0.0; D];
        let fx = f.value_grad(&x, &mut g);
        assert_eq!(fx, f.value(&x));
        // Directional derivative and Hessian-vector product by central differences.
        let h = 1e-5;
        let shifted = |t: f64| -> Vec<f64> { x.iter().zip(&v).map(|(a, b)| a + t * b).collect() };
        let fd = (f.value(&shifted(h)) - f.value(&shifted(-h))) / (2.0 * h);
        let dd: f64 = g.iter().zip(&v).map(|(a, b)| a * b).sum();
        assert!((fd - dd).abs() <= 1e-8 * (1.0 + dd.abs()), "{fd} vs {dd}");
        let (mut gp, mut gm) = (vec![0.0; D], vec![0.0; D]);
        f.value_grad(&shifted(h), &mut gp);
        f.value_grad(&shifted(-h), &mut gm);
        let mut hv = vec![0.0; D];
        let hess = f.hessian(&x);
        hess.apply(&v, &mut hv);
        for i in 0..D {
            let fd = (gp[i] - gm[i]) / (2.0 * h);
            assert!((fd - hv[i]).abs() <= 1e-7 * (1.0 + hv[i].abs()), "{i}");
        }
        let dense = hess.to_dense();
        let diag = hess.diagonal().unwrap();
        for i in 0..D {
            assert!((dense[(i, i)] - diag[i]).abs() < 1e-14);
        }
    }
    // The saddle: ∇f(0) = 0 and ∇²f(0) = −uuᵀ.
    let mut g = vec![1.0; D];
    assert!((f.value_grad(&[0.0; D], &mut g) - 0.25).abs() < 1e-15);
    assert!(g.iter().all(|&v| v == 0.0));
    let mut hu = vec![0.0; D];
    f.hessian(&[0.0; D]).apply(f.u(), &mut hu);
    for (a, b) in hu.iter().zip(f.u()) {
        assert!((a + b).abs() < 1e-15);
    }
}

#[test]
fn gradient_descent_stays_at_the_saddle() {
    let f = problem();
    for method in [Method::Gd, Method::Agd, Method::Ncg, Method::Lbfgs] {
        let mut x = vec![0.0; D];
        let r = method
            .minimize(Stop::absolute(1e-10), &f, &mut x, &mut quiet())
            .unwrap();
        assert!(r.status.converged() && r.iterations == 0, "{method}: {r:?}");
        assert!(x.iter().all(|&v| v == 0.0));
        assert_eq!(r.f, f.value(&[0.0; D]));
    }
    let mut x = vec![0.0; D];
    let r = GradientDescent::default()
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
    assert_eq!((r.f, r.second_order), (f.value(&[0.0; D]), None));
}

#[test]
fn perturbed_gradient_descent_escapes() {
    let f = problem();
    // On the ball ‖x‖ ≤ 1.5, which the iterates stay in.
    let (ell, rho) = f.smoothness(1.5);
    let pgd = PerturbedGd {
        ell,
        rho,
        eps: 1e-4,
        delta_f: 0.25,
        seed: 3,
        ..Default::default()
    };
    let k = pgd.constants(D).unwrap();
    for (i, x0) in starts().into_iter().enumerate() {
        let mut x = x0;
        let r = pgd.minimize(&f, &mut x, &mut quiet()).unwrap();
        at_global_minimum(&f, &x, &r, &format!("pgd from start {i}"));
        assert!(
            r.status.converged() && r.second_order == Some(true),
            "{r:?}"
        );
        assert!(r.grad_norm <= k.g_thres);
        // The run ends by the paper's test: t_thres steps after the last perturbation.
        assert!(r.iterations >= k.t_thres);
    }
}

#[test]
fn arc_escapes_along_negative_curvature() {
    let f = problem();
    for (i, x0) in starts().into_iter().enumerate() {
        let mut x = x0;
        let r = AdaptiveCubic {
            stop: Stop::absolute(1e-9),
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        at_global_minimum(&f, &x, &r, &format!("arc from start {i}"));
        assert!(r.status.converged(), "{r:?}");
        assert_eq!(r.second_order, Some(true));
        // λ_min(∇²f(±u)) = ‖u‖² = 1 (the eigenvalues are 1, …, 1, 2).
        assert!((r.min_eigenvalue.unwrap() - 1.0).abs() < 1e-6, "{r:?}");
        assert_eq!(r.hessian, Some("exact"));
    }
    // Without the second-order test ARC stops at once at 0, where g = 0.
    let mut x = vec![0.0; D];
    let r = AdaptiveCubic {
        eigen_tol: None,
        ..Default::default()
    }
    .minimize(&f, &mut x, &mut quiet())
    .unwrap();
    assert_eq!((r.iterations, r.second_order), (0, None));
    assert!(x.iter().all(|&v| v == 0.0));
}

#[test]
fn negative_curvature_newton_escapes() {
    let f = problem();
    for (i, x0) in starts().into_iter().enumerate() {
        let mut x = x0;
        let r = NegativeCurvatureNewton {
            stop: Stop::absolute(1e-9),
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        at_global_minimum(&f, &x, &r, &format!("newton-nc from start {i}"));
        assert!(
            r.status.converged() && r.second_order == Some(true),
            "{r:?}"
        );
        assert!((r.min_eigenvalue.unwrap() - 1.0).abs() < 1e-6);
    }
    // Plain Newton-CG stays at the saddle.
    let mut x = vec![0.0; D];
    let r = Method::NewtonCg
        .minimize(Stop::absolute(1e-9), &f, &mut x, &mut quiet())
        .unwrap();
    assert_eq!(r.iterations, 0);
    assert!(x.iter().all(|&v| v == 0.0));
}
