//! `optml train --l1 / --elastic-net / --groups` end to end.

mod common;
use common::{fixture, optml, text};

#[test]
fn train_l1_then_predict() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let data = fixture("breast_cancer.svm");
    let d = data.to_str().unwrap();
    let out = optml(&[
        "train",
        d,
        "--l1",
        "10",
        "--intercept",
        "--tol",
        "1e-8",
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("prox-newton"), "{}", text(&out));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    // The ridge is dropped beside a penalty unless -C or --lambda asks for one.
    assert_eq!(m["ridge"], "none");
    assert_eq!(m["penalty"]["l1"]["lambda"], 10.0);
    let w = m["weights"].as_array().unwrap();
    let zeros = w[..30].iter().filter(|v| v.as_f64() == Some(0.0)).count();
    assert!(zeros > 0 && zeros < 30, "{zeros} zero weights");
    let out = optml(&["predict", model.to_str().unwrap(), d]);
    assert!(out.status.success(), "{}", text(&out));
    for solver in ["fista", "prox-grad"] {
        let out = optml(&["train", d, "--l1", "1e9", "--solver", solver]);
        assert!(out.status.success(), "{solver}: {}", text(&out));
    }
    let both = dir.path().join("both.json");
    let out = optml(&[
        "train",
        d,
        "--l1",
        "1",
        "--elastic-net",
        "0.5",
        "-C",
        "10",
        "--model",
        both.to_str().unwrap(),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&both).unwrap()).unwrap();
    assert_eq!(m["ridge"]["c"], 10.0);
    assert_eq!(m["penalty"]["elastic_net"]["alpha"], 0.5);
    let out = optml(&["train", d, "--l1", "1", "--solver", "lbfgs"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("does not handle a non-smooth"),
        "{}",
        text(&out)
    );
    let out = optml(&["train", d, "--l1", "1", "--elastic-net", "1.5"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("--elastic-net"), "{}", text(&out));
}

#[test]
fn groups_file_ok_and_bad() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("breast_cancer.svm");
    let d = data.to_str().unwrap();
    let good = dir.path().join("groups.txt");
    let labels: String = (0..30).map(|j| format!("{}\n", j % 10 + 1)).collect();
    std::fs::write(&good, labels).unwrap();
    let out = optml(&["train", d, "--l1", "5", "--groups", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "1\n2\nthree\n").unwrap();
    let out = optml(&["train", d, "--l1", "5", "--groups", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("bad.txt:3"), "{t}");
    let short = dir.path().join("short.txt");
    std::fs::write(&short, "1\n2\n").unwrap();
    let out = optml(&["train", d, "--l1", "5", "--groups", short.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out).contains("short.txt:2"), "{}", text(&out));
}
