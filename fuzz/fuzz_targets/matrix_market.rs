//! Matrix Market and CSV-triples readers: any bytes give observed entries or an error, never a
//! panic; the entries are finite, inside the shape and distinct.
#![no_main]

use libfuzzer_sys::fuzz_target;
use optml::nonconvex::completion::Observed;
use optml::nonconvex::triples::{parse_csv_triples, parse_matrix_market};

fn check(obs: &Observed) {
    assert!(!obs.is_empty());
    let entries: Vec<_> = obs.iter().collect();
    assert_eq!(entries.len(), obs.len());
    assert!(entries
        .iter()
        .all(|&(i, j, v)| i < obs.nrows() && j < obs.ncols() && v.is_finite()));
    assert!(entries
        .windows(2)
        .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
}

fuzz_target!(|bytes: &[u8]| {
    // The first byte picks the reader (and a shape for CSV triples), the rest is the file.
    let Some((&b, text)) = bytes.split_first() else {
        return;
    };
    let parsed = if b & 1 == 0 {
        parse_matrix_market(text, "fuzz.mtx".as_ref())
    } else {
        let shape = (b & 2 != 0).then_some((((b >> 2) & 7) as usize + 1, (b >> 5) as usize + 1));
        parse_csv_triples(text, "fuzz.csv".as_ref(), shape)
    };
    if let Ok(obs) = parsed {
        check(&obs);
    }
});
