//! `optml hessian --arch` (and `optml train --arch`) end to end on the digits data: Lanczos
//! eigenvalues of an MLP's Hessian and Gauss-Newton matrix against the dense spectrum the command
//! also forms, MLP model files read by `hessian` and `predict`, and the errors a user gets for
//! inconsistent inputs.

use std::path::Path;

use optml::data::{read_npy_matrix, read_npy_vector, write_npy};
use optml::models::mlp::{Activation, Mlp};
use optml::Objective;

mod common;
use common::{optml, text};

/// A digits file as a command-line argument.
fn digits(name: &str) -> String {
    common::digits(name).to_str().unwrap().to_string()
}

/// The digits MLP objective built in-process, for parameters and reference values.
fn digits_mlp(sizes: &[usize], act: Activation) -> Mlp {
    let (n, _, x) = read_npy_matrix(Path::new(&digits("digits_X.npy"))).unwrap();
    let y = read_npy_vector(Path::new(&digits("digits_y.npy"))).unwrap();
    Mlp::classifier(sizes, act, n, &x, &y).unwrap()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// A 64-6-10 tanh MLP (460 parameters) at a seeded point: top-5 by Lanczos match the dense
/// spectrum to 1e-6 relative, for the Hessian and for the Gauss-Newton matrix (which must come out
/// positive semi-definite while the Hessian there is indefinite).
#[test]
fn mlp_top_eigenvalues_match_the_dense_spectrum() {
    let dir = tempfile::tempdir().unwrap();
    let mlp = digits_mlp(&[64, 6, 10], Activation::Tanh);
    let theta = mlp.init(5);
    let params = dir.path().join("theta.npy");
    write_npy(&params, &[theta.len()], &theta).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let mut smallest = Vec::new();
    for gn in [false, true] {
        let out_json = dir.path().join(format!("h{gn}.json"));
        let mut args = vec![
            "hessian".to_string(),
            "--arch".into(),
            "64-6-10".into(),
            "--act".into(),
            "tanh".into(),
            "--params".into(),
            s(&params),
            digits("digits_X.npy"),
            "--labels".into(),
            digits("digits_y.npy"),
            "--top-k".into(),
            "5".into(),
            "--trace-probes".into(),
            "40".into(),
            "--exact".into(),
            "--json".into(),
            s(&out_json),
        ];
        if gn {
            args.push("--gauss-newton".into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = optml(&args);
        assert!(out.status.success(), "{}", text(&out));
        let r = json(&out_json);
        assert_eq!(r["dim"].as_u64(), Some(mlp.dim() as u64));
        let lanczos = floats(&r["eigen"]["values"]);
        let exact = floats(&r["exact"]["largest"]);
        assert_eq!(lanczos.len(), 5);
        for (l, e) in lanczos.iter().zip(&exact) {
            assert!((l - e).abs() <= 1e-6 * e.abs(), "gn={gn}: {l} vs exact {e}");
        }
        assert!(r["eigen"]["products"].as_u64().unwrap() <= 60);
        // The trace estimate is within a few standard errors of the exact trace.
        let (t, se) = (
            r["trace"]["estimate"].as_f64().unwrap(),
            r["trace"]["std_error"].as_f64().unwrap(),
        );
        let exact_trace = r["exact"]["trace"].as_f64().unwrap();
        assert!(
            (t - exact_trace).abs() <= 5.0 * se + 1e-10 * exact_trace.abs(),
            "gn={gn}: trace {t} ± {se} vs exact {exact_trace}"
        );
        smallest.push(floats(&r["exact"]["smallest"])[0]);
    }
    let scale = 1e-10;
    assert!(smallest[0] < -scale, "H indefinite here: {}", smallest[0]);
    assert!(smallest[1] > -scale, "GGN is PSD: {}", smallest[1]);
}

#[test]
fn mlp_hessian_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("theta.npy");
    let theta = vec![0.1; 460];
    write_npy(&params, &[460], &theta).unwrap();
    let p = params.to_str().unwrap();
    let (x, y) = (digits("digits_X.npy"), digits("digits_y.npy"));
    let fails = |args: &[&str], want: &[&str]| {
        let out = optml(args);
        assert!(!out.status.success(), "{args:?} should fail");
        let msg = text(&out);
        for w in want {
            assert!(msg.contains(w), "{args:?}: '{w}' not in {msg}");
        }
        assert!(!msg.contains("panicked"), "{msg}");
    };
    let base = ["hessian", "--labels", &y, &x, "--params", p];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    // Parameter count against the architecture: both numbers.
    fails(&with(&["--arch", "64-32-10"]), &["460", "2410"]);
    // Input size against the features.
    fails(&with(&["--arch", "60-6-10"]), &["64 features", "60 inputs"]);
    // Labels 0..9 against 5 outputs.
    fails(&with(&["--arch", "64-6-5"]), &["not a class id in 0..5"]);
    // Malformed architecture and activation.
    fails(&with(&["--arch", "64-x-10"]), &["'x'"]);
    fails(&with(&["--arch", "64-6-10", "--act", "swish"]), &["swish"]);
    // --arch needs --params; --gauss-newton needs --arch; --arch and --model exclude each other.
    fails(
        &["hessian", "--arch", "64-6-10", &x, "--labels", &y],
        &["--params"],
    );
    fails(
        &["hessian", "--gauss-newton", &x, "--labels", &y],
        &["--arch"],
    );
    fails(
        &with(&["--arch", "64-6-10", "--model", "m.json"]),
        &["--model"],
    );
    // Non-finite parameters.
    let mut bad = theta.clone();
    bad[7] = f64::NAN;
    write_npy(&params, &[460], &bad).unwrap();
    fails(&with(&["--arch", "64-6-10"]), &["element 7", "not finite"]);
}

/// A few iterations of each solver from the seeded start: the parameters written are those whose
/// objective the trace ends on, and they decrease it from the start.
#[test]
fn mlp_train_writes_the_parameters_it_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mlp = digits_mlp(&[64, 8, 10], Activation::Tanh)
        .with_l2(1e-3)
        .unwrap();
    let f0 = mlp.value(&mlp.init(3));
    for solver in ["lbfgs", "newton-cg", "trust-region"] {
        let params = dir.path().join(format!("{solver}.npy"));
        let trace = dir.path().join(format!("{solver}.csv"));
        let out = optml(&[
            "train",
            &digits("digits_X.npy"),
            "--labels",
            &digits("digits_y.npy"),
            "--arch",
            "64-8-10",
            "--act",
            "tanh",
            "--l2",
            "1e-3",
            "--seed",
            "3",
            "--solver",
            solver,
            "--max-iter",
            "5",
            "--params-out",
            params.to_str().unwrap(),
            "--trace",
            trace.to_str().unwrap(),
            "-q",
        ]);
        assert!(out.status.success(), "{solver}: {}", text(&out));
        let theta = read_npy_vector(&params).unwrap();
        assert_eq!(theta.len(), mlp.dim());
        let f = mlp.value(&theta);
        let csv = std::fs::read_to_string(&trace).unwrap();
        let last: f64 = csv
            .lines()
            .last()
            .unwrap()
            .split(',')
            .nth(3)
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (f - last).abs() <= 1e-12 * f,
            "{solver}: {f} vs traced {last}"
        );
        assert!(f < 0.8 * f0, "{solver}: {f} from {f0}");
    }
    let out = optml(&[
        "train",
        &digits("digits_X.npy"),
        "--labels",
        &digits("digits_y.npy"),
        "--arch",
        "64-8-10",
        "--solver",
        "subsampled-newton",
    ]);
    assert!(
        !out.status.success() && text(&out).contains("GLMs only"),
        "{}",
        text(&out)
    );
}

/// `train --arch --model` writes an MLP model file; `hessian --model` reads it without --arch
/// and finds the same spectrum as `--arch … --params` at the parameters the same run wrote;
/// `predict` scores it.
#[test]
fn a_saved_mlp_model_drives_hessian_and_predict() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let (model, params, preds) = (
        dir.path().join("mlp.json"),
        dir.path().join("theta.npy"),
        dir.path().join("preds.txt"),
    );
    let (x, y) = (digits("digits_X.npy"), digits("digits_y.npy"));
    let out = optml(&[
        "train",
        &x,
        "--labels",
        &y,
        "--arch",
        "64-6-10",
        "--act",
        "tanh",
        "--l2",
        "1e-3",
        "--seed",
        "2",
        "--max-iter",
        "20",
        "--model",
        &s(&model),
        "--params-out",
        &s(&params),
        "-q",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let saved = json(&model);
    assert_eq!(saved["sizes"], serde_json::json!([64, 6, 10]));
    assert_eq!(
        (saved["activation"].as_str(), saved["loss"].as_str()),
        (Some("tanh"), Some("cross-entropy"))
    );
    let theta = read_npy_vector(&params).unwrap();
    assert_eq!(
        floats(&saved["theta"]),
        theta,
        "the model holds every bit of θ"
    );

    let spectrum = |source: &[&str], name: &str| {
        let path = dir.path().join(name);
        let mut args = vec![
            "hessian",
            &x,
            "--labels",
            &y,
            "--top-k",
            "3",
            "--trace-probes",
            "20",
        ];
        args.extend_from_slice(source);
        let p = s(&path);
        args.extend_from_slice(&["--json", &p, "-q"]);
        let out = optml(&args);
        assert!(out.status.success(), "{source:?}: {}", text(&out));
        json(&path)
    };
    let p = s(&params);
    let m = s(&model);
    let flags = [
        "--arch", "64-6-10", "--act", "tanh", "--l2", "1e-3", "--params", &p,
    ];
    for gn in [false, true] {
        let extra: &[&str] = if gn { &["--gauss-newton"] } else { &[] };
        let from_flags = spectrum(&[&flags[..], extra].concat(), "flags.json");
        let from_model = spectrum(&[&["--model", &m][..], extra].concat(), "model.json");
        let (a, b) = (
            floats(&from_flags["eigen"]["values"]),
            floats(&from_model["eigen"]["values"]),
        );
        assert_eq!(a.len(), 3);
        for (u, v) in a.iter().zip(&b) {
            assert!((u - v).abs() <= 1e-12 * u.abs(), "gn={gn}: {u} vs {v}");
        }
        assert_eq!(from_flags["value"], from_model["value"]);
        assert_eq!(from_flags["dim"], 460);
    }
    // --params overrides the saved θ; --no-penalty drops λ; --mean is a GLM's.
    let other = dir.path().join("zero.npy");
    write_npy(&other, &[460], &vec![0.01; 460]).unwrap();
    let moved = spectrum(&["--model", &m, "--params", &s(&other)], "moved.json");
    let here = spectrum(&["--model", &m], "here.json");
    assert_ne!(moved["value"], here["value"]);
    let unpenalized = spectrum(&["--model", &m, "--no-penalty"], "plain.json");
    assert!(unpenalized["value"].as_f64() < here["value"].as_f64());
    let out = optml(&["hessian", "--model", &m, &x, "--labels", &y, "--mean"]);
    assert!(
        !out.status.success() && text(&out).contains("--mean applies to GLMs"),
        "{}",
        text(&out)
    );

    // predict: one line per sample, the class then 10 probabilities; the accuracy printed is
    // that of those classes.
    let out = optml(&[
        "predict",
        &m,
        &x,
        "--labels",
        &y,
        "--proba",
        "--out",
        &s(&preds),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let labels = read_npy_vector(Path::new(&y)).unwrap();
    let lines: Vec<Vec<f64>> = std::fs::read_to_string(&preds)
        .unwrap()
        .lines()
        .map(|l| l.split(' ').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(lines.len(), labels.len());
    let mut correct = 0;
    for (l, y) in lines.iter().zip(&labels) {
        assert_eq!(l.len(), 11);
        let best = (1..11).max_by(|&a, &b| l[a].total_cmp(&l[b])).unwrap() - 1;
        assert_eq!(l[0], best as f64);
        assert!((l[1..].iter().sum::<f64>() - 1.0).abs() < 1e-5);
        correct += usize::from(l[0] == *y);
    }
    let acc = common::number_after(&text(&out), "accuracy");
    assert!(
        (acc - correct as f64 / labels.len() as f64).abs() < 1e-4,
        "{acc}"
    );
    assert!(acc > 0.5, "20 iterations of L-BFGS fit the digits: {acc}");
}

/// A damaged MLP model file is refused in one line, naming the file and the fault.
#[test]
fn a_damaged_mlp_model_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mlp.json");
    let (x, y) = (digits("digits_X.npy"), digits("digits_y.npy"));
    let p = path.to_str().unwrap();
    let theta: Vec<String> = (0..459).map(|_| "0.1".to_string()).collect();
    let body = |sizes: &str, n: usize| {
        format!(
            "{{\"format_version\": 1, \"sizes\": {sizes}, \"activation\": \"tanh\", \"loss\": \"cross-entropy\", \"l2\": 0.0, \"theta\": [{}]}}",
            theta[..n.min(459)].join(", ")
        )
    };
    for (content, want) in [
        (
            body("[64, 6, 10]", 459),
            "459 parameters, the architecture 64-6-10 has 460",
        ),
        (body("[60, 6, 10]", 436), "64 features"),
        ("{\"sizes\": [64, 6".to_string(), "EOF while parsing"),
    ] {
        std::fs::write(&path, content).unwrap();
        for cmd in ["hessian", "predict"] {
            let args: Vec<&str> = if cmd == "hessian" {
                vec![cmd, "--model", p, &x, "--labels", &y, "-q"]
            } else {
                vec![cmd, p, &x, "--labels", &y, "-q"]
            };
            let out = optml(&args);
            let msg = text(&out);
            assert!(!out.status.success(), "{cmd}: {msg}");
            assert!(
                msg.contains(want) && msg.contains("mlp.json"),
                "{cmd}: '{want}' not in {msg}"
            );
            assert_eq!(msg.trim().lines().count(), 1, "{msg}");
        }
    }
}
