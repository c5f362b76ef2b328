//! Non-convex recovery: planted instances are recovered to high accuracy, the convex baselines
//! reach their optimality conditions, the factored gradients match finite differences, and the
//! readers reject malformed input with the file and line.

mod common;

use faer::Mat;
use optml::monitor::quiet;
use optml::nonconvex::completion::{self, AltMin, FactoredCompletion, FactoredGd, SoftImpute};
use optml::nonconvex::recovery_error;
use optml::nonconvex::triples::{parse_csv_triples, parse_matrix_market};
use optml::objective::Objective;
use optml::solvers::Stop;
use optml::Error;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_point(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| rng.random_range(-1.0..1.0)).collect()
}

// ---------------------------------------------------------------- matrix completion

#[test]
fn completion_gradient_matches_finite_differences() {
    let inst = completion::planted(12, 9, 2, 0.5, 1).unwrap();
    for balance in [0.0, 0.25] {
        let f = FactoredCompletion {
            observed: &inst.observed,
            rank: 2,
            balance,
        };
        let x = random_point(f.dim(), 2);
        let err = common::gradient_error(&f, &x);
        assert!(err < 1e-6, "balance {balance}: gradient error {err}");
        let mut g = vec![0.0; f.dim()];
        assert_eq!(f.value(&x), f.value_grad(&x, &mut g), "balance {balance}");
    }
}

#[test]
fn factored_gd_recovers_planted_completion() {
    let inst = completion::planted(200, 200, 5, 0.25, 3).unwrap();
    let gd = FactoredGd {
        rank: 5,
        stop: Stop {
            tol: 1e-12,
            max_iter: 2000,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (x, report) = gd.solve(&inst.observed, &mut quiet()).unwrap();
    let err = recovery_error(&x, &inst.truth).unwrap();
    assert!(report.status.converged(), "{report:?}");
    assert!(
        err <= 1e-8,
        "relative error {err} after {} iterations",
        report.iterations
    );
    // Each evaluation of f reads Ω once: at least one per iteration and the start.
    assert_eq!(report.solver, "factored-gd");
    assert!(report.passes >= (report.f_evals + report.g_evals) as f64);
    assert!(report.passes > report.iterations as f64, "{report:?}");
}

#[test]
fn altmin_recovers_planted_completion() {
    let inst = completion::planted(200, 200, 5, 0.2, 4).unwrap();
    let alt = AltMin {
        rank: 5,
        stop: Stop {
            tol: 1e-12,
            max_iter: 200,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (x, report) = alt.solve(&inst.observed, &mut quiet()).unwrap();
    let err = recovery_error(&x, &inst.truth).unwrap();
    assert!(report.status.converged(), "{report:?}");
    assert!(
        err <= 1e-8,
        "relative error {err} after {} sweeps",
        report.iterations
    );
}

/// S_λ(A): singular-value soft-thresholding by faer's full SVD.
fn soft_threshold(a: &Mat<f64>, lambda: f64) -> Mat<f64> {
    let svd = a.thin_svd().unwrap();
    let k = svd.S().dim();
    let s: Vec<f64> = (0..k).map(|i| (svd.S()[i] - lambda).max(0.0)).collect();
    let us = Mat::from_fn(a.nrows(), k, |i, j| svd.U()[(i, j)] * s[j]);
    &us * svd.V().transpose()
}

#[test]
fn soft_impute_reaches_its_fixed_point() {
    let inst = completion::planted(40, 30, 3, 0.5, 5).unwrap();
    let lambda = 2.0;
    let solver = SoftImpute {
        lambda,
        max_rank: 12,
        stop: Stop {
            tol: 1e-12,
            max_iter: 5000,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (x, report) = solver.solve(&inst.observed, &mut quiet()).unwrap();
    assert!(report.status.converged(), "{report:?}");
    assert!(x.rank < 12, "the rank cap must not bind, rank {}", x.rank);
    // Optimality of ½‖P_Ω(X − M)‖² + λ‖X‖_*: X = S_λ(X + P_Ω(M − X)), checked with a full SVD.
    let xd = x.to_dense();
    let mut step = xd.clone();
    for (i, j, m) in inst.observed.iter() {
        step[(i, j)] += m - xd[(i, j)];
    }
    let kkt = (&soft_threshold(&step, lambda) - &xd).norm_l2() / xd.norm_l2();
    assert!(kkt < 1e-9, "fixed-point residual {kkt}");
}

#[test]
fn completion_rejects_too_few_observations() {
    let inst = completion::planted(30, 30, 2, 0.05, 6).unwrap();
    let gd = FactoredGd {
        rank: 10,
        ..Default::default()
    };
    assert!(matches!(
        gd.solve(&inst.observed, &mut quiet()),
        Err(Error::InvalidInput(_))
    ));
}

// ---------------------------------------------------------------- readers

fn parse_error_line(e: Error) -> usize {
    match e {
        Error::Parse { line, .. } => line,
        other => panic!("expected a parse error, got {other}"),
    }
}

#[test]
fn csv_triples_read_and_reject() {
    let p = std::path::Path::new("obs.csv");
    let obs = parse_csv_triples(b"row,col,value\n0,1,2.5\n2,0,-1\n\n1,1,3e2\n", p, None).unwrap();
    assert_eq!((obs.nrows(), obs.ncols(), obs.len()), (3, 2, 3));
    let got: Vec<_> = obs.iter().collect();
    assert_eq!(got, vec![(0, 1, 2.5), (1, 1, 300.0), (2, 0, -1.0)]);
    let bad: [(&[u8], usize); 5] = [
        (b"0,1,2\n0,x,3\n", 2),
        (b"0,1,2\n1,1,nan\n", 2),
        (b"0,1\n", 1),
        (b"0,1,2\n-1,0,1\n", 2),
        (b"0,1,2\n5,0,1\n", 2),
    ];
    for (text, line) in bad {
        let e = parse_csv_triples(text, p, Some((3, 3))).unwrap_err();
        assert!(e.to_string().contains("obs.csv"), "{e}");
        assert_eq!(
            parse_error_line(e),
            line,
            "{}",
            String::from_utf8_lossy(text)
        );
    }
    // Duplicates and empty files.
    assert!(parse_csv_triples(b"0,0,1\n0,0,2\n", p, None).is_err());
    assert!(parse_csv_triples(b"row,col,value\n", p, None).is_err());
}

#[test]
fn matrix_market_reads_and_rejects() {
    let p = std::path::Path::new("obs.mtx");
    let text =
        b"%%MatrixMarket matrix coordinate real general\n% comment\n3 4 2\n1 1 1.5\n3 4 -2\n";
    let obs = parse_matrix_market(text, p).unwrap();
    assert_eq!((obs.nrows(), obs.ncols()), (3, 4));
    assert_eq!(
        obs.iter().collect::<Vec<_>>(),
        vec![(0, 0, 1.5), (2, 3, -2.0)]
    );
    let sym = parse_matrix_market(
        b"%%MatrixMarket matrix coordinate real symmetric\n2 2 2\n1 1 1\n2 1 5\n",
        p,
    )
    .unwrap();
    assert_eq!(sym.len(), 3);
    let bad: [(&[u8], usize); 6] = [
        (
            b"%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n",
            1,
        ),
        (
            b"%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1\n",
            1,
        ),
        (
            b"%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1\n",
            3,
        ),
        (
            b"%%MatrixMarket matrix coordinate real general\n2 2 1\n0 1 1\n",
            3,
        ),
        (
            b"%%MatrixMarket matrix coordinate real general\n2 2 9999999999\n1 1 1\n",
            2,
        ),
        (
            b"%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n",
            0,
        ),
    ];
    for (text, line) in bad {
        let e = parse_matrix_market(text, p).unwrap_err();
        assert_eq!(
            parse_error_line(e),
            line,
            "{}",
            String::from_utf8_lossy(text)
        );
    }
}

// ---------------------------------------------------------------- robust PCA

use optml::nonconvex::robust_pca::{self, AltProj, Pcp, RpcaGd};

fn rel(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
    (a - b).norm_l2() / b.norm_l2()
}

#[test]
fn rpca_gd_recovers_planted_decomposition() {
    let inst = robust_pca::planted(200, 200, 5, 0.1, 7).unwrap();
    let gd = RpcaGd {
        rank: 5,
        stop: Stop {
            tol: 1e-13,
            max_iter: 3000,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (l, s, report) = gd.solve(inst.observed.as_ref(), &mut quiet()).unwrap();
    let (el, es) = (
        recovery_error(&l, &inst.low_rank).unwrap(),
        rel(&s, &inst.sparse),
    );
    assert!(
        el <= 1e-8 && es <= 1e-8,
        "L error {el}, S error {es}: {report:?}"
    );
}

#[test]
fn altproj_recovers_planted_decomposition() {
    let inst = robust_pca::planted(200, 200, 5, 0.1, 8).unwrap();
    let ap = AltProj {
        rank: 5,
        stop: Stop {
            tol: 1e-13,
            max_iter: 300,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (d, report) = ap.solve(inst.observed.as_ref(), &mut quiet()).unwrap();
    let (el, es) = (
        rel(&d.low_rank, &inst.low_rank.to_dense()),
        rel(&d.sparse, &inst.sparse),
    );
    assert!(
        el <= 1e-8 && es <= 1e-8,
        "L error {el}, S error {es}: {report:?}"
    );
}

#[test]
fn pcp_meets_its_optimality_conditions() {
    let inst = robust_pca::planted(60, 50, 2, 0.05, 9).unwrap();
    let pcp = Pcp {
        stop: Stop {
            tol: 1e-10,
            max_iter: 500,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (d, y, report) = pcp.solve(inst.observed.as_ref(), &mut quiet()).unwrap();
    assert!(report.status.converged(), "{report:?}");
    let lambda = 1.0 / 60f64.sqrt();
    // Primal feasibility.
    let gap = (&inst.observed - &d.low_rank - &d.sparse).norm_l2() / inst.observed.norm_l2();
    assert!(gap < 1e-9, "feasibility {gap}");
    // Y ∈ λ∂‖S‖₁: Y = λ·sign(S) on the support, |Y| ≤ λ off it.
    for j in 0..50 {
        for i in 0..60 {
            let (s, yv) = (d.sparse[(i, j)], y[(i, j)]);
            if s != 0.0 {
                assert!(
                    (yv - lambda * s.signum()).abs() < 1e-9,
                    "({i},{j}): Y {yv}, S {s}"
                );
            } else {
                assert!(yv.abs() <= lambda * (1.0 + 1e-9));
            }
        }
    }
    // Y ∈ ∂‖L‖_*: ‖Y‖₂ ≤ 1 and ⟨Y, L⟩ = ‖L‖_*.
    let sy = y.thin_svd().unwrap();
    let sl = d.low_rank.thin_svd().unwrap();
    let nuclear: f64 = (0..50).map(|i| sl.S()[i]).sum();
    let inner: f64 = (0..50)
        .flat_map(|j| (0..60).map(move |i| (i, j)))
        .map(|(i, j)| y[(i, j)] * d.low_rank[(i, j)])
        .sum();
    assert!(sy.S()[0] <= 1.0 + 1e-6, "‖Y‖₂ = {}", sy.S()[0]);
    assert!(
        (inner - nuclear).abs() <= 1e-6 * nuclear,
        "⟨Y, L⟩ = {inner}, ‖L‖_* = {nuclear}"
    );
    // At this corruption level PCP also recovers the planted L.
    let el = rel(&d.low_rank, &inst.low_rank.to_dense());
    assert!(el < 1e-6, "PCP error {el}");
}

// ---------------------------------------------------------------- phase retrieval

use faer::c64;
use optml::nonconvex::phase_retrieval::{
    self as pr, distance_up_to_phase, TruncatedWirtingerFlow, WirtingerFlow, WirtingerLoss,
};

#[test]
fn wirtinger_gradient_matches_finite_differences() {
    let real = pr::planted::<f64>(8, 40, 10).unwrap();
    let f = WirtingerLoss {
        measurements: &real.measurements,
    };
    let err = common::gradient_error(&f, &random_point(f.dim(), 11));
    assert!(err < 1e-6, "real: {err}");
    let complex = pr::planted::<c64>(8, 40, 12).unwrap();
    let f = WirtingerLoss {
        measurements: &complex.measurements,
    };
    let err = common::gradient_error(&f, &random_point(f.dim(), 13));
    assert!(err < 1e-6, "complex: {err}");
}

fn twf_recovers<T: pr::Scalar>(n: usize, seed: u64) {
    let inst = pr::planted::<T>(n, 6 * n, seed).unwrap();
    let twf = TruncatedWirtingerFlow {
        stop: Stop {
            tol: 1e-13,
            relative: false,
            max_iter: 2000,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (z, report) = twf.solve(&inst.measurements, &mut quiet()).unwrap();
    let x_norm = inst.signal.iter().map(|v| v.abs2()).sum::<f64>().sqrt();
    let err = distance_up_to_phase(&z, &inst.signal) / x_norm;
    assert!(err <= 1e-8, "width {}: error {err}, {report:?}", T::WIDTH);
}

#[test]
fn twf_recovers_real_signal() {
    twf_recovers::<f64>(128, 14);
}

#[test]
fn twf_recovers_complex_signal() {
    twf_recovers::<c64>(64, 15);
}

#[test]
fn wf_recovers_real_signal_with_more_measurements() {
    let inst = pr::planted::<f64>(64, 8 * 64, 16).unwrap();
    let wf = WirtingerFlow {
        stop: Stop {
            tol: 1e-13,
            relative: false,
            max_iter: 3000,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (z, report) = wf.solve(&inst.measurements, &mut quiet()).unwrap();
    let x_norm = inst.signal.iter().map(|v| v * v).sum::<f64>().sqrt();
    let err = distance_up_to_phase(&z, &inst.signal) / x_norm;
    assert!(err <= 1e-8, "error {err}, {report:?}");
}

#[test]
fn distance_is_phase_invariant() {
    let x = [c64::new(1.0, 2.0), c64::new(-0.5, 0.25)];
    let rot = c64::new(0.6, 0.8);
    let z: Vec<c64> = x.iter().map(|&v| v * rot).collect();
    assert!(distance_up_to_phase(&z, &x) < 1e-15);
    let xr = [1.0, -2.0];
    assert!(distance_up_to_phase(&[-1.0, 2.0], &xr) < 1e-15);
    assert!((distance_up_to_phase(&[0.0, 0.0], &xr) - 5f64.sqrt()).abs() < 1e-15);
}

// ---------------------------------------------------------------- matrix sensing

use optml::nonconvex::sensing::{self, FactoredSensing, ProcrustesFlow};

#[test]
fn sensing_gradient_matches_finite_differences() {
    let inst = sensing::planted(6, 5, 2, 30, 17).unwrap();
    let f = FactoredSensing {
        measurements: &inst.measurements,
        rank: 2,
        balance: 0.25,
    };
    let x = random_point(f.dim(), 18);
    let err = common::gradient_error(&f, &x);
    assert!(err < 1e-6, "gradient error {err}");
    let mut g = vec![0.0; f.dim()];
    assert_eq!(f.value(&x), f.value_grad(&x, &mut g));
}

#[test]
fn procrustes_flow_recovers_planted_sensing() {
    let inst = sensing::planted(20, 20, 2, 400, 19).unwrap();
    let pf = ProcrustesFlow {
        rank: 2,
        stop: Stop {
            tol: 1e-12,
            max_iter: 3000,
            ..Stop::default()
        },
        ..Default::default()
    };
    let (x, report) = pf.solve(&inst.measurements, &mut quiet()).unwrap();
    let err = recovery_error(&x, &inst.truth).unwrap();
    assert!(err <= 1e-8, "relative error {err}, {report:?}");
    assert_eq!(report.solver, "procrustes-flow");
    assert!(report.passes > report.iterations as f64, "{report:?}");
}

/// Fewer measurements than unknowns cannot determine x: planting such an instance and solving
/// one built from a wide A are both refused with a message naming m and n, not run to overflow.
#[test]
fn phase_retrieval_refuses_fewer_measurements_than_unknowns() {
    let err = pr::planted::<f64>(1024, 128, 1)
        .err()
        .expect("m < n planted");
    let msg = err.to_string();
    assert!(
        msg.contains("m = 128") && msg.contains("n = 1024") && msg.contains("m × n"),
        "{msg}"
    );
    assert!(pr::planted::<c64>(10, 9, 1).is_err());
    assert!(pr::planted::<f64>(10, 10, 1).is_ok());
    let (m, n) = (3, 5);
    let a: Vec<f64> = (0..m * n).map(|k| (k as f64).sin()).collect();
    let meas = pr::Measurements::new(m, n, a, vec![1.0; m]).unwrap();
    let wf = WirtingerFlow::default().solve(&meas, &mut quiet());
    assert!(wf.expect_err("wf").to_string().contains("m = 3"));
    let twf = TruncatedWirtingerFlow::default().solve(&meas, &mut quiet());
    assert!(twf.expect_err("twf").to_string().contains("n = 5"));
}

/// A shape given with a Matrix Market file must agree with its header, not be ignored.
#[test]
fn a_shape_that_contradicts_a_matrix_market_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.mtx");
    std::fs::write(
        &path,
        "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.5\n3 2 -2\n",
    )
    .unwrap();
    let read = optml::nonconvex::triples::read_triples;
    assert_eq!(read(&path, None).unwrap().nrows(), 3);
    assert_eq!(read(&path, Some((3, 3))).unwrap().ncols(), 3);
    let err = read(&path, Some((4, 4))).unwrap_err().to_string();
    assert!(
        err.contains("t.mtx") && err.contains("3 × 3") && err.contains("4 × 4"),
        "{err}"
    );
}
