"""optml's Python package beside scikit-learn and scipy, in one script.

1. LogisticRegression (C = 1, no intercept) on bench/glm's data sets, the same objective
   f(W) = Σᵢ loss(yᵢ, W·xᵢ) + ‖W‖²/2 for both: optml (solver auto, tol 1e-8 on the relative
   gradient norm) and scikit-learn (lbfgs, tol 1e-8, max_iter 100000). Prints each fit's
   seconds (median of --repeats, data already in memory), f computed here in NumPy for both,
   their relative gap, and the speed ratio.
2. Python overhead of `minimize` with a Python `fun`: Rosenbrock in 2 dimensions (a cheap
   function, so the time is the overhead), microseconds per iteration and per evaluation of
   (f, ∇f) of optml's lbfgs and bfgs beside scipy's L-BFGS-B and BFGS, all at gtol 1e-10
   (median of 5 runs, the whole call timed).
3. Peak resident memory while fitting from a large float64 array (a fresh process): how much the
   peak grows during `fit`, as a fraction of the array's size (0 would be no copy at all).

    python bench/python/run.py [--quick] [--data DIR] [--repeats 3] [--gb 1.0]
        [--only logistic,overhead,memory] [--sets rcv1like,dense_illcond,multiclass]

Needs the package installed (pip install ./crates/optml-py, built in release) and
scikit-learn; the data come from bench/glm/gen_data.py (run on the first use).
"""

import argparse
import os
import subprocess
import sys
import textwrap
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GLM = os.path.join(HERE, "..", "glm")


def median_time(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def objective(coef, X, y, classes):
    Z = np.asarray(X @ coef.T)
    if coef.shape[0] == 1:
        s = np.where(y == classes[1], 1.0, -1.0) * Z[:, 0]
        loss = np.logaddexp(0.0, -s).sum()
    else:
        zmax = Z.max(axis=1, keepdims=True)
        lse = (zmax[:, 0] + np.log(np.exp(Z - zmax).sum(axis=1)))
        loss = (lse - Z[np.arange(len(y)), np.searchsorted(classes, y)]).sum()
    return loss + 0.5 * np.sum(coef**2)


def load(data_dir, name):
    from sklearn.datasets import load_svmlight_file

    if name == "rcv1like":
        X, y = load_svmlight_file(os.path.join(data_dir, "rcv1like.svm"))
        return X.tocsr(), y
    X = np.load(os.path.join(data_dir, f"{name}.npy"))
    y = np.load(os.path.join(data_dir, f"{name}_labels.npy"))
    return np.ascontiguousarray(X, dtype=np.float64), y


def logistic(data_dir, repeats, sets):
    import optml
    import sklearn.linear_model as sk

    print("## LogisticRegression(C=1, fit_intercept=False), data in memory\n")
    print("| set | shape | optml s | sklearn lbfgs s | sklearn/optml | f optml | f sklearn | (f_opt − f_sk)/f_sk |")
    print("|---|---|---|---|---|---|---|---|")
    for name in sets:
        X, y = load(data_dir, name)
        ours = optml.LogisticRegression(C=1.0, fit_intercept=False, tol=1e-8, max_iter=100_000)
        ref = sk.LogisticRegression(C=1.0, fit_intercept=False, tol=1e-8, max_iter=100_000)
        t_ours, ours = median_time(lambda: ours.fit(X, y), repeats)
        t_ref, ref = median_time(lambda: ref.fit(X, y), repeats)
        f_ours = objective(ours.coef_, X, y, ours.classes_)
        f_ref = objective(ref.coef_, X, y, ref.classes_)
        print(
            f"| {name} | {X.shape[0]}×{X.shape[1]} | {t_ours:.3f} | {t_ref:.3f} | {t_ref / t_ours:.2f} "
            f"| {f_ours:.10g} | {f_ref:.10g} | {(f_ours - f_ref) / f_ref:+.1e} |",
            flush=True,
        )


def overhead():
    import optml
    from scipy import optimize

    print("\n## minimize with a Python fun: overhead (Rosenbrock, n = 2)\n")
    print("| method | nit | nfev | µs per iteration | µs per evaluation of (f, ∇f) |")
    print("|---|---|---|---|---|")
    x0 = [-1.2, 1.0]
    runs = [
        ("optml lbfgs", lambda: optml.minimize(optimize.rosen, x0, jac=optimize.rosen_der, method="lbfgs", tol=1e-10)),
        ("scipy L-BFGS-B", lambda: optimize.minimize(optimize.rosen, x0, jac=optimize.rosen_der, method="L-BFGS-B", options={"gtol": 1e-10, "ftol": 0})),
        ("optml bfgs", lambda: optml.minimize(optimize.rosen, x0, jac=optimize.rosen_der, method="bfgs", tol=1e-10)),
        ("scipy BFGS", lambda: optimize.minimize(optimize.rosen, x0, jac=optimize.rosen_der, method="BFGS", options={"gtol": 1e-10})),
    ]
    for label, run in runs:
        t, res = median_time(run, 5)
        evals = max(res.nfev, getattr(res, "njev", 0))
        print(f"| {label} | {res.nit} | {res.nfev} | {1e6 * t / max(1, res.nit):.1f} | {1e6 * t / max(1, evals):.1f} |", flush=True)


def memory(gb):
    n = int(gb * 1e9 / 8 / 100)
    code = textwrap.dedent(
        f"""
        import resource, numpy as np, optml
        rng = np.random.default_rng(0)
        X = np.empty(({n}, 100))
        for i in range(0, {n}, 100_000):
            X[i:i + 100_000] = rng.standard_normal((min(100_000, {n} - i), 100))
        y = (X[:, 0] + 0.5 * rng.standard_normal({n}) > 0).astype(float)
        est = optml.LogisticRegression(solver="lbfgs", max_iter=5, tol=0.0)
        est.fit(X[:1000].copy(), y[:1000].copy())  # imports and first-call costs
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        est.fit(X, y)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(X.nbytes, before, after)
        """
    )
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    nbytes, before, after = map(int, out.stdout.split())
    print(f"\n## Peak RSS fitting from a {nbytes / 1e9:.2f} GB float64 array ({n}×100)\n")
    print(f"peak before fit {before / 1e9:.2f} GB, after {after / 1e9:.2f} GB: grew by {(after - before) / 1e6:.0f} MB = {(after - before) / nbytes:.3f}× the array")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="bench/glm's n/10 data")
    ap.add_argument("--data", help="folder with bench/glm's data (default: bench/glm/data[/quick])")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--gb", type=float, default=1.0, help="size of the array of the memory check")
    ap.add_argument("--only", default="logistic,overhead,memory")
    ap.add_argument("--sets", default="rcv1like,dense_illcond,multiclass")
    args = ap.parse_args()
    data_dir = args.data or os.path.join(GLM, "data", "quick" if args.quick else "")
    if "logistic" in args.only:
        if not os.path.exists(os.path.join(data_dir, "multiclass_labels.npy")):
            subprocess.run([sys.executable, os.path.join(GLM, "gen_data.py")] + (["--quick"] if args.quick else []), check=True)
        logistic(data_dir, args.repeats, args.sets.split(","))
    if "overhead" in args.only:
        overhead()
    if "memory" in args.only:
        memory(args.gb)


if __name__ == "__main__":
    main()
