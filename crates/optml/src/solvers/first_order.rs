//! First-order baselines: gradient descent with a (non-monotone) line search, Nesterov's
//! accelerated gradient with adaptive restart, and nonlinear conjugate gradients.

use super::checks::check_dim;
use super::linesearch::{nonmonotone_armijo, NonMonotone, Reference, Wolfe};
use super::stop::{Run, Stop};
use super::{Report, Status};
use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;

/// Gradient descent x⁺ = x − t·∇f(x), t by backtracking Armijo from a trial step: the
/// Barzilai–Borwein (1988) step sᵀs/sᵀy by default, which with the non-monotone search of
/// Grippo, Lampariello & Lucidi (1986) is Raydan's (1997) globalized BB method; otherwise twice
/// the last accepted step.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientDescent {
    pub stop: Stop,
    /// Sufficient-decrease constant of the Armijo test.
    pub c1: f64,
    /// Trial step sᵀs/sᵀy (else 2× the previous step).
    pub barzilai_borwein: bool,
    /// `None`: the monotone Armijo test.
    pub nonmonotone: Option<NonMonotone>,
}

impl Default for GradientDescent {
    fn default() -> Self {
        GradientDescent {
            stop: Stop::default(),
            c1: 1e-4,
            barzilai_borwein: true,
            nonmonotone: Some(NonMonotone::MaxOfLast(10)),
        }
    }
}

impl GradientDescent {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let n = x.len();
        let mut run = Run::new("gd", self.stop, f, monitor);
        let (mut fx, mut g, mut status) = run.start(f, x);
        let rule = self.nonmonotone.unwrap_or(NonMonotone::MaxOfLast(1));
        let mut reference = Reference::new(rule, fx);
        let mut t = (1.0 / norm(&g)).min(1.0);
        let mut g_new = vec![0.0; n];
        while status.is_none() {
            run.iter += 1;
            let d: Vec<f64> = g.iter().map(|v| -v).collect();
            let slope = -dot(&g, &g);
            let line = f.line(x, &d);
            let ls = nonmonotone_armijo(&*line, reference.value(), fx, slope, t, self.c1, 60);
            run.f_evals += ls.evals;
            if !ls.accepted {
                status = Some(Status::Stalled);
                break;
            }
            axpy(ls.t, &d, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g_new);
            reference.push(fx);
            t = if self.barzilai_borwein {
                // s = −t·g, y = g⁺ − g: sᵀs/sᵀy = t·gᵀg / (gᵀg − gᵀg⁺).
                let gg = dot(&g, &g);
                let sy = gg - dot(&g, &g_new);
                if sy > 0.0 {
                    (ls.t * gg / sy).clamp(1e-30, 1e30)
                } else {
                    2.0 * ls.t
                }
            } else {
                2.0 * ls.t
            };
            std::mem::swap(&mut g, &mut g_new);
            status = run.check(f, fx, norm(&g));
        }
        Ok(run.finish(f, status.unwrap(), fx, norm(&g)))
    }
}

/// When [`Nesterov`] resets its momentum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restart {
    /// Never (Nesterov 1983 / FISTA of Beck & Teboulle 2009).
    Never,
    /// When f increases: f(xₖ₊₁) > f(xₖ) (O'Donoghue & Candès 2015).
    Function,
    /// When the momentum points uphill: ∇f(yₖ)ᵀ(xₖ₊₁ − xₖ) > 0 (O'Donoghue & Candès 2015).
    Gradient,
}

/// Nesterov's accelerated gradient, xₖ₊₁ = yₖ − ∇f(yₖ)/L,
/// yₖ₊₁ = xₖ₊₁ + ((θₖ − 1)/θₖ₊₁)(xₖ₊₁ − xₖ), θₖ₊₁ = (1 + √(1 + 4θₖ²))/2, with L found by
/// backtracking on f(xₖ₊₁) ≤ f(yₖ) − ‖∇f(yₖ)‖²/2L (Beck & Teboulle 2009), let shrink again each
/// iteration, and the adaptive restart of O'Donoghue & Candès (2015), "Adaptive restart for
/// accelerated gradient schemes".
#[derive(Clone, Debug, PartialEq)]
pub struct Nesterov {
    pub stop: Stop,
    pub restart: Restart,
    /// Initial Lipschitz estimate; `None`: ‖∇f(x₀ + δ) − ∇f(x₀)‖/‖δ‖ for a small step δ.
    pub lipschitz: Option<f64>,
    /// L grows by this factor when the decrease test fails.
    pub grow: f64,
    /// L shrinks by this factor after each accepted step (1 for a monotone L).
    pub shrink: f64,
}

impl Default for Nesterov {
    fn default() -> Self {
        Nesterov {
            stop: Stop::default(),
            restart: Restart::Gradient,
            lipschitz: None,
            grow: 2.0,
            shrink: 0.9,
        }
    }
}

impl Nesterov {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        if !(self.grow > 1.0 && self.shrink > 0.0 && self.shrink <= 1.0) {
            return Err(Error::invalid("Nesterov: need grow > 1 and 0 < shrink ≤ 1"));
        }
        let n = x.len();
        let mut run = Run::new("agd", self.stop, f, monitor);
        let (mut fx, mut gx, mut status) = run.start(f, x);
        let mut lip = match self.lipschitz {
            Some(l) if l > 0.0 && l.is_finite() => l,
            Some(_) => {
                return Err(Error::invalid(
                    "Nesterov: the Lipschitz estimate must be > 0",
                ))
            }
            None => {
                let gn = norm(&gx);
                let h = 1e-6 * (1.0 + norm(x)) / gn.max(f64::MIN_POSITIVE);
                let mut xp = x.to_vec();
                axpy(-h, &gx, &mut xp);
                let mut gp = vec![0.0; n];
                f.value_grad(&xp, &mut gp);
                run.g_evals += 1;
                let dg: f64 = gp.iter().zip(&gx).map(|(a, b)| (a - b).powi(2)).sum();
                let l = dg.sqrt() / (h * gn);
                if l.is_finite() && l > 0.0 {
                    l
                } else {
                    1.0
                }
            }
        };
        let mut y = x.to_vec();
        let (mut fy, mut gy) = (fx, gx.clone());
        let mut theta = 1.0f64;
        let mut trial = vec![0.0; n];
        let mut gt = vec![0.0; n];
        while status.is_none() {
            run.iter += 1;
            let gy2 = dot(&gy, &gy);
            // Backtrack on L until the sufficient-decrease test holds at y − ∇f(y)/L.
            let mut ft;
            let mut tries = 0;
            loop {
                trial.copy_from_slice(&y);
                axpy(-1.0 / lip, &gy, &mut trial);
                ft = f.value_grad(&trial, &mut gt);
                run.g_evals += 1;
                let slack = 1e-12 * fy.abs();
                if ft.is_finite() && ft <= fy - 0.5 * gy2 / lip + slack {
                    break;
                }
                tries += 1;
                if tries > 60 {
                    break;
                }
                lip *= self.grow;
            }
            if tries > 60 {
                status = Some(Status::Stalled);
                break;
            }
            let restart = match self.restart {
                Restart::Never => false,
                Restart::Function => ft > fx,
                Restart::Gradient => {
                    gy.iter()
                        .zip(trial.iter().zip(x.iter()))
                        .map(|(g, (a, b))| g * (a - b))
                        .sum::<f64>()
                        > 0.0
                }
            };
            let theta_next = (1.0 + (1.0 + 4.0 * theta * theta).sqrt()) / 2.0;
            let momentum = if restart {
                0.0
            } else {
                (theta - 1.0) / theta_next
            };
            theta = if restart { 1.0 } else { theta_next };
            for ((yi, xi), ti) in y.iter_mut().zip(x.iter_mut()).zip(&trial) {
                *yi = ti + momentum * (ti - *xi);
                *xi = *ti;
            }
            fx = ft;
            gx.copy_from_slice(&gt);
            if momentum == 0.0 {
                fy = fx;
                gy.copy_from_slice(&gx);
            } else {
                fy = f.value_grad(&y, &mut gy);
                run.g_evals += 1;
                if !fy.is_finite() {
                    // Momentum overshot into a region where f is undefined: drop it.
                    y.copy_from_slice(x);
                    fy = fx;
                    gy.copy_from_slice(&gx);
                    theta = 1.0;
                }
            }
            lip *= self.shrink;
            status = run.check(f, fx, norm(&gx));
        }
        Ok(run.finish(f, status.unwrap(), fx, norm(&gx)))
    }
}

/// The conjugacy parameter β of [`NonlinearCg`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Beta {
    /// Polak–Ribière–Polyak, truncated at 0 (PR+, Gilbert & Nocedal 1992):
    /// β = max(0, gₖ₊₁ᵀ(gₖ₊₁ − gₖ)/‖gₖ‖²).
    PolakRibierePlus,
    /// Hager & Zhang (2005), "A new conjugate gradient method with guaranteed descent and an
    /// efficient line search": β = (y − 2d·‖y‖²/dᵀy)ᵀgₖ₊₁ / dᵀy, truncated below at
    /// −1/(‖d‖·min(0.01, ‖gₖ‖)).
    HagerZhang,
}

/// Nonlinear conjugate gradients dₖ₊₁ = −gₖ₊₁ + β·dₖ with a strong-Wolfe line search
/// (c₂ = 0.2), restarting along −g when d stops descending. Each search starts from the step
/// that a quadratic through fₖ₋₁, fₖ and φ'ₖ(0) puts at its minimum, capped at 1:
/// t₀ = min(1, 1.01·2(fₖ − fₖ₋₁)/φ'ₖ(0)) (Nocedal & Wright 2006, eq. 3.60 and the remark after
/// it), since CG directions carry no natural scale.
#[derive(Clone, Debug, PartialEq)]
pub struct NonlinearCg {
    pub stop: Stop,
    pub beta: Beta,
    pub wolfe: Wolfe,
}

impl Default for NonlinearCg {
    fn default() -> Self {
        NonlinearCg {
            stop: Stop::default(),
            beta: Beta::PolakRibierePlus,
            wolfe: Wolfe {
                c2: 0.2,
                ..Wolfe::default()
            },
        }
    }
}

impl NonlinearCg {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let n = x.len();
        let mut run = Run::new("ncg", self.stop, f, monitor);
        let (mut fx, mut g, mut status) = run.start(f, x);
        let mut d: Vec<f64> = g.iter().map(|v| -v).collect();
        let mut slope = -dot(&g, &g);
        let mut t0 = (1.0 / norm(&g)).min(1.0);
        let mut g_new = vec![0.0; n];
        let mut restarted = true;
        while status.is_none() {
            run.iter += 1;
            let line = f.line(x, &d);
            let (ls, _) = self.wolfe.search(&*line, fx, slope, t0);
            run.f_evals += ls.evals;
            if !(ls.t > 0.0 && (ls.accepted || ls.f < fx)) {
                if restarted {
                    status = Some(Status::Stalled);
                    break;
                }
                d = g.iter().map(|v| -v).collect();
                slope = -dot(&g, &g);
                t0 = (1.0 / norm(&g)).min(1.0);
                restarted = true;
                continue;
            }
            axpy(ls.t, &d, x);
            let f_before = fx;
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g_new);
            let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
            let beta = match self.beta {
                Beta::PolakRibierePlus => (dot(&g_new, &y) / dot(&g, &g)).max(0.0),
                Beta::HagerZhang => {
                    let dy = dot(&d, &y);
                    let yy = dot(&y, &y);
                    let b = (dot(&y, &g_new) - 2.0 * yy / dy * dot(&d, &g_new)) / dy;
                    let floor = -1.0 / (norm(&d) * norm(&g).min(0.01));
                    b.max(floor)
                }
            };
            std::mem::swap(&mut g, &mut g_new);
            status = run.check(f, fx, norm(&g));
            let old_slope = slope;
            for (di, gi) in d.iter_mut().zip(&g) {
                *di = -gi + if beta.is_finite() { beta } else { 0.0 } * *di;
            }
            slope = dot(&g, &d);
            restarted = false;
            if slope >= 0.0 || slope.is_nan() {
                d = g.iter().map(|v| -v).collect();
                slope = -dot(&g, &g);
                restarted = true;
            }
            // Where f did not fall (a step accepted at the rounding level), the quadratic says
            // nothing: keep instead the first-order change of f of the last step (Nocedal &
            // Wright, eq. 3.59).
            let t_quadratic = 1.01 * 2.0 * (f_before - fx) / -slope;
            t0 = if t_quadratic > 0.0 && t_quadratic.is_finite() {
                t_quadratic.min(1.0)
            } else {
                (ls.t * old_slope / slope).clamp(1e-20, 1e20)
            };
        }
        Ok(run.finish(f, status.unwrap(), fx, norm(&g)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::quiet;

    /// f = Σ cᵢ(xᵢ − 1)², condition number 100.
    fn quadratic() -> crate::FnObjective<impl Fn(&[f64], &mut [f64]) -> f64> {
        crate::FnObjective::new(10, |x: &[f64], g: &mut [f64]| {
            let mut v = 0.0;
            for (i, (xi, gi)) in x.iter().zip(g.iter_mut()).enumerate() {
                let c = 1.0 + 11.0 * i as f64;
                *gi = 2.0 * c * (xi - 1.0);
                v += c * (xi - 1.0).powi(2);
            }
            v
        })
    }

    #[test]
    fn each_reaches_the_minimum_of_a_quadratic() {
        let stop = Stop::absolute(1e-9);
        let f = quadratic();
        let runs: Vec<(Report, Vec<f64>)> = (0..5)
            .map(|k| {
                let mut x = vec![0.0; 10];
                let r = match k {
                    0 => GradientDescent {
                        stop,
                        ..Default::default()
                    }
                    .minimize(&f, &mut x, &mut quiet()),
                    1 => GradientDescent {
                        stop,
                        barzilai_borwein: false,
                        nonmonotone: None,
                        ..Default::default()
                    }
                    .minimize(&f, &mut x, &mut quiet()),
                    2 => Nesterov {
                        stop,
                        ..Default::default()
                    }
                    .minimize(&f, &mut x, &mut quiet()),
                    3 => NonlinearCg {
                        stop,
                        ..Default::default()
                    }
                    .minimize(&f, &mut x, &mut quiet()),
                    _ => NonlinearCg {
                        stop,
                        beta: Beta::HagerZhang,
                        ..Default::default()
                    }
                    .minimize(&f, &mut x, &mut quiet()),
                }
                .unwrap();
                (r, x)
            })
            .collect();
        for (r, x) in &runs {
            assert!(r.status.converged(), "{r:?}");
            assert!(
                x.iter().all(|v| (v - 1.0).abs() < 1e-9),
                "{}: {x:?}",
                r.solver
            );
        }
        // CG on a quadratic with a near-exact line search takes about n steps; GD with a
        // monotone search pays for the conditioning.
        assert!(runs[3].0.iterations <= 30, "{:?}", runs[3].0);
        assert!(runs[1].0.iterations > runs[3].0.iterations);
    }

    #[test]
    fn restart_speeds_up_nesterov_on_a_strongly_convex_problem() {
        let f = quadratic();
        let iters = |restart| {
            let mut x = vec![0.0; 10];
            Nesterov {
                stop: Stop::absolute(1e-9),
                restart,
                ..Default::default()
            }
            .minimize(&f, &mut x, &mut quiet())
            .unwrap()
            .iterations
        };
        let (never, gradient) = (iters(Restart::Never), iters(Restart::Gradient));
        assert!(gradient < never, "restart {gradient}, never {never}");
        assert!(iters(Restart::Function) < never);
    }
}
