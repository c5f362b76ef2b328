//! [`Mgh`]: one Moré–Garbow–Hillstrom problem at a size, as an [`Objective`] with an exact
//! [`Curvature`].

use faer::Mat;

use super::fixed::*;
use super::problems::MghProblem;
use super::scalar::{Dual, HyperDual, Scalar};
use super::variable::*;
use crate::error::{Error, Result};
use crate::objective::{Curvature, LinearOperator, Objective};
use crate::solvers::least_squares::Residuals;

/// A Moré–Garbow–Hillstrom problem f(x) = Σᵢ rᵢ(x)² with n variables and m residuals.
///
/// The gradient 2·Jᵀr and the Hessian 2·(JᵀJ + Σᵢ rᵢ∇²rᵢ) are exact: the residuals are written
/// once, generically, and differentiated in forward mode by dual and hyper-dual numbers (a
/// gradient costs n residual evaluations, a Hessian n(n + 1)/2).
///
/// ```
/// use optml::models::testfns::{Mgh, MghProblem};
/// use optml::solvers::{Method, Stop};
///
/// let f = Mgh::new(MghProblem::Rosenbrock);
/// let mut x = f.start();
/// let stop = Stop::absolute(1e-10);
/// let report = Method::Newton.minimize(stop, &f, &mut x, &mut optml::monitor::quiet())?;
/// assert!(report.status.converged() && report.f < 1e-20);
/// # Ok::<(), optml::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Mgh {
    problem: MghProblem,
    n: usize,
    m: usize,
}

impl Mgh {
    /// The problem at its standard size ([`MghProblem::standard_size`]).
    pub fn new(problem: MghProblem) -> Mgh {
        let (n, m) = problem.standard_size();
        Mgh { problem, n, m }
    }

    /// The problem with n variables and m residuals, where the paper allows that size.
    pub fn with_size(problem: MghProblem, n: usize, m: usize) -> Result<Mgh> {
        problem.check_size(n, m).map_err(|why| {
            Error::invalid(format!("{} at n = {n}, m = {m}: {why}", problem.name()))
        })?;
        Ok(Mgh { problem, n, m })
    }

    /// The problem with n variables, and the m that goes with n (the standard m where m is
    /// free, raised to 2n for the linear functions).
    pub fn with_n(problem: MghProblem, n: usize) -> Result<Mgh> {
        Mgh::with_size(problem, n, problem.default_m(n))
    }

    /// All 35 problems at their standard sizes, in the paper's order.
    pub fn all() -> Vec<Mgh> {
        MghProblem::ALL.into_iter().map(Mgh::new).collect()
    }

    pub fn problem(&self) -> MghProblem {
        self.problem
    }

    pub fn name(&self) -> &'static str {
        self.problem.name()
    }

    /// Number of variables.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Number of residuals.
    pub fn m(&self) -> usize {
        self.m
    }

    /// The standard starting point x₀.
    pub fn start(&self) -> Vec<f64> {
        self.problem.start(self.n)
    }

    /// The published minimum f* (the global one where the paper gives it), to full precision;
    /// `None` where the paper gives no value for this size.
    pub fn known_minimum(&self) -> Option<f64> {
        self.problem.known_minimum(self.n, self.m)
    }

    /// Other published values a solver may legitimately end at: local minima, limits approached
    /// as some xⱼ → ±∞ (Bard, Kowalik–Osborne), and the Biggs EXP6 value the paper lists, a
    /// saddle point (see [`MghProblem::BiggsExp6`]).
    pub fn other_minima(&self) -> Vec<f64> {
        self.problem.other_minima(self.n, self.m)
    }

    /// Whether a final value `f` counts as solving the problem: within 1e-8 relative (10⁻¹²
    /// absolute near 0) of f* or of one of the [`other_minima`](Mgh::other_minima).
    pub fn reached_a_listed_minimum(&self, f: f64) -> bool {
        self.known_minimum()
            .into_iter()
            .chain(self.other_minima())
            .any(|v| (f - v).abs() <= (1e-8 * v.abs()).max(1e-12))
    }

    fn eval<S: Scalar>(&self, x: &[S], r: &mut [S]) {
        use MghProblem::*;
        debug_assert_eq!((x.len(), r.len()), (self.n, self.m));
        match self.problem {
            Rosenbrock => rosenbrock(x, r),
            FreudensteinRoth => freudenstein_roth(x, r),
            PowellBadlyScaled => powell_badly_scaled(x, r),
            BrownBadlyScaled => brown_badly_scaled(x, r),
            Beale => beale(x, r),
            JennrichSampson => jennrich_sampson(x, r),
            HelicalValley => helical_valley(x, r),
            Bard => bard(x, r),
            Gaussian => gaussian(x, r),
            Meyer => meyer(x, r),
            Gulf => gulf(x, r),
            Box3d => box_3d(x, r),
            PowellSingular => powell_singular(x, r),
            Wood => wood(x, r),
            KowalikOsborne => kowalik_osborne(x, r),
            BrownDennis => brown_dennis(x, r),
            Osborne1 => osborne1(x, r),
            BiggsExp6 => biggs_exp6(x, r),
            Osborne2 => osborne2(x, r),
            Watson => watson(x, r),
            ExtendedRosenbrock => extended_rosenbrock(x, r),
            ExtendedPowellSingular => extended_powell_singular(x, r),
            PenaltyI => penalty1(x, r),
            PenaltyII => penalty2(x, r),
            VariablyDimensioned => variably_dimensioned(x, r),
            Trigonometric => trigonometric(x, r),
            BrownAlmostLinear => brown_almost_linear(x, r),
            DiscreteBoundaryValue => discrete_boundary_value(x, r),
            DiscreteIntegralEquation => discrete_integral_equation(x, r),
            BroydenTridiagonal => broyden_tridiagonal(x, r),
            BroydenBanded => broyden_banded(x, r),
            LinearFullRank => linear_full_rank(x, r),
            LinearRank1 => linear_rank1(x, r),
            LinearRank1ZeroColumnsRows => linear_rank1_zero(x, r),
            Chebyquad => chebyquad(x, r),
        }
    }

    /// The residuals r(x) (length m).
    pub fn residuals(&self, x: &[f64]) -> Vec<f64> {
        self.check(x);
        let mut r = vec![0.0; self.m];
        self.eval(x, &mut r);
        r
    }

    /// The m × n Jacobian J(x) = ∂r/∂x.
    pub fn jacobian(&self, x: &[f64]) -> Mat<f64> {
        self.check(x);
        let mut jac = Mat::zeros(self.m, self.n);
        self.jacobian_columns(x, |j, r| {
            for (i, ri) in r.iter().enumerate() {
                jac[(i, j)] = ri.d;
            }
        });
        jac
    }

    /// J(x)·v, by one forward-mode evaluation of the residuals at x + ε·v.
    pub fn jacobian_vector(&self, x: &[f64], v: &[f64]) -> Vec<f64> {
        self.check(x);
        assert_eq!(
            v.len(),
            self.n,
            "{}: v has {} entries",
            self.name(),
            v.len()
        );
        let xd: Vec<Dual> = x.iter().zip(v).map(|(&x, &d)| Dual { v: x, d }).collect();
        let mut rd = vec![Dual::cst(0.0); self.m];
        self.eval(&xd, &mut rd);
        rd.iter().map(|r| r.d).collect()
    }

    /// Calls `column(j, r)` with the residuals at x + ε·eⱼ for each j: r[i].d = ∂rᵢ/∂xⱼ.
    fn jacobian_columns(&self, x: &[f64], mut column: impl FnMut(usize, &[Dual])) {
        let mut xd: Vec<Dual> = x.iter().map(|&v| Dual { v, d: 0.0 }).collect();
        let mut rd = vec![Dual::cst(0.0); self.m];
        for j in 0..self.n {
            xd[j].d = 1.0;
            self.eval(&xd, &mut rd);
            xd[j].d = 0.0;
            column(j, &rd);
        }
    }

    fn check(&self, x: &[f64]) {
        assert_eq!(
            x.len(),
            self.n,
            "{}: x has {} entries, n = {}",
            self.name(),
            x.len(),
            self.n
        );
    }
}

impl std::fmt::Display for Mgh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (n = {}, m = {})", self.name(), self.n, self.m)
    }
}

impl Objective for Mgh {
    fn dim(&self) -> usize {
        self.n
    }

    fn value(&self, x: &[f64]) -> f64 {
        self.residuals(x).iter().map(|r| r * r).sum()
    }

    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.check(x);
        let mut f = 0.0;
        self.jacobian_columns(x, |j, r| {
            grad[j] = 2.0 * r.iter().map(|ri| ri.v * ri.d).sum::<f64>();
            if j == 0 {
                f = r.iter().map(|ri| ri.v * ri.v).sum();
            }
        });
        f
    }
}

/// A Hessian held as a dense symmetric matrix.
#[derive(Clone, Debug)]
pub struct DenseHessian {
    a: Mat<f64>,
}

impl DenseHessian {
    pub fn matrix(&self) -> &Mat<f64> {
        &self.a
    }
}

impl LinearOperator for DenseHessian {
    fn dim(&self) -> usize {
        self.a.nrows()
    }

    fn apply(&self, v: &[f64], out: &mut [f64]) {
        self.a.apply(v, out)
    }

    fn diagonal(&self) -> Option<Vec<f64>> {
        LinearOperator::diagonal(&self.a)
    }

    fn to_dense(&self) -> Mat<f64> {
        self.a.clone()
    }
}

impl Curvature for Mgh {
    type Hessian<'a> = DenseHessian;

    /// ∇²f = 2·Σᵢ (∇rᵢ∇rᵢᵀ + rᵢ∇²rᵢ), entry (j, k) from one hyper-dual evaluation at
    /// x + ε₁eⱼ + ε₂eₖ.
    fn hessian(&self, x: &[f64]) -> DenseHessian {
        self.check(x);
        let n = self.n;
        let mut a = Mat::zeros(n, n);
        let mut xh: Vec<HyperDual> = x.iter().map(|&v| HyperDual::cst(v)).collect();
        let mut rh = vec![HyperDual::cst(0.0); self.m];
        for j in 0..n {
            xh[j].a = 1.0;
            for k in j..n {
                xh[k].b = 1.0;
                self.eval(&xh, &mut rh);
                xh[k].b = 0.0;
                let h = 2.0 * rh.iter().map(|r| r.a * r.b + r.v * r.ab).sum::<f64>();
                a[(j, k)] = h;
                a[(k, j)] = h;
            }
            xh[j].a = 0.0;
        }
        DenseHessian { a }
    }
}

/// The residuals of the problem, for the least-squares solvers.
impl Residuals for Mgh {
    fn n_params(&self) -> usize {
        self.n()
    }
    fn n_residuals(&self) -> usize {
        self.m()
    }
    fn residuals(&self, x: &[f64], r: &mut [f64]) {
        r.copy_from_slice(&Mgh::residuals(self, x));
    }
    fn jvp(&self, x: &[f64], v: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.jacobian_vector(x, v));
    }
    /// Jᵀ·u from the dense Jacobian (n forward evaluations).
    fn vjp(&self, x: &[f64], u: &[f64], out: &mut [f64]) {
        let j = Mgh::jacobian(self, x);
        for (k, o) in out.iter_mut().enumerate() {
            *o = (0..self.m()).map(|i| j[(i, k)] * u[i]).sum();
        }
    }
    fn jacobian(&self, x: &[f64]) -> Option<Mat<f64>> {
        Some(Mgh::jacobian(self, x))
    }
}
