//! The data readers and writers on real files, on malformed files (typed errors with the right
//! line), and in round trips.

use std::path::{Path, PathBuf};

use optml::data::{
    load, read_csv, read_libsvm, read_npy, read_npy_matrix, read_npy_vector, write_libsvm,
    write_npy, CsvOptions, Dataset, Format, LabelColumn, LibsvmOptions, LoadOptions, NpyOptions,
};
use optml::linalg::{CsrMatrix, DenseMatrix, Design};
use optml::Error;
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

fn csr(d: &Dataset) -> &CsrMatrix {
    match &d.x {
        Design::Sparse(m) => m,
        Design::Dense(_) => panic!("expected sparse"),
    }
}

fn dense(d: &Dataset) -> &DenseMatrix {
    match &d.x {
        Design::Dense(m) => m,
        Design::Sparse(_) => panic!("expected dense"),
    }
}

/// Writes `contents` to a file named `name` in a fresh temporary directory.
fn temp_file(name: &str, contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    (dir, path)
}

/// The line of a parse error, after checking that it names `path`.
fn parse_error_line<T: std::fmt::Debug>(r: optml::Result<T>, path: &Path) -> (usize, String) {
    match r {
        Err(Error::Parse {
            path: p,
            line,
            message,
        }) => {
            assert_eq!(p, path);
            (line, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn breast_cancer_fixture() {
    let d = read_libsvm(&fixture("breast_cancer.svm"), &LibsvmOptions::default()).unwrap();
    assert_eq!((d.n_samples(), d.n_features()), (569, 30));
    assert!(d.y.iter().all(|&y| y == -1.0 || y == 1.0));
    assert_eq!(d.y.iter().filter(|&&y| y == 1.0).count(), 357);
    let (idx, vals) = csr(&d).row(0);
    assert_eq!(idx.len(), 30);
    assert_eq!((idx[0], vals[0]), (0, 17.99));
    assert_eq!((idx[29], vals[29]), (29, 0.1189));
    assert_eq!(
        d.source.as_deref(),
        Some(fixture("breast_cancer.svm").as_path())
    );
}

/// `load` stores a LIBSVM matrix by its density: breast cancer (every feature present) dense,
/// with the same entries; digits (half its pixels zero) sparse.
#[test]
fn libsvm_matrices_are_stored_by_density() {
    let path = fixture("breast_cancer.svm");
    let read = read_libsvm(&path, &LibsvmOptions::default()).unwrap();
    let loaded = load(&path, &LoadOptions::default()).unwrap();
    let (m, x) = (csr(&read), dense(&loaded));
    for i in 0..m.nrows() {
        let mut row = vec![0.0; m.ncols()];
        let (idx, vals) = m.row(i);
        idx.iter()
            .zip(vals)
            .for_each(|(&j, &v)| row[j as usize] = v);
        assert_eq!(x.row(i), &row[..]);
    }
    assert_eq!(loaded.y, read.y);
    let digits = load(&fixture("digits.svm"), &LoadOptions::default()).unwrap();
    assert!(digits.x.is_sparse());
    // Widened first: 2 of 3 features stored per row is still dense enough.
    let (_dir, narrow) = temp_file("narrow.svm", b"1 1:0.5 2:1\n-1 1:-2 2:3\n");
    let opts = LoadOptions {
        n_features: Some(3),
        ..Default::default()
    };
    let x = load(&narrow, &opts).unwrap();
    assert_eq!(dense(&x).row(1), &[-2.0, 3.0, 0.0]);
}

#[test]
fn digits_fixture_and_roundtrip() {
    let path = fixture("digits.svm");
    let d = read_libsvm(&path, &LibsvmOptions::default()).unwrap();
    assert_eq!((d.n_samples(), d.n_features()), (1797, 64));
    for c in 0..10 {
        assert!(d.y.contains(&(c as f64)));
    }
    assert!(d
        .y
        .iter()
        .all(|&y| y.fract() == 0.0 && (0.0..=9.0).contains(&y)));
    assert!(csr(&d).values().iter().all(|&v| v > 0.0 && v <= 16.0));

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("digits copy.svm");
    write_libsvm(&out, &d).unwrap();
    let back = read_libsvm(&out, &LibsvmOptions::default()).unwrap();
    assert_eq!(back.x, d.x);
    assert_eq!(back.y, d.y);
    // Through the dispatcher too, with a wider feature count.
    let opts = LoadOptions {
        n_features: Some(100),
        ..Default::default()
    };
    assert_eq!(load(&path, &opts).unwrap().n_features(), 100);
}

#[test]
fn shared_npy_digits_if_present() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/digits-mlp");
    let (xp, yp) = (dir.join("digits_X.npy"), dir.join("digits_y.npy"));
    if !xp.exists() || !yp.exists() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let (n, d, x) = read_npy_matrix(&xp).unwrap();
    assert_eq!((n, d, x.len()), (1797, 64, 1797 * 64));
    assert!(x.iter().all(|&v| (0.0..=1.0).contains(&v)));
    let y = read_npy_vector(&yp).unwrap();
    assert_eq!(y.len(), 1797);
    // The same digits as the LIBSVM fixture, pixels divided by 16.
    let svm = read_libsvm(&fixture("digits.svm"), &LibsvmOptions::default()).unwrap();
    assert_eq!(y, svm.y);
    let (idx, vals) = csr(&svm).row(0);
    for (&j, &v) in idx.iter().zip(vals) {
        assert_eq!(x[j as usize], v / 16.0);
    }
}

#[test]
fn libsvm_malformed_files_report_file_and_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("1 1:1\n-1 x:1\n", 2, "expected index:value"),
        ("1 1:1\n\n# c\n1 2:abc\n", 4, "not a number"),
        ("1 1:1\n1 7\n", 2, "missing ':'"),
        ("1 1:1\n1 0:3\n", 2, "1-based"),
        ("1 1:1\n1 3:1 3:2\n", 2, "strictly increasing"),
        ("1 5:1 4:2\n", 1, "strictly increasing"),
        ("1 1:1\n1 4294967296:1\n", 2, "2^32-1"),
        ("1 1000000000000000:1\n", 1, "2^32-1"),
        ("1 1:1\nnan 1:1\n", 2, "not finite"),
        ("1 1:1\r\n-inf 1:1\r\n", 2, "not finite"),
        ("1 1:1\n1 2:nan\n", 2, "not finite"),
        ("1 1:inf\n", 1, "not finite"),
        ("1 1:1e400\n", 1, "not finite"),
        ("1 1:\n", 1, "no value"),
        ("1 qid:a 1:1\n", 1, "qid"),
        ("\n\n\n1 2:1 1:1", 4, "strictly increasing"),
    ];
    for &(text, want_line, needle) in cases {
        let (_dir, path) = temp_file("bad.svm", text.as_bytes());
        let (line, msg) = parse_error_line(read_libsvm(&path, &LibsvmOptions::default()), &path);
        assert_eq!(line, want_line, "{text:?}: {msg}");
        assert!(msg.contains(needle), "{text:?}: {msg}");
    }
    for text in ["", "\n", "# nothing\n\n"] {
        let (_dir, path) = temp_file("empty.svm", text.as_bytes());
        let (line, _) = parse_error_line(read_libsvm(&path, &LibsvmOptions::default()), &path);
        assert_eq!(line, 0);
    }
    // An index above a given feature count.
    let (_dir, path) = temp_file("wide.svm", b"1 3:1\n1 9:1\n");
    let opts = LibsvmOptions {
        n_features: Some(5),
    };
    let (line, msg) = parse_error_line(read_libsvm(&path, &opts), &path);
    assert_eq!(line, 2, "{msg}");
    // A missing file is an I/O error naming it.
    let missing = path.with_file_name("missing.svm");
    match read_libsvm(&missing, &LibsvmOptions::default()) {
        Err(Error::Io { path: p, .. }) => assert_eq!(p, missing),
        other => panic!("{other:?}"),
    }
}

#[test]
fn libsvm_accepts_the_documented_syntax() {
    let text = "# comment\n1 qid:3 1:0.5 4:2 # tail\r\n\n-1\n0.25 2:1e-3 3:0 10:-7.5\n";
    let (_dir, path) = temp_file("ok.txt", text.as_bytes());
    let d = load(&path, &LoadOptions::default()).unwrap();
    assert_eq!(d.y, vec![1.0, -1.0, 0.25]);
    let m = csr(&d);
    assert_eq!(m.ncols(), 10);
    assert_eq!(m.indptr(), &[0, 2, 2, 4]);
    assert_eq!(m.indices(), &[0, 3, 1, 9]);
    assert_eq!(m.values(), &[0.5, 2.0, 1e-3, -7.5]);
}

#[test]
fn write_libsvm_rejects_non_finite_and_writes_dense() {
    let x = DenseMatrix::from_row_major(2, 3, vec![1.0, 0.0, 2.5, 0.0, 0.0, 1e-300]).unwrap();
    let mut d = Dataset {
        x: Design::Dense(x),
        y: vec![1.0, -1.0],
        source: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dense.svm");
    write_libsvm(&path, &d).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "1 1:1 3:2.5\n-1 3:1e-300\n"
    );
    let back = read_libsvm(&path, &LibsvmOptions::default()).unwrap();
    assert_eq!(back.y, d.y);
    assert_eq!(csr(&back).values(), &[1.0, 2.5, 1e-300]);
    d.y[1] = f64::NAN;
    assert!(matches!(
        write_libsvm(&path, &d),
        Err(Error::InvalidInput(_))
    ));
    // The failed write left the earlier file whole.
    assert!(read_libsvm(&path, &LibsvmOptions::default()).is_ok());
}

#[test]
fn csv_files() {
    let (_dir, path) = temp_file(
        "iris.csv",
        b"sepal,petal,\"class\"\n5.1,1.4,0\n\"4.9\",1.5,1\n\n6.2, 5.4 ,2\n",
    );
    let d = read_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(d.y, vec![0.0, 1.0, 2.0]);
    assert_eq!(dense(&d).data(), &[5.1, 1.4, 4.9, 1.5, 6.2, 5.4]);
    let by_name = CsvOptions {
        label: LabelColumn::Name("sepal".into()),
        ..Default::default()
    };
    assert_eq!(read_csv(&path, &by_name).unwrap().y, vec![5.1, 4.9, 6.2]);

    let (_dir, tsv) = temp_file("t.tsv", b"1\t2\t3\n4\t5\t6\n");
    let d = load(&tsv, &LoadOptions::default()).unwrap();
    assert_eq!((d.n_samples(), d.n_features()), (2, 2));
    let opts = LoadOptions {
        label: LabelColumn::First,
        n_features: Some(4),
        ..Default::default()
    };
    let d = load(&tsv, &opts).unwrap();
    assert_eq!(d.y, vec![1.0, 4.0]);
    assert_eq!(dense(&d).data(), &[2.0, 3.0, 0.0, 0.0, 5.0, 6.0, 0.0, 0.0]);

    let (_dir, semi) = temp_file("eu.csv", b"a;b;c\n1;2;3\n");
    assert_eq!(
        read_csv(&semi, &CsvOptions::default()).unwrap().y,
        vec![3.0]
    );
}

#[test]
fn csv_malformed_files_report_file_and_line() {
    let cases: &[(&str, usize, &str)] = &[
        ("a,b,c\n1,2,3\n4,5\n", 3, "expected 3 fields, found 2"),
        ("1,2,3\n\n4,5,6,7\n", 3, "expected 3 fields, found 4"),
        ("a,b\n1,2\n3,x\n", 3, "not a number"),
        ("1,2\n3,NaN\n", 2, "not finite"),
        ("1,2\n3,-inf\n", 2, "not finite"),
        ("1,2\n3,\n", 2, "empty"),
    ];
    for &(text, want_line, needle) in cases {
        let (_dir, path) = temp_file("bad.csv", text.as_bytes());
        let (line, msg) = parse_error_line(read_csv(&path, &CsvOptions::default()), &path);
        assert_eq!(line, want_line, "{text:?}: {msg}");
        assert!(msg.contains(needle), "{text:?}: {msg}");
    }
    for text in ["", "\r\n", "a,b\n"] {
        let (_dir, path) = temp_file("empty.csv", text.as_bytes());
        let (line, _) = parse_error_line(read_csv(&path, &CsvOptions::default()), &path);
        assert_eq!(line, 0, "{text:?}");
    }
    let (_dir, path) = temp_file("h.csv", b"a,b\n1,2\n");
    let missing = CsvOptions {
        label: LabelColumn::Name("label".into()),
        ..Default::default()
    };
    let (_, msg) = parse_error_line(read_csv(&path, &missing), &path);
    assert!(msg.contains("no column named 'label'"), "{msg}");
    let out_of_range = CsvOptions {
        label: LabelColumn::Index(2),
        ..Default::default()
    };
    let (_, msg) = parse_error_line(read_csv(&path, &out_of_range), &path);
    assert!(msg.contains("out of range"), "{msg}");
}

/// A version 1.0 `.npy` file with the given header dict and raw data.
fn npy_bytes(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut header = dict.to_string();
    let pad = (64 - (10 + header.len() + 1) % 64) % 64;
    header.push_str(&" ".repeat(pad));
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn npy_roundtrip_and_datasets() {
    let dir = tempfile::tempdir().unwrap();
    let xp = dir.path().join("x.npy");
    let data: Vec<f64> = (0..12).map(|i| i as f64 * 0.5 - 1.0).collect();
    write_npy(&xp, &[4, 3], &data).unwrap();
    let bytes = std::fs::read(&xp).unwrap();
    assert_eq!(&bytes[..8], b"\x93NUMPY\x01\x00");
    assert_eq!((bytes.len() - 12 * 8) % 64, 0);
    assert_eq!(read_npy_matrix(&xp).unwrap(), (4, 3, data.clone()));
    assert!(read_npy_vector(&xp).is_err());

    // Label column from the matrix.
    let d = read_npy(&xp, &NpyOptions::default()).unwrap();
    assert_eq!(d.y, vec![0.0, 1.5, 3.0, 4.5]);
    assert_eq!(dense(&d).row(1), &[0.5, 1.0]);
    let first = NpyOptions {
        label: LabelColumn::First,
        ..Default::default()
    };
    assert_eq!(read_npy(&xp, &first).unwrap().y, vec![-1.0, 0.5, 2.0, 3.5]);
    let named = NpyOptions {
        label: LabelColumn::Name("y".into()),
        ..Default::default()
    };
    assert!(matches!(read_npy(&xp, &named), Err(Error::Parse { .. })));

    // Labels from a separate file (1-D, and a 2-D column).
    let yp = dir.path().join("y.npy");
    write_npy(&yp, &[4], &[1.0, 0.0, 1.0, 0.0]).unwrap();
    let opts = LoadOptions {
        labels: Some(yp.clone()),
        ..Default::default()
    };
    let d = load(&xp, &opts).unwrap();
    assert_eq!((d.n_samples(), d.n_features()), (4, 3));
    assert_eq!(d.y, vec![1.0, 0.0, 1.0, 0.0]);
    write_npy(&yp, &[4, 1], &[1.0, 0.0, 1.0, 0.0]).unwrap();
    assert_eq!(read_npy_vector(&yp).unwrap(), vec![1.0, 0.0, 1.0, 0.0]);
    write_npy(&yp, &[3], &[1.0, 0.0, 1.0]).unwrap();
    assert!(load(&xp, &opts).is_err());
    // A labels file is for .npy data only.
    let svm = LoadOptions {
        format: Some(Format::Libsvm),
        ..opts
    };
    assert!(matches!(load(&xp, &svm), Err(Error::InvalidInput(_))));
}

#[test]
fn npy_dtypes_and_orders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.npy");
    let check = |dict: &str, data: Vec<u8>| {
        std::fs::write(&path, npy_bytes(dict, &data)).unwrap();
        read_npy_matrix(&path)
    };
    // Fortran order: the column-major 2 × 3 matrix [[1, 2, 3], [4, 5, 6]].
    let col_major: Vec<u8> = [1.0f64, 4.0, 2.0, 5.0, 3.0, 6.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let m = check(
        "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
        col_major,
    )
    .unwrap();
    assert_eq!(m, (2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
    // f32, little- and big-endian.
    let f32s: Vec<u8> = [0.5f32, -2.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let m = check(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }",
        f32s,
    )
    .unwrap();
    assert_eq!(m.2, vec![0.5, -2.0]);
    let be: Vec<u8> = [0.5f64, -2.0]
        .iter()
        .flat_map(|v| v.to_be_bytes())
        .collect();
    let m = check(
        "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 1), }",
        be,
    )
    .unwrap();
    assert_eq!(m.2, vec![0.5, -2.0]);
    // Integer and bool labels.
    let i8s: Vec<u8> = [3i64, -1, 9].iter().flat_map(|v| v.to_le_bytes()).collect();
    let m = check(
        "{'descr': '<i8', 'fortran_order': False, 'shape': (3, 1), }",
        i8s,
    )
    .unwrap();
    assert_eq!(m.2, vec![3.0, -1.0, 9.0]);
    let i4s: Vec<u8> = [7i32, -7].iter().flat_map(|v| v.to_le_bytes()).collect();
    let m = check(
        "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }",
        i4s,
    )
    .unwrap();
    assert_eq!(m.2, vec![7.0, -7.0]);
    let m = check(
        "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 3), }",
        vec![0, 1, 255],
    );
    assert_eq!(m.unwrap().2, vec![0.0, 1.0, 255.0]);
    let m = check(
        "{'descr': '|b1', 'fortran_order': False, 'shape': (2, 1), }",
        vec![1, 0],
    );
    assert_eq!(m.unwrap().2, vec![1.0, 0.0]);
    std::fs::write(
        &path,
        npy_bytes(
            "{'descr': '<i1', 'fortran_order': False, 'shape': (2,), }",
            &[5, 251],
        ),
    )
    .unwrap();
    assert_eq!(read_npy_vector(&path).unwrap(), vec![5.0, -5.0]);
}

#[test]
fn npy_malformed_files_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.npy");
    let f8 = |n: usize| vec![0u8; 8 * n];
    let cases: Vec<(Vec<u8>, &str)> =
        vec![
        (b"not numpy at all".to_vec(), "magic"),
        (b"\x93NUM".to_vec(), "too short"),
        (b"\x93NUMPY\x09\x00\x10\x00".to_vec(), "version"),
        // Header length beyond the file.
        (b"\x93NUMPY\x01\x00\xff\xff{}".to_vec(), "header length"),
        // A version 2.0 header length of 4 GiB: refused before allocating.
        (b"\x93NUMPY\x02\x00\xff\xff\xff\xff{}".to_vec(), "header length"),
        (
            npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", &f8(5)),
            "needs 48 data bytes but the file has 40",
        ),
        (
            npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", &f8(3)),
            "needs 16",
        ),
        // A shape whose element count overflows, and one merely huge: no allocation either way.
        (
            npy_bytes(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }",
                &f8(1),
            ),
            "overflows",
        ),
        (
            npy_bytes(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 1000), }",
                &f8(1),
            ),
            "needs",
        ),
        (
            npy_bytes("{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }", &[0; 16]),
            "unsupported dtype",
        ),
        (
            npy_bytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", &f8(1)),
            "structured",
        ),
        (npy_bytes("{'descr': '<f8', 'shape': (1, 1), }", &f8(1)), "fortran_order"),
        (
            npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }", &f8(8)),
            "2-D",
        ),
        (
            npy_bytes(
                "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
                &[1.0f64, f64::NAN].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<_>>(),
            ),
            "not finite",
        ),
    ];
    for (bytes, needle) in cases {
        std::fs::write(&path, &bytes).unwrap();
        let (line, msg) = parse_error_line(read_npy_matrix(&path), &path);
        assert_eq!(line, 0);
        assert!(msg.contains(needle), "{needle:?} not in {msg:?}");
    }
    assert!(matches!(
        write_npy(&path, &[2, 2], &[1.0; 3]),
        Err(Error::InvalidInput(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sparse data set with finite values survives write_libsvm → read_libsvm exactly.
    #[test]
    fn libsvm_roundtrip(
        rows in prop::collection::vec(
            (
                -1e6f64..1e6,
                prop::collection::btree_map(0u32..40, any::<f64>(), 0..12),
            ),
            1..30,
        ),
        extra_cols in 0usize..5,
    ) {
        let ncols = 40 + extra_cols;
        let mut indptr = vec![0];
        let (mut indices, mut values, mut y) = (vec![], vec![], vec![]);
        for (label, entries) in &rows {
            y.push(*label);
            for (&j, &v) in entries {
                if v.is_finite() && v != 0.0 {
                    indices.push(j);
                    values.push(v);
                }
            }
            indptr.push(indices.len());
        }
        let x = CsrMatrix::new(rows.len(), ncols, indptr, indices, values).unwrap();
        let data = Dataset { x: Design::Sparse(x), y, source: None };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.svm");
        write_libsvm(&path, &data).unwrap();
        let opts = LibsvmOptions { n_features: Some(ncols) };
        let back = read_libsvm(&path, &opts).unwrap();
        prop_assert_eq!(&back.x, &data.x);
        prop_assert_eq!(&back.y, &data.y);
    }

    /// Plain decimals are parsed to the correctly rounded value (the fast path), as are
    /// numbers in any other spelling (the fallback).
    #[test]
    fn libsvm_numbers_parse_exactly(v in any::<f64>(), digits in 1usize..20) {
        prop_assume!(v.is_finite() && v != 0.0);
        let spellings = [format!("{v}"), format!("{v:e}"), format!("{v:.digits$}")];
        for s in spellings {
            let want: f64 = s.parse().unwrap();
            if want == 0.0 {
                continue;
            }
            let text = format!("{s} 1:{s}\n");
            let d = optml::data::parse_libsvm(text.as_bytes(), "n".as_ref(), &Default::default())
                .unwrap();
            prop_assert_eq!(d.y[0].to_bits(), want.to_bits(), "{}", s);
            prop_assert_eq!(csr(&d).values()[0].to_bits(), want.to_bits(), "{}", s);
        }
    }
}
