//! `optml tree`: log-time multiclass trees (LOMtree) and their one-against-all baseline:
//! `tree train` writes a model file, `tree predict` scores one on a test set.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use optml::fit::{fit_tree, TreeKind, TreeSpec};
use optml::models::tree::TreeModel;

use crate::args::{heading, DataArgs, Quiet, Seed};
use crate::CliResult;

/// The `--help` heading of the tree's own flags.
const TREE: &str = "Tree";

#[derive(ClapArgs, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a LOMtree (or one-against-all) on a data set and write the model.
    #[command(after_help = "Example:
  optml tree train train.svm --model t.json --passes 3")]
    Train(TrainArgs),
    /// Predict with a tree model: test error, µs per prediction, tree statistics.
    #[command(after_help = "Example:
  optml tree predict t.json test.svm --top-k 5 --out preds.txt")]
    Predict(PredictArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum KindArg {
    Lomtree,
    Oaa,
}

#[derive(ClapArgs, Debug)]
struct TrainArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Write the trained model here (JSON).
    #[arg(long, help_heading = heading::OUTPUT)]
    model: PathBuf,
    /// The model: a LOMtree, or one regressor per class.
    #[arg(long, value_enum, default_value = "lomtree", help_heading = TREE)]
    kind: KindArg,
    /// T, the most internal nodes of the tree (default 2k for k classes).
    #[arg(long, help_heading = TREE)]
    leaves: Option<usize>,
    /// Swap resistance R_S.
    #[arg(long, default_value_t = 4.0, help_heading = TREE)]
    swap_resistance: f64,
    /// Learning rate of the node learner's normalized adaptive steps.
    #[arg(long, default_value_t = 0.5, help_heading = TREE)]
    learning_rate: f64,
    /// Leaf refinement: each leaf ranks its M most frequent classes with per-class regressors
    /// (trained after the tree, one pass per tree pass) [default: 4⌈log₂ k⌉]; 0 turns it off.
    #[arg(long, value_name = "M", help_heading = TREE)]
    leaf_classes: Option<usize>,
    /// A leaf splits once this many of its examples are outside its majority class (1: the
    /// paper's rule).
    #[arg(long, value_name = "N", default_value_t = TreeSpec::default().split_after, help_heading = TREE)]
    split_after: u64,
    /// The most passes over the data (more than one holds out every 10th example and keeps the
    /// pass with the lowest holdout error).
    #[arg(long, default_value_t = 1, help_heading = heading::STOP)]
    passes: usize,
    #[command(flatten)]
    seed: Seed,
    #[command(flatten)]
    quiet: Quiet,
}

#[derive(ClapArgs, Debug)]
struct PredictArgs {
    /// A model written by `optml tree train`.
    model: PathBuf,
    #[command(flatten)]
    data: DataArgs,
    /// Also write the K most likely classes with their probabilities.
    #[arg(long, help_heading = heading::OUTPUT)]
    top_k: Option<usize>,
    /// Write one prediction per line here.
    #[arg(long, help_heading = heading::OUTPUT)]
    out: Option<PathBuf>,
    #[command(flatten)]
    quiet: Quiet,
}

pub fn run(args: Args) -> CliResult {
    match args.command {
        Command::Train(a) => train(a),
        Command::Predict(a) => predict(a),
    }
}

fn train(args: TrainArgs) -> CliResult {
    let data = args.data.load(args.quiet.on)?;
    let spec = TreeSpec {
        kind: match args.kind {
            KindArg::Lomtree => TreeKind::Lomtree,
            KindArg::Oaa => TreeKind::Oaa,
        },
        internal_nodes: args.leaves,
        swap_resistance: args.swap_resistance,
        learning_rate: args.learning_rate,
        leaf_classes: args.leaf_classes,
        split_after: args.split_after,
        passes: args.passes,
        seed: args.seed.value,
        ..Default::default()
    };
    let (model, report) = fit_tree(&data, &spec)?;
    model.save(&args.model)?;
    if !args.quiet.on {
        println!(
            "trained {:?} on {} examples × {} classes: {} passes (kept pass {}), {} swaps, \
             train time {:.3} s",
            report.kind,
            report.train_examples,
            model.k(),
            report.passes,
            report.best_pass,
            report.swaps,
            report.seconds
        );
        if let Some(e) = report.holdout_error.get(report.best_pass.wrapping_sub(1)) {
            println!("holdout error {:.4}", e);
        }
        if report.refine_passes > 0 {
            print!(
                "leaf refinement: {} passes (kept pass {})",
                report.refine_passes, report.refine_best_pass
            );
            match report
                .refine_holdout_error
                .get(report.refine_best_pass.wrapping_sub(1))
            {
                Some(e) => println!(", holdout error {e:.4}"),
                None => println!(),
            }
        }
        print_stats(&model);
        println!("model written to {}", args.model.display());
    }
    Ok(())
}

fn predict(args: PredictArgs) -> CliResult {
    let model = TreeModel::load(&args.model)?;
    let data = args.data.load(args.quiet.on)?;
    if args.top_k == Some(0) {
        return Err("--top-k must be at least 1".into());
    }
    let start = Instant::now();
    let prepared = model.prepare(&data)?;
    let mut pred = Vec::with_capacity(prepared.n_rows());
    let mut dots = 0usize;
    for i in 0..prepared.n_rows() {
        let (c, d) = model.predict_row(prepared.row(i));
        pred.push(model.classes[c as usize]);
        dots += d;
    }
    let seconds = start.elapsed().as_secs_f64();
    let n = data.n_samples().max(1);
    let wrong = pred.iter().zip(&data.y).filter(|(p, y)| p != y).count();
    if let Some(path) = &args.out {
        let mut text = String::new();
        for (i, p) in pred.iter().enumerate() {
            text.push_str(&p.to_string());
            if let Some(k) = args.top_k {
                for (c, pr) in model.top_k(prepared.row(i), k) {
                    text.push_str(&format!(" {c}:{pr:.6}"));
                }
            }
            text.push('\n');
        }
        optml::write_atomic(path, |w| std::io::Write::write_all(w, text.as_bytes()))?;
    }
    if !args.quiet.on {
        println!(
            "test error {:.4} ({} of {}), {:.3} µs per prediction, {:.2} dot products per \
             prediction",
            wrong as f64 / n as f64,
            wrong,
            n,
            1e6 * seconds / n as f64,
            dots as f64 / n as f64
        );
        if let Some(k) = args.top_k {
            let hit = (0..prepared.n_rows())
                .filter(|&i| {
                    model
                        .top_k(prepared.row(i), k)
                        .iter()
                        .any(|t| t.0 == data.y[i])
                })
                .count();
            println!("top-{k} error {:.4}", 1.0 - hit as f64 / n as f64);
        }
        print_stats(&model);
    }
    Ok(())
}

fn print_stats(model: &TreeModel) {
    if let Some(s) = model.stats() {
        println!(
            "tree: {} internal nodes, {} leaves ({} empty), depth max {} mean {:.2}, {} classes \
             without a leaf, leaf purity {:.4}, candidate recall {:.4}",
            s.internal_nodes,
            s.leaves,
            s.empty_leaves,
            s.max_depth,
            s.mean_depth,
            s.classes_without_leaf,
            s.leaf_purity,
            s.candidate_recall
        );
    }
}
