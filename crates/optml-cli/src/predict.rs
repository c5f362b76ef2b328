//! `optml predict`: labels (and probabilities) for a data set, with accuracy or error.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;
use optml::models::glm::Metrics;
use optml::models::mlp::MlpModel;

use crate::args::{heading, load_model, DataArgs, ModelFile, Quiet};
use crate::CliResult;

#[derive(ClapArgs, Debug)]
#[command(after_help = "Example:
  optml predict m.json test.svm --out preds.txt")]
pub struct Args {
    /// A model written by `optml train --model` (a GLM's or an MLP's).
    pub model: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
    /// Write one prediction per line here.
    #[arg(long, help_heading = heading::OUTPUT)]
    pub out: Option<PathBuf>,
    /// Also write the class probabilities (logistic, softmax and MLP classifiers),
    /// space-separated.
    #[arg(long, help_heading = heading::OUTPUT)]
    pub proba: bool,
    #[command(flatten)]
    pub quiet: Quiet,
}

pub fn run(args: Args) -> CliResult {
    let model = match load_model(&args.model)? {
        ModelFile::Glm(m) => m,
        ModelFile::Mlp(m) => return run_mlp(&args, &m),
    };
    let mut data = args.data.load_for_model(args.quiet.on, model.n_features)?;
    model.conform(&mut data).map_err(|e| {
        format!(
            "{e} (model {} expects {} features)",
            args.model.display(),
            model.n_features
        )
    })?;
    let pred = model.predict(&data.x)?;
    let proba = if args.proba {
        model.predict_proba(&data.x)?
    } else {
        None
    };
    if let Some(path) = &args.out {
        write_predictions(path, &pred, 1, proba.as_deref())?;
    }
    if !args.quiet.on {
        print_metrics(&model.evaluate(&data)?);
    }
    Ok(())
}

/// An MLP model: its class ids (or outputs) and softmax probabilities.
fn run_mlp(args: &Args, model: &MlpModel) -> CliResult {
    let data = args.data.load(args.quiet.on)?;
    let name = |e: optml::Error| format!("{e} (model {})", args.model.display());
    let pred = model.predict(&data.x).map_err(name)?;
    let proba = if args.proba {
        model.predict_proba(&data.x)?
    } else {
        None
    };
    if let Some(path) = &args.out {
        let per_row = pred.len() / data.n_samples().max(1);
        write_predictions(path, &pred, per_row.max(1), proba.as_deref())?;
    }
    if !args.quiet.on {
        print_metrics(&model.evaluate(&data)?);
    }
    Ok(())
}

/// One line per sample: its prediction (`per_row` values), then its class probabilities.
fn write_predictions(
    path: &Path,
    pred: &[f64],
    per_row: usize,
    proba: Option<&[f64]>,
) -> CliResult {
    let rows = pred.len() / per_row;
    let k = proba.map_or(0, |p| p.len() / rows.max(1));
    optml::write_atomic(path, |w| {
        for (i, p) in pred.chunks_exact(per_row).enumerate() {
            for (j, v) in p.iter().enumerate() {
                write!(w, "{}{v}", if j > 0 { " " } else { "" })?;
            }
            if let Some(pr) = proba {
                for v in &pr[i * k..(i + 1) * k] {
                    write!(w, " {v:.6}")?;
                }
            }
            writeln!(w)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn print_metrics(m: &Metrics) {
    println!("samples   {}", m.n_samples);
    if let Some(a) = m.accuracy {
        println!("accuracy  {a:.4}");
    }
    if let Some(l) = m.log_loss {
        println!("log-loss  {l:.6}");
    }
    if let Some(e) = m.mse {
        println!("mse       {e:.6e}");
    }
}
