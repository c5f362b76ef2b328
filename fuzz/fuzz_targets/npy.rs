//! `.npy` reader: any bytes give an array or an error, never a panic; an array holds as many
//! finite values as its shape calls for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use optml::data::parse_npy;

fuzz_target!(|bytes: &[u8]| {
    if let Ok((shape, values)) = parse_npy(bytes, "fuzz.npy".as_ref()) {
        assert_eq!(shape.iter().product::<usize>(), values.len());
        assert!(values.iter().all(|v| v.is_finite()));
    }
});
