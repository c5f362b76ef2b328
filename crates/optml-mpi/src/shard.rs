//! [`read_shard`]: each rank reads only its own rows of a LIBSVM or `.npy` file; the feature
//! count, the row counts and the classes are agreed by all-reduces, and an error on any rank
//! ends every rank with the same message.
//!
//! **LIBSVM.** A file of S bytes is cut at ⌊S·r/p⌋ (rank r of p); each cut moves forward to
//! the start of the next line, so a line belongs to the rank where it starts. Each rank reads
//! its byte range, counts its line ends, and learns from one all-reduce how many lines come
//! before it, so its parse errors name the file's own line numbers. The parse is the library's
//! ([`optml::data::parse_libsvm_part`]).
//!
//! **.npy.** Rows ⌊n·r/p⌋ … ⌊n·(r+1)/p⌋ of a C-order array, read at their offsets
//! ([`optml::data::read_npy_part`]); labels from a separate `.npy` (read the same way) or from a
//! column of the array.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use optml::data::{
    parse_libsvm_part, read_npy_part, split_label_column, Dataset, Format, LabelColumn,
    LibsvmOptions,
};
use optml::linalg::{DenseMatrix, Design};
use optml::models::glm::{Classes, Loss};

use crate::comm::Comm;
use crate::error::{agree, Error, Result};

/// What to read and how.
#[derive(Clone, Debug, Default)]
pub struct ShardOptions {
    /// The format; `None`: from the file name (`.npy` → NumPy, anything else LIBSVM).
    pub format: Option<Format>,
    /// `.npy`: a separate `.npy` of labels; without one, the label column of the array.
    pub labels: Option<PathBuf>,
    /// `.npy` without a labels file: which column holds the labels.
    pub label: LabelColumn,
}

/// One rank's rows, with what all ranks agreed on.
#[derive(Debug)]
pub struct Shard {
    /// This rank's rows, widened to the agreed feature count.
    pub data: Dataset,
    /// The classes of the whole file (empty for least squares).
    pub classes: Classes,
    /// Rows in the whole file.
    pub n_total: usize,
    /// Index of this rank's first row in the file.
    pub first_row: usize,
}

impl Shard {
    /// Rows of this rank.
    pub fn n_local(&self) -> usize {
        self.data.n_samples()
    }
}

/// Reads this rank's rows of `path` (see the module doc); every rank calls it. Any failure —
/// a missing file, a malformed line in any rank's part, a rank left with no rows, labels that do
/// not fit `loss` — is returned on every rank as the same error.
pub fn read_shard(comm: &Comm, path: &Path, loss: Loss, opts: &ShardOptions) -> Result<Shard> {
    let format = opts.format.unwrap_or_else(|| Format::from_path(path));
    let data = match format {
        Format::Libsvm => read_libsvm_shard(comm, path)?,
        Format::Npy => read_npy_shard(comm, path, opts)?,
        Format::Csv => {
            return Err(Error(format!(
                "{}: CSV cannot be split by rows without reading it all; convert it to LIBSVM \
                 or .npy",
                path.display()
            )))
        }
    };
    finish(comm, path, data, loss)
}

/// Agrees on the feature count, the rows and the classes, and widens the shard.
fn finish(comm: &Comm, path: &Path, data: Dataset, loss: Loss) -> Result<Shard> {
    let (p, r) = (comm.size(), comm.rank());
    let mut labels: Vec<f64> = if loss.is_classification() {
        let mut c = data.y.clone();
        c.sort_by(f64::total_cmp);
        c.dedup();
        c
    } else {
        Vec::new()
    };
    // Rows, features, distinct labels of every rank: one round.
    let info = agree(
        comm,
        Ok(vec![
            data.n_samples() as f64,
            data.n_features() as f64,
            labels.len() as f64,
        ]),
        3,
    )?;
    let rows: Vec<usize> = (0..p).map(|q| info[3 * q] as usize).collect();
    let d = (0..p).map(|q| info[3 * q + 1] as usize).max().unwrap_or(0);
    let counts: Vec<usize> = (0..p).map(|q| info[3 * q + 2] as usize).collect();
    let n_total: usize = rows.iter().sum();
    if let Some(q) = rows.iter().position(|&n| n == 0) {
        return Err(Error(format!(
            "{}: {n_total} samples for {p} ranks leave rank {q} with none (use fewer ranks)",
            path.display()
        )));
    }
    // The union of the labels: each rank's in its own slot of one sum (one round).
    let classes = if loss.is_classification() {
        let m = counts.iter().copied().max().unwrap_or(0);
        let mut buf = vec![0.0; p * m];
        labels.resize(m, 0.0);
        buf[r * m..(r + 1) * m].copy_from_slice(&labels);
        comm.sum(&mut buf);
        let mut all: Vec<f64> = (0..p)
            .flat_map(|q| buf[q * m..q * m + counts[q]].to_vec())
            .collect();
        all.sort_by(f64::total_cmp);
        all.dedup();
        Classes::from_labels(&all, loss).map_err(|e| Error(format!("{}: {e}", path.display())))?
    } else {
        Classes(Vec::new())
    };
    let mut data = data;
    data.x
        .set_ncols(d)
        .map_err(|e| Error(format!("{}: {e}", path.display())))?;
    data.x = data.x.stored_by_density();
    Ok(Shard {
        data,
        classes,
        n_total,
        first_row: rows[..r].iter().sum(),
    })
}

/// Rank r's lines of a LIBSVM file, parsed, or the error of the first rank that failed.
fn read_libsvm_shard(comm: &Comm, path: &Path) -> Result<Dataset> {
    let (p, r) = (comm.size(), comm.rank());
    // Read the byte range and count its line ends; agree (one round) on errors and counts.
    let bytes = part_bytes(path, r, p);
    let newlines = bytes.as_ref().map(|b| vec![count_newlines(b) as f64]);
    let counts = agree(comm, newlines.map_err(|e| Error(e.to_string())), 1)?;
    let lines_before: usize = counts[..r].iter().map(|&c| c as usize).sum();
    let bytes = bytes.map_err(Error::from)?;
    let parsed = parse_libsvm_part(&bytes, path, &LibsvmOptions::default(), lines_before);
    drop(bytes);
    // Agree on the parse (one round): a malformed line on any rank ends every rank.
    let ok = parsed
        .as_ref()
        .map(|_| Vec::new())
        .map_err(|e| Error(e.to_string()));
    agree(comm, ok, 0)?;
    Ok(parsed.expect("agreed above"))
}

/// Bytes of the lines that start in [⌊S·r/p⌋, ⌊S·(r+1)/p⌋) of a file of S bytes.
fn part_bytes(path: &Path, r: usize, p: usize) -> optml::Result<Vec<u8>> {
    let io = |e| optml::Error::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let cut = |k: usize| (size as u128 * k as u128 / p as u128) as u64;
    let start = line_start_at_or_after(&mut file, cut(r)).map_err(io)?;
    let end = line_start_at_or_after(&mut file, cut(r + 1)).map_err(io)?;
    let mut bytes = vec![0u8; (end.saturating_sub(start)) as usize];
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    file.read_exact(&mut bytes).map_err(io)?;
    Ok(bytes)
}

/// The first line start at or after byte `pos`: 0, or a byte after a line end (the file's
/// length when none is left).
fn line_start_at_or_after(file: &mut File, pos: u64) -> std::io::Result<u64> {
    if pos == 0 {
        return Ok(0);
    }
    // The byte before pos ends a line, or the line end is further on.
    file.seek(SeekFrom::Start(pos - 1))?;
    let mut at = pos - 1;
    let mut buf = [0u8; 1 << 14];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(at);
        }
        if let Some(k) = buf[..n].iter().position(|&b| b == b'\n') {
            return Ok(at + k as u64 + 1);
        }
        at += n as u64;
    }
}

fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

/// Rank r's rows of a `.npy` feature array, with labels from a labels file or a column.
fn read_npy_shard(comm: &Comm, path: &Path, opts: &ShardOptions) -> Result<Dataset> {
    let read = || -> optml::Result<Dataset> {
        let (p, r) = (comm.size(), comm.rank());
        let (shape, _, values) = read_npy_part(path, r, p)?;
        let (n, d) = match shape[..] {
            [n, d] => (n, d),
            _ => {
                return Err(optml::Error::parse(
                    path,
                    0,
                    format!("expected a 2-D array, found shape {shape:?}"),
                ))
            }
        };
        let rows = n * (r + 1) / p - n * r / p;
        let (x, y) = match &opts.labels {
            Some(lpath) => {
                let (lshape, _, y) = read_npy_part(lpath, r, p)?;
                if !matches!(lshape[..], [m] | [m, 1] if m == n) {
                    return Err(optml::Error::invalid(format!(
                        "{} has shape {lshape:?}, not {n} labels for the {n} rows of {}",
                        lpath.display(),
                        path.display()
                    )));
                }
                (DenseMatrix::from_row_major(rows, d, values)?, y)
            }
            None => split_label_column(path, &opts.label, rows, d, values)?,
        };
        Ok(Dataset {
            x: Design::Dense(x),
            y,
            source: Some(path.to_path_buf()),
        })
    };
    let data = read();
    let ok = data
        .as_ref()
        .map(|_| Vec::new())
        .map_err(|e| Error(e.to_string()));
    agree(comm, ok, 0)?;
    Ok(data.expect("agreed above"))
}
