//! `optml train --arch … --solver kfac|shampoo|hf` end to end on the digits data: each trains
//! the network past a loss bound in a few epochs, writes its trace, and flags that do not apply
//! are refused in one line.

mod common;
use common::{digits, number_after, optml, text};

fn arg(p: &std::path::Path) -> String {
    p.to_str().unwrap().to_string()
}

#[test]
fn each_second_order_method_trains_digits() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = (arg(&digits("digits_X.npy")), arg(&digits("digits_y.npy")));
    for solver in ["kfac", "shampoo", "hf"] {
        let trace = dir.path().join(format!("{solver}.csv"));
        let o = optml(&[
            "train",
            &x,
            "--labels",
            &y,
            "--arch",
            "64-32-10",
            "--solver",
            solver,
            "--epochs",
            "3",
            "--batch-size",
            "128",
            "--trace",
            &arg(&trace),
        ]);
        let log = text(&o);
        assert!(o.status.success(), "{solver}: {log}");
        assert!(log.contains("second order"), "{log}");
        assert!(
            number_after(&log, "training accuracy") > 0.85,
            "{solver}: {log}"
        );
        let csv = std::fs::read_to_string(&trace).unwrap();
        assert_eq!(csv.lines().count(), 5, "{csv}");
    }
    let o = optml(&[
        "train", &x, "--labels", &y, "--arch", "64-32-10", "--solver", "kfac", "--clip", "1",
    ]);
    let log = text(&o);
    assert!(!o.status.success() && log.contains("--clip"), "{log}");
}
