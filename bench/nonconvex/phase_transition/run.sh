#!/usr/bin/env bash
# Phase transition of real phase retrieval: success rate of WF and TWF against m/n, n = 256.
# Writes results.md and results.svg next to this script.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../.."
cargo build --release -q -p optml-cli --manifest-path "$root/Cargo.toml"
"$root/target/release/optml" phase \
    --sweep 1.5,2,2.5,3,3.5,4,4.5,5,5.5,6,6.5,7,8 \
    --signal-len 256 --trials "${TRIALS:-30}" --seed 1 \
    --table "$here/results.md" --plot "$here/results.svg"
