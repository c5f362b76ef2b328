//! `optml`: fit models with curvature, look at Hessian spectra, solve non-convex recovery
//! problems, and compare the solvers.

// `print!` and `println!` everywhere below are these, not std's (which panic when stdout is a
// closed pipe or a full disk): see `output::stdout`.
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::output::stdout::print(format_args!($($arg)*), false)
    };
}
macro_rules! println {
    () => {
        $crate::output::stdout::print(format_args!(""), true)
    };
    ($($arg:tt)*) => {
        $crate::output::stdout::print(format_args!($($arg)*), true)
    };
}

// Likewise `eprintln!`: a closed stderr leaves nowhere to report to, so its errors are dropped.
macro_rules! eprintln {
    ($($arg:tt)*) => {
        $crate::output::stdout::eprint(format_args!($($arg)*))
    };
}

mod args;
mod bench;
mod complete;
mod cp;
mod demo;
mod dictionary;
mod game;
mod hessian;
mod output;
mod phase;
mod predict;
mod rpca;
mod train;
mod tree;

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
    /// Equilibria of two-player games: competitive gradient and mirror descent, baselines.
    Game(game::Args),
    /// Log-time multiclass trees (LOMtree): train and predict.
    Tree(tree::Args),
}

fn main() -> ExitCode {
    // `--help`, `--version` and usage errors: clap writes them (to stdout or stderr), and a
    // failed write ends like any other write to stdout.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if let Err(w) = e.print() {
                output::stdout::fail(&w);
            }
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
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
        Command::Game(a) => game::run(a),
        Command::Tree(a) => tree::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A file argument that is a pipe (`--model /dev/stdout | head`) whose reader left: as
        // for stdout itself, nothing to report.
        Err(e) if broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `e` or any error under it is a write into a pipe with no reader.
fn broken_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(e) = next {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        next = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// clap's own checks of the whole command line (names unique, every `requires`,
    /// `conflicts_with` and `mut_arg` naming a flag that exists, ...).
    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// The shared flags say in `--help` what they do wherever they appear, and every
    /// subcommand that iterates takes a time limit.
    #[test]
    fn every_stop_and_run_flag_is_documented() {
        let mut cli = Cli::command();
        cli.build();
        let mut seen = Vec::new();
        for sub in cli
            .get_subcommands()
            .flat_map(|s| std::iter::once(s).chain(s.get_subcommands()))
        {
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                if ["tol", "max_iter", "max_seconds", "seed", "threads", "quiet"].contains(&id) {
                    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                    assert!(help.len() > 10, "{} --{id}: '{help}'", sub.get_name());
                }
                if id == "max_seconds" {
                    seen.push(sub.get_name().to_string());
                }
            }
        }
        seen.sort();
        assert_eq!(
            seen,
            [
                "complete",
                "cp",
                "demo",
                "dictionary",
                "game",
                "phase",
                "rpca",
                "train"
            ]
        );
    }
}
