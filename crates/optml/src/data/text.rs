//! Shared helpers of the readers: fast exact number parsing and token display for error messages.

/// Powers of ten that are exact in f64 (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Fast path for a plain decimal `[-+]digits[.digits]` at the start of `s`: returns the value and
/// the bytes consumed, or `None` when the number needs the general parser (an exponent, a mantissa
/// above 2^53, more than 22 decimals, no digits). The result is correctly rounded: the mantissa
/// (≤ 2^53) and the power of ten (≤ 10^22) are both exact in f64, and one IEEE division rounds
/// correctly (Clinger, 1990).
#[inline(always)]
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
    let (mut mant, mut n_digits) = scan_digits(s, i, 0);
    i += n_digits;
    let mut frac = 0usize;
    if s.get(i) == Some(&b'.') {
        i += 1;
        (mant, frac) = scan_digits(s, i, mant);
        i += frac;
        n_digits += frac;
    }
    if n_digits == 0 || n_digits > 19 || frac > 22 || mant > 1 << 53 {
        return None;
    }
    let mut v = mant as f64;
    if frac > 0 {
        v /= POW10[frac];
    }
    Some((if neg { -v } else { v }, i))
}

const POW10_U64: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// Reads the run of ASCII digits at `s[i..]`, appending them to `acc` (`acc·10^k + digits`, with
/// wrapping arithmetic: exact while the total stays below 20 digits). Returns the new
/// accumulator and the number of digits. Eight bytes at a time where the input allows (SWAR).
#[inline(always)]
pub(crate) fn scan_digits(s: &[u8], i: usize, mut acc: u64) -> (u64, usize) {
    let mut j = i;
    while let Some(chunk) = s.get(j..j + 8) {
        let v = u64::from_le_bytes(chunk.try_into().unwrap());
        // A byte is not a digit iff b − 0x30 or b + 0x46 sets its high bit. Carries and
        // borrows only leave a non-digit byte, so the lowest flagged byte is exact.
        let non_digit = (v.wrapping_sub(0x3030_3030_3030_3030)
            | v.wrapping_add(0x4646_4646_4646_4646))
            & 0x8080_8080_8080_8080;
        let n = (non_digit.trailing_zeros() / 8) as usize;
        if n == 0 {
            return (acc, j - i);
        }
        // The n digits, moved to the top bytes so that the rest read as leading zeros.
        let d = v.wrapping_sub(0x3030_3030_3030_3030) << (8 * (8 - n));
        acc = acc.wrapping_mul(POW10_U64[n]).wrapping_add(eight_digits(d));
        j += n;
        if n < 8 {
            return (acc, j - i);
        }
    }
    while let Some(&c) = s.get(j) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        acc = acc.wrapping_mul(10).wrapping_add(d as u64);
        j += 1;
    }
    (acc, j - i)
}

/// The value of eight digit bytes (0..=9 each, the first in the lowest byte) (Lemire, 2020).
#[inline]
fn eight_digits(v: u64) -> u64 {
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 0x000F_4240_0000_0064;
    const MUL2: u64 = 0x0000_2710_0000_0001;
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    ((v & MASK)
        .wrapping_mul(MUL1)
        .wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2)))
        >> 32
}

/// `bytes` without a leading UTF-8 byte-order mark (EF BB BF), which some editors write at the
/// start of a text file and which no error message would show.
#[inline]
pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
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
            "9007199254740992",
            "9007199254740993",
            "0.9007199254740993",
            "1234567890123456789",
            "12345678901234567890123",
        ] {
            let v = parse_finite_f64(s.as_bytes()).unwrap();
            assert_eq!(v.to_bits(), std_parse(s).to_bits(), "{s}");
        }
    }

    #[test]
    fn scan_digits_counts_and_values() {
        for s in [
            "",
            "x",
            "0",
            "7 ",
            "12345678",
            "123456789",
            "1234567812345678",
            "0000000000000000001",
            "98765432:",
            "4294967295\n",
            "9/",
            "1:2",
            "12345678901234567890123",
        ] {
            let b = s.as_bytes();
            let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
            let want = b[..n].iter().fold(0u64, |a, &c| {
                a.wrapping_mul(10).wrapping_add((c - b'0') as u64)
            });
            assert_eq!(scan_digits(b, 0, 0), (want, n), "{s:?}");
            // Also with the run at an offset, followed and preceded by other bytes.
            let padded = format!("ab{s}~~~~~~~~~~");
            assert_eq!(scan_digits(padded.as_bytes(), 2, 0), (want, n), "{s:?}");
        }
        for b in 0..=255u8 {
            let s = [b'1', b, b'2', b'3', b'4', b'5', b'6', b'7', b'8'];
            let n = if b.is_ascii_digit() { 9 } else { 1 };
            assert_eq!(scan_digits(&s, 0, 0).1, n, "byte {b}");
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
