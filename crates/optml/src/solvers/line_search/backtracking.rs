//! Backtracking Armijo searches on φ(t) = f(x + t·d), monotone and non-monotone (Grippo,
//! Lampariello & Lucidi 1986; Zhang & Hager 2004).

use std::collections::VecDeque;

use crate::objective::Line;

/// Where a line search ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub t: f64,
    pub f: f64,
    /// Trial points evaluated.
    pub evals: usize,
    /// Whether the acceptance test held at `t`.
    pub accepted: bool,
}

/// Relative size of the rounding noise in f below which decrease is judged by slopes instead.
pub(super) const NOISE: f64 = 1e-12;

/// Backtracking: the first t = t₀·βʲ with φ(t) ≤ φ(0) + c₁·t·φ'(0) (LIBLINEAR uses c₁ = 0.01,
/// β = ½). `slope0` must be negative. Near a minimizer the decrease drowns in rounding; then a
/// step is also accepted when φ(t) ≤ φ(0) + ε·|φ(0)| and φ'(t) ≤ (1 − 2c₁)·|φ'(0)|, the
/// approximate Armijo condition of Hager & Zhang (2005).
pub fn armijo(line: &dyn Line, f0: f64, slope0: f64, t0: f64, c1: f64, max_evals: usize) -> Step {
    backtrack(line, f0, f0, slope0, t0, c1, max_evals, false)
}

/// [`armijo`] whose first trial asks the line for its slope too, so that a caller who accepts
/// it (Newton steps nearly always pass at t₀ = 1) takes the gradient there from
/// [`Line::last_gradient`] instead of evaluating again. Worth it where f and ∇f cost little
/// more together than f alone.
pub fn armijo_keeping_gradient(
    line: &dyn Line,
    f0: f64,
    slope0: f64,
    t0: f64,
    c1: f64,
    max_evals: usize,
) -> Step {
    backtrack(line, f0, f0, slope0, t0, c1, max_evals, true)
}

/// Backtracking against a reference value f_ref ≥ φ(0): the first t = t₀·βʲ with
/// φ(t) ≤ f_ref + c₁·t·φ'(0). With f_ref from a [`Reference`] this is the non-monotone Armijo
/// rule; with f_ref = φ(0) it is [`armijo`].
pub fn nonmonotone_armijo(
    line: &dyn Line,
    f_ref: f64,
    f0: f64,
    slope0: f64,
    t0: f64,
    c1: f64,
    max_evals: usize,
) -> Step {
    backtrack(line, f_ref, f0, slope0, t0, c1, max_evals, false)
}

/// The backtracking loop of the Armijo searches; `slope_first`: the first trial evaluates φ'.
#[allow(clippy::too_many_arguments)]
fn backtrack(
    line: &dyn Line,
    f_ref: f64,
    f0: f64,
    slope0: f64,
    t0: f64,
    c1: f64,
    max_evals: usize,
    slope_first: bool,
) -> Step {
    let f_ref = f_ref.max(f0);
    let mut t = t0;
    let mut last = Step {
        t,
        f: f0,
        evals: 0,
        accepted: false,
    };
    for k in 1..=max_evals {
        let (f, slope) = if k == 1 && slope_first {
            let (f, slope) = line.value_slope(t);
            (f, Some(slope))
        } else {
            (line.value(t), None)
        };
        let mut accepted = f.is_finite() && f <= f_ref + c1 * t * slope0;
        if !accepted && f.is_finite() && f <= f0 + NOISE * f0.abs() {
            let slope = slope.unwrap_or_else(|| line.value_slope(t).1);
            accepted = slope <= (1.0 - 2.0 * c1) * slope0.abs();
        }
        last = Step {
            t,
            f,
            evals: k,
            accepted,
        };
        if accepted {
            break;
        }
        t *= 0.5;
    }
    last
}

/// Which reference value a non-monotone Armijo search compares against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NonMonotone {
    /// The largest of the last M values of f (Grippo, Lampariello & Lucidi 1986, "A nonmonotone
    /// line search technique for Newton's method"); M = 1 is the monotone rule.
    MaxOfLast(usize),
    /// The weighted average Cₖ of Zhang & Hager (2004), "A nonmonotone line search technique and
    /// its application to unconstrained optimization": Qₖ₊₁ = η·Qₖ + 1,
    /// Cₖ₊₁ = (η·Qₖ·Cₖ + fₖ₊₁)/Qₖ₊₁, with η ∈ [0, 1]; η = 0 is the monotone rule.
    ZhangHager(f64),
}

/// The running reference value of a [`NonMonotone`] rule along a run.
#[derive(Clone, Debug)]
pub struct Reference {
    rule: NonMonotone,
    last: VecDeque<f64>,
    c: f64,
    q: f64,
}

impl Reference {
    /// Starts at f(x₀).
    pub fn new(rule: NonMonotone, f0: f64) -> Self {
        Reference {
            rule,
            last: VecDeque::from([f0]),
            c: f0,
            q: 1.0,
        }
    }

    /// The value the next step's Armijo test compares against (≥ the current f).
    pub fn value(&self) -> f64 {
        match self.rule {
            NonMonotone::MaxOfLast(_) => self.last.iter().copied().fold(f64::MIN, f64::max),
            NonMonotone::ZhangHager(_) => self.c,
        }
    }

    /// Records the value f at the new iterate.
    pub fn push(&mut self, f: f64) {
        match self.rule {
            NonMonotone::MaxOfLast(m) => {
                self.last.push_back(f);
                while self.last.len() > m.max(1) {
                    self.last.pop_front();
                }
            }
            NonMonotone::ZhangHager(eta) => {
                let eta = eta.clamp(0.0, 1.0);
                let q = eta * self.q + 1.0;
                self.c = (eta * self.q * self.c + f) / q;
                self.q = q;
            }
        }
    }
}
