//! Line searches on φ(t) = f(x + t·d): backtracking Armijo, its non-monotone forms (Grippo,
//! Lampariello & Lucidi 1986; Zhang & Hager 2004) and the strong-Wolfe search of Moré & Thuente
//! (1994), "Line search algorithms with guaranteed sufficient decrease".

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
const NOISE: f64 = 1e-12;

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

/// Options of the Moré–Thuente search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wolfe {
    /// Sufficient decrease: φ(t) ≤ φ(0) + c₁·t·φ'(0).
    pub c1: f64,
    /// Curvature: |φ'(t)| ≤ c₂·|φ'(0)|.
    pub c2: f64,
    /// Relative width of the bracket below which the search stops.
    pub xtol: f64,
    pub max_evals: usize,
}

impl Default for Wolfe {
    fn default() -> Self {
        Wolfe {
            c1: 1e-4,
            c2: 0.9,
            xtol: 1e-12,
            max_evals: 30,
        }
    }
}

/// A point of the search: step, value, slope.
#[derive(Clone, Copy, Debug)]
struct Pt {
    t: f64,
    f: f64,
    g: f64,
}

impl Wolfe {
    /// Searches from t₀ for a point meeting the strong Wolfe conditions. `slope0 < 0`.
    /// Returns the step and the slope there.
    pub fn search(&self, line: &dyn Line, f0: f64, slope0: f64, t0: f64) -> (Step, f64) {
        const XTRAPL: f64 = 1.1;
        const XTRAPU: f64 = 4.0;
        let (tmin, tmax) = (0.0, 1e20);
        let gtest = self.c1 * slope0;
        let mut bracketed = false;
        let mut stage1 = true;
        let mut width = tmax - tmin;
        let mut width1 = 2.0 * width;
        let mut x = Pt {
            t: 0.0,
            f: f0,
            g: slope0,
        };
        let mut y = x;
        let (mut lo, mut hi) = (0.0, t0 + XTRAPU * t0);
        let mut t = t0;
        let mut evals = 0;
        let mut best = Step {
            t: 0.0,
            f: f0,
            evals: 0,
            accepted: false,
        };
        let mut best_slope = slope0;
        loop {
            let (f, g) = line.value_slope(t);
            evals += 1;
            if !f.is_finite() || !g.is_finite() {
                // Step into a region where f is undefined: shrink towards the best point.
                bracketed = true;
                y = Pt {
                    t,
                    f: f64::INFINITY,
                    g: 0.0,
                };
                t = x.t + 0.5 * (t - x.t);
                if evals >= self.max_evals {
                    break;
                }
                continue;
            }
            let ftest = f0 + t * gtest;
            if f < best.f {
                best = Step {
                    t,
                    f,
                    evals,
                    accepted: false,
                };
                best_slope = g;
            }
            // Strong Wolfe, or its approximate form when f is within rounding of f(0).
            if (f <= ftest || f <= f0 + NOISE * f0.abs()) && g.abs() <= self.c2 * (-slope0) {
                return (
                    Step {
                        t,
                        f,
                        evals,
                        accepted: true,
                    },
                    g,
                );
            }
            if stage1 && f <= ftest && g >= 0.0 {
                stage1 = false;
            }
            if evals >= self.max_evals
                || (bracketed && (t <= lo || t >= hi || hi - lo <= self.xtol * hi))
                || (t == tmax && f <= ftest && g <= gtest)
                || (t == tmin && (f > ftest || g >= gtest))
            {
                break;
            }
            let p = Pt { t, f, g };
            let next = if stage1 && f <= x.f && f > ftest {
                // Work on the modified function ψ(t) = φ(t) − φ(0) − c₁·t·φ'(0).
                let m = |q: Pt| Pt {
                    t: q.t,
                    f: q.f - q.t * gtest,
                    g: q.g - gtest,
                };
                let (mut xm, mut ym) = (m(x), m(y));
                let tn = cstep(&mut xm, &mut ym, m(p), &mut bracketed, lo, hi);
                x = Pt {
                    t: xm.t,
                    f: xm.f + xm.t * gtest,
                    g: xm.g + gtest,
                };
                y = Pt {
                    t: ym.t,
                    f: ym.f + ym.t * gtest,
                    g: ym.g + gtest,
                };
                tn
            } else {
                cstep(&mut x, &mut y, p, &mut bracketed, lo, hi)
            };
            t = next;
            if bracketed {
                if (y.t - x.t).abs() >= 0.66 * width1 {
                    t = x.t + 0.5 * (y.t - x.t);
                }
                width1 = width;
                width = (y.t - x.t).abs();
                lo = x.t.min(y.t);
                hi = x.t.max(y.t);
            } else {
                lo = t + XTRAPL * (t - x.t);
                hi = t + XTRAPU * (t - x.t);
            }
            t = t.clamp(tmin, tmax);
            if bracketed && (t <= lo || t >= hi || hi - lo <= self.xtol * hi) {
                t = x.t;
            }
        }
        // No Wolfe point: return the lowest point seen (it decreased f if any did).
        best.evals = evals;
        best.accepted = best.t > 0.0 && best.f <= f0 + best.t * gtest;
        (best, best_slope)
    }
}

/// One safeguarded step of Moré & Thuente's `dcstep`: updates the interval of uncertainty
/// [x, y] with the new point p and returns the next trial step.
fn cstep(x: &mut Pt, y: &mut Pt, p: Pt, bracketed: &mut bool, tmin: f64, tmax: f64) -> f64 {
    let sgnd = p.g * x.g.signum();
    let cubic = |a: Pt, b: Pt| {
        let theta = 3.0 * (a.f - b.f) / (b.t - a.t) + a.g + b.g;
        let s = theta.abs().max(a.g.abs()).max(b.g.abs());
        (theta, s)
    };
    let tf = if p.f > x.f {
        // Case 1: higher value; the minimum is bracketed.
        let (theta, s) = cubic(*x, p);
        let mut gamma = s
            * ((theta / s).powi(2) - (x.g / s) * (p.g / s))
                .max(0.0)
                .sqrt();
        if p.t < x.t {
            gamma = -gamma;
        }
        let pp = (gamma - x.g) + theta;
        let q = ((gamma - x.g) + gamma) + p.g;
        let tc = x.t + (pp / q) * (p.t - x.t);
        let tq = x.t + (x.g / ((x.f - p.f) / (p.t - x.t) + x.g)) / 2.0 * (p.t - x.t);
        *bracketed = true;
        if (tc - x.t).abs() < (tq - x.t).abs() {
            tc
        } else {
            tc + (tq - tc) / 2.0
        }
    } else if sgnd < 0.0 {
        // Case 2: lower value, slopes of opposite sign; bracketed.
        let (theta, s) = cubic(*x, p);
        let mut gamma = s
            * ((theta / s).powi(2) - (x.g / s) * (p.g / s))
                .max(0.0)
                .sqrt();
        if p.t > x.t {
            gamma = -gamma;
        }
        let pp = (gamma - p.g) + theta;
        let q = ((gamma - p.g) + gamma) + x.g;
        let tc = p.t + (pp / q) * (x.t - p.t);
        let tq = p.t + (p.g / (p.g - x.g)) * (x.t - p.t);
        *bracketed = true;
        if (tc - p.t).abs() > (tq - p.t).abs() {
            tc
        } else {
            tq
        }
    } else if p.g.abs() < x.g.abs() {
        // Case 3: lower value, same sign, slope decreasing in magnitude.
        let (theta, s) = cubic(*x, p);
        let mut gamma = s
            * ((theta / s).powi(2) - (x.g / s) * (p.g / s))
                .max(0.0)
                .sqrt();
        if p.t > x.t {
            gamma = -gamma;
        }
        let pp = (gamma - p.g) + theta;
        let q = (gamma + (x.g - p.g)) + gamma;
        let r = pp / q;
        let tc = if r < 0.0 && gamma != 0.0 {
            p.t + r * (x.t - p.t)
        } else if p.t > x.t {
            tmax
        } else {
            tmin
        };
        let tq = p.t + (p.g / (p.g - x.g)) * (x.t - p.t);
        if *bracketed {
            let t = if (tc - p.t).abs() < (tq - p.t).abs() {
                tc
            } else {
                tq
            };
            if p.t > x.t {
                t.min(p.t + 0.66 * (y.t - p.t))
            } else {
                t.max(p.t + 0.66 * (y.t - p.t))
            }
        } else {
            let t = if (tc - p.t).abs() > (tq - p.t).abs() {
                tc
            } else {
                tq
            };
            t.clamp(tmin, tmax)
        }
    } else if *bracketed {
        // Case 4: lower value, same sign, slope not decreasing; cubic through p and y.
        let (theta, s) = cubic(p, *y);
        let mut gamma = s
            * ((theta / s).powi(2) - (y.g / s) * (p.g / s))
                .max(0.0)
                .sqrt();
        if p.t > y.t {
            gamma = -gamma;
        }
        let pp = (gamma - p.g) + theta;
        let q = ((gamma - p.g) + gamma) + y.g;
        p.t + (pp / q) * (y.t - p.t)
    } else if p.t > x.t {
        tmax
    } else {
        tmin
    };
    if p.f > x.f {
        *y = p;
    } else {
        if sgnd < 0.0 {
            *y = *x;
        }
        *x = p;
    }
    tf
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Quartic;
    impl Line for Quartic {
        fn value(&self, t: f64) -> f64 {
            self.value_slope(t).0
        }
        fn value_slope(&self, t: f64) -> (f64, f64) {
            // φ(t) = (t − 3)⁴ − 2(t − 3): minimum near t ≈ 3.79.
            (
                (t - 3.0).powi(4) - 2.0 * (t - 3.0),
                4.0 * (t - 3.0).powi(3) - 2.0,
            )
        }
    }

    #[test]
    fn wolfe_finds_a_strong_wolfe_point() {
        let (f0, g0) = Quartic.value_slope(0.0);
        for t0 in [1e-3, 0.1, 1.0, 10.0, 100.0] {
            let w = Wolfe {
                c2: 0.1,
                ..Wolfe::default()
            };
            let (s, g) = w.search(&Quartic, f0, g0, t0);
            assert!(s.accepted, "t0 = {t0}: {s:?}");
            assert!(s.f <= f0 + w.c1 * s.t * g0);
            assert!(g.abs() <= w.c2 * g0.abs());
        }
    }

    #[test]
    fn nonmonotone_references() {
        // Max of the last three values.
        let mut r = Reference::new(NonMonotone::MaxOfLast(3), 5.0);
        for f in [4.0, 6.0, 3.0, 2.0] {
            r.push(f);
        }
        assert_eq!(r.value(), 6.0);
        r.push(1.0);
        assert_eq!(r.value(), 3.0);
        // Memory 1 and η = 0 are the monotone rule.
        let mut one = Reference::new(NonMonotone::MaxOfLast(1), 5.0);
        let mut zh0 = Reference::new(NonMonotone::ZhangHager(0.0), 5.0);
        for f in [4.0, 7.0, 3.0] {
            one.push(f);
            zh0.push(f);
            assert_eq!(one.value(), f);
            assert_eq!(zh0.value(), f);
        }
        // η = 1: Cₖ is the mean of all values so far.
        let mut zh1 = Reference::new(NonMonotone::ZhangHager(1.0), 6.0);
        for f in [3.0, 0.0, 3.0] {
            zh1.push(f);
        }
        assert!((zh1.value() - 3.0).abs() < 1e-15);
    }

    #[test]
    fn nonmonotone_armijo_accepts_an_increase_below_the_reference() {
        // φ(t) = (t − 3)⁴ − 2(t − 3) rises above φ(0) for t ≥ ~6.1: t₀ = 6.5 fails the monotone
        // test but passes against a reference 100 above φ(0).
        let (f0, g0) = Quartic.value_slope(0.0);
        let mono = armijo(&Quartic, f0, g0, 6.5, 1e-4, 30);
        assert!(mono.accepted && mono.t < 6.5 && mono.f <= f0);
        let non = nonmonotone_armijo(&Quartic, f0 + 100.0, f0, g0, 6.5, 1e-4, 30);
        assert!(non.accepted && non.t == 6.5 && non.f > f0);
        assert!(non.f <= f0 + 100.0 + 1e-4 * 6.5 * g0);
    }

    #[test]
    fn armijo_backtracks_to_sufficient_decrease() {
        let (f0, g0) = Quartic.value_slope(0.0);
        let s = armijo(&Quartic, f0, g0, 64.0, 0.01, 30);
        assert!(s.accepted);
        assert!(s.f <= f0 + 0.01 * s.t * g0);
        assert!(s.t < 64.0);
    }
}
