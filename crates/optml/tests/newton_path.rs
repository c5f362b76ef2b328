//! The Newton path of Marteau-Ferey, Bach & Rudi (2019): its total number of Newton steps grows
//! like the logarithm of the condition number, measured on a sweep of C.

mod common;

use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::quiet;
use optml::solvers::{Method, Stop};

/// Breast cancer's raw features span six orders of magnitude, so the Hessian's condition
/// number grows about in proportion to C: from ~10⁴ at C = 10⁻⁴ to ~10¹¹ at C = 10³.
#[test]
fn newton_steps_grow_like_the_log_of_the_condition_number() {
    let data = common::fixture("breast_cancer.svm");
    let cs: Vec<f64> = (-4..=3).map(|e| 10f64.powi(e)).collect();
    let mut steps = Vec::new();
    for &c in &cs {
        let spec = GlmSpec {
            loss: Loss::Logistic,
            ridge: Ridge::C(c),
            ..Default::default()
        };
        let stop = Stop {
            tol: 1e-10,
            max_iter: 1000,
            ..Stop::default()
        };
        let (_, path) = fit_glm(
            &data,
            &spec,
            Choice::Use(Method::NewtonPath),
            stop,
            &mut quiet(),
        )
        .unwrap();
        assert!(path.status.converged(), "C = {c}: {}", path.status);
        // The same optimum as Newton-CG.
        let (_, newton) = fit_glm(
            &data,
            &spec,
            Choice::Use(Method::NewtonCg),
            stop,
            &mut quiet(),
        )
        .unwrap();
        assert!(
            (path.f - newton.f).abs() <= 1e-10 * newton.f.abs(),
            "C = {c}: {} vs {}",
            path.f,
            newton.f
        );
        eprintln!(
            "C = {c:e}: newton-path {} steps ({} products), newton-cg {} steps ({} products)",
            path.iterations, path.hv_products, newton.iterations, newton.hv_products
        );
        steps.push(path.iterations as f64);
    }
    // Least-squares slope of steps against log₁₀ C, and the largest deviation from the line.
    let xs: Vec<f64> = cs.iter().map(|c| c.log10()).collect();
    let n = xs.len() as f64;
    let (mx, my) = (xs.iter().sum::<f64>() / n, steps.iter().sum::<f64>() / n);
    let sxy: f64 = xs
        .iter()
        .zip(&steps)
        .map(|(x, y)| (x - mx) * (y - my))
        .sum();
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    let slope = sxy / sxx;
    let worst = xs
        .iter()
        .zip(&steps)
        .map(|(x, y)| (y - (my + slope * (x - mx))).abs())
        .fold(0.0, f64::max);
    // log(condition) rises by seven decades: one or two steps per decade (q = 0.1), on a line.
    // Steps growing like √κ would triple with each decade instead.
    assert!(
        slope > 0.0 && slope <= 3.0 && worst <= 4.0,
        "steps {steps:?} against log10 C {xs:?}: slope {slope:.2} per decade, worst deviation {worst:.1}"
    );
}
