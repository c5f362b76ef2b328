//! Nonlinear least squares (`optml::solvers::least_squares`): Jacobian products of the
//! Moré–Garbow–Hillstrom residuals against finite differences, Gauss–Newton and
//! Levenberg–Marquardt against the published minima, and Gauss–Newton in random subspaces.

use optml::models::testfns::{Mgh, MghProblem};
use optml::monitor::quiet;
use optml::solvers::least_squares::{
    GaussNewton, LevenbergMarquardt, Residuals, SketchedGaussNewton, SubspaceSketch,
};
use optml::solvers::{Report, Stop};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use MghProblem::*;

#[test]
fn jacobian_products_match_finite_differences() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut worst: f64 = 0.0;
    for f in Mgh::all() {
        let (m, n) = (f.m(), f.n());
        let x: Vec<f64> = f
            .start()
            .iter()
            .map(|&v| v + 0.05 * (v.abs() + 0.1) * rng.random_range(-1.0..1.0))
            .collect();
        let v: Vec<f64> = x
            .iter()
            .map(|xj| rng.random_range(-1.0..1.0) * (xj.abs() + 0.01))
            .collect();
        let u: Vec<f64> = (0..m).map(|_| rng.random_range(-1.0..1.0)).collect();
        let mut jv = vec![0.0; m];
        f.jvp(&x, &v, &mut jv);
        // Fourth-order central differences of r along v, the best of a few steps.
        let r_at = |t: f64| {
            let y: Vec<f64> = x.iter().zip(&v).map(|(a, b)| a + t * b).collect();
            let mut r = vec![0.0; m];
            Residuals::residuals(&f, &y, &mut r);
            r
        };
        let scale = jv.iter().fold(0.0f64, |a, b| a.max(b.abs()));
        let err = [1e-2, 1e-3, 1e-4, 1e-5]
            .iter()
            .map(|&h| {
                let (p1, m1, p2, m2) = (r_at(h), r_at(-h), r_at(2.0 * h), r_at(-2.0 * h));
                (0..m)
                    .map(|i| {
                        let fd = (8.0 * (p1[i] - m1[i]) - (p2[i] - m2[i])) / (12.0 * h);
                        (fd - jv[i]).abs()
                    })
                    .fold(0.0, f64::max)
            })
            .fold(f64::INFINITY, f64::min)
            / (scale + 1e-8);
        worst = worst.max(err);
        assert!(err < 1e-6, "{f}: J·v error {err:e}");
        // Jᵀ is the adjoint of J: ⟨J·v, u⟩ = ⟨v, Jᵀ·u⟩, and the dense J agrees.
        let mut jtu = vec![0.0; n];
        f.vjp(&x, &u, &mut jtu);
        let (a, b) = (optml::linalg::dot(&jv, &u), optml::linalg::dot(&v, &jtu));
        assert!((a - b).abs() <= 1e-10 * (1.0 + a.abs()), "{f}: {a} vs {b}");
        let j = Residuals::jacobian(&f, &x).unwrap();
        for i in 0..m {
            let row: f64 = (0..n).map(|k| j[(i, k)] * v[k]).sum();
            assert!((row - jv[i]).abs() <= 1e-12 * (1.0 + scale));
        }
    }
    println!("worst relative J·v error {worst:.1e}");
}

const STOP: Stop = Stop {
    tol: 1e-10,
    relative: false,
    max_iter: 2000,
    max_seconds: f64::INFINITY,
};

/// The zero-residual problems (f* = 0) at their standard sizes.
fn zero_residual() -> Vec<Mgh> {
    Mgh::all()
        .into_iter()
        .filter(|f| f.known_minimum() == Some(0.0))
        .collect()
}

/// f < 10⁻²⁰, or a listed minimum to 10⁻⁸ relative.
fn solved(f: &Mgh, r: &Report) -> bool {
    r.f < 1e-20 || f.reached_a_listed_minimum(r.f)
}

/// Zero-residual problems where the method ends elsewhere from x₀ (with the reason).
const GN_MISSES: &[(MghProblem, &str)] = &[
    (
        FreudensteinRoth,
        "the undamped step is poor where J is nearly singular: the line search stalls at \
         f = 58.12, neither minimum",
    ),
    (
        Gulf,
        "full Gauss–Newton steps leave the region where the exponential model holds; the \
         line search crawls (f = 0.88 after 2000 iterations)",
    ),
];
const LM_MISSES: &[(MghProblem, &str)] = &[];

#[test]
fn gauss_newton_and_levenberg_marquardt_reach_the_zero_residual_minima() {
    println!(
        "{:<27} | {:>5} {:>10} {:>5} | {:>5} {:>10} {:>5}",
        "problem", "GN it", "f", "J·v", "LM it", "f", "J·v"
    );
    let mut wrong = Vec::new();
    for f in zero_residual() {
        let mut x = f.start();
        let gn = GaussNewton {
            stop: STOP,
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        let mut x = f.start();
        let lm = LevenbergMarquardt {
            stop: STOP,
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        println!(
            "{:<27} | {:>5} {:>10.2e} {:>5} | {:>5} {:>10.2e} {:>5}",
            f.name(),
            gn.iterations,
            gn.f,
            gn.hv_products,
            lm.iterations,
            lm.f,
            lm.hv_products
        );
        for (name, r, misses) in [("GN", &gn, GN_MISSES), ("LM", &lm, LM_MISSES)] {
            let listed = misses.iter().any(|(p, _)| *p == f.problem());
            if solved(&f, r) == listed {
                wrong.push(format!("{f} {name}: {} at f = {:e} ({r:?})", r.status, r.f));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn levenberg_marquardt_on_the_nonzero_residual_problems() {
    let mut wrong = Vec::new();
    for f in Mgh::all()
        .into_iter()
        .filter(|f| f.known_minimum() != Some(0.0))
    {
        let mut x = f.start();
        let lm = LevenbergMarquardt {
            stop: STOP,
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        println!(
            "{:<27} {:>5} {:<22} f = {:.10e}",
            f.name(),
            lm.iterations,
            lm.status.to_string(),
            lm.f
        );
        if !f.reached_a_listed_minimum(lm.f) {
            wrong.push(format!("{f}: {} at {:e}", lm.status, lm.f));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn sketched_gauss_newton_full_and_reduced_subspaces() {
    // s = n with coordinates: trust-region Gauss–Newton; it solves what Gauss–Newton solves.
    for p in [
        Rosenbrock,
        HelicalValley,
        Box3d,
        Wood,
        BroydenTridiagonal,
        BrownAlmostLinear,
    ] {
        let f = Mgh::new(p);
        let mut x = f.start();
        let gn = GaussNewton {
            stop: STOP,
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        let mut x = f.start();
        let full = SketchedGaussNewton {
            stop: STOP,
            dim: f.n(),
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        println!(
            "{}: GN {} iterations f = {:.1e}; R-SGN s = n {} iterations f = {:.1e}",
            f.name(),
            gn.iterations,
            gn.f,
            full.iterations,
            full.f
        );
        assert!(full.f < 1e-20 && gn.f < 1e-20, "{f}: {gn:?} {full:?}");
    }
    // s < n on a d = 100 zero-residual problem.
    let f = Mgh::with_n(ExtendedRosenbrock, 100).unwrap();
    for (sketch, s) in [
        (SubspaceSketch::Coordinate, 20),
        (SubspaceSketch::Coordinate, 50),
        (SubspaceSketch::Gaussian, 50),
    ] {
        let mut x = f.start();
        let r = SketchedGaussNewton {
            stop: Stop {
                max_iter: 20_000,
                ..STOP
            },
            dim: s,
            sketch,
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut quiet())
        .unwrap();
        println!(
            "extended Rosenbrock n = 100, {sketch:?} s = {s}: {} iterations, {} Jacobian \
             products, f = {:.1e} ({})",
            r.iterations, r.hv_products, r.f, r.status
        );
        assert!(r.f < 1e-20 && r.status.converged(), "{sketch:?}: {r:?}");
        let err = x.iter().map(|v| (v - 1.0).abs()).fold(0.0, f64::max);
        assert!(err < 1e-9, "{err:e}");
    }
}

#[test]
fn bad_input_is_an_error() {
    let f = Mgh::new(Rosenbrock);
    let q = quiet;
    assert!(GaussNewton::default()
        .minimize(&f, &mut [0.0; 3], &mut q())
        .is_err());
    assert!(LevenbergMarquardt::default()
        .minimize(&f, &mut [f64::NAN, 0.0], &mut q())
        .is_err());
    let bad = SketchedGaussNewton {
        dim: 0,
        ..Default::default()
    };
    assert!(bad.minimize(&f, &mut f.start(), &mut q()).is_err());
}
