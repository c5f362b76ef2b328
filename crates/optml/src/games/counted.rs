//! A game that counts its evaluations: what the methods report as their cost.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use super::Game;

/// Evaluations spent, by kind. A gradient evaluation gives both players' gradients at one point
/// (a GAN's forward and backward pass through both networks); a product is one
/// Hessian-vector-sized product of one block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Evaluations of (∇ₓf, ∇_y g).
    pub grads: usize,
    /// Mixed products D²_xy f · v and D²_yx g · u.
    pub mixed: usize,
    /// Pure products D²_xx f · u and D²_yy g · v.
    pub pure: usize,
}

impl Counts {
    /// Gradient evaluations plus products: each product costs about one gradient (an
    /// R-operator pass), so this is the work in gradient-equivalents.
    pub fn work(&self) -> usize {
        self.grads + self.mixed + self.pure
    }
}

/// Wraps a game and counts every gradient and product asked of it. The tallies are atomic so
/// that an inner solver may hold the game behind a `Sync` operator.
pub(crate) struct Counted<'g, G: Game + ?Sized> {
    pub game: &'g G,
    grads: AtomicUsize,
    mixed: AtomicUsize,
    pure: AtomicUsize,
}

impl<'g, G: Game + ?Sized> Counted<'g, G> {
    pub fn new(game: &'g G) -> Self {
        Counted {
            game,
            grads: AtomicUsize::new(0),
            mixed: AtomicUsize::new(0),
            pure: AtomicUsize::new(0),
        }
    }
    pub fn counts(&self) -> Counts {
        Counts {
            grads: self.grads.load(Ordering::Relaxed),
            mixed: self.mixed.load(Ordering::Relaxed),
            pure: self.pure.load(Ordering::Relaxed),
        }
    }
    pub fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        self.grads.fetch_add(1, Ordering::Relaxed);
        self.game.grads(x, y, gx, gy);
    }
    pub fn mixed_f(&self, x: &[f64], y: &[f64], v: &[f64], out: &mut [f64]) {
        self.mixed.fetch_add(1, Ordering::Relaxed);
        self.game.mixed_f(x, y, v, out);
    }
    pub fn mixed_g(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]) {
        self.mixed.fetch_add(1, Ordering::Relaxed);
        self.game.mixed_g(x, y, u, out);
    }
    pub fn pure_f(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]) {
        self.pure.fetch_add(1, Ordering::Relaxed);
        self.game.pure_f(x, y, u, out);
    }
    pub fn pure_g(&self, x: &[f64], y: &[f64], v: &[f64], out: &mut [f64]) {
        self.pure.fetch_add(1, Ordering::Relaxed);
        self.game.pure_g(x, y, v, out);
    }
}
