#!/usr/bin/env bash
# Sets up the non-convex benchmark: a Python venv with the peers (numpy/scipy, scikit-learn,
# fancyimpute, rpca, pyrpca) at bench/nonconvex/.venv, and a release build of the optml CLI.
#
#   bash bench/nonconvex/setup.sh && bench/nonconvex/.venv/bin/python bench/nonconvex/peers.py
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --upgrade pip
"$here/.venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
(cd "$root" && cargo build --release -p optml-cli)
echo "setup done: $here/.venv/bin/python, $root/target/release/optml"
