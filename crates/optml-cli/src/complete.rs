//! `optml complete`: low-rank matrix completion from observed entries.

use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};
use optml::monitor::Both;
use optml::nonconvex::completion::{planted, AltMin, FactoredGd, Observed, SoftImpute};
use optml::nonconvex::triples::{read_pairs, read_triples, write_csv_triples};
use optml::nonconvex::{recovery_error, Factors};

use crate::args::{heading, parse_dims, RunFlags};
use crate::output::progress::Progress;
use crate::output::IterLog;
use crate::CliResult;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Method {
    /// Factored gradient descent from the spectral start.
    Gd,
    /// Alternating least squares from the spectral start.
    Altmin,
    /// The convex baseline: singular-value soft-thresholding (nuclear-norm penalty).
    Softimpute,
}

#[derive(ClapArgs, Debug)]
#[command(
    after_help = "Input: CSV lines 'row,col,value' with 0-based indices (an optional \
header line; '#' lines skipped), or a Matrix Market coordinate file (.mtx, 1-based). Every index \
is checked against the shape and every entry for finiteness and duplicates; errors name the \
file and line.

Examples:
  optml complete ratings.csv --shape 943x1682 --rank 10 --out factors/
  optml complete data.mtx --rank 5 --query pairs.csv --predictions filled.csv
  optml complete --synthetic 2000x2000 --observed 0.05 --rank 10 --method altmin --seed 1"
)]
pub struct Args {
    /// Observed entries: CSV triples (0-based) or Matrix Market (.mtx).
    #[arg(required_unless_present = "synthetic")]
    pub observed_file: Option<PathBuf>,
    /// Matrix size for CSV input (default: the largest indices + 1); for .mtx it must match the
    /// header.
    #[arg(long, value_parser = parse_dims::<2>, conflicts_with = "synthetic")]
    pub shape: Option<[usize; 2]>,
    /// Rank r of the factors (for softimpute: the largest rank kept).
    #[arg(long)]
    pub rank: usize,
    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Altmin)]
    pub method: Method,
    /// Nuclear-norm weight λ for softimpute.
    #[arg(long, default_value_t = 1.0)]
    pub lambda: f64,
    /// Complete a planted rank-r matrix of this size (e.g. 2000x2000) with standard normal
    /// factors instead of a file, and report the relative recovery error ‖X̂ − X*‖_F/‖X*‖_F.
    #[arg(long, conflicts_with = "observed_file", value_parser = parse_dims::<2>, help_heading = heading::PLANTED)]
    pub synthetic: Option<[usize; 2]>,
    /// Fraction of the planted entries observed.
    #[arg(long, default_value_t = 0.05, requires = "synthetic", help_heading = heading::PLANTED)]
    pub observed: f64,
    /// Write the planted instance (observed.csv, truth_u.npy, truth_v.npy) to this directory.
    #[arg(long, requires = "synthetic", help_heading = heading::PLANTED)]
    pub save_instance: Option<PathBuf>,
    /// Iteration budget (for altmin: sweeps over U and V) [default: 500; gd: 3000, as its
    /// steps are cheaper and it needs more of them on the harder instances].
    #[arg(long, help_heading = heading::STOP)]
    pub max_iter: Option<usize>,
    /// Stop when the residual falls to this fraction of its first value: the gradient norm of
    /// the factored loss (1/2p)‖P_Ω(UVᵀ − M)‖²_F (gd adds its balancing term), or for
    /// softimpute the change ‖X_{t+1} − X_t‖_F.
    #[arg(long, default_value_t = 1e-12, help_heading = heading::STOP)]
    pub tol: f64,
    /// Write u.npy (m × r) and v.npy (n × r), X̂ = U·Vᵀ, to this directory (created if needed).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Pairs 'row,col' (0-based CSV) whose completed values to write to --predictions.
    #[arg(long, requires = "predictions")]
    pub query: Option<PathBuf>,
    /// Where to write the completed entries of --query as 'row,col,value'.
    #[arg(long, requires = "query")]
    pub predictions: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunFlags,
}

pub fn run(args: Args) -> CliResult {
    args.run.threads.apply()?;
    let (obs, truth) = match (&args.observed_file, args.synthetic) {
        (_, Some([m, n])) => {
            let p = planted(m, n, args.rank, args.observed, args.run.seed.value)?;
            if let Some(dir) = &args.save_instance {
                save_instance(dir, &p.observed, &p.truth)?;
            }
            (p.observed, Some(p.truth))
        }
        (Some(path), None) => (read_triples(path, args.shape.map(|[m, n]| (m, n)))?, None),
        (None, None) => return Err("give a file of observed entries or --synthetic".into()),
    };
    if !args.run.quiet.on {
        println!(
            "{} × {} matrix, {} observed entries ({:.3} %), rank {}, {:?}",
            obs.nrows(),
            obs.ncols(),
            obs.len(),
            100.0 * obs.fraction(),
            args.rank,
            args.method
        );
    }
    let max_iter = args.max_iter.unwrap_or(match args.method {
        Method::Gd => 3000,
        Method::Altmin | Method::Softimpute => 500,
    });
    let stop = args.run.time.stop(args.tol, true, max_iter);
    let mut progress = Progress::new("complete", args.run.quiet.on);
    let mut log = IterLog::start(args.run.quiet.on);
    let mut mon = Both(&mut progress, &mut log);
    let start = std::time::Instant::now();
    let result = match args.method {
        Method::Gd => FactoredGd {
            rank: args.rank,
            stop,
            seed: args.run.seed.value,
            ..FactoredGd::default()
        }
        .solve(&obs, &mut mon),
        Method::Altmin => AltMin {
            rank: args.rank,
            stop,
            seed: args.run.seed.value,
            ..AltMin::default()
        }
        .solve(&obs, &mut mon),
        Method::Softimpute => SoftImpute {
            lambda: args.lambda,
            max_rank: args.rank,
            stop,
            seed: args.run.seed.value,
            ..SoftImpute::default()
        }
        .solve(&obs, &mut mon),
    };
    progress.finish();
    let (x, report) = result?;
    crate::output::summary(&report, start.elapsed().as_secs_f64());
    let mut res = vec![0.0; obs.len()];
    obs.residuals(&x, &mut res);
    let rmse = (res.iter().map(|r| r * r).sum::<f64>() / res.len() as f64).sqrt();
    println!(
        "rank {} result, RMSE on the observed entries {rmse:.3e}",
        x.rank
    );
    if let Some(truth) = &truth {
        println!(
            "relative recovery error ‖X̂ − X*‖_F/‖X*‖_F: {:.3e}",
            recovery_error(&x, truth)?
        );
    }
    if let Some(dir) = &args.out {
        write_factors(dir, "", &x)?;
    }
    if let (Some(q), Some(p)) = (&args.query, &args.predictions) {
        let pairs = read_pairs(q, (obs.nrows(), obs.ncols()))?;
        let values = x.entries(&pairs)?;
        let rows: Vec<(usize, usize, f64)> = pairs
            .iter()
            .zip(values)
            .map(|(&(i, j), v)| (i, j, v))
            .collect();
        write_csv_triples(p, &rows)?;
    }
    Ok(())
}

fn save_instance(dir: &Path, obs: &Observed, truth: &Factors) -> CliResult {
    write_factors(dir, "truth_", truth)?;
    let entries: Vec<(usize, usize, f64)> = obs.iter().collect();
    write_csv_triples(&dir.join("observed.csv"), &entries)?;
    Ok(())
}

/// `{prefix}u.npy` and `{prefix}v.npy` in `dir` (created if needed).
fn write_factors(dir: &Path, prefix: &str, x: &Factors) -> CliResult {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    optml::data::write_npy(
        &dir.join(format!("{prefix}u.npy")),
        &[x.nrows, x.rank],
        &x.u,
    )?;
    optml::data::write_npy(
        &dir.join(format!("{prefix}v.npy")),
        &[x.ncols, x.rank],
        &x.v,
    )?;
    Ok(())
}
