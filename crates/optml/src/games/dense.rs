//! Row-major dense products for the test games (fixed loop order: same bits every run).

/// out = A·v for A rows × cols, row-major.
pub(crate) fn mul(a: &[f64], cols: usize, v: &[f64], out: &mut [f64]) {
    for (o, row) in out.iter_mut().zip(a.chunks_exact(cols)) {
        *o = row.iter().zip(v).map(|(r, v)| r * v).sum();
    }
}

/// out = Aᵀ·u for A rows × cols, row-major.
pub(crate) fn mul_t(a: &[f64], cols: usize, u: &[f64], out: &mut [f64]) {
    out.iter_mut().for_each(|o| *o = 0.0);
    for (ui, row) in u.iter().zip(a.chunks_exact(cols)) {
        for (o, r) in out.iter_mut().zip(row) {
            *o += ui * r;
        }
    }
}

/// A random n × n orthogonal matrix (row-major): Gram-Schmidt, applied twice, on a Gaussian one.
pub(crate) fn orthogonal(n: usize, rng: &mut impl rand::Rng) -> Vec<f64> {
    let mut q = crate::linalg::random::gaussian_vector(n * n, rng);
    for i in 0..n {
        for _ in 0..2 {
            for j in 0..i {
                let (done, rest) = q.split_at_mut(i * n);
                let qj = &done[j * n..(j + 1) * n];
                let qi = &mut rest[..n];
                let d: f64 = qi.iter().zip(qj).map(|(a, b)| a * b).sum();
                qi.iter_mut().zip(qj).for_each(|(a, b)| *a -= d * b);
            }
        }
        let qi = &mut q[i * n..(i + 1) * n];
        let norm = qi.iter().map(|v| v * v).sum::<f64>().sqrt();
        qi.iter_mut().for_each(|v| *v /= norm);
    }
    q
}
