//! Stochastic trace estimators that only multiply by H.
//!
//! - Hutchinson (1989): tr(H) ≈ (1/m)·Σ zᵢᵀ·H·zᵢ over Rademacher probes zᵢ; variance
//!   2·(‖H‖²_F − Σ Hᵢᵢ²)/m.
//! - Hutch++ (Meyer, Musco, Musco & Woodruff 2021, "Hutch++: optimal stochastic trace
//!   estimation"): a third of the products find the dominant range Q = orth(H·S), whose trace
//!   tr(QᵀHQ) is computed exactly with another third, and Hutchinson on (I − QQᵀ)·H·(I − QQᵀ)
//!   uses the rest. Its error falls as 1/m instead of 1/√m when the spectrum decays.
//! - [`krylov_trace`]: the same split with a Lanczos basis as the sketch.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::{apply_checked, check_operator, orthogonalize};
use crate::error::{Error, Result};
use crate::limits::check_values;
use crate::linalg::krylov::LanczosBasis;
use crate::linalg::random::rademacher_vector;
use crate::linalg::{axpy, dot};
use crate::objective::LinearOperator;

/// A trace estimate with its standard error.
#[derive(Clone, Debug, Serialize)]
pub struct TraceEstimate {
    pub estimate: f64,
    /// Standard error of the stochastic part: sample standard deviation / √probes (0 when the
    /// deterministic part is exact, or with a single probe: then unknown, reported as ∞).
    pub std_error: f64,
    /// Operator products used.
    pub products: usize,
    /// Random probes in the Hutchinson part.
    pub probes: usize,
}

/// Mean and standard error of the mean of `samples`.
fn mean_se(samples: &[f64]) -> (f64, f64) {
    let m = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / m;
    if samples.len() < 2 {
        return (mean, f64::INFINITY);
    }
    let var = samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (m - 1.0);
    (mean, (var / m).sqrt())
}

/// Hutchinson's estimator with `probes` Rademacher vectors (one product each).
pub fn hutchinson<A: LinearOperator + ?Sized>(
    a: &A,
    probes: usize,
    seed: u64,
) -> Result<TraceEstimate> {
    let n = check_operator(a)?;
    if probes == 0 {
        return Err(Error::invalid("Hutchinson: need at least one probe"));
    }
    check_values(&format!("Hutchinson's {probes} probe samples"), &[probes])?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut hz = vec![0.0; n];
    let mut samples = Vec::with_capacity(probes);
    for _ in 0..probes {
        let z = rademacher_vector(n, &mut rng);
        apply_checked(a, &z, &mut hz)?;
        samples.push(dot(&z, &hz));
    }
    let (estimate, std_error) = mean_se(&samples);
    Ok(TraceEstimate {
        estimate,
        std_error,
        products: probes,
        probes,
    })
}

/// Hutch++ with `products` operator products in all (at least 3): ⌊products/3⌋ sketch
/// vectors, as many for the exact part, and the remainder as Hutchinson probes.
pub fn hutch_plus_plus<A: LinearOperator + ?Sized>(
    a: &A,
    products: usize,
    seed: u64,
) -> Result<TraceEstimate> {
    let n = check_operator(a)?;
    if products < 3 {
        return Err(Error::invalid(format!(
            "Hutch++ needs at least 3 products, got {products}"
        )));
    }
    let s = (products / 3).min(n);
    check_values(
        &format!("Hutch++'s {products} product samples"),
        &[products],
    )?;
    check_values(
        &format!("Hutch++'s sketch of {s} vectors of length {n}"),
        &[s, n],
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut used = 0;
    // Q = orth(H·S): the dominant range, orthonormalized; dependent columns dropped.
    let mut q: Vec<Vec<f64>> = Vec::with_capacity(s);
    let mut hs = vec![0.0; n];
    for _ in 0..s {
        let z = rademacher_vector(n, &mut rng);
        apply_checked(a, &z, &mut hs)?;
        used += 1;
        let before = crate::linalg::norm(&hs);
        let after = orthogonalize(&mut hs, &q);
        if after > 1e-10 * before && after > 0.0 {
            q.push(hs.iter().map(|x| x / after).collect());
        }
    }
    // tr(QᵀHQ), exactly.
    let mut exact = 0.0;
    for qi in &q {
        apply_checked(a, qi, &mut hs)?;
        used += 1;
        exact += dot(qi, &hs);
    }
    // Hutchinson on the deflated operator with the products left.
    let probes = products.saturating_sub(used);
    deflated_hutchinson(a, &q, exact, used, probes, &mut rng)
}

/// Deflated Hutchinson on a Krylov basis, with `products` products in all (at least 2): half
/// of them are Lanczos steps from a random start, whose basis Q captures the dominant
/// eigenvectors far better than Hutch++'s one-shot sketch H·S, and whose tr(QᵀHQ) = Σ αᵢ comes
/// free with the steps; the other half are Hutchinson probes on (I − QQᵀ)·H·(I − QQᵀ). The
/// exact-plus-residual split of Hutch++ with the Krylov sketch of Chen & Hallman (2023,
/// "Krylov-aware stochastic trace estimation").
pub fn krylov_trace<A: LinearOperator + ?Sized>(
    a: &A,
    products: usize,
    seed: u64,
) -> Result<TraceEstimate> {
    let n = check_operator(a)?;
    if products < 2 {
        return Err(Error::invalid(format!(
            "the Krylov trace estimator needs at least 2 products, got {products}"
        )));
    }
    let steps = (products / 2).min(n);
    check_values(&format!("the {products} product samples"), &[products])?;
    check_values(
        &format!("a Lanczos basis of {steps} vectors of length {n}"),
        &[steps, n],
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let start = rademacher_vector(n, &mut rng);
    let Some(mut lz) = LanczosBasis::new(&start) else {
        return Err(Error::invalid("the operator has dimension 0"));
    };
    // Stops early on an invariant subspace: the rest of the space is left to the probes.
    while lz.len() < steps && lz.step_deflated(a, &[])? {}
    let exact: f64 = lz.alpha.iter().sum();
    let probes = products - lz.products;
    deflated_hutchinson(a, &lz.q, exact, lz.products, probes, &mut rng)
}

/// tr(A) ≈ `exact` + Hutchinson on (I − QQᵀ)·A·(I − QQᵀ) with `probes` Rademacher probes, for an
/// orthonormal Q whose part tr(QᵀAQ) = `exact` took `used` products.
fn deflated_hutchinson<A: LinearOperator + ?Sized>(
    a: &A,
    q: &[Vec<f64>],
    exact: f64,
    mut used: usize,
    probes: usize,
    rng: &mut ChaCha8Rng,
) -> Result<TraceEstimate> {
    let n = a.dim();
    let mut samples = Vec::with_capacity(probes);
    let mut az = vec![0.0; n];
    if q.len() < n {
        for _ in 0..probes {
            let mut z = rademacher_vector(n, rng);
            for qi in q {
                let c = dot(qi, &z);
                axpy(-c, qi, &mut z);
            }
            apply_checked(a, &z, &mut az)?;
            used += 1;
            samples.push(dot(&z, &az));
        }
    }
    let (rest, std_error) = if samples.is_empty() {
        // Q spans everything: the estimate is exact; otherwise no probe was left.
        (0.0, if q.len() == n { 0.0 } else { f64::INFINITY })
    } else {
        mean_se(&samples)
    };
    Ok(TraceEstimate {
        estimate: exact + rest,
        std_error,
        products: used,
        probes: samples.len(),
    })
}
