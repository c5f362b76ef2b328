//! The LOMtree and its one-against-all baseline (`optml::fit::fit_tree`, `optml::models::tree`):
//! determinism, leaves for every class, accuracy on separable mixtures, log-time prediction,
//! model files.

mod common;

use std::path::Path;

use optml::data::Dataset;
use optml::fit::{fit_tree, TreeKind, TreeSpec};
use optml::linalg::{CsrMatrix, DenseMatrix, Design};
use optml::models::tree::{Predictor, TreeModel};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// k Gaussian clusters in d dimensions, centers drawn N(0, I)·sep, unit noise; labels 1..=k
/// (stored sparse when `sparse`).
fn mixture(k: usize, d: usize, per: usize, sep: f64, seed: u64, sparse: bool) -> Dataset {
    draws(k, d, per, sep, seed, seed + 1000, sparse)
}

/// [`mixture`]'s clusters (from `seed`) with the points drawn from `draw`.
fn draws(k: usize, d: usize, per: usize, sep: f64, seed: u64, draw: u64, sparse: bool) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centers: Vec<f64> = (0..k * d)
        .map(|_| {
            let z: f64 = StandardNormal.sample(&mut rng);
            sep * z
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(draw);
    let n = k * per;
    let mut x = Vec::with_capacity(n * d);
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let c = i % k;
        for j in 0..d {
            let z: f64 = StandardNormal.sample(&mut rng);
            x.push(centers[c * d + j] + z);
        }
        y.push((c + 1) as f64);
    }
    let x = if sparse {
        Design::Sparse(CsrMatrix::from_dense(n, d, &x).unwrap())
    } else {
        Design::Dense(DenseMatrix::from_row_major(n, d, x).unwrap())
    };
    Dataset { x, y, source: None }
}

fn nodes(m: &TreeModel) -> &[optml::models::tree::TreeNode] {
    match &m.predictor {
        Predictor::Lomtree { nodes, .. } => nodes,
        Predictor::Oaa { .. } => panic!("not a tree"),
    }
}

#[test]
fn same_seed_same_bits_other_seed_other_tree() {
    let data = mixture(6, 5, 40, 3.0, 1, false);
    let spec = TreeSpec {
        passes: 3,
        seed: 7,
        ..Default::default()
    };
    let (a, ra) = fit_tree(&data, &spec).unwrap();
    let (b, rb) = fit_tree(&data, &spec).unwrap();
    assert_eq!(a, b);
    assert_eq!(ra.holdout_error, rb.holdout_error);
    let (c, _) = fit_tree(&data, &TreeSpec { seed: 8, ..spec }).unwrap();
    assert_ne!(a, c);
}

#[test]
fn every_class_owns_a_leaf_when_t_is_at_least_2k() {
    for (k, seed, leaf_classes) in [
        (10, 1, None),
        (25, 2, None),
        (40, 3, None),
        (25, 2, Some(0)),
    ] {
        let data = mixture(k, 8, 30, 4.0, seed, false);
        let spec = TreeSpec {
            leaf_classes,
            ..Default::default()
        };
        let (m, _) = fit_tree(&data, &spec).unwrap();
        let s = m.stats().unwrap();
        // T = 2k internal nodes at most (fewer once subtrees no example reaches are cut).
        assert!(s.internal_nodes <= 2 * k, "k = {k}: {s:?}");
        assert_eq!(s.leaves, s.internal_nodes + 1);
        assert_eq!(s.classes_without_leaf, 0, "k = {k}: {s:?}");
    }
    // With fewer leaves than classes some class must go without one, and the stats say so.
    let data = mixture(10, 8, 30, 1.5, 4, false);
    let (m, _) = fit_tree(
        &data,
        &TreeSpec {
            internal_nodes: Some(4),
            leaf_classes: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(m.stats().unwrap().classes_without_leaf >= 5);
}

#[test]
fn separable_mixture_is_learned_by_tree_and_oaa() {
    let train = mixture(8, 10, 150, 4.0, 5, false);
    let test = draws(8, 10, 50, 4.0, 5, 55, false); // same clusters, fresh points
    for kind in [TreeKind::Lomtree, TreeKind::Oaa] {
        let spec = TreeSpec {
            kind,
            passes: 5,
            ..Default::default()
        };
        let (m, r) = fit_tree(&train, &spec).unwrap();
        let err = m.error(&test).unwrap();
        assert!(err < 0.05, "{kind:?}: test error {err} ({r:?})");
        let rnd = m.error(&mixture(8, 10, 50, 4.0, 99, false)).unwrap();
        assert!(rnd > 0.5, "{kind:?} on other centers: {rnd}");
    }
}

#[test]
fn sparse_and_hashed_features_give_the_dense_model() {
    let dense = mixture(5, 6, 40, 3.0, 6, false);
    let sparse = mixture(5, 6, 40, 3.0, 6, true);
    // Hashed: the same values in columns spread up to 2³², as a hashed feature file has them.
    let Design::Sparse(m) = &sparse.x else {
        unreachable!()
    };
    let spread: Vec<u32> = m.indices().iter().map(|&j| j * 700_000_001 + 13).collect();
    let hashed = Dataset {
        x: Design::Sparse(
            CsrMatrix::new(
                m.nrows(),
                u32::MAX as usize,
                m.indptr().to_vec(),
                spread,
                m.values().to_vec(),
            )
            .unwrap(),
        ),
        y: sparse.y.clone(),
        source: None,
    };
    let spec = TreeSpec::default();
    let (a, _) = fit_tree(&dense, &spec).unwrap();
    let (b, _) = fit_tree(&sparse, &spec).unwrap();
    let (c, _) = fit_tree(&hashed, &spec).unwrap();
    assert_eq!(a.predictor, b.predictor);
    assert_eq!(a.predictor, c.predictor);
    assert_eq!(c.feature_map.as_ref().unwrap().len(), 6);
    assert_eq!(c.predict(&hashed).unwrap(), a.predict(&dense).unwrap());
}

#[test]
fn a_prediction_costs_the_depth_of_its_leaf() {
    let data = mixture(30, 8, 20, 2.0, 7, false);
    let unrefined = TreeSpec {
        leaf_classes: Some(0),
        ..Default::default()
    };
    let (m, _) = fit_tree(&data, &unrefined).unwrap();
    let nodes = nodes(&m);
    let mut depth = vec![0usize; nodes.len()];
    for (v, n) in nodes.iter().enumerate() {
        if let Some([a, b]) = n.children {
            depth[a as usize] = depth[v] + 1;
            depth[b as usize] = depth[v] + 1;
        }
    }
    let p = m.prepare(&data).unwrap();
    let max = m.stats().unwrap().max_depth;
    let mut total = 0;
    for i in 0..p.n_rows() {
        let (_, dots) = m.predict_row(p.row(i));
        assert_eq!(dots, depth[m.leaf_of(p.row(i))]);
        assert!(dots <= max);
        total += dots;
    }
    // Far fewer dot products than one per class (k = 30).
    let mean = total as f64 / p.n_rows() as f64;
    assert!(mean < 12.0, "mean depth {mean}");
    let (oaa, _) = fit_tree(
        &data,
        &TreeSpec {
            kind: TreeKind::Oaa,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(oaa.predict_row(p.row(0)).1, 30);
}

#[test]
fn top_k_starts_with_the_prediction_and_sums_to_at_most_one() {
    let data = mixture(12, 6, 30, 1.0, 8, false);
    for kind in [TreeKind::Lomtree, TreeKind::Oaa] {
        let (m, _) = fit_tree(
            &data,
            &TreeSpec {
                kind,
                ..Default::default()
            },
        )
        .unwrap();
        let p = m.prepare(&data).unwrap();
        for i in 0..p.n_rows() {
            let top = m.top_k(p.row(i), 3);
            assert!(!top.is_empty() && top.len() <= 3);
            assert_eq!(top[0].0, m.classes[m.predict_row(p.row(i)).0 as usize]);
            let total: f64 = top.iter().map(|t| t.1).sum();
            assert!(total <= 1.0 + 1e-12 && top.iter().all(|t| t.1 >= 0.0));
        }
    }
}

#[test]
fn model_files_round_trip_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = mixture(5, 4, 30, 3.0, 9, true);
    for kind in [TreeKind::Lomtree, TreeKind::Oaa] {
        let (m, _) = fit_tree(
            &data,
            &TreeSpec {
                kind,
                ..Default::default()
            },
        )
        .unwrap();
        let path = dir.path().join("t.json");
        m.save(&path).unwrap();
        let back = TreeModel::load(&path).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.predict(&data).unwrap(), m.predict(&data).unwrap());
    }
    let (m, _) = fit_tree(&data, &TreeSpec::default()).unwrap();
    let good = serde_json::to_value(&m).unwrap();
    let bad = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        edit(&mut v);
        let text = serde_json::to_string(&v).unwrap();
        TreeModel::from_json_str(&text, Path::new("t.json"))
            .unwrap_err()
            .to_string()
    };
    assert!(bad(&|v| v["format_version"] = 9.into()).contains("version 9"));
    assert!(bad(&|v| v["classes"] = serde_json::json!([2.0, 1.0])).contains("ascending"));
    assert!(bad(&|v| v["nodes"][0]["children"] = serde_json::json!([0, 1])).contains("later"));
    assert!(bad(&|v| v["nodes"][0]["children"] = serde_json::json!([1, 1])).contains("reached"));
    assert!(bad(&|v| v["nodes"][0]["weights"] = serde_json::json!([1.0])).contains("weights"));
    assert!(bad(&|v| v["feature_map"] = serde_json::json!([3, 2, 1, 0])).contains("increasing"));
    assert!(bad(&|v| v["kind"] = "forest".into()).contains("not a tree model"));
    let last = nodes(&m).len() - 1;
    assert!(bad(&|v| v["nodes"][last]["label"] = 99.into()).contains("outside"));
    assert!(TreeModel::from_json_str("{", Path::new("t.json")).is_err());
}

#[test]
fn bad_specs_and_data_are_refused() {
    let data = mixture(3, 2, 10, 3.0, 10, false);
    for (spec, words) in [
        (
            TreeSpec {
                passes: 0,
                ..Default::default()
            },
            "passes",
        ),
        (
            TreeSpec {
                learning_rate: f64::NAN,
                ..Default::default()
            },
            "learning rate",
        ),
        (
            TreeSpec {
                swap_resistance: -1.0,
                ..Default::default()
            },
            "swap resistance",
        ),
        (
            TreeSpec {
                internal_nodes: Some(0),
                ..Default::default()
            },
            "internal node",
        ),
        (
            TreeSpec {
                holdout: 1,
                passes: 2,
                ..Default::default()
            },
            "holdout",
        ),
    ] {
        let e = fit_tree(&data, &spec).unwrap_err().to_string();
        assert!(e.contains(words), "{e}");
    }
    let one = Dataset {
        y: vec![1.0; 30],
        ..data.clone()
    };
    assert!(fit_tree(&one, &TreeSpec::default())
        .unwrap_err()
        .to_string()
        .contains("two classes"));
    let huge = TreeSpec {
        internal_nodes: Some(1 << 40),
        ..Default::default()
    };
    assert!(fit_tree(&data, &huge)
        .unwrap_err()
        .to_string()
        .contains("cap"));
}

#[test]
fn digits_tree_is_close_to_one_against_all() {
    let data = common::fixture("digits.svm");
    let mut errs = Vec::new();
    for kind in [TreeKind::Lomtree, TreeKind::Oaa] {
        let spec = TreeSpec {
            kind,
            passes: 5,
            ..Default::default()
        };
        let (m, _) = fit_tree(&data, &spec).unwrap();
        errs.push(m.error(&data).unwrap());
    }
    assert!(errs[0] < 0.15 && errs[1] < 0.1, "{errs:?}");
}

#[test]
fn one_against_all_separates_many_classes_in_one_pass() {
    // 60 well separated clusters: every class is linearly separable from the rest, but each
    // regressor sees 59 negatives per positive. One pass, the default rate.
    let train = mixture(60, 16, 40, 3.0, 11, false);
    let test = draws(60, 16, 10, 3.0, 11, 111, false);
    let spec = TreeSpec {
        kind: TreeKind::Oaa,
        ..Default::default()
    };
    let (m, _) = fit_tree(&train, &spec).unwrap();
    let err = m.error(&test).unwrap();
    assert!(err < 0.02, "test error {err}");
}

#[test]
fn refined_tree_is_within_reach_of_one_against_all_at_log_cost() {
    let train = mixture(40, 12, 60, 1.2, 12, false);
    let test = draws(40, 12, 25, 1.2, 12, 112, false);
    let fit = |spec: TreeSpec| {
        let (m, r) = fit_tree(&train, &spec).unwrap();
        (m.error(&test).unwrap(), m, r)
    };
    let (oaa, _, _) = fit(TreeSpec {
        kind: TreeKind::Oaa,
        passes: 3,
        ..Default::default()
    });
    let (plain, _, _) = fit(TreeSpec {
        passes: 3,
        leaf_classes: Some(0),
        ..Default::default()
    });
    let (refined, m, r) = fit(TreeSpec {
        passes: 3,
        leaf_classes: Some(6),
        ..Default::default()
    });
    assert!(r.refine_passes >= 1 && r.refine_best_pass >= 1, "{r:?}");
    // Most of the gap between the plain tree and one-against-all is closed.
    assert!(
        refined - oaa < 0.5 * (plain - oaa),
        "OAA {oaa}, tree {plain}, refined tree {refined}"
    );
    // A refined prediction costs the leaf's depth plus its candidates, at most 6 of them.
    let nodes = nodes(&m);
    let mut depth = vec![0usize; nodes.len()];
    for (v, n) in nodes.iter().enumerate() {
        if let Some([a, b]) = n.children {
            depth[a as usize] = depth[v] + 1;
            depth[b as usize] = depth[v] + 1;
        }
    }
    let p = m.prepare(&test).unwrap();
    for i in 0..p.n_rows() {
        let leaf = m.leaf_of(p.row(i));
        let (c, dots) = m.predict_row(p.row(i));
        let cand = &nodes[leaf].candidates;
        assert!(cand.len() <= 6);
        assert_eq!(dots, depth[leaf] + cand.len());
        assert!(cand.is_empty() || cand.contains(&c));
    }
    let s = m.stats().unwrap();
    assert!(s.candidate_recall > s.leaf_purity, "{s:?}");
}

#[test]
fn no_leaf_is_left_without_training_examples() {
    for (k, seed) in [(20, 13), (50, 14)] {
        let data = mixture(k, 8, 30, 1.0, seed, false);
        let (m, _) = fit_tree(&data, &TreeSpec::default()).unwrap();
        let s = m.stats().unwrap();
        assert_eq!(s.empty_leaves, 0, "k = {k}: {s:?}");
        assert!(s.internal_nodes <= 2 * k && s.leaves == s.internal_nodes + 1);
    }
}
