//! Inputs at the edges: sizes from flags and files that would not fit in memory, byte-order
//! marks, non-finite and out-of-range values. Each is refused with one line (exit 1) or
//! accepted as documented; none panics (exit 101) or aborts.

mod common;
use common::{fixture, optml, text};

/// Exit 1 with a message containing every one of `needles`.
fn refused(args: &[&str], needles: &[&str]) {
    let out = optml(args);
    let log = text(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {log}");
    for n in needles {
        assert!(log.contains(n), "{args:?}: no '{n}' in {log}");
    }
    assert!(!log.contains("panicked"), "{args:?}: {log}");
}

#[test]
fn a_libsvm_file_with_a_byte_order_mark_trains() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bom.svm");
    std::fs::write(
        &data,
        "\u{feff}+1 1:1 2:0.5\n-1 1:-1 2:0.2\n+1 1:2\n-1 2:-1\n",
    )
    .unwrap();
    let out = optml(&["train", data.to_str().unwrap(), "-q"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn a_huge_feature_index_is_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hashed.svm");
    std::fs::write(&data, "+1 1:1 3000000000:1\n-1 2:1\n").unwrap();
    let path = data.to_str().unwrap();
    refused(&["train", path], &[path, "3000000000", "22.4 GiB"]);
}

#[test]
fn sizes_from_flags_are_checked_against_what_they_allocate() {
    let data = fixture("breast_cancer.svm");
    let data = data.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let classes = dir.path().join("classes.svm");
    std::fs::write(&classes, "0 1:1 2:0.5\n1 1:-1\n0 2:1\n").unwrap();
    refused(
        &[
            "train",
            classes.to_str().unwrap(),
            "--arch",
            "2-100000-100000-2",
        ],
        &["2-100000-100000-2", "GiB"],
    );
    refused(
        &[
            "dictionary",
            "--synthetic",
            "8x16",
            "--atoms",
            "16",
            "--sparsity",
            "2",
            "--samples",
            "100000000000",
        ],
        &["100000000000", "GiB"],
    );
    refused(
        &[
            "phase",
            "--sweep",
            "4",
            "--signal-len",
            "1000000000",
            "--trials",
            "1",
        ],
        &["GiB"],
    );
    let model = dir.path().join("m.json");
    let out = optml(&[
        "train",
        data,
        "--max-iter",
        "3",
        "-q",
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    refused(
        &[
            "hessian",
            "--model",
            model.to_str().unwrap(),
            data,
            "--trace-probes",
            "100000000000",
        ],
        &["100000000000", "GiB"],
    );
}

/// A logistic model on two features with these weights (no intercept).
fn model_file(dir: &std::path::Path, weights: &str) -> std::path::PathBuf {
    let path = dir.join("m.json");
    std::fs::write(
        &path,
        format!(
            "{{\"format_version\": 2, \"loss\": \"logistic\", \"ridge\": \"none\", \
             \"intercept\": false, \"n_features\": 2, \"classes\": [-1.0, 1.0], \
             \"weights\": {weights}}}"
        ),
    )
    .unwrap();
    path
}

#[test]
fn predict_refuses_overflowing_scores_and_narrow_dense_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.svm");
    std::fs::write(&data, "1 1:10 2:10\n-1 1:-1\n").unwrap();
    let huge = model_file(dir.path(), "[1e308, 1e308]");
    let (huge, data) = (huge.to_str().unwrap(), data.to_str().unwrap());
    refused(&["predict", huge, data], &["non-finite", "sample 0"]);
    let probs = dir.path().join("p.txt");
    let probs = probs.to_str().unwrap();
    refused(
        &["predict", huge, data, "--proba", "--out", probs],
        &["non-finite"],
    );
    assert!(!std::path::Path::new(probs).exists());

    let fine = model_file(dir.path(), "[1.0, 1.0]");
    let fine = fine.to_str().unwrap();
    let out = optml(&["predict", fine, data, "--proba", "--out", probs]);
    assert!(out.status.success(), "{}", text(&out));
    // Dense data one column short of the model: refused, as one column too many is.
    let narrow = dir.path().join("narrow.csv");
    std::fs::write(&narrow, "0.5,1\n2,-1\n").unwrap();
    refused(
        &["predict", fine, narrow.to_str().unwrap()],
        &["narrow.csv", "1 columns", "trained on 2"],
    );
    let wide = dir.path().join("wide.csv");
    std::fs::write(&wide, "0.5,1,1,1\n2,0,0,-1\n").unwrap();
    refused(&["predict", fine, wide.to_str().unwrap()], &["3 features"]);
    let exact = dir.path().join("exact.csv");
    std::fs::write(&exact, "0.5,1,1\n2,0,-1\n").unwrap();
    let out = optml(&["predict", fine, exact.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    // A LIBSVM file names its features: one without the model's last feature is read at the
    // model's width, and stored dense.
    let short = dir.path().join("short.svm");
    std::fs::write(&short, "1 1:0.5\n-1 1:-2\n").unwrap();
    let out = optml(&["predict", fine, short.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("(dense)"), "{}", text(&out));
}

#[test]
fn a_model_file_with_repeated_classes_or_a_negative_c_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.svm");
    std::fs::write(&data, "1 1:1\n-1 2:1\n").unwrap();
    let data = data.to_str().unwrap();
    let model = model_file(dir.path(), "[1.0, 1.0]");
    let text_of = std::fs::read_to_string(&model).unwrap();
    let m = model.to_str().unwrap();
    std::fs::write(&model, text_of.replace("[-1.0, 1.0]", "[1, 1]")).unwrap();
    refused(&["predict", m, data], &["m.json", "distinct"]);
    std::fs::write(
        &model,
        text_of.replace("\"ridge\": \"none\"", "\"ridge\": {\"c\": -1}"),
    )
    .unwrap();
    refused(&["predict", m, data], &["m.json", "C must be positive"]);
}

#[test]
fn tolerances_thresholds_and_thread_counts_out_of_range_are_refused() {
    let complete = ["complete", "--synthetic", "30x30", "--observed", "0.5"];
    let rpca = ["rpca", "--synthetic", "30x30", "--corruption", "0.1"];
    let phase = ["phase", "--synthetic", "64x16"];
    for bad in ["-1", "nan"] {
        let tol = format!("--tol={bad}");
        for base in [&complete[..], &rpca[..]] {
            let mut args = base.to_vec();
            args.extend(["--rank", "2", &tol]);
            refused(&args, &["tolerance"]);
        }
        let mut args = phase.to_vec();
        args.push(&tol);
        refused(&args, &["tolerance"]);
        let beta = format!("--beta={bad}");
        let mut args = rpca.to_vec();
        args.extend(["--rank", "2", "--method", "altproj", &beta]);
        refused(&args, &["β"]);
    }
    let mut args = complete.to_vec();
    args.extend(["--rank", "2", "--threads", "4096"]);
    refused(&args, &["4096 threads"]);
}
