//! Two-player games and the methods that find their equilibria.
//!
//! Player x ∈ ℝᵐ minimizes f(x, y) and player y ∈ ℝⁿ minimizes g(x, y); a zero-sum game has
//! g = −f (a saddle point min_x max_y f). A [`Game`] gives both losses, both players' own
//! gradients and the second-derivative products the competitive methods need: the mixed blocks
//! D²_xy f · v and D²_yx g · u, and the pure blocks D²_xx f · u and D²_yy g · v.
//!
//! * [`Cgd`] — competitive gradient descent (Schäfer & Anandkumar, NeurIPS 2019): each step
//!   plays the Nash equilibrium of the local bilinear game regularized by ‖Δ‖²/(2η).
//! * [`Cmd`] — competitive mirror descent (Schäfer, Anandkumar & Owhadi, 2020): the same local
//!   game in the metric of a Bregman [`Potential`], then a mirror step, so iterates stay in the
//!   positive cone or on the simplex without projections.
//! * [`Simultaneous`] — the baselines: gradient descent-ascent, extragradient (mirror prox),
//!   optimistic GDA, symplectic gradient adjustment and ConOpt, each with a potential too.
//!
//! Test games with known equilibria: [`Bilinear`], [`Quadratic`], [`MatrixGame`] on simplices,
//! [`SimplexRegression`] (least squares on the simplex through a Lagrange multiplier) and a
//! small [`Gan`] on a mixture of Gaussians (exact products through dual numbers).
//!
//! Every method has one verb, `play(game, x, y, watch)`: it moves (x, y) in place toward an
//! equilibrium and returns a [`GameReport`] with the evaluations of each kind it spent.
//!
//! ```
//! use optml::games::{Bilinear, Cgd, Game};
//! use optml::solvers::Stop;
//!
//! let game = Bilinear::random(20, 7);
//! let (mut x, mut y) = (vec![0.0; 20], vec![0.0; 20]);
//! let cgd = Cgd { lr_x: 1.0, lr_y: 1.0, stop: Stop::absolute(1e-10), ..Cgd::default() };
//! let report = cgd.play(&game, &mut x, &mut y, &mut optml::games::quiet())?;
//! assert!(report.status.converged());
//! assert!(game.distance(&x, &y) < 1e-8);
//! # Ok::<(), optml::Error>(())
//! ```
//!
//! These methods live beside the minimizers of [`solvers`](crate::solvers), not among them: a
//! game is not an [`Objective`](crate::Objective), and its methods share their own driver
//! ([`GameReport`], [`Watch`]) and the local-game solve.

mod bilinear;
mod competitive;
mod counted;
mod dense;
mod drive;
mod gan;
mod matrix;
mod method;
mod potential;
mod quadratic;
mod regression;
mod simultaneous;

pub use bilinear::Bilinear;
pub use competitive::{Cgd, Cmd};
pub use counted::Counts;
pub use drive::{quiet, GameIter, GameReport, Watch};
pub use gan::{Coverage, Gan, Mixture};
pub use matrix::MatrixGame;
pub use method::{GameMethod, PlayOptions};
pub use potential::{project_simplex, Potential};
pub use quadratic::Quadratic;
pub use regression::SimplexRegression;
pub use simultaneous::{Rule, Simultaneous};

/// A two-player game: x ∈ ℝᵐ minimizes f(x, y), y ∈ ℝⁿ minimizes g(x, y).
///
/// D²_xy f is the m × n matrix [∂²f/∂xᵢ∂yⱼ] and D²_yx g the n × m matrix [∂²g/∂yⱼ∂xᵢ]; in a
/// zero-sum game D²_yx g = −(D²_xy f)ᵀ. Games are `Sync`: the general-sum local game is solved
/// by faer's BiCGSTAB, whose operators must be.
pub trait Game: Sync {
    /// m, the dimension of x.
    fn dim_x(&self) -> usize;
    /// n, the dimension of y.
    fn dim_y(&self) -> usize;
    /// Whether g = −f.
    fn zero_sum(&self) -> bool;
    /// (f(x, y), g(x, y)).
    fn values(&self, x: &[f64], y: &[f64]) -> (f64, f64);
    /// Writes ∇ₓf(x, y) into `gx` and ∇_y g(x, y) into `gy`.
    fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]);
    /// `out` (length m) = D²_xy f(x, y) · v for v ∈ ℝⁿ.
    fn mixed_f(&self, x: &[f64], y: &[f64], v: &[f64], out: &mut [f64]);
    /// `out` (length n) = D²_yx g(x, y) · u for u ∈ ℝᵐ.
    fn mixed_g(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]);
    /// `out` (length m) = D²_xx f(x, y) · u.
    fn pure_f(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]);
    /// `out` (length n) = D²_yy g(x, y) · v.
    fn pure_g(&self, x: &[f64], y: &[f64], v: &[f64], out: &mut [f64]);
}
