//! LIBSVM reader: any bytes give a data set or an error, never a panic; a data set has one
//! finite label per row, finite features and consistent sizes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use optml::data::{parse_libsvm, LibsvmOptions};
use optml::linalg::Design;

fuzz_target!(|bytes: &[u8]| {
    // The first byte picks the options (a declared feature count or none), the rest is the file.
    let Some((&b, text)) = bytes.split_first() else {
        return;
    };
    let opts = LibsvmOptions {
        n_features: (b & 1 == 1).then_some((b >> 1) as usize),
    };
    if let Ok(data) = parse_libsvm(text, "fuzz.svm".as_ref(), &opts) {
        assert!(data.n_samples() > 0);
        assert_eq!(data.y.len(), data.n_samples());
        assert!(data.y.iter().all(|v| v.is_finite()));
        let Design::Sparse(x) = &data.x else {
            panic!("LIBSVM gives sparse features");
        };
        assert_eq!(x.indptr().len(), data.n_samples() + 1);
        assert_eq!(x.indices().len(), x.values().len());
        assert!(x.values().iter().all(|v| v.is_finite() && *v != 0.0));
        for i in 0..x.nrows() {
            let (cols, _) = x.row(i);
            assert!(cols.windows(2).all(|w| w[0] < w[1]));
            assert!(cols.iter().all(|&j| (j as usize) < x.ncols()));
        }
        if let Some(d) = opts.n_features {
            assert!(data.n_features() >= d);
        }
    }
});
