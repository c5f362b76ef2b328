//! `optml cp`: CP decomposition of a 3-way tensor by alternating least squares.

use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;
use optml::monitor::Both;
use optml::nonconvex::cp::{factor_match_score, planted_cp, CpAls, CpInit, CpModel, Tensor3};

use crate::args::{heading, parse_dims, RunFlags};
use crate::output::progress::Progress;
use crate::output::{write_matrix, IterLog};
use crate::CliResult;

#[derive(ClapArgs, Debug)]
#[command(after_help = "Examples:
  optml cp tensor.npy --rank 10 --out factors/
  optml cp --synthetic 30x30x30 --rank 5 --noise 0.05 --seed 1")]
pub struct Args {
    /// A 3-D .npy array (any real dtype, C order).
    #[arg(required_unless_present = "synthetic")]
    pub tensor: Option<PathBuf>,
    /// Number of components R.
    #[arg(long)]
    pub rank: usize,
    /// Decompose a planted rank-R tensor of these dims (e.g. 30x30x30) instead of a file and
    /// report how well its factors are recovered.
    #[arg(long, conflicts_with = "tensor", value_parser = parse_dims::<3>, help_heading = heading::PLANTED)]
    pub synthetic: Option<[usize; 3]>,
    /// Noise of the planted tensor, as ‖noise‖/‖tensor‖.
    #[arg(long, default_value_t = 0.0, requires = "synthetic", help_heading = heading::PLANTED)]
    pub noise: f64,
    /// Write the planted tensor and its factors (tensor.npy, truth_*.npy) to this directory.
    #[arg(long, requires = "synthetic", help_heading = heading::PLANTED)]
    pub save_instance: Option<PathBuf>,
    /// ALS sweeps per run.
    #[arg(long, default_value_t = 500, help_heading = heading::STOP)]
    pub max_iter: usize,
    /// Stop when the fit 1 − ‖X − X̂‖/‖X‖ changes by at most this in a sweep.
    #[arg(long, default_value_t = 1e-8, help_heading = heading::STOP)]
    pub tol: f64,
    /// Start from random factors instead of the HOSVD.
    #[arg(long)]
    pub random_init: bool,
    /// Further runs from random factors; the best fit is kept.
    #[arg(long, default_value_t = 0)]
    pub restarts: usize,
    /// Run ALS on the full tensor from the start, without first solving on its Tucker
    /// compression (the compressed first run applies when the core is at most 1/8 of the tensor).
    #[arg(long)]
    pub no_compress: bool,
    /// Write weights.npy (R) and factor0.npy, factor1.npy, factor2.npy (I × R, J × R, K × R)
    /// to this directory (created if needed).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunFlags,
}

pub fn run(args: Args) -> CliResult {
    args.run.threads.apply()?;
    let (x, truth) = match (&args.tensor, args.synthetic) {
        (_, Some(dims)) => {
            let (x, truth) = planted_cp(dims, args.rank, args.noise, args.run.seed.value)?;
            if let Some(dir) = &args.save_instance {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                x.write_npy(&dir.join("tensor.npy"))?;
                write_model(dir, "truth_", &truth)?;
            }
            (x, Some(truth))
        }
        (Some(path), None) => (Tensor3::read_npy(path)?, None),
        (None, None) => return Err("give a tensor file or --synthetic".into()),
    };
    let [i, j, k] = x.dims();
    if !args.run.quiet.on {
        println!("tensor {i} × {j} × {k}, rank {}", args.rank);
    }
    let als = CpAls {
        rank: args.rank,
        max_iter: args.max_iter,
        tol: args.tol,
        init: if args.random_init {
            CpInit::Random
        } else {
            CpInit::Svd
        },
        restarts: args.restarts,
        seed: args.run.seed.value,
        compress: !args.no_compress,
    };
    let mut progress = Progress::new("cp-als", args.run.quiet.on);
    let mut log = IterLog::start(args.run.quiet.on);
    let mut deadline = args.run.time.deadline();
    let mut watch = Both(&mut progress, &mut log);
    let result = als.fit(&x, &mut Both(&mut watch, &mut deadline));
    progress.finish();
    let (model, report) = result?;
    println!(
        "fit {:.10} (relative residual {:.3e}) after {} sweeps ({} in all), {}, {:.3} s",
        report.fit,
        1.0 - report.fit,
        report.iterations,
        report.total_iterations,
        if report.converged {
            "converged"
        } else {
            "not converged"
        },
        report.seconds
    );
    if let Some(truth) = &truth {
        println!(
            "factor match score against the planted factors: {:.6}",
            factor_match_score(truth, &model)?
        );
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write_model(dir, "", &model)?;
    }
    Ok(())
}

/// `{prefix}weights.npy` and `{prefix}factor{n}.npy` (row-major rows × R).
fn write_model(dir: &Path, prefix: &str, model: &CpModel) -> CliResult {
    let r = model.rank();
    optml::data::write_npy(
        &dir.join(format!("{prefix}weights.npy")),
        &[r],
        &model.weights,
    )?;
    for (n, f) in model.factors.iter().enumerate() {
        write_matrix(&dir.join(format!("{prefix}factor{n}.npy")), f)?;
    }
    Ok(())
}
