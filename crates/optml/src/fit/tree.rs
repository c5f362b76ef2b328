//! [`fit_tree`]: trains a LOMtree or one-against-all model online, over passes of the data with
//! a holdout.

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg::Design;
use crate::models::tree::{
    class_indices, classes_of, label_leaves, row, FeatureMap, Learner, LearnerOptions, OaaLearner,
    Predictor, TreeModel, TreeNode, TREE_FORMAT_VERSION,
};

/// Which model [`fit_tree`] trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeKind {
    /// The LOMtree: log-time training and prediction.
    Lomtree,
    /// One regressor per class: O(k) per example.
    Oaa,
}

/// What [`fit_tree`] trains, and how.
#[derive(Clone, Debug)]
pub struct TreeSpec {
    pub kind: TreeKind,
    /// T, the most internal nodes; `None`: 2k, so the T + 1 leaves leave every class room for
    /// one of its own.
    pub internal_nodes: Option<usize>,
    /// R_S: a full tree swaps a leaf in when its examples outside the majority class exceed
    /// R_S·(C_r + 1), C_r the smallest leaf's examples.
    pub swap_resistance: f64,
    /// η of the node learner's normalized adaptive steps.
    pub learning_rate: f64,
    /// A leaf splits once this many of its examples are outside its majority class (≥ 1; 1 is
    /// the paper's rule, a split at the first example of a second class).
    pub split_after: u64,
    /// Leaf refinement (LOMtree only): each leaf that training examples of several classes
    /// reach ranks its `leaf_classes` most frequent ones with per-class regressors trained one
    /// against some (an example trains its leaf's candidates only), after the tree is grown,
    /// over as many passes again. A prediction then costs depth + `leaf_classes` dot products
    /// at most. `None`: 4⌈log₂ k⌉ (at most k), still logarithmic in k; `Some(0)`: no
    /// refinement, a leaf predicts its label.
    pub leaf_classes: Option<usize>,
    /// The most passes over the training data.
    pub passes: usize,
    /// With more than one pass, every `holdout`-th example (after a seeded shuffle) is held out;
    /// the model of the pass with the lowest holdout error is kept, and training stops after two
    /// passes without improvement. 0: no holdout, every pass is run.
    pub holdout: usize,
    /// Seed of the example order.
    pub seed: u64,
}

impl Default for TreeSpec {
    fn default() -> Self {
        TreeSpec {
            kind: TreeKind::Lomtree,
            internal_nodes: None,
            swap_resistance: 4.0,
            learning_rate: 0.5,
            leaf_classes: None,
            split_after: 2,
            passes: 1,
            holdout: 10,
            seed: 0,
        }
    }
}

/// The most passes [`fit_tree`] accepts.
pub const MAX_PASSES: usize = 10_000;

/// How a tree fit went.
#[derive(Clone, Debug, Serialize)]
pub struct TreeReport {
    pub kind: TreeKind,
    /// Passes run, and the pass whose model was kept (1-based).
    pub passes: usize,
    pub best_pass: usize,
    /// Holdout error after each pass (empty without a holdout).
    pub holdout_error: Vec<f64>,
    /// Examples trained on, per pass.
    pub train_examples: usize,
    /// Swaps done by the LOMtree.
    pub swaps: u64,
    /// Passes of leaf refinement run, the pass kept, and its holdout error after each.
    pub refine_passes: usize,
    pub refine_best_pass: usize,
    pub refine_holdout_error: Vec<f64>,
    pub seconds: f64,
}

impl TreeSpec {
    /// Refuses options that cannot train.
    pub fn validate(&self) -> Result<()> {
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(Error::invalid(format!(
                "learning rate {}: give a finite value > 0",
                self.learning_rate
            )));
        }
        if !(self.swap_resistance.is_finite() && self.swap_resistance >= 0.0) {
            return Err(Error::invalid(format!(
                "swap resistance {}: give a finite value ≥ 0",
                self.swap_resistance
            )));
        }
        if self.passes == 0 || self.passes > MAX_PASSES {
            return Err(Error::invalid(format!(
                "{} passes: give 1 to {MAX_PASSES}",
                self.passes
            )));
        }
        if self.split_after == 0 {
            return Err(Error::invalid("split after 0 examples: give at least 1"));
        }
        if self.internal_nodes == Some(0) {
            return Err(Error::invalid("a tree needs at least one internal node"));
        }
        if self.holdout == 1 {
            return Err(Error::invalid(
                "a holdout of every example leaves nothing to train on: give 0 or ≥ 2",
            ));
        }
        Ok(())
    }
}

/// Trains `spec` on `data` and returns the model and a report.
///
/// Sparse data is trained on the features that occur (hashed feature files cost memory in
/// those, not in the largest index); dense data on all columns. Each pass visits the training
/// examples in a fresh order drawn from `spec.seed`, so the same seed gives the same model.
/// After the last pass kept, the training examples are routed once more to fill each leaf's
/// class histogram, and the leaves are labelled ([`TreeNode`]).
///
/// ```
/// use optml::data::synthetic::circle_blobs;
/// use optml::data::Dataset;
/// use optml::fit::{fit_tree, TreeSpec};
/// use optml::linalg::{DenseMatrix, Design};
///
/// let (x, y) = circle_blobs(4, 50, 0.05, 1);
/// let data = Dataset {
///     x: Design::Dense(DenseMatrix::from_row_major(200, 2, x)?),
///     y,
///     source: None,
/// };
/// let (model, _) = fit_tree(&data, &TreeSpec { passes: 3, ..Default::default() })?;
/// assert!(model.error(&data)? < 0.2);
/// # Ok::<(), optml::Error>(())
/// ```
pub fn fit_tree(data: &Dataset, spec: &TreeSpec) -> Result<(TreeModel, TreeReport)> {
    spec.validate()?;
    let start = Instant::now();
    let n = data.n_samples();
    if n == 0 || data.y.len() != n {
        return Err(Error::invalid(format!(
            "{} has {} samples and {} labels",
            data.name(),
            n,
            data.y.len()
        )));
    }
    let classes = classes_of(data)?;
    let k = classes.len();
    let y: Vec<u32> = class_indices(data, &classes)
        .into_iter()
        .map(|c| c.expect("every label is a class"))
        .collect();
    let (x, feature_map) = match &data.x {
        Design::Sparse(m) => {
            let map = FeatureMap::of(m);
            (map.apply(&data.x)?, Some(map.original))
        }
        Design::Dense(_) => (data.x.clone(), None),
    };
    let d = x.ncols();
    let t = spec.internal_nodes.unwrap_or(2 * k);
    let leaf_classes = spec.leaf_classes.unwrap_or_else(|| default_leaf_classes(k));
    // w, per-feature scale and squared-gradient sums for every regressor.
    match spec.kind {
        TreeKind::Lomtree => crate::limits::check_total(
            &format!("{t} tree nodes × {} weights", d + 1),
            3.0 * (t + if leaf_classes > 0 { k } else { 0 }) as f64 * (d + 1) as f64,
        )?,
        TreeKind::Oaa => crate::limits::check_total(
            &format!("{k} classes × {} weights", d + 1),
            3.0 * k as f64 * (d + 1) as f64,
        )?,
    };

    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    order.shuffle(&mut rng);
    let (train, holdout): (Vec<usize>, Vec<usize>) = if spec.passes > 1 && spec.holdout >= 2 {
        let (h, t): (Vec<_>, Vec<_>) = order
            .iter()
            .enumerate()
            .partition(|(i, _)| i % spec.holdout == spec.holdout - 1);
        (
            t.into_iter().map(|p| *p.1).collect(),
            h.into_iter().map(|p| *p.1).collect(),
        )
    } else {
        (order, Vec::new())
    };
    if train.is_empty() {
        return Err(Error::invalid(format!(
            "{}: no examples left to train on",
            data.name()
        )));
    }

    let mut report = TreeReport {
        kind: spec.kind,
        passes: 0,
        best_pass: 0,
        holdout_error: Vec::new(),
        train_examples: train.len(),
        swaps: 0,
        refine_passes: 0,
        refine_best_pass: 0,
        refine_holdout_error: Vec::new(),
        seconds: 0.0,
    };
    let base = TreeModel {
        format_version: TREE_FORMAT_VERSION,
        classes,
        n_features: d,
        feature_map,
        predictor: Predictor::Oaa {
            weights: Vec::new(),
        },
    };
    let mut pass_order = train.clone();
    let mut best: Option<(f64, TreeModel)> = None;
    let mut tree = Learner::new(
        d,
        LearnerOptions {
            max_internal: t,
            swap_resistance: spec.swap_resistance,
            learning_rate: spec.learning_rate,
            split_after: spec.split_after,
        },
    );
    let mut oaa = OaaLearner::new(d, k, spec.learning_rate);
    for pass in 1..=spec.passes {
        if pass > 1 {
            pass_order.shuffle(&mut rng);
        }
        for &i in &pass_order {
            match spec.kind {
                TreeKind::Lomtree => tree.learn(row(&x, i), y[i]),
                TreeKind::Oaa => oaa.learn(row(&x, i), y[i]),
            }
        }
        let mut model = base.clone();
        model.predictor = match spec.kind {
            TreeKind::Lomtree => tree_predictor(&tree, &x, &y, &train, k),
            TreeKind::Oaa => Predictor::Oaa {
                weights: oaa.weights(),
            },
        };
        report.passes = pass;
        report.swaps = tree.swaps;
        if holdout.is_empty() {
            best = Some((0.0, model));
            report.best_pass = pass;
            continue;
        }
        let wrong = holdout
            .iter()
            .filter(|&&i| model.predict_row(row(&x, i)).0 != y[i])
            .count();
        let err = wrong as f64 / holdout.len() as f64;
        report.holdout_error.push(err);
        if best.as_ref().is_none_or(|b| err < b.0) {
            best = Some((err, model));
            report.best_pass = pass;
        } else if pass >= report.best_pass + 2 {
            break;
        }
    }
    let (_, mut model) = best.expect("at least one pass ran");
    if spec.kind == TreeKind::Lomtree && leaf_classes > 0 {
        let spec = TreeSpec {
            leaf_classes: Some(leaf_classes),
            ..spec.clone()
        };
        refine(
            &mut model,
            &x,
            &y,
            &train,
            &holdout,
            &spec,
            &mut rng,
            &mut report,
        );
    }
    if model.predictor.is_non_finite() {
        return Err(Error::NonFinite(format!(
            "training on {} produced a non-finite weight: lower the learning rate",
            data.name()
        )));
    }
    model.validate()?;
    report.seconds = start.elapsed().as_secs_f64();
    Ok((model, report))
}

/// The learner's tree as a model: nodes exported, leaves filled by routing `train`, and every
/// node one of whose subtrees `train` never reaches replaced by its other child (so no leaf is
/// empty, and an example that would have gone there descends the subtree that has data).
fn tree_predictor(tree: &Learner, x: &Design, y: &[u32], train: &[usize], k: usize) -> Predictor {
    let nodes: Vec<TreeNode> = tree
        .export()
        .into_iter()
        .map(|(children, weights)| TreeNode {
            children,
            weights,
            label: None,
            histogram: Vec::new(),
            candidates: Vec::new(),
        })
        .collect();
    let mut counts: Vec<std::collections::BTreeMap<u32, u64>> =
        vec![Default::default(); nodes.len()];
    let probe = TreeModel {
        format_version: TREE_FORMAT_VERSION,
        classes: Vec::new(),
        n_features: x.ncols(),
        feature_map: None,
        predictor: Predictor::Lomtree {
            nodes,
            class_weights: Vec::new(),
        },
    };
    for &i in train {
        *counts[probe.leaf_of(row(x, i))].entry(y[i]).or_default() += 1;
    }
    let Predictor::Lomtree { nodes, .. } = probe.predictor else {
        unreachable!()
    };
    // Examples under each node: children come after their parent in the exported order.
    let mut reached: Vec<u64> = counts.iter().map(|c| c.values().sum()).collect();
    for v in (0..nodes.len()).rev() {
        if let Some([a, b]) = nodes[v].children {
            reached[v] = reached[a as usize] + reached[b as usize];
        }
    }
    let mut kept: Vec<TreeNode> = Vec::new();
    let mut kept_counts: Vec<Vec<(u32, u64)>> = Vec::new();
    // (node, the kept node whose child slot it fills)
    let mut stack: Vec<(usize, Option<(usize, usize)>)> = vec![(0, None)];
    while let Some((mut v, slot)) = stack.pop() {
        while let Some([a, b]) = nodes[v].children {
            match (reached[a as usize], reached[b as usize]) {
                (0, r) if r > 0 => v = b as usize,
                (r, 0) if r > 0 => v = a as usize,
                _ => break,
            }
        }
        let at = kept.len();
        if let Some((p, side)) = slot {
            kept[p].children.as_mut().expect("internal")[side] = at as u32;
        }
        kept.push(nodes[v].clone());
        kept_counts.push(std::mem::take(&mut counts[v]).into_iter().collect());
        if let Some([a, b]) = nodes[v].children {
            stack.push((b as usize, Some((at, 1))));
            stack.push((a as usize, Some((at, 0))));
        }
    }
    label_leaves(&mut kept, kept_counts, k);
    Predictor::Lomtree {
        nodes: kept,
        class_weights: Vec::new(),
    }
}

/// [`TreeSpec::leaf_classes`] when `None`: 4⌈log₂ k⌉, at most k (as many candidates per leaf
/// as Vowpal Wabbit's recall tree keeps by default).
pub fn default_leaf_classes(k: usize) -> usize {
    let log2 = usize::BITS - k.saturating_sub(1).leading_zeros();
    (4 * log2 as usize).min(k)
}

/// Leaf refinement ([`TreeSpec::leaf_classes`]): candidates for each leaf of several classes,
/// then per-class regressors trained one against some over passes, kept at the pass of lowest
/// holdout error.
#[allow(clippy::too_many_arguments)]
fn refine(
    model: &mut TreeModel,
    x: &Design,
    y: &[u32],
    train: &[usize],
    holdout: &[usize],
    spec: &TreeSpec,
    rng: &mut ChaCha8Rng,
    report: &mut TreeReport,
) {
    let leaf_of: Vec<usize> = (0..x.nrows()).map(|i| model.leaf_of(row(x, i))).collect();
    let Predictor::Lomtree { nodes, .. } = &mut model.predictor else {
        return;
    };
    let m = spec.leaf_classes.unwrap_or(0);
    let candidates: Vec<Vec<u32>> = nodes
        .iter()
        .map(|node| {
            if node.children.is_some() || node.histogram.len() < 2 {
                return Vec::new();
            }
            let mut c: Vec<u32> = node.histogram.iter().take(m).map(|h| h.0).collect();
            if let Some(label) = node.label {
                if !c.contains(&label) {
                    c.pop();
                    c.push(label);
                }
            }
            c
        })
        .collect();
    for (node, c) in nodes.iter_mut().zip(&candidates) {
        node.candidates = c.clone();
    }
    let set = |model: &mut TreeModel, w: Vec<f64>| {
        if let Predictor::Lomtree { class_weights, .. } = &mut model.predictor {
            *class_weights = w;
        }
    };
    let mut learner = OaaLearner::new(x.ncols(), model.k(), spec.learning_rate);
    let mut order = train.to_vec();
    let mut best: Option<(f64, Vec<f64>)> = None;
    for pass in 1..=spec.passes {
        order.shuffle(rng);
        for &i in &order {
            let c = &candidates[leaf_of[i]];
            if !c.is_empty() {
                learner.learn_some(row(x, i), y[i], c);
            }
        }
        report.refine_passes = pass;
        set(model, learner.weights());
        if holdout.is_empty() {
            report.refine_best_pass = pass;
            continue;
        }
        let wrong = holdout
            .iter()
            .filter(|&&i| model.predict_row(row(x, i)).0 != y[i])
            .count();
        let err = wrong as f64 / holdout.len() as f64;
        report.refine_holdout_error.push(err);
        if best.as_ref().is_none_or(|b| err < b.0) {
            best = Some((err, learner.weights()));
            report.refine_best_pass = pass;
        } else if pass >= report.refine_best_pass + 2 {
            break;
        }
    }
    if let Some((_, w)) = best {
        set(model, w);
    }
}
