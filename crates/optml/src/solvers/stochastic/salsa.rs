//! SALSA (Zhang, Lang, Liu & Xiao 2020, "Statistical adaptive stochastic gradient methods";
//! the reference is microsoft/statopt), as a step-size controller around any rule.
//!
//! **Warm-up, SSLS.** On each batch, with f₀ = f_B(x) and the (clipped) gradient g, try
//! η = 2·η_k (`ls_inc`) with the Armijo test f_B(x − η·g) ≤ f₀ − 0.05·η·gᵀg, halving (`ls_dec`)
//! after each failure, at most twice (`ls_max`): the trials are 2η_k and η_k, and two failures
//! leave η = ½η_k untried; when gᵀg = 0 it is ½η_k at once. Then η_{k+1} = (1−γ)·η_k + γ·η with
//! γ = √(batch/n), and the step is taken along the rule's direction with η_{k+1}.
//!
//! **SASA.** After every step it records Δ_k = ⟨x_{k+1}, d_k⟩ + (η/2)‖d_k‖², where
//! x_{k+1} = x_k − η·d_k (d_k: the rule's direction plus the decoupled decay), whose mean is 0
//! at stationarity. A leaky bucket keeps, of the N values since the last drop, the most recent
//! M = ⌈N/8⌉ (`leak_ratio` 8). Every `min(1000, batches per epoch)` steps (counted from the start
//! of the run), once M > 1000 (`minN_stats`, a count of kept values as in statopt), it builds the
//! batch-means confidence interval of level 0.95 for their mean: b = ⌊√M⌋ values per batch, the
//! ⌊M/b⌋ batch means from the oldest, variance b·Σ(Ȳⱼ − Ȳ)²/(⌊M/b⌋ − 1), half-width
//! t_{0.975, b−1}·sd/√M. Stationary: the interval holds 0 and the means of the older and the
//! newer half of the kept values have one sign; until the first drop the test is the stricter
//! composite one, where each half mean ± the same half-width holds 0. On a stationary test the
//! step size is divided by 10 (`drop_factor`), the momentum is zeroed, the bucket emptied, and
//! the warm-up (if still on) ends.
//!
//! **Switch.** The warm-up also ends when the line-search losses f₀ stop decreasing: a second
//! bucket keeps them the same way and, once it holds more than 1000, a one-sided t-test on the
//! slope of their least-squares line against the step index (H₀: slope ≥ 0, level 0.05) that
//! fails to find a decrease ends it (statopt's `linregress`).

use std::collections::VecDeque;

/// SALSA's state.
pub struct Salsa {
    /// γ of the smoothing.
    gamma: f64,
    pub(crate) lr: f64,
    searching: bool,
    /// Δ_k since the last drop.
    stats: Bucket,
    /// Line-search losses f₀ of the warm-up.
    losses: Bucket,
    test_every: usize,
    steps: usize,
    drops: usize,
}

/// `ls_inc`, `ls_dec`, `ls_max`, `ls_sdc`, `drop_factor`, `minN_stats`, significance, `leak_ratio`.
const LS_INC: f64 = 2.0;
const LS_DEC: f64 = 0.5;
const LS_MAX: usize = 2;
const LS_SDC: f64 = 0.05;
const DROP: f64 = 10.0;
const MIN_N: usize = 1000;
const SIGNIFICANCE: f64 = 0.05;
const LEAK: usize = 8;

/// statopt's leaky bucket: of the values added since the last reset it keeps the most recent
/// ⌈added/8⌉ (each add keeps one more value only every eighth time).
#[derive(Default)]
struct Bucket {
    kept: VecDeque<f64>,
    added: usize,
}

impl Bucket {
    fn add(&mut self, v: f64) {
        self.kept.push_back(v);
        if self.added % LEAK != 0 {
            self.kept.pop_front();
        }
        self.added += 1;
    }
    fn len(&self) -> usize {
        self.kept.len()
    }
    fn reset(&mut self) {
        self.kept.clear();
        self.added = 0;
    }
    fn values(&mut self) -> &[f64] {
        self.kept.make_contiguous()
    }
}

impl Salsa {
    pub fn new(lr: f64, batch: usize, n: usize, batches_per_epoch: usize) -> Salsa {
        Salsa {
            gamma: (batch as f64 / n.max(1) as f64).sqrt().min(1.0),
            lr,
            searching: true,
            stats: Bucket::default(),
            losses: Bucket::default(),
            test_every: batches_per_epoch.clamp(1, 1000),
            steps: 0,
            drops: 0,
        }
    }

    /// Whether the line-search warm-up is still on.
    pub fn searching(&self) -> bool {
        self.searching
    }
    pub fn drops(&self) -> usize {
        self.drops
    }
    /// The current step size η_k.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// The SSLS update of η from f₀, gᵀg and the batch loss at a trial point (`probe(η)` is
    /// f_B(x − η·g)); returns the step size of this step.
    pub fn search(&mut self, f0: f64, gg: f64, mut probe: impl FnMut(f64) -> f64) -> f64 {
        if !self.searching {
            return self.lr;
        }
        let mut eta = LS_INC * self.lr;
        if gg > 0.0 {
            for _ in 0..LS_MAX {
                if probe(eta) <= f0 - LS_SDC * eta * gg {
                    break;
                }
                eta *= LS_DEC;
            }
        } else {
            eta = LS_DEC * self.lr;
        }
        self.lr = (1.0 - self.gamma) * self.lr + self.gamma * eta;
        self.losses.add(f0);
        if self.losses.len() > MIN_N && !decreasing(self.losses.values()) {
            self.searching = false;
        }
        self.lr
    }

    /// Records Δ_k after a step and runs the test when due; returns true when the step size
    /// was dropped (the caller zeroes the momentum).
    pub fn record(&mut self, x_next: &[f64], d: &[f64], eta: f64) -> bool {
        let xd: f64 = crate::linalg::dot(x_next, d);
        let dd: f64 = crate::linalg::dot(d, d);
        self.stats.add(xd + 0.5 * eta * dd);
        self.steps += 1;
        if self.stats.len() <= MIN_N || self.steps % self.test_every != 0 {
            return false;
        }
        if !stationary(self.stats.values(), self.drops == 0) {
            return false;
        }
        self.stats.reset();
        self.searching = false;
        self.lr /= DROP;
        self.drops += 1;
        true
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// The mean of `v` and the half-width of its batch-means confidence interval of level 1 − σ
/// (statopt's `var_mode='mb'`); `None` with fewer than two batches.
fn interval(v: &[f64]) -> Option<(f64, f64)> {
    let n = v.len();
    let b = (n as f64).sqrt().floor() as usize;
    if b < 2 {
        return None;
    }
    let mu = mean(v);
    let means: Vec<f64> = v.chunks_exact(b).map(mean).collect();
    let ss: f64 = means.iter().map(|m| (m - mu).powi(2)).sum();
    let sd = (b as f64 * ss / (means.len() - 1) as f64).sqrt();
    let half = t_quantile(1.0 - SIGNIFICANCE / 2.0, (b - 1) as f64) * sd / (n as f64).sqrt();
    Some((mu, half))
}

/// Whether the batch-means confidence interval of level 1 − σ for the mean of `v` holds 0.
pub fn holds_zero(v: &[f64]) -> bool {
    interval(v).is_some_and(|(mu, half)| mu.abs() < half)
}

/// SASA's test on the kept values: the interval holds 0 and the two half means have one sign;
/// `composite`: each half mean ± the whole interval's half-width holds 0 instead.
pub fn stationary(v: &[f64], composite: bool) -> bool {
    let Some((mu, half)) = interval(v) else {
        return false;
    };
    let (a, b) = v.split_at(v.len() / 2);
    let (m1, m2) = (mean(a), mean(b));
    let same_sign = m1 * m2 > 0.0;
    if composite {
        same_sign && m1.abs() < half && m2.abs() < half
    } else {
        same_sign && mu.abs() < half
    }
}

/// Whether the values decrease: the one-sided t-test of level σ on the slope of their
/// least-squares line against their index rejects "slope ≥ 0" (t = r·√((m−2)/(1−r²)) below
/// the σ-quantile of Student's t with m − 2 degrees of freedom).
pub fn decreasing(v: &[f64]) -> bool {
    let m = v.len();
    if m < 3 {
        return true;
    }
    let xm = (m - 1) as f64 / 2.0;
    let ym = mean(v);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, &y) in v.iter().enumerate() {
        let (dx, dy) = (i as f64 - xm, y - ym);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let r = if sxx * syy > 0.0 {
        (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let df = (m - 2) as f64;
    let t = r * (df / ((1.0 - r + 1e-20) * (1.0 + r + 1e-20))).sqrt();
    t < -t_quantile(1.0 - SIGNIFICANCE, df)
}

/// The p-quantile of Student's t with ν degrees of freedom, by the Cornish–Fisher expansion
/// around the normal quantile (Abramowitz & Stegun 26.7.5; error below 1e-4 for ν ≥ 10, the
/// test above has ν ≥ 30).
pub fn t_quantile(p: f64, nu: f64) -> f64 {
    let z = normal_quantile(p);
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * nu)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * nu * nu)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * nu.powi(3))
}

/// The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}
