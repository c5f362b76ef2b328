#!/usr/bin/env bash
# Builds optml and installs scipy into bench/mgh/.venv (PyPI only).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
cargo build --release -p optml-cli
python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install --quiet --upgrade pip
"$here/.venv/bin/pip" install --quiet numpy scipy
