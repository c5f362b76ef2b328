//! The headings `--help` groups the flags under.

pub const DATA: &str = "Data";
pub const MLP: &str = "MLP";
pub const PENALTY: &str = "Penalty";
pub const PLANTED: &str = "Planted instance";
pub const STOP: &str = "Stopping";
pub const OUTPUT: &str = "Output";
pub const RUN: &str = "Run";
