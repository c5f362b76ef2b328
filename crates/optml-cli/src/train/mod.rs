//! `optml train`: fit a GLM (or an MLP, in [`mlp`]), save the model, write the trace and a
//! convergence plot.

mod mlp;
mod stochastic;

use std::path::PathBuf;

use clap::Args as ClapArgs;
use optml::fit::{fit_glm, Choice};
use optml::models::glm::{GlmSpec, Loss, Ridge};
use optml::monitor::{Both, Trace};
use optml::solvers::second_order::{Method as SecondOrderMethod, SecondOrder};
use optml::solvers::stochastic::{Clip, Rule, Schedule, Stochastic};

use crate::args::{heading, DataArgs, GradientStop, MlpArgs, PenaltyArgs, Quiet, Seed, Threads};
use crate::output::progress::Progress;
use crate::output::{finish, print_report, RunOutputs};
use crate::CliResult;
use mlp::Job;

#[derive(ClapArgs, Debug)]
#[command(after_help = "Examples:
  optml train data.svm --loss logistic -C 1 --model m.json
  optml train data.svm -C 10 --solver newton-cg --tol 1e-10 --trace t.csv --plot conv.svg
  optml train X.npy --labels y.npy --loss softmax --lambda 0.01 --intercept
  optml train data.csv --label-column first --loss least-squares
  optml train data.svm --l1 0.5 --intercept --solver prox-newton --tol 1e-8
  optml train data.svm --l1 1 --elastic-net 0.5
  optml train data.svm --l1 2 --groups groups.txt   (one group label per feature and line)
  optml train X.npy --labels y.npy --arch 64-32-10 --act tanh --solver newton-cg --params-out p.npy
  optml train X.npy --labels y.npy --arch 784-256-10 --act relu --solver adam --epochs 30 \
      --batch-size 64 --lr 1e-3 --validation 0.1 --model mlp.json --trace t.csv --plot curves.svg
  optml train X.npy --labels y.npy --arch 64-128-10 --solver salsa --schedule salsa --epochs 40
  optml train X.npy --labels y.npy --arch 64-128-10 --solver kfac --epochs 10 --batch-size 128")]
#[command(mut_arg("seed", |a| a
    .help("MLP: seed of the initial parameters (uniform in ±1/√fan_in)")
    .requires("arch")
    .help_heading(heading::MLP)))]
pub struct Args {
    /// Loss: logistic, softmax, squared-hinge, least-squares, hinge (--solver dcd only; an MLP,
    /// --arch, uses softmax cross-entropy).
    #[arg(long, default_value = "logistic", conflicts_with = "arch")]
    pub loss: Loss,
    /// Inverse regularization: f(w) = Σ loss + ‖w‖²/(2C). Default 1; with --l1, no ridge unless
    /// -C or --lambda is given.
    #[arg(short = 'C', long = "C", conflicts_with_all = ["lambda", "arch"])]
    pub c: Option<f64>,
    /// Regularization strength λ = 1/C: f(w) = Σ loss + λ‖w‖²/2.
    #[arg(long, conflicts_with = "arch")]
    pub lambda: Option<f64>,
    /// Fit an unpenalized intercept (an MLP always has biases).
    #[arg(long, conflicts_with = "arch")]
    pub intercept: bool,
    /// Solver: auto, newton-cg, trust-region, newton, lbfgs, newton-path, rbfgs,
    /// subsampled-newton, bound (softmax), dcd (dual coordinate descent: binary, no
    /// intercept), ... (any name of `optml::solvers::Method`); with --l1:
    /// prox-newton, fista, prox-grad. With --arch, by mini-batches: sgd, momentum, nesterov,
    /// qhm, adagrad, rmsprop, adam, adamw, novograd, nsgd, clipped, eg, salsa (--epochs picks
    /// the stochastic one where a name is both); second order by mini-batches: kfac, shampoo,
    /// hf (Hessian-free).
    #[arg(long, default_value = "auto")]
    pub solver: String,
    #[command(flatten)]
    pub sgd: Box<StochasticArgs>,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub mlp: MlpArgs,
    #[command(flatten)]
    pub penalty: PenaltyArgs,
    #[command(flatten)]
    pub stop: GradientStop,
    /// Write the trained model (JSON, a GLM's or with --arch an MLP's) here.
    #[arg(long, help_heading = heading::OUTPUT)]
    pub model: Option<PathBuf>,
    /// MLP: also write the trained parameters here (.npy vector, per layer W then b).
    #[arg(long, requires = "arch", help_heading = heading::OUTPUT)]
    pub params_out: Option<PathBuf>,
    /// Write the per-iteration trace (CSV: iter,seconds,passes,f,grad_norm) here.
    #[arg(long, help_heading = heading::OUTPUT)]
    pub trace: Option<PathBuf>,
    /// Draw ‖∇f‖ and f − f_best against time (.svg or .png).
    #[arg(long, value_parser = crate::output::plot::plot_path, help_heading = heading::OUTPUT)]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub seed: Seed,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub quiet: Quiet,
}

/// The flags of training by mini-batches.
#[derive(ClapArgs, Debug)]
#[command(next_help_heading = "Stochastic (MLP)")]
pub struct StochasticArgs {
    /// Passes over the training data (default 30 with a stochastic --solver).
    #[arg(long, requires = "arch")]
    pub epochs: Option<usize>,
    /// Samples per mini-batch.
    #[arg(long, default_value_t = 64, requires = "arch")]
    pub batch_size: usize,
    /// Base step size (default 1e-3 for adam, adamw, adagrad and rmsprop, 0.1 otherwise).
    #[arg(long, requires = "arch")]
    pub lr: Option<f64>,
    /// Step-size schedule: constant, step (×0.1 every third of the epochs), cosine,
    /// inverse-time, salsa (default: salsa for --solver salsa, else constant).
    #[arg(long, requires = "arch")]
    pub schedule: Option<String>,
    /// Clip each gradient to this global norm.
    #[arg(long, requires = "arch", conflicts_with = "clip_value")]
    pub clip: Option<f64>,
    /// Clip each gradient coordinate to [−c, c].
    #[arg(long, requires = "arch")]
    pub clip_value: Option<f64>,
    /// Decoupled weight decay λ: x ← x − η·λ·x each step (default 1e-2 for adamw, else 0).
    #[arg(long, requires = "arch")]
    pub weight_decay: Option<f64>,
    /// Fraction of the samples held out for validation (loss and accuracy per epoch).
    #[arg(long, default_value_t = 0.0, requires = "arch")]
    pub validation: f64,
    /// With --validation: stop after this many epochs without a lower validation loss and keep
    /// the best epoch's network.
    #[arg(long, requires = "validation")]
    pub patience: Option<usize>,
}

impl StochasticArgs {
    /// The run the flags describe for `solver`, or `None` when training is full-batch.
    fn run(&self, solver: &str, seed: u64) -> CliResult<Option<Stochastic>> {
        let is_method = solver.parse::<Choice>().is_ok();
        let rule = match Rule::parse(solver) {
            Ok(rule) if self.epochs.is_some() || !is_method => rule,
            _ => {
                if self.epochs.is_some() {
                    return Err(format!(
                        "--epochs trains by mini-batches: give --solver one of {}",
                        Rule::NAMES.join(", ")
                    )
                    .into());
                }
                return Ok(None);
            }
        };
        let epochs = self.epochs.unwrap_or(30);
        let adaptive = matches!(
            rule,
            Rule::Adam { .. } | Rule::AdaGrad { .. } | Rule::RmsProp { .. }
        );
        let schedule = match (&self.schedule, solver) {
            (Some(s), _) => Schedule::parse(s, epochs)?,
            (None, "salsa") => Schedule::Salsa,
            (None, _) => Schedule::Constant,
        };
        let clip = match (self.clip, self.clip_value) {
            (Some(c), _) => Clip::Norm(c),
            (_, Some(c)) => Clip::Value(c),
            _ => Clip::None,
        };
        Ok(Some(Stochastic {
            rule,
            lr: self.lr.unwrap_or(if adaptive { 1e-3 } else { 0.1 }),
            schedule,
            epochs,
            batch_size: self.batch_size,
            clip,
            weight_decay: self
                .weight_decay
                .unwrap_or(if solver == "adamw" { 1e-2 } else { 0.0 }),
            validation: self.validation,
            patience: self.patience,
            seed,
        }))
    }
}

impl StochasticArgs {
    /// The second-order run the flags describe: the epochs, batches, schedule, decay and split
    /// of a stochastic run (default step size 1 for Hessian-free, whose steps are Newton steps
    /// under a line search; 0.1 for K-FAC and Shampoo). Clipping does not apply.
    fn second_order(&self, method: SecondOrderMethod, seed: u64) -> CliResult<SecondOrder> {
        if self.clip.is_some() || self.clip_value.is_some() {
            return Err(format!("--clip does not apply to --solver {}", method.name()).into());
        }
        let mut run = self.run("sgd", seed)?.expect("sgd is a stochastic rule");
        if run.schedule == Schedule::Salsa {
            return Err("--schedule salsa is for the first-order rules".into());
        }
        run.lr = self.lr.unwrap_or(match method {
            SecondOrderMethod::HessianFree(_) => 1.0,
            _ => 0.1,
        });
        Ok(SecondOrder { method, run })
    }
}

impl Args {
    fn outputs(&self) -> RunOutputs<'_> {
        RunOutputs {
            trace: self.trace.as_deref(),
            plot: self.plot.as_deref(),
            quiet: self.quiet.on,
        }
    }
}

pub fn run(args: Args) -> CliResult {
    args.threads.apply()?;
    if args.mlp.arch.is_some() {
        if args.penalty.l1.is_some() {
            return Err("--l1 applies to linear models; an MLP (--arch) takes --l2".into());
        }
        if let Some(spec) = args.mlp.spec(args.seed.value)? {
            if let Ok(method) = SecondOrderMethod::parse(&args.solver) {
                let data = args.data.load(args.quiet.on)?;
                let run = args.sgd.second_order(method, args.seed.value)?;
                return stochastic::run(&stochastic::Job {
                    data: &data,
                    spec,
                    run: run.run,
                    method: Some(run.method),
                    solver: &args.solver,
                    params_out: args.params_out.as_deref(),
                    model: args.model.as_deref(),
                    trace: args.trace.as_deref(),
                    plot: args.plot.as_deref(),
                    quiet: args.quiet.on,
                });
            }
            if let Some(run) = args.sgd.run(&args.solver, args.seed.value)? {
                let data = args.data.load(args.quiet.on)?;
                return stochastic::run(&stochastic::Job {
                    data: &data,
                    spec,
                    run,
                    method: None,
                    solver: &args.solver,
                    params_out: args.params_out.as_deref(),
                    model: args.model.as_deref(),
                    trace: args.trace.as_deref(),
                    plot: args.plot.as_deref(),
                    quiet: args.quiet.on,
                });
            }
            let data = args.data.load(args.quiet.on)?;
            return mlp::run(&Job {
                data: &data,
                spec,
                solver: args.solver.parse()?,
                stop: args.stop.stop()?,
                params_out: args.params_out.as_deref(),
                model: args.model.as_deref(),
                outputs: args.outputs(),
            });
        }
    }
    let solver: Choice = args.solver.parse().map_err(|e| {
        if Rule::parse(&args.solver).is_ok() {
            format!(
                "{} trains by mini-batches, an MLP (--arch) only",
                args.solver
            )
        } else {
            format!("--solver: {e}")
        }
    })?;
    let ridge = Ridge::choose(args.c, args.lambda, args.penalty.l1.is_some())?;
    let stop = args.stop.stop()?;
    let data = args.data.load(args.quiet.on)?;
    let spec = GlmSpec {
        loss: args.loss,
        ridge,
        penalty: args.penalty.penalty(data.n_features())?,
        intercept: args.intercept,
        sample_weight: None,
    };
    let mut trace = Trace::default();
    let mut progress = Progress::new("training", args.quiet.on);
    let fitted = fit_glm(
        &data,
        &spec,
        solver,
        stop,
        &mut Both(&mut trace, &mut progress),
    );
    progress.finish();
    let (model, report) = fitted?;
    if !args.quiet.on {
        print_report(&report);
        let m = model.evaluate(&data)?;
        if let Some(a) = m.accuracy {
            println!("training accuracy {:.4}", a);
        }
        if let Some(mse) = m.mse {
            println!("training mse      {:.6e}", mse);
        }
    }
    if let Some(path) = &args.model {
        model.save(path)?;
    }
    let title = format!("{} on {}", spec.loss, args.data.data.display());
    finish(&args.outputs(), &report, trace.records, &title)
}
