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

use optml::data::Dataset;
use optml::fit::{fit_glm, Choice};
use optml::linalg::{CsrMatrix, Design};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::Trace;
use optml::objective::{LinearOperator, Objective};
use optml::solvers::{BoundKind, Method, QuadraticBound, Stop};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn small_softmax(intercept: bool, sparse: bool) -> (Dataset, GlmSpec) {
    let data = common::random_dataset(25, 4, sparse, 3, |_, r| r.random_range(0..4) as f64);
    let spec = GlmSpec {
        loss: Loss::Softmax,
        ridge: Ridge::C(2.0),
        intercept,
        sample_weight: Some((0..25).map(|i| 0.5 + (i % 3) as f64).collect()),
        ..Default::default()
    };
    (data, spec)
}

#[test]
fn the_glm_bound_majorizes_the_objective_and_is_a_kronecker_sum() {
    for (intercept, sparse) in [(false, false), (true, true), (true, false)] {
        let (data, spec) = small_softmax(intercept, sparse);
        let (f, _) = spec.objective(&data).unwrap();
        let n = f.dim();
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let w: Vec<f64> = (0..n).map(|_| rng.random_range(-2.0..2.0)).collect();
        let mut g = vec![0.0; n];
        let fw = f.value_grad(&w, &mut g);
        for kind in [BoundKind::Adaptive, BoundKind::Fixed] {
            let sigma = f.bound(&w, kind).unwrap();
            let hess = optml::Curvature::hessian(&f, &w);
            for trial in 0..20 {
                let scale = [0.01, 1.0, 10.0][trial % 3];
                let d: Vec<f64> = (0..n)
                    .map(|_| scale * rng.random_range(-1.0..1.0))
                    .collect();
                let mut sd = vec![0.0; n];
                sigma.apply(&d, &mut sd);
                let dsd: f64 = d.iter().zip(&sd).map(|(a, b)| a * b).sum();
                let gd: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
                let wd: Vec<f64> = w.iter().zip(&d).map(|(a, b)| a + b).collect();
                let upper = fw + gd + 0.5 * dsd;
                assert!(f.value(&wd) <= upper + 1e-9 * upper.abs(), "{kind:?}");
                let mut hd = vec![0.0; n];
                hess.apply(&d, &mut hd);
                let dhd: f64 = d.iter().zip(&hd).map(|(a, b)| a * b).sum();
                assert!(dsd >= dhd - 1e-9 * dhd.abs(), "{kind:?}: Σ ⪰ H");
            }
            // Σ against Σᵢ sᵢ·Bᵢ ⊗ x̃ᵢx̃ᵢᵀ + λI formed densely from the per-row bound.
            let k = 4;
            let d = data.n_features();
            let mut dense = vec![vec![0.0; n]; n];
            let mut z = vec![0.0; k];
            for i in 0..data.n_samples() {
                let mut x = vec![0.0; d];
                data.x.dense_row(i, &mut x);
                for c in 0..k {
                    z[c] = (0..d).map(|j| w[c * d + j] * x[j]).sum::<f64>()
                        + if intercept { w[k * d + c] } else { 0.0 };
                }
                let jc = ScoreBound::new(&z);
                let b = match kind {
                    BoundKind::Adaptive => dense_b(k, |u, o| jc.apply(u, o)),
                    BoundKind::Fixed => dense_b(k, bohning_apply),
                };
                let s = spec.sample_weight.as_ref().unwrap()[i];
                let at = |c: usize, j: usize| if j < d { c * d + j } else { k * d + c };
                let xt: Vec<f64> = x.iter().copied().chain(intercept.then_some(1.0)).collect();
                for c in 0..k {
                    for e in 0..k {
                        for (j, xj) in xt.iter().enumerate() {
                            for (l, xl) in xt.iter().enumerate() {
                                dense[at(c, j)][at(e, l)] += s * b[c][e] * xj * xl;
                            }
                        }
                    }
                }
            }
            for (j, row) in dense.iter_mut().enumerate().take(k * d) {
                row[j] += 0.5;
            }
            for j in 0..n {
                let mut e = vec![0.0; n];
                e[j] = 1.0;
                let mut col = vec![0.0; n];
                sigma.apply(&e, &mut col);
                for i in 0..n {
                    assert!((col[i] - dense[i][j]).abs() <= 1e-10 * (1.0 + dense[i][j].abs()));
                }
            }
        }
    }
}

fn dense_b(k: usize, apply: impl Fn(&[f64], &mut [f64])) -> Vec<Vec<f64>> {
    let cols = dense(k, apply);
    (0..k)
        .map(|i| (0..k).map(|j| cols[j][i]).collect())
        .collect()
}

#[test]
fn bound_majorization_reaches_the_lbfgs_optimum_on_digits_monotonically() {
    // The first 300 digits; λ = 1/C = 10⁴, where the bound's curvature is close to the
    // Hessian (at small λ it converges slowly: bench/multiclass/README.md).
    let all = common::fixture("digits.svm");
    let Design::Sparse(m) = &all.x else {
        unreachable!()
    };
    let rows = 300;
    let end = m.indptr()[rows];
    let x = CsrMatrix::new(
        rows,
        m.ncols(),
        m.indptr()[..=rows].to_vec(),
        m.indices()[..end].to_vec(),
        m.values()[..end].to_vec(),
    )
    .unwrap();
    let data = Dataset {
        x: Design::Sparse(x),
        y: all.y[..rows].to_vec(),
        source: None,
    };
    let spec = GlmSpec {
        loss: Loss::Softmax,
        ridge: Ridge::C(1e-4),
        intercept: true,
        ..Default::default()
    };
    let stop = Stop::relative(1e-8);
    let quiet = &mut optml::monitor::quiet();
    let (_, lbfgs) = fit_glm(&data, &spec, Choice::Use(Method::Lbfgs), stop, quiet).unwrap();
    for method in [Method::Bound, Method::Bohning] {
        let mut trace = Trace::default();
        let (model, r) = fit_glm(&data, &spec, Choice::Use(method), stop, &mut trace).unwrap();
        assert!(r.status.converged(), "{method}: {r:?}");
        assert!(
            (r.f - lbfgs.f).abs() <= 1e-7 * lbfgs.f.abs(),
            "{method}: f {} against L-BFGS {}",
            r.f,
            lbfgs.f
        );
        let rises: Vec<_> = trace
            .records
            .windows(2)
            .filter(|p| p[1].f > p[0].f * (1.0 + 1e-13))
            .map(|p| (p[0].iter, p[0].f, p[1].f))
            .collect();
        assert!(
            rises.is_empty(),
            "{method}: f rises (up to rounding) at {rises:?}"
        );
        assert!(model.weights.iter().all(|w| w.is_finite()));
    }
    // The bound is for softmax alone.
    let logistic = GlmSpec {
        loss: Loss::Logistic,
        ..Default::default()
    };
    let bc = common::fixture("breast_cancer.svm");
    let e = fit_glm(&bc, &logistic, Choice::Use(Method::Bound), stop, quiet).unwrap_err();
    assert!(e.to_string().contains("softmax"), "{e}");
    assert!("bound".parse::<Method>().unwrap() == Method::Bound);
}
