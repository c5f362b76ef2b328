//! Dense BFGS (Broyden, Fletcher, Goldfarb, Shanno 1970) on the inverse Hessian:
//! H⁺ = (I − ρ·s·yᵀ)·H·(I − ρ·y·sᵀ) + ρ·s·sᵀ, ρ = 1/sᵀy, with the initial scaling
//! H₀ = (sᵀy/yᵀy)·I before the first update (Nocedal & Wright 2006, eq. 6.20), Powell's (1978)
//! damping where the curvature sᵀy is too small, and a strong-Wolfe line search.

use super::inverse_estimate::{quasi_newton_direction, InverseEstimate};
use super::scale::checked_diagonal;
use crate::error::Result;
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::Objective;
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::line_search::Wolfe;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// BFGS with a dense n×n inverse-Hessian estimate (O(n²) memory and work per iteration).
#[derive(Clone, Debug, PartialEq)]
pub struct Bfgs {
    pub stop: Stop,
    pub wolfe: Wolfe,
    /// Powell damping threshold θ₀ (Nocedal & Wright, Procedure 18.2): where
    /// sᵀy < θ₀·sᵀBs, y is replaced by θ·y + (1 − θ)·Bs so that sᵀy = θ₀·sᵀBs. 0 disables it;
    /// pairs with sᵀy ≤ 0 are then skipped.
    pub damping: f64,
    /// A diagonal estimate D of the inverse Hessian: the first step is −D·∇f and the first
    /// pair scales H₀ = γ·D (γ = sᵀy / yᵀDy) instead of γ·I, as in [`Lbfgs`](super::Lbfgs);
    /// [`fit_glm`](crate::fit::fit_glm) fills it from diag(∇²f(w₀)).
    pub diagonal: Option<Vec<f64>>,
}

impl Default for Bfgs {
    fn default() -> Self {
        Bfgs {
            stop: Stop::default(),
            wolfe: Wolfe::default(),
            damping: 0.2,
            diagonal: None,
        }
    }
}

impl Bfgs {
    pub fn minimize<F: Objective, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let n = x.len();
        let mut d0 = checked_diagonal(self.diagonal.as_deref(), n, "BFGS")?;
        let mut run = Run::new("bfgs", self.stop, f, monitor)?;
        let (mut fx, mut g, mut ended) = run.start(f, x);
        // `None` until the first pair fixes the scale of H₀.
        let mut h: Option<InverseEstimate> = None;
        let mut g_new = vec![0.0; n];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let (quasi_newton, t0) = quasi_newton_direction(h.as_ref(), d0, &g);
            let newton_slope = dot(&quasi_newton, &g);
            let (d, slope) = descent_or_steepest(quasi_newton, &g);
            let line = f.line(x, &d);
            let (ls, _) = self.wolfe.search(&*line, fx, slope, t0);
            run.f_evals += ls.evals;
            if !(ls.t > 0.0 && (ls.accepted || ls.f < fx)) {
                if h.is_none() {
                    if d0.take().is_some() {
                        // The diagonal misled: steepest descent from here on.
                        continue;
                    }
                    break Status::Stalled;
                }
                // A poor estimate gives a poor direction: restart from H₀ alone.
                h = None;
                continue;
            }
            let s: Vec<f64> = d.iter().map(|v| ls.t * v).collect();
            axpy(1.0, &s, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g_new);
            let mut y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
            let mut sy = dot(&s, &y);
            if self.damping > 0.0 && h.is_some() && slope == newton_slope {
                // d = −H·g, so B·s = −t·g and sᵀBs = −t·sᵀg.
                let sbs = -ls.t * dot(&s, &g);
                if sbs > 0.0 && sy < self.damping * sbs {
                    let theta = (1.0 - self.damping) * sbs / (sbs - sy);
                    for (yi, gi) in y.iter_mut().zip(&g) {
                        *yi = theta * *yi - (1.0 - theta) * ls.t * gi;
                    }
                    sy = dot(&s, &y);
                }
            }
            if sy > f64::EPSILON * dot(&y, &y) && sy.is_finite() {
                let h = h.get_or_insert_with(|| InverseEstimate::scaled(&s, &y, d0, 1.0));
                h.update(&[s], &[y]);
            }
            std::mem::swap(&mut g, &mut g_new);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadratic_in_n_steps() {
        // f = ½xᵀAx − bᵀx with A SPD: BFGS with exact line searches terminates in n steps;
        // with Wolfe steps it converges in a few more.
        let a = [[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]];
        let b = [1.0, 2.0, 3.0];
        let f = crate::FnObjective::new(3, |x: &[f64], g: &mut [f64]| {
            let mut v = 0.0;
            for i in 0..3 {
                g[i] = (0..3).map(|j| a[i][j] * x[j]).sum::<f64>() - b[i];
                v += 0.5 * x[i] * (g[i] - b[i]);
            }
            v
        });
        let mut x = vec![0.0; 3];
        let r = Bfgs {
            stop: Stop::absolute(1e-12),
            ..Default::default()
        }
        .minimize(&f, &mut x, &mut crate::monitor::quiet())
        .unwrap();
        assert!(r.status.converged() && r.iterations <= 12, "{r:?}");
        let mut g = [0.0; 3];
        f.value_grad(&x, &mut g);
        assert!(norm(&g) <= 1e-12);
    }

    #[test]
    fn a_diagonal_initial_matrix_undoes_bad_scaling() {
        // f = ½Σ cᵢxᵢ² − Σxᵢ with scales cᵢ from 1 to 1e6: with D = diag(1/cᵢ) the first step
        // −D·∇f is the Newton step; with the identity BFGS needs many more.
        let c: Vec<f64> = (0..8).map(|i| 10f64.powi(i) / 10.0).collect();
        let f = crate::FnObjective::new(8, |x: &[f64], g: &mut [f64]| {
            let mut v = 0.0;
            for i in 0..8 {
                g[i] = c[i] * x[i] - 1.0;
                v += 0.5 * c[i] * x[i] * x[i] - x[i];
            }
            v
        });
        let run = |diagonal: Option<Vec<f64>>| {
            let mut x = vec![0.0; 8];
            Bfgs {
                stop: Stop::absolute(1e-10),
                diagonal,
                ..Default::default()
            }
            .minimize(&f, &mut x, &mut crate::monitor::quiet())
        };
        let scaled = run(Some(c.iter().map(|ci| 1.0 / ci).collect())).unwrap();
        let plain = run(None).unwrap();
        assert!(
            scaled.status.converged() && scaled.iterations == 1,
            "{scaled:?}"
        );
        assert!(plain.iterations > 5, "{plain:?}");
        assert!(run(Some(vec![1.0; 7])).is_err());
        assert!(run(Some(vec![-1.0; 8])).is_err());
    }
}
