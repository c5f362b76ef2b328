//! Leaf labels from class histograms, with as many classes as possible owning a leaf.

use super::model::TreeNode;

/// Sets each leaf's histogram (most frequent first) and its label: the majority class, except
/// where a class would otherwise own no leaf. Classes are matched to distinct leaves they reach
/// (a maximum bipartite matching by augmenting paths, Kuhn 1955, started from each class's
/// largest majority leaf and trying a class's leaves in order of its count), so the most classes
/// that the histograms allow own a leaf; a matched leaf predicts its class, any other leaf its
/// majority. A leaf no training example reached predicts the most frequent class overall.
pub(crate) fn label_leaves(nodes: &mut [TreeNode], counts: Vec<Vec<(u32, u64)>>, k: usize) {
    let mut overall = vec![0u64; k];
    for h in &counts {
        for &(c, n) in h {
            overall[c as usize] += n;
        }
    }
    let fallback = (0..k)
        .max_by_key(|&c| (overall[c], std::cmp::Reverse(c)))
        .unwrap_or(0) as u32;
    let mut leaves: Vec<&mut TreeNode> = Vec::new();
    for (node, mut h) in nodes.iter_mut().zip(counts) {
        if node.children.is_some() {
            continue;
        }
        h.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        node.label = Some(h.first().map_or(fallback, |h| h.0));
        node.histogram = h;
        leaves.push(node);
    }
    // Each class's leaves, by its count there (descending), then leaf order.
    let mut reach: Vec<Vec<(u64, usize)>> = vec![Vec::new(); k];
    for (i, l) in leaves.iter().enumerate() {
        for &(c, n) in &l.histogram {
            reach[c as usize].push((n, i));
        }
    }
    for r in &mut reach {
        r.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    let mut owner: Vec<Option<u32>> = vec![None; leaves.len()];
    let mut matched = vec![false; k];
    for c in 0..k {
        let majority = reach[c]
            .iter()
            .find(|&&(_, i)| leaves[i].label == Some(c as u32) && owner[i].is_none());
        if let Some(&(_, i)) = majority {
            owner[i] = Some(c as u32);
            matched[c] = true;
        }
    }
    for c in 0..k {
        if !matched[c] && !reach[c].is_empty() {
            let mut seen = vec![false; leaves.len()];
            matched[c] = augment(c, &reach, &mut owner, &mut seen);
        }
    }
    for (leaf, o) in leaves.iter_mut().zip(&owner) {
        if let Some(c) = o {
            leaf.label = Some(*c);
        }
    }
}

/// Finds a leaf for class `c`, moving other classes to other leaves of theirs if needed.
fn augment(
    c: usize,
    reach: &[Vec<(u64, usize)>],
    owner: &mut [Option<u32>],
    seen: &mut [bool],
) -> bool {
    for &(_, i) in &reach[c] {
        if seen[i] {
            continue;
        }
        seen[i] = true;
        let free = match owner[i] {
            None => true,
            Some(o) => augment(o as usize, reach, owner, seen),
        };
        if free {
            owner[i] = Some(c as u32);
            return true;
        }
    }
    false
}
