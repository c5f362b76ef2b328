//! Two-player games: derivatives against finite differences, the competitive step against the
//! local game's best-response equations, and every method against known equilibria.

use optml::games::{
    project_simplex, Bilinear, Cgd, Cmd, Game, GameIter, Gan, MatrixGame, Mixture, Potential,
    Quadratic, Rule, SimplexRegression, Simultaneous,
};
use optml::solvers::{Status, Stop};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|v| v * v).sum::<f64>().sqrt()
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

fn grads<G: Game>(game: &G, x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let (mut gx, mut gy) = (vec![0.0; game.dim_x()], vec![0.0; game.dim_y()]);
    game.grads(x, y, &mut gx, &mut gy);
    (gx, gy)
}

fn shifted(v: &[f64], d: &[f64], t: f64) -> Vec<f64> {
    v.iter().zip(d).map(|(v, d)| v + t * d).collect()
}

/// Gradients against central differences of the values, and every product against central
/// differences of the gradients, at a point (x, y) in the game's domain.
fn check_derivatives<G: Game>(game: &G, x: &[f64], y: &[f64], seed: u64) {
    let (m, n) = (game.dim_x(), game.dim_y());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let u: Vec<f64> = (0..m).map(|_| rng.random_range(-1.0..1.0)).collect();
    let v: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let h = 1e-5;
    let (gx, gy) = grads(game, x, y);
    let scale = 1.0 + norm(&gx) + norm(&gy);
    // Directional derivatives of f along u and of g along v.
    let fd_f =
        (game.values(&shifted(x, &u, h), y).0 - game.values(&shifted(x, &u, -h), y).0) / (2.0 * h);
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>();
    assert!((fd_f - dot(&gx, &u)).abs() < 1e-6 * scale, "∇ₓf");
    let fd_g =
        (game.values(x, &shifted(y, &v, h)).1 - game.values(x, &shifted(y, &v, -h)).1) / (2.0 * h);
    assert!((fd_g - dot(&gy, &v)).abs() < 1e-6 * scale, "∇_y g");
    if game.zero_sum() {
        let (f, g) = game.values(x, y);
        assert_eq!(f, -g);
    }
    let diff = |a: (Vec<f64>, Vec<f64>), b: (Vec<f64>, Vec<f64>), pick_x: bool| {
        let (a, b) = if pick_x { (a.0, b.0) } else { (a.1, b.1) };
        a.iter()
            .zip(&b)
            .map(|(a, b)| (a - b) / (2.0 * h))
            .collect::<Vec<_>>()
    };
    let cases: [(&str, Vec<f64>, Vec<f64>); 4] = [
        (
            "D²_xy f·v",
            {
                let mut o = vec![0.0; m];
                game.mixed_f(x, y, &v, &mut o);
                o
            },
            diff(
                grads(game, x, &shifted(y, &v, h)),
                grads(game, x, &shifted(y, &v, -h)),
                true,
            ),
        ),
        (
            "D²_yx g·u",
            {
                let mut o = vec![0.0; n];
                game.mixed_g(x, y, &u, &mut o);
                o
            },
            diff(
                grads(game, &shifted(x, &u, h), y),
                grads(game, &shifted(x, &u, -h), y),
                false,
            ),
        ),
        (
            "D²_xx f·u",
            {
                let mut o = vec![0.0; m];
                game.pure_f(x, y, &u, &mut o);
                o
            },
            diff(
                grads(game, &shifted(x, &u, h), y),
                grads(game, &shifted(x, &u, -h), y),
                true,
            ),
        ),
        (
            "D²_yy g·v",
            {
                let mut o = vec![0.0; n];
                game.pure_g(x, y, &v, &mut o);
                o
            },
            diff(
                grads(game, x, &shifted(y, &v, h)),
                grads(game, x, &shifted(y, &v, -h)),
                false,
            ),
        ),
    ];
    for (name, exact, fd) in cases {
        let s = 1.0 + norm(&exact);
        assert!(
            max_diff(&exact, &fd) < 1e-6 * s,
            "{name}: {exact:?} vs {fd:?}"
        );
    }
}

#[test]
fn every_game_matches_finite_differences() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut point = |m: usize, n: usize| {
        let x: Vec<f64> = (0..m).map(|_| rng.random_range(-1.0..1.0)).collect();
        let y: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
        (x, y)
    };
    let b = Bilinear::random(7, 3);
    let (x, y) = point(7, 7);
    check_derivatives(&b, &x, &y, 10);
    let q = Quadratic::random(5, 4, 0.5, 3);
    let (x, y) = point(5, 4);
    check_derivatives(&q, &x, &y, 11);
    let mg = MatrixGame::random(4, 6, 3);
    let (mut x, mut y) = mg.uniform();
    x[0] += 0.1;
    x[1] -= 0.1;
    y[2] += 0.05;
    y[0] -= 0.05;
    check_derivatives(&mg, &x, &y, 12);
    let r = SimplexRegression::random(6, 30, 3);
    let x: Vec<f64> = (0..30).map(|i| 0.01 + 0.001 * i as f64).collect();
    check_derivatives(&r, &x, &[0.3], 13);
}

/// The best-response residuals of the local game at (x, y) for the step (Δx, Δy):
/// ∇ₓf + D²_xy f Δy + Δx/ηₓ and ∇_y g + D²_yx g Δx + Δy/η_y.
fn best_response_residuals<G: Game>(
    game: &G,
    x: &[f64],
    y: &[f64],
    dx: &[f64],
    dy: &[f64],
    lr: (f64, f64),
) -> (f64, f64) {
    let (gx, gy) = grads(game, x, y);
    let (mut bx, mut cy) = (vec![0.0; dx.len()], vec![0.0; dy.len()]);
    game.mixed_f(x, y, dy, &mut bx);
    game.mixed_g(x, y, dx, &mut cy);
    let rx: Vec<f64> = (0..dx.len())
        .map(|i| gx[i] + bx[i] + dx[i] / lr.0)
        .collect();
    let ry: Vec<f64> = (0..dy.len())
        .map(|j| gy[j] + cy[j] + dy[j] / lr.1)
        .collect();
    (norm(&rx) / (1.0 + norm(&gx)), norm(&ry) / (1.0 + norm(&gy)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn cgd_step_is_the_nash_equilibrium_of_the_local_game(
        seed in 0u64..1000,
        m in 1usize..8,
        n in 1usize..8,
        lr_x in 0.01f64..3.0,
        lr_y in 0.01f64..3.0,
        one_system in any::<bool>(),
    ) {
        let game = Quadratic::random(m, n, 0.1, seed);
        let mut rng = ChaCha8Rng::seed_from_u64(seed + 1);
        let x: Vec<f64> = (0..m).map(|_| rng.random_range(-2.0..2.0)).collect();
        let y: Vec<f64> = (0..n).map(|_| rng.random_range(-2.0..2.0)).collect();
        let cgd = Cgd { lr_x, lr_y, cg_tol: 1e-13, one_system, ..Cgd::default() };
        let (dx, dy) = cgd.step(&game, &x, &y).unwrap();
        let (rx, ry) = best_response_residuals(&game, &x, &y, &dx, &dy, (lr_x, lr_y));
        prop_assert!(rx < 1e-9 && ry < 1e-9, "{rx} {ry}");
    }
}

#[test]
fn scalar_bilinear_game_matches_the_closed_form_contraction() {
    // f = αxy: CGD's iteration matrix has |λ| = 1/√(1 + η²α²), GDA's √(1 + η²α²).
    for alpha in [1.0, 3.0, 6.0] {
        let game = Bilinear::scaled_identity(1, alpha);
        let eta: f64 = 0.2;
        let stop = Stop {
            max_iter: 50,
            ..Stop::absolute(0.0)
        };
        let (mut x, mut y) = (vec![0.5], vec![0.5]);
        let cgd = Cgd {
            lr_x: eta,
            lr_y: eta,
            stop,
            ..Cgd::default()
        };
        let r = cgd
            .play(&game, &mut x, &mut y, &mut optml::games::quiet())
            .unwrap();
        assert_eq!(r.status, Status::MaxIterations);
        let rate = 1.0 / (1.0 + eta * eta * alpha * alpha).sqrt();
        let expect = 0.5f64.hypot(0.5) * rate.powi(50);
        let got = x[0].hypot(y[0]);
        assert!(
            (got - expect).abs() <= 1e-9 * expect.max(1e-300) + 1e-300,
            "{got} {expect}"
        );
        let (mut x, mut y) = (vec![0.5], vec![0.5]);
        let gda = Simultaneous {
            lr_x: eta,
            lr_y: eta,
            stop,
            ..Simultaneous::default()
        };
        gda.play(&game, &mut x, &mut y, &mut optml::games::quiet())
            .unwrap();
        let expect = 0.5f64.hypot(0.5) * (1.0 + eta * eta * alpha * alpha).sqrt().powi(50);
        assert!((x[0].hypot(y[0]) - expect).abs() < 1e-9 * expect);
    }
}

#[test]
fn bilinear_game_cgd_converges_where_gda_diverges() {
    let game = Bilinear::random(100, 42);
    let eta = 0.5;
    let stop = Stop {
        max_iter: 2000,
        ..Stop::absolute(1e-10)
    };
    let run = |x: &mut Vec<f64>, y: &mut Vec<f64>, rule: Option<Rule>| match rule {
        None => Cgd {
            lr_x: eta,
            lr_y: eta,
            stop,
            ..Cgd::default()
        }
        .play(&game, x, y, &mut optml::games::quiet())
        .unwrap(),
        Some(rule) => Simultaneous {
            rule,
            lr_x: eta,
            lr_y: eta,
            stop,
            ..Simultaneous::default()
        }
        .play(&game, x, y, &mut optml::games::quiet())
        .unwrap(),
    };
    let (mut x, mut y) = (vec![0.0; 100], vec![0.0; 100]);
    let start = game.distance(&x, &y);
    let cgd = run(&mut x, &mut y, None);
    let d_cgd = game.distance(&x, &y);
    eprintln!("cgd {cgd:?} distance {d_cgd:e}");
    assert!(d_cgd <= 1e-8, "CGD distance {d_cgd}");
    let (mut x, mut y) = (vec![0.0; 100], vec![0.0; 100]);
    let gda = run(&mut x, &mut y, Some(Rule::Gda));
    let d_gda = game.distance(&x, &y);
    eprintln!("gda {gda:?} distance {d_gda:e}");
    assert!(
        d_gda > 1e3 * start || gda.status == Status::NonFinite,
        "GDA {d_gda}"
    );
    for rule in [Rule::Extragradient, Rule::Optimistic] {
        let (mut x, mut y) = (vec![0.0; 100], vec![0.0; 100]);
        let r = run(&mut x, &mut y, Some(rule));
        let d = game.distance(&x, &y);
        eprintln!("{rule:?} {r:?} distance {d:e}");
    }
}

#[test]
fn every_method_reaches_the_saddle_of_a_strongly_monotone_quadratic() {
    let game = Quadratic::random(8, 6, 1.0, 5);
    let stop = Stop {
        max_iter: 5000,
        ..Stop::absolute(1e-10)
    };
    let (x0, y0) = (vec![0.0; 8], vec![0.0; 6]);
    let check = |name: &str, x: &[f64], y: &[f64], status: Status| {
        let d = game.distance(x, y);
        assert!(
            status.converged() && d < 1e-8,
            "{name}: {status:?}, distance {d}"
        );
    };
    let (mut x, mut y) = (x0.clone(), y0.clone());
    let r = Cgd {
        lr_x: 0.2,
        lr_y: 0.1,
        stop,
        ..Cgd::default()
    }
    .play(&game, &mut x, &mut y, &mut optml::games::quiet())
    .unwrap();
    check("cgd", &x, &y, r.status);
    let (mut x, mut y) = (x0.clone(), y0.clone());
    let r = Cgd {
        one_system: false,
        stop,
        ..Cgd::default()
    }
    .play(&game, &mut x, &mut y, &mut optml::games::quiet())
    .unwrap();
    check("cgd two systems", &x, &y, r.status);
    for rule in [
        Rule::Gda,
        Rule::Extragradient,
        Rule::Optimistic,
        Rule::Sga,
        Rule::ConOpt,
    ] {
        let (mut x, mut y) = (x0.clone(), y0.clone());
        let s = Simultaneous {
            rule,
            lr_x: 0.05,
            lr_y: 0.05,
            gamma: 0.5,
            stop,
            ..Default::default()
        };
        let r = s
            .play(&game, &mut x, &mut y, &mut optml::games::quiet())
            .unwrap();
        check(rule.name(), &x, &y, r.status);
        let expect_mixed = if matches!(rule, Rule::Sga | Rule::ConOpt) {
            2
        } else {
            0
        };
        assert_eq!(
            r.counts.mixed,
            expect_mixed * r.iterations,
            "{}",
            rule.name()
        );
    }
}

/// A zero-sum game with no coupling: f(x, y) = Σ cᵢxᵢ + ½Σ xᵢ² − Σ dⱼ yⱼ, g = −f.
struct Uncoupled {
    c: Vec<f64>,
    d: Vec<f64>,
}

impl Game for Uncoupled {
    fn dim_x(&self) -> usize {
        self.c.len()
    }
    fn dim_y(&self) -> usize {
        self.d.len()
    }
    fn zero_sum(&self) -> bool {
        true
    }
    fn values(&self, x: &[f64], y: &[f64]) -> (f64, f64) {
        let f = x
            .iter()
            .zip(&self.c)
            .map(|(x, c)| c * x + 0.5 * x * x)
            .sum::<f64>()
            - y.iter().zip(&self.d).map(|(y, d)| y * d).sum::<f64>();
        (f, -f)
    }
    fn grads(&self, x: &[f64], _: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        gx.iter_mut()
            .zip(x.iter().zip(&self.c))
            .for_each(|(g, (x, c))| *g = c + x);
        gy.copy_from_slice(&self.d);
    }
    fn mixed_f(&self, _: &[f64], _: &[f64], _: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = 0.0);
    }
    fn mixed_g(&self, _: &[f64], _: &[f64], _: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = 0.0);
    }
    fn pure_f(&self, _: &[f64], _: &[f64], u: &[f64], out: &mut [f64]) {
        out.copy_from_slice(u);
    }
    fn pure_g(&self, _: &[f64], _: &[f64], _: &[f64], out: &mut [f64]) {
        out.iter_mut().for_each(|o| *o = 0.0);
    }
}

#[test]
fn cmd_without_coupling_is_multiplicative_weights() {
    let game = Uncoupled {
        c: vec![0.3, -1.2, 2.0, 0.0],
        d: vec![1.0, -0.5, 0.25],
    };
    check_derivatives(&game, &[0.2, 0.3, 0.1, 0.4], &[0.5, 0.2, 0.3], 3);
    let stop = Stop {
        max_iter: 1,
        ..Stop::absolute(0.0)
    };
    let x0 = vec![0.2, 0.3, 0.1, 0.4];
    let y0 = vec![0.5, 0.2, 0.3];
    let eta = 0.7;
    let (gx, gy) = grads(&game, &x0, &y0);
    // Positive cone: exactly x ∘ exp(−η∇ₓf), bit for bit.
    let (mut x, mut y) = (x0.clone(), y0.clone());
    let cmd = Cmd {
        potential_x: Potential::Entropy,
        potential_y: Potential::Entropy,
        lr_x: eta,
        lr_y: eta,
        stop,
        ..Cmd::default()
    };
    cmd.play(&game, &mut x, &mut y, &mut optml::games::quiet())
        .unwrap();
    let mw: Vec<f64> = x0
        .iter()
        .zip(&gx)
        .map(|(x, g)| x * (-eta * g).exp())
        .collect();
    let mw_y: Vec<f64> = y0
        .iter()
        .zip(&gy)
        .map(|(y, g)| y * (-eta * g).exp())
        .collect();
    assert_eq!(x, mw);
    assert_eq!(y, mw_y);
    // Simplex: normalized multiplicative weights (Hedge), to rounding.
    let (mut x, mut y) = (vec![0.25; 4], vec![1.0 / 3.0; 3]);
    let (gx, gy) = grads(&game, &x, &y);
    let cmd = Cmd {
        potential_x: Potential::Simplex,
        potential_y: Potential::Simplex,
        ..cmd
    };
    let hedge = |p: &[f64], g: &[f64]| {
        let w: Vec<f64> = p.iter().zip(g).map(|(p, g)| p * (-eta * g).exp()).collect();
        let s: f64 = w.iter().sum();
        w.iter().map(|w| w / s).collect::<Vec<_>>()
    };
    let (hx, hy) = (hedge(&x, &gx), hedge(&y, &gy));
    cmd.play(&game, &mut x, &mut y, &mut optml::games::quiet())
        .unwrap();
    assert!(max_diff(&x, &hx) < 1e-15 && max_diff(&y, &hy) < 1e-15);
}

/// Plays `game` with CMD on both simplices; checks every iterate lies on the simplices.
fn cmd_on_simplices(game: &MatrixGame, lr: f64, max_iter: usize) -> (Vec<f64>, Vec<f64>, usize) {
    let (mut x, mut y) = game.uniform();
    let mut worst: f64 = 0.0;
    let mut watch = |it: &GameIter<'_>| {
        for p in [it.x, it.y] {
            assert!(p.iter().all(|v| *v >= 0.0));
            worst = worst.max((p.iter().sum::<f64>() - 1.0).abs());
        }
        true
    };
    let cmd = Cmd {
        lr_x: lr,
        lr_y: lr,
        stop: Stop {
            max_iter,
            ..Stop::absolute(1e-12)
        },
        ..Cmd::default()
    };
    let r = cmd.play(game, &mut x, &mut y, &mut watch).unwrap();
    assert!(worst < 1e-14, "off the simplex by {worst}");
    (x, y, r.iterations)
}

#[test]
fn cmd_solves_matrix_games_on_the_simplex() {
    let rps = MatrixGame::rock_paper_scissors();
    let (x, y, _) = cmd_on_simplices(&rps, 10.0, 2000);
    assert!(rps.exploitability(&x, &y) <= 1e-6);
    let (xs, ys, value) = rps.equilibrium();
    assert!(max_diff(&xs, &[1.0 / 3.0; 3]) < 1e-14 && max_diff(&ys, &[1.0 / 3.0; 3]) < 1e-14);
    assert!(value.abs() < 1e-14);
    assert!(max_diff(&x, &[1.0 / 3.0; 3]) < 1e-6 && max_diff(&y, &[1.0 / 3.0; 3]) < 1e-6);
    for seed in 0..4 {
        let game = MatrixGame::random(10, 12, seed);
        let (x, y, iters) = cmd_on_simplices(&game, 10.0, 20000);
        let e = game.exploitability(&x, &y);
        // The exact equilibrium by linear programming: no one gains by deviating from it, and
        // CMD's value agrees with it.
        let (xs, ys, value) = game.equilibrium();
        assert!(
            game.exploitability(&xs, &ys) < 1e-12,
            "LP: {}",
            game.exploitability(&xs, &ys)
        );
        assert!((game.values(&x, &y).0 - value).abs() <= e + 1e-12);
        let d = max_diff(&x, &xs).max(max_diff(&y, &ys));
        eprintln!("seed {seed}: distance to the LP equilibrium {d:e}");
        assert!(d < 1e-6, "seed {seed}: {d}");
        eprintln!("seed {seed}: exploitability {e:e} after {iters} iterations");
        assert!(e <= 1e-6, "seed {seed}: {e}");
    }
}

#[test]
fn simplex_regression_cmd_stays_feasible_and_beats_projected_gradient() {
    let game = SimplexRegression::random(50, 5000, 7);
    let m = game.cols();
    let iters = 300;
    // CMD: x in the positive cone (entropy), the multiplier on the line.
    let (mut x, mut y) = (vec![1.0 / m as f64; m], vec![0.0]);
    let mut positive = true;
    let mut watch = |it: &GameIter<'_>| {
        positive &= it.x.iter().all(|v| *v > 0.0);
        true
    };
    let cmd = Cmd {
        potential_x: Potential::Entropy,
        potential_y: Potential::Euclidean,
        lr_x: 1.0,
        lr_y: 1.0,
        stop: Stop {
            max_iter: iters,
            ..Stop::absolute(0.0)
        },
        ..Cmd::default()
    };
    let r = cmd.play(&game, &mut x, &mut y, &mut watch).unwrap();
    assert!(positive);
    let sum: f64 = x.iter().sum();
    let cmd_loss = game.loss(&x.iter().map(|v| v / sum).collect::<Vec<_>>());
    // Projected gradient with step 1/L, the same number of gradient evaluations.
    let lip = game.lipschitz();
    let mut p = vec![1.0 / m as f64; m];
    let mut g = vec![0.0; m];
    for _ in 0..r.counts.grads {
        game.loss_grad(&p, &mut g);
        p.iter_mut().zip(&g).for_each(|(p, g)| *p -= g / lip);
        project_simplex(&mut p);
    }
    let pg_loss = game.loss(&p);
    eprintln!("cmd {r:?}: Σx = {sum}, loss {cmd_loss:e}; projected gradient {pg_loss:e}");
    assert!((sum - 1.0).abs() < 1e-3, "Σx = {sum}");
    assert!(cmd_loss <= pg_loss, "{cmd_loss} > {pg_loss}");
}

/// The bilinear game with g = −f + ½‖y‖²: not zero-sum.
struct NotZeroSum(Bilinear);

impl Game for NotZeroSum {
    fn dim_x(&self) -> usize {
        self.0.dim_x()
    }
    fn dim_y(&self) -> usize {
        self.0.dim_y()
    }
    fn zero_sum(&self) -> bool {
        false
    }
    fn values(&self, x: &[f64], y: &[f64]) -> (f64, f64) {
        let (f, g) = self.0.values(x, y);
        (f, g + 0.5 * y.iter().map(|v| v * v).sum::<f64>())
    }
    fn grads(&self, x: &[f64], y: &[f64], gx: &mut [f64], gy: &mut [f64]) {
        self.0.grads(x, y, gx, gy);
        gy.iter_mut().zip(y).for_each(|(g, y)| *g += y);
    }
    fn mixed_f(&self, x: &[f64], y: &[f64], v: &[f64], out: &mut [f64]) {
        self.0.mixed_f(x, y, v, out)
    }
    fn mixed_g(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]) {
        self.0.mixed_g(x, y, u, out)
    }
    fn pure_f(&self, x: &[f64], y: &[f64], u: &[f64], out: &mut [f64]) {
        self.0.pure_f(x, y, u, out)
    }
    fn pure_g(&self, _: &[f64], _: &[f64], v: &[f64], out: &mut [f64]) {
        out.copy_from_slice(v);
    }
}

#[test]
fn bad_input_is_an_error_and_same_seed_same_bits() {
    let game = Bilinear::random(5, 1);
    let quiet = &mut optml::games::quiet();
    let (mut x, mut y) = (vec![0.0; 5], vec![0.0; 4]);
    let err = Cgd::default()
        .play(&game, &mut x, &mut y, quiet)
        .unwrap_err();
    assert!(err.to_string().contains("dimensions"), "{err}");
    let mut y = vec![0.0; 5];
    let err = Cgd {
        lr_x: 0.0,
        ..Cgd::default()
    }
    .play(&game, &mut x, &mut y, quiet)
    .unwrap_err();
    assert!(err.to_string().contains("step size"), "{err}");
    let err = Cgd {
        stop: Stop::absolute(f64::NAN),
        ..Cgd::default()
    }
    .play(&game, &mut x, &mut y, quiet)
    .unwrap_err();
    assert!(err.to_string().contains("tolerance"), "{err}");
    let cmd = Cmd {
        potential_x: Potential::Entropy,
        ..Cmd::default()
    };
    let err = cmd
        .play(&game, &mut [0.0, 1.0, 1.0, 1.0, 1.0], &mut [0.2; 5], quiet)
        .unwrap_err();
    assert!(err.to_string().contains("positive"), "{err}");
    let skew = NotZeroSum(Bilinear::random(5, 1));
    check_derivatives(
        &skew,
        &[0.1, 0.2, 0.3, 0.4, 0.5],
        &[0.5, 0.4, 0.3, 0.2, 0.1],
        4,
    );
    let err = Simultaneous {
        rule: Rule::Sga,
        ..Simultaneous::default()
    }
    .play(&skew, &mut x, &mut y, quiet)
    .unwrap_err();
    assert!(err.to_string().contains("zero-sum"), "{err}");
    // GDA needs no zero sum: on this game it converges (y's own loss is strongly convex).
    let r = Simultaneous {
        lr_x: 0.1,
        lr_y: 0.1,
        stop: Stop {
            max_iter: 20_000,
            ..Stop::absolute(1e-9)
        },
        ..Simultaneous::default()
    }
    .play(&skew, &mut x, &mut y, quiet)
    .unwrap();
    assert!(r.status.converged(), "{r:?}");
    // Same seed, same bits.
    let run = || {
        let game = Bilinear::random(30, 9);
        let (mut x, mut y) = (vec![0.0; 30], vec![0.0; 30]);
        Cgd {
            lr_x: 1.0,
            lr_y: 1.0,
            ..Cgd::default()
        }
        .play(&game, &mut x, &mut y, &mut optml::games::quiet())
        .unwrap();
        (x, y)
    };
    assert_eq!(run(), run());
}

#[test]
fn cgd_finds_the_nash_equilibrium_of_general_sum_games() {
    // The quadratic game's products against finite differences, general-sum.
    let game = Quadratic::general_sum(6, 5, 1.0, 1.0, 3);
    assert!(!game.zero_sum());
    check_derivatives(&game, &[0.3; 6], &[-0.2; 5], 8);
    // σ = 0 poses the zero-sum game as a general-sum one: BiCGSTAB on the unsymmetric form
    // gives the step that conjugate gradients give on the symmetric one.
    let (zero, posed) = (
        Quadratic::random(8, 7, 0.5, 4),
        Quadratic::general_sum(8, 7, 0.5, 0.0, 4),
    );
    let (x, y) = (vec![0.4; 8], vec![-0.3; 7]);
    for one_system in [true, false] {
        let cgd = Cgd {
            lr_x: 0.7,
            lr_y: 0.4,
            cg_tol: 1e-13,
            one_system,
            ..Cgd::default()
        };
        let (a, b) = (
            cgd.step(&zero, &x, &y).unwrap(),
            cgd.step(&posed, &x, &y).unwrap(),
        );
        let diff = max_diff(&a.0, &b.0).max(max_diff(&a.1, &b.1));
        assert!(diff < 1e-10, "{one_system}: {diff:e}");
        // On a general-sum game the step is the local game's Nash equilibrium.
        let (dx, dy) = cgd.step(&game, &[0.3; 6], &[-0.2; 5]).unwrap();
        let (rx, ry) = best_response_residuals(&game, &[0.3; 6], &[-0.2; 5], &dx, &dy, (0.7, 0.4));
        assert!(rx < 1e-9 && ry < 1e-9, "{one_system}: {rx:e} {ry:e}");
    }
    // Play converges to the planted equilibrium (a step below 2/λmax(P), λmax ≈ 5: CGD's local
    // game is bilinear and leaves the pure curvature to the step size).
    let game = Quadratic::general_sum(20, 20, 1.0, 1.0, 5);
    let (mut x, mut y) = (vec![0.0; 20], vec![0.0; 20]);
    let r = Cgd {
        lr_x: 0.3,
        lr_y: 0.3,
        stop: Stop {
            max_iter: 500,
            ..Stop::absolute(1e-10)
        },
        ..Cgd::default()
    }
    .play(&game, &mut x, &mut y, &mut optml::games::quiet())
    .unwrap();
    assert!(r.status.converged(), "{r:?}");
    assert!(game.distance(&x, &y) < 1e-8, "{}", game.distance(&x, &y));
}

#[test]
fn gan_gradients_and_products_match_finite_differences() {
    // A tiny GAN (hidden width 3, 5 samples) at a perturbed start, so no unit sits at zero.
    let gan = Gan::mixture(3, 5, 2).unwrap();
    let (mut x, mut y) = gan.init(4);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    x.iter_mut().for_each(|v| *v += rng.random_range(-0.5..0.5));
    y.iter_mut().for_each(|v| *v += rng.random_range(-0.5..0.5));
    check_derivatives(&gan, &x, &y, 14);
    // Exact, not approximate: the two mixed blocks are minus each other's transposes and the
    // pure blocks symmetric, to rounding.
    let (m, n) = (gan.dim_x(), gan.dim_y());
    let u: Vec<f64> = (0..m).map(|_| rng.random_range(-1.0..1.0)).collect();
    let u2: Vec<f64> = (0..m).map(|_| rng.random_range(-1.0..1.0)).collect();
    let v: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let v2: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>();
    let apply = |op: &dyn Fn(&[f64], &mut [f64]), w: &[f64], len: usize| {
        let mut o = vec![0.0; len];
        op(w, &mut o);
        o
    };
    let bv = apply(&|w, o| gan.mixed_f(&x, &y, w, o), &v, m);
    let cu = apply(&|w, o| gan.mixed_g(&x, &y, w, o), &u, n);
    let (a, b) = (dot(&u, &bv), -dot(&v, &cu));
    assert!((a - b).abs() < 1e-13 * (1.0 + a.abs()), "{a} vs {b}");
    let hu = apply(&|w, o| gan.pure_f(&x, &y, w, o), &u, m);
    let hu2 = apply(&|w, o| gan.pure_f(&x, &y, w, o), &u2, m);
    let (a, b) = (dot(&u2, &hu), dot(&u, &hu2));
    assert!((a - b).abs() < 1e-13 * (1.0 + a.abs()), "{a} vs {b}");
    let gv = apply(&|w, o| gan.pure_g(&x, &y, w, o), &v, n);
    let gv2 = apply(&|w, o| gan.pure_g(&x, &y, w, o), &v2, n);
    let (a, b) = (dot(&v2, &gv), dot(&v, &gv2));
    assert!((a - b).abs() < 1e-13 * (1.0 + a.abs()), "{a} vs {b}");
    // The value in closed form where D_y ≡ c (only the output bias set):
    // f = log σ(c) + log(1 − σ(c)).
    let mut flat = vec![0.0; n];
    flat[n - 1] = 0.7;
    let sig = 1.0 / (1.0 + (-0.7f64).exp());
    let (f, g) = gan.values(&x, &flat);
    assert!(
        (f - (sig.ln() + (1.0 - sig).ln())).abs() < 1e-14 && g == -f,
        "{f}"
    );
    let points = gan.generate(&x, &[0.3, -0.2]);
    assert_eq!(points.len(), 2);
    assert!(points.iter().all(|p| p.is_finite()));
    assert!(Gan::mixture(0, 5, 1).is_err() && Gan::mixture(3, 0, 1).is_err());
}

#[test]
fn mixture_coverage_counts_modes_within_three_sigma() {
    let mix = Mixture::default();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let c = mix.coverage(&mix.sample(10_000, &mut rng));
    assert_eq!(c.covered, 8);
    // P(‖e‖ ≤ 3σ) = 1 − e^{−4.5} ≈ 0.989 for a 2-D Gaussian.
    assert!(
        (c.high_quality - (1.0 - (-4.5f64).exp())).abs() < 0.005,
        "{c:?}"
    );
    assert!(
        c.per_mode.iter().all(|&k| (1100..1400).contains(&k)),
        "{c:?}"
    );
    // All mass on one centre, 0.5 % on another, the rest far away.
    let mut pts = Vec::new();
    (0..500).for_each(|_| pts.extend(mix.centre(2)));
    (0..5).for_each(|_| pts.extend(mix.centre(5)));
    (0..495).for_each(|_| pts.extend([0.0, 0.0]));
    let c = mix.coverage(&pts);
    assert_eq!((c.covered, c.per_mode[2], c.per_mode[5]), (1, 500, 5));
    assert_eq!(c.high_quality, 0.505);
}

#[test]
fn gan_plays_under_cgd_and_gda_with_the_same_bits() {
    let gan = Gan::mixture(6, 40, 1).unwrap();
    let stop = Stop {
        max_iter: 5,
        ..Stop::absolute(0.0)
    };
    let cgd = Cgd {
        lr_x: 0.5,
        lr_y: 0.5,
        stop,
        ..Cgd::default()
    };
    let gda = Simultaneous {
        lr_x: 0.5,
        lr_y: 0.5,
        stop,
        ..Simultaneous::default()
    };
    let run = |competitive: bool, threads: usize| {
        optml::with_threads(threads, || {
            let (mut x, mut y) = gan.init(7);
            let quiet = &mut optml::games::quiet();
            let r = if competitive {
                cgd.play(&gan, &mut x, &mut y, quiet).unwrap()
            } else {
                gda.play(&gan, &mut x, &mut y, quiet).unwrap()
            };
            assert_eq!(r.status, Status::MaxIterations);
            assert_eq!(r.iterations, 5);
            (x, y, r.counts)
        })
        .unwrap()
    };
    let (x0, y0) = gan.init(7);
    for competitive in [true, false] {
        let (x, y, counts) = run(competitive, 1);
        assert!(x.iter().chain(&y).all(|v| v.is_finite()));
        assert!(max_diff(&x, &x0) > 1e-4 && max_diff(&y, &y0) > 1e-4);
        assert_eq!(counts.grads, 5);
        assert_eq!(counts.mixed > 0, competitive);
        assert_eq!(run(competitive, 1), (x.clone(), y.clone(), counts));
        assert_eq!(run(competitive, 2), (x, y, counts));
    }
    // CGD's first step against the local game's best-response equations.
    let (x, y) = gan.init(7);
    let (dx, dy) = Cgd {
        cg_tol: 1e-13,
        ..cgd
    }
    .step(&gan, &x, &y)
    .unwrap();
    let (rx, ry) = best_response_residuals(&gan, &x, &y, &dx, &dy, (0.5, 0.5));
    assert!(rx < 1e-8 && ry < 1e-8, "{rx} {ry}");
}
