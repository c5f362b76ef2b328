//! Tensor decompositions, dictionary learning and the spherical p-spin model: planted
//! recovery, exact products against naive formulas, derivatives against finite differences.

use faer::Mat;
use optml::monitor::quiet;
use optml::nonconvex::cp::{
    factor_match_score, mttkrp, planted_cp, planted_orthogonal_symmetric, CpAls, CpInit, CpModel,
    Tensor3, TensorPower,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_mat(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> Mat<f64> {
    Mat::from_fn(rows, cols, |_, _| rng.random_range(-1.0..1.0))
}

#[test]
fn mttkrp_equals_the_naive_formula() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let dims = [4, 5, 6];
    let data: Vec<f64> = (0..120).map(|_| rng.random_range(-1.0..1.0)).collect();
    let x = Tensor3::new(dims, data).unwrap();
    let r = 3;
    let f = dims.map(|d| random_mat(d, r, &mut rng));
    for mode in 0..3 {
        let m = mttkrp(&x, &f, mode);
        assert_eq!((m.nrows(), m.ncols()), (dims[mode], r));
        for row in 0..dims[mode] {
            for q in 0..r {
                let mut naive = 0.0;
                for i in 0..4 {
                    for j in 0..5 {
                        for k in 0..6 {
                            let idx = [i, j, k];
                            if idx[mode] != row {
                                continue;
                            }
                            let w: f64 = (0..3)
                                .filter(|&n| n != mode)
                                .map(|n| f[n][(idx[n], q)])
                                .product();
                            naive += x.get(i, j, k) * w;
                        }
                    }
                }
                assert!((m[(row, q)] - naive).abs() < 1e-12, "mode {mode}");
            }
        }
    }
}

#[test]
fn mttkrp_matches_the_naive_formula_for_uneven_shapes_and_ranks() {
    // Ranks above and below each dimension exercise the dimension-tree kernels' loops.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for (dims, r) in [([7, 3, 5], 4), ([2, 9, 1], 1), ([3, 4, 6], 8)] {
        let n: usize = dims.iter().product();
        let data: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        let x = Tensor3::new(dims, data).unwrap();
        let f = dims.map(|d| random_mat(d, r, &mut rng));
        for mode in 0..3 {
            let m = mttkrp(&x, &f, mode);
            for row in 0..dims[mode] {
                for q in 0..r {
                    let mut naive = 0.0;
                    for i in 0..dims[0] {
                        for j in 0..dims[1] {
                            for k in 0..dims[2] {
                                let idx = [i, j, k];
                                if idx[mode] == row {
                                    let w: f64 = (0..3)
                                        .filter(|&o| o != mode)
                                        .map(|o| f[o][(idx[o], q)])
                                        .product();
                                    naive += x.get(i, j, k) * w;
                                }
                            }
                        }
                    }
                    assert!(
                        (m[(row, q)] - naive).abs() < 1e-12,
                        "dims {dims:?}, rank {r}, mode {mode}"
                    );
                }
            }
        }
    }
}

#[test]
fn compressed_and_full_cp_als_reach_the_same_fit() {
    let (x, truth) = planted_cp([40, 36, 32], 4, 0.02, 13).unwrap();
    let fits = [true, false].map(|compress| {
        let als = CpAls {
            rank: 4,
            tol: 1e-12,
            compress,
            ..Default::default()
        };
        let (model, report) = als.fit(&x, &mut quiet()).unwrap();
        assert!(report.converged, "compress {compress}: {report:?}");
        assert!(factor_match_score(&truth, &model).unwrap() > 0.99);
        report.fit
    });
    assert!((fits[0] - fits[1]).abs() < 1e-9, "{fits:?}");
}

#[test]
fn the_fit_reported_on_the_compressed_tensor_is_that_of_the_expanded_model() {
    // Stopped after three sweeps, the run returns the expanded model of the compressed phase;
    // its reported fit must be its fit against the full tensor.
    let (x, _) = planted_cp([30, 30, 30], 3, 0.05, 17).unwrap();
    let als = CpAls {
        rank: 3,
        ..Default::default()
    };
    let mut stop = |info: &optml::monitor::IterInfo| info.iter < 3;
    let (model, report) = als.fit(&x, &mut stop).unwrap();
    assert_eq!(report.iterations, 3);
    let resid: f64 = model
        .to_tensor()
        .data()
        .iter()
        .zip(x.data())
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt();
    assert!(
        (1.0 - resid / x.norm() - report.fit).abs() < 1e-12,
        "{report:?}"
    );
    assert!(report.fit < 0.99, "the run had not converged: {report:?}");
}

#[test]
fn model_to_tensor_is_the_sum_of_outer_products() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let model = CpModel {
        weights: vec![2.0, -0.5],
        factors: [3, 4, 2].map(|d| random_mat(d, 2, &mut rng)),
    };
    let t = model.to_tensor();
    assert_eq!(t.dims(), [3, 4, 2]);
    for i in 0..3 {
        for j in 0..4 {
            for k in 0..2 {
                let v: f64 = (0..2)
                    .map(|r| {
                        model.weights[r]
                            * model.factors[0][(i, r)]
                            * model.factors[1][(j, r)]
                            * model.factors[2][(k, r)]
                    })
                    .sum();
                assert!((t.get(i, j, k) - v).abs() < 1e-14);
            }
        }
    }
}

#[test]
fn factor_match_score_ignores_permutation_scale_and_sign() {
    let (_, truth) = planted_cp([6, 7, 8], 3, 0.0, 3).unwrap();
    let perm = [2, 0, 1];
    let est = CpModel {
        weights: perm.iter().map(|&p| truth.weights[p] * 3.0).collect(),
        factors: truth
            .factors
            .each_ref()
            .map(|f| Mat::from_fn(f.nrows(), 3, |i, q| -2.0 * f[(i, perm[q])])),
    };
    assert!((factor_match_score(&truth, &est).unwrap() - 1.0).abs() < 1e-12);
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let other = CpModel {
        weights: vec![1.0; 3],
        factors: [6, 7, 8].map(|d| random_mat(d, 3, &mut rng)),
    };
    assert!(factor_match_score(&truth, &other).unwrap() < 0.5);
}

#[test]
fn cp_als_recovers_a_planted_tensor() {
    for (noise, min_fit) in [(0.0, 1.0 - 1e-6), (0.05, 0.93)] {
        let (x, truth) = planted_cp([30, 30, 30], 5, noise, 7).unwrap();
        let als = CpAls {
            rank: 5,
            tol: 1e-10,
            ..Default::default()
        };
        let (model, report) = als.fit(&x, &mut quiet()).unwrap();
        let fms = factor_match_score(&truth, &model).unwrap();
        assert!(fms >= 0.99, "noise {noise}: FMS {fms}, {report:?}");
        assert!(report.fit >= min_fit, "noise {noise}: {report:?}");
        // The reported fit is the fit of the returned model.
        let resid: f64 = model
            .to_tensor()
            .data()
            .iter()
            .zip(x.data())
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt();
        assert!((1.0 - resid / x.norm() - report.fit).abs() < 1e-6);
    }
}

/// A long mode (dimₙ² above the tensor's size) takes its start from the unfolding's SVD rather
/// than a dimₙ × dimₙ Gram matrix; a rank whose workspaces dwarf the tensor is refused.
#[test]
fn cp_als_handles_a_long_mode_and_refuses_an_absurd_rank() {
    for dims in [[400, 4, 5], [4, 400, 5], [4, 5, 400]] {
        let (x, truth) = planted_cp(dims, 3, 0.0, 11).unwrap();
        let (model, report) = CpAls {
            rank: 3,
            tol: 1e-12,
            ..Default::default()
        }
        .fit(&x, &mut quiet())
        .unwrap();
        let fms = factor_match_score(&truth, &model).unwrap();
        assert!(
            fms >= 0.99 && report.fit >= 1.0 - 1e-6,
            "{dims:?}: {fms} {report:?}"
        );
    }
    let (x, _) = planted_cp([20, 20, 2], 2, 0.0, 1).unwrap();
    let absurd = CpAls {
        rank: 1_000_000,
        ..Default::default()
    };
    assert!(matches!(
        absurd.fit(&x, &mut quiet()),
        Err(optml::Error::InvalidInput(_))
    ));
}

#[test]
fn cp_als_refuses_zero_sweeps_and_stops_after_one() {
    let (x, _) = planted_cp([6, 5, 4], 2, 0.0, 3).unwrap();
    for compress in [true, false] {
        let zero = CpAls {
            rank: 2,
            max_iter: 0,
            compress,
            ..Default::default()
        };
        assert!(matches!(
            zero.fit(&x, &mut quiet()),
            Err(optml::Error::InvalidInput(_))
        ));
        let (_, report) = CpAls {
            max_iter: 1,
            ..zero
        }
        .fit(&x, &mut quiet())
        .unwrap();
        assert!(report.iterations <= 2, "{report:?}");
    }
}

#[test]
fn cp_als_random_restarts_are_seeded() {
    let (x, truth) = planted_cp([8, 9, 10], 3, 0.01, 11).unwrap();
    let als = CpAls {
        rank: 3,
        init: CpInit::Random,
        restarts: 2,
        seed: 5,
        ..Default::default()
    };
    let (m1, r1) = als.fit(&x, &mut quiet()).unwrap();
    let (m2, r2) = als.fit(&x, &mut quiet()).unwrap();
    assert_eq!(r1.fit, r2.fit);
    assert_eq!(m1.weights, m2.weights);
    assert!(factor_match_score(&truth, &m1).unwrap() > 0.99);
    assert!(CpAls {
        rank: 0,
        ..Default::default()
    }
    .fit(&x, &mut quiet())
    .is_err());
}

#[test]
fn tensor_power_method_recovers_an_orthogonal_tensor_exactly() {
    let (t, lambda, v) = planted_orthogonal_symmetric(10, 6, 21).unwrap();
    let tpm = TensorPower {
        components: 6,
        seed: 3,
        ..Default::default()
    };
    let eig = tpm.run(&t).unwrap();
    // The robust selection takes the largest remaining eigenvalue first.
    for (c, &got) in eig.values.iter().enumerate() {
        let want_idx = lambda.len() - 1 - c;
        assert!(
            (got - lambda[want_idx]).abs() < 1e-10,
            "{got} vs {}",
            lambda[want_idx]
        );
        for i in 0..10 {
            assert!((eig.vectors[(i, c)] - v[(i, want_idx)]).abs() < 1e-10);
        }
    }
    let (x, _) = planted_cp([4, 4, 4], 2, 0.0, 1).unwrap();
    assert!(tpm.run(&x).is_err(), "a non-symmetric tensor is rejected");
}

#[test]
fn tensors_round_trip_through_npy() {
    let dir = tempfile::tempdir().unwrap();
    let (x, _) = planted_cp([2, 3, 4], 2, 0.0, 1).unwrap();
    let path = dir.path().join("x.npy");
    x.write_npy(&path).unwrap();
    assert_eq!(Tensor3::read_npy(&path).unwrap(), x);
    let flat = dir.path().join("m.npy");
    optml::data::write_npy(&flat, &[6, 4], x.data()).unwrap();
    assert!(Tensor3::read_npy(&flat).is_err());
    assert!(Tensor3::new([2, 2, 2], vec![0.0; 7]).is_err());
    assert!(Tensor3::new([2, 1, 1], vec![0.0, f64::NAN]).is_err());
}

mod dictionary {
    use faer::Mat;
    use optml::monitor::quiet;
    use optml::nonconvex::dictionary::{
        batch_omp, dictionary_recovery, omp, planted_dictionary, Ksvd,
    };

    #[test]
    fn omp_recovers_exact_sparse_codes() {
        // 64-dimensional Gaussian atoms are incoherent enough for exact 3-sparse recovery.
        let (y, dict, codes) = planted_dictionary(64, 96, 3, 200, 0.0, 5).unwrap();
        let batch = batch_omp(dict.as_ref(), y.as_ref(), 3, 1e-12);
        let mut exact = 0;
        for i in 0..200 {
            let yi: Vec<f64> = y.col(i).iter().copied().collect();
            let mut single = omp(dict.as_ref(), &yi, 3, 1e-12);
            let mut b = batch.columns[i].clone();
            let mut want = codes.columns[i].clone();
            single.sort_by_key(|p| p.0);
            b.sort_by_key(|p| p.0);
            want.sort_by_key(|p| p.0);
            // Batch OMP and OMP agree everywhere.
            assert_eq!(single.len(), b.len());
            for (s, t) in single.iter().zip(&b) {
                assert_eq!(s.0, t.0);
                assert!((s.1 - t.1).abs() < 1e-9);
            }
            if b.len() == want.len()
                && b.iter()
                    .zip(&want)
                    .all(|(s, t)| s.0 == t.0 && (s.1 - t.1).abs() < 1e-9)
            {
                exact += 1;
            }
        }
        assert!(exact >= 198, "exact codes for {exact} of 200 signals");
    }

    #[test]
    fn ksvd_recovers_a_planted_dictionary() {
        let (y, dict, _) = planted_dictionary(20, 40, 3, 2000, 0.0, 11).unwrap();
        let ksvd = Ksvd {
            atoms: 40,
            sparsity: 3,
            max_iter: 60,
            seed: 2,
            ..Default::default()
        };
        let (learned, codes, report) = ksvd.fit(y.as_ref(), &mut quiet()).unwrap();
        let recovered = dictionary_recovery(dict.as_ref(), learned.as_ref(), 0.99).unwrap();
        assert!(recovered >= 0.9, "recovered {recovered}, {report:?}");
        for a in 0..40 {
            let n: f64 = learned.col(a).norm_l2();
            assert!((n - 1.0).abs() < 1e-12);
        }
        assert!(codes.columns.iter().all(|c| c.len() <= 3));
        // The reported residual is that of the returned dictionary and codes.
        let mut r = y.clone();
        faer::linalg::matmul::matmul(
            r.as_mut(),
            faer::Accum::Add,
            learned.as_ref(),
            codes.to_dense().as_ref(),
            -1.0,
            faer::Par::Seq,
        );
        let rel = r.norm_l2() / y.norm_l2();
        assert!(
            (rel - report.residual).abs() < 1e-9,
            "{rel} vs {}",
            report.residual
        );
    }

    #[test]
    fn ksvd_with_exact_svd_updates_and_bad_input() {
        let (y, dict, _) = planted_dictionary(12, 16, 2, 600, 0.01, 3).unwrap();
        let ksvd = Ksvd {
            atoms: 16,
            sparsity: 2,
            max_iter: 40,
            power_iters: 0,
            ..Default::default()
        };
        let (learned, _, _) = ksvd.fit(y.as_ref(), &mut quiet()).unwrap();
        assert!(dictionary_recovery(dict.as_ref(), learned.as_ref(), 0.99).unwrap() >= 0.85);
        let bad = Ksvd {
            sparsity: 20,
            ..ksvd.clone()
        };
        assert!(bad.fit(y.as_ref(), &mut quiet()).is_err());
        let few = Mat::<f64>::zeros(12, 5);
        assert!(ksvd.fit(few.as_ref(), &mut quiet()).is_err());
    }
}
