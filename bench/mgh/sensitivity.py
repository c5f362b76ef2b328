#!/usr/bin/env python3
"""How much of the MGH comparison is owed to one starting point.

Reruns the pairs of run.py from starts jittered by a relative ε (x0ᵢ·(1 + ε·u), u uniform in
[−1, 1], one seed per repeat; both sides from the same point, taken from optml's record), and
prints for each pair the share of problems on which optml used fewer evaluations: from x0 and
from each jittered start, with the geometric mean of the cost ratios. A share that moves by
tens of points under ε = 1e-10 measures the chaos of long runs, not the methods.

Usage: bench/mgh/.venv/bin/python bench/mgh/sensitivity.py [--jitter 1e-10] [--repeats 8]
       [--pairs lbfgs,bfgs,ncg] [--tol 1e-10]
Writes bench/mgh/sensitivity.md.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

import run as R


def pair_stats(ours, theirs, peer):
    both = fewer = 0
    logs = []
    for k, a in ours.items():
        b = theirs[(k, peer)]
        if a["solved"] and b["solved"]:
            both += 1
            fewer += a["evaluations"] < b["evaluations"]
            logs.append(math.log(a["evaluations"] / max(b["evaluations"], 1)))
    return fewer, both, math.exp(sum(logs) / len(logs)) if logs else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jitter", type=float, default=1e-10)
    ap.add_argument("--repeats", type=int, default=8)
    ap.add_argument("--pairs", default=",".join(m for m, _ in R.PAIRS),
                    help="optml solvers whose pairs to run (default: all of run.py's)")
    ap.add_argument("--tol", type=float, default=1e-10)
    args = ap.parse_args()
    pairs = [(m, p) for m, p in R.PAIRS if m in args.pairs.split(",")]
    server = R.Server()
    catalogue = server.ask({"op": "list"})
    rows = {m: [] for m, _ in pairs}
    for seed in range(args.repeats + 1):
        jitter = 0.0 if seed == 0 else args.jitter
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "runs.json")
            subprocess.run([R.OPTML, "bench", "mgh", "--tol", str(args.tol), "--solvers", ",".join(m for m, _ in pairs),
                            "--start-jitter", str(jitter), "--seed", str(seed), "--json", out],
                           check=True, stdout=subprocess.DEVNULL)
            with open(out) as fh:
                ours = json.load(fh)
        starts = {}
        for r in ours:
            starts.setdefault(r["problem"], r["start"])
        theirs = {}
        for k, entry in enumerate(catalogue):
            name = f"{entry['name']} (n = {entry['n']}, m = {entry['m']})"
            for _, peer in pairs:
                theirs[(name, peer)] = R.run_scipy(server, k, entry, peer, args.tol, start=starts[name])
        for mine, peer in pairs:
            by_problem = {r["problem"]: r for r in ours if r["solver"] == mine}
            rows[mine].append(pair_stats(by_problem, theirs, peer))
        print(f"start {seed} done", file=sys.stderr)
    server.close()

    lines = ["# How much the MGH comparison owes to one start", "",
             f"Each pair of `run.py` from x0 and from {args.repeats} starts x0ᵢ·(1 + ε·u), ε = {args.jitter:g} "
             f"(seeds 1–{args.repeats}); gradient tolerance {args.tol:g}. Share: problems both solve on which optml "
             "used fewer evaluations; geo: geometric mean of optml ÷ scipy evaluations there. "
             "`bench/mgh/sensitivity.py` reproduces this.", "",
             "| optml | scipy | from x0 | jittered: min share | median | max | geo from x0 | geo median |",
             "|---|---|---|---|---|---|---|---|"]
    for mine, peer in pairs:
        (f0, b0, g0), rest = rows[mine][0], rows[mine][1:]
        shares = [100 * f / max(b, 1) for f, b, _ in rest]
        geos = [g for _, _, g in rest]
        lines.append(f"| {mine} | {peer} | {f0}/{b0} ({100 * f0 / max(b0, 1):.0f} %) | {min(shares):.0f} % | "
                     f"{np.median(shares):.0f} % | {max(shares):.0f} % | {g0:.2f} | {np.median(geos):.2f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(R.HERE, "sensitivity.md"), "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
