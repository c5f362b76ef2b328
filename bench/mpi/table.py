"""Reads bench/mpi/out/*.csv (traces of optml-mpi train) and prints the rounds, bytes and
seconds each solver took to reach 1e-8 relative suboptimality, then a simulated-scaling note.

    python3 bench/mpi/table.py DATA RANKS [PROFILE]

f* is the smallest f in any trace (the reference run is Newton-CG to 1e-13). The simulation
takes each solver's measured rounds, bytes and CPU-seconds and models P ranks on a cluster:

    time(P) = W / P + rounds · (2·α·log2 P + 2·(P−1)/P · m · β)

W: the measured CPU-seconds to the target (wall seconds × the 2 cores here), split evenly over P
ranks; each round an all-reduce of m bytes (its mean over the run) by recursive doubling for
latency and a ring for bandwidth; α latency and 1/β bandwidth of the interconnect.
The iteration counts are those measured at 4 ranks (for GIANT and DINO they grow slowly with P,
as each rank's Hessian sees fewer rows: a lower bound for them).
"""

import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOLVERS = ["dino", "giant", "disco", "newton-cg", "trust-region", "lbfgs"]
TARGET = 1e-8
CORES = 2
NETWORKS = [("InfiniBand HDR (α = 1.5 µs, 25 GB/s)", 1.5e-6, 25e9),
            ("10 GbE (α = 30 µs, 1.25 GB/s)", 30e-6, 1.25e9)]


def read(name):
    with open(os.path.join(HERE, "out", name + ".csv")) as f:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]


def main():
    data, ranks = sys.argv[1], int(sys.argv[2])
    profile = sys.argv[3] if len(sys.argv) > 3 else "release"
    traces = {s: read(s) for s in SOLVERS}
    ref = read("reference")
    f_star = min(r["f"] for t in list(traces.values()) + [ref] for r in t)
    print(f"# Distributed solvers on {os.path.basename(data)}, {ranks} ranks (mpirun on 2 cores, "
          f"{profile} build)\n")
    print(f"Logistic regression, C = 1; target (f − f*)/|f*| ≤ {TARGET:g}, f* = {f_star!r}.\n")
    print("Rounds count every collective since the start, the 4 of reading the data included (the same")
    print("for every solver); L-BFGS's include the one that sums the Hessian diagonal for its scaling.\n")
    print("| solver | iterations | rounds | MB per rank | seconds | rounds / L-BFGS's |")
    print("|---|---|---|---|---|---|")
    hit = {}
    for s, t in traces.items():
        row = next((r for r in t if (r["f"] - f_star) / abs(f_star) <= TARGET), None)
        hit[s] = row
    base = hit["lbfgs"]["rounds"] if hit["lbfgs"] else float("nan")
    for s in SOLVERS:
        r = hit[s]
        if r is None:
            print(f"| {s} | not reached | | | | |")
            continue
        print(f"| {s} | {int(r['iter'])} | {int(r['rounds'])} | {r['bytes'] / 1e6:.2f} | "
              f"{r['seconds']:.2f} | {r['rounds'] / base:.2f} |")
    print("\n## Simulated scaling (model in bench/mpi/table.py)\n")
    for net, alpha, bw in NETWORKS:
        print(f"### {net}\n")
        cols = [16, 32, 64, 128, 256]
        print("| solver | " + " | ".join(f"P = {p}" for p in cols) + " |")
        print("|---|" + "---|" * len(cols))
        for s in SOLVERS:
            r = hit[s]
            if r is None:
                continue
            work = r["seconds"] * CORES
            m = r["bytes"] / max(r["rounds"], 1)
            cells = []
            for p in cols:
                comm = r["rounds"] * (2 * alpha * math.log2(p) + 2 * (p - 1) / p * m / bw)
                cells.append(f"{work / p + comm:.3f} s ({comm / (work / p + comm):.0%} comm)")
            print(f"| {s} | " + " | ".join(cells) + " |")
        print()


main()
