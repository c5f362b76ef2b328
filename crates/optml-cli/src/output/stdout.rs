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

/// Ends the program after a failed write to stdout.
fn fail(e: &io::Error) -> ! {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let _ = writeln!(io::stderr(), "error: cannot write to standard output: {e}");
    std::process::exit(1)
}
