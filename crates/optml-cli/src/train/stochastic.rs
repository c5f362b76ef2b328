//! `optml train --arch … --epochs …`: train an MLP by mini-batches
//! ([`optml::fit::fit_mlp_stochastic`]), a progress bar per epoch, then the model, the per-epoch
//! trace and the learning curves.

use std::io::Write;
use std::path::Path;

use optml::data::Dataset;
use optml::fit::{fit_mlp_second_order, fit_mlp_stochastic};
use optml::models::mlp::MlpSpec;
use optml::solvers::second_order::{Method, SecondOrder};
use optml::solvers::stochastic::{EpochRecord, Stochastic, Training};

use crate::args::write_params;
use crate::output::learning_curves;
use crate::output::progress::EpochBar;
use crate::CliResult;

/// One stochastic MLP training run as the command line describes it.
pub struct Job<'a> {
    pub data: &'a Dataset,
    pub spec: MlpSpec,
    pub run: Stochastic,
    /// A second-order method run with `run`'s epochs and batches instead of its rule.
    pub method: Option<Method>,
    /// The solver's name as given.
    pub solver: &'a str,
    pub params_out: Option<&'a Path>,
    pub model: Option<&'a Path>,
    pub trace: Option<&'a Path>,
    pub plot: Option<&'a Path>,
    pub quiet: bool,
}

pub fn run(job: &Job<'_>) -> CliResult {
    let mut bar = EpochBar::new(job.run.epochs, job.quiet);
    let fitted = match job.method {
        Some(method) => {
            let run = SecondOrder {
                method,
                run: job.run,
            };
            fit_mlp_second_order(job.data, &job.spec, &run, &mut bar)
        }
        None => fit_mlp_stochastic(job.data, &job.spec, &job.run, &mut bar),
    };
    bar.finish();
    let (model, training) = fitted?;
    if !job.quiet {
        print_summary(job, &training);
    }
    if let Some(path) = job.params_out {
        write_params(path, &model.theta)?;
    }
    if let Some(path) = job.model {
        model.save(path)?;
    }
    if let Some(path) = job.trace {
        write_epochs(path, &training.records)?;
    }
    if let Some(path) = job.plot {
        let title = format!(
            "MLP {} {} by {} on {}",
            model.arch(),
            model.activation,
            job.solver,
            job.data.name()
        );
        learning_curves(path, &title, &training.records)?;
    }
    Ok(())
}

fn print_summary(job: &Job<'_>, t: &Training) {
    let last = t.records.last().expect("the start is recorded");
    let kind = if job.method.is_some() {
        "second order, mini-batches"
    } else {
        "stochastic"
    };
    println!("solver            {} ({kind})", job.solver);
    println!(
        "epochs            {}{}",
        last.epoch,
        if t.stopped_early {
            format!(" (stopped early; the model is epoch {})", t.best_epoch)
        } else {
            String::new()
        }
    );
    println!("steps             {}", t.steps);
    if t.drops > 0 {
        println!("step-size drops   {}", t.drops);
    }
    println!("final step size   {:.4e}", last.lr);
    println!("training loss     {:.10e}", last.train_loss);
    if let Some(a) = last.train_accuracy {
        println!("training accuracy {a:.4}");
    }
    if let Some(v) = last.val_loss {
        println!("validation loss   {v:.10e}");
    }
    if let Some(a) = last.val_accuracy {
        println!("validation acc.   {a:.4}");
    }
    println!(
        "time              {:.3} s ({:.4} s per epoch)",
        last.seconds,
        last.seconds / last.epoch.max(1) as f64
    );
}

/// One row per epoch (epoch 0: the start), written whole or not at all.
pub fn write_epochs(path: &Path, records: &[EpochRecord]) -> CliResult {
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.10e}"));
    optml::write_atomic(path, |w| {
        writeln!(
            w,
            "epoch,seconds,passes,lr,train_loss,grad_norm,train_accuracy,val_loss,val_accuracy"
        )?;
        for r in records {
            writeln!(
                w,
                "{},{:.6},{:.4},{:.6e},{:.17e},{:.6e},{},{},{}",
                r.epoch,
                r.seconds,
                r.passes,
                r.lr,
                r.train_loss,
                r.grad_norm,
                opt(r.train_accuracy),
                opt(r.val_loss),
                opt(r.val_accuracy)
            )?;
        }
        Ok(())
    })?;
    Ok(())
}
