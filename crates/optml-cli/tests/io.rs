//! What the binary does when its outputs fail: stdout closed early or full, and plots in the
//! format their file name asks for, or an error that names the file.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::{fixture, optml, text};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The training command every stdout test runs: it prints a report once it has trained.
fn train() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_optml"));
    c.arg("train")
        .arg(fixture("breast_cancer.svm"))
        .args(["--loss", "logistic", "-C", "1"]);
    c
}

/// `optml train … | head -0`: the reader is gone before the report is printed. The program
/// ends quietly (no panic, no error, status 0) instead of panicking with status 101.
#[test]
fn a_closed_pipe_on_stdout_ends_quietly() {
    let mut child = train()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("error"), "{err}");
}

/// The same, with the pipe closed between two lines of a long-running exchange: the reply to
/// a request after the reader left ends the server quietly.
#[test]
fn a_pipe_closed_mid_run_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_optml"))
        .args(["bench", "mgh-serve"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    stdin.write_all(b"{\"op\": \"list\"}\n").unwrap();
    stdin.flush().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    // The server may be gone already if it wrote into the closed pipe.
    let _ = stdin.write_all(b"{\"op\": \"list\"}\n{\"op\": \"list\"}\n");
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// A file argument naming stdout (`--trace /proc/self/fd/1`, as `/dev/stdout` is) is written
/// into the pipe, and a reader that left ends the program as quietly as for stdout itself.
#[test]
fn an_output_file_that_is_a_closed_pipe_ends_quietly() {
    let stdout = Path::new("/proc/self/fd/1");
    if !stdout.exists() {
        eprintln!("no /proc here; skipped");
        return;
    }
    let out = train()
        .args(["--quiet", "--trace", s(stdout)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(
        csv.starts_with("iter,seconds,passes,f,grad_norm\n"),
        "{csv}"
    );

    let mut child = train()
        .args(["--quiet", "--trace", s(stdout)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// `optml train … > /dev/full`: one line saying stdout could not be written, status 1.
#[test]
fn a_full_stdout_is_one_line_of_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here; skipped");
        return;
    };
    let out = train()
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].starts_with("error: cannot write to standard output"),
        "{err}"
    );
}

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Runs `args` with `--plot` at `.png`, `.svg`, an unknown extension and a missing folder:
/// the first two write real PNG and SVG, the others fail with the path in the message.
fn plots_as_named(args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let run = |plot: &Path| {
        let mut all = args.to_vec();
        all.extend(["--plot", s(plot)]);
        optml(&all)
    };
    let png = dir.path().join("x.png");
    let out = run(&png);
    assert!(out.status.success(), "{args:?}: {}", text(&out));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(PNG_MAGIC), "{args:?}: not a PNG");

    let svg = dir.path().join("x.svg");
    let out = run(&svg);
    assert!(out.status.success(), "{args:?}: {}", text(&out));
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(svg_text.trim_start().starts_with("<svg"), "{args:?}");

    for bad in [dir.path().join("x.pdf"), dir.path().join("x")] {
        let out = run(&bad);
        let log = text(&out);
        assert!(!out.status.success(), "{args:?}: {log}");
        assert!(
            log.contains(s(&bad)) && log.contains(".png"),
            "{args:?}: {log}"
        );
        assert!(!bad.exists());
    }
    for name in ["t.svg", "t.png"] {
        let missing = dir.path().join("nodir").join(name);
        let out = run(&missing);
        let log = text(&out);
        assert!(!out.status.success(), "{args:?}: {log}");
        assert!(!log.contains("panicked"), "{args:?}: {log}");
        assert!(log.contains(s(&missing)), "{args:?}: {log}");
    }
}

#[test]
fn train_plots_as_named() {
    let data = fixture("breast_cancer.svm");
    plots_as_named(&["train", s(&data), "--loss", "logistic", "--quiet"]);
}

#[test]
fn hessian_plots_as_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture("breast_cancer.svm");
    let model = dir.path().join("m.json");
    let out = optml(&["train", s(&data), "--quiet", "--model", s(&model)]);
    assert!(out.status.success(), "{}", text(&out));
    plots_as_named(&["hessian", "--model", s(&model), s(&data), "--top-k", "1"]);
}

#[test]
fn bench_plots_as_named() {
    plots_as_named(&[
        "bench",
        "mgh",
        "--solvers",
        "newton,lbfgs",
        "--problems",
        "rosenbrock,beale",
    ]);
}

#[test]
fn phase_sweep_plots_as_named() {
    plots_as_named(&[
        "phase",
        "--sweep",
        "8",
        "--signal-len",
        "16",
        "--trials",
        "1",
    ]);
}

/// A closed stderr: the error line has nowhere to go, and the exit status still says what
/// happened (1 for the missing file), not a panic's 101.
#[test]
fn a_closed_stderr_keeps_the_exit_status() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_optml"))
        .args(["train", "/nonexistent/file.svm"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// The help that clap writes itself fails like any other write: one line, status 1.
#[test]
fn help_into_a_full_stdout_is_one_line_of_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here; skipped");
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_optml"))
        .arg("--help")
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: cannot write to standard output"),
        "{err}"
    );
    // And a usage error still has clap's status and message.
    let out = Command::new(env!("CARGO_BIN_EXE_optml"))
        .arg("--no-such-flag")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-such-flag"));
}
