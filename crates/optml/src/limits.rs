//! The cap on what a size taken from user input (a flag, a file's largest feature index, a
//! network's layer widths) may allocate, checked before the allocation: an allocation the machine
//! cannot back would abort the process (or be killed when its pages are touched) instead of
//! returning an error.

use crate::error::{Error, Result};

/// The most f64 values that one array sized by user input may hold: 2³⁰ values, 8 GiB. Models,
/// planted instances and workspaces above it are refused with [`Error::InvalidInput`].
pub const MAX_VALUES: usize = 1 << 30;

/// The number of f64 values in an array of shape `dims` (their product), or an error naming
/// `what` and the memory it would need when the product overflows or exceeds [`MAX_VALUES`].
///
/// ```
/// use optml::limits::{check_values, MAX_VALUES};
///
/// assert_eq!(check_values("weights", &[1000, 3]).unwrap(), 3000);
/// let err = check_values("weights", &[3_000_000_000, 1]).unwrap_err().to_string();
/// assert!(err.contains("weights") && err.contains("22.4 GiB"), "{err}");
/// assert!(check_values("a workspace", &[usize::MAX, 2]).is_err());
/// # let _ = MAX_VALUES;
/// ```
pub fn check_values(what: &str, dims: &[usize]) -> Result<usize> {
    check_total(what, dims.iter().map(|&d| d as f64).product())
}

/// [`check_values`] for a count given as a real number (e.g. a sum of products that may not
/// fit in `usize`): the count as `usize`, or the same error.
pub fn check_total(what: &str, values: f64) -> Result<usize> {
    if values <= MAX_VALUES as f64 {
        return Ok(values as usize);
    }
    let gib = values * 8.0 / (1u64 << 30) as f64;
    Err(Error::invalid(format!(
        "{what} would need {values:.3e} values ({gib:.1} GiB), over the cap of 2^30 values \
         (8 GiB) per array"
    )))
}
