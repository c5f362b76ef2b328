//! Gradients and Hessian-vector products of every GLM against finite differences.

mod common;

use common::{gradient_error, hessian_vector_error, random_dataset};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::objective::{Curvature, LinearOperator, Objective};
use proptest::prelude::*;

fn labels_for(loss: Loss) -> impl Fn(usize, &mut rand_chacha::ChaCha8Rng) -> f64 {
    use rand::Rng;
    move |_, rng| match loss {
        Loss::Softmax => rng.random_range(0..4) as f64,
        Loss::LeastSquares => rng.random_range(-3.0..3.0),
        _ => {
            if rng.random::<bool>() {
                1.0
            } else {
                -1.0
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn gradient_and_hessian_match_finite_differences(
        loss_ix in 0usize..4,
        sparse in any::<bool>(),
        intercept in any::<bool>(),
        weighted in any::<bool>(),
        c in 0.05f64..20.0,
        seed in 0u64..1000,
    ) {
        let loss = Loss::ALL[loss_ix];
        let (n, d) = (23, 7);
        let data = random_dataset(n, d, sparse, seed, labels_for(loss));
        let sample_weight = weighted.then(|| (0..n).map(|i| 0.5 + (i % 3) as f64).collect());
        let spec = GlmSpec { loss, ridge: Ridge::C(c), penalty: None, intercept, sample_weight };
        let (f, _) = spec.objective(&data).unwrap();
        let dim = f.dim();
        let x: Vec<f64> = (0..dim).map(|j| ((j * 7 + seed as usize) % 11) as f64 * 0.1 - 0.5).collect();
        prop_assert!(gradient_error(&f, &x) < 1e-6, "gradient error {}", gradient_error(&f, &x));
        if loss != Loss::SquaredHinge {
            // The squared hinge has a generalized Hessian only; checked on a smooth point below.
            let v: Vec<f64> = (0..dim).map(|j| ((j * 3 + 1) % 5) as f64 - 2.0).collect();
            let h = f.hessian(&x);
            let err = hessian_vector_error(&f, &h, &x, &v);
            prop_assert!(err < 1e-6, "Hv error {err}");
            // The diagonal and the dense form agree with the products.
            let dense = h.to_dense();
            let diag = h.diagonal().unwrap();
            for j in 0..dim {
                let mut e = vec![0.0; dim];
                e[j] = 1.0;
                let mut col = vec![0.0; dim];
                h.apply(&e, &mut col);
                prop_assert!((diag[j] - col[j]).abs() <= 1e-9 * (1.0 + col[j].abs()));
                for i in 0..dim {
                    prop_assert!((dense[(i, j)] - col[i]).abs() <= 1e-9 * (1.0 + col[i].abs()));
                }
            }
        }
    }
}

#[test]
fn squared_hinge_hessian_matches_away_from_kinks() {
    // At w = 0 every margin is 0 < 1: the loss is quadratic near w and the Hessian exact.
    let data = random_dataset(30, 5, false, 3, labels_for(Loss::SquaredHinge));
    let spec = GlmSpec {
        loss: Loss::SquaredHinge,
        ridge: Ridge::C(2.0),
        penalty: None,
        intercept: true,
        sample_weight: None,
    };
    let (f, _) = spec.objective(&data).unwrap();
    let x = vec![0.0; f.dim()];
    let v = vec![0.01, -0.02, 0.015, 0.0, 0.01, -0.01];
    assert!(hessian_vector_error(&f, &f.hessian(&x), &x, &v) < 1e-7);
}

#[test]
fn losses_do_not_overflow_at_huge_margins() {
    let data = random_dataset(10, 3, false, 9, labels_for(Loss::Logistic));
    for loss in [Loss::Logistic, Loss::Softmax, Loss::SquaredHinge] {
        let mut d = data.clone();
        if loss == Loss::Softmax {
            d.y = (0..10).map(|i| (i % 3) as f64).collect();
        }
        let (f, _) = GlmSpec {
            loss,
            ..Default::default()
        }
        .objective(&d)
        .unwrap();
        for scale in [1e4, -1e4, 1e6] {
            let x = vec![scale; f.dim()];
            let mut g = vec![0.0; f.dim()];
            let v = f.value_grad(&x, &mut g);
            assert!(
                v.is_finite() && g.iter().all(|g| g.is_finite()),
                "{loss} at {scale}"
            );
            let mut hv = vec![0.0; f.dim()];
            f.hessian(&x).apply(&vec![1.0; f.dim()], &mut hv);
            assert!(hv.iter().all(|h| h.is_finite()), "{loss} Hv at {scale}");
        }
    }
}

#[test]
fn line_restriction_matches_full_evaluation() {
    let data = random_dataset(40, 6, true, 5, labels_for(Loss::Logistic));
    let spec = GlmSpec {
        intercept: true,
        ..Default::default()
    };
    let (f, _) = spec.objective(&data).unwrap();
    let x: Vec<f64> = (0..f.dim()).map(|j| j as f64 * 0.1).collect();
    let d: Vec<f64> = (0..f.dim()).map(|j| 1.0 - j as f64 * 0.3).collect();
    let line = f.line(&x, &d);
    for t in [0.0, 0.3, 1.0, 2.5] {
        let xt: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + t * b).collect();
        let mut g = vec![0.0; f.dim()];
        let full = f.value_grad(&xt, &mut g);
        let (v, s) = line.value_slope(t);
        assert!((v - full).abs() <= 1e-12 * full.abs());
        let slope: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        assert!((s - slope).abs() <= 1e-10 * (1.0 + slope.abs()));
    }
}

#[test]
fn finite_sum_batches_average_to_the_objective() {
    let data = random_dataset(12, 4, false, 2, labels_for(Loss::Logistic));
    let spec = GlmSpec {
        ridge: Ridge::C(3.0),
        intercept: true,
        ..Default::default()
    };
    let (f, _) = spec.objective(&data).unwrap();
    use optml::objective::FiniteSum;
    let x = vec![0.3, -0.2, 0.1, 0.5, -0.1];
    let mut g_full = vec![0.0; 5];
    let v_full = f.value_grad(&x, &mut g_full);
    let all: Vec<usize> = (0..12).collect();
    let mut g = vec![0.0; 5];
    let v = f.value_grad_batch(&x, &all, &mut g);
    assert!((v - v_full).abs() < 1e-12 * v_full.abs());
    for (a, b) in g.iter().zip(&g_full) {
        assert!((a - b).abs() < 1e-12 * (1.0 + b.abs()));
    }
}
