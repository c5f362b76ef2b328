//! `optml predict`: labels (and probabilities) for a data set, with accuracy or error.

use std::io::Write;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use optml::models::glm::GlmModel;

use crate::data_args::DataArgs;
use crate::CliResult;

#[derive(ClapArgs, Debug)]
#[command(after_help = "Example:
  optml predict m.json test.svm --out preds.txt")]
pub struct Args {
    /// A model written by `optml train --model`.
    pub model: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
    /// Write one prediction per line here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the class probabilities (logistic and softmax), space-separated.
    #[arg(long)]
    pub proba: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> CliResult {
    let model = GlmModel::load(&args.model)?;
    let mut data = args.data.load(args.quiet)?;
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
        let k = proba.as_ref().map_or(0, |p| p.len() / pred.len().max(1));
        optml::write_atomic(path, |w| {
            for (i, p) in pred.iter().enumerate() {
                write!(w, "{p}")?;
                if let Some(pr) = &proba {
                    for v in &pr[i * k..(i + 1) * k] {
                        write!(w, " {v:.6}")?;
                    }
                }
                writeln!(w)?;
            }
            Ok(())
        })?;
    }
    if !args.quiet {
        let m = model.evaluate(&data)?;
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
    Ok(())
}
