//! CSV reader: any bytes give a data set or an error, never a panic; a data set has one finite
//! label per row and a finite feature matrix of the right size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use optml::data::{parse_csv, CsvOptions, LabelColumn};
use optml::linalg::Design;

fuzz_target!(|bytes: &[u8]| {
    // The first byte picks the options (label column, header, delimiter), the rest is the file.
    let Some((&b, text)) = bytes.split_first() else {
        return;
    };
    let opts = CsvOptions {
        label: match b & 3 {
            0 => LabelColumn::Last,
            1 => LabelColumn::First,
            2 => LabelColumn::Index((b >> 4) as usize),
            _ => LabelColumn::Name("y".into()),
        },
        header: [None, Some(true), Some(false), None][((b >> 2) & 3) as usize],
        delimiter: [None, Some(b','), Some(b';'), Some(b'\t')][((b >> 4) & 3) as usize],
    };
    if let Ok(data) = parse_csv(text, "fuzz.csv".as_ref(), &opts) {
        assert!(data.n_samples() > 0);
        assert_eq!(data.y.len(), data.n_samples());
        assert!(data.y.iter().all(|v| v.is_finite()));
        let Design::Dense(x) = &data.x else {
            panic!("CSV gives dense features");
        };
        assert!(x.data().iter().all(|v| v.is_finite()));
        assert_eq!(x.data().len(), data.n_samples() * data.n_features());
    }
});
