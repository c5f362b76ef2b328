//! `optml rpca`: split a matrix into low-rank plus sparse parts (robust PCA).

use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};
use faer::{Mat, MatRef};
use optml::monitor::Both;
use optml::nonconvex::robust_pca::{planted, AltProj, Pcp, RpcaGd};

use crate::args::{heading, parse_dims, RunFlags};
use crate::output::progress::Progress;
use crate::output::{write_matrix, IterLog};
use crate::CliResult;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Method {
    /// Factored gradient descent with the row/column sparsifier (needs --rank and --alpha).
    Gd,
    /// Alternating projections, known rank.
    Altproj,
    /// Principal component pursuit (convex), inexact augmented Lagrangian; no rank needed.
    Pcp,
}

#[derive(ClapArgs, Debug)]
#[command(
    after_help = "Input: a 2-D .npy array, or a CSV file of numbers (one matrix row per \
line, no header).

Examples:
  optml rpca video.npy --rank 2 --method altproj --out parts/
  optml rpca --synthetic 1000x1000 --corruption 0.1 --rank 10 --method gd --seed 1"
)]
pub struct Args {
    /// The observed matrix M (.npy or CSV).
    #[arg(required_unless_present = "synthetic")]
    pub matrix: Option<PathBuf>,
    /// Rank of L (needed by gd and altproj; for pcp only the planted rank of --synthetic).
    #[arg(long)]
    pub rank: Option<usize>,
    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Altproj)]
    pub method: Method,
    /// Largest fraction of corrupted entries per row and column (gd).
    #[arg(long, default_value_t = 0.2)]
    pub alpha: f64,
    /// Threshold factor β of altproj (default 2r/√(mn)); raise it when L̂ keeps corruptions,
    /// lower it when Ŝ takes clean entries.
    #[arg(long)]
    pub beta: Option<f64>,
    /// Weight λ of ‖S‖₁ (pcp; default 1/√max(m, n)).
    #[arg(long)]
    pub lambda: Option<f64>,
    /// Decompose a planted rank-r matrix of this size (e.g. 1000x1000) plus sparse corruptions
    /// instead of a file, and report ‖L̂ − L*‖_F/‖L*‖_F.
    #[arg(long, conflicts_with = "matrix", value_parser = parse_dims::<2>, help_heading = heading::PLANTED)]
    pub synthetic: Option<[usize; 2]>,
    /// Fraction of the planted entries corrupted (by ±[1, 10]·√r).
    #[arg(long, default_value_t = 0.1, requires = "synthetic", help_heading = heading::PLANTED)]
    pub corruption: f64,
    /// Write the planted M, L* and S* (m.npy, truth_l.npy, truth_s.npy) to this directory.
    #[arg(long, requires = "synthetic", help_heading = heading::PLANTED)]
    pub save_instance: Option<PathBuf>,
    /// Iteration budget.
    #[arg(long, default_value_t = 500, help_heading = heading::STOP)]
    pub max_iter: usize,
    /// Stop when the residual falls to this fraction of its first value: ‖M − L − S‖_F (altproj,
    /// pcp; its first value is ‖M‖_F) or the gradient norm of the factored loss (gd).
    #[arg(long, default_value_t = 1e-10, help_heading = heading::STOP)]
    pub tol: f64,
    /// Write l.npy and s.npy (both m × n) to this directory (created if needed).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunFlags,
}

pub fn run(args: Args) -> CliResult {
    args.run.threads.apply()?;
    let rank = match (args.method, args.rank) {
        (Method::Pcp, r) => r.unwrap_or(1),
        (_, Some(r)) => r,
        (_, None) => return Err("--rank is needed for --method gd and altproj".into()),
    };
    let (m, truth) = match (&args.matrix, args.synthetic) {
        (_, Some([r, c])) => {
            let p = planted(r, c, rank, args.corruption, args.run.seed.value)?;
            let l = p.low_rank.to_dense();
            if let Some(dir) = &args.save_instance {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                write_matrix(&dir.join("m.npy"), &p.observed)?;
                write_matrix(&dir.join("truth_l.npy"), &l)?;
                write_matrix(&dir.join("truth_s.npy"), &p.sparse)?;
            }
            (p.observed, Some(l))
        }
        (Some(path), None) => (read_matrix(path)?, None),
        (None, None) => return Err("give a matrix file or --synthetic".into()),
    };
    if !args.run.quiet.on {
        println!(
            "{} × {} matrix, {:?}{}",
            m.nrows(),
            m.ncols(),
            args.method,
            match args.method {
                Method::Pcp => String::new(),
                _ => format!(", rank {rank}"),
            }
        );
    }
    let stop = args.run.time.stop(args.tol, true, args.max_iter);
    let mut progress = Progress::new("rpca", args.run.quiet.on);
    let mut log = IterLog::start(args.run.quiet.on);
    let mut mon = Both(&mut progress, &mut log);
    let start = std::time::Instant::now();
    let result = match args.method {
        Method::Gd => RpcaGd {
            rank,
            alpha: args.alpha,
            stop,
            seed: args.run.seed.value,
            ..RpcaGd::default()
        }
        .solve(m.as_ref(), &mut mon)
        .map(|(x, s, r)| (x.to_dense(), s, r)),
        Method::Altproj => AltProj {
            rank,
            beta: args.beta,
            stop,
            seed: args.run.seed.value,
        }
        .solve(m.as_ref(), &mut mon)
        .map(|(d, r)| (d.low_rank, d.sparse, r)),
        Method::Pcp => Pcp {
            lambda: args.lambda,
            stop,
            ..Pcp::default()
        }
        .solve(m.as_ref(), &mut mon)
        .map(|(d, _, r)| (d.low_rank, d.sparse, r)),
    };
    progress.finish();
    let (l, s, report) = result?;
    crate::output::summary(&report, start.elapsed().as_secs_f64());
    let nnz = (0..s.ncols())
        .map(|j| s.col(j).iter().filter(|v| **v != 0.0).count())
        .sum::<usize>();
    println!(
        "S has {nnz} nonzeros ({:.3} %)",
        100.0 * nnz as f64 / (s.nrows() * s.ncols()) as f64
    );
    if let Some(l_true) = &truth {
        println!(
            "relative recovery error ‖L̂ − L*‖_F/‖L*‖_F: {:.3e}",
            (&l - l_true).norm_l2() / l_true.norm_l2()
        );
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write_matrix(&dir.join("l.npy"), &l)?;
        write_matrix(&dir.join("s.npy"), &s)?;
    }
    Ok(())
}

/// A dense matrix from .npy (by extension) or CSV.
fn read_matrix(path: &Path) -> CliResult<Mat<f64>> {
    let (r, c, values) = optml::data::read_matrix(path)?;
    Ok(MatRef::from_row_major_slice(&values, r, c).to_owned())
}
