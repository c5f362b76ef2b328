//! `optml`: fit models with curvature, look at Hessian spectra, solve non-convex recovery
//! problems, and compare the solvers.

mod args;
mod bench;
mod complete;
mod cp;
mod demo;
mod dictionary;
mod hessian;
mod output;
mod phase;
mod predict;
mod rpca;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Errors reach the user as one line; every fallible step gives its context.
pub type CliResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

#[derive(Parser)]
#[command(
    name = "optml",
    version,
    about = "Second-order and non-convex optimization for machine learning",
    long_about = "Fits logistic, softmax, squared-hinge and least-squares models (L2, L1, elastic \
                  net or group penalties) and multilayer perceptrons on LIBSVM, CSV or .npy data \
                  with Newton-type and quasi-Newton methods, and predicts with them; computes \
                  Hessian eigenvalues, traces and spectral densities; solves matrix completion, \
                  robust PCA, phase retrieval, CP and dictionary learning; and compares the \
                  solvers on standard test problems, with convergence plots."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fit a model to a data set.
    Train(train::Args),
    /// Predict with a trained model and score the predictions.
    Predict(predict::Args),
    /// Train on embedded real data with several solvers and compare them.
    Demo(demo::Args),
    /// Compare solvers on standard test problems.
    Bench(bench::Args),
    /// CP decomposition of a 3-way tensor (.npy) by alternating least squares.
    Cp(cp::Args),
    /// Learn a dictionary with sparse codes (K-SVD) from signals in a .npy file.
    Dictionary(dictionary::Args),
    /// Spectrum of a model's Hessian: top-k eigenvalues, trace, spectral density.
    Hessian(hessian::Args),
    /// Complete a low-rank matrix from observed entries (CSV triples or Matrix Market).
    Complete(complete::Args),
    /// Robust PCA: split a matrix into low-rank plus sparse parts.
    Rpca(rpca::Args),
    /// Phase retrieval: recover x from y = |Ax|² (Wirtinger Flow).
    Phase(phase::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(a) => train::run(a),
        Command::Predict(a) => predict::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Cp(a) => cp::run(a),
        Command::Dictionary(a) => dictionary::run(a),
        Command::Hessian(a) => hessian::run(a),
        Command::Complete(a) => complete::run(a),
        Command::Rpca(a) => rpca::run(a),
        Command::Phase(a) => phase::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Sets the worker thread count once, before any parallel work.
pub fn set_threads(threads: Option<usize>) -> CliResult {
    if let Some(t) = threads {
        if t == 0 {
            return Err("--threads must be at least 1".into());
        }
        optml::set_threads(t)?;
    }
    Ok(())
}
