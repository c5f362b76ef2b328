//! `optml train --arch … --solver adam --epochs …` end to end on the digits data: the per-epoch
//! trace, the learning curves, the model that `predict` scores, and the errors of inconsistent
//! flags.

mod common;
use common::{digits, number_after, optml, text};

fn arg(p: &std::path::Path) -> String {
    p.to_str().unwrap().to_string()
}

#[test]
fn adam_trains_digits_and_predict_scores_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let (model, trace, plot) = (
        dir.path().join("mlp.json"),
        dir.path().join("t.csv"),
        dir.path().join("curves.svg"),
    );
    let (x, y) = (arg(&digits("digits_X.npy")), arg(&digits("digits_y.npy")));
    let o = optml(&[
        "train",
        &x,
        "--labels",
        &y,
        "--arch",
        "64-32-10",
        "--solver",
        "adam",
        "--epochs",
        "4",
        "--batch-size",
        "32",
        "--lr",
        "1e-2",
        "--validation",
        "0.2",
        "--model",
        &arg(&model),
        "--trace",
        &arg(&trace),
        "--plot",
        &arg(&plot),
        "--seed",
        "3",
    ]);
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    assert!(number_after(&log, "validation acc.") > 0.85, "{log}");
    let csv = std::fs::read_to_string(&trace).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "train_loss").unwrap();
    let losses: Vec<f64> = lines
        .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
        .collect();
    assert_eq!(losses.len(), 5, "{csv}");
    assert!(losses[4] < 0.5 * losses[0], "{losses:?}");
    assert!(std::fs::read_to_string(&plot).unwrap().contains("<svg"));
    // The model file is an MLP model that predict scores like a GLM's.
    let o = optml(&["predict", &arg(&model), &x, "--labels", &y]);
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    assert!(number_after(&log, "accuracy") > 0.85, "{log}");
    // Same seed, same network.
    let again = dir.path().join("again.json");
    let o = optml(&[
        "train",
        &x,
        "--labels",
        &y,
        "--arch",
        "64-32-10",
        "--solver",
        "adam",
        "--epochs",
        "4",
        "--batch-size",
        "32",
        "--lr",
        "1e-2",
        "--validation",
        "0.2",
        "--model",
        &arg(&again),
        "--seed",
        "3",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&model).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );
}

#[test]
fn salsa_and_the_other_rules_run() {
    let (x, y) = (arg(&digits("digits_X.npy")), arg(&digits("digits_y.npy")));
    for solver in ["salsa", "nesterov", "novograd", "eg", "clipped"] {
        let o = optml(&[
            "train",
            &x,
            "--labels",
            &y,
            "--arch",
            "64-16-10",
            "--solver",
            solver,
            "--epochs",
            "2",
            "--batch-size",
            "64",
            "--clip",
            "10",
        ]);
        let log = text(&o);
        assert!(o.status.success(), "{solver}: {log}");
        assert!(log.contains("(stochastic)"), "{solver}: {log}");
        assert!(
            number_after(&log, "training accuracy") > 0.3,
            "{solver}: {log}"
        );
    }
}

#[test]
fn inconsistent_flags_are_one_line_errors() {
    let (x, y) = (arg(&digits("digits_X.npy")), arg(&digits("digits_y.npy")));
    for (flags, want) in [
        (
            vec!["--arch", "64-10", "--solver", "lbfgs", "--epochs", "3"],
            "--epochs trains",
        ),
        (
            vec![
                "--arch",
                "64-10",
                "--solver",
                "adam",
                "--schedule",
                "linear",
            ],
            "schedule",
        ),
        (
            vec!["--arch", "64-10", "--solver", "adam", "--batch-size", "0"],
            "batch size",
        ),
        (vec!["--solver", "adam"], "MLP (--arch) only"),
    ] {
        let mut args = vec!["train", &x, "--labels", &y];
        args.extend(flags.iter().copied());
        let o = optml(&args);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(!o.status.success());
        assert!(err.contains(want), "{flags:?}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}
