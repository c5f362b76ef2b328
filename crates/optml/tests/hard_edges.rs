//! Library-side checks of inputs at the edges: stop rules, thresholds, thread counts and sizes
//! that would not fit in memory are refused with [`optml::Error::InvalidInput`] before any work.

use faer::Mat;
use optml::data::parse_libsvm;
use optml::fit::{fit_glm, Choice};
use optml::models::glm::GlmSpec;
use optml::monitor::quiet;
use optml::nonconvex::phase_retrieval::{planted, WirtingerFlow};
use optml::nonconvex::robust_pca::AltProj;
use optml::solvers::Stop;
use optml::Error;

fn invalid<T: std::fmt::Debug>(r: optml::Result<T>, needle: &str) {
    match r {
        Err(Error::InvalidInput(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected an invalid-input error with '{needle}', got {other:?}"),
    }
}

#[test]
fn stop_rules_that_can_never_be_met_are_refused_by_every_kind_of_solver() {
    let data = parse_libsvm(
        b"1 1:1\n-1 1:-1 2:1\n",
        "t.svm".as_ref(),
        &Default::default(),
    )
    .unwrap();
    let bad = [
        Stop::relative(-1.0),
        Stop::absolute(f64::NAN),
        Stop {
            max_seconds: -1.0,
            ..Stop::default()
        },
    ];
    for stop in bad {
        let glm = fit_glm(&data, &GlmSpec::default(), Choice::Auto, stop, &mut quiet());
        invalid(glm, "");
        let p = planted::<f64>(8, 48, 1).unwrap();
        let wf = WirtingerFlow {
            stop,
            ..Default::default()
        };
        invalid(wf.solve(&p.measurements, &mut quiet()), "");
        let m = Mat::from_fn(12, 10, |i, j| ((i * 7 + j * 3) % 5) as f64);
        let altproj = AltProj {
            rank: 2,
            stop,
            ..Default::default()
        };
        invalid(altproj.solve(m.as_ref(), &mut quiet()), "");
    }
    let m = Mat::from_fn(12, 10, |i, j| ((i * 7 + j * 3) % 5) as f64);
    for beta in [-1.0, 0.0, f64::NAN, f64::INFINITY] {
        let altproj = AltProj {
            rank: 2,
            beta: Some(beta),
            ..Default::default()
        };
        invalid(altproj.solve(m.as_ref(), &mut quiet()), "β");
    }
}

#[test]
fn thread_counts_are_capped() {
    let max = optml::max_threads();
    assert!(max >= 16);
    assert_eq!(
        optml::with_threads(2, rayon::current_num_threads).unwrap(),
        2
    );
    invalid(optml::with_threads(max + 1, || ()), "threads");
    invalid(optml::with_threads(0, || ()), "threads");
}

#[test]
fn sizes_over_the_memory_cap_are_refused_before_allocating() {
    invalid(
        planted::<f64>(1_000_000_000, 4_000_000_000, 1).map(|_| ()),
        "GiB",
    );
    invalid(
        optml::models::mlp::parse_sizes("5-100000-100000-3"),
        "5-100000-100000-3",
    );
    invalid(
        optml::nonconvex::dictionary::planted_dictionary(8, 16, 2, 100_000_000_000, 0.0, 1),
        "GiB",
    );
    assert!(optml::models::mlp::parse_sizes("5-1000-1000-3").is_ok());
}
