//! The stochastic driver and its update rules: each rule against a trajectory written out here
//! as plain loops, stochastic logistic regression against the exact optimum, clipped and
//! normalized GD against fixed-step GD on an (L₀, L₁)-smooth function, and the driver's
//! bookkeeping (same seed → same bits, early stopping, errors).

mod common;

use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::models::mlp::{Activation, Mlp};
use optml::solvers::stochastic::{salsa, Clip, Layout, Rule, Schedule, Stochastic};
use optml::solvers::Stop;
use optml::{FiniteSum, Objective};

/// f(x) = Σᵢ fᵢ(x), fᵢ(x) = Σⱼ aᵢⱼ·(xⱼ − cᵢⱼ)²/2 + xⱼ⁴/40: 4 terms in 3 coordinates.
struct Toy;

const A: [[f64; 3]; 4] = [
    [1.0, 0.5, 2.0],
    [0.3, 1.5, 0.7],
    [2.0, 0.2, 1.1],
    [0.8, 0.9, 0.4],
];
const C: [[f64; 3]; 4] = [
    [1.0, -2.0, 0.5],
    [-0.5, 1.0, 2.0],
    [0.7, 0.3, -1.0],
    [2.0, -1.0, 0.1],
];

fn toy_grad(x: &[f64]) -> Vec<f64> {
    (0..3)
        .map(|j| {
            (0..4)
                .map(|i| A[i][j] * (x[j] - C[i][j]) + x[j].powi(3) / 10.0)
                .sum()
        })
        .collect()
}

impl Objective for Toy {
    fn dim(&self) -> usize {
        3
    }
    fn value(&self, x: &[f64]) -> f64 {
        let mut g = vec![0.0; 3];
        self.value_grad(x, &mut g)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.value_grad_batch(x, &[0, 1, 2, 3], grad)
    }
}

impl FiniteSum for Toy {
    fn n_terms(&self) -> usize {
        4
    }
    fn value_grad_batch(&self, x: &[f64], batch: &[usize], grad: &mut [f64]) -> f64 {
        let s = 4.0 / batch.len() as f64;
        grad.fill(0.0);
        let mut f = 0.0;
        for &i in batch {
            for j in 0..3 {
                let r = x[j] - C[i][j];
                f += s * (A[i][j] * r * r / 2.0 + x[j].powi(4) / 40.0);
                grad[j] += s * (A[i][j] * r + x[j].powi(3) / 10.0);
            }
        }
        f
    }
}

const X0: [f64; 3] = [0.5, -1.0, 2.0];
const STEPS: usize = 20;

/// 20 full-batch steps of `rule` on [`Toy`] with groups {0, 1}, {2}.
fn driven(rule: Rule, lr: f64, weight_decay: f64) -> Vec<f64> {
    let mut x = X0.to_vec();
    let run = Stochastic {
        rule,
        lr,
        epochs: STEPS,
        batch_size: 4,
        weight_decay,
        ..Default::default()
    };
    let layout = Layout {
        groups: vec![0..2, 2..3],
        accuracy: None,
    };
    run.minimize(&Toy, &mut x, &layout, &mut optml::monitor::quiet())
        .unwrap();
    x
}

/// Runs `step(x, g, t)` (t from 1) 20 times from X0 with the exact gradient.
fn reference(mut step: impl FnMut(&mut Vec<f64>, &[f64], i32)) -> Vec<f64> {
    let mut x = X0.to_vec();
    for t in 1..=STEPS as i32 {
        let g = toy_grad(&x);
        step(&mut x, &g, t);
    }
    x
}

fn close(name: &str, got: &[f64], want: &[f64]) {
    for (a, b) in got.iter().zip(want) {
        assert!(
            (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
            "{name}: {got:?} vs {want:?}"
        );
    }
    // The reference must have moved: a rule that did nothing would fail here.
    assert!(
        want.iter().zip(&X0).any(|(a, b)| (a - b).abs() > 1e-3),
        "{name} did not move"
    );
}

#[test]
fn sgd_and_momentum_match_their_recurrences() {
    let lr = 0.05;
    close(
        "sgd",
        &driven(Rule::Sgd, lr, 0.0),
        &reference(|x, g, _| (0..3).for_each(|j| x[j] -= lr * g[j])),
    );
    for nesterov in [false, true] {
        let mu = 0.9;
        let mut b = [0.0; 3];
        let want = reference(|x, g, t| {
            for j in 0..3 {
                b[j] = if t == 1 { g[j] } else { mu * b[j] + g[j] };
                let u = if nesterov { g[j] + mu * b[j] } else { b[j] };
                x[j] -= lr * u;
            }
        });
        let rule = if nesterov {
            Rule::nesterov()
        } else {
            Rule::momentum()
        };
        close(&format!("{rule:?}"), &driven(rule, lr, 0.0), &want);
    }
    let mut h = [0.0; 3];
    let want = reference(|x, g, _| {
        for j in 0..3 {
            h[j] = 0.7 * h[j] + 0.3 * g[j];
            x[j] -= lr * (0.4 * g[j] + 0.6 * h[j]);
        }
    });
    close(
        "qhm",
        &driven(Rule::Qhm { beta: 0.7, nu: 0.6 }, lr, 0.0),
        &want,
    );
    // Decoupled decay: x ← x − η·(g + λx).
    let wd = 0.3;
    close(
        "sgdw",
        &driven(Rule::Sgd, lr, wd),
        &reference(|x, g, _| (0..3).for_each(|j| x[j] -= lr * (g[j] + wd * x[j]))),
    );
}

#[test]
fn adaptive_rules_match_their_recurrences() {
    let lr = 0.1;
    let mut s = [0.0; 3];
    let want = reference(|x, g, _| {
        for j in 0..3 {
            s[j] += g[j] * g[j];
            x[j] -= lr * g[j] / (s[j].sqrt() + 1e-10);
        }
    });
    close("adagrad", &driven(Rule::adagrad(), lr, 0.0), &want);

    let mut v = [0.0; 3];
    let want = reference(|x, g, _| {
        for j in 0..3 {
            v[j] = 0.99 * v[j] + 0.01 * g[j] * g[j];
            x[j] -= 0.01 * g[j] / (v[j].sqrt() + 1e-8);
        }
    });
    close("rmsprop", &driven(Rule::rmsprop(), 0.01, 0.0), &want);

    for wd in [0.0, 0.01] {
        let (mut m, mut v) = ([0.0; 3], [0.0; 3]);
        let want = reference(|x, g, t| {
            for j in 0..3 {
                m[j] = 0.9 * m[j] + 0.1 * g[j];
                v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
                let mh = m[j] / (1.0 - 0.9f64.powi(t));
                let vh = v[j] / (1.0 - 0.999f64.powi(t));
                x[j] -= lr * (mh / (vh.sqrt() + 1e-8) + wd * x[j]);
            }
        });
        close("adam(w)", &driven(Rule::adam(), lr, wd), &want);
    }
}

#[test]
fn novograd_matches_optax_recurrence() {
    for averaging in [false, true] {
        let lr = 0.05;
        let (b1, b2, eps) = (0.9, 0.25, 1e-6);
        let (mut m, mut nu) = ([0.0; 3], [0.0; 2]);
        let groups: [&[usize]; 2] = [&[0, 1], &[2]];
        let want = reference(|x, g, t| {
            for (l, idx) in groups.iter().enumerate() {
                let sq: f64 = idx.iter().map(|&j| g[j] * g[j]).sum();
                nu[l] = if t == 1 {
                    sq
                } else {
                    b2 * nu[l] + (1.0 - b2) * sq
                };
                for &j in idx.iter() {
                    let mut gh = g[j] / (nu[l].sqrt() + eps);
                    if averaging {
                        gh *= 1.0 - b1;
                    }
                    m[j] = if t == 1 { gh } else { b1 * m[j] + gh };
                    x[j] -= lr * m[j];
                }
            }
        });
        let rule = Rule::NovoGrad {
            beta1: b1,
            beta2: b2,
            eps,
            grad_averaging: averaging,
        };
        close("novograd", &driven(rule, lr, 0.0), &want);
    }
}

#[test]
fn normalized_and_clipped_match_zhang_et_al() {
    let lr: f64 = 0.2;
    let want = reference(|x, g, _| {
        let n = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        (0..3).for_each(|j| x[j] -= lr * g[j] / (n + 0.5));
    });
    close(
        "nsgd",
        &driven(Rule::Normalized { beta: 0.5 }, lr, 0.0),
        &want,
    );
    let want = reference(|x, g, _| {
        let n = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        let h = lr.min(2.0 * lr / n);
        (0..3).for_each(|j| x[j] -= h * g[j]);
    });
    close(
        "clipped",
        &driven(Rule::Clipped { gamma: 2.0 }, lr, 0.0),
        &want,
    );
}

#[test]
fn eg_matches_its_recurrence() {
    let lr = 0.02;
    let (beta, rs, rl, rp) = (0.8, 0.7, 0.4, 0.3);
    let (mut m, mut last, mut p, mut q, mut s) = ([0.0; 3], [0.0; 3], [1.0; 3], [1.0; 2], 1.0);
    let group = [0usize, 0, 1];
    let want = reference(|x, g, _| {
        let a: Vec<f64> = (0..3).map(|j| g[j] * last[j]).collect();
        let e = |rate: f64, d: f64| (-rate * d).clamp(-1.0, 1.0).exp();
        s *= e(rs, a.iter().sum::<f64>() / s);
        let al = [a[0] + a[1], a[2]];
        for l in 0..2 {
            q[l] *= e(rl, al[l] / q[l]);
        }
        for j in 0..3 {
            p[j] *= e(rp, a[j] / p[j]);
            m[j] = beta * m[j] + (1.0 - beta) * g[j];
            last[j] = -lr * s * q[group[j]] * p[j] * m[j];
            x[j] += last[j];
        }
    });
    let rule = Rule::Eg {
        beta,
        rate_global: rs,
        rate_layer: rl,
        rate_coord: rp,
    };
    close("eg", &driven(rule, lr, 0.0), &want);
}

/// The EG update of the global gain is s·exp(−γ·∂f(θₜ)/∂s), with the derivative of
/// s ↦ f(θₜ₋₁ − η·s·m) taken by central differences.
#[test]
fn eg_gain_update_is_the_derivative_of_the_loss() {
    let (lr, gamma) = (0.05, 0.1);
    let rule = Rule::Eg {
        beta: 0.0,
        rate_global: gamma,
        rate_layer: 0.0,
        rate_coord: 0.0,
    };
    // Two steps: the first moves θ₀ → θ₁ = θ₀ − η·g₀ (s = 1, m = g₀), the second updates s.
    let mut state = rule.init(3, &[]);
    let mut u = vec![0.0; 3];
    let g0 = toy_grad(&X0);
    state.direction(&g0, lr, &mut u);
    let theta1: Vec<f64> = (0..3).map(|j| X0[j] - lr * u[j]).collect();
    let g1 = toy_grad(&theta1);
    state.direction(&g1, lr, &mut u);
    // With β = 0 the new direction is s₁·g₁, so s₁ = u/g₁.
    let s1 = u[0] / g1[0];
    let f_of_s = |s: f64| {
        let th: Vec<f64> = (0..3).map(|j| X0[j] - lr * s * g0[j]).collect();
        Toy.value(&th)
    };
    let h = 1e-6;
    let dfds = (f_of_s(1.0 + h) - f_of_s(1.0 - h)) / (2.0 * h);
    let want = (-gamma * dfds).exp();
    assert!((s1 - want).abs() < 1e-8, "{s1} vs {want}");
    assert!((s1 - 1.0).abs() > 1e-3, "the gain did not move: {s1}");
}

/// A logistic-regression problem with C = 1 (strongly convex, 200 samples, 5 features) and its
/// exact optimum's objective (Newton via `fit_glm`).
fn logistic_problem() -> (optml::data::Dataset, GlmSpec, f64) {
    let data = common::random_dataset(200, 5, false, 4, |i, _| {
        if (i * 7919) % 13 < 6 {
            1.0
        } else {
            -1.0
        }
    });
    // Labels partly from the features so that the optimum is not at 0.
    let data = {
        let mut d = data;
        let x = match &d.x {
            optml::linalg::Design::Dense(m) => m.clone(),
            _ => unreachable!(),
        };
        for i in 0..200 {
            let r = x.row(i);
            let s = r[0] - 0.5 * r[1] + 0.3 * r[2];
            if (i % 5) != 0 {
                d.y[i] = if s > 0.0 { 1.0 } else { -1.0 };
            }
        }
        d
    };
    let spec = GlmSpec {
        loss: Loss::Logistic,
        ridge: Ridge::C(1.0),
        ..Default::default()
    };
    let (exact, _) = fit_glm(
        &data,
        &spec,
        Choice::Auto,
        Stop::relative(1e-12),
        &mut optml::monitor::quiet(),
    )
    .unwrap();
    let (f, _) = spec.objective(&data).unwrap();
    let fstar = f.value(&exact.weights);
    (data, spec, fstar)
}

/// Logistic regression with decaying steps reaches the exact optimum's objective within 1e-4
/// relative.
#[test]
fn stochastic_logistic_regression_reaches_the_optimum() {
    let (data, spec, fstar) = logistic_problem();
    let (f, _) = spec.objective(&data).unwrap();
    let mut w = vec![0.0; f.dim()];
    let run = Stochastic {
        rule: Rule::Sgd,
        lr: 2e-3,
        schedule: Schedule::InverseTime { t0: 400.0 },
        epochs: 200,
        batch_size: 10,
        seed: 1,
        ..Default::default()
    };
    run.minimize(&f, &mut w, &Layout::default(), &mut optml::monitor::quiet())
        .unwrap();
    let fw = f.value(&w);
    assert!(
        fw >= fstar - 1e-9 * fstar.abs(),
        "{fw} below the optimum {fstar}"
    );
    assert!(
        (fw - fstar) / fstar.abs() < 1e-4,
        "SGD {fw} vs optimum {fstar}: relative gap {}",
        (fw - fstar) / fstar.abs()
    );
}

/// SALSA untuned on logistic regression: from step sizes 1e-5 and 1 (five orders apart), with
/// its defaults, it drops the step size by its test and ends within 1e-4 relative of the
/// objective of the best run of a 6-value grid of step sizes for the same momentum direction
/// with a step schedule (×0.1 every third of the run), in the same number of epochs.
#[test]
fn salsa_untuned_matches_a_tuned_grid_on_logistic_regression() {
    let (data, spec, fstar) = logistic_problem();
    let (f, _) = spec.objective(&data).unwrap();
    let epochs = 1200;
    let value = |run: &Stochastic| {
        let mut w = vec![0.0; f.dim()];
        let t = run
            .minimize(&f, &mut w, &Layout::default(), &mut optml::monitor::quiet())
            .unwrap();
        (f.value(&w), t.drops)
    };
    let base = Stochastic {
        rule: Rule::qhm(),
        epochs,
        batch_size: 10,
        seed: 3,
        ..Default::default()
    };
    let best = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0]
        .into_iter()
        .map(|lr| {
            value(&Stochastic {
                lr,
                schedule: Schedule::Step {
                    every: epochs / 3,
                    factor: 0.1,
                },
                ..base
            })
            .0
        })
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    assert!(
        (best - fstar) / fstar < 1e-6,
        "grid {best} vs optimum {fstar}"
    );
    for lr0 in [1e-5, 1.0] {
        let (v, drops) = value(&Stochastic {
            lr: lr0,
            schedule: Schedule::Salsa,
            ..base
        });
        assert!(drops >= 1, "SALSA from {lr0} never dropped its step size");
        assert!(
            (v - best) / best < 1e-4,
            "SALSA from {lr0}: {v}, best grid {best}, optimum {fstar}"
        );
    }
}

/// SASA's test as in statopt: nothing before the bucket keeps more than 1000 values (8 001
/// steps, one value in eight kept); on a stationary sequence (Δ_k of mean 0) the first positive
/// test divides the step size by 10 at once, also during the warm-up.
#[test]
fn salsa_drops_on_its_first_detection_after_1000_kept_values() {
    // 80 batches per epoch: the test runs every 80 steps. Δ_k = ⟨x, d⟩ + (η/2)·‖d‖² with d = 1
    // and η = 1e-300 is x, fed here as a zero-mean sequence.
    let mut s = salsa::Salsa::new(0.5, 1, 6400, 80);
    let noise = |k: usize| ((k * 7919 % 1000) as f64 / 500.0) - 0.999;
    let mut dropped_at = None;
    for k in 0..20_000 {
        let eta = 1e-300;
        if s.record(&[noise(k)], &[1.0], eta) {
            dropped_at = Some(k + 1);
            break;
        }
    }
    let at = dropped_at.expect("no drop on a stationary sequence");
    assert!(at > 8000, "tested before 1000 values were kept: step {at}");
    assert_eq!(at % 80, 0, "a test off the schedule: step {at}");
    assert_eq!(s.drops(), 1);
    assert!(!s.searching(), "the drop ends the warm-up");
    assert!((s.lr() - 0.05).abs() < 1e-15, "step size {}", s.lr());
    // A drifting sequence is never stationary.
    let mut s = salsa::Salsa::new(0.5, 1, 6400, 80);
    for k in 0..20_000 {
        assert!(!s.record(&[noise(k) + 0.5], &[1.0], 1e-300), "step {k}");
    }
}

/// f(x) = x⁴ is (L₀, L₁)-smooth (|f''| = 12x² ≤ L₀ + L₁·|4x³|) but not L-smooth. From x₀ = 10,
/// fixed-step GD must take steps h < 1/(2x₀²) to converge from every start of [−10, 10], and then
/// crawls near 0; clipped and normalized GD take short steps far away and long ones near 0.
#[test]
fn clipped_and_normalized_gd_beat_the_best_fixed_step_on_x4() {
    let grad = |x: f64| 4.0 * x.powi(3);
    let f = |x: f64| x.powi(4);
    let target = 1e-4; // f(x) ≤ target
                       // The iterations until every start of a spread reaches the target, with one step rule.
    let iterations = |step: &dyn Fn(f64) -> f64| -> Option<usize> {
        let mut worst = 0;
        for x0 in [-10.0, -4.0, -1.5, 0.7, 2.5, 6.0, 10.0f64] {
            let mut x = x0;
            let mut k = 0;
            while f(x) > target {
                x -= step(x);
                k += 1;
                if !x.is_finite() || x.abs() > 1e6 || k > 100_000 {
                    return None;
                }
            }
            worst = worst.max(k);
        }
        Some(worst)
    };
    // The best fixed step over a fine grid.
    let best_fixed = (0..200)
        .filter_map(|i| {
            let h = 1e-5 * 1.05f64.powi(i);
            iterations(&|x| h * grad(x))
        })
        .min()
        .expect("some fixed step converges");
    // Clipped GD, h = min(η, γη/|f'|), and normalized GD, h = η/(|f'| + β), as in Zhang et al.
    let eta: f64 = 0.05;
    let clipped = iterations(&|x| {
        let g = grad(x);
        eta.min(1.0 * eta / g.abs()) * g
    })
    .unwrap();
    let normalized = iterations(&|x| {
        let g = grad(x);
        2.0 * eta / (g.abs() + 0.5) * g
    })
    .unwrap();
    assert!(
        clipped < best_fixed && normalized < best_fixed,
        "clipped {clipped}, normalized {normalized}, best fixed step {best_fixed}"
    );
    // The driver's rules do the same steps.
    struct Quartic;
    impl Objective for Quartic {
        fn dim(&self) -> usize {
            1
        }
        fn value(&self, x: &[f64]) -> f64 {
            x[0].powi(4)
        }
        fn value_grad(&self, x: &[f64], g: &mut [f64]) -> f64 {
            g[0] = 4.0 * x[0].powi(3);
            x[0].powi(4)
        }
    }
    impl FiniteSum for Quartic {
        fn n_terms(&self) -> usize {
            1
        }
        fn value_grad_batch(&self, x: &[f64], _: &[usize], g: &mut [f64]) -> f64 {
            self.value_grad(x, g)
        }
    }
    let mut x = vec![10.0];
    let run = Stochastic {
        rule: Rule::Clipped { gamma: 1.0 },
        lr: eta,
        epochs: clipped,
        batch_size: 1,
        ..Default::default()
    };
    run.minimize(
        &Quartic,
        &mut x,
        &Layout::default(),
        &mut optml::monitor::quiet(),
    )
    .unwrap();
    assert!(f(x[0]) <= target, "{}", x[0]);
}

fn spiral() -> (Mlp, Vec<usize>) {
    let n = 120;
    let mut x = Vec::with_capacity(2 * n);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let t = i as f64 * 0.21;
        let r = 0.2 + (i % 9) as f64 / 9.0;
        x.extend([r * t.cos(), r * t.sin()]);
        y.push((i % 3) as f64);
    }
    let mlp = Mlp::classifier(&[2, 16, 3], Activation::Tanh, n, &x, &y).unwrap();
    (mlp, (0..n).collect())
}

/// Same seed → same bits; validation split, accuracy and early stopping behave.
#[test]
fn driver_is_reproducible_and_stops_early() {
    let (mlp, _) = spiral();
    let acc = |th: &[f64], rows: &[usize]| mlp.accuracy(th, rows).unwrap();
    let layout = Layout {
        groups: mlp.groups(),
        accuracy: Some(&acc),
    };
    for (rule, schedule) in [
        (Rule::adam(), Schedule::Cosine),
        (Rule::novograd(), Schedule::Constant),
        (
            Rule::eg(),
            Schedule::Step {
                every: 3,
                factor: 0.5,
            },
        ),
        (Rule::qhm(), Schedule::Salsa),
    ] {
        let run = Stochastic {
            rule,
            schedule,
            lr: 0.01,
            epochs: 8,
            batch_size: 16,
            validation: 0.25,
            clip: Clip::Norm(5.0),
            seed: 9,
            ..Default::default()
        };
        let mut a = mlp.init(1);
        let mut b = a.clone();
        let ra = run
            .minimize(&mlp, &mut a, &layout, &mut optml::monitor::quiet())
            .unwrap();
        let rb = run
            .minimize(&mlp, &mut b, &layout, &mut optml::monitor::quiet())
            .unwrap();
        let losses = |r: &optml::solvers::stochastic::Training| {
            r.records
                .iter()
                .map(|e| (e.train_loss, e.val_loss, e.lr))
                .collect::<Vec<_>>()
        };
        assert_eq!(losses(&ra), losses(&rb), "{rule:?}");
        assert_eq!(a, b, "{rule:?}");
        assert_eq!(ra.records.len(), 9);
        let last = ra.records.last().unwrap();
        assert!(last.train_loss < ra.records[0].train_loss, "{rule:?}");
        assert!(last.val_loss.is_some() && last.val_accuracy.is_some());
        assert!((last.passes - 8.0).abs() < 1e-9 || schedule == Schedule::Salsa);
        let ta = last.train_accuracy.unwrap();
        assert!((0.0..=1.0).contains(&ta));
    }
    // Patience 1 with a step far too small to lower the validation loss stops at once and
    // returns the best point.
    let run = Stochastic {
        rule: Rule::Sgd,
        lr: 5.0,
        epochs: 50,
        batch_size: 8,
        validation: 0.3,
        patience: Some(2),
        ..Default::default()
    };
    let mut th = mlp.init(1);
    let r = run.minimize(&mlp, &mut th, &layout, &mut optml::monitor::quiet());
    if let Ok(r) = r {
        assert!(r.stopped_early, "{} epochs", r.records.len());
        let best = r.records[r.best_epoch].val_loss.unwrap();
        assert!(r.records.iter().all(|x| x.val_loss.unwrap() >= best));
    }
}

#[test]
fn bad_options_are_one_line_errors() {
    let (mlp, _) = spiral();
    let mut th = mlp.init(0);
    for (run, want) in [
        (
            Stochastic {
                epochs: 0,
                ..Default::default()
            },
            "epochs",
        ),
        (
            Stochastic {
                batch_size: 0,
                ..Default::default()
            },
            "batch size",
        ),
        (
            Stochastic {
                lr: f64::NAN,
                ..Default::default()
            },
            "step size",
        ),
        (
            Stochastic {
                validation: 1.0,
                ..Default::default()
            },
            "validation",
        ),
        (
            Stochastic {
                patience: Some(3),
                ..Default::default()
            },
            "validation split",
        ),
        (
            Stochastic {
                clip: Clip::Value(0.0),
                ..Default::default()
            },
            "clipping",
        ),
    ] {
        let err = run
            .minimize(
                &mlp,
                &mut th,
                &Layout::default(),
                &mut optml::monitor::quiet(),
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains(want) && !err.contains('\n'), "{err}");
    }
    assert!(Rule::parse("adamax").is_err());
    for name in Rule::NAMES {
        Rule::parse(name).unwrap();
    }
    // A divergent run is an error, not NaN parameters.
    let mut th = mlp.init(0);
    let err = Stochastic {
        lr: 1e12,
        epochs: 3,
        ..Default::default()
    }
    .minimize(
        &mlp,
        &mut th,
        &Layout::default(),
        &mut optml::monitor::quiet(),
    );
    if let Err(e) = err {
        assert!(e.to_string().contains("not finite"), "{e}");
    }
}

#[test]
fn t_quantiles_match_tables() {
    // t_{0.975} with 30 and 100 degrees of freedom (standard tables), z_{0.975}.
    assert!((salsa::normal_quantile(0.975) - 1.959964).abs() < 1e-6);
    assert!((salsa::t_quantile(0.975, 30.0) - 2.042272).abs() < 1e-4);
    assert!((salsa::t_quantile(0.975, 100.0) - 1.983972).abs() < 1e-5);
    // A zero-mean sequence passes the stationarity test, a drifting one does not.
    let noise: Vec<f64> = (0..2000)
        .map(|i| ((i * 7919 % 1000) as f64 / 500.0) - 0.999)
        .collect();
    assert!(salsa::holds_zero(&noise));
    let drift: Vec<f64> = noise.iter().map(|v| v + 0.5).collect();
    assert!(!salsa::holds_zero(&drift));
}

/// An MLP regressor (squared error) through the same driver: Adam fits y = sin(3x) on [−1, 1]
/// to a small fraction of the variance; a regressor has no accuracy.
#[test]
fn mlp_regressor_trains_through_the_driver() {
    let n = 64;
    let x: Vec<f64> = (0..n)
        .map(|i| -1.0 + 2.0 * i as f64 / (n - 1) as f64)
        .collect();
    let y: Vec<f64> = x.iter().map(|v| (3.0 * v).sin()).collect();
    let mlp = Mlp::regressor(&[1, 16, 1], Activation::Tanh, n, &x, &y).unwrap();
    let mut th = mlp.init(5);
    assert!(mlp.accuracy(&th, &[0, 1]).is_none());
    let run = Stochastic {
        rule: Rule::adam(),
        lr: 0.02,
        epochs: 150,
        batch_size: 8,
        ..Default::default()
    };
    let r = run
        .minimize(
            &mlp,
            &mut th,
            &Layout {
                groups: mlp.groups(),
                accuracy: None,
            },
            &mut optml::monitor::quiet(),
        )
        .unwrap();
    let variance = 0.5 * y.iter().map(|v| v * v).sum::<f64>() / n as f64;
    let last = r.records.last().unwrap();
    assert!(
        last.train_loss < 0.05 * variance,
        "{} vs {variance}",
        last.train_loss
    );
    assert!(last.train_accuracy.is_none());
}
