//! A plain numeric matrix from a file: `.npy` (2-D, C order) or comma-separated text, one row
//! per line — the input of the matrix problems (robust PCA) rather than a labelled data set.

use std::path::Path;

use super::npy::read_npy_matrix;
use crate::error::{Error, Result};

/// Reads a matrix as (rows, columns, values row by row): `.npy` by extension, otherwise CSV text
/// with blank and `#` lines skipped. Every value must be finite and every row as wide as the
/// first; an empty matrix is an error. Errors name the file and line.
pub fn read_matrix(path: &Path) -> Result<(usize, usize, Vec<f64>)> {
    let npy = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"));
    let (rows, cols, values) = if npy {
        read_npy_matrix(path)?
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        parse_matrix_csv(&text, path)?
    };
    if rows == 0 || cols == 0 {
        return Err(Error::parse(
            path,
            0,
            format!("the matrix is empty ({rows} × {cols})"),
        ));
    }
    Ok((rows, cols, values))
}

/// Parses comma-separated rows of finite numbers; `path` names the source in errors.
pub fn parse_matrix_csv(text: &str, path: &Path) -> Result<(usize, usize, Vec<f64>)> {
    let (mut rows, mut cols, mut values) = (0usize, 0usize, vec![]);
    for (k, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let before = values.len();
        for tok in line.split(',') {
            match tok.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => values.push(v),
                _ => {
                    return Err(Error::parse(
                        path,
                        k + 1,
                        format!("'{}' is not a finite number", tok.trim()),
                    ))
                }
            }
        }
        let width = values.len() - before;
        if rows == 0 {
            cols = width;
        } else if width != cols {
            return Err(Error::parse(
                path,
                k + 1,
                format!("{width} values, but the first row has {cols}"),
            ));
        }
        rows += 1;
    }
    Ok((rows, cols, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_numbers_and_errors_by_line() {
        let p = Path::new("m.csv");
        let (r, c, v) = parse_matrix_csv("# M\n1, 2\n\n3,4.5\n", p).unwrap();
        assert_eq!((r, c, v), (2, 2, vec![1.0, 2.0, 3.0, 4.5]));
        let e = parse_matrix_csv("1,2\n3\n", p).unwrap_err().to_string();
        assert!(
            e.contains("m.csv") && e.contains('2') && e.contains("first row"),
            "{e}"
        );
        let e = parse_matrix_csv("1,nan\n", p).unwrap_err().to_string();
        assert!(e.contains("not a finite number"), "{e}");
    }
}
