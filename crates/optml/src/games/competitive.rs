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
//! from the previous step. A general-sum game's matrix is not symmetric: faer's BiCGSTAB solves
//! it right-preconditioned, (I − B P_y C Pₓ) w = −(∇ₓf − B P_y ∇_y g) with Δx = Pₓ w. The one-system variant then takes y's best response to Δx; the
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

/// A product u ↦ out: a metric or a mixed block at the current point.
type Product<'a> = &'a (dyn Fn(&[f64], &mut [f64]) + Sync);

/// One side of the local game: player "a" solves (Pₐ⁻¹ − K Pᵦ C) Δa = −(∇ₐ − K Pᵦ ∇ᵦ), where
/// K·v is `cross` and C·u is `back` (in a zero-sum game C = −Kᵀ).
struct Side<'a> {
    metric_a: Product<'a>,
    metric_b: Product<'a>,
    cross: Product<'a>,
    back: Product<'a>,
    zero_sum: bool,
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
            zero_sum: game.game.zero_sum(),
        };
        // Warm start: the previous best-response gradient, w₀ = −ĝₓ, so Δx₀ = Pₓ w₀.
        let mut w: Vec<f64> = self.hat_x.iter().map(|v| -v).collect();
        let mut inner = side_x.solve(o, &self.gx, &self.gy, &mut w, &mut self.dx, self.warm);
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
                zero_sum: side_x.zero_sum,
            };
            let mut w: Vec<f64> = self.hat_y.iter().map(|v| -v).collect();
            inner += side_y.solve(o, &self.gy, &self.gx, &mut w, &mut self.dy, true);
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
    /// Solves the side's system: conjugate gradients for a zero-sum game, BiCGSTAB otherwise.
    /// On entry `w` is the warm start (used when `warm`); on exit Δ = Pₐ w is in `delta`.
    /// Returns the inner iterations.
    fn solve(
        &self,
        o: &Cmd,
        ga: &[f64],
        gb: &[f64],
        w: &mut [f64],
        delta: &mut [f64],
        warm: bool,
    ) -> usize {
        if self.zero_sum {
            self.cg(o, ga, gb, w, delta, warm)
        } else {
            self.bicgstab(o, ga, gb, w, delta, warm)
        }
    }

    /// The right-hand side −(gₐ − K Pᵦ gᵦ).
    fn rhs(&self, ga: &[f64], gb: &[f64]) -> Vec<f64> {
        let mut tb = vec![0.0; gb.len()];
        let mut ta = vec![0.0; ga.len()];
        (self.metric_b)(gb, &mut tb);
        (self.cross)(&tb, &mut ta);
        ga.iter().zip(&ta).map(|(g, t)| t - g).collect()
    }

    /// w − K Pᵦ C Pₐ w: the system in w, where Δ = Pₐ w.
    fn general_product(&self, w: &[f64], nb: usize) -> Vec<f64> {
        let mut p = vec![0.0; w.len()];
        (self.metric_a)(w, &mut p);
        let (mut t, mut s) = (vec![0.0; nb], vec![0.0; nb]);
        (self.back)(&p, &mut t);
        (self.metric_b)(&t, &mut s);
        (self.cross)(&s, &mut p);
        w.iter().zip(&p).map(|(w, k)| w - k).collect()
    }

    /// faer's BiCGSTAB on (I − K Pᵦ C Pₐ) w = −(gₐ − K Pᵦ gᵦ), stopping at relative residual
    /// `cg_tol` or after `cg_max_iter` iterations (each two products by the matrix). Should it
    /// break down (a non-finite iterate), w falls back to the right-hand side, the step of
    /// linearized CGD (the first term of the Neumann series of the inverse).
    fn bicgstab(
        &self,
        o: &Cmd,
        ga: &[f64],
        gb: &[f64],
        w: &mut [f64],
        delta: &mut [f64],
        warm: bool,
    ) -> usize {
        use faer::dyn_stack::{MemBuffer, MemStack};
        use faer::matrix_free::bicgstab::{bicgstab, bicgstab_scratch, BicgParams};
        use faer::matrix_free::{IdentityPrecond, InitialGuessStatus};
        let (na, nb) = (ga.len(), gb.len());
        let rhs = self.rhs(ga, gb);
        let op = GeneralSum { side: self, na, nb };
        let id = IdentityPrecond { dim: na };
        let par = faer::Par::Seq;
        let warm = warm && w.iter().all(|v| v.is_finite()) && w.iter().any(|v| *v != 0.0);
        if !warm {
            w.iter_mut().for_each(|v| *v = 0.0);
        }
        // Always `MaybeNonZero`: faer 0.24's `Zero` leaves its first residual uninitialized
        // instead of b. A zero start costs one product more.
        let params = BicgParams {
            initial_guess: InitialGuessStatus::MaybeNonZero,
            abs_tolerance: 0.0,
            rel_tolerance: o.cg_tol,
            max_iters: o.cg_max_iter,
            ..Default::default()
        };
        let mut mem = MemBuffer::new(bicgstab_scratch(id, id, &op, 1, par));
        let iterations = {
            let out = faer::ColMut::from_slice_mut(w).as_mat_mut();
            let b = faer::ColRef::from_slice(&rhs).as_mat();
            match bicgstab(
                out,
                id,
                id,
                &op,
                b,
                params,
                |_| {},
                par,
                MemStack::new(&mut mem),
            ) {
                Ok(info) => info.iter_count,
                Err(_) => o.cg_max_iter,
            }
        };
        if !w.iter().all(|v| v.is_finite()) {
            w.copy_from_slice(&rhs);
        }
        (self.metric_a)(w, delta);
        iterations
    }

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
        let rhs = self.rhs(ga, gb);
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

/// A side's general-sum system as a faer operator, w ↦ w − K Pᵦ C Pₐ w.
struct GeneralSum<'s, 'a> {
    side: &'s Side<'a>,
    na: usize,
    nb: usize,
}

impl std::fmt::Debug for GeneralSum<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GeneralSum({} × {})", self.na, self.na)
    }
}

impl faer::matrix_free::LinOp<f64> for GeneralSum<'_, '_> {
    fn apply_scratch(&self, _: usize, _: faer::Par) -> faer::dyn_stack::StackReq {
        faer::dyn_stack::StackReq::EMPTY
    }
    fn nrows(&self) -> usize {
        self.na
    }
    fn ncols(&self) -> usize {
        self.na
    }
    fn apply(
        &self,
        mut out: faer::MatMut<'_, f64>,
        rhs: faer::MatRef<'_, f64>,
        _: faer::Par,
        _: &mut faer::dyn_stack::MemStack,
    ) {
        for j in 0..rhs.ncols() {
            let w: Vec<f64> = (0..self.na).map(|i| rhs[(i, j)]).collect();
            let q = self.side.general_product(&w, self.nb);
            (0..self.na).for_each(|i| out[(i, j)] = q[i]);
        }
    }
    fn conj_apply(
        &self,
        out: faer::MatMut<'_, f64>,
        rhs: faer::MatRef<'_, f64>,
        par: faer::Par,
        stack: &mut faer::dyn_stack::MemStack,
    ) {
        self.apply(out, rhs, par, stack)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}
