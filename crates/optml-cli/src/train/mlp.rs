//! `optml train --arch …`: fit an MLP classifier from a seeded initialization
//! ([`optml::fit::fit_mlp`] picks the solver and its curvature), print how it went, and write the
//! model, its parameters, the trace and the plot asked for.

use std::path::Path;

use optml::data::Dataset;
use optml::fit::{fit_mlp, Choice};
use optml::models::mlp::MlpSpec;
use optml::monitor::{Both, Trace};
use optml::solvers::Stop;

use crate::args::write_params;
use crate::output::progress::Progress;
use crate::output::{finish, print_report, RunOutputs};
use crate::CliResult;

/// One MLP training run as the command line describes it.
pub struct Job<'a> {
    pub data: &'a Dataset,
    pub spec: MlpSpec,
    pub solver: Choice,
    pub stop: Stop,
    /// Where to write θ as a .npy vector.
    pub params_out: Option<&'a Path>,
    /// Where to write the model file.
    pub model: Option<&'a Path>,
    pub outputs: RunOutputs<'a>,
}

pub fn run(job: &Job<'_>) -> CliResult {
    let quiet = job.outputs.quiet;
    let mut trace = Trace::default();
    let mut progress = Progress::new("training", quiet);
    let mut monitor = Both(&mut trace, &mut progress);
    let fitted = fit_mlp(job.data, &job.spec, job.solver, job.stop, &mut monitor);
    progress.finish();
    let (model, report) = fitted?;
    if !quiet {
        print_report(&report);
        println!("parameters        {}", model.dim());
        let m = model.evaluate(job.data)?;
        if let Some(a) = m.accuracy {
            println!("training accuracy {a:.4}");
        }
    }
    if let Some(path) = job.params_out {
        write_params(path, &model.theta)?;
    }
    if let Some(path) = job.model {
        model.save(path)?;
    }
    let title = format!(
        "MLP {} {} on {}",
        model.arch(),
        model.activation,
        job.data.name()
    );
    finish(&job.outputs, &report, trace.records, &title)
}
