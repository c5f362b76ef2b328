//! The Moré–Garbow–Hillstrom problems (`optml::models::testfns`): the catalogue against the
//! paper, exact derivatives against finite differences, and every solver from the standard
//! starting point against the published minima.

use faer::Side;
use optml::models::testfns::{Mgh, MghProblem};
use optml::monitor::quiet;
use optml::objective::{Curvature, LinearOperator, Objective};
use optml::solvers::{Method, Report, Status, Stop};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use MghProblem::*;

/// Minima as the paper prints them (to six digits, truncated or rounded), for each
/// (problem, n, m): the global or best value f*, then the other values it lists.
const PAPER: &[(MghProblem, usize, usize, f64, &[f64])] = &[
    (FreudensteinRoth, 2, 2, 0.0, &[48.9842]),
    (JennrichSampson, 2, 10, 124.362, &[]),
    (Bard, 3, 15, 8.21487e-3, &[17.4286]),
    (Gaussian, 3, 15, 1.12793e-8, &[]),
    (Meyer, 3, 16, 87.9458, &[]),
    (KowalikOsborne, 4, 11, 3.07505e-4, &[1.02734e-3]),
    (BrownDennis, 4, 20, 85822.2, &[]),
    (Osborne1, 5, 33, 5.46489e-5, &[]),
    (BiggsExp6, 6, 13, 0.0, &[5.65565e-3]),
    (Osborne2, 11, 65, 4.01377e-2, &[]),
    (Watson, 6, 31, 2.28767e-3, &[]),
    (Watson, 9, 31, 1.39976e-6, &[]),
    (Watson, 12, 31, 4.72238e-10, &[]),
    (PenaltyI, 4, 5, 2.24997e-5, &[]),
    (PenaltyI, 10, 11, 7.08765e-5, &[]),
    (PenaltyII, 4, 8, 9.37629e-6, &[]),
    (PenaltyII, 10, 20, 2.93660e-4, &[]),
    // The paper gives f* = 0; 2.79506e-5 (not in the paper) is the local minimum Newton-type
    // methods reach from x₀ for n = 10.
    (Trigonometric, 10, 10, 0.0, &[2.79506e-5]),
    (BrownAlmostLinear, 10, 10, 0.0, &[1.0]),
    (Chebyquad, 7, 7, 0.0, &[]),
    (Chebyquad, 8, 8, 3.51687e-3, &[]),
    (Chebyquad, 9, 9, 0.0, &[]),
    (Chebyquad, 10, 10, 6.50395e-3, &[]),
];

/// NIST StRD certified residual sums of squares (11 digits) for the problems it shares.
const NIST: &[(MghProblem, f64)] = &[
    (Meyer, 8.7945855171e1),
    (KowalikOsborne, 3.0750560385e-4),
    (Osborne1, 5.4648946975e-5),
];

/// Whether `precise` agrees with `printed` to the last digit the latter shows.
fn agrees_to_printed_digits(precise: f64, printed: f64, digits: i32) -> bool {
    if printed == 0.0 {
        return precise == 0.0;
    }
    let unit = 10f64.powi(printed.abs().log10().floor() as i32 - digits + 1);
    (precise - printed).abs() <= unit
}

#[test]
fn catalogue_matches_the_paper() {
    let all = Mgh::all();
    assert_eq!(all.len(), 35);
    for (k, f) in all.iter().enumerate() {
        assert_eq!(f.problem().number(), k + 1);
        assert_eq!((f.n(), f.m()), f.problem().standard_size());
        assert_eq!(f.start().len(), f.n(), "{f}");
        let f_star = f.known_minimum().unwrap_or_else(|| panic!("{f}: no f*"));
        assert!(f.value(&f.start()) > f_star, "{f}");
    }
    for &(p, n, m, f_star, others) in PAPER {
        let f = Mgh::with_size(p, n, m).unwrap();
        let got = f.known_minimum().unwrap();
        assert!(
            agrees_to_printed_digits(got, f_star, 6),
            "{f}: {got} vs {f_star}"
        );
        let got = f.other_minima();
        assert_eq!(got.len(), others.len(), "{f}");
        for (g, o) in got.iter().zip(others.iter()) {
            assert!(agrees_to_printed_digits(*g, *o, 6), "{f}: {g} vs {o}");
        }
    }
    for &(p, certified) in NIST {
        let got = Mgh::new(p).known_minimum().unwrap();
        assert!(
            agrees_to_printed_digits(got, certified, 11),
            "{p:?}: {got} vs {certified}"
        );
    }
    // Closed forms of the linear functions: m − n, m(m − 1)/(2(2m + 1)), (m² + 3m − 6)/(2(2m − 3)).
    let lin = |p| Mgh::with_size(p, 5, 7).unwrap().known_minimum().unwrap();
    assert_eq!(lin(LinearFullRank), 2.0);
    assert!((lin(LinearRank1) - 42.0 / 30.0).abs() < 1e-15);
    assert!((lin(LinearRank1ZeroColumnsRows) - 64.0 / 22.0).abs() < 1e-15);
}

#[test]
fn published_minimizers_give_the_published_values() {
    let at = |p, n: usize, x: &[f64]| Mgh::with_n(p, n).unwrap().value(x);
    let zero_at: &[(MghProblem, &[f64])] = &[
        (Rosenbrock, &[1.0, 1.0]),
        (FreudensteinRoth, &[5.0, 4.0]),
        (BrownBadlyScaled, &[1e6, 2e-6]),
        (Beale, &[3.0, 0.5]),
        (HelicalValley, &[1.0, 0.0, 0.0]),
        (Gulf, &[50.0, 25.0, 1.5]),
        (Box3d, &[1.0, 10.0, 1.0]),
        (Box3d, &[10.0, 1.0, -1.0]),
        (Box3d, &[2.5, 2.5, 0.0]),
        (PowellSingular, &[0.0; 4]),
        (Wood, &[1.0; 4]),
        (BiggsExp6, &[1.0, 10.0, 1.0, 5.0, 4.0, 3.0]),
        (BiggsExp6, &[4.0, 10.0, 3.0, 5.0, 1.0, 1.0]),
        (ExtendedRosenbrock, &[1.0; 10]),
        (ExtendedPowellSingular, &[0.0; 12]),
        (VariablyDimensioned, &[1.0; 10]),
    ];
    for &(p, x) in zero_at {
        let v = at(p, x.len(), x);
        assert!(v < 1e-24, "{p:?} at {x:?}: {v}");
    }
    // Freudenstein–Roth's local minimum, to the paper's digits.
    assert!((at(FreudensteinRoth, 2, &[11.4128, -0.896805]) - 48.9842).abs() < 1e-4);
    // Brown almost-linear: f = 1 at (0, …, 0, n + 1).
    let mut x = vec![0.0; 10];
    x[9] = 11.0;
    assert_eq!(at(BrownAlmostLinear, 10, &x), 1.0);
    // Linear full rank: f* = m − n at (−1, …, −1).
    assert!((at(LinearFullRank, 10, &[-1.0; 10]) - 10.0).abs() < 1e-13);
    // The limits at infinity: Bard at (ȳ, −L, −L); Kowalik–Osborne at (−aL, x₂, −L, −dL).
    let big = 1e12;
    let bard = Mgh::new(Bard);
    let v = bard.value(&[1261.0 / 1500.0, -big, -big]);
    assert!((v - bard.other_minima()[0]).abs() < 1e-9, "{v}");
    let ko = Mgh::new(KowalikOsborne);
    let (a, b, d) = (
        -0.022095935730168655,
        -14.075883400603297,
        0.6238013410486998,
    );
    let v = ko.value(&[-a * big, b, -big, -d * big]);
    assert!((v / ko.other_minima()[0] - 1.0).abs() < 1e-9, "{v}");
}

#[test]
fn sizes_are_checked() {
    assert!(Mgh::with_size(Rosenbrock, 3, 2).is_err());
    assert!(Mgh::with_size(JennrichSampson, 2, 1).is_err());
    assert!(Mgh::with_size(Gulf, 3, 101).is_err());
    assert!(Mgh::with_n(ExtendedRosenbrock, 7).is_err());
    assert!(Mgh::with_n(ExtendedPowellSingular, 10).is_err());
    assert!(Mgh::with_n(Watson, 32).is_err());
    assert!(Mgh::with_size(PenaltyII, 5, 11).is_err());
    assert!(Mgh::with_size(Chebyquad, 8, 7).is_err());
    let f = Mgh::with_n(LinearRank1, 30).unwrap();
    assert_eq!((f.n(), f.m()), (30, 60));
    let f = Mgh::with_n(ExtendedRosenbrock, 100).unwrap();
    assert_eq!(f.start().len(), 100);
    assert_eq!(f.to_string(), "extended-rosenbrock (n = 100, m = 100)");
    // Gulf with m = 100 has y₁₀₀ = 25 = x₂ at the solution, where |yᵢ − x₂|^{x₃} is 0.
    let f = Mgh::with_size(Gulf, 3, 100).unwrap();
    let x = [50.0, 25.0, 1.5];
    let mut g = [1.0; 3];
    assert!(f.value_grad(&x, &mut g) < 1e-28);
    assert!(g.iter().all(|v| v.abs() < 1e-13), "{g:?}");
    let h = f.hessian(&x).to_dense();
    assert!((0..3).all(|i| (0..3).all(|j| h[(i, j)].is_finite())));
}

#[test]
fn published_minima_at_other_sizes() {
    let sizes = [
        (Watson, 6),
        (Watson, 12),
        (PenaltyI, 4),
        (PenaltyII, 4),
        (Chebyquad, 7),
        (Chebyquad, 9),
        (Chebyquad, 10),
        (ExtendedRosenbrock, 100),
    ];
    for (p, n) in sizes {
        let f = Mgh::with_n(p, n).unwrap();
        let f_star = f.known_minimum().unwrap();
        let ends: Vec<f64> = [Method::Newton, Method::TrustRegion]
            .into_iter()
            .map(|m| {
                let mut x = f.start();
                m.minimize(STOP, &f, &mut x, &mut quiet()).unwrap().f
            })
            .collect();
        assert!(
            ends.iter().any(|&v| reaches(v, f_star)),
            "{f}: {ends:?}, f* = {f_star:e}"
        );
    }
}

/// x₀, and x₀ moved by up to 10% of (|x₀ⱼ| + 0.1) in each coordinate.
fn test_points(f: &Mgh, rng: &mut ChaCha8Rng) -> [Vec<f64>; 2] {
    let x0 = f.start();
    let moved = x0
        .iter()
        .map(|&v| v + 0.1 * (v.abs() + 0.1) * rng.random_range(-1.0..1.0))
        .collect();
    [x0, moved]
}

/// Steps of the finite differences, relative to each coordinate's scale |xⱼ| + 0.01: the test
/// keeps the best, since no single step suits both Meyer (x ~ 10³) and Osborne 1 (x ~ 10⁻²).
const STEPS: [f64; 6] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6];

/// Fourth-order central difference (8(φ(h) − φ(−h)) − (φ(2h) − φ(−2h)))/12h.
fn central(phi: impl Fn(f64) -> f64, h: f64) -> f64 {
    (8.0 * (phi(h) - phi(-h)) - (phi(2.0 * h) - phi(-2.0 * h))) / (12.0 * h)
}

/// maxⱼ minₕ |∂ⱼf − FD| / (|∂ⱼf| + 10⁻³‖∇f‖∞ + 10⁻⁷|f|/(|xⱼ| + 0.01)); the last term is
/// ~10⁵ times the rounding noise of the differences (Brown badly scaled has f ≈ 10¹² at x₀).
fn gradient_error(f: &Mgh, x: &[f64]) -> f64 {
    let mut g = vec![0.0; x.len()];
    let fx = f.value_grad(x, &mut g);
    assert_eq!(fx, f.value(x), "{f}: value_grad and value disagree");
    let gmax = g.iter().fold(0.0f64, |a, b| a.max(b.abs()));
    (0..x.len())
        .map(|j| {
            let scale = x[j].abs() + 0.01;
            let phi = |t: f64| {
                let mut y = x.to_vec();
                y[j] += t;
                f.value(&y)
            };
            STEPS
                .iter()
                .map(|s| (central(phi, s * scale) - g[j]).abs())
                .fold(f64::INFINITY, f64::min)
                / (g[j].abs() + 1e-3 * gmax + 1e-7 * fx.abs() / scale)
        })
        .fold(0.0, f64::max)
}

/// maxᵢ minₕ |(H·v)ᵢ − FD of ∇f along v| / (|(H·v)ᵢ| + 10⁻³‖H·v‖∞), v scaled per coordinate.
fn hessian_vector_error(f: &Mgh, x: &[f64], rng: &mut ChaCha8Rng) -> f64 {
    let n = x.len();
    let v: Vec<f64> = x
        .iter()
        .map(|xj| rng.random_range(-1.0..1.0) * (xj.abs() + 0.01))
        .collect();
    let h = f.hessian(x);
    let mut hv = vec![0.0; n];
    h.apply(&v, &mut hv);
    // The dense form and the diagonal agree with the products.
    let dense = h.to_dense();
    let diag = h.diagonal().unwrap();
    for i in 0..n {
        let row: f64 = (0..n).map(|j| dense[(i, j)] * v[j]).sum();
        assert!((row - hv[i]).abs() <= 1e-12 * (1.0 + hv[i].abs()));
        assert_eq!(diag[i], dense[(i, i)]);
        for j in 0..n {
            assert_eq!(dense[(i, j)], dense[(j, i)]);
        }
    }
    let hmax = hv.iter().fold(0.0f64, |a, b| a.max(b.abs()));
    let g_at = |t: f64| {
        let y: Vec<f64> = x.iter().zip(&v).map(|(a, b)| a + t * b).collect();
        let mut g = vec![0.0; n];
        f.value_grad(&y, &mut g);
        g
    };
    let grads: Vec<[Vec<f64>; 4]> = STEPS
        .iter()
        .map(|&s| [g_at(s), g_at(-s), g_at(2.0 * s), g_at(-2.0 * s)])
        .collect();
    (0..n)
        .map(|i| {
            STEPS
                .iter()
                .zip(&grads)
                .map(|(s, g)| {
                    let [p1, m1, p2, m2] = g;
                    let fd = (8.0 * (p1[i] - m1[i]) - (p2[i] - m2[i])) / (12.0 * s);
                    (fd - hv[i]).abs()
                })
                .fold(f64::INFINITY, f64::min)
                / (hv[i].abs() + 1e-3 * hmax)
        })
        .fold(0.0, f64::max)
}

#[test]
fn derivatives_match_finite_differences() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut worst = (0.0f64, 0.0f64);
    for f in Mgh::all() {
        for (k, x) in test_points(&f, &mut rng).iter().enumerate() {
            let at = if k == 0 { "x₀" } else { "a point near x₀" };
            // ∇f = 2·Jᵀr with the public residuals and Jacobian.
            let (r, jac) = (f.residuals(x), f.jacobian(x));
            let mut g = vec![0.0; f.n()];
            f.value_grad(x, &mut g);
            for (j, gj) in g.iter().enumerate() {
                let jtr: f64 = (0..f.m()).map(|i| 2.0 * jac[(i, j)] * r[i]).sum();
                assert!((jtr - gj).abs() <= 1e-12 * (1.0 + gj.abs()), "{f} at {at}");
            }
            let eg = gradient_error(&f, x);
            let eh = hessian_vector_error(&f, x, &mut rng);
            worst = (worst.0.max(eg), worst.1.max(eh));
            assert!(eg <= 1e-6, "{f}: gradient error {eg:.2e} at {at}");
            assert!(eh <= 1e-6, "{f}: Hessian-vector error {eh:.2e} at {at}");
        }
    }
    println!(
        "worst relative error: gradient {:.1e}, Hessian-vector {:.1e}",
        worst.0, worst.1
    );
}

/// The stop rule of the comparison: ‖∇f‖ ≤ 10⁻¹⁰, at most 10 000 iterations. (10⁻⁸ lets
/// trust-region "converge" on Powell badly scaled at f = 1.2·10⁻⁹ and Newton-CG on Watson at a
/// relative error of 3·10⁻⁵: gradients that small are not yet at the minimum there.)
const STOP: Stop = Stop {
    tol: 1e-10,
    relative: false,
    max_iter: 10_000,
    max_seconds: f64::INFINITY,
};

/// |f − target| ≤ 10⁻⁸·|target|, or ≤ 10⁻¹² where the target is 0.
fn reaches(f: f64, target: f64) -> bool {
    (f - target).abs() <= (1e-8 * target.abs()).max(1e-12)
}

/// Runs that end at a value the paper does not list, for a reason that is the problem's.
/// Each is checked to be a local minimum (positive definite Hessian at the returned point).
const UNLISTED_LOCAL_MINIMA: &[(MghProblem, Method, f64)] = &[];

/// Problems where no method reaches the paper's f* from x₀: the robust methods must reach the
/// listed value instead.
const GLOBAL_MINIMUM_NOT_REACHED: &[(MghProblem, f64)] = &[
    // x₀ = (0.5, −2) lies in the basin of the paper's local minimum (11.41…, −0.8968…):
    // every method here ends there.
    (FreudensteinRoth, 48.98425367924001),
    // Newton-type methods reach the local minimum f ≈ 2.79506·10⁻⁵ (n = 10), not f* = 0.
    (Trigonometric, 2.795056121877404e-5),
];

/// Runs that fail to reach any listed value: solver defects, reported, not excused. The test
/// fails if one of these starts to pass (remove it from the list) or a new failure appears.
const KNOWN_SOLVER_FAILURES: &[(MghProblem, Method, &str)] = &[
    // The first-order methods converge linearly at a rate set by the conditioning; on these
    // badly scaled or nearly rank-deficient problems 10⁴ iterations are not enough.
    (
        PowellBadlyScaled,
        Method::Gd,
        "linear rate on a badly scaled problem: f = 6·10⁻⁸ after 10⁴ iterations",
    ),
    (
        PowellBadlyScaled,
        Method::Agd,
        "1/L steps with L from the stiff direction: f = 0.13 after 10⁴ iterations",
    ),
    (
        BrownBadlyScaled,
        Method::Agd,
        "1/L steps with L ~ 10¹² from x₂ crawl along x₁ towards 10⁶: f = 2.5·10¹¹ after 10⁴ \
         iterations",
    ),
    (
        BrownBadlyScaled,
        Method::Ncg,
        "stalls at f = 5·10⁻¹²: no Wolfe step along the conjugate direction or −∇f decreases f \
         in floating point",
    ),
    (
        Meyer,
        Method::Gd,
        "linear rate in a curved narrow valley (x ~ 10³–10⁴): f = 9.5·10⁴ after 10⁴ iterations",
    ),
    (
        Meyer,
        Method::Agd,
        "linear rate in a curved narrow valley (x ~ 10³–10⁴): f = 1.2·10⁶ after 10⁴ iterations",
    ),
    (
        Meyer,
        Method::Ncg,
        "linear rate in a curved narrow valley (x ~ 10³–10⁴): f = 7·10⁴ after 10⁴ iterations",
    ),
    (
        Osborne1,
        Method::Gd,
        "linear rate, ill-conditioned exponential fit: f = 6.7·10⁻⁵ after 10⁴ iterations",
    ),
    (
        Osborne1,
        Method::Agd,
        "linear rate, ill-conditioned exponential fit: f = 7.4·10⁻⁵ after 10⁴ iterations",
    ),
    (
        Watson,
        Method::Gd,
        "polynomial fit with a Hilbert-like Hessian: f = 1.2·10⁻⁵ after 10⁴ iterations",
    ),
    (
        Watson,
        Method::Agd,
        "polynomial fit with a Hilbert-like Hessian: f = 7.2·10⁻⁶ after 10⁴ iterations",
    ),
    (
        Watson,
        Method::Ncg,
        "polynomial fit with a Hilbert-like Hessian: f = 1.4·10⁻⁶ after 10⁴ iterations",
    ),
];

struct Run {
    f: Mgh,
    method: Method,
    report: Report,
    x: Vec<f64>,
    /// Whether it ended at a listed value (or at its entry in `UNLISTED_LOCAL_MINIMA`).
    ok: bool,
}

fn outcome(f: &Mgh, method: Method, report: &Report, x: &[f64]) -> bool {
    let unlisted = UNLISTED_LOCAL_MINIMA
        .iter()
        .find(|(p, m, _)| *p == f.problem() && *m == method);
    if let Some(&(_, _, v)) = unlisted {
        reaches(report.f, v) && smallest_eigenvalue(f, x) > 0.0
    } else {
        let f_star = f.known_minimum().unwrap();
        std::iter::once(f_star)
            .chain(f.other_minima())
            .any(|v| reaches(report.f, v))
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::ConvergedAbsoluteGradient | Status::ConvergedRelativeGradient => "conv",
        Status::MaxIterations => "maxit",
        Status::Stalled => "stall",
        Status::NonFinite => "nonfin",
        Status::TimeLimit => "time",
        Status::StoppedByMonitor => "monitor",
    }
}

fn smallest_eigenvalue(f: &Mgh, x: &[f64]) -> f64 {
    let ev = f
        .hessian(x)
        .to_dense()
        .self_adjoint_eigenvalues(Side::Lower)
        .unwrap();
    ev.into_iter().fold(f64::INFINITY, f64::min)
}

#[test]
fn every_solver_from_the_standard_start() {
    let mut runs = Vec::new();
    for f in Mgh::all() {
        for method in Method::ALL {
            let mut x = f.start();
            let report = method.minimize(STOP, &f, &mut x, &mut quiet()).unwrap();
            assert!(
                (f.value(&x) - report.f).abs() <= 1e-12 * (1.0 + report.f.abs()),
                "{f}, {method}: the report's f {} is not f at the returned point, {}",
                report.f,
                f.value(&x)
            );
            let ok = outcome(&f, method, &report, &x);
            runs.push(Run {
                f,
                method,
                report,
                x,
                ok,
            });
        }
    }
    print_tables(&runs);

    let mut wrong = Vec::new();
    let mut unexpected = Vec::new();
    for run in &runs {
        let (f, m, r, ok) = (&run.f, run.method, &run.report, run.ok);
        let listed: Vec<f64> = std::iter::once(f.known_minimum().unwrap())
            .chain(f.other_minima())
            .collect();
        // Rule 1: a converged run ends at a listed value.
        if r.status.converged() && !ok {
            wrong.push(format!(
                "{f}, {m}: converged (‖∇f‖ = {:.1e}) at f = {:.10e}, listed {:?}; smallest \
                 Hessian eigenvalue there {:.2e}",
                r.grad_norm,
                r.f,
                listed,
                smallest_eigenvalue(f, &run.x)
            ));
        }
        // Rule 1b: the second-order methods converge only where their Lanczos test passed,
        // and the test agrees with a dense eigensolver: λ_min(H) ≥ −10⁻⁶·max(1, ‖H‖).
        if matches!(m, Method::Arc | Method::NewtonNc) && r.status.converged() {
            let lanczos = r.min_eigenvalue.unwrap_or(f64::NAN);
            let ev = f
                .hessian(&run.x)
                .to_dense()
                .self_adjoint_eigenvalues(Side::Lower)
                .unwrap();
            let scale = ev.iter().fold(1f64, |a, b| a.max(b.abs()));
            if r.second_order != Some(true)
                || ev[0] < -1e-6 * scale
                || lanczos < ev[0] - 1e-9 * scale
            {
                wrong.push(format!(
                    "{f}, {m}: converged with second-order verdict {:?}, Lanczos λ_min {lanczos:e}, \
                     dense λ_min {:e}",
                    r.second_order, ev[0]
                ));
            }
        }
        let known = KNOWN_SOLVER_FAILURES
            .iter()
            .any(|(p, mm, _)| *p == f.problem() && *mm == m);
        if ok == known {
            unexpected.push(format!(
                "{f}, {m}: {} after {} iterations at f = {:.10e} ({})",
                r.status,
                r.iterations,
                r.f,
                if ok {
                    "listed as a known failure, but it now succeeds"
                } else {
                    "a failure not listed in KNOWN_SOLVER_FAILURES"
                }
            ));
        }
    }
    // Rule 2: Newton or trust-region reaches f* (or the listed value where no method can).
    for f in Mgh::all() {
        let target = GLOBAL_MINIMUM_NOT_REACHED
            .iter()
            .find(|(p, _)| *p == f.problem())
            .map_or(f.known_minimum().unwrap(), |&(_, v)| v);
        let robust = runs
            .iter()
            .filter(|r| r.f == f && matches!(r.method, Method::Newton | Method::TrustRegion));
        assert!(
            robust
                .clone()
                .any(|r| r.report.status != Status::NonFinite && reaches(r.report.f, target)),
            "{f}: neither newton nor trust-region reaches {target:e}: {:?}",
            robust
                .map(|r| (r.method.name(), r.report.status, r.report.f))
                .collect::<Vec<_>>()
        );
    }
    assert!(
        wrong.is_empty(),
        "converged away from every listed value:\n{}",
        wrong.join("\n")
    );
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

fn print_tables(runs: &[Run]) {
    println!("\nMGH from x₀, {STOP:?}: iterations, status, f");
    print!("{:<27}", "problem");
    for m in Method::ALL {
        print!(" | {:<24}", m.name());
    }
    println!();
    for chunk in runs.chunks(Method::ALL.len()) {
        print!("{:<27}", chunk[0].f.name());
        for run in chunk {
            let r = &run.report;
            print!(
                " | {:>5} {:<5} {:<12.6e}",
                r.iterations,
                status_word(r.status),
                r.f
            );
        }
        println!();
    }
    println!("\nper solver: converged, ended at a listed value, f / ∇f / H·v evaluations");
    for m in Method::ALL {
        let mine: Vec<&Run> = runs.iter().filter(|r| r.method == m).collect();
        let conv = mine.iter().filter(|r| r.report.status.converged()).count();
        let ok = mine.iter().filter(|r| r.ok).count();
        let (fe, ge, hv) = mine.iter().fold((0, 0, 0), |(a, b, c), r| {
            (
                a + r.report.f_evals,
                b + r.report.g_evals,
                c + r.report.hv_products,
            )
        });
        println!(
            "{:<13} converged {conv:>2}/{total}  at a listed value {ok:>2}/{total}  evaluations \
             f {fe:>6}  ∇f {ge:>6}  H·v {hv:>6}",
            m.name(),
            total = mine.len(),
        );
    }
    println!("\nruns that did not end at a listed value:");
    for run in runs.iter().filter(|r| !r.ok) {
        let r = &run.report;
        let why = KNOWN_SOLVER_FAILURES
            .iter()
            .find(|(p, m, _)| *p == run.f.problem() && *m == run.method)
            .map_or("not diagnosed", |(_, _, why)| why);
        println!(
            "  {:<27} {:<13} {} after {} iterations at f = {:.6e}, ‖∇f‖ = {:.1e}: {why}",
            run.f.name(),
            run.method.name(),
            r.status,
            r.iterations,
            r.f,
            r.grad_norm
        );
    }
    println!("\nevery run: problem, solver, status, iterations, f, ‖∇f‖, f / ∇f / H·v evaluations");
    for run in runs {
        let r = &run.report;
        println!(
            "{:<27} {:<13} {:<6} {:>6} {:<22.15e} {:<8.1e} {:>6} {:>6} {:>6}",
            run.f.name(),
            run.method.name(),
            status_word(r.status),
            r.iterations,
            r.f,
            r.grad_norm,
            r.f_evals,
            r.g_evals,
            r.hv_products
        );
    }
}

/// A problem plus a constant: the same minimizer, but decreases below the constant's rounding.
struct Offset(Mgh, f64);

impl Objective for Offset {
    fn dim(&self) -> usize {
        self.0.dim()
    }
    fn value(&self, x: &[f64]) -> f64 {
        self.1 + self.0.value(x)
    }
    fn value_grad(&self, x: &[f64], grad: &mut [f64]) -> f64 {
        self.1 + self.0.value_grad(x, grad)
    }
}

impl Curvature for Offset {
    type Hessian<'a> = <Mgh as Curvature>::Hessian<'a>;
    fn hessian(&self, x: &[f64]) -> Self::Hessian<'_> {
        self.0.hessian(x)
    }
}

#[test]
fn trust_region_converges_where_decreases_are_below_the_rounding_of_f() {
    // Rosenbrock + 10⁶: once the decrease is below 100 ulps of 10⁶ (~2e-8), f(x) − f(x + s)
    // is rounding and the ratio of actual to predicted decrease is noise; the gradients at both
    // ends still measure the decrease, so the run reaches ‖∇f‖ ≤ 1e-10 instead of stalling.
    let f = Offset(Mgh::new(Rosenbrock), 1e6);
    let mut x = f.0.start();
    let r = Method::TrustRegion
        .minimize(Stop::absolute(1e-10), &f, &mut x, &mut quiet())
        .unwrap();
    assert_eq!(r.status, Status::ConvergedAbsoluteGradient, "{r:?}");
    assert!(
        (x[0] - 1.0).abs() < 1e-9 && (x[1] - 1.0).abs() < 1e-9,
        "{x:?}"
    );
}
