//! The first-order methods against each other on a quadratic with known minimizer.

use super::{Beta, GradientDescent, Nesterov, NonlinearCg, Restart, TrialStep};
use crate::monitor::quiet;
use crate::solvers::{Report, Stop};

/// f = Σ cᵢ(xᵢ − 1)², condition number 100.
fn quadratic() -> crate::FnObjective<impl Fn(&[f64], &mut [f64]) -> f64> {
    crate::FnObjective::new(10, |x: &[f64], g: &mut [f64]| {
        let mut v = 0.0;
        for (i, (xi, gi)) in x.iter().zip(g.iter_mut()).enumerate() {
            let c = 1.0 + 11.0 * i as f64;
            *gi = 2.0 * c * (xi - 1.0);
            v += c * (xi - 1.0).powi(2);
        }
        v
    })
}

#[test]
fn each_reaches_the_minimum_of_a_quadratic() {
    let stop = Stop::absolute(1e-9);
    let f = quadratic();
    let runs: Vec<(Report, Vec<f64>)> = (0..5)
        .map(|k| {
            let mut x = vec![0.0; 10];
            let r = match k {
                0 => GradientDescent {
                    stop,
                    ..Default::default()
                }
                .minimize(&f, &mut x, &mut quiet()),
                1 => GradientDescent {
                    stop,
                    trial: TrialStep::Double,
                    nonmonotone: None,
                    ..Default::default()
                }
                .minimize(&f, &mut x, &mut quiet()),
                2 => Nesterov {
                    stop,
                    ..Default::default()
                }
                .minimize(&f, &mut x, &mut quiet()),
                3 => NonlinearCg {
                    stop,
                    ..Default::default()
                }
                .minimize(&f, &mut x, &mut quiet()),
                _ => NonlinearCg {
                    stop,
                    beta: Beta::HagerZhang,
                    ..Default::default()
                }
                .minimize(&f, &mut x, &mut quiet()),
            }
            .unwrap();
            (r, x)
        })
        .collect();
    for (r, x) in &runs {
        assert!(r.status.converged(), "{r:?}");
        assert!(
            x.iter().all(|v| (v - 1.0).abs() < 1e-9),
            "{}: {x:?}",
            r.solver
        );
    }
    // CG on a quadratic with a near-exact line search takes about n steps; GD with a
    // monotone search pays for the conditioning.
    assert!(runs[3].0.iterations <= 30, "{:?}", runs[3].0);
    assert!(runs[1].0.iterations > runs[3].0.iterations);
}

#[test]
fn restart_speeds_up_nesterov_on_a_strongly_convex_problem() {
    let f = quadratic();
    let iters = |restart| {
        let mut x = vec![0.0; 10];
        Nesterov {
            stop: Stop::absolute(1e-9),
            restart,
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap()
        .iterations
    };
    let (never, gradient) = (iters(Restart::Never), iters(Restart::Gradient));
    assert!(gradient < never, "restart {gradient}, never {never}");
    assert!(iters(Restart::Function) < never);
}

/// The fixed-step loop that [`TrialStep::Keep`] reproduces: x ← x − η·∇f(x), η halved (for good)
/// whenever the step would raise f, giving up once η < 10⁻¹²·η₀. Returns f after each accepted
/// step, the trial points evaluated and whether it gave up.
fn halving_loop(
    f: &impl crate::Objective,
    x: &mut [f64],
    eta0: f64,
    stop: Stop,
) -> (Vec<f64>, usize, bool) {
    let n = x.len();
    let (mut g, mut trial, mut gt) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut fx = f.value_grad(x, &mut g);
    let (mut eta, mut values, mut trials) = (eta0, vec![fx], 0);
    while values.len() <= stop.max_iter && crate::linalg::norm(&g) > stop.tol {
        trial.copy_from_slice(x);
        crate::linalg::axpy(-eta, &g, &mut trial);
        let ft = f.value_grad(&trial, &mut gt);
        trials += 1;
        if ft > fx {
            eta *= 0.5;
            if eta < 1e-12 * eta0 {
                return (values, trials, true);
            }
            continue;
        }
        x.copy_from_slice(&trial);
        std::mem::swap(&mut g, &mut gt);
        fx = ft;
        values.push(fx);
    }
    (values, trials, false)
}

fn keep(eta: f64, stop: Stop) -> GradientDescent {
    GradientDescent {
        stop,
        c1: 0.0,
        trial: TrialStep::Keep,
        first_step: Some(eta),
        nonmonotone: None,
    }
}

#[test]
fn keep_halves_a_fixed_step_as_the_plain_loop_does() {
    let f = quadratic();
    let stop = Stop {
        max_iter: 5000,
        ..Stop::absolute(1e-9)
    };
    // Along −∇f the error in coordinate i scales by 1 − 2cᵢη, cᵢ from 1 to 100. η = 1 raises f
    // until it is halved to 2⁻⁷; from η = 0.0105 the first step lowers f but the steepest
    // coordinate grows (|1 − 2.1| > 1) until f rises and η is halved later; 4·10⁻³ is stable.
    for eta in [1.0, 0.0105, 4e-3] {
        let mut x_old = vec![0.0; 10];
        let (values, trials, gave_up) = halving_loop(&f, &mut x_old, eta, stop);
        let mut x = vec![0.0; 10];
        let mut seen = Vec::new();
        let mut record = |i: &crate::monitor::IterInfo| {
            seen.push(i.f);
            true
        };
        let r = keep(eta, stop).minimize(&f, &mut x, &mut record).unwrap();
        assert!(!gave_up && r.status.converged(), "η = {eta}: {r:?}");
        assert_eq!(seen, values, "η = {eta}: f along the run");
        assert_eq!(x, x_old, "η = {eta}");
        assert_eq!(r.iterations + 1, values.len());
        assert_eq!(r.f_evals, trials, "η = {eta}: trial points");
        // The first trial of a search evaluates ∇f too; a further gradient is only needed
        // where it was rejected.
        assert!(r.g_evals - 1 <= trials - r.iterations, "η = {eta}: {r:?}");
        if eta == 1.0 {
            assert_eq!(trials, r.iterations + 7, "η = 1: seven halvings, {r:?}");
        }
    }
}

#[test]
fn keep_halves_later_steps_too() {
    // At η = 0.0105 the first step lowers f but the steepest coordinate grows by 1.1 a step, so
    // f later rises and the step is halved after the first iteration.
    let f = quadratic();
    let stop = Stop::absolute(1e-9);
    let mut x = vec![0.0; 10];
    let mut steps = Vec::new();
    let mut f_prev = f64::INFINITY;
    let mut record = |i: &crate::monitor::IterInfo| {
        steps.push(i.f < f_prev);
        f_prev = i.f;
        true
    };
    let r = keep(0.0105, stop)
        .minimize(&f, &mut x, &mut record)
        .unwrap();
    assert!(steps.iter().all(|&down| down), "f must fall at every step");
    assert!(r.f_evals > r.iterations, "{r:?}");
    let mut x1 = vec![0.0; 10];
    let one = keep(
        0.0105,
        Stop {
            max_iter: 1,
            ..stop
        },
    )
    .minimize(&f, &mut x1, &mut quiet())
    .unwrap();
    assert_eq!(one.f_evals, 1, "the first step is accepted: {one:?}");
}

#[test]
fn keep_gives_up_below_a_trillionth_of_the_first_step() {
    // f(x) = x₁ reported with the gradient −1: no step along −∇f lowers f, and f(0) = 0 leaves
    // no room for rounding. The loop tries η₀, η₀/2, …, η₀·2⁻³⁹ (the last ≥ 10⁻¹²·η₀).
    let f = crate::FnObjective::new(1, |x: &[f64], g: &mut [f64]| {
        g[0] = -1.0;
        x[0]
    });
    let (_, trials, gave_up) = halving_loop(&f, &mut [0.0], 0.5, Stop::default());
    assert!(gave_up);
    assert_eq!(trials, 40);
    let mut x = [0.0];
    let r = keep(0.5, Stop::default())
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
    assert_eq!(r.status, crate::solvers::Status::Stalled);
    assert_eq!(r.f_evals, trials);
    assert_eq!(x, [0.0]);
}

#[test]
fn first_step_must_be_positive_and_finite() {
    let f = quadratic();
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let mut x = vec![0.0; 10];
        let r = keep(bad, Stop::default()).minimize(&f, &mut x, &mut quiet());
        assert!(
            matches!(r, Err(crate::Error::InvalidInput(_))),
            "{bad}: {r:?}"
        );
    }
}
