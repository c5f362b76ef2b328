//! The assignment problem, for scores that compare recovered components with planted ones up to
//! a permutation.

/// The assignment of rows to distinct columns of the n × m `score` matrix (row-major, n ≤ m)
/// that maximizes the total score, by the Hungarian method in O(n²·m) (Kuhn 1955; Munkres 1957).
/// Returns the column of each row.
///
/// # Panics
/// If `score.len() != n·m` or `n > m`.
pub fn best_assignment(score: &[f64], n: usize, m: usize) -> Vec<usize> {
    assert_eq!(score.len(), n * m, "score must be n × m");
    assert!(n <= m, "more rows than columns");
    // Minimizes −score with potentials u (rows) and v (columns), 1-based with a dummy column 0.
    let cost = |i: usize, j: usize| -score[(i - 1) * m + (j - 1)];
    let (mut u, mut v) = (vec![0.0; n + 1], vec![0.0; m + 1]);
    let (mut row_of, mut way) = (vec![0usize; m + 1], vec![0usize; m + 1]);
    for i in 1..=n {
        row_of[0] = i;
        let mut j0 = 0;
        let mut min_slack = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = row_of[j0];
            let (mut delta, mut j1) = (f64::INFINITY, 0);
            for j in 1..=m {
                if !used[j] {
                    let slack = cost(i0, j) - u[i0] - v[j];
                    if slack < min_slack[j] {
                        min_slack[j] = slack;
                        way[j] = j0;
                    }
                    if min_slack[j] < delta {
                        delta = min_slack[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    min_slack[j] -= delta;
                }
            }
            j0 = j1;
            if row_of[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            row_of[j0] = row_of[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut col = vec![0; n];
    for j in 1..=m {
        if row_of[j] != 0 {
            col[row_of[j] - 1] = j - 1;
        }
    }
    col
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The best assignment by trying every one.
    fn brute(score: &[f64], n: usize, m: usize) -> f64 {
        fn go(s: &[f64], n: usize, m: usize, i: usize, used: &mut Vec<bool>) -> f64 {
            if i == n {
                return 0.0;
            }
            let mut best = f64::NEG_INFINITY;
            for j in 0..m {
                if !used[j] {
                    used[j] = true;
                    best = best.max(s[i * m + j] + go(s, n, m, i + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        go(score, n, m, 0, &mut vec![false; m])
    }

    #[test]
    fn matches_brute_force() {
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for (n, m) in [(1, 1), (3, 3), (4, 6), (6, 6), (5, 7)] {
            for _ in 0..20 {
                let s: Vec<f64> = (0..n * m).map(|_| next()).collect();
                let col = best_assignment(&s, n, m);
                let mut seen = vec![false; m];
                for &c in &col {
                    assert!(!seen[c]);
                    seen[c] = true;
                }
                let total: f64 = col.iter().enumerate().map(|(i, &j)| s[i * m + j]).sum();
                assert!((total - brute(&s, n, m)).abs() < 1e-12);
            }
        }
    }
}
