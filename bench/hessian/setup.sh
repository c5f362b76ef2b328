#!/usr/bin/env bash
# Sets up the Hessian benchmarks (spectrum.py, hvp.py): a Python venv with PyTorch and PyHessian at
# bench/hessian/.venv, and a release build of the optml CLI at target/release/optml.
#
#   bash bench/hessian/setup.sh
#
# Safe to run again: pip skips what is already installed, cargo rebuilds only what changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --upgrade pip
# PyHessian 0.1 declares no dependencies of its own; it needs torch (and numpy).
"$here/.venv/bin/python" -m pip install --quiet \
    numpy==2.4.6 \
    torch==2.15.0 \
    pyhessian==0.1

(cd "$root" && cargo build --release -p optml-cli)
echo "setup done: $here/.venv/bin/python, $root/target/release/optml"
