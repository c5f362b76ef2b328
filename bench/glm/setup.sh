#!/usr/bin/env bash
# Sets up the GLM benchmark: a Python venv with the peers (LIBLINEAR, scikit-learn)
# at bench/glm/.venv, and a release build of the optml CLI at target/release/optml.
#
#   bash bench/glm/setup.sh
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
# Pinned versions checked to install on Python 3.11 / x86_64 Linux (liblinear-official builds
# from its source distribution: it needs a C compiler, which the Rust toolchain already implies).
"$here/.venv/bin/python" -m pip install --quiet \
    numpy==2.4.6 \
    scipy==1.17.1 \
    scikit-learn==1.9.1 \
    liblinear-official==2.50.0 \
    matplotlib==3.11.2 \
    threadpoolctl==3.8.0

(cd "$root" && cargo build --release -p optml-cli)
echo "setup done: $here/.venv/bin/python, $root/target/release/optml"
