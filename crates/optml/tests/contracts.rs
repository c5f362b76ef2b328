//! The contract of the problem traits, checked on every objective and wrapper of the library.
//!
//! * [`Objective`]: the gradient against central differences of the value; `value_grad` and
//!   `value` agree; the line restriction φ(t) = f(x + t·d) and its slope ∇f(x + t·d)·d agree
//!   with the objective; `passes()` grows after each evaluation, where the type counts passes.
//! * [`Curvature`]: Hessian-vector products against central differences of the gradient (a
//!   Gauss-Newton matrix: symmetric and positive semi-definite instead).
//! * [`FiniteSum`]: the scale f_B = (n/|B|)·Σ_{i∈B} fᵢ + r: over a partition of the terms the
//!   mean of batch values and gradients (|B|/n-weighted; plain for equal batches) is the full
//!   value and gradient to 10⁻¹⁰; batch gradients against differences of batch values.
//! * [`SampledCurvature`]: the same means for sampled Hessian products, the whole sample gives
//!   the full Hessian, and H_B·v against differences of batch gradients (one scale for f_B,
//!   ∇f_B and ∇²f_B).
//!
//! A new objective is one line: `Check::new(name, &f, &x)` followed by the checks its traits
//! allow (`.counts_passes()`, `.hessian()`, `.batches()`, `.batch_hessians()`). The last test
//! fails when a type of the library implements one of the traits and is not named here.

mod common;

use faer::c64;
use optml::data::Dataset;
use optml::models::glm::{Glm, GlmSpec, Loss, Ridge};
use optml::models::mlp::{Activation, Mlp, WithGaussNewton};
use optml::models::testfns::{Mgh, RankOneFactorization};
use optml::nonconvex::completion::FactoredCompletion;
use optml::nonconvex::phase_retrieval::WirtingerLoss;
use optml::nonconvex::pspin::PSpin;
use optml::nonconvex::sensing::FactoredSensing;
use optml::objective::{
    Curvature, FiniteSum, FnObjective, LinearOperator, Objective, SampledCurvature,
    WithFiniteDiffHessian,
};
use optml::solvers::least_squares::SumOfSquares;
use optml::solvers::Proximal;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Relative steps of the central differences, per coordinate scale |xⱼ| + 0.01; each check keeps
/// the best, since no single step suits every problem (Meyer has x ~ 10³, Osborne 1 x ~ 10⁻²).
const STEPS: [f64; 5] = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6];

/// Tolerance of the derivative checks against differences.
const FD_TOL: f64 = 1e-6;

/// Tolerance of the identities that hold up to rounding (batch means, line values).
const EXACT_TOL: f64 = 1e-10;

/// Fourth-order central difference (8(φ(h) − φ(−h)) − (φ(2h) − φ(−2h)))/12h.
fn central(phi: impl Fn(f64) -> f64, h: f64) -> f64 {
    (8.0 * (phi(h) - phi(-h)) - (phi(2.0 * h) - phi(-2.0 * h))) / (12.0 * h)
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, a| m.max(a.abs()))
}

/// ‖a − b‖ / (‖a‖ + ‖b‖), 0 when both vanish.
fn rel_gap(a: &[f64], b: &[f64]) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let s = norm(a) + norm(b);
    if s == 0.0 {
        0.0
    } else {
        norm(&d) / s
    }
}

/// |a − b| / max(|a|, |b|, 1).
fn rel_diff(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

/// maxⱼ minₕ |gⱼ − FDⱼ| / (|gⱼ| + 10⁻³‖g‖∞ + 10⁻⁷|f|/(|xⱼ| + 0.01)): the gradient `g` of `value`
/// at x against fourth-order differences; the last term is far above the rounding noise of the
/// differences.
fn gradient_error(value: impl Fn(&[f64]) -> f64, x: &[f64], fx: f64, g: &[f64]) -> f64 {
    let gmax = max_abs(g);
    (0..x.len())
        .map(|j| {
            let scale = x[j].abs() + 0.01;
            let phi = |t: f64| {
                let mut y = x.to_vec();
                y[j] += t;
                value(&y)
            };
            STEPS
                .iter()
                .map(|s| (central(phi, s * scale) - g[j]).abs())
                .fold(f64::INFINITY, f64::min)
                / (g[j].abs() + 1e-3 * gmax + 1e-7 * fx.abs() / scale + f64::MIN_POSITIVE)
        })
        .fold(0.0, f64::max)
}

/// maxᵢ minₕ |(H·v)ᵢ − FDᵢ| / (|(H·v)ᵢ| + 10⁻³‖H·v‖∞ + 10⁻⁷‖∇f‖∞): `hv` against fourth-order
/// differences of `grad` along v.
fn hessian_error(grad: impl Fn(&[f64], &mut [f64]), x: &[f64], v: &[f64], hv: &[f64]) -> f64 {
    let n = x.len();
    let g_at = |t: f64| {
        let y: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + t * b).collect();
        let mut g = vec![0.0; n];
        grad(&y, &mut g);
        g
    };
    let g0 = g_at(0.0);
    let floor = 1e-3 * max_abs(hv) + 1e-7 * max_abs(&g0) + f64::MIN_POSITIVE;
    let grads: Vec<[Vec<f64>; 4]> = STEPS
        .iter()
        .map(|&s| [g_at(s), g_at(-s), g_at(2.0 * s), g_at(-2.0 * s)])
        .collect();
    (0..n)
        .map(|i| {
            STEPS
                .iter()
                .zip(&grads)
                .map(|(s, [p1, m1, p2, m2])| {
                    let fd = (8.0 * (p1[i] - m1[i]) - (p2[i] - m2[i])) / (12.0 * s);
                    (fd - hv[i]).abs()
                })
                .fold(f64::INFINITY, f64::min)
                / (hv[i].abs() + floor)
        })
        .fold(0.0, f64::max)
}

/// The contract checks of one objective at one point. Each method runs its checks at once and
/// hands the checker on, so a case reads as one chain.
struct Check<'a, F> {
    name: String,
    f: &'a F,
    x: Vec<f64>,
    /// Whether `passes()` is checked to grow after each evaluation.
    counts: bool,
    rng: ChaCha8Rng,
}

impl<'a, F: Objective> Check<'a, F> {
    /// Checks the gradient, `value_grad` against `value` and the line restriction of `f` at `x`.
    fn new(name: impl Into<String>, f: &'a F, x: &[f64]) -> Self {
        let mut c = Check {
            name: name.into(),
            f,
            x: x.to_vec(),
            counts: false,
            rng: ChaCha8Rng::seed_from_u64(17),
        };
        assert_eq!(f.dim(), x.len(), "{}: dim", c.name);
        c.gradient();
        c.line();
        c
    }

    /// A direction scaled to the point: entries up to |xⱼ| + 0.1.
    fn direction(&mut self) -> Vec<f64> {
        let rng = &mut self.rng;
        self.x
            .iter()
            .map(|xj| rng.random_range(-1.0..1.0) * (xj.abs() + 0.1))
            .collect()
    }

    /// x moved by a small random step (a point no cache holds).
    fn fresh_point(&mut self) -> Vec<f64> {
        let d = self.direction();
        self.x.iter().zip(&d).map(|(a, b)| a + 1e-3 * b).collect()
    }

    fn gradient(&self) {
        let (f, x) = (self.f, &self.x);
        let mut g = vec![0.0; x.len()];
        let fx = f.value_grad(x, &mut g);
        assert!(fx.is_finite(), "{}: f(x) = {fx}", self.name);
        assert!(
            rel_diff(fx, f.value(x)) <= EXACT_TOL,
            "{}: value_grad {fx} and value {} disagree",
            self.name,
            f.value(x)
        );
        let err = gradient_error(|y| f.value(y), x, fx, &g);
        assert!(err <= FD_TOL, "{}: gradient error {err:.2e}", self.name);
    }

    /// φ(t) = f(x + t·d) and φ'(t) = ∇f(x + t·d)·d at a few steps, in the order a line search
    /// asks for them (so a line that caches its last point is exercised too).
    fn line(&mut self) {
        let d = self.direction();
        let (f, x) = (self.f, &self.x);
        let line = f.line(x, &d);
        for t in [0.0, 1.0, 0.25, 0.25, -0.5] {
            let y: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + t * b).collect();
            let mut g = vec![0.0; y.len()];
            let fy = f.value_grad(&y, &mut g);
            let at = format!("{}: line at t = {t}", self.name);
            assert!(rel_diff(line.value(t), fy) <= EXACT_TOL, "{at}: value");
            let (v, s) = line.value_slope(t);
            assert!(rel_diff(v, fy) <= EXACT_TOL, "{at}: value of value_slope");
            let slope = dot(&g, &d);
            assert!(
                (s - slope).abs() <= EXACT_TOL * (1.0 + norm(&g) * norm(&d)),
                "{at}: slope {s} vs ∇f·d = {slope}"
            );
            let mut kept = vec![0.0; y.len()];
            if let Some(v) = line.last_gradient(t, &mut kept) {
                assert!(rel_diff(v, fy) <= EXACT_TOL, "{at}: last_gradient value");
                assert!(rel_gap(&kept, &g) <= EXACT_TOL, "{at}: last_gradient");
            }
        }
    }

    /// Asserts that `eval` raises `passes()`.
    fn grows(&self, what: &str, eval: impl FnOnce()) {
        let before = self.f.passes();
        eval();
        let after = self.f.passes();
        assert!(
            after > before,
            "{}: passes() stays at {before} after {what}",
            self.name
        );
    }

    /// The type counts passes over its data: each evaluation at a new point raises `passes()`,
    /// and so do the Hessian and batch evaluations checked after this one.
    fn counts_passes(mut self) -> Self {
        self.counts = true;
        let f = self.f;
        let y = self.fresh_point();
        self.grows("value", || {
            f.value(&y);
        });
        let y = self.fresh_point();
        let mut g = vec![0.0; y.len()];
        self.grows("value_grad", || {
            f.value_grad(&y, &mut g);
        });
        self
    }
}

impl<F: Curvature> Check<'_, F> {
    /// Hessian-vector products: against differences of the gradient for an exact or
    /// finite-difference Hessian, symmetric and positive semi-definite for a Gauss-Newton one.
    fn hessian(self) -> Self {
        if self.f.hessian_kind() == "gauss-newton" {
            self.hessian_psd()
        } else {
            self.hessian_fd()
        }
    }

    /// H·v against central differences of ∇f along v.
    fn hessian_fd(mut self) -> Self {
        let v = self.direction();
        let (f, x) = (self.f, &self.x);
        let h = f.hessian(x);
        assert_eq!(h.dim(), x.len(), "{}: Hessian dim", self.name);
        let mut hv = vec![0.0; x.len()];
        if self.counts {
            self.grows("a Hessian product", || h.apply(&v, &mut hv));
        } else {
            h.apply(&v, &mut hv);
        }
        let err = hessian_error(
            |y, g| {
                f.value_grad(y, g);
            },
            x,
            &v,
            &hv,
        );
        assert!(
            err <= FD_TOL,
            "{} ({} Hessian): H·v error {err:.2e}",
            self.name,
            f.hessian_kind()
        );
        self
    }

    /// uᵀ·G·v = vᵀ·G·u and vᵀ·G·v ≥ 0.
    fn hessian_psd(mut self) -> Self {
        let (u, v) = (self.direction(), self.direction());
        let h = self.f.hessian(&self.x);
        let (mut hu, mut hv) = (vec![0.0; u.len()], vec![0.0; v.len()]);
        h.apply(&u, &mut hu);
        if self.counts {
            self.grows("a Hessian product", || h.apply(&v, &mut hv));
        } else {
            h.apply(&v, &mut hv);
        }
        let (uhv, vhu) = (dot(&u, &hv), dot(&v, &hu));
        let scale = norm(&u) * norm(&hv) + norm(&v) * norm(&hu);
        assert!(
            (uhv - vhu).abs() <= EXACT_TOL * scale,
            "{}: not symmetric, {uhv} vs {vhu}",
            self.name
        );
        assert!(
            dot(&v, &hv) >= -EXACT_TOL * norm(&v) * norm(&hv),
            "{}: vᵀGv = {} < 0",
            self.name,
            dot(&v, &hv)
        );
        self
    }
}

/// Two partitions of 0..n: interleaved batches of equal size (i mod m, with m the largest of 4,
/// 3, 2 that divides n, else singletons), and contiguous batches of sizes 1, 2, 3, … (the last
/// takes the rest).
fn partitions(n: usize) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let m = [4, 3, 2].into_iter().find(|m| n % m == 0).unwrap_or(n);
    let equal = (0..m).map(|b| (b..n).step_by(m).collect()).collect();
    let mut unequal = Vec::new();
    let (mut start, mut size) = (0, 1);
    while start < n {
        let end = if start + size + size + 1 > n {
            n
        } else {
            start + size
        };
        unequal.push((start..end).collect());
        start = end;
        size += 1;
    }
    (equal, unequal)
}

impl<F: FiniteSum> Check<'_, F> {
    /// Batch values and gradients: their means over partitions, repeated indices, the empty
    /// batch, and the batch gradient against differences of the batch value.
    fn batches(self) -> Self {
        let (f, x, name) = (self.f, &self.x, &self.name);
        let n = f.n_terms();
        assert!(n >= 2, "{name}: a finite sum to check needs two terms");
        let dim = x.len();
        let mut g = vec![0.0; dim];
        let fx = f.value_grad(x, &mut g);
        let (equal, unequal) = partitions(n);
        for (parts, weighted) in [(&equal, false), (&unequal, true)] {
            let (mut mean, mut mean_g) = (0.0, vec![0.0; dim]);
            let mut gb = vec![0.0; dim];
            for b in parts.iter() {
                let w = if weighted {
                    b.len() as f64 / n as f64
                } else {
                    1.0 / parts.len() as f64
                };
                mean += w * f.value_grad_batch(x, b, &mut gb);
                mean_g.iter_mut().zip(&gb).for_each(|(m, g)| *m += w * g);
            }
            let kind = if weighted { "weighted" } else { "equal" };
            assert!(
                rel_diff(mean, fx) <= EXACT_TOL,
                "{name}: mean of {kind} batch values {mean} vs f = {fx}"
            );
            let gap = rel_gap(&mean_g, &g);
            assert!(
                gap <= EXACT_TOL,
                "{name}: mean of {kind} batch gradients, gap {gap:.2e}"
            );
        }
        // A repeated index counts twice: [i, i] stands for the sum as [i] does.
        let (mut g1, mut g2) = (vec![0.0; dim], vec![0.0; dim]);
        let one = f.value_grad_batch(x, &[1], &mut g1);
        let twice = f.value_grad_batch(x, &[1, 1], &mut g2);
        assert!(
            rel_diff(one, twice) <= EXACT_TOL && rel_gap(&g1, &g2) <= EXACT_TOL,
            "{name}: batch [1, 1] differs from [1]"
        );
        let empty = f.value_grad_batch(x, &[], &mut g1);
        assert!(
            empty.is_finite() && g1.iter().all(|v| v.is_finite()),
            "{name}: the empty batch gives {empty}"
        );
        // ∇f_B against differences of f_B.
        let b = &unequal[unequal.len() / 2];
        let fb = f.value_grad_batch(x, b, &mut g1);
        let value_b = |y: &[f64]| f.value_grad_batch(y, b, &mut vec![0.0; dim]);
        let err = gradient_error(value_b, x, fb, &g1);
        assert!(err <= FD_TOL, "{name}: batch gradient error {err:.2e}");
        if self.counts {
            let b = equal[0].clone();
            self.grows("a batch gradient", || {
                f.value_grad_batch(x, &b, &mut g1);
            });
        }
        self
    }
}

impl<F: SampledCurvature + Curvature> Check<'_, F> {
    /// Sampled Hessian products: their means over partitions, the whole sample, and H_B·v
    /// against differences of the batch gradient ∇f_B.
    fn batch_hessians(mut self) -> Self {
        let v = self.direction();
        let (f, x, name) = (self.f, &self.x, &self.name);
        let (n, dim) = (f.n_terms(), x.len());
        let mut hv = vec![0.0; dim];
        f.hessian(x).apply(&v, &mut hv);
        let (equal, unequal) = partitions(n);
        let mut hb = vec![0.0; dim];
        for (parts, weighted) in [(&equal, false), (&unequal, true)] {
            let mut mean = vec![0.0; dim];
            for b in parts.iter() {
                let w = if weighted {
                    b.len() as f64 / n as f64
                } else {
                    1.0 / parts.len() as f64
                };
                f.hessian_batch(x, b).apply(&v, &mut hb);
                mean.iter_mut().zip(&hb).for_each(|(m, h)| *m += w * h);
            }
            let gap = rel_gap(&mean, &hv);
            assert!(
                gap <= EXACT_TOL,
                "{name}: mean of {} batch Hessian products, gap {gap:.2e}",
                if weighted { "weighted" } else { "equal" }
            );
        }
        let all: Vec<usize> = (0..n).collect();
        f.hessian_batch(x, &all).apply(&v, &mut hb);
        assert!(
            rel_gap(&hb, &hv) <= EXACT_TOL,
            "{name}: whole-sample Hessian"
        );
        let b = &unequal[unequal.len() / 2];
        let h = f.hessian_batch(x, b);
        if self.counts {
            self.grows("a batch Hessian product", || h.apply(&v, &mut hb));
        } else {
            h.apply(&v, &mut hb);
        }
        let err = hessian_error(
            |y, g| {
                f.value_grad_batch(y, b, g);
            },
            x,
            &v,
            &hb,
        );
        assert!(err <= FD_TOL, "{name}: batch H·v error {err:.2e}");
        self
    }
}

/// A point with entries uniform in ±`scale`.
fn point(dim: usize, scale: f64, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..dim).map(|_| rng.random_range(-scale..scale)).collect()
}

/// 24 samples of 5 features with labels for `loss`.
fn glm_data(loss: Loss, sparse: bool) -> Dataset {
    common::random_dataset(24, 5, sparse, 3, move |_, rng| match loss {
        Loss::Softmax => rng.random_range(0..3) as f64,
        Loss::LeastSquares => rng.random_range(-3.0..3.0),
        _ => {
            if rng.random::<bool>() {
                1.0
            } else {
                -1.0
            }
        }
    })
}

/// The GLM of `loss` on `data` with ridge weight 1/C = 2, sample weights when `weighted`.
fn glm(data: &Dataset, loss: Loss, intercept: bool, weighted: bool) -> Glm<'_> {
    let n = data.y.len();
    let spec = GlmSpec {
        loss,
        ridge: Ridge::C(0.5),
        penalty: None,
        intercept,
        sample_weight: weighted.then(|| (0..n).map(|i| 0.5 + (i % 3) as f64).collect()),
    };
    spec.objective(data).unwrap().0
}

/// 24 samples of 4 features; `outputs` classes or regression targets.
fn mlp_data(outputs: usize, classes: bool) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let x = (0..24 * 4).map(|_| rng.random_range(-1.5..1.5)).collect();
    let y = if classes {
        (0..24).map(|i| (i % outputs) as f64).collect()
    } else {
        (0..24 * outputs)
            .map(|_| rng.random_range(-1.0..1.0))
            .collect()
    };
    (x, y)
}

#[test]
fn glms() {
    for loss in Loss::ALL {
        for sparse in [false, true] {
            let data = glm_data(loss, sparse);
            for (intercept, weighted) in [(false, false), (true, false), (true, true)] {
                let f = glm(&data, loss, intercept, weighted);
                let name = format!(
                    "Glm {loss} {} intercept={intercept} weighted={weighted}",
                    if sparse { "sparse" } else { "dense" }
                );
                let x = point(f.dim(), 0.5, 1);
                Check::new(name, &f, &x)
                    .counts_passes()
                    .hessian()
                    .batches()
                    .batch_hessians();
            }
        }
    }
}

#[test]
fn glm_wrappers() {
    let data = glm_data(Loss::Logistic, true);
    let f = glm(&data, Loss::Logistic, true, false);
    let x = point(f.dim(), 0.5, 2);
    Check::new("&Glm", &&f, &x)
        .counts_passes()
        .hessian()
        .batches()
        .batch_hessians();
    let fd = WithFiniteDiffHessian(&f);
    Check::new("WithFiniteDiffHessian(&Glm)", &fd, &x)
        .counts_passes()
        .hessian()
        .batches();
    let center = point(f.dim(), 0.3, 3);
    let prox = Proximal {
        f: &f,
        mu: 0.7,
        center,
    };
    Check::new("Proximal(&Glm)", &prox, &x)
        .counts_passes()
        .hessian();
}

#[test]
fn mlps() {
    for act in Activation::ALL {
        let (x, y) = mlp_data(3, true);
        let f = Mlp::classifier(&[4, 5, 3], act, 24, &x, &y)
            .unwrap()
            .with_l2(0.1)
            .unwrap();
        let theta = f.init(1);
        Check::new(format!("Mlp {act:?} classifier"), &f, &theta)
            .counts_passes()
            .hessian()
            .batches();
        Check::new(
            format!("WithGaussNewton {act:?}"),
            &WithGaussNewton(&f),
            &theta,
        )
        .counts_passes()
        .hessian()
        .batches();
    }
    let (x, y) = mlp_data(2, false);
    let f = Mlp::regressor(&[4, 3, 3, 2], Activation::Softplus, 24, &x, &y)
        .unwrap()
        .with_l2(0.05)
        .unwrap();
    let theta = f.init(2);
    Check::new("Mlp regressor, two hidden layers", &f, &theta)
        .counts_passes()
        .hessian()
        .batches();
    let (x, _) = mlp_data(2, false);
    let f = Mlp::autoencoder(&[4, 3, 2, 3, 4], Activation::Sigmoid, 24, &x).unwrap();
    let theta = f.init(4);
    Check::new("Mlp autoencoder 4-3-2-3-4", &f, &theta)
        .counts_passes()
        .hessian()
        .batches();
    // One layer: the outputs are linear in θ, so the Gauss-Newton matrix is the Hessian.
    let (x, y) = mlp_data(3, true);
    let f = Mlp::classifier(&[4, 3], Activation::Tanh, 24, &x, &y)
        .unwrap()
        .with_l2(0.1)
        .unwrap();
    let theta = f.init(3);
    Check::new("WithGaussNewton, one layer", &WithGaussNewton(&f), &theta)
        .counts_passes()
        .hessian_fd();
}

#[test]
fn test_functions() {
    for f in Mgh::all() {
        let x0 = f.start();
        Check::new(format!("Mgh {f} at x₀"), &f, &x0).hessian();
        let x = f
            .start()
            .iter()
            .zip(point(x0.len(), 0.1, 4))
            .map(|(a, b)| a + b * (a.abs() + 0.1))
            .collect::<Vec<_>>();
        Check::new(format!("Mgh {f} near x₀"), &f, &x).hessian();
        Check::new(format!("SumOfSquares({f})"), &SumOfSquares(&f), &x);
    }
    let f = RankOneFactorization::new(vec![1.0, -2.0, 0.5]).unwrap();
    Check::new("RankOneFactorization", &f, &[0.3, 0.1, -0.7]).hessian();
    let f = PSpin::new(6, 1).unwrap();
    Check::new("PSpin", &f, &point(6, 1.5, 5)).hessian();
}

#[test]
fn closures_and_nonconvex_losses() {
    let rosenbrock = FnObjective::new(2, |x: &[f64], g: &mut [f64]| {
        let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
        g[0] = -2.0 * a - 400.0 * x[0] * b;
        g[1] = 200.0 * b;
        a * a + 100.0 * b * b
    });
    Check::new("FnObjective", &rosenbrock, &[-1.2, 1.0]);
    Check::new(
        "WithFiniteDiffHessian(FnObjective)",
        &WithFiniteDiffHessian(&rosenbrock),
        &[-1.2, 1.0],
    )
    .hessian();

    let real = optml::nonconvex::phase_retrieval::planted::<f64>(5, 30, 1).unwrap();
    let f = WirtingerLoss {
        measurements: &real.measurements,
    };
    Check::new("WirtingerLoss real", &f, &point(f.dim(), 1.0, 6));
    let complex = optml::nonconvex::phase_retrieval::planted::<c64>(4, 30, 2).unwrap();
    let f = WirtingerLoss {
        measurements: &complex.measurements,
    };
    Check::new("WirtingerLoss complex", &f, &point(f.dim(), 1.0, 7));

    let completion = optml::nonconvex::completion::planted(6, 5, 2, 0.6, 3).unwrap();
    let f = FactoredCompletion {
        observed: &completion.observed,
        rank: 2,
        balance: 0.1,
    };
    Check::new("FactoredCompletion", &f, &point(f.dim(), 1.0, 8));
    let sensing = optml::nonconvex::sensing::planted(5, 4, 2, 30, 4).unwrap();
    let f = FactoredSensing {
        measurements: &sensing.measurements,
        rank: 2,
        balance: 0.1,
    };
    Check::new("FactoredSensing", &f, &point(f.dim(), 1.0, 9));
}

/// The public types of the library that implement one of the traits, read from its source: each
/// must be named in this file (and so, with the compiler's unused-import check, checked above).
/// Crate-private wrappers are checked through the public methods that use them.
#[test]
fn every_implementation_is_checked() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let this = include_str!("contracts.rs");
    let mut files = vec![src];
    let mut found = Vec::new();
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if p.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let public = |ty: &str| {
            text.lines()
                .map(str::trim_start)
                .any(|l| l.starts_with(&format!("pub struct {ty}")))
                || !text.contains(&format!("struct {ty}"))
        };
        for line in text.lines().map(str::trim_start) {
            if !line.starts_with("impl") {
                continue;
            }
            for t in ["Objective", "Curvature", "FiniteSum", "SampledCurvature"] {
                let Some(rest) = line.split(&format!(" {t} for ")).nth(1) else {
                    continue;
                };
                if rest.starts_with('&') {
                    continue; // the blanket impls for references, checked through &Glm
                }
                let ty: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if public(&ty) {
                    found.push((t, ty, p.display().to_string()));
                }
            }
        }
    }
    assert!(found.len() >= 20, "found only {found:?}");
    for (t, ty, file) in found {
        assert!(
            this.contains(&format!("{ty}(")) || this.contains(&format!("{ty} {{")) || {
                this.contains(&format!("&{ty}")) || this.contains(&format!("{ty}::"))
            },
            "{ty} implements {t} ({file}) but no contract check names it"
        );
    }
}
