//! Per-call thread pools (`optml::with_threads`): every kernel runs on the calling thread's pool,
//! and a result has the same bits in pools of 1, 2 and 3 threads.

mod common;

use optml::data::Dataset;
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::models::mlp::{Activation, Mlp};
use optml::solvers::{Lbfgs, Newton, NewtonCg, Stop};
use optml::{Curvature, LinearOperator, Objective};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const POOLS: [usize; 3] = [1, 2, 3];

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Runs `work` in each pool of [`POOLS`] and asserts the results are the same bits.
fn same_bits_in_every_pool(what: &str, work: impl Fn() -> Vec<f64> + Send + Sync) {
    let runs: Vec<Vec<u64>> = POOLS
        .iter()
        .map(|&t| bits(&optml::with_threads(t, &work).unwrap()))
        .collect();
    assert!(!runs[0].is_empty());
    for (t, r) in POOLS.iter().zip(&runs).skip(1) {
        let differ = r.iter().zip(&runs[0]).filter(|(a, b)| a != b).count();
        assert!(
            differ == 0,
            "{what}: {differ} of {} values differ between 1 and {t} threads",
            r.len()
        );
    }
}

#[test]
fn with_threads_installs_a_pool_of_that_size() {
    for t in POOLS {
        assert_eq!(
            optml::with_threads(t, rayon::current_num_threads).unwrap(),
            t
        );
    }
    // Nested calls get their own pool.
    let inner = optml::with_threads(3, || {
        optml::with_threads(1, rayon::current_num_threads).unwrap()
    });
    assert_eq!(inner.unwrap(), 1);
}

/// Large enough that every kernel splits its work (more than 2¹⁵ stored entries).
fn glm_data(loss: Loss, sparse: bool) -> Dataset {
    common::random_dataset(4000, 40, sparse, 11, move |_, rng| match loss {
        Loss::Softmax => rng.random_range(0..4) as f64,
        _ => {
            if rng.random::<bool>() {
                1.0
            } else {
                -1.0
            }
        }
    })
}

/// The fitted weights, the final value and gradient, and the iteration and evaluation counts.
fn fit(data: &Dataset, loss: Loss) -> Vec<f64> {
    let spec = GlmSpec {
        loss,
        ridge: Ridge::C(1.0),
        intercept: true,
        ..Default::default()
    };
    let (f, _) = spec.objective(data).unwrap();
    let mut w = vec![0.0; f.dim()];
    let stop = Stop::relative(1e-8);
    let r = NewtonCg {
        stop,
        ..Default::default()
    }
    .minimize(&f, &mut w, &mut optml::monitor::quiet())
    .unwrap();
    assert!(r.status.converged(), "{loss}: {:?}", r.status);
    let mut g = vec![0.0; f.dim()];
    let fx = f.value_grad(&w, &mut g);
    let mut out = w;
    out.extend(g);
    out.extend([fx, r.iterations as f64, r.hv_products as f64]);
    out
}

#[test]
fn glm_fits_are_the_same_bits_in_every_pool() {
    for (loss, sparse) in [
        (Loss::Logistic, false),
        (Loss::Logistic, true),
        (Loss::LeastSquares, true),
        (Loss::Softmax, false),
        (Loss::Softmax, true),
    ] {
        let data = glm_data(loss, sparse);
        let what = format!("{loss} {}", if sparse { "sparse" } else { "dense" });
        same_bits_in_every_pool(&what, || fit(&data, loss));
    }
}

#[test]
fn glm_newton_on_the_dense_hessian_is_the_same_bits_in_every_pool() {
    for loss in [Loss::Logistic, Loss::Softmax] {
        let data = glm_data(loss, false);
        same_bits_in_every_pool(&format!("Newton {loss}"), || {
            let spec = GlmSpec {
                loss,
                ridge: Ridge::C(1.0),
                intercept: true,
                ..Default::default()
            };
            let (f, _) = spec.objective(&data).unwrap();
            let mut w = vec![0.0; f.dim()];
            Newton {
                stop: Stop::relative(1e-8),
                ..Default::default()
            }
            .minimize(&f, &mut w, &mut optml::monitor::quiet())
            .unwrap();
            w
        });
    }
}

#[test]
fn glm_lbfgs_is_the_same_bits_in_every_pool() {
    let data = glm_data(Loss::Logistic, true);
    same_bits_in_every_pool("L-BFGS", || {
        let spec = GlmSpec {
            loss: Loss::Logistic,
            ridge: Ridge::C(1.0),
            intercept: true,
            ..Default::default()
        };
        let (f, _) = spec.objective(&data).unwrap();
        let mut w = vec![0.0; f.dim()];
        Lbfgs {
            stop: Stop::relative(1e-8),
            ..Default::default()
        }
        .minimize(&f, &mut w, &mut optml::monitor::quiet())
        .unwrap();
        w
    });
}

/// A 32-64-32-10 network on 3000 samples: products large enough for faer to split.
fn mlp(activation: Activation) -> Mlp {
    let (n, d) = (3000, 32);
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let x: Vec<f64> = (0..n * d).map(|_| rng.random_range(-1.0..1.0)).collect();
    let y: Vec<f64> = (0..n).map(|i| (i % 10) as f64).collect();
    Mlp::classifier(&[d, 64, 32, 10], activation, n, &x, &y)
        .unwrap()
        .with_l2(1e-3)
        .unwrap()
}

#[test]
fn mlp_gradients_and_curvature_products_are_the_same_bits_in_every_pool() {
    for act in [Activation::Tanh, Activation::Gelu] {
        let f = mlp(act);
        let theta = f.init(1);
        let v: Vec<f64> = {
            let mut rng = ChaCha8Rng::seed_from_u64(2);
            (0..f.dim()).map(|_| rng.random_range(-1.0..1.0)).collect()
        };
        same_bits_in_every_pool(&format!("MLP {act:?} gradient"), || {
            let mut g = vec![0.0; f.dim()];
            let fx = f.value_grad(&theta, &mut g);
            g.push(fx);
            g
        });
        same_bits_in_every_pool(&format!("MLP {act:?} Hessian product"), || {
            let mut hv = vec![0.0; f.dim()];
            f.hessian(&theta).apply(&v, &mut hv);
            hv
        });
        same_bits_in_every_pool(&format!("MLP {act:?} Gauss-Newton product"), || {
            let mut hv = vec![0.0; f.dim()];
            f.gauss_newton(&theta).apply(&v, &mut hv);
            hv
        });
    }
}

/// Softmax with an unpenalized intercept has a flat direction (every intercept moved by the same
/// constant): `fit_glm` keeps Σₖ bₖ = 0, and the whole model has the same bits in every pool.
#[test]
fn softmax_with_intercept_fits_the_same_model_in_every_pool() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/digits.svm");
    let data = optml::data::read_libsvm(&path, &Default::default()).unwrap();
    let spec = GlmSpec {
        loss: Loss::Softmax,
        ridge: Ridge::C(10.0),
        intercept: true,
        ..Default::default()
    };
    // L-BFGS for 300 iterations, and dense Newton (a Cholesky factorization per step) for 4,
    // converged or not: the bits must agree either way.
    let fit_with = |method, max_iter| {
        let choice = optml::fit::Choice::Use(method);
        let stop = Stop {
            max_iter,
            ..Stop::relative(1e-8)
        };
        let (model, _) =
            optml::fit::fit_glm(&data, &spec, choice, stop, &mut optml::monitor::quiet()).unwrap();
        model.weights
    };
    let fit = || fit_with(optml::solvers::Method::Lbfgs, 300);
    same_bits_in_every_pool("softmax + intercept on digits, L-BFGS", fit);
    same_bits_in_every_pool("softmax + intercept on digits, Newton", || {
        fit_with(optml::solvers::Method::Newton, 4)
    });
    let w = fit();
    let b = &w[w.len() - 10..];
    let sum: f64 = b.iter().sum();
    let size: f64 = b.iter().map(|v| v.abs()).sum();
    assert!(
        sum.abs() <= 1e-12 * size.max(1.0),
        "Σb = {sum} for b = {b:?}"
    );
}
