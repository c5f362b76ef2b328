//! `optml tree train` and `optml tree predict` end to end on digits.

mod common;

use common::{fixture, number_after, optml, text};

#[test]
fn tree_trains_predicts_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("t.json");
    let preds = dir.path().join("p.txt");
    let digits = fixture("digits.svm");
    let (m, d) = (model.to_str().unwrap(), digits.to_str().unwrap());
    let o = optml(&[
        "tree",
        "train",
        d,
        "--model",
        m,
        "--passes",
        "3",
        "--seed",
        "1",
        "--leaf-classes",
        "0",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let log = text(&o);
    assert!(log.contains("0 classes without a leaf"), "{log}");
    let first = std::fs::read(&model).unwrap();
    let o = optml(&[
        "tree",
        "train",
        d,
        "--model",
        m,
        "--passes",
        "3",
        "--seed",
        "1",
        "--leaf-classes",
        "0",
    ]);
    assert!(o.status.success());
    assert_eq!(
        std::fs::read(&model).unwrap(),
        first,
        "same seed, same model file"
    );

    let p = preds.to_str().unwrap();
    let o = optml(&["tree", "predict", m, d, "--top-k", "3", "--out", p]);
    let log = text(&o);
    assert!(o.status.success(), "{log}");
    let err = number_after(&log, "test error");
    let top3 = number_after(&log, "top-3 error");
    assert!(err < 0.15 && top3 <= err, "{log}");
    assert!(number_after(&log, "per prediction,") <= 7.0, "{log}");
    let lines = std::fs::read_to_string(&preds).unwrap();
    assert_eq!(lines.lines().count(), 1797);
    assert!(lines.lines().all(|l| l.split(' ').count() >= 2));

    // The refined tree (the default): leaves rank up to 4⌈log₂ 10⌉ = 10 candidates.
    let o = optml(&["tree", "train", d, "--model", m, "--passes", "3", "-q"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = optml(&["tree", "predict", m, d]);
    let log = text(&o);
    assert!(number_after(&log, "test error") < 0.1, "{log}");
    assert!(number_after(&log, "candidate recall") > 0.95, "{log}");

    let oaa = dir.path().join("o.json");
    let o = optml(&[
        "tree",
        "train",
        d,
        "--model",
        oaa.to_str().unwrap(),
        "--kind",
        "oaa",
        "-q",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = optml(&["tree", "predict", oaa.to_str().unwrap(), d]);
    assert!(text(&o).contains("10.00 dot products"), "{}", text(&o));
}

#[test]
fn tree_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let digits = fixture("digits.svm");
    let d = digits.to_str().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"format_version\": 1}").unwrap();
    let m = dir.path().join("m.json");
    for args in [
        vec![
            "tree",
            "train",
            d,
            "--model",
            m.to_str().unwrap(),
            "--passes",
            "0",
            "-q",
        ],
        vec![
            "tree",
            "train",
            d,
            "--model",
            m.to_str().unwrap(),
            "--learning-rate=-1",
            "-q",
        ],
        vec!["tree", "predict", bad.to_str().unwrap(), d, "-q"],
        vec!["tree", "predict", "/nonexistent.json", d, "-q"],
    ] {
        let o = optml(&args);
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.starts_with("error:"), "{err}");
    }
}
