//! Line searches on φ(t) = f(x + t·d): backtracking Armijo, its non-monotone forms (Grippo,
//! Lampariello & Lucidi 1986; Zhang & Hager 2004) and the strong-Wolfe search of Moré & Thuente
//! (1994), "Line search algorithms with guaranteed sufficient decrease".

mod backtracking;
#[cfg(test)]
mod tests;
mod wolfe;

pub use backtracking::{
    armijo, armijo_keeping_gradient, nonmonotone_armijo, NonMonotone, Reference, Step,
};
pub use wolfe::Wolfe;
