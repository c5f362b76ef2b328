//! One-against-all with the tree's node learner: k regressors, class c trained towards +1 on its
//! examples and −1 on the others; the largest score wins. The baseline a tree's log-time
//! prediction (depth dot products instead of k) is measured against. The same k regressors
//! refine a tree's leaves: there an example trains only its leaf's candidate classes (one
//! against some).

use super::regressor::Regressor;
use super::rows::Row;

#[derive(Clone, Debug)]
pub(crate) struct OaaLearner {
    regressors: Vec<Regressor>,
    learning_rate: f64,
}

impl OaaLearner {
    pub fn new(d: usize, k: usize, learning_rate: f64) -> OaaLearner {
        OaaLearner {
            regressors: vec![Regressor::new(d); k],
            learning_rate,
        }
    }

    pub fn learn(&mut self, x: Row<'_>, y: u32) {
        for (c, r) in self.regressors.iter_mut().enumerate() {
            let target = if c as u32 == y { 1.0 } else { -1.0 };
            r.update(x, target, self.learning_rate);
        }
    }

    /// One example of class `y` for the regressors of `candidates` alone.
    pub fn learn_some(&mut self, x: Row<'_>, y: u32, candidates: &[u32]) {
        for &c in candidates {
            let target = if c == y { 1.0 } else { -1.0 };
            self.regressors[c as usize].update(x, target, self.learning_rate);
        }
    }

    /// The k × (d + 1) weights, row-major.
    pub fn weights(&self) -> Vec<f64> {
        self.regressors.iter().flat_map(|r| r.w.clone()).collect()
    }
}
