//! `optml bench mgh` and its evaluation server, end to end.

use std::io::Write;
use std::process::{Command, Stdio};

fn optml() -> Command {
    Command::new(env!("CARGO_BIN_EXE_optml"))
}

#[test]
fn mgh_bench_prints_a_table_and_draws_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let (json, plot) = (dir.path().join("runs.json"), dir.path().join("profile.svg"));
    let out = optml()
        .args(["bench", "mgh", "--solvers", "newton,lbfgs"])
        .args(["--problems", "rosenbrock,beale,box-3d"])
        .arg("--json")
        .arg(&json)
        .arg("--plot")
        .arg(&plot)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("beale (n = 2, m = 3)"), "{stdout}");
    let runs: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 6);
    for r in runs.iter().filter(|r| r["solver"] == "newton") {
        assert_eq!(r["solved"], true, "{r}");
        assert!(r["evaluations"].as_u64().unwrap() > 0);
    }
    assert!(std::fs::read_to_string(&plot).unwrap().contains("<svg"));

    let bad = optml()
        .args(["bench", "mgh", "--problems", "nope"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown problem 'nope'"));
}

#[test]
fn mgh_server_answers_and_reports_bad_requests() {
    let mut child = optml()
        .args(["bench", "mgh-serve"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let requests = [
        r#"{"op": "list"}"#,
        r#"{"op": "fg", "problem": 0, "x": [1.0, 1.0]}"#,
        r#"{"op": "hv", "problem": 0, "x": [1.0, 1.0], "v": [1.0, 0.0]}"#,
        r#"{"op": "fg", "problem": 0, "x": [1.0]}"#,
        r#"{"op": "fly"}"#,
    ];
    let mut stdin = child.stdin.take().unwrap();
    for r in requests {
        writeln!(stdin, "{r}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let replies: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(replies.len(), 5);
    assert_eq!(replies[0].as_array().unwrap().len(), 35);
    assert_eq!(replies[0][0]["name"], "rosenbrock");
    // Rosenbrock at its minimum: f = 0, ∇f = 0, ∇²f = [[802, −400], [−400, 200]].
    assert_eq!(replies[1]["f"], 0.0);
    assert_eq!(replies[2]["hv"], serde_json::json!([802.0, -400.0]));
    assert!(replies[3]["error"].as_str().unwrap().contains("1 entries"));
    assert!(replies[4]["error"].as_str().unwrap().contains("request 5"));
}
