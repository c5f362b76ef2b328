//! `optml game` end to end: equilibria reached, divergence reported, plots written, bad input
//! refused in one line.

mod common;
use common::{number_after, optml, text};

#[test]
fn cgd_reaches_the_bilinear_equilibrium_where_gda_diverges() {
    let out = optml(&[
        "game",
        "--synthetic",
        "bilinear",
        "--dim",
        "30",
        "--seed",
        "3",
        "-q",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("cgd: converged"), "{log}");
    assert!(number_after(&log, "distance ") <= 1e-8, "{log}");
    let out = optml(&[
        "game",
        "--synthetic",
        "bilinear",
        "--dim",
        "30",
        "--seed",
        "3",
        "--method",
        "gda",
        "--lr",
        "0.5",
        "--max-iter",
        "100",
        "-q",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(number_after(&log, "distance ") > 1e3, "{log}");
}

#[test]
fn cgd_reaches_a_general_sum_nash_equilibrium() {
    let out = optml(&[
        "game",
        "--synthetic",
        "quadratic",
        "--general-sum",
        "1",
        "--lr",
        "0.3",
        "-q",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("cgd: converged"), "{log}");
    assert!(number_after(&log, "distance ") <= 1e-8, "{log}");
    let out = optml(&["game", "--synthetic", "bilinear", "--general-sum", "1"]);
    let log = text(&out);
    assert!(!out.status.success());
    assert!(
        log.contains("--general-sum applies to --synthetic quadratic"),
        "{log}"
    );
}

#[test]
fn cmd_solves_rock_paper_scissors_and_plots() {
    let dir = std::env::temp_dir().join(format!("optml-game-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plot = dir.join("rps.svg");
    let out = optml(&[
        "game",
        "--synthetic",
        "matrix-game",
        "--method",
        "cmd",
        "--tol",
        "1e-10",
        "-q",
        "--plot",
        plot.to_str().unwrap(),
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(number_after(&log, "exploitability ") <= 1e-6, "{log}");
    assert!(std::fs::metadata(&plot).unwrap().len() > 1000);
    let traj = dir.join("traj.svg");
    let out = optml(&[
        "game",
        "--synthetic",
        "bilinear",
        "--dim",
        "1",
        "--method",
        "sga",
        "-q",
        "--plot",
        traj.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(std::fs::metadata(&traj).unwrap().len() > 1000);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_is_one_line_of_error() {
    for (args, needle) in [
        (
            vec!["--synthetic", "matrix-game", "--method", "cgd"],
            "use cmd",
        ),
        (vec!["--synthetic", "bilinear", "--lr=-1"], "step size"),
        (vec!["--synthetic", "bilinear", "--dim", "0"], "--dim"),
        (vec!["--synthetic", "quadratic", "--tol", "nan"], "--tol"),
        (
            vec!["--synthetic", "bilinear", "--plot", "x.pdf"],
            ".svg or .png",
        ),
        (vec!["--synthetic", "gan-mog", "--batch", "0"], "--batch"),
        (vec!["--synthetic", "gan-mog", "--dim", "5000"], "--dim"),
    ] {
        let out = optml(&[&["game"][..], &args].concat());
        let log = text(&out);
        assert!(!out.status.success() && !log.contains("panicked"), "{log}");
        assert!(log.contains(needle), "'{needle}' not in {log}");
    }
}

#[test]
fn gan_reports_mode_coverage_and_plots_samples() {
    let dir = std::env::temp_dir().join(format!("optml-gan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plot = dir.join("gan.svg");
    let run = |method: &str| {
        let out = optml(&[
            "game",
            "--synthetic",
            "gan-mog",
            "--dim",
            "6",
            "--batch",
            "64",
            "--method",
            method,
            "--lr",
            "0.3",
            "--max-iter",
            "8",
            "--cg-tol",
            "1e-6",
            "--seed",
            "2",
            "-q",
            "--plot",
            plot.to_str().unwrap(),
        ]);
        let log = text(&out);
        assert!(out.status.success(), "{log}");
        assert!(log.contains("iteration limit after 8 iterations"), "{log}");
        let covered = number_after(&log, "modes covered ");
        assert!((0.0..=8.0).contains(&covered), "{log}");
        let hq = number_after(&log, "high-quality fraction ");
        assert!((0.0..=1.0).contains(&hq), "{log}");
        assert!(std::fs::metadata(&plot).unwrap().len() > 1000);
        log.lines()
            .filter(|l| !l.contains(" after "))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let cgd = run("cgd");
    assert!(cgd.iter().any(|l| l.contains("mixed products")), "{cgd:?}");
    // Same seed, same report.
    assert_eq!(run("cgd"), cgd);
    run("gda");
    std::fs::remove_dir_all(&dir).ok();
}
