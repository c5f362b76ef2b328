//! Proximal Newton for F = f + h (Lee, Sun & Saunders 2014): at w, the direction d minimizes
//! the model f(w) + ∇f·d + ½dᵀHd + h(w + d) inexactly, by coordinate descent for separable h
//! (newGLMNET, Yuan, Ho & Lin 2012) or majorized block coordinate descent for groups; then
//! F is backtracked along d with the Armijo rule F(w + td) ≤ F(w) + σ·t·Δ,
//! Δ = ∇f·d + h(w + d) − h(w) (Tseng & Yun 2009).
//!
//! Once the zero blocks (the active set) have not changed for a few iterations and satisfy
//! their optimality conditions strictly, a reduced-space Newton-CG step on the nonzero blocks
//! alone is tried, with h smooth on that face; a step that leaves the face (an L1 coordinate
//! changing sign) is projected back onto it, and one that does not decrease F falls back to the
//! proximal Newton step. This is the subspace acceleration of FaRSA and FaRSA-Group
//! (Chen, Curtis & Robinson 2017; Curtis, Dai & Robinson 2023).

use super::coordinate_model::{CoordinateCurvature, CoordinateModel, DenseModel};
use super::proximal_gradient::check_regularizer;
use crate::error::Result;
use crate::linalg::dot;
use crate::monitor::Monitor;
use crate::objective::{Curvature, LinearOperator};
use crate::prox::{gather, Regularizer};
use crate::solvers::checks::check_dim;
use crate::solvers::inner::newton_pcg;
use crate::solvers::stop::{Run, Stop};
use crate::solvers::{Report, Status};

/// Proximal Newton with coordinate-descent subproblems and subspace Newton-CG steps.
#[derive(Clone, Debug, PartialEq)]
pub struct ProximalNewton {
    pub stop: Stop,
    /// Coordinate-descent sweeps per subproblem, at most.
    pub max_sweeps: usize,
    /// Try reduced-space Newton-CG steps once the active set has settled.
    pub subspace: bool,
    /// Iterations the active set must stay unchanged before a subspace step.
    pub patience: usize,
    /// Armijo constant σ.
    pub sigma: f64,
}

impl Default for ProximalNewton {
    fn default() -> Self {
        ProximalNewton {
            stop: Stop::default(),
            max_sweeps: 200,
            subspace: true,
            patience: 2,
            sigma: 1e-4,
        }
    }
}

impl ProximalNewton {
    /// Minimizes f + h for any f with a Hessian, the model held as a dense matrix (so for up
    /// to a few thousand parameters).
    pub fn minimize<F: Curvature, R: Regularizer, M: Monitor + ?Sized>(
        &self,
        f: &F,
        h: &R,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        let n = x.len();
        self.run(f, h, x, monitor, |w| {
            (
                Box::new(DenseModel::new(&f.hessian(w))) as Box<dyn CoordinateModel>,
                n,
            )
        })
    }

    /// Minimizes f + h with the coordinate models f offers (for a single-score GLM, each
    /// coordinate update costs one column of X, the design transposed once per run).
    pub fn minimize_coordinatewise<F: CoordinateCurvature, R: Regularizer, M: Monitor + ?Sized>(
        &self,
        f: &F,
        h: &R,
        x: &mut [f64],
        monitor: &mut M,
    ) -> Result<Report> {
        check_dim(f, x)?;
        check_regularizer(f, h)?;
        let prepared = f.prepare_coordinates();
        self.run(f, h, x, monitor, |w| f.coordinate_model(&prepared, w))
    }

    /// The method with `model(w)` building the coordinate model of ∇²f(w) and saying how many
    /// Hessian-vector products it cost.
    fn run<'m, F: Curvature, R: Regularizer, M: Monitor + ?Sized>(
        &self,
        f: &F,
        h: &R,
        x: &mut [f64],
        monitor: &mut M,
        model: impl Fn(&[f64]) -> (Box<dyn CoordinateModel + 'm>, usize),
    ) -> Result<Report> {
        check_dim(f, x)?;
        check_regularizer(f, h)?;
        let n = x.len();
        let mut run = Run::new("prox-newton", self.stop, f, monitor)?;
        run.hessian = Some(f.hessian_kind());
        let mut g = vec![0.0; n];
        let mut fx = f.value_grad(x, &mut g);
        run.g_evals += 1;
        let mut big_f = fx + h.value(x);
        let mut opt = h.optimality(x, &g);
        let opt0 = opt.max(f64::MIN_POSITIVE);
        let mut ended = run.first(f, big_f, opt);
        let mut inner_passes = 0.0;
        let mut previous: Option<Vec<bool>> = None;
        let mut stable = 0;
        let mut xt = vec![0.0; n];
        let status = loop {
            if let Some(status) = ended {
                break status;
            }
            run.iter += 1;
            let eta = 0.1 * (opt / opt0).sqrt().min(1.0);
            let zero = zero_blocks(h, x);
            stable = if previous.as_ref() == Some(&zero) {
                stable + 1
            } else {
                0
            };
            previous = Some(zero.clone());
            let mut moved = false;
            if self.subspace
                && stable >= self.patience
                && self
                    .subspace_step(f, h, x, &g, big_f, &zero, eta, &mut xt, &mut run)
                    .is_some()
            {
                x.copy_from_slice(&xt);
                moved = true;
            }
            if !moved {
                let (mut m, model_products) = model(x);
                run.hv_products += model_products;
                let d = self.direction(m.as_mut(), h, x, &g, eta * opt);
                inner_passes += m.passes();
                let hx = h.value(x);
                for ((t, a), b) in xt.iter_mut().zip(x.iter()).zip(&d) {
                    *t = a + b;
                }
                let delta = dot(&g, &d) + h.value(&xt) - hx;
                if delta.is_nan() || delta >= 0.0 {
                    break Status::Stalled;
                }
                let line = f.line(x, &d);
                let mut t = 1.0;
                let accepted = loop {
                    for ((xi, a), b) in xt.iter_mut().zip(x.iter()).zip(&d) {
                        *xi = a + t * b;
                    }
                    let ft = line.value(t) + h.value(&xt);
                    run.f_evals += 1;
                    if ft <= big_f + self.sigma * t * delta + roundoff(big_f) {
                        break Some(ft);
                    }
                    t *= 0.5;
                    if t < 1e-20 {
                        break None;
                    }
                };
                drop(line);
                match accepted {
                    Some(_) => x.copy_from_slice(&xt),
                    None => {
                        break Status::Stalled;
                    }
                }
            }
            fx = f.value_grad(x, &mut g);
            run.g_evals += 1;
            big_f = fx + h.value(x);
            opt = h.optimality(x, &g);
            ended = run.check(f, big_f, opt);
        };
        let mut report = run.finish(f, status, big_f, opt);
        report.passes += inner_passes;
        Ok(report)
    }

    /// The proximal Newton direction by (block) coordinate descent on
    /// g·d + ½dᵀHd + h(w + d), over the blocks that are nonzero or violate their optimality
    /// condition, until the model's optimality measure is below `tol`.
    fn direction<R: Regularizer>(
        &self,
        m: &mut dyn CoordinateModel,
        h: &R,
        w: &[f64],
        g: &[f64],
        tol: f64,
    ) -> Vec<f64> {
        let n = w.len();
        let mut d = vec![0.0; n];
        let (mut wb, mut gb, mut mn) = (Vec::new(), Vec::new(), Vec::new());
        let working: Vec<usize> = (0..h.n_blocks())
            .filter(|&b| {
                let idx = h.block(b);
                gather(idx, w, &mut wb);
                gather(idx, g, &mut gb);
                mn.resize(idx.len(), 0.0);
                h.block_min_norm(b, &wb, &gb, &mut mn);
                !h.penalized(b) || wb.iter().any(|&v| v != 0.0) || mn.iter().any(|&v| v != 0.0)
            })
            .collect();
        let (mut q, mut cur, mut u, mut z) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..self.max_sweeps {
            let mut sq = 0.0;
            for &b in &working {
                let idx = h.block(b);
                q.clear();
                cur.clear();
                let mut lip = 0.0;
                for &j in idx {
                    q.push(g[j] + m.hd(j));
                    cur.push(w[j] + d[j]);
                    lip += m.diag(j);
                }
                let lip = lip.max(1e-300);
                mn.resize(idx.len(), 0.0);
                h.block_min_norm(b, &cur, &q, &mut mn);
                sq += dot(&mn, &mn);
                u.clear();
                u.extend(cur.iter().zip(&q).map(|(c, qi)| c - qi / lip));
                z.resize(idx.len(), 0.0);
                h.block_prox(b, 1.0 / lip, &u, &mut z);
                for (k, &j) in idx.iter().enumerate() {
                    let step = z[k] - cur[k];
                    if step != 0.0 {
                        m.add(j, step);
                        d[j] += step;
                    }
                }
            }
            if sq.sqrt() <= tol {
                break;
            }
        }
        d
    }

    /// A Newton-CG step on the nonzero blocks with the zero blocks held at 0, when every zero
    /// block satisfies its optimality condition; `Some(F)` at the accepted point `xt`.
    #[allow(clippy::too_many_arguments)]
    fn subspace_step<F: Curvature, R: Regularizer, M: Monitor + ?Sized>(
        &self,
        f: &F,
        h: &R,
        x: &[f64],
        g: &[f64],
        big_f: f64,
        zero: &[bool],
        eta: f64,
        xt: &mut [f64],
        run: &mut Run<'_, M>,
    ) -> Option<f64> {
        let n = x.len();
        let (mut wb, mut gb, mut ob) = (Vec::new(), Vec::new(), Vec::new());
        let mut free = Vec::new();
        let mut grad = vec![0.0; n];
        for (b, &is_zero) in zero.iter().enumerate() {
            let idx = h.block(b);
            gather(idx, x, &mut wb);
            gather(idx, g, &mut gb);
            ob.resize(idx.len(), 0.0);
            if is_zero {
                h.block_min_norm(b, &wb, &gb, &mut ob);
                if ob.iter().any(|&v| v != 0.0) {
                    return None;
                }
                continue;
            }
            h.block_grad(b, &wb, &mut ob);
            for (k, &j) in idx.iter().enumerate() {
                grad[j] = gb[k] + ob[k];
            }
            free.push(b);
        }
        if free.is_empty() {
            return None;
        }
        let hess = f.hessian(x);
        let op = Reduced {
            h,
            hess: &hess,
            x,
            free: &free,
            zero,
            n,
        };
        // Jacobi preconditioner from ∇²f alone (∇²h of a group is not diagonal).
        let diag: Option<Vec<f64>> = hess.diagonal().map(|dg| {
            dg.iter()
                .map(|&v| if v > 0.0 { 1.0 / v } else { 1.0 })
                .collect()
        });
        let step = newton_pcg(&op, &grad, diag.as_deref(), eta.max(1e-12), 2 * n + 20);
        run.hv_products += step.products;
        let s = step.s;
        let slope = dot(&grad, &s);
        if slope.is_nan() || slope >= 0.0 {
            return None;
        }
        let mut t = 1.0;
        for _ in 0..30 {
            for j in 0..n {
                xt[j] = x[j] + t * s[j];
            }
            for &b in &free {
                let idx = h.block(b);
                gather(idx, x, &mut wb);
                gather(idx, xt, &mut gb);
                if !h.same_face(b, &wb, &gb) {
                    for (k, &j) in idx.iter().enumerate() {
                        if wb[k] * gb[k] <= 0.0 {
                            xt[j] = 0.0;
                        }
                    }
                }
            }
            let ft = f.value(xt) + h.value(xt);
            run.f_evals += 1;
            if ft < big_f + self.sigma * t * slope + roundoff(big_f) {
                return Some(ft);
            }
            t *= 0.5;
        }
        None
    }
}

/// Rounding error of an objective value, below which the Armijo test cannot tell decrease.
fn roundoff(f: f64) -> f64 {
    16.0 * f64::EPSILON * f.abs()
}

/// Which blocks are penalized and exactly zero at w.
fn zero_blocks<R: Regularizer>(h: &R, w: &[f64]) -> Vec<bool> {
    (0..h.n_blocks())
        .map(|b| h.penalized(b) && h.block(b).iter().all(|&j| w[j] == 0.0))
        .collect()
}

/// The reduced Hessian v ↦ P(∇²f + ∇²h)P, P zeroing the coordinates of zero blocks.
struct Reduced<'a, R, H> {
    h: &'a R,
    hess: &'a H,
    x: &'a [f64],
    free: &'a [usize],
    zero: &'a [bool],
    n: usize,
}

impl<R: Regularizer, H: LinearOperator> Reduced<'_, R, H> {
    fn add_reg(&self, v: &[f64], out: &mut [f64]) {
        let (mut wb, mut vb, mut ob) = (Vec::new(), Vec::new(), Vec::new());
        for &b in self.free {
            let idx = self.h.block(b);
            gather(idx, self.x, &mut wb);
            gather(idx, v, &mut vb);
            ob.clear();
            ob.resize(idx.len(), 0.0);
            self.h.block_hess_add(b, &wb, &vb, &mut ob);
            for (k, &j) in idx.iter().enumerate() {
                out[j] += ob[k];
            }
        }
    }

    fn mask(&self, v: &mut [f64]) {
        for (b, &z) in self.zero.iter().enumerate() {
            if z {
                for &j in self.h.block(b) {
                    v[j] = 0.0;
                }
            }
        }
    }
}

impl<R: Regularizer, H: LinearOperator> LinearOperator for Reduced<'_, R, H> {
    fn dim(&self) -> usize {
        self.n
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let mut vm = v.to_vec();
        self.mask(&mut vm);
        self.hess.apply(&vm, out);
        self.add_reg(&vm, out);
        self.mask(out);
    }
}
