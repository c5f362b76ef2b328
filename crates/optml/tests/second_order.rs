//! Second-order training (K-FAC, Shampoo, Hessian-free): the per-layer statistics and the batch
//! Gauss-Newton products against finite differences, K-FAC's factors against the exact Fisher
//! block where the Kronecker factorization is exact, a K-FAC step against the explicitly
//! inverted block-diagonal Kronecker matrix, Shampoo's inverse roots against their defining
//! identity, GN-CG's promised decrease of the damped model, and the driver's bookkeeping.

use faer::linalg::solvers::Solve;
use faer::Mat;
use optml::models::mlp::{Activation, Mlp};
use optml::solvers::second_order::{
    gn_cg, inverse_root, DenseLayer, Fisher, Graft, HessianFree, Kfac, LayerStats, Layered, Method,
    SecondOrder, Shampoo,
};
use optml::solvers::stochastic::{Layout, Stochastic};
use optml::{FiniteSum, Objective};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn points(n: usize, d: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n * d).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// A 3-class classifier 4-5-3-3 on 12 points, with a penalty.
fn classifier() -> Mlp {
    let x = points(12, 4, 1);
    let y: Vec<f64> = (0..12).map(|i| (i % 3) as f64).collect();
    Mlp::classifier(&[4, 5, 3, 3], Activation::Tanh, 12, &x, &y)
        .unwrap()
        .with_l2(0.03)
        .unwrap()
}

/// A 3-4-2 regressor on 10 points.
fn regressor() -> Mlp {
    let x = points(10, 3, 2);
    let y = points(10, 2, 3);
    Mlp::regressor(&[3, 4, 2], Activation::Tanh, 10, &x, &y)
        .unwrap()
        .with_l2(0.1)
        .unwrap()
}

fn fd_grad(f: &Mlp, x: &[f64], batch: &[usize]) -> Vec<f64> {
    let h = 1e-6;
    let mut g = vec![0.0; f.dim()];
    let mut s = vec![0.0; f.dim()];
    let mut xp = x.to_vec();
    for i in 0..x.len() {
        xp[i] = x[i] + h;
        let fp = f.value_grad_batch(&xp, batch, &mut s);
        xp[i] = x[i] - h;
        let fm = f.value_grad_batch(&xp, batch, &mut s);
        xp[i] = x[i];
        g[i] = (fp - fm) / (2.0 * h);
    }
    g
}

fn close(a: &[f64], b: &[f64], tol: f64) -> f64 {
    let scale = b.iter().fold(1e-12f64, |m, v| m.max(v.abs()));
    let err = a
        .iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()));
    assert!(err <= tol * scale, "max error {err} > {tol} × {scale}");
    err
}

/// The gradient that `value_grad_layers` returns matches finite differences of f_B, and each
/// example's statistics rebuild its own gradient: ∇ℓᵢ on Ŵₗ = gᵢ·āᵢᵀ.
#[test]
fn layer_statistics_rebuild_the_finite_difference_gradients() {
    for f in [classifier(), regressor()] {
        let theta = f.init(4);
        let batch = [3, 7, 1, 7, 0];
        let mut grad = vec![0.0; f.dim()];
        let mut stats = LayerStats::default();
        let v = f.value_grad_layers(&theta, &batch, &mut grad, Fisher::Empirical, 0, &mut stats);
        let mut g2 = vec![0.0; f.dim()];
        assert_eq!(v, f.value_grad_batch(&theta, &batch, &mut g2));
        assert_eq!(grad, g2);
        close(&grad, &fd_grad(&f, &theta, &batch), 1e-7);
        // One example at a time: gᵢ āᵢᵀ is the finite-difference gradient of ℓᵢ (penalty off).
        for &i in &batch[..2] {
            f.value_grad_layers(&theta, &[i], &mut grad, Fisher::Empirical, 0, &mut stats);
            let mut rebuilt = fd_grad(&f, &theta, &[i]);
            // Remove the penalty's gradient λ·W from the finite differences.
            let mut pen = vec![0.0; f.dim()];
            let p0 = f.value_grad_batch(&theta, &[], &mut pen);
            assert!(p0 > 0.0);
            for (r, p) in rebuilt.iter_mut().zip(&pen) {
                *r -= p;
            }
            let mut from_stats = vec![0.0; f.dim()];
            for (l, layer) in f.dense_layers().iter().enumerate() {
                for o in 0..layer.outputs {
                    for j in 0..=layer.inputs {
                        let a = if j < layer.inputs {
                            stats.inputs[l][j]
                        } else {
                            1.0
                        };
                        from_stats[layer.index(o, j)] = stats.grads[l][o] * a;
                    }
                }
            }
            close(&from_stats, &rebuilt, 1e-6);
        }
    }
}

/// Dense Jacobian of the outputs by central differences: (m·k) × dim.
fn fd_jacobian(f: &Mlp, theta: &[f64], x: &[f64], m: usize) -> Mat<f64> {
    let h = 1e-6;
    let k = *f.sizes().last().unwrap();
    let mut j = Mat::<f64>::zeros(m * k, f.dim());
    let mut t = theta.to_vec();
    for c in 0..f.dim() {
        t[c] = theta[c] + h;
        let zp = f.outputs(&t, m, x).unwrap();
        t[c] = theta[c] - h;
        let zm = f.outputs(&t, m, x).unwrap();
        t[c] = theta[c];
        for r in 0..m * k {
            j[(r, c)] = (zp[r] - zm[r]) / (2.0 * h);
        }
    }
    j
}

/// The Gauss-Newton matrix of a batch equals Jᵀ·J/|B| + λ·I (on the weights) with J from finite
/// differences of the outputs (squared error: H_ℓ = I).
#[test]
fn batch_gauss_newton_matches_finite_difference_jacobians() {
    let f = regressor();
    let theta = f.init(5);
    let batch = [4, 2, 9];
    let d = 3;
    let xb: Vec<f64> = batch
        .iter()
        .flat_map(|&i| points(10, 3, 2)[i * d..(i + 1) * d].to_vec())
        .collect();
    let j = fd_jacobian(&f, &theta, &xb, batch.len());
    let jtj = j.transpose() * &j;
    let mut dense = None;
    f.gauss_newton_batch(&theta, &batch, &mut |op| dense = Some(op.to_dense()));
    let dense = dense.unwrap();
    let dim = f.dim();
    let mut want = vec![0.0; dim * dim];
    let mut got = vec![0.0; dim * dim];
    let weights: Vec<bool> = {
        let mut w = vec![false; dim];
        for l in f.dense_layers() {
            w[l.offset..l.bias()].iter_mut().for_each(|v| *v = true);
        }
        w
    };
    for r in 0..dim {
        for c in 0..dim {
            let pen = if r == c && weights[r] { 0.1 } else { 0.0 };
            want[r * dim + c] = jtj[(r, c)] / batch.len() as f64 + pen;
            got[r * dim + c] = dense[(r, c)];
        }
    }
    close(&got, &want, 1e-7);
}

/// (A ⊗ G) in θ's order for one layer: entry ((i, j), (k, l)) = G[i, k]·A[j, l].
fn kron_block(layer: &DenseLayer, a: &Mat<f64>, g: &Mat<f64>, dim: usize) -> Mat<f64> {
    let mut out = Mat::<f64>::zeros(dim, dim);
    for i in 0..layer.outputs {
        for j in 0..=layer.inputs {
            for k in 0..layer.outputs {
                for l in 0..=layer.inputs {
                    out[(layer.index(i, j), layer.index(k, l))] = g[(i, k)] * a[(j, l)];
                }
            }
        }
    }
    out
}

/// One linear layer (softmax regression) and one example, repeated S times in the batch so that
/// the sampled factor G averages S draws: A = āāᵀ exactly, and A ⊗ G approaches the exact
/// Fisher (= Gauss-Newton) block āāᵀ ⊗ (diag p − ppᵀ). With the data's targets, A ⊗ G is the
/// empirical Fisher ∇ℓ∇ℓᵀ exactly.
#[test]
fn kfac_factors_equal_the_exact_fisher_block_for_one_layer_and_one_example() {
    let x = points(3, 4, 7);
    let f = Mlp::classifier(&[4, 3], Activation::Tanh, 3, &x, &[0.0, 2.0, 1.0]).unwrap();
    let theta = f.init(1);
    let dim = f.dim();
    let layer = f.dense_layers()[0];
    let s = 40_000;
    let batch = vec![1usize; s];
    let mut grad = vec![0.0; dim];
    let mut stats = LayerStats::default();
    let kfac = Kfac {
        decay: 0.0,
        ..Kfac::default()
    };
    let mut state = kfac.init(&[layer], dim).unwrap();
    f.value_grad_layers(&theta, &batch, &mut grad, Fisher::True, 11, &mut stats);
    state.update_factors(&stats);
    let (a, g) = state.factors(0);
    let approx = kron_block(&layer, a, g, dim);
    let mut exact = None;
    f.gauss_newton_batch(&theta, &[1], &mut |op| exact = Some(op.to_dense()));
    let exact = exact.unwrap();
    let flat = |m: &Mat<f64>| -> Vec<f64> {
        (0..dim)
            .flat_map(|i| (0..dim).map(move |j| (i, j)))
            .map(|(i, j)| m[(i, j)])
            .collect()
    };
    // Monte Carlo: standard error ≈ 0.5/√S relative to the largest entry.
    close(&flat(&approx), &flat(&exact), 0.02);
    // A is exactly āāᵀ.
    for i in 0..=4 {
        for j in 0..=4 {
            let ai = if i < 4 { x[4 + i] } else { 1.0 };
            let aj = if j < 4 { x[4 + j] } else { 1.0 };
            assert!((a[(i, j)] - ai * aj).abs() < 1e-12);
        }
    }
    // Empirical Fisher: exact for one example.
    let mut state = kfac.init(&[layer], dim).unwrap();
    f.value_grad_layers(&theta, &[1], &mut grad, Fisher::Empirical, 0, &mut stats);
    state.update_factors(&stats);
    let (a, g) = state.factors(0);
    let emp = kron_block(&layer, a, g, dim);
    let outer: Vec<f64> = (0..dim)
        .flat_map(|i| (0..dim).map(move |j| (i, j)))
        .map(|(i, j)| grad[i] * grad[j])
        .collect();
    close(&flat(&emp), &outer, 1e-12);
}

/// One linear layer with the squared error on many examples: the Gauss-Newton matrix is
/// E[āāᵀ] ⊗ I exactly, K-FAC's A is E[āāᵀ] exactly, and its sampled G averages to I.
#[test]
fn kfac_factors_are_exact_for_a_linear_layer_on_many_examples() {
    let n = 30;
    let x = points(n, 3, 8);
    let y = points(n, 2, 9);
    let f = Mlp::regressor(&[3, 2], Activation::Tanh, n, &x, &y).unwrap();
    let theta = f.init(3);
    let dim = f.dim();
    let layer = f.dense_layers()[0];
    let all: Vec<usize> = (0..n).collect();
    let mut stats = LayerStats::default();
    let mut grad = vec![0.0; dim];
    let mut state = Kfac::default().init(&[layer], dim).unwrap();
    f.value_grad_layers(&theta, &all, &mut grad, Fisher::True, 5, &mut stats);
    state.update_factors(&stats);
    let (a, _) = state.factors(0);
    let eye = Mat::<f64>::identity(2, 2);
    let want = kron_block(&layer, a, &eye, dim);
    let mut gn = None;
    f.gauss_newton_batch(&theta, &all, &mut |op| gn = Some(op.to_dense()));
    let gn = gn.unwrap();
    for i in 0..dim {
        for j in 0..dim {
            assert!(
                (want[(i, j)] - gn[(i, j)]).abs() < 1e-12,
                "({i}, {j}): {} vs {}",
                want[(i, j)],
                gn[(i, j)]
            );
        }
    }
    // E[ggᵀ] = I: many draws of the whole batch.
    let big: Vec<usize> = (0..20_000).map(|i| i % n).collect();
    f.value_grad_layers(&theta, &big, &mut grad, Fisher::True, 6, &mut stats);
    let mut state = Kfac {
        decay: 0.0,
        ..Kfac::default()
    }
    .init(&[layer], dim)
    .unwrap();
    state.update_factors(&stats);
    let (_, g) = state.factors(0);
    for i in 0..2 {
        for j in 0..2 {
            let want = if i == j { 1.0 } else { 0.0 };
            assert!(
                (g[(i, j)] - want).abs() < 0.04,
                "G[{i},{j}] = {}",
                g[(i, j)]
            );
        }
    }
}

/// A K-FAC direction is the damped block-diagonal Kronecker matrix ⊕ₗ (Aₗ + π√λI) ⊗ (Gₗ + √λ/π I),
/// built densely and solved by LU, applied to the gradient; and the moving averages follow
/// A ← εA + (1−ε)A_B.
#[test]
fn kfac_direction_is_the_inverted_block_diagonal_kronecker_matrix() {
    let f = classifier();
    let theta = f.init(9);
    let dim = f.dim();
    let layers = f.dense_layers();
    let kfac = Kfac {
        damping: 0.05,
        ..Kfac::default()
    };
    let mut state = kfac.init(&layers, dim).unwrap();
    let mut stats = LayerStats::default();
    let mut grad = vec![0.0; dim];
    f.value_grad_layers(
        &theta,
        &[0, 1, 2, 3, 4],
        &mut grad,
        Fisher::True,
        1,
        &mut stats,
    );
    state.update_factors(&stats);
    let a1 = state.factors(1).0.clone();
    f.value_grad_layers(
        &theta,
        &[5, 6, 7, 8],
        &mut grad,
        Fisher::True,
        2,
        &mut stats,
    );
    state.update_factors(&stats);
    // The moving average, checked on one layer's A.
    let mut fresh = kfac.init(&layers, dim).unwrap();
    fresh.update_factors(&stats);
    let (a_b, a_now) = (fresh.factors(1).0, state.factors(1).0);
    for i in 0..a_now.nrows() {
        for j in 0..a_now.ncols() {
            let want = 0.95 * a1[(i, j)] + 0.05 * a_b[(i, j)];
            assert!((a_now[(i, j)] - want).abs() < 1e-14);
        }
    }
    state.refresh();
    let mut u = vec![0.0; dim];
    state.precondition(&grad, &mut u);
    let sq = kfac.damping.sqrt();
    let mut k = Mat::<f64>::zeros(dim, dim);
    for (l, layer) in layers.iter().enumerate() {
        let (a, g) = state.factors(l);
        let pi = state.pi(l);
        let trace =
            |m: &Mat<f64>| (0..m.nrows()).map(|i| m[(i, i)]).sum::<f64>() / m.nrows() as f64;
        assert!((pi - (trace(a) / trace(g)).sqrt()).abs() < 1e-12 * pi);
        let ad = Mat::from_fn(a.nrows(), a.ncols(), |i, j| {
            a[(i, j)] + if i == j { pi * sq } else { 0.0 }
        });
        let gd = Mat::from_fn(g.nrows(), g.ncols(), |i, j| {
            g[(i, j)] + if i == j { sq / pi } else { 0.0 }
        });
        let block = kron_block(layer, &ad, &gd, dim);
        for i in 0..dim {
            for j in 0..dim {
                k[(i, j)] += block[(i, j)];
            }
        }
    }
    let rhs = Mat::from_fn(dim, 1, |i, _| grad[i]);
    let want = k.partial_piv_lu().solve(&rhs);
    let want: Vec<f64> = (0..dim).map(|i| want[(i, 0)]).collect();
    close(&u, &want, 1e-9);
}

/// R = (M + ε·λ_max·I)^{−1/4} is the symmetric positive definite matrix with R⁴·(M + ε·λ_max·I) = I
/// (unique), also for a singular M; and Shampoo's first preconditioned direction is
/// ‖G‖·P/‖P‖ with P = L^{−1/4}·G·R^{−1/4} on the weights, the plain gradient on the biases.
#[test]
fn shampoo_roots_and_direction_match_their_definitions() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let b = Mat::from_fn(5, 3, |_, _| rng.random_range(-1.0..1.0));
    let m = &b * b.transpose(); // rank 3 of 5
    let eps = 1e-3;
    let r = inverse_root(&m, 4.0, eps).unwrap();
    let top = m
        .self_adjoint_eigen(faer::Side::Lower)
        .unwrap()
        .S()
        .column_vector()
        .iter()
        .copied()
        .fold(0.0, f64::max);
    let reg = Mat::from_fn(5, 5, |i, j| {
        m[(i, j)] + if i == j { eps * top } else { 0.0 }
    });
    let r4 = &r * &r * &r * &r;
    let id = &r4 * &reg;
    for i in 0..5 {
        for j in 0..5 {
            assert!((r[(i, j)] - r[(j, i)]).abs() < 1e-12);
            let want = if i == j { 1.0 } else { 0.0 };
            assert!((id[(i, j)] - want).abs() < 1e-8, "({i},{j}) {}", id[(i, j)]);
        }
    }
    // Square roots agree with the p = 2 root squared.
    let r2 = inverse_root(&m, 2.0, eps).unwrap();
    let rr = &r * &r;
    for i in 0..5 {
        for j in 0..5 {
            assert!((rr[(i, j)] - r2[(i, j)]).abs() < 1e-9 * r2.norm_l2());
        }
    }

    let f = classifier();
    let theta = f.init(2);
    let dim = f.dim();
    let layers = f.dense_layers();
    let sh = Shampoo {
        beta1: 0.0,
        beta2: 1.0,
        warmup: 0,
        root_every: 1,
        graft: Graft::Sgd,
        nesterov: false,
        ..Shampoo::default()
    };
    let mut state = sh.init(&layers, dim).unwrap();
    let mut g = vec![0.0; dim];
    f.value_grad_batch(&theta, &[0, 1, 2, 3, 4, 5], &mut g);
    let mut u = vec![0.0; dim];
    state.direction(&g, &mut u).unwrap();
    for (l, layer) in layers.iter().enumerate() {
        let (o, i) = (layer.outputs, layer.inputs);
        let gw = Mat::from_fn(o, i, |a, b| g[layer.offset + a * i + b]);
        let lroot = inverse_root(&(&gw * gw.transpose()), 4.0, 1e-6).unwrap();
        let rroot = inverse_root(&(gw.transpose() * &gw), 4.0, 1e-6).unwrap();
        let p = &lroot * &gw * &rroot;
        let s = gw.norm_l2() / p.norm_l2();
        let want: Vec<f64> = (0..o * i).map(|k| s * p[(k / i, k % i)]).collect();
        close(&u[layer.offset..layer.bias()], &want, 1e-10);
        let bias = layer.bias()..layer.bias() + o;
        assert_eq!(&u[bias.clone()], &g[bias]);
        let [ls, rs, _, _] = state.statistics(l);
        assert!((ls[(0, 0)] - (0..i).map(|b| gw[(0, b)].powi(2)).sum::<f64>()).abs() < 1e-14);
        assert_eq!(rs.nrows(), i);
    }
}

/// GN-CG on a network's batch Gauss-Newton matrix: φ(d) = gᵀd + ½dᵀ(G + λI)d falls at every
/// iteration, the recorded values are φ at the kept iterates, and with enough iterations the
/// result is the damped Newton step −(G + λI)⁻¹g (from a dense solve); a warm start with
/// φ(d₀) < 0 is kept, one with φ(d₀) ≥ 0 is dropped.
#[test]
fn gn_cg_decreases_the_damped_model_as_promised() {
    let f = classifier();
    let theta = f.init(6);
    let dim = f.dim();
    let mut g = vec![0.0; dim];
    let batch = [0, 2, 4, 6, 8, 10, 11];
    f.value_grad_batch(&theta, &batch, &mut g);
    let lambda = 0.01;
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let m: Vec<f64> = (0..dim).map(|_| rng.random_range(0.5..2.0)).collect();
    f.gauss_newton_batch(&theta, &batch[..4], &mut |op| {
        let phi = |d: &[f64]| {
            let mut ad = vec![0.0; dim];
            op.apply(d, &mut ad);
            d.iter()
                .zip(&ad)
                .zip(&g)
                .map(|((d, a), g)| g * d + 0.5 * d * (a + lambda * d))
                .sum::<f64>()
        };
        for precond in [None, Some(&m[..])] {
            let run = gn_cg(op, &g, lambda, precond, &vec![0.0; dim], 4 * dim);
            assert_eq!(run.values[0], 0.0);
            for w in run.values.windows(2) {
                assert!(w[1] < w[0] + 1e-15 * w[0].abs(), "{} then {}", w[0], w[1]);
            }
            for (i, d) in &run.kept {
                assert!((phi(d) - run.values[*i]).abs() < 1e-10 * run.values[*i].abs());
            }
            let dense = op.to_dense();
            let damped = Mat::from_fn(dim, dim, |i, j| {
                dense[(i, j)] + if i == j { lambda } else { 0.0 }
            });
            let rhs = Mat::from_fn(dim, 1, |i, _| -g[i]);
            let star = damped.partial_piv_lu().solve(&rhs);
            let star: Vec<f64> = (0..dim).map(|i| star[(i, 0)]).collect();
            let last = &run.kept.last().unwrap().1;
            // Martens's stop ends when progress stalls: the model value is within 1e-3 of the
            // optimum's.
            let (got, best) = (phi(last), phi(&star));
            assert!(got >= best - 1e-12 * best.abs());
            assert!(got - best <= 1e-2 * best.abs(), "{got} vs {best}");
        }
        // Warm starts.
        let half = gn_cg(op, &g, lambda, None, &vec![0.0; dim], 3);
        let d0 = half.kept.last().unwrap().1.clone();
        let warm = gn_cg(op, &g, lambda, None, &d0, 1);
        assert!((warm.values[0] - phi(&d0)).abs() < 1e-12 * phi(&d0).abs());
        let bad: Vec<f64> = d0.iter().map(|v| -v).collect();
        let cold = gn_cg(op, &g, lambda, None, &bad, 1);
        assert_eq!(cold.values[0], 0.0);
    });
}

fn digits_like() -> Mlp {
    // 200 points in 6 dimensions, 3 classes by the sign pattern of two projections.
    let n = 200;
    let x = points(n, 6, 21);
    let y: Vec<f64> = x
        .chunks_exact(6)
        .map(|r| {
            let s = r[0] + r[1] - r[2];
            let t = r[3] - r[4] + 0.5 * r[5];
            if s > 0.0 {
                0.0
            } else if t > 0.0 {
                1.0
            } else {
                2.0
            }
        })
        .collect();
    Mlp::classifier(&[6, 16, 3], Activation::Tanh, n, &x, &y).unwrap()
}

fn train(
    method: Method,
    lr: f64,
    epochs: usize,
) -> (Vec<f64>, optml::solvers::stochastic::Training) {
    let f = digits_like();
    let mut theta = f.init(0);
    let run = SecondOrder {
        method,
        run: Stochastic {
            lr,
            epochs,
            batch_size: 50,
            seed: 3,
            ..Default::default()
        },
    };
    let t = run
        .minimize(
            &f,
            &mut theta,
            &Layout::default(),
            &mut optml::monitor::quiet(),
        )
        .unwrap();
    (theta, t)
}

/// Each method trains: the loss after a few epochs is well below the start, the records hold
/// the point x ends at, and the same seed gives the same bits.
#[test]
fn each_method_trains_and_repeats_bit_for_bit() {
    let f = digits_like();
    for (method, lr) in [
        (Method::Kfac(Kfac::default()), 0.1),
        (Method::Shampoo(Shampoo::default()), 0.1),
        (Method::HessianFree(HessianFree::default()), 1.0),
    ] {
        let (theta, t) = train(method, lr, 8);
        let (theta2, t2) = train(method, lr, 8);
        assert_eq!(theta, theta2, "{method:?}");
        assert_eq!(t.records.len(), t2.records.len());
        for (a, b) in t.records.iter().zip(&t2.records) {
            assert_eq!(a.train_loss.to_bits(), b.train_loss.to_bits());
        }
        let first = t.records[0].train_loss;
        let last = t.records.last().unwrap().train_loss;
        assert!(last < 0.5 * first, "{method:?}: {first} → {last}");
        assert_eq!(last, f.value(&theta));
        assert_eq!(t.steps, 8 * 4);
    }
}

#[test]
fn bad_options_are_refused_with_one_line() {
    let f = digits_like();
    let mut theta = f.init(0);
    for (method, want) in [
        (
            Method::Kfac(Kfac {
                damping: 0.0,
                ..Kfac::default()
            }),
            "damping",
        ),
        (
            Method::Shampoo(Shampoo {
                beta2: 0.0,
                ..Shampoo::default()
            }),
            "β₂",
        ),
        (
            Method::HessianFree(HessianFree {
                curvature_fraction: 1.5,
                ..HessianFree::default()
            }),
            "fraction",
        ),
    ] {
        let run = SecondOrder {
            method,
            run: Stochastic::default(),
        };
        let err = run
            .minimize(
                &f,
                &mut theta,
                &Layout::default(),
                &mut optml::monitor::quiet(),
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains(want) && !err.contains('\n'), "{err}");
    }
    assert!(Method::parse("newton")
        .unwrap_err()
        .to_string()
        .contains("kfac"));
}
