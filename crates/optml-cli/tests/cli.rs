//! The `optml` binary end to end: train, predict, demo, and its errors.

mod common;
use common::{fixture, optml, text};

#[test]
fn train_then_predict_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let trace = dir.path().join("t.csv");
    let plot = dir.path().join("conv.svg");
    let data = fixture("breast_cancer.svm");
    let out = optml(&[
        "train",
        data.to_str().unwrap(),
        "--loss",
        "logistic",
        "-C",
        "1",
        "--tol",
        "1e-10",
        "--model",
        model.to_str().unwrap(),
        "--trace",
        trace.to_str().unwrap(),
        "--plot",
        plot.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let log = text(&out);
    // The published optimum for C = 1: 59.16243276027.
    assert!(log.contains("5.91624327602"), "{log}");
    let csv = std::fs::read_to_string(&trace).unwrap();
    assert!(csv.starts_with("iter,seconds,passes,f,grad_norm\n"));
    assert!(csv.lines().count() > 3);
    assert!(std::fs::read_to_string(&plot).unwrap().contains("<svg"));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(m["format_version"], 2);
    assert_eq!(m["n_features"], 30);
    assert_eq!(m["loss"], "logistic");
    assert_eq!(m["ridge"]["c"], 1.0);
    assert!(m["penalty"].is_null());

    let preds = dir.path().join("p.txt");
    let out = optml(&[
        "predict",
        model.to_str().unwrap(),
        data.to_str().unwrap(),
        "--out",
        preds.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("accuracy  0.95"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(&preds).unwrap().lines().count(),
        569
    );
}

#[test]
fn softmax_on_npy_data_with_a_labels_file() {
    let dir = tempfile::tempdir().unwrap();
    let digits = optml::data::read_libsvm(&fixture("digits.svm"), &Default::default()).unwrap();
    let (n, d) = (digits.n_samples(), digits.n_features());
    let mut x = vec![0.0; n * d];
    let mut row = vec![0.0; d];
    for i in 0..n {
        for (j, r) in row.iter_mut().enumerate() {
            let mut e = vec![0.0; d];
            e[j] = 1.0;
            *r = digits.x.row_dot(i, &e) / 16.0;
        }
        x[i * d..(i + 1) * d].copy_from_slice(&row);
    }
    let (xp, yp) = (dir.path().join("X.npy"), dir.path().join("y.npy"));
    optml::data::write_npy(&xp, &[n, d], &x).unwrap();
    optml::data::write_npy(&yp, &[n], &digits.y).unwrap();
    let model = dir.path().join("m.json");
    let out = optml(&[
        "train",
        xp.to_str().unwrap(),
        "--labels",
        yp.to_str().unwrap(),
        "--loss",
        "softmax",
        "--lambda",
        "0.1",
        "--intercept",
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("converged"), "{}", text(&out));
    let out = optml(&[
        "predict",
        model.to_str().unwrap(),
        xp.to_str().unwrap(),
        "--labels",
        yp.to_str().unwrap(),
        "--proba",
        "--out",
        dir.path().join("p.txt").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("accuracy  0.99"), "{}", text(&out));
}

#[test]
fn malformed_data_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.svm");
    std::fs::write(&bad, "1 1:0.5 2:1\n-1 3:x\n").unwrap();
    let out = optml(&["train", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let msg = text(&out);
    assert!(msg.contains("bad.svm:2"), "{msg}");
    assert!(!msg.contains("panicked"), "{msg}");
}

#[test]
fn bad_flags_and_missing_files_are_errors_not_panics() {
    let data = fixture("breast_cancer.svm");
    for args in [
        vec!["train", "/nonexistent/file.svm"],
        vec!["train", data.to_str().unwrap(), "-C", "-1"],
        vec!["train", data.to_str().unwrap(), "--solver", "magic"],
        vec![
            "train",
            data.to_str().unwrap(),
            "--loss",
            "softmax",
            "--tol",
            "nan",
        ],
        vec!["train", data.to_str().unwrap(), "--threads", "0"],
        vec!["train", data.to_str().unwrap(), "--max-seconds", "-1"],
        vec!["train", data.to_str().unwrap(), "--seed", "1"], // seeds an MLP only
        // GLM flags that an MLP would silently ignore.
        vec!["train", data.to_str().unwrap(), "--arch", "30-2", "-C", "2"],
        vec![
            "train",
            data.to_str().unwrap(),
            "--arch",
            "30-2",
            "--intercept",
        ],
        vec![
            "train",
            data.to_str().unwrap(),
            "--arch",
            "30-2",
            "--loss",
            "softmax",
        ],
    ] {
        let out = optml(&args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let msg = text(&out);
        assert!(msg.contains("error"), "{args:?}: {msg}");
        assert!(!msg.contains("panicked"), "{args:?}: {msg}");
    }
}

#[test]
fn predict_refuses_a_model_data_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let out = optml(&[
        "train",
        fixture("breast_cancer.svm").to_str().unwrap(),
        "--model",
        model.to_str().unwrap(),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let out = optml(&[
        "predict",
        model.to_str().unwrap(),
        fixture("digits.svm").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("the model has 30 features"),
        "{}",
        text(&out)
    );
    // A truncated model file is refused with its name.
    std::fs::write(&model, "{\"format_version\": 1, \"loss\": ").unwrap();
    let out = optml(&[
        "predict",
        model.to_str().unwrap(),
        fixture("breast_cancer.svm").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out).contains("m.json"), "{}", text(&out));
}

/// A model file of the previous format version (C only; C = f64::MAX for no ridge) still
/// predicts, and gives the same predictions as its current-version twin.
#[test]
fn predict_reads_version_1_model_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("breast_cancer.svm");
    let model = dir.path().join("m.json");
    let out = optml(&[
        "train",
        data.to_str().unwrap(),
        "--lambda",
        "0.5",
        "--model",
        model.to_str().unwrap(),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(m["ridge"]["c"], 2.0);
    let predict = |path: &std::path::Path, name: &str| {
        let preds = dir.path().join(name);
        let out = optml(&[
            "predict",
            path.to_str().unwrap(),
            data.to_str().unwrap(),
            "--out",
            preds.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", text(&out));
        std::fs::read_to_string(&preds).unwrap()
    };
    let current = predict(&model, "p2.txt");
    let obj = m.as_object_mut().unwrap();
    obj.remove("ridge");
    obj.remove("penalty");
    for c in [2.0, f64::MAX] {
        obj.insert("format_version".into(), 1.into());
        obj.insert("c".into(), c.into());
        let old = dir.path().join("v1.json");
        std::fs::write(&old, serde_json::to_string(&obj).unwrap()).unwrap();
        assert_eq!(predict(&old, "p1.txt"), current, "C = {c}");
    }
}

/// The demo runs every solver on both data sets, marks the runs its budget stopped as capped,
/// and writes one plot per data set, each under 1 MB, into the folder it names (`optml-demo`
/// by default), nothing else into the current directory.
#[test]
fn demo_writes_its_plots_into_a_named_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_optml"))
        .args(["demo", "--tol", "1e-6", "--max-seconds", "0.3"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("plots go to optml-demo"), "{log}");
    for solver in [
        "newton-cg",
        "trust-region",
        "newton",
        "lbfgs",
        "newton-path",
        "gd",
        "agd",
        "ncg",
    ] {
        assert!(log.matches(solver).count() >= 2, "{solver} missing: {log}");
    }
    // Gradient descent on the raw breast-cancer features (condition number ~1e10) cannot reach
    // the tolerance within the budget (0.3 s or 20 000 iterations): its row and the note say so.
    let gd = log.lines().find(|l| l.starts_with("gd ")).unwrap();
    assert!(gd.contains("CAPPED at"), "{gd}");
    assert!(log.contains("capped (") && log.contains("gd"), "{log}");
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["optml-demo"]);
    for name in ["breast-cancer.svg", "digits.svg"] {
        let path = dir.path().join("optml-demo").join(name);
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.contains("<svg") && svg.contains("newton-cg"), "{name}");
        assert!(svg.len() < 1_000_000, "{name}: {} bytes", svg.len());
        assert!(log.contains(&format!("plot: optml-demo/{name}")), "{log}");
    }
}

/// `--max-seconds` bounds each solver of the demo: a tiny limit stops every run at once (its
/// row still printed as capped, its curve still drawn), `--out-dir` and `--format` choose where
/// and how the plots go, and a limit that is not a positive number is refused.
#[test]
fn demo_stops_each_solver_at_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let plots = dir.path().join("nested").join("plots");
    let out = optml(&[
        "demo",
        "--max-seconds",
        "1e-9",
        "--out-dir",
        plots.to_str().unwrap(),
        "--format",
        "png",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    let rows: Vec<&str> = log.lines().filter(|l| l.contains("  CAPPED")).collect();
    assert_eq!(rows.len(), 24, "{log}");
    for name in ["breast-cancer.png", "digits.png"] {
        let png = std::fs::read(plots.join(name)).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}");
        assert!(png.len() < 1_000_000, "{name}: {} bytes", png.len());
    }
    let bad = optml(&["demo", "--max-seconds", "0"]);
    assert!(!bad.status.success());
    assert!(text(&bad).contains("not a positive number of seconds"));
    let bad = optml(&["demo", "--tol", "nan"]);
    assert!(!bad.status.success());
    assert!(text(&bad).contains("--tol"), "{}", text(&bad));
}
