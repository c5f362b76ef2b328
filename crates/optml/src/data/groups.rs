//! Groups files for the group lasso: one group label per feature and line.

use std::path::Path;

use crate::error::{Error, Result};

/// Reads a groups file: one line per feature, in feature order, holding that feature's group
/// label, a non-negative integer; label 0 leaves the feature unpenalized. Lines that are blank
/// or start with `#` are skipped. Errors name the file and line.
pub fn read_groups(path: &Path, n_features: usize) -> Result<Vec<Vec<usize>>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_groups(&text, path, n_features)
}

/// [`read_groups`] on text already read.
pub fn parse_groups(text: &str, path: &Path, n_features: usize) -> Result<Vec<Vec<usize>>> {
    let mut labels: Vec<(u64, usize)> = Vec::new();
    let mut feature = 0usize;
    let mut last_line = 0;
    for (no, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        last_line = no + 1;
        if feature >= n_features {
            return Err(Error::parse(
                path,
                no + 1,
                format!("more group labels than the data's {n_features} features"),
            ));
        }
        let label: u64 = t.parse().map_err(|_| {
            Error::parse(
                path,
                no + 1,
                format!("expected a non-negative integer group label, found '{t}'"),
            )
        })?;
        if label > 0 {
            labels.push((label, feature));
        }
        feature += 1;
    }
    if feature != n_features {
        return Err(Error::parse(
            path,
            last_line,
            format!("{feature} group labels for {n_features} features (one line per feature)"),
        ));
    }
    labels.sort_unstable();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current = None;
    for (label, j) in labels {
        if current != Some(label) {
            groups.push(Vec::new());
            current = Some(label);
        }
        groups.last_mut().expect("pushed above").push(j);
    }
    Ok(groups)
}
