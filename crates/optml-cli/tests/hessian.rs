//! `optml hessian` end to end on the digits softmax workload: a model from `optml train`, the
//! Hessian at the reference weights, checked against the exact spectrum the command also forms.

use std::path::Path;

mod common;
use common::{digits, optml, text};

#[test]
fn hessian_spectrum_of_a_trained_softmax_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let json = dir.path().join("h.json");
    let plot = dir.path().join("density.svg");
    let (x, y, w) = (
        digits("digits_X.npy"),
        digits("digits_y.npy"),
        digits("softmax_trained.npy"),
    );
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let out = optml(&[
        "train",
        &s(&x),
        "--labels",
        &s(&y),
        "--loss",
        "softmax",
        "--intercept",
        "--max-iter",
        "3",
        "--model",
        &s(&model),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let hessian = |extra: &[&str]| {
        let mut args = vec![
            "hessian".to_string(),
            "--model".into(),
            s(&model),
            s(&x),
            "--labels".into(),
            s(&y),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        optml(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let out = hessian(&[
        "--params",
        &s(&w),
        "--mean",
        "--no-penalty",
        "--top-k",
        "5",
        "--exact",
        "--power-iteration",
        "--trace-probes",
        "99",
        "--density-probes",
        "3",
        "--json",
        &s(&json),
        "--plot",
        &s(&plot),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("eigenvalues") && stdout.contains("trace"),
        "{stdout}"
    );
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(r["dim"], 650);
    let vals = r["eigen"]["values"].as_array().unwrap();
    let exact = r["exact"]["largest"].as_array().unwrap();
    assert_eq!(vals.len(), 5);
    for (v, e) in vals.iter().zip(exact) {
        let (v, e) = (v.as_f64().unwrap(), e.as_f64().unwrap());
        assert!((v - e).abs() <= 1e-6 * e.abs(), "{v} vs {e}");
    }
    assert!(r["eigen"]["products"].as_u64().unwrap() > 0);
    assert!(r["power_iteration"]["products"].as_u64().unwrap() > 0);
    let tr = r["exact"]["trace"].as_f64().unwrap();
    let est = r["trace"]["estimate"].as_f64().unwrap();
    let se = r["trace"]["std_error"].as_f64().unwrap();
    assert!((est - tr).abs() <= 3.0 * se, "{est} ± {se} vs {tr}");
    assert_eq!(r["trace"]["products"], 99);
    assert_eq!(r["density"]["nodes"].as_array().unwrap().len(), 3);
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.contains("<svg") && svg.contains("density"));

    // Errors are one line, no panic.
    let out = hessian(&["--params", &s(&y)]);
    assert!(!out.status.success());
    assert!(text(&out).contains("parameters given"), "{}", text(&out));
    let out = optml(&["hessian", &s(&x), "--labels", &s(&y)]);
    assert!(!out.status.success());
    assert!(text(&out).contains("--model"), "{}", text(&out));
    let out = hessian(&["--top-k", "1000"]);
    assert!(!out.status.success() && text(&out).contains("k must be"));
}
