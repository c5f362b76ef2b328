#!/usr/bin/env python3
"""Randomized BFGS against L-BFGS and BFGS on the GLM benchmark's dense sets.

`optml train --solver rbfgs` (the sketched inverse update of Gower & Richtárik; Kovalev, Gower,
Richtárik & Rogozin 2020) keeps a dense d × d inverse-Hessian estimate, so it runs on the dense
sets of the GLM benchmark (dense_illcond: d = 500; multiclass: 20 × 200 = 4000 parameters) and
not on rcv1like (d = 50000: a 20 GB matrix). Each solver runs once per set on 1 thread with
`--tol 1e-12`; f* is the lowest objective any run reaches (Newton included). Reported: solver
seconds and data passes to relative suboptimality (f − f*)/|f*| ≤ 1e-6 and 1e-10.

Usage: bash bench/glm/setup.sh && bench/glm/.venv/bin/python bench/glm/rbfgs.py [--limit 60]
Writes bench/glm/rbfgs.md.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OPTML = os.path.join(ROOT, "target", "release", "optml")
sys.path.insert(0, HERE)
import gen_data  # noqa: E402

SOLVERS = ["newton", "lbfgs", "bfgs", "rbfgs"]
LEVELS = [1e-6, 1e-10]


def run(ds, solver, limit, tmp):
    trace = os.path.join(tmp, f"{solver}.csv")
    cmd = [OPTML, "train", ds["x"], "--labels", ds["y"], "--loss",
           "softmax" if ds.get("k") else "logistic", "-C", "1", "--solver", solver,
           "--tol", "1e-12", "--max-iter", "100000", "--max-seconds", str(limit),
           "--threads", "1", "--trace", trace, "--model", os.path.join(tmp, "model.json")]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    rows = np.atleast_1d(np.genfromtxt(trace, delimiter=",", names=True))
    return rows["seconds"], rows["passes"], rows["f"]


def first_below(f, fstar, level, column):
    hit = np.nonzero((f - fstar) / abs(fstar) <= level)[0]
    return column[hit[0]] if len(hit) else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per run (default 60)")
    a = ap.parse_args()
    sets = gen_data.generate(log=lambda m: print(m, file=sys.stderr))
    lines = ["# Randomized BFGS on the GLM benchmark's dense sets", "",
             "`bench/glm/rbfgs.py`; 1 thread, one run per solver; f* = the lowest f reached. "
             "Cells: solver seconds / data passes to the relative suboptimality; – = not reached "
             f"within {a.limit:g} s.", "",
             "| set | solver | " + " | ".join(f"to {lv:g}" for lv in LEVELS) + " | final (f − f*)/f* |",
             "|---|---|" + "---|" * len(LEVELS) + "---|"]
    for name in ("dense_illcond", "multiclass"):
        ds = sets[name]
        with tempfile.TemporaryDirectory() as tmp:
            runs = {s: run(ds, s, a.limit, tmp) for s in SOLVERS}
        fstar = min(float(np.min(f)) for _, _, f in runs.values())
        for s, (sec, passes, f) in runs.items():
            cells = []
            for lv in LEVELS:
                t, p = first_below(f, fstar, lv, sec), first_below(f, fstar, lv, passes)
                cells.append("–" if t is None else f"{t:.3f} s / {p:.0f}")
            lines.append(f"| {name} | {s} | " + " | ".join(cells)
                         + f" | {(f[-1] - fstar) / abs(fstar):.1e} |")
            print(lines[-1], file=sys.stderr)
    with open(os.path.join(HERE, "rbfgs.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
