#!/usr/bin/env python3
"""Runs VW (--log_multi, --recall_tree, --oaa, --ect) and optml (LOMtree, one-against-all) on
the same files, one after the other, and prints train time, per-example prediction time and
test error for each. optml runs the LOMtree with its default leaf refinement, the plain
LOMtree (`--leaf-classes 0`) and one-against-all.

    bash bench/multiclass/setup.sh && python3 bench/multiclass/gen_data.py
    bench/multiclass/.venv/bin/python bench/multiclass/run.py [--sets digits isolet aloi]
        [--passes P] [--vw-lr LR]

The prediction time is the wall time of a test run divided by its examples (the test files have
10 000 examples for aloi; each run reads its file, as a user's would). VW is run with its
defaults plus the passes (with a cache file and its holdout) and `-b 24`; optml with its
defaults plus the passes.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OPTML = os.path.join(ROOT, "target", "release", "optml")
CLASSES = {"digits": 10, "isolet": 26, "aloi": 1000}


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stdout}\n{p.stderr}")
    return time.perf_counter() - t, p.stdout + p.stderr


def count(path):
    with open(path) as f:
        return sum(1 for _ in f)


def vw(name, mode, k, passes, lr, data, work):
    train, test = (os.path.join(data, f"{name}.{s}.vw") for s in ("train", "test"))
    model = os.path.join(work, f"{name}.{mode}.vw.model")
    cache = os.path.join(work, f"{name}.{mode}.cache")
    if os.path.exists(cache):
        os.remove(cache)
    cmd = [sys.executable, "-m", "vowpalwabbit", "-d", train, f"--{mode}", str(k), "-f", model,
           "-b", "24", "--quiet"]
    if lr is not None:
        cmd += ["-l", str(lr)]
    if passes > 1:
        cmd += ["--passes", str(passes), "--cache_file", cache]
    t_train, _ = timed(cmd)
    preds = os.path.join(work, f"{name}.{mode}.preds")
    t_test, _ = timed([sys.executable, "-m", "vowpalwabbit", "-t", "-i", model, "-d", test,
                       "-p", preds, "--quiet"])
    truth = [int(line.split()[0]) for line in open(test)]
    guess = [int(float(line.split()[0])) for line in open(preds)]
    err = sum(a != b for a, b in zip(truth, guess)) / len(truth)
    return t_train, t_test / len(truth), err


# optml's runs: (label, extra flags of `tree train`).
OPTML_RUNS = [
    ("lomtree", ["--kind", "lomtree"]),
    ("lomtree-plain", ["--kind", "lomtree", "--leaf-classes", "0"]),
    ("oaa", ["--kind", "oaa"]),
]


def optml(name, kind, flags, passes, data, work):
    train, test = (os.path.join(data, f"{name}.{s}.svm") for s in ("train", "test"))
    model = os.path.join(work, f"{name}.{kind}.json")
    t_train, log = timed([OPTML, "tree", "train", train, "--model", model, *flags,
                          "--passes", str(passes)])
    t_test, out = timed([OPTML, "tree", "predict", model, test])
    err = float(re.search(r"test error ([0-9.]+)", out).group(1))
    stats = re.search(r"tree: (.*)", out)
    n = count(test)
    return t_train, t_test / n, err, (stats.group(1) if stats else ""), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", nargs="+", default=["digits", "isolet", "aloi"])
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--vw-lr", type=float, default=None)
    ap.add_argument("--no-vw", action="store_true")
    ap.add_argument("--data", default=os.path.join(HERE, "data"))
    a = ap.parse_args()
    work = os.path.join(a.data, "runs")
    os.makedirs(work, exist_ok=True)
    rows = []
    for name in a.sets:
        k = CLASSES[name]
        for kind, flags in OPTML_RUNS:
            tt, tp, err, stats, out = optml(name, kind, flags, a.passes, a.data, work)
            rows.append((name, f"optml {kind}", tt, tp, err, stats))
            print(f"{name:7s} optml {kind:14s} train {tt:8.2f} s  predict {1e6 * tp:8.1f} µs  "
                  f"error {100 * err:6.2f} %  {stats}", flush=True)
        if a.no_vw:
            continue
        for mode in ("log_multi", "recall_tree", "oaa", "ect"):
            try:
                tt, tp, err = vw(name, mode, k, a.passes, a.vw_lr, a.data, work)
            except RuntimeError as e:
                print(f"{name:7s} vw {mode}: {e}", flush=True)
                continue
            rows.append((name, f"vw --{mode}", tt, tp, err, ""))
            print(f"{name:7s} vw --{mode:12s}   train {tt:8.2f} s  predict {1e6 * tp:8.1f} µs  "
                  f"error {100 * err:6.2f} %", flush=True)
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump([dict(zip(("set", "method", "train_s", "predict_s", "error", "tree"), r))
                   for r in rows], f, indent=1)


if __name__ == "__main__":
    main()
