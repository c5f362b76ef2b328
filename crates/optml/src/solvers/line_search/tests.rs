//! The line searches on a quartic with a known minimizer.

use super::{armijo, nonmonotone_armijo, NonMonotone, Reference, Wolfe};
use crate::objective::Line;

struct Quartic;
impl Line for Quartic {
    fn value(&self, t: f64) -> f64 {
        self.value_slope(t).0
    }
    fn value_slope(&self, t: f64) -> (f64, f64) {
        // φ(t) = (t − 3)⁴ − 2(t − 3): minimum near t ≈ 3.79.
        (
            (t - 3.0).powi(4) - 2.0 * (t - 3.0),
            4.0 * (t - 3.0).powi(3) - 2.0,
        )
    }
}

#[test]
fn wolfe_finds_a_strong_wolfe_point() {
    let (f0, g0) = Quartic.value_slope(0.0);
    for t0 in [1e-3, 0.1, 1.0, 10.0, 100.0] {
        let w = Wolfe {
            c2: 0.1,
            ..Wolfe::default()
        };
        let (s, g) = w.search(&Quartic, f0, g0, t0);
        assert!(s.accepted, "t0 = {t0}: {s:?}");
        assert!(s.f <= f0 + w.c1 * s.t * g0);
        assert!(g.abs() <= w.c2 * g0.abs());
    }
}

#[test]
fn nonmonotone_references() {
    // Max of the last three values.
    let mut r = Reference::new(NonMonotone::MaxOfLast(3), 5.0);
    for f in [4.0, 6.0, 3.0, 2.0] {
        r.push(f);
    }
    assert_eq!(r.value(), 6.0);
    r.push(1.0);
    assert_eq!(r.value(), 3.0);
    // Memory 1 and η = 0 are the monotone rule.
    let mut one = Reference::new(NonMonotone::MaxOfLast(1), 5.0);
    let mut zh0 = Reference::new(NonMonotone::ZhangHager(0.0), 5.0);
    for f in [4.0, 7.0, 3.0] {
        one.push(f);
        zh0.push(f);
        assert_eq!(one.value(), f);
        assert_eq!(zh0.value(), f);
    }
    // η = 1: Cₖ is the mean of all values so far.
    let mut zh1 = Reference::new(NonMonotone::ZhangHager(1.0), 6.0);
    for f in [3.0, 0.0, 3.0] {
        zh1.push(f);
    }
    assert!((zh1.value() - 3.0).abs() < 1e-15);
}

#[test]
fn nonmonotone_armijo_accepts_an_increase_below_the_reference() {
    // φ(t) = (t − 3)⁴ − 2(t − 3) rises above φ(0) for t ≥ ~6.1: t₀ = 6.5 fails the monotone
    // test but passes against a reference 100 above φ(0).
    let (f0, g0) = Quartic.value_slope(0.0);
    let mono = armijo(&Quartic, f0, g0, 6.5, 1e-4, 30);
    assert!(mono.accepted && mono.t < 6.5 && mono.f <= f0);
    let non = nonmonotone_armijo(&Quartic, f0 + 100.0, f0, g0, 6.5, 1e-4, 30);
    assert!(non.accepted && non.t == 6.5 && non.f > f0);
    assert!(non.f <= f0 + 100.0 + 1e-4 * 6.5 * g0);
}

#[test]
fn armijo_backtracks_to_sufficient_decrease() {
    let (f0, g0) = Quartic.value_slope(0.0);
    let s = armijo(&Quartic, f0, g0, 64.0, 0.01, 30);
    assert!(s.accepted);
    assert!(s.f <= f0 + 0.01 * s.t * g0);
    assert!(s.t < 64.0);
}
