//! `optml hessian`: the spectrum of a model's Hessian at its weights: top-k eigenvalues
//! (Lanczos), the trace (Krylov-deflated Hutchinson, Hutch++ or Hutchinson), the spectral density (stochastic Lanczos
//! quadrature), with product counts and times; optionally PyHessian's power iteration and the
//! exact dense spectrum for comparison. The computing is [`optml::curvature::Analysis`]; this
//! file turns flags into one, builds the operator, and prints, writes and plots its result.

use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};
use optml::curvature::{
    Analysis, Lanczos, PowerIteration, Slq, SpectralDensity, Spectrum, TraceMethod, TraceSpec,
    Which,
};
use optml::data::read_npy_vector;
use optml::models::glm::ObjectiveView;
use optml::models::mlp::Mlp;
use optml::{Curvature, Objective};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::args::{
    heading, load_model, read_params, DataArgs, MlpArgs, ModelFile, Quiet, Seed, Threads,
};
use crate::output::plot;
use crate::CliResult;

/// `--help` headings of the eigenvalue flags and of the trace and density flags.
const EIGEN: &str = "Eigenvalues";
const SPECTRUM: &str = "Trace and density";

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum WhichArg {
    Largest,
    Smallest,
    Magnitude,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StartArg {
    Gradient,
    Random,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TraceArg {
    /// Half Lanczos steps (their trace exact), half Hutchinson probes on the rest.
    Krylov,
    /// Hutch++ (Meyer et al. 2021).
    Hutchpp,
    /// Hutchinson with Rademacher probes.
    Hutchinson,
}

#[derive(ClapArgs, Debug)]
#[command(after_help = "Examples:
  optml train digits.svm --loss softmax --intercept --model m.json
  optml hessian --model m.json digits.svm --top-k 5 --trace-probes 99 --plot density.svg
  optml hessian --model m.json X.npy --labels y.npy --params w.npy --mean --no-penalty --exact
  optml train X.npy --labels y.npy --arch 64-32-10 --act tanh --model mlp.json
  optml hessian --model mlp.json X.npy --labels y.npy --top-k 5 --gauss-newton
  optml hessian --arch 64-32-32-10 --act tanh --params theta.npy X.npy --labels y.npy --exact
  optml hessian --arch 64-32-10 --act relu --params theta.npy digits.svm --gauss-newton")]
#[command(mut_arg("seed", |a| a.help(
    "Seeds the random vectors: the Lanczos start, the trace and density probes and the power \
     iteration"
)))]
pub struct Args {
    /// A model written by `optml train --model` (a GLM, or an MLP: then no --arch is needed).
    #[arg(long, conflicts_with = "arch")]
    pub model: Option<PathBuf>,
    /// Evaluate the Hessian at these parameters (.npy vector, the model's layout) instead of
    /// the model's weights; required with --arch (an MLP's: per layer Wₗ row-major, then bₗ).
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// The mean loss (1/n)·Σℓᵢ + penalty/n instead of the model's sum Σℓᵢ + ‖W‖²/(2C) (GLMs).
    #[arg(long, conflicts_with = "arch")]
    pub mean: bool,
    /// Leave out the L2 penalty (of a GLM or an MLP model).
    #[arg(long, conflicts_with = "arch")]
    pub no_penalty: bool,
    /// MLP: analyse the generalized Gauss-Newton matrix Jᵀ·H_ℓ·J instead of the Hessian (a
    /// GLM's Hessian is its Gauss-Newton matrix already).
    #[arg(long)]
    pub gauss_newton: bool,
    /// Also form the Hessian densely and diagonalize it (small models): errors against it.
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub mlp: MlpArgs,
    /// Eigenvalues wanted (0: none).
    #[arg(long, default_value_t = 5, help_heading = EIGEN)]
    pub top_k: usize,
    /// Which end of the spectrum.
    #[arg(long, value_enum, default_value = "largest", help_heading = EIGEN)]
    pub which: WhichArg,
    /// Lanczos: stop when every wanted pair (λ, v) has the residual ‖Hv − λv‖ ≤
    /// tol·max(|λ|, 10⁻³·max|λ|): relative to |λ|, and to 10⁻³·max|λ| for eigenvalues near 0.
    #[arg(long, default_value_t = 1e-8, help_heading = EIGEN)]
    pub tol: f64,
    /// Lanczos: a pair also converges once its eigenvalue's error estimate min(r, r²/gap) is
    /// below this, relative like --tol (eigenvalues need far fewer products than eigenvectors);
    /// 0 turns it off.
    #[arg(long, default_value_t = 1e-10, help_heading = EIGEN)]
    pub value_tol: f64,
    /// Lanczos start vector: the unit gradient plus a unit random vector (the gradient leans
    /// toward the top eigenvectors), or random.
    #[arg(long, value_enum, default_value = "gradient", help_heading = EIGEN)]
    pub start: StartArg,
    /// Lanczos: largest Krylov dimension.
    #[arg(long, default_value_t = 300, help_heading = EIGEN)]
    pub max_dim: usize,
    /// Lanczos: extra runs in the complement of the pairs found (recover repeated eigenvalues).
    #[arg(long, default_value_t = 0, help_heading = EIGEN)]
    pub deflation_runs: usize,
    /// Also run PyHessian's power iteration for the top-k (largest magnitude), for comparison.
    #[arg(long, help_heading = EIGEN)]
    pub power_iteration: bool,
    /// Operator products for the trace estimate (0: no trace).
    #[arg(long, default_value_t = 99, help_heading = SPECTRUM)]
    pub trace_probes: usize,
    /// How to estimate the trace.
    #[arg(long, value_enum, default_value = "krylov", help_heading = SPECTRUM)]
    pub trace_method: TraceArg,
    /// Probes for the spectral density (0: none, unless --plot asks for it: then 4).
    #[arg(long, default_value_t = 0, help_heading = SPECTRUM)]
    pub density_probes: usize,
    /// Lanczos steps per density probe.
    #[arg(long, default_value_t = 80, help_heading = SPECTRUM)]
    pub density_steps: usize,
    /// Write the results as JSON here.
    #[arg(long, help_heading = heading::OUTPUT)]
    pub json: Option<PathBuf>,
    /// Draw the spectral density here (.svg or .png), log-scale density.
    #[arg(long, value_parser = plot::plot_path, help_heading = heading::OUTPUT)]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub seed: Seed,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub quiet: Quiet,
}

pub fn run(args: Args) -> CliResult {
    args.threads.apply()?;
    let analysis = Analysis {
        lanczos: (args.top_k > 0).then_some(Lanczos {
            k: args.top_k,
            which: match args.which {
                WhichArg::Largest => Which::Largest,
                WhichArg::Smallest => Which::Smallest,
                WhichArg::Magnitude => Which::Magnitude,
            },
            tol: args.tol,
            value_tol: (args.value_tol != 0.0).then_some(args.value_tol),
            max_dim: args.max_dim,
            deflation_runs: args.deflation_runs,
            seed: args.seed.value,
            start: None,
        }),
        power: (args.power_iteration && args.top_k > 0).then_some(PowerIteration {
            top_n: args.top_k,
            seed: args.seed.value,
            ..Default::default()
        }),
        trace: (args.trace_probes > 0).then_some(TraceSpec {
            method: match args.trace_method {
                TraceArg::Krylov => TraceMethod::Krylov,
                TraceArg::Hutchpp => TraceMethod::HutchPlusPlus,
                TraceArg::Hutchinson => TraceMethod::Hutchinson,
            },
            products: args.trace_probes,
        }),
        density: {
            let probes = match (args.density_probes, &args.plot) {
                (0, Some(_)) => 4,
                (p, _) => p,
            };
            (probes > 0).then_some(Slq {
                probes,
                steps: args.density_steps,
                seed: args.seed.value,
                ..Default::default()
            })
        },
        exact: args.exact,
        seed: args.seed.value,
    };
    // The operator: an MLP's Hessian (or Gauss-Newton matrix) at --params or its saved θ, or a
    // GLM's Hessian.
    if let Some(spec) = args.mlp.spec(0)? {
        let data = args.data.load(args.quiet.on)?;
        let mlp = spec.objective(&data)?;
        let Some(params) = &args.params else {
            return Err("--arch needs --params (the point to analyse, a .npy vector)".into());
        };
        let theta = read_params(params, &mlp)?;
        return analyse_mlp(&args, analysis, &mlp, &theta);
    }
    let Some(model_path) = &args.model else {
        return Err("give --model (a model written by `optml train --model`) or --arch".into());
    };
    let model = match load_model(model_path)? {
        ModelFile::Mlp(mut model) => {
            if args.mean {
                return Err("--mean applies to GLMs: an MLP's loss is already the mean".into());
            }
            if args.no_penalty {
                model.l2 = 0.0;
            }
            let data = args.data.load(args.quiet.on)?;
            let mlp = model
                .objective(&data)
                .map_err(|e| format!("{e} (model {})", model_path.display()))?;
            let theta = match &args.params {
                Some(p) => read_params(p, &mlp)?,
                None => model.theta,
            };
            return analyse_mlp(&args, analysis, &mlp, &theta);
        }
        ModelFile::Glm(model) => model,
    };
    let mut data = args.data.load_for_model(args.quiet.on, model.n_features)?;
    model.conform(&mut data).map_err(|e| {
        format!(
            "{e} (model {} expects {} features)",
            model_path.display(),
            model.n_features
        )
    })?;
    let view = ObjectiveView {
        mean: args.mean,
        ridge: !args.no_penalty,
    };
    let f = model
        .objective(&data, view)
        .map_err(|e| format!("{e} (model {})", model_path.display()))?;
    let w = match &args.params {
        Some(p) => read_npy_vector(p)?,
        None => model.weights.clone(),
    };
    if w.len() != model.layout().dim() {
        return Err(format!(
            "{} parameters given, the model has {}",
            w.len(),
            model.layout().dim()
        )
        .into());
    }
    if let Some(bad) = w.iter().position(|v| !v.is_finite()) {
        return Err(format!("parameter {bad} is not finite").into());
    }
    let mut analysis = analysis;
    start_from_gradient(&mut analysis, &args, &f, &w);
    let h = f.hessian(&w);
    let results = analysis.run(&h)?;
    report(&args, &results)
}

/// The spectrum of an MLP's Hessian, or its Gauss-Newton matrix, at θ.
fn analyse_mlp(args: &Args, mut analysis: Analysis, mlp: &Mlp, theta: &[f64]) -> CliResult {
    start_from_gradient(&mut analysis, args, mlp, theta);
    let mut results = if args.gauss_newton {
        analysis.run(&mlp.gauss_newton(theta))?
    } else {
        analysis.run(&mlp.hessian(theta))?
    };
    results.value = Some(mlp.value(theta));
    report(args, &results)
}

/// With `--start gradient`, Lanczos starts from ∇f(x) plus a random vector.
fn start_from_gradient(analysis: &mut Analysis, args: &Args, f: &impl Objective, x: &[f64]) {
    if let (StartArg::Gradient, Some(_)) = (args.start, analysis.lanczos.as_ref()) {
        let mut g = vec![0.0; x.len()];
        f.value_grad(x, &mut g);
        analysis.start_from_gradient(&g);
    }
}

/// Prints the results and writes the JSON and the plot asked for.
fn report(args: &Args, results: &Spectrum) -> CliResult {
    if !args.quiet.on {
        print_results(results);
    }
    if let Some(path) = &args.json {
        optml::write_json_atomic(path, results)?;
    }
    if let Some(path) = &args.plot {
        if let Some(d) = &results.density {
            plot_density(path, &d.result)?;
        }
    }
    Ok(())
}

fn print_results(r: &Spectrum) {
    println!("parameters   {}", r.dim);
    if let Some(v) = r.value {
        println!("objective    {v:.15e}");
    }
    if let Some(e) = &r.eigen {
        let which = r.which.map_or("", |w| w.name());
        println!(
            "eigenvalues  ({which}, Lanczos: {} products, Krylov dim {}, {:.3} s{})",
            e.result.products,
            e.result.krylov_dim,
            e.seconds,
            if e.result.converged {
                ""
            } else {
                ", NOT converged"
            }
        );
        for (i, (v, res)) in e.result.values.iter().zip(&e.result.residuals).enumerate() {
            let err = r.exact.as_ref().and_then(|x| {
                let list = if r.which == Some(Which::Smallest) {
                    &x.smallest
                } else {
                    &x.largest
                };
                // Near-zero eigenvalues are scored against ‖H‖.
                let norm = x.largest[0].abs().max(x.smallest[0].abs());
                list.get(i).map(|t| {
                    let small = t.abs() < 1e-8 * norm;
                    ((v - t).abs() / if small { norm } else { t.abs() }, small)
                })
            });
            match err {
                Some((err, small)) => println!(
                    "  {i:>3}  {v:>+.12e}   residual {res:.1e}   {} {err:.1e}",
                    if small { "error/‖H‖" } else { "rel. error" }
                ),
                None => println!("  {i:>3}  {v:>+.12e}   residual {res:.1e}"),
            }
        }
    }
    if let Some(p) = &r.power_iteration {
        println!(
            "power iteration (PyHessian's rule, largest magnitude): {} products, {:.3} s",
            p.result.products, p.seconds
        );
        for (i, v) in p.result.values.iter().enumerate() {
            println!("  {i:>3}  {v:>+.12e}");
        }
    }
    if let Some(t) = &r.trace {
        println!(
            "trace        {:.10e} ± {:.2e} ({}, {} products, {:.3} s)",
            t.result.estimate,
            t.result.std_error,
            r.trace_method.map_or("", |m| m.name()),
            t.result.products,
            t.seconds
        );
    }
    if let Some(d) = &r.density {
        let (mean, se) = d.result.mean();
        println!(
            "density      SLQ: {} probes, {} products, {:.3} s; mean eigenvalue {mean:.6e} ± {se:.1e}",
            d.result.nodes.len(),
            d.result.products,
            d.seconds
        );
    }
    if let Some(x) = &r.exact {
        println!(
            "exact        trace {:.10e}, largest {:.10e}, smallest {:.10e} (dense, {:.3} s)",
            x.trace,
            x.largest.first().copied().unwrap_or(f64::NAN),
            x.smallest.first().copied().unwrap_or(f64::NAN),
            x.seconds
        );
    }
}

/// The smoothed density against the eigenvalue, log-scale.
fn plot_density(path: &Path, d: &SpectralDensity) -> CliResult {
    plot::save(path, (900, 540), &Density(d))
}

/// A spectral density as a figure.
struct Density<'a>(&'a SpectralDensity);

impl plot::Figure for Density<'_> {
    fn draw<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> plot::DrawResult
    where
        DB::ErrorType: 'static,
    {
        draw_density(root, self.0)
    }
}

fn draw_density<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    d: &SpectralDensity,
) -> plot::DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let hi = d.density.iter().copied().fold(0.0, f64::max).max(1e-300);
    let floor = hi * 1e-10;
    let (x0, x1) = (d.grid[0], d.grid[d.grid.len() - 1]);
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .caption(
            format!(
                "Hessian spectral density (SLQ, {} probes, σ = {:.2e})",
                d.nodes.len(),
                d.sigma
            ),
            ("sans-serif", 20),
        )
        .build_cartesian_2d(x0..x1, (floor..hi * 2.0).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("eigenvalue")
        .y_desc("density")
        .y_label_formatter(&|v| format!("{v:.0e}"))
        .draw()?;
    let color = Palette99::pick(0).to_rgba();
    chart.draw_series(LineSeries::new(
        d.grid
            .iter()
            .zip(&d.density)
            .map(|(&x, &y)| (x, y.max(floor))),
        color.stroke_width(2),
    ))?;
    root.present()?;
    Ok(())
}
