//! The game methods a user picks by name, and one call that plays any of them.

use super::{Cgd, Cmd, Game, GameReport, Potential, Rule, Simultaneous, Watch};
use crate::error::{Error, Result};
use crate::solvers::Stop;

/// A game method by name: the competitive methods and the simultaneous baselines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GameMethod {
    /// Competitive gradient descent ([`Cgd`]): both players Euclidean.
    Cgd,
    /// Competitive mirror descent ([`Cmd`]) in the players' potentials.
    Cmd,
    Gda,
    Extragradient,
    Ogda,
    Sga,
    ConOpt,
}

/// What every game method is given: step sizes, the potentials the players live in, the
/// adjustment weight of SGA and ConOpt, the inner solve of the competitive methods, and the
/// stop rule on the step residual.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlayOptions {
    pub lr_x: f64,
    pub lr_y: f64,
    pub potential_x: Potential,
    pub potential_y: Potential,
    /// γ of SGA and ConOpt.
    pub gamma: f64,
    /// The competitive methods: solve x's system only and take y's best response.
    pub one_system: bool,
    /// The competitive methods: relative residual of the inner conjugate gradients.
    pub cg_tol: f64,
    pub stop: Stop,
}

impl Default for PlayOptions {
    /// The defaults of [`Cmd`] and [`Simultaneous`], both players Euclidean.
    fn default() -> Self {
        let c = Cgd::default();
        let s = Simultaneous::default();
        PlayOptions {
            lr_x: c.lr_x,
            lr_y: c.lr_y,
            potential_x: Potential::Euclidean,
            potential_y: Potential::Euclidean,
            gamma: s.gamma,
            one_system: c.one_system,
            cg_tol: c.cg_tol,
            stop: c.stop,
        }
    }
}

impl GameMethod {
    pub const ALL: [GameMethod; 7] = [
        GameMethod::Cgd,
        GameMethod::Cmd,
        GameMethod::Gda,
        GameMethod::Extragradient,
        GameMethod::Ogda,
        GameMethod::Sga,
        GameMethod::ConOpt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GameMethod::Cgd => "cgd",
            GameMethod::Cmd => "cmd",
            GameMethod::Gda => "gda",
            GameMethod::Extragradient => "extragradient",
            GameMethod::Ogda => "ogda",
            GameMethod::Sga => "sga",
            GameMethod::ConOpt => "conopt",
        }
    }

    /// Moves (x, y) in place toward a Nash equilibrium of `game` with this method and `opts`.
    /// CGD steps off any domain but ℝⁿ: with another potential it is refused (use CMD).
    ///
    /// ```
    /// use optml::games::{GameMethod, MatrixGame, PlayOptions, Potential};
    ///
    /// let game = MatrixGame::rock_paper_scissors();
    /// let (mut x, mut y) = (vec![0.5, 0.3, 0.2], vec![0.2, 0.2, 0.6]);
    /// let opts = PlayOptions {
    ///     lr_x: 10.0,
    ///     lr_y: 10.0,
    ///     potential_x: Potential::Simplex,
    ///     potential_y: Potential::Simplex,
    ///     ..Default::default()
    /// };
    /// let method: GameMethod = "cmd".parse()?;
    /// method.play(&opts, &game, &mut x, &mut y, &mut optml::games::quiet())?;
    /// assert!(game.exploitability(&x, &y) < 1e-6);
    /// # Ok::<(), optml::Error>(())
    /// ```
    pub fn play<G: Game + ?Sized>(
        self,
        opts: &PlayOptions,
        game: &G,
        x: &mut [f64],
        y: &mut [f64],
        watch: &mut (impl Watch + ?Sized),
    ) -> Result<GameReport> {
        let rule = |rule| Simultaneous {
            rule,
            lr_x: opts.lr_x,
            lr_y: opts.lr_y,
            gamma: opts.gamma,
            potential_x: opts.potential_x,
            potential_y: opts.potential_y,
            stop: opts.stop,
        };
        match self {
            GameMethod::Cgd => {
                if (opts.potential_x, opts.potential_y)
                    != (Potential::Euclidean, Potential::Euclidean)
                {
                    return Err(Error::invalid(format!(
                        "cgd steps off the domain of the {} and {} potentials: use cmd",
                        opts.potential_x.name(),
                        opts.potential_y.name()
                    )));
                }
                Cgd {
                    lr_x: opts.lr_x,
                    lr_y: opts.lr_y,
                    one_system: opts.one_system,
                    cg_tol: opts.cg_tol,
                    stop: opts.stop,
                    ..Cgd::default()
                }
                .play(game, x, y, watch)
            }
            GameMethod::Cmd => Cmd {
                potential_x: opts.potential_x,
                potential_y: opts.potential_y,
                lr_x: opts.lr_x,
                lr_y: opts.lr_y,
                one_system: opts.one_system,
                cg_tol: opts.cg_tol,
                stop: opts.stop,
                ..Cmd::default()
            }
            .play(game, x, y, watch),
            GameMethod::Gda => rule(Rule::Gda).play(game, x, y, watch),
            GameMethod::Extragradient => rule(Rule::Extragradient).play(game, x, y, watch),
            GameMethod::Ogda => rule(Rule::Optimistic).play(game, x, y, watch),
            GameMethod::Sga => rule(Rule::Sga).play(game, x, y, watch),
            GameMethod::ConOpt => rule(Rule::ConOpt).play(game, x, y, watch),
        }
    }
}

impl std::fmt::Display for GameMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for GameMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        GameMethod::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = GameMethod::ALL.iter().map(|m| m.name()).collect();
                Error::invalid(format!(
                    "unknown game method '{s}' (expected one of: {})",
                    names.join(", ")
                ))
            })
    }
}
