//! Bound majorization (Jebara–Choromanska and Böhning bounds) against L-BFGS and Newton-CG on
//! digits softmax, over λ = 1/C and with or without intercepts: iterations, data passes and time
//! to a relative gradient of 1e-6. `cargo run --release -p optml --example bound_vs_lbfgs`
//! (from the repository root).
use optml::data::{read_libsvm, LibsvmOptions};
use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::solvers::{Method, Stop};
fn main() {
    let data = read_libsvm(
        "crates/optml/data/digits.svm".as_ref(),
        &LibsvmOptions::default(),
    )
    .unwrap();
    for c in [0.01, 1e-3, 1e-4] {
        for intercept in [false, true] {
            let spec = GlmSpec {
                loss: Loss::Softmax,
                ridge: Ridge::C(c),
                intercept,
                ..Default::default()
            };
            for m in [
                Method::Lbfgs,
                Method::Bound,
                Method::Bohning,
                Method::NewtonCg,
            ] {
                let stop = Stop {
                    max_iter: 300,
                    ..Stop::relative(1e-6)
                };
                let (_, r) = fit_glm(
                    &data,
                    &spec,
                    Choice::Use(m),
                    stop,
                    &mut optml::monitor::quiet(),
                )
                .unwrap();
                println!(
                    "C={c} b={intercept} {m}: it {} passes {:.0} f {:.8} g {:.2e} {:?} {:.2}s",
                    r.iterations, r.passes, r.f, r.grad_norm, r.status, r.seconds
                );
            }
        }
    }
}
