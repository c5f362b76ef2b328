//! Files written whole or not at all: a temporary file beside the target, then a rename.
//!
//! Only a regular file (or a path that names nothing yet) is replaced that way. A symbolic link
//! is followed to the file it names, so the link stays a link; a target that exists and is not a
//! regular file (a device such as `/dev/stdout` or `/dev/null`, a FIFO, a socket) is written
//! directly, as a shell redirection would.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How many links are followed before giving up (Linux's `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// Writes `path` through `write`; the file appears only once every byte is on disk.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => write_direct(path, write).map_err(|e| Error::io(path, e)),
        Ok(_) => {
            let real = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
            replace(&real, path, write)
        }
        Err(_) => replace(&resolve_links(path), path, write),
    }
}

/// Writes `value` as pretty-printed JSON and a final newline, atomically as [`write_atomic`].
pub fn write_json_atomic(path: &Path, value: &impl serde::Serialize) -> Result<()> {
    write_atomic(path, |w| {
        serde_json::to_writer_pretty(&mut *w, value).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

/// Follows the chain of symbolic links from `path` as far as it goes (to the name a dangling
/// link points at, which writing then creates).
fn resolve_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let is_link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        let Some(target) = is_link.then(|| std::fs::read_link(&p).ok()).flatten() else {
            break;
        };
        p = match p.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        };
    }
    p
}

/// Writes into a device, FIFO or socket as it is: no temporary file, no rename, no fsync
/// (which a pipe refuses).
fn write_direct(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new().write(true).open(path)?;
    let mut w = BufWriter::new(file);
    write(&mut w)?;
    w.flush()
}

/// Writes a temporary file beside `real` and renames it over `real`; errors name `shown`, the
/// path the caller gave.
fn replace(
    real: &Path,
    shown: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = real
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} is not a file path", shown.display())))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut w = BufWriter::new(File::create(&tmp)?);
        write(&mut w)?;
        w.flush()?;
        w.get_ref().sync_all()?;
        drop(w);
        std::fs::rename(&tmp, real)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(shown, e));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::{Read, Write};
    use std::os::unix::fs::FileTypeExt;

    use super::write_atomic;

    fn write_text(path: &std::path::Path, text: &str) -> crate::Result<()> {
        write_atomic(path, |w| w.write_all(text.as_bytes()))
    }

    /// A link to a file stays a link; the file it names gets the bytes.
    #[test]
    fn a_symlink_is_followed_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink("real.txt", &link).unwrap();
        write_text(&link, "new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // No temporary file is left beside either name.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2);
    }

    /// A dangling link (and a chain of links) creates the file at the end of the chain.
    #[test]
    fn a_chain_of_links_to_nothing_creates_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::os::unix::fs::symlink("sub/b.txt", dir.path().join("a.txt")).unwrap();
        std::os::unix::fs::symlink("target.txt", sub.join("b.txt")).unwrap();
        write_text(&dir.path().join("a.txt"), "bytes").unwrap();
        assert_eq!(
            std::fs::read_to_string(sub.join("target.txt")).unwrap(),
            "bytes"
        );
        for link in [dir.path().join("a.txt"), sub.join("b.txt")] {
            assert!(std::fs::symlink_metadata(link)
                .unwrap()
                .file_type()
                .is_symlink());
        }
    }

    /// A FIFO is written into, not replaced by a regular file (nor is a device such as
    /// `/dev/stdout`, which takes the same path).
    #[test]
    fn a_fifo_is_written_directly() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            eprintln!("mkfifo is not available; skipped");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                std::fs::File::open(fifo)
                    .unwrap()
                    .read_to_string(&mut text)
                    .unwrap();
                text
            })
        };
        write_text(&fifo, "through the pipe").unwrap();
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), "through the pipe");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    /// A directory is not a file to write: the error names it and nothing is created.
    #[test]
    fn a_directory_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_text(dir.path(), "x").unwrap_err().to_string();
        assert!(err.contains(&dir.path().display().to_string()), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// A regular file is still replaced whole.
    #[test]
    fn a_regular_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, "a much longer old content").unwrap();
        write_text(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
