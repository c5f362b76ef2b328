//! Readers and a writer for observed matrix entries: CSV triples `row,col,value` (0-based, an
//! optional header line) and Matrix Market coordinate files (`.mtx`, 1-based).
//!
//! Every index is checked against the shape, every value for finiteness, and every count against
//! the file's size before anything is allocated from it; errors name the file and the line.

use std::io::Write;
use std::path::Path;

use super::completion::Observed;
use crate::error::{Error, Result};

/// Reads a Matrix Market file (by its `.mtx` extension or its `%%MatrixMarket` banner) or else
/// CSV triples. `shape` fixes the matrix size for CSV (default: the largest indices + 1); for
/// Matrix Market it must agree with the header.
pub fn read_triples(path: &Path, shape: Option<(usize, usize)>) -> Result<Observed> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let is_mtx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mtx"))
        || bytes.starts_with(b"%%MatrixMarket");
    if is_mtx {
        let obs = parse_matrix_market(&bytes, path)?;
        match shape {
            Some((m, n)) if (m, n) != (obs.nrows(), obs.ncols()) => Err(Error::parse(
                path,
                0,
                format!(
                    "its header gives a {} × {} matrix, but a {m} × {n} shape was asked for",
                    obs.nrows(),
                    obs.ncols()
                ),
            )),
            _ => Ok(obs),
        }
    } else {
        parse_csv_triples(&bytes, path, shape)
    }
}

fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &str)> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, std::str::from_utf8(l).unwrap_or("\u{fffd}").trim()))
}

fn index(tok: &str, name: &Path, line: usize, what: &str) -> Result<u32> {
    tok.trim()
        .parse::<u32>()
        .ok()
        .filter(|&i| i < u32::MAX)
        .ok_or_else(|| {
            Error::parse(
                name,
                line,
                format!("{what} index '{tok}' is not a valid index"),
            )
        })
}

fn value(tok: &str, name: &Path, line: usize) -> Result<f64> {
    match tok.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(Error::parse(
            name,
            line,
            format!("value '{tok}' is not finite"),
        )),
        Err(_) => Err(Error::parse(
            name,
            line,
            format!("value '{tok}' is not a number"),
        )),
    }
}

/// Parses CSV triples `row,col,value` (0-based). A first line that is not numeric is a header;
/// empty lines and lines starting with `#` are skipped.
pub fn parse_csv_triples(
    bytes: &[u8],
    name: &Path,
    shape: Option<(usize, usize)>,
) -> Result<Observed> {
    let (mut rows, mut cols, mut values, mut at) = (vec![], vec![], vec![], vec![]);
    let mut seen_line = false;
    for (line, text) in lines(bytes) {
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = text.split(',').collect();
        let first = !seen_line;
        seen_line = true;
        if first && fields[0].trim().parse::<f64>().is_err() {
            continue; // a header
        }
        if fields.len() != 3 {
            return Err(Error::parse(
                name,
                line,
                format!("expected 3 fields 'row,col,value', found {}", fields.len()),
            ));
        }
        let (i, j) = (
            index(fields[0], name, line, "row")?,
            index(fields[1], name, line, "column")?,
        );
        if let Some((m, n)) = shape {
            if i as usize >= m || j as usize >= n {
                return Err(Error::parse(
                    name,
                    line,
                    format!("entry ({i}, {j}) is outside the {m} × {n} matrix"),
                ));
            }
        }
        rows.push(i);
        cols.push(j);
        values.push(value(fields[2], name, line)?);
        at.push(line);
    }
    if values.is_empty() {
        return Err(Error::parse(name, 0, "no entries"));
    }
    let (m, n) = shape.unwrap_or_else(|| {
        (
            *rows.iter().max().unwrap() as usize + 1,
            *cols.iter().max().unwrap() as usize + 1,
        )
    });
    check_shape(m, n, values.len(), name)?;
    check_duplicates(&rows, &cols, &at, name, 0)?;
    Observed::new(m, n, rows, cols, values).map_err(|e| Error::parse(name, 0, e.to_string()))
}

/// Below this many rows plus columns a shape is accepted whatever the number of entries (its
/// row and column pointers take at most 8 MiB).
const SMALL_SHAPE: u64 = 1 << 20;

/// Refuses an m × n shape that the entries cannot pay for: the row and column pointers of the
/// observed set take m + n words, and a rank-1 matrix already has m + n − 1 degrees of freedom,
/// so with fewer entries than that no rank can be recovered. Small shapes always pass.
fn check_shape(m: usize, n: usize, entries: usize, name: &Path) -> Result<()> {
    let span = m as u64 + n as u64;
    if span > SMALL_SHAPE && span - 1 > entries as u64 {
        return Err(Error::parse(
            name,
            0,
            format!(
                "a {m} × {n} matrix needs at least m + n − 1 = {} observed entries to be \
                 completed at any rank, the file has {entries}",
                span - 1
            ),
        ));
    }
    Ok(())
}

/// Parses a Matrix Market `matrix coordinate` file with `real` or `integer` values and
/// `general` or `symmetric` structure (the mirrored entries of a symmetric file are added).
pub fn parse_matrix_market(bytes: &[u8], name: &Path) -> Result<Observed> {
    let total_lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut it = lines(bytes);
    let (_, banner) = it
        .next()
        .ok_or_else(|| Error::parse(name, 1, "empty file"))?;
    let words: Vec<String> = banner
        .split_whitespace()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    if words.first().map(String::as_str) != Some("%%matrixmarket") || words.len() != 5 {
        return Err(Error::parse(
            name,
            1,
            "expected the banner '%%MatrixMarket matrix coordinate <field> <symmetry>'",
        ));
    }
    if words[1] != "matrix" || words[2] != "coordinate" {
        return Err(Error::parse(
            name,
            1,
            format!(
                "only 'matrix coordinate' files hold entries, found '{} {}'",
                words[1], words[2]
            ),
        ));
    }
    if words[3] != "real" && words[3] != "integer" {
        return Err(Error::parse(
            name,
            1,
            format!("field '{}' is not supported (real or integer)", words[3]),
        ));
    }
    let symmetric = match words[4].as_str() {
        "general" => false,
        "symmetric" => true,
        s => {
            return Err(Error::parse(
                name,
                1,
                format!("symmetry '{s}' is not supported (general or symmetric)"),
            ))
        }
    };
    let mut it = it.filter(|(_, t)| !t.is_empty() && !t.starts_with('%'));
    let (line, size) = it
        .next()
        .ok_or_else(|| Error::parse(name, 0, "missing the size line"))?;
    let dims: Vec<&str> = size.split_whitespace().collect();
    if dims.len() != 3 {
        return Err(Error::parse(
            name,
            line,
            "expected the size line 'rows cols entries'",
        ));
    }
    let m = index(dims[0], name, line, "row count")? as usize;
    let n = index(dims[1], name, line, "column count")? as usize;
    let nnz: usize = dims[2].parse().map_err(|_| {
        Error::parse(
            name,
            line,
            format!("entry count '{}' is not a count", dims[2]),
        )
    })?;
    if (m as u128) * (n as u128) < nnz as u128 || nnz > total_lines {
        return Err(Error::parse(
            name,
            line,
            format!("{nnz} entries cannot fit a {m} × {n} matrix in a file of {total_lines} lines"),
        ));
    }
    let cap = if symmetric { 2 * nnz } else { nnz };
    let (mut rows, mut cols, mut values, mut at) = (
        Vec::with_capacity(cap),
        Vec::with_capacity(cap),
        Vec::with_capacity(cap),
        Vec::with_capacity(cap),
    );
    let mut count = 0;
    for (line, text) in it {
        count += 1;
        if count > nnz {
            return Err(Error::parse(
                name,
                line,
                format!("more than the {nnz} entries declared"),
            ));
        }
        let toks: Vec<&str> = text.split_whitespace().collect();
        if toks.len() != 3 {
            return Err(Error::parse(
                name,
                line,
                format!("expected 'row col value', found {} fields", toks.len()),
            ));
        }
        let (i, j) = (
            index(toks[0], name, line, "row")?,
            index(toks[1], name, line, "column")?,
        );
        if i == 0 || j == 0 || i as usize > m || j as usize > n {
            return Err(Error::parse(
                name,
                line,
                format!("entry ({i}, {j}) is outside 1..={m} × 1..={n}"),
            ));
        }
        let v = value(toks[2], name, line)?;
        rows.push(i - 1);
        cols.push(j - 1);
        values.push(v);
        at.push(line);
        if symmetric && i != j {
            rows.push(j - 1);
            cols.push(i - 1);
            values.push(v);
            at.push(line);
        }
    }
    if count != nnz {
        return Err(Error::parse(
            name,
            0,
            format!("the file declares {nnz} entries but holds {count}"),
        ));
    }
    check_shape(m, n, values.len(), name)?;
    check_duplicates(&rows, &cols, &at, name, 1)?;
    Observed::new(m, n, rows, cols, values).map_err(|e| Error::parse(name, 0, e.to_string()))
}

/// Fails on the first entry given twice, naming both lines (`base` is added to the indices shown).
fn check_duplicates(
    rows: &[u32],
    cols: &[u32],
    at: &[usize],
    name: &Path,
    base: u32,
) -> Result<()> {
    let key = |k: usize| ((rows[k] as u64) << 32) | cols[k] as u64;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_unstable_by_key(|&k| (key(k), at[k]));
    let dup = order
        .windows(2)
        .filter(|w| key(w[0]) == key(w[1]))
        .min_by_key(|w| at[w[1]]);
    match dup {
        Some(w) => Err(Error::parse(
            name,
            at[w[1]],
            format!(
                "entry ({}, {}) is given twice (first on line {})",
                rows[w[0]] + base,
                cols[w[0]] + base,
                at[w[0]]
            ),
        )),
        None => Ok(()),
    }
}

/// Reads CSV pairs `row,col` (0-based, an optional header; empty and `#` lines skipped), each
/// checked against the m × n shape, for querying entries of a completed matrix.
pub fn read_pairs(path: &Path, shape: (usize, usize)) -> Result<Vec<(usize, usize)>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (m, n) = shape;
    let mut pairs = vec![];
    let mut seen_line = false;
    for (line, text) in lines(&bytes) {
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = text.split(',').collect();
        let first = !seen_line;
        seen_line = true;
        if first && fields[0].trim().parse::<f64>().is_err() {
            continue;
        }
        if fields.len() != 2 {
            return Err(Error::parse(
                path,
                line,
                format!("expected 2 fields 'row,col', found {}", fields.len()),
            ));
        }
        let i = index(fields[0], path, line, "row")? as usize;
        let j = index(fields[1], path, line, "column")? as usize;
        if i >= m || j >= n {
            return Err(Error::parse(
                path,
                line,
                format!("entry ({i}, {j}) is outside the {m} × {n} matrix"),
            ));
        }
        pairs.push((i, j));
    }
    Ok(pairs)
}

/// Writes `row,col,value` lines (with that header) atomically.
pub fn write_csv_triples(path: &Path, entries: &[(usize, usize, f64)]) -> Result<()> {
    crate::write_atomic(path, |w| {
        writeln!(w, "row,col,value")?;
        for (i, j, v) in entries {
            writeln!(w, "{i},{j},{v:e}")?;
        }
        Ok(())
    })
}
