//! Ridge riding (Parker-Holder, Metz, Resnick, Hu, Lerer, Letcher, Peysakhovich, Pacchiano &
//! Foerster 2020, "Ridge rider: finding diverse solutions by following eigenvectors of the
//! Hessian"): from a saddle, follow each eigenvector of negative curvature, both signs. Along a
//! ride the direction is updated to the eigenvector of the current Hessian most aligned with the
//! previous one, and steps continue while the loss decreases; where a ride ends on a point with
//! new negative curvature it branches again (up to `max_depth`), and otherwise a local solver
//! finishes. The distinct minima reached are reported, each with the branch path that led there;
//! [`RidgeRider::run_modulo`] counts minima equal up to a symmetry once (for a network started at
//! its maximally invariant saddle, [`Mlp::symmetric_saddle`], the copies under permutations of
//! the hidden units; see `examples/ridge_riding_mlp.rs`).
//!
//! [`Mlp::symmetric_saddle`]: crate::models::mlp::Mlp::symmetric_saddle

use serde::Serialize;

use super::{DenseSpectrum, Lanczos, Which};
use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm};
use crate::monitor::quiet;
use crate::objective::{Curvature, LinearOperator};
use crate::solvers::{Stop, TrustRegion};

/// Options of ridge riding.
#[derive(Clone, Debug)]
pub struct RidgeRider {
    /// Levels of branching below the starting saddle.
    pub max_depth: usize,
    /// Negative-curvature directions followed at each saddle, most negative first.
    pub branches: usize,
    /// First step length along a ridge; halved when the loss does not decrease, and the ride
    /// ends once it falls below `step/64`.
    pub step: f64,
    /// Accepted steps per ride at most.
    pub max_ride_steps: usize,
    /// An eigenvalue below −`neg_tol` is negative curvature.
    pub neg_tol: f64,
    /// Two minima closer than `dedup_tol`·(1 + ‖x‖) are the same.
    pub dedup_tol: f64,
    /// Operators up to this dimension are diagonalized densely; larger ones by Lanczos.
    pub dense_limit: usize,
    /// The local solver that finishes each ride.
    pub solver: TrustRegion,
    pub seed: u64,
}

impl Default for RidgeRider {
    fn default() -> Self {
        RidgeRider {
            max_depth: 2,
            branches: 4,
            step: 0.1,
            max_ride_steps: 1000,
            neg_tol: 1e-8,
            dedup_tol: 1e-4,
            dense_limit: 200,
            solver: TrustRegion {
                stop: Stop::absolute(1e-10),
                ..Default::default()
            },
            seed: 0,
        }
    }
}

/// One branch of the ride tree: the `eigen`-th negative-curvature direction (0 = most negative)
/// of the point it left, followed with `sign` ±1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Branch {
    pub eigen: usize,
    pub sign: i8,
}

impl std::fmt::Display for Branch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = if self.sign < 0 { '-' } else { '+' };
        write!(f, "e{}{s}", self.eigen)
    }
}

/// A local minimum reached.
#[derive(Clone, Debug, Serialize)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub f: f64,
    /// ‖∇f(x)‖ where the local solver stopped.
    pub grad_norm: f64,
    /// Smallest Hessian eigenvalue there (≥ −`neg_tol` for a minimum; less means the solver
    /// stopped on a saddle).
    pub lambda_min: f64,
    /// Branching depth of the first ride that reached it.
    pub depth: usize,
    /// The branches of the first ride that reached it, from the start down (`depth` of them).
    pub path: Vec<Branch>,
    /// Rides that ended here.
    pub hits: usize,
}

/// The path as text, e.g. `e0+ > e1-`; `(start)` when empty.
pub fn path_string(path: &[Branch]) -> String {
    if path.is_empty() {
        return "(start)".into();
    }
    path.iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(" > ")
}

/// What ridge riding found.
#[derive(Clone, Debug, Serialize)]
pub struct RidgeReport {
    /// Distinct end points, by increasing f.
    pub minima: Vec<Minimum>,
    /// The negative eigenvalues of the Hessian at the start, most negative first.
    pub saddle_curvature: Vec<f64>,
    pub rides: usize,
    /// Hessian products (eigen-decompositions along the rides and the local solves).
    pub products: usize,
}

impl RidgeRider {
    /// Rides from `x0` (usually a saddle) over `f`; two end points are the same minimum when
    /// they are within `dedup_tol`·(1 + ‖x‖).
    pub fn run<F: Curvature>(&self, f: &F, x0: &[f64]) -> Result<RidgeReport> {
        let tol = self.dedup_tol;
        self.run_modulo(f, x0, |a, b| {
            let diff: Vec<f64> = a.iter().zip(b).map(|(p, q)| p - q).collect();
            Ok(norm(&diff) <= tol * (1.0 + norm(b)))
        })
    }

    /// As [`RidgeRider::run`], with `same(a, b)` deciding whether end point `b` is the minimum
    /// already recorded at `a`: e.g. equality up to the symmetries of a network
    /// ([`Mlp::same_function`](crate::models::mlp::Mlp::same_function)), so that copies of one
    /// minimum under a permutation of hidden units count once.
    pub fn run_modulo<F, S>(&self, f: &F, x0: &[f64], same: S) -> Result<RidgeReport>
    where
        F: Curvature,
        S: Fn(&[f64], &[f64]) -> Result<bool>,
    {
        if x0.len() != f.dim() || x0.is_empty() {
            return Err(Error::invalid(format!(
                "ridge riding: x0 has length {}, the objective dimension {}",
                x0.len(),
                f.dim()
            )));
        }
        if !(self.step.is_finite() && self.step > 0.0) || self.branches == 0 {
            return Err(Error::invalid(
                "ridge riding: step must be positive and branches at least 1",
            ));
        }
        let mut report = RidgeReport {
            minima: Vec::new(),
            saddle_curvature: Vec::new(),
            rides: 0,
            products: 0,
        };
        let start = self.negative_directions(f, x0, &mut report.products)?;
        report.saddle_curvature = start.iter().map(|(l, _)| *l).collect();
        self.explore(f, x0, start, &mut Vec::new(), &same, &mut report)?;
        report.minima.sort_by(|a, b| a.f.total_cmp(&b.f));
        Ok(report)
    }

    fn explore<F, S>(
        &self,
        f: &F,
        x: &[f64],
        negative: Vec<(f64, Vec<f64>)>,
        path: &mut Vec<Branch>,
        same: &S,
        report: &mut RidgeReport,
    ) -> Result<()>
    where
        F: Curvature,
        S: Fn(&[f64], &[f64]) -> Result<bool>,
    {
        if negative.is_empty() || path.len() >= self.max_depth {
            return self.finish(f, x, path, same, report);
        }
        for (eigen, (_, e)) in negative.into_iter().enumerate() {
            for sign in [1i8, -1] {
                let d: Vec<f64> = e.iter().map(|v| f64::from(sign) * v).collect();
                let end = self.ride(f, x, d, &mut report.products)?;
                report.rides += 1;
                let next = self.negative_directions(f, &end, &mut report.products)?;
                path.push(Branch { eigen, sign });
                let r = self.explore(f, &end, next, path, same, report);
                path.pop();
                r?;
            }
        }
        Ok(())
    }

    /// Steps along the ridge from `x` while the loss decreases; returns the end point.
    fn ride<F: Curvature>(
        &self,
        f: &F,
        x: &[f64],
        mut d: Vec<f64>,
        products: &mut usize,
    ) -> Result<Vec<f64>> {
        let mut x = x.to_vec();
        let mut fx = finite(f.value(&x))?;
        let mut alpha = self.step;
        let mut trial = x.clone();
        let mut accepted = 0;
        while alpha >= self.step / 64.0 && accepted < self.max_ride_steps {
            trial.copy_from_slice(&x);
            axpy(alpha, &d, &mut trial);
            let ft = f.value(&trial);
            if ft.is_nan() || ft >= fx {
                alpha *= 0.5;
                continue;
            }
            std::mem::swap(&mut x, &mut trial);
            fx = ft;
            accepted += 1;
            // The eigenvector of ∇²f(x) most aligned with the previous direction.
            let (values, vectors) = self.eigen(f, &x, products)?;
            let best = vectors
                .iter()
                .enumerate()
                .map(|(i, v)| (i, dot(v, &d)))
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
            if let Some((i, c)) = best {
                // Keep the direction when no computed eigenvector resembles it.
                if c.abs() >= 0.5 && values[i].is_finite() {
                    d = vectors[i].iter().map(|v| c.signum() * v).collect();
                }
            }
        }
        Ok(x)
    }

    /// Eigenpairs of ∇²f(x): all of them (dense) or the `branches` smallest (Lanczos).
    fn eigen<F: Curvature>(
        &self,
        f: &F,
        x: &[f64],
        products: &mut usize,
    ) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
        let h = f.hessian(x);
        let n = h.dim();
        if n <= self.dense_limit {
            let s = DenseSpectrum::of(&h)?;
            *products += n;
            Ok((s.values.clone(), (0..n).map(|i| s.vector(i)).collect()))
        } else {
            let e = Lanczos {
                k: self.branches.min(n),
                which: Which::Smallest,
                tol: 1e-6,
                seed: self.seed,
                ..Default::default()
            }
            .run(&h)?;
            *products += e.products;
            Ok((e.values, e.vectors))
        }
    }

    /// Up to `branches` eigenpairs with eigenvalue < −`neg_tol`, most negative first.
    fn negative_directions<F: Curvature>(
        &self,
        f: &F,
        x: &[f64],
        products: &mut usize,
    ) -> Result<Vec<(f64, Vec<f64>)>> {
        let (values, vectors) = self.eigen(f, x, products)?;
        let mut pairs: Vec<(f64, Vec<f64>)> = values
            .into_iter()
            .zip(vectors)
            .filter(|(l, _)| *l < -self.neg_tol)
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        pairs.truncate(self.branches);
        Ok(pairs)
    }

    /// Runs the local solver from `x` and records where it ends.
    fn finish<F, S>(
        &self,
        f: &F,
        x: &[f64],
        path: &[Branch],
        same: &S,
        report: &mut RidgeReport,
    ) -> Result<()>
    where
        F: Curvature,
        S: Fn(&[f64], &[f64]) -> Result<bool>,
    {
        let mut x = x.to_vec();
        let r = self.solver.minimize(f, &mut x, &mut quiet())?;
        report.products += r.hv_products;
        let mut g = vec![0.0; x.len()];
        let fx = finite(f.value_grad(&x, &mut g))?;
        let (values, _) = self.eigen(f, &x, &mut report.products)?;
        let lambda_min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let mut known = None;
        for (i, m) in report.minima.iter().enumerate() {
            if same(&m.x, &x)? {
                known = Some(i);
                break;
            }
        }
        if let Some(i) = known {
            report.minima[i].hits += 1;
        } else {
            report.minima.push(Minimum {
                x,
                f: fx,
                grad_norm: norm(&g),
                lambda_min,
                depth: path.len(),
                path: path.to_vec(),
                hits: 1,
            });
        }
        Ok(())
    }
}

fn finite(v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::NonFinite(format!("ridge riding: f = {v}")))
    }
}
