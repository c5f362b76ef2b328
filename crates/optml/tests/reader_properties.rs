//! Every reader on hostile input: random bytes, and valid files with random edits, give a value
//! or an error and never a panic; what is accepted meets the reader's invariants. The inputs the
//! fuzzer (fuzz/run.sh) once crashed on, in fuzz/regressions/<target>/, are replayed here.

use std::path::{Path, PathBuf};

use optml::data::{parse_csv, parse_libsvm, parse_npy, write_npy, CsvOptions, LibsvmOptions};
use optml::linalg::Design;
use optml::models::glm::{GlmModel, Loss, Ridge};
use optml::models::mlp::{Activation, MlpLoss, MlpModel, MLP_FORMAT_VERSION};
use optml::nonconvex::completion::Observed;
use optml::nonconvex::triples::{parse_csv_triples, parse_matrix_market};
use proptest::prelude::*;

/// The LIBSVM oracle: an error, or rows with finite labels and sorted in-range columns.
fn libsvm(bytes: &[u8]) {
    let Ok(data) = parse_libsvm(bytes, "p.svm".as_ref(), &LibsvmOptions::default()) else {
        return;
    };
    assert!(data.n_samples() > 0);
    assert_eq!(data.y.len(), data.n_samples());
    assert!(data.y.iter().all(|v| v.is_finite()));
    let Design::Sparse(x) = &data.x else {
        panic!("LIBSVM gives sparse features")
    };
    assert_eq!(x.indptr().len(), data.n_samples() + 1);
    for i in 0..x.nrows() {
        let (cols, vals) = x.row(i);
        assert!(cols.windows(2).all(|w| w[0] < w[1]));
        assert!(cols.iter().all(|&j| (j as usize) < x.ncols()));
        assert!(vals.iter().all(|v| v.is_finite()));
    }
}

/// The CSV oracle: an error, or a finite n × d matrix and n finite labels.
fn csv(bytes: &[u8]) {
    let Ok(data) = parse_csv(bytes, "p.csv".as_ref(), &CsvOptions::default()) else {
        return;
    };
    assert!(data.n_samples() > 0);
    assert_eq!(data.y.len(), data.n_samples());
    assert!(data.y.iter().all(|v| v.is_finite()));
    let Design::Dense(x) = &data.x else {
        panic!("CSV gives dense features")
    };
    assert_eq!(x.data().len(), data.n_samples() * data.n_features());
    assert!(x.data().iter().all(|v| v.is_finite()));
}

/// The `.npy` oracle: an error, or as many finite values as the shape calls for.
fn npy(bytes: &[u8]) {
    if let Ok((shape, values)) = parse_npy(bytes, "p.npy".as_ref()) {
        assert_eq!(shape.iter().product::<usize>(), values.len());
        assert!(values.iter().all(|v| v.is_finite()));
    }
}

fn observed(obs: &Observed) {
    let entries: Vec<_> = obs.iter().collect();
    assert!(!entries.is_empty());
    assert!(entries
        .iter()
        .all(|&(i, j, v)| i < obs.nrows() && j < obs.ncols() && v.is_finite()));
    assert!(entries
        .windows(2)
        .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
}

/// The Matrix Market and CSV-triples oracle: an error, or distinct finite entries in the shape.
fn matrix_market(bytes: &[u8]) {
    if let Ok(obs) = parse_matrix_market(bytes, "p.mtx".as_ref()) {
        observed(&obs);
    }
    if let Ok(obs) = parse_csv_triples(bytes, "p.csv".as_ref(), None) {
        observed(&obs);
    }
}

/// The model-file oracle: an error, or a model that passes its own validation.
fn model_json(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(m) = GlmModel::from_json_str(text, "p.json".as_ref()) {
        m.validate().unwrap();
        assert_eq!(m.layout().dim(), m.weights.len());
    }
    if let Ok(m) = MlpModel::from_json_str(text, "p.json".as_ref()) {
        m.validate().unwrap();
    }
}

const LIBSVM: &[u8] = b"+1 1:0.5 3:-2\n-1 2:1e-3 qid:4 # note\n\n# comment\n1\n0 7:1.25e2\n";
const CSV: &[u8] = b"a,b,y\n1,2,3\n4.5,-6,0\n\"7\", 8 ,1\n";
const MTX: &[u8] =
    b"%%MatrixMarket matrix coordinate real general\n% c\n3 4 3\n1 1 1.5\n2 3 -2\n3 4 1e3\n";
const MTX_SYM: &[u8] = b"%%MatrixMarket matrix coordinate integer symmetric\n3 3 2\n2 1 4\n3 3 5\n";
const TRIPLES: &[u8] = b"row,col,value\n0,0,1.5\n2,1,-3\n1,3,2\n";

fn npy_file(shape: &[usize], values: &[f64]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.npy");
    write_npy(&path, shape, values).unwrap();
    std::fs::read(path).unwrap()
}

fn glm_file() -> Vec<u8> {
    let m = GlmModel {
        loss: Loss::Logistic,
        ridge: Ridge::C(1.0),
        penalty: None,
        intercept: true,
        n_features: 2,
        classes: vec![-1.0, 1.0],
        weights: vec![0.5, -0.25, 0.125],
    };
    serde_json::to_vec_pretty(&m).unwrap()
}

fn mlp_file() -> Vec<u8> {
    let m = MlpModel {
        format_version: MLP_FORMAT_VERSION,
        sizes: vec![2, 3, 2],
        activation: Activation::Tanh,
        loss: MlpLoss::CrossEntropy,
        l2: 0.0,
        theta: (0..17).map(|k| k as f64 / 10.0).collect(),
    };
    serde_json::to_vec_pretty(&m).unwrap()
}

/// The unedited files are accepted, so that the edits below start from valid input.
#[test]
fn seeds_are_valid() {
    let d = parse_libsvm(LIBSVM, "p.svm".as_ref(), &LibsvmOptions::default()).unwrap();
    assert_eq!((d.n_samples(), d.n_features()), (4, 7));
    let d = parse_csv(CSV, "p.csv".as_ref(), &CsvOptions::default()).unwrap();
    assert_eq!((d.n_samples(), d.n_features()), (3, 2));
    assert_eq!(parse_matrix_market(MTX, "p.mtx".as_ref()).unwrap().len(), 3);
    assert_eq!(
        parse_matrix_market(MTX_SYM, "p.mtx".as_ref())
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        parse_csv_triples(TRIPLES, "p.csv".as_ref(), None)
            .unwrap()
            .len(),
        3
    );
    let f = npy_file(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(parse_npy(&f, "p.npy".as_ref()).unwrap().0, vec![2, 3]);
    let glm = std::str::from_utf8(&glm_file()).unwrap().to_owned();
    assert_eq!(
        GlmModel::from_json_str(&glm, "p.json".as_ref())
            .unwrap()
            .n_features,
        2
    );
    let mlp = std::str::from_utf8(&mlp_file()).unwrap().to_owned();
    assert_eq!(
        MlpModel::from_json_str(&mlp, "p.json".as_ref())
            .unwrap()
            .dim(),
        17
    );
}

/// The minimized inputs that once crashed a fuzz target, replayed through the same oracle.
#[test]
fn fuzz_regressions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    type Oracle = fn(&[u8]);
    let readers: [(&str, Oracle); 5] = [
        ("libsvm", libsvm),
        ("csv", csv),
        ("npy", npy),
        ("matrix_market", matrix_market),
        ("model_json", model_json),
    ];
    for (target, check) in readers {
        let Ok(dir) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = dir.map(|e| e.unwrap().path()).collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).unwrap();
            // The fuzz targets read an options byte first; the whole input is tried as well.
            check(&bytes);
            check(bytes.get(1..).unwrap_or_default());
        }
    }
}

/// One edit of a file: overwrite, insert or delete a byte, or cut the file there.
#[derive(Clone, Debug)]
enum Edit {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes the formats give meaning to, and any byte.
    let byte = prop_oneof![
        prop::sample::select(b"0123456789 \n\r\t,;:.-+eE#%\"'(){}[]xLnN".to_vec()),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

fn apply(file: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut f = file.to_vec();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *e {
            Edit::Set(i, b) if !f.is_empty() => {
                let i = at(i, f.len());
                f[i] = b;
            }
            Edit::Insert(i, b) => f.insert(at(i, f.len() + 1), b),
            Edit::Delete(i) if !f.is_empty() => {
                f.remove(at(i, f.len()));
            }
            Edit::Truncate(i) => f.truncate(at(i, f.len() + 1)),
            _ => {}
        }
    }
    f
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 1..6)
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..400)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn libsvm_never_panics(random in bytes(), e in edits()) {
        libsvm(&random);
        libsvm(&apply(LIBSVM, &e));
    }

    #[test]
    fn csv_never_panics(random in bytes(), e in edits()) {
        csv(&random);
        csv(&apply(CSV, &e));
    }

    #[test]
    fn npy_never_panics(
        random in bytes(),
        e in edits(),
        shape in prop::collection::vec(0usize..4, 0..4),
    ) {
        npy(&random);
        let count = shape.iter().product::<usize>();
        let values: Vec<f64> = (0..count).map(|k| k as f64 - 1.5).collect();
        let file = npy_file(&shape, &values);
        // Unedited, the file gives back what was written.
        prop_assert_eq!(parse_npy(&file, "p.npy".as_ref()).unwrap(), (shape, values));
        npy(&apply(&file, &e));
    }

    #[test]
    fn matrix_market_never_panics(random in bytes(), e in edits()) {
        matrix_market(&random);
        matrix_market(&apply(MTX, &e));
        matrix_market(&apply(MTX_SYM, &e));
        matrix_market(&apply(TRIPLES, &e));
    }

    #[test]
    fn model_json_never_panics(random in bytes(), e in edits()) {
        model_json(&random);
        model_json(&apply(&glm_file(), &e));
        model_json(&apply(&mlp_file(), &e));
    }
}

/// A shape far larger than its entries (one index of 7·10⁸) is refused before its row and column
/// pointers are allocated, in both formats; a small shape with few entries is still read.
#[test]
fn shape_the_entries_cannot_pay_for_is_refused() {
    let triples = b"0,0,11.5\n777777772,1,-3\n";
    let err = parse_csv_triples(triples, "t.csv".as_ref(), None).unwrap_err();
    assert!(err.to_string().contains("m + n − 1"), "{err}");
    let mtx = b"%%MatrixMarket matrix coordinate real general\n4000000000 3 1\n1 1 2\n";
    let err = parse_matrix_market(mtx, "t.mtx".as_ref()).unwrap_err();
    assert!(err.to_string().contains("m + n − 1"), "{err}");
    let small = b"%%MatrixMarket matrix coordinate real general\n1000 1000 1\n1 1 2\n";
    assert_eq!(
        parse_matrix_market(small, "t.mtx".as_ref())
            .unwrap()
            .nrows(),
        1000
    );
}
