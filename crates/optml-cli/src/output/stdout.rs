//! Standard output that never panics: `print!` and `println!` in this crate come here (see the
//! macros at the top of `main.rs`). std's macros panic when a write fails; here a closed pipe
//! (`optml … | head`) ends the program quietly with status 0, as when a reader stops reading,
//! and any other failure (`> /dev/full`) ends it with one line on stderr and status 1.

use std::fmt;
use std::io::{self, Write};

/// Writes `args` (and a newline when `newline`) to stdout and flushes what is complete.
pub fn print(args: fmt::Arguments<'_>, newline: bool) {
    let mut out = io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            out.flush()
        }
    });
    if let Err(e) = written {
        drop(out);
        fail(&e);
    }
}

/// Writes `args` and a newline to stderr; a failed write (a closed stderr) is dropped, as there
/// is nowhere left to report it.
pub fn eprint(args: fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// Ends the program after a failed write to stdout.
pub fn fail(e: &io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let _ = writeln!(io::stderr(), "error: cannot write to standard output: {e}");
    std::process::exit(1)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// Every write to stdout goes through this module: no code takes the stdout handle or
    /// std's printing macros by path, which would panic again on a closed pipe.
    #[test]
    fn nothing_else_writes_to_stdout() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        assert!(files.len() > 10);
        for file in files.iter().filter(|f| !f.ends_with("output/stdout.rs")) {
            let text = std::fs::read_to_string(file).unwrap();
            for direct in ["stdout()", "std::println!", "std::print!"] {
                assert!(!text.contains(direct), "{}: {direct}", file.display());
            }
        }
    }
}
