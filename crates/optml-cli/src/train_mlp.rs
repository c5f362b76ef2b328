//! `optml train --arch …`: fit an MLP classifier from a seeded initialization and write its
//! parameters. Newton-CG (and dense Newton) run on the generalized Gauss-Newton matrix
//! (Schraudolph 2002), which is positive semi-definite; the other solvers on the exact Hessian.

use optml::fit::Choice;
use optml::models::mlp::{Mlp, WithGaussNewton};
use optml::monitor::{Both, Trace};
use optml::solvers::Method;
use optml::Objective;

use crate::progress::Progress;
use crate::train::{finish, print_report, Args};
use crate::{mlp_args, CliResult};

pub fn run(args: &Args, mlp: Mlp) -> CliResult {
    let stop = args.stop()?;
    let method = match args.solver {
        Choice::Auto => Method::Lbfgs,
        Choice::Use(m) if Method::FINITE_SUM.contains(&m) => {
            return Err(format!("{} is for GLMs only", m.name()).into())
        }
        Choice::Use(m) => m,
        Choice::Composite(_) => {
            return Err(
                "the proximal solvers need --l1, which applies to linear models only".into(),
            )
        }
    };
    let mut theta = mlp.init(args.seed);
    let mut trace = Trace::default();
    let mut progress = Progress::new("training", args.quiet);
    let mut monitor = Both(&mut trace, &mut progress);
    let report = match method {
        Method::NewtonCg | Method::Newton => {
            method.minimize(stop, &WithGaussNewton(&mlp), &mut theta, &mut monitor)
        }
        _ => method.minimize(stop, &mlp, &mut theta, &mut monitor),
    };
    progress.finish();
    let report = report?;
    if !report.f.is_finite() || theta.iter().any(|v| !v.is_finite()) {
        return Err(format!("{} ended on a non-finite value", report.solver).into());
    }
    if !args.quiet {
        print_report(&report);
        println!("parameters        {}", mlp.dim());
    }
    if let Some(path) = &args.params_out {
        mlp_args::write_params(path, &theta)?;
    }
    let title = format!(
        "MLP {} {} on {}",
        args.mlp.arch.as_deref().unwrap_or(""),
        mlp.activation(),
        args.data.data.display()
    );
    finish(args, &report, trace.records, &title)
}
