//! [`DualCoordinateDescent`]: one coordinate of the dual at a time, in a random order each epoch,
//! with w(α) = Σᵢ αᵢ·yᵢ·xᵢ kept up to date so that a coordinate costs two passes over its row.
//!
//! Hinge and squared hinge: the exact one-variable minimizer clipped to the box, with shrinking
//! of the coordinates stuck at a bound (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008, "A dual
//! coordinate descent method for large-scale linear SVM"). Logistic: each one-variable problem
//! min_z ½a(z − αᵢ)² + b(z − αᵢ) + z·log z + (Cᵢ − z)·log(Cᵢ − z) solved by Newton's method on
//! whichever of z, Cᵢ − z is at most Cᵢ/2 at the solution, steps that leave (0, Cᵢ/2] replaced
//! by z ← z/10, to a tolerance that tightens as the epochs need fewer Newton steps (Yu, Huang &
//! Lin 2011, "Dual coordinate descent methods for logistic regression and maximum entropy
//! models").
//!
//! The stop test is the library's on the primal F (the relative or absolute gradient norm, as
//! every smooth solver); for the hinge loss, which has no gradient, the duality gap stands in
//! for ‖∇F‖ (its value at w = 0 is F(0)). It is evaluated (two passes) on a geometric schedule
//! of epochs and whenever the dual's own optimality measure (the projected-gradient spread for
//! the hinges, the largest |∂D/∂αᵢ| for logistic) has fallen by the factor the last check
//! suggests; between checks the monitor hears nothing.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{DualForm, DualLinear, DualLoss};
use crate::error::{Error, Result};
use crate::linalg::{dot, norm, Design, Rows};
use crate::monitor::Monitor;
use crate::solvers::checks::check_dim;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::Report;

/// Dual coordinate descent for L2-regularized linear classifiers (LIBLINEAR's `-s 1`, `-s 3`
/// and `-s 7`). It starts from w = 0, the only primal point whose dual point is known.
#[derive(Clone, Debug, PartialEq)]
pub struct DualCoordinateDescent {
    /// The stop rule on the primal (one iteration is one epoch over the samples).
    pub stop: Stop,
    /// Seed of the per-epoch permutations: the same seed gives the same bits.
    pub seed: u64,
    /// Drop coordinates stuck at a bound from the epochs (hinge and squared hinge).
    pub shrinking: bool,
}

impl Default for DualCoordinateDescent {
    fn default() -> Self {
        DualCoordinateDescent {
            stop: Stop::default(),
            seed: 0,
            shrinking: true,
        }
    }
}

/// What [`DualCoordinateDescent::solve`] returns besides the report.
#[derive(Clone, Debug)]
pub struct DualRun {
    pub report: Report,
    /// The dual point α (LIBLINEAR's scale: 0 ≤ αᵢ ≤ Cᵢ).
    pub alpha: Vec<f64>,
    /// The duality gap (P(w) + D(α))/C on the objective's scale: ≥ 0, and 0 at the optimum.
    pub gap: f64,
}

/// Epochs between primal checks grow by this factor.
const CHECK_GROWTH: f64 = 1.25;
/// Newton steps per logistic sub-problem at most.
const MAX_NEWTON: usize = 100;

impl DualCoordinateDescent {
    /// Minimizes `f` from `x` = 0 and leaves the primal w(α) in `x`.
    pub fn minimize<F: DualLinear, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        Ok(self.solve(f, x, monitor)?.report)
    }

    /// As [`minimize`](Self::minimize), and returns the dual point and the duality gap too.
    pub fn solve<F: DualLinear, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<DualRun> {
        check_dim(f, x)?;
        if x.iter().any(|v| *v != 0.0) {
            return Err(Error::invalid(
                "dcd starts from w = 0 (the primal point of the dual point α = 0)",
            ));
        }
        let form = f.dual_form()?;
        if form.x.ncols() != x.len() {
            return Err(Error::invalid(format!(
                "dcd: the dual has {} features and the objective {} parameters",
                form.x.ncols(),
                x.len()
            )));
        }
        let mut state = State::new(form, self.seed);
        state.inner_floor = self.stop.tol.clamp(1e-14, 1e-8);
        let hinge = state.form.loss == DualLoss::Hinge;
        let mut run = Run::new("dcd", self.stop, f, monitor)?;
        let mut g = vec![0.0; x.len()];
        let (mut fx, mut measure, mut ended) = if hinge {
            // α = 0: D = 0, so the gap is F(0).
            let fx = f.value(x);
            run.f_evals += 1;
            (fx, fx, run.first(f, fx, fx))
        } else {
            let (fx, g0, ended) = run.start(f, x);
            let gn = norm(&g0);
            (fx, gn, ended)
        };
        let w = x;
        if state.form.loss == DualLoss::Logistic {
            state.init_logistic(w);
            f.count_passes(1);
        }
        let mut dual_tol = self.stop.tol.min(0.1);
        let mut first_violation = None;
        let mut next_check = 1usize;
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let violation = state.epoch(w, self.shrinking);
            f.count_passes(1);
            let v0 = *first_violation.get_or_insert(violation);
            let mut dual_done = violation <= dual_tol * v0;
            if dual_done && state.shrunk() {
                // Converged on the active set: look at every coordinate again before checking.
                state.unshrink();
                dual_done = false;
            }
            if !(dual_done || run.iter >= next_check || run.budget_spent().is_some()) {
                continue;
            }
            if hinge {
                fx = f.value(w);
                run.f_evals += 1;
                measure = fx + state.dual_value(w) / state.form.c;
            } else {
                fx = f.value_grad(w, &mut g);
                run.g_evals += 1;
                measure = norm(&g);
            }
            ended = run.check(f, fx, measure);
            if ended.is_none() && dual_done && measure > 0.0 {
                dual_tol *= (0.5 * run.threshold() / measure).clamp(1e-4, 0.5);
            }
            next_check = ((run.iter as f64 * CHECK_GROWTH).ceil() as usize).max(run.iter + 1);
        };
        let gap = fx + state.dual_value(w) / state.form.c;
        let report = run.finish(f, status, fx, measure);
        Ok(DualRun {
            report,
            alpha: state.alpha,
            gap,
        })
    }
}

/// The dual point and what the epochs keep between them.
struct State<'a> {
    form: DualForm<'a>,
    alpha: Vec<f64>,
    /// Cᵢ − αᵢ (logistic), kept apart so that neither side loses digits near a bound.
    rest: Vec<f64>,
    /// Qᵢᵢ = ‖xᵢ‖² (+ 1/(2Cᵢ) for the squared hinge).
    qd: Vec<f64>,
    /// The coordinates in play (those with Cᵢ > 0); the first `active` are not shrunk.
    index: Vec<usize>,
    active: usize,
    /// Shrinking thresholds: the last epoch's largest and smallest projected gradients.
    pg_max: f64,
    pg_min: f64,
    /// Tolerance of the logistic Newton sub-problems, and the least it tightens to.
    inner_tol: f64,
    inner_floor: f64,
    rng: ChaCha8Rng,
}

impl<'a> State<'a> {
    fn new(form: DualForm<'a>, seed: u64) -> Self {
        let n = form.x.nrows();
        let index: Vec<usize> = (0..n).filter(|&i| form.bounds[i] > 0.0).collect();
        let qd = (0..n)
            .map(|i| {
                let sq = row_sq_norm(form.x, i);
                match form.loss {
                    DualLoss::SquaredHinge if form.bounds[i] > 0.0 => sq + 0.5 / form.bounds[i],
                    _ => sq,
                }
            })
            .collect();
        State {
            alpha: vec![0.0; n],
            rest: form.bounds.clone(),
            qd,
            active: index.len(),
            index,
            pg_max: f64::INFINITY,
            pg_min: f64::NEG_INFINITY,
            inner_tol: 1e-2,
            inner_floor: 1e-8,
            rng: ChaCha8Rng::seed_from_u64(seed),
            form,
        }
    }

    /// α at a small interior point, αᵢ = min(10⁻³·Cᵢ, 10⁻⁸), and w = w(α): the logistic dual's
    /// entropy terms are not differentiable at the bounds.
    fn init_logistic(&mut self, w: &mut [f64]) {
        for &i in &self.index {
            let c = self.form.bounds[i];
            let a = (1e-3 * c).min(1e-8);
            self.alpha[i] = a;
            self.rest[i] = c - a;
            let step = a * self.form.y[i];
            match self.form.x {
                Design::Dense(m) => m.row_axpy(i, step, w),
                Design::Sparse(m) => m.row_axpy(i, step, w),
            }
        }
    }

    fn shrunk(&self) -> bool {
        self.active < self.index.len()
    }

    fn unshrink(&mut self) {
        self.active = self.index.len();
        self.pg_max = f64::INFINITY;
        self.pg_min = f64::NEG_INFINITY;
    }

    /// One epoch in a fresh random order; returns the dual optimality measure seen on the way.
    fn epoch(&mut self, w: &mut [f64], shrinking: bool) -> f64 {
        let active = self.active;
        self.index[..active].shuffle(&mut self.rng);
        match (self.form.loss, self.form.x) {
            (DualLoss::Logistic, Design::Dense(m)) => self.logistic_epoch(m, w),
            (DualLoss::Logistic, Design::Sparse(m)) => self.logistic_epoch(m, w),
            (_, Design::Dense(m)) => self.svm_epoch(m, w, shrinking),
            (_, Design::Sparse(m)) => self.svm_epoch(m, w, shrinking),
        }
    }

    /// Hsieh et al.'s epoch: αᵢ ← clip(αᵢ − Gᵢ/Qᵢᵢ) with Gᵢ = yᵢ·w·xᵢ − 1 + Dᵢᵢ·αᵢ; a coordinate at
    /// a bound whose gradient pushes past last epoch's projected-gradient range is shrunk.
    /// Returns max PG − min PG over the epoch.
    fn svm_epoch<R: Rows>(&mut self, r: &R, w: &mut [f64], shrinking: bool) -> f64 {
        let (mut hi, mut lo) = (f64::NEG_INFINITY, f64::INFINITY);
        let hinge = self.form.loss == DualLoss::Hinge;
        let mut s = 0;
        while s < self.active {
            let i = self.index[s];
            let (c, y, a) = (self.form.bounds[i], self.form.y[i], self.alpha[i]);
            let (d, upper) = if hinge {
                (0.0, c)
            } else {
                (0.5 / c, f64::INFINITY)
            };
            let g = y * r.row_dot(i, w) - 1.0 + d * a;
            let pg = if a == 0.0 {
                if shrinking && g > self.pg_max {
                    self.active -= 1;
                    self.index.swap(s, self.active);
                    continue;
                }
                g.min(0.0)
            } else if a == upper {
                if shrinking && g < self.pg_min {
                    self.active -= 1;
                    self.index.swap(s, self.active);
                    continue;
                }
                g.max(0.0)
            } else {
                g
            };
            hi = hi.max(pg);
            lo = lo.min(pg);
            if pg != 0.0 {
                let q = self.qd[i];
                let new = if q > 0.0 {
                    (a - g / q).clamp(0.0, upper)
                } else if g < 0.0 {
                    upper
                } else {
                    0.0
                };
                self.alpha[i] = new;
                let step = (new - a) * y;
                if step != 0.0 {
                    r.row_axpy(i, step, w);
                }
            }
            s += 1;
        }
        if self.active == 0 {
            return 0.0;
        }
        self.pg_max = if hi <= 0.0 { f64::INFINITY } else { hi };
        self.pg_min = if lo >= 0.0 { f64::NEG_INFINITY } else { lo };
        hi - lo
    }

    /// Yu, Huang & Lin's epoch. Returns the largest |∂D/∂αᵢ| = |yᵢ·w·xᵢ + log(αᵢ/(Cᵢ − αᵢ))| met.
    fn logistic_epoch<R: Rows>(&mut self, r: &R, w: &mut [f64]) -> f64 {
        let mut worst = 0.0f64;
        let mut newton = 0usize;
        for s in 0..self.active {
            let i = self.index[s];
            let (c, y, a) = (self.form.bounds[i], self.form.y[i], self.qd[i]);
            let (a1, a2) = (self.alpha[i], self.rest[i]);
            let b = y * r.row_dot(i, w);
            worst = worst.max((b + (a1 / a2).ln()).abs());
            // The sub-problem's derivative at z = Cᵢ/2 says on which side the solution lies;
            // solve for the variable that is at most Cᵢ/2 there (u = z or u = Cᵢ − z).
            let (start, lin, sign) = if 0.5 * a * (a2 - a1) + b >= 0.0 {
                (a1, b, 1.0)
            } else {
                (a2, -b, -1.0)
            };
            let mut u = if c - start < 0.5 * c {
                0.1 * start
            } else {
                start
            };
            let derivative = |u: f64| a * (u - start) + lin + (u / (c - u)).ln();
            let mut gp = derivative(u);
            let mut steps = 0;
            while steps < MAX_NEWTON && gp.abs() >= self.inner_tol && u > f64::MIN_POSITIVE {
                let curvature = a + c / ((c - u) * u);
                let next = u - gp / curvature;
                let settled = (next - u).abs() <= 4.0 * f64::EPSILON * u;
                u = if next <= 0.0 { 0.1 * u } else { next };
                gp = derivative(u);
                steps += 1;
                if settled {
                    // Rounding now decides the sign of the derivative: no step can do better.
                    break;
                }
            }
            newton += steps;
            if steps > 0 {
                let delta = sign * (u - start);
                if sign > 0.0 {
                    self.alpha[i] = u;
                    self.rest[i] = c - u;
                } else {
                    self.alpha[i] = c - u;
                    self.rest[i] = u;
                }
                if delta != 0.0 {
                    r.row_axpy(i, delta * y, w);
                }
            }
        }
        if newton <= self.active / 10 {
            self.inner_tol = (0.1 * self.inner_tol).max(self.inner_floor);
        }
        worst
    }

    /// D(α) in LIBLINEAR's scale (see the module table), with ½‖w‖² from the kept w.
    fn dual_value(&self, w: &[f64]) -> f64 {
        let mut d = 0.5 * dot(w, w);
        for &i in &self.index {
            let (c, a) = (self.form.bounds[i], self.alpha[i]);
            d += match self.form.loss {
                DualLoss::Hinge => -a,
                DualLoss::SquaredHinge => a * a / (4.0 * c) - a,
                DualLoss::Logistic => {
                    // a·log(a/C) + r·log(r/C) with a + r = C, the larger side through log1p.
                    let r = self.rest[i];
                    let (small, large) = if a <= r { (a, r) } else { (r, a) };
                    small * (small / c).ln() + large * (-small / c).ln_1p()
                }
            };
        }
        d
    }
}

/// ‖xᵢ‖².
fn row_sq_norm(x: &Design, i: usize) -> f64 {
    match x {
        Design::Dense(m) => dot(m.row(i), m.row(i)),
        Design::Sparse(m) => m.row(i).1.iter().map(|v| v * v).sum(),
    }
}
