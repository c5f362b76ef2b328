"""L1-logistic benchmark: optml's proximal Newton and FISTA against scikit-learn.

Every method minimizes, from w = 0 and with no intercept,

    F(w) = Σᵢ log(1 + exp(−yᵢ xᵢ·w)) + λ‖w‖₁.

scikit-learn's LogisticRegression(penalty='l1', C=1/λ, fit_intercept=False) minimizes
C·Σ loss + ‖w‖₁ = F/λ: the same minimizer. Every method's returned w is evaluated here on F in
numpy; f* is the smallest F any run found.

Timing:
  * optml: the `seconds` column of its trace (solver time, loading excluded); its time to a
    relative suboptimality ε is the first trace row with (F − f*)/f* ≤ ε. Median of 3 runs.
  * peers (liblinear, saga): wall time around `fit` (data in memory), over a ladder of
    tolerances (each run under 2 s repeated 3 times, median; the ladder stops after a run over
    5 s); time to ε is that of the fastest ladder run whose returned w reaches ε.

Data sets: breast_cancer (crates/optml/data, every feature scaled to unit standard deviation,
not centered) and rcv1-like sparse data from bench/glm/gen_data.py (n = 20000, d = 10000).

    bench/composite/.venv/bin/python bench/composite/run.py

Writes bench/composite/results.md and results.json; data goes to bench/composite/data/.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OPTML = os.environ.get("OPTML", os.path.join(ROOT, "target", "release", "optml"))
DATA = os.path.join(HERE, "data")
sys.path.insert(0, os.path.join(ROOT, "bench", "glm"))
import gen_data  # noqa: E402

EPS = 1e-6
REPS = 3
LADDER = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8)
LIMIT = 20.0  # seconds, for one optml run
REPEAT_BELOW = 2.0  # peer runs shorter than this are repeated (median of REPS)
PEER_LIMIT = 5.0  # a peer's ladder stops after a run longer than this


def F(x, y, w, lam):
    z = x @ w
    return float(np.logaddexp(0.0, -y * z).sum() + lam * np.abs(w).sum())


def breast_cancer():
    from sklearn.datasets import dump_svmlight_file, load_svmlight_file

    x, y = load_svmlight_file(os.path.join(ROOT, "crates", "optml", "data", "breast_cancer.svm"))
    x = x.toarray()
    s = x.std(axis=0)
    x = x / np.where(s > 0, s, 1.0)
    y = np.where(y > 0, 1.0, -1.0)
    path = os.path.join(DATA, "breast_cancer_std.svm")
    dump_svmlight_file(x, y, path, zero_based=False)
    x, y = load_svmlight_file(path, zero_based=False)  # exactly what optml reads
    return path, x.toarray(), y


def rcv1like(n=20000, d=10000):
    path = os.path.join(DATA, f"rcv1like_{n}x{d}.svm")
    indptr, cols, vals, y = gen_data.make_rcv1like(n, d)
    gen_data.write_libsvm(path, indptr, cols, vals, y)
    from sklearn.datasets import load_svmlight_file

    x, y = load_svmlight_file(path, n_features=d)
    x = sp.csr_matrix(x)
    x.indices, x.indptr = x.indices.astype(np.int32), x.indptr.astype(np.int32)  # liblinear
    return path, x, np.where(y > 0, 1.0, -1.0)


def run_optml(path, lam, solver):
    trace = os.path.join(DATA, "trace.csv")
    model = os.path.join(DATA, "model.json")
    cmd = [OPTML, "train", path, "--loss", "logistic", "--l1", repr(lam), "--solver", solver,
           "--tol", "1e-13", "--max-iter", "200000", "--max-seconds", str(LIMIT),
           "--threads", "1", "--trace", trace, "--model", model]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    rows = np.atleast_1d(np.genfromtxt(trace, delimiter=",", names=True))
    with open(model) as fh:
        w = np.asarray(json.load(fh)["weights"], dtype=np.float64)
    return rows["seconds"], rows["f"], w


def run_sklearn(x, y, lam, solver, tol):
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(penalty="l1", C=1.0 / lam, fit_intercept=False, solver=solver,
                           tol=tol, max_iter=1_000_000, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        m.fit(x, y)
        t = time.perf_counter() - t0
    return t, m.coef_.ravel().copy()


def bench(name, path, x, y, lam):
    print(f"== {name}: n={x.shape[0]} d={x.shape[1]} λ={lam}", flush=True)
    res = {"name": name, "n": x.shape[0], "d": x.shape[1], "lambda": lam, "methods": {}}
    for solver in ("prox-newton", "fista"):
        runs = [run_optml(path, lam, solver) for _ in range(REPS)]
        w = runs[0][2]
        res["methods"]["optml " + solver] = {
            "kind": "optml",
            "traces": [(s.tolist(), f.tolist()) for s, f, _ in runs],
            "F_final": F(x, y, w, lam),
            "nnz": int(np.count_nonzero(w)),
        }
        print(f"  optml {solver}: F={F(x, y, w, lam):.15e} nnz={np.count_nonzero(w)}", flush=True)
    for solver in ("liblinear", "saga"):
        pts = []
        for tol in LADDER:
            t, w = run_sklearn(x, y, lam, solver, tol)
            times = [t]
            if t < REPEAT_BELOW:
                times += [run_sklearn(x, y, lam, solver, tol)[0] for _ in range(REPS - 1)]
            pts.append({"tol": tol, "seconds": statistics.median(times),
                        "F": F(x, y, w, lam), "nnz": int(np.count_nonzero(w))})
            print(f"  sklearn {solver} tol={tol:g}: {pts[-1]}", flush=True)
            if t > PEER_LIMIT:
                break
        res["methods"]["sklearn " + solver] = {"kind": "peer", "points": pts}
    return res


def analyse(res):
    fs = []
    for m in res["methods"].values():
        if m["kind"] == "optml":
            fs += [min(f) for _, f in m["traces"]] + [m["F_final"]]
        else:
            fs += [p["F"] for p in m["points"]]
    fstar = min(fs)
    res["fstar"] = fstar
    for m in res["methods"].values():
        if m["kind"] == "optml":
            ts = []
            for s, f in m["traces"]:
                hit = [si for si, fi in zip(s, f) if (fi - fstar) / abs(fstar) <= EPS]
                ts.append(hit[0] if hit else None)
            m["time"] = statistics.median(ts) if None not in ts else None
        else:
            ok = [p for p in m["points"] if (p["F"] - fstar) / abs(fstar) <= EPS]
            best = min(ok, key=lambda p: p["seconds"]) if ok else None
            m["time"] = best["seconds"] if best else None
            m["nnz"] = best["nnz"] if best else m["points"][-1]["nnz"]
            m["F_final"] = min(p["F"] for p in m["points"])
    return res


def report(results):
    L = ["# L1-logistic: optml against scikit-learn", "",
         "F(w) = Σ log(1 + exp(−y x·w)) + λ‖w‖₁, no intercept, from w = 0; time to relative "
         f"suboptimality {EPS:g} (median of {REPS}); f* = best F found by any run. "
         "Produced by `bench/composite/.venv/bin/python bench/composite/run.py`.", ""]
    for r in results:
        L += [f"## {r['name']} (n = {r['n']}, d = {r['d']}, λ = {r['lambda']:g}, "
              f"f* = {r['fstar']:.12e})", "",
              "| method | time to 1e-6 | best (F − f*)/f* | nonzeros |", "|---|---|---|---|"]
        peers = [m["time"] for k, m in r["methods"].items()
                 if m["kind"] == "peer" and m["time"] is not None]
        best_peer = min(peers) if peers else None
        for k, m in r["methods"].items():
            t = "not reached" if m["time"] is None else f"{m['time'] * 1e3:.2f} ms"
            L.append(f"| {k} | {t} | {(m['F_final'] - r['fstar']) / abs(r['fstar']):.1e} "
                     f"| {m['nnz']} |")
        pn = r["methods"]["optml prox-newton"]["time"]
        if pn is not None and best_peer is not None:
            L += ["", f"optml prox-newton ÷ best peer: {pn / best_peer:.2f}"]
        L.append("")
    with open(os.path.join(HERE, "results.md"), "w") as fh:
        fh.write("\n".join(L))
    for r in results:  # the full optml traces stay out of the saved summary
        for m in r["methods"].values():
            m.pop("traces", None)
    with open(os.path.join(HERE, "results.json"), "w") as fh:
        json.dump(results, fh, indent=1)
    print("\n".join(L))


def main():
    os.makedirs(DATA, exist_ok=True)
    results = []
    path, x, y = breast_cancer()
    results.append(analyse(bench("breast_cancer (standardized)", path, x, y, 2.0)))
    path, x, y = rcv1like()
    lam_max = np.abs(x.T @ y).max() / 2.0
    results.append(analyse(bench("rcv1-like", path, x, y, float(f"{0.05 * lam_max:.4g}"))))
    report(results)


if __name__ == "__main__":
    main()
