//! Proximal gradient and FISTA for F = f + h with f smooth and h a [`Regularizer`]:
//! x⁺ = prox_{h/L}(y − ∇f(y)/L), L found by backtracking on the descent lemma
//! f(x⁺) ≤ f(y) + ∇f(y)·(x⁺ − y) + L/2·‖x⁺ − y‖² (Beck & Teboulle 2009, FISTA), with the
//! momentum restarted when it points uphill, (y − x⁺)·(x⁺ − x) > 0 (O'Donoghue & Candès 2015,
//! gradient scheme; with it FISTA converges linearly on strongly convex f).
//!
//! The stopping measure is ‖min-norm element of ∇f(x) + ∂h(x)‖ at the iterate, so each
//! iteration evaluates ∇f at x⁺ (which also serves the backtracking test) and, under momentum,
//! at the extrapolated point y.

use crate::error::Result;
use crate::linalg::{dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::prox::Regularizer;
use crate::solvers::checks::check_dim;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Proximal gradient descent (ISTA) with backtracking; L may also shrink between iterations.
#[derive(Clone, Debug, PartialEq)]
pub struct ProximalGradient {
    pub stop: Stop,
    /// First Lipschitz estimate.
    pub l0: f64,
    /// Factor L grows by when the descent lemma fails.
    pub grow: f64,
    /// Factor L is multiplied by before each iteration (≤ 1; 1 keeps it monotone).
    pub shrink: f64,
}

impl Default for ProximalGradient {
    fn default() -> Self {
        ProximalGradient {
            stop: Stop::default(),
            l0: 1.0,
            grow: 2.0,
            shrink: 0.5,
        }
    }
}

/// FISTA (Beck & Teboulle 2009) with backtracking and adaptive restart.
#[derive(Clone, Debug, PartialEq)]
pub struct Fista {
    pub stop: Stop,
    pub l0: f64,
    pub grow: f64,
    /// Gradient-based adaptive restart of the momentum (O'Donoghue & Candès 2015).
    pub restart: bool,
}

impl Default for Fista {
    fn default() -> Self {
        Fista {
            stop: Stop::default(),
            l0: 1.0,
            grow: 2.0,
            restart: true,
        }
    }
}

impl ProximalGradient {
    pub fn minimize<F: Objective, R: Regularizer, M: Monitor + ?Sized>(
        &self,
        f: &F,
        h: &R,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        let opts = Options {
            stop: self.stop,
            l0: self.l0,
            grow: self.grow,
            shrink: self.shrink,
            momentum: false,
            restart: false,
        };
        run("prox-grad", &opts, f, h, x, monitor)
    }
}

impl Fista {
    pub fn minimize<F: Objective, R: Regularizer, M: Monitor + ?Sized>(
        &self,
        f: &F,
        h: &R,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        let opts = Options {
            stop: self.stop,
            l0: self.l0,
            grow: self.grow,
            shrink: 1.0,
            momentum: true,
            restart: self.restart,
        };
        run("fista", &opts, f, h, x, monitor)
    }
}

struct Options {
    stop: Stop,
    l0: f64,
    grow: f64,
    shrink: f64,
    momentum: bool,
    restart: bool,
}

pub(crate) fn check_regularizer<F: Objective, R: Regularizer>(f: &F, h: &R) -> Result<()> {
    if h.dim() != f.dim() {
        return Err(crate::Error::invalid(format!(
            "the regularizer has {} coordinates, the objective {}",
            h.dim(),
            f.dim()
        )));
    }
    Ok(())
}

/// Whether f(x⁺) ≤ f(y) + g_y·d + L/2‖d‖² (d = x⁺ − y). Where the function difference is lost
/// in rounding, the gradient form (g⁺ − g_y)·d ≤ L‖d‖² decides (as TFOCS does).
fn descent_lemma(fy: f64, gy: &[f64], fx: f64, gx: &[f64], d: &[f64], l: f64) -> bool {
    let dd = dot(d, d);
    let q = fx - fy - dot(gy, d);
    if q.abs() > 1e-10 * fx.abs().max(fy.abs()) {
        q <= 0.5 * l * dd
    } else {
        let gd: f64 = gx
            .iter()
            .zip(gy)
            .zip(d)
            .map(|((a, b), c)| (a - b) * c)
            .sum();
        gd <= l * dd
    }
}

fn run<F: Objective, R: Regularizer, M: Monitor + ?Sized>(
    name: &'static str,
    o: &Options,
    f: &F,
    h: &R,
    x: &mut [f64],
    monitor: &mut M,
) -> Result<Report> {
    check_dim(f, x)?;
    check_regularizer(f, h)?;
    if !(o.l0 > 0.0 && o.grow > 1.0 && o.shrink > 0.0 && o.shrink <= 1.0) {
        return Err(crate::Error::invalid(
            "proximal gradient needs l0 > 0, grow > 1 and 0 < shrink ≤ 1",
        ));
    }
    let n = x.len();
    let mut run = Run::new(name, o.stop, f, monitor)?;
    // x is feasible for any h here (h finite everywhere); start from its prox-free value.
    let mut gx = vec![0.0; n];
    let mut fx = f.value_grad(x, &mut gx);
    run.g_evals += 1;
    let mut big_f = fx + h.value(x);
    let mut ended = run.first(f, big_f, h.optimality(x, &gx));
    let mut y = x.to_vec();
    let (mut gy, mut fy) = (gx.clone(), fx);
    let mut l = o.l0;
    let mut t: f64 = 1.0;
    let mut v = vec![0.0; n];
    let mut xn = vec![0.0; n];
    let mut gn = vec![0.0; n];
    let mut d = vec![0.0; n];
    let status = loop {
        if let Some(status) = ended {
            break status;
        }
        run.iter += 1;
        l *= o.shrink;
        let fxn = loop {
            for ((vi, yi), gi) in v.iter_mut().zip(&y).zip(&gy) {
                *vi = yi - gi / l;
            }
            h.prox(1.0 / l, &v, &mut xn);
            let fxn = f.value_grad(&xn, &mut gn);
            run.g_evals += 1;
            for ((di, a), b) in d.iter_mut().zip(&xn).zip(&y) {
                *di = a - b;
            }
            if !fxn.is_finite() && l < 1e300 {
                l *= o.grow;
                continue;
            }
            if descent_lemma(fy, &gy, fxn, &gn, &d, l) || l >= 1e300 {
                break fxn;
            }
            l *= o.grow;
        };
        if !fxn.is_finite() {
            break Status::NonFinite;
        }
        let fn_big = fxn + h.value(&xn);
        let opt = h.optimality(&xn, &gn);
        let moved = norm(&d);
        if o.momentum {
            // d = x⁺ − y; restart when (y − x⁺)·(x⁺ − x) > 0. A function-value test
            // (F(x⁺) > F(x)) is not used: near the optimum F changes below its rounding
            // error, the test then fires at random and FISTA degrades to ISTA.
            let uphill: f64 = d
                .iter()
                .zip(&xn)
                .zip(x.iter())
                .map(|((di, a), b)| -di * (a - b))
                .sum();
            if o.restart && uphill > 0.0 {
                t = 1.0;
                y.copy_from_slice(&xn);
                gy.copy_from_slice(&gn);
                fy = fxn;
            } else {
                let t_next = 0.5 * (1.0 + (1.0 + 4.0 * t * t).sqrt());
                let beta = (t - 1.0) / t_next;
                t = t_next;
                for ((yi, a), b) in y.iter_mut().zip(&xn).zip(x.iter()) {
                    *yi = a + beta * (a - b);
                }
                if beta == 0.0 {
                    gy.copy_from_slice(&gn);
                    fy = fxn;
                } else {
                    fy = f.value_grad(&y, &mut gy);
                    run.g_evals += 1;
                }
            }
        } else {
            y.copy_from_slice(&xn);
            gy.copy_from_slice(&gn);
            fy = fxn;
        }
        x.copy_from_slice(&xn);
        gx.copy_from_slice(&gn);
        fx = fxn;
        big_f = fn_big;
        ended = run.check(f, big_f, opt);
        if ended.is_none() && moved == 0.0 && !o.momentum {
            break Status::Stalled;
        }
    };
    let _ = fx;
    let opt = h.optimality(x, &gx);
    Ok(run.finish(f, status, big_f, opt))
}
