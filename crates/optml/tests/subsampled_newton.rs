//! Sub-sampled Newton (`optml::solvers::SubsampledNewton`) and the GLM's sub-sampled Hessian:
//! products against finite differences, published and independently computed optima, and the
//! Hessian work saved on a large sample.

mod common;

use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::quiet;
use optml::objective::{Curvature, FiniteSum, LinearOperator, Objective, SampledCurvature};
use optml::solvers::{Method, NewtonCg, SampleSize, Stop, SubsampledNewton};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// ‖H_B·v − FD of ∇f_B along v‖ / (1 + ‖H_B·v‖): the batch Hessian is the Hessian of the batch
/// objective f_B = (n/|B|)·Σ_{i∈B} ℓᵢ + λ‖W‖²/2.
fn batch_hessian_error(f: &impl SampledCurvature, w: &[f64], batch: &[usize]) -> f64 {
    let p = w.len();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let v: Vec<f64> = (0..p).map(|_| rng.random_range(-1.0..1.0)).collect();
    let mut hv = vec![0.0; p];
    f.hessian_batch(w, batch).apply(&v, &mut hv);
    let eps = 1e-5;
    let grad_at = |t: f64| {
        let x: Vec<f64> = w.iter().zip(&v).map(|(a, b)| a + t * b).collect();
        let mut g = vec![0.0; p];
        f.value_grad_batch(&x, batch, &mut g);
        g
    };
    let (gp, gm) = (grad_at(eps), grad_at(-eps));
    let diff: f64 = (0..p)
        .map(|j| (hv[j] - (gp[j] - gm[j]) / (2.0 * eps)).powi(2))
        .sum::<f64>()
        .sqrt();
    diff / (1.0 + optml::linalg::norm(&hv))
}

#[test]
fn batch_hessian_matches_finite_differences_and_the_full_hessian() {
    let digits = common::fixture("digits.svm");
    let mut binary = digits.clone();
    binary.y = digits
        .y
        .iter()
        .map(|&c| if c >= 5.0 { 1.0 } else { -1.0 })
        .collect();
    for (loss, data) in [
        (Loss::Softmax, &digits),
        (Loss::Logistic, &binary),
        (Loss::SquaredHinge, &binary),
        (Loss::LeastSquares, &binary),
    ] {
        let spec = GlmSpec {
            loss,
            ridge: Ridge::C(0.5),
            intercept: true,
            ..Default::default()
        };
        let (f, _) = spec.objective(data).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let w: Vec<f64> = (0..f.dim())
            .map(|_| rng.random_range(-0.05..0.05))
            .collect();
        let batch: Vec<usize> = (0..f.n_terms()).filter(|i| i % 7 == 3).collect();
        let err = batch_hessian_error(&f, &w, &batch);
        assert!(err < 1e-6, "{loss}: batch H·v error {err:e}");
        // The whole sample gives the full Hessian.
        let all: Vec<usize> = (0..f.n_terms()).collect();
        let v: Vec<f64> = (0..f.dim()).map(|_| rng.random_range(-1.0..1.0)).collect();
        let (mut a, mut b) = (vec![0.0; f.dim()], vec![0.0; f.dim()]);
        f.hessian_batch(&w, &all).apply(&v, &mut a);
        f.hessian(&w).apply(&v, &mut b);
        let gap = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        assert!(
            gap <= 1e-10 * (1.0 + optml::linalg::norm(&b)),
            "{loss}: {gap:e}"
        );
    }
}

#[test]
fn reaches_the_breast_cancer_and_digits_softmax_optima() {
    let stop = Stop {
        tol: 1e-10,
        max_iter: 2000,
        ..Stop::default()
    };
    // Breast cancer, logistic, C = 1: the published LIBLINEAR-form optimum.
    let data = common::fixture("breast_cancer.svm");
    let spec = GlmSpec {
        loss: Loss::Logistic,
        ridge: Ridge::C(1.0),
        ..Default::default()
    };
    let f_star = 59.16243276027;
    let (_, r) = fit_glm(
        &data,
        &spec,
        Choice::Use(Method::SubsampledNewton),
        stop,
        &mut quiet(),
    )
    .unwrap();
    let rel = (r.f - f_star).abs() / f_star;
    println!(
        "breast_cancer: {} iterations, {} sub-sampled H·v, {:.1} passes, rel err {rel:.1e}",
        r.iterations, r.hv_products, r.passes
    );
    assert!(r.status.converged() && rel <= 1e-8, "{r:?}");
    // Digits softmax with intercepts, C = 0.1, against a dense Newton run.
    let data = common::fixture("digits.svm");
    let spec = GlmSpec {
        loss: Loss::Softmax,
        ridge: Ridge::C(0.1),
        intercept: true,
        ..Default::default()
    };
    let (_, reference) = fit_glm(
        &data,
        &spec,
        Choice::Use(Method::Newton),
        stop,
        &mut quiet(),
    )
    .unwrap();
    let (f, _) = spec.objective(&data).unwrap();
    let mut w = vec![0.0; f.dim()];
    // A gradient 10⁻⁷ of its start is already within 10⁻¹⁰ of f* here; the sub-sampled
    // Hessian then converges linearly, so tighter tests only cost time.
    let r = SubsampledNewton {
        stop: Stop::relative(1e-7),
        sample: SampleSize::Fraction(0.2),
        seed: 3,
        ..Default::default()
    }
    .minimize(&f, &mut w, &mut quiet())
    .unwrap();
    let rel = (r.f - reference.f).abs() / reference.f;
    println!(
        "digits softmax: {} iterations, {} sub-sampled H·v, {:.1} passes, rel err {rel:.1e} \
         against Newton's {:.12}",
        r.iterations, r.hv_products, r.passes, reference.f
    );
    assert!(
        reference.status.converged() && r.status.converged() && rel <= 1e-8,
        "{r:?}"
    );
}

#[test]
fn touches_fewer_hessian_rows_than_newton_cg_on_a_large_sample() {
    let (n, d) = (20_000, 20);
    let truth: Vec<f64> = (0..d).map(|j| ((j as f64) * 0.7).cos()).collect();
    let data = common::random_dataset(n, d, false, 11, |_, rng| {
        if rng.random::<f64>() < 0.5 {
            1.0
        } else {
            -1.0
        }
    });
    // Labels from a noisy linear model, so the optimum is not at 0.
    let mut data = data;
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    for i in 0..n {
        let z = data.x.row_dot(i, &truth) + rng.random_range(-1.0..1.0);
        data.y[i] = if z > 0.0 { 1.0 } else { -1.0 };
    }
    let spec = GlmSpec {
        loss: Loss::Logistic,
        ridge: Ridge::C(1.0),
        ..Default::default()
    };
    let (f, _) = spec.objective(&data).unwrap();
    let stop = Stop::relative(1e-8);
    let mut w_ncg = vec![0.0; d];
    let ncg = NewtonCg {
        stop,
        ..Default::default()
    }
    .minimize(&f, &mut w_ncg, &mut quiet())
    .unwrap();
    let sample = 400;
    let mut w = vec![0.0; d];
    let ssn = SubsampledNewton {
        stop,
        sample: SampleSize::Count(sample),
        ..Default::default()
    }
    .minimize(&f, &mut w, &mut quiet())
    .unwrap();
    let (rows_ncg, rows_ssn) = (ncg.hv_products * n, ssn.hv_products * sample);
    println!(
        "n = {n}: newton-cg {} iterations, {} H·v = {rows_ncg} rows, {:.1} passes; \
         subsampled-newton (|S| = {sample}) {} iterations, {} H·v = {rows_ssn} rows, {:.1} passes",
        ncg.iterations, ncg.hv_products, ncg.passes, ssn.iterations, ssn.hv_products, ssn.passes
    );
    assert!(ncg.status.converged() && ssn.status.converged(), "{ssn:?}");
    assert!(
        (ssn.f - ncg.f).abs() <= 1e-8 * ncg.f,
        "{} vs {}",
        ssn.f,
        ncg.f
    );
    assert!(rows_ssn * 2 < rows_ncg, "{rows_ssn} vs {rows_ncg}");
}

#[test]
fn bad_input_is_an_error() {
    let data = common::fixture("breast_cancer.svm");
    let (f, _) = GlmSpec::default().objective(&data).unwrap();
    for sample in [
        SampleSize::Fraction(0.0),
        SampleSize::Fraction(1.5),
        SampleSize::Fraction(f64::NAN),
        SampleSize::Count(0),
    ] {
        let s = SubsampledNewton {
            sample,
            ..Default::default()
        };
        assert!(s.minimize(&f, &mut vec![0.0; 30], &mut quiet()).is_err());
    }
    assert!(SubsampledNewton::default()
        .minimize(&f, &mut [0.0; 3], &mut quiet())
        .is_err());
    // Not a finite sum: refused by name, with a clear error.
    let g = optml::models::testfns::Mgh::new(optml::models::testfns::MghProblem::Rosenbrock);
    let e = Method::SubsampledNewton
        .minimize(Stop::default(), &g, &mut g.start(), &mut quiet())
        .unwrap_err();
    assert!(e.to_string().contains("finite-sum"), "{e}");
    assert_eq!(
        "subsampled-newton".parse::<Method>().unwrap(),
        Method::SubsampledNewton
    );
    assert_eq!(SampleSize::Count(10_000).of(50).unwrap(), 50);
}
