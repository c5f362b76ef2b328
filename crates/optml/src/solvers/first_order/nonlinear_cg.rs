//! Nonlinear conjugate gradients with a strong-Wolfe line search.

use crate::error::Result;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::checks::check_dim;
use crate::solvers::line_search::Wolfe;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

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
        let mut run = Run::new("ncg", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let mut d: Vec<f64> = g.iter().map(|v| -v).collect();
        let mut slope = -dot(&g, &g);
        let mut t0 = (1.0 / norm(&g)).min(1.0);
        let mut g_new = vec![0.0; n];
        let mut restarted = true;
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let line = f.line(x, &d);
            let (ls, _) = self.wolfe.search(&*line, fx, slope, t0);
            run.f_evals += ls.evals;
            if !(ls.t > 0.0 && (ls.accepted || ls.f < fx)) {
                if restarted {
                    break Status::Stalled;
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
            ended = run.check(f, fx, norm(&g));
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
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
