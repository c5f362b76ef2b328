//! The strong-Wolfe line search of Moré & Thuente (1994), "Line search algorithms with
//! guaranteed sufficient decrease".

use super::backtracking::{Step, NOISE};
use crate::objective::Line;

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
