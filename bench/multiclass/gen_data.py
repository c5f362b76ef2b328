#!/usr/bin/env python3
"""Seeded multiclass data sets for bench/multiclass, written as LIBSVM (optml) and VW text.

* aloi: 1000 classes, 128 features, 100 000 train / 10 000 test: a hierarchical Gaussian
  mixture (50 groups; group centres N(0, 1.0^2 I), class centres group + N(0, 0.3^2 I), points
  class centre + N(0, I)), the shape of ALOI.
* isolet: 26 classes, 617 features, 6 238 train / 1 559 test, same construction (5 groups,
  class spread 0.25), the shape of Isolet.
* digits: crates/optml/data/digits.svm, the first 1 400 rows to train, the rest to test.

Labels are 1..k in both formats. Pure Python (random.gauss), so the files depend on the seed
alone:  python3 gen_data.py [--out DIR] [--seed S] [--only NAME]
"""
import argparse
import os
import random

SETS = {
    # name: (classes, features, train, test, groups, group spread, class spread)
    "aloi": (1000, 128, 100_000, 10_000, 50, 1.0, 0.3),
    "isolet": (26, 617, 6_238, 1_559, 5, 1.0, 0.25),
}


def mixture(name, seed, out):
    k, d, n_train, n_test, groups, s_group, s_class = SETS[name]
    rng = random.Random(f"{name}-{seed}")
    gc = [[rng.gauss(0, s_group) for _ in range(d)] for _ in range(groups)]
    cc = [[g + rng.gauss(0, s_class) for g in gc[c % groups]] for c in range(k)]
    for split, n in (("train", n_train), ("test", n_test)):
        with open(os.path.join(out, f"{name}.{split}.svm"), "w") as svm, open(
            os.path.join(out, f"{name}.{split}.vw"), "w"
        ) as vw:
            for _ in range(n):
                c = rng.randrange(k)
                x = [m + rng.gauss(0, 1) for m in cc[c]]
                feats = " ".join(f"{j + 1}:{v:.4f}" for j, v in enumerate(x))
                svm.write(f"{c + 1} {feats}\n")
                vw.write(f"{c + 1} | {feats}\n")


def digits(out):
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.join(here, "..", "..", "crates", "optml", "data", "digits.svm")
    rows = [line.split() for line in open(src) if line.strip()]
    for split, part in (("train", rows[:1400]), ("test", rows[1400:])):
        with open(os.path.join(out, f"digits.{split}.svm"), "w") as svm, open(
            os.path.join(out, f"digits.{split}.vw"), "w"
        ) as vw:
            for r in part:
                label = int(float(r[0])) + 1
                svm.write(" ".join([str(label)] + r[1:]) + "\n")
                vw.write(f"{label} | " + " ".join(r[1:]) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "data"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=["aloi", "isolet", "digits"])
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name in ("digits", "isolet", "aloi"):
        if a.only and a.only != name:
            continue
        if name == "digits":
            digits(a.out)
        else:
            mixture(name, a.seed, a.out)
        print(f"wrote {name} to {a.out}")


if __name__ == "__main__":
    main()
