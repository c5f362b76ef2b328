//! [`Error`]: one line of text, the same on every rank once [`agree`] has run.

use crate::comm::Comm;

/// A failure of a distributed run, as a one-line message (file and line for malformed data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<optml::Error> for Error {
    fn from(e: optml::Error) -> Self {
        Error(e.to_string())
    }
}

impl From<String> for Error {
    fn from(e: String) -> Self {
        Error(e)
    }
}

/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Agrees on a step every rank took: each gives `width` numbers or an error. One all-reduce
/// says whether any rank failed; if one did, the lowest such rank broadcasts its message and
/// every rank returns that same error (no rank is left waiting). Otherwise every rank gets all
/// ranks' numbers, rank by rank (`size × width`).
pub fn agree(comm: &Comm, local: Result<Vec<f64>>, width: usize) -> Result<Vec<f64>> {
    let (p, r) = (comm.size(), comm.rank());
    let mut buf = vec![0.0; p * (width + 1)];
    let message = match &local {
        Ok(v) => {
            assert_eq!(v.len(), width, "agree: {} numbers, not {width}", v.len());
            buf[r * (width + 1) + 1..(r + 1) * (width + 1)].copy_from_slice(v);
            None
        }
        Err(e) => {
            buf[r * (width + 1)] = 1.0;
            Some(e.0.clone())
        }
    };
    comm.sum(&mut buf);
    match (0..p).find(|&q| buf[q * (width + 1)] != 0.0) {
        Some(root) => {
            let text = comm.broadcast_text(root, message.as_deref().unwrap_or(""));
            Err(Error(text))
        }
        None => Ok(buf
            .chunks_exact(width + 1)
            .flat_map(|c| c[1..].to_vec())
            .collect()),
    }
}
