//! Communication-efficient Newton-type methods over sharded data: [`Giant`] (local Newton
//! directions averaged), [`Disco`] (distributed preconditioned CG on the Newton system) and
//! [`Dino`] (local least-squares directions, a gradient-norm line search).
//!
//! Each is a struct of options with `Default` and one method, `minimize(f, w, monitor)`, run on
//! every rank with the same arguments; all ranks take the same steps, since every number that
//! decides a branch comes out of an all-reduce. The [`Stop`](optml::solvers::Stop)'s gradient
//! test and iteration limit apply; its time limit does not (the ranks' clocks could disagree),
//! and a monitor must answer the same on every rank.

mod dino;
mod disco;
mod giant;
mod local;
mod progress;

pub use dino::Dino;
pub use disco::Disco;
pub use giant::Giant;
