//! Value parsers for flags: a number of seconds, a thread count, sizes such as `30x40x50`.

/// A positive, finite number of seconds.
pub fn parse_seconds(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .ok_or_else(|| format!("'{text}' is not a positive number of seconds"))
}

/// A thread count of at least 1.
pub fn parse_threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(t) => Ok(t),
        Err(_) => Err(format!("'{text}' is not a whole number")),
    }
}

/// Parses sizes written as `30x40x50` (or with commas), each at least 1 and with a product
/// that fits in memory terms (≤ 2³¹ elements).
pub fn parse_dims<const N: usize>(text: &str) -> Result<[usize; N], String> {
    let parts: Vec<&str> = text.split(['x', 'X', ',']).collect();
    if parts.len() != N {
        return Err(format!("expected {N} sizes like 30x40x50, got '{text}'"));
    }
    let mut dims = [0usize; N];
    for (d, p) in dims.iter_mut().zip(&parts) {
        *d = p
            .trim()
            .parse()
            .ok()
            .filter(|&v| v >= 1)
            .ok_or_else(|| format!("'{p}' in '{text}' is not a positive size"))?;
    }
    dims.iter()
        .try_fold(1usize, |a, &b| a.checked_mul(b))
        .filter(|&n| n <= 1 << 31)
        .ok_or_else(|| format!("sizes '{text}' are too large"))?;
    Ok(dims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_threads_and_sizes_refuse_what_is_out_of_range() {
        assert_eq!(parse_seconds("0.5"), Ok(0.5));
        for bad in ["0", "-1", "nan", "inf", "soon"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_threads("3"), Ok(3));
        for bad in ["0", "-2", "many"] {
            assert!(parse_threads(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_dims::<3>("2x3,4"), Ok([2, 3, 4]));
        assert!(parse_dims::<2>("2x3x4").is_err());
        assert!(parse_dims::<2>("0x3").is_err());
        assert!(parse_dims::<2>("65536x65537").is_err());
    }
}
