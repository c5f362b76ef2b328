//! The baselines: simultaneous first-order methods for games, each a mirror step per player.
//!
//! With ξ = (∇ₓf, ∇_y g) the simultaneous gradient:
//! * GDA: (x, y) ← step(ξ(x, y)).
//! * Extragradient (Korpelevich 1976; mirror prox, Nemirovski 2004): a half step to (x̃, ỹ) with
//!   ξ(x, y), then the step from (x, y) with ξ(x̃, ỹ). Two gradient evaluations per iteration.
//! * Optimistic GDA (Popov 1980; Daskalakis et al. 2018): step with 2ξₖ − ξₖ₋₁.
//! * Symplectic gradient adjustment (Balduzzi et al. 2018): step with ξ + γ Aᵀξ, A the
//!   antisymmetric part of the Jacobian of ξ; in a zero-sum game
//!   Aᵀξ = (−D²_xy f ∇_y g, −D²_yx g ∇ₓf). Two mixed products per iteration.
//! * ConOpt (Mescheder et al. 2017): step with ξ + γ Jᵀξ = ξ + γ∇½‖ξ‖²; in a zero-sum game
//!   Jᵀξ = (D²_xx f ∇ₓf − D²_xy f ∇_y g, −D²_yx g ∇ₓf + D²_yy g ∇_y g). Two mixed and two pure
//!   products per iteration.

use super::counted::Counted;
use super::drive::{check, drive, step_residual, GameReport, Watch};
use super::potential::Potential;
use super::Game;
use crate::error::{Error, Result};
use crate::solvers::Stop;

/// Which simultaneous method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Gda,
    Extragradient,
    Optimistic,
    Sga,
    ConOpt,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Gda => "gda",
            Rule::Extragradient => "extragradient",
            Rule::Optimistic => "ogda",
            Rule::Sga => "sga",
            Rule::ConOpt => "conopt",
        }
    }
}

/// A simultaneous first-order method for games (see the module notes), each player stepping in
/// the geometry of its potential.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Simultaneous {
    pub rule: Rule,
    pub lr_x: f64,
    pub lr_y: f64,
    /// γ, the weight of the adjustment (SGA, ConOpt).
    pub gamma: f64,
    pub potential_x: Potential,
    pub potential_y: Potential,
    /// Stop rule on the step residual ‖((x⁺ − x)/ηₓ, (y⁺ − y)/η_y)‖.
    pub stop: Stop,
}

impl Default for Simultaneous {
    fn default() -> Self {
        Simultaneous {
            rule: Rule::Gda,
            lr_x: 0.2,
            lr_y: 0.2,
            gamma: 1.0,
            potential_x: Potential::Euclidean,
            potential_y: Potential::Euclidean,
            stop: Stop::absolute(1e-8),
        }
    }
}

impl Simultaneous {
    /// Moves (x, y) in place toward a Nash equilibrium of `game`.
    pub fn play<G: Game + ?Sized>(
        &self,
        game: &G,
        x: &mut [f64],
        y: &mut [f64],
        watch: &mut (impl Watch + ?Sized),
    ) -> Result<GameReport> {
        let lr = (self.lr_x, self.lr_y);
        check(
            game,
            x,
            y,
            lr,
            (self.potential_x, self.potential_y),
            &self.stop,
        )?;
        if matches!(self.rule, Rule::Sga | Rule::ConOpt) {
            if !game.zero_sum() {
                return Err(Error::invalid(format!(
                    "{} is written for zero-sum games (g = −f)",
                    self.rule.name()
                )));
            }
            if !self.gamma.is_finite() {
                return Err(Error::invalid(format!(
                    "γ must be finite, got {}",
                    self.gamma
                )));
            }
        }
        let (m, n) = (game.dim_x(), game.dim_y());
        let counted = Counted::new(game);
        let (mut gx, mut gy) = (vec![0.0; m], vec![0.0; n]);
        let (mut px, mut py) = (vec![0.0; m], vec![0.0; n]);
        let (mut tx, mut ty) = (vec![0.0; m], vec![0.0; n]);
        let (mut x_old, mut y_old) = (x.to_vec(), y.to_vec());
        let mut first = true;
        let o = *self;
        let report = drive(
            self.rule.name(),
            &self.stop,
            &counted,
            x,
            y,
            watch,
            |g, x, y| {
                x_old.copy_from_slice(x);
                y_old.copy_from_slice(y);
                match o.rule {
                    Rule::Gda => g.grads(x, y, &mut gx, &mut gy),
                    Rule::Extragradient => {
                        g.grads(x, y, &mut gx, &mut gy);
                        o.potential_x.mirror_step(x, o.lr_x, &gx);
                        o.potential_y.mirror_step(y, o.lr_y, &gy);
                        g.grads(x, y, &mut gx, &mut gy);
                        x.copy_from_slice(&x_old);
                        y.copy_from_slice(&y_old);
                    }
                    Rule::Optimistic => {
                        g.grads(x, y, &mut tx, &mut ty);
                        if first {
                            px.copy_from_slice(&tx);
                            py.copy_from_slice(&ty);
                        }
                        for i in 0..m {
                            gx[i] = 2.0 * tx[i] - px[i];
                        }
                        for j in 0..n {
                            gy[j] = 2.0 * ty[j] - py[j];
                        }
                        px.copy_from_slice(&tx);
                        py.copy_from_slice(&ty);
                    }
                    Rule::Sga | Rule::ConOpt => {
                        g.grads(x, y, &mut gx, &mut gy);
                        g.mixed_f(x, y, &gy, &mut tx);
                        g.mixed_g(x, y, &gx, &mut ty);
                        if o.rule == Rule::ConOpt {
                            g.pure_f(x, y, &gx, &mut px);
                            g.pure_g(x, y, &gy, &mut py);
                        } else {
                            px.iter_mut().for_each(|v| *v = 0.0);
                            py.iter_mut().for_each(|v| *v = 0.0);
                        }
                        for i in 0..m {
                            gx[i] += o.gamma * (px[i] - tx[i]);
                        }
                        for j in 0..n {
                            gy[j] += o.gamma * (py[j] - ty[j]);
                        }
                    }
                }
                first = false;
                o.potential_x.mirror_step(x, o.lr_x, &gx);
                o.potential_y.mirror_step(y, o.lr_y, &gy);
                (step_residual(&x_old, x, &y_old, y, lr), 0)
            },
        );
        Ok(report)
    }
}
