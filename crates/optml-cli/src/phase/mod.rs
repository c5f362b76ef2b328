//! `optml phase`: phase retrieval, x from y = |Ax|² (up to a global sign or phase).

mod sweep;

use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};
use faer::c64;
use optml::monitor::Both;
use optml::nonconvex::phase_retrieval::{
    distance_up_to_phase, planted, Measurements, Scalar, TruncatedWirtingerFlow, WirtingerFlow,
};

use crate::args::{heading, parse_dims, RunFlags};
use crate::output::progress::Progress;
use crate::output::IterLog;
use crate::CliResult;
use sweep::{sweep, write_plot, write_table};

/// `--help` heading of the phase-transition flags.
const SWEEP: &str = "Phase transition";

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Method {
    /// Wirtinger Flow (Candès, Li & Soltanolkotabi, 2015).
    Wf,
    /// Truncated Wirtinger Flow (Chen & Candès, 2015): fewer measurements needed.
    Twf,
}

#[derive(ClapArgs, Debug)]
#[command(
    after_help = "Input: A as a 2-D .npy array (m × n, row i is aᵢ*); for complex A, its \
real part in --matrix and its imaginary part in --matrix-imag (same shape). y as a 1-D .npy of \
m values |aᵢ*x|² (or |aᵢ*x| with --amplitudes). Output: x̂ as .npy, shape (n,) when real and \
(n, 2) = (re, im) columns when complex.

Examples:
  optml phase --matrix a.npy --y y.npy --method twf --out x.npy
  optml phase --synthetic 1024x256 --seed 1             # m = 4n: TWF recovers x
  optml phase --synthetic 2048x256 --method wf --seed 1 # WF needs m ≈ 6n or more
  optml phase --synthetic 2048x256 --complex --method twf
  optml phase --sweep 2,3,4,5,6,8 --trials 25 --table rates.md --plot rates.svg"
)]
#[command(mut_arg("max_seconds", |a| a.help(
    "Stop after this many seconds (the result so far is reported and written); with --sweep, \
     each run"
)))]
pub struct Args {
    /// The measurement matrix A (m × n), or its real part when --matrix-imag is given.
    #[arg(long, required_unless_present_any = ["synthetic", "sweep"], requires = "y")]
    pub matrix: Option<PathBuf>,
    /// The imaginary part of a complex A.
    #[arg(long, requires = "matrix")]
    pub matrix_imag: Option<PathBuf>,
    /// The measurements y (m values).
    #[arg(long, requires = "matrix")]
    pub y: Option<PathBuf>,
    /// y holds magnitudes |Ax| rather than squared magnitudes |Ax|².
    #[arg(long)]
    pub amplitudes: bool,
    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Twf)]
    pub method: Method,
    /// Write x̂ to this .npy file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Recover a planted x from m Gaussian measurements of an m × n matrix, m ≥ n (e.g.
    /// 1024x256: 1024 measurements of a signal of length 256) instead of files, and report ‖x̂ − e^{iφ}x‖/‖x‖ at the best phase φ.
    #[arg(long, conflicts_with = "matrix", value_parser = parse_dims::<2>, help_heading = heading::PLANTED)]
    pub synthetic: Option<[usize; 2]>,
    /// A complex planted instance (circularly symmetric Gaussian A and x).
    #[arg(long, requires = "synthetic", help_heading = heading::PLANTED)]
    pub complex: bool,
    /// Phase-transition experiment: for each of these ratios m/n, the success rate of WF and
    /// TWF over --trials planted real instances of length --signal-len.
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["matrix", "synthetic"], help_heading = SWEEP)]
    pub sweep: Option<Vec<f64>>,
    /// Length n of the sweep's signals.
    #[arg(long, default_value_t = 256, requires = "sweep", help_heading = SWEEP)]
    pub signal_len: usize,
    /// Planted instances per ratio.
    #[arg(long, default_value_t = 25, requires = "sweep", help_heading = SWEEP)]
    pub trials: usize,
    /// Write the sweep's markdown table here.
    #[arg(long, requires = "sweep", help_heading = SWEEP)]
    pub table: Option<PathBuf>,
    /// Write the sweep's plot here (.svg or .png).
    #[arg(long, requires = "sweep", value_parser = crate::output::plot::plot_path, help_heading = SWEEP)]
    pub plot: Option<PathBuf>,
    /// Iteration budget (of each run, with --sweep).
    #[arg(long, default_value_t = 2500, help_heading = heading::STOP)]
    pub max_iter: usize,
    /// Stop when the relative misfit ‖ |Ax̂|² − y ‖/‖y‖ falls to this (each --sweep run: to 10⁻⁸).
    #[arg(long, default_value_t = 1e-10, help_heading = heading::STOP)]
    pub tol: f64,
    #[command(flatten)]
    pub run: RunFlags,
}

pub fn run(args: Args) -> CliResult {
    args.run.threads.apply()?;
    if let Some(ratios) = &args.sweep {
        if args.signal_len == 0
            || args.trials == 0
            || ratios.iter().any(|r| !(*r >= 1.0 && *r <= 1e3))
        {
            return Err(
                "--sweep needs ratios m/n in [1, 1000], --signal-len and --trials ≥ 1".into(),
            );
        }
        let stop = args.run.time.stop(sweep::TOL, false, args.max_iter);
        let rows = sweep(
            args.signal_len,
            ratios,
            args.trials,
            stop,
            args.run.seed.value,
        )?;
        if let Some(t) = &args.table {
            write_table(t, args.signal_len, args.trials, &rows)?;
        }
        if let Some(p) = &args.plot {
            write_plot(p, args.signal_len, args.trials, &rows)?;
        }
        return Ok(());
    }
    match (&args.matrix, args.synthetic) {
        (_, Some([m, n])) => {
            if args.complex {
                let p = planted::<c64>(n, m, args.run.seed.value)?;
                solve(&args, &p.measurements, Some(&p.signal))
            } else {
                let p = planted::<f64>(n, m, args.run.seed.value)?;
                solve(&args, &p.measurements, Some(&p.signal))
            }
        }
        (Some(path), None) => {
            let (m, n, re) = optml::data::read_npy_matrix(path)?;
            let y = read_y(&args, m)?;
            match &args.matrix_imag {
                Some(ipath) => {
                    let (mi, ni, im) = optml::data::read_npy_matrix(ipath)?;
                    if (mi, ni) != (m, n) {
                        return Err(format!(
                            "{}: shape {mi} × {ni} differs from the real part's {m} × {n}",
                            ipath.display()
                        )
                        .into());
                    }
                    let a = re.iter().zip(&im).map(|(&r, &i)| c64::new(r, i)).collect();
                    solve(&args, &Measurements::<c64>::new(m, n, a, y)?, None)
                }
                None => solve(&args, &Measurements::<f64>::new(m, n, re, y)?, None),
            }
        }
        (None, None) => Err("give --matrix and --y, or --synthetic".into()),
    }
}

fn read_y(args: &Args, m: usize) -> CliResult<Vec<f64>> {
    let path = args.y.as_deref().ok_or("--y is needed with --matrix")?;
    let mut y = optml::data::read_npy_vector(path)?;
    if y.len() != m {
        return Err(format!(
            "{}: {} measurements for a matrix of {m} rows",
            path.display(),
            y.len()
        )
        .into());
    }
    if let Some(i) = y.iter().position(|v| *v < 0.0) {
        return Err(format!("{}: measurement {i} is negative ({})", path.display(), y[i]).into());
    }
    if args.amplitudes {
        y.iter_mut().for_each(|v| *v *= *v);
    }
    Ok(y)
}

fn solve<T: Scalar>(args: &Args, meas: &Measurements<T>, truth: Option<&[T]>) -> CliResult {
    let (m, n) = (meas.len(), meas.dim());
    if !args.run.quiet.on {
        println!(
            "{m} measurements of a {} signal of length {n} (m/n = {:.2}), {:?}",
            if T::WIDTH == 2 { "complex" } else { "real" },
            m as f64 / n as f64,
            args.method
        );
    }
    let stop = args.run.time.stop(args.tol, false, args.max_iter);
    let mut progress = Progress::new("phase", args.run.quiet.on);
    let mut log = IterLog::start(args.run.quiet.on);
    let mut mon = Both(&mut progress, &mut log);
    let start = std::time::Instant::now();
    let result = match args.method {
        Method::Wf => WirtingerFlow {
            stop,
            seed: args.run.seed.value,
            ..WirtingerFlow::default()
        }
        .solve(meas, &mut mon),
        Method::Twf => TruncatedWirtingerFlow {
            stop,
            seed: args.run.seed.value,
            ..TruncatedWirtingerFlow::default()
        }
        .solve(meas, &mut mon),
    };
    progress.finish();
    let (z, report) = result?;
    crate::output::summary(&report, start.elapsed().as_secs_f64());
    if let Some(x) = truth {
        let xn = x.iter().map(|v| v.abs2()).sum::<f64>().sqrt();
        println!(
            "relative recovery error ‖x̂ − e^(iφ)x‖/‖x‖: {:.3e}",
            distance_up_to_phase(&z, x) / xn
        );
    }
    if let Some(path) = &args.out {
        write_signal(path, &z)?;
    }
    Ok(())
}

/// x̂ as (n,) for real and (n, 2) for complex signals.
fn write_signal<T: Scalar>(path: &Path, z: &[T]) -> CliResult {
    let mut flat = vec![0.0; z.len() * T::WIDTH];
    for (v, out) in z.iter().zip(flat.chunks_exact_mut(T::WIDTH)) {
        v.write(out);
    }
    let shape: Vec<usize> = if T::WIDTH == 1 {
        vec![z.len()]
    } else {
        vec![z.len(), 2]
    };
    optml::data::write_npy(path, &shape, &flat)?;
    Ok(())
}
