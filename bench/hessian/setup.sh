#!/usr/bin/env bash
# Installs the peer (PyTorch, CPU) for hvp.py into bench/hessian/.venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install --quiet --upgrade pip
# The CPU-only wheel index is smaller; fall back to the default index where it is unreachable.
"$here/.venv/bin/pip" install --quiet torch numpy --index-url https://download.pytorch.org/whl/cpu \
    --extra-index-url https://pypi.org/simple ||
    "$here/.venv/bin/pip" install --quiet torch numpy
"$here/.venv/bin/python" -c "import torch; print('torch', torch.__version__)"
