//! What a training run prints and writes: the report, the per-iteration trace (CSV) and the
//! convergence plot, the same for every model.

use std::io::Write;
use std::path::Path;

use optml::monitor::IterInfo;
use optml::solvers::Report;

use super::plot;
use crate::CliResult;

/// Where a run's trace and plot go, and whether it prints.
#[derive(Clone, Copy, Debug)]
pub struct RunOutputs<'a> {
    pub trace: Option<&'a Path>,
    pub plot: Option<&'a Path>,
    pub quiet: bool,
}

/// What every training run ends with: the trace and the plot asked for, and a warning when
/// the solver stopped short of its tolerance.
pub fn finish(
    out: &RunOutputs<'_>,
    report: &Report,
    records: Vec<IterInfo>,
    title: &str,
) -> CliResult {
    if let Some(path) = out.trace {
        write_trace(path, &records)?;
    }
    if let Some(path) = out.plot {
        plot::convergence(path, title, &[(report.solver.to_string(), records)])?;
    }
    if !report.status.converged() && !out.quiet {
        eprintln!(
            "warning: {} stopped before the tolerance was met: {}",
            report.solver, report.status
        );
    }
    Ok(())
}

/// A few aligned lines saying how the run went.
pub fn print_report(r: &Report) {
    println!("solver            {}", r.solver);
    println!("status            {}", r.status);
    println!("iterations        {}", r.iterations);
    println!(
        "passes over data  {:.0}   (gradients {}, Hessian-vector products {}, line-search trials {})",
        r.passes, r.g_evals, r.hv_products, r.f_evals
    );
    println!("objective         {:.12e}", r.f);
    println!("gradient norm     {:.3e}", r.grad_norm);
    println!("time              {:.3} s", r.seconds);
}

/// The trace as CSV, written whole or not at all.
pub fn write_trace(path: &Path, records: &[IterInfo]) -> CliResult {
    optml::write_atomic(path, |w| {
        writeln!(w, "iter,seconds,passes,f,grad_norm")?;
        for r in records {
            writeln!(
                w,
                "{},{:.6},{},{:.17e},{:.6e}",
                r.iter, r.seconds, r.passes, r.f, r.grad_norm
            )?;
        }
        Ok(())
    })?;
    Ok(())
}
