//! SALSA (Zhang, Lang, Liu & Xiao 2020, "Statistical adaptive stochastic gradient methods";
//! the reference is microsoft/statopt), as a step-size controller around any rule.
//!
//! **Warm-up, SSLS.** On each batch, with f₀ = f_B(x) and the (clipped) gradient g, try
//! η = 2·η_k (`ls_inc`), Armijo test f_B(x − η·g) ≤ f₀ − 0.05·η·gᵀg, shrink ×0.5 at most twice
//! (the last trial is kept); when g = 0 the trial is η = 0.5·η_k. Then η_{k+1} = (1−γ)·η_k + γ·η with γ = √(batch/n).
//!
//! **SASA.** After every step it records Δ_k = ⟨x_{k+1}, d_k⟩ + (η/2)‖d_k‖² where
//! x_{k+1} = x_k − η·d_k (d_k: the rule's direction plus the decoupled decay), whose mean is 0
//! at stationarity. It keeps the most recent N/8 of the N values since the last drop
//! (`leak_ratio` 8) and, every `min(1000, batches per epoch)` steps once N > 1000, builds a
//! batch-means confidence interval of level 0.95 for the mean (b = ⌊√M⌋ batches of the M kept
//! values, t-quantile with b − 1 degrees of freedom). Stationary: the interval holds 0 and the
//! two half means have one sign; the first test is the stricter one (each half's interval holds
//! 0). While in SSLS a positive test ends the warm-up; afterwards it divides η by 10 and zeroes
//! the momentum. statopt also ends the warm-up on a t-test of the line-search losses' slope; that
//! second trigger is not implemented here.

/// SALSA's state.
pub struct Salsa {
    /// γ of the smoothing.
    gamma: f64,
    pub(crate) lr: f64,
    searching: bool,
    values: Vec<f64>,
    test_every: usize,
    steps_since_test: usize,
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

impl Salsa {
    pub fn new(lr: f64, batch: usize, n: usize, batches_per_epoch: usize) -> Salsa {
        Salsa {
            gamma: (batch as f64 / n.max(1) as f64).sqrt().min(1.0),
            lr,
            searching: true,
            values: Vec::new(),
            test_every: batches_per_epoch.clamp(1, 1000),
            steps_since_test: 0,
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

    /// The SSLS update of η from f₀, gᵀg and the batch loss at a trial point (`probe(η)` is
    /// f_B(x − η·g)); returns the step size of this step.
    pub fn search(&mut self, f0: f64, gu: f64, mut probe: impl FnMut(f64) -> f64) -> f64 {
        if !self.searching {
            return self.lr;
        }
        let eta = if gu > 0.0 {
            let mut eta = LS_INC * self.lr;
            for i in 0..=LS_MAX {
                let f1 = probe(eta);
                if f1 <= f0 - LS_SDC * eta * gu || i == LS_MAX {
                    break;
                }
                eta *= LS_DEC;
            }
            eta
        } else {
            LS_DEC * self.lr
        };
        self.lr = (1.0 - self.gamma) * self.lr + self.gamma * eta;
        self.lr
    }

    /// Records Δ_k after a step and runs the test when due; returns true when the step size
    /// was dropped (the caller zeroes the momentum).
    pub fn record(&mut self, x_next: &[f64], d: &[f64], eta: f64) -> bool {
        let xd: f64 = crate::linalg::dot(x_next, d);
        let dd: f64 = crate::linalg::dot(d, d);
        self.values.push(xd + 0.5 * eta * dd);
        self.steps_since_test += 1;
        if self.values.len() <= MIN_N || self.steps_since_test < self.test_every {
            return false;
        }
        self.steps_since_test = 0;
        let kept = &self.values[self.values.len() - self.values.len().div_ceil(LEAK)..];
        let (a, b) = kept.split_at(kept.len() / 2);
        let stationary = if self.drops == 0 {
            holds_zero(a) && holds_zero(b)
        } else {
            holds_zero(kept) && mean(a).signum() == mean(b).signum()
        };
        if !stationary {
            return false;
        }
        self.values.clear();
        if self.searching {
            self.searching = false;
            return false;
        }
        self.lr /= DROP;
        self.drops += 1;
        true
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// Whether the batch-means confidence interval of level 1 − σ for the mean of `v` holds 0.
pub fn holds_zero(v: &[f64]) -> bool {
    let n = v.len();
    let b = (n as f64).sqrt().floor() as usize;
    if b < 2 {
        return false;
    }
    let m = n / b;
    let tail = &v[n - b * m..];
    let mu = mean(tail);
    let ss: f64 = tail
        .chunks_exact(m)
        .map(|c| (mean(c) - mu).powi(2))
        .sum::<f64>();
    let var = m as f64 * ss / (b - 1) as f64;
    let half = t_quantile(1.0 - SIGNIFICANCE / 2.0, (b - 1) as f64) * var.sqrt()
        / (tail.len() as f64).sqrt();
    mu.abs() <= half
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
