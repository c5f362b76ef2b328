//! `optml demo`: every solver on two real data sets shipped inside the binary, side by side.

use std::path::PathBuf;

use clap::Args as ClapArgs;
use optml::data::{parse_libsvm, Dataset, LibsvmOptions};
use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::Trace;
use optml::solvers::Method;

use crate::args::{heading, Threads, TimeLimit};
use crate::output::plot;
use crate::CliResult;

const BREAST_CANCER: &[u8] = include_bytes!("../../optml/data/breast_cancer.svm");
const DIGITS: &[u8] = include_bytes!("../../optml/data/digits.svm");

/// Iterations each solver may take.
const MAX_ITER: usize = 20_000;

#[derive(ClapArgs, Debug)]
#[command(mut_arg("max_seconds", |a| a.help(
    "Stop each solver after this many seconds (its result so far is shown and drawn)"
)))]
pub struct Args {
    /// Where to draw the convergence plots (one file per problem: NAME-PROBLEM.EXT).
    #[arg(long, default_value = "optml-demo.svg", help_heading = heading::OUTPUT)]
    pub plot: PathBuf,
    /// Stop each solver when ‖∇f(w)‖ ≤ tol·‖∇f(w₀)‖, or after 20 000 iterations.
    #[arg(long, default_value_t = 1e-10, help_heading = heading::STOP)]
    pub tol: f64,
    #[command(flatten)]
    pub time: TimeLimit,
    #[command(flatten)]
    pub threads: Threads,
}

struct Problem {
    name: &'static str,
    about: &'static str,
    data: Dataset,
    spec: GlmSpec,
}

fn problems() -> CliResult<Vec<Problem>> {
    let bc = parse_libsvm(
        BREAST_CANCER,
        "breast_cancer.svm".as_ref(),
        &LibsvmOptions::default(),
    )?;
    let digits = parse_libsvm(DIGITS, "digits.svm".as_ref(), &LibsvmOptions::default())?;
    Ok(vec![
        Problem {
            name: "breast-cancer",
            about: "logistic, C = 100, raw features (569 × 30, condition number ~1e10)",
            data: bc,
            spec: GlmSpec {
                loss: Loss::Logistic,
                ridge: Ridge::C(100.0),
                ..Default::default()
            },
        },
        Problem {
            name: "digits",
            about: "softmax over 10 classes, C = 1, intercept (1797 × 64)",
            data: digits,
            spec: GlmSpec {
                loss: Loss::Softmax,
                ridge: Ridge::C(1.0),
                intercept: true,
                ..Default::default()
            },
        },
    ])
}

pub fn run(args: Args) -> CliResult {
    args.threads.apply()?;
    let stop = args.time.stop(args.tol, true, MAX_ITER);
    for p in problems()? {
        println!("\n{}: {}", p.name, p.about);
        println!(
            "{:<14} {:>8} {:>8} {:>8} {:>20} {:>10} {:>9}  status",
            "solver", "iters", "passes", "Hv", "objective", "|grad|", "ms"
        );
        let mut series = Vec::new();
        for method in Method::ALL {
            let mut trace = Trace::default();
            let (model, r) = fit_glm(&p.data, &p.spec, Choice::Use(method), stop, &mut trace)?;
            let acc = model.evaluate(&p.data)?.accuracy.unwrap_or(f64::NAN);
            println!(
                "{:<14} {:>8} {:>8.0} {:>8} {:>20.12} {:>10.2e} {:>9.1}  {} (train acc {:.3})",
                r.solver,
                r.iterations,
                r.passes,
                r.hv_products,
                r.f,
                r.grad_norm,
                r.seconds * 1e3,
                r.status,
                acc
            );
            series.push((method.name().to_string(), trace.records));
        }
        let path = with_suffix(&args.plot, p.name);
        plot::convergence(&path, &format!("{}: {}", p.name, p.about), &series)?;
        println!("plot: {}", path.display());
    }
    Ok(())
}

/// `dir/name.ext` → `dir/name-suffix.ext`.
fn with_suffix(path: &std::path::Path, suffix: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or("optml-demo".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("svg".into(), |e| e.to_string_lossy());
    path.with_file_name(format!("{stem}-{suffix}.{ext}"))
}
