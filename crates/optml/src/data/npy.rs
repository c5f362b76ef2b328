//! NumPy `.npy` arrays: a reader that checks the header against the file before allocating, and
//! an atomic f64 writer.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use super::csv::LabelColumn;
use super::Dataset;
use crate::atomic::write_atomic;
use crate::error::{Error, Result};
use crate::linalg::{DenseMatrix, Design};

/// Options of [`read_npy`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NpyOptions {
    /// A separate `.npy` of labels (1-D, or 2-D with one column). `None`: the labels are the
    /// column of the feature array that `label` picks.
    pub labels: Option<PathBuf>,
    /// The label column when `labels` is `None` (a name is an error: `.npy` has none).
    pub label: LabelColumn,
}

/// Reads a data set from `.npy` files (as [`read_npy_matrix`] does): a 2-D feature array, and the
/// labels from [`NpyOptions::labels`] or from one of its columns.
pub fn read_npy(path: &Path, opts: &NpyOptions) -> Result<Dataset> {
    let (n, d, data) = read_npy_matrix(path)?;
    if n == 0 {
        return Err(Error::parse(path, 0, "no samples (the array has 0 rows)"));
    }
    let (x, y) = match &opts.labels {
        Some(lpath) => {
            let y = read_npy_vector(lpath)?;
            if y.len() != n {
                return Err(Error::invalid(format!(
                    "{} has {} labels but {} has {n} rows",
                    lpath.display(),
                    y.len(),
                    path.display()
                )));
            }
            (DenseMatrix::from_row_major(n, d, data)?, y)
        }
        None => split_label_column(path, &opts.label, n, d, data)?,
    };
    Ok(Dataset {
        x: Design::Dense(x),
        y,
        source: Some(path.to_path_buf()),
    })
}

/// Splits the label column `label` off `rows` × `d` row-major `values` read from `path`:
/// the features (`rows` × (d − 1)) and the labels.
pub fn split_label_column(
    path: &Path,
    label: &LabelColumn,
    rows: usize,
    d: usize,
    values: Vec<f64>,
) -> Result<(DenseMatrix, Vec<f64>)> {
    let col = match label {
        LabelColumn::First => 0,
        LabelColumn::Last => d.saturating_sub(1),
        LabelColumn::Index(i) => *i,
        LabelColumn::Name(name) => {
            return Err(Error::parse(
                path,
                0,
                format!(".npy columns have no names (label column '{name}')"),
            ))
        }
    };
    if d < 2 || col >= d {
        return Err(Error::parse(
            path,
            0,
            format!(
                "label column {col} (0-based) is out of range or leaves no features: \
                 the array has {d} columns (give a separate labels file?)"
            ),
        ));
    }
    let mut y = Vec::with_capacity(rows);
    let mut x = Vec::with_capacity(rows * (d - 1));
    for row in values.chunks_exact(d) {
        y.push(row[col]);
        x.extend_from_slice(&row[..col]);
        x.extend_from_slice(&row[col + 1..]);
    }
    Ok((DenseMatrix::from_row_major(rows, d - 1, x)?, y))
}

/// Reads a 2-D array as `(rows, cols, row-major values)`.
///
/// Accepted: format versions 1.0, 2.0 and 3.0; dtypes `f8`, `f4`, `i1`, `i2`, `i4`, `i8`, `u1`,
/// `u2`, `u4`, `u8` and `b1` (bool), little- or big-endian, all converted to f64; C or Fortran
/// order (Fortran is transposed to row-major). The header (a Python dict literal) is parsed and
/// the data size it implies is checked against the file size before anything is allocated.
/// Rejected with [`Error::Parse`] naming the file: a bad magic string, version or header, another
/// dtype (complex, strings, structured), a size that disagrees with the file, NaN or ±∞.
pub fn read_npy_matrix(path: &Path) -> Result<(usize, usize, Vec<f64>)> {
    let (shape, data) = read_npy_any(path)?;
    match shape[..] {
        [r, c] => Ok((r, c, data)),
        _ => Err(Error::parse(
            path,
            0,
            format!("expected a 2-D array, found shape {shape:?}"),
        )),
    }
}

/// Reads a 3-D array as `([I, J, K], values)` in C order: element (i, j, k) at `(i·J + j)·K + k`
/// (details as [`read_npy_matrix`]; Fortran order is rejected for 3-D arrays).
pub fn read_npy_tensor3(path: &Path) -> Result<([usize; 3], Vec<f64>)> {
    let (shape, data) = read_npy_any(path)?;
    match shape[..] {
        [i, j, k] => Ok(([i, j, k], data)),
        _ => Err(Error::parse(
            path,
            0,
            format!("expected a 3-D array, found shape {shape:?}"),
        )),
    }
}

/// Reads a 1-D array, or a 2-D array with one column (details as [`read_npy_matrix`]).
pub fn read_npy_vector(path: &Path) -> Result<Vec<f64>> {
    let (shape, data) = read_npy_any(path)?;
    match shape[..] {
        [_] | [_, 1] => Ok(data),
        _ => Err(Error::parse(
            path,
            0,
            format!("expected a 1-D array (or one column), found shape {shape:?}"),
        )),
    }
}

/// Writes `data` (row-major, C order) with the given shape as little-endian f64 `.npy`
/// (version 1.0, or 2.0 for a header too long for it), atomically.
pub fn write_npy(path: &Path, shape: &[usize], data: &[f64]) -> Result<()> {
    let count = shape
        .iter()
        .try_fold(1usize, |a, &b| a.checked_mul(b))
        .filter(|&c| c == data.len())
        .ok_or_else(|| {
            Error::invalid(format!(
                "shape {shape:?} does not hold the {} values given",
                data.len()
            ))
        })?;
    debug_assert_eq!(count, data.len());
    let dims = match shape {
        [d] => format!("({d},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {dims}, }}");
    // Magic (6) + version (2) + length (2 or 4) + header + '\n', padded to a multiple of 64.
    let (version, len_bytes) = if header.len() + 11 <= u16::MAX as usize {
        (1u8, 2)
    } else {
        (2u8, 4)
    };
    let unpadded = 6 + 2 + len_bytes + header.len() + 1;
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    write_atomic(path, |w| {
        w.write_all(b"\x93NUMPY")?;
        w.write_all(&[version, 0])?;
        if version == 1 {
            w.write_all(&(header.len() as u16).to_le_bytes())?;
        } else {
            w.write_all(&(header.len() as u32).to_le_bytes())?;
        }
        w.write_all(header.as_bytes())?;
        for v in data {
            w.write_all(&v.to_le_bytes())?;
        }
        Ok(())
    })
}

/// Element types the reader converts to f64.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    F,
    I,
    U,
    B,
}

#[derive(Debug, PartialEq)]
struct Header {
    big_endian: bool,
    kind: Kind,
    size: usize,
    fortran: bool,
    shape: Vec<usize>,
}

/// The largest header accepted; NumPy's own limit is 10 000 bytes unless asked for more.
const MAX_HEADER: usize = 1 << 20;

fn read_npy_any(path: &Path) -> Result<(Vec<usize>, Vec<f64>)> {
    let io = |e| Error::io(path, e);
    let file = File::open(path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    let mut r = BufReader::with_capacity(1 << 16, file);
    decode(&mut r, file_len, path)
}

/// Parses a `.npy` file held in memory: its shape and its values as f64, in C order (a 2-D
/// Fortran-order array is transposed to row-major). Accepts and rejects what
/// [`read_npy_matrix`] does, for any number of dimensions; `name` is used in error messages.
///
/// ```
/// use optml::data::parse_npy;
///
/// let mut file = b"\x93NUMPY\x01\x00\x46\x00".to_vec();
/// let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
/// file.extend_from_slice(format!("{header:<69}\n").as_bytes());
/// file.extend([1.5f64, -2.0].iter().flat_map(|v| v.to_le_bytes()));
/// assert_eq!(parse_npy(&file, "v.npy".as_ref())?, (vec![2], vec![1.5, -2.0]));
/// assert!(parse_npy(&file[..file.len() - 1], "v.npy".as_ref()).is_err());
/// # Ok::<(), optml::Error>(())
/// ```
pub fn parse_npy(bytes: &[u8], name: &Path) -> Result<(Vec<usize>, Vec<f64>)> {
    let mut r = bytes;
    decode(&mut r, bytes.len() as u64, name)
}

/// Reads part `part` of `parts` (0-based) of a C-order `.npy` array split by rows (by entries
/// for a 1-D array): rows ⌊n·part/parts⌋ up to ⌊n·(part+1)/parts⌋, for readers that split a
/// file across processes. Only the header and those rows' bytes are read. Returns the array's
/// shape, the first row of the part, and the part's values (row-major); the checks are
/// [`read_npy_matrix`]'s, and a Fortran-order array is refused.
///
/// ```
/// use optml::data::{read_npy_part, write_npy};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("x.npy");
/// write_npy(&path, &[3, 2], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// assert_eq!(read_npy_part(&path, 1, 2)?, (vec![3, 2], 1, vec![3.0, 4.0, 5.0, 6.0]));
/// # Ok::<(), optml::Error>(())
/// ```
pub fn read_npy_part(
    path: &Path,
    part: usize,
    parts: usize,
) -> Result<(Vec<usize>, usize, Vec<f64>)> {
    use std::io::{Seek, SeekFrom};
    let err = |msg: String| Error::parse(path, 0, msg);
    let io = |e| Error::io(path, e);
    if part >= parts {
        return Err(Error::invalid(format!("part {part} of {parts}")));
    }
    let mut file = File::open(path).map_err(io)?;
    let file_len = file.metadata().map_err(io)?.len();
    let (h, offset, _) = read_header(&mut BufReader::new(&mut file), file_len, path)?;
    if h.fortran && h.shape.len() > 1 {
        return Err(err(
            "a Fortran-order array cannot be read by rows (save it in C order)".into(),
        ));
    }
    let n = h.shape.first().copied().unwrap_or(1);
    let cols: usize = h.shape.iter().skip(1).product();
    let (lo, hi) = (n * part / parts, n * (part + 1) / parts);
    file.seek(SeekFrom::Start(offset + (lo * cols * h.size) as u64))
        .map_err(io)?;
    let mut bytes = vec![0u8; (hi - lo) * cols * h.size];
    if !read_full(&mut file, &mut bytes).map_err(io)? {
        return Err(err("truncated data".into()));
    }
    let mut out = Vec::with_capacity((hi - lo) * cols);
    for (k, chunk) in bytes.chunks_exact(h.size).enumerate() {
        let v = convert(chunk, &h);
        if !v.is_finite() {
            return Err(err(format!(
                "element {} is not finite ({v})",
                lo * cols + k
            )));
        }
        out.push(v);
    }
    Ok((h.shape, lo, out))
}

/// Reads the header of a `.npy` file from `r` (whose whole length is `file_len`) and checks it
/// against the length: returns the header, the offset of the data and the element count.
fn read_header(r: &mut impl Read, file_len: u64, path: &Path) -> Result<(Header, u64, usize)> {
    let err = |msg: String| Error::parse(path, 0, msg);
    let io = |e| Error::io(path, e);
    let mut pre = [0u8; 10];
    read_full(r, &mut pre)
        .map_err(io)?
        .then_some(())
        .ok_or_else(|| err("too short for a .npy file".into()))?;
    if &pre[..6] != b"\x93NUMPY" {
        return Err(err("not a .npy file (bad magic bytes)".into()));
    }
    let (hlen, prefix) = match pre[6] {
        1 => (u16::from_le_bytes([pre[8], pre[9]]) as usize, 10),
        2 | 3 => {
            let mut more = [0u8; 2];
            if !read_full(r, &mut more).map_err(io)? {
                return Err(err("truncated header".into()));
            }
            (
                u32::from_le_bytes([pre[8], pre[9], more[0], more[1]]) as usize,
                12,
            )
        }
        v => return Err(err(format!("unsupported .npy version {v}.{}", pre[7]))),
    };
    if hlen > MAX_HEADER || (prefix + hlen) as u64 > file_len {
        return Err(err(format!(
            "header length {hlen} is larger than the file or than {MAX_HEADER} bytes"
        )));
    }
    let mut hbytes = vec![0u8; hlen];
    if !read_full(r, &mut hbytes).map_err(io)? {
        return Err(err("truncated header".into()));
    }
    let htext = std::str::from_utf8(&hbytes).map_err(|_| err("header is not UTF-8".into()))?;
    let h = parse_header(htext).map_err(|m| err(format!("bad header: {m}")))?;
    let count = h
        .shape
        .iter()
        .try_fold(1usize, |a, &b| a.checked_mul(b))
        .ok_or_else(|| err(format!("shape {:?} overflows", h.shape)))?;
    let data_len = count
        .checked_mul(h.size)
        .ok_or_else(|| err(format!("shape {:?} overflows", h.shape)))?;
    if h.fortran && h.shape.len() > 2 {
        return Err(err(format!(
            "Fortran-order arrays of {} dimensions are not supported",
            h.shape.len()
        )));
    }
    let available = file_len - (prefix + hlen) as u64;
    if data_len as u64 != available {
        return Err(err(format!(
            "shape {:?} needs {data_len} data bytes but the file has {available}",
            h.shape
        )));
    }
    Ok((h, (prefix + hlen) as u64, count))
}

/// Reads a `.npy` array from `r`, whose whole length (header included) is `file_len`.
fn decode(r: &mut impl Read, file_len: u64, path: &Path) -> Result<(Vec<usize>, Vec<f64>)> {
    let err = |msg: String| Error::parse(path, 0, msg);
    let io = |e| Error::io(path, e);
    let (h, _, count) = read_header(r, file_len, path)?;
    let rows = h.shape.first().copied().unwrap_or(1);
    let cols = h.shape.get(1).copied().unwrap_or(1);
    let mut out = if h.fortran && h.shape.len() >= 2 {
        vec![0.0; count]
    } else {
        Vec::with_capacity(count)
    };
    let mut buf = vec![0u8; (1 << 16) / h.size * h.size];
    let mut k = 0usize;
    while k < count {
        let take = (count - k).min(buf.len() / h.size);
        let bytes = &mut buf[..take * h.size];
        if !read_full(r, bytes).map_err(io)? {
            return Err(err("truncated data".into()));
        }
        for chunk in bytes.chunks_exact(h.size) {
            let v = convert(chunk, &h);
            if !v.is_finite() {
                return Err(err(format!("element {k} is not finite ({v})")));
            }
            if h.fortran && h.shape.len() >= 2 {
                // Element k of a column-major matrix is at (k mod rows, k div rows).
                out[(k % rows) * cols + k / rows] = v;
            } else {
                out.push(v);
            }
            k += 1;
        }
    }
    Ok((h.shape, out))
}

/// `read_exact` that reports a short read as `false` instead of an error.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<bool> {
    match r.read_exact(buf) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

#[inline]
fn convert(b: &[u8], h: &Header) -> f64 {
    macro_rules! num {
        ($t:ty, $n:expr) => {{
            let a: [u8; $n] = b.try_into().unwrap();
            if h.big_endian {
                <$t>::from_be_bytes(a) as f64
            } else {
                <$t>::from_le_bytes(a) as f64
            }
        }};
    }
    match (h.kind, h.size) {
        (Kind::F, 8) => num!(f64, 8),
        (Kind::F, 4) => num!(f32, 4),
        (Kind::I, 1) => num!(i8, 1),
        (Kind::I, 2) => num!(i16, 2),
        (Kind::I, 4) => num!(i32, 4),
        (Kind::I, 8) => num!(i64, 8),
        (Kind::U, 1) => num!(u8, 1),
        (Kind::U, 2) => num!(u16, 2),
        (Kind::U, 4) => num!(u32, 4),
        (Kind::U, 8) => num!(u64, 8),
        (Kind::B, 1) => (b[0] != 0) as u8 as f64,
        _ => unreachable!("parse_header admits only the sizes above"),
    }
}

/// Parses the header dict, e.g. `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
fn parse_header(text: &str) -> std::result::Result<Header, String> {
    let mut p = Lexer {
        s: text.trim_end().as_bytes(),
        i: 0,
    };
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    p.expect(b'{')?;
    loop {
        if p.eat(b'}') {
            break;
        }
        let key = p.string()?;
        p.expect(b':')?;
        match key.as_str() {
            "descr" => {
                if p.peek() != Some(b'\'') && p.peek() != Some(b'"') {
                    return Err("structured dtypes are not supported".into());
                }
                descr = Some(p.string()?);
            }
            "fortran_order" => fortran = Some(p.boolean()?),
            "shape" => shape = Some(p.tuple()?),
            other => return Err(format!("unexpected key '{other}'")),
        }
        if !p.eat(b',') {
            p.expect(b'}')?;
            break;
        }
    }
    if p.peek().is_some() {
        return Err("text after the closing brace".into());
    }
    let descr = descr.ok_or("no 'descr'")?;
    let (big_endian, kind, size) = parse_descr(&descr)?;
    Ok(Header {
        big_endian,
        kind,
        size,
        fortran: fortran.ok_or("no 'fortran_order'")?,
        shape: shape.ok_or("no 'shape'")?,
    })
}

fn parse_descr(d: &str) -> std::result::Result<(bool, Kind, usize), String> {
    let b = d.as_bytes();
    let (big, rest) = match b.first() {
        Some(b'<') | Some(b'|') => (false, &b[1..]),
        Some(b'=') => (cfg!(target_endian = "big"), &b[1..]),
        Some(b'>') => (true, &b[1..]),
        _ => (false, b),
    };
    let kind = match rest.first() {
        Some(b'f') => Kind::F,
        Some(b'i') => Kind::I,
        Some(b'u') => Kind::U,
        Some(b'b') => Kind::B,
        _ => return Err(format!("unsupported dtype '{d}'")),
    };
    let size: usize = std::str::from_utf8(&rest[1..])
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("unsupported dtype '{d}'"))?;
    let ok = match kind {
        Kind::F => matches!(size, 4 | 8),
        Kind::I | Kind::U => matches!(size, 1 | 2 | 4 | 8),
        Kind::B => size == 1,
    };
    if !ok {
        return Err(format!(
            "unsupported dtype '{d}' (supported: f8 f4 i1 i2 i4 i8 u1 u2 u4 u8 b1)"
        ));
    }
    Ok((big, kind, size))
}

/// A tokenizer for the small Python literal subset of .npy headers.
struct Lexer<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lexer<'_> {
    fn skip_ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> std::result::Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", c as char, self.i))
        }
    }
    fn string(&mut self) -> std::result::Result<String, String> {
        let q = self.peek().filter(|&c| c == b'\'' || c == b'"');
        let q = q.ok_or_else(|| format!("expected a string at byte {}", self.i))?;
        let start = self.i + 1;
        let len = self.s[start..]
            .iter()
            .position(|&c| c == q)
            .ok_or("unterminated string")?;
        self.i = start + len + 1;
        Ok(String::from_utf8_lossy(&self.s[start..start + len]).into_owned())
    }
    fn word(&mut self) -> &[u8] {
        self.skip_ws();
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_alphanumeric() {
            self.i += 1;
        }
        &self.s[start..self.i]
    }
    fn boolean(&mut self) -> std::result::Result<bool, String> {
        match self.word() {
            b"True" => Ok(true),
            b"False" => Ok(false),
            w => Err(format!(
                "expected True or False, found '{}'",
                String::from_utf8_lossy(w)
            )),
        }
    }
    fn tuple(&mut self) -> std::result::Result<Vec<usize>, String> {
        self.expect(b'(')?;
        let mut dims = Vec::new();
        loop {
            if self.eat(b')') {
                return Ok(dims);
            }
            if dims.len() >= 32 {
                return Err("more than 32 dimensions".into());
            }
            let w = self.word();
            // Python 2 era files may write `3L`.
            let w = w.strip_suffix(b"L").unwrap_or(w);
            let dim = std::str::from_utf8(w)
                .ok()
                .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|s| s.parse().ok())
                .ok_or("shape entries must be non-negative integers")?;
            dims.push(dim);
            if !self.eat(b',') {
                self.expect(b')')?;
                return Ok(dims);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let h = parse_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }  \n")
            .unwrap();
        assert_eq!(
            h,
            Header {
                big_endian: false,
                kind: Kind::F,
                size: 8,
                fortran: false,
                shape: vec![3, 4]
            }
        );
        let h = parse_header("{\"shape\":(5,),\"fortran_order\":True,\"descr\":\">i4\"}").unwrap();
        assert_eq!(
            (h.big_endian, h.kind, h.size, h.fortran),
            (true, Kind::I, 4, true)
        );
        assert_eq!(h.shape, vec![5]);
        assert_eq!(
            parse_header("{'descr': '|u1', 'fortran_order': False, 'shape': ()}")
                .unwrap()
                .shape,
            Vec::<usize>::new()
        );
        for bad in [
            "",
            "{",
            "{'descr': '<c16', 'fortran_order': False, 'shape': (2,)}",
            "{'descr': '<U3', 'fortran_order': False, 'shape': (2,)}",
            "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,)}",
            "{'descr': '<f8', 'fortran_order': maybe, 'shape': (2,)}",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}",
            "{'descr': '<f8', 'fortran_order': False}",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} x",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,)}",
        ] {
            assert!(parse_header(bad).is_err(), "{bad}");
        }
    }
}
