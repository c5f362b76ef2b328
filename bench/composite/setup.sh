#!/usr/bin/env bash
# Sets up the L1-logistic benchmark: a Python venv with scikit-learn at bench/composite/.venv
# and a release build of the optml CLI at target/release/optml.
#
#   bash bench/composite/setup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1

(cd "$root" && cargo build --release -p optml-cli)
echo "setup done: $here/.venv/bin/python, $root/target/release/optml"
