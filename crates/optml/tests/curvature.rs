//! Spectral tools checked against the exact spectrum: the digits softmax-regression Hessian at a
//! trained point (650 parameters, formed densely and diagonalized), diagonal operators with a
//! known spectrum, and ridge riding on landscapes with known minima.

use std::path::PathBuf;

use optml::curvature::{
    gradient_start, hutch_plus_plus, hutchinson, krylov_trace, path_string, DenseSpectrum, Lanczos,
    PowerIteration, RidgeRider, Slq, Which,
};
use optml::data::{read_npy, read_npy_vector, Dataset, NpyOptions};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::models::testfns::RankOneFactorization;
use optml::objective::{Curvature, LinearOperator, Objective};
use optml::Error;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/digits-mlp")
}

/// Digits (1797 × 64, pixels/16), labels 0..9.
fn digits() -> Dataset {
    let dir = data_dir();
    read_npy(
        &dir.join("digits_X.npy"),
        &NpyOptions {
            labels: Some(dir.join("digits_y.npy")),
            ..Default::default()
        },
    )
    .unwrap()
}

/// Mean cross-entropy of softmax regression with intercepts, no regularization: the digits-mlp
/// workload.
fn softmax_spec(n: usize) -> GlmSpec {
    GlmSpec {
        loss: Loss::Softmax,
        ridge: Ridge::None,
        penalty: None,
        intercept: true,
        sample_weight: Some(vec![1.0 / n as f64; n]),
    }
}

fn trained() -> Vec<f64> {
    read_npy_vector(&data_dir().join("softmax_trained.npy")).unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// A diagonal operator: its spectrum is its entries.
struct Diag(Vec<f64>);

impl LinearOperator for Diag {
    fn dim(&self) -> usize {
        self.0.len()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        for ((o, d), x) in out.iter_mut().zip(&self.0).zip(v) {
            *o = d * x;
        }
    }
}

#[test]
fn digits_hessian_product_matches_finite_differences() {
    let data = digits();
    let (f, _) = softmax_spec(data.n_samples()).objective(&data).unwrap();
    let w = trained();
    assert_eq!(w.len(), 650);
    let n = w.len();
    let v: Vec<f64> = (0..n)
        .map(|i| ((i * 7919) % 13) as f64 / 13.0 - 0.5)
        .collect();
    let mut hv = vec![0.0; n];
    f.hessian(&w).apply(&v, &mut hv);
    let eps = 1e-5;
    let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
    let wp: Vec<f64> = w.iter().zip(&v).map(|(a, b)| a + eps * b).collect();
    let wm: Vec<f64> = w.iter().zip(&v).map(|(a, b)| a - eps * b).collect();
    f.value_grad(&wp, &mut gp);
    f.value_grad(&wm, &mut gm);
    let err = hv
        .iter()
        .zip(gp.iter().zip(&gm))
        .map(|(h, (p, m))| (h - (p - m) / (2.0 * eps)).abs())
        .fold(0.0, f64::max);
    let scale = hv.iter().fold(0.0f64, |m, h| m.max(h.abs()));
    assert!(
        err <= 1e-6 * scale,
        "HVP vs finite differences: {err} (scale {scale})"
    );
    // The gradient at the trained point is small: it is (near) a minimum.
    let mut g = vec![0.0; n];
    let loss = f.value_grad(&w, &mut g);
    assert!(loss.is_finite() && loss > 0.0 && loss < 0.1, "loss {loss}");
}

#[test]
fn digits_lanczos_matches_dense_spectrum() {
    let data = digits();
    let (f, _) = softmax_spec(data.n_samples()).objective(&data).unwrap();
    let h = f.hessian(&trained());
    let exact = DenseSpectrum::of(&h).unwrap();
    let n = exact.values.len();
    let lmax = exact.values[n - 1];

    let top = Lanczos {
        k: 5,
        which: Which::Largest,
        ..Default::default()
    }
    .run(&h)
    .unwrap();
    assert!(top.converged);
    for (i, v) in top.values.iter().enumerate() {
        let e = exact.values[n - 1 - i];
        assert!(rel(*v, e) <= 1e-6, "top {i}: {v} vs {e}");
    }
    // The Ritz vectors are eigenvectors: ‖Hy − θy‖ small.
    let mut hy = vec![0.0; n];
    h.apply(&top.vectors[0], &mut hy);
    let r: f64 = hy
        .iter()
        .zip(&top.vectors[0])
        .map(|(a, y)| (a - top.values[0] * y).powi(2))
        .sum::<f64>()
        .sqrt();
    assert!(r <= 1e-6 * lmax, "residual {r}");

    let power = PowerIteration {
        top_n: 5,
        ..Default::default()
    }
    .run(&h)
    .unwrap();
    eprintln!(
        "top-5: Lanczos {} products, power iteration {} products (PyHessian's rule)",
        top.products, power.products
    );
    assert!(top.products > 0 && power.products > 0);
    assert!(top.products < power.products);
    let worst = power
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| rel(*v, exact.values[n - 1 - i]))
        .fold(0.0, f64::max);
    eprintln!("power iteration top-5 worst relative error {worst:.2e}");

    // The bottom: the unregularized softmax Hessian is singular (a (d+1)-dimensional null space
    // from the shift invariance of the softmax, and constant pixels), so the bottom five are
    // zeros; deflation runs find the copies a single Krylov space cannot hold.
    let bottom = Lanczos {
        k: 5,
        which: Which::Smallest,
        deflation_runs: 5,
        ..Default::default()
    }
    .run(&h)
    .unwrap();
    eprintln!("bottom-5: Lanczos {} products", bottom.products);
    for (i, v) in bottom.values.iter().enumerate() {
        let e = exact.values[i];
        assert!(
            (v - e).abs() <= 1e-6 * e.abs().max(lmax),
            "bottom {i}: {v} vs {e}"
        );
    }
}

/// Eigenvalues to 1e-6 by the r²/gap estimate cost fewer products than residuals to 1e-8, and
/// are as accurate as asked; a start from the gradient (plus noise) is at least as good.
#[test]
fn eigenvalue_tolerance_and_gradient_start() {
    let data = digits();
    let (f, _) = softmax_spec(data.n_samples()).objective(&data).unwrap();
    // Away from the optimum, where the gradient is not noise.
    let w: Vec<f64> = trained().iter().map(|v| 0.5 * v).collect();
    let h = f.hessian(&w);
    let exact = DenseSpectrum::of(&h).unwrap();
    let n = exact.values.len();
    let worst = |values: &[f64]| {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| rel(*v, exact.values[n - 1 - i]))
            .fold(0.0, f64::max)
    };
    let base = Lanczos {
        k: 5,
        which: Which::Largest,
        ..Default::default()
    };
    let residual = base.run(&h).unwrap();
    let values = Lanczos {
        value_tol: Some(1e-6),
        ..base.clone()
    }
    .run(&h)
    .unwrap();
    let mut g = vec![0.0; n];
    f.value_grad(&w, &mut g);
    let start = gradient_start(&g, 0);
    assert_eq!(start, gradient_start(&g, 0), "same seed, same start");
    let from_gradient = Lanczos {
        value_tol: Some(1e-6),
        start: Some(start),
        ..base.clone()
    }
    .run(&h)
    .unwrap();
    eprintln!(
        "top-5 products: residual stop {}, eigenvalue stop {}, from the gradient {}",
        residual.products, values.products, from_gradient.products
    );
    assert!(worst(&residual.values) <= 1e-10);
    assert!(worst(&values.values) <= 1e-6, "{:e}", worst(&values.values));
    assert!(worst(&from_gradient.values) <= 1e-6);
    assert!(values.products < residual.products);
    assert!(from_gradient.products <= values.products + 1);

    // An exact eigenvector as the start: one product, then an invariant subspace.
    let top = Lanczos {
        start: Some(exact.vector(n - 1)),
        ..base.clone()
    };
    let one = Lanczos { k: 1, ..top }.run(&h).unwrap();
    assert_eq!(one.products, 1);
    assert!(rel(one.values[0], exact.values[n - 1]) <= 1e-12);
    // A zero gradient gives a random unit start; a wrong-length start is refused.
    let z = gradient_start(&vec![0.0; n], 3);
    assert!((z.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() <= 1e-12);
    let short = Lanczos {
        start: Some(vec![1.0; n - 1]),
        ..base
    };
    assert!(matches!(short.run(&h), Err(Error::InvalidInput(_))));
}

#[test]
fn digits_trace_and_density() {
    let data = digits();
    let (f, _) = softmax_spec(data.n_samples()).objective(&data).unwrap();
    let h = f.hessian(&trained());
    let exact = DenseSpectrum::of(&h).unwrap();
    let tr = exact.trace();
    let n = exact.values.len() as f64;

    let pp = hutch_plus_plus(&h, 99, 1).unwrap();
    assert_eq!(pp.products, 99);
    assert!(
        (pp.estimate - tr).abs() <= 3.0 * pp.std_error,
        "Hutch++ {} ± {} vs {tr}",
        pp.estimate,
        pp.std_error
    );
    // Root-mean-square errors over seeds, at equal products.
    let seeds = 0..8u64;
    let rms = |est: &dyn Fn(u64) -> f64| {
        (seeds.clone().map(|s| (est(s) - tr).powi(2)).sum::<f64>() / 8.0).sqrt()
    };
    let e_pp = rms(&|s| hutch_plus_plus(&h, 99, s).unwrap().estimate);
    let e_h = rms(&|s| hutchinson(&h, 99, s).unwrap().estimate);
    let e_k = rms(&|s| krylov_trace(&h, 99, s).unwrap().estimate);
    eprintln!(
        "trace {tr:.6}: relative rms error Hutch++ {:.2e}, Hutchinson {:.2e}, Krylov {:.2e} (99 products)",
        e_pp / tr,
        e_h / tr,
        e_k / tr
    );
    assert!(e_pp < e_h);
    assert!(e_k < e_pp);
    let kt = krylov_trace(&h, 99, 5).unwrap();
    assert_eq!(kt.products, 99);
    assert!((kt.estimate - tr).abs() <= 3.0 * kt.std_error);
    let hu = hutchinson(&h, 99, 3).unwrap();
    assert!((hu.estimate - tr).abs() <= 4.0 * hu.std_error);

    let slq = Slq {
        probes: 8,
        steps: 60,
        ..Default::default()
    }
    .run(&h)
    .unwrap();
    assert_eq!(slq.products, 8 * 60);
    assert!(
        (slq.integral() - 1.0).abs() < 1e-3,
        "∫φ = {}",
        slq.integral()
    );
    for w in &slq.weights {
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-10);
    }
    let (mean, se) = slq.mean();
    assert!(
        (mean - tr / n).abs() <= 3.0 * se,
        "SLQ mean {mean} ± {se} vs {}",
        tr / n
    );
    // The extreme nodes approach the extreme eigenvalues.
    let top_node = slq.nodes.iter().flatten().copied().fold(f64::MIN, f64::max);
    assert!(rel(top_node, exact.values[exact.values.len() - 1]) < 1e-6);
}

#[test]
fn diagonal_operator_is_exact() {
    let values: Vec<f64> = (0..60).map(|i| -7.5 + 0.25 * i as f64).collect();
    let d = Diag(values.clone());
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let tr: f64 = values.iter().sum();

    let dense = DenseSpectrum::of(&d).unwrap();
    assert_eq!(dense.values, sorted);

    for (which, want) in [
        (Which::Largest, vec![7.25, 7.0, 6.75]),
        (Which::Smallest, vec![-7.5, -7.25, -7.0]),
        // ±7.25 tie in magnitude: which comes first is not specified, so compare as sets.
        (Which::Magnitude, vec![-7.5, -7.25, 7.25]),
    ] {
        let e = Lanczos {
            k: 3,
            which,
            tol: 1e-10,
            ..Default::default()
        }
        .run(&d)
        .unwrap();
        let mut got = e.values.clone();
        let mut want = want;
        if which == Which::Magnitude {
            got.sort_by(f64::total_cmp);
            want.sort_by(f64::total_cmp);
        }
        for (v, w) in got.iter().zip(&want) {
            assert!(
                (v - w).abs() < 1e-9,
                "{which:?}: {:?} vs {want:?}",
                e.values
            );
        }
    }
    // Hutchinson with ±1 probes is exact on a diagonal: zᵀDz = Σ dᵢ.
    let hu = hutchinson(&d, 5, 0).unwrap();
    assert!((hu.estimate - tr).abs() < 1e-12 && hu.std_error < 1e-12);
    // Hutch++ with ≥ 3n products spans the space.
    let pp = hutch_plus_plus(&d, 180, 0).unwrap();
    assert!((pp.estimate - tr).abs() < 1e-9 && pp.std_error < 1e-9);
    // The Krylov estimator with 2n products spans the space too.
    let kt = krylov_trace(&d, 120, 0).unwrap();
    assert!(
        (kt.estimate - tr).abs() < 1e-9 && kt.std_error < 1e-9,
        "{kt:?}"
    );
    // SLQ with n steps: the nodes are the eigenvalues, the mean exactly tr/n.
    let slq = Slq {
        probes: 2,
        steps: 60,
        ..Default::default()
    }
    .run(&d)
    .unwrap();
    for (nodes, weights) in slq.nodes.iter().zip(&slq.weights) {
        assert_eq!(nodes.len(), 60);
        for (x, s) in nodes.iter().zip(&sorted) {
            assert!((x - s).abs() < 1e-9);
        }
        for w in weights {
            assert!((w - 1.0 / 60.0).abs() < 1e-9);
        }
    }
    assert!((slq.mean().0 - tr / 60.0).abs() < 1e-12);
    // Power iteration returns the largest magnitude: here the most negative eigenvalue.
    let p = PowerIteration {
        top_n: 1,
        max_iter: 1000,
        tol: 1e-9,
        seed: 0,
    }
    .run(&d)
    .unwrap();
    assert!((p.values[0] + 7.5).abs() < 1e-3, "{:?}", p.values);
}

#[test]
fn repeated_eigenvalues_need_deflation_runs() {
    let mut values = vec![5.0, 5.0, 5.0];
    values.extend((0..40).map(|i| i as f64 / 10.0));
    let d = Diag(values);
    let opts = Lanczos {
        k: 3,
        which: Which::Largest,
        ..Default::default()
    };
    // A single Krylov space holds one copy of 5 in exact arithmetic (rounding may or may not
    // add more); the deflation runs find all three.
    let single = opts.run(&d).unwrap();
    assert!((single.values[0] - 5.0).abs() < 1e-9);
    let deflated = Lanczos {
        deflation_runs: 3,
        ..opts
    }
    .run(&d)
    .unwrap();
    for v in &deflated.values {
        assert!((v - 5.0).abs() < 1e-9, "{:?}", deflated.values);
    }
}

#[test]
fn bad_input_gives_typed_errors() {
    let d = Diag(vec![1.0, 2.0]);
    assert!(matches!(
        Lanczos {
            k: 3,
            ..Default::default()
        }
        .run(&d),
        Err(Error::InvalidInput(_))
    ));
    assert!(hutch_plus_plus(&d, 2, 0).is_err());
    assert!(hutchinson(&d, 0, 0).is_err());
    assert!(krylov_trace(&d, 1, 0).is_err());
    let nan = Diag(vec![1.0, f64::NAN]);
    assert!(matches!(
        Lanczos::default().run(&nan),
        Err(Error::NonFinite(_))
    ));
    assert!(matches!(Slq::default().run(&nan), Err(Error::NonFinite(_))));
    assert!(DenseSpectrum::of(&Diag(vec![])).is_err());
}

#[test]
fn ridge_riding_finds_both_minima_of_the_rank_one_saddle() {
    let u = vec![0.6, -0.3, 0.5, 0.2, -0.4];
    let uu: f64 = u.iter().map(|x| x * x).sum();
    let f = RankOneFactorization::new(u.clone()).unwrap();
    let report = RidgeRider::default().run(&f, &[0.0; 5]).unwrap();
    assert_eq!(report.saddle_curvature.len(), 1);
    assert!((report.saddle_curvature[0] + uu).abs() < 1e-10);
    assert_eq!(report.minima.len(), 2, "{:?}", report.minima);
    for m in &report.minima {
        assert!(m.f < 1e-12 && m.lambda_min > 0.0);
        let sign = m.x[0].signum();
        for (x, ui) in m.x.iter().zip(&u) {
            assert!((x - sign * ui).abs() < 1e-6);
        }
    }
    assert!(report.minima[0].x[0] * report.minima[1].x[0] < 0.0);
}

/// f(x) = Σ aᵢ·(xᵢ² − 1)²: 2^d minima at x ∈ {±1}^d, a saddle of index d at 0.
struct DoubleWell(Vec<f64>);

struct DiagHessian(Vec<f64>);

impl LinearOperator for DiagHessian {
    fn dim(&self) -> usize {
        self.0.len()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        Diag(self.0.clone()).apply(v, out)
    }
}

impl Objective for DoubleWell {
    fn dim(&self) -> usize {
        self.0.len()
    }
    fn value(&self, x: &[f64]) -> f64 {
        x.iter()
            .zip(&self.0)
            .map(|(x, a)| a * (x * x - 1.0).powi(2))
            .sum()
    }
    fn value_grad(&self, x: &[f64], g: &mut [f64]) -> f64 {
        for ((g, x), a) in g.iter_mut().zip(x).zip(&self.0) {
            *g = 4.0 * a * x * (x * x - 1.0);
        }
        self.value(x)
    }
}

impl Curvature for DoubleWell {
    type Hessian<'a> = DiagHessian;
    fn hessian(&self, x: &[f64]) -> DiagHessian {
        DiagHessian(
            x.iter()
                .zip(&self.0)
                .map(|(x, a)| a * (12.0 * x * x - 4.0))
                .collect(),
        )
    }
}

#[test]
fn ridge_riding_finds_all_minima_of_a_double_well() {
    let f = DoubleWell(vec![1.0, 2.0, 3.0]);
    let x = [0.3, -0.7, 1.1];
    let mut g = [0.0; 3];
    f.value_grad(&x, &mut g);
    let mut h = [0.0; 3];
    f.hessian(&x).apply(&[1.0, 1.0, 1.0], &mut h);
    for i in 0..3 {
        let mut xp = x;
        xp[i] += 1e-6;
        let mut xm = x;
        xm[i] -= 1e-6;
        assert!(((f.value(&xp) - f.value(&xm)) / 2e-6 - g[i]).abs() < 1e-6);
        let (mut gp, mut gm) = ([0.0; 3], [0.0; 3]);
        f.value_grad(&xp, &mut gp);
        f.value_grad(&xm, &mut gm);
        assert!(((gp[i] - gm[i]) / 2e-6 - h[i]).abs() < 1e-5);
    }
    let report = RidgeRider {
        max_depth: 3,
        ..Default::default()
    }
    .run(&f, &[0.0; 3])
    .unwrap();
    assert_eq!(report.saddle_curvature, vec![-12.0, -8.0, -4.0]);
    assert_eq!(report.minima.len(), 8, "{:?}", report.minima);
    for m in &report.minima {
        assert!(m.f < 1e-12 && m.grad_norm < 1e-8);
        assert!(m.x.iter().all(|x| (x.abs() - 1.0).abs() < 1e-6));
        assert_eq!(m.path.len(), m.depth);
    }
    // Each minimum has its own branch path, and the two signs of the most negative direction
    // (a = 3, the last coordinate) at the start lead to opposite x₂.
    let paths: std::collections::HashSet<String> =
        report.minima.iter().map(|m| path_string(&m.path)).collect();
    assert_eq!(paths.len(), 8, "{paths:?}");
    let first_sign = |sign: i8| -> Vec<f64> {
        report
            .minima
            .iter()
            .filter(|m| m.path[0].eigen == 0 && m.path[0].sign == sign)
            .map(|m| m.x[2].signum())
            .collect()
    };
    let (plus, minus) = (first_sign(1), first_sign(-1));
    assert!(!plus.is_empty() && !minus.is_empty());
    assert!(plus.iter().all(|s| *s == plus[0]) && minus.iter().all(|s| *s == -plus[0]));
}
