//! [`TreeModel`]: a trained LOMtree or one-against-all model, its predictions, and its file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::regressor::score;
use super::rows::{row, FeatureMap, Row};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::linalg::Design;

/// The version of the model file this build writes (it reads this one and version 1, which has
/// no leaf refinement).
pub const TREE_FORMAT_VERSION: u32 = 2;

/// One node of a trained tree: internal (children and the weights of hᵥ: d features, then the
/// bias) or a leaf (its label and class histogram).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeNode {
    /// Left (h ≤ 0) and right (h > 0) child, internal nodes only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<[u32; 2]>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weights: Vec<f64>,
    /// The class a leaf predicts (an index into the model's classes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<u32>,
    /// (class, training examples) at a leaf, most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub histogram: Vec<(u32, u64)>,
    /// A refined tree's leaf: the classes its one-against-some scores rank (empty: the leaf
    /// predicts its label).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<u32>,
}

/// How the model predicts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Predictor {
    /// A LOMtree: node 0 is the root; a prediction descends one dot product per level.
    /// Refined (`class_weights`, k × (d + 1) row-major, non-empty), a leaf with candidates
    /// predicts the candidate of largest score, one dot product per candidate.
    Lomtree {
        nodes: Vec<TreeNode>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        class_weights: Vec<f64>,
    },
    /// One regressor per class (k × (d + 1) weights, row-major); the largest score wins.
    Oaa { weights: Vec<f64> },
}

/// A trained multiclass model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeModel {
    pub format_version: u32,
    /// The labels, ascending; classes are their indices.
    pub classes: Vec<f64>,
    /// Features of the weights: the compacted count when `feature_map` is given, else the
    /// data's column count.
    pub n_features: usize,
    /// The original column of each compacted feature (sparse training data), or none.
    #[serde(default)]
    pub feature_map: Option<Vec<u32>>,
    #[serde(flatten)]
    pub predictor: Predictor,
}

/// A data set as a model reads it: its rows over the model's features.
pub struct Prepared {
    x: Design,
}

impl Prepared {
    pub fn n_rows(&self) -> usize {
        self.x.nrows()
    }
    pub fn row(&self, i: usize) -> Row<'_> {
        row(&self.x, i)
    }
}

impl Predictor {
    /// Whether a weight is NaN or infinite.
    pub fn is_non_finite(&self) -> bool {
        match self {
            Predictor::Lomtree {
                nodes,
                class_weights,
            } => {
                class_weights.iter().any(|w| !w.is_finite())
                    || nodes
                        .iter()
                        .any(|n| n.weights.iter().any(|w| !w.is_finite()))
            }
            Predictor::Oaa { weights } => weights.iter().any(|w| !w.is_finite()),
        }
    }
}

/// Statistics of a tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TreeStats {
    pub internal_nodes: usize,
    pub leaves: usize,
    pub max_depth: usize,
    /// Mean depth of the leaves, weighted by their training examples.
    pub mean_depth: f64,
    /// Classes that no leaf can predict (as its label or one of its candidates).
    pub classes_without_leaf: usize,
    /// Fraction of training examples whose class is their leaf's label.
    pub leaf_purity: f64,
    /// Leaves no training example reached.
    pub empty_leaves: usize,
    /// Fraction of training examples whose class their leaf can predict: one of its candidates,
    /// or its label where it has none (then equal to the purity).
    pub candidate_recall: f64,
}

impl TreeModel {
    pub fn k(&self) -> usize {
        self.classes.len()
    }

    /// `data`'s rows over the model's features: sparse columns compacted through the feature
    /// map (features the model never saw are dropped); dense data must have the model's width.
    pub fn prepare(&self, data: &Dataset) -> Result<Prepared> {
        let x = match &self.feature_map {
            Some(original) => FeatureMap {
                original: original.clone(),
            }
            .apply(&data.x)?,
            None => {
                let mut x = data.x.clone();
                if x.ncols() < self.n_features {
                    x.set_ncols(self.n_features)?;
                }
                if x.ncols() != self.n_features {
                    return Err(Error::invalid(format!(
                        "{} has {} features, the model {}",
                        data.name(),
                        x.ncols(),
                        self.n_features
                    )));
                }
                x
            }
        };
        Ok(Prepared { x })
    }

    /// The class index predicted for `x`, and the dot products it took.
    pub fn predict_row(&self, x: Row<'_>) -> (u32, usize) {
        match &self.predictor {
            Predictor::Lomtree {
                nodes,
                class_weights,
            } => {
                let (leaf, dots) = descend(nodes, x);
                let node = &nodes[leaf];
                if class_weights.is_empty() || node.candidates.is_empty() {
                    return (node.label.unwrap_or(0), dots);
                }
                let w = self.n_features + 1;
                let mut best = (0u32, f64::NEG_INFINITY);
                for &c in &node.candidates {
                    let s = score(&class_weights[c as usize * w..(c as usize + 1) * w], x);
                    if s > best.1 {
                        best = (c, s);
                    }
                }
                (best.0, dots + node.candidates.len())
            }
            Predictor::Oaa { weights } => {
                let w = self.n_features + 1;
                let mut best = (0u32, f64::NEG_INFINITY);
                for (c, wc) in weights.chunks_exact(w).enumerate() {
                    let s = score(wc, x);
                    if s > best.1 {
                        best = (c as u32, s);
                    }
                }
                (best.0, self.k())
            }
        }
    }

    /// The leaf of a tree that `x` reaches (0 for one-against-all).
    pub fn leaf_of(&self, x: Row<'_>) -> usize {
        match &self.predictor {
            Predictor::Lomtree { nodes, .. } => descend(nodes, x).0,
            Predictor::Oaa { .. } => 0,
        }
    }

    /// The `top` most likely classes for `x` with their probabilities: a tree reads them off the
    /// leaf's histogram (its label first); one-against-all ranks the scores.
    pub fn top_k(&self, x: Row<'_>, top: usize) -> Vec<(f64, f64)> {
        match &self.predictor {
            Predictor::Lomtree {
                nodes,
                class_weights,
            } if !class_weights.is_empty() && !nodes[descend(nodes, x).0].candidates.is_empty() => {
                let w = self.n_features + 1;
                let leaf = &nodes[descend(nodes, x).0];
                let s = leaf
                    .candidates
                    .iter()
                    .map(|&c| {
                        let c = c as usize;
                        (c, score(&class_weights[c * w..(c + 1) * w], x))
                    })
                    .collect();
                self.ranked(s, top)
            }
            Predictor::Lomtree { nodes, .. } => {
                let leaf = &nodes[descend(nodes, x).0];
                let total: u64 = leaf.histogram.iter().map(|h| h.1).sum();
                let mut out: Vec<(u32, f64)> = leaf
                    .histogram
                    .iter()
                    .map(|&(c, n)| (c, n as f64 / total.max(1) as f64))
                    .collect();
                if let Some(label) = leaf.label {
                    if let Some(pos) = out.iter().position(|o| o.0 == label) {
                        let l = out.remove(pos);
                        out.insert(0, l);
                    } else {
                        out.insert(0, (label, 0.0));
                    }
                }
                out.truncate(top);
                out.into_iter()
                    .map(|(c, p)| (self.classes[c as usize], p))
                    .collect()
            }
            Predictor::Oaa { weights } => {
                let w = self.n_features + 1;
                let s = weights
                    .chunks_exact(w)
                    .map(|wc| score(wc, x))
                    .enumerate()
                    .collect();
                self.ranked(s, top)
            }
        }
    }

    /// The `top` best (class, score) pairs with a softmax of the scores as probabilities.
    fn ranked(&self, mut s: Vec<(usize, f64)>, top: usize) -> Vec<(f64, f64)> {
        s.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        // A softmax of the scores, for a probability-like ranking.
        let m = s.first().map_or(0.0, |v| v.1);
        let z: f64 = s.iter().map(|v| (v.1 - m).exp()).sum();
        s.truncate(top);
        s.into_iter()
            .map(|(c, v)| (self.classes[c], (v - m).exp() / z))
            .collect()
    }

    /// Predicted labels for every row.
    pub fn predict(&self, data: &Dataset) -> Result<Vec<f64>> {
        let p = self.prepare(data)?;
        Ok((0..p.n_rows())
            .map(|i| self.classes[self.predict_row(p.row(i)).0 as usize])
            .collect())
    }

    /// The fraction of `data` predicted wrongly (a label the model lacks is an error).
    pub fn error(&self, data: &Dataset) -> Result<f64> {
        let pred = self.predict(data)?;
        let wrong = pred.iter().zip(&data.y).filter(|(p, y)| p != y).count();
        Ok(wrong as f64 / data.n_samples().max(1) as f64)
    }

    /// Depths, leaves and purity of a tree (none for one-against-all).
    pub fn stats(&self) -> Option<TreeStats> {
        let Predictor::Lomtree { nodes, .. } = &self.predictor else {
            return None;
        };
        let mut depth = vec![0usize; nodes.len()];
        let (mut max_depth, mut weighted, mut total, mut right) = (0, 0.0, 0u64, 0u64);
        let (mut empty, mut recalled) = (0usize, 0u64);
        let mut owned = vec![false; self.k()];
        for (v, node) in nodes.iter().enumerate() {
            match node.children {
                Some([a, b]) => {
                    depth[a as usize] = depth[v] + 1;
                    depth[b as usize] = depth[v] + 1;
                }
                None => {
                    max_depth = max_depth.max(depth[v]);
                    let n: u64 = node.histogram.iter().map(|h| h.1).sum();
                    empty += usize::from(n == 0);
                    recalled += node
                        .histogram
                        .iter()
                        .filter(|h| match node.candidates.is_empty() {
                            true => node.label == Some(h.0),
                            false => node.candidates.contains(&h.0),
                        })
                        .map(|h| h.1)
                        .sum::<u64>();
                    weighted += (n * depth[v] as u64) as f64;
                    total += n;
                    for &c in &node.candidates {
                        owned[c as usize] = true;
                    }
                    if let Some(label) = node.label {
                        owned[label as usize] = true;
                        right += node
                            .histogram
                            .iter()
                            .find(|h| h.0 == label)
                            .map_or(0, |h| h.1);
                    }
                }
            }
        }
        let leaves = nodes.iter().filter(|n| n.children.is_none()).count();
        Some(TreeStats {
            internal_nodes: nodes.len() - leaves,
            leaves,
            max_depth,
            mean_depth: weighted / total.max(1) as f64,
            classes_without_leaf: owned.iter().filter(|o| !**o).count(),
            leaf_purity: right as f64 / total.max(1) as f64,
            empty_leaves: empty,
            candidate_recall: recalled as f64 / total.max(1) as f64,
        })
    }

    /// Checks the invariants a loaded file must meet: classes ascending and finite, weights of
    /// the right length and finite, a tree whose children are later nodes reached once each
    /// (so a descent ends), labels and histograms within the classes.
    pub fn validate(&self) -> Result<()> {
        if self.format_version != TREE_FORMAT_VERSION && self.format_version != 1 {
            return Err(Error::invalid(format!(
                "tree model format version {} is not supported (this build reads version \
                 {TREE_FORMAT_VERSION})",
                self.format_version
            )));
        }
        let k = self.k();
        if k < 2 || self.classes.iter().any(|c| !c.is_finite()) {
            return Err(Error::invalid(
                "a multiclass model needs at least two finite classes",
            ));
        }
        if self.classes.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid("the model's classes must be ascending"));
        }
        if let Some(map) = &self.feature_map {
            if map.len() != self.n_features {
                return Err(Error::invalid(format!(
                    "the feature map has {} entries for {} features",
                    map.len(),
                    self.n_features
                )));
            }
            FeatureMap {
                original: map.clone(),
            }
            .validate()?;
        }
        let width = self
            .n_features
            .checked_add(1)
            .ok_or_else(|| Error::invalid("too many features"))?;
        match &self.predictor {
            Predictor::Oaa { weights } => {
                if Some(weights.len()) != width.checked_mul(k) {
                    return Err(Error::invalid(format!(
                        "the one-against-all model has {} weights, expected {k} × {width}",
                        weights.len()
                    )));
                }
                finite(weights)?;
            }
            Predictor::Lomtree {
                nodes,
                class_weights,
            } => {
                if !class_weights.is_empty() && Some(class_weights.len()) != width.checked_mul(k) {
                    return Err(Error::invalid(format!(
                        "the tree's leaf refinement has {} weights, expected {k} × {width}",
                        class_weights.len()
                    )));
                }
                finite(class_weights)?;
                validate_tree(nodes, width, k)?
            }
        }
        Ok(())
    }

    /// Writes the model as JSON, whole or not at all.
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::atomic::write_json_atomic(path, self)
    }

    /// Reads and validates a model file.
    pub fn load(path: &Path) -> Result<TreeModel> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        TreeModel::from_json_str(&text, path)
    }

    /// Parses and validates a model file's text; `name` is used in error messages.
    pub fn from_json_str(text: &str, name: &Path) -> Result<TreeModel> {
        let model: TreeModel = serde_json::from_str(text)
            .map_err(|e| Error::parse(name, e.line(), format!("not a tree model file: {e}")))?;
        model
            .validate()
            .map_err(|e| Error::parse(name, 0, e.to_string()))?;
        Ok(model)
    }
}

/// The leaf `x` reaches and the dot products taken on the way.
#[inline]
fn descend(nodes: &[TreeNode], x: Row<'_>) -> (usize, usize) {
    let (mut v, mut dots) = (0usize, 0usize);
    while let Some(children) = nodes[v].children {
        let h = score(&nodes[v].weights, x);
        dots += 1;
        v = children[usize::from(h > 0.0)] as usize;
    }
    (v, dots)
}

fn finite(w: &[f64]) -> Result<()> {
    if w.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("the model holds a non-finite weight"));
    }
    Ok(())
}

fn validate_tree(nodes: &[TreeNode], width: usize, k: usize) -> Result<()> {
    if nodes.is_empty() {
        return Err(Error::invalid("the tree has no nodes"));
    }
    let mut parents = vec![0u32; nodes.len()];
    for (v, node) in nodes.iter().enumerate() {
        match node.children {
            Some(kids) => {
                for c in kids {
                    let c = c as usize;
                    if c <= v || c >= nodes.len() {
                        return Err(Error::invalid(format!(
                            "node {v} has child {c}: children must be later nodes of the tree"
                        )));
                    }
                    parents[c] += 1;
                }
                if node.weights.len() != width {
                    return Err(Error::invalid(format!(
                        "node {v} has {} weights, expected {width}",
                        node.weights.len()
                    )));
                }
                finite(&node.weights)?;
            }
            None => {
                if node.label.is_none_or(|l| l as usize >= k)
                    || node.histogram.iter().any(|h| h.0 as usize >= k)
                    || node.candidates.iter().any(|&c| c as usize >= k)
                {
                    return Err(Error::invalid(format!(
                        "leaf {v} has no label or a class outside the model's {k}"
                    )));
                }
            }
        }
    }
    if let Some(v) = (1..nodes.len()).find(|&v| parents[v] != 1) {
        return Err(Error::invalid(format!(
            "node {v} is reached {} times from the root, expected once",
            parents[v]
        )));
    }
    Ok(())
}
