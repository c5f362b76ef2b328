//! `optml dictionary`: learn a dictionary with sparse codes (K-SVD).

use std::path::PathBuf;

use clap::Args as ClapArgs;
use faer::MatRef;
use optml::monitor::Both;
use optml::nonconvex::dictionary::{dictionary_recovery, planted_dictionary, Ksvd};

use crate::args::{heading, parse_dims, RunFlags};
use crate::output::progress::Progress;
use crate::output::{write_matrix, IterLog};
use crate::CliResult;

#[derive(ClapArgs, Debug)]
#[command(after_help = "Examples:
  optml dictionary patches.npy --atoms 128 --sparsity 5 --out dict/
  optml dictionary --synthetic 64x128 --samples 5000 --atoms 128 --sparsity 5 --seed 1")]
pub struct Args {
    /// Signals as a 2-D .npy array, one sample per row (n × d).
    #[arg(required_unless_present = "synthetic")]
    pub data: Option<PathBuf>,
    /// Number of atoms K.
    #[arg(long)]
    pub atoms: usize,
    /// Nonzeros per code.
    #[arg(long)]
    pub sparsity: usize,
    /// Learn from a planted dictionary of d × K (e.g. 64x128) instead of a file, and report the
    /// fraction of its atoms recovered (|⟨d, d̂⟩| ≥ 0.99).
    #[arg(long, conflicts_with = "data", value_parser = parse_dims::<2>, help_heading = heading::PLANTED)]
    pub synthetic: Option<[usize; 2]>,
    /// Signals of the planted instance.
    #[arg(long, default_value_t = 2000, requires = "synthetic", help_heading = heading::PLANTED)]
    pub samples: usize,
    /// Standard deviation of the Gaussian noise added to the planted signals.
    #[arg(long, default_value_t = 0.0, requires = "synthetic", help_heading = heading::PLANTED)]
    pub noise: f64,
    /// Write the planted signals (data.npy, n × d) and dictionary (truth.npy, K × d) here.
    #[arg(long, requires = "synthetic", help_heading = heading::PLANTED)]
    pub save_instance: Option<PathBuf>,
    /// Iterations (sparse coding and one sweep of atom updates each).
    #[arg(long, default_value_t = 100, help_heading = heading::STOP)]
    pub max_iter: usize,
    /// Stop when the relative residual ‖Y − DX‖_F/‖Y‖_F changes by at most this fraction of
    /// itself in an iteration, or falls below it.
    #[arg(long, default_value_t = 1e-6, help_heading = heading::STOP)]
    pub tol: f64,
    /// Power iterations per atom update (0: an exact SVD).
    #[arg(long, default_value_t = 3)]
    pub power_iters: usize,
    /// Write dictionary.npy (K × d, one atom per row) and codes.npy (n × K) to this directory
    /// (created if needed).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunFlags,
}

pub fn run(args: Args) -> CliResult {
    args.run.threads.apply()?;
    let (y, truth) = match (&args.data, args.synthetic) {
        (_, Some([d, k])) => {
            let (y, truth, _) = planted_dictionary(
                d,
                k,
                args.sparsity,
                args.samples,
                args.noise,
                args.run.seed.value,
            )?;
            if let Some(dir) = &args.save_instance {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                // Y (d × n, column-major) is data.npy (n × d, row-major) as it lies in memory.
                let (yt, dt) = (y.transpose().to_owned(), truth.transpose().to_owned());
                write_matrix(&dir.join("data.npy"), &yt)?;
                write_matrix(&dir.join("truth.npy"), &dt)?;
            }
            (y, Some(truth))
        }
        (Some(path), None) => {
            let (n, d, values) = optml::data::read_npy_matrix(path)?;
            if n == 0 || d == 0 {
                return Err(format!("{}: the array is empty ({n} × {d})", path.display()).into());
            }
            // Row-major n × d is column-major d × n: the signals are columns.
            (
                MatRef::from_column_major_slice(&values, d, n).to_owned(),
                None,
            )
        }
        (None, None) => return Err("give a data file or --synthetic".into()),
    };
    if !args.run.quiet.on {
        println!(
            "{} signals of length {}, {} atoms, {}-sparse codes",
            y.ncols(),
            y.nrows(),
            args.atoms,
            args.sparsity
        );
    }
    let ksvd = Ksvd {
        atoms: args.atoms,
        sparsity: args.sparsity,
        max_iter: args.max_iter,
        tol: args.tol,
        power_iters: args.power_iters,
        seed: args.run.seed.value,
    };
    let mut progress = Progress::new("k-svd", args.run.quiet.on);
    let mut log = IterLog::start(args.run.quiet.on);
    let mut deadline = args.run.time.deadline();
    let mut watch = Both(&mut progress, &mut log);
    let result = ksvd.fit(y.as_ref(), &mut Both(&mut watch, &mut deadline));
    progress.finish();
    let (dict, codes, report) = result?;
    println!(
        "relative residual {:.6e} after {} iterations, {}, {} atoms replaced, {:.3} s",
        report.residual,
        report.iterations,
        if report.converged {
            "converged"
        } else {
            "not converged"
        },
        report.replaced,
        report.seconds
    );
    if let Some(truth) = &truth {
        let rec = dictionary_recovery(truth.as_ref(), dict.as_ref(), 0.99)?;
        println!(
            "recovered {:.1} % of the planted atoms ({} of {})",
            100.0 * rec,
            (rec * truth.ncols() as f64).round(),
            truth.ncols()
        );
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write_matrix(&dir.join("dictionary.npy"), &dict.transpose().to_owned())?;
        write_matrix(
            &dir.join("codes.npy"),
            &codes.to_dense().transpose().to_owned(),
        )?;
    }
    Ok(())
}
