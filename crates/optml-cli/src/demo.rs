//! `optml demo`: every solver on two real data sets shipped inside the binary, side by side, each
//! within a time budget, and a convergence plot per data set in a folder of its own.

use std::path::PathBuf;

use clap::{Args as ClapArgs, ValueEnum};
use optml::data::{parse_libsvm, Dataset, LibsvmOptions};
use optml::fit::{fit_glm, Choice};
use optml::linalg::{CsrMatrix, DenseMatrix, Design};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::Trace;
use optml::solvers::{Method, Status, Stop};

use crate::args::{heading, Threads, TimeLimit};
use crate::output::plot;
use crate::CliResult;

const BREAST_CANCER: &[u8] = include_bytes!("../../optml/data/breast_cancer.svm");
const DIGITS: &[u8] = include_bytes!("../../optml/data/digits.svm");

/// Iterations each solver may take.
const MAX_ITER: usize = 20_000;

/// Seconds each solver may take unless `--max-seconds` says otherwise: the good solvers finish
/// well within it, and the demo with it (24 runs) within about 15 s on 2 cores.
const DEFAULT_SECONDS: f64 = 1.0;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PlotFormat {
    Svg,
    Png,
}

#[derive(ClapArgs, Debug)]
#[command(mut_arg("max_seconds", |a| a.help(
    "Stop each solver after this many seconds, shown as capped (its result so far is shown and \
     drawn) [default: 1]"
)))]
pub struct Args {
    /// The folder the convergence plots go to, one file per problem (created if needed).
    #[arg(long, default_value = "optml-demo", help_heading = heading::OUTPUT)]
    pub out_dir: PathBuf,
    /// The plots' format.
    #[arg(long, value_enum, default_value_t = PlotFormat::Svg, help_heading = heading::OUTPUT)]
    pub format: PlotFormat,
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
    let digits = scaled(
        parse_libsvm(DIGITS, "digits.svm".as_ref(), &LibsvmOptions::default())?,
        1.0 / 16.0,
    )?;
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
            about: "softmax over 10 classes, C = 1, intercept, pixels scaled to [0, 1] (1797 × 64)",
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
    let seconds = match args.time.seconds() {
        s if s.is_finite() => s,
        _ => DEFAULT_SECONDS,
    };
    let stop = Stop {
        tol: args.tol,
        relative: true,
        max_iter: MAX_ITER,
        max_seconds: seconds,
    };
    stop.validate().map_err(|e| format!("--tol: {e}"))?;
    std::fs::create_dir_all(&args.out_dir)
        .map_err(|e| format!("cannot create {}: {e}", args.out_dir.display()))?;
    println!(
        "each solver runs until ‖∇f‖ ≤ {:e}·‖∇f(0)‖, capped at {seconds} s or {MAX_ITER} \
         iterations; plots go to {}",
        args.tol,
        args.out_dir.display()
    );
    let ext = match args.format {
        PlotFormat::Svg => "svg",
        PlotFormat::Png => "png",
    };
    for p in problems()? {
        println!("\n{}: {}", p.name, p.about);
        println!(
            "{:<14} {:>6} {:>7} {:>6} {:>18} {:>9} {:>7} {:>6}  status",
            "solver", "iters", "passes", "Hv", "objective", "|grad|", "ms", "acc"
        );
        let mut series = Vec::new();
        let mut capped = Vec::new();
        for method in Method::ALL {
            let mut trace = Trace::default();
            let (model, r) = fit_glm(&p.data, &p.spec, Choice::Use(method), stop, &mut trace)?;
            let acc = model.evaluate(&p.data)?.accuracy.unwrap_or(f64::NAN);
            let status = match r.status {
                Status::TimeLimit => format!("CAPPED at {seconds} s"),
                Status::MaxIterations => format!("CAPPED at {MAX_ITER} iterations"),
                s if s.converged() => "converged".to_string(),
                s => s.to_string(),
            };
            if matches!(r.status, Status::TimeLimit | Status::MaxIterations) {
                capped.push(method.name());
            }
            println!(
                "{:<14} {:>6} {:>7.0} {:>6} {:>18.10} {:>9.2e} {:>7.1} {:>6.3}  {status}",
                r.solver,
                r.iterations,
                r.passes,
                r.hv_products,
                r.f,
                r.grad_norm,
                r.seconds * 1e3,
                acc,
            );
            series.push((method.name().to_string(), trace.records));
        }
        if !capped.is_empty() {
            println!(
                "capped ({}): stopped by the budget before the tolerance; their rows show where \
                 they got to (--max-seconds raises it)",
                capped.join(", ")
            );
        }
        let path = args.out_dir.join(format!("{}.{ext}", p.name));
        plot::convergence(&path, &format!("{}: {}", p.name, p.about), &series)?;
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        println!("plot: {} ({} kB)", path.display(), size.div_ceil(1000));
    }
    Ok(())
}

/// The data set with every feature multiplied by `factor`.
fn scaled(data: Dataset, factor: f64) -> CliResult<Dataset> {
    let x = match &data.x {
        Design::Sparse(m) => Design::Sparse(CsrMatrix::new(
            m.nrows(),
            m.ncols(),
            m.indptr().to_vec(),
            m.indices().to_vec(),
            m.values().iter().map(|v| v * factor).collect(),
        )?),
        Design::Dense(m) => Design::Dense(DenseMatrix::from_row_major(
            m.nrows(),
            m.ncols(),
            m.data().iter().map(|v| v * factor).collect(),
        )?),
    };
    Ok(Dataset { x, ..data })
}
