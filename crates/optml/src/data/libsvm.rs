//! LIBSVM / SVMlight text: a streaming parser (blocks parsed in parallel on the rayon pool, memory
//! near the size of the final CSR arrays) and an atomic writer.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use rayon::prelude::*;

use super::text::{fast_f64_prefix, parse_finite_f64, scan_digits, show, strip_bom, NumError};
use super::Dataset;
use crate::atomic::write_atomic;
use crate::error::{Error, Result};
use crate::linalg::{CsrMatrix, Design};

/// Options of [`read_libsvm`] and [`parse_libsvm`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LibsvmOptions {
    /// The number of features. The matrix gets `max(n_features, largest index)` columns, and an
    /// index above `n_features` is an error. `None`: the largest index seen.
    pub n_features: Option<usize>,
}

/// The largest feature index a file may use: column indices are stored as `u32`.
const MAX_INDEX: u64 = u32::MAX as u64;

/// Bytes read per block; each block is split into one piece per thread.
const BLOCK: usize = 16 << 20;

/// Blocks smaller than this are parsed on the calling thread.
const MIN_PARALLEL: usize = 1 << 20;

/// Reads a LIBSVM/SVMlight file, `label index:value index:value ... [# comment]`, into a sparse
/// [`Dataset`].
///
/// Accepted: 1-based, strictly increasing feature indices up to 2³²−1; any finite label (±1, 0/1,
/// class ids, real targets); an SVMlight `qid:N` token (ignored); lines with a label and no
/// features; blank lines, `#` comment lines and trailing `# comments`; a UTF-8 byte-order mark;
/// `\n` or `\r\n` line ends.
/// Explicit zero values are dropped. Rejected with [`Error::Parse`] naming file and line: a
/// malformed token, a missing colon, index 0, a non-increasing index, an index above 2³²−1 (or
/// above [`LibsvmOptions::n_features`]), NaN or ±∞ anywhere, and a file with no samples.
///
/// The file is read in 16 MiB blocks whose pieces are parsed in parallel, so memory stays near
/// the size of the CSR arrays returned.
pub fn read_libsvm(path: &Path, opts: &LibsvmOptions) -> Result<Dataset> {
    read_blocks(path, opts, BLOCK)
}

/// [`read_libsvm`] reading `block` bytes at a time.
fn read_blocks(path: &Path, opts: &LibsvmOptions, block: usize) -> Result<Dataset> {
    let io = |e| Error::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    let size_hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut buf = vec![0u8; (size_hint as usize).saturating_add(1).clamp(1, block)];
    let mut builder = Builder::new(path, opts)?;
    let mut filled = 0;
    loop {
        let mut eof = false;
        while filled < buf.len() {
            match file.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io(e)),
            }
        }
        if eof {
            builder.block(&buf[..filled])?;
            break;
        }
        match buf[..filled].iter().rposition(|&b| b == b'\n') {
            Some(p) => {
                builder.block(&buf[..=p])?;
                buf.copy_within(p + 1..filled, 0);
                filled -= p + 1;
            }
            // A line longer than the buffer: grow it (by what the file holds, not by a number).
            None => buf.resize(buf.len() * 2, 0),
        }
    }
    builder.finish()
}

/// Parses LIBSVM/SVMlight text held in memory, with the syntax of [`read_libsvm`]; `name` is used
/// in error messages and as the data set's source.
///
/// ```
/// use optml::data::{parse_libsvm, LibsvmOptions};
///
/// let text = b"+1 1:0.5 3:2 # a comment\n-1 2:1\n";
/// let data = parse_libsvm(text, "toy.svm".as_ref(), &LibsvmOptions::default())?;
/// assert_eq!((data.n_samples(), data.n_features()), (2, 3));
/// assert_eq!(data.y, [1.0, -1.0]);
///
/// // A malformed token is an error that names the file and the line.
/// let err = parse_libsvm(b"1 1:0.5\n1 2:x\n", "bad.svm".as_ref(), &LibsvmOptions::default())
///     .unwrap_err();
/// assert!(err.to_string().contains("bad.svm") && err.to_string().contains('2'));
/// # Ok::<(), optml::Error>(())
/// ```
pub fn parse_libsvm(bytes: &[u8], name: &Path, opts: &LibsvmOptions) -> Result<Dataset> {
    let mut builder = Builder::new(name, opts)?;
    let mut rest = bytes;
    while rest.len() > BLOCK {
        let cut = match rest[BLOCK..].iter().position(|&b| b == b'\n') {
            Some(p) => BLOCK + p + 1,
            None => rest.len(),
        };
        builder.block(&rest[..cut])?;
        rest = &rest[cut..];
    }
    builder.block(rest)?;
    builder.finish()
}

/// Parses one part of a LIBSVM file, for readers that split a file into row ranges (one per
/// process): `bytes` begins at the start of a line and `lines_before` lines of the file come
/// before it, so errors name the file's own line numbers. The syntax is [`read_libsvm`]'s (a
/// byte-order mark only at the start of the file); a part with no samples gives a data set with
/// no rows, and its column count is its largest index (or `n_features`).
///
/// ```
/// use optml::data::{parse_libsvm_part, LibsvmOptions};
///
/// let opts = LibsvmOptions::default();
/// let part = parse_libsvm_part(b"-1 2:1\n1 4:3\n", "f.svm".as_ref(), &opts, 10)?;
/// assert_eq!((part.n_samples(), part.n_features()), (2, 4));
/// let err = parse_libsvm_part(b"1 1:2\n1 1:x\n", "f.svm".as_ref(), &opts, 10).unwrap_err();
/// assert!(err.to_string().starts_with("f.svm:12:"), "{err}");
/// # Ok::<(), optml::Error>(())
/// ```
pub fn parse_libsvm_part(
    bytes: &[u8],
    name: &Path,
    opts: &LibsvmOptions,
    lines_before: usize,
) -> Result<Dataset> {
    let mut builder = Builder::new(name, opts)?;
    builder.lines_done = lines_before;
    builder.started = lines_before > 0;
    let mut rest = bytes;
    while rest.len() > BLOCK {
        let cut = match rest[BLOCK..].iter().position(|&b| b == b'\n') {
            Some(p) => BLOCK + p + 1,
            None => rest.len(),
        };
        builder.block(&rest[..cut])?;
        rest = &rest[cut..];
    }
    builder.block(rest)?;
    builder.finish_part()
}

/// Writes a data set in LIBSVM format (labels and values in shortest round-trip form, zeros
/// omitted), atomically: a temporary file beside `path` is renamed over it.
pub fn write_libsvm(path: &Path, data: &Dataset) -> Result<()> {
    if data.y.len() != data.n_samples() {
        return Err(Error::invalid(format!(
            "{} labels for {} samples",
            data.y.len(),
            data.n_samples()
        )));
    }
    if data.n_features() as u64 > MAX_INDEX {
        return Err(Error::invalid("LIBSVM files hold at most 2^32-1 features"));
    }
    if let Some(i) = data.y.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(format!("label of sample {i} is not finite")));
    }
    let values = match &data.x {
        Design::Dense(m) => m.data(),
        Design::Sparse(m) => m.values(),
    };
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("features hold a non-finite value"));
    }
    write_atomic(path, |w| {
        for (i, &label) in data.y.iter().enumerate() {
            write_num(w, label)?;
            match &data.x {
                Design::Dense(m) => {
                    for (j, &v) in m.row(i).iter().enumerate() {
                        if v != 0.0 {
                            write!(w, " {}:", j + 1)?;
                            write_num(w, v)?;
                        }
                    }
                }
                Design::Sparse(m) => {
                    let (idx, vals) = m.row(i);
                    for (&j, &v) in idx.iter().zip(vals) {
                        if v != 0.0 {
                            write!(w, " {}:", j as u64 + 1)?;
                            write_num(w, v)?;
                        }
                    }
                }
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    })
}

/// Shortest round-trip form; exponent notation for very small or large magnitudes, which plain
/// decimal notation would spell out with hundreds of digits.
fn write_num(w: &mut impl Write, v: f64) -> std::io::Result<()> {
    let a = v.abs();
    if a != 0.0 && !(1e-5..1e16).contains(&a) {
        write!(w, "{v:e}")
    } else {
        write!(w, "{v}")
    }
}

/// Accumulates the CSR arrays block by block.
struct Builder {
    /// The rows so far; the first piece of each block is parsed straight into them.
    rows: Rows,
    /// The other pieces of a block, appended to `rows` after it is parsed.
    locals: Vec<Rows>,
    /// Lines before the current block.
    lines_done: usize,
    /// The largest index allowed.
    limit: u64,
    n_features: Option<usize>,
    name: std::path::PathBuf,
    /// Whether a block was parsed (a byte-order mark may only start the first).
    started: bool,
}

impl Builder {
    fn new(name: &Path, opts: &LibsvmOptions) -> Result<Self> {
        let limit = match opts.n_features {
            Some(n) if n as u64 > MAX_INDEX => {
                return Err(Error::invalid(format!(
                    "{}: n_features = {n} exceeds the 2^32-1 features a LIBSVM file can hold",
                    name.display()
                )))
            }
            Some(n) => n as u64,
            None => MAX_INDEX,
        };
        Ok(Builder {
            rows: Rows::default(),
            locals: Vec::new(),
            lines_done: 0,
            limit,
            n_features: opts.n_features,
            name: name.to_path_buf(),
            started: false,
        })
    }

    /// Parses one block that ends at a line end (or at the end of the input).
    fn block(&mut self, bytes: &[u8]) -> Result<()> {
        let bytes = if self.started {
            bytes
        } else {
            self.started = true;
            strip_bom(bytes)
        };
        let n_pieces = if bytes.len() < MIN_PARALLEL {
            1
        } else {
            rayon::current_num_threads().max(1)
        };
        // Cut points just after a newline near each k/n of the block.
        let mut slices = Vec::with_capacity(n_pieces);
        let mut start = 0;
        for k in 1..=n_pieces {
            let end = if k == n_pieces {
                bytes.len()
            } else {
                let target = (bytes.len() * k / n_pieces).max(start);
                match bytes[target..].iter().position(|&b| b == b'\n') {
                    Some(p) => target + p + 1,
                    None => bytes.len(),
                }
            };
            slices.push(&bytes[start..end]);
            start = end;
        }
        let limit = self.limit;
        let results: Vec<_> = if n_pieces == 1 {
            vec![parse_rows(&mut self.rows, bytes, limit)]
        } else {
            if self.locals.len() < n_pieces - 1 {
                self.locals.resize_with(n_pieces - 1, Rows::default);
            }
            self.locals.iter_mut().for_each(Rows::clear);
            let mut targets: Vec<&mut Rows> = std::iter::once(&mut self.rows)
                .chain(self.locals.iter_mut())
                .take(n_pieces)
                .collect();
            targets
                .par_iter_mut()
                .zip(slices.par_iter())
                .map(|(r, s)| parse_rows(r, s, limit))
                .collect()
        };
        for (k, res) in results.into_iter().enumerate() {
            match res {
                Err((line, msg)) => {
                    return Err(Error::parse(&self.name, self.lines_done + line, msg));
                }
                Ok(newlines) => {
                    if k > 0 {
                        self.rows.append(&self.locals[k - 1]);
                    }
                    self.lines_done += newlines;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Dataset> {
        if self.rows.y.is_empty() {
            return Err(Error::parse(self.name, 0, "no samples (the file is empty)"));
        }
        self.finish_part()
    }

    /// The data set parsed so far, with no rows if none was read.
    fn finish_part(self) -> Result<Dataset> {
        let Rows {
            row_ends,
            mut indices,
            mut values,
            mut y,
            max_index,
        } = self.rows;
        let mut indptr = Vec::with_capacity(row_ends.len() + 1);
        indptr.push(0);
        indptr.extend_from_slice(&row_ends);
        drop(row_ends);
        indices.shrink_to_fit();
        values.shrink_to_fit();
        y.shrink_to_fit();
        let ncols = (max_index as usize).max(self.n_features.unwrap_or(0));
        let x = CsrMatrix::from_parts_unchecked(y.len(), ncols, indptr, indices, values);
        Ok(Dataset {
            x: Design::Sparse(x),
            y,
            source: Some(self.name),
        })
    }
}

/// Parsed rows: `row_ends[r]` is where row r ends in `indices`/`values`.
#[derive(Default)]
struct Rows {
    row_ends: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f64>,
    y: Vec<f64>,
    max_index: u32,
}

impl Rows {
    fn clear(&mut self) {
        self.row_ends.clear();
        self.indices.clear();
        self.values.clear();
        self.y.clear();
        self.max_index = 0;
    }

    fn append(&mut self, other: &Rows) {
        let base = self.indices.len();
        self.indices.extend_from_slice(&other.indices);
        self.values.extend_from_slice(&other.values);
        self.row_ends
            .extend(other.row_ends.iter().map(|&e| base + e));
        self.y.extend_from_slice(&other.y);
        self.max_index = self.max_index.max(other.max_index);
    }
}

#[inline]
fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r'
}

/// Does `b` end a number token?
#[inline]
fn ends_token(b: Option<&u8>) -> bool {
    match b {
        None => true,
        Some(&c) => is_space(c) || c == b'\n' || c == b'#',
    }
}

/// The end of the token starting at `i`.
#[inline]
fn token_end(s: &[u8], mut i: usize) -> usize {
    while !ends_token(s.get(i)) {
        i += 1;
    }
    i
}

/// Parses the number token at `s[i..]`; returns it and the position after it.
#[inline]
fn number(s: &[u8], i: usize, what: &str) -> std::result::Result<(f64, usize), String> {
    if let Some((v, used)) = fast_f64_prefix(&s[i..]) {
        if ends_token(s.get(i + used)) {
            return Ok((v, i + used));
        }
    }
    let end = token_end(s, i);
    match parse_finite_f64(&s[i..end]) {
        Ok(v) => Ok((v, end)),
        Err(NumError::NonFinite) => Err(format!("{what} {} is not finite", show(&s[i..end]))),
        Err(NumError::Invalid) if what == "label" && s[i..end].contains(&b':') => Err(format!(
            "label {} is not a number (a line must start with its label)",
            show(&s[i..end])
        )),
        Err(NumError::Invalid) => Err(format!("{what} {} is not a number", show(&s[i..end]))),
    }
}

/// Parses every line of `s` into `out`; returns the number of newlines, or the first error's
/// 1-based line within `s` and its message.
fn parse_rows(out: &mut Rows, s: &[u8], limit: u64) -> std::result::Result<usize, (usize, String)> {
    let mut newlines = 0;
    parse_lines(out, s, limit, &mut newlines).map_err(|msg| (newlines + 1, msg))?;
    Ok(newlines)
}

fn parse_lines(
    out: &mut Rows,
    s: &[u8],
    limit: u64,
    newlines: &mut usize,
) -> std::result::Result<(), String> {
    let n = s.len();
    let mut i = 0;
    while i < n {
        while i < n && is_space(s[i]) {
            i += 1;
        }
        if i == n {
            break;
        }
        match s[i] {
            b'\n' => {
                *newlines += 1;
                i += 1;
                continue;
            }
            b'#' => {
                i = skip_line(s, i);
                continue;
            }
            _ => {}
        }
        let (label, next) = number(s, i, "label")?;
        i = next;
        let mut prev: u64 = 0;
        loop {
            while i < n && is_space(s[i]) {
                i += 1;
            }
            if i == n {
                break;
            }
            match s[i] {
                b'\n' => break,
                b'#' => {
                    i = skip_line(s, i);
                    break;
                }
                _ => {}
            }
            let tok_start = i;
            let (mut idx, n_digits) = scan_digits(s, i, 0);
            if n_digits > 19 {
                idx = MAX_INDEX + 1; // the value wrapped: too large whatever it was
            }
            i += n_digits;
            if i == tok_start {
                if s[i..].starts_with(b"qid:") {
                    let start = i + 4;
                    let end = token_end(s, start);
                    if end == start || !s[start..end].iter().all(u8::is_ascii_digit) {
                        return Err(format!(
                            "bad qid token {}",
                            show(&s[tok_start..token_end(s, tok_start)])
                        ));
                    }
                    i = end;
                    continue;
                }
                return Err(format!(
                    "expected index:value, found {}",
                    show(&s[tok_start..token_end(s, tok_start)])
                ));
            }
            if s.get(i) != Some(&b':') {
                return Err(format!(
                    "expected index:value, found {} (missing ':'?)",
                    show(&s[tok_start..token_end(s, tok_start)])
                ));
            }
            let digits = &s[tok_start..i];
            i += 1;
            if idx == 0 {
                return Err("feature index 0: indices are 1-based".into());
            }
            if idx > limit {
                return Err(if limit == MAX_INDEX {
                    format!(
                        "feature index {} exceeds the largest supported index 2^32-1",
                        show(digits)
                    )
                } else {
                    format!(
                        "feature index {} exceeds n_features = {limit}",
                        show(digits)
                    )
                });
            }
            if idx <= prev {
                return Err(format!(
                    "feature indices must be strictly increasing: {idx} after {prev}"
                ));
            }
            prev = idx;
            if ends_token(s.get(i)) {
                return Err(format!("feature {idx} has no value"));
            }
            let (v, next) = number(s, i, "value")?;
            i = next;
            if v != 0.0 {
                out.indices.push((idx - 1) as u32);
                out.values.push(v);
            }
        }
        out.max_index = out.max_index.max(prev as u32);
        out.y.push(label);
        out.row_ends.push(out.indices.len());
    }
    Ok(())
}

/// The position of the `\n` ending the line at `i` (or the end of `s`).
#[inline]
fn skip_line(s: &[u8], i: usize) -> usize {
    s[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(s.len(), |p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Dataset> {
        parse_libsvm(
            text.as_bytes(),
            Path::new("t.svm"),
            &LibsvmOptions::default(),
        )
    }

    fn err_line(text: &str) -> (usize, String) {
        match parse(text) {
            Err(Error::Parse { line, message, .. }) => (line, message),
            other => panic!("expected a parse error for {text:?}, got {other:?}"),
        }
    }

    fn csr(d: &Dataset) -> &CsrMatrix {
        match &d.x {
            Design::Sparse(m) => m,
            Design::Dense(_) => panic!("dense"),
        }
    }

    #[test]
    fn basic_syntax() {
        let d = parse(
            "# header comment\n\n+1 1:0.5 3:-2 # trailing\r\n-1 qid:7 2:1e-3 4:0\n0\n  2.5\t5:+3.\n",
        )
        .unwrap();
        assert_eq!(d.y, vec![1.0, -1.0, 0.0, 2.5]);
        let m = csr(&d);
        assert_eq!(m.ncols(), 5);
        assert_eq!(m.indptr(), &[0, 2, 3, 3, 4]);
        assert_eq!(m.indices(), &[0, 2, 1, 4]);
        assert_eq!(m.values(), &[0.5, -2.0, 1e-3, 3.0]);
    }

    #[test]
    fn comment_glued_to_value_and_no_final_newline() {
        let d = parse("1 1:2#c\n-1 2:3").unwrap();
        assert_eq!(d.y, vec![1.0, -1.0]);
        assert_eq!(csr(&d).values(), &[2.0, 3.0]);
    }

    #[test]
    fn malformed_lines_report_their_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("1 1:1\nx 1:1\n", 2, "not a number"),
            ("1 1:1\n\n1 1:a\n", 3, "not a number"),
            ("1 1:1\n1 12\n", 2, "missing ':'"),
            ("1 0:1\n", 1, "1-based"),
            ("1 2:1 2:1\n", 1, "strictly increasing"),
            ("1 3:1 2:1\n", 1, "strictly increasing"),
            ("1 4294967296:1\n", 1, "2^32-1"),
            ("1 1000000000000000:1\n", 1, "2^32-1"),
            ("1 99999999999999999999999999999:1\n", 1, "2^32-1"),
            ("nan 1:1\n", 1, "not finite"),
            ("1 1:inf\n", 1, "not finite"),
            ("1 1:-infinity\n", 1, "not finite"),
            ("1 1:1e999\n", 1, "not finite"),
            ("1 1:NaN\n", 1, "not finite"),
            ("1 1:\n", 1, "no value"),
            ("1 1: 2\n", 1, "no value"),
            ("1 :1\n", 1, "expected index:value"),
            ("1 a:1\n", 1, "expected index:value"),
            ("1 qid:x 1:1\n", 1, "qid"),
            ("1,2 1:1\n", 1, "not a number"),
            ("1 1:1\n2:1 3:1\n", 2, "must start with its label"),
            ("1 1:1\r\n# c\r\n1 1:1 1:2\r\n", 3, "strictly increasing"),
        ];
        for &(text, line, needle) in cases {
            let (l, msg) = err_line(text);
            assert_eq!(l, line, "{text:?}: {msg}");
            assert!(msg.contains(needle), "{text:?}: {msg}");
        }
    }

    #[test]
    fn empty_inputs_are_errors() {
        for text in ["", "\n\n", "# only a comment\n", "   \r\n"] {
            assert_eq!(err_line(text).0, 0, "{text:?}");
        }
    }

    #[test]
    fn n_features_widens_and_limits() {
        let opts = LibsvmOptions {
            n_features: Some(10),
        };
        let d = parse_libsvm(b"1 2:1\n", Path::new("t"), &opts).unwrap();
        assert_eq!(d.n_features(), 10);
        let e = parse_libsvm(b"1 2:1\n1 11:1\n", Path::new("t"), &opts).unwrap_err();
        assert!(matches!(e, Error::Parse { line: 2, .. }), "{e}");
        let huge = LibsvmOptions {
            n_features: Some(1 << 40),
        };
        assert!(parse_libsvm(b"1 2:1\n", Path::new("t"), &huge).is_err());
    }

    #[test]
    fn small_read_blocks_split_lines_anywhere() {
        let text = "# c\n1 1:0.5 3:-2\r\n\n-1 2:1e-3 40:7 # long comment\n0\n2 1:1 2:2 3:3 4:4 5:5";
        let want = parse(text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.svm");
        std::fs::write(&path, text).unwrap();
        for block in [1, 2, 3, 5, 8, 13, 64, 4096] {
            let got = read_blocks(&path, &LibsvmOptions::default(), block).unwrap();
            assert_eq!(got.x, want.x, "block {block}");
            assert_eq!(got.y, want.y, "block {block}");
        }
        std::fs::write(&path, format!("{text}\n1 2:1 2:1\n")).unwrap();
        for block in [1, 7, 4096] {
            match read_blocks(&path, &LibsvmOptions::default(), block) {
                Err(Error::Parse { line: 7, .. }) => {}
                other => panic!("block {block}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        let text = "+1 1:0.5 3:2\n-1 2:1\n";
        let want = parse(text).unwrap();
        let marked = format!("\u{feff}{text}");
        let got = parse(&marked).unwrap();
        assert_eq!((got.x, got.y), (want.x.clone(), want.y.clone()));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bom.svm");
        std::fs::write(&path, &marked).unwrap();
        for block in [1, 2, 4096] {
            let got = read_blocks(&path, &LibsvmOptions::default(), block).unwrap();
            assert_eq!((&got.x, &got.y), (&want.x, &want.y), "block {block}");
        }
        // Only at the start of the file: elsewhere it is a malformed label.
        assert_eq!(err_line(&format!("{text}\u{feff}1 1:1\n")).0, 3);
    }

    #[test]
    fn zero_values_are_dropped_but_count_as_features() {
        let d = parse("1 1:0 7:0.0\n").unwrap();
        assert_eq!(csr(&d).nnz(), 0);
        assert_eq!(d.n_features(), 7);
    }

    #[test]
    fn parallel_blocks_agree_with_line_numbers() {
        // Larger than MIN_PARALLEL so that blocks are split between threads.
        let mut text = String::new();
        let rows = 60_000;
        for i in 0..rows {
            text.push_str(&format!("{} 1:{} 5:0.25 {}:1.5\n", i % 3, i, 6 + i % 50));
        }
        assert!(text.len() > MIN_PARALLEL);
        let d = parse(&text).unwrap();
        assert_eq!(d.n_samples(), rows);
        assert_eq!(d.y[rows - 1], ((rows - 1) % 3) as f64);
        assert_eq!(csr(&d).row(rows - 1).1, &[(rows - 1) as f64, 0.25, 1.5]);
        // An error near the end is reported at its line.
        text.push_str("1 2:1 1:1\n");
        let (line, _) = err_line(&text);
        assert_eq!(line, rows + 1);
    }
}
