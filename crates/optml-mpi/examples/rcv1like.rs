//! Writes the seeded rcv1-like sparse set of the tests at a chosen size, for bench/mpi:
//! `rcv1like OUT.svm N D NNZ_PER_ROW SEED`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 6 {
        eprintln!("usage: rcv1like OUT.svm N D NNZ_PER_ROW SEED");
        std::process::exit(2);
    }
    let num = |i: usize| -> usize {
        a[i].parse().unwrap_or_else(|_| {
            eprintln!("'{}' is not a whole number", a[i]);
            std::process::exit(2)
        })
    };
    common::write_rcv1like(a[1].as_ref(), num(2), num(3), num(4), num(5) as u64);
}
