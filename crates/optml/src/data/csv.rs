//! Delimited text (CSV/TSV) of numbers into a dense data set.

use std::path::Path;

use super::text::{parse_finite_f64, show, strip_bom, NumError};
use super::Dataset;
use crate::error::{Error, Result};
use crate::linalg::{DenseMatrix, Design};

/// Which column holds the label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LabelColumn {
    First,
    #[default]
    Last,
    /// 0-based column index.
    Index(usize),
    /// Column name from the header line.
    Name(String),
}

/// Options of [`read_csv`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvOptions {
    pub label: LabelColumn,
    /// Whether the first line names the columns; `None`: yes when one of its fields is not a
    /// number.
    pub header: Option<bool>,
    /// The field delimiter; `None`: tab for a `.tsv` file, otherwise whichever of `,` `;` tab
    /// occurs most on the first line (`,` when none does).
    pub delimiter: Option<u8>,
}

/// Reads a CSV/TSV file of numbers, one sample per line, into a dense [`Dataset`]; one column
/// (see [`LabelColumn`]) holds the label.
///
/// Accepted: `,`, `;` or tab delimiters (given, implied by a `.tsv` name, or detected from the
/// first line); an optional header line (given, or detected: a field that is not a number);
/// fields in double quotes (`"1.5"`, `"a ""name"""`); spaces around fields; blank lines and
/// lines starting with `#`; a UTF-8 byte-order mark; `\n` or `\r\n` line ends. Rejected with
/// [`Error::Parse`] naming file and line: a row with the wrong number of fields, an empty field,
/// a field that is not a number, NaN or ±∞, a file with no rows, and a label column that is not
/// there.
pub fn read_csv(path: &Path, opts: &CsvOptions) -> Result<Dataset> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let mut opts = opts.clone();
    let is_tsv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    if opts.delimiter.is_none() && is_tsv {
        opts.delimiter = Some(b'\t');
    }
    parse_csv(&bytes, path, &opts)
}

/// Parses CSV text held in memory, as [`read_csv`] does (`.tsv` is not implied: give the
/// delimiter or let it be detected); `name` is used in error messages and as the data set's
/// source.
pub fn parse_csv(bytes: &[u8], name: &Path, opts: &CsvOptions) -> Result<Dataset> {
    let err = |line: usize, msg: String| Error::parse(name, line, msg);
    let bytes = strip_bom(bytes);
    let mut lines = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)))
        .filter(|(_, l)| {
            let t = l.trim_ascii_start();
            !t.is_empty() && t[0] != b'#'
        })
        .peekable();
    let Some(&(first_no, first)) = lines.peek() else {
        return Err(err(0, "no rows (the file is empty)".into()));
    };
    let delim = match opts.delimiter {
        Some(d) => d,
        None => detect_delimiter(first),
    };
    if matches!(delim, b'"' | b'\n' | b'\r') {
        return Err(Error::invalid(format!(
            "{}: {} cannot be a CSV delimiter",
            name.display(),
            show(&[delim])
        )));
    }
    let mut fields = Vec::new();
    split_fields(first, delim, &mut fields).map_err(|m| err(first_no, m))?;
    let ncols = fields.len();
    let has_header = opts.header.unwrap_or_else(|| {
        fields
            .iter()
            .any(|&(a, b)| parse_finite_f64(&first[a..b]) == Err(NumError::Invalid))
    });
    let names: Option<Vec<String>> = has_header.then(|| {
        fields
            .iter()
            .map(|&(a, b)| String::from_utf8_lossy(&first[a..b]).replace("\"\"", "\""))
            .collect()
    });
    if has_header {
        lines.next();
    }
    if ncols < 2 {
        return Err(err(
            first_no,
            format!("found {ncols} column; need features and a label"),
        ));
    }
    let label_col = match &opts.label {
        LabelColumn::First => 0,
        LabelColumn::Last => ncols - 1,
        LabelColumn::Index(i) if *i < ncols => *i,
        LabelColumn::Index(i) => {
            return Err(err(
                first_no,
                format!("label column {i} (0-based) is out of range: the file has {ncols} columns"),
            ))
        }
        LabelColumn::Name(want) => match &names {
            None => {
                return Err(err(
                    first_no,
                    format!("label column '{want}' is named, but the file has no header line"),
                ))
            }
            Some(names) => names.iter().position(|n| n == want).ok_or_else(|| {
                err(
                    first_no,
                    format!("no column named '{want}' (columns: {})", names.join(", ")),
                )
            })?,
        },
    };
    let col_name = |j: usize| match &names {
        Some(n) => format!("column {} ('{}')", j + 1, n[j]),
        None => format!("column {}", j + 1),
    };
    let mut data = Vec::new();
    let mut y = Vec::new();
    for (no, line) in lines {
        split_fields(line, delim, &mut fields).map_err(|m| err(no, m))?;
        if fields.len() != ncols {
            return Err(err(
                no,
                format!("expected {ncols} fields, found {}", fields.len()),
            ));
        }
        for (j, &(a, b)) in fields.iter().enumerate() {
            let tok = &line[a..b];
            let v = match parse_finite_f64(tok) {
                Ok(v) => v,
                Err(_) if tok.is_empty() => {
                    return Err(err(no, format!("{} is empty", col_name(j))))
                }
                Err(NumError::Invalid) => {
                    return Err(err(
                        no,
                        format!("{}: {} is not a number", col_name(j), show(tok)),
                    ))
                }
                Err(NumError::NonFinite) => {
                    return Err(err(
                        no,
                        format!("{}: {} is not finite", col_name(j), show(tok)),
                    ))
                }
            };
            if j == label_col {
                y.push(v);
            } else {
                data.push(v);
            }
        }
    }
    if y.is_empty() {
        return Err(err(0, "no data rows (only a header)".into()));
    }
    let x = DenseMatrix::from_row_major(y.len(), ncols - 1, data)?;
    Ok(Dataset {
        x: Design::Dense(x),
        y,
        source: Some(name.to_path_buf()),
    })
}

/// The most frequent of `,` `;` tab outside quotes on `line`, `,` when none occurs.
fn detect_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let cands = [b',', b'\t', b';'];
    let best = (0..3).fold(0, |best, k| if counts[k] > counts[best] { k } else { best });
    cands[best]
}

/// Splits `line` at `delim` into the byte ranges of its fields: surrounding spaces trimmed,
/// surrounding double quotes removed (a doubled quote inside stays doubled; only names use it).
fn split_fields(
    line: &[u8],
    delim: u8,
    out: &mut Vec<(usize, usize)>,
) -> std::result::Result<(), String> {
    out.clear();
    let is_pad = |b: u8| b != delim && (b == b' ' || b == b'\t');
    let n = line.len();
    let mut i = 0;
    loop {
        while i < n && is_pad(line[i]) {
            i += 1;
        }
        if i < n && line[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            let close = loop {
                match line[j..].iter().position(|&b| b == b'"') {
                    None => return Err(format!("field {}: unterminated quote", out.len() + 1)),
                    Some(p) if line.get(j + p + 1) == Some(&b'"') => j += p + 2,
                    Some(p) => break j + p,
                }
            };
            out.push((start, close));
            i = close + 1;
            while i < n && is_pad(line[i]) {
                i += 1;
            }
            if i < n && line[i] != delim {
                return Err(format!("field {}: text after the closing quote", out.len()));
            }
        } else {
            let start = i;
            while i < n && line[i] != delim {
                i += 1;
            }
            let mut end = i;
            while end > start && is_pad(line[end - 1]) {
                end -= 1;
            }
            out.push((start, end));
        }
        if i >= n {
            return Ok(());
        }
        i += 1; // the delimiter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, opts: &CsvOptions) -> Result<Dataset> {
        parse_csv(text.as_bytes(), Path::new("t.csv"), opts)
    }

    fn dense(d: &Dataset) -> &[f64] {
        match &d.x {
            Design::Dense(m) => m.data(),
            Design::Sparse(_) => panic!("sparse"),
        }
    }

    fn err_line(text: &str, opts: &CsvOptions) -> (usize, String) {
        match parse(text, opts) {
            Err(Error::Parse { line, message, .. }) => (line, message),
            other => panic!("expected a parse error for {text:?}, got {other:?}"),
        }
    }

    #[test]
    fn header_quotes_and_label_choices() {
        let text = "\u{feff}a, \"b\" ,y\r\n1,\"2.5\",0\r\n\r\n# c\n3, 4 ,1\n";
        let d = parse(text, &CsvOptions::default()).unwrap();
        assert_eq!(d.y, vec![0.0, 1.0]);
        assert_eq!(dense(&d), &[1.0, 2.5, 3.0, 4.0]);
        let by_name = CsvOptions {
            label: LabelColumn::Name("b".into()),
            ..Default::default()
        };
        let d = parse(text, &by_name).unwrap();
        assert_eq!(d.y, vec![2.5, 4.0]);
        assert_eq!(dense(&d), &[1.0, 0.0, 3.0, 1.0]);
        let first = CsvOptions {
            label: LabelColumn::First,
            ..Default::default()
        };
        assert_eq!(parse(text, &first).unwrap().y, vec![1.0, 3.0]);
        let idx = CsvOptions {
            label: LabelColumn::Index(1),
            ..Default::default()
        };
        assert_eq!(parse(text, &idx).unwrap().y, vec![2.5, 4.0]);
    }

    #[test]
    fn no_header_and_delimiters() {
        let d = parse("1;2;3\n4;5;6\n", &CsvOptions::default()).unwrap();
        assert_eq!(d.n_samples(), 2);
        assert_eq!(d.y, vec![3.0, 6.0]);
        let d = parse("1\t2\t3\n4\t5\t6", &CsvOptions::default()).unwrap();
        assert_eq!(dense(&d), &[1.0, 2.0, 4.0, 5.0]);
        let forced = CsvOptions {
            header: Some(true),
            ..Default::default()
        };
        let d = parse("1,2\n3,4\n", &forced).unwrap();
        assert_eq!(d.y, vec![4.0]);
        let space = CsvOptions {
            delimiter: Some(b' '),
            ..Default::default()
        };
        assert_eq!(parse("1 2 3\n", &space).unwrap().y, vec![3.0]);
        let d = parse("\"x,1\",y\n1,2\n", &CsvOptions::default()).unwrap();
        assert_eq!(d.y, vec![2.0]);
    }

    #[test]
    fn malformed_rows_report_their_line() {
        let o = CsvOptions::default();
        let cases: &[(&str, usize, &str)] = &[
            ("a,b,c\n1,2,3\n4,5\n", 3, "expected 3 fields, found 2"),
            ("1,2,3\n4,5,6,7\n", 2, "expected 3 fields, found 4"),
            ("a,b\n1,x\n", 2, "column 2 ('b')"),
            ("1,2\n\n1,nan\n", 3, "not finite"),
            ("1,2\n1,inf\n", 2, "not finite"),
            ("1,2\n1,\n", 2, "empty"),
            ("1,2\n\"1,2\n", 2, "unterminated"),
            ("1,2\n\"1\"x,2\n", 2, "after the closing quote"),
            ("a\n1\n", 1, "need features and a label"),
        ];
        for &(text, line, needle) in cases {
            let (l, msg) = err_line(text, &o);
            assert_eq!(l, line, "{text:?}: {msg}");
            assert!(msg.contains(needle), "{text:?}: {msg}");
        }
        // A NaN on the first line is data, not a header.
        assert_eq!(err_line("1,nan\n", &o).0, 1);
    }

    #[test]
    fn empty_and_missing_label_columns() {
        let o = CsvOptions::default();
        for text in ["", "\n\n", "# x\n", "a,b\n"] {
            assert_eq!(err_line(text, &o).0, 0, "{text:?}");
        }
        let name = CsvOptions {
            label: LabelColumn::Name("z".into()),
            ..Default::default()
        };
        assert!(err_line("a,b\n1,2\n", &name)
            .1
            .contains("no column named 'z'"));
        assert!(err_line("1,2\n", &name).1.contains("no header"));
        let idx = CsvOptions {
            label: LabelColumn::Index(2),
            ..Default::default()
        };
        assert!(err_line("1,2\n", &idx).1.contains("out of range"));
    }
}
