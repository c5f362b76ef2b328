//! `optml game`: equilibria of two-player games by competitive and simultaneous methods.

mod plot;

use std::path::PathBuf;

use clap::{Args as ClapArgs, ValueEnum};
use optml::games::{
    Bilinear, Game, GameIter, GameMethod, GameReport, Gan, MatrixGame, PlayOptions, Potential,
    Quadratic, SimplexRegression,
};

use crate::args::{heading, RunFlags};
use crate::CliResult;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Synthetic {
    /// f = xᵀAy + bᵀx + cᵀy, g = −f; A = U diag(σ) Vᵀ, σ ∈ [1, 2], planted equilibrium.
    Bilinear,
    /// ½xᵀPx + xᵀAy − ½yᵀQy + bᵀx + cᵀy, P, Q ≻ 0, planted saddle.
    Quadratic,
    /// xᵀAy on two simplices: rock-paper-scissors, or a random --dim × --dim game.
    MatrixGame,
    /// ½‖Ax − b‖² on the simplex through a multiplier, A ∈ ℝ^{50 × dim}.
    SimplexRegression,
    /// A GAN (tanh networks 2-h-h-2 and 2-h-h-1) on 8 Gaussians on a circle, radius 2, σ 0.02.
    GanMog,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Competitive gradient descent (unconstrained games).
    Cgd,
    /// Competitive mirror descent in the game's geometry (simplex, positive cone).
    Cmd,
    /// Simultaneous gradient descent-ascent.
    Gda,
    /// Extragradient (mirror prox).
    Extragradient,
    /// Optimistic gradient descent-ascent.
    Ogda,
    /// Symplectic gradient adjustment.
    Sga,
    /// Consensus optimization.
    Conopt,
}

#[derive(ClapArgs, Debug)]
#[command(
    after_help = "Every method steps in the game's geometry: Euclidean for bilinear and \
quadratic, the simplex for both players of matrix-game, the positive cone (entropy) for x and the \
line for the multiplier in simplex-regression. Each line shows the distance to the planted \
equilibrium (bilinear, quadratic), the exploitability and the distance to the equilibrium found by linear programming (matrix-game), or the loss at x/Σx and \
|Σx − 1| (simplex-regression), then the step residual and the evaluations so far.

Examples:
  optml game --synthetic bilinear --method cgd --lr 0.5 --seed 1
  optml game --synthetic bilinear --method gda --lr 0.5 --max-iter 200
  optml game --synthetic bilinear --dim 1 --method cgd --plot cgd.svg
  optml game --synthetic quadratic --general-sum 1 --method cgd --lr 0.3
  optml game --synthetic matrix-game --dim 10 --method cmd --tol 1e-10
  optml game --synthetic simplex-regression --method cmd --max-iter 300
  optml game --synthetic gan-mog --method cgd --lr 0.5 --max-iter 300 --plot gan.png

gan-mog plays on one fixed seeded batch (--batch real samples of the mixture and as many latent \
samples z ~ N(0, I₂)) and prints the zero-sum loss f each iteration; at the end it draws 10 000 \
fresh samples from the generator and reports the modes covered (≥ 1 % of the samples within 3σ \
of the mode's centre) and the fraction of samples within 3σ of some centre."
)]
#[command(mut_arg("max_seconds", |a| a.help(
    "Stop after this many seconds (the point so far is reported)"
)))]
pub struct Args {
    /// The game.
    #[arg(long, value_enum, help_heading = heading::PLANTED)]
    pub synthetic: Synthetic,
    /// Each player's dimension (bilinear: 100, quadratic: 20; matrix-game: strategies of a
    /// random game, default rock-paper-scissors; simplex-regression: columns of A, 5000;
    /// gan-mog: hidden units per layer of both networks, 32).
    #[arg(long, help_heading = heading::PLANTED)]
    pub dim: Option<usize>,
    /// bilinear: the smallest singular value of A (the others uniform in [it, 2]).
    #[arg(long, default_value_t = 1.0, help_heading = heading::PLANTED)]
    pub sigma_min: f64,
    /// quadratic: make the game general-sum, y's coupling −Aᵀ + σR (R Gaussian / √dim), with
    /// the planted point its Nash equilibrium. CGD and CMD then solve their local game by
    /// BiCGSTAB; SGA and ConOpt need a zero-sum game.
    #[arg(long, value_name = "SIGMA", help_heading = heading::PLANTED)]
    pub general_sum: Option<f64>,
    /// gan-mog: real (and latent) samples in the fixed batch.
    #[arg(long, default_value_t = 256, help_heading = heading::PLANTED)]
    pub batch: usize,
    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Cgd)]
    pub method: Method,
    /// Step size η of player x (and of y unless --lr-y). Default: cgd/cmd 0.5 on bilinear,
    /// 10 on matrix-game, 1 on simplex-regression; 0.2 otherwise.
    #[arg(long)]
    pub lr: Option<f64>,
    /// Step size of player y.
    #[arg(long)]
    pub lr_y: Option<f64>,
    /// γ, the weight of SGA's and ConOpt's adjustment.
    #[arg(long, default_value_t = 1.0)]
    pub gamma: f64,
    /// CGD/CMD: solve both players' systems instead of x's and y's best response.
    #[arg(long)]
    pub two_systems: bool,
    /// CGD/CMD: relative residual at which the inner conjugate gradients stop.
    #[arg(long, default_value_t = 1e-10)]
    pub cg_tol: f64,
    /// Trajectory (2-D games: --dim 1 bilinear or quadratic), generated samples against the
    /// mixture (gan-mog) or convergence plot (.svg, .png).
    #[arg(long, value_parser = crate::output::plot::plot_path, help_heading = heading::OUTPUT)]
    pub plot: Option<PathBuf>,
    /// Stop when the step residual ‖((x⁺ − x)/ηₓ, (y⁺ − y)/η_y)‖ falls to this.
    #[arg(long, default_value_t = 1e-8, help_heading = heading::STOP)]
    pub tol: f64,
    /// Iteration budget.
    #[arg(long, default_value_t = 1000, help_heading = heading::STOP)]
    pub max_iter: usize,
    #[command(flatten)]
    pub run: RunFlags,
}

/// A game the command can build, with its geometry and its measure of progress.
enum Instance {
    Bilinear(Bilinear),
    Quadratic(Quadratic),
    /// The game and its equilibrium by linear programming.
    Matrix(MatrixGame, Vec<f64>, Vec<f64>),
    Regression(SimplexRegression),
    Gan(Gan),
}

impl Instance {
    fn build(args: &Args) -> CliResult<Instance> {
        let seed = args.run.seed.value;
        if args.dim == Some(0) {
            return Err("--dim must be at least 1".into());
        }
        if args.dim.is_some_and(|d| d > 20_000) {
            return Err("--dim must be at most 20000".into());
        }
        if args.general_sum.is_some() && args.synthetic != Synthetic::Quadratic {
            return Err("--general-sum applies to --synthetic quadratic only".into());
        }
        Ok(match args.synthetic {
            Synthetic::Bilinear => Instance::Bilinear(match args.dim {
                Some(1) => Bilinear::scaled_identity(1, 1.0),
                d => {
                    if !(args.sigma_min > 0.0 && args.sigma_min <= 2.0) {
                        return Err("--sigma-min must be in (0, 2]".into());
                    }
                    Bilinear::random_spectrum(d.unwrap_or(100), args.sigma_min, 2.0, seed)
                }
            }),
            Synthetic::Quadratic => {
                let d = args.dim.unwrap_or(20);
                Instance::Quadratic(match args.general_sum {
                    None => Quadratic::random(d, d, 1.0, seed),
                    Some(sigma) if sigma.is_finite() => {
                        Quadratic::general_sum(d, d, 1.0, sigma, seed)
                    }
                    Some(_) => return Err("--general-sum must be finite".into()),
                })
            }
            Synthetic::MatrixGame => {
                let game = match args.dim {
                    None => MatrixGame::rock_paper_scissors(),
                    Some(d) if d <= 500 => MatrixGame::random(d, d, seed),
                    Some(_) => return Err("matrix-game: --dim must be at most 500".into()),
                };
                let (x, y, _) = game.equilibrium();
                Instance::Matrix(game, x, y)
            }
            Synthetic::SimplexRegression => Instance::Regression(SimplexRegression::random(
                50,
                args.dim.unwrap_or(5000),
                seed,
            )),
            Synthetic::GanMog => Instance::Gan(
                Gan::mixture(args.dim.unwrap_or(32), args.batch, seed)
                    .map_err(|e| format!("gan-mog (--dim, --batch): {e}"))?,
            ),
        })
    }

    fn game(&self) -> &dyn Game {
        match self {
            Instance::Bilinear(g) => g,
            Instance::Quadratic(g) => g,
            Instance::Matrix(g, ..) => g,
            Instance::Regression(g) => g,
            Instance::Gan(g) => g,
        }
    }

    fn potentials(&self) -> (Potential, Potential) {
        match self {
            Instance::Matrix(..) => (Potential::Simplex, Potential::Simplex),
            Instance::Regression(_) => (Potential::Entropy, Potential::Euclidean),
            _ => (Potential::Euclidean, Potential::Euclidean),
        }
    }

    fn start(&self, seed: u64) -> (Vec<f64>, Vec<f64>) {
        match self {
            Instance::Bilinear(g) if g.dim_x() == 1 => (vec![0.5], vec![0.5]),
            Instance::Matrix(g, ..) => g.uniform(),
            Instance::Regression(g) => (vec![1.0 / g.cols() as f64; g.cols()], vec![0.0]),
            Instance::Gan(g) => g.init(seed),
            _ => (
                vec![0.0; self.game().dim_x()],
                vec![0.0; self.game().dim_y()],
            ),
        }
    }

    /// The measures printed each iteration: a name and a value each.
    fn measures(&self, x: &[f64], y: &[f64]) -> Vec<(&'static str, f64)> {
        match self {
            Instance::Bilinear(g) => vec![("distance", g.distance(x, y))],
            Instance::Quadratic(g) => vec![("distance", g.distance(x, y))],
            Instance::Matrix(g, xs, ys) => {
                let d: f64 = x
                    .iter()
                    .zip(xs)
                    .chain(y.iter().zip(ys))
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum();
                vec![
                    ("exploitability", g.exploitability(x, y)),
                    ("distance", d.sqrt()),
                ]
            }
            Instance::Regression(g) => {
                let s: f64 = x.iter().sum();
                let xn: Vec<f64> = x.iter().map(|v| v / s).collect();
                vec![("loss(x/Σx)", g.loss(&xn)), ("|Σx−1|", (s - 1.0).abs())]
            }
            Instance::Gan(g) => vec![("f", g.values(x, y).0)],
        }
    }

    /// The equilibrium's first coordinates, for the trajectory plot.
    fn equilibrium_2d(&self) -> Option<(f64, f64)> {
        match self {
            Instance::Bilinear(g) => g.equilibrium().map(|(x, y)| (x[0], y[0])),
            Instance::Quadratic(g) => Some((g.equilibrium().0[0], g.equilibrium().1[0])),
            _ => None,
        }
    }
}

pub fn run(args: Args) -> CliResult {
    args.run.threads.apply()?;
    let competitive = matches!(args.method, Method::Cgd | Method::Cmd);
    let lr = args.lr.unwrap_or(match (args.synthetic, competitive) {
        (Synthetic::Bilinear, true) => 0.5,
        (Synthetic::MatrixGame, true) => 10.0,
        (Synthetic::SimplexRegression, _) => 1.0,
        _ => 0.2,
    });
    let lr_y = args.lr_y.unwrap_or(lr);
    let stop = args.run.time.stop(args.tol, false, args.max_iter);
    stop.validate().map_err(|e| format!("--tol: {e}"))?;
    let inst = Instance::build(&args)?;
    let (px, py) = inst.potentials();
    let game = inst.game();
    let (mut x, mut y) = inst.start(args.run.seed.value);
    let quiet = args.run.quiet.on;
    let first = inst.measures(&x, &y);
    if !quiet {
        println!(
            "{:?}: players of dimension {} and {}, {:?}, η = ({lr}, {lr_y})",
            args.synthetic,
            game.dim_x(),
            game.dim_y(),
            args.method,
        );
        let names: Vec<String> = first.iter().map(|(n, _)| format!("{n:>14}")).collect();
        println!(
            "{:>6}  {}  {:>10}  {:>7}  {:>7}  {:>7}  {:>8}",
            "iter",
            names.join("  "),
            "residual",
            "grads",
            "mixed",
            "pure",
            "seconds"
        );
    }
    let mut history: Vec<(usize, f64, f64, f64)> = vec![(0, x[0], y[0], first[0].1)];
    let mut watch = |it: &GameIter<'_>| {
        let m = inst.measures(it.x, it.y);
        history.push((it.iter, it.x[0], it.y[0], m[0].1));
        if !quiet {
            let vals: Vec<String> = m.iter().map(|(_, v)| format!("{v:>14.6e}")).collect();
            println!(
                "{:>6}  {}  {:>10.3e}  {:>7}  {:>7}  {:>7}  {:>8.3}",
                it.iter,
                vals.join("  "),
                it.residual,
                it.counts.grads,
                it.counts.mixed,
                it.counts.pure,
                it.seconds
            );
        }
        true
    };
    let method = match args.method {
        Method::Cgd => GameMethod::Cgd,
        Method::Cmd => GameMethod::Cmd,
        Method::Gda => GameMethod::Gda,
        Method::Extragradient => GameMethod::Extragradient,
        Method::Ogda => GameMethod::Ogda,
        Method::Sga => GameMethod::Sga,
        Method::Conopt => GameMethod::ConOpt,
    };
    let opts = PlayOptions {
        lr_x: lr,
        lr_y,
        potential_x: px,
        potential_y: py,
        gamma: args.gamma,
        one_system: !args.two_systems,
        cg_tol: args.cg_tol,
        stop,
    };
    let report: GameReport = method
        .play(&opts, game, &mut x, &mut y, &mut watch)
        .map_err(|e| format!("--method {method}: {e}"))?;
    println!(
        "{}: {} after {} iterations, {:.3} s",
        report.solver, report.status, report.iterations, report.seconds
    );
    for (name, value) in inst.measures(&x, &y) {
        println!("{name} {value:.3e}");
    }
    println!(
        "work: {} gradient evaluations, {} mixed products, {} pure products, {} inner iterations",
        report.counts.grads, report.counts.mixed, report.counts.pure, report.cg_iterations
    );
    let samples = match &inst {
        Instance::Gan(g) => Some(gan_report(g, &x, args.run.seed.value)),
        _ => None,
    };
    if let Some(path) = &args.plot {
        let title = format!("{:?}, {}", args.synthetic, report.solver);
        if let (Instance::Gan(g), Some(points)) = (&inst, &samples) {
            let title = format!("{title}, η = {lr}");
            return plot::samples(path, &title, points, g.mixture_spec());
        }
        match inst.equilibrium_2d() {
            Some(eq) if game.dim_x() == 1 && game.dim_y() == 1 => {
                plot::trajectory(path, &title, &history, eq)?
            }
            _ => plot::measure(path, &title, first[0].0, &history)?,
        }
    }
    Ok(())
}

/// Generated samples the coverage report draws.
const GAN_SAMPLES: usize = 10_000;

/// Prints the generator's coverage of the mixture on fresh samples; returns the samples.
fn gan_report(gan: &Gan, x: &[f64], seed: u64) -> Vec<f64> {
    // Fresh latent draws, apart from the training batch's stream.
    let (points, c) = gan.coverage(x, GAN_SAMPLES, seed ^ 0x5eed_9a11);
    let modes = gan.mixture_spec().modes;
    println!("modes covered {} of {modes}", c.covered);
    println!("high-quality fraction {:.4}", c.high_quality);
    let counts: Vec<String> = c.per_mode.iter().map(|k| k.to_string()).collect();
    println!(
        "samples within 3σ of each mode (of {GAN_SAMPLES}): {}",
        counts.join(" ")
    );
    points
}
