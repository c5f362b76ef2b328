//! L-BFGS (Nocedal 1980; Liu & Nocedal 1989): the two-loop recursion over the last m pairs
//! (s, y), initial scaling sᵀy/yᵀy, and a strong-Wolfe line search (Moré & Thuente 1994).

use std::collections::VecDeque;

use super::scale::{checked_diagonal, initial_scale};
use crate::error::Result;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::line_search::Wolfe;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Limited-memory BFGS.
///
/// Any function with a gradient is an [`Objective`](crate::Objective); here Rosenbrock's
/// f(x) = (1 − x₀)² + 100(x₁ − x₀²)², minimized from the classic start (−1.2, 1):
///
/// ```
/// use optml::solvers::{Lbfgs, Stop};
/// use optml::FnObjective;
///
/// let rosenbrock = FnObjective::new(2, |x: &[f64], g: &mut [f64]| {
///     let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
///     g[0] = -2.0 * a - 400.0 * x[0] * b;
///     g[1] = 200.0 * b;
///     a * a + 100.0 * b * b
/// });
/// let mut x = [-1.2, 1.0];
/// let solver = Lbfgs { stop: Stop::absolute(1e-10), ..Default::default() };
/// let report = solver.minimize(&rosenbrock, &mut x, &mut optml::monitor::quiet())?;
/// assert!(report.status.converged());
/// assert!((x[0] - 1.0).abs() < 1e-8 && (x[1] - 1.0).abs() < 1e-8);
/// # Ok::<(), optml::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Lbfgs {
    pub stop: Stop,
    /// Pairs kept.
    pub memory: usize,
    pub wolfe: Wolfe,
    /// A diagonal estimate of the inverse Hessian for the initial matrix H₀ = γ·D
    /// (γ = sᵀy / yᵀDy); `None` uses the identity (γ = sᵀy / yᵀy). [`fit_glm`](crate::fit::fit_glm)
    /// fills it from diag(∇²f(w₀)), which undoes bad feature scaling (bench/glm); on general
    /// functions the diagonal at x₀ misleads more than it helps (bench/mgh), so
    /// [`Method::Lbfgs`](crate::solvers::Method) leaves it out.
    pub diagonal: Option<Vec<f64>>,
}

impl Default for Lbfgs {
    fn default() -> Self {
        Lbfgs {
            stop: Stop::default(),
            memory: 10,
            wolfe: Wolfe::default(),
            diagonal: None,
        }
    }
}

struct Pair {
    s: Vec<f64>,
    y: Vec<f64>,
    rho: f64,
}

/// d = −H·g by the two-loop recursion, H₀ = γ·diag(`d0`) (or γ·I).
fn two_loop(pairs: &VecDeque<Pair>, g: &[f64], d0: Option<&[f64]>) -> Vec<f64> {
    let mut q: Vec<f64> = g.iter().map(|v| -v).collect();
    let mut alpha = vec![0.0; pairs.len()];
    for (a, p) in alpha.iter_mut().zip(pairs).rev() {
        *a = p.rho * dot(&p.s, &q);
        axpy(-*a, &p.y, &mut q);
    }
    match (pairs.back(), d0) {
        (Some(p), Some(d0)) => {
            let gamma = initial_scale(&p.s, &p.y, Some(d0)).unwrap_or(1.0);
            q.iter_mut().zip(d0).for_each(|(v, d)| *v *= gamma * d);
        }
        (Some(p), None) => {
            let gamma = initial_scale(&p.s, &p.y, None).unwrap_or(1.0);
            q.iter_mut().for_each(|v| *v *= gamma);
        }
        (None, Some(d0)) => q.iter_mut().zip(d0).for_each(|(v, d)| *v *= d),
        (None, None) => {}
    }
    for (a, p) in alpha.iter().zip(pairs) {
        let b = p.rho * dot(&p.y, &q);
        axpy(a - b, &p.s, &mut q);
    }
    q
}

impl Lbfgs {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let n = x.len();
        let mut d0 = checked_diagonal(self.diagonal.as_deref(), n, "L-BFGS")?;
        let mut run = Run::new("lbfgs", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let mut pairs: VecDeque<Pair> = VecDeque::with_capacity(self.memory);
        let mut g_new = vec![0.0; n];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let (d, slope) = descent_or_steepest(two_loop(&pairs, &g, d0), &g);
            let t0 = if pairs.is_empty() && d0.is_none() {
                (1.0 / norm(&g)).min(1.0)
            } else {
                1.0
            };
            let line = f.line(x, &d);
            let (ls, _) = self.wolfe.search(&*line, fx, slope, t0);
            run.f_evals += ls.evals;
            if !(ls.t > 0.0 && (ls.accepted || ls.f < fx)) {
                if pairs.is_empty() {
                    if d0.take().is_some() {
                        // The diagonal misled: steepest descent from here on.
                        continue;
                    }
                    break Status::Stalled;
                }
                // A stale memory can give a poor direction: restart from H₀ alone.
                pairs.clear();
                continue;
            }
            let s: Vec<f64> = d.iter().map(|v| ls.t * v).collect();
            axpy(1.0, &s, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g_new);
            let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
            let sy = dot(&s, &y);
            if sy > f64::EPSILON * dot(&y, &y) {
                if pairs.len() == self.memory {
                    pairs.pop_front();
                }
                pairs.push_back(Pair {
                    s,
                    y,
                    rho: 1.0 / sy,
                });
            }
            std::mem::swap(&mut g, &mut g_new);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
