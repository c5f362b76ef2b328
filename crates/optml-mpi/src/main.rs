//! `optml-mpi train`: a GLM fitted on data split across MPI ranks, each reading only its rows.
//! Rank 0 prints the progress and writes the model (the format of `optml train`, atomically)
//! and the trace.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use optml::data::{Format, LabelColumn};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::IterInfo;
use optml::solvers::Stop;
use optml_mpi::{agree, fit, read_shard, Comm, Error, Result, ShardOptions, Solver};

#[derive(Parser, Debug)]
#[command(
    name = "optml-mpi",
    version,
    about = "Data-parallel Newton-type training over MPI (run it under mpirun)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Fit a GLM on a LIBSVM or .npy file split by rows across the ranks.
    #[command(after_help = "Examples:
  mpirun -np 4 optml-mpi train data.svm --loss logistic -C 1 --solver dino --model m.json
  mpirun -np 4 optml-mpi train X.npy --labels y.npy --loss softmax --solver giant --tol 1e-8
  mpirun --hostfile hosts -np 8 --map-by socket optml-mpi train big.svm --threads 4")]
    Train(TrainArgs),
}

#[derive(Args, Debug)]
struct TrainArgs {
    /// Data: LIBSVM text (each rank reads a byte range) or a 2-D .npy array (each rank reads
    /// its rows).
    data: PathBuf,
    /// .npy: a separate .npy of labels (else a column of the array, --label-column).
    #[arg(long)]
    labels: Option<PathBuf>,
    /// .npy without --labels: the label column, first, last or a 0-based index.
    #[arg(long, default_value = "last")]
    label_column: String,
    /// Loss: logistic, softmax, squared-hinge, least-squares.
    #[arg(long, default_value = "logistic")]
    loss: Loss,
    /// Inverse regularization: f(w) = Σ loss + ‖w‖²/(2C). Default 1.
    #[arg(short = 'C', long = "C", conflicts_with = "lambda")]
    c: Option<f64>,
    /// Regularization strength λ = 1/C.
    #[arg(long)]
    lambda: Option<f64>,
    /// Fit an unpenalized intercept.
    #[arg(long)]
    intercept: bool,
    /// Solver: dino, giant, disco (communication-efficient), or newton-cg, trust-region,
    /// lbfgs (the library's, on the all-reduced objective).
    #[arg(long, default_value = "newton-cg")]
    solver: String,
    /// Stop when ‖∇f(w)‖ ≤ tol·‖∇f(w₀)‖ (or ≤ tol with --abs-tol).
    #[arg(long, default_value_t = 1e-6)]
    tol: f64,
    /// Make --tol absolute.
    #[arg(long)]
    abs_tol: bool,
    /// Iteration budget.
    #[arg(long, default_value_t = 1000)]
    max_iter: usize,
    /// Write the trained model (JSON, as `optml train` writes it) here.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Write the per-iteration trace (CSV: iter,seconds,passes,f,grad_norm,rounds,bytes).
    #[arg(long)]
    trace: Option<PathBuf>,
    /// Threads per rank (rayon); default one per core.
    #[arg(long)]
    threads: Option<usize>,
    /// Print only the summary.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(universe) = mpi::initialize() else {
        eprintln!("error: MPI could not be initialized");
        return ExitCode::FAILURE;
    };
    let comm = Comm::mpi(&universe);
    let Command::Train(args) = cli.command;
    let code = match train(&args, &comm) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if comm.rank() == 0 {
                eprintln!("error: {e}");
            }
            ExitCode::FAILURE
        }
    };
    drop(universe);
    code
}

fn train(args: &TrainArgs, comm: &Comm) -> Result<()> {
    // Flags are the same on every rank: checking them needs no round.
    let solver: Solver = args.solver.parse()?;
    let ridge = Ridge::choose(args.c, args.lambda, false)?;
    let stop = Stop {
        tol: args.tol,
        relative: !args.abs_tol,
        max_iter: args.max_iter,
        max_seconds: f64::INFINITY,
    };
    stop.validate().map_err(|e| Error(format!("--tol: {e}")))?;
    if let Some(t) = args.threads {
        optml::set_threads(t)?;
    }
    let label = match args.label_column.as_str() {
        "first" => LabelColumn::First,
        "last" => LabelColumn::Last,
        s => LabelColumn::Index(s.parse().map_err(|_| {
            Error(format!(
                "--label-column {s}: give first, last or a 0-based index"
            ))
        })?),
    };
    let opts = ShardOptions {
        format: None,
        labels: args.labels.clone(),
        label,
    };
    let lead = comm.rank() == 0;
    let shard = read_shard(comm, &args.data, args.loss, &opts)?;
    if lead && !args.quiet {
        eprintln!(
            "{}: {} samples × {} features on {} ranks ({} format)",
            args.data.display(),
            shard.n_total,
            shard.data.n_features(),
            comm.size(),
            match Format::from_path(&args.data) {
                Format::Npy => ".npy",
                _ => "LIBSVM",
            }
        );
    }
    let spec = GlmSpec {
        loss: args.loss,
        ridge,
        intercept: args.intercept,
        ..Default::default()
    };
    let mut trace: Vec<(IterInfo, u64, u64)> = Vec::new();
    let quiet = args.quiet;
    let mut monitor = |info: &IterInfo| {
        if lead {
            let t = comm.traffic();
            if !quiet {
                eprintln!(
                    "iter {:>4}  f {:.12e}  |g| {:.3e}  rounds {:>5}  {:.1} s",
                    info.iter, info.f, info.grad_norm, t.rounds, info.seconds
                );
            }
            trace.push((*info, t.rounds, t.bytes));
        }
        true
    };
    let fitted = fit(&shard, &spec, solver, stop, comm, &mut monitor)?;
    let r = &fitted.report;
    // Rank 0 writes; every rank learns whether it could (one round).
    let written = if lead {
        write_outputs(args, &fitted.model, &trace)
    } else {
        Ok(())
    };
    agree(comm, written.map(|_| Vec::new()), 0)?;
    if lead {
        println!(
            "{}: {} after {} iterations on {} ranks: f = {:.15e}, |g| = {:.3e}, {} rounds, {} bytes per rank, {:.3} s",
            solver.name(),
            r.status,
            r.iterations,
            comm.size(),
            r.f,
            r.grad_norm,
            fitted.traffic.rounds,
            fitted.traffic.bytes,
            r.seconds
        );
    }
    Ok(())
}

/// The model and the trace, on rank 0.
fn write_outputs(
    args: &TrainArgs,
    model: &optml::models::glm::GlmModel,
    trace: &[(IterInfo, u64, u64)],
) -> Result<()> {
    if let Some(path) = &args.model {
        model.save(path)?;
    }
    if let Some(path) = &args.trace {
        optml::write_atomic(path, |w| {
            writeln!(w, "iter,seconds,passes,f,grad_norm,rounds,bytes")?;
            for (i, rounds, bytes) in trace {
                writeln!(
                    w,
                    "{},{},{},{:e},{:e},{rounds},{bytes}",
                    i.iter, i.seconds, i.passes, i.f, i.grad_norm
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}
