//! Sub-sampled Newton for f = Σᵢ fᵢ + regularizer (Byrd, Chin, Neveitt & Nocedal 2011, "On the
//! use of stochastic Hessian information in optimization methods for machine learning";
//! Roosta-Khorasani & Mahoney 2019, "Sub-sampled Newton methods"): the full gradient, the
//! Hessian on a fresh uniform sample S of the terms each iteration, CG on H_S·p = −∇f stopped at
//! ‖H_S·p + ∇f‖ ≤ θ_k·‖∇f‖ with θ_k = min(θ, (‖∇f‖/‖∇f₀‖)^{1/2}), and backtracking Armijo.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Result};
use crate::linalg::{axpy, dot, norm};
use crate::monitor::Monitor;
use crate::objective::{LinearOperator, SampledCurvature};
use crate::solvers::checks::{check_dim, descent_or_steepest};
use crate::solvers::line_search::armijo_keeping_gradient;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// How many terms the Hessian sample holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SampleSize {
    /// A fraction in (0, 1] of the n terms (at least one).
    Fraction(f64),
    /// A count ≥ 1 (capped at n).
    Count(usize),
}

impl SampleSize {
    /// The sample size for n terms, or an error for a fraction outside (0, 1] or a zero count.
    pub fn of(self, n: usize) -> Result<usize> {
        match self {
            SampleSize::Fraction(f) if f > 0.0 && f <= 1.0 => {
                Ok(((f * n as f64).ceil() as usize).clamp(1, n.max(1)))
            }
            SampleSize::Count(c) if c >= 1 => Ok(c.min(n.max(1))),
            other => Err(Error::invalid(format!(
                "sub-sampled Newton: invalid Hessian sample size {other:?} (a fraction in (0, 1] \
                 or a count ≥ 1)"
            ))),
        }
    }
}

/// Sub-sampled Newton-CG with a line search.
#[derive(Clone, Debug, PartialEq)]
pub struct SubsampledNewton {
    pub stop: Stop,
    pub sample: SampleSize,
    pub seed: u64,
    /// θ, the largest relative CG residual.
    pub cg_tol: f64,
    pub max_cg: usize,
    /// Sufficient-decrease constant of the Armijo search.
    pub armijo_c1: f64,
}

impl Default for SubsampledNewton {
    fn default() -> Self {
        SubsampledNewton {
            stop: Stop::default(),
            sample: SampleSize::Fraction(0.1),
            seed: 0,
            cg_tol: 0.1,
            max_cg: 250,
            armijo_c1: 1e-4,
        }
    }
}

/// CG on H·p = −g until ‖H·p + g‖ ≤ tol·‖g‖; stops at non-positive curvature (returning −g
/// if that happens at once). Returns the step and the products used.
fn cg(h: &impl LinearOperator, g: &[f64], tol: f64, max_iter: usize) -> (Vec<f64>, usize) {
    let n = g.len();
    let mut p = vec![0.0; n];
    let mut r: Vec<f64> = g.iter().map(|v| -v).collect();
    let mut d = r.clone();
    let mut rr = dot(&r, &r);
    let target = tol * rr.sqrt();
    let mut hd = vec![0.0; n];
    let mut products = 0;
    while products < max_iter.max(1) && rr.sqrt() > target {
        h.apply(&d, &mut hd);
        products += 1;
        let dhd = dot(&d, &hd);
        if !(dhd > 0.0 && dhd.is_finite()) {
            if products == 1 {
                p = r;
            }
            break;
        }
        let alpha = rr / dhd;
        axpy(alpha, &d, &mut p);
        axpy(-alpha, &hd, &mut r);
        let rr_new = dot(&r, &r);
        let beta = rr_new / rr;
        rr = rr_new;
        for (di, ri) in d.iter_mut().zip(&r) {
            *di = ri + beta * *di;
        }
    }
    (p, products)
}

impl SubsampledNewton {
    pub fn minimize<F: SampledCurvature, M: Monitor + ?Sized>(
        &self,
        f: &F,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        let n_terms = f.n_terms();
        if n_terms == 0 {
            return Err(Error::invalid(
                "sub-sampled Newton: the objective has no terms",
            ));
        }
        let size = self.sample.of(n_terms)?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut run = Run::new("subsampled-newton", self.stop, f, monitor)?;
        run.hessian = Some("sub-sampled");
        let (mut fx, mut g, mut ended) = run.start(f, x);
        let g0 = norm(&g);
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let mut batch = rand::seq::index::sample(&mut rng, n_terms, size).into_vec();
            batch.sort_unstable();
            let h = f.hessian_batch(x, &batch);
            let theta = self.cg_tol.min((norm(&g) / g0).sqrt());
            let (p, products) = cg(&h, &g, theta, self.max_cg);
            run.hv_products += products;
            let (p, slope) = descent_or_steepest(p, &g);
            let line = f.line(x, &p);
            let ls = armijo_keeping_gradient(&*line, fx, slope, 1.0, self.armijo_c1, 40);
            run.f_evals += ls.evals;
            if !ls.accepted {
                break Status::Stalled;
            }
            axpy(ls.t, &p, x);
            fx = run.value_grad_at_step(f, &*line, ls.t, x, &mut g);
            ended = run.check(f, fx, norm(&g));
        };
        Ok(run.finish(f, status, fx, norm(&g)))
    }
}
