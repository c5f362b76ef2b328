//! What every end-to-end test of the `optml` binary needs: running it, reading its output, and
//! the data files in the repository.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary with `args`.
pub fn optml(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_optml"))
        .args(args)
        .output()
        .expect("optml runs")
}

/// stdout then stderr, as text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The number after `key` in the output.
pub fn number_after(log: &str, key: &str) -> f64 {
    let rest = &log[log
        .find(key)
        .unwrap_or_else(|| panic!("no '{key}' in {log}"))
        + key.len()..];
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

/// A data set embedded in the library (`crates/optml/data`).
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../optml/data")
        .join(name)
}

/// A file of the digits reference workloads (`crates/optml/tests/data/digits-mlp`).
pub fn digits(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../optml/tests/data/digits-mlp")
        .join(name)
}
