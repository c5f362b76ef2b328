//! The quadratic bounds on the softmax log-partition (`optml::models::glm::ScoreBound`, Jebara &
//! Choromanska 2012; Böhning 1992) and bound majorization (`optml::solvers::BoundMajorization`):
//! upper bound, tightness and exact gradient at the anchor, curvature above the Hessian, the
//! O(k) product against the paper's Algorithm 1 written out, and the solver against L-BFGS.

#![allow(clippy::needless_range_loop)] // dense k × k matrices read by index

mod common;

use optml::models::glm::{bohning_apply, ScoreBound};
use proptest::prelude::*;

fn lse(z: &[f64]) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

fn softmax(z: &[f64]) -> Vec<f64> {
    let l = lse(z);
    z.iter().map(|v| (v - l).exp()).collect()
}

fn dense(k: usize, apply: impl Fn(&[f64], &mut [f64])) -> Vec<Vec<f64>> {
    (0..k)
        .map(|j| {
            let mut e = vec![0.0; k];
            e[j] = 1.0;
            let mut col = vec![0.0; k];
            apply(&e, &mut col);
            col
        })
        .collect()
}

fn quad(b: &[Vec<f64>], u: &[f64]) -> f64 {
    (0..u.len())
        .map(|i| (0..u.len()).map(|j| u[i] * b[j][i] * u[j]).sum::<f64>())
        .sum()
}

/// Algorithm 1 of Jebara & Choromanska (2012) as printed, for f_j = e_j, h_j = 1 (z₀ tiny in
/// place of 0⁺), adding the classes in the order `order`: returns (z, μ, Σ) dense.
fn algorithm_1(z: &[f64], order: &[usize]) -> (f64, Vec<f64>, Vec<Vec<f64>>) {
    let k = z.len();
    let shift = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut zz = 1e-300;
    let mut mu = vec![0.0; k];
    let mut sigma = vec![vec![0.0; k]; k];
    for &j in order {
        let alpha = (z[j] - shift).exp();
        let mut l = mu.iter().map(|m| -m).collect::<Vec<_>>();
        l[j] += 1.0;
        let r = (alpha / zz).ln();
        // z → 0⁺: the first class's weight tanh(r/2)/(2r) → 0 as r → ∞.
        let w = if zz == 1e-300 {
            0.0
        } else if r.abs() < 1e-8 {
            0.25
        } else {
            (0.5 * r).tanh() / (2.0 * r)
        };
        for a in 0..k {
            for b in 0..k {
                sigma[a][b] += w * l[a] * l[b];
            }
        }
        for (m, lv) in mu.iter_mut().zip(&l) {
            *m += alpha / (zz + alpha) * lv;
        }
        zz += alpha;
    }
    (zz.ln() + shift, mu, sigma)
}

fn scores(max_k: usize, scale: f64) -> impl Strategy<Value = Vec<f64>> {
    (2..=max_k).prop_flat_map(move |k| prop::collection::vec(-scale..scale, k))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn bounds_lie_above_log_z(
        (z, d) in scores(12, 30.0).prop_flat_map(|z| {
            let k = z.len();
            (Just(z), prop::collection::vec(-30.0..30.0f64, k))
        }),
        t in 0.0..1.0f64,
    ) {
        let d: Vec<f64> = d.iter().map(|v| v * t).collect();
        let p = softmax(&z);
        let zd: Vec<f64> = z.iter().zip(&d).map(|(a, b)| a + b).collect();
        let exact = lse(&zd);
        let linear = lse(&z) + p.iter().zip(&d).map(|(a, b)| a * b).sum::<f64>();
        let jc = ScoreBound::new(&z);
        for (name, b) in [
            ("jebara", dense(z.len(), |u, o| jc.apply(u, o))),
            ("bohning", dense(z.len(), bohning_apply)),
        ] {
            let bound = linear + 0.5 * quad(&b, &d);
            prop_assert!(exact <= bound + 1e-9 * (1.0 + bound.abs()),
                "{name}: log Z {exact} above its bound {bound}");
        }
    }

    #[test]
    fn curvature_is_above_the_hessian(
        (z, v) in scores(12, 20.0).prop_flat_map(|z| {
            let k = z.len();
            (Just(z), prop::collection::vec(-1.0..1.0f64, k))
        }),
    ) {
        let p = softmax(&z);
        let pv: f64 = p.iter().zip(&v).map(|(a, b)| a * b).sum();
        let hess: f64 = p.iter().zip(&v).map(|(a, b)| a * b * b).sum::<f64>() - pv * pv;
        let jc = ScoreBound::new(&z);
        let b = dense(z.len(), |u, o| jc.apply(u, o));
        prop_assert!(quad(&b, &v) >= hess - 1e-12, "{} < {hess}", quad(&b, &v));
        let boh = dense(z.len(), bohning_apply);
        prop_assert!(quad(&boh, &v) >= hess - 1e-12);
        // Symmetric.
        for i in 0..z.len() {
            for j in 0..z.len() {
                prop_assert!((b[i][j] - b[j][i]).abs() <= 1e-12);
            }
        }
    }

    #[test]
    fn o_of_k_product_is_algorithm_1(z in scores(10, 15.0)) {
        let k = z.len();
        let top = (0..k).fold(0, |b, c| if z[c] > z[b] { c } else { b });
        let order: Vec<usize> = std::iter::once(top).chain((0..k).filter(|&c| c != top)).collect();
        let (log_z, mu, sigma) = algorithm_1(&z, &order);
        prop_assert!((log_z - lse(&z)).abs() <= 1e-12 * (1.0 + log_z.abs()), "tight: z = Z(θ̃)");
        let p = softmax(&z);
        for (m, pc) in mu.iter().zip(&p) {
            prop_assert!((m - pc).abs() <= 1e-12, "μ is the gradient p");
        }
        let jc = ScoreBound::new(&z);
        let b = dense(k, |u, o| jc.apply(u, o));
        for i in 0..k {
            for j in 0..k {
                prop_assert!((b[j][i] - sigma[i][j]).abs() <= 1e-10,
                    "B[{i}][{j}] = {} against {}", b[j][i], sigma[i][j]);
            }
        }
    }
}

#[test]
fn the_gradient_at_the_anchor_matches_finite_differences() {
    let z = [0.3, -1.2, 2.0, 0.0, 5.0];
    let p = softmax(&z);
    let h = 1e-6;
    for c in 0..z.len() {
        let mut a = z;
        let mut b = z;
        a[c] += h;
        b[c] -= h;
        let fd = (lse(&a) - lse(&b)) / (2.0 * h);
        assert!((fd - p[c]).abs() < 1e-8, "class {c}: {fd} vs {}", p[c]);
    }
    // Tight to second order: the gap bound − log Z at the anchor + tδ shrinks like t².
    let jc = ScoreBound::new(&z);
    let d = [1.0, -0.5, 0.2, 0.7, -1.0];
    let gap = |t: f64| {
        let zd: Vec<f64> = z.iter().zip(&d).map(|(a, b)| a + t * b).collect();
        let mut bd = vec![0.0; 5];
        jc.apply(&d, &mut bd);
        let q: f64 = d.iter().zip(&bd).map(|(a, b)| a * b).sum();
        let lin: f64 = p.iter().zip(&d).map(|(a, b)| a * b).sum();
        lse(&z) + t * lin + 0.5 * t * t * q - lse(&zd)
    };
    assert!(gap(0.0).abs() < 1e-14);
    let (g1, g2) = (gap(1e-2), gap(5e-3));
    assert!(g1 > 0.0 && (g1 / g2 - 4.0).abs() < 0.1, "{g1} {g2}");
}

#[test]
fn a_confident_example_gets_a_small_curvature() {
    // Böhning's B does not shrink with confidence; the Jebara–Choromanska one does.
    let z = [30.0, 0.0, 0.0, 0.0];
    let jc = ScoreBound::new(&z);
    let b = dense(4, |u, o| jc.apply(u, o));
    let boh = dense(4, bohning_apply);
    let v = [0.0, 1.0, -1.0, 0.0];
    assert!(quad(&b, &v) < 0.05 * quad(&boh, &v), "{}", quad(&b, &v));
}
