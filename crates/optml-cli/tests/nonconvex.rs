//! `optml complete`, `optml rpca` and `optml phase` end to end: planted instances, files in and
//! out, and errors that name the file and line.

use std::path::Path;

mod common;
use common::{number_after, optml, text};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Fails with the message expected, which names the file and line.
fn fails_with(args: &[&str], needles: &[&str]) {
    let out = optml(args);
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    for n in needles {
        assert!(log.contains(n), "'{n}' not in: {log}");
    }
}

/// Factored gradient descent's default budget (3000 iterations, not altmin's 500) carries a
/// harder planted instance, 1000² at 5 % observed, to convergence.
#[test]
fn complete_gd_default_budget_reaches_convergence() {
    let out = optml(&[
        "complete",
        "--synthetic",
        "1000x1000",
        "--observed",
        "0.05",
        "--rank",
        "10",
        "--seed",
        "1",
        "--method",
        "gd",
        "--quiet",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("factored-gd: converged"), "{log}");
    assert!(number_after(&log, "‖X*‖_F:") < 1e-9, "{log}");
}

#[test]
fn complete_planted_then_from_file_with_queries() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst");
    for method in ["altmin", "gd"] {
        let out = optml(&[
            "complete",
            "--synthetic",
            "150x120",
            "--observed",
            "0.3",
            "--rank",
            "3",
            "--method",
            method,
            "--seed",
            "2",
            "--save-instance",
            s(&inst),
        ]);
        let log = text(&out);
        assert!(out.status.success(), "{log}");
        assert!(number_after(&log, "‖X*‖_F:") < 1e-8, "{log}");
        // One line per iteration: the first and the header.
        assert!(log.contains("iter"), "{log}");
        assert!(
            log.lines().any(|l| l.trim_start().starts_with("1 ")),
            "{log}"
        );
    }
    // The saved instance, read back, completes to the planted matrix at the queried entries.
    let (m, r, u) = optml::data::read_npy_matrix(&inst.join("truth_u.npy")).unwrap();
    let (n, _, v) = optml::data::read_npy_matrix(&inst.join("truth_v.npy")).unwrap();
    assert_eq!((m, n, r), (150, 120, 3));
    let query = dir.path().join("q.csv");
    std::fs::write(&query, "row,col\n0,0\n149,119\n7,33\n").unwrap();
    let pred = dir.path().join("p.csv");
    let fac = dir.path().join("fac");
    let out = optml(&[
        "complete",
        s(&inst.join("observed.csv")),
        "--shape",
        "150x120",
        "--rank",
        "3",
        "--query",
        s(&query),
        "--predictions",
        s(&pred),
        "--out",
        s(&fac),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let got = std::fs::read_to_string(&pred).unwrap();
    let rows: Vec<&str> = got.lines().skip(1).collect();
    assert_eq!(rows.len(), 3);
    for line in rows {
        let f: Vec<&str> = line.split(',').collect();
        let (i, j): (usize, usize) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        let value: f64 = f[2].parse().unwrap();
        let truth: f64 = (0..r).map(|k| u[i * r + k] * v[j * r + k]).sum();
        assert!(
            (value - truth).abs() < 1e-6 * (1.0 + truth.abs()),
            "{line} vs {truth}"
        );
    }
    let (fm, fr, _) = optml::data::read_npy_matrix(&fac.join("u.npy")).unwrap();
    assert_eq!((fm, fr), (150, 3));
}

#[test]
fn complete_reports_bad_entries_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.csv");
    let run = |body: &str, extra: &[&str], needles: &[&str]| {
        std::fs::write(&f, body).unwrap();
        let mut args = vec!["complete", s(&f)];
        args.extend_from_slice(extra);
        if !extra.contains(&"--rank") {
            args.extend_from_slice(&["--rank", "1"]);
        }
        fails_with(&args, needles);
    };
    run(
        "row,col,value\n0,0,1\n1,1,2\n0,0,3\n",
        &[],
        &["t.csv:4", "given twice", "line 2"],
    );
    run(
        "0,0,1\n5,1,2\n",
        &["--shape", "3x3"],
        &["t.csv:2", "outside"],
    );
    run("0,0,1\n1,1,NaN\n", &[], &["t.csv:2", "not finite"]);
    run("0,0,1\n-1,1,2\n", &[], &["t.csv:2", "row index"]);
    run("0,0,1\n1,1\n", &[], &["t.csv:2", "3 fields"]);
    let mtx = dir.path().join("t.mtx");
    std::fs::write(
        &mtx,
        "%%MatrixMarket matrix coordinate real general\n3 3 3\n1 1 1.0\n2 2 2.0\n1 1 3.0\n",
    )
    .unwrap();
    fails_with(
        &["complete", s(&mtx), "--rank", "1"],
        &["t.mtx:5", "(1, 1) is given twice"],
    );
    // Too few entries for the rank is a clear error, not a failed solve.
    run("0,0,1\n1,1,2\n", &["--rank", "2"], &["cannot determine"]);
}

#[test]
fn rpca_planted_and_from_csv() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst");
    for method in ["altproj", "pcp"] {
        let out = optml(&[
            "rpca",
            "--synthetic",
            "200x160",
            "--corruption",
            "0.05",
            "--rank",
            "3",
            "--method",
            method,
            "--seed",
            "3",
            "--save-instance",
            s(&inst),
        ]);
        let log = text(&out);
        assert!(out.status.success(), "{log}");
        assert!(number_after(&log, "‖L*‖_F:") < 1e-6, "{log}");
    }
    // L + S reproduces M, read back from the written files.
    let parts = dir.path().join("parts");
    let out = optml(&[
        "rpca",
        s(&inst.join("m.npy")),
        "--rank",
        "3",
        "--out",
        s(&parts),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let (_, _, m) = optml::data::read_npy_matrix(&inst.join("m.npy")).unwrap();
    let (r, c, l) = optml::data::read_npy_matrix(&parts.join("l.npy")).unwrap();
    let (_, _, sp) = optml::data::read_npy_matrix(&parts.join("s.npy")).unwrap();
    assert_eq!((r, c), (200, 160));
    let (_, _, lt) = optml::data::read_npy_matrix(&inst.join("truth_l.npy")).unwrap();
    let err: f64 = l
        .iter()
        .zip(&lt)
        .map(|(a, b)| (a - b).powi(2))
        .sum::<f64>()
        .sqrt();
    assert!(err < 1e-6 * lt.iter().map(|a| a * a).sum::<f64>().sqrt());
    let gap = m
        .iter()
        .zip(l.iter().zip(&sp))
        .map(|(m, (l, s))| (m - l - s).abs())
        .fold(0.0, f64::max);
    assert!(gap < 1e-6, "{gap}");

    // At rank 2 the default altproj threshold is too low; --beta sets it.
    let out = optml(&[
        "rpca",
        "--synthetic",
        "150x150",
        "--corruption",
        "0.05",
        "--rank",
        "2",
        "--seed",
        "3",
        "--beta",
        "0.1",
        "-q",
    ]);
    assert!(
        number_after(&text(&out), "‖L*‖_F:") < 1e-8,
        "{}",
        text(&out)
    );

    let csv = dir.path().join("m.csv");
    std::fs::write(&csv, "1,2,3\n4,5\n").unwrap();
    fails_with(
        &["rpca", s(&csv), "--rank", "1"],
        &["m.csv:2", "first row has 3"],
    );
    std::fs::write(&csv, "1,2,3\n4,x,6\n").unwrap();
    fails_with(&["rpca", s(&csv), "--rank", "1"], &["m.csv:2", "'x'"]);
    fails_with(&["rpca", s(&csv), "--method", "gd"], &["--rank"]);
}

#[test]
fn phase_planted_and_from_files() {
    let out = optml(&[
        "phase",
        "--synthetic",
        "600x100",
        "--method",
        "twf",
        "--seed",
        "1",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(number_after(&log, "‖x‖:") < 1e-6, "{log}");

    // A real instance in files; x̂ matches x up to sign.
    let dir = tempfile::tempdir().unwrap();
    let p = optml::nonconvex::phase_retrieval::planted::<f64>(40, 320, 5).unwrap();
    let (m, n) = (320, 40);
    let mut a = vec![0.0; m * n];
    for k in 0..n {
        let mut e = vec![0.0; n];
        e[k] = 1.0;
        let mut col = vec![0.0; m];
        p.measurements.forward(&e, &mut col);
        for i in 0..m {
            a[i * n + k] = col[i];
        }
    }
    let (ap, yp, xp) = (
        dir.path().join("a.npy"),
        dir.path().join("y.npy"),
        dir.path().join("x.npy"),
    );
    optml::data::write_npy(&ap, &[m, n], &a).unwrap();
    let amplitudes: Vec<f64> = p.measurements.y().iter().map(|y| y.sqrt()).collect();
    optml::data::write_npy(&yp, &[m], &amplitudes).unwrap();
    for method in ["wf", "twf"] {
        let out = optml(&[
            "phase",
            "--matrix",
            s(&ap),
            "--y",
            s(&yp),
            "--amplitudes",
            "--method",
            method,
            "--out",
            s(&xp),
            "-q",
        ]);
        assert!(out.status.success(), "{}", text(&out));
        let x = optml::data::read_npy_vector(&xp).unwrap();
        let d = optml::nonconvex::phase_retrieval::distance_up_to_phase(&x, &p.signal);
        let xn = p.signal.iter().map(|v| v * v).sum::<f64>().sqrt();
        assert!(d < 1e-6 * xn, "{method}: {d}");
    }
    // Mismatched sizes are named.
    optml::data::write_npy(&yp, &[m - 1], &amplitudes[1..]).unwrap();
    fails_with(
        &["phase", "--matrix", s(&ap), "--y", s(&yp)],
        &["y.npy", "319 measurements"],
    );
}

#[test]
fn phase_sweep_writes_table_and_plot() {
    let dir = tempfile::tempdir().unwrap();
    let (table, plot) = (dir.path().join("t.md"), dir.path().join("t.svg"));
    let out = optml(&[
        "phase",
        "--sweep",
        "1,8",
        "--signal-len",
        "32",
        "--trials",
        "4",
        "--table",
        s(&table),
        "--plot",
        s(&plot),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let t = std::fs::read_to_string(&table).unwrap();
    // m = n cannot determine x; m = 8n recovers it every time with either method.
    assert!(t.contains("| 1.00 | 0.00 | 0.00 |"), "{t}");
    assert!(t.contains("| 8.00 | 1.00 | 1.00 |"), "{t}");
    assert!(std::fs::read_to_string(&plot).unwrap().contains("<svg"));
    // The time limit bounds every run of the sweep: stopped at once, none recovers x.
    let out = optml(&[
        "phase",
        "--sweep",
        "8",
        "--signal-len",
        "32",
        "--trials",
        "2",
        "--max-seconds",
        "1e-9",
        "--table",
        s(&table),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let t = std::fs::read_to_string(&table).unwrap();
    assert!(t.contains("| 8.00 | 0.00 | 0.00 |"), "{t}");
    fails_with(&["phase", "--sweep", "0"], &["--sweep needs"]);
    fails_with(
        &["phase", "--sweep", "0.5,2"],
        &["--sweep needs ratios m/n in [1"],
    );
}

/// `--synthetic` is m × n: the sizes swapped (fewer measurements than unknowns) are refused with
/// both sizes named, before any iteration.
#[test]
fn phase_refuses_fewer_measurements_than_unknowns() {
    fails_with(
        &["phase", "--synthetic", "128x1024", "--quiet"],
        &["m = 128", "n = 1024", "m × n"],
    );
    fails_with(
        &[
            "phase",
            "--synthetic",
            "100x101",
            "--complex",
            "--method",
            "wf",
        ],
        &["at least as many measurements as unknowns"],
    );
}

#[test]
fn phase_complex_from_two_files() {
    use faer::c64;
    let dir = tempfile::tempdir().unwrap();
    let (m, n) = (240, 30);
    let p = optml::nonconvex::phase_retrieval::planted::<c64>(n, m, 9).unwrap();
    let (mut re, mut im) = (vec![0.0; m * n], vec![0.0; m * n]);
    for k in 0..n {
        let mut e = vec![c64::new(0.0, 0.0); n];
        e[k] = c64::new(1.0, 0.0);
        let mut col = vec![c64::new(0.0, 0.0); m];
        p.measurements.forward(&e, &mut col);
        for i in 0..m {
            re[i * n + k] = col[i].re;
            im[i * n + k] = col[i].im;
        }
    }
    let path = |f: &str| dir.path().join(f);
    optml::data::write_npy(&path("re.npy"), &[m, n], &re).unwrap();
    optml::data::write_npy(&path("im.npy"), &[m, n], &im).unwrap();
    optml::data::write_npy(&path("y.npy"), &[m], p.measurements.y()).unwrap();
    let out = optml(&[
        "phase",
        "--matrix",
        s(&path("re.npy")),
        "--matrix-imag",
        s(&path("im.npy")),
        "--y",
        s(&path("y.npy")),
        "--out",
        s(&path("x.npy")),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let (rows, cols, x) = optml::data::read_npy_matrix(&path("x.npy")).unwrap();
    assert_eq!((rows, cols), (n, 2));
    let z: Vec<c64> = x.chunks(2).map(|c| c64::new(c[0], c[1])).collect();
    let d = optml::nonconvex::phase_retrieval::distance_up_to_phase(&z, &p.signal);
    let xn = p.signal.iter().map(|v| v.norm_sqr()).sum::<f64>().sqrt();
    assert!(d < 1e-6 * xn, "{d}");
    // A differently shaped imaginary part is named.
    optml::data::write_npy(&path("im.npy"), &[m, n - 1], &im[..m * (n - 1)]).unwrap();
    fails_with(
        &[
            "phase",
            "--matrix",
            s(&path("re.npy")),
            "--matrix-imag",
            s(&path("im.npy")),
            "--y",
            s(&path("y.npy")),
        ],
        &["im.npy", "differs"],
    );
}

/// `--max-seconds` is one flag of every non-convex subcommand: a tiny limit stops each run early
/// with what it has, and a limit that is not a positive number is refused.
#[test]
fn every_nonconvex_subcommand_takes_a_time_limit() {
    let runs: [&[&str]; 5] = [
        &[
            "complete",
            "--synthetic",
            "300x300",
            "--rank",
            "5",
            "--method",
            "gd",
        ],
        &[
            "rpca",
            "--synthetic",
            "200x200",
            "--rank",
            "5",
            "--method",
            "gd",
        ],
        &["phase", "--synthetic", "512x64", "--method", "wf"],
        &[
            "cp",
            "--synthetic",
            "20x20x20",
            "--rank",
            "3",
            "--random-init",
        ],
        &[
            "dictionary",
            "--synthetic",
            "16x32",
            "--atoms",
            "32",
            "--sparsity",
            "3",
        ],
    ];
    for run in runs {
        let mut args = run.to_vec();
        args.extend(["--max-seconds", "1e-9", "--quiet"]);
        let out = optml(&args);
        let log = text(&out);
        assert!(out.status.success(), "{args:?}: {log}");
        assert!(
            log.contains("time limit") || log.contains("not converged"),
            "{args:?} did not stop on time: {log}"
        );
        let mut bad = run.to_vec();
        bad.extend(["--max-seconds", "0"]);
        fails_with(&bad, &["not a positive number of seconds"]);
    }
}
