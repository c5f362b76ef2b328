//! Ridge riding (Parker-Holder, Metz, Resnick, Hu, Lerer, Letcher, Peysakhovich, Pacchiano &
//! Foerster 2020, "Ridge rider: finding diverse solutions by following eigenvectors of the
//! Hessian"): from a saddle, follow each eigenvector of negative curvature, both signs. Along a
//! ride the direction is updated to the eigenvector of the current Hessian most aligned with the
//! previous one, and steps continue while the loss decreases; where a ride ends on a point with
//! new negative curvature it branches again (up to `max_depth`), and otherwise a local solver
//! finishes. The distinct minima reached are reported.

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

/// A local minimum reached.
#[derive(Clone, Debug, Serialize)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub f: f64,
    /// Smallest Hessian eigenvalue there (≥ −`neg_tol` for a minimum; less means the solver
    /// stopped on a saddle).
    pub lambda_min: f64,
    /// Branching depth of the first ride that reached it.
    pub depth: usize,
    /// Rides that ended here.
    pub hits: usize,
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
    /// Rides from `x0` (usually a saddle) over `f`.
    pub fn run<F: Curvature>(&self, f: &F, x0: &[f64]) -> Result<RidgeReport> {
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
        self.explore(f, x0, start, 0, &mut report)?;
        report.minima.sort_by(|a, b| a.f.total_cmp(&b.f));
        Ok(report)
    }

    fn explore<F: Curvature>(
        &self,
        f: &F,
        x: &[f64],
        negative: Vec<(f64, Vec<f64>)>,
        depth: usize,
        report: &mut RidgeReport,
    ) -> Result<()> {
        if negative.is_empty() || depth >= self.max_depth {
            return self.finish(f, x, depth, report);
        }
        for (_, e) in negative {
            for sign in [1.0, -1.0] {
                let d: Vec<f64> = e.iter().map(|v| sign * v).collect();
                let end = self.ride(f, x, d, &mut report.products)?;
                report.rides += 1;
                let next = self.negative_directions(f, &end, &mut report.products)?;
                self.explore(f, &end, next, depth + 1, report)?;
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
    fn finish<F: Curvature>(
        &self,
        f: &F,
        x: &[f64],
        depth: usize,
        report: &mut RidgeReport,
    ) -> Result<()> {
        let mut x = x.to_vec();
        let r = self.solver.minimize(f, &mut x, &mut quiet())?;
        report.products += r.hv_products;
        let fx = finite(f.value(&x))?;
        let (values, _) = self.eigen(f, &x, &mut report.products)?;
        let lambda_min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let scale = 1.0 + norm(&x);
        if let Some(m) = report.minima.iter_mut().find(|m| {
            let diff: Vec<f64> = m.x.iter().zip(&x).map(|(a, b)| a - b).collect();
            norm(&diff) <= self.dedup_tol * scale
        }) {
            m.hits += 1;
        } else {
            report.minima.push(Minimum {
                x,
                f: fx,
                lambda_min,
                depth,
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
