//! Shared helpers of the readers and writers: fast exact float parsing, token display for error
//! messages, and atomic file writes.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Powers of ten that are exact in f64 (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Fast path for a plain decimal `[-+]digits[.digits]` at the start of `s`: returns the value and
/// the bytes consumed, or `None` when the number needs the general parser (an exponent, more than
/// 15 significant digits, more than 22 decimals, no digits). The result is correctly rounded: the
/// mantissa (< 10^15) and the power of ten (≤ 10^22) are both exact, and one IEEE division
/// rounds correctly (Clinger, 1990).
#[inline]
pub(crate) fn fast_f64_prefix(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    let neg = match s.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut mant: u64 = 0;
    let mut sig = 0u32;
    let digits_start = i;
    while let Some(&c) = s.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if mant != 0 || d != 0 {
            sig += 1;
            if sig > 15 {
                return None;
            }
        }
        mant = mant * 10 + d as u64;
        i += 1;
    }
    let mut n_digits = i - digits_start;
    let mut frac = 0usize;
    if s.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while let Some(&c) = s.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            if mant != 0 || d != 0 {
                sig += 1;
                if sig > 15 {
                    return None;
                }
            }
            mant = mant * 10 + d as u64;
            i += 1;
        }
        frac = i - frac_start;
        n_digits += frac;
    }
    if n_digits == 0 || frac > 22 {
        return None;
    }
    let mut v = mant as f64;
    if frac > 0 {
        v /= POW10[frac];
    }
    Some((if neg { -v } else { v }, i))
}

/// Why a number token was rejected.
#[derive(Debug, PartialEq)]
pub(crate) enum NumError {
    /// Not a number at all.
    Invalid,
    /// NaN or ±∞ (spelled out, or overflowing like `1e999`).
    NonFinite,
}

/// Parses a whole token as a finite f64: the fast path, else Rust's correctly rounded parser.
#[inline]
pub(crate) fn parse_finite_f64(tok: &[u8]) -> std::result::Result<f64, NumError> {
    if let Some((v, used)) = fast_f64_prefix(tok) {
        if used == tok.len() {
            return Ok(v);
        }
    }
    parse_slow(tok)
}

#[cold]
fn parse_slow(tok: &[u8]) -> std::result::Result<f64, NumError> {
    let v: f64 = std::str::from_utf8(tok)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or(NumError::Invalid)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(NumError::NonFinite)
    }
}

/// A token quoted for an error message, cut to a readable length.
pub(crate) fn show(tok: &[u8]) -> String {
    const MAX: usize = 40;
    let s = String::from_utf8_lossy(&tok[..tok.len().min(MAX)]);
    if tok.len() > MAX {
        format!("'{s}...'")
    } else {
        format!("'{s}'")
    }
}

/// Writes `path` atomically: into a temporary file beside it, then renamed over it, so a reader
/// never sees a half-written file and a failed write leaves the old file in place.
pub(crate) fn write_atomic(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{}: not a file name", path.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let file = File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        body(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn std_parse(s: &str) -> f64 {
        s.parse().unwrap()
    }

    #[test]
    fn fast_path_matches_std() {
        for s in [
            "0",
            "-0",
            "+1.5",
            "0.0123456",
            "123456789012345",
            "0.000000000000000000001",
            "1.",
            ".5",
            "-.25",
            "999999999999999",
            "0.1",
            "0.3",
            "3.141592653589793",
            "17.99",
            "0.006399",
            "00000000000000000000001.5",
        ] {
            let v = parse_finite_f64(s.as_bytes()).unwrap();
            assert_eq!(v.to_bits(), std_parse(s).to_bits(), "{s}");
        }
    }

    #[test]
    fn slow_path_and_rejections() {
        for s in [
            "1e-5",
            "1.7976931348623157e308",
            "12345678901234567890",
            "2.5E3",
        ] {
            assert_eq!(parse_finite_f64(s.as_bytes()).unwrap(), std_parse(s), "{s}");
        }
        for s in ["nan", "NaN", "inf", "-inf", "infinity", "1e999"] {
            assert_eq!(
                parse_finite_f64(s.as_bytes()),
                Err(NumError::NonFinite),
                "{s}"
            );
        }
        for s in ["", "-", ".", "1.2.3", "abc", "1,5", "--1", "0x10", "1e"] {
            assert_eq!(
                parse_finite_f64(s.as_bytes()),
                Err(NumError::Invalid),
                "{s}"
            );
        }
    }

    #[test]
    fn fast_path_random_decimals_round_correctly() {
        // A small LCG keeps this test free of dependencies.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let int = (state >> 40) % 100_000;
            let frac_digits = ((state >> 20) % 10) as usize;
            let frac = (state >> 8) % 10u64.pow(frac_digits as u32).max(1);
            let s = format!("{int}.{frac:0frac_digits$}");
            let v = parse_finite_f64(s.as_bytes()).unwrap();
            assert_eq!(v.to_bits(), std_parse(&s).to_bits(), "{s}");
        }
    }
}
