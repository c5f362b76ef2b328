//! MLP gradients, R-operator Hessian products and Gauss-Newton products on the digits workload.

use std::path::PathBuf;

use faer::Mat;
use optml::data::{read_npy_matrix, read_npy_vector, Dataset};
use optml::linalg::{dot, norm, DenseMatrix, Design};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::models::mlp::{parse_sizes, Activation, Mlp, MlpLoss, WithGaussNewton};
use optml::solvers::{Lbfgs, NewtonCg, Stop, TrustRegion};
use optml::{Curvature, FiniteSum, LinearOperator, Objective};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/digits-mlp")
        .join(name)
}

/// (n, X row-major, labels).
fn digits() -> (usize, Vec<f64>, Vec<f64>) {
    let (n, d, x) = read_npy_matrix(&data_path("digits_X.npy")).unwrap();
    assert_eq!((n, d), (1797, 64));
    let y = read_npy_vector(&data_path("digits_y.npy")).unwrap();
    (n, x, y)
}

fn params(name: &str) -> Vec<f64> {
    read_npy_vector(&data_path(name)).unwrap()
}

/// The first `n` digits.
fn digits_head(n: usize) -> (Vec<f64>, Vec<f64>) {
    let (_, x, y) = digits();
    (x[..n * 64].to_vec(), y[..n].to_vec())
}

fn full_mlp(act: Activation) -> Mlp {
    let (n, x, y) = digits();
    Mlp::classifier(&[64, 32, 32, 10], act, n, &x, &y).unwrap()
}

fn random_vec(n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    (0..n).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// A small network of each kind on a few digits, with one-hot-ish regression targets for the
/// squared error.
fn small(act: Activation, loss: MlpLoss, l2: f64) -> Mlp {
    let n = 40;
    let (x, y) = digits_head(n);
    let sizes = [64, 6, 5, 10];
    let mlp = match loss {
        MlpLoss::CrossEntropy => Mlp::classifier(&sizes, act, n, &x, &y).unwrap(),
        MlpLoss::SquaredError => {
            let t: Vec<f64> = (0..n * 10)
                .map(|i| {
                    if y[i / 10] as usize == i % 10 {
                        1.0
                    } else {
                        -0.1
                    }
                })
                .collect();
            Mlp::regressor(&sizes, act, n, &x, &t).unwrap()
        }
    };
    mlp.with_l2(l2).unwrap()
}

/// Central differences of f along each coordinate in `coords`, against the gradient.
fn max_gradient_error(f: &impl Objective, x: &[f64], coords: &[usize]) -> f64 {
    let mut g = vec![0.0; x.len()];
    f.value_grad(x, &mut g);
    let mut worst: f64 = 0.0;
    for &j in coords {
        let h = 1e-6;
        let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
        xp[j] += h;
        xm[j] -= h;
        let fd = (f.value(&xp) - f.value(&xm)) / (2.0 * h);
        worst = worst.max((fd - g[j]).abs() / (1e-3 + g[j].abs()));
    }
    worst
}

/// (∇f(x + εv) − ∇f(x − εv)) / 2ε.
fn fd_hvp(f: &impl Objective, x: &[f64], v: &[f64], eps: f64) -> Vec<f64> {
    let n = x.len();
    let xp: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + eps * b).collect();
    let xm: Vec<f64> = x.iter().zip(v).map(|(a, b)| a - eps * b).collect();
    let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
    f.value_grad(&xp, &mut gp);
    f.value_grad(&xm, &mut gm);
    gp.iter()
        .zip(&gm)
        .map(|(p, m)| (p - m) / (2.0 * eps))
        .collect()
}

fn rel_diff(a: &[f64], b: &[f64]) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    norm(&d) / norm(b).max(1e-300)
}

fn max_abs_diff(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
    let mut worst: f64 = 0.0;
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            worst = worst.max((a[(i, j)] - b[(i, j)]).abs());
        }
    }
    worst
}

fn max_abs(a: &Mat<f64>) -> f64 {
    let mut worst: f64 = 0.0;
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            worst = worst.max(a[(i, j)].abs());
        }
    }
    worst
}

#[test]
fn architecture_and_parameter_layout() {
    assert_eq!(parse_sizes("64-32-32-10").unwrap(), vec![64, 32, 32, 10]);
    for bad in ["64", "64-0-10", "64--10", "a-10", "", "64-x"] {
        assert!(parse_sizes(bad).is_err(), "{bad}");
    }
    let mlp = full_mlp(Activation::Tanh);
    assert_eq!(mlp.dim(), 3466);
    assert_eq!(params("mlp_tanh_trained.npy").len(), mlp.dim());
}

#[test]
fn construction_rejects_bad_input() {
    let x = vec![0.5; 3 * 4];
    let a = Activation::Tanh;
    assert!(Mlp::classifier(&[4, 3, 2], a, 3, &x, &[0.0, 1.0, 1.0]).is_ok());
    // wrong label count, label out of range, fractional, negative, NaN
    assert!(Mlp::classifier(&[4, 3, 2], a, 3, &x, &[0.0, 1.0]).is_err());
    assert!(Mlp::classifier(&[4, 3, 2], a, 3, &x, &[0.0, 1.0, 2.0]).is_err());
    assert!(Mlp::classifier(&[4, 3, 2], a, 3, &x, &[0.0, 1.5, 1.0]).is_err());
    assert!(Mlp::classifier(&[4, 3, 2], a, 3, &x, &[0.0, -1.0, 1.0]).is_err());
    assert!(Mlp::classifier(&[4, 3, 2], a, 3, &x, &[0.0, f64::NAN, 1.0]).is_err());
    // one class only, wrong feature count, no samples, non-finite features, bad sizes
    assert!(Mlp::classifier(&[4, 3, 1], a, 3, &x, &[0.0, 0.0, 0.0]).is_err());
    assert!(Mlp::classifier(&[5, 3, 2], a, 3, &x, &[0.0, 1.0, 1.0]).is_err());
    assert!(Mlp::classifier(&[4, 3, 2], a, 0, &[], &[]).is_err());
    let mut xn = x.clone();
    xn[5] = f64::INFINITY;
    assert!(Mlp::classifier(&[4, 3, 2], a, 3, &xn, &[0.0, 1.0, 1.0]).is_err());
    assert!(Mlp::classifier(&[4], a, 3, &x, &[0.0, 1.0, 1.0]).is_err());
    assert!(Mlp::classifier(&[4, 0, 2], a, 3, &x, &[0.0, 1.0, 1.0]).is_err());
    assert!(Mlp::classifier(&[4, usize::MAX, 2], a, 3, &x, &[0.0, 1.0, 1.0]).is_err());
    // regression targets of the wrong size or non-finite
    assert!(Mlp::regressor(&[4, 3, 2], a, 3, &x, &[0.0; 5]).is_err());
    assert!(Mlp::regressor(&[4, 3, 2], a, 3, &x, &[f64::NAN; 6]).is_err());
    let reg = || Mlp::regressor(&[4, 3, 2], a, 3, &x, &[0.0; 6]).unwrap();
    assert!(reg().with_l2(-1.0).is_err() && reg().with_l2(f64::NAN).is_err());
    let reg = reg();
    assert!(reg.outputs(&[0.0; 3], 3, &x).is_err());
    assert!(reg.outputs(&vec![0.0; reg.dim()], 2, &x).is_err());
    assert_eq!(
        reg.outputs(&vec![0.0; reg.dim()], 3, &x).unwrap(),
        vec![0.0; 6]
    );
}

#[test]
fn from_faer_matrix_matches_slices() {
    let (x, y) = digits_head(30);
    let m = Mat::from_fn(30, 64, |i, j| x[i * 64 + j]);
    let a = Mlp::from_mat(
        &[64, 5, 10],
        Activation::Gelu,
        MlpLoss::CrossEntropy,
        m.as_ref(),
        &y,
    )
    .unwrap();
    let b = Mlp::classifier(&[64, 5, 10], Activation::Gelu, 30, &x, &y).unwrap();
    let theta = a.init(3);
    assert_eq!(a.value(&theta), b.value(&theta));
}

#[test]
fn gradient_matches_finite_differences_small_networks() {
    for act in Activation::ALL {
        for loss in [MlpLoss::CrossEntropy, MlpLoss::SquaredError] {
            let f = small(act, loss, 0.01);
            let mut x = f.init(11);
            if act == Activation::Relu {
                // keep units away from the kink for the difference quotient
                x.iter_mut().for_each(|v| *v *= 2.0);
            }
            let coords: Vec<usize> = (0..f.dim()).collect();
            let err = max_gradient_error(&f, &x, &coords);
            assert!(err < 1e-6, "{act} {loss:?}: gradient error {err:e}");
        }
    }
}

#[test]
fn gradient_matches_finite_differences_digits_network() {
    let f = full_mlp(Activation::Tanh);
    let x = params("mlp_tanh_trained.npy");
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let coords: Vec<usize> = (0..40).map(|_| rng.random_range(0..f.dim())).collect();
    let err = max_gradient_error(&f, &x, &coords);
    assert!(err < 1e-6, "gradient error {err:e}");
}

#[test]
fn hvp_matches_finite_differences_small_networks() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for act in Activation::ALL {
        for loss in [MlpLoss::CrossEntropy, MlpLoss::SquaredError] {
            let f = small(act, loss, 0.01);
            let x = f.init(5);
            let v = random_vec(f.dim(), &mut rng);
            let mut hv = vec![0.0; f.dim()];
            f.hessian(&x).apply(&v, &mut hv);
            let eps = if act == Activation::Relu { 1e-8 } else { 1e-5 };
            let err = rel_diff(&hv, &fd_hvp(&f, &x, &v, eps));
            assert!(err < 1e-6, "{act} {loss:?}: HVP error {err:e}");
        }
    }
}

#[test]
fn hvp_matches_finite_differences_digits_networks() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for (act, file, eps) in [
        (Activation::Tanh, "mlp_tanh_trained.npy", 1e-5),
        (Activation::Relu, "mlp_relu_init.npy", 1e-8),
    ] {
        let f = full_mlp(act);
        let x = params(file);
        let h = f.hessian(&x);
        let v = random_vec(f.dim(), &mut rng);
        let mut hv = vec![0.0; f.dim()];
        h.apply(&v, &mut hv);
        let err = rel_diff(&hv, &fd_hvp(&f, &x, &v, eps));
        assert!(err < 1e-6, "{act}: HVP error {err:e}");
        // symmetry uᵀHv = vᵀHu
        let u = random_vec(f.dim(), &mut rng);
        let mut hu = vec![0.0; f.dim()];
        h.apply(&u, &mut hu);
        let (a, b) = (dot(&u, &hv), dot(&v, &hu));
        assert!(
            (a - b).abs() <= 1e-12 * (a.abs() + b.abs()),
            "{act}: {a} vs {b}"
        );
    }
}

#[test]
fn hessian_equals_dense_finite_difference_hessian() {
    let n = 100;
    let (x, y) = digits_head(n);
    let f = Mlp::classifier(&[64, 5, 4, 10], Activation::Tanh, n, &x, &y)
        .unwrap()
        .with_l2(1e-3)
        .unwrap();
    let theta = f.init(9);
    let dim = f.dim();
    let exact = f.hessian(&theta).to_dense();
    let mut fd = Mat::<f64>::zeros(dim, dim);
    let mut e = vec![0.0; dim];
    for j in 0..dim {
        e[j] = 1.0;
        let col = fd_hvp(&f, &theta, &e, 1e-5);
        e[j] = 0.0;
        for i in 0..dim {
            fd[(i, j)] = col[i];
        }
    }
    let scale = max_abs(&exact);
    let err = max_abs_diff(&exact, &fd);
    assert!(
        err < 1e-7 * scale,
        "dense Hessian error {err:e} (scale {scale:e})"
    );
    let asym = max_abs_diff(&exact, &exact.transpose().to_owned());
    assert!(asym < 1e-13 * scale, "asymmetry {asym:e}");
}

#[test]
fn gauss_newton_is_psd_and_exact_for_linear_models() {
    // PSD on a tanh network
    let f = small(Activation::Tanh, MlpLoss::CrossEntropy, 0.0);
    let theta = f.init(4);
    let g = f.gauss_newton(&theta).to_dense();
    let eig = g.self_adjoint_eigenvalues(faer::Side::Lower).unwrap();
    let top = eig.iter().copied().fold(0.0, f64::max);
    let low = eig.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(low > -1e-12 * top, "GGN eigenvalue {low:e} (top {top:e})");
    // the exact Hessian there is indefinite, so the test can tell them apart
    let h = f.hessian(&theta).to_dense();
    let heig = h.self_adjoint_eigenvalues(faer::Side::Lower).unwrap();
    assert!(heig.iter().copied().fold(f64::INFINITY, f64::min) < -1e-8);
    // linear in the parameters (no hidden layer): GGN = H, for both losses
    let n = 60;
    let (x, y) = digits_head(n);
    let t: Vec<f64> = (0..n * 10).map(|i| ((i * 7) % 5) as f64 - 2.0).collect();
    for f in [
        Mlp::regressor(&[64, 10], Activation::Tanh, n, &x, &t).unwrap(),
        Mlp::classifier(&[64, 10], Activation::Tanh, n, &x, &y).unwrap(),
    ] {
        let theta = f.init(8);
        let h = f.hessian(&theta).to_dense();
        let g = f.gauss_newton(&theta).to_dense();
        let err = max_abs_diff(&h, &g);
        assert!(err < 1e-14 * max_abs(&h).max(1.0), "H − GGN {err:e}");
    }
}

#[test]
fn relu_trace_of_hessian_equals_trace_of_gauss_newton() {
    // Small ReLU network, dense: the residual term has a zero diagonal (each layer enters the
    // outputs linearly), so diag H = diag GGN, while H ≠ GGN off the diagonal blocks.
    let n = 200;
    let (x, y) = digits_head(n);
    let f = Mlp::classifier(&[64, 12, 12, 10], Activation::Relu, n, &x, &y).unwrap();
    let theta = f.init(6);
    let h = f.hessian(&theta).to_dense();
    let g = f.gauss_newton(&theta).to_dense();
    let (th, tg) = (
        (0..f.dim()).map(|i| h[(i, i)]).sum::<f64>(),
        (0..f.dim()).map(|i| g[(i, i)]).sum::<f64>(),
    );
    assert!(
        (th - tg).abs() < 1e-12 * th.abs(),
        "tr H = {th}, tr GGN = {tg}"
    );
    for i in 0..f.dim() {
        assert!((h[(i, i)] - g[(i, i)]).abs() < 1e-14 * th.abs());
    }
    assert!(
        max_abs_diff(&h, &g) > 1e-6 * max_abs(&h),
        "H and GGN should differ"
    );

    // The digits ReLU network: diagonal entries at random coordinates, through blocks.
    let f = full_mlp(Activation::Relu);
    let theta = params("mlp_relu_init.npy");
    let dim = f.dim();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let coords: Vec<usize> = (0..16).map(|_| rng.random_range(0..dim)).collect();
    let mut e = vec![0.0; dim * coords.len()];
    for (j, &c) in coords.iter().enumerate() {
        e[j * dim + c] = 1.0;
    }
    let (mut he, mut ge) = (vec![0.0; e.len()], vec![0.0; e.len()]);
    f.hessian(&theta).apply_block(&e, &mut he);
    f.gauss_newton(&theta).apply_block(&e, &mut ge);
    for (j, &c) in coords.iter().enumerate() {
        let (a, b) = (he[j * dim + c], ge[j * dim + c]);
        assert!(
            (a - b).abs() <= 1e-12 * a.abs().max(1e-12),
            "coord {c}: {a} vs {b}"
        );
    }
}

#[test]
fn block_products_equal_single_products() {
    let f = full_mlp(Activation::Tanh);
    let theta = params("mlp_tanh_trained.npy");
    let dim = f.dim();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let k = 4;
    let v = random_vec(dim * k, &mut rng);
    for op in [f.hessian(&theta), f.gauss_newton(&theta)] {
        let mut block = vec![0.0; dim * k];
        op.apply_block(&v, &mut block);
        for j in 0..k {
            let mut single = vec![0.0; dim];
            op.apply(&v[j * dim..(j + 1) * dim], &mut single);
            let err = rel_diff(&block[j * dim..(j + 1) * dim], &single);
            assert!(err < 1e-13, "exact={} column {j}: {err:e}", op.is_exact());
        }
        // the faer form
        let vm = Mat::from_fn(dim, k, |i, j| v[j * dim + i]);
        let mut out = Mat::<f64>::zeros(dim, k);
        op.apply_many(vm.as_ref(), out.as_mut());
        assert!((0..k).all(|j| (0..dim).all(|i| out[(i, j)] == block[j * dim + i])));
    }
}

/// The passes reuse buffers from earlier ones (of other shapes and contents): the products and
/// gradients must not depend on what ran before, nor on other threads using the same operator.
#[test]
fn reused_buffers_and_concurrent_products_match_fresh_ones() {
    let f = full_mlp(Activation::Tanh);
    let theta = params("mlp_tanh_trained.npy");
    let dim = f.dim();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let vs: Vec<Vec<f64>> = (0..4).map(|_| random_vec(dim, &mut rng)).collect();
    // On a network that has run nothing yet, every buffer is fresh.
    let mut fresh_grad = vec![0.0; dim];
    f.value_grad(&theta, &mut fresh_grad);
    let fresh: Vec<Vec<f64>> = {
        let h = f.hessian(&theta);
        vs.iter()
            .map(|v| {
                let mut out = vec![0.0; dim];
                h.apply(v, &mut out);
                out
            })
            .collect()
    };
    // Fill the pool with buffers of other sizes and contents.
    let other = random_vec(dim, &mut rng);
    let mut scratch = vec![0.0; 3 * dim];
    f.hessian(&other)
        .apply_block(&vs.concat()[..3 * dim], &mut scratch);
    f.gauss_newton(&other).apply(&vs[0], &mut scratch[..dim]);
    let mut grad = vec![0.0; dim];
    f.value_grad(&other, &mut grad);
    f.value_grad(&theta, &mut grad);
    assert!(rel_diff(&grad, &fresh_grad) < 1e-15);
    // Sequential reuse: the same operator again and again, and a rebuilt one.
    for _ in 0..2 {
        let h = f.hessian(&theta);
        for (v, want) in vs.iter().zip(&fresh) {
            let mut out = vec![0.0; dim];
            h.apply(v, &mut out);
            assert!(rel_diff(&out, want) < 1e-14);
            h.apply(v, &mut out);
            assert!(rel_diff(&out, want) < 1e-14);
        }
    }
    // Concurrent: four threads on one operator, each with its own vector, a few times over.
    let h = f.hessian(&theta);
    std::thread::scope(|scope| {
        for (v, want) in vs.iter().zip(&fresh) {
            let h = &h;
            scope.spawn(move || {
                for _ in 0..3 {
                    let mut out = vec![0.0; dim];
                    h.apply(v, &mut out);
                    assert!(rel_diff(&out, want) < 1e-14);
                }
            });
        }
    });
}

#[test]
fn softmax_regression_matches_glm_softmax() {
    let (n, x, y) = digits();
    let theta = params("softmax_trained.npy");
    let f = Mlp::classifier(&[64, 10], Activation::Tanh, n, &x, &y).unwrap();
    assert_eq!(f.dim(), 650);
    let data = Dataset {
        x: Design::Dense(DenseMatrix::from_row_major(n, 64, x).unwrap()),
        y,
        source: None,
    };
    // GLM: Σᵢ ℓᵢ + ‖W‖²/(2C); with a huge C the penalty is negligible, subtracted anyway.
    let c = 1e12;
    let spec = GlmSpec {
        loss: Loss::Softmax,
        ridge: Ridge::C(c),
        intercept: true,
        ..Default::default()
    };
    let (glm, _) = spec.objective(&data).unwrap();
    assert_eq!(glm.dim(), 650);
    let (mut gm, mut gg) = (vec![0.0; 650], vec![0.0; 650]);
    let fm = f.value_grad(&theta, &mut gm);
    let fg = glm.value_grad(&theta, &mut gg);
    let penalty = 0.5 / c * dot(&theta[..640], &theta[..640]);
    assert!((fm * n as f64 - (fg - penalty)).abs() < 1e-10 * fg);
    for j in 0..640 {
        gg[j] -= theta[j] / c;
    }
    let gm_n: Vec<f64> = gm.iter().map(|g| g * n as f64).collect();
    assert!(rel_diff(&gm_n, &gg) < 1e-10);
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let (hm, hg) = (f.hessian(&theta), glm.hessian(&theta));
    for _ in 0..3 {
        let v = random_vec(650, &mut rng);
        let (mut a, mut b) = (vec![0.0; 650], vec![0.0; 650]);
        hm.apply(&v, &mut a);
        hg.apply(&v, &mut b);
        for j in 0..640 {
            b[j] -= v[j] / c;
        }
        a.iter_mut().for_each(|t| *t *= n as f64);
        let err = rel_diff(&a, &b);
        assert!(err < 1e-10, "MLP vs GLM softmax Hessian: {err:e}");
    }
}

#[test]
fn batches_average_their_rows() {
    let f = small(Activation::Sigmoid, MlpLoss::CrossEntropy, 0.05);
    let theta = f.init(2);
    let all: Vec<usize> = (0..f.n_terms()).collect();
    let (mut g1, mut g2) = (vec![0.0; f.dim()], vec![0.0; f.dim()]);
    let a = f.value_grad(&theta, &mut g1);
    let b = f.value_grad_batch(&theta, &all, &mut g2);
    assert!((a - b).abs() < 1e-14 && rel_diff(&g2, &g1) < 1e-14);
    // a batch of rows equals the network built on those rows alone
    let rows = [3usize, 17, 17, 0, 29];
    let (x, y) = digits_head(40);
    let xs: Vec<f64> = rows
        .iter()
        .flat_map(|&i| x[i * 64..(i + 1) * 64].to_vec())
        .collect();
    let ys: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
    let sub = Mlp::classifier(&[64, 6, 5, 10], Activation::Sigmoid, rows.len(), &xs, &ys)
        .unwrap()
        .with_l2(0.05)
        .unwrap();
    let b = f.value_grad_batch(&theta, &rows, &mut g2);
    let a = sub.value_grad(&theta, &mut g1);
    assert!((a - b).abs() < 1e-14 && rel_diff(&g2, &g1) < 1e-14);
}

/// A small MLP on all digits, trained from the same start by each solver.
fn training_problem() -> (Mlp, Vec<f64>) {
    let (n, x, y) = digits();
    let f = Mlp::classifier(&[64, 16, 10], Activation::Tanh, n, &x, &y)
        .unwrap()
        .with_l2(1e-3)
        .unwrap();
    let x0 = f.init(1);
    (f, x0)
}

#[test]
fn solvers_train_a_digits_mlp() {
    let (f, x0) = training_problem();
    let mut g = vec![0.0; f.dim()];
    let f0 = f.value_grad(&x0, &mut g);
    let g0 = norm(&g);
    let stop = Stop {
        max_iter: 1500,
        ..Stop::absolute(1e-4)
    };
    let mut results = Vec::new();
    let mut x = x0.clone();
    let r = Lbfgs {
        stop,
        ..Default::default()
    }
    .minimize(&f, &mut x, &mut optml::monitor::quiet())
    .unwrap();
    results.push(("lbfgs", r, x));
    let mut x = x0.clone();
    let r = NewtonCg {
        stop,
        ..Default::default()
    }
    .minimize(&WithGaussNewton(&f), &mut x, &mut optml::monitor::quiet())
    .unwrap();
    results.push(("newton-cg (GGN)", r, x));
    let mut x = x0.clone();
    let r = TrustRegion {
        stop,
        ..Default::default()
    }
    .minimize(&f, &mut x, &mut optml::monitor::quiet())
    .unwrap();
    results.push(("trust-region (exact H)", r, x));
    let mut best = f64::INFINITY;
    for (name, r, x) in &results {
        let fx = f.value_grad(x, &mut g);
        eprintln!(
            "{name}: {:?} after {} iterations, f = {fx}",
            r.status, r.iterations
        );
        assert!(r.status.converged(), "{name}: {:?}", r.status);
        // every run sweeps the data at least once per iteration, the Gauss-Newton one included
        assert!(
            r.passes >= r.iterations as f64,
            "{name}: {} passes",
            r.passes
        );
        assert!(
            norm(&g) <= 1e-4 && norm(&g) < 1e-3 * g0,
            "{name}: ‖g‖ = {:e}",
            norm(&g)
        );
        assert!(fx < 0.2 * f0, "{name}: f = {fx} from {f0}");
        best = best.min(fx);
    }
    // the runs end at (nearly) the same value, a local minimum of a regularized network
    for (name, _, x) in &results {
        assert!(
            f.value(x) - best < 1e-3,
            "{name}: {} vs best {best}",
            f.value(x)
        );
    }
}

/// Data passes: a forward or backward sweep over all rows is one; a Hessian product with a block
/// of vectors is an R-forward and an R-backward sweep.
#[test]
fn passes_count_sweeps_over_the_data() {
    let f = small(Activation::Tanh, MlpLoss::CrossEntropy, 0.0);
    let theta = random_vec(f.dim(), &mut ChaCha8Rng::seed_from_u64(5));
    let mut g = vec![0.0; f.dim()];
    assert_eq!(f.passes(), 0.0);
    f.value(&theta);
    assert_eq!(f.passes(), 1.0);
    f.value_grad(&theta, &mut g);
    assert_eq!(f.passes(), 3.0);
    let half: Vec<usize> = (0..20).collect();
    f.value_grad_batch(&theta, &half, &mut g);
    assert_eq!(f.passes(), 4.0);
    let h = f.hessian(&theta);
    assert_eq!(f.passes(), 6.0);
    let (v, mut out) = (vec![1.0; 2 * f.dim()], vec![0.0; 2 * f.dim()]);
    h.apply_block(&v, &mut out);
    assert_eq!(f.passes(), 8.0);
}
