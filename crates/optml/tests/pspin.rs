//! The spherical 3-spin glass: derivatives against finite differences along the sphere, and the
//! local minima the saddle-escaping solvers reach.

use optml::monitor::quiet;
use optml::nonconvex::pspin::{sample_minima, threshold_energy, Descent, PSpin, GROUND_STATE};
use optml::objective::{Curvature, LinearOperator, Objective};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

fn gaussian(n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    (0..n).map(|_| StandardNormal.sample(rng)).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// A random point σ on the sphere ‖σ‖² = N and a unit tangent vector there.
fn point_and_tangent(model: &PSpin, rng: &mut ChaCha8Rng) -> (Vec<f64>, Vec<f64>) {
    let n = model.spins();
    let s = model.project(&gaussian(n, rng));
    let mut v = gaussian(n, rng);
    let c = dot(&v, &s) / n as f64;
    v.iter_mut().zip(&s).for_each(|(a, b)| *a -= c * b);
    let vn = dot(&v, &v).sqrt();
    v.iter_mut().for_each(|a| *a /= vn);
    (s, v)
}

/// The geodesic t ↦ cos(t/√N)σ + √N sin(t/√N)v through σ with unit speed along v.
fn geodesic(s: &[f64], v: &[f64], t: f64) -> Vec<f64> {
    let rn = (s.len() as f64).sqrt();
    s.iter()
        .zip(v)
        .map(|(a, b)| (t / rn).cos() * a + rn * (t / rn).sin() * b)
        .collect()
}

#[test]
fn energy_is_normalized_and_euclidean_gradient_matches() {
    let model = PSpin::new(12, 1).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let x = gaussian(12, &mut rng);
    let d = gaussian(12, &mut rng);
    let mut g = vec![0.0; 12];
    let h = model.energy_grad(&x, &mut g);
    assert!((h - model.energy(&x)).abs() < 1e-12);
    let eps = 1e-5;
    let plus: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + eps * b).collect();
    let minus: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a - eps * b).collect();
    let fd = (model.energy(&plus) - model.energy(&minus)) / (2.0 * eps);
    assert!((fd - dot(&g, &d)).abs() < 1e-7 * (1.0 + fd.abs()), "{fd}");
    // Homogeneous of degree 3: H(2x) = 8H(x), and the same seed gives the same sample.
    let x2: Vec<f64> = x.iter().map(|a| 2.0 * a).collect();
    assert!((model.energy(&x2) - 8.0 * h).abs() < 1e-10 * h.abs().max(1.0));
    assert_eq!(PSpin::new(12, 1).unwrap().energy(&x), h);
    assert_ne!(PSpin::new(12, 3).unwrap().energy(&x), h);
    // E[H(σ)²] = N on the sphere: the sample mean of H²/N over many seeds is near 1.
    let n = 10;
    let s = PSpin::new(n, 0).unwrap().project(&gaussian(n, &mut rng));
    let m2: f64 = (0..300)
        .map(|seed| PSpin::new(n, 100 + seed).unwrap().energy(&s).powi(2) / n as f64)
        .sum::<f64>()
        / 300.0;
    assert!((m2 - 1.0).abs() < 0.25, "E[H²]/N = {m2}");
}

#[test]
fn riemannian_gradient_and_hessian_match_the_geodesic() {
    let model = PSpin::new(15, 4).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..3 {
        let (s, v) = point_and_tangent(&model, &mut rng);
        let mut g = vec![0.0; 15];
        let h0 = model.riemannian_gradient(&s, &mut g);
        assert!(dot(&g, &s).abs() < 1e-10, "gradient is tangent");
        let f = |t: f64| model.energy(&geodesic(&s, &v, t));
        let t = 1e-4;
        let d1 = (f(t) - f(-t)) / (2.0 * t);
        assert!((d1 - dot(&g, &v)).abs() < 1e-6, "{d1} vs {}", dot(&g, &v));
        let d2 = (f(t) - 2.0 * h0 + f(-t)) / (t * t);
        let hess = model.riemannian_hessian(&s);
        let mut hv = vec![0.0; 15];
        hess.apply(&v, &mut hv);
        assert!((d2 - dot(&v, &hv)).abs() < 1e-4 * (1.0 + d2.abs()), "{d2}");
        // Symmetric, and zero along σ.
        let (_, w) = point_and_tangent(&model, &mut rng);
        let mut hw = vec![0.0; 15];
        hess.apply(&w, &mut hw);
        assert!((dot(&w, &hv) - dot(&v, &hw)).abs() < 1e-10);
        hess.apply(&s, &mut hw);
        assert!(hw.iter().all(|a| a.abs() < 1e-10));
    }
}

#[test]
fn euclidean_extension_gradient_and_hessian_match_finite_differences() {
    let n = 14;
    let mut model = PSpin::new(n, 6).unwrap();
    model.penalty = 0.7;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    // Off the sphere, where the penalty and the radial terms matter.
    let x: Vec<f64> = gaussian(n, &mut rng).iter().map(|a| 1.4 * a).collect();
    let d = gaussian(n, &mut rng);
    let mut g = vec![0.0; n];
    model.value_grad(&x, &mut g);
    let eps = 1e-5;
    let at = |t: f64| -> Vec<f64> { x.iter().zip(&d).map(|(a, b)| a + t * b).collect() };
    let fd = (model.value(&at(eps)) - model.value(&at(-eps))) / (2.0 * eps);
    assert!((fd - dot(&g, &d)).abs() < 1e-6 * (1.0 + fd.abs()), "{fd}");
    let (mut gp, mut gm, mut hd) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    model.value_grad(&at(eps), &mut gp);
    model.value_grad(&at(-eps), &mut gm);
    model.hessian(&x).apply(&d, &mut hd);
    for i in 0..n {
        let fd = (gp[i] - gm[i]) / (2.0 * eps);
        assert!(
            (fd - hd[i]).abs() < 1e-5 * (1.0 + fd.abs()),
            "{i}: {fd} vs {}",
            hd[i]
        );
    }
}

#[test]
fn minima_are_second_order_stationary_in_the_energy_band() {
    let n = 40;
    let model = PSpin::new(n, 8).unwrap();
    let minima =
        sample_minima(&model, 6, Descent::NegativeCurvature, 1e-9, 1, &mut quiet()).unwrap();
    let mut energies = vec![];
    for m in &minima {
        assert!(m.report.status.converged(), "{:?}", m.report);
        assert!(m.grad_norm < 1e-7, "{}", m.grad_norm);
        assert!(m.min_eigenvalue > -1e-6, "{}", m.min_eigenvalue);
        // Loose finite-N band around [E₀, E_∞] = [−1.657, −1.633].
        assert!(m.energy > GROUND_STATE - 0.25 && m.energy < threshold_energy() + 0.25);
        energies.push(m.energy);
    }
    // Random starts reach several distinct minima.
    energies.sort_by(f64::total_cmp);
    energies.dedup_by(|a, b| (*a - *b).abs() < 1e-8);
    assert!(energies.len() >= 2, "{energies:?}");
}

#[test]
fn arc_and_perturbed_gd_reach_minima_too() {
    let model = PSpin::new(20, 9).unwrap();
    for method in [Descent::Arc, Descent::PerturbedGd] {
        let tol = if method == Descent::Arc { 1e-9 } else { 1e-5 };
        let m = &sample_minima(&model, 1, method, tol, 3, &mut quiet()).unwrap()[0];
        assert!(m.grad_norm < 10.0 * tol, "{method:?}: {}", m.grad_norm);
        assert!(m.min_eigenvalue > -1e-3, "{method:?}: {}", m.min_eigenvalue);
        assert!(
            m.energy < threshold_energy() + 0.3,
            "{method:?}: {}",
            m.energy
        );
    }
}

#[test]
fn sizes_out_of_range_are_refused() {
    assert!(PSpin::new(1, 0).is_err());
    assert!(PSpin::new(100_000, 0).is_err());
}
