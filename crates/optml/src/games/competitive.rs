//! Competitive gradient descent and competitive mirror descent.
//!
//! Each step plays the Nash equilibrium of the local game
//!   min_Δx ⟨∇ₓf, Δx⟩ + Δxᵀ D²_xy f Δy + ½ Δxᵀ Pₓ⁻¹ Δx,
//!   min_Δy ⟨∇_y g, Δy⟩ + Δyᵀ D²_yx g Δx + ½ Δyᵀ P_y⁻¹ Δy,
//! with Pₓ = ηₓ(∇²ψ(x))⁻¹ the metric of x's potential (ηₓI for CGD). Its best responses
//! Δx = −Pₓ(∇ₓf + B Δy), Δy = −P_y(∇_y g + C Δx), with B = D²_xy f and C = D²_yx g, give
//!   (Pₓ⁻¹ − B P_y C) Δx = −(∇ₓf − B P_y ∇_y g)
//! (for CGD: Δx = −η(I − η² B C)⁻¹(∇ₓf − η B ∇_y g), Schäfer & Anandkumar 2019). In a zero-sum
//! game C = −Bᵀ and the matrix Pₓ⁻¹ + B P_y Bᵀ is symmetric positive definite: conjugate
//! gradients preconditioned by Pₓ solve it (with only products by Pₓ, never Pₓ⁻¹), warm-started
//! from the previous step. The one-system variant then takes y's best response to Δx; the
//! two-system variant solves y's own system likewise. The update is the mirror step with the
//! best-response gradients ĝₓ = ∇ₓf + B Δy, ĝ_y = ∇_y g + C Δx (Schäfer, Anandkumar & Owhadi
//! 2020), which for the Euclidean potential is x + Δx.

use super::counted::Counted;
use super::drive::{check, drive, step_residual, GameReport, Watch};
use super::potential::Potential;
use super::Game;
use crate::error::{Error, Result};
use crate::solvers::Stop;

/// Competitive gradient descent (Schäfer & Anandkumar, NeurIPS 2019).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cgd {
    /// ηₓ, the step size of player x.
    pub lr_x: f64,
    /// η_y, the step size of player y.
    pub lr_y: f64,
    /// Relative residual at which the inner conjugate gradients stop.
    pub cg_tol: f64,
    /// Most inner iterations per system.
    pub cg_max_iter: usize,
    /// Solve x's system only and take y's best response (`true`), or solve both systems.
    pub one_system: bool,
    /// Stop rule on the step residual ‖((x⁺ − x)/ηₓ, (y⁺ − y)/η_y)‖.
    pub stop: Stop,
}

impl Default for Cgd {
    fn default() -> Self {
        Cgd {
            lr_x: 0.2,
            lr_y: 0.2,
            cg_tol: 1e-10,
            cg_max_iter: 1000,
            one_system: true,
            stop: Stop::absolute(1e-8),
        }
    }
}

/// Competitive mirror descent (Schäfer, Anandkumar & Owhadi, 2020): CGD in the geometry of a
/// Bregman potential per player. With zero coupling (D²_xy f = 0) a step is exactly mirror
/// descent: multiplicative weights for the entropy. By default both players live on the
/// simplex (a matrix game); [`Cgd`] is this method with both potentials Euclidean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cmd {
    pub potential_x: Potential,
    pub potential_y: Potential,
    pub lr_x: f64,
    pub lr_y: f64,
    pub cg_tol: f64,
    pub cg_max_iter: usize,
    pub one_system: bool,
    pub stop: Stop,
}

impl Default for Cmd {
    fn default() -> Self {
        let c = Cgd::default();
        Cmd {
            potential_x: Potential::Simplex,
            potential_y: Potential::Simplex,
            lr_x: c.lr_x,
            lr_y: c.lr_y,
            cg_tol: c.cg_tol,
            cg_max_iter: c.cg_max_iter,
            one_system: c.one_system,
            stop: c.stop,
        }
    }
}

impl Cgd {
    fn as_cmd(&self) -> Cmd {
        Cmd {
            potential_x: Potential::Euclidean,
            potential_y: Potential::Euclidean,
            lr_x: self.lr_x,
            lr_y: self.lr_y,
            cg_tol: self.cg_tol,
            cg_max_iter: self.cg_max_iter,
            one_system: self.one_system,
            stop: self.stop,
        }
    }

    /// Moves (x, y) in place toward a Nash equilibrium of `game`.
    pub fn play<G: Game + ?Sized>(
        &self,
        game: &G,
        x: &mut [f64],
        y: &mut [f64],
        watch: &mut (impl Watch + ?Sized),
    ) -> Result<GameReport> {
        self.as_cmd().run("cgd", game, x, y, watch)
    }

    /// The step (Δx, Δy) at (x, y): the Nash equilibrium of the local regularized bilinear game.
    pub fn step<G: Game + ?Sized>(
        &self,
        game: &G,
        x: &[f64],
        y: &[f64],
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let cmd = self.as_cmd();
        cmd.checks(game, x, y)?;
        let counted = Counted::new(game);
        let mut local = Local::new(game.dim_x(), game.dim_y());
        local.solve(&cmd, &counted, x, y);
        Ok((local.dx, local.dy))
    }
}

impl Cmd {
    /// Moves (x, y) in place toward a Nash equilibrium of `game`; iterates stay in the
    /// potentials' domains (positive cone, simplex) with no projection.
    pub fn play<G: Game + ?Sized>(
        &self,
        game: &G,
        x: &mut [f64],
        y: &mut [f64],
        watch: &mut (impl Watch + ?Sized),
    ) -> Result<GameReport> {
        self.run("cmd", game, x, y, watch)
    }

    fn checks<G: Game + ?Sized>(&self, game: &G, x: &[f64], y: &[f64]) -> Result<()> {
        check(
            game,
            x,
            y,
            (self.lr_x, self.lr_y),
            (self.potential_x, self.potential_y),
            &self.stop,
        )?;
        if !game.zero_sum() {
            return Err(Error::invalid(
                "the competitive methods solve their local game by conjugate gradients, which \
                 needs a zero-sum game (g = −f)",
            ));
        }
        if !(self.cg_tol.is_finite() && self.cg_tol >= 0.0) || self.cg_max_iter == 0 {
            return Err(Error::invalid(format!(
                "the inner solve needs a finite tolerance ≥ 0 and at least one iteration, got \
                 {} and {}",
                self.cg_tol, self.cg_max_iter
            )));
        }
        Ok(())
    }

    fn run<G: Game + ?Sized>(
        &self,
        name: &'static str,
        game: &G,
        x: &mut [f64],
        y: &mut [f64],
        watch: &mut (impl Watch + ?Sized),
    ) -> Result<GameReport> {
        self.checks(game, x, y)?;
        let counted = Counted::new(game);
        let mut local = Local::new(game.dim_x(), game.dim_y());
        let (mut x_old, mut y_old) = (x.to_vec(), y.to_vec());
        let lr = (self.lr_x, self.lr_y);
        Ok(drive(name, &self.stop, &counted, x, y, watch, |g, x, y| {
            let inner = local.solve(self, g, x, y);
            x_old.copy_from_slice(x);
            y_old.copy_from_slice(y);
            self.potential_x.mirror_step(x, self.lr_x, &local.hat_x);
            self.potential_y.mirror_step(y, self.lr_y, &local.hat_y);
            (step_residual(&x_old, x, &y_old, y, lr), inner)
        }))
    }
}

/// The local game's solution and the work vectors of its solve.
struct Local {
    gx: Vec<f64>,
    gy: Vec<f64>,
    dx: Vec<f64>,
    dy: Vec<f64>,
    /// ĝₓ = ∇ₓf + B Δy and ĝ_y = ∇_y g + C Δx: Δx = −Pₓ ĝₓ. Kept as the warm starts.
    hat_x: Vec<f64>,
    hat_y: Vec<f64>,
    warm: bool,
}

/// One side of the symmetric system: player "a" solves (Pₐ⁻¹ + K Pᵦ Kᵀ) Δa = −(∇ₐ − K Pᵦ ∇ᵦ),
/// where K·v is `cross` and Kᵀ·u = −`back`·u (zero sum).
struct Side<'a> {
    metric_a: &'a dyn Fn(&[f64], &mut [f64]),
    metric_b: &'a dyn Fn(&[f64], &mut [f64]),
    cross: &'a dyn Fn(&[f64], &mut [f64]),
    back: &'a dyn Fn(&[f64], &mut [f64]),
}

impl Local {
    fn new(m: usize, n: usize) -> Local {
        Local {
            gx: vec![0.0; m],
            gy: vec![0.0; n],
            dx: vec![0.0; m],
            dy: vec![0.0; n],
            hat_x: vec![0.0; m],
            hat_y: vec![0.0; n],
            warm: false,
        }
    }

    /// Solves the local game at (x, y); returns the inner iterations.
    fn solve<G: Game + ?Sized>(
        &mut self,
        o: &Cmd,
        game: &Counted<'_, G>,
        x: &[f64],
        y: &[f64],
    ) -> usize {
        game.grads(x, y, &mut self.gx, &mut self.gy);
        let metric_x = |v: &[f64], out: &mut [f64]| o.potential_x.metric(x, o.lr_x, v, out);
        let metric_y = |v: &[f64], out: &mut [f64]| o.potential_y.metric(y, o.lr_y, v, out);
        let b = |v: &[f64], out: &mut [f64]| game.mixed_f(x, y, v, out);
        let c = |u: &[f64], out: &mut [f64]| game.mixed_g(x, y, u, out);
        let side_x = Side {
            metric_a: &metric_x,
            metric_b: &metric_y,
            cross: &b,
            back: &c,
        };
        // Warm start: the previous best-response gradient, w₀ = −ĝₓ, so Δx₀ = Pₓ w₀.
        let mut w: Vec<f64> = self.hat_x.iter().map(|v| -v).collect();
        let mut inner = side_x.cg(o, &self.gx, &self.gy, &mut w, &mut self.dx, self.warm);
        // y's best response to Δx: ĝ_y = ∇_y g + C Δx, Δy = −P_y ĝ_y.
        c(&self.dx, &mut self.hat_y);
        self.hat_y
            .iter_mut()
            .zip(&self.gy)
            .for_each(|(h, g)| *h += g);
        if o.one_system {
            metric_y(&self.hat_y, &mut self.dy);
            self.dy.iter_mut().for_each(|v| *v = -*v);
        } else {
            let side_y = Side {
                metric_a: &metric_y,
                metric_b: &metric_x,
                cross: &c,
                back: &b,
            };
            let mut w: Vec<f64> = self.hat_y.iter().map(|v| -v).collect();
            inner += side_y.cg(o, &self.gy, &self.gx, &mut w, &mut self.dy, true);
            self.hat_y.iter_mut().zip(&w).for_each(|(h, w)| *h = -w);
        }
        // x's best response to Δy: ĝₓ = ∇ₓf + B Δy.
        b(&self.dy, &mut self.hat_x);
        self.hat_x
            .iter_mut()
            .zip(&self.gx)
            .for_each(|(h, g)| *h += g);
        self.warm = true;
        inner
    }
}

impl Side<'_> {
    /// Conjugate gradients preconditioned by Pₐ on (Pₐ⁻¹ + K Pᵦ Kᵀ) Δ = −(gₐ − K Pᵦ gᵦ),
    /// carrying w with Δ = Pₐ w so that Pₐ⁻¹ is never applied. On entry `w` is the warm start
    /// (used when `warm`); on exit Δ is in `delta` and w in `w`.
    fn cg(
        &self,
        o: &Cmd,
        ga: &[f64],
        gb: &[f64],
        w: &mut [f64],
        delta: &mut [f64],
        warm: bool,
    ) -> usize {
        let (na, nb) = (ga.len(), gb.len());
        let mut tb = vec![0.0; nb];
        let mut ta = vec![0.0; na];
        // S·p for p = Pₐ u: u + K Pᵦ (−back(p))... written out: Kᵀ p = −back(p).
        let apply = |p: &[f64], u: &[f64], q: &mut [f64], ta: &mut [f64], tb: &mut [f64]| {
            let mut kt = vec![0.0; nb];
            (self.back)(p, &mut kt);
            kt.iter_mut().for_each(|v| *v = -*v);
            (self.metric_b)(&kt, tb);
            (self.cross)(tb, ta);
            q.iter_mut()
                .zip(u)
                .zip(ta.iter())
                .for_each(|((q, u), t)| *q = u + t);
        };
        // Right-hand side −(gₐ − K Pᵦ gᵦ).
        (self.metric_b)(gb, &mut tb);
        (self.cross)(&tb, &mut ta);
        let rhs: Vec<f64> = ga.iter().zip(&ta).map(|(g, t)| t - g).collect();
        let mut r = rhs.clone();
        if warm && w.iter().any(|v| *v != 0.0) {
            (self.metric_a)(w, delta);
            let mut q = vec![0.0; na];
            apply(delta, w, &mut q, &mut ta, &mut tb);
            r.iter_mut().zip(&q).for_each(|(r, q)| *r -= q);
        } else {
            w.iter_mut().for_each(|v| *v = 0.0);
            delta.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut z = vec![0.0; na];
        (self.metric_a)(&rhs, &mut z);
        let target = o.cg_tol * o.cg_tol * dot(&rhs, &z).max(0.0);
        (self.metric_a)(&r, &mut z);
        let mut rz = dot(&r, &z);
        let mut p = z.clone();
        let mut wp = r.clone();
        let mut q = vec![0.0; na];
        let mut it = 0;
        while it < o.cg_max_iter && rz > target && rz > 0.0 {
            it += 1;
            apply(&p, &wp, &mut q, &mut ta, &mut tb);
            let pq = dot(&p, &q);
            if pq <= 0.0 || !pq.is_finite() {
                break;
            }
            let alpha = rz / pq;
            for i in 0..na {
                delta[i] += alpha * p[i];
                w[i] += alpha * wp[i];
                r[i] -= alpha * q[i];
            }
            (self.metric_a)(&r, &mut z);
            let rz_new = dot(&r, &z);
            let beta = rz_new / rz;
            rz = rz_new;
            for i in 0..na {
                p[i] = z[i] + beta * p[i];
                wp[i] = r[i] + beta * wp[i];
            }
        }
        it
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}
