//! `optml bench mgh`: every chosen solver on the Moré–Garbow–Hillstrom set, a table of what
//! each run cost, and a Dolan–Moré performance profile; `optml bench mgh-serve` evaluates the
//! same problems for other optimizers (bench/mgh/run.py drives scipy.optimize through it).

use std::cell::{Cell, RefCell};
use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand};
use optml::models::testfns::Mgh;
use optml::objective::{Curvature, LinearOperator, Objective};
use optml::solvers::{Method, Report, Stop};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::args::{heading, Seed};
use crate::CliResult;

#[derive(ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    suite: Suite,
}

#[derive(Subcommand)]
enum Suite {
    /// Run solvers on the 35 Moré–Garbow–Hillstrom problems from their standard starts.
    Mgh(MghArgs),
    /// Answer evaluation requests for the MGH problems, one JSON object per line on stdin
    /// (ops: list, fg, hv); used by bench/mgh/run.py to drive other optimizers.
    MghServe,
}

#[derive(ClapArgs)]
#[command(mut_arg("seed", |a| a.help("Seed of --start-jitter")))]
struct MghArgs {
    /// Comma-separated solvers.
    #[arg(long, value_delimiter = ',', default_values_t = Method::ALL.map(|m| m.name().to_string()))]
    solvers: Vec<String>,
    /// Stop when ‖∇f‖ ≤ tol (absolute).
    #[arg(long, default_value_t = 1e-10, help_heading = heading::STOP)]
    tol: f64,
    /// Iteration limit per run.
    #[arg(long, default_value_t = 10_000, help_heading = heading::STOP)]
    max_iter: usize,
    /// Start from s·x₀ instead of the standard x₀ (Moré, Garbow & Hillstrom also run 10·x₀ and
    /// 100·x₀).
    #[arg(long, default_value_t = 1.0)]
    start_scale: f64,
    /// Multiply each start coordinate by 1 + ε·u, u uniform in [−1, 1] drawn from --seed: the
    /// same problems from nearby starts, to see how much a comparison owes to one start.
    #[arg(long, default_value_t = 0.0)]
    start_jitter: f64,
    /// Comma-separated problem names (default: all 35).
    #[arg(long, value_delimiter = ',')]
    problems: Vec<String>,
    /// Dolan–Moré performance profile of the evaluations (.svg or .png).
    #[arg(long, value_parser = crate::output::plot::plot_path, help_heading = heading::OUTPUT)]
    plot: Option<PathBuf>,
    /// Every run as JSON.
    #[arg(long, help_heading = heading::OUTPUT)]
    json: Option<PathBuf>,
    #[command(flatten)]
    seed: Seed,
}

pub fn run(args: Args) -> CliResult {
    match args.suite {
        Suite::Mgh(a) => mgh(a),
        Suite::MghServe => serve(),
    }
}

/// One solver's run on one problem.
#[derive(Serialize)]
struct Run {
    problem: String,
    n: usize,
    solver: &'static str,
    /// The starting point.
    start: Vec<f64>,
    /// Ended at f* or another published minimum.
    solved: bool,
    /// Points where f and ∇f were evaluated (see [`Counted`]) + Hessian-vector products.
    evaluations: usize,
    report: Report,
}

fn mgh(args: MghArgs) -> CliResult {
    if args.tol.is_nan() || args.tol <= 0.0 {
        return Err("--tol must be positive".into());
    }
    if !args.start_scale.is_finite() {
        return Err("--start-scale must be finite".into());
    }
    if !(0.0..1.0).contains(&args.start_jitter) {
        return Err("--start-jitter must be in [0, 1)".into());
    }
    let methods = args
        .solvers
        .iter()
        .map(|s| s.parse::<Method>())
        .collect::<Result<Vec<_>, _>>()?;
    let problems = select_problems(&args.problems)?;
    let stop = Stop {
        max_iter: args.max_iter,
        ..Stop::absolute(args.tol)
    };
    let mut runs = Vec::new();
    for (k, f) in problems.iter().enumerate() {
        let mut rng =
            ChaCha8Rng::seed_from_u64(args.seed.value ^ (k as u64).wrapping_mul(0x9E37_79B9));
        let start: Vec<f64> = f
            .start()
            .iter()
            .map(|v| {
                v * args.start_scale * (1.0 + args.start_jitter * rng.random_range(-1.0..=1.0))
            })
            .collect();
        for &method in &methods {
            let mut x = start.clone();
            let counted = Counted::new(f);
            let report = method.minimize(stop, &counted, &mut x, &mut optml::monitor::quiet())?;
            runs.push(Run {
                problem: f.to_string(),
                n: f.n(),
                solver: method.name(),
                start: start.clone(),
                solved: f.reached_a_listed_minimum(report.f),
                evaluations: counted.points.get() + report.hv_products,
                report,
            });
        }
    }
    print_table(&problems, &methods, &runs);
    if let Some(path) = &args.json {
        optml::write_json_atomic(path, &runs)?;
    }
    if let Some(path) = &args.plot {
        let names: Vec<&str> = methods.iter().map(|m| m.name()).collect();
        let costs: Vec<Vec<Option<f64>>> = runs
            .chunks(methods.len())
            .map(|row| {
                row.iter()
                    .map(|r| r.solved.then_some(r.evaluations as f64))
                    .collect()
            })
            .collect();
        let curves = performance_profile(&costs);
        crate::output::plot::performance_profile(
            path,
            "Moré–Garbow–Hillstrom set: evaluations (f/∇f points + Hv)",
            &names,
            &curves,
        )?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// An MGH problem that charges what scipy.optimize is charged in bench/mgh/run.py: one
/// evaluation per point where f or ∇f is asked for, both computed together and remembered, so
/// asking for ∇f where f was just evaluated (or the reverse) is free — scipy's `MemoizeJac`.
struct Counted<'a> {
    f: &'a Mgh,
    points: Cell<usize>,
    /// The last point asked for, with f and ∇f there.
    last: RefCell<Option<Evaluation>>,
}

/// (x, f(x), ∇f(x)).
type Evaluation = (Vec<f64>, f64, Vec<f64>);

impl<'a> Counted<'a> {
    fn new(f: &'a Mgh) -> Self {
        Counted {
            f,
            points: Cell::new(0),
            last: RefCell::new(None),
        }
    }
}

impl Objective for Counted<'_> {
    fn dim(&self) -> usize {
        self.f.dim()
    }

    fn value(&self, x: &[f64]) -> f64 {
        let mut g = vec![0.0; x.len()];
        self.value_grad(x, &mut g)
    }

    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        let mut last = self.last.borrow_mut();
        if let Some((at, f, g)) = &*last {
            if at.as_slice() == x {
                grad.copy_from_slice(g);
                return *f;
            }
        }
        self.points.set(self.points.get() + 1);
        let f = self.f.value_grad(x, grad);
        *last = Some((x.to_vec(), f, grad.to_vec()));
        f
    }
}

impl Curvature for Counted<'_> {
    type Hessian<'b>
        = <Mgh as Curvature>::Hessian<'b>
    where
        Self: 'b;

    fn hessian(&self, x: &[f64]) -> Self::Hessian<'_> {
        self.f.hessian(x)
    }
}

fn select_problems(names: &[String]) -> CliResult<Vec<Mgh>> {
    let all = Mgh::all();
    if names.is_empty() {
        return Ok(all);
    }
    names
        .iter()
        .map(|name| {
            all.iter()
                .find(|f| f.name() == name)
                .copied()
                .ok_or_else(|| {
                    let known: Vec<_> = all.iter().map(|f| f.name()).collect();
                    format!("unknown problem '{name}' (known: {})", known.join(", ")).into()
                })
        })
        .collect()
}

fn print_table(problems: &[Mgh], methods: &[Method], runs: &[Run]) {
    print!("{:<34}", "problem (evaluations; * = not solved)");
    for m in methods {
        print!(" {:>12}", m.name());
    }
    println!();
    for (f, row) in problems.iter().zip(runs.chunks(methods.len())) {
        print!("{:<34}", f.to_string());
        for r in row {
            let mark = if r.solved { ' ' } else { '*' };
            print!(" {:>11}{mark}", r.evaluations);
        }
        println!();
    }
    print!("{:<34}", "solved");
    for (k, _) in methods.iter().enumerate() {
        let solved = runs
            .iter()
            .skip(k)
            .step_by(methods.len())
            .filter(|r| r.solved)
            .count();
        print!(" {:>9}/{:<2}", solved, problems.len());
    }
    println!();
}

/// Dolan & Moré (2002), "Benchmarking optimization software with performance profiles": with
/// r_{p,s} = t_{p,s} / min_s t_{p,s} (∞ where solver s failed problem p), ρ_s(τ) is the share
/// of problems with r_{p,s} ≤ τ. `costs[p][s]` is `None` for a failure; returns, per solver,
/// the steps (τ, ρ_s(τ)) at each ratio where ρ_s rises.
fn performance_profile(costs: &[Vec<Option<f64>>]) -> Vec<Vec<(f64, f64)>> {
    let solvers = costs.first().map_or(0, Vec::len);
    let ratios: Vec<Vec<f64>> = costs
        .iter()
        .map(|row| {
            let best = row.iter().flatten().copied().fold(f64::INFINITY, f64::min);
            row.iter()
                .map(|c| c.map_or(f64::INFINITY, |c| c.max(1.0) / best.max(1.0)))
                .collect()
        })
        .collect();
    let total = costs.len().max(1) as f64;
    (0..solvers)
        .map(|s| {
            let mut r: Vec<f64> = ratios
                .iter()
                .map(|row| row[s])
                .filter(|v| v.is_finite())
                .collect();
            r.sort_by(f64::total_cmp);
            r.iter()
                .enumerate()
                .map(|(k, &tau)| (tau, (k + 1) as f64 / total))
                .collect()
        })
        .collect()
}

/// A request to `mgh-serve`.
#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Request {
    /// The catalogue: name, n, m, x₀, f* and the other listed minima of every problem.
    List,
    /// f and ∇f of problem `problem` (an index into the catalogue) at x.
    Fg { problem: usize, x: Vec<f64> },
    /// ∇²f(x)·v.
    Hv {
        problem: usize,
        x: Vec<f64>,
        v: Vec<f64>,
    },
}

#[derive(Serialize)]
struct Entry {
    name: String,
    n: usize,
    m: usize,
    x0: Vec<f64>,
    f_star: Option<f64>,
    other_minima: Vec<f64>,
}

fn serve() -> CliResult {
    let problems = Mgh::all();
    let stdin = std::io::stdin();
    for (k, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let reply = match serde_json::from_str::<Request>(&line) {
            Ok(request) => answer(&problems, request),
            Err(e) => Err(format!("request {}: {e}", k + 1)),
        };
        let reply = reply.unwrap_or_else(|e| serde_json::json!({ "error": e }));
        println!("{reply}");
    }
    Ok(())
}

fn answer(problems: &[Mgh], request: Request) -> Result<serde_json::Value, String> {
    let problem = |k: usize, x: &[f64]| {
        let f = problems
            .get(k)
            .ok_or_else(|| format!("no problem {k} (there are {})", problems.len()))?;
        if x.len() != f.n() {
            return Err(format!("{f}: x has {} entries, not {}", x.len(), f.n()));
        }
        Ok(f)
    };
    Ok(match request {
        Request::List => serde_json::to_value(
            problems
                .iter()
                .map(|f| Entry {
                    name: f.name().to_string(),
                    n: f.n(),
                    m: f.m(),
                    x0: f.start(),
                    f_star: f.known_minimum(),
                    other_minima: f.other_minima(),
                })
                .collect::<Vec<_>>(),
        )
        .map_err(|e| e.to_string())?,
        Request::Fg { problem: k, x } => {
            let f = problem(k, &x)?;
            let mut g = vec![0.0; x.len()];
            let value = f.value_grad(&x, &mut g);
            serde_json::json!({ "f": value, "g": g })
        }
        Request::Hv { problem: k, x, v } => {
            let f = problem(k, &x)?;
            if v.len() != x.len() {
                return Err(format!("{f}: v has {} entries, not {}", v.len(), x.len()));
            }
            let mut hv = vec![0.0; x.len()];
            f.hessian(&x).apply(&v, &mut hv);
            serde_json::json!({ "hv": hv })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::performance_profile;

    #[test]
    fn profile_counts_problems_within_each_ratio() {
        // Two solvers, three problems: A wins two, B wins one and fails one.
        let costs = vec![
            vec![Some(10.0), Some(20.0)],
            vec![Some(30.0), Some(15.0)],
            vec![Some(5.0), None],
        ];
        let p = performance_profile(&costs);
        assert_eq!(p[0], vec![(1.0, 1.0 / 3.0), (1.0, 2.0 / 3.0), (2.0, 1.0)]);
        assert_eq!(p[1], vec![(1.0, 1.0 / 3.0), (2.0, 2.0 / 3.0)]);
    }
}
