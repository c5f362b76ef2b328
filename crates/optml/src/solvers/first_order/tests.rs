//! The first-order methods against each other on a quadratic with known minimizer.

use super::{Beta, GradientDescent, Nesterov, NonlinearCg, Restart};
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
                    barzilai_borwein: false,
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
