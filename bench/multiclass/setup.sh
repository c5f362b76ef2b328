#!/usr/bin/env bash
# Sets up the multiclass benchmark: a Python venv with Vowpal Wabbit at bench/multiclass/.venv
# (its command line is `python -m vowpalwabbit`), and a release build of the optml CLI.
#
#   bash bench/multiclass/setup.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

if [ ! -x "$here/.venv/bin/python" ]; then
    "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --upgrade pip
"$here/.venv/bin/python" -m pip install --quiet vowpalwabbit==9.11.9

(cd "$root" && cargo build --release -p optml-cli)
echo "setup done: $here/.venv/bin/python, $root/target/release/optml"
