"""GLM benchmark: optml against LIBLINEAR and scikit-learn on the same objective.

Every method minimizes, from w = 0 and with no intercept,

    f(w) = Σᵢ loss(yᵢ, xᵢ·w) + ‖w‖² / (2C),   C = 1,

with the logistic loss on the binary sets and the multinomial (softmax) loss on the multiclass
set (W is K × d and ‖W‖ the Frobenius norm). Each peer's returned w is evaluated here, in numpy,
on that f; optml's f is read from its own trace (and checked against numpy on its final model).

Timing:
  * optml: the `seconds` column of its trace (solver time, data loading excluded); time to a
    relative suboptimality ε is the first trace row with (f − f*)/f* ≤ ε.
  * peers: wall time around the fit call only (data already in memory, converted to the peer's
    own format beforehand). A peer reports one point per run, so each is run over a ladder of
    tolerances; its time to ε is that of the fastest run whose final f reaches ε.
  * a run taking < REPEAT_BELOW seconds is repeated (3 in all) and the median time kept.
  * f* = the smallest f any run found on that data set.

    bench/glm/.venv/bin/python bench/glm/run.py [--quick] [--only rcv1like,...] [--threads 1,2]

Writes bench/glm/results.md, bench/glm/results.json and bench/glm/suboptimality.{png,svg}.
"""

import os

# OpenBLAS kernel choice: the machine environment may pin OPENBLAS_CORETYPE (and
# OPENBLAS_L2_SIZE) for old OpenBLAS builds, which slows the current one shipped with numpy.
# They must go before numpy loads OpenBLAS; only this process (and its children) is affected.
for _v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_v, None)

import argparse
import json
import math
import multiprocessing as mp
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OPTML = os.path.join(ROOT, "target", "release", "optml")
# The binary the runs use: a copy taken at start, so a rebuild during the run changes nothing.
OPTML_RUN = os.path.join(HERE, "data", "optml")
sys.path.insert(0, HERE)
import gen_data  # noqa: E402

C = 1.0
EPSILONS = (1e-6, 1e-10)
REPEAT_BELOW = 5.0  # seconds: runs shorter than this are repeated 3 times (median)
REPS = 3


LOG = None  # also written to data/run.log (git-ignored)


def log(*a):
    print(*a, file=sys.stderr, flush=True)
    if LOG is not None:
        print(*a, file=LOG, flush=True)


# ---------------------------------------------------------------------------------------------
# The objective, evaluated independently of every solver
# ---------------------------------------------------------------------------------------------

def objective(x, y, w, k=None):
    """f(w) = Σ loss + ‖w‖²/(2C); binary y ∈ {±1}, or multiclass y ∈ {0..K-1} with w of K·d."""
    if k is None:
        z = x @ w
        loss = np.logaddexp(0.0, -y * z).sum()
    else:
        wk = w.reshape(k, -1)
        z = np.asarray(x @ wk.T)
        zmax = z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z - zmax).sum(axis=1)) + zmax[:, 0]
        loss = (lse - z[np.arange(len(y)), y.astype(np.int64)]).sum()
    return float(loss + 0.5 * np.dot(w, w) / C)


# ---------------------------------------------------------------------------------------------
# Peers: each fit runs in a forked child (data shared copy-on-write), with its own thread
# limit and a hard time limit; the child sends back (fit seconds, w).
# ---------------------------------------------------------------------------------------------

def _child(conn, fit, threads):
    try:
        from threadpoolctl import threadpool_limits

        warnings.simplefilter("ignore")
        with threadpool_limits(limits=threads):
            # A tiny untimed fit first, so that lazy imports and first-call set-up inside the
            # peer are not counted (the parent never fits: it must not start OpenMP before a
            # fork).
            warm = getattr(fit, "warm", None)
            if warm is not None:
                warm()
            t0 = time.perf_counter()
            w = fit()
            t = time.perf_counter() - t0
        conn.send((t, np.asarray(w, dtype=np.float64).ravel()))
    except BaseException as e:  # report, never hang the parent
        conn.send(("error", repr(e)))
    finally:
        conn.close()


def run_forked(fit, threads, limit):
    """(seconds, w) of fit() in a child with `threads` BLAS/OpenMP threads, or None past limit."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(child, fit, threads))
    p.start()
    child.close()
    if not parent.poll(limit + 5.0):
        p.kill()
        p.join()
        return None
    msg = parent.recv()
    p.join()
    if msg[0] == "error":
        raise RuntimeError(msg[1])
    if msg[0] > limit:
        return None
    return msg


def liblinear_fit(prob, solver, eps):
    """LIBLINEAR -s solver -e eps, no bias; returns w for the +1 class."""
    from liblinear.liblinearutil import parameter, train

    def fit():
        m = train(prob, parameter(f"-s {solver} -e {eps:g} -B -1 -q"))
        w, _ = m.get_decfun()
        w = np.asarray(w)
        # LIBLINEAR's first label is the positive side of its decision function.
        return w if m.get_labels()[0] == 1 else -w

    return fit


def sklearn_fit(x, y, solver, tol, max_iter):
    from sklearn.linear_model import LogisticRegression

    # random_state only matters to saga (sample order) and liblinear; fixed for repeatability.
    kw = dict(C=C, fit_intercept=False, solver=solver, tol=tol, max_iter=max_iter, random_state=0)

    def fit():
        m = LogisticRegression(**kw)
        m.fit(x, y)
        # Binary: coef_ (1, d) scores classes_[1] = +1. Multiclass: (K, d) in class order.
        return m.coef_

    def warm():
        LogisticRegression(**dict(kw, max_iter=3)).fit(x[:500], y[:500])

    fit.warm = warm
    return fit


def peer_methods(name, x, y, k, quick):
    """The peer configurations for a data set: (label, factory(tol) -> fit, tolerances,
    single_threaded)."""
    dense = isinstance(x, np.ndarray)
    ladder10 = [10.0 ** -e for e in range(1, 11)]
    out = []
    if k is None:
        from liblinear.liblinear import problem

        from scipy import sparse

        t = time.perf_counter()
        # Conversion to LIBLINEAR's sparse nodes, not timed. A dense array goes through CSR: the
        # package's own dense path converts row by row in Python (~30 s for 50000 × 500).
        prob = problem(y, x if not dense else sparse.csr_matrix(x))
        log(f"    LIBLINEAR problem built in {time.perf_counter() - t:.1f} s (not timed)")
        out.append(("liblinear -s 0", lambda e: liblinear_fit(prob, 0, e), ladder10[:8], True))
        out.append(("liblinear -s 7", lambda e: liblinear_fit(prob, 7, e), ladder10[:8], True))
    yl = y if k is None else y.astype(np.int64)
    out.append(("sklearn lbfgs", lambda t: sklearn_fit(x, yl, "lbfgs", t, 100_000), ladder10, False))
    out.append(("sklearn newton-cg", lambda t: sklearn_fit(x, yl, "newton-cg", t, 10_000), ladder10, False))
    if dense:
        out.append(("sklearn newton-cholesky",
                    lambda t: sklearn_fit(x, yl, "newton-cholesky", t, 1_000), ladder10, False))
    if k is None and not dense:
        # On dense data scikit-learn's liblinear copies X into LIBLINEAR's sparse nodes inside
        # fit (timed): it measured > 30 s at tol 1e-2 on dense_illcond, so it runs on the sparse
        # set only (LIBLINEAR itself is timed on every binary set above).
        out.append(("sklearn liblinear", lambda t: sklearn_fit(x, yl, "liblinear", t, 100_000),
                    ladder10[:8], True))
    if not (dense and k is None):
        # SAGA is sequential in scikit-learn (no OpenMP, no BLAS-heavy work): one ladder serves
        # both thread counts. Skipped on dense_illcond, where it was still at 2e-3 relative
        # suboptimality after 30 s (its step size is set by the largest row norm).
        out.append(("sklearn saga", lambda t: sklearn_fit(x, yl, "saga", t, 100_000),
                    ladder10[1:8], True))
    return out


def run_peer(label, factory, tols, threads, x, y, k, limit, f_best):
    """Runs one peer over its tolerance ladder (loose to tight) and returns its points.

    The ladder stops early, since tighter tolerances would only cost more time, when a run
    hits the time limit, when it ends within 1e-13 of `f_best` (the best f known so far, numpy-
    evaluated), or when four runs in a row end on the same f (to 1e-15) away from w = 0 (a
    solver that has stopped improving, e.g. at an internal iteration cap; Newton-type solvers
    often give the same point for two or three neighbouring tolerances)."""
    points = []
    same = 0
    f_zero = objective(x, y, np.zeros(x.shape[1] * (k or 1)), k)
    for tol in tols:
        r = run_forked(factory(tol), threads, limit)
        if r is None:
            points.append({"tol": tol, "seconds": None, "f": None, "timeout": limit})
            log(f"    {label:26s} t={threads} tol={tol:.0e}: > {limit:.0f} s (stopped)")
            break
        f = objective(x, y, r[1], k)
        points.append({"tol": tol, "seconds": r[0], "f": f, "times": [r[0]]})
        log(f"    {label:26s} t={threads} tol={tol:.0e}: {r[0]:8.3f} s  f = {f:.15e}")
        if rel(f, f_best) <= 1e-13:
            break
        if len(points) >= 2 and abs(f - points[-2]["f"]) <= 1e-15 * abs(f) and f < f_zero * (1 - 1e-12):
            same += 1
            if same == 3:  # four runs in a row on the same f
                break
        else:
            same = 0
    return points


def refine_peer(label, factory, points, threads, fstar, limit):
    """Repeats the runs that decide a time to ε (the fastest run reaching it) so that each such
    time is a median of REPS runs; other ladder points keep their single timing."""
    for e in EPSILONS:
        hits = [p for p in points if p["seconds"] is not None and rel(p["f"], fstar) <= e]
        if not hits:
            continue
        p = min(hits, key=lambda q: q["seconds"])
        if len(p["times"]) > 1 or p["seconds"] >= REPEAT_BELOW:
            continue
        for _ in range(REPS - 1):
            r = run_forked(factory(p["tol"]), threads, limit)
            if r is not None:
                p["times"].append(r[0])
        p["seconds"] = statistics.median(p["times"])
        log(f"    {label:26s} t={threads} tol={p['tol']:.0e}: repeated, "
            f"times {', '.join(f'{t:.3f}' for t in p['times'])} s")


# ---------------------------------------------------------------------------------------------
# optml
# ---------------------------------------------------------------------------------------------

def optml_solvers(name):
    s = ["auto", "newton-cg", "trust-region", "newton", "lbfgs", "newton-path"]
    if name == "rcv1like":
        s.remove("newton")  # d = 50000: a dense Hessian has 2.5e9 entries
    return s


def run_optml(ds, solver, threads, limit, workdir):
    """One `optml train` run; returns its trace, load time, peak RSS and final model f."""
    trace = os.path.join(workdir, "trace.csv")
    model = os.path.join(workdir, "model.json")
    cmd = ["/usr/bin/time", "-v", OPTML_RUN, "train", ds["x"]]
    if ds["y"]:
        cmd += ["--labels", ds["y"]]
    cmd += ["--loss", "softmax" if ds.get("k") else "logistic", "-C", str(C),
            "--solver", solver, "--tol", "1e-12", "--max-iter", "100000",
            "--max-seconds", str(limit), "--threads", str(threads),
            "--trace", trace, "--model", model]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=limit + 120)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"optml failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    err, out = p.stderr, p.stdout
    load = re.search(r"stored values \(\w+\) in ([0-9.]+) s", err)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    status = re.search(r"^status\s+(.*)$", out, re.M)
    chosen = re.search(r"^solver\s+(.*)$", out, re.M)
    rows = np.genfromtxt(trace, delimiter=",", names=True)
    rows = np.atleast_1d(rows)
    with open(model) as fh:
        weights = np.asarray(json.load(fh)["weights"], dtype=np.float64)
    return {
        "seconds": rows["seconds"].tolist(),
        "passes": rows["passes"].tolist(),
        "f": rows["f"].tolist(),
        "grad_norm": rows["grad_norm"].tolist(),
        "load_s": float(load.group(1)) if load else None,
        "rss_kb": int(rss.group(1)) if rss else None,
        "status": status.group(1).strip() if status else "?",
        "solver": chosen.group(1).strip() if chosen else solver,
        "wall": wall,
        "weights": weights,
    }


# ---------------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------------

def rel(f, fstar):
    return (f - fstar) / abs(fstar)


def optml_time_to(run, fstar, eps):
    """(seconds, passes) at the first trace row within eps of f*, or None."""
    for t, p, f in zip(run["seconds"], run["passes"], run["f"]):
        if rel(f, fstar) <= eps:
            return t, p
    return None


def peer_time_to(points, fstar, eps):
    """Fastest ladder run whose final f is within eps of f*; or ('>', limit) when a run was
    stopped by the limit before one did; or None."""
    best = None
    for pt in points:
        if pt["seconds"] is not None and rel(pt["f"], fstar) <= eps:
            best = pt["seconds"] if best is None else min(best, pt["seconds"])
    if best is not None:
        return best
    for pt in points:
        if pt["seconds"] is None:
            return (">", pt["timeout"])
    return None


def fmt_time(v):
    if v is None:
        return "not reached"
    if isinstance(v, tuple):
        return f"> {v[1]:.0f} s"
    if v < 0.1:
        return f"{v * 1000:.0f} ms"
    return f"{v:.2f} s"


# ---------------------------------------------------------------------------------------------

def load_dataset(name, ds):
    """The data in memory for the peers (and the numpy objective); times the LIBSVM load."""
    info = {}
    if ds["x"].endswith(".svm"):
        from sklearn.datasets import load_svmlight_file

        times = []
        for r in range(REPS):
            t0 = time.perf_counter()
            x, y = load_svmlight_file(ds["x"], n_features=ds["d"])
            times.append(time.perf_counter() - t0)
            # scikit-learn's sparse solvers take 32-bit indices only (the loader may give 64).
            x.indices = x.indices.astype(np.int32)
            x.indptr = x.indptr.astype(np.int32)
            if times[-1] > REPEAT_BELOW:
                break
        info["sklearn_load_s"] = statistics.median(times)
        info["sklearn_load_times"] = times
        info["nnz"] = int(x.nnz)
        info["csr_bytes"] = 12 * x.nnz + 8 * x.shape[0]
        info["file_bytes"] = os.path.getsize(ds["x"])
        log(f"  sklearn load_svmlight_file: {info['sklearn_load_s']:.2f} s ({x.shape}, nnz {x.nnz})")
    else:
        x = np.load(ds["x"])
        y = np.load(ds["y"])
    return x, y, info


def bench_dataset(name, ds, threads_list, limit, skip_peers, workdir):
    log(f"\n== {name}")
    k = ds.get("k")
    x, y, info = load_dataset(name, ds)
    res = {"name": name, "n": int(x.shape[0]), "d": int(x.shape[1]), "k": k, "info": info,
           "limit": limit, "optml": {}, "peers": {}}

    # optml -------------------------------------------------------------------------------
    best_w, best_f = None, math.inf
    for threads in threads_list:
        for solver in optml_solvers(name):
            runs = []
            for rep in range(REPS):
                r = run_optml(ds, solver, threads, limit, workdir)
                w = r.pop("weights")
                r["f_numpy"] = objective(x, y, w, k)
                if r["f_numpy"] < best_f:
                    best_w, best_f = w, r["f_numpy"]
                runs.append(r)
                log(f"    optml {solver:13s} t={threads} rep {rep}: {r['seconds'][-1]:8.3f} s, "
                    f"{r['passes'][-1]:5.0f} passes, {len(r['f']) - 1:5d} it, f = {r['f'][-1]:.15e} "
                    f"(numpy {r['f_numpy']:.15e}), {r['status']}, load {r['load_s']} s, "
                    f"RSS {r['rss_kb'] / 1024:.0f} MB")
                # `auto` picks one of the named solvers (shown in the table): one run is enough.
                if r["seconds"][-1] > REPEAT_BELOW or solver == "auto":
                    break
            res["optml"][f"{solver}|{threads}"] = runs

    # peers -------------------------------------------------------------------------------
    if not skip_peers:
        methods = peer_methods(name, x, y, k, quick=False)
        res["single_threaded"] = [m[0] for m in methods if m[3]]
        for threads in threads_list:
            for label, factory, tols, single in methods:
                if single and threads != threads_list[0]:
                    # LIBLINEAR is single-threaded: reuse its 1-thread ladder.
                    res["peers"][f"{label}|{threads}"] = res["peers"][f"{label}|{threads_list[0]}"]
                    continue
                pts = run_peer(label, factory, tols, threads, x, y, k, limit, best_f)
                best_f = min([best_f] + [p["f"] for p in pts if p["f"] is not None])
                res["peers"][f"{label}|{threads}"] = pts

    # f*: the best f any run found (optml trace values and numpy values of final models,
    # peers' numpy values).
    cands = []
    for runs in res["optml"].values():
        for r in runs:
            cands += r["f"] + [r["f_numpy"]]
    for pts in res["peers"].values():
        cands += [p["f"] for p in pts if p["f"] is not None]
    res["fstar"] = min(cands)

    # Repeat the peer runs that decide a time to ε (median of REPS).
    if not skip_peers:
        for threads in threads_list:
            for label, factory, tols, single in methods:
                if single and threads != threads_list[0]:
                    continue
                refine_peer(label, factory, res["peers"][f"{label}|{threads}"], threads,
                            res["fstar"], limit)

    # Conditioning of the dense binary problem at the solution: cond(XᵀX) and
    # cond(∇²f(w*)) = cond(XᵀDX + I/C), D = σ(1−σ) (d = 500: cheap).
    if best_w is not None and isinstance(x, np.ndarray) and k is None:
        z = x @ best_w
        s = 1.0 / (1.0 + np.exp(-z))
        ev_h = np.linalg.eigvalsh((x.T * (s * (1 - s))) @ x + np.eye(x.shape[1]) / C)
        ev_x = np.linalg.eigvalsh(x.T @ x)
        res["cond"] = {"XtX": float(ev_x[-1] / ev_x[0]), "hessian": float(ev_h[-1] / ev_h[0])}
    return res


def summarize(results, threads_list, quick, env):
    """Markdown tables: time to ε per method, passes for optml, best-optml ÷ best-peer."""
    L = []
    L.append("# GLM benchmark: optml vs LIBLINEAR and scikit-learn\n")
    L.append("Objective (every method, evaluated on the returned w): "
             "f(w) = Σᵢ loss(yᵢ, xᵢ·w) + ‖w‖²/(2C), C = 1, no intercept; logistic loss on the "
             "binary sets, multinomial on the multiclass set. Times are solver times (data in "
             "memory); optml's from its trace, peers' around the fit call, best over a ladder of "
             f"tolerances; each deciding time a median of {REPS} runs (runs under "
             f"{REPEAT_BELOW:g} s; `auto` runs once). ε is the relative suboptimality "
             "(f − f*)/f*, f* the best f any run found. See README.md for the method. " +
             ("**Quick mode: n/10 data — a smoke test, not a measurement.**" if quick else "") + "\n")
    L.append(env + "\n")
    for res in results:
        fstar = res["fstar"]
        L.append(f"## {res['name']}: n = {res['n']}, d = {res['d']}"
                 + (f", K = {res['k']}" if res["k"] else "") + f"; f* = {fstar:.12e}\n")
        if "cond" in res:
            L.append(f"cond(XᵀX) = {res['cond']['XtX']:.1e}; cond(∇²f(w*)) = "
                     f"{res['cond']['hessian']:.1e} (the ridge term I/C caps it).\n")
        hdr = "| method | threads | " + " | ".join(f"time to ε={e:g}" for e in EPSILONS) + \
              " | passes to ε=" + " / ".join(f"{e:g}" for e in EPSILONS) + " | final (f−f*)/f* | status |"
        L.append(hdr)
        L.append("|" + "---|" * (hdr.count("|") - 1))
        best = {}  # (threads, eps, kind) -> (time, label)
        for threads in threads_list:
            for key, runs in res["optml"].items():
                solver, t = key.split("|")
                if int(t) != threads:
                    continue
                cells, passes = [], []
                for e in EPSILONS:
                    hits = [optml_time_to(r, fstar, e) for r in runs]
                    if all(h is not None for h in hits):
                        tm = statistics.median(h[0] for h in hits)
                        ps = statistics.median(h[1] for h in hits)
                        cells.append(fmt_time(tm))
                        passes.append(f"{ps:.0f}")
                        b = best.get((threads, e, "optml"))
                        if b is None or tm < b[0]:
                            best[(threads, e, "optml")] = (tm, f"optml {solver}", threads)
                    else:
                        last = runs[0]["seconds"][-1]
                        cells.append(f"not reached ({last:.1f} s)")
                        passes.append("–")
                fin = statistics.median(rel(r["f"][-1], fstar) for r in runs)
                name = solver if solver != "auto" else f"auto → {runs[0]['solver']}"
                L.append(f"| optml {name} | {threads} | " + " | ".join(cells) + " | " +
                         " / ".join(passes) + f" | {fin:.1e} | {runs[0]['status']} |")
            for key, pts in res["peers"].items():
                label, t = key.split("|")
                if int(t) != threads:
                    continue
                cells = []
                for e in EPSILONS:
                    v = peer_time_to(pts, fstar, e)
                    cells.append(fmt_time(v))
                    if isinstance(v, float):
                        b = best.get((threads, e, "peer"))
                        if b is None or v < b[0]:
                            best[(threads, e, "peer")] = (v, label, threads)
                done = [p for p in pts if p["f"] is not None]
                fin = f"{min(rel(p['f'], fstar) for p in done):.1e}" if done else "–"
                last_tol = pts[-1]["tol"]
                note = f"ladder to tol {last_tol:g}" + (" (time limit)" if pts[-1]["seconds"] is None else "")
                single = " (1-threaded)" if label in res.get("single_threaded", ()) else ""
                L.append(f"| {label} | {threads}{single} | "
                         + " | ".join(cells) + f" | – | {fin} | {note} |")
        if res["name"] == "multiclass":
            L.append("| LIBLINEAR | – | n/a | n/a | – | – | no multinomial (softmax) solver |")
        L.append("")
        # Ratios: the best of each side using at most T threads (a user with T cores picks the
        # faster of its 1- and T-thread runs; some peers are slower on 2 threads).
        L.append("| threads ≤ | ε | best optml | best peer | optml ÷ peer |")
        L.append("|---|---|---|---|---|")

        def best_upto(threads, e, side):
            c = [best[(t, e, side)] for t in threads_list
                 if t <= threads and (t, e, side) in best]
            return min(c) if c else None

        for threads in threads_list:
            for e in EPSILONS:
                o = best_upto(threads, e, "optml")
                p = best_upto(threads, e, "peer")
                ratio = f"{o[0] / p[0]:.2f}" if o and p else "–"
                L.append(f"| {threads} | {e:g} | " + (f"{o[1]} ({o[2]}t): {fmt_time(o[0])}" if o else "–") +
                         " | " + (f"{p[1]} ({p[2]}t): {fmt_time(p[0])}" if p else "–") + f" | {ratio} |")
        L.append("")
        # Consistency of optml's own f with numpy's on its final model.
        diffs = [abs(r["f"][-1] - r["f_numpy"]) / abs(r["f_numpy"])
                 for runs in res["optml"].values() for r in runs]
        L.append(f"optml's reported f vs numpy's f of its saved model: max relative difference "
                 f"{max(diffs):.1e}.\n")
        if res["info"].get("sklearn_load_s") is not None:
            L.append(load_section(res))
    return "\n".join(L) + "\n"


def load_section(res):
    info = res["info"]
    loads = {}
    rss = []
    for key, runs in res["optml"].items():
        t = int(key.split("|")[1])
        loads.setdefault(t, []).extend(r["load_s"] for r in runs if r["load_s"] is not None)
        rss.extend(r["rss_kb"] for r in runs if r["rss_kb"])
    L = ["### Loading the LIBSVM file and memory\n",
         f"File {info['file_bytes'] / 1e6:.0f} MB, {info['nnz']} stored values.\n",
         "| loader | time |", "|---|---|"]
    for t, v in sorted(loads.items()):
        L.append(f"| optml (`train`, --threads {t}; median of {len(v)} runs) | {statistics.median(v):.2f} s |")
    L.append(f"| scikit-learn `load_svmlight_file` (median of {len(info['sklearn_load_times'])}) | "
             f"{info['sklearn_load_s']:.2f} s |")
    L.append("")
    L.append(f"optml peak RSS during `train` (max over all runs, /usr/bin/time -v): "
             f"{max(rss) / 1024:.0f} MB (min {min(rss) / 1024:.0f} MB) vs the CSR size "
             f"12 B/nnz + 8 B/row = {info['csr_bytes'] / 2**20:.0f} MB "
             f"(ratio {max(rss) * 1024 / info['csr_bytes']:.2f}).\n")
    return "\n".join(L)


def env_line():
    try:
        from threadpoolctl import threadpool_info

        blas = [f"{i['internal_api']} {i.get('version')} ({i.get('architecture')})"
                for i in threadpool_info() if i["user_api"] == "blas"]
    except Exception:
        blas = []
    import sklearn
    import scipy

    try:
        from importlib.metadata import version

        ll = version("liblinear-official")
    except Exception:
        ll = "?"
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "crates"],
                           capture_output=True, text=True).stdout.strip()
    return (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
            f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
            f"scikit-learn {sklearn.__version__}, liblinear-official {ll}, BLAS {', '.join(blas)}; "
            f"optml at {git}{' + uncommitted changes' if dirty else ''}. "
            f"Run {time.strftime('%Y-%m-%d %H:%M')}.")


def plot(results, threads_list, path_base):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    nrow, ncol = len(threads_list), len(results)
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol, 4.2 * nrow), squeeze=False)
    floor = 1e-16
    # One colour per method across all panels: optml solvers as lines, peers as markers.
    tab = plt.get_cmap("tab10").colors
    mine = sorted({f"optml {k.split('|')[0]}" for r in results for k in r["optml"]} - {"optml auto"})
    peers = sorted({k.split("|")[0] for r in results for k in r["peers"]})
    peer_colors = list(tab[5:]) + ["black", "goldenrod", "darkblue"]
    color = {lab: tab[i % 5] for i, lab in enumerate(mine)}  # at most 5 (auto is not drawn)
    color.update({lab: peer_colors[i % len(peer_colors)] for i, lab in enumerate(peers)})
    markers = "os^vD<>ph*"
    for j, res in enumerate(results):
        fstar = res["fstar"]
        for i, threads in enumerate(threads_list):
            ax = axes[i][j]
            for key, runs in res["optml"].items():
                solver, t = key.split("|")
                if int(t) != threads or solver == "auto":
                    continue
                r = runs[0]
                sub = np.maximum([rel(f, fstar) for f in r["f"]], floor)
                ts = np.maximum(r["seconds"], 1e-3)
                ax.plot(ts, sub, "-", color=color[f"optml {solver}"], lw=1.6, label=f"optml {solver}")
            for key, pts in res["peers"].items():
                label, t = key.split("|")
                if int(t) != threads:
                    continue
                done = [p for p in pts if p["f"] is not None]
                if not done:
                    continue
                ts = [max(p["seconds"], 1e-3) for p in done]
                sub = [max(rel(p["f"], fstar), floor) for p in done]
                ax.plot(ts, sub, ":", marker=markers[peers.index(label) % len(markers)], ms=5, lw=0.8,
                        color=color[label], label=label)
            for e in EPSILONS:
                ax.axhline(e, color="grey", lw=0.5, ls="--")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_ylim(floor / 2, 2.0)
            ax.set_xlabel("seconds")
            ax.set_ylabel("(f − f*) / f*")
            ax.set_title(f"{res['name']} (n={res['n']}, d={res['d']}), {threads} thread"
                         + ("s" if threads > 1 else ""), fontsize=10)
            ax.grid(True, which="major", lw=0.3)
            ax.legend(fontsize=6.5, loc="lower left")
    fig.tight_layout()
    fig.savefig(path_base + ".png", dpi=110)
    fig.savefig(path_base + ".svg")
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description="optml vs LIBLINEAR and scikit-learn on L2 logistic/softmax")
    ap.add_argument("--quick", action="store_true", help="n/10 data, short time limits (smoke test)")
    ap.add_argument("--only", default="", help="comma-separated data sets (rcv1like,dense_illcond,multiclass)")
    ap.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    ap.add_argument("--limit", type=float, default=None,
                    help="time limit per run in seconds (default 30, quick 5)")
    ap.add_argument("--skip-peers", action="store_true", help="optml only")
    ap.add_argument("--out", default=None,
                    help="where results.md/json and the plots go (default bench/glm, "
                         "with --quick bench/glm/data/quick, which git ignores)")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite results.md and the plots from results.json, running nothing")
    a = ap.parse_args()
    threads_list = [int(t) for t in a.threads.split(",")]
    suffix = "_quick" if a.quick else ""
    a.out = a.out or (os.path.join(HERE, "data", "quick") if a.quick else HERE)
    os.makedirs(a.out, exist_ok=True)
    json_path = os.path.join(a.out, f"results{suffix}.json")
    if a.report_only:
        with open(json_path) as f:
            saved = json.load(f)
        write_report(saved, a.out, suffix, a.quick)
        return

    if not os.path.exists(OPTML):
        sys.exit(f"{OPTML} is missing: run bash bench/glm/setup.sh first")
    limit = a.limit or (5.0 if a.quick else 30.0)
    if a.quick:
        global REPS
        REPS = 1  # a smoke test: no repetitions
    t_start = time.perf_counter()
    global LOG
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    shutil.copy2(OPTML, OPTML_RUN)
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    LOG = open(os.path.join(HERE, "data", "run_quick.log" if a.quick else "run.log"), "w")
    log("generating data (kept if up to date) ...")
    sets = gen_data.generate(quick=a.quick, log=log)
    names = [n for n in sets if not a.only or n in a.only.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as wd:
        for name in names:
            results.append(bench_dataset(name, sets[name], threads_list, limit, a.skip_peers, wd))
    saved = {"results": results, "threads": threads_list, "env": env_line(),
             "wall_s": time.perf_counter() - t_start}
    with open(json_path, "w") as f:
        json.dump(saved, f, indent=1, default=float)
    print(write_report(saved, a.out, suffix, a.quick))
    log(f"done in {time.perf_counter() - t_start:.0f} s")


def write_report(saved, out, suffix, quick):
    """results{suffix}.md and suboptimality{suffix}.png/.svg from the saved results."""
    md = summarize(saved["results"], saved["threads"], quick, saved["env"])
    md += f"\nTotal benchmark wall time {saved['wall_s']:.0f} s.\n"
    with open(os.path.join(out, f"results{suffix}.md"), "w") as f:
        f.write(md)
    plot(saved["results"], saved["threads"], os.path.join(out, f"suboptimality{suffix}"))
    return md


if __name__ == "__main__":
    main()
