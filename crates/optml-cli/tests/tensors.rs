//! `optml cp` and `optml dictionary` end to end: planted instances, files in and out, errors.

mod common;
use common::{number_after, optml, text};

#[test]
fn cp_synthetic_then_from_file() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst");
    let out = optml(&[
        "cp",
        "--synthetic",
        "12x10x8",
        "--rank",
        "3",
        "--noise",
        "0.01",
        "--seed",
        "4",
        "--save-instance",
        inst.to_str().unwrap(),
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("residual"), "{log}");
    assert!(number_after(&log, "planted factors:") > 0.99, "{log}");
    // One printed line per sweep.
    assert!(
        log.lines()
            .filter(|l| l.trim_start().starts_with("1 "))
            .count()
            == 1,
        "{log}"
    );

    let factors = dir.path().join("f");
    let tensor = inst.join("tensor.npy");
    let out = optml(&[
        "cp",
        tensor.to_str().unwrap(),
        "--rank",
        "3",
        "--out",
        factors.to_str().unwrap(),
        "-q",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(number_after(&log, "fit") > 0.98, "{log}");
    let (r, c, _) = optml::data::read_npy_matrix(&factors.join("factor0.npy")).unwrap();
    assert_eq!((r, c), (12, 3));
    assert_eq!(
        optml::data::read_npy_vector(&factors.join("weights.npy"))
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn cp_rejects_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let flat = dir.path().join("m.npy");
    optml::data::write_npy(&flat, &[2, 3], &[1.0; 6]).unwrap();
    let out = optml(&["cp", flat.to_str().unwrap(), "--rank", "2"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("3-D"), "{}", text(&out));
    let out = optml(&["cp", "--synthetic", "4x0x4", "--rank", "2"]);
    assert!(!out.status.success());
    let out = optml(&["cp", "--synthetic", "4x4x4", "--rank", "0"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("rank"), "{}", text(&out));
    // No sweep at all is refused with a message, not a panic (exit 101).
    let cube = dir.path().join("t.npy");
    optml::data::write_npy(&cube, &[3, 3, 3], &[1.0; 27]).unwrap();
    let out = optml(&[
        "cp",
        cube.to_str().unwrap(),
        "--rank",
        "2",
        "--max-iter",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("max_iter"), "{}", text(&out));
}

#[test]
fn dictionary_synthetic_then_from_file() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst");
    let out = optml(&[
        "dictionary",
        "--synthetic",
        "16x24",
        "--samples",
        "800",
        "--atoms",
        "24",
        "--sparsity",
        "2",
        "--seed",
        "3",
        "--save-instance",
        inst.to_str().unwrap(),
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(number_after(&log, "recovered") >= 80.0, "{log}");

    let res = dir.path().join("res");
    let data = inst.join("data.npy");
    let out = optml(&[
        "dictionary",
        data.to_str().unwrap(),
        "--atoms",
        "24",
        "--sparsity",
        "2",
        "--max-iter",
        "5",
        "--out",
        res.to_str().unwrap(),
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    let (k, d, atoms) = optml::data::read_npy_matrix(&res.join("dictionary.npy")).unwrap();
    assert_eq!((k, d), (24, 16));
    for a in atoms.chunks(16) {
        let n: f64 = a.iter().map(|v| v * v).sum();
        assert!((n - 1.0).abs() < 1e-9);
    }
    let (n, k2, codes) = optml::data::read_npy_matrix(&res.join("codes.npy")).unwrap();
    assert_eq!((n, k2), (800, 24));
    for row in codes.chunks(24) {
        assert!(row.iter().filter(|v| **v != 0.0).count() <= 2);
    }
}

#[test]
fn dictionary_rejects_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("s.npy");
    optml::data::write_npy(&small, &[3, 4], &[1.0; 12]).unwrap();
    let out = optml(&[
        "dictionary",
        small.to_str().unwrap(),
        "--atoms",
        "8",
        "--sparsity",
        "2",
    ]);
    assert!(!out.status.success());
    assert!(text(&out).contains("atoms"), "{}", text(&out));
    let out = optml(&[
        "dictionary",
        "--synthetic",
        "8x16",
        "--atoms",
        "16",
        "--sparsity",
        "9",
    ]);
    assert!(!out.status.success());
    let out = optml(&[
        "dictionary",
        "missing.npy",
        "--atoms",
        "4",
        "--sparsity",
        "1",
    ]);
    assert!(!out.status.success());
    assert!(text(&out).contains("missing.npy"), "{}", text(&out));
}

/// The README's dictionary example, with the default iteration budget, converges and recovers
/// every planted atom, as the README and bench/tensors report.
#[test]
fn dictionary_readme_example_recovers_every_atom() {
    let out = optml(&[
        "dictionary",
        "--synthetic",
        "64x128",
        "--atoms",
        "128",
        "--sparsity",
        "5",
        "--samples",
        "5000",
        "--seed",
        "1",
        "--quiet",
    ]);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains(", converged,"), "{log}");
    assert!(
        log.contains("recovered 100.0 % of the planted atoms (128 of 128)"),
        "{log}"
    );
}
