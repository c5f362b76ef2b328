//! The traits every model meets and every solver asks for.
//!
//! Parameters are plain `&[f64]`: free to view as a faer column, to hand to a user's closure, or
//! to write to a file.

use faer::Mat;

/// A square linear operator v ↦ A·v, such as a Hessian at a point.
pub trait LinearOperator {
    /// Size of the vectors it maps.
    fn dim(&self) -> usize;
    /// `out = A·v`.
    fn apply(&self, v: &[f64], out: &mut [f64]);
    /// The diagonal of A when it is cheap (one pass), for Jacobi preconditioning.
    fn diagonal(&self) -> Option<Vec<f64>> {
        None
    }
    /// A as a dense matrix. The default applies A to each unit vector (`dim` products);
    /// operators that can do better (XᵀDX by blocked products) override it.
    fn to_dense(&self) -> Mat<f64> {
        let n = self.dim();
        let mut a = Mat::<f64>::zeros(n, n);
        let mut e = vec![0.0; n];
        let mut col = vec![0.0; n];
        for j in 0..n {
            e[j] = 1.0;
            self.apply(&e, &mut col);
            e[j] = 0.0;
            for (i, &c) in col.iter().enumerate() {
                a[(i, j)] = c;
            }
        }
        a
    }
}

/// A square dense matrix is the operator v ↦ A·v.
impl LinearOperator for Mat<f64> {
    fn dim(&self) -> usize {
        self.nrows()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        for (i, o) in out.iter_mut().enumerate() {
            *o = (0..v.len()).map(|j| self[(i, j)] * v[j]).sum();
        }
    }

    fn diagonal(&self) -> Option<Vec<f64>> {
        Some((0..self.nrows()).map(|i| self[(i, i)]).collect())
    }

    fn to_dense(&self) -> Mat<f64> {
        self.clone()
    }
}

/// A differentiable function f: ℝⁿ → ℝ.
pub trait Objective {
    /// Number of parameters n.
    fn dim(&self) -> usize;
    /// f(x).
    fn value(&self, x: &[f64]) -> f64;
    /// Writes ∇f(x) into `grad` and returns f(x).
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64;
    /// f restricted to the line t ↦ f(x + t·d), for line searches. The default evaluates f (and
    /// ∇f for slopes) at each trial point; objectives that are cheap along a line (GLMs, after
    /// one product X·d) override it.
    fn line<'a>(&'a self, x: &[f64], d: &[f64]) -> Box<dyn Line + 'a>
    where
        Self: Sized,
    {
        Box::new(Restriction {
            f: self,
            x: x.to_vec(),
            d: d.to_vec(),
            last: Default::default(),
        })
    }
    /// Passes over the data made so far, for objectives backed by a data set (0 otherwise).
    /// Solvers report the difference over a run.
    fn passes(&self) -> f64 {
        0.0
    }
}

/// Second-order information. `hessian(x)` does the per-point work once (e.g. the logistic
/// weights σ(1−σ)); the returned operator then costs one pass over the data per product.
pub trait Curvature: Objective {
    type Hessian<'a>: LinearOperator
    where
        Self: 'a;
    /// ∇²f(x) (or a positive semi-definite generalized Hessian for piecewise-quadratic losses).
    fn hessian(&self, x: &[f64]) -> Self::Hessian<'_>;
    /// Where the products come from: "exact", or "finite-differences" for
    /// [`WithFiniteDiffHessian`] and closures without a Hessian. Solvers copy it into their
    /// [`Report`](crate::solvers::Report).
    fn hessian_kind(&self) -> &'static str {
        "exact"
    }
}

/// f(x) = Σᵢ fᵢ(x) + r(x) over n terms fᵢ (one per sample) and a regularizer r, for stochastic
/// and sub-sampled methods.
///
/// **One scale for every model.** A batch B (a multiset of indices < n, repeats counted) stands
/// for the whole sum:
///
/// f_B(x) = (n/|B|)·Σ_{i∈B} fᵢ(x) + r(x),
///
/// likewise ∇f_B and the sampled Hessian ∇²f_B of [`SampledCurvature`], with the regularizer
/// counted once, not scaled. So f_B is an unbiased estimate of f for a uniform sample of any fixed
/// size, a step size tuned on one model means the same on another, and over a partition of the n
/// terms into batches B₁…B_m
///
/// Σⱼ (|Bⱼ|/n)·f_{Bⱼ}(x) = f(x)   exactly, regularizer included (the weights sum to 1);
///
/// when the batches have equal size n/m this is the plain mean (1/m)·Σⱼ f_{Bⱼ}(x) = f(x). The
/// same holds for gradients and sampled Hessian products. An empty batch gives f_∅ = r.
///
/// How a model splits f into fᵢ and r: a GLM has fᵢ = sᵢ·ℓ(yᵢ, W·xᵢ + b) and r = ‖W‖²/(2C); an
/// MLP averages, fᵢ = ℓᵢ/n, and r = (λ/2)·Σ‖Wₗ‖², so its f_B is the mean loss over B plus r.
pub trait FiniteSum: Objective {
    /// Number of terms n.
    fn n_terms(&self) -> usize;
    /// Writes ∇f_B(x) into `grad` and returns f_B(x) = (n/|B|)·Σ_{i∈B} fᵢ(x) + r(x).
    /// Panics if an index of `batch` is ≥ [`n_terms`](FiniteSum::n_terms).
    fn value_grad_batch(&self, x: &[f64], batch: &[usize], grad: &mut [f64]) -> f64;
}

/// Curvature from a sample of the terms, for sub-sampled Newton methods.
pub trait SampledCurvature: FiniteSum {
    type BatchHessian<'a>: LinearOperator
    where
        Self: 'a;
    /// The sub-sampled Hessian ∇²f_B(x) = (n/|B|)·Σ_{i∈B} ∇²fᵢ(x) + ∇²r(x) (a generalized
    /// Hessian where [`Curvature::hessian`] uses one), on the scale of
    /// [`FiniteSum::value_grad_batch`]: the Hessian of f_B, and over a partition its
    /// |B|/n-weighted mean is ∇²f(x). Panics if an index of `batch` is ≥ `n_terms`.
    fn hessian_batch(&self, x: &[f64], batch: &[usize]) -> Self::BatchHessian<'_>;
}

/// φ(t) = f(x + t·d) along a fixed line.
pub trait Line {
    /// φ(t).
    fn value(&self, t: f64) -> f64;
    /// (φ(t), φ'(t)) with φ'(t) = ∇f(x + t·d)·d.
    fn value_slope(&self, t: f64) -> (f64, f64);
    /// f(x + t·d), with ∇f(x + t·d) written into `grad`, when the line still holds them from
    /// its last [`value_slope`](Line::value_slope) at this `t`; `None` otherwise, and the caller
    /// evaluates the gradient itself. Saves a line search's caller one gradient per step.
    fn last_gradient(&self, _t: f64, _grad: &mut [f64]) -> Option<f64> {
        None
    }
}

/// The generic [`Line`]: a full evaluation of f at each trial point; the gradient of the last
/// one is kept for [`Line::last_gradient`].
struct Restriction<'a, O: ?Sized> {
    f: &'a O,
    x: Vec<f64>,
    d: Vec<f64>,
    last: std::cell::RefCell<Option<(f64, f64, Vec<f64>)>>,
}

impl<O: Objective + ?Sized> Restriction<'_, O> {
    fn point(&self, t: f64) -> Vec<f64> {
        self.x.iter().zip(&self.d).map(|(a, b)| a + t * b).collect()
    }
}

impl<O: Objective + ?Sized> Line for Restriction<'_, O> {
    fn value(&self, t: f64) -> f64 {
        self.f.value(&self.point(t))
    }
    fn value_slope(&self, t: f64) -> (f64, f64) {
        let mut last = self.last.borrow_mut();
        let mut g = last
            .take()
            .map_or_else(|| vec![0.0; self.d.len()], |(_, _, g)| g);
        let f = self.f.value_grad(&self.point(t), &mut g);
        let slope = crate::linalg::dot(&g, &self.d);
        *last = Some((t, f, g));
        (f, slope)
    }
    fn last_gradient(&self, t: f64, grad: &mut [f64]) -> Option<f64> {
        match &*self.last.borrow() {
            Some((at, f, g)) if *at == t => {
                grad.copy_from_slice(g);
                Some(*f)
            }
            _ => None,
        }
    }
}

impl<T: Objective> Objective for &T {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        (**self).value(x)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        (**self).value_grad(x, grad)
    }
    fn passes(&self) -> f64 {
        (**self).passes()
    }
    fn line<'a>(&'a self, x: &[f64], d: &[f64]) -> Box<dyn Line + 'a> {
        (**self).line(x, d)
    }
}

impl<T: Curvature> Curvature for &T {
    type Hessian<'a>
        = T::Hessian<'a>
    where
        Self: 'a;
    fn hessian(&self, x: &[f64]) -> Self::Hessian<'_> {
        (**self).hessian(x)
    }
    fn hessian_kind(&self) -> &'static str {
        (**self).hessian_kind()
    }
}

impl<T: FiniteSum> FiniteSum for &T {
    fn n_terms(&self) -> usize {
        (**self).n_terms()
    }
    fn value_grad_batch(&self, x: &[f64], batch: &[usize], grad: &mut [f64]) -> f64 {
        (**self).value_grad_batch(x, batch, grad)
    }
}

impl<T: SampledCurvature> SampledCurvature for &T {
    type BatchHessian<'a>
        = T::BatchHessian<'a>
    where
        Self: 'a;
    fn hessian_batch(&self, x: &[f64], batch: &[usize]) -> Self::BatchHessian<'_> {
        (**self).hessian_batch(x, batch)
    }
}

/// A user's closure `|x, grad| -> f` as an [`Objective`].
pub struct FnObjective<F> {
    dim: usize,
    f: F,
}

impl<F: Fn(&[f64], &mut [f64]) -> f64> FnObjective<F> {
    /// Wraps `f`, which writes ∇f(x) into its second argument and returns f(x).
    pub fn new(dim: usize, f: F) -> Self {
        FnObjective { dim, f }
    }
}

impl<F: Fn(&[f64], &mut [f64]) -> f64> Objective for FnObjective<F> {
    fn dim(&self) -> usize {
        self.dim
    }
    fn value(&self, x: &[f64]) -> f64 {
        let mut g = vec![0.0; self.dim];
        (self.f)(x, &mut g)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        (self.f)(x, grad)
    }
}

/// A Hessian approximated by central differences of gradients:
/// H·v ≈ (∇f(x + εv) − ∇f(x − εv)) / 2ε, with ε scaled to ‖x‖ and ‖v‖.
pub struct FiniteDiffHessian<'a, O: Objective + ?Sized> {
    f: &'a O,
    x: Vec<f64>,
}

impl<'a, O: Objective + ?Sized> FiniteDiffHessian<'a, O> {
    pub fn new(f: &'a O, x: &[f64]) -> Self {
        FiniteDiffHessian { f, x: x.to_vec() }
    }
}

impl<O: Objective + ?Sized> LinearOperator for FiniteDiffHessian<'_, O> {
    fn dim(&self) -> usize {
        self.x.len()
    }
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        let vn = crate::linalg::norm(v);
        if vn == 0.0 {
            out.fill(0.0);
            return;
        }
        let eps = f64::EPSILON.cbrt() * (1.0 + crate::linalg::norm(&self.x)) / vn;
        let xp: Vec<f64> = self.x.iter().zip(v).map(|(a, b)| a + eps * b).collect();
        let xm: Vec<f64> = self.x.iter().zip(v).map(|(a, b)| a - eps * b).collect();
        let mut gm = vec![0.0; v.len()];
        self.f.value_grad(&xp, out);
        self.f.value_grad(&xm, &mut gm);
        for (o, m) in out.iter_mut().zip(&gm) {
            *o = (*o - m) / (2.0 * eps);
        }
    }
}

/// An [`Objective`] whose Hessian products are finite differences of its gradient.
/// Solvers that need curvature accept it; their [`Report`](crate::solvers::Report) cannot tell
/// the products apart, so the wrapper's name says it.
pub struct WithFiniteDiffHessian<O>(pub O);

impl<O: Objective> Objective for WithFiniteDiffHessian<O> {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.0.value(x)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.0.value_grad(x, grad)
    }
    fn passes(&self) -> f64 {
        self.0.passes()
    }
    fn line<'a>(&'a self, x: &[f64], d: &[f64]) -> Box<dyn Line + 'a> {
        self.0.line(x, d)
    }
}

impl<O: FiniteSum> FiniteSum for WithFiniteDiffHessian<O> {
    fn n_terms(&self) -> usize {
        self.0.n_terms()
    }
    fn value_grad_batch(&self, x: &[f64], batch: &[usize], grad: &mut [f64]) -> f64 {
        self.0.value_grad_batch(x, batch, grad)
    }
}

impl<O: Objective> Curvature for WithFiniteDiffHessian<O> {
    type Hessian<'a>
        = FiniteDiffHessian<'a, O>
    where
        Self: 'a;
    fn hessian(&self, x: &[f64]) -> Self::Hessian<'_> {
        FiniteDiffHessian::new(&self.0, x)
    }
    fn hessian_kind(&self) -> &'static str {
        "finite-differences"
    }
}
