//! The LOMtree learner: Algorithm 1 of Choromanska & Langford (2015), "Logarithmic time online
//! multiclass prediction".
//!
//! Each internal node v holds a regressor hᵥ and online estimates of the split objective
//! J(h) = 2·Σ_y π_y·|P(h > 0) − P(h > 0 | y)|, kept as running averages of h: eᵥ(y), the mean
//! score of class y at v, and Eᵥ, the mean over all classes. An example of class y trains hᵥ
//! towards sign(eᵥ(y) − Eᵥ), which pushes each class to the side it already leans to and so
//! raises J (balanced, pure splits), then descends to the side hᵥ(x) picks. A leaf that sees a
//! second class splits while fewer than T internal nodes exist (here: once `split_after`
//! examples outside its majority class reached it, so that one stray example does not spend a
//! node whose second child no example of its class will reach); after that a leaf whose
//! examples outside its majority class exceed R_S·(C_r + 1) takes the place of the smallest
//! leaf s (C_r examples): s and its parent leave the tree, s's sibling takes the parent's place,
//! and the two nodes come back as fresh children of the leaf (the swap). Cᵥ, the size of the
//! smallest leaf under v, is kept up to date along one path per example (`min_count`).

use std::collections::BTreeMap;

use super::regressor::Regressor;
use super::rows::Row;

/// No node.
const NONE: u32 = u32::MAX;

/// What an internal node knows of one class.
#[derive(Clone, Copy, Debug, Default)]
struct ClassStat {
    /// Σ h(x) over the class's examples that trained the node.
    m: f64,
    /// How many of them trained the node.
    n: f64,
    /// How many reached the node (the leaf's histogram while it is a leaf).
    l: u64,
}

#[derive(Clone, Debug)]
struct Node {
    parent: u32,
    children: [u32; 2],
    regressor: Option<Regressor>,
    stats: BTreeMap<u32, ClassStat>,
    sum_m: f64,
    sum_n: f64,
    /// A leaf: the examples it received; an internal node: the smallest C of its leaves.
    c: u64,
}

impl Node {
    fn new(parent: u32) -> Node {
        Node {
            parent,
            children: [NONE, NONE],
            regressor: None,
            stats: BTreeMap::new(),
            sum_m: 0.0,
            sum_n: 0.0,
            c: 0,
        }
    }

    fn is_leaf(&self) -> bool {
        self.children[0] == NONE
    }

    /// SetNode: forget every statistic (the regressor's buffer is kept for reuse).
    fn clear(&mut self) {
        self.children = [NONE, NONE];
        self.stats.clear();
        self.sum_m = 0.0;
        self.sum_n = 0.0;
        self.c = 0;
    }
}

/// Options of the learner.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LearnerOptions {
    pub max_internal: usize,
    pub swap_resistance: f64,
    pub learning_rate: f64,
    /// A leaf splits once this many of its examples are outside its majority class (1: at the
    /// first example of a second class, as in the paper).
    pub split_after: u64,
}

/// The tree while it learns.
#[derive(Clone, Debug)]
pub(crate) struct Learner {
    nodes: Vec<Node>,
    d: usize,
    internal: usize,
    opts: LearnerOptions,
    /// Swaps done so far.
    pub swaps: u64,
}

impl Learner {
    pub fn new(d: usize, opts: LearnerOptions) -> Learner {
        Learner {
            nodes: vec![Node::new(NONE)],
            d,
            internal: 0,
            opts,
            swaps: 0,
        }
    }

    /// One example of class `y`.
    pub fn learn(&mut self, x: Row<'_>, y: u32) {
        let mut j = 0usize;
        loop {
            self.nodes[j].stats.entry(y).or_default().l += 1;
            if self.nodes[j].is_leaf() && self.nodes[j].stats.len() >= 2 {
                let node = &self.nodes[j];
                let majority = node.stats.values().map(|s| s.l).max().unwrap_or(0);
                if self.internal < self.opts.max_internal {
                    let reached: u64 = node.stats.values().map(|s| s.l).sum();
                    if reached - majority >= self.opts.split_after {
                        self.split(j);
                    }
                } else {
                    let root_c = self.nodes[0].c as f64;
                    let others = node.c.saturating_sub(majority) as f64;
                    if others > self.opts.swap_resistance * (root_c + 1.0) {
                        self.swap(j);
                    }
                }
            }
            let node = &mut self.nodes[j];
            if node.is_leaf() {
                node.c += 1;
                self.update_c(j);
                return;
            }
            let stat = node.stats.get(&y).copied().unwrap_or_default();
            let e_y = if stat.n > 0.0 { stat.m / stat.n } else { 0.0 };
            let e = if node.sum_n > 0.0 {
                node.sum_m / node.sum_n
            } else {
                0.0
            };
            let target = if e > e_y { -1.0 } else { 1.0 };
            let h = node
                .regressor
                .as_mut()
                .expect("an internal node has a regressor")
                .update(x, target, self.opts.learning_rate);
            let s = node.stats.entry(y).or_default();
            s.m += h;
            s.n += 1.0;
            node.sum_m += h;
            node.sum_n += 1.0;
            j = node.children[usize::from(h > 0.0)] as usize;
        }
    }

    /// Leaf `j` becomes internal with two fresh leaves.
    fn split(&mut self, j: usize) {
        let a = self.nodes.len() as u32;
        self.nodes.push(Node::new(j as u32));
        self.nodes.push(Node::new(j as u32));
        self.make_internal(j, [a, a + 1], None);
        self.internal += 1;
    }

    /// Gives leaf `j` the children `kids` and a fresh regressor (reusing `buffer`).
    fn make_internal(&mut self, j: usize, kids: [u32; 2], buffer: Option<Regressor>) {
        let mut reg = buffer.unwrap_or_else(|| Regressor::new(self.d));
        reg.reset();
        let node = &mut self.nodes[j];
        node.children = kids;
        node.regressor = Some(reg);
        node.c = 0;
        self.update_c(j);
    }

    /// Swap: the smallest leaf s and its parent leave the tree and become `j`'s children.
    /// Does nothing when s hangs from the root (no grandparent) or is `j`.
    fn swap(&mut self, j: usize) {
        let mut s = 0usize;
        while !self.nodes[s].is_leaf() {
            let [a, b] = self.nodes[s].children;
            s = if self.nodes[a as usize].c == self.nodes[s].c {
                a
            } else {
                b
            } as usize;
        }
        let pa = self.nodes[s].parent;
        if s == j || pa == NONE || self.nodes[pa as usize].parent == NONE {
            return;
        }
        let pa = pa as usize;
        let gpa = self.nodes[pa].parent as usize;
        let [a, b] = self.nodes[pa].children;
        let sib = if a as usize == s { b } else { a };
        let slot = usize::from(self.nodes[gpa].children[1] as usize == pa);
        self.nodes[gpa].children[slot] = sib;
        self.nodes[sib as usize].parent = gpa as u32;
        self.update_c(sib as usize);
        let buffer = self.nodes[pa].regressor.take();
        self.nodes[s].clear();
        self.nodes[pa].clear();
        // j may have been pa's sibling: its parent is then gpa now, which the relink kept.
        self.nodes[s].parent = j as u32;
        self.nodes[pa].parent = j as u32;
        self.make_internal(j, [s as u32, pa as u32], buffer);
        self.swaps += 1;
    }

    /// Restores Cᵥ = min(C_left, C_right) on the path from `v` to the root.
    fn update_c(&mut self, mut v: usize) {
        loop {
            let p = self.nodes[v].parent;
            if p == NONE {
                return;
            }
            let p = p as usize;
            let [a, b] = self.nodes[p].children;
            let c = self.nodes[a as usize].c.min(self.nodes[b as usize].c);
            if c == self.nodes[p].c {
                return;
            }
            self.nodes[p].c = c;
            v = p;
        }
    }

    /// The reachable tree, renumbered from the root in depth-first order: for each node its
    /// children (or none) and, for internal nodes, the weights.
    pub fn export(&self) -> Vec<(Option<[u32; 2]>, Vec<f64>)> {
        let mut order = Vec::new();
        let mut stack = vec![0usize];
        let mut index = vec![NONE; self.nodes.len()];
        while let Some(v) = stack.pop() {
            index[v] = order.len() as u32;
            order.push(v);
            let node = &self.nodes[v];
            if !node.is_leaf() {
                stack.push(node.children[1] as usize);
                stack.push(node.children[0] as usize);
            }
        }
        order
            .iter()
            .map(|&v| {
                let node = &self.nodes[v];
                if node.is_leaf() {
                    (None, Vec::new())
                } else {
                    let [a, b] = node.children;
                    let w = node.regressor.as_ref().map(|r| r.w.clone());
                    (
                        Some([index[a as usize], index[b as usize]]),
                        w.unwrap_or_default(),
                    )
                }
            })
            .collect()
    }
}
