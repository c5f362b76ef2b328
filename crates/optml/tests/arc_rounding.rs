//! ARC at the rounding level of f: where neither f nor ∇f can improve any further it stops
//! (stalled) at the minimum instead of wandering until the iteration limit, and on an
//! ill-conditioned problem its subproblem stop keeps Newton's local rate.

use optml::models::testfns::{Mgh, MghProblem};
use optml::monitor::quiet;
use optml::solvers::{AdaptiveCubic, Status, Stop};

fn stop() -> Stop {
    Stop {
        max_iter: 10_000,
        ..Stop::absolute(1e-10)
    }
}

#[test]
fn stops_where_rounding_hides_further_progress() {
    // Linear rank 1 from 100·x₀: f ≈ 10¹¹ at the start, so ‖∇f‖ ≤ 10⁻¹⁰ lies below the
    // rounding of the gradient at the minimum.
    for problem in [
        MghProblem::LinearRank1,
        MghProblem::LinearRank1ZeroColumnsRows,
    ] {
        let f = Mgh::new(problem);
        let mut x: Vec<f64> = f.start().iter().map(|v| 100.0 * v).collect();
        let r = AdaptiveCubic {
            stop: stop(),
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        assert!(f.reached_a_listed_minimum(r.f), "{problem:?}: {r:?}");
        assert!(r.iterations < 100, "{problem:?}: {r:?}");
        assert!(
            matches!(
                r.status,
                Status::Stalled | Status::ConvergedAbsoluteGradient
            ),
            "{problem:?}: {r:?}"
        );
    }
}

#[test]
fn keeps_a_fast_local_rate_on_watson() {
    // Watson (n = 9) has a Hilbert-like Hessian: a subproblem stop that lets ‖∇m(s)‖ exceed
    // ‖g‖ (the ‖s‖² form alone) took 111 iterations here.
    let f = Mgh::new(MghProblem::Watson);
    let mut x = f.start();
    let r = AdaptiveCubic {
        stop: stop(),
        ..Default::default()
    }
    .minimize(&f, &mut x, &mut quiet())
    .unwrap();
    assert!(r.status.converged(), "{r:?}");
    assert!(f.reached_a_listed_minimum(r.f), "{r:?}");
    assert!(r.iterations <= 25, "{r:?}");
}
