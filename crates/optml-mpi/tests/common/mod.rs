//! Data for the tests: the library's small sets and a seeded rcv1-like sparse set.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use optml::data::{write_libsvm, Dataset};
use optml::linalg::{CsrMatrix, Design};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A data file of the library's crate (`breast_cancer.svm`, `digits.svm`).
pub fn library_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../optml/data")
        .join(name)
}

/// An rcv1-like set written to `path`: n rows of about `per_row` nonzeros among d features
/// (a few frequent features, most rare), rows scaled to unit norm, labels ±1 from a planted
/// sparse model with 5% flipped.
pub fn write_rcv1like(path: &Path, n: usize, d: usize, per_row: usize, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let planted: Vec<f64> = (0..d)
        .map(|j| {
            if j % 7 == 0 {
                rng.random::<f64>() * 2.0 - 1.0
            } else {
                0.0
            }
        })
        .collect();
    let (mut indptr, mut indices, mut values, mut y) = (vec![0usize], vec![], vec![], vec![]);
    for _ in 0..n {
        let mut cols: Vec<u32> = (0..per_row)
            .map(|_| {
                // Zipf-like: small indices are frequent.
                let u: f64 = rng.random();
                ((d as f64).powf(u) as usize - 1).min(d - 1) as u32
            })
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let vals: Vec<f64> = cols.iter().map(|_| rng.random::<f64>() + 0.1).collect();
        let norm = vals.iter().map(|v| v * v).sum::<f64>().sqrt();
        let score: f64 = cols
            .iter()
            .zip(&vals)
            .map(|(&j, v)| planted[j as usize] * v / norm)
            .sum();
        let flip = rng.random::<f64>() < 0.05;
        y.push(if (score >= 0.0) != flip { 1.0 } else { -1.0 });
        indices.extend_from_slice(&cols);
        values.extend(vals.iter().map(|v| v / norm));
        indptr.push(indices.len());
    }
    let x = CsrMatrix::new(n, d, indptr, indices, values).unwrap();
    let data = Dataset {
        x: Design::Sparse(x),
        y,
        source: None,
    };
    write_libsvm(path, &data).unwrap();
}

/// A copy of `src` with line `line` (1-based) replaced by a malformed one.
pub fn write_with_bad_line(src: &Path, dst: &Path, line: usize) {
    let text = std::fs::read_to_string(src).unwrap();
    let out: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                "1 3:0.5 oops".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(dst, out.join("\n") + "\n").unwrap();
}
